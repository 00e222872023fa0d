package app_test

import (
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestDecisionAuthorisation(t *testing.T) {
	f := setup(t)
	w := liaison.ScopeWrite
	admin := as(f.admin, w)
	lab := &liaison.Service{Name: "Lab systems", Status: liaison.ServiceLive, CustomerSpecific: true,
		Levels: []liaison.ServiceLevel{{Name: "Gold"}}}
	must(t, f.a.CreateService(admin, lab))
	karin := &liaison.Person{Name: "Karin Berg", OrganisationID: f.account.ID}
	must(t, f.a.CreatePerson(admin, karin))
	must(t, f.a.CreateRole(admin, &liaison.ContactRole{PersonID: karin.ID, OrganisationID: f.account.ID, Role: liaison.RoleCustomer, Active: true}))
	d := &liaison.ServiceDecision{OrganisationID: f.account.ID, ServiceID: lab.ID, Kind: liaison.DecisionNewService,
		Summary: "Take the lab system", DecidedByPersonID: karin.ID, DecidedOn: "2026-03-01"}

	wantCode(t, "other manager", f.a.CreateDecision(as(f.oth, w), d), liaison.EFORBIDDEN)
	wantCode(t, "staff", f.a.CreateDecision(as(f.staff, w), d), liaison.EFORBIDDEN)
	wantCode(t, "read token", f.a.CreateDecision(as(f.mgr, liaison.ScopeRead), d), liaison.EFORBIDDEN)
	must(t, f.a.CreateDecision(as(f.mgr, w), d))
	if _, err := f.a.Decision(as(f.staff, liaison.ScopeRead), d.ID); err != nil {
		t.Fatalf("staff reads: %v", err)
	}
	d.Notes = "Minutes attached"
	wantCode(t, "other manager edits", f.a.UpdateDecision(as(f.oth, w), d, d.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateDecision(as(f.head, w), d, d.Version))
	wantCode(t, "other manager deletes", f.a.DeleteDecision(as(f.oth, w), d.ID, d.Version), liaison.EFORBIDDEN)
	must(t, f.a.DeleteDecision(as(f.mgr, w), d.ID, d.Version))
}
