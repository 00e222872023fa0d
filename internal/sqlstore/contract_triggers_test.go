package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Trigger/CreateOpensTheTask":           testTriggerOpensTask,
		"Trigger/TaskAndTriggerCommitTogether": testTriggerAtomic,
		"Trigger/ExternalRefFindsTheFirst":     testTriggerExternalRef,
		"Trigger/TaskOwnerFallback":            testTriggerOwnerFallback,
		"Trigger/References":                   testTriggerReferences,
		"Trigger/FiltersAndStatus":             testTriggerFilters,
		"Trigger/UpdateTrashRestore":           testTriggerUpdateTrash,
	} {
		contract[name] = fn
	}
}

// triggerFixture is an account (with a department below it) managed by
// mona and deputised by dag, and a staff member who logs triggers.
type triggerFixture struct {
	agreementFixture
	mona, dag, staff *liaison.User
	ctx              context.Context
}

func mkTriggerFixture(t *testing.T, db *sqlstore.DB) triggerFixture {
	t.Helper()
	f := triggerFixture{agreementFixture: mkAgreementFixture(t, db)}
	f.mona, f.dag, f.staff = mkUser(t, db, "Mona Manager"), mkUser(t, db, "Dag Deputy"), mkUser(t, db, "Stina Staff")
	f.acct.RelationshipManagerID, f.acct.DeputyID = &f.mona.ID, &f.dag.ID
	ok(t, db.UpdateOrganisation(ctx, f.acct, f.acct.Version))
	f.ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.staff, Scope: liaison.ScopeWrite})
	return f
}

func (f triggerFixture) trigger(mods ...func(*liaison.Trigger)) *liaison.Trigger {
	tr := &liaison.Trigger{OrganisationID: f.unit.ID, Kind: liaison.TriggerServiceChange, Title: "New pupil e-mail platform",
		Description: "The schools move to the new platform in August."}
	for _, m := range mods {
		m(tr)
	}
	return tr
}

func triggerTasks(t *testing.T, db *sqlstore.DB, triggerID string) []*liaison.Action {
	t.Helper()
	tasks, _, err := db.FindActions(ctx, liaison.ActionFilter{TriggerID: triggerID})
	ok(t, err)
	return tasks
}

func countActions(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	all, _, err := db.FindActions(ctx, liaison.ActionFilter{Limit: 500})
	ok(t, err)
	return len(all)
}

