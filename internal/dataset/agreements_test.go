package dataset_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestAgreementsS: the plan's agreements are stored on both engines, read
// back through the store, and the KPI agrees with them.
func TestAgreementsS(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		generate(t, db, 7)
		ctx := context.Background()
		as := all(t, func(c string) ([]*liaison.Agreement, string, error) {
			return db.FindAgreements(ctx, liaison.AgreementFilter{Cursor: c, Limit: 500})
		})
		plan, _ := dataset.PlanFor(dataset.S)
		if len(as) != plan.Agreements {
			t.Fatalf("%d agreements, want %d", len(as), plan.Agreements)
		}
		active := map[string]bool{}
		covering := 0
		for _, a := range as {
			if a.Status == liaison.StatusActive {
				active[a.OrganisationID] = true
			}
			if len(a.Services) == 0 {
				continue
			}
			covering++
			// A service-level agreement covers what its account uses.
			uses, _, err := db.FindSubscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: a.OrganisationID, ServiceID: a.Services[0].ServiceID, Limit: 1})
			if err != nil || len(uses) != 1 || uses[0].Level != a.Services[0].Level || a.Type != liaison.AgreementServiceLevel {
				t.Fatalf("agreement %s covers %+v: usages %v, %v", a.ID, a.Services[0], uses, err)
			}
		}
		if covering == 0 {
			t.Fatal("no agreement covers a service")
		}
		k, err := db.AgreementKPIs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if k.AccountsWithActiveAgreement != len(active) || len(active) == 0 || k.AccountsTotal != plan.Accounts {
			t.Fatalf("kpis %+v, active accounts %d", k, len(active))
		}
		revs, err := db.FindAgreementRevisions(ctx, as[0].ID)
		if err != nil || len(revs) != 1 {
			t.Fatalf("revisions %d, %v", len(revs), err)
		}
	})
}
