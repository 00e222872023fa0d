package e2e

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestScreenshots photographs the main pages in every language, light and
// dark, at desktop and phone width, for people to look at before a change
// lands. It runs only when LIAISON_SHOTS names a folder:
//
//	LIAISON_SHOTS=/tmp/shots go test ./e2e -run Screenshots
//
// LIAISON_SHOTS_PAGES=home,account (names of the pages map) and
// LIAISON_SHOTS_LANGS=en,fi narrow it to what a change touched.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	ctx := Browser(t)
	srv := startDemo(t)
	acc := mustOrgID(t, srv, "Norrskenssjukhuset")
	person := mustPersonID(t, srv, "王建华")
	supplier := mustSupplierID(t, srv, demo.DemoHostingSupplier)
	imps, _, err := srv.Store.FindImprovements(context.Background(), liaison.ImprovementFilter{MinRaisedBy: 3, Limit: 1})
	if err != nil || len(imps) == 0 {
		t.Fatalf("no demo improvement raised by several accounts: %v", err)
	}
	surveys, _, err := srv.Store.FindSurveys(context.Background(), liaison.SurveyFilter{Limit: 1})
	if err != nil || len(surveys) == 0 {
		t.Fatalf("no demo survey: %v", err)
	}
	camps, _, err := srv.Store.FindCampaigns(context.Background(), liaison.CampaignFilter{Sort: "-closes_on", Limit: 10})
	if err != nil || len(camps) < 2 {
		t.Fatalf("no demo campaigns: %v", err)
	}
	trigs, _, err := srv.Store.FindTriggers(context.Background(), liaison.TriggerFilter{Source: liaison.TriggerAPI, Limit: 1})
	if err != nil || len(trigs) == 0 {
		t.Fatalf("no demo trigger posted by a tool: %v", err)
	}
	pages := map[string]string{
		"home": "/", "accounts": "/accounts", "tree": "/organisations", "account": "/organisations/" + acc,
		"people": "/organisations/" + acc + "/people", "timeline": "/organisations/" + acc + "/timeline",
		"edit": "/organisations/" + acc + "/edit", "person": "/people/" + person, "portfolio": "/portfolio",
		"search": "/search?q=malmo", "search-person": "/search?q=asa+engstr&kind=person", "search-zh": "/search?q=王",
		"tokens":    "/settings/tokens",
		"suppliers": "/suppliers", "supplier": "/suppliers/" + supplier,
		"complaints": "/complaints", "complaint-analysis": "/complaints/analysis",
		"improvements": "/improvements", "improvement": "/improvements/" + imps[0].ID, "improvement-report": "/improvements/report",
		"improvement-new": "/improvements/new", "account-improvements": "/organisations/" + acc + "/improvements",
		"surveys": "/surveys", "survey": "/surveys/" + surveys[0].ID,
		"campaigns": "/campaigns", "campaign-new": "/campaigns/new", "campaign": "/campaigns/" + camps[0].ID,
		"campaign-results":   "/campaigns/" + camps[1].ID + "/results?by=account",
		"campaign-published": "/campaigns/" + publishedCampaign(t, srv.Store) + "/published?account=" + acc,
		"triggers":           "/triggers", "trigger": "/triggers/" + trigs[0].ID, "trigger-new": "/triggers/new",
		"account-triggers": "/organisations/" + acc + "/triggers",
		"notifications":    "/notifications",
		"datamap":          "/data-map", "account-contacts": "/organisations/" + acc + "/contacts", "contacts": "/contacts",
		"announcements": "/announcements",
		"dashboard":     "/dashboard?manager=", "dashboard-mine": "/dashboard", "account-health": "/organisations/" + acc + "/health",
	}
	maps.Copy(pages, bizWatchShots(t, srv))
	for name, path := range projectPages(t, srv, acc) {
		pages[name] = path
	}
	for name, path := range map[string]string{ // the account plan of the hospital, whose deputy Anna is
		"plan": "/organisations/" + acc + "/plan", "plan-edit": "/organisations/" + acc + "/plan/edit?section=marketing_actions",
		"plan-versions": "/organisations/" + acc + "/plan/versions", "plan-diff": "/organisations/" + acc + "/plan/diff?from=1&to=3",
		"plan-analysis": "/account-plans?section=&from=2000-01-01&to=2100-12-31",
	} {
		pages[name] = path
	}
	run := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		actx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(actx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	run("sign in", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.ManagerEmail), chromedp.SendKeys("#f-password", demo.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`), waitPath("/", "/login"))
	if only := os.Getenv("LIAISON_SHOTS_PAGES"); only != "" {
		for name := range pages {
			if !slices.Contains(strings.Split(only, ","), name) {
				delete(pages, name)
			}
		}
	}
	langs := []string{"en", "sv", "fi", "zh"}
	if only := os.Getenv("LIAISON_SHOTS_LANGS"); only != "" {
		langs = strings.Split(only, ",")
	}
	for _, lang := range langs {
		for _, theme := range []string{"light", "dark"} {
			set := fmt.Sprintf(`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:%q,next:'/'})})
				.then(() => fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:%q,next:'/'})})).then(() => true)`, lang, theme)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			for name, path := range pages {
				for _, width := range []int64{1366, 390} {
					run(name, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+path), chromedp.Sleep(150*time.Millisecond))
					buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					file := filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.png", name, lang, theme, width))
					if err := os.WriteFile(file, buf, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}