func testTriggerOpensTask(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	tr := f.trigger(func(tr *liaison.Trigger) { tr.ServiceID = &f.mail.ID })
	created, err := db.CreateTrigger(f.ctx, tr)
	ok(t, err)
	// The clock starts on Saturday 14 March 2026: five working days is Friday 20 March.
	if !created || tr.ID == "" || tr.Version != 1 || tr.AccountID != f.acct.ID || tr.AccountName != "Lunds kommun" ||
		tr.OrganisationName != "Skolförvaltningen" || tr.Source != liaison.TriggerManual || tr.ServiceName != "Mail" ||
		tr.ReportedByID == nil || *tr.ReportedByID != f.staff.ID || tr.ReportedByName != "Stina Staff" ||
		tr.OccurredOn != "2026-03-14" || tr.Status != liaison.ActionOpen || tr.OwnerID != f.mona.ID || tr.OwnerName != "Mona Manager" ||
		tr.AssignedTo != liaison.AssignedManager || tr.DueDate == nil || *tr.DueDate != "2026-03-20" || tr.ActionID == "" {
		t.Fatalf("created = %+v", tr)
	}
	got, err := db.FindTriggerByID(ctx, tr.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, tr); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	tasks := triggerTasks(t, db, tr.ID)
	if len(tasks) != 1 {
		t.Fatalf("%d tasks, want 1", len(tasks))
	}
	task := tasks[0]
	if task.ID != tr.ActionID || task.Title != tr.Title || task.Description != tr.Description || task.OwnerID != f.mona.ID ||
		task.OrganisationID == nil || *task.OrganisationID != f.acct.ID || task.TriggerID == nil || *task.TriggerID != tr.ID ||
		task.DueDate == nil || *task.DueDate != "2026-03-20" || task.Status != liaison.ActionOpen {
		t.Fatalf("task = %+v", task)
	}
	// The deputy finds the task among the actions of the accounts they deputise; the manager does not (it is hers).
	dep, _, err := db.FindActions(ctx, liaison.ActionFilter{DeputyID: f.dag.ID, Status: liaison.ActionOpen})
	ok(t, err)
	sameStrings(t, "deputised", ids(dep, func(a *liaison.Action) string { return a.ID }), []string{task.ID})
	mine, _, err := db.FindActions(ctx, liaison.ActionFilter{DeputyID: f.mona.ID})
	ok(t, err)
	sameStrings(t, "not deputised", ids(mine, func(a *liaison.Action) string { return a.ID }), []string{})
	// Both are audited on the account's timeline.
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID, Subtree: true})
	ok(t, err)
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.SubjectType+"/"+e.Action] = true
	}
	if !seen["trigger/"+liaison.ActionCreate] || !seen["action/"+liaison.ActionCreate] {
		t.Fatalf("the account's timeline lacks the trigger or its task: %v", seen)
	}
	a := auditOf(t, db, "trigger", tr.ID)
	if len(a) != 1 || a[0].OrganisationID != f.unit.ID || a[0].ActorName != "Stina Staff" {
		t.Fatalf("audit = %+v", a)
	}
	// A complaint is due in two working days, a survey in ten.
	c := f.trigger(func(tr *liaison.Trigger) { tr.Kind, tr.OrganisationID = liaison.TriggerComplaint, f.acct.ID })
	_, err = db.CreateTrigger(f.ctx, c)
	ok(t, err)
	if *c.DueDate != "2026-03-17" || c.AccountID != f.acct.ID || c.OrganisationName != "Lunds kommun" {
		t.Fatalf("complaint trigger = %+v", c)
	}
	s := f.trigger(func(tr *liaison.Trigger) { tr.Kind, tr.OccurredOn = liaison.TriggerSurveyDue, "2026-03-01" })
	_, err = db.CreateTrigger(f.ctx, s)
	ok(t, err)
	if *s.DueDate != "2026-03-27" || s.OccurredOn != "2026-03-01" {
		t.Fatalf("survey trigger = %+v", s)
	}
}

func testTriggerAtomic(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	before := countActions(t, db)
	// The request's Idempotency-Key was taken meanwhile: the trigger's
	// audit row fails after its task was written, and neither stays.
	ok(t, db.SaveIdempotent(ctx, &liaison.IdempotentResponse{UserID: f.staff.ID, Key: "k-1", RequestHash: []byte("other"), Status: 201}))
	claimed := liaison.WithIdempotencyClaim(f.ctx, &liaison.IdempotencyClaim{UserID: f.staff.ID, Key: "k-1",
		RequestHash: []byte("mine"), LocationPrefix: "/api/v1/triggers/"})
	_, err := db.CreateTrigger(claimed, f.trigger())
	wantCode(t, err, liaison.ECONFLICT)
	if n := countActions(t, db); n != before {
		t.Fatalf("%d actions after a failed trigger, want %d", n, before)
	}
	list, _, err := db.FindTriggers(ctx, liaison.TriggerFilter{})
	ok(t, err)
	if len(list) != 0 {
		t.Fatalf("triggers = %+v", list)
	}
	// One create writes one claim: the trigger's, naming the trigger, not its task.
	fresh := &liaison.IdempotencyClaim{UserID: f.staff.ID, Key: "k-2", RequestHash: []byte("mine"), LocationPrefix: "/api/v1/triggers/"}
	tr := f.trigger()
	_, err = db.CreateTrigger(liaison.WithIdempotencyClaim(f.ctx, fresh), tr)
	ok(t, err)
	r, err := db.FindIdempotent(ctx, f.staff.ID, "k-2")
	ok(t, err)
	if r.Location != "/api/v1/triggers/"+tr.ID {
		t.Fatalf("claimed location %q, want the trigger's", r.Location)
	}
	if n := countActions(t, db); n != before+1 {
		t.Fatalf("%d actions, want %d", n, before+1)
	}
}

