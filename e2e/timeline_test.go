package e2e

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestAccountTimeline: an administrator opens a busy demo account's
// timeline, loads more (htmx appends the next page below the first), then
// narrows it to people and roles with a category chip: every event shown is
// then of that category, and the chip is marked current.
func TestAccountTimeline(t *testing.T) {
	b := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	// A demo account with more than one page (50 events) of timeline.
	names, err := srv.Store.AccountNames(bg)
	if err != nil {
		t.Fatal(err)
	}
	var acct string
	for _, a := range names {
		es, _, err := srv.Store.FindAuditEntries(bg, liaison.AuditFilter{AccountID: a.ID, Limit: 60})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) > 50 {
			acct = a.ID
			break
		}
	}
	if acct == "" {
		t.Fatal("no demo account has a second page of timeline")
	}
	signIn(t, b, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, b)
	step := stepper(t, b, "fail-timeline-")
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	step("open the account's timeline",
		chromedp.Navigate(srv.URL+"/organisations/"+acct+"/timeline"),
		chromedp.WaitVisible(`#tl-days`),
		chromedp.WaitVisible(`#tl-more a`),
	)
	if n := count(`#tl-days .tl-item`); n == 0 || n > 50 {
		t.Fatalf("first page: %d rows", n)
	}
	first := count(`#tl-days .tl-item`)
	shot(t, b, "timeline")
	step("load more",
		chromedp.Click(`#tl-more a`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#tl-days .tl-item').length > `+strconv.Itoa(first)),
		htmxSettled(),
	)
	if path, _ := chromedp.Run(b, chromedp.Evaluate[string]("location.search")); path != "" {
		t.Errorf("load more left the page: %q", path)
	}
	step("filter to people and roles",
		chromedp.Click(`.tl-chips a[data-category=people]`),
		chromedp.WaitVisible(`.tl-chips a[data-category=people][aria-current=true]`),
		chromedp.WaitVisible(`#tl-days`),
	)
	all, people := count(`#tl-days .tl-item`), count(`#tl-days .tl-item[data-category=people]`)
	if all == 0 || all != people {
		t.Fatalf("people filter: %d rows, %d of people", all, people)
	}
	shot(t, b, "timeline-people")
}
