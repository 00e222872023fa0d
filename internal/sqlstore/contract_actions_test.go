package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Action/CreateFindUpdateTrash":        testActionCRUD,
		"Action/LifecycleAndDoneAt":           testActionLifecycle,
		"Action/References":                   testActionReferences,
		"Action/MeetingGivesTheAccount":       testActionMeeting,
		"Action/FiltersSortPages":             testActionFilters,
		"Action/AuditTrail":                   testActionAudit,
		"Review/OverdueUntilAReviewIsHeld":    testReviewOverdueUntilHeld,
		"Review/SmallestActiveIntervalCounts": testReviewInterval,
	} {
		contract[name] = fn
	}
}

// actionFixture is an account, a plain unit and two users, one acting.
type actionFixture struct {
	agreementFixture
	owner, other *liaison.User
	ctx          context.Context
}

func mkActionFixture(t *testing.T, db *sqlstore.DB) actionFixture {
	t.Helper()
	f := actionFixture{agreementFixture: mkAgreementFixture(t, db)}
	f.owner, f.other = mkUser(t, db, "Otto Owner"), mkUser(t, db, "Petra Peer")
	f.ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.other, Scope: liaison.ScopeWrite})
	return f
}

func (f actionFixture) action(mods ...func(*liaison.Action)) *liaison.Action {
	a := &liaison.Action{Title: "Send the SLA report", Description: "Quarterly figures for Lund", OrganisationID: &f.acct.ID,
		OwnerID: f.owner.ID, DueDate: liaison.Ptr("2026-03-31")}
	for _, m := range mods {
		m(a)
	}
	return a
}

func testActionCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkActionFixture(t, db)
	a := f.action()
	ok(t, db.CreateAction(f.ctx, a))
	if a.ID == "" || a.Version != 1 || a.Status != liaison.ActionOpen || a.OwnerName != "Otto Owner" || a.OrganisationName != "Lunds kommun" ||
		a.CreatedByID == nil || *a.CreatedByID != f.other.ID || a.CreatedByName != "Petra Peer" || a.DoneAt != nil {
		t.Fatalf("created = %+v", a)
	}
	got, err := db.FindActionByID(ctx, a.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, a); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Title, u.OrganisationID, u.DueDate, u.OwnerID = "Send the SLA report for Q1", nil, nil, f.other.ID
	ok(t, db.UpdateAction(f.ctx, &u, 1))
	got, err = db.FindActionByID(ctx, a.ID)
	ok(t, err)
	if got.Version != 2 || got.OrganisationID != nil || got.OrganisationName != "" || got.DueDate != nil || got.OwnerName != "Petra Peer" {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateAction(f.ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteAction(f.ctx, a.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteAction(f.ctx, a.ID, 2))
	_, err = db.FindActionByID(ctx, a.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindActions(ctx, liaison.ActionFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 || trash[0].ID != a.ID {
		t.Fatalf("trash = %v", trash)
	}
	r, err := db.RestoreAction(f.ctx, a.ID)
	ok(t, err)
	if r.Version != 4 || r.DeletedAt != nil {
		t.Fatalf("restored = %+v", r)
	}
	_, err = db.RestoreAction(f.ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
}

func testActionLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkActionFixture(t, db)
	a := f.action()
	ok(t, db.CreateAction(f.ctx, a))
	step := func(to liaison.ActionStatus) error {
		cur, err := db.FindActionByID(ctx, a.ID)
		ok(t, err)
		cur.Status = to
		return db.UpdateAction(f.ctx, cur, cur.Version)
	}
	ok(t, step(liaison.ActionDone))
	got, _ := db.FindActionByID(ctx, a.ID)
	if got.Status != liaison.ActionDone || got.DoneAt == nil {
		t.Fatalf("done = %+v", got)
	}
	wantField(t, step(liaison.ActionCancelled), "status", "transition")
	ok(t, step(liaison.ActionOpen)) // reopen
	got, _ = db.FindActionByID(ctx, a.ID)
	if got.DoneAt != nil {
		t.Fatalf("reopened keeps done_at %v", got.DoneAt)
	}
	ok(t, step(liaison.ActionCancelled))
	wantField(t, step(liaison.ActionDone), "status", "transition")
	ok(t, step(liaison.ActionOpen))
	wantField(t, step("parked"), "status", "invalid")
}

func testActionReferences(t *testing.T, db *sqlstore.DB) {
	f := mkActionFixture(t, db)
	wantField(t, db.CreateAction(f.ctx, f.action(func(a *liaison.Action) { a.OwnerID = "nobody" })), "owner_id", "unknown")
	wantField(t, db.CreateAction(f.ctx, f.action(func(a *liaison.Action) { a.OrganisationID = liaison.Ptr("nowhere") })), "organisation_id", "unknown")
	wantField(t, db.CreateAction(f.ctx, f.action(func(a *liaison.Action) { a.OrganisationID = &f.unit.ID })), "organisation_id", "invalid")
	wantField(t, db.CreateAction(f.ctx, f.action(func(a *liaison.Action) { a.MeetingID = liaison.Ptr("no-meeting") })), "meeting_id", "unknown")
	gone := f.other
	gone.Active = false
	ok(t, db.UpdateUser(ctx, gone, gone.Version))
	wantField(t, db.CreateAction(f.ctx, f.action(func(a *liaison.Action) { a.OwnerID = gone.ID })), "owner_id", "invalid")
	// Without an account the action is the owner's own task.
	a := f.action(func(a *liaison.Action) { a.OrganisationID = nil })
	ok(t, db.CreateAction(f.ctx, a))
	if a.OrganisationName != "" {
		t.Fatalf("account-less action = %+v", a)
	}
}

func testActionMeeting(t *testing.T, db *sqlstore.DB) {
	f := mkActionFixture(t, db)
	other := mkUnit(t, db, "Malmö stad", nil, account)
	at := time.Date(2026, 2, 3, 9, 0, 0, 0, time.UTC)
	mid, err := sqlstore.InsertMeeting(ctx, db, f.acct.ID, "service_review", "held", "Service review Q1", at, false)
	ok(t, err)
	trashed, err := sqlstore.InsertMeeting(ctx, db, f.acct.ID, "planning", "planned", "Old plan", at, true)
	ok(t, err)
	// The meeting's account wins over the one given.
	a := f.action(func(a *liaison.Action) { a.MeetingID, a.OrganisationID = &mid, &other.ID })
	ok(t, db.CreateAction(f.ctx, a))
	if a.OrganisationID == nil || *a.OrganisationID != f.acct.ID || a.MeetingTitle != "Service review Q1" {
		t.Fatalf("meeting action = %+v", a)
	}
	wantField(t, db.CreateAction(f.ctx, f.action(func(a *liaison.Action) { a.MeetingID = &trashed })), "meeting_id", "unknown")
	m, err := db.ActionMeeting(ctx, mid)
	ok(t, err)
	if m.OrganisationID != f.acct.ID || m.Title != "Service review Q1" {
		t.Fatalf("meeting = %+v", m)
	}
	_, err = db.ActionMeeting(ctx, trashed)
	wantField(t, err, "meeting_id", "unknown")
	list, _, err := db.FindActions(ctx, liaison.ActionFilter{MeetingID: mid})
	ok(t, err)
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("meeting's actions = %v", list)
	}
}

func testActionFilters(t *testing.T, db *sqlstore.DB) {
	f := mkActionFixture(t, db)
	mk := func(title, due string, owner *liaison.User, status liaison.ActionStatus) *liaison.Action {
		a := f.action(func(a *liaison.Action) { a.Title, a.OwnerID, a.DueDate = title, owner.ID, liaison.Ptr(due) })
		ok(t, db.CreateAction(f.ctx, a))
		if status != liaison.ActionOpen {
			a.Status = status
			ok(t, db.UpdateAction(f.ctx, a, a.Version))
		}
		return a
	}
	late := mk("Call Karin about the budget", "2026-01-10", f.owner, liaison.ActionOpen)
	soon := mk("Book the review room", "2026-03-01", f.owner, liaison.ActionOpen)
	undated := mk("Read the strategy", "", f.owner, liaison.ActionOpen)
	done := mk("Send minutes", "2026-01-05", f.owner, liaison.ActionDone)
	others := mk("Update the price list", "2026-01-01", f.other, liaison.ActionOpen)
	ids := func(as []*liaison.Action) []string {
		out := []string{}
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    liaison.ActionFilter
		want []*liaison.Action
	}{
		{"mine, open, due first, undated last", liaison.ActionFilter{OwnerID: f.owner.ID, Status: liaison.ActionOpen}, []*liaison.Action{late, soon, undated}},
		{"overdue", liaison.ActionFilter{Overdue: true, Today: "2026-02-01"}, []*liaison.Action{others, late}},
		{"overdue mine", liaison.ActionFilter{Overdue: true, Today: "2026-02-01", OwnerID: f.owner.ID}, []*liaison.Action{late}},
		{"due before", liaison.ActionFilter{DueBefore: "2026-01-06"}, []*liaison.Action{others, done}},
		{"done", liaison.ActionFilter{Status: liaison.ActionDone}, []*liaison.Action{done}},
		{"latest due first", liaison.ActionFilter{OwnerID: f.owner.ID, Sort: "-due_date"}, []*liaison.Action{undated, soon, late, done}},
		{"by title", liaison.ActionFilter{OwnerID: f.owner.ID, Sort: "name"}, []*liaison.Action{soon, late, undated, done}},
		{"search", liaison.ActionFilter{Q: "karin budg"}, []*liaison.Action{late}},
		{"account", liaison.ActionFilter{OrganisationID: f.acct.ID, Status: liaison.ActionOpen, OwnerID: f.other.ID}, []*liaison.Action{others}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := db.FindActions(ctx, tc.f)
			ok(t, err)
			sameStrings(t, "actions", ids(got), ids(tc.want))
		})
	}
	// Pages of two walk the due-date order without skipping or repeating.
	var walked []*liaison.Action
	flt := liaison.ActionFilter{OwnerID: f.owner.ID, Limit: 2}
	for {
		page, next, err := db.FindActions(ctx, flt)
		ok(t, err)
		walked = append(walked, page...)
		if next == "" {
			break
		}
		flt.Cursor = next
	}
	sameStrings(t, "pages", ids(walked), ids([]*liaison.Action{done, late, soon, undated}))
	_, _, err := db.FindActions(ctx, liaison.ActionFilter{Sort: "due"})
	wantCode(t, err, liaison.EBADREQUEST)
	c, err := db.CountActions(ctx, f.owner.ID, "2026-02-01")
	ok(t, err)
	if c.Open != 3 || c.Overdue != 1 {
		t.Fatalf("counts = %+v", c)
	}
}

func testActionAudit(t *testing.T, db *sqlstore.DB) {
	f := mkActionFixture(t, db)
	a := f.action()
	ok(t, db.CreateAction(f.ctx, a))
	a.Status = liaison.ActionDone
	ok(t, db.UpdateAction(f.ctx, a, a.Version))
	es, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "action", SubjectID: a.ID})
	ok(t, err)
	if len(es) != 2 || es[0].Action != liaison.ActionUpdate || es[0].Summary != "Send the SLA report: open → done" || es[0].ActorID != f.other.ID {
		t.Fatalf("audit = %+v", es)
	}
	tl, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID, SubjectType: "action"})
	ok(t, err)
	if len(tl) != 2 {
		t.Fatalf("account timeline holds %d action entries", len(tl))
	}
}

