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

// TestHomeFlow: Anna finds her agreement dates coming up on the home page
// and follows one to its agreement, then the account's agreements tab; an
// admin narrows the reminder days in the settings and the home page's
// window follows.
func TestHomeFlow(t *testing.T) {
	srv := startDemo(t)
	ctx := Browser(t)
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		actx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(actx, actions...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("location.href"))
			shot(t, ctx, "home-flow-failed")
			t.Fatalf("%s: %v (at %s)", name, err, loc)
		}
	}
	text := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	signIn(t, ctx, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, ctx)
	step("home", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#upcoming"))
	if n := text(`String(document.querySelectorAll('#upcoming li').length)`); n == "0" {
		t.Fatal("Anna has no dates coming up in the demo")
	}
	title := text(`document.querySelector('#upcoming li a.title').textContent.trim()`)
	step("open the agreement", clickText("#upcoming li a.title", title), waitPath("/agreements/", "/agreements/new"), chromedp.WaitVisible(".page-header h1"))
	if h1 := text(`document.querySelector('h1').textContent.trim()`); h1 != title {
		t.Fatalf("opened %q, want %q", h1, title)
	}
	shot(t, ctx, "home-flow-agreement")

	acc := mustOrgID(t, srv, "Socialförvaltningen")
	step("agreements tab", chromedp.Navigate(srv.URL+"/organisations/"+acc), chromedp.WaitVisible("nav.tabs"),
		clickText("nav.tabs a", "Agreements"), waitPath("/organisations/"+acc+"/agreements", "x"), chromedp.WaitVisible("#h-agreements"))
	if s := text(`document.querySelector('main').textContent`); !strings.Contains(s, "Tjänsteöverenskommelse Socialförvaltningen") || !strings.Contains(s, "New agreement") {
		t.Fatal("the tab lacks the agreement or the link to draft one")
	}
	step("draft from the tab", chromedp.Click(`.card-header a[href^="/agreements/new"]`), waitPath("/agreements/new", "x"))
	if v := text(`document.querySelector('[name=organisation_id]').value`); v != acc {
		t.Fatalf("the draft's account is %q, want %q", v, acc)
	}

	// An admin narrows the reminders to 30 and 7 days.
	admin := Browser(t)
	signIn(t, admin, srv.URL, demo.AdminEmail, demo.AdminPassword)
	actx, cancel := context.WithTimeout(admin, 20*time.Second)
	defer cancel()
	english(t, admin)
	if err := chromedp.Do(actx, chromedp.Navigate(srv.URL+"/"), clickText("nav a", "Settings"), waitPath("/admin/settings", "x"), chromedp.WaitVisible("#f-reminder_days"),
		chromedp.SetValue("#f-reminder_days", "0, 7"), chromedp.Click(`#form-main button[type=submit]`), chromedp.WaitVisible("#f-reminder_days-error"),
		chromedp.SetValue("#f-reminder_days", "30, 7"), chromedp.Click(`#form-main button[type=submit]`), chromedp.WaitVisible(".toast")); err != nil {
		t.Fatalf("settings: %v", err)
	}
	shot(t, admin, "home-flow-settings")
	step("home again", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#upcoming"))
	if s := text(`document.querySelector('#upcoming .hint').textContent`); !strings.Contains(s, "30 days") {
		t.Fatalf("the window did not follow the setting: %q", s)
	}
}

// english makes the signed-in user's language English.
func english(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:'en',next:'/'})}).then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
}
