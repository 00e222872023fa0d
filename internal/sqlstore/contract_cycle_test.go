package sqlstore_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Cycle/CreateFindUpdateTrash":     testCycleCRUD,
		"Cycle/RefsChecked":               testCycleRefs,
		"Cycle/GenerateIdempotent":        testCycleGenerate,
		"Cycle/EditRegeneratesFuture":     testCycleEdit,
		"Cycle/SegmentScope":              testCycleSegment,
		"Calendar/FeedLifecycle":          testCalendarFeed,
		"Calendar/MeetingsAndTasks":       testCalendarItems,
		"Calendar/MailAttachmentsClaimed": testMailAttachments,
	} {
		contract[name] = fn
	}
}

var cycleFrom, cycleTo = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), time.Date(2027, 12, 2, 0, 0, 0, 0, time.UTC)

func countRows(t *testing.T, db *sqlstore.DB, q string, args ...any) int {
	t.Helper()
	n, err := sqlstore.QueryIntForTest(ctx, db, q, args...)
	ok(t, err)
	return n
}

func testCycleCRUD(t *testing.T, db *sqlstore.DB) {
	mgr := mkUser(t, db, "Maria Manager")
	a1 := mkUnit(t, db, "Account One", nil, account)
	a := &liaison.CycleActivity{Title: "  Agreement review ", Kind: liaison.CycleAgreementReview, Recurrence: liaison.RecurYearly,
		Month: 3, Day: 15, Scope: liaison.ScopeAccounts, OrganisationIDs: []string{a1.ID, a1.ID}, OwnerID: &mgr.ID}
	ok(t, db.CreateCycleActivity(ctx, a))
	if a.ID == "" || a.Version != 1 || a.Title != "Agreement review" || len(a.OrganisationIDs) != 1 || a.OwnerName != "Maria Manager" {
		t.Fatalf("created = %+v", a)
	}
	got, err := db.FindCycleActivityByID(ctx, a.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, a); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Recurrence, u.Month, u.Day, u.Scope = liaison.RecurQuarterly, 2, 10, liaison.ScopeAllAccounts
	ok(t, db.UpdateCycleActivity(ctx, &u, 1, cycleFrom))
	got, err = db.FindCycleActivityByID(ctx, a.ID)
	ok(t, err)
	if got.Version != 2 || got.Recurrence != liaison.RecurQuarterly || len(got.OrganisationIDs) != 0 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateCycleActivity(ctx, &u, 1, cycleFrom), liaison.ESTALE)
	list, _, err := db.FindCycleActivities(ctx, liaison.CycleActivityFilter{Q: "agreement"})
	ok(t, err)
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("search found %v", ids(list, func(a *liaison.CycleActivity) string { return a.Title }))
	}
	ok(t, db.DeleteCycleActivity(ctx, a.ID, 2, cycleFrom))
	wantCode(t, func() error { _, err := db.FindCycleActivityByID(ctx, a.ID); return err }(), liaison.ENOTFOUND)
	trash, _, err := db.FindCycleActivities(ctx, liaison.CycleActivityFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 {
		t.Fatalf("trash holds %d", len(trash))
	}
	r, err := db.RestoreCycleActivity(ctx, a.ID)
	ok(t, err)
	if r.DeletedAt != nil || r.Version != 4 {
		t.Fatalf("restored = %+v", r)
	}
	hist, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "cycle_activity", SubjectID: a.ID})
	ok(t, err)
	if len(hist) != 4 {
		t.Fatalf("history has %d entries, want create, update, delete, restore", len(hist))
	}
}

func testCycleRefs(t *testing.T, db *sqlstore.DB) {
	top := mkUnit(t, db, "Group", nil)
	unit := mkUnit(t, db, "Not an account", top)
	off := &liaison.User{Name: "Off", Email: "off@example.com", Role: liaison.RoleManager, Active: false}
	ok(t, db.CreateUser(ctx, off))
	a := &liaison.CycleActivity{Title: "Survey", Recurrence: liaison.RecurYearly, Month: 5, Scope: liaison.ScopeAccounts,
		OrganisationIDs: []string{unit.ID, "nope"}, OwnerID: &off.ID}
	err := db.CreateCycleActivity(ctx, a)
	wantField(t, err, "organisation_ids[0]", liaison.CodeInvalid)
	wantField(t, err, "organisation_ids[1]", "unknown")
	wantField(t, err, "owner_id", liaison.CodeInvalid)
	s := &liaison.CycleActivity{Title: "Survey", Recurrence: liaison.RecurYearly, Month: 5, Scope: liaison.ScopeSegment, SegmentID: liaison.Ptr("nope")}
	wantField(t, db.CreateCycleActivity(ctx, s), "segment_id", "unknown")
}

