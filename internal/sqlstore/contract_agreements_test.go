package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(*testing.T, *sqlstore.DB){
		"Agreement/CreateFindUpdate":     testAgreementCreateFindUpdate,
		"Agreement/RefsChecked":          testAgreementRefsChecked,
		"Agreement/Lifecycle":            testAgreementLifecycle,
		"Agreement/SignerMustBeCustomer": testAgreementSignerMustBeCustomer,
		"Agreement/StaleAndTrash":        testAgreementStaleAndTrash,
		"Agreement/RevisionsWithDiff":    testAgreementRevisions,
		"Agreement/FiltersAndPagination": testAgreementFilters,
		"Agreement/KPIs":                 testAgreementKPIs,
		"Agreement/Attachments":          testAgreementAttachments,
		"SLAResult/CRUDAndBreach":        testSLAResultCRUD,
		"SLAResult/ImportAllOrNothing":   testSLAResultImport,
		"Agreement/AuditAndTimeline":     testAgreementAudit,
	} {
		contract[name] = fn
	}
}

// agreementFixture is an account with a customer and an orderer.
type agreementFixture struct {
	acct, unit        *liaison.Organisation
	customer, orderer *liaison.Person
	mail, print, erp  *liaison.Service
}

func mkAgreementFixture(t *testing.T, db *sqlstore.DB) agreementFixture {
	t.Helper()
	var f agreementFixture
	f.acct = mkUnit(t, db, "Lunds kommun", nil, account)
	f.unit = mkUnit(t, db, "Skolförvaltningen", f.acct)
	f.customer = mkPerson(t, db, "Karin Berg", f.acct)
	f.orderer = mkPerson(t, db, "Olle Ek", f.unit)
	mkRole(t, db, f.customer, f.acct, liaison.RoleCustomer)
	mkRole(t, db, f.orderer, f.unit, liaison.RoleOrderer)
	svc := func(name string, levels ...liaison.ServiceLevel) *liaison.Service {
		s := &liaison.Service{Name: name, Status: liaison.ServiceLive, Levels: levels}
		ok(t, db.CreateService(ctx, s))
		return s
	}
	f.mail, f.print, f.erp = svc("Mail", gold(), silver()), svc("Print", silver()), svc("ERP", gold())
	return f
}

func mkAgreement(t *testing.T, db *sqlstore.DB, f agreementFixture, acct *liaison.Organisation, title string, mods ...func(*liaison.Agreement)) *liaison.Agreement {
	t.Helper()
	a := &liaison.Agreement{OrganisationID: acct.ID, Title: title, Type: liaison.AgreementServiceLevel,
		StartDate: liaison.Ptr("2026-01-01"), EndDate: liaison.Ptr("2026-12-31"),
		Services: []liaison.ServiceCover{{ServiceID: f.mail.ID, Level: "Gold"}, {ServiceID: f.print.ID}}}
	for _, m := range mods {
		m(a)
	}
	ok(t, db.CreateAgreement(ctx, a))
	return a
}

func testAgreementCreateFindUpdate(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "  Avtal IT-tjänster 2026 ", func(a *liaison.Agreement) {
		a.AnnualAmount, a.Currency, a.CostCentre = liaison.Ptr(1250000.5), "sek", "KS-100"
		a.Renewal, a.NoticeMonths = liaison.RenewalTacit, 3
		a.BusinessValue = "Schools can teach digitally every day"
		a.ValueMeasures = []liaison.ValueMeasure{{Name: "Lessons lost to IT", Target: "< 1 %"}, {}}
		a.SignedByPersonID = &f.orderer.ID // any person while drafting
	})
	if a.ID == "" || a.Version != 1 || a.Status != liaison.StatusDraft || a.Title != "Avtal IT-tjänster 2026" ||
		a.Currency != "SEK" || a.ReviewIntervalMonths != 12 || a.RenewalMonths != 12 || len(a.ValueMeasures) != 1 {
		t.Fatalf("created %+v", a)
	}
	got, err := db.FindAgreementByID(ctx, a.ID)
	ok(t, err)
	if mustJSON(t, got) != mustJSON(t, a) {
		t.Fatalf("found\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, a))
	}
	got.Services = []liaison.ServiceCover{{ServiceID: f.print.ID, Level: "Silver"}}
	got.NextReviewDate = liaison.Ptr("2026-10-01")
	ok(t, db.UpdateAgreement(ctx, got, 1))
	again, err := db.FindAgreementByID(ctx, a.ID)
	ok(t, err)
	if again.Version != 2 || len(again.Services) != 1 || again.Services[0].Level != "Silver" || *again.NextReviewDate != "2026-10-01" {
		t.Fatalf("updated %+v", again)
	}
}

