package sqlstore_test

import (
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"DataMap/CRUDAndStale":         testDataSourceCRUD,
		"DataMap/Rejections":           testDataSourceRejections,
		"Contact/LogRouteClose":        testContactLifecycle,
		"Contact/DevelopmentToProject": testContactToProject,
		"Contact/Channels":             testChannels,
		"Contact/AnnouncementTargets":  testAnnouncementTargets,
	} {
		contract[name] = fn
	}
}

func sapSource() *liaison.DataSource {
	return &liaison.DataSource{Name: "SAP finance", Data: "Billing addresses, cost centres, invoices per account",
		MaintainerUnit: "Finance", RefreshDays: 30, LastUpdatedOn: "2026-01-02",
		Needs: []liaison.DataNeed{{Unit: "Service desk", Data: "Cost centre", Purpose: "To bill orders correctly"}},
		Flows: []liaison.DataFlow{{Direction: liaison.FlowOut, System: "Document portal", Data: "Invoices", Mode: liaison.FlowManual}}}
}

func testDataSourceCRUD(t *testing.T, db *sqlstore.DB) {
	maint := mkUser(t, db, "Fia Finance")
	d := sapSource()
	d.MaintainerUserID = &maint.ID
	ok(t, db.CreateDataSource(ctx, d))
	if d.Version != 1 || d.MaintainerName != "Fia Finance" {
		t.Fatalf("created = %+v", d)
	}
	got, err := db.FindDataSourceByID(ctx, d.ID)
	ok(t, err)
	if len(got.Needs) != 1 || got.Needs[0].Purpose != "To bill orders correctly" || len(got.Flows) != 1 || got.Flows[0].Mode != liaison.FlowManual {
		t.Fatalf("read back = %+v", got)
	}
	// The clock is in 2026-03; last update 2026-01-02 + 30 days is past.
	if !got.Stale {
		t.Fatalf("a source 30-day overdue is not stale: %+v", got)
	}
	got.LastUpdatedOn = liaison.FormatDate(liaison.DateOf(start))
	ok(t, db.UpdateDataSource(ctx, got, 1))
	if got.Stale || got.Version != 2 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateDataSource(ctx, got, 1), liaison.ESTALE)
	list, _, err := db.FindDataSources(ctx, liaison.DataSourceFilter{Q: "cost centre"})
	ok(t, err)
	if len(list) != 1 {
		t.Fatalf("search found %d", len(list))
	}
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "data_source", SubjectID: d.ID})
	ok(t, err)
	if len(entries) != 2 {
		t.Fatalf("audit entries = %d, want 2", len(entries))
	}
	ok(t, db.DeleteDataSource(ctx, d.ID, 2))
	wantCode(t, func() error { _, err := db.FindDataSourceByID(ctx, d.ID); return err }(), liaison.ENOTFOUND)
	// The name is free again once the first is in the trash.
	ok(t, db.CreateDataSource(ctx, sapSource()))
}

func testDataSourceRejections(t *testing.T, db *sqlstore.DB) {
	ok(t, db.CreateDataSource(ctx, sapSource()))
	dup := sapSource()
	dup.Name = "sap FINANCE"
	wantCode(t, db.CreateDataSource(ctx, dup), liaison.ECONFLICT)
	bad := sapSource()
	bad.Name, bad.MaintainerUserID = "SCCM", liaison.Ptr("no-such-user")
	wantField(t, db.CreateDataSource(ctx, bad), "maintainer_user_id", liaison.CodeUnknown)
	future := sapSource()
	future.Name, future.LastUpdatedOn = "Saabe", "2099-01-01"
	wantField(t, db.CreateDataSource(ctx, future), "last_updated_on", liaison.CodeInvalid)
}

type contactFixture struct {
	agreementFixture
	mona, stina, sam *liaison.User
}

func mkContactFixture(t *testing.T, db *sqlstore.DB) contactFixture {
	f := contactFixture{agreementFixture: mkAgreementFixture(t, db)}
	f.mona, f.stina, f.sam = mkUser(t, db, "Mona Manager"), mkUser(t, db, "Stina Desk"), mkUser(t, db, "Sam Service")
	f.acct.RelationshipManagerID = &f.mona.ID
	ok(t, db.UpdateOrganisation(ctx, f.acct, f.acct.Version))
	return f
}

func testContactLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkContactFixture(t, db)
	sctx := liaison.WithPrincipal(ctx, &liaison.Principal{User: f.stina, Scope: liaison.ScopeWrite})
	c := &liaison.Contact{OrganisationID: f.unit.ID, Channel: liaison.ChannelServiceDesk, Kind: liaison.ContactRequest,
		Subject: "More licences for the school office", PersonID: &f.orderer.ID}
	ok(t, db.CreateContact(sctx, c))
	if c.AccountID != f.acct.ID || c.Status != liaison.ContactNew || c.ManagerID != f.mona.ID || c.ReceivedByName != "Stina Desk" ||
		c.ReceivedOn == "" || c.ActionID != nil {
		t.Fatalf("logged = %+v", c)
	}
	// It is on the account's timeline.
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{AccountID: f.acct.ID, SubjectTypes: []string{"contact"}})
	ok(t, err)
	if len(entries) != 1 {
		t.Fatalf("timeline entries = %d, want 1", len(entries))
	}
	// Closing straight from new needs a resolution.
	c.Status = liaison.ContactClosed
	wantField(t, db.UpdateContact(sctx, c, 1), "resolution", liaison.CodeRequired)
	// Routed to a service manager: a task opens for them.
	c.Status, c.ResponsibleID = liaison.ContactRouted, &f.sam.ID
	ok(t, db.UpdateContact(sctx, c, 1))
	if c.ActionID == nil || c.ResponsibleName != "Sam Service" {
		t.Fatalf("routed = %+v", c)
	}
	task, err := db.FindActionByID(ctx, *c.ActionID)
	ok(t, err)
	if task.OwnerID != f.sam.ID || task.Status != liaison.ActionOpen || deref(task.OrganisationID) != f.acct.ID {
		t.Fatalf("task = %+v", task)
	}
	// A closed contact cannot go back to new.
	c.Status, c.Resolution = liaison.ContactClosed, "Ordered 5 licences."
	ok(t, db.UpdateContact(sctx, c, 2))
	if c.ClosedAt == nil {
		t.Fatal("closed_at not set")
	}
	task, err = db.FindActionByID(ctx, *c.ActionID)
	ok(t, err)
	if task.Status != liaison.ActionDone {
		t.Fatalf("the task stays %s after the contact closed", task.Status)
	}
	c.Status = liaison.ContactNew
	wantField(t, db.UpdateContact(sctx, c, 3), "status", liaison.CodeInvalid)
	c.Status = liaison.ContactInProgress
	ok(t, db.UpdateContact(sctx, c, 3))
	if c.ClosedAt != nil {
		t.Fatal("reopened contact keeps closed_at")
	}
	// Routed to the manager: no task of its own (the manager is told by mail).
	d := &liaison.Contact{OrganisationID: f.acct.ID, Channel: liaison.ChannelPhone, Subject: "Question on the invoice", ResponsibleID: &f.mona.ID}
	ok(t, db.CreateContact(sctx, d))
	if d.Status != liaison.ContactRouted || d.ActionID != nil {
		t.Fatalf("routed to the manager = %+v", d)
	}
	open, _, err := db.FindContacts(ctx, liaison.ContactFilter{OrganisationID: f.acct.ID, Open: true})
	ok(t, err)
	if len(open) != 2 {
		t.Fatalf("open = %d, want 2", len(open))
	}
	// A unit under no account is refused.
	loose := mkUnit(t, db, "Loose", nil)
	wantField(t, db.CreateContact(sctx, &liaison.Contact{OrganisationID: loose.ID, Channel: liaison.ChannelEmail, Subject: "x"}),
		"organisation_id", liaison.CodeInvalid)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func testContactToProject(t *testing.T, db *sqlstore.DB) {
	f := mkContactFixture(t, db)
	sctx := liaison.WithPrincipal(ctx, &liaison.Principal{User: f.mona, Scope: liaison.ScopeWrite})
	q := &liaison.Contact{OrganisationID: f.acct.ID, Channel: liaison.ChannelMeeting, Kind: liaison.ContactQuestion, Subject: "Wi-Fi?"}
	ok(t, db.CreateContact(sctx, q))
	_, err := db.ContactToProject(sctx, q.ID, 1, &liaison.Project{Name: "Wi-Fi"})
	wantCode(t, err, liaison.ECONFLICT)
	c := &liaison.Contact{OrganisationID: f.acct.ID, Channel: liaison.ChannelMeeting, Kind: liaison.ContactDevelopment,
		Subject: "Digital pupil portfolio", Description: "The schools want a portfolio tool for pupils."}
	ok(t, db.CreateContact(sctx, c))
	p := &liaison.Project{Name: c.Subject, Description: c.Description}
	got, err := db.ContactToProject(sctx, c.ID, 1, p)
	ok(t, err)
	if got.ProjectID == nil || *got.ProjectID != p.ID || got.Status != liaison.ContactClosed || got.Resolution == "" {
		t.Fatalf("contact = %+v", got)
	}
	pr, err := db.FindProjectByID(ctx, p.ID)
	ok(t, err)
	if deref(pr.OrganisationID) != f.acct.ID || pr.Status != liaison.ProjectProposed {
		t.Fatalf("project = %+v", pr)
	}
	_, err = db.ContactToProject(sctx, c.ID, got.Version, &liaison.Project{Name: "Again"})
	wantCode(t, err, liaison.ECONFLICT)
}

