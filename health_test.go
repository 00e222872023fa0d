package liaison

import (
	"testing"
	"time"
)

func TestComputeHealth(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name  string
		in    HealthInputs
		score int
		band  string
		parts map[string]float64 // contributions
	}{
		{"all well", HealthInputs{RatingRecent: f(5), RatingsRecent: 3, Review: ReviewOK, Agreement: "active"}, 100, "good",
			map[string]float64{"satisfaction": 25, "complaints": 20, "reviews": 20, "agreement": 20, "actions": 15}},
		{"nothing known", HealthInputs{Agreement: "none"}, 58, "watch", // 12.5 + 20 + 10 + 0 + 15
			map[string]float64{"satisfaction": 12.5, "reviews": 10, "agreement": 0}},
		{"rising ratings add 0.1", HealthInputs{RatingRecent: f(3), RatingPrevious: f(2.8), Review: ReviewOK, Agreement: "active"}, 90,
			"good", map[string]float64{"satisfaction": 15}},
		{"falling ratings take 0.1", HealthInputs{RatingRecent: f(3), RatingPrevious: f(3.5), Review: ReviewOK, Agreement: "active"}, 85,
			"good", map[string]float64{"satisfaction": 10}},
		{"troubled", HealthInputs{RatingRecent: f(1), ComplaintsOpen: 3, ComplaintsRecent: 4, Review: ReviewOverdue, Agreement: "ending", OverdueActions: 6}, 10,
			"at_risk", map[string]float64{"satisfaction": 0, "complaints": 0, "reviews": 0, "agreement": 10, "actions": 0}},
		{"due soon", HealthInputs{Review: ReviewDueSoon, Agreement: "active", ComplaintsOpen: 1, OverdueActions: 1}, 75, "good", // 74.5 rounded
			map[string]float64{"reviews": 15, "complaints": 15, "actions": 12}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := ComputeHealth(tc.in)
			if h.Score != tc.score || h.Band != tc.band {
				t.Errorf("score %d %s, want %d %s (%+v)", h.Score, h.Band, tc.score, tc.band, h.Parts)
			}
			total := 0
			for _, p := range h.Parts {
				total += p.Weight
				if want, ok := tc.parts[p.Key]; ok && p.Contribution != want {
					t.Errorf("%s contributes %v, want %v", p.Key, p.Contribution, want)
				}
			}
			if total != 100 {
				t.Errorf("weights add up to %d", total)
			}
		})
	}
}

func TestComputeDashboardFacts(t *testing.T) {
	today := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
	r := &DashboardRecords{
		Units: []DashUnit{{ID: "acct", Name: "Account", BudgetHolder: true, ManagerID: "m1", SegmentID: "s1"},
			{ID: "unit", ParentID: "acct"}, {ID: "other", Name: "Other", BudgetHolder: true}, {ID: "loose"}},
		Roles: []DashRole{{UnitID: "unit", Created: "2026-02-10"}, {UnitID: "other", Created: "2025-01-01"},
			{UnitID: "other", Created: "2025-01-01", ITContact: true}, {UnitID: "loose", Created: "2025-01-01", ITContact: true}},
		Agreements: []DashAgreement{{UnitID: "acct", Status: StatusActive, Begins: "2025-06-01", EndDate: "2026-05-31", ReviewMonths: 12}},
		Ratings:    []DashRating{{UnitID: "unit", Closed: "2026-03-01", Rating: 4}, {UnitID: "acct", Closed: "2026-03-14", Rating: 2}, {UnitID: "acct", Closed: "2026-03-16", Rating: 1}},
		Complaints: []DashComplaint{{UnitID: "acct", Received: "2026-03-05"}, {UnitID: "acct", Received: "2026-01-10", Ended: "2026-02-20"}},
		Actions: []DashAction{{UnitID: "unit", Created: "2026-01-01", Due: "2026-02-01", Status: ActionOpen},
			{UnitID: "acct", Created: "2026-01-01", Due: "2026-02-10", Status: ActionDone, Done: "2026-03-01"},
			{UnitID: "acct", Created: "2026-01-01", Due: "2026-02-10", Status: ActionCancelled}},
		Reviews: []DashReview{{UnitID: "acct", On: "2025-01-20"}},
	}
	f := ComputeDashboardFacts(r, today)
	d := BuildDashboard(f, DashboardScope{})
	if len(d.Months) != 12 || d.Months[11] != "2026-03" || d.Months[0] != "2025-04" {
		t.Fatalf("months %v", d.Months)
	}
	type nd struct{ num, den float64 }
	at := func(k KPI, i int) nd { v := d.Figure(k).Trend[i]; return nd{v.Numerator, v.Denominator} }
	for _, tc := range []struct {
		k    KPI
		i    int
		want nd
	}{
		{KPIITContact, 11, nd{2, 3}},  // the unit's role (manager m1) and one of other's two; loose counts nowhere
		{KPIITContact, 9, nd{1, 2}},   // the unit's role did not exist at the end of January
		{KPIAgreements, 11, nd{1, 2}}, // one of two accounts
		{KPIAgreements, 1, nd{0, 2}},  // May 2025: not begun
		{KPISatisfaction, 11, nd{6, 2}},
		{KPIComplaints, 11, nd{1, 0}},
		{KPIComplaints, 9, nd{1, 0}},
		{KPIOpenComplaintAge, 11, nd{10, 1}}, // received 5 March, 10 days old on the 15th
		{KPIOpenComplaintAge, 9, nd{21, 1}},  // January: 21 days on the 31st
		{KPIOpenComplaintAge, 10, nd{0, 0}},  // ended 20 February
		{KPIOverdueActions, 11, nd{1, 0}},    // the done one was done on 1 March
		{KPIOverdueActions, 10, nd{2, 0}},
		{KPIEndingSoon, 11, nd{1, 0}},     // ends 31 May, within 90 days
		{KPIEndingSoon, 9, nd{0, 0}},      // 31 January + 90 days is 1 May
		{KPIOverdueReviews, 11, nd{1, 1}}, // last held January 2025, every 12 months
		{KPIOverdueReviews, 8, nd{0, 1}},  // December 2025: due 20 January 2026
	} {
		if got := at(tc.k, tc.i); got != tc.want {
			t.Errorf("%s in %s: %v, want %v", tc.k, d.Months[tc.i], got, tc.want)
		}
	}
	h := f.Health("acct")
	if h == nil || h.Inputs.ComplaintsOpen != 1 || h.Inputs.OverdueActions != 1 || h.Inputs.OpenActions != 1 ||
		h.Inputs.Agreement != "ending" || h.Inputs.Review != ReviewOverdue || h.Inputs.RatingsRecent != 2 || *h.Inputs.RatingRecent != 3 {
		t.Fatalf("health inputs %+v", h)
	}
	if f.Health("unit") != nil {
		t.Fatal("a unit that is not an account has a health")
	}
	mine := BuildDashboard(f, DashboardScope{ManagerID: "m1"})
	if mine.Accounts != 1 || mine.Figure(KPIITContact).Current.Denominator != 1 {
		t.Fatalf("m1's scope: %d accounts, %+v", mine.Accounts, mine.Figure(KPIITContact).Current)
	}
}
