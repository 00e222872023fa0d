package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Follows/FollowUnfollowAudited":       testFollowUnfollow,
		"Follows/OnlyAccounts":                testFollowOnlyAccounts,
		"Follows/FeedAfterFollowNotOwn":       testNotificationFeed,
		"Follows/ReadMarksAndWatermark":       testNotificationReads,
		"Follows/PagesAcrossAccounts":         testNotificationPages,
		"Follows/DigestSettings":              testDigestSettings,
		"Follows/ManyFollowsReadByJoinAsWell": testNotificationManyFollows,
	} {
		contract[name] = fn
	}
}

// asUser is a context acting as u.
func asUser(u *liaison.User) context.Context {
	return liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite})
}

func feed(t *testing.T, db *sqlstore.DB, f liaison.NotificationFilter) *liaison.NotificationPage {
	t.Helper()
	page, err := db.FindNotifications(ctx, f)
	ok(t, err)
	return page
}

func summaries(p *liaison.NotificationPage) []string {
	return ids(p.Items, func(n *liaison.Notification) string { return n.Summary })
}

func testFollowUnfollow(t *testing.T, db *sqlstore.DB) {
	eva := mkUser(t, db, "Eva Ek")
	acc := mkUnit(t, db, "Lund", nil, account)
	uctx := asUser(eva)
	f, created, err := db.Follow(uctx, eva.ID, acc.ID)
	ok(t, err)
	if !created || f.UserName != "Eva Ek" || f.AccountName != "Lund" || f.Version != 1 {
		t.Fatalf("follow = %+v, created %v", f, created)
	}
	again, created, err := db.Follow(uctx, eva.ID, acc.ID)
	ok(t, err)
	if created || again.ID != f.ID {
		t.Fatalf("a repeat follow created %v, id %s want %s", created, again.ID, f.ID)
	}
	followers, _, err := db.FindFollows(ctx, liaison.FollowFilter{AccountID: acc.ID})
	ok(t, err)
	sameStrings(t, "followers", ids(followers, func(x *liaison.Follow) string { return x.UserName }), []string{"Eva Ek"})
	mine, _, err := db.FindFollows(ctx, liaison.FollowFilter{UserID: eva.ID})
	ok(t, err)
	sameStrings(t, "follows", ids(mine, func(x *liaison.Follow) string { return x.AccountName }), []string{"Lund"})

	ok(t, db.Unfollow(uctx, eva.ID, acc.ID))
	wantCode(t, db.Unfollow(uctx, eva.ID, acc.ID), liaison.ENOTFOUND)
	trail := auditOf(t, db, liaison.SubjectFollow, f.ID)
	sameStrings(t, "audit", ids(trail, func(e *liaison.AuditEntry) string { return e.Action + " " + e.ActorID + " " + e.AccountID }),
		[]string{"delete " + eva.ID + " " + acc.ID, "create " + eva.ID + " " + acc.ID})
	followers, _, err = db.FindFollows(ctx, liaison.FollowFilter{AccountID: acc.ID})
	ok(t, err)
	if len(followers) != 0 {
		t.Fatalf("followers after unfollow: %d", len(followers))
	}
}

func testFollowOnlyAccounts(t *testing.T, db *sqlstore.DB) {
	eva := mkUser(t, db, "Eva Ek")
	acc := mkUnit(t, db, "Lund", nil, account)
	dept := mkUnit(t, db, "Dept", acc)
	_, _, err := db.Follow(ctx, eva.ID, dept.ID)
	wantField(t, err, "organisation_id", liaison.CodeInvalid)
	_, _, err = db.Follow(ctx, eva.ID, "no-such-unit")
	wantCode(t, err, liaison.ENOTFOUND)
	old := mkUnit(t, db, "Closed", nil, account)
	ok(t, db.DeleteOrganisation(ctx, old.ID, old.Version))
	_, _, err = db.Follow(ctx, eva.ID, old.ID)
	wantField(t, err, "organisation_id", liaison.CodeInvalid)
}

