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

// TestComplaintFlow registers a complaint from a phone call from a Finnish
// customer, confirms it, investigates, resolves and closes it, each step
// telling the customer by email, and finds the Finnish notifications in
// the outbox on the jobs page.
func TestComplaintFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	unit := mustOrgID(t, srv, "Norrsken Suomi Oy")
	customer := mustPersonID(t, srv, "Päivi Hämäläinen")
	p, err := srv.Store.FindPersonByID(bg, customer)
	if err != nil || p.Email == "" || p.Language != liaison.Finnish {
		t.Fatalf("the demo's Finnish customer: %+v, %v", p, err)
	}
	const title = "Laskutusjärjestelmä hidas kuun lopussa"

	step := stepper(t, ctx, "fail-complaint-")
	text := textOf(t, ctx)
	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.AdminEmail),
		chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/complaints"]`),
	)
	english(t, ctx)
	step("open the form from the list",
		chromedp.Navigate(srv.URL+"/complaints"),
		chromedp.WaitVisible(`#new-complaint`),
		chromedp.Click(`#new-complaint`),
		chromedp.WaitVisible(`#f-title`),
	)
	channel, err := chromedp.Run(ctx, chromedp.Value(`#f-channel`))
	if err != nil || channel != "phone" {
		t.Fatalf("the channel defaults to %q, want phone", channel)
	}
	step("choose the unit and show its contacts",
		chromedp.SetValue(`#f-organisation_id`, unit),
		chromedp.Click(`button[name=pick_unit]`),
		chromedp.WaitVisible(`#f-reporter_person_id`),
	)
	step("register what the customer said on the phone",
		chromedp.SetValue(`#f-reporter_person_id`, customer),
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SendKeys(`#f-description`, "Päivi soitti: laskujen ajo kestää tunteja kuun viimeisenä päivänä."),
		chromedp.SetValue(`#f-severity`, "high"),
		chromedp.SendKeys(`#f-category`, "Suorituskyky"),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#lifecycle`),
	)
	if s := text(`#complaint-status`); !strings.Contains(s, "Received") {
		t.Fatalf("status after registering: %q", s)
	}
	if s := text(`#coordinator`); !strings.Contains(s, "Lena Pettersson") {
		t.Fatalf("coordinator %q, want the configured one", s)
	}
	shot(t, ctx, "complaint-received")
	for _, st := range []struct{ to, label string }{
		{"confirmed", "Confirmed"}, {"investigating", "Investigating"}, {"resolved", "Resolved"}, {"closed", "Closed"},
	} {
		step("move to "+st.to,
			chromedp.WaitVisible(`#transition-form button[data-status="`+st.to+`"]`),
			chromedp.Click(`#transition-form button[data-status="`+st.to+`"]`),
			chromedp.WaitVisible(`#complaint-status [data-status="`+st.to+`"]`),
		)
		if s := text(`#complaint-status`); !strings.Contains(s, st.label) {
			t.Fatalf("status %q, want %s", s, st.label)
		}
	}
	shot(t, ctx, "complaint-closed")
	if s := text(`#history`); strings.Count(s, "→") != 4 {
		t.Fatalf("the history lacks the transitions: %q", s)
	}
	if s := text(`#communications`); strings.Count(s, "Notification") != 4 || !strings.Contains(s, "Reklamaatiosi") {
		t.Fatalf("the notifications are not logged: %q", s)
	}
	step("see the notifications in the outbox",
		chromedp.Navigate(srv.URL+"/admin/jobs"),
		chromedp.WaitVisible(`#h-outbox`),
	)
	out := text(`main`)
	if !strings.Contains(out, p.Email) || !strings.Contains(out, "Reklamaatiosi ”"+title+"”: Suljettu") {
		t.Fatalf("the outbox does not show the Finnish notification to %s: %q", p.Email, out)
	}
	shot(t, ctx, "complaint-outbox")
	cs, _, err := srv.Store.FindComplaints(bg, liaison.ComplaintFilter{Q: "laskutusjarjestelma", Limit: 2})
	if err != nil || len(cs) != 1 || cs[0].Status != liaison.ComplaintClosed || cs[0].Channel != liaison.ChannelPhone ||
		cs[0].ReporterPersonID == nil || *cs[0].ReporterPersonID != customer {
		t.Fatalf("stored complaint %+v, %v", cs, err)
	}
}

// TestComplaintScreenshots photographs the complaint and escalation pages
// in every language, light and dark, when LIAISON_SHOTS names a folder.
func TestComplaintScreenshots(t *testing.T) {
	dir := os.Getenv("LIAISON_SHOTS")
	if dir == "" {
		t.Skip("set LIAISON_SHOTS=<folder> to take screenshots")
	}
	ctx := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	find := func(q string) string {
		list, _, err := srv.Store.FindComplaints(bg, liaison.ComplaintFilter{Q: q, Limit: 1})
		if err != nil || len(list) == 0 {
			t.Fatalf("find complaint %q: %v", q, err)
		}
		return list[0].ID
	}
	es, _, err := srv.Store.FindEscalations(bg, liaison.EscalationFilter{Target: liaison.TargetHead, Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatalf("no recurrence escalation: %v", err)
	}
	ehr, vpn := find("journalsystemet ronden"), find("VPN")
	pages := map[string]string{"complaints": "/complaints", "complaint": "/complaints/" + ehr, "complaint-zh": "/complaints/" + vpn,
		"complaint-form": "/complaints/new", "complaint-analysis": "/complaints/analysis", "escalations": "/escalations",
		"escalation": "/escalations/" + es[0].ID}
	signIn(t, ctx, srv.URL, demo.AdminEmail, demo.AdminPassword)
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
