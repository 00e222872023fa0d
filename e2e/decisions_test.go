package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestDecisionFlow records a decision on a customer-specific service from
// the account's services tab with the orderer it was prepared with as the
// decider, sees the refusal naming the customer, chooses the customer and
// sees the decision listed.
func TestDecisionFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	ds, _, err := srv.Store.FindDecisions(bg, liaison.DecisionFilter{Limit: 100})
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
	const summary = "Utökning till nya mottagningen"

	step := stepper(t, ctx, "fail-decision-")
	text := textOf(t, ctx)

	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.AdminEmail),
		chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/agreements"]`),
	)
	step("open the form from the account's services tab",
		chromedp.Navigate(srv.URL+"/organisations/"+d.OrganisationID+"/services"),
		chromedp.WaitVisible(`#decisions`),
		chromedp.Click(`a[href^="/decisions/new"]`),
		chromedp.WaitVisible(`#f-summary`),
	)
	step("decided by the orderer",
		chromedp.SetValue(`#f-service_id`, d.ServiceID),
		chromedp.SetValue(`#f-kind`, string(liaison.DecisionChange)),
		chromedp.SendKeys(`#f-summary`, summary),
		chromedp.SetValue(`#f-prepared_with_person_id`, *d.PreparedWithID),
		chromedp.SetValue(`#f-decided_by_person_id`, *d.PreparedWithID),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#f-decided_by_person_id-error`),
	)
	shot(t, ctx, "decision-refused")
	if s := text(`#f-decided_by_person_id-error`); !strings.Contains(s, d.DecidedByName) {
		t.Fatalf("the refusal %q does not name the customer %s", s, d.DecidedByName)
	}
	step("decided by the customer",
		chromedp.SetValue(`#f-decided_by_person_id`, d.DecidedByPersonID),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#decisions`),
	)
	if s := text(`#decisions`); !strings.Contains(s, summary) {
		t.Fatalf("the list lacks the decision: %q", s)
	}
	list, _, err := srv.Store.FindDecisions(bg, liaison.DecisionFilter{Q: "mottagningen", Limit: 2})
	if err != nil || len(list) != 1 || list[0].DecidedByPersonID != d.DecidedByPersonID || list[0].PreparedWithID == nil {
		t.Fatalf("stored decisions %v, %v", list, err)
	}
}
