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
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestServiceFlow walks the service catalogue as the head of service
// management would: create a live service with two levels, record that an
// account uses it at one of them with a named IT contact, and see the
// usage on the account and the coverage view.
func TestServiceFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	const name = "Videomöten (Video meetings)"
	step := stepper(t, ctx, "fail-")
	text := textOf(t, ctx)

	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", "karin.holmberg@liaison.demo"),
		chromedp.SendKeys("#f-password", demo.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/services"]`),
	)
	step("open the catalogue and start a new service",
		chromedp.Click(`nav a[href="/services"]`),
		chromedp.WaitVisible(`a[href="/services/new"]`),
		chromedp.Click(`a[href="/services/new"]`),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SendKeys(`#f-name`, name),
		chromedp.SetValue(`#f-status`, "live"),
		chromedp.SetValue(`#f-owner_id`, mustUserID(t, srv, "lena.pettersson@liaison.demo")),
		chromedp.SendKeys(`#f-level_name-0`, "Gold"),
		chromedp.SendKeys(`#f-level_availability-0`, "99.9"),
		chromedp.SendKeys(`#f-level_response-0`, "15"),
		chromedp.SendKeys(`#f-level_resolution-0`, "240"),
		chromedp.Click(`button[name=add_level]`),
		chromedp.WaitVisible(`#f-level_name-1`),
		chromedp.SendKeys(`#f-level_name-1`, "Silver"),
		chromedp.SendKeys(`#f-level_availability-1`, "99.5"),
	)
	shot(t, ctx, "service-form")
	step("save the service",
		chromedp.Click(`#form-main .form-actions button[type=submit]`),
		waitPath("/services/", "/services/new"),
		chromedp.WaitVisible(`#h-levels`),
	)
	if h1 := text("h1"); h1 != name {
		t.Fatalf("after saving, heading = %q", h1)
	}
	if body := text("main"); !strings.Contains(body, "Gold") || !strings.Contains(body, "Silver") {
		t.Errorf("service page lacks its levels:\n%s", body)
	}

	account := mustOrgID(t, srv, "Norrskenssjukhuset")
	svcID := strings.TrimPrefix(mustPath(t, ctx), "/services/")
	step("record a usage of it from the account; choosing the service offers its levels",
		chromedp.Navigate(srv.URL+"/organisations/"+account+"/services"),
		chromedp.WaitVisible(`#h-services`),
		chromedp.Click(`.card-header a[href^="/subscriptions/new?organisation="]`),
		chromedp.WaitVisible(`#f-service_id`),
		evalJS(`(() => { const s = document.querySelector('#f-service_id'); s.value = `+jsString(svcID)+`;
			s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`),
		chromedp.WaitVisible(`select#f-level`),
		chromedp.WaitReady(`select#f-level option[value="Silver"]`),
		chromedp.SetValue(`#f-level`, "Silver"),
		chromedp.SetValue(`#f-contact_user_id`, mustUserID(t, srv, demo.ManagerEmail)),
		chromedp.SendKeys(`#f-users`, "1200"),
	)
	shot(t, ctx, "subscription-form")
	step("save the usage",
		chromedp.Click(`#form-main .form-actions button[type=submit]`),
		waitPath("/organisations/", "/subscriptions"),
		chromedp.WaitVisible(`#h-services`),
	)
	shot(t, ctx, "account-services")
	body := text("main")
	for _, want := range []string{name, "Silver", "Anna Lindqvist"} {
		if !strings.Contains(body, want) {
			t.Errorf("the account's services tab lacks %q:\n%s", want, body)
		}
	}
	step("see the coverage",
		chromedp.Navigate(srv.URL+"/services/coverage"),
		chromedp.WaitVisible(`#h-missing`),
	)
	if body := text("main"); strings.Contains(body, name) {
		t.Errorf("the coverage view lists the usage that has a contact")
	}
	subs, _, err := srv.Store.FindSubscriptions(context.Background(), liaison.SubscriptionFilter{OrganisationID: account, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range subs {
		found = found || (s.ServiceName == name && s.Level == "Silver" && s.ContactUserID != nil && s.Users != nil && *s.Users == 1200)
	}
	if !found {
		t.Errorf("the store has no usage of %s by the hospital: %+v", name, subs)
	}
}

// evalJS runs a script as a step.
func evalJS(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		return err
	})
}

func mustPath(t *testing.T, ctx context.Context) string {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[string]("location.pathname"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServiceScreenshots photographs the catalogue's pages in two
// languages, light and dark, when LIAISON_SHOTS names a folder.
func TestServiceScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	ctx := Browser(t)
	srv := startDemo(t)
	svc, sub := firstUsage(t, srv)
	acc := mustOrgID(t, srv, "Norrskenssjukhuset")
	pages := map[string]string{
		"services": "/services", "service": "/services/" + svc, "service-edit": "/services/" + svc + "/edit",
		"coverage": "/services/coverage", "account-services": "/organisations/" + acc + "/services",
		"subscription-new": "/subscriptions/new?organisation=" + acc + "&service=" + svc, "subscription-edit": "/subscriptions/" + sub + "/edit",
		"service-history": "/services/" + svc + "/history",
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
		chromedp.SendKeys("#f-email", demo.AdminEmail), chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`), waitPath("/", "/login"))
	langs := strings.Fields(os.Getenv("LIAISON_SHOTS_LANGS"))
	if len(langs) == 0 {
		langs = []string{"en", "zh"}
	}
	for _, lang := range langs {
		for _, theme := range []string{"light", "dark"} {
			set := fmt.Sprintf(`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:%q,next:'/'})})
				.then(() => fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:%q,next:'/'})})).then(() => true)`, lang, theme)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			for name, path := range pages {
				widths := []int64{1366}
				if name == "service-edit" || name == "services" {
					widths = append(widths, 390)
				}
				for _, width := range widths {
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

// firstUsage finds a usage of a customer-specific service in the demo.
func firstUsage(t *testing.T, r *cli.Running) (service, usage string) {
	t.Helper()
	subs, _, err := r.Store.FindSubscriptions(context.Background(), liaison.SubscriptionFilter{Limit: 100})
	if err != nil || len(subs) == 0 {
		t.Fatalf("usages: %v", err)
	}
	for _, s := range subs {
		if s.CustomerSpecific {
			return s.ServiceID, s.ID
		}
	}
	return subs[0].ServiceID, subs[0].ID
}
