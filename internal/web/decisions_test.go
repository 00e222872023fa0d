package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var decisionLeak = regexp.MustCompile(`(?:^|[\s>"(])(decision\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestDecisionPagesInEveryLanguage renders the decision lists and form in
// each language on every engine.
func TestDecisionPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ds, _, err := e.app.Decisions(adminCtx(), liaison.DecisionFilter{Limit: 1})
		if err != nil || len(ds) == 0 {
			t.Fatalf("demo decisions: %v", err)
		}
		d := ds[0]
		pages := []string{"/services/" + d.ServiceID, "/organisations/" + d.OrganisationID + "/services",
			"/decisions/new?organisation_id=" + d.OrganisationID, "/decisions/new?service_id=" + d.ServiceID, "/decisions/" + d.ID + "/edit"}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
					continue
				}
				checkPage(t, p, body, lang)
				if m := decisionLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
				if strings.Contains(p, "/services") && !strings.Contains(body, html.EscapeString(d.Summary)) {
					t.Errorf("%s (%s): the decision is not listed", p, lang)
				}
			}
		}
	})
}

// TestDecisionFlow: a decision recorded with an orderer as decider is
// refused naming the customer; with the customer it is saved and listed.
func TestDecisionFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := adminCtx()
	ds, _, err := e.app.Decisions(ctx, liaison.DecisionFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var d *liaison.ServiceDecision
	for _, x := range ds {
		if x.PreparedWithID != nil {
			d = x
		}
	}
	if d == nil {
		t.Fatal("no demo decision prepared with an orderer")
	}
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	form := url.Values{"organisation_id": {d.OrganisationID}, "service_id": {d.ServiceID}, "kind": {"change"},
		"summary": {"Extend to the new clinic"}, "prepared_with_person_id": {*d.PreparedWithID},
		"decided_by_person_id": {*d.PreparedWithID}, "decided_on": {"2026-04-01"}}
	res, body := c.post("/decisions", form)
	want := "Only the account&#39;s customer, " + html.EscapeString(d.DecidedByName) + ", can decide."
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) || !strings.Contains(body, `value="Extend to the new clinic"`) {
		t.Fatalf("decided by an orderer: %d, want %q", res.StatusCode, want)
	}
	// The form offers the account's usages; the decision concerns one.
	uses, _, err := e.app.Subscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: d.OrganisationID, ServiceID: d.ServiceID, Limit: 1})
	if err != nil || len(uses) != 1 {
		t.Fatalf("the account's usage of the service: %v, %v", uses, err)
	}
	if !strings.Contains(body, `<option value="`+uses[0].ID+`">`+html.EscapeString(uses[0].ServiceName)+" · "+uses[0].Level) {
		t.Error("the form does not offer the account's usage")
	}
	form.Set("subscription_id", uses[0].ID)
	form.Set("decided_by_person_id", d.DecidedByPersonID)
	res, _ = c.post("/decisions", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/organisations/"+d.OrganisationID+"/services" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	got, _, err := e.app.Decisions(ctx, liaison.DecisionFilter{Q: "clinic", Limit: 2})
	if err != nil || len(got) != 1 || got[0].SubscriptionID == nil || *got[0].SubscriptionID != uses[0].ID {
		t.Fatalf("stored decision %v, %v", got, err)
	}
	_, body = c.get("/organisations/" + d.OrganisationID + "/services")
	if !strings.Contains(body, "Extend to the new clinic") {
		t.Error("the account's services tab does not list the decision")
	}
	_, body = c.get("/services/" + d.ServiceID)
	if !strings.Contains(body, "Extend to the new clinic") {
		t.Error("the service page does not list the decision")
	}
}