func testCycleGenerate(t *testing.T, db *sqlstore.DB) {
	mgr := mkUser(t, db, "Rita Manager")
	a1 := mkUnit(t, db, "Alpha", nil, account, func(o *liaison.Organisation) { o.RelationshipManagerID = &mgr.ID })
	a2 := mkUnit(t, db, "Beta", nil, account)
	mkUnit(t, db, "Sub unit", a1) // not an account: no task
	yearly := &liaison.CycleActivity{Title: "Budget meeting", Kind: liaison.CycleBudgetMeeting, Recurrence: liaison.RecurYearly, Month: 9}
	ok(t, db.CreateCycleActivity(ctx, yearly))
	quarterly := &liaison.CycleActivity{Title: "Cost follow-up", Kind: liaison.CycleCostFollowUp, Recurrence: liaison.RecurQuarterly,
		Month: 1, Day: 20}
	ok(t, db.CreateCycleActivity(ctx, quarterly))

	n, err := db.GenerateCycleTasks(ctx, "", cycleFrom, cycleTo)
	ok(t, err)
	// Two accounts: one budget meeting each (2027-09-01) and four
	// follow-ups each (2027-01-20, 04-20, 07-20, 10-20).
	if n != 10 {
		t.Fatalf("generated %d, want 10", n)
	}
	count := func() int {
		return countRows(t, db, `SELECT COUNT(*) FROM actions WHERE cycle_activity_id IS NOT NULL`)
	}
	if c := count(); c != 10 {
		t.Fatalf("%d tasks stored, want 10", c)
	}
	n, err = db.GenerateCycleTasks(ctx, "", cycleFrom, cycleTo)
	ok(t, err)
	if n != 0 || count() != 10 {
		t.Fatalf("generating again created %d (now %d): it must never duplicate", n, count())
	}
	n, err = db.GenerateCycleTasks(ctx, yearly.ID, cycleFrom, cycleTo)
	ok(t, err)
	if n != 0 || count() != 10 {
		t.Fatalf("generating one activity again created %d", n)
	}
	tasks, err := db.FindCycleTasks(ctx, liaison.CycleTaskFilter{OrganisationID: a1.ID})
	ok(t, err)
	if len(tasks) != 5 || tasks[0].DueDate != "2027-01-20" || tasks[4].DueDate != "2027-10-20" {
		t.Fatalf("Alpha's tasks = %+v", tasks)
	}
	for _, task := range tasks {
		if task.OwnerID == nil || *task.OwnerID != mgr.ID || task.Status != "open" || task.OrganisationName != "Alpha" {
			t.Fatalf("task %+v: want open, owned by Alpha's relationship manager", task)
		}
	}
	beta, err := db.FindCycleTasks(ctx, liaison.CycleTaskFilter{OrganisationID: a2.ID, ActivityID: yearly.ID})
	ok(t, err)
	if len(beta) != 1 || beta[0].OwnerID != nil || beta[0].DueDate != "2027-09-01" {
		t.Fatalf("Beta's budget meeting = %+v (no manager: no owner)", beta)
	}
	// The horizon moving on a day adds nothing until a new date enters it.
	n, err = db.GenerateCycleTasks(ctx, "", cycleFrom.AddDate(0, 0, 1), cycleTo.AddDate(0, 0, 1))
	ok(t, err)
	if n != 0 {
		t.Fatalf("a day later generated %d", n)
	}
	hist, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: a1.ID})
	ok(t, err)
	tasksAudited := 0
	for _, h := range hist {
		if h.SubjectType == "cycle_task" {
			tasksAudited++
		}
	}
	if tasksAudited != 5 {
		t.Fatalf("Alpha's timeline has %d task entries, want 5", tasksAudited)
	}
}

