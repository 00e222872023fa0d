package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Complaint/CreateDerivesAccountAndResponsible": testComplaintDerive,
		"Complaint/LifecycleRecorded":                  testComplaintLifecycle,
		"Complaint/RecurrenceEscalatesOncePerCluster":  testComplaintRecurrence,
		"Complaint/CategoryCluster":                    testComplaintCategoryCluster,
		"Complaint/CommunicationsAndBeyondLevel":       testComplaintCommunications,
		"Complaint/FiltersTrashStats":                  testComplaintFilters,
		"Escalation/DecideClose":                       testEscalationDecide,
		"Complaint/Supplier":                           testComplaintSupplier,
	} {
		contract[name] = fn
	}
}

var rule = liaison.Recurrence{Count: 3, Days: 90}

func mkComplaint(t *testing.T, db *sqlstore.DB, f agreementFixture, title string, mods ...func(*liaison.Complaint)) *liaison.Complaint {
	t.Helper()
	c := &liaison.Complaint{OrganisationID: f.unit.ID, ReporterPersonID: &f.orderer.ID, Channel: liaison.ChannelPhone, Title: title}
	for _, m := range mods {
		m(c)
	}
	ok(t, db.CreateComplaint(ctx, c, rule))
	return c
}

func testComplaintDerive(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	owner, rm := mkUser(t, db, "Owen Owner"), mkUser(t, db, "Rita Manager")
	acct := *f.acct
	acct.RelationshipManagerID = &rm.ID
	ok(t, db.UpdateOrganisation(ctx, &acct, acct.Version))
	svc := *f.mail
	svc.OwnerID = &owner.ID
	ok(t, db.UpdateService(ctx, &svc, svc.Version))

	// Without a service the account's relationship manager answers; the account is derived from the unit.
	c := mkComplaint(t, db, f, "Slow answers")
	if c.AccountID != f.acct.ID || c.AccountName != "Lunds kommun" || c.ResponsibleID == nil || *c.ResponsibleID != rm.ID ||
		c.Status != liaison.ComplaintReceived || c.Classification != liaison.ClassComplaint || c.ReporterName != "Olle Ek" || c.Version != 1 {
		t.Fatalf("created %+v", c)
	}
	// With a service its owner answers, whatever the channel.
	c2 := mkComplaint(t, db, f, "Mail down", func(c *liaison.Complaint) { c.ServiceID = &f.mail.ID; c.Channel = liaison.ChannelMeeting })
	if c2.ResponsibleID == nil || *c2.ResponsibleID != owner.ID || c2.ResponsibleName != "Owen Owner" {
		t.Fatalf("responsible %+v", c2)
	}
	// Moving the complaint to another service derives again; a reassignment sticks and is recorded.
	u := *c
	u.ServiceID = &f.mail.ID
	ok(t, db.UpdateComplaint(ctx, &u, 1))
	if *u.ResponsibleID != owner.ID {
		t.Fatalf("after moving to the service: %+v", u)
	}
	u.ResponsibleID = &rm.ID
	u.Note = "Owen is away"
	ok(t, db.UpdateComplaint(ctx, &u, 2))
	events, err := db.FindComplaintEvents(ctx, c.ID)
	ok(t, err)
	last := events[len(events)-1]
	if last.Kind != liaison.EventResponsible || last.From != "Owen Owner" || last.To != "Rita Manager" || last.Note != "Owen is away" {
		t.Fatalf("reassignment %+v", last)
	}
	// Unknown references and bad input are refused naming the field.
	bad := &liaison.Complaint{OrganisationID: "nope", Channel: liaison.ChannelEmail, Title: "x", ServiceID: liaison.Ptr("nope")}
	err = db.CreateComplaint(ctx, bad, rule)
	wantField(t, err, "organisation_id", liaison.CodeUnknown)
	wantField(t, err, "service_id", liaison.CodeUnknown)
	err = db.CreateComplaint(ctx, &liaison.Complaint{OrganisationID: f.unit.ID, Channel: "fax", Title: "x"}, rule)
	wantField(t, err, "channel", liaison.CodeInvalid)
	err = db.CreateComplaint(ctx, &liaison.Complaint{OrganisationID: f.unit.ID, Channel: liaison.ChannelEmail, Title: "x",
		Classification: liaison.ClassServiceRequest}, rule)
	wantField(t, err, "external_ticket", liaison.CodeRequired)
	// A stale version changes nothing.
	s := u
	s.Title = "Stale"
	wantCode(t, db.UpdateComplaint(ctx, &s, 1), liaison.ESTALE)
}

func testComplaintLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	c := mkComplaint(t, db, f, "Invoices late")
	step := func(to liaison.ComplaintStatus, skip string) error {
		cur, err := db.FindComplaintByID(ctx, c.ID)
		ok(t, err)
		n := *cur
		n.Status, n.SkipReason, n.Note = to, skip, "step to "+string(to)
		return db.UpdateComplaint(ctx, &n, cur.Version)
	}
	e := wantCode(t, step(liaison.ComplaintClosed, ""), liaison.EINVALID)
	if !strings.Contains(e.Error(), "allowed: confirmed, investigating") {
		t.Fatalf("received → closed: %v", e)
	}
	wantField(t, step(liaison.ComplaintInvestigating, ""), "skip_reason", liaison.CodeRequired)
	ok(t, step(liaison.ComplaintInvestigating, "The customer's email said it all"))
	ok(t, step(liaison.ComplaintResolved, ""))
	got, err := db.FindComplaintByID(ctx, c.ID)
	ok(t, err)
	if got.ResolvedAt == nil || got.ClosedAt != nil {
		t.Fatalf("resolved %+v", got)
	}
	ok(t, step(liaison.ComplaintClosed, ""))
	e = wantCode(t, step(liaison.ComplaintInvestigating, ""), liaison.EINVALID)
	if !strings.Contains(e.Error(), "closed is final") {
		t.Fatalf("from closed: %v", e)
	}
	events, err := db.FindComplaintEvents(ctx, c.ID)
	ok(t, err)
	var kinds []string
	for _, ev := range events {
		kinds = append(kinds, string(ev.Kind)+":"+ev.From+">"+ev.To)
	}
	if got := strings.Join(kinds, " "); got != "created:>received status:received>investigating status:investigating>resolved status:resolved>closed" {
		t.Fatalf("events %s", got)
	}
	if !strings.Contains(events[1].Note, "The customer's email said it all") {
		t.Fatalf("skip reason not recorded: %+v", events[1])
	}
}

func testComplaintRecurrence(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) // before the store's clock
	about := func(daysAgo int, class liaison.Classification) func(*liaison.Complaint) {
		return func(c *liaison.Complaint) {
			c.ServiceID, c.ReceivedAt, c.Classification = &f.mail.ID, now.AddDate(0, 0, -daysAgo), class
			if class == liaison.ClassServiceRequest {
				c.ExternalTicket = "SD-1"
			}
		}
	}
	escalations := func() []*liaison.Escalation {
		es, _, err := db.FindEscalations(ctx, liaison.EscalationFilter{ServiceID: f.mail.ID})
		ok(t, err)
		return es
	}
	mkComplaint(t, db, f, "Old", about(125, liaison.ClassComplaint))
	c1 := mkComplaint(t, db, f, "One", about(60, liaison.ClassComplaint))
	mkComplaint(t, db, f, "Request", about(50, liaison.ClassServiceRequest))
	mkComplaint(t, db, f, "Idea", about(40, liaison.ClassSuggestion))
	c2 := mkComplaint(t, db, f, "Two", about(30, liaison.ClassComplaint))
	if len(escalations()) != 0 || c2.Recurring {
		t.Fatalf("two complaints escalated: %v", escalations())
	}
	c3 := mkComplaint(t, db, f, "Three", about(0, liaison.ClassComplaint))
	es := escalations()
	if len(es) != 1 || !c3.Recurring || es[0].Target != liaison.TargetHead || es[0].Kind != "recurrence" ||
		strings.Join(es[0].ComplaintIDs, ",") != c1.ID+","+c2.ID+","+c3.ID {
		t.Fatalf("escalations %+v, c3 %+v", es, c3)
	}
	got, err := db.FindComplaintByID(ctx, c1.ID)
	ok(t, err)
	if !got.Recurring || got.Version != 2 {
		t.Fatalf("c1 not flagged: %+v", got)
	}
	c4 := mkComplaint(t, db, f, "Four", about(0, liaison.ClassComplaint))
	es = escalations()
	if len(es) != 1 || len(es[0].ComplaintIDs) != 4 || es[0].ComplaintIDs[3] != c4.ID || es[0].Version != 2 {
		t.Fatalf("after the fourth %+v", es)
	}
	// Once the escalation is closed, a new cluster raises a new one.
	e := *es[0]
	e.Status = liaison.EscalationClosed
	ok(t, db.UpdateEscalation(ctx, &e, e.Version))
	mkComplaint(t, db, f, "Five", about(0, liaison.ClassComplaint))
	if n := len(escalations()); n != 2 {
		t.Fatalf("after closing: %d escalations, want 2", n)
	}
}

