package app_test

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// calFixture is the app fixture with a raw connection to the same SQLite
// file, for the meeting rows that the meetings capability writes (this
// branch has no store method for them).
type calFixture struct {
	*fixture
	raw *sql.DB
}

func setupCalendar(t *testing.T) *calFixture {
	t.Helper()
	db, raw := sqlstoretest.OpenRaw(t, sqlstoretest.SQLite)
	f := &fixture{a: app.New(db, slog.New(slog.DiscardHandler)), db: db}
	mk := func(name string, role liaison.UserRole, lang liaison.Language) *liaison.User {
		u := &liaison.User{Email: name + "@app.test", Name: name, Role: role, Language: lang}
		must(t, f.a.CreateUserAsSystem(context.Background(), u, "password-"+name))
		return u
	}
	f.admin, f.head, f.mgr = mk("admin", liaison.RoleAdmin, "en"), mk("head", liaison.RoleHead, "en"), mk("mgr", liaison.RoleManager, "sv")
	f.oth, f.staff = mk("oth", liaison.RoleManager, "en"), mk("staff", liaison.RoleStaff, "zh")
	ctx := as(f.admin, liaison.ScopeWrite)
	f.division = &liaison.Organisation{Name: "Division"}
	must(t, f.a.CreateOrganisation(ctx, f.division))
	f.account = &liaison.Organisation{Name: "Gamma Kommun", ParentID: &f.division.ID, BudgetHolder: true, RelationshipManagerID: &f.mgr.ID}
	must(t, f.a.CreateOrganisation(ctx, f.account))
	return &calFixture{fixture: f, raw: raw}
}

// meeting inserts a meeting as the meetings capability stores it: times
// in UTC text of the store's layout.
func (f *calFixture) meeting(t *testing.T, id, status, starts string, organiser *liaison.User, participants ...string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, starts)
	must(t, err)
	ts := func(x time.Time) string { return x.UTC().Format("2006-01-02T15:04:05.000000Z") }
	_, err = f.raw.Exec(`INSERT INTO meetings (id, organisation_id, type, form, title, organiser_id, starts_at, ends_at, location, link,
		status, agenda, version, created_at, updated_at) VALUES (?, ?, 'service_review', 'in_person', ?, ?, ?, ?, 'Town hall', '', ?,
		'Changes in business needs', 2, ?, ?)`, id, f.account.ID, "Service review "+id, organiser.ID, ts(at), ts(at.Add(time.Hour)),
		status, ts(time.Now()), ts(time.Now()))
	must(t, err)
	for i, p := range participants {
		col := "user_id"
		if strings.HasPrefix(p, "person:") {
			col, p = "person_id", strings.TrimPrefix(p, "person:")
		}
		_, err = f.raw.Exec(`INSERT INTO meeting_participants (meeting_id, position, `+col+`) VALUES (?, ?, ?)`, id, i, p)
		must(t, err)
	}
	return at
}

func TestCalendarFeedThroughTheApp(t *testing.T) {
	f := setupCalendar(t)
	f.a.Now = func() time.Time { return time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC) }
	f.meeting(t, "m1", "planned", "2026-12-10T10:00:00+01:00", f.mgr)
	f.meeting(t, "m2", "cancelled", "2026-12-11T10:00:00+01:00", f.mgr)
	f.meeting(t, "m3", "held", "2026-12-12T10:00:00+01:00", f.oth, f.mgr.ID)
	c := &liaison.CycleActivity{Title: "Budget meeting", Kind: liaison.CycleBudgetMeeting, Recurrence: liaison.RecurYearly, Month: 9}
	_, err := f.a.CreateCycleActivity(as(f.head, liaison.ScopeWrite), c)
	must(t, err)

	mgr := as(f.mgr, liaison.ScopeWrite)
	_, err = f.a.CalendarFeed(mgr)
	wantCode(t, "no feed yet", err, liaison.ENOTFOUND)
	_, _, err = f.a.CreateCalendarFeed(as(f.mgr, liaison.ScopeRead))
	wantCode(t, "a read token makes no feed", err, liaison.EFORBIDDEN)
	secret, _, err := f.a.CreateCalendarFeed(mgr)
	must(t, err)
	if !strings.HasPrefix(app.CalendarPath(secret), "/calendar/lcal_") || !strings.HasSuffix(app.CalendarPath(secret), ".ics") {
		t.Fatalf("feed path %q", app.CalendarPath(secret))
	}
	body, err := f.a.CalendarICS(context.Background(), secret, "https://liaison.example")
	must(t, err)
	cal, err := goical.NewDecoder(strings.NewReader(string(body))).Decode()
	must(t, err)
	got := map[string]string{}
	for _, e := range cal.Events() {
		got[e.Props.Get(goical.PropUID).Value] = e.Props.Get(goical.PropDateTimeStart).Value
	}
	want := map[string]string{"meeting-m1@liaison": "20261210T090000Z", "meeting-m3@liaison": "20261212T090000Z"}
	for uid, start := range want {
		if got[uid] != start {
			t.Errorf("%s starts %q, want %q", uid, got[uid], start)
		}
	}
	if _, ok := got["meeting-m2@liaison"]; ok {
		t.Error("the cancelled meeting is in the feed")
	}
	cycleTasks := 0
	for uid, start := range got {
		if strings.HasPrefix(uid, "action-") && start == "20270901" {
			cycleTasks++
		}
	}
	if cycleTasks != 1 {
		t.Errorf("feed holds %d annual-cycle tasks on 2027-09-01, want the manager's one: %v", cycleTasks, got)
	}
	if !strings.Contains(string(body), "X-WR-CALNAME:Liaison – mgr") {
		t.Errorf("feed lacks its name:\n%s", body)
	}

	// Renewing revokes the old secret; revoking ends the feed.
	renewed, _, err := f.a.CreateCalendarFeed(mgr)
	must(t, err)
	_, err = f.a.CalendarICS(context.Background(), secret, "")
	wantCode(t, "the old secret after renewing", err, liaison.ENOTFOUND)
	must(t, f.a.RevokeCalendarFeed(mgr))
	_, err = f.a.CalendarICS(context.Background(), renewed, "")
	wantCode(t, "a revoked secret", err, liaison.ENOTFOUND)
	for _, bad := range []string{"", "nope", "lcal_" + strings.Repeat("x", 300)} {
		_, err = f.a.CalendarICS(context.Background(), bad, "")
		wantCode(t, "secret "+bad, err, liaison.ENOTFOUND)
	}
}

