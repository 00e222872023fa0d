package app_test

import (
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func agreementSetup(t *testing.T) (*fixture, *liaison.Agreement, *liaison.Service, *liaison.Person) {
	t.Helper()
	f := setup(t)
	ctx := as(f.admin, liaison.ScopeWrite)
	svc := &liaison.Service{Name: "Mail", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{{Name: "Gold", AvailabilityPercent: liaison.Ptr(99.9)}}}
	must(t, f.db.CreateService(ctx, svc))
	cust := &liaison.Person{Name: "Karin Kund", OrganisationID: f.account.ID}
	must(t, f.a.CreatePerson(ctx, cust))
	must(t, f.a.CreateRole(ctx, &liaison.ContactRole{PersonID: cust.ID, OrganisationID: f.account.ID, Role: liaison.RoleCustomer, Active: true}))
	ag := &liaison.Agreement{OrganisationID: f.account.ID, Title: "SLA", Type: liaison.AgreementServiceLevel,
		StartDate: liaison.Ptr("2026-01-01"), Services: []liaison.ServiceCover{{ServiceID: svc.ID, Level: "Gold"}}}
	must(t, f.a.CreateAgreement(as(f.mgr, liaison.ScopeWrite), ag))
	return f, ag, svc, cust
}

func TestAgreementAuthorisation(t *testing.T) {
	f, ag, _, _ := agreementSetup(t)
	for _, tc := range []struct {
		who   *liaison.User
		scope liaison.Scope
		want  string
	}{
		{f.admin, liaison.ScopeWrite, ""}, {f.head, liaison.ScopeWrite, ""}, {f.mgr, liaison.ScopeWrite, ""},
		{f.oth, liaison.ScopeWrite, liaison.EFORBIDDEN}, {f.staff, liaison.ScopeWrite, liaison.EFORBIDDEN},
		{f.mgr, liaison.ScopeRead, liaison.EFORBIDDEN},
	} {
		ctx := as(tc.who, tc.scope)
		cur, err := f.a.Agreement(ctx, ag.ID)
		must(t, err)
		cur.Notes = "by " + tc.who.Name
		wantCode(t, tc.who.Name+" update", f.a.UpdateAgreement(ctx, cur, cur.Version), tc.want)
		n := &liaison.Agreement{OrganisationID: f.account.ID, Title: "New", Type: liaison.AgreementFinancial}
		wantCode(t, tc.who.Name+" create", f.a.CreateAgreement(ctx, n), tc.want)
	}
}

func TestAgreementActivationFillsDates(t *testing.T) {
	f, ag, _, cust := agreementSetup(t)
	ctx := as(f.mgr, liaison.ScopeWrite)
	ag.SignedByPersonID = &cust.ID
	must(t, f.a.UpdateAgreement(ctx, ag, ag.Version))
	_, err := f.a.SetAgreementStatus(ctx, ag.ID, liaison.StatusActive, ag.Version)
	wantCode(t, "draft → active", err, liaison.EINVALID)
	ag2, err := f.a.SetAgreementStatus(ctx, ag.ID, liaison.StatusNegotiation, ag.Version)
	must(t, err)
	ag3, err := f.a.SetAgreementStatus(ctx, ag.ID, liaison.StatusActive, ag2.Version)
	must(t, err)
	if ag3.SignedOn == nil || ag3.NextReviewDate == nil {
		t.Fatalf("activation left dates empty: %+v", ag3)
	}
}

func TestImportSLAResults(t *testing.T) {
	f, ag, svc, _ := agreementSetup(t)
	ctx := as(f.mgr, liaison.ScopeWrite)
	good := "\xef\xbb\xbfService;Period;Metric;Target;Actual\nMail;2026-01;availability;99,9;99,95\nmail;2026-02;availability;99,9;98,7\n"
	rep, err := f.a.ImportSLAResults(ctx, []byte(good), ag.ID, true)
	must(t, err)
	if rep.Rows != 2 || rep.Imported != 2 || len(rep.Rejected) != 0 {
		t.Fatalf("dry run %+v", rep)
	}
	list, _, _ := f.a.SLAResults(ctx, liaison.SLAResultFilter{AgreementID: ag.ID})
	if len(list) != 0 {
		t.Fatal("dry run wrote")
	}
	bad := "service,period,metric,target,actual\nMail,2026-13,availability,99.9,99\nPrinting,2026-01,availability,99.9,99\nMail,2026-03,availability,x,99\n"
	rep, err = f.a.ImportSLAResults(ctx, []byte(bad), ag.ID, false)
	must(t, err)
	if len(rep.Rejected) != 3 || rep.Rejected[0].Line != 2 || rep.Rejected[1].Line != 3 || rep.Rejected[2].Line != 4 || rep.Imported != 0 {
		t.Fatalf("bad file %+v", rep)
	}
	if !strings.Contains(rep.Rejected[1].Reason, "Printing") {
		t.Fatalf("reason %q", rep.Rejected[1].Reason)
	}
	rep, err = f.a.ImportSLAResults(ctx, []byte(good), ag.ID, false)
	must(t, err)
	list, _, _ = f.a.SLAResults(ctx, liaison.SLAResultFilter{AgreementID: ag.ID})
	if rep.Imported != 2 || len(list) != 2 || !list[0].Breached || list[1].Breached || list[0].ServiceID != svc.ID {
		t.Fatalf("imported %+v, list %d", rep, len(list))
	}
	_, err = f.a.ImportSLAResults(as(f.oth, liaison.ScopeWrite), []byte(good), ag.ID, false)
	must(t, err)
	rep, _ = f.a.ImportSLAResults(as(f.oth, liaison.ScopeWrite), []byte(good), ag.ID, false)
	if len(rep.Rejected) != 2 {
		t.Fatalf("another manager's import: %+v", rep)
	}
}
