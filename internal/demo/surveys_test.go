package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestSurveys: three closed campaigns give a trend of three points with
// different CSAT, the hospital improving and the energy company dipping;
// the anonymous campaign suppresses its small groups; the open campaign
// has recipients who have not answered.
func TestSurveys(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Surveys != 1 || res.Campaigns != 4 || res.SurveyResponses < 20 {
		t.Fatalf("result %+v", res)
	}
	ctx := asAdmin(t, a)
	surveys, _, err := a.Surveys(ctx, liaison.SurveyFilter{Limit: 10})
	if err != nil || len(surveys) != 1 {
		t.Fatalf("surveys %v, %v", surveys, err)
	}
	for _, q := range surveys[0].Questions {
		for _, l := range liaison.Languages {
			if q.Text[l] == "" {
				t.Errorf("question %s has no text in %s", q.ID, l)
			}
		}
	}
	cs, _, err := a.Campaigns(ctx, liaison.CampaignFilter{Sort: "closes_on", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var anon, open *liaison.Campaign
	closed := 0
	for _, c := range cs {
		switch {
		case c.Status == liaison.CampaignOpen:
			open = c
		case c.Status == liaison.CampaignClosed:
			closed++
			if c.ClosesOn >= liaison.FormatDate(today) {
				t.Errorf("%s closed but closes on %s", c.Title, c.ClosesOn)
			}
			if c.Anonymous {
				anon = c
			}
		}
	}
	if closed != 3 || anon == nil || open == nil {
		t.Fatalf("campaigns %+v", cs)
	}
	pending, err := a.Store.PendingRecipients(ctx, open.ID)
	if err != nil || len(pending) == 0 || open.Responses == 0 {
		t.Fatalf("open campaign: %d responses, %d pending, %v", open.Responses, len(pending), err)
	}

	accounts, err := a.AccountNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, acc := range accounts {
		byName[acc.Name] = acc.ID
	}
	csat := func(f liaison.ResultFilter) []float64 {
		t.Helper()
		points, err := a.CampaignTrend(ctx, surveys[0].ID, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, p := range points[:3] { // the closed ones, by closing date
			if p.Total.CSAT == nil {
				t.Fatalf("%s: no CSAT for %+v", p.Title, f)
			}
			out = append(out, *p.Total.CSAT)
		}
		if len(points) != 4 {
			t.Fatalf("%d trend points", len(points))
		}
		return out
	}
	total := csat(liaison.ResultFilter{})
	t.Logf("total CSAT by campaign %v", total)
	if total[0] == total[1] || total[1] == total[2] || total[0] == total[2] {
		t.Errorf("total CSAT %v: no trend", total)
	}
	hosp := csat(liaison.ResultFilter{OrganisationID: byName["Norrskenssjukhuset"]})
	t.Logf("hospital CSAT %v", hosp)
	if !(hosp[0] < hosp[2]) {
		t.Errorf("the hospital does not improve: %v", hosp)
	}
	// The anonymous campaign suppresses the energy company's small group,
	// so its trend is read from the named campaigns.
	points, err := a.CampaignTrend(ctx, surveys[0].ID, liaison.ResultFilter{OrganisationID: byName["Norrsken Energi AB"]})
	if err != nil {
		t.Fatal(err)
	}
	if p0, p2 := points[0].Total.CSAT, points[2].Total.CSAT; p0 == nil || p2 == nil || !(*p0 > *p2) {
		t.Errorf("the energy company does not dip: %+v", points)
	}

	r, err := a.CampaignResults(ctx, anon.ID, liaison.ByAccount, liaison.ResultFilter{})
	if err != nil {
		t.Fatal(err)
	}
	suppressed, shown := 0, 0
	for _, g := range r.Groups {
		if g.Suppressed {
			suppressed++
			if g.Responses != 0 || g.CSAT != nil || g.Questions != nil {
				t.Errorf("suppressed group %s shows numbers: %+v", g.Key, g)
			}
		} else if g.Responses > 0 {
			shown++
			if g.Responses < liaison.AnonymityThreshold {
				t.Errorf("group %s shown with %d responses", g.Key, g.Responses)
			}
		}
	}
	if suppressed == 0 || r.Total.Suppressed {
		t.Errorf("anonymous campaign: %d groups suppressed, %d shown, total suppressed %v", suppressed, shown, r.Total.Suppressed)
	}
}
