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

	"github.com/liaisonhq/liaison/internal/demo"
)

// signIn signs the browser in as email.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	actx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(actx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", email), chromedp.SendKeys("#f-password", password),
		chromedp.Click(`form[action="/login"] button[type=submit]`), waitPath("/", "/login")); err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
}

// TestHomeScreenshots photographs the pages the home helper touched (the
// home page as a relationship manager and as an admin, the settings page,
// an account's agreements tab) in two languages, light and dark, at
// desktop and phone width, when LIAISON_SHOTS names a folder.
func TestHomeScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	srv := startDemo(t)
	acc := mustOrgID(t, srv, "Socialförvaltningen")
	langs := strings.Fields(os.Getenv("LIAISON_SHOTS_LANGS"))
	if len(langs) == 0 {
		langs = []string{"en", "sv"}
	}
	for _, who := range []struct{ name, email, password string }{
		{"manager", demo.ManagerEmail, demo.Password}, {"admin", demo.AdminEmail, demo.AdminPassword},
	} {
		ctx := Browser(t)
		signIn(t, ctx, srv.URL, who.email, who.password)
		pages := map[string]string{"home": "/", "account-agreements": "/organisations/" + acc + "/agreements"}
		if who.name == "admin" {
			pages = map[string]string{"home": "/", "settings": "/admin/settings"}
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
						actx, cancel := context.WithTimeout(ctx, 20*time.Second)
						err := chromedp.Do(actx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+path), chromedp.Sleep(150*time.Millisecond))
						cancel()
						if err != nil {
							t.Fatalf("%s: %v", path, err)
						}
						buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
						if err != nil {
							t.Fatal(err)
						}
						file := filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%s-%d.png", who.name, name, lang, theme, width))
						if err := os.WriteFile(file, buf, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
	}
}