func testAgreementRefsChecked(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := &liaison.Agreement{OrganisationID: f.unit.ID, Title: "x", Type: liaison.AgreementFinancial}
	wantField(t, db.CreateAgreement(ctx, a), "organisation_id", "invalid")
	a.OrganisationID = "nope"
	wantField(t, db.CreateAgreement(ctx, a), "organisation_id", "unknown")
	a.OrganisationID, a.SignedByPersonID = f.acct.ID, liaison.Ptr("nobody")
	wantField(t, db.CreateAgreement(ctx, a), "signed_by_person_id", "unknown")
	a.SignedByPersonID, a.Type = nil, "sla"
	wantField(t, db.CreateAgreement(ctx, a), "type", "invalid")
	a.Type, a.Services = liaison.AgreementFinancial, []liaison.ServiceCover{{ServiceID: "nope"}}
	wantField(t, db.CreateAgreement(ctx, a), "services[0].service_id", "unknown")
	a.Services = []liaison.ServiceCover{{ServiceID: f.print.ID, Level: "Gold"}}
	e := wantCode(t, db.CreateAgreement(ctx, a), liaison.EINVALID)
	if !strings.Contains(e.Error(), "choose one of Silver") {
		t.Fatalf("bad level: %v", e)
	}
}

func testAgreementLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Lifecycle", func(a *liaison.Agreement) { a.SignedByPersonID = &f.customer.ID })
	step := func(to liaison.AgreementStatus) error {
		cur, err := db.FindAgreementByID(ctx, a.ID)
		ok(t, err)
		cur.Status = to
		return db.UpdateAgreement(ctx, cur, cur.Version)
	}
	e := wantCode(t, step(liaison.StatusActive), liaison.EINVALID)
	if !strings.Contains(e.Error(), "allowed: negotiation, terminated") {
		t.Fatalf("draft → active: %v", e)
	}
	ok(t, step(liaison.StatusNegotiation))
	ok(t, step(liaison.StatusDraft))
	ok(t, step(liaison.StatusNegotiation))
	ok(t, step(liaison.StatusActive))
	wantCode(t, step(liaison.StatusDraft), liaison.EINVALID)
	ok(t, step(liaison.StatusExpired))
	e = wantCode(t, step(liaison.StatusActive), liaison.EINVALID)
	if !strings.Contains(e.Error(), "final") {
		t.Fatalf("expired → active: %v", e)
	}
}

