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

// TestAgreementFlow drafts an agreement with an account as its
// relationship manager, records an orderer as signer, tries to activate it
// and sees the refusal naming the customer, then records the customer and
// activates it.
func TestAgreementFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	acct := mustOrgID(t, srv, "Gymnasieskolan Polaris")
	d, err := srv.Store.WhoDecides(bg, acct)
	if err != nil || d.Customer == nil {
		t.Fatalf("the demo account has no customer: %v", err)
	}
	natur := mustOrgID(t, srv, "Naturvetenskapsprogrammet")
	roles, _, err := srv.Store.FindRoles(bg, liaison.RoleFilter{OrganisationID: natur, Role: liaison.RoleOrderer, Limit: 1})
	if err != nil || len(roles) == 0 {
		t.Fatalf("no orderer below the account: %v", err)
	}
	orderer, customer := roles[0].PersonID, d.Customer
	const title = "Överenskommelse Polaris 2027"

	step := stepper(t, ctx, "fail-agreement-")
	text := textOf(t, ctx)
	stored := func() *liaison.Agreement {
		t.Helper()
		list, _, err := srv.Store.FindAgreements(bg, liaison.AgreementFilter{Q: "Polaris 2027", Limit: 2})
		if err != nil || len(list) != 1 {
			t.Fatalf("find the agreement: %d, %v", len(list), err)
		}
		return list[0]
	}

	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.ManagerEmail),
		chromedp.SendKeys("#f-password", demo.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/agreements"]`),
	)
	step("draft an agreement",
		chromedp.Click(`nav a[href="/agreements"]`),
		chromedp.WaitVisible(`a[href^="/agreements/new"]`),
		chromedp.Click(`.page-header a[href^="/agreements/new"]`),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SetValue(`#f-organisation_id`, acct),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SetValue(`#f-start_date`, "2027-01-01"),
		chromedp.SetValue(`#f-end_date`, "2027-12-31"),
		chromedp.Click(`#form-main button[type=submit]`),
		waitPath("/agreements/", "/agreements/new"),
		chromedp.WaitVisible(`#agreement-status`),
	)
	if h1 := text("h1"); h1 != title {
		t.Fatalf("after saving, heading = %q", h1)
	}
	id := stored().ID

	step("record the orderer as signer",
		chromedp.Navigate(srv.URL+"/agreements/"+id+"/edit"),
		chromedp.WaitVisible(`#f-signed_by_person_id`),
		chromedp.SetValue(`#f-signed_by_person_id`, orderer),
		chromedp.Click(`#form-main button[type=submit]`),
		chromedp.WaitVisible(`#signer-warning`),
	)
	step("start the negotiation",
		chromedp.Click(`button[data-status=negotiation]`),
		chromedp.WaitVisible(`button[data-status=active]`),
	)
	step("try to activate it",
		chromedp.Click(`button[data-status=active]`),
		chromedp.WaitVisible(`#refusal`),
	)
	shot(t, ctx, "agreement-refused")
	if msg := text("#refusal"); !strings.Contains(msg, customer.Name) {
		t.Fatalf("the refusal does not name the customer %s: %q", customer.Name, msg)
	}
	if a := stored(); a.Status != liaison.StatusNegotiation {
		t.Fatalf("after the refusal the agreement is %s", a.Status)
	}

	step("record the customer as signer",
		chromedp.Click(`#refusal a`),
		chromedp.WaitVisible(`#f-signed_by_person_id`),
		htmxSettled(),
		chromedp.SetValue(`#f-signed_by_person_id`, customer.ID),
		chromedp.Click(`#form-main button[type=submit]`),
		// The form must be gone before the status buttons count: the
		// detail page the form was opened from can still be on screen.
		chromedp.WaitNotPresent(`#f-signed_by_person_id`),
		chromedp.WaitVisible(`button[data-status=active]`),
	)
	step("activate it",
		chromedp.Click(`button[data-status=active]`),
		chromedp.WaitVisible(`button[data-status=expired]`),
	)
	shot(t, ctx, "agreement-active")
	if s := text("#agreement-status"); !strings.Contains(s, "Aktiv") && !strings.Contains(s, "Active") {
		t.Fatalf("status shown = %q", s)
	}
	a := stored()
	if a.Status != liaison.StatusActive || a.SignedByPersonID == nil || *a.SignedByPersonID != customer.ID || a.SignedOn == nil {
		t.Fatalf("stored agreement %+v", a)
	}
	revs, err := srv.Store.FindAgreementRevisions(bg, id)
	if err != nil || len(revs) != 5 {
		t.Fatalf("revisions %d, %v; want 5", len(revs), err)
	}
}

// TestAgreementScreenshots photographs the agreement pages in every
// language, light and dark (LIAISON_SHOTS names the folder).
func TestAgreementScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	ctx := Browser(t)
	srv := startDemo(t)
	find := func(q string) string {
		list, _, err := srv.Store.FindAgreements(context.Background(), liaison.AgreementFilter{Q: q, Limit: 1})
		if err != nil || len(list) == 0 {
			t.Fatalf("find agreement %q: %v", q, err)
		}
		return list[0].ID
	}
	hs, edu := find("Hälso sjukvård 2026"), find("Utbildning 2027")
	pages := map[string]string{"agreements": "/agreements", "agreement": "/agreements/" + hs, "negotiation": "/agreements/" + edu,
		"agreement-form": "/agreements/" + edu + "/edit", "agreement-home": "/"}
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
	for _, lang := range []string{"en", "sv", "fi", "zh"} {
		for _, theme := range []string{"light", "dark"} {
			set := fmt.Sprintf(`fetch('/settings/language',{method:'POST',body:new URLSearchParams({lang:%q,next:'/'})})
				.then(() => fetch('/settings/theme',{method:'POST',body:new URLSearchParams({theme:%q,next:'/'})})).then(() => true)`, lang, theme)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			for name, path := range pages {
				widths := []int64{1366}
				if lang == "en" && theme == "light" {
					widths = append(widths, 390)
				}
				for _, width := range widths {
					run(name, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+path), chromedp.Sleep(150*time.Millisecond))
					buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.png", name, lang, theme, width)), buf, 0o644)
				}
			}
		}
	}
}
