package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestPlans: several accounts have an account plan saved in a few
// versions by their manager; the diffs show real changes; one marketing
// action names a service in the pipeline with its override reason; the
// analysis of next quarter finds development initiatives.
func TestPlans(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	if _, err := demo.Load(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	rows, err := a.PlanAnalysis(ctx, liaison.PlanItemFilter{From: "2000-01-01", To: "2100-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]bool{}
	for _, r := range rows {
		accounts[r.OrganisationID] = true
	}
	if len(accounts) < 4 {
		t.Fatalf("dated plan items in %d accounts, want at least 4", len(accounts))
	}
	overrides, versions := 0, 0
	for id := range accounts {
		p, err := a.AccountPlan(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version < 2 || p.UpdatedByName == "" || p.UpdatedByName == "Demo Administrator" {
			t.Errorf("plan of %s: version %d by %q; want several versions by its manager", p.OrganisationName, p.Version, p.UpdatedByName)
		}
		versions += p.Version
		for _, m := range p.Sections.MarketingActions {
			if m.OverrideReason != "" {
				overrides++
			}
		}
		d, err := a.DiffPlanVersions(ctx, id, p.Version-1, p.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Changes) == 0 {
			t.Errorf("the last save of %s's plan changed nothing", p.OrganisationName)
		}
	}
	if overrides != 1 {
		t.Errorf("%d marketing actions with an override, want 1", overrides)
	}
	if versions < 10 {
		t.Errorf("%d versions in all", versions)
	}
	ts, err := a.PlanTemplates(ctx)
	if err != nil || len(ts) < 2 || ts[1].SegmentName != "Healthcare" {
		t.Fatalf("templates %v %v", ts, err)
	}
}
