package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestCatalogue: the demo's catalogue has every status, Gold/Silver/Bronze
// levels with targets, and usages of which a few lack a named contact —
// never those of customer-specific services.
func TestCatalogue(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	services, _, err := a.Services(ctx, liaison.ServiceFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(services) != res.Services || res.Services < 6 {
		t.Fatalf("%d services, result says %d", len(services), res.Services)
	}
	statuses := map[liaison.ServiceStatus]int{}
	for _, s := range services {
		statuses[s.Status]++
		if s.Status == liaison.ServiceLive && s.Level("Gold") == nil {
			t.Errorf("%s offers no Gold level", s.Name)
		}
	}
	for _, st := range liaison.ServiceStatuses {
		if statuses[st] == 0 {
			t.Errorf("no %s service in the demo", st)
		}
	}
	subs, _, err := a.Subscriptions(ctx, liaison.SubscriptionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != res.Subscriptions {
		t.Fatalf("%d usages, result says %d", len(subs), res.Subscriptions)
	}
	missing := 0
	for _, s := range subs {
		if s.ContactUserID == nil {
			missing++
			if s.CustomerSpecific {
				t.Errorf("customer-specific usage %s by %s lacks a contact", s.ServiceName, s.OrganisationName)
			}
		}
	}
	c, err := a.SubscriptionCoverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if missing == 0 || c.Usages != len(subs) || c.Usages-c.WithContact != missing || c.CustomerSpecificNoContact != 0 {
		t.Fatalf("coverage %+v; %d of %d usages lack a contact", c, missing, len(subs))
	}
}
