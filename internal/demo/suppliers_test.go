package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestSuppliers: the demo's suppliers are behind live services, one is
// inactive, and SLA results with a breach are attributed to the hosting
// provider.
func TestSuppliers(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	ss, _, err := a.Suppliers(ctx, liaison.SupplierFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != res.Suppliers || len(ss) < 5 || len(ss) > 7 {
		t.Fatalf("%d suppliers, result says %d", len(ss), res.Suppliers)
	}
	inactive := 0
	var hosting *liaison.Supplier
	for _, s := range ss {
		if len(s.Services) == 0 {
			t.Errorf("%s is behind no service", s.Name)
		}
		if s.Status == liaison.SupplierInactive {
			inactive++
		}
		if s.Name == demo.DemoHostingSupplier {
			hosting = s
		}
	}
	if inactive != 1 || hosting == nil {
		t.Fatalf("inactive %d, hosting %v", inactive, hosting)
	}
	rs, _, err := a.SLAResults(ctx, liaison.SLAResultFilter{SupplierID: hosting.ID})
	if err != nil {
		t.Fatal(err)
	}
	breaches := 0
	for _, r := range rs {
		if r.Breached {
			breaches++
		}
	}
	if len(rs) < 2 || breaches == 0 {
		t.Fatalf("hosting SLA results %d, breaches %d", len(rs), breaches)
	}
	svc, err := a.Service(ctx, hosting.Services[0].ServiceID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range svc.Suppliers {
		found = found || r.ID == hosting.ID
	}
	if !found {
		t.Fatalf("%s does not list its supplier: %+v", svc.Name, svc.Suppliers)
	}
}
