package app_test

import (
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

func TestServiceAuthorisation(t *testing.T) {
	f := setup(t)
	w := liaison.ScopeWrite
	svc := &liaison.Service{Name: "E-mail", Status: liaison.ServiceLive, OwnerID: &f.staff.ID,
		Levels: []liaison.ServiceLevel{{Name: "Gold"}, {Name: "Silver"}}}
	wantCode(t, "manager creates a service", f.a.CreateService(as(f.mgr, w), &liaison.Service{Name: "X"}), liaison.EFORBIDDEN)
	must(t, f.a.CreateService(as(f.head, w), svc))

	// The owner edits the service, not its status or owner; a read token nothing.
	edit := *svc
	edit.Description = "Mail and calendar"
	must(t, f.a.UpdateService(as(f.staff, w), &edit, svc.Version))
	retire := edit
	retire.Status = liaison.ServiceRetired
	wantCode(t, "owner retires", f.a.UpdateService(as(f.staff, w), &retire, edit.Version), liaison.EFORBIDDEN)
	handover := edit
	handover.OwnerID = &f.mgr.ID
	wantCode(t, "owner hands over", f.a.UpdateService(as(f.staff, w), &handover, edit.Version), liaison.EFORBIDDEN)
	wantCode(t, "owner through a read token", f.a.UpdateService(as(f.staff, liaison.ScopeRead), &edit, edit.Version), liaison.EFORBIDDEN)
	wantCode(t, "another user", f.a.UpdateService(as(f.mgr, w), &edit, edit.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateService(as(f.head, w), &retire, edit.Version))
	if !app.CanEditService(&liaison.Principal{User: f.staff, Scope: w}, svc) || app.CanEditService(&liaison.Principal{User: f.oth, Scope: w}, svc) {
		t.Error("CanEditService disagrees with UpdateService")
	}
	wantCode(t, "owner deletes", f.a.DeleteService(as(f.staff, w), svc.ID, retire.Version), liaison.EFORBIDDEN)

	// Usages are account data: its manager, head and admin; not another manager or staff.
	live := &liaison.Service{Name: "Network", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{{Name: "Gold"}}}
	must(t, f.a.CreateService(as(f.admin, w), live))
	sub := &liaison.Subscription{OrganisationID: f.account.ID, ServiceID: live.ID, Level: "Gold"}
	wantCode(t, "other manager", f.a.CreateSubscription(as(f.oth, w), sub), liaison.EFORBIDDEN)
	wantCode(t, "staff", f.a.CreateSubscription(as(f.staff, w), sub), liaison.EFORBIDDEN)
	must(t, f.a.CreateSubscription(as(f.mgr, w), sub))
	sub.ContactUserID = &f.mgr.ID
	wantCode(t, "other manager edits", f.a.UpdateSubscription(as(f.oth, w), sub, sub.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateSubscription(as(f.head, w), sub, sub.Version))
	wantCode(t, "other manager deletes", f.a.DeleteSubscription(as(f.oth, w), sub.ID, sub.Version), liaison.EFORBIDDEN)
	must(t, f.a.DeleteSubscription(as(f.mgr, w), sub.ID, sub.Version))
}
