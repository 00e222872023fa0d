package app_test

import (
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// TestBusinessPlanRights: the account's manager, head and admin write its
// business plan; another manager and staff only read; a review sets the
// next review date a year ahead by default.
func TestBusinessPlanRights(t *testing.T) {
	f := setup(t)
	f.a.Now = func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	staff, head, mgr, oth := as(f.staff, liaison.ScopeWrite), as(f.head, liaison.ScopeWrite), as(f.mgr, liaison.ScopeWrite), as(f.oth, liaison.ScopeWrite)
	item := func() *liaison.BusinessPlanItem {
		return &liaison.BusinessPlanItem{OrganisationID: f.account.ID, Title: "Digital signing of contracts", Horizon: liaison.HorizonShort}
	}
	wantCode(t, "staff adds", f.a.CreateBusinessPlanItem(staff, item()), liaison.EFORBIDDEN)
	wantCode(t, "another manager adds", f.a.CreateBusinessPlanItem(oth, item()), liaison.EFORBIDDEN)
	wantCode(t, "a read token adds", f.a.CreateBusinessPlanItem(as(f.mgr, liaison.ScopeRead), item()), liaison.EFORBIDDEN)
	wantCode(t, "a manager names no account", f.a.CreateBusinessPlanItem(mgr, &liaison.BusinessPlanItem{OrganisationID: "nope",
		Title: "x", Horizon: liaison.HorizonShort}), liaison.EINVALID)
	b := item()
	must(t, f.a.CreateBusinessPlanItem(mgr, b))
	if b.ReviewDate != "2027-12-03" || b.ReviewOverdue {
		t.Fatalf("default review date = %s (overdue %v)", b.ReviewDate, b.ReviewOverdue)
	}
	b.ReviewDate = "2026-11-01"
	must(t, f.a.UpdateBusinessPlanItem(head, b, b.Version))
	list, _, err := f.a.BusinessPlanItems(staff, liaison.BusinessPlanFilter{ReviewOverdue: true})
	must(t, err)
	if len(list) != 1 || !list[0].ReviewOverdue {
		t.Fatalf("overdue = %+v", list)
	}
	_, err = f.a.MarkBusinessPlanReviewed(oth, b.ID, b.Version, "")
	wantCode(t, "another manager reviews", err, liaison.EFORBIDDEN)
	r, err := f.a.MarkBusinessPlanReviewed(mgr, b.ID, b.Version, "")
	must(t, err)
	if r.ReviewDate != "2027-12-03" || r.ReviewOverdue || r.LastReviewedOn == nil || *r.LastReviewedOn != "2026-12-03" {
		t.Fatalf("reviewed = %+v", r)
	}
	r, err = f.a.MarkBusinessPlanReviewed(mgr, b.ID, r.Version, "2027-06-30")
	must(t, err)
	if r.ReviewDate != "2027-06-30" {
		t.Fatalf("chosen next review = %s", r.ReviewDate)
	}
	wantCode(t, "staff deletes", f.a.DeleteBusinessPlanItem(staff, b.ID, r.Version), liaison.EFORBIDDEN)
	must(t, f.a.DeleteBusinessPlanItem(mgr, b.ID, r.Version))
	_, err = f.a.RestoreBusinessPlanItem(mgr, b.ID)
	wantCode(t, "a manager restores", err, liaison.EFORBIDDEN)
	_, err = f.a.RestoreBusinessPlanItem(head, b.ID)
	must(t, err)
}

// TestWatchRights: staff and above write notes and propose them; viewers
// and read tokens only read; a note becomes one improvement, once.
func TestWatchRights(t *testing.T) {
	f := setup(t)
	viewer := &liaison.User{Email: "viewer@app.test", Name: "viewer", Role: liaison.RoleViewer}
	must(t, f.a.CreateUserAsSystem(as(f.admin, liaison.ScopeWrite), viewer, "password-viewer"))
	staff, head, oth := as(f.staff, liaison.ScopeWrite), as(f.head, liaison.ScopeWrite), as(f.oth, liaison.ScopeWrite)
	note := func() *liaison.WatchNote {
		return &liaison.WatchNote{Title: "Passkeys", Summary: "Passwordless sign-in", OrganisationIDs: []string{f.account.ID}}
	}
	wantCode(t, "viewer writes", f.a.CreateWatchNote(as(viewer, liaison.ScopeWrite), note()), liaison.EFORBIDDEN)
	wantCode(t, "read token writes", f.a.CreateWatchNote(as(f.staff, liaison.ScopeRead), note()), liaison.EFORBIDDEN)
	w := note()
	must(t, f.a.CreateWatchNote(staff, w))
	if r := f.a.WatchRights(as(viewer, liaison.ScopeWrite), w); r.Edit || r.Delete || r.Propose {
		t.Fatalf("viewer rights = %+v", r)
	}
	if r := f.a.WatchRights(oth, w); !r.Edit || r.Delete || !r.Propose {
		t.Fatalf("another manager's rights = %+v", r)
	}
	w.Status = liaison.WatchEvaluating
	must(t, f.a.UpdateWatchNote(oth, w, w.Version))
	wantCode(t, "another manager deletes", f.a.DeleteWatchNote(oth, w.ID, w.Version), liaison.EFORBIDDEN)
	_, _, err := f.a.ProposeWatchNote(as(viewer, liaison.ScopeWrite), w.ID)
	wantCode(t, "viewer proposes", err, liaison.EFORBIDDEN)
	n, i, err := f.a.ProposeWatchNote(staff, w.ID)
	must(t, err)
	if n.Status != liaison.WatchProposed || i.Origin != liaison.OriginWatch || *n.ImprovementID != i.ID || i.OrganisationIDs[0] != f.account.ID {
		t.Fatalf("proposed: note %+v, improvement %+v", n, i)
	}
	_, _, err = f.a.ProposeWatchNote(head, w.ID)
	wantCode(t, "proposed twice", err, liaison.ECONFLICT)
	if r := f.a.WatchRights(staff, n); r.Propose || !r.Delete {
		t.Fatalf("creator's rights after the proposal = %+v", r)
	}
	must(t, f.a.DeleteWatchNote(staff, w.ID, n.Version))
}