// reviewCustomer makes an agreement customer: an active agreement with the
// interval on the fixture's account.
func reviewCustomer(t *testing.T, db *sqlstore.DB, f agreementFixture, acct *liaison.Organisation, months int) *liaison.Agreement {
	t.Helper()
	return mkAgreement(t, db, f, acct, "Services "+acct.Name, func(a *liaison.Agreement) {
		a.Status, a.SignedByPersonID, a.ServiceReviewMonths = liaison.StatusActive, &f.customer.ID, months
	})
}

// testReviewOverdueUntilHeld is issue 6's requirement: an agreement
// customer with no review in 12 months is in the overdue list; once a
// service review is held it leaves it.
func testReviewOverdueUntilHeld(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	reviewCustomer(t, db, f, f.acct, 0)
	mkUnit(t, db, "Ad hoc kommun", nil, account) // no agreement: not in the cadence
	now := time.Now().UTC()
	state := func() *liaison.ReviewDue {
		t.Helper()
		rs, err := db.ReviewCadence(ctx, liaison.ReviewFilter{})
		ok(t, err)
		if len(rs) != 1 || rs[0].OrganisationID != f.acct.ID || rs[0].IntervalMonths != 12 {
			t.Fatalf("cadence = %+v", rs)
		}
		rs[0].Apply(now)
		return rs[0]
	}
	// A review 13 months ago, a held planning meeting, a cancelled and a
	// trashed review since: none of them counts.
	_, err := sqlstore.InsertMeeting(ctx, db, f.acct.ID, "service_review", "held", "Review", now.AddDate(-1, -1, 0), false)
	ok(t, err)
	_, err = sqlstore.InsertMeeting(ctx, db, f.acct.ID, "planning", "held", "Planning", now.AddDate(0, -1, 0), false)
	ok(t, err)
	_, err = sqlstore.InsertMeeting(ctx, db, f.acct.ID, "service_review", "cancelled", "Cancelled review", now.AddDate(0, -2, 0), false)
	ok(t, err)
	_, err = sqlstore.InsertMeeting(ctx, db, f.acct.ID, "service_review", "held", "Trashed review", now.AddDate(0, -3, 0), true)
	ok(t, err)
	if r := state(); r.State != liaison.ReviewOverdue || r.OverdueDays < 28 {
		t.Fatalf("before the review: %+v", r)
	}
	sqlstoretest.HeldReview(ctx, t, db, f.acct.ID, "Service review 2026", now.AddDate(0, 0, -1))
	err = db.CreateMeeting(ctx, &liaison.Meeting{OrganisationID: f.unit.ID, Type: liaison.MeetingServiceReview, Form: liaison.FormInPerson,
		Title: "Not an account", StartsAt: now, EndsAt: now.Add(time.Hour), Status: liaison.MeetingHeld})
	wantField(t, err, "organisation_id", "invalid")
	if r := state(); r.State != liaison.ReviewOK || r.LastReview == nil || *r.LastReview != liaison.FormatDate(now.AddDate(0, 0, -1)) {
		t.Fatalf("after the review: %+v", r)
	}
}

