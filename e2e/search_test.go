package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/liaisonhq/liaison/internal/demo"
)

// TestSearchFlow: the admin presses "/" anywhere, types a demo person's
// name without its diacritics ("asa engstrom" for Åsa Engström) in the top
// bar and presses Enter; the results list her under people with the typed
// words marked, and her name opens her page. The people tab keeps the query.
func TestSearchFlow(t *testing.T) {
	b := Browser(t)
	srv := startDemo(t)
	signIn(t, b, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, b)
	step := stepper(t, b, "fail-search-")
	text := textOf(t, b)
	step("press / and type without diacritics",
		chromedp.Navigate(srv.URL+"/accounts"),
		chromedp.WaitVisible(`#global-search`),
		chromedp.KeyEvent("/"),
		chromedp.SendKeys(`#global-search:focus`, "asa engstr\r"),
		waitPath("/search", "x"),
		chromedp.WaitVisible(`#h-person`),
	)
	shot(t, b, "search-results")
	if s := text(`.search-group:has(#h-person)`); !strings.Contains(s, "Åsa Engström") {
		t.Fatalf("people found: %q", s)
	}
	if s := text(`.search-group:has(#h-person) a.title mark`); s != "Åsa" {
		t.Fatalf("first marked word: %q", s)
	}
	step("the people tab",
		chromedp.Click(`nav.tabs a[href*="kind=person"]`),
		waitPath("/search", "x"),
		chromedp.WaitVisible(`nav.tabs a[aria-current=page][href*="kind=person"]`),
		chromedp.WaitVisible(`#h-person`),
	)
	step("open her page",
		chromedp.Click(`.search-group:has(#h-person) a.title`),
		waitPath("/people/", "/people/new"),
		chromedp.WaitVisible(`.page-header h1`),
	)
	if s := text(`.page-header h1`); !strings.Contains(s, "Åsa Engström") {
		t.Fatalf("opened %q", s)
	}
}
