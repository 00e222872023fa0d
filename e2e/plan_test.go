package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/liaisonhq/liaison/internal/demo"
)

// TestAccountPlanFlow: Anna, the relationship manager of Gymnasieskolan
// Polaris, opens the account's plan from the account page, adds a
// development initiative (save 1), then changes its date (save 2), and
// compares the two versions: the diff shows exactly that item, changed,
// with its date before and after.
func TestAccountPlanFlow(t *testing.T) {
	anna := Browser(t)
	srv := startDemo(t)
	const title = "Digitala nationella prov"
	acc := mustOrgID(t, srv, "Gymnasieskolan Polaris")

	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	step := stepper(t, anna, "fail-plan-")
	text := textOf(t, anna)
	before, err := srv.Store.FindAccountPlan(context.Background(), acc)
	if err != nil {
		t.Fatal(err)
	}
	n := len(before.Sections.DevelopmentInitiatives) // the blank row's index
	row := func(field string) string { return "#f-item-" + strconv.Itoa(n) + "-" + field }

	// Clicked by script: the sticky header may cover the button where the page scrolled to.
	js := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(`+expr+`, true)`))
			return err
		})
	}
	click := func(sel string) chromedp.Action[chromedp.Void] {
		return js(`document.querySelector('` + sel + `').click()`)
	}
	setDate := func(sel, d string) chromedp.Action[chromedp.Void] {
		return js(`document.querySelector('` + sel + `').value = '` + d + `'`)
	}
	edit := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(`#edit-development_initiatives`),
		click(`#edit-development_initiatives`),
		chromedp.WaitVisible(`#plan-editor`),
	}
	step("open the plan from the account page",
		chromedp.Navigate(srv.URL+"/organisations/"+acc),
		chromedp.Click(`#tab-plan`),
		waitPath("/organisations/"+acc+"/plan", "x"),
		chromedp.WaitVisible(`#plan-development_initiatives`),
	)
	step("add a development initiative", append(edit,
		chromedp.SendKeys(row("title"), title),
		setDate(row("date"), "2027-05-10"),
		chromedp.SendKeys(row("note"), "Skolverket kräver digitala prov från vårterminen."),
		click(`#plan-save`),
		chromedp.WaitNotPresent(`#plan-editor`),
		chromedp.WaitVisible(`#plan-development_initiatives`),
		htmxSettled(),
	)...)
	if s := text(`#plan-development_initiatives`); !strings.Contains(s, title) || !strings.Contains(s, "10 May 2027") {
		t.Fatalf("the initiative is not on the plan with its date: %q", s)
	}
	step("change its date", append(edit,
		setDate(row("date"), "2027-06-14"),
		click(`#plan-save`),
		chromedp.WaitNotPresent(`#plan-editor`),
		chromedp.WaitVisible(`#plan-development_initiatives`),
		htmxSettled(),
	)...)
	after, err := srv.Store.FindAccountPlan(context.Background(), acc)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version+2 {
		t.Fatalf("version %d after two saves from %d", after.Version, before.Version)
	}
	step("compare the two versions",
		chromedp.Click(`#plan-history`),
		chromedp.WaitVisible(`#plan-versions`),
		chromedp.Click(`#plan-compare`),
		chromedp.WaitVisible(`#plan-changes`),
	)
	shot(t, anna, "plan-diff-flow")
	items, err := chromedp.Run(anna, chromedp.Evaluate[int](`document.querySelectorAll('#plan-changes > li').length`))
	if err != nil || items != 1 {
		t.Fatalf("%d changes in the diff, want exactly 1 (%v)", items, err)
	}
	s := text(`#plan-changes`)
	for _, want := range []string{"Changed", "Development initiatives", title, "Date", "2027", "10", "14"} {
		if !strings.Contains(s, want) {
			t.Errorf("the diff lacks %q: %q", want, s)
		}
	}
	if strings.Contains(s, "Skolplattformen") {
		t.Errorf("the diff shows an item that did not change: %q", s)
	}
	if d := after.Sections.DevelopmentInitiatives[n].Date; d == nil || *d != "2027-06-14" {
		t.Fatalf("stored date %v", d)
	}
}