func testAgreementSignerMustBeCustomer(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Signed by orderer", func(a *liaison.Agreement) {
		a.SignedByPersonID, a.Status = &f.orderer.ID, liaison.StatusNegotiation
	})
	a.Status = liaison.StatusActive
	e := wantCode(t, db.UpdateAgreement(ctx, a, a.Version), liaison.EINVALID)
	if !strings.Contains(e.Error(), "Karin Berg") || e.Fields[0].Field != "signed_by_person_id" {
		t.Fatalf("activation by orderer: %v", e)
	}
	// Creating it active is refused alike.
	b := &liaison.Agreement{OrganisationID: f.acct.ID, Title: "b", Type: liaison.AgreementRoutines, Status: liaison.StatusActive,
		StartDate: liaison.Ptr("2026-01-01"), SignedByPersonID: &f.orderer.ID}
	wantCode(t, db.CreateAgreement(ctx, b), liaison.EINVALID)
	a.SignedByPersonID = &f.customer.ID
	ok(t, db.UpdateAgreement(ctx, a, a.Version))
	if a.Status != liaison.StatusActive {
		t.Fatalf("status %s", a.Status)
	}
	// An account without a customer: the refusal says so.
	other := mkUnit(t, db, "Stiftelsen", nil, account)
	p := mkPerson(t, db, "Per Persson", other)
	c := mkAgreement(t, db, f, other, "No customer", func(a *liaison.Agreement) { a.SignedByPersonID, a.Status = &p.ID, liaison.StatusNegotiation })
	c.Status = liaison.StatusActive
	e = wantCode(t, db.UpdateAgreement(ctx, c, c.Version), liaison.EINVALID)
	if !strings.Contains(e.Error(), "no customer named") {
		t.Fatalf("no customer: %v", e)
	}
}