func testTriggerExternalRef(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	api := func(title string) *liaison.Trigger {
		return f.trigger(func(tr *liaison.Trigger) {
			tr.Source, tr.ExternalRef, tr.Title, tr.Kind = liaison.TriggerAPI, liaison.Ptr("CHG0042"), title, liaison.TriggerProcessActivity
		})
	}
	first := api("Change CHG0042: mail migration")
	created, err := db.CreateTrigger(f.ctx, first)
	ok(t, err)
	if !created || first.Source != liaison.TriggerAPI || first.ExternalRef == nil || *first.ExternalRef != "CHG0042" {
		t.Fatalf("first = %+v", first)
	}
	again := api("Change CHG0042: mail migration (re-sent)")
	created, err = db.CreateTrigger(f.ctx, again)
	ok(t, err)
	if created || again.ID != first.ID || again.Title != first.Title || again.Version != first.Version {
		t.Fatalf("again = %+v, want the first", again)
	}
	if n := len(triggerTasks(t, db, first.ID)); n != 1 {
		t.Fatalf("%d tasks, want 1", n)
	}
	all, _, err := db.FindTriggers(ctx, liaison.TriggerFilter{})
	ok(t, err)
	if len(all) != 1 {
		t.Fatalf("%d triggers, want 1", len(all))
	}
	// Another ref is another trigger; no ref never dedupes.
	other := api("Change CHG0043")
	other.ExternalRef = liaison.Ptr("CHG0043")
	created, err = db.CreateTrigger(f.ctx, other)
	ok(t, err)
	if !created || other.ID == first.ID {
		t.Fatalf("other = %+v", other)
	}
	for range 2 {
		created, err = db.CreateTrigger(f.ctx, f.trigger())
		ok(t, err)
		if !created {
			t.Fatal("a trigger without external_ref was taken for another")
		}
	}
	// Editing may not take another trigger's ref.
	o := *other
	o.ExternalRef = liaison.Ptr("CHG0042")
	wantCode(t, db.UpdateTrigger(f.ctx, &o, other.Version), liaison.ECONFLICT)
	// A trashed trigger's ref answers a conflict, naming it.
	ok(t, db.DeleteTrigger(f.ctx, first.ID, first.Version))
	_, err = db.CreateTrigger(f.ctx, api("Change CHG0042 once more"))
	if e := wantCode(t, err, liaison.ECONFLICT); e.Key != "trigger.error.ref_trashed" {
		t.Fatalf("error = %+v", e)
	}
}

func testTriggerOwnerFallback(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	owner := func(acct *liaison.Organisation) (string, liaison.TriggerAssignment) {
		t.Helper()
		tr := f.trigger(func(tr *liaison.Trigger) { tr.OrganisationID = acct.ID })
		_, err := db.CreateTrigger(f.ctx, tr)
		ok(t, err)
		if tasks := triggerTasks(t, db, tr.ID); len(tasks) != 1 || tasks[0].OwnerID != tr.OwnerID {
			t.Fatalf("task = %+v, trigger owner %s", tasks, tr.OwnerID)
		}
		return tr.OwnerID, tr.AssignedTo
	}
	if id, a := owner(f.acct); id != f.mona.ID || a != liaison.AssignedManager {
		t.Fatalf("with a manager: %s %s", id, a)
	}
	// A deactivated manager: the deputy.
	mona, err := db.FindUserByID(ctx, f.mona.ID)
	ok(t, err)
	mona.Active = false
	ok(t, db.UpdateUser(ctx, mona, mona.Version))
	if id, a := owner(f.acct); id != f.dag.ID || a != liaison.AssignedDeputy {
		t.Fatalf("manager away: %s %s", id, a)
	}
	// Neither, and no head: the reporter; with a head, the head.
	bare := mkUnit(t, db, "Malmö stad", nil, account)
	if id, a := owner(bare); id != f.staff.ID || a != liaison.AssignedReporter {
		t.Fatalf("no one: %s %s", id, a)
	}
	head := mkUser(t, db, "Helena Head")
	head.Role = liaison.RoleHead
	ok(t, db.UpdateUser(ctx, head, head.Version))
	if id, a := owner(bare); id != head.ID || a != liaison.AssignedHead {
		t.Fatalf("no manager or deputy: %s %s", id, a)
	}
}