func testComplaintCategoryCluster(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	for i, cat := range []string{"Billing", "billing ", "BILLING"} {
		c := mkComplaint(t, db, f, "Invoice "+string(rune('A'+i)), func(c *liaison.Complaint) { c.Category = cat })
		if i == 2 && !c.Recurring {
			t.Fatalf("third billing complaint not flagged: %+v", c)
		}
	}
	es, _, err := db.FindEscalations(ctx, liaison.EscalationFilter{Target: liaison.TargetHead})
	ok(t, err)
	if len(es) != 1 || es[0].Category != "BILLING" || es[0].ServiceID != nil || len(es[0].ComplaintIDs) != 3 ||
		es[0].OrganisationID == nil || *es[0].OrganisationID != f.acct.ID {
		t.Fatalf("category escalation %+v", es)
	}
}

func testComplaintCommunications(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	c := mkComplaint(t, db, f, "Printer queue")
	m := &liaison.Communication{ComplaintID: c.ID, Kind: liaison.CommCall, Direction: "in", PersonID: &f.orderer.ID, Summary: "Called about the queue"}
	ok(t, db.LogCommunication(ctx, m))
	wantField(t, db.LogCommunication(ctx, &liaison.Communication{ComplaintID: c.ID, Kind: "fax", Summary: "x"}), "kind", liaison.CodeInvalid)
	wantCode(t, db.LogCommunication(ctx, &liaison.Communication{ComplaintID: "nope", Kind: liaison.CommCall, Summary: "x"}), liaison.ENOTFOUND)
	ms, err := db.FindCommunications(ctx, c.ID)
	ok(t, err)
	if len(ms) != 1 || ms[0].PersonName != "Olle Ek" || ms[0].Direction != "in" {
		t.Fatalf("communications %+v", ms)
	}
	_, err = db.SetComplaintBeyondLevel(ctx, c.ID, "  ", 1, nil)
	wantField(t, err, "explanation", liaison.CodeRequired)
	// The improvement made from it is written with it, linked both ways.
	imp := &liaison.Improvement{Title: c.Title, Description: "Needs 24/7 support", ServiceIDs: []string{f.mail.ID}}
	got, err := db.SetComplaintBeyondLevel(ctx, c.ID, "Needs 24/7 support, the level is office hours", 1, imp)
	ok(t, err)
	if got.BeyondLevelExplanation == "" || got.Version != 2 || got.ImprovementID == nil || *got.ImprovementID != imp.ID {
		t.Fatalf("beyond level %+v, improvement %+v", got, imp)
	}
	stored, err := db.FindImprovementByID(ctx, imp.ID)
	ok(t, err)
	if stored.ComplaintID == nil || *stored.ComplaintID != c.ID || stored.Origin != liaison.OriginComplaint || stored.Status != liaison.ImprovementProposed {
		t.Fatalf("improvement %+v", stored)
	}
	if again, err := db.FindComplaintByID(ctx, c.ID); err != nil || again.ImprovementID == nil || *again.ImprovementID != imp.ID {
		t.Fatalf("complaint read back %+v, %v", again, err)
	}
	_, err = db.SetComplaintBeyondLevel(ctx, c.ID, "again", 1, nil)
	wantCode(t, err, liaison.ESTALE)
	// A second explanation keeps the one improvement.
	second := &liaison.Improvement{Title: "Another"}
	got, err = db.SetComplaintBeyondLevel(ctx, c.ID, "Still beyond the level", 2, second)
	ok(t, err)
	if *got.ImprovementID != imp.ID || second.ID != "" {
		t.Fatalf("a second improvement: %+v %+v", got, second)
	}
	// A refused improvement rolls the explanation back.
	d := mkComplaint(t, db, f, "Skannern")
	_, err = db.SetComplaintBeyondLevel(ctx, d.ID, "Beyond", 1, &liaison.Improvement{Title: "x", ServiceIDs: []string{"no-such"}})
	if err == nil {
		t.Fatal("an improvement naming no service was accepted")
	}
	if again, err := db.FindComplaintByID(ctx, d.ID); err != nil || again.BeyondLevelExplanation != "" || again.Version != 1 {
		t.Fatalf("after a refused improvement %+v, %v", again, err)
	}
}

