package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestAgreementKPI checks the KPI "accounts with an active agreement" on
// the demo data against a count done by hand: the demo has 15 accounts
// (hs, hospital, primary, edu, polaris, adult, tech, energy, culture,
// museum, social, admin, fi, revontuli, cn) and active agreements at hs,
// hospital and social — hs has a second one, a draft, which must not
// count twice.
func TestAgreementKPI(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		a := newApp(db)
		res, err := demo.Load(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		ctx := asAdmin(t, a)
		k, err := a.KPIs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if k.AccountsTotal != 15 || k.AccountsWithActiveAgreement != 3 || k.AccountsTotal != res.Accounts {
			t.Fatalf("KPI = %d of %d accounts (demo says %d accounts), want 3 of 15", k.AccountsWithActiveAgreement, k.AccountsTotal, res.Accounts)
		}
		// Every status is present; one negotiation is signed by an orderer.
		all, _, err := a.Agreements(ctx, liaison.AgreementFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		byStatus := map[liaison.AgreementStatus]int{}
		activeAccounts := map[string]bool{}
		ordererSigned := 0
		for _, ag := range all {
			byStatus[ag.Status]++
			if ag.Status == liaison.StatusActive {
				activeAccounts[ag.OrganisationID] = true
			}
			cust, _ := a.AgreementCustomer(ctx, ag.OrganisationID)
			if ag.Status == liaison.StatusNegotiation && ag.SignedByPersonID != nil && (cust == nil || cust.ID != *ag.SignedByPersonID) {
				ordererSigned++
			}
		}
		for _, s := range liaison.AgreementStatuses {
			if byStatus[s] == 0 {
				t.Errorf("no demo agreement is %s", s)
			}
		}
		if len(activeAccounts) != len(demo.ActiveAgreementAccounts) || ordererSigned != 1 || len(all) != res.Agreements {
			t.Fatalf("active accounts %d, orderer-signed negotiations %d, agreements %d (demo says %d)", len(activeAccounts), ordererSigned, len(all), res.Agreements)
		}
		breaches, _, err := a.SLAResults(ctx, liaison.SLAResultFilter{Breached: liaison.Ptr(true)})
		if err != nil || len(breaches) != 1 {
			t.Fatalf("breaches = %d, %v; want 1", len(breaches), err)
		}
	})
}
