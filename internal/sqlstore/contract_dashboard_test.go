package sqlstore_test

import (
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	contract["Dashboard/FactsAndCacheInvalidation"] = testDashboardFacts
}

func figureNow(t *testing.T, f *liaison.DashboardFacts, k liaison.KPI) (num, den float64) {
	t.Helper()
	d := liaison.BuildDashboard(f, liaison.DashboardScope{})
	c := d.Figure(k).Current
	return c.Numerator, c.Denominator
}

func testDashboardFacts(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	today := db.Now().UTC()
	facts, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if len(facts.Accounts) != 1 || facts.Accounts[0].ID != f.acct.ID || len(facts.Months) != liaison.DashboardMonths {
		t.Fatalf("facts %+v", facts)
	}
	// Two roles (the orderer's on a unit below the account), neither with an IT contact.
	if n, d := figureNow(t, facts, liaison.KPIITContact); n != 0 || d != 2 {
		t.Fatalf("it contact %v/%v, want 0/2", n, d)
	}
	// Unchanged records: the cached facts, computed at the same moment.
	again, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if !again.ComputedAt.Equal(facts.ComputedAt) || again.Generation != facts.Generation {
		t.Fatalf("not served from the cache: %v/%d then %v/%d", facts.ComputedAt, facts.Generation, again.ComputedAt, again.Generation)
	}
	// A complaint on the unit below the account invalidates them and counts for the account.
	mkComplaint(t, db, f, "Printer down")
	after, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if after.Generation <= facts.Generation {
		t.Fatalf("generation did not move: %d then %d", facts.Generation, after.Generation)
	}
	if n, _ := figureNow(t, after, liaison.KPIComplaints); n != 1 {
		t.Fatalf("complaints this month %v, want 1", n)
	}
	if n, d := figureNow(t, after, liaison.KPIOpenComplaintAge); n != 0 || d != 1 {
		t.Fatalf("open complaint age %v/%v, want 0/1", n, d)
	}
	if h := after.Health(f.acct.ID); h == nil || h.Inputs.ComplaintsOpen != 1 || h.Inputs.ComplaintsRecent != 1 {
		t.Fatalf("health %+v", h)
	}
	// A new day recomputes even without a change.
	tomorrow, err := db.DashboardFacts(ctx, today.AddDate(0, 0, 1))
	ok(t, err)
	if tomorrow.Today == after.Today {
		t.Fatalf("day did not turn: %s", tomorrow.Today)
	}
}