func testComplaintFilters(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkComplaint(t, db, f, "Malmö kontoret utan nät", func(c *liaison.Complaint) { c.Severity = liaison.SeveritySerious; c.Category = "availability" })
	sup := mkSupplier(t, db, "Nordlys Datacenter AB")
	b := mkComplaint(t, db, f, "邮件延迟", func(c *liaison.Complaint) { c.ServiceID = &f.mail.ID; c.SupplierID = &sup.ID })
	mkComplaint(t, db, f, "Ny skrivare", func(c *liaison.Complaint) {
		c.Classification, c.ExternalTicket = liaison.ClassServiceRequest, "SD-7"
	})
	find := func(fl liaison.ComplaintFilter) []string {
		cs, _, err := db.FindComplaints(ctx, fl)
		ok(t, err)
		var out []string
		for _, c := range cs {
			out = append(out, c.Title)
		}
		return out
	}
	if got := find(liaison.ComplaintFilter{Q: "malmo"}); len(got) != 1 || got[0] != a.Title {
		t.Fatalf("q malmo = %v", got)
	}
	if got := find(liaison.ComplaintFilter{Q: "邮件"}); len(got) != 1 {
		t.Fatalf("q chinese = %v", got)
	}
	if got := find(liaison.ComplaintFilter{OrganisationID: f.acct.ID, Classification: liaison.ClassComplaint}); len(got) != 2 {
		t.Fatalf("account's complaints = %v", got)
	}
	// The complaints of the accounts a user manages or deputises.
	rm, other := mkUser(t, db, "Rita Manager"), mkUser(t, db, "Otto Other")
	acct := *f.acct
	acct.DeputyID = &rm.ID
	ok(t, db.UpdateOrganisation(ctx, &acct, acct.Version))
	if got := find(liaison.ComplaintFilter{ManagerID: rm.ID}); len(got) != 3 {
		t.Fatalf("the deputy's complaints = %v", got)
	}
	if got := find(liaison.ComplaintFilter{ManagerID: other.ID}); len(got) != 0 {
		t.Fatalf("another user's complaints = %v", got)
	}
	if got := find(liaison.ComplaintFilter{SupplierID: sup.ID}); len(got) != 1 || got[0] != b.Title {
		t.Fatalf("supplier = %v", got)
	}
	if got := find(liaison.ComplaintFilter{Severity: liaison.SeveritySerious, Open: liaison.Ptr(true)}); len(got) != 1 {
		t.Fatalf("serious open = %v", got)
	}
	if got := find(liaison.ComplaintFilter{Category: "Availability"}); len(got) != 1 {
		t.Fatalf("category = %v", got)
	}
	// Pages.
	p1, next, err := db.FindComplaints(ctx, liaison.ComplaintFilter{Limit: 2})
	ok(t, err)
	p2, _, err := db.FindComplaints(ctx, liaison.ComplaintFilter{Limit: 2, Cursor: next})
	ok(t, err)
	if len(p1) != 2 || len(p2) != 1 || next == "" {
		t.Fatalf("pages %d %d", len(p1), len(p2))
	}
	// Stats count complaints only.
	st, err := db.ComplaintStats(ctx, time.Time{}, time.Time{})
	ok(t, err)
	if st.InPeriod != 2 || st.Open != 2 || len(st.Serious) != 1 || len(st.ByService) != 2 || len(st.ByMonth) != 1 {
		t.Fatalf("stats %+v", st)
	}
	// Trash and restore.
	ok(t, db.DeleteComplaint(ctx, a.ID, a.Version))
	wantCode(t, func() error { _, err := db.FindComplaintByID(ctx, a.ID); return err }(), liaison.ENOTFOUND)
	if got := find(liaison.ComplaintFilter{Trashed: true}); len(got) != 1 {
		t.Fatalf("trash = %v", got)
	}
	r, err := db.RestoreComplaint(ctx, a.ID)
	ok(t, err)
	if r.DeletedAt != nil || r.Version != a.Version+2 {
		t.Fatalf("restored %+v", r)
	}
}