func testTriggerReferences(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	before := countActions(t, db)
	_, err := db.CreateTrigger(f.ctx, f.trigger(func(tr *liaison.Trigger) { tr.OrganisationID = "nope" }))
	wantField(t, err, "organisation_id", liaison.CodeUnknown)
	_, err = db.CreateTrigger(f.ctx, f.trigger(func(tr *liaison.Trigger) { tr.ServiceID = liaison.Ptr("nope") }))
	wantField(t, err, "service_id", liaison.CodeUnknown)
	loose := mkUnit(t, db, "Föreningen utan konto", nil)
	_, err = db.CreateTrigger(f.ctx, f.trigger(func(tr *liaison.Trigger) { tr.OrganisationID = loose.ID }))
	wantField(t, err, "organisation_id", liaison.CodeInvalid)
	_, err = db.CreateTrigger(f.ctx, f.trigger(func(tr *liaison.Trigger) { tr.Kind = "rumour" }))
	wantField(t, err, "kind", liaison.CodeInvalid)
	if n := countActions(t, db); n != before {
		t.Fatalf("%d actions after refused triggers, want %d", n, before)
	}
}

func testTriggerFilters(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	other := mkUnit(t, db, "Malmö stad", nil, account)
	mk := func(org *liaison.Organisation, kind liaison.TriggerKind, title, on string) *liaison.Trigger {
		tr := f.trigger(func(tr *liaison.Trigger) {
			tr.OrganisationID, tr.Kind, tr.Title, tr.OccurredOn = org.ID, kind, title, on
		})
		_, err := db.CreateTrigger(f.ctx, tr)
		ok(t, err)
		return tr
	}
	a := mk(f.acct, liaison.TriggerStrategicInitiative, "Digital strategy 2027", "2026-02-01")
	b := mk(f.unit, liaison.TriggerComplaint, "Slow Wi-Fi in the schools", "2026-03-01")
	c := mk(other, liaison.TriggerAgreementDue, "Avtalet löper ut", "2026-01-15")
	d := mk(f.unit, liaison.TriggerCustomerMeeting, "Möte med förvaltningschefen", "2026-03-10")
	list := func(fl liaison.TriggerFilter) []string {
		t.Helper()
		items, _, err := db.FindTriggers(ctx, fl)
		ok(t, err)
		return ids(items, func(tr *liaison.Trigger) string { return tr.Title })
	}
	sameStrings(t, "newest first", list(liaison.TriggerFilter{}), []string{d.Title, b.Title, a.Title, c.Title})
	sameStrings(t, "oldest first", list(liaison.TriggerFilter{Sort: "occurred_on"}), []string{c.Title, a.Title, b.Title, d.Title})
	sameStrings(t, "the account and below", list(liaison.TriggerFilter{OrganisationID: f.acct.ID}), []string{d.Title, b.Title, a.Title})
	sameStrings(t, "the department", list(liaison.TriggerFilter{OrganisationID: f.unit.ID}), []string{d.Title, b.Title})
	sameStrings(t, "kind", list(liaison.TriggerFilter{Kind: liaison.TriggerComplaint}), []string{b.Title})
	sameStrings(t, "q, diacritics folded", list(liaison.TriggerFilter{Q: "malmo"}), []string{c.Title})
	sameStrings(t, "q on the title", list(liaison.TriggerFilter{Q: "wi-fi"}), []string{b.Title})
	// The task done: the trigger is done.
	task, err := db.FindActionByID(ctx, b.ActionID)
	ok(t, err)
	task.Status = liaison.ActionDone
	ok(t, db.UpdateAction(f.ctx, task, task.Version))
	got, err := db.FindTriggerByID(ctx, b.ID)
	ok(t, err)
	if got.Status != liaison.ActionDone {
		t.Fatalf("status = %s, want done", got.Status)
	}
	sameStrings(t, "done", list(liaison.TriggerFilter{Status: liaison.ActionDone}), []string{b.Title})
	sameStrings(t, "open", list(liaison.TriggerFilter{Status: liaison.ActionOpen}), []string{d.Title, a.Title, c.Title})
	sameStrings(t, "reported by", list(liaison.TriggerFilter{ReportedByID: f.mona.ID}), []string{})
	// Pages follow the order.
	var seen []string
	fl := liaison.TriggerFilter{Limit: 3}
	for {
		items, next, err := db.FindTriggers(ctx, fl)
		ok(t, err)
		seen = append(seen, ids(items, func(tr *liaison.Trigger) string { return tr.Title })...)
		if next == "" {
			break
		}
		fl.Cursor = next
	}
	sameStrings(t, "pages", seen, []string{d.Title, b.Title, a.Title, c.Title})
	_, _, err = db.FindTriggers(ctx, liaison.TriggerFilter{Sort: "kind"})
	wantCode(t, err, liaison.EBADREQUEST)
}

