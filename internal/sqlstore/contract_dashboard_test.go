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

func init() {
	contract["Dashboard/SurveyResponsesCountAndInvalidate"] = testDashboardSurveys
	contract["Dashboard/PeriodFacts"] = testDashboardPeriod
}

// figureOf is figure k of the whole portfolio this month.
func figureOf(t *testing.T, f *liaison.DashboardFacts, k liaison.KPI) liaison.KPIValue {
	t.Helper()
	return liaison.BuildDashboard(f, liaison.DashboardScope{}, k).Figure(k).Current
}

func testDashboardSurveys(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	today := db.Now().UTC()
	c := f.campaign()
	aud := openCampaign(t, db, f, c)
	before, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if v := figureOf(t, before, liaison.KPISurveyCSAT); v.Value != nil || v.Denominator != 0 {
		t.Fatalf("csat before any response %+v", v)
	}
	// Two responses: 5 and 3 on the rating, 10 and 5 on the NPS question.
	for i, x := range []struct{ rating, nps int }{{5, 10}, {3, 5}} {
		_, _, err := db.SubmitResponse(ctx, tokenFor(c.ID, aud[i].PersonID),
			[]liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(x.rating)}, {QuestionID: "recommend", Value: liaison.Ptr(x.nps)}})
		ok(t, err)
	}
	after, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if after.Generation <= before.Generation {
		t.Fatalf("a response did not move the generation: %d then %d", before.Generation, after.Generation)
	}
	if v := figureOf(t, after, liaison.KPISurveyCSAT); v.Numerator != 1 || v.Denominator != 2 || *v.Value != 50 {
		t.Fatalf("csat %+v, want 1 of 2 = 50", v)
	}
	if v := figureOf(t, after, liaison.KPISurveyNPS); v.Numerator != 0 || v.Denominator != 2 || *v.Value != 0 {
		t.Fatalf("nps %+v, want (1 promoter − 1 detractor) of 2 = 0", v)
	}
	// An anonymous campaign's two responses: every sum that holds them is suppressed.
	anon := f.campaign(func(c *liaison.Campaign) { c.Title, c.Anonymous = "Anonymous", true })
	aud = openCampaign(t, db, f, anon)
	for i := range 2 {
		_, _, err := db.SubmitResponse(ctx, tokenFor(anon.ID, aud[i].PersonID), answers(4))
		ok(t, err)
	}
	withAnon, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if v := figureOf(t, withAnon, liaison.KPISurveyCSAT); !v.Suppressed || v.Value != nil || v.Denominator != 0 {
		t.Fatalf("csat with two anonymous responses %+v, want suppressed", v)
	}
	// Trashing the anonymous campaign takes its responses out again.
	closed, err := db.CloseCampaign(f.ctx, anon.ID, anon.Version)
	ok(t, err)
	ok(t, db.DeleteCampaign(f.ctx, closed.ID, closed.Version))
	trashed, err := db.DashboardFacts(ctx, today)
	ok(t, err)
	if trashed.Generation <= withAnon.Generation {
		t.Fatalf("trashing a campaign did not move the generation")
	}
	if v := figureOf(t, trashed, liaison.KPISurveyCSAT); v.Suppressed || v.Denominator != 2 {
		t.Fatalf("csat after trashing %+v, want 1 of 2", v)
	}
}

func testDashboardPeriod(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	today := db.Now().UTC()
	day := liaison.FormatDate(today)
	mkComplaint(t, db, f, "Printer down")
	for _, c := range []struct {
		name                string
		from, to            string
		complaints, open    float64
		customers, orderers float64
	}{
		{"all time to today", "", day, 1, 1, 1, 1},
		{"from tomorrow", liaison.FormatDate(today.AddDate(0, 0, 1)), liaison.FormatDate(today.AddDate(0, 0, 2)), 0, 1, 1, 1},
		{"until yesterday", "", liaison.FormatDate(today.AddDate(0, 0, -1)), 0, 0, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			facts, err := db.DashboardPeriodFacts(ctx, today, c.from, c.to)
			ok(t, err)
			if len(facts.Months) != 1 {
				t.Fatalf("points %v", facts.Months)
			}
			if v := figureOf(t, facts, liaison.KPIComplaints); v.Numerator != c.complaints {
				t.Fatalf("complaints %v, want %v", v.Numerator, c.complaints)
			}
			if v := figureOf(t, facts, liaison.KPIOpenComplaintAge); v.Denominator != c.open {
				t.Fatalf("open %v, want %v", v.Denominator, c.open)
			}
			if v := figureOf(t, facts, liaison.KPICustomerITContact); v.Denominator != c.customers {
				t.Fatalf("customers %v, want %v", v.Denominator, c.customers)
			}
			if v := figureOf(t, facts, liaison.KPIOrdererITContact); v.Denominator != c.orderers {
				t.Fatalf("orderers %v, want %v", v.Denominator, c.orderers)
			}
		})
	}
}
