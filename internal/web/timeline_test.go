package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var (
	tlCategory = regexp.MustCompile(`<li class="tl-item" data-category="([a-z]+)"`)
	tlMore     = regexp.MustCompile(`<a class="btn btn-sm" href="([^"]+)" rel="next"`)
	tlDay      = regexp.MustCompile(`<section class="tl-day" data-day="([0-9-]+)">\s*(<h3)?`)
)

// TestAccountTimelinePage: the account's timeline tab groups events by
// day, filters by category (chips keep the other filters), loads more as a
// fragment for htmx and as a page without it, links the events to their
// subjects, and shows a run of survey responses to one campaign as one row.
func TestAccountTimelinePage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	yes := true
	accounts, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 100})
	if err != nil || len(accounts) == 0 {
		t.Fatalf("demo accounts: %v", err)
	}
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	var busy, responded string
	for _, a := range accounts {
		_, body := c.get("/organisations/" + a.ID + "/timeline")
		if busy == "" && tlMore.MatchString(body) {
			busy = a.ID
		}
		if responded == "" && strings.Contains(body, "survey responses received") {
			responded = a.ID
		}
		if strings.Contains(body, "Survey campaign changed") && strings.Contains(body, "response received") {
			t.Errorf("the timeline of %s still tells responses as campaign changes", a.Name)
		}
	}
	if busy == "" || responded == "" {
		t.Fatalf("no demo account with a second page (%q) or several responses in a row (%q)", busy, responded)
	}
	base := "/organisations/" + busy + "/timeline"
	res, body := c.get(base)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `data-category="people"`) || !tlDay.MatchString(body) ||
		!strings.Contains(body, `hx-select="#tl-days &gt; *"`) && !strings.Contains(body, `hx-select="#tl-days > *"`) {
		t.Fatalf("timeline page: %d", res.StatusCode)
	}
	if !regexp.MustCompile(`— <a class="fw-normal" href="/[a-z]`).MatchString(body) {
		t.Error("no event links to its subject")
	}

	// A category chip filters; the filter survives into the next page.
	_, body = c.get(base + "?category=people")
	cats := tlCategory.FindAllStringSubmatch(body, -1)
	if len(cats) == 0 {
		t.Fatal("no people events")
	}
	for _, m := range cats {
		if m[1] != "people" {
			t.Fatalf("category people shows a %s event", m[1])
		}
	}
	if m := tlMore.FindStringSubmatch(body); m != nil && !strings.Contains(html.UnescapeString(m[1]), "category=people") {
		t.Errorf("the next page forgets the category: %s", m[1])
	}

	// Load more: a full page without htmx, the next days with it.
	_, body = c.get(base)
	next := html.UnescapeString(tlMore.FindStringSubmatch(body)[1])
	days := tlDay.FindAllStringSubmatch(body, -1)
	last := days[len(days)-1][1]
	res, page := c.get(next)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "<html") || !strings.Contains(page, `id="tl-days"`) {
		t.Fatalf("next page without htmx: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+next, nil)
	req.Header.Set("HX-Request", "true")
	_, frag := c.do(req)
	first := tlDay.FindStringSubmatch(frag)
	if first == nil {
		t.Fatal("the htmx page has no days")
	}
	if first[1] == last && first[2] != "" {
		t.Errorf("the day %s that goes on from the page before gets a second heading", last)
	}

	// Survey responses: one row for a run, filterable as surveys.
	_, body = c.get("/organisations/" + responded + "/timeline?category=surveys")
	if !strings.Contains(body, "survey responses received") {
		t.Error("the surveys category lacks the collapsed responses")
	}
	for _, m := range tlCategory.FindAllStringSubmatch(body, -1) {
		if m[1] != "surveys" {
			t.Fatalf("category surveys shows a %s event", m[1])
		}
	}

	// A bad date and an unknown category are told, not failed.
	for _, q := range []string{"?from=yesterday", "?category=gossip"} {
		if res, body := c.get(base + q); res.StatusCode != http.StatusOK || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
}