func testEscalationDecide(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	head := mkUser(t, db, "Hanna Head")
	hctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: head, Scope: liaison.ScopeWrite})
	c := mkComplaint(t, db, f, "Whole region without ERP")
	e := &liaison.Escalation{Target: liaison.TargetSteeringGroup, Reason: "ERP outages threaten payroll", OrganisationID: &f.acct.ID,
		ComplaintIDs: []string{c.ID}}
	ok(t, db.CreateEscalation(hctx, e))
	if e.Status != liaison.EscalationOpen || e.RaisedByName != "Hanna Head" || e.Kind != "manual" || e.OrganisationName != "Lunds kommun" {
		t.Fatalf("created %+v", e)
	}
	wantField(t, db.CreateEscalation(ctx, &liaison.Escalation{Target: "board", Reason: "x"}), "target", liaison.CodeInvalid)
	wantField(t, db.CreateEscalation(ctx, &liaison.Escalation{Target: liaison.TargetHead, Reason: "x", ComplaintIDs: []string{"nope"}}),
		"complaint_ids", liaison.CodeUnknown)
	d := *e
	d.Status = liaison.EscalationDecided
	wantField(t, db.UpdateEscalation(hctx, &d, 1), "decision", liaison.CodeRequired)
	d.Decision = "Fund a second data centre link"
	ok(t, db.UpdateEscalation(hctx, &d, 1))
	if d.DecidedByID == nil || *d.DecidedByID != head.ID || d.DecidedAt == nil || d.ClosedAt != nil {
		t.Fatalf("decided %+v", d)
	}
	d.Status = liaison.EscalationClosed
	ok(t, db.UpdateEscalation(hctx, &d, 2))
	if d.ClosedAt == nil || d.DecidedAt == nil {
		t.Fatalf("closed %+v", d)
	}
	d.Status = liaison.EscalationOpen
	wantField(t, db.UpdateEscalation(hctx, &d, 3), "status", "transition")
	events, err := db.FindComplaintEvents(ctx, c.ID)
	ok(t, err)
	if last := events[len(events)-1]; last.Kind != liaison.EventEscalated || last.To != e.ID {
		t.Fatalf("complaint history %+v", events)
	}
}

// fillComplaints gives the complaint tables rows for the backup round trip.
func fillComplaints(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation) {
	t.Helper()
	svc := &liaison.Service{Name: "Klagomålstjänst", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{gold()}}
	ok(t, db.CreateService(actx, svc))
	sup := &liaison.Supplier{Name: "Klagomålsleverantör AB"}
	ok(t, db.CreateSupplier(actx, sup))
	var first *liaison.Complaint
	for i := range 3 {
		c := &liaison.Complaint{OrganisationID: acct.ID, ServiceID: &svc.ID, Channel: liaison.ChannelPhone,
			Title: "Återkommande «fel» " + string(rune('A'+i)), Description: "Rad 1\nRad 2 – 投诉", SupplierID: &sup.ID}
		ok(t, db.CreateComplaint(actx, c, rule))
		if first == nil {
			first = c
		}
	}
	ok(t, db.LogCommunication(actx, &liaison.Communication{ComplaintID: first.ID, Kind: liaison.CommCall, Summary: "Ringde tillbaka\n"}))
	now := time.Now()
	ok(t, db.UpdateComplaint(actx, func() *liaison.Complaint {
		c, err := db.FindComplaintByID(actx, first.ID)
		ok(t, err)
		c.Status, c.Note = liaison.ComplaintConfirmed, "ok"
		c.ReceivedAt = now.Add(-time.Hour)
		return c
	}(), 2))
}

// testComplaintSupplier: a complaint names a live supplier, reads back its
// name, and keeps it after the supplier goes to the trash; an unknown or
// trashed supplier cannot be newly named.
func testComplaintSupplier(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	sup := mkSupplier(t, db, "Kaamos Verkot Oy")
	c := mkComplaint(t, db, f, "Nätet går ner varje natt", func(c *liaison.Complaint) { c.SupplierID = &sup.ID })
	got, err := db.FindComplaintByID(ctx, c.ID)
	ok(t, err)
	if got.SupplierID == nil || *got.SupplierID != sup.ID || got.SupplierName != "Kaamos Verkot Oy" {
		t.Fatalf("supplier %v %q", got.SupplierID, got.SupplierName)
	}
	bad := &liaison.Complaint{OrganisationID: f.unit.ID, Channel: liaison.ChannelEmail, Title: "Okänd", SupplierID: liaison.Ptr("no-such")}
	wantField(t, db.CreateComplaint(ctx, bad, rule), "supplier_id", liaison.CodeUnknown)

	ok(t, db.DeleteSupplier(ctx, sup.ID, sup.Version))
	got.Severity = liaison.SeverityHigh
	ok(t, db.UpdateComplaint(ctx, got, got.Version)) // keeps the trashed supplier
	if again, err := db.FindComplaintByID(ctx, c.ID); err != nil || again.SupplierName != "Kaamos Verkot Oy" {
		t.Fatalf("after the trash: %v, %v", again, err)
	}
	other := mkComplaint(t, db, f, "Annan")
	other.SupplierID = &sup.ID
	wantField(t, db.UpdateComplaint(ctx, other, other.Version), "supplier_id", liaison.CodeUnknown)
}
