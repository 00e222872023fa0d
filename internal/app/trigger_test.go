package app_test

import (
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

// TestTriggerRights: staff and above log triggers on any account; viewers
// and read-only tokens do not; the account's writers and the reporter edit.
func TestTriggerRights(t *testing.T) {
	f := setup(t)
	viewer := &liaison.User{Email: "viewer@app.test", Name: "viewer", Role: liaison.RoleViewer}
	must(t, f.a.CreateUserAsSystem(as(f.admin, liaison.ScopeWrite), viewer, "password-viewer"))
	staff, mgr, oth, head := as(f.staff, liaison.ScopeWrite), as(f.mgr, liaison.ScopeWrite), as(f.oth, liaison.ScopeWrite), as(f.head, liaison.ScopeWrite)
	mk := func() *liaison.Trigger {
		return &liaison.Trigger{OrganisationID: f.account.ID, Kind: liaison.TriggerComplaint, Title: "Printers down again"}
	}
	_, err := f.a.CreateTrigger(as(viewer, liaison.ScopeWrite), mk())
	wantCode(t, "viewer logs", err, liaison.EFORBIDDEN)
	_, err = f.a.CreateTrigger(as(f.staff, liaison.ScopeRead), mk())
	wantCode(t, "read token logs", err, liaison.EFORBIDDEN)
	if f.a.CanLogTriggers(as(viewer, liaison.ScopeWrite)) || !f.a.CanLogTriggers(staff) {
		t.Fatal("CanLogTriggers disagrees with CreateTrigger")
	}
	// Another manager logs on an account that is not theirs: anyone in IT may.
	tr := mk()
	created, err := f.a.CreateTrigger(oth, tr)
	must(t, err)
	if !created || tr.OwnerID != f.mgr.ID || tr.Source != liaison.TriggerManual {
		t.Fatalf("created = %+v", tr)
	}
	byStaff := mk()
	_, err = f.a.CreateTrigger(staff, byStaff)
	must(t, err)
	// Editing: the reporter, the account's manager, head; not another staff member's trigger for a stranger.
	x, err := f.a.Trigger(staff, tr.ID)
	must(t, err)
	x.Title = "Printers down for the third time"
	wantCode(t, "staff edits another's trigger", f.a.UpdateTrigger(staff, x, x.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateTrigger(oth, x, x.Version))
	x, _ = f.a.Trigger(staff, tr.ID)
	x.Description = "Third time this month"
	must(t, f.a.UpdateTrigger(mgr, x, x.Version))
	if !f.a.TriggerRights(staff, byStaff).Edit || f.a.TriggerRights(staff, x).Edit || !f.a.TriggerRights(head, x).Edit {
		t.Fatal("rights disagree")
	}
	wantCode(t, "viewer trashes", f.a.DeleteTrigger(as(viewer, liaison.ScopeWrite), byStaff.ID, byStaff.Version), liaison.EFORBIDDEN)
	must(t, f.a.DeleteTrigger(staff, byStaff.ID, byStaff.Version))
	_, err = f.a.RestoreTrigger(staff, byStaff.ID)
	wantCode(t, "staff restores", err, liaison.EFORBIDDEN)
	_, err = f.a.RestoreTrigger(head, byStaff.ID)
	must(t, err)
	_, _, err = f.a.Triggers(staff, liaison.TriggerFilter{Trashed: true})
	wantCode(t, "staff lists the trash", err, liaison.EFORBIDDEN)
}
