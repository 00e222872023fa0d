package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestBusinessPlanFlow: Anna, relationship manager of Socialförvaltningen,
// adds a goal of the customer's business plan with a review date already
// past; it shows overdue on the account's tab and in the overdue reviews
// across accounts, her own first; she marks it reviewed and it leaves the
// list with its next review a year ahead.
func TestBusinessPlanFlow(t *testing.T) {
	anna := Browser(t)
	srv := startDemo(t)
	const goal = "Välfärdsteknik i alla särskilda boenden"
	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	step := stepper(t, anna, "fail-bizplan-")
	text := textOf(t, anna)
	social := mustOrgID(t, srv, "Socialförvaltningen")

	step("add a plan item from the account's tab",
		chromedp.Navigate(srv.URL+"/organisations/"+social+"/business-plans"),
		chromedp.WaitVisible(`#business-plans`),
		chromedp.Click(`#add-business-plan`),
		waitPath("/business-plans/new", "x"),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, goal),
		chromedp.SetValue(`#f-horizon`, string(liaison.HorizonMedium)),
		chromedp.SendKeys(`#f-it_effect`, "Trygghetslarm, digital tillsyn och wifi i alla lägenheter."),
		chromedp.SetValue(`#f-source_url`, "https://www.norrsken.example/social/verksamhetsplan.pdf"),
		chromedp.SetValue(`#f-review_date`, "2026-11-02"),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		waitPath("/organisations/"+social+"/business-plans", "x"),
		chromedp.WaitVisible(`#account-business-plans`),
	)
	if s := text(`#account-business-plans`); !strings.Contains(s, goal) || !strings.Contains(s, "Overdue since") {
		t.Fatalf("the account's tab: %q", s)
	}
	if s := text(`#plans-overdue`); !strings.Contains(s, "past") {
		t.Fatalf("the overdue alert: %q", s)
	}
	shot(t, anna, "bizplan-account-tab")
	step("the overdue reviews list it, hers first",
		chromedp.Navigate(srv.URL+"/business-plans/overdue"),
		chromedp.WaitVisible(`#overdue-plans table`),
	)
	rows := text(`#overdue-plans tbody`)
	if !strings.Contains(rows, goal) {
		t.Fatalf("the overdue list lacks the item: %q", rows)
	}
	first := text(`#overdue-plans tbody tr:first-child`)
	if !strings.Contains(first, "Yours") {
		t.Fatalf("her own accounts do not come first: %q", first)
	}
	shot(t, anna, "bizplan-overdue")
	found, _, err := srv.Store.FindBusinessPlanItems(context.Background(), liaison.BusinessPlanFilter{Q: "välfärdsteknik", Limit: 2})
	if err != nil || len(found) != 1 {
		t.Fatalf("stored: %+v %v", found, err)
	}
	step("open it and mark it reviewed",
		chromedp.Click(`#overdue-plans a.primary[href="/business-plans/`+found[0].ID+`"]`),
		chromedp.WaitVisible(`#review-form`),
		chromedp.WaitVisible(`#bizplan-overdue`),
		chromedp.Click(`#mark-reviewed`),
		chromedp.WaitVisible(`.toast`),
		htmxSettled(),
	)
	if s := text(`#review-date`); strings.Contains(s, "Overdue") {
		t.Fatalf("still overdue after the review: %q", s)
	}
	shot(t, anna, "bizplan-reviewed")
	step("no longer overdue", chromedp.Navigate(srv.URL+"/business-plans/overdue"), chromedp.WaitVisible(`#overdue-plans`))
	if s := text(`#overdue-plans`); strings.Contains(s, goal) {
		t.Fatalf("the reviewed item is still listed: %q", s)
	}
	items, _, err := srv.Store.FindBusinessPlanItems(context.Background(), liaison.BusinessPlanFilter{Q: "välfärdsteknik", Limit: 2})
	if err != nil || len(items) != 1 || items[0].LastReviewedOn == nil || items[0].LastReviewedBy != "Anna Lindqvist" {
		t.Fatalf("stored: %+v %v", items, err)
	}
}

