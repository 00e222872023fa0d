package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// TestKPIsAPI checks every figure of GET /kpis against the records the
// test makes, counted by hand: two accounts (one managed by "manager", one
// in a segment without a manager), their roles, an agreement, complaints
// and actions; by period, manager and segment; and the refusals.
func TestKPIsAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e) // Malmö stad (manager): customer on the account, orderer below it
		now := e.app.Now().UTC()
		day := func(d int) string { return liaison.FormatDate(now.AddDate(0, 0, d)) }
		seg := e.create("admin", "/api/v1/segments", map[string]any{"name": "Stiftelser"})["id"].(string)
		other := e.org(map[string]any{"name": "Stiftelsen Ljus", "budget_holder": true, "segment": seg})["id"].(string)
		p := e.create("admin", "/api/v1/people", map[string]any{"name": "Sara Lind", "organisation_id": other})["id"].(string)
		e.create("admin", "/api/v1/roles", map[string]any{"person_id": p, "organisation_id": other, "role": "customer", "active": true})
		// Malmö: an agreement in force, never reviewed (so overdue), ending within 90 days.
		ag := e.create("admin", "/api/v1/agreements", map[string]any{"organisation_id": w.acct, "title": "Avtal", "type": "service_level",
			"signed_by_person_id": w.customer, "start_date": day(-30), "end_date": day(60)})
		e.patch("admin", "/api/v1/agreements/"+ag["id"].(string), ag["version"], map[string]any{"status": "negotiation"}).want(http.StatusOK)
		e.patch("admin", "/api/v1/agreements/"+ag["id"].(string), 2, map[string]any{"status": "active"}).want(http.StatusOK)
		complaint := func(org, class string, daysAgo int) {
			e.create("staff", "/api/v1/complaints", map[string]any{"organisation_id": org, "channel": "phone", "classification": class,
				"title": "Skrivaren", "received_at": now.AddDate(0, 0, -daysAgo).Format(time.RFC3339)})
		}
		complaint(w.acct, "complaint", 0)
		complaint(w.acct, "complaint", 10)
		complaint(w.acct, "suggestion", 0) // not a complaint
		complaint(other, "complaint", 0)
		// Two actions on Malmö, one overdue; one overdue on the foundation.
		e.create("admin", "/api/v1/actions", map[string]any{"title": "Rapport", "organisation_id": w.acct, "owner_id": e.users["staff"].ID, "due_date": day(-3)})
		e.create("admin", "/api/v1/actions", map[string]any{"title": "Möte", "organisation_id": w.acct, "owner_id": e.users["staff"].ID, "due_date": day(20)})
		e.create("admin", "/api/v1/actions", map[string]any{"title": "Brev", "organisation_id": other, "owner_id": e.users["staff"].ID, "due_date": day(-1)})

		manager := e.users["manager"].ID
		for _, c := range []struct {
			name  string
			query url.Values
			want  map[string]float64
		}{
			{"everything, all time", url.Values{}, map[string]float64{
				"customers_total": 2, "customers_with_it_contact": 1, "orderers_total": 1, "orderers_with_it_contact": 1,
				"accounts_total": 2, "accounts_with_active_agreement": 1, "agreement_share_percent": 50, "agreements_ending": 1,
				"complaints_in_period": 3, "complaints_open": 3, "reviews_overdue": 1, "actions_overdue": 2, "survey_ratings": 0, "ticket_ratings": 0}},
			{"the manager's accounts", url.Values{"manager_id": {manager}}, map[string]float64{
				"customers_total": 1, "customers_with_it_contact": 1, "orderers_total": 1, "orderers_with_it_contact": 1,
				"accounts_total": 1, "accounts_with_active_agreement": 1, "agreement_share_percent": 100,
				"complaints_in_period": 2, "complaints_open": 2, "reviews_overdue": 1, "actions_overdue": 1}},
			{"me as the manager", url.Values{"manager_id": {"me"}}, map[string]float64{"accounts_total": 1, "complaints_in_period": 2}},
			{"the segment", url.Values{"segment": {seg}}, map[string]float64{
				"customers_total": 1, "customers_with_it_contact": 0, "orderers_total": 0, "accounts_total": 1,
				"accounts_with_active_agreement": 0, "agreement_share_percent": 0, "complaints_in_period": 1, "complaints_open": 1,
				"reviews_overdue": 0, "actions_overdue": 1}},
			{"the last five days", url.Values{"from": {day(-5)}, "to": {day(0)}}, map[string]float64{
				"complaints_in_period": 2, "complaints_open": 3, "actions_overdue": 2}},
			{"until yesterday: states on that day", url.Values{"to": {day(-1)}}, map[string]float64{
				"customers_total": 0, "complaints_in_period": 1, "complaints_open": 1, "accounts_with_active_agreement": 1, "actions_overdue": 0}},
		} {
			t.Run(c.name, func(t *testing.T) {
				as := "viewer"
				if c.query.Get("manager_id") == "me" {
					as = "manager"
				}
				k := e.req(as, "GET", "/api/v1/kpis?"+c.query.Encode(), nil).want(http.StatusOK).JSON()
				for field, want := range c.want {
					if got, ok := k[field].(float64); !ok || got != want {
						t.Errorf("%s = %v, want %v", field, k[field], want)
					}
				}
				for _, field := range []string{"satisfaction_csat", "satisfaction_nps", "ticket_rating"} {
					if v, ok := k[field]; !ok || v != nil {
						t.Errorf("%s = %v, want null (no responses or ratings)", field, v)
					}
				}
				if to := c.query.Get("to"); k["to"] != map[bool]string{true: day(0), false: to}[to == ""] {
					t.Errorf("to = %v", k["to"])
				}
			})
		}
		// Refusals name the field.
		e.req("viewer", "GET", "/api/v1/kpis?manager_id=nobody", nil).want(http.StatusUnprocessableEntity).fieldError("manager_id", "unknown")
		e.req("viewer", "GET", "/api/v1/kpis?segment=nothing", nil).want(http.StatusUnprocessableEntity).fieldError("segment", "unknown")
		e.req("viewer", "GET", "/api/v1/kpis?from="+day(0)+"&to="+day(-1), nil).want(http.StatusUnprocessableEntity).fieldError("to", "invalid")
		e.req("viewer", "GET", "/api/v1/kpis?from=31.12.2026", nil).problem(http.StatusUnprocessableEntity)
	})
}