func testReviewInterval(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	mgr := mkUser(t, db, "Maria Manager")
	other := mkUnit(t, db, "Malmö stad", nil, account, func(o *liaison.Organisation) { o.DeputyID = &mgr.ID })
	reviewCustomer(t, db, f, f.acct, 12)
	reviewCustomer(t, db, f, f.acct, 6)
	mkAgreement(t, db, f, f.acct, "Draft with a short interval", func(a *liaison.Agreement) { a.ServiceReviewMonths = 1 })
	rs, err := db.ReviewCadence(ctx, liaison.ReviewFilter{})
	ok(t, err)
	if len(rs) != 1 || rs[0].IntervalMonths != 6 {
		t.Fatalf("cadence = %+v", rs)
	}
	// Malmö's customer signs its own agreement.
	p := mkPerson(t, db, "Mats Malm", other)
	mkRole(t, db, p, other, liaison.RoleCustomer)
	mkAgreement(t, db, f, other, "Malmö services", func(a *liaison.Agreement) { a.Status, a.SignedByPersonID = liaison.StatusActive, &p.ID })
	mine, err := db.ReviewCadence(ctx, liaison.ReviewFilter{ManagerID: mgr.ID})
	ok(t, err)
	if len(mine) != 1 || mine[0].OrganisationID != other.ID || mine[0].DeputyID == nil {
		t.Fatalf("the deputy's cadence = %+v", mine)
	}
	a := &liaison.Agreement{OrganisationID: f.acct.ID, Title: "Too rare", Type: liaison.AgreementServiceLevel, ServiceReviewMonths: 37}
	wantField(t, db.CreateAgreement(ctx, a), "service_review_months", "invalid")
}
