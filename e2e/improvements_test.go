package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestImprovementFlow: Lena (staff, a service owner) proposes an
// improvement from the list and names herself owner; Karin, the head of
// service management, approves it with a note; Lena starts the work,
// records a progress update visible to the customer, is refused "done"
// without the realised effect, and marks it done with it; the report of
// realised effects lists it.
func TestImprovementFlow(t *testing.T) {
	lena := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const title = "Utskrift från mobilen i skolorna"
	const effect = "Utskriftsköerna halverades på Norrbyskolan"

	signIn(t, lena, srv.URL, "lena.pettersson@liaison.demo", demo.Password)
	english(t, lena)
	step := stepper(t, lena, "fail-improvement-")
	text := textOf(t, lena)
	u, err := srv.Store.FindUserByEmail(bg, "lena.pettersson@liaison.demo")
	if err != nil {
		t.Fatal(err)
	}
	step("propose from the list",
		chromedp.Navigate(srv.URL+"/improvements"),
		chromedp.WaitVisible(`#improvements`),
		chromedp.Click(`.page-header a[href="/improvements/new"]`),
		waitPath("/improvements/new", "x"),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SetValue(`#f-origin`, string(liaison.OriginReview)),
		chromedp.SetValue(`#f-owner_id`, u.ID),
		chromedp.SendKeys(`#f-expected_benefit`, "Kortare köer vid skrivarna"),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#improvement-status`),
		htmxSettled(),
	)
	if s := text(`#improvement-status`); !strings.Contains(s, "Proposed") {
		t.Fatalf("status after proposing: %q", s)
	}
	if n, _ := chromedp.Run(lena, chromedp.Evaluate[int](`document.querySelectorAll('button[data-status=approved]').length`)); n != 0 {
		t.Fatal("staff are offered the approval")
	}
	is, _, err := srv.Store.FindImprovements(bg, liaison.ImprovementFilter{Q: "utskrift mobilen", Limit: 2})
	if err != nil || len(is) != 1 {
		t.Fatalf("stored: %v %v", is, err)
	}
	page := srv.URL + "/improvements/" + is[0].ID

	karin := Browser(t)
	signIn(t, karin, srv.URL, "karin.holmberg@liaison.demo", demo.Password)
	english(t, karin)
	hstep := stepper(t, karin, "fail-improvement-head-")
	hstep("the head sees the demand raised by several accounts",
		chromedp.Navigate(srv.URL+"/improvements"),
		chromedp.WaitVisible(`#flagged`),
	)
	shot(t, karin, "improvement-flagged")
	hstep("approve with a note",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#status-form`),
		chromedp.SendKeys(`#f-decision_note`, "Godkänt som försök under vårterminen"),
		chromedp.Click(`button[data-status=approved]`),
		chromedp.WaitVisible(`.toast`),
		htmxSettled(),
	)
	if s, _ := chromedp.Run(karin, chromedp.Text(`#decision`)); !strings.Contains(s, "Karin Holmberg") {
		t.Fatalf("the decision does not name the head: %q", s)
	}

	step("start the work",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`button[data-status=in_progress]`),
		chromedp.Click(`button[data-status=in_progress]`),
		chromedp.WaitVisible(`button[data-status=done]`), // only on the new page
		htmxSettled(),
	)
	step("a progress update visible to the customer",
		chromedp.Click(`#add-update summary`),
		chromedp.WaitVisible(`#f-note`),
		chromedp.SendKeys(`#f-note`, "Pilot på Norrbyskolan från måndag"),
		chromedp.Click(`#f-customer_visible`),
		chromedp.Click(`#add-update button[type=submit]`),
		chromedp.WaitVisible(`#update-list`),
		htmxSettled(),
	)
	if s := text(`#update-list`); !strings.Contains(s, "Pilot på Norrbyskolan") || !strings.Contains(s, "Visible to the customer") {
		t.Fatalf("the timeline: %q", s)
	}
	step("done without the effect is refused",
		chromedp.Click(`button[data-status=done]`),
		chromedp.WaitVisible(`#refusal`),
		htmxSettled(),
	)
	shot(t, lena, "improvement-refused")
	step("done with the realised effect",
		chromedp.WaitVisible(`#f-realised_effect`),
		chromedp.SendKeys(`#f-realised_effect`, effect),
		chromedp.Click(`button[data-status=done]`),
		chromedp.WaitVisible(`#realised-effect`),
	)
	if s := text(`#improvement-status`); !strings.Contains(s, "Done") {
		t.Fatalf("status: %q", s)
	}
	shot(t, lena, "improvement-done")
	step("the report lists it", chromedp.Navigate(srv.URL+"/improvements/report"), chromedp.WaitVisible(`#report`))
	if s := text(`#report`); !strings.Contains(s, effect) {
		t.Fatalf("the report lacks the effect: %q", s)
	}
	yes := true
	us, err := srv.Store.FindImprovementUpdates(bg, liaison.ImprovementUpdateFilter{ImprovementID: is[0].ID, CustomerVisible: &yes})
	if err != nil || len(us) != 1 {
		t.Fatalf("customer-visible updates: %v %v", us, err)
	}
}
