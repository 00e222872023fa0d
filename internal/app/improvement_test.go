package app_test

import (
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

// TestImprovementRights: who proposes, edits, decides and carries out.
func TestImprovementRights(t *testing.T) {
	f := setup(t)
	staff, head, mgr, oth := as(f.staff, liaison.ScopeWrite), as(f.head, liaison.ScopeWrite), as(f.mgr, liaison.ScopeWrite), as(f.oth, liaison.ScopeWrite)
	i := &liaison.Improvement{Title: "Chat in the service desk", Origin: liaison.OriginCustomer, OrganisationIDs: []string{f.account.ID}}
	wantCode(t, "read token proposes", f.a.CreateImprovement(as(f.staff, liaison.ScopeRead), i), liaison.EFORBIDDEN)
	must(t, f.a.CreateImprovement(staff, i))
	cur := func() *liaison.Improvement {
		got, err := f.a.Improvement(staff, i.ID)
		must(t, err)
		return got
	}
	// The proposer edits while proposed; another manager does not.
	x := cur()
	x.Description = "Customers ask for chat"
	wantCode(t, "another manager edits", f.a.UpdateImprovement(oth, x, x.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateImprovement(staff, x, x.Version))
	// Only the head decides, and only the head writes the decision note.
	x = cur()
	x.Status = liaison.ImprovementApproved
	wantCode(t, "staff approves", f.a.UpdateImprovement(staff, x, x.Version), liaison.EFORBIDDEN)
	wantCode(t, "manager approves", f.a.UpdateImprovement(mgr, x, x.Version), liaison.EFORBIDDEN)
	x = cur()
	x.DecisionNote = "sneaky"
	wantCode(t, "proposer writes the decision note", f.a.UpdateImprovement(staff, x, x.Version), liaison.EFORBIDDEN)
	x.OwnerID = &f.mgr.ID
	x.DecisionNote = "Yes"
	x.Status = liaison.ImprovementApproved
	must(t, f.a.UpdateImprovement(head, x, x.Version))
	// Approved: the proposer no longer edits; the owner carries it out.
	x = cur()
	x.Title = "Changed"
	wantCode(t, "proposer edits after the decision", f.a.UpdateImprovement(staff, x, x.Version), liaison.EFORBIDDEN)
	_, err := f.a.SetImprovementStatus(mgr, i.ID, liaison.ImprovementInProgress, "", "", x.Version)
	must(t, err)
	wantCode(t, "staff records progress", f.a.AddImprovementUpdate(staff, &liaison.ImprovementUpdate{ImprovementID: i.ID, Note: "x"}), liaison.EFORBIDDEN)
	must(t, f.a.AddImprovementUpdate(mgr, &liaison.ImprovementUpdate{ImprovementID: i.ID, Note: "Internal note"}))
	must(t, f.a.AddImprovementUpdate(mgr, &liaison.ImprovementUpdate{ImprovementID: i.ID, Note: "Chat pilot in March", CustomerVisible: true}))
	// Deleting: not the proposer once decided, not the owner; the head may.
	wantCode(t, "proposer deletes after the decision", f.a.DeleteImprovement(staff, i.ID, cur().Version), liaison.EFORBIDDEN)
	wantCode(t, "owner deletes", f.a.DeleteImprovement(mgr, i.ID, cur().Version), liaison.EFORBIDDEN)
	// Raising: the account's manager, not another's, not staff.
	wantCode(t, "another manager raises", fErr(f.a.RaiseImprovement(oth, &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: f.account.ID})), liaison.EFORBIDDEN)
	wantCode(t, "staff raises", fErr(f.a.RaiseImprovement(staff, &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: f.account.ID})), liaison.EFORBIDDEN)
	got, err := f.a.RaiseImprovement(mgr, &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: f.account.ID})
	must(t, err)
	if got.RaisedByCount != 1 || got.Flagged {
		t.Fatalf("raised = %+v", got)
	}
	// The customer's view: only the visible note; a rejected one is not shown.
	rej := &liaison.Improvement{Title: "Fax to email", Origin: liaison.OriginCustomer, OrganisationIDs: []string{f.account.ID}}
	must(t, f.a.CreateImprovement(staff, rej))
	_, err = f.a.SetImprovementStatus(head, rej.ID, liaison.ImprovementRejected, "Fax is retired next year", "", 1)
	must(t, err)
	cv, err := f.a.CustomerImprovementProgress(staff, f.account.ID)
	must(t, err)
	if len(cv) != 1 || cv[0].ID != i.ID || len(cv[0].Updates) != 1 || cv[0].Updates[0].Note != "Chat pilot in March" {
		t.Fatalf("customer view = %+v", cv)
	}
	must(t, f.a.DeleteImprovement(head, i.ID, cur().Version))
}

func fErr(_ *liaison.Improvement, err error) error { return err }
