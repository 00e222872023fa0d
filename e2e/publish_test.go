package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// publishedCampaign is the demo's latest published campaign that is not
// anonymous, so its page shows figures.
func publishedCampaign(t *testing.T, store interface {
	FindCampaigns(context.Context, liaison.CampaignFilter) ([]*liaison.Campaign, string, error)
}) string {
	t.Helper()
	cs, _, err := store.FindCampaigns(context.Background(), liaison.CampaignFilter{Published: true, Sort: "closes_on"})
	if err != nil || len(cs) == 0 {
		t.Fatalf("published demo campaigns: %v", err)
	}
	id := cs[len(cs)-1].ID
	for _, c := range cs {
		if !c.Anonymous {
			id = c.ID
		}
	}
	return id
}

// TestSurveySatisfactionFlow: the head of service management sees the
// survey satisfaction trend on Norrskenssjukhuset's overview and opens a
// published campaign's results page for the account, with its charts.
func TestSurveySatisfactionFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	acc := mustOrgID(t, srv, "Norrskenssjukhuset")
	c := publishedCampaign(t, srv.Store)
	signIn(t, ctx, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, ctx)
	step := stepper(t, ctx, "fail-publish-")
	text := textOf(t, ctx)
	step("the account's survey panel", chromedp.Navigate(srv.URL+"/organisations/"+acc), chromedp.WaitVisible(`#survey-trend`))
	if s := text(`#account-surveys`); !strings.Contains(s, "Survey satisfaction") || !strings.Contains(s, "CSAT") {
		t.Fatalf("panel: %q", s)
	}
	step("the published results", chromedp.Navigate(srv.URL+"/campaigns/"+c+"/published?account="+acc+"&lang=en"),
		chromedp.WaitVisible(`#published-figures`), chromedp.WaitVisible(`#published-trend`), chromedp.WaitVisible(`#chart-q-overall`))
	if s := text(`#published-results`); !strings.Contains(s, "Norrskenssjukhuset") || !strings.Contains(s, "Response rate") {
		t.Fatalf("page: %q", s)
	}
}

// TestPublishScreenshots photographs the published results page and the
// account overview (Norrskenssjukhuset) in English and Swedish, light and
// dark, when LIAISON_SHOTS names a folder.
func TestPublishScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	ctx := Browser(t)
	srv := startDemo(t)
	acc := mustOrgID(t, srv, "Norrskenssjukhuset")
	c := publishedCampaign(t, srv.Store)
	pages := map[string]string{"published": "/campaigns/" + c + "/published?account=" + acc, "published-all": "/campaigns/" + c + "/published",
		"account-surveys": "/organisations/" + acc, "report-satisfaction": "/organisations/" + acc + "/report"}
	signIn(t, ctx, srv.URL, demo.AdminEmail, demo.AdminPassword)
	for _, lang := range []string{"en", "sv"} {
		for _, theme := range []string{"light", "dark"} {
			set := fmt.Sprintf(`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:%q,next:'/'})})
				.then(() => fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:%q,next:'/'})})).then(() => true)`, lang, theme)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			for name, path := range pages {
				widths := []int64{1366}
				if theme == "light" {
					widths = append(widths, 390)
				}
				for _, width := range widths {
					actx, cancel := context.WithTimeout(ctx, 20*time.Second)
					err := chromedp.Do(actx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+path), chromedp.Sleep(150*time.Millisecond))
					cancel()
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.png", name, lang, theme, width)), buf, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}