// TestWatchFlow: Lena (staff) notes a new technology linked to an account
// and turns it into an improvement suggestion with one button, landing on
// the improvement; the note is then proposed and offers no second one.
func TestWatchFlow(t *testing.T) {
	lena := Browser(t)
	srv := startDemo(t)
	const title = "Digital nyckelhantering i hemtjänsten"
	signIn(t, lena, srv.URL, "lena.pettersson@liaison.demo", demo.Password)
	english(t, lena)
	step := stepper(t, lena, "fail-watch-")
	text := textOf(t, lena)
	social := mustOrgID(t, srv, "Socialförvaltningen")

	step("note it from the watch list",
		chromedp.Navigate(srv.URL+"/watch"),
		chromedp.WaitVisible(`#watch-notes`),
		chromedp.Click(`#new-watch`),
		waitPath("/watch/new", "x"),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SendKeys(`#f-summary`, "Elektroniska lås och nycklar i mobilen ersätter fysiska nycklar hos brukarna."),
		chromedp.SendKeys(`#f-relevance_note`, "Färre borttappade nycklar och snabbare besök."),
		chromedp.SetValue(`#f-relevance`, string(liaison.RelevanceHigh)),
		chromedp.SetValue(`#f-organisation_ids`, social),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#watch-status`),
	)
	if s := text(`#watch-status`); !strings.Contains(s, "Noted") {
		t.Fatalf("status: %q", s)
	}
	shot(t, lena, "watch-note")
	step("make it an improvement suggestion",
		chromedp.Click(`#make-improvement`),
		waitPath("/improvements/", "x"),
		chromedp.WaitVisible(`#improvement-status`),
	)
	if s := text(`h1`); s != title {
		t.Fatalf("landed on %q", s)
	}
	if s := text(`.page-header .badges`); !strings.Contains(s, "Proposed") || !strings.Contains(s, "Technology watch") {
		t.Fatalf("the improvement's badges: %q", s)
	}
	shot(t, lena, "watch-improvement")
	notes, _, err := srv.Store.FindWatchNotes(context.Background(), liaison.WatchFilter{Q: "nyckelhantering", Limit: 2})
	if err != nil || len(notes) != 1 || notes[0].Status != liaison.WatchProposed || notes[0].ImprovementID == nil {
		t.Fatalf("stored note: %+v %v", notes, err)
	}
	step("the note links it and offers no second one",
		chromedp.Navigate(srv.URL+"/watch/"+notes[0].ID),
		chromedp.WaitVisible(`#watch-improvement`),
	)
	if n, _ := chromedp.Run(lena, chromedp.Evaluate[int](`document.querySelectorAll('#make-improvement').length`)); n != 0 {
		t.Fatal("a proposed note still offers the improvement button")
	}
	step("the account shows the linked note",
		chromedp.Navigate(srv.URL+"/organisations/"+social+"/business-plans"),
		chromedp.WaitVisible(`#account-watch`),
	)
	if s := text(`#account-watch`); !strings.Contains(s, title) {
		t.Fatalf("the account's watch notes: %q", s)
	}
}

// bizWatchShots are the business plan and watch pages of the screenshot
// test, seen by Anna: her account's tab and form, an overdue item, the
// overdue list, the watch list, the note that became an improvement, the
// note form.
func bizWatchShots(t *testing.T, srv *cli.Running) map[string]string {
	t.Helper()
	social := mustOrgID(t, srv, "Socialförvaltningen")
	hospital := mustOrgID(t, srv, "Norrskenssjukhuset")
	bg := context.Background()
	items, _, err := srv.Store.FindBusinessPlanItems(bg, liaison.BusinessPlanFilter{OrganisationID: hospital, Sort: "review_date", Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("no demo plan item: %v", err)
	}
	notes, _, err := srv.Store.FindWatchNotes(bg, liaison.WatchFilter{Status: liaison.WatchProposed, Limit: 1})
	if err != nil || len(notes) == 0 {
		t.Fatalf("no proposed demo watch note: %v", err)
	}
	return map[string]string{
		"business-plans": "/organisations/" + hospital + "/business-plans", "bizplan": "/business-plans/" + items[0].ID,
		"bizplan-new": "/business-plans/new?organisation_id=" + social, "bizplans-overdue": "/business-plans/overdue",
		"watch": "/watch", "watch-note": "/watch/" + notes[0].ID, "watch-new": "/watch/new",
	}
}
