package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestDecisions: the demo's decisions concern customer-specific services,
// are decided by the account's customer, and some were prepared with an
// orderer.
func TestDecisions(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	ds, _, err := a.Decisions(ctx, liaison.DecisionFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != res.Decisions || len(ds) < 3 {
		t.Fatalf("%d decisions, result says %d", len(ds), res.Decisions)
	}
	prepared := 0
	for _, d := range ds {
		svc, err := a.Service(ctx, d.ServiceID)
		if err != nil || !svc.CustomerSpecific {
			t.Errorf("%s: service %v not customer-specific (%v)", d.Summary, d.ServiceName, err)
		}
		c, err := a.AgreementCustomer(ctx, d.OrganisationID)
		if err != nil || c == nil || c.ID != d.DecidedByPersonID {
			t.Errorf("%s: decided by %s, not the account's customer", d.Summary, d.DecidedByName)
		}
		if d.PreparedWithID != nil {
			prepared++
		}
	}
	if prepared == 0 {
		t.Error("no demo decision was prepared with an orderer")
	}
}
