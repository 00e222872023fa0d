package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestTicketRatings: a few hundred rated tickets spread over the last
// twelve months, on every account, from two tools and scales, with
// accounts that differ visibly (the hospital below the energy company at
// the end of the year).
func TestTicketRatings(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if res.TicketRatings < 200 || res.TicketRatings > 1000 {
		t.Fatalf("%d ticket ratings, want a few hundred", res.TicketRatings)
	}
	ctx := asAdmin(t, a)
	accounts, err := a.AccountNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total, sources, averages := 0, map[string]bool{}, map[string]float64{}
	for _, acc := range accounts {
		s, err := a.TicketSummary(ctx, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.Count == 0 {
			t.Errorf("%s has no ticket ratings", acc.Name)
		}
		months := 0
		for _, m := range s.Months {
			if m.Count > 0 {
				months++
			}
		}
		if s.Count >= 20 && months < 8 {
			t.Errorf("%s: ratings in only %d of 12 months", acc.Name, months)
		}
		if s.Average < 1 || s.Average > 5 || s.CSAT < 0 || s.CSAT > 100 {
			t.Errorf("%s: average %v, CSAT %v", acc.Name, s.Average, s.CSAT)
		}
		averages[acc.Name] = s.Average
		total += s.Count
		items, _, err := a.TicketRatings(ctx, liaison.TicketRatingFilter{OrganisationID: acc.ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range items {
			sources[r.Source] = true
		}
	}
	if total != res.TicketRatings {
		t.Errorf("the summaries count %d ratings, the result says %d", total, res.TicketRatings)
	}
	if !sources["topdesk"] || !sources["servicenow"] {
		t.Errorf("sources %v, want topdesk and servicenow", sources)
	}
	lo, hi := 5.0, 1.0
	for _, v := range averages {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo < 0.4 {
		t.Errorf("account averages %v barely differ", averages)
	}
}
