package app_test

import (
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestSupplierAuthorisation(t *testing.T) {
	f := setup(t)
	w := liaison.ScopeWrite
	s := &liaison.Supplier{Name: "Nordlys Hosting AB"}
	for _, who := range []*liaison.User{f.mgr, f.staff} {
		wantCode(t, who.Name+" creates", f.a.CreateSupplier(as(who, w), s), liaison.EFORBIDDEN)
	}
	wantCode(t, "read token", f.a.CreateSupplier(as(f.admin, liaison.ScopeRead), s), liaison.EFORBIDDEN)
	must(t, f.a.CreateSupplier(as(f.head, w), s))
	got, err := f.a.Supplier(as(f.staff, liaison.ScopeRead), s.ID)
	must(t, err)
	got.Notes = "changed"
	wantCode(t, "manager edits", f.a.UpdateSupplier(as(f.mgr, w), got, got.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateSupplier(as(f.admin, w), got, got.Version))
	_, _, err = f.a.Suppliers(as(f.staff, liaison.ScopeRead), liaison.SupplierFilter{Trashed: true})
	wantCode(t, "staff lists the trash", err, liaison.EFORBIDDEN)
	wantCode(t, "manager deletes", f.a.DeleteSupplier(as(f.mgr, w), s.ID, got.Version), liaison.EFORBIDDEN)
	must(t, f.a.DeleteSupplier(as(f.head, w), s.ID, got.Version))
	_, err = f.a.RestoreSupplier(as(f.mgr, w), s.ID)
	wantCode(t, "manager restores", err, liaison.EFORBIDDEN)
	_, err = f.a.RestoreSupplier(as(f.head, w), s.ID)
	must(t, err)
}

func TestImportSLAResultsWithSupplier(t *testing.T) {
	f, ag, svc, _ := agreementSetup(t)
	sup := &liaison.Supplier{Name: "Nordlys Hosting AB", Services: []liaison.SupplierService{{ServiceID: svc.ID}}}
	must(t, f.a.CreateSupplier(as(f.admin, liaison.ScopeWrite), sup))
	ctx := as(f.mgr, liaison.ScopeWrite)
	bad := "service;period;metric;target;actual;supplier\nMail;2026-01;availability;99,9;99,95;Unknown Oy\n"
	rep, err := f.a.ImportSLAResults(ctx, []byte(bad), ag.ID, false)
	must(t, err)
	if len(rep.Rejected) != 1 || rep.Rejected[0].Field != "supplier" || !strings.Contains(rep.Rejected[0].Reason, "Unknown Oy") {
		t.Fatalf("unknown supplier: %+v", rep)
	}
	byID := "service,period,metric,target,actual,supplier_id\nMail,2026-01,availability,99.9,99.95,nope\n"
	rep, err = f.a.ImportSLAResults(ctx, []byte(byID), ag.ID, false)
	must(t, err)
	if len(rep.Rejected) != 1 || rep.Rejected[0].Field != "supplier_id" || rep.Rejected[0].Line != 2 {
		t.Fatalf("unknown supplier id: %+v", rep)
	}
	good := "service;period;metric;target;actual;supplier\nMail;2026-01;availability;99,9;98,5;nordlys hosting ab\nMail;2026-02;availability;99,9;99,95;\n"
	rep, err = f.a.ImportSLAResults(ctx, []byte(good), ag.ID, false)
	must(t, err)
	if rep.Imported != 2 || len(rep.Rejected) != 0 {
		t.Fatalf("good file: %+v", rep)
	}
	list, _, err := f.a.SLAResults(ctx, liaison.SLAResultFilter{SupplierID: sup.ID})
	must(t, err)
	if len(list) != 1 || list[0].Period != "2026-01" || !list[0].Breached || list[0].SupplierName != sup.Name {
		t.Fatalf("attributed: %+v", list)
	}
}
