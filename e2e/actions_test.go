package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestActionFlow: Anna, a relationship manager, opens My actions (her open
// actions, the overdue ones first), creates an action on Hälso- och
// sjukvård due in a week, marks it done with one click (htmx swaps the
// row: the title struck through, a Reopen button), reopens it from the
// action page, and opens the reviews due from My actions: Socialförvaltningen
// is overdue, Hälso- och sjukvård due within 30 days.
func TestActionFlow(t *testing.T) {
	anna := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const title = "Skicka förslag på dagordning till Karin Berg"

	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	step := stepper(t, anna, "fail-action-")
	text := textOf(t, anna)

	step("open My actions from the navigation",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#home-actions`),
		chromedp.Click(`.nav a[href="/actions"]`),
		waitPath("/actions", "/actions/"),
		chromedp.WaitVisible(`#actions .action-list`),
	)
	if first := text(`#actions .action-list > li:first-child`); !strings.Contains(first, "Overdue since") {
		t.Fatalf("the first of Anna's actions is not an overdue one: %q", first)
	}
	shot(t, anna, "actions-mine")
	step("create an action",
		chromedp.Click(`.page-header a[href="/actions/new"]`),
		waitPath("/actions/new", "x"),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, title),
		// The account picker: choose by the name the user reads.
		chromedp.Poll[chromedp.Void](`(() => { const s = document.querySelector('#f-organisation_id');
			const o = [...s.options].find(o => o.textContent.trim() === 'Hälso- och sjukvård'); if (!o) return false; s.value = o.value; return true; })()`),
		// A date input takes its value as YYYY-MM-DD whatever the locale shows.
		chromedp.Poll[chromedp.Void](`(document.querySelector('#f-due_date').value = '`+liaison.FormatDate(srv.App.Now().AddDate(0, 0, 7))+`') !== ''`),
		chromedp.SendKeys(`#f-description`, "Inför tjänsteuppföljningen: förändrade verksamhetsbehov, SLA, volymer."),
	)
	shot(t, anna, "action-form")
	step("save it",
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		waitPath("/actions/", "/actions/new"),
		chromedp.WaitVisible(`#h-history`),
	)
	as, _, err := srv.Store.FindActions(bg, liaison.ActionFilter{Q: "skicka dagordning", Limit: 2})
	if err != nil || len(as) != 1 || as[0].OwnerName != "Anna Lindqvist" || as[0].OrganisationName != "Hälso- och sjukvård" {
		t.Fatalf("stored: %+v %v", as, err)
	}
	id := as[0].ID
	row := `#action-` + id
	step("mark it done with one click",
		chromedp.Navigate(srv.URL+"/actions"),
		chromedp.WaitVisible(row),
		chromedp.Click(row+` button[data-action-done]`),
		chromedp.WaitVisible(row+` button[data-action-reopen]`),
		htmxSettled(),
	)
	if path, _ := chromedp.Run(anna, chromedp.Evaluate[string]("location.pathname")); path != "/actions" {
		t.Fatalf("the click left the page for %s", path)
	}
	if n, _ := chromedp.Run(anna, chromedp.Evaluate[int](`document.querySelectorAll('`+row+` s').length`)); n != 1 {
		t.Fatal("the done action's title is not struck through")
	}
	got, err := srv.Store.FindActionByID(bg, id)
	if err != nil || got.Status != liaison.ActionDone || got.DoneAt == nil {
		t.Fatalf("after the click: %+v %v", got, err)
	}
	shot(t, anna, "actions-done-row")
	step("reopen it from its page",
		chromedp.Navigate(srv.URL+"/actions/"+id),
		chromedp.WaitVisible(`button[data-status-to=open]`),
		chromedp.Click(`button[data-status-to=open]`),
		chromedp.WaitVisible(`button[data-status-to=done]`),
	)
	if got, _ := srv.Store.FindActionByID(bg, id); got.Status != liaison.ActionOpen {
		t.Fatalf("reopened: %s", got.Status)
	}
	shot(t, anna, "action-page")
	step("see the reviews due",
		chromedp.Navigate(srv.URL+"/actions"),
		chromedp.WaitVisible(`.page-header a[href="/reviews-due?mine=1"]`),
		chromedp.Click(`.page-header a[href="/reviews-due?mine=1"]`),
		waitPath("/reviews-due", "x"),
		chromedp.WaitVisible(`#reviews-due`),
	)
	if s := text(`#reviews-due tr[data-state=overdue]`); !strings.Contains(s, "Socialförvaltningen") {
		t.Fatalf("overdue: %q", s)
	}
	if s := text(`#reviews-due tr[data-state=due]`); !strings.Contains(s, "Hälso- och sjukvård") {
		t.Fatalf("due soon: %q", s)
	}
	shot(t, anna, "reviews-due")
	step("the home page's panels",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#home-reviews`),
	)
	shot(t, anna, "home-actions")
	// The pages in Swedish and the dark theme, to look at.
	if _, err := chromedp.Run(anna, chromedp.Evaluate[bool](`Promise.all([
		fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:'sv',next:'/'})}),
		fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:'dark',next:'/'})})]).then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	step("Swedish and dark",
		chromedp.Navigate(srv.URL+"/actions?view=overdue"),
		chromedp.WaitVisible(`#actions`),
	)
	shot(t, anna, "actions-overdue-sv-dark")
	step("reviews due, Swedish and dark",
		chromedp.Navigate(srv.URL+"/reviews-due"),
		chromedp.WaitVisible(`#reviews-due`),
	)
	shot(t, anna, "reviews-due-sv-dark")
	step("the account's actions, Swedish and dark",
		chromedp.Navigate(srv.URL+"/organisations/"+*got.OrganisationID+"/actions"),
		chromedp.WaitVisible(`#h-account-actions`),
	)
	shot(t, anna, "account-actions-sv-dark")
}