func testCycleEdit(t *testing.T, db *sqlstore.DB) {
	a1 := mkUnit(t, db, "Alpha", nil, account)
	q := &liaison.CycleActivity{Title: "Cost follow-up", Recurrence: liaison.RecurQuarterly, Month: 1, Day: 20}
	ok(t, db.CreateCycleActivity(ctx, q))
	_, err := db.GenerateCycleTasks(ctx, q.ID, cycleFrom, cycleTo)
	ok(t, err)
	// One task done, one edited by its owner: both must survive the edit.
	ok(t, sqlstore.ExecForTest(ctx, db, `UPDATE actions SET status = 'done', version = 2 WHERE cycle_activity_id = $1 AND due_date = '2027-01-20'`, q.ID))
	ok(t, sqlstore.ExecForTest(ctx, db, `UPDATE actions SET title = 'Cost follow-up with CFO', version = 2 WHERE cycle_activity_id = $1 AND due_date = '2027-04-20'`, q.ID))
	q.Day = 25
	ok(t, db.UpdateCycleActivity(ctx, q, 1, cycleFrom))
	_, err = db.GenerateCycleTasks(ctx, q.ID, cycleFrom, cycleTo)
	ok(t, err)
	tasks, err := db.FindCycleTasks(ctx, liaison.CycleTaskFilter{OrganisationID: a1.ID})
	ok(t, err)
	var got []string
	for _, task := range tasks {
		got = append(got, task.DueDate+" "+task.Status)
	}
	want := []string{"2027-01-20 done", "2027-01-25 open", "2027-04-20 open", "2027-04-25 open", "2027-07-25 open", "2027-10-25 open"}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Fatalf("after the edit: %v\nwant %v (the done and the edited task stay)", got, want)
	}
	// A title-only change with nothing else does not touch dates; deleting
	// drops the untouched open ones but keeps the done and edited ones.
	ok(t, db.DeleteCycleActivity(ctx, q.ID, 2, cycleFrom))
	left := countRows(t, db, `SELECT COUNT(*) FROM actions WHERE cycle_activity_id = $1`, q.ID)
	if left != 2 {
		t.Fatalf("%d tasks left after delete, want the done and the edited one", left)
	}
	_, err = db.RestoreCycleActivity(ctx, q.ID)
	ok(t, err)
	n, err := db.GenerateCycleTasks(ctx, q.ID, cycleFrom, cycleTo)
	ok(t, err)
	if n != 4 {
		t.Fatalf("restore + generate created %d, want 4", n)
	}
}

func testCycleSegment(t *testing.T, db *sqlstore.DB) {
	seg := &liaison.Segment{Name: "Schools"}
	ok(t, db.CreateSegment(ctx, seg))
	in := mkUnit(t, db, "School A", nil, account, func(o *liaison.Organisation) { o.Segment = seg.ID })
	mkUnit(t, db, "Hospital", nil, account)
	a := &liaison.CycleActivity{Title: "Update window", Kind: liaison.CycleCriticalUpdateWindow, Recurrence: liaison.RecurDate,
		OnDate: liaison.Ptr("2027-07-01"), Scope: liaison.ScopeSegment, SegmentID: &seg.ID}
	ok(t, db.CreateCycleActivity(ctx, a))
	if a.SegmentName != "Schools" {
		t.Fatalf("segment name %q", a.SegmentName)
	}
	n, err := db.GenerateCycleTasks(ctx, a.ID, cycleFrom, cycleTo)
	ok(t, err)
	tasks, err := db.FindCycleTasks(ctx, liaison.CycleTaskFilter{ActivityID: a.ID})
	ok(t, err)
	if n != 1 || len(tasks) != 1 || tasks[0].OrganisationID != in.ID || tasks[0].DueDate != "2027-07-01" {
		t.Fatalf("segment scope generated %d: %+v", n, tasks)
	}
}

func testCalendarFeed(t *testing.T, db *sqlstore.DB) {
	u := mkUser(t, db, "Feed Owner")
	f1, err := db.CreateCalendarFeed(ctx, u.ID, []byte("hash-1"))
	ok(t, err)
	got, err := db.FindCalendarFeedByHash(ctx, []byte("hash-1"))
	ok(t, err)
	if got.ID != f1.ID || got.UserID != u.ID {
		t.Fatalf("found %+v", got)
	}
	f2, err := db.CreateCalendarFeed(ctx, u.ID, []byte("hash-2"))
	ok(t, err)
	_, err = db.FindCalendarFeedByHash(ctx, []byte("hash-1"))
	wantCode(t, err, liaison.ENOTFOUND) // renewing revokes the old URL
	live, err := db.FindCalendarFeed(ctx, u.ID)
	ok(t, err)
	if live.ID != f2.ID {
		t.Fatalf("live feed %s, want %s", live.ID, f2.ID)
	}
	ok(t, db.RevokeCalendarFeed(ctx, u.ID))
	_, err = db.FindCalendarFeedByHash(ctx, []byte("hash-2"))
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.RevokeCalendarFeed(ctx, u.ID), liaison.ENOTFOUND)
	_, err = db.FindCalendarFeed(ctx, u.ID)
	wantCode(t, err, liaison.ENOTFOUND)
}

