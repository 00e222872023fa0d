package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

var surveyLinkPath = regexp.MustCompile(`/s/[A-Za-z0-9_-]+`)

// TestCampaignFlow walks C8 as its users would: the administrator creates
// a campaign for the healthcare segment in the wizard and opens it; Lars
// Sundqvist, the customer of Norrskenssjukhuset, opens the personal link
// from his invitation, switches the form to Finnish and answers; the
// account's survey trend then shows the new campaign, and the campaign's
// results count his response.
func TestCampaignFlow(t *testing.T) {
	admin := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const title = "E2E-kysely 2026"
	acc := mustOrgID(t, srv, "Norrskenssjukhuset")
	lars, err := srv.Store.FindPersonByID(bg, mustPersonID(t, srv, "Lars Sundqvist"))
	if err != nil || lars.Email == "" {
		t.Fatalf("the demo customer has no email: %v", err)
	}
	segs, err := srv.Store.FindSegments(bg)
	if err != nil {
		t.Fatal(err)
	}
	healthcare := ""
	for _, s := range segs {
		if s.Name == "Healthcare" {
			healthcare = s.ID
		}
	}

	signIn(t, admin, srv.URL, demo.AdminEmail, demo.AdminPassword)
	english(t, admin)
	step := stepper(t, admin, "fail-campaign-")
	text := textOf(t, admin)
	closes := time.Now().AddDate(0, 0, 14).Format("2006-01-02")
	step("fill in the wizard",
		chromedp.Navigate(srv.URL+"/campaigns"),
		chromedp.Click(`a[href="/campaigns/new"]`),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, title),
		// Only the customers (the form preselects every role).
		evalJS(`document.querySelectorAll('input[name="roles"]').forEach(c => c.checked = c.value === 'customer'); true`),
		chromedp.Click(`input[name="scope"][value="segment"]`),
		chromedp.SetValue(`#f-segment`, healthcare),
		chromedp.SetValue(`#f-closes_on`, closes),
	)
	shot(t, admin, "campaign-wizard")
	step("save the draft", chromedp.Click(`#form-main button.btn-primary[type=submit]`), waitPath("/campaigns/", "/campaigns/new"),
		chromedp.WaitVisible(`#open-campaign`))
	step("open it", chromedp.Click(`#open-campaign summary`), chromedp.Click(`#open-submit`), chromedp.WaitVisible(`#remind-submit`))
	if s := text(`#recipients`); !strings.Contains(s, "Healthcare") {
		t.Errorf("the campaign's recipients do not name the segment: %q", s)
	}

	ms, err := srv.Store.FindMail(bg, liaison.MailFilter{To: lars.Email})
	if err != nil {
		t.Fatal(err)
	}
	link := ""
	for _, m := range ms {
		if strings.Contains(m.Subject+m.Text, title) {
			link = surveyLinkPath.FindString(m.Text)
		}
	}
	if link == "" {
		for _, m := range ms {
			t.Logf("mail: %s", m.Subject)
		}
		t.Fatalf("no invitation with a link reached %s: %d mails; recipients: %s", lars.Email, len(ms), text(`#recipients`))
	}

	// The respondent has no session: a browser of his own.
	lars2 := Browser(t)
	answer := stepper(t, lars2, "fail-respondent-")
	answer("open the link and switch to Finnish", chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`a[hreflang="fi"]`),
		chromedp.Click(`a[hreflang="fi"]`), chromedp.WaitVisible(`a[hreflang="fi"][aria-current]`))
	answer("answer every question",
		// The top of each scale; the first option of each choice; a comment.
		evalJS(`document.querySelectorAll('.scale').forEach(s => { const r = s.querySelectorAll('input'); r[r.length-1].click() }); true`),
		evalJS(`document.querySelectorAll('fieldset').forEach(f => { if (!f.querySelector('.scale')) { const i = f.querySelector('input'); if (i) i.click() } }); true`),
		evalJS(`document.querySelectorAll('textarea').forEach(t => t.value = 'Kiitos, hyvää palvelua.'); true`),
	)
	shot(t, lars2, "respondent-fi")
	answer("send", chromedp.Click(`form button[type=submit]`), chromedp.WaitVisible(`p[role=status]`))
	body, err := chromedp.Run(lars2, chromedp.Text("main"))
	if err != nil || !strings.Contains(body, "Kiitos") {
		t.Fatalf("the thanks page is not in Finnish: %q %v", body, err)
	}
	answer("a second use of the link is refused", chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#respond-refused`))

	step("the account's trend shows the campaign", chromedp.Navigate(srv.URL+"/organisations/"+acc), chromedp.WaitVisible(`#survey-trend`))
	titles, err := chromedp.Run(admin, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#survey-trend title')].map(t => t.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(titles, "\n"), title) {
		t.Fatalf("the account's survey trend lacks %q: %q", title, titles)
	}
	shot(t, admin, "account-survey-trend")
}
