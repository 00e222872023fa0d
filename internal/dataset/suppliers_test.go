package dataset_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestSuppliers: the dataset's suppliers are valid, named uniquely, and
// each is behind existing services, which list them.
func TestSuppliers(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		res := generate(t, db, 3)
		plan, _ := dataset.PlanFor(dataset.S)
		if res.Suppliers != plan.Suppliers() || res.Suppliers == 0 {
			t.Fatalf("suppliers %d (plan %d)", res.Suppliers, plan.Suppliers())
		}
		ss, _, err := db.FindSuppliers(ctx, liaison.SupplierFilter{Limit: 500})
		if err != nil || len(ss) != res.Suppliers {
			t.Fatalf("stored suppliers %d, %v", len(ss), err)
		}
		for _, s := range ss {
			if err := s.Validate(); err != nil || len(s.Services) == 0 {
				t.Errorf("supplier %s: %v, %d services", s.Name, err, len(s.Services))
			}
		}
		svc, err := db.FindServiceByID(ctx, ss[0].Services[0].ServiceID)
		if err != nil || len(svc.Suppliers) == 0 {
			t.Fatalf("service of %s lists no supplier: %v", ss[0].Name, err)
		}
		if p, _ := dataset.PlanFor(dataset.L); p.Suppliers() != 40 {
			t.Errorf("dataset L has %d suppliers, want 40", p.Suppliers())
		}
	})
}
