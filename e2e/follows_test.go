package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestFollowFlow: Elin Åkesson follows Gymnasieskolan Polaris from its
// page; the admin logs a trigger on it; Elin's bell counts one unread
// notification, the notifications page lists it under the account, and
// opening it shows the trigger; the bell counts the task's one left.
func TestFollowFlow(t *testing.T) {
	elin := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const title = "Polaris vill utöka det trådlösa nätet"
	acc, _, err := srv.Store.FindOrganisations(bg, liaison.OrganisationFilter{Q: "Gymnasieskolan Polaris", Limit: 2})
	if err != nil || len(acc) != 1 {
		t.Fatalf("Polaris: %v %v", acc, err)
	}
	polaris := acc[0].ID

	signIn(t, elin, srv.URL, "elin.akesson@liaison.demo", demo.Password)
	english(t, elin)
	step := stepper(t, elin, "fail-follow-")
	text := textOf(t, elin)
	step("follow the account from its page",
		chromedp.Navigate(srv.URL+"/organisations/"+polaris),
		chromedp.WaitVisible(`#follow-button`),
		chromedp.Click(`#follow-button`),
		chromedp.WaitVisible(`#follow-button[aria-pressed=true]`),
		htmxSettled(),
	)
	if s := text(`#follow-button`); !strings.Contains(s, "Following") {
		t.Fatalf("the button says %q after following", s)
	}
	if s := text(`#followers-count`); s != "1" {
		t.Fatalf("followers: %q", s)
	}
	shot(t, elin, "follow-account")

	admin := Browser(t)
	signIn(t, admin, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, admin)
	astep := stepper(t, admin, "fail-follow-admin-")
	astep("the admin logs a trigger on the account",
		chromedp.Navigate(srv.URL+"/triggers/new?organisation_id="+polaris),
		chromedp.WaitVisible(`#f-title`),
		chromedp.Click(`input[name=kind][value=change_proposal]`),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#trigger-status`),
	)

	step("the bell counts it",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#bell-count`),
	)
	if s := text(`#bell-count`); s != "2" { // the trigger and the task it opened

		t.Fatalf("bell: %q", s)
	}
	step("open the notifications",
		chromedp.Click(`#bell`),
		waitPath("/notifications", "/notifications/"),
		chromedp.WaitVisible(`#notifications .notify-item.unread`),
	)
	if s := text(`#notifications`); !strings.Contains(s, "Gymnasieskolan Polaris") || !strings.Contains(s, title) ||
		!strings.Contains(s, "Demo Administrator") {
		t.Fatalf("notifications: %q", s)
	}
	shot(t, elin, "notifications")
	step("open the notification",
		chromedp.Click(`#notifications .notify-item.unread a.notify-open[href*="%2Ftriggers%2F"]`),
		chromedp.WaitVisible(`#trigger-status`),
	)
	if !strings.Contains(text(`h1`), title) {
		t.Fatalf("opened %q", text(`h1`))
	}
	if s := text(`#bell-count`); s != "1" {
		t.Fatalf("the bell counts %q after opening one of two", s)
	}
}
