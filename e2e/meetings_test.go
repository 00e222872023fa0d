package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestMeetingFlow: Anna, relationship manager of Hälso- och sjukvård,
// plans a service review from the account page with the standard review
// template (the agenda fills in her language's review contents), invites
// a colleague and a customer contact, marks it held, writes the minutes,
// records a decision, adds two actions, publishes the minutes, sends the
// report to the customer, stores the customer report pack as a Chinese
// PDF and opens the printable meeting report.
func TestMeetingFlow(t *testing.T) {
	anna := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const title = "Tjänsteuppföljning med e2e"
	const minutes = "Verksamheten växer med en ny mottagning."
	const decision = "IT tar fram en plan för fler arbetsplatser."

	signIn(t, anna, srv.URL, demo.ManagerEmail, demo.Password)
	english(t, anna)
	step := stepper(t, anna, "fail-meeting-")
	text := textOf(t, anna)
	var hs string
	accounts, err := srv.Store.AccountNames(bg)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Name == "Hälso- och sjukvård" {
			hs = a.ID
		}
	}
	people, _, err := srv.Store.FindPeople(bg, liaison.PersonFilter{OrganisationID: hs, Limit: 1})
	if err != nil || len(people) == 0 || people[0].Email == "" {
		t.Fatalf("no contact with an email on the account: %v %v", people, err)
	}
	johan, err := srv.Store.FindUserByEmail(bg, "johan.bergstrom@liaison.demo")
	if err != nil {
		t.Fatal(err)
	}

	step("the account page shows its meetings",
		chromedp.Navigate(srv.URL+"/organisations/"+hs),
		chromedp.WaitVisible(`#account-meetings`),
	)
	if s := text(`#account-meetings`); !strings.Contains(s, "Tjänsteuppföljning Hälso- och sjukvård, hösten") {
		t.Fatalf("the account overview lacks the upcoming review: %q", s)
	}
	step("plan a service review from the template",
		chromedp.Click(`#account-meetings a[href^="/meetings/new"]`),
		chromedp.WaitVisible(`#f-title`),
		chromedp.SendKeys(`#f-title`, title),
		// Choose the template as a user would: the change event makes htmx fill the agenda.
		chromedp.Poll[chromedp.Void](`(() => { const s = document.getElementById('f-template_id'); s.value = '`+liaison.BuiltinServiceReviewTemplate+`'; s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`),
		chromedp.Poll[chromedp.Void](`document.getElementById('f-agenda').value.includes('Service scope')`),
		chromedp.Poll[chromedp.Void](`(() => { document.querySelector('#f-user_ids option[value="`+johan.ID+`"]').selected = true; document.querySelector('#f-person_ids option[value="`+people[0].ID+`"]').selected = true; return true })()`),
	)
	shot(t, anna, "meeting-form")
	step("save the plan",
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#meeting-status`),
		htmxSettled(),
	)
	if s := text(`#participant-list`); !strings.Contains(s, "Johan Bergström") || !strings.Contains(s, people[0].Name) {
		t.Fatalf("participants: %q", s)
	}
	if s := text(`#agenda-text`); !strings.Contains(s, "Changes in the customer's business needs") || !strings.Contains(s, "Contract execution") {
		t.Fatalf("agenda: %q", s)
	}
	step("mark it held",
		chromedp.Click(`button[data-status=held]`),
		chromedp.WaitVisible(`#minutes-form`),
		htmxSettled(),
	)
	if s := text(`#meeting-status`); !strings.Contains(s, "Held") {
		t.Fatalf("status: %q", s)
	}
	step("publishing without minutes is refused",
		chromedp.Click(`#publish`),
		chromedp.WaitVisible(`#refusal`),
		htmxSettled(),
	)
	step("write the minutes",
		chromedp.SendKeys(`#f-minutes`, minutes),
		chromedp.Click(`#minutes-form button[type=submit]`),
		chromedp.WaitVisible(`.toast`),
		htmxSettled(),
	)
	step("record a decision",
		chromedp.WaitVisible(`#f-text`),
		chromedp.SendKeys(`#f-text`, decision),
		chromedp.Click(`#decision-form button[type=submit]`),
		chromedp.WaitVisible(`#decision-list`),
		htmxSettled(),
	)
	for i, a := range []string{"Ta fram en plan för tio nya arbetsplatser", "Boka workshop om mottagningens IT-behov"} {
		step("add an action",
			chromedp.WaitVisible(`#ma-title`),
			chromedp.SendKeys(`#ma-title`, a),
			chromedp.SetValue(`#ma-due`, time.Now().AddDate(0, 0, 14+i*7).Format(time.DateOnly)),
			chromedp.Click(`#meeting-action-form button[type=submit]`),
			chromedp.Poll[chromedp.Void](`document.querySelector('#actions .action-list') && document.querySelector('#actions .action-list').innerText.includes(`+jsString(a)+`)`),
			htmxSettled(),
		)
	}
	if s := text(`#actions .action-list`); strings.Count(s, "Anna") < 2 {
		t.Fatalf("the actions do not name their owner: %q", s)
	}
	step("publish the minutes",
		chromedp.Click(`#publish`),
		chromedp.WaitVisible(`#published-badge`),
		htmxSettled(),
	)
	shot(t, anna, "meeting-published")
	step("send the report to the customer",
		chromedp.Click(`#send-report`),
		chromedp.WaitVisible(`.toast`),
		htmxSettled(),
	)
	if s := text(`.toast`); !strings.Contains(s, people[0].Name) {
		t.Fatalf("the confirmation does not name the customer: %q", s)
	}
	step("store the report pack in Chinese",
		chromedp.SetValue(`#rp-lang`, "zh"),
		chromedp.Click(`.report-pack-form button[type=submit]`),
		chromedp.WaitVisible(`#report-copies a`),
	)
	pdf, err := chromedp.Run(anna, chromedp.Evaluate[string](`fetch(document.querySelector('#report-copies a').href).then(async r => r.status + ' ' + r.headers.get('Content-Type') + ' ' + (await r.text()).slice(0, 5))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if pdf != "200 application/pdf %PDF-" {
		t.Fatalf("the stored pack: %q", pdf)
	}
	shot(t, anna, "meeting-pack")
	step("open the report",
		chromedp.Click(`#open-report`),
		chromedp.WaitVisible(`#meeting-report`),
	)
	if s := text(`#meeting-report`); !strings.Contains(s, minutes) || !strings.Contains(s, decision) || !strings.Contains(s, people[0].Name) {
		t.Fatalf("the report: %q", s)
	}
	shot(t, anna, "meeting-report")
	ms, _, err := srv.Store.FindMeetings(bg, liaison.MeetingFilter{Q: "e2e", Limit: 2})
	if err != nil || len(ms) != 1 || ms[0].PublishedAt == nil || ms[0].Status != liaison.MeetingHeld {
		t.Fatalf("stored: %+v %v", ms, err)
	}
}