func testTriggerUpdateTrash(t *testing.T, db *sqlstore.DB) {
	f := mkTriggerFixture(t, db)
	tr := f.trigger()
	_, err := db.CreateTrigger(f.ctx, tr)
	ok(t, err)
	u := *tr
	u.Title, u.Description, u.Kind = "New e-mail platform for pupils", "Moved to September.", liaison.TriggerChangeProposal
	ok(t, db.UpdateTrigger(f.ctx, &u, 1))
	if u.Version != 2 || u.Title != "New e-mail platform for pupils" || u.OccurredOn != tr.OccurredOn || u.ActionID != tr.ActionID ||
		u.ReportedByID == nil || *u.ReportedByID != f.staff.ID {
		t.Fatalf("updated = %+v", u)
	}
	task, err := db.FindActionByID(ctx, tr.ActionID)
	ok(t, err)
	if task.Title != u.Title {
		t.Fatalf("the task kept its title %q", task.Title)
	}
	// A task retitled by its owner keeps her title.
	task.Title = "Call Karin about the platform"
	ok(t, db.UpdateAction(f.ctx, task, task.Version))
	u2 := u
	u2.Title = "Pupil e-mail platform"
	ok(t, db.UpdateTrigger(f.ctx, &u2, 2))
	task, err = db.FindActionByID(ctx, tr.ActionID)
	ok(t, err)
	if task.Title != "Call Karin about the platform" {
		t.Fatalf("the owner's title was overwritten: %q", task.Title)
	}
	wantCode(t, db.UpdateTrigger(f.ctx, &u2, 2), liaison.ESTALE)
	moved := u2
	moved.OrganisationID = f.acct.ID
	wantField(t, db.UpdateTrigger(f.ctx, &moved, 3), "organisation_id", liaison.CodeInvalid)

	wantCode(t, db.DeleteTrigger(f.ctx, tr.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteTrigger(f.ctx, tr.ID, 3))
	_, err = db.FindTriggerByID(ctx, tr.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	_, err = db.FindActionByID(ctx, tr.ActionID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindTriggers(ctx, liaison.TriggerFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 || trash[0].ID != tr.ID {
		t.Fatalf("trash = %+v", trash)
	}
	back, err := db.RestoreTrigger(f.ctx, tr.ID)
	ok(t, err)
	if back.DeletedAt != nil || back.Version != 5 || back.Status != liaison.ActionOpen {
		t.Fatalf("restored = %+v", back)
	}
	if _, err := db.FindActionByID(ctx, tr.ActionID); err != nil {
		t.Fatalf("the task stayed in the trash: %v", err)
	}
	var actions []string
	for _, e := range auditOf(t, db, "trigger", tr.ID) {
		actions = append(actions, e.Action)
	}
	sameStrings(t, "trail", actions, []string{liaison.ActionRestore, liaison.ActionDelete, liaison.ActionUpdate, liaison.ActionUpdate, liaison.ActionCreate})
}