func testChannels(t *testing.T, db *sqlstore.DB) {
	f := mkContactFixture(t, db)
	ch := &liaison.Channel{OrganisationID: f.acct.ID, Kind: liaison.ChannelKindService, Name: "E-mail service manager", UserID: &f.sam.ID,
		ServiceID: &f.mail.ID}
	ok(t, db.CreateChannel(ctx, ch))
	if ch.UserName != "Sam Service" || ch.ServiceName != "Mail" {
		t.Fatalf("channel = %+v", ch)
	}
	wantField(t, db.CreateChannel(ctx, &liaison.Channel{OrganisationID: f.unit.ID, Kind: liaison.ChannelKindServiceDesk, Name: "SD"}),
		"organisation_id", liaison.CodeInvalid)
	ch.Note = "Weekdays 8-16"
	ok(t, db.UpdateChannel(ctx, ch, 1))
	list, _, err := db.FindChannels(ctx, liaison.ChannelFilter{OrganisationID: f.acct.ID})
	ok(t, err)
	if len(list) != 1 || list[0].Note != "Weekdays 8-16" {
		t.Fatalf("channels = %+v", list)
	}
	ok(t, db.DeleteChannel(ctx, ch.ID, 2))
}

func testAnnouncementTargets(t *testing.T, db *sqlstore.DB) {
	f := mkContactFixture(t, db)
	other := mkUnit(t, db, "Malmö stad", nil, account)
	p := mkPerson(t, db, "Åsa Öberg", other, func(p *liaison.Person) { p.Email = "asa@malmo.example" })
	mkRole(t, db, p, other, liaison.RoleCustomer)
	mkSubscription(t, db, other, f.print, "Silver")
	karin := withEmail(t, db, f.customer, "karin@lund.example")
	ok(t, db.UpdatePerson(ctx, karin, karin.Version))
	a := &liaison.Announcement{Kind: liaison.AnnouncementCritical, Title: "Print servers patched", Body: "Saturday night.",
		ServiceID: &f.print.ID, StartsOn: "2026-03-14"}
	ok(t, db.CreateAnnouncement(ctx, a))
	rec, err := db.AnnouncementRecipients(ctx, a)
	ok(t, err)
	if len(rec) != 1 || rec[0].Person.Name != "Åsa Öberg" {
		t.Fatalf("by service: %d recipients %+v", len(rec), rec)
	}
	a.OrganisationIDs = []string{f.acct.ID}
	ok(t, db.UpdateAnnouncement(ctx, a, 1))
	rec, err = db.AnnouncementRecipients(ctx, a)
	ok(t, err)
	if len(rec) != 2 {
		t.Fatalf("by service and account: %d recipients", len(rec))
	}
	mine, _, err := db.FindAnnouncements(ctx, liaison.AnnouncementFilter{OrganisationID: other.ID})
	ok(t, err)
	if len(mine) != 1 {
		t.Fatalf("the account's announcements = %d", len(mine))
	}
	pub, err := db.PublishAnnouncement(ctx, a.ID, 2, 2)
	ok(t, err)
	if pub.Status != liaison.AnnouncementPublished || pub.Recipients != 2 || pub.PublishedAt == nil {
		t.Fatalf("published = %+v", pub)
	}
	pub.Title = "Changed after sending"
	wantCode(t, db.UpdateAnnouncement(ctx, pub, 3), liaison.ECONFLICT)
}

func withEmail(t *testing.T, db *sqlstore.DB, p *liaison.Person, email string) *liaison.Person {
	t.Helper()
	cur, err := db.FindPersonByID(ctx, p.ID)
	ok(t, err)
	cur.Email = email
	return cur
}
