package dataset_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestCatalogue: the dataset's services and usages keep the catalogue's
// rules, as the write path would have: offered levels, no usage of a
// pipeline service, a contact for every customer-specific usage.
func TestCatalogue(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		res := generate(t, db, 3)
		plan, _ := dataset.PlanFor(dataset.S)
		if res.Services != plan.Services() || res.Services == 0 || res.Subscriptions == 0 {
			t.Fatalf("services %d (plan %d), usages %d", res.Services, plan.Services(), res.Subscriptions)
		}
		services, _, err := db.FindServices(ctx, liaison.ServiceFilter{Limit: 500})
		if err != nil || len(services) != res.Services {
			t.Fatalf("stored services %d, %v", len(services), err)
		}
		byID := map[string]*liaison.Service{}
		for _, s := range services {
			byID[s.ID] = s
			if err := s.Validate(); err != nil {
				t.Errorf("service %s: %v", s.Name, err)
			}
		}
		subs, _, err := db.FindSubscriptions(ctx, liaison.SubscriptionFilter{Limit: 500})
		if err != nil || len(subs) != res.Subscriptions {
			t.Fatalf("stored usages %d of %d, %v", len(subs), res.Subscriptions, err)
		}
		for _, s := range subs {
			svc := byID[s.ServiceID]
			if svc == nil || svc.Level(s.Level) == nil || svc.Status == liaison.ServicePipeline || (svc.CustomerSpecific && s.ContactUserID == nil) {
				t.Errorf("usage %+v breaks the rules of its service %+v", s, svc)
			}
		}
		if p, _ := dataset.PlanFor(dataset.L); p.Services() != 300 {
			t.Errorf("dataset L has %d services, SPEC §6 says 300", p.Services())
		}
	})
}