func testNotificationFeed(t *testing.T, db *sqlstore.DB) {
	eva, olle := mkUser(t, db, "Eva Ek"), mkUser(t, db, "Olle Berg")
	acc := mkUnit(t, db, "Lund", nil, account)
	other := mkUnit(t, db, "Malmö", nil, account)
	mkPerson(t, db, "Before follow", acc)
	evaCtx := asUser(eva)
	olleCtx := asUser(olle)
	_, _, err := db.Follow(evaCtx, eva.ID, acc.ID)
	ok(t, err)
	_, _, err = db.Follow(olleCtx, olle.ID, acc.ID) // a follow is never a notification
	ok(t, err)
	dept := mkUnit(t, db, "Dept", acc)
	ok(t, db.CreatePerson(olleCtx, &liaison.Person{Name: "By Olle", OrganisationID: dept.ID}))
	ok(t, db.CreatePerson(evaCtx, &liaison.Person{Name: "By Eva", OrganisationID: acc.ID}))
	mkPerson(t, db, "Elsewhere", other)

	page := feed(t, db, liaison.NotificationFilter{UserID: eva.ID, CountUnread: true})
	sameStrings(t, "feed", summaries(page), []string{"By Olle", "Dept"})
	if page.Unread != 2 || page.Items[0].AccountName != "Lund" || page.Items[0].Read || page.Items[0].Link == "" {
		t.Fatalf("page = %+v unread %d", page.Items[0], page.Unread)
	}
	if n := feed(t, db, liaison.NotificationFilter{UserID: eva.ID, CountOnly: true}); n.Unread != 2 || len(n.Items) != 0 {
		t.Fatalf("count only = %d, %d items", n.Unread, len(n.Items))
	}
	// Olle sees Eva's and the system's, not his own.
	sameStrings(t, "olle's feed", summaries(feed(t, db, liaison.NotificationFilter{UserID: olle.ID})), []string{"By Eva", "Dept"})
	// No follows, no notifications.
	nobody := mkUser(t, db, "Nobody")
	if p := feed(t, db, liaison.NotificationFilter{UserID: nobody.ID, CountUnread: true}); len(p.Items) != 0 || p.Unread != 0 {
		t.Fatalf("nobody's feed = %d items, %d unread", len(p.Items), p.Unread)
	}
	// After unfollowing, nothing more.
	ok(t, db.Unfollow(evaCtx, eva.ID, acc.ID))
	if p := feed(t, db, liaison.NotificationFilter{UserID: eva.ID}); len(p.Items) != 0 {
		t.Fatalf("feed after unfollow: %q", summaries(p))
	}
}

func testNotificationReads(t *testing.T, db *sqlstore.DB) {
	eva := mkUser(t, db, "Eva Ek")
	acc := mkUnit(t, db, "Lund", nil, account)
	_, _, err := db.Follow(ctx, eva.ID, acc.ID)
	ok(t, err)
	mkPerson(t, db, "One", acc)
	mkPerson(t, db, "Two", acc)
	mkPerson(t, db, "Three", acc)
	page := feed(t, db, liaison.NotificationFilter{UserID: eva.ID})
	ok(t, db.MarkNotificationsRead(ctx, eva.ID, []string{page.Items[1].ID}, false))
	ok(t, db.MarkNotificationsRead(ctx, eva.ID, []string{page.Items[1].ID}, false)) // twice is once
	page = feed(t, db, liaison.NotificationFilter{UserID: eva.ID, CountUnread: true})
	if page.Unread != 2 || page.Items[0].Read || !page.Items[1].Read {
		t.Fatalf("after one read: unread %d, read %v %v", page.Unread, page.Items[0].Read, page.Items[1].Read)
	}
	sameStrings(t, "unread only", summaries(feed(t, db, liaison.NotificationFilter{UserID: eva.ID, UnreadOnly: true})),
		[]string{"Three", "One"})
	ok(t, db.MarkNotificationsRead(ctx, eva.ID, nil, true))
	page = feed(t, db, liaison.NotificationFilter{UserID: eva.ID, CountUnread: true})
	if page.Unread != 0 || len(page.Items) != 3 || !page.Items[0].Read || !page.Items[2].Read {
		t.Fatalf("after all read: unread %d, %d items", page.Unread, len(page.Items))
	}
	mkPerson(t, db, "Four", acc)
	page = feed(t, db, liaison.NotificationFilter{UserID: eva.ID, CountUnread: true})
	if page.Unread != 1 || page.Items[0].Summary != "Four" || page.Items[0].Read {
		t.Fatalf("a later event: unread %d, first %q", page.Unread, page.Items[0].Summary)
	}
}

