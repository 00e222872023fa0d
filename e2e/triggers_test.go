package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestTriggerFlow: the admin logs a trigger for Gymnasieskolan Polaris
// from the header's "Log a trigger", choosing the account and the kind;
// the trigger page names its task for Anna Lindqvist, the account's
// relationship manager; Anna finds the task on her home page, and Mikael
// Öberg, the account's deputy, finds it on his.
func TestTriggerFlow(t *testing.T) {
	admin := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const title = "Rektorn vill ha fler elevdatorer till hösten"
	acc, _, err := srv.Store.FindOrganisations(bg, liaison.OrganisationFilter{Q: "Gymnasieskolan Polaris", Limit: 2})
	if err != nil || len(acc) != 1 {
		t.Fatalf("Polaris: %v %v", acc, err)
	}

	signIn(t, admin, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, admin)
	step := stepper(t, admin, "fail-trigger-")
	text := textOf(t, admin)
	step("log a trigger from the header",
		chromedp.Navigate(srv.URL+"/accounts"),
		chromedp.WaitVisible(`#log-trigger`),
		chromedp.Click(`#log-trigger`),
		waitPath("/triggers/new", "x"),
		chromedp.WaitVisible(`#f-organisation_id`),
		chromedp.SetValue(`#f-organisation_id`, acc[0].ID),
		chromedp.Click(`input[name=kind][value=change_proposal]`),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SendKeys(`#f-description`, "Fler elever i teknikprogrammet från augusti."),
	)
	shot(t, admin, "trigger-form")
	step("submit",
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#trigger-status`),
		htmxSettled(),
	)
	if s := text(`#task`); !strings.Contains(s, title) || !strings.Contains(s, "Anna Lindqvist") {
		t.Fatalf("the trigger's task: %q", s)
	}
	if s := text(`#trigger-account`); s != "Gymnasieskolan Polaris" {
		t.Fatalf("account: %q", s)
	}
	shot(t, admin, "trigger-page")
	ts, _, err := srv.Store.FindTriggers(bg, liaison.TriggerFilter{Q: "elevdatorer", Limit: 2})
	if err != nil || len(ts) != 1 || ts[0].Source != liaison.TriggerManual {
		t.Fatalf("stored: %v %v", ts, err)
	}

	anna := Browser(t)
	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	astep := stepper(t, anna, "fail-trigger-manager-")
	astep("the manager's home lists the task", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#home-actions`))
	if s := textOf(t, anna)(`#home-actions`); !strings.Contains(s, title) {
		t.Fatalf("Anna's actions: %q", s)
	}

	mikael := Browser(t)
	signIn(t, mikael, srv.URL, "mikael.oberg@liaison.demo", demo.Password)
	english(t, mikael)
	mstep := stepper(t, mikael, "fail-trigger-deputy-")
	mstep("the deputy's home lists it too", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`#home-deputised`))
	if s := textOf(t, mikael)(`#home-deputised`); !strings.Contains(s, title) || !strings.Contains(s, "Anna Lindqvist") {
		t.Fatalf("Mikael's deputised actions: %q", s)
	}
	shot(t, mikael, "trigger-deputy-home")
	mstep("the task leads to its trigger",
		chromedp.Navigate(srv.URL+"/actions/"+ts[0].ActionID),
		chromedp.WaitVisible(`#action-trigger`),
		chromedp.Click(`#action-trigger`),
		waitPath("/triggers/"+ts[0].ID, "x"),
		chromedp.WaitVisible(`#trigger-status`),
	)
}