// TestOrganisationsSortByHealth orders accounts by relationship health
// both ways and pages through the order.
func TestOrganisationsSortByHealth(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		strong := e.org(map[string]any{"name": "A Stark", "budget_holder": true})["id"].(string)
		weak := e.org(map[string]any{"name": "B Svag", "budget_holder": true})["id"].(string)
		e.org(map[string]any{"name": "C Enhet", "parent_id": weak}) // not an account: last
		now := e.app.Now().UTC()
		for range 3 { // open complaints and an overdue action weaken B
			e.create("staff", "/api/v1/complaints", map[string]any{"organisation_id": weak, "channel": "phone", "classification": "complaint",
				"title": "Nere", "received_at": now.Format(time.RFC3339)})
		}
		e.create("admin", "/api/v1/actions", map[string]any{"title": "Svar", "organisation_id": weak, "owner_id": e.users["staff"].ID,
			"due_date": liaison.FormatDate(now.AddDate(0, 0, -2))})
		names := func(items []map[string]any) []string {
			var out []string
			for _, it := range items {
				out = append(out, it["id"].(string))
			}
			return out
		}
		for _, c := range []struct {
			sort string
			want []string
		}{{"health", []string{weak, strong}}, {"-health", []string{strong, weak}}} {
			got := names(e.req("viewer", "GET", "/api/v1/organisations?budget_holder=true&sort="+c.sort, nil).want(http.StatusOK).Items())
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("sort=%s: %v, want %v", c.sort, got, c.want)
			}
		}
		// Every unit: the accounts by health, then the unit without a score.
		all := e.req("viewer", "GET", "/api/v1/organisations?sort=health", nil).want(http.StatusOK).Items()
		if len(all) != 3 || all[0]["id"] != weak || all[2]["name"] != "C Enhet" {
			t.Errorf("every unit by health: %v", names(all))
		}
		// One at a time through the cursor.
		first := e.req("viewer", "GET", "/api/v1/organisations?budget_holder=true&sort=-health&limit=1", nil).want(http.StatusOK).JSON()
		next, _ := first["next_cursor"].(string)
		if items := first["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != strong || next == "" {
			t.Fatalf("first page %v", first)
		}
		second := e.req("viewer", "GET", "/api/v1/organisations?budget_holder=true&sort=-health&limit=1&cursor="+url.QueryEscape(next), nil).want(http.StatusOK).JSON()
		if items := second["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != weak || second["next_cursor"] != "" && second["next_cursor"] != nil {
			t.Fatalf("second page %v", second)
		}
		e.req("viewer", "GET", "/api/v1/organisations?sort=health&cursor=bogus", nil).problem(http.StatusBadRequest)
	})
}