// insertMeeting writes a meeting row as the meetings capability would.
func insertMeeting(t *testing.T, db *sqlstore.DB, id, org, title, status string, organiser *string, starts time.Time) {
	t.Helper()
	now := time.Now()
	ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO meetings (id, organisation_id, type, form, title, organiser_id, starts_at, ends_at,
		location, link, status, agenda, version, created_at, updated_at) VALUES ($1, $2, 'service_review', 'video', $3, $4, $5, $6,
		'Room 1', 'https://meet.example/x', $7, 'Changes in business needs', 1, $8, $8)`,
		id, org, title, organiser, starts, starts.Add(90*time.Minute), status, now))
}

func testCalendarItems(t *testing.T, db *sqlstore.DB) {
	u, other := mkUser(t, db, "Ulla User"), mkUser(t, db, "Otto Other")
	acct := mkUnit(t, db, "Gamma", nil, account)
	p := mkPerson(t, db, "Petra Customer", acct, func(p *liaison.Person) { p.Email, p.Language = "petra@example.fi", "fi" })
	at, _ := time.Parse(time.RFC3339, "2026-12-10T10:00:00+01:00")
	insertMeeting(t, db, "m-organised", acct.ID, "Service review", "planned", &u.ID, at)
	insertMeeting(t, db, "m-participant", acct.ID, "Budget talk", "held", &other.ID, at.Add(24*time.Hour))
	insertMeeting(t, db, "m-cancelled", acct.ID, "Cancelled", "cancelled", &u.ID, at)
	insertMeeting(t, db, "m-foreign", acct.ID, "Not mine", "planned", &other.ID, at)
	ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO meeting_participants (meeting_id, position, user_id) VALUES ('m-participant', 0, $1)`, u.ID))
	ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO meeting_participants (meeting_id, position, person_id) VALUES ('m-organised', 0, $1)`, p.ID))
	ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO meeting_participants (meeting_id, position, user_id) VALUES ('m-organised', 1, $1)`, other.ID))
	ms, err := db.CalendarMeetings(ctx, u.ID, at.Add(-time.Hour))
	ok(t, err)
	if len(ms) != 2 || ms[0].ID != "m-organised" || ms[1].ID != "m-participant" {
		t.Fatalf("meetings = %v", ids(ms, func(m *liaison.CalendarMeeting) string { return m.ID }))
	}
	if !ms[0].StartsAt.Equal(at) || ms[0].StartsAt.Location() != time.UTC || ms[0].StartsAt.Hour() != 9 {
		t.Fatalf("starts_at = %v, want %v in UTC", ms[0].StartsAt, at)
	}
	inv, err := db.MeetingForInvitation(ctx, "m-organised")
	ok(t, err)
	if inv.Organiser == nil || inv.Organiser.Email != u.Email || len(inv.Attendees) != 2 ||
		inv.Attendees[0].Email != "petra@example.fi" || inv.Attendees[0].Language != "fi" || inv.Attendees[1].UserID != other.ID {
		t.Fatalf("invitation read model = %+v", inv)
	}
	_, err = db.MeetingForInvitation(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)

	c := &liaison.CycleActivity{Title: "Budget", Recurrence: liaison.RecurYearly, Month: 9, OwnerID: &u.ID}
	ok(t, db.CreateCycleActivity(ctx, c))
	_, err = db.GenerateCycleTasks(ctx, c.ID, cycleFrom, cycleTo)
	ok(t, err)
	ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO actions (id, title, owner_id, due_date, status, version, created_at, updated_at)
		VALUES ('a-done', 'Done thing', $1, '2027-01-05', 'done', 1, $2, $2)`, u.ID, time.Now()))
	ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO actions (id, title, owner_id, due_date, status, version, created_at, updated_at)
		VALUES ('a-open', 'Send the minutes', $1, '2026-12-20', 'open', 1, $2, $2)`, u.ID, time.Now()))
	ts, err := db.CalendarTasks(ctx, u.ID, cycleFrom)
	ok(t, err)
	if len(ts) != 2 || ts[0].ID != "a-open" || ts[1].DueDate != "2027-09-01" || ts[1].CycleActivityID != c.ID {
		t.Fatalf("tasks = %+v", ts)
	}
}

func testMailAttachments(t *testing.T, db *sqlstore.DB) {
	data := []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\x00\xff")
	m := &liaison.MailMessage{To: "a@example.com", Subject: "Invitation", Text: "hi",
		Attachments: []liaison.MailAttachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST", Data: data},
			{Name: "b.txt", ContentType: "text/plain", Data: []byte("b")}}}
	queued, err := db.EnqueueMail(ctx, m)
	ok(t, err)
	if !queued {
		t.Fatal("not queued")
	}
	now := time.Now()
	claimed, err := db.ClaimMail(ctx, now.Add(time.Second), now.Add(time.Minute), 10)
	ok(t, err)
	if len(claimed) != 1 || len(claimed[0].Attachments) != 2 || claimed[0].Attachments[0].Name != "invite.ics" ||
		!bytes.Equal(claimed[0].Attachments[0].Data, data) || claimed[0].Attachments[1].Name != "b.txt" {
		t.Fatalf("claimed = %+v", claimed)
	}
}
