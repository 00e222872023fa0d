package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillSuppliers gives the supplier tables rows for the backup round trip:
// a supplier behind a service with a dated contract, one in the trash, and
// an SLA result attributed to a supplier (the column added to sla_results).
func fillSuppliers(t *testing.T, db *sqlstore.DB, actx context.Context) {
	t.Helper()
	svcs, _, err := db.FindServices(actx, liaison.ServiceFilter{Q: "E-post"})
	ok(t, err)
	if len(svcs) == 0 {
		t.Fatal("fill has no service")
	}
	s := &liaison.Supplier{Name: "Nordlys Drift AB «北极光»", RegistrationID: "556677-8899", ContactEmail: "drift@nordlys.example",
		Website: "https://nordlys.example/ä?x=1&y=2", ContractEndDate: liaison.Ptr("2028-02-29"), Notes: "line1\nline2\t\x01",
		Services: []liaison.SupplierService{{ServiceID: svcs[0].ID, Note: "Hosting & backup"}}}
	ok(t, db.CreateSupplier(actx, s))
	gone := &liaison.Supplier{Name: "Gone Oy", Status: liaison.SupplierInactive}
	ok(t, db.CreateSupplier(actx, gone))
	ok(t, db.DeleteSupplier(actx, gone.ID, gone.Version))
	rs, _, err := db.FindSLAResults(actx, liaison.SLAResultFilter{ServiceID: svcs[0].ID, Limit: 1})
	ok(t, err)
	if len(rs) == 0 {
		t.Fatal("fill has no SLA result")
	}
	r := rs[0]
	r.SupplierID = &s.ID
	ok(t, db.UpdateSLAResult(actx, r, r.Version))
}