func testNotificationPages(t *testing.T, db *sqlstore.DB) {
	eva := mkUser(t, db, "Eva Ek")
	a := mkUnit(t, db, "A", nil, account)
	b := mkUnit(t, db, "B", nil, account)
	for _, acc := range []*liaison.Organisation{a, b} {
		_, _, err := db.Follow(ctx, eva.ID, acc.ID)
		ok(t, err)
	}
	var want []string
	for i := range 7 {
		acc := a
		if i%3 == 0 {
			acc = b
		}
		name := "P" + string(rune('0'+i))
		mkPerson(t, db, name, acc)
		want = append([]string{name}, want...)
	}
	var got []string
	f := liaison.NotificationFilter{UserID: eva.ID, Limit: 3}
	for range 5 {
		p := feed(t, db, f)
		got = append(got, summaries(p)...)
		if p.NextCursor == "" {
			break
		}
		f.Cursor = p.NextCursor
	}
	sameStrings(t, "pages", got, want)
	sameStrings(t, "one account", summaries(feed(t, db, liaison.NotificationFilter{UserID: eva.ID, AccountID: b.ID})),
		[]string{"P6", "P3", "P0"})
	_, err := db.FindNotifications(ctx, liaison.NotificationFilter{UserID: eva.ID, Cursor: "garbage"})
	wantCode(t, err, liaison.EBADREQUEST)
}

func testNotificationManyFollows(t *testing.T, db *sqlstore.DB) {
	eva := mkUser(t, db, "Eva Ek")
	var accs []*liaison.Organisation
	for i := range 105 { // more than the merge reads: the join reads them
		acc := mkUnit(t, db, fmt.Sprintf("Account %03d", i), nil, account)
		_, _, err := db.Follow(ctx, eva.ID, acc.ID)
		ok(t, err)
		accs = append(accs, acc)
	}
	mkPerson(t, db, "First", accs[3])
	mkPerson(t, db, "Second", accs[104])
	page := feed(t, db, liaison.NotificationFilter{UserID: eva.ID, CountUnread: true, Limit: 1})
	sameStrings(t, "many follows", summaries(page), []string{"Second"})
	if page.Unread != 2 || page.NextCursor == "" {
		t.Fatalf("unread %d, next %q", page.Unread, page.NextCursor)
	}
	sameStrings(t, "page 2", summaries(feed(t, db, liaison.NotificationFilter{UserID: eva.ID, Limit: 1, Cursor: page.NextCursor})),
		[]string{"First"})
}

func testDigestSettings(t *testing.T, db *sqlstore.DB) {
	eva := mkUser(t, db, "Eva Ek")
	s, err := db.NotificationSettings(ctx, eva.ID)
	ok(t, err)
	if s.Digest != liaison.DigestOff || !s.DigestThrough.IsZero() {
		t.Fatalf("defaults = %+v", s)
	}
	s, err = db.SaveDigest(ctx, eva.ID, liaison.DigestDaily)
	ok(t, err)
	if s.Digest != liaison.DigestDaily || s.DigestThrough.IsZero() {
		t.Fatalf("saved = %+v: turning the digest on starts it now", s)
	}
	users, err := db.DigestUsers(ctx)
	ok(t, err)
	if len(users) != 1 || users[0].UserID != eva.ID {
		t.Fatalf("digest users = %+v", users)
	}
	through := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	ok(t, db.MarkDigestSent(ctx, eva.ID, through, "2026-05-01"))
	s, err = db.NotificationSettings(ctx, eva.ID)
	ok(t, err)
	if !s.DigestThrough.Equal(through) || s.DigestSentOn != "2026-05-01" || s.Digest != liaison.DigestDaily {
		t.Fatalf("after a digest = %+v", s)
	}
	_, err = db.SaveDigest(ctx, eva.ID, liaison.DigestOff)
	ok(t, err)
	users, err = db.DigestUsers(ctx)
	ok(t, err)
	if len(users) != 0 {
		t.Fatalf("digest users after off = %d", len(users))
	}
}