// TestInvitationsReachSMTPWithInviteICS: each participant with an email
// gets an invitation in their language with invite.ics attached, as
// received by a real SMTP server; the attachment parses.
func TestInvitationsReachSMTPWithInviteICS(t *testing.T) {
	f := setupCalendar(t)
	ctx := as(f.head, liaison.ScopeWrite)
	petra := &liaison.Person{Name: "Petra Kund", Email: "petra@example.fi", Language: "fi", OrganisationID: f.account.ID}
	must(t, f.a.CreatePerson(ctx, petra))
	nomail := &liaison.Person{Name: "Paper Person", OrganisationID: f.account.ID}
	must(t, f.a.CreatePerson(ctx, nomail))
	f.meeting(t, "m1", "planned", "2026-12-10T10:00:00+01:00", f.mgr, "person:"+petra.ID, f.staff.ID, "person:"+nomail.ID)
	f.meeting(t, "gone", "cancelled", "2026-12-10T10:00:00+01:00", f.mgr, f.staff.ID)

	_, err := f.a.SendInvitations(as(f.oth, liaison.ScopeWrite), "m1", "https://liaison.example")
	wantCode(t, "another account's manager", err, liaison.EFORBIDDEN)
	_, err = f.a.SendInvitations(as(f.mgr, liaison.ScopeRead), "m1", "https://liaison.example")
	wantCode(t, "a read token", err, liaison.EFORBIDDEN)
	_, err = f.a.SendInvitations(ctx, "gone", "https://liaison.example")
	wantCode(t, "a cancelled meeting", err, liaison.EINVALID)
	_, err = f.a.SendInvitations(ctx, "nope", "https://liaison.example")
	wantCode(t, "no such meeting", err, liaison.ENOTFOUND)

	res, err := f.a.SendInvitations(as(f.mgr, liaison.ScopeWrite), "m1", "https://liaison.example")
	must(t, err)
	if res.Queued != 2 || res.Already != 0 || len(res.NoEmail) != 1 || res.NoEmail[0] != "Paper Person" {
		t.Fatalf("result = %+v", res)
	}
	again, err := f.a.SendInvitations(as(f.staff, liaison.ScopeWrite), "m1", "https://liaison.example")
	must(t, err)
	if again.Queued != 0 || again.Already != 2 {
		t.Fatalf("sending again = %+v: an unchanged meeting is not invited twice", again)
	}

	srv := smtptest.Start(t)
	sender, err := mail.NewSMTP(mail.Config{Addr: srv.Addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone, Timeout: 5 * time.Second})
	must(t, err)
	must(t, (&mail.Deliverer{Store: f.db, Sender: sender, Log: slog.New(slog.DiscardHandler)}).Run(context.Background()))
	msgs := srv.WaitFor(2, 5*time.Second)
	byTo := map[string]smtptest.Message{}
	for _, m := range msgs {
		byTo[m.To[0]] = m
	}
	fi, zh := byTo["petra@example.fi"], byTo["staff@app.test"]
	if !strings.HasPrefix(fi.Subject(), "Kutsu: ") || !strings.HasPrefix(zh.Subject(), "邀请：") {
		t.Errorf("subjects %q and %q: each in the recipient's language", fi.Subject(), zh.Subject())
	}
	for to, m := range byTo {
		if !strings.Contains(string(m.Data), `filename="invite.ics"`) {
			t.Errorf("%s: no invite.ics attachment", to)
		}
		ics, err := m.Part("text/calendar")
		if err != nil {
			t.Fatalf("%s: %v", to, err)
		}
		cal, err := goical.NewDecoder(strings.NewReader(ics)).Decode()
		if err != nil {
			t.Fatalf("%s: the attachment does not parse: %v\n%s", to, err, ics)
		}
		e := cal.Events()[0]
		if cal.Props.Get(goical.PropMethod).Value != "REQUEST" || e.Props.Get(goical.PropDateTimeStart).Value != "20261210T090000Z" ||
			e.Props.Get(goical.PropSequence).Value != "1" || len(e.Props.Values(goical.PropAttendee)) != 2 ||
			e.Props.Get(goical.PropOrganizer).Value != "mailto:mgr@app.test" {
			t.Errorf("%s: invitation\n%s", to, ics)
		}
	}
}