func testAgreementStaleAndTrash(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Stale")
	b := *a
	a.Title = "First"
	ok(t, db.UpdateAgreement(ctx, a, 1))
	b.Title = "Second"
	wantCode(t, db.UpdateAgreement(ctx, &b, 1), liaison.ESTALE)
	wantCode(t, db.DeleteAgreement(ctx, a.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteAgreement(ctx, a.ID, 2))
	_, err := db.FindAgreementByID(ctx, a.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindAgreements(ctx, liaison.AgreementFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 || trash[0].ID != a.ID {
		t.Fatalf("trash = %v", trash)
	}
	r, err := db.RestoreAgreement(ctx, a.ID)
	ok(t, err)
	if r.DeletedAt != nil || r.Version != 4 {
		t.Fatalf("restored %+v", r)
	}
}

func testAgreementRevisions(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Rev")
	a.Title, a.NoticeMonths = "Rev 2", 6
	ok(t, db.UpdateAgreement(ctx, a, 1))
	revs, err := db.FindAgreementRevisions(ctx, a.ID)
	ok(t, err)
	if len(revs) != 2 || revs[0].Version != 2 || revs[1].Version != 1 {
		t.Fatalf("revisions %+v", revs)
	}
	var fields []string
	for _, c := range revs[0].Changes {
		fields = append(fields, c.Field)
	}
	sameStrings(t, "changed fields", fields, []string{"notice_months", "title"})
	if string(revs[0].Changes[1].Before) != `"Rev"` || string(revs[0].Changes[1].After) != `"Rev 2"` {
		t.Fatalf("title change %s → %s", revs[0].Changes[1].Before, revs[0].Changes[1].After)
	}
	if len(revs[1].Changes) < 5 {
		t.Fatalf("first version lists %d fields", len(revs[1].Changes))
	}
	one, err := db.FindAgreementRevision(ctx, a.ID, 1)
	ok(t, err)
	if one.Agreement.Title != "Rev" || len(one.Agreement.Services) != 2 {
		t.Fatalf("version 1 = %+v", one.Agreement)
	}
	_, err = db.FindAgreementRevision(ctx, a.ID, 9)
	wantCode(t, err, liaison.ENOTFOUND)
}

func testAgreementFilters(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	mgr := mkUser(t, db, "Mia Manager")
	other := mkUnit(t, db, "Region Norr", nil, account, func(o *liaison.Organisation) { o.RelationshipManagerID = &mgr.ID })
	for i, title := range []string{"Alfa", "Beta", "Gamma", "Delta", "Epsilon"} {
		acct := f.acct
		if i%2 == 1 {
			acct = other
		}
		mkAgreement(t, db, f, acct, title, func(a *liaison.Agreement) {
			a.Type = liaison.AgreementTypes[i%3]
			if i == 4 {
				a.Services = []liaison.ServiceCover{{ServiceID: f.erp.ID}}
			}
		})
	}
	list := func(fl liaison.AgreementFilter) []string {
		as, _, err := db.FindAgreements(ctx, fl)
		ok(t, err)
		return ids(as, func(a *liaison.Agreement) string { return a.Title })
	}
	sameStrings(t, "all", list(liaison.AgreementFilter{}), []string{"Alfa", "Beta", "Delta", "Epsilon", "Gamma"})
	sameStrings(t, "account", list(liaison.AgreementFilter{OrganisationID: other.ID}), []string{"Beta", "Delta"})
	sameStrings(t, "manager", list(liaison.AgreementFilter{ManagerID: mgr.ID}), []string{"Beta", "Delta"})
	sameStrings(t, "type", list(liaison.AgreementFilter{Type: liaison.AgreementFinancial}), []string{"Beta", "Epsilon"})
	sameStrings(t, "service", list(liaison.AgreementFilter{ServiceID: f.erp.ID}), []string{"Epsilon"})
	sameStrings(t, "q", list(liaison.AgreementFilter{Q: "gam"}), []string{"Gamma"})
	sameStrings(t, "status", list(liaison.AgreementFilter{Status: liaison.StatusActive}), []string{})
	sameStrings(t, "desc", list(liaison.AgreementFilter{Sort: "-name", Limit: 2}), []string{"Gamma", "Epsilon"})
	var all []string
	cur := ""
	for {
		as, next, err := db.FindAgreements(ctx, liaison.AgreementFilter{Limit: 2, Cursor: cur, Sort: "-created_at"})
		ok(t, err)
		all = append(all, ids(as, func(a *liaison.Agreement) string { return a.Title })...)
		if next == "" {
			break
		}
		cur = next
	}
	sameStrings(t, "pages", all, []string{"Epsilon", "Delta", "Gamma", "Beta", "Alfa"})
}

func testAgreementKPIs(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	second := mkUnit(t, db, "Second", nil, account)
	mkUnit(t, db, "Third", nil, account)
	k, err := db.AgreementKPIs(ctx)
	ok(t, err)
	if k.AccountsTotal != 3 || k.AccountsWithActiveAgreement != 0 {
		t.Fatalf("kpis %+v", k)
	}
	active := func(a *liaison.Agreement) {
		a.Status, a.SignedByPersonID = liaison.StatusActive, &f.customer.ID
	}
	mkAgreement(t, db, f, f.acct, "One", active)
	mkAgreement(t, db, f, f.acct, "Two", active)
	mkAgreement(t, db, f, second, "Draft only")
	k, err = db.AgreementKPIs(ctx)
	ok(t, err)
	if k.AccountsTotal != 3 || k.AccountsWithActiveAgreement != 1 || int(k.Share()) != 33 {
		t.Fatalf("kpis %+v", k)
	}
}

func testAgreementAttachments(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Files")
	at := &liaison.Attachment{AgreementID: a.ID, Name: "avtal.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 body")}
	ok(t, db.CreateAttachment(ctx, at))
	bad := &liaison.Attachment{AgreementID: a.ID, Name: "x.html", ContentType: "text/html", Data: []byte("<b>")}
	wantField(t, db.CreateAttachment(ctx, bad), "content_type", "invalid")
	list, err := db.FindAttachments(ctx, a.ID)
	ok(t, err)
	if len(list) != 1 || list[0].Size != 13 || list[0].Data != nil || list[0].Name != "avtal.pdf" {
		t.Fatalf("attachments %+v", list)
	}
	got, err := db.FindAttachment(ctx, a.ID, at.ID)
	ok(t, err)
	if string(got.Data) != "%PDF-1.7 body" || got.ContentType != "application/pdf" {
		t.Fatalf("attachment %+v", got)
	}
	_, err = db.FindAttachment(ctx, "other", at.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	ok(t, db.DeleteAttachment(ctx, a.ID, at.ID))
	wantCode(t, db.DeleteAttachment(ctx, a.ID, at.ID), liaison.ENOTFOUND)
}

func testSLAResultCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "SLA")
	r := &liaison.SLAResult{AgreementID: a.ID, ServiceID: f.mail.ID, Period: "2026-02", Metric: liaison.MetricAvailability, Target: 99.5, Actual: 98.9}
	ok(t, db.CreateSLAResult(ctx, r))
	if !r.Breached || r.Unit != "%" || r.Version != 1 {
		t.Fatalf("created %+v", r)
	}
	bad := &liaison.SLAResult{AgreementID: a.ID, ServiceID: f.erp.ID, Period: "2026-02", Metric: liaison.MetricAvailability, Target: 99, Actual: 99}
	wantField(t, db.CreateSLAResult(ctx, bad), "service_id", "invalid")
	bad.AgreementID = "none"
	wantField(t, db.CreateSLAResult(ctx, bad), "agreement_id", "unknown")
	ok(t, db.CreateSLAResult(ctx, &liaison.SLAResult{AgreementID: a.ID, ServiceID: f.print.ID, Period: "2026-03", Metric: liaison.MetricResponse, Target: 30, Actual: 20}))
	r.Actual = 99.9
	ok(t, db.UpdateSLAResult(ctx, r, 1))
	wantCode(t, db.UpdateSLAResult(ctx, r, 1), liaison.ESTALE)
	got, err := db.FindSLAResultByID(ctx, r.ID)
	ok(t, err)
	if got.Breached || got.Version != 2 {
		t.Fatalf("updated %+v", got)
	}
	list, _, err := db.FindSLAResults(ctx, liaison.SLAResultFilter{AgreementID: a.ID})
	ok(t, err)
	sameStrings(t, "periods", ids(list, func(r *liaison.SLAResult) string { return r.Period }), []string{"2026-03", "2026-02"})
	list, _, err = db.FindSLAResults(ctx, liaison.SLAResultFilter{OrganisationID: f.acct.ID, Breached: liaison.Ptr(false)})
	ok(t, err)
	if len(list) != 2 {
		t.Fatalf("by account: %d", len(list))
	}
	ok(t, db.DeleteSLAResult(ctx, r.ID, 2))
	_, err = db.FindSLAResultByID(ctx, r.ID)
	wantCode(t, err, liaison.ENOTFOUND)
}

func testSLAResultImport(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Import")
	rows := []*liaison.SLAResult{
		{AgreementID: a.ID, ServiceID: f.mail.ID, Period: "2026-01", Metric: liaison.MetricAvailability, Target: 99, Actual: 99.5},
		{AgreementID: a.ID, ServiceID: f.erp.ID, Period: "2026-01", Metric: liaison.MetricAvailability, Target: 99, Actual: 99.5},
	}
	e := wantCode(t, db.ImportSLAResults(ctx, rows), liaison.EINVALID)
	if e.Fields[0].Field != "row 2: service_id" {
		t.Fatalf("fields %+v", e.Fields)
	}
	list, _, err := db.FindSLAResults(ctx, liaison.SLAResultFilter{AgreementID: a.ID})
	ok(t, err)
	if len(list) != 0 {
		t.Fatalf("a failed import wrote %d rows", len(list))
	}
	rows[1].ServiceID = f.print.ID
	ok(t, db.ImportSLAResults(ctx, rows))
	list, _, err = db.FindSLAResults(ctx, liaison.SLAResultFilter{AgreementID: a.ID})
	ok(t, err)
	if len(list) != 2 {
		t.Fatalf("imported %d rows", len(list))
	}
}

func testAgreementAudit(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "Audited")
	a.Status = liaison.StatusNegotiation
	ok(t, db.UpdateAgreement(ctx, a, 1))
	entries := auditOf(t, db, "agreement", a.ID)
	if len(entries) != 2 || entries[0].Summary != "Audited: draft → negotiation" || entries[0].OrganisationID != f.acct.ID {
		t.Fatalf("audit %+v", entries[0])
	}
	tl, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID, Subtree: true})
	ok(t, err)
	found := false
	for _, e := range tl {
		found = found || e.SubjectID == a.ID
	}
	if !found {
		t.Fatal("agreement missing from the account's timeline")
	}
}
