package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestContactAndDataMapFlow: Lena at the service desk logs a call from
// Norrskenssjukhuset on the account's Contacts tab, routes it to Johan
// Bergström, the account's relationship manager, and closes it with its
// answer; the contact is on the account's timeline and Johan was mailed.
// Then she opens the customer data map and sees the application register
// flagged stale.
func TestContactAndDataMapFlow(t *testing.T) {
	b := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	const subject = "Röntgen behöver ny skrivare i receptionen"
	acc, _, err := srv.Store.FindOrganisations(bg, liaison.OrganisationFilter{Q: "Norrskenssjukhuset", Limit: 2})
	if err != nil || len(acc) != 1 {
		t.Fatalf("hospital: %v %v", acc, err)
	}
	johan, err := srv.Store.FindUserByEmail(bg, "johan.bergstrom@liaison.demo")
	if err != nil {
		t.Fatal(err)
	}

	signIn(t, b, srv.URL, "lena.pettersson@liaison.demo", demo.Password)
	english(t, b)
	step := stepper(t, b, "fail-contact-")
	text := textOf(t, b)
	step("log a contact from the account's Contacts tab",
		chromedp.Navigate(srv.URL+"/organisations/"+acc[0].ID+"/contacts"),
		chromedp.WaitVisible(`#log-contact`),
		chromedp.Click(`#log-contact`),
		waitPath("/contacts/new", "x"),
		chromedp.WaitVisible(`#f-channel`),
		chromedp.SetValue(`#f-channel`, "service_desk"),
		chromedp.SetValue(`#f-kind`, "request"),
		chromedp.SendKeys(`#f-subject`, subject),
		chromedp.SendKeys(`#f-description`, "Receptionen ringde servicedesken: skrivaren har gått sönder."),
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#contact-status`),
	)
	if s := text(`#contact-status`); !strings.Contains(s, "New") {
		t.Fatalf("status after logging: %q", s)
	}
	step("route it to the relationship manager",
		chromedp.SetValue(`#f-responsible_id`, johan.ID),
		chromedp.Click(`#move-routed`),
		// The responsible's name is on the page before too: wait for the new status.
		chromedp.WaitVisible(`#contact-status [data-contact-status="routed"]`),
	)
	if s := text(`#contact-status`); !strings.Contains(s, "Routed") {
		t.Fatalf("status after routing: %q", s)
	}
	if s := text(`#contact-responsible`); s != "Johan Bergström" {
		t.Fatalf("responsible: %q", s)
	}
	shot(t, b, "contact-routed")
	step("close it with the answer",
		chromedp.SendKeys(`#f-resolution`, "Ny skrivare beställd, levereras på torsdag."),
		chromedp.Click(`#move-closed`),
		chromedp.WaitVisible(`#resolution`),
	)
	if s := text(`#contact-status`); !strings.Contains(s, "Closed") {
		t.Fatalf("status after closing: %q", s)
	}
	cs, _, err := srv.Store.FindContacts(bg, liaison.ContactFilter{Q: "skrivare receptionen", Limit: 2})
	if err != nil || len(cs) != 1 || cs[0].Status != liaison.ContactClosed || cs[0].ClosedAt == nil {
		t.Fatalf("stored: %v %v", cs, err)
	}
	msgs, err := srv.Store.FindMail(bg, liaison.MailFilter{To: johan.Email})
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, m := range msgs {
		told = told || strings.Contains(m.Subject, subject)
	}
	if !told {
		t.Fatalf("Johan was not told: %d messages", len(msgs))
	}
	step("the contact is on the account's timeline",
		chromedp.Navigate(srv.URL+"/organisations/"+acc[0].ID+"/timeline"),
		chromedp.WaitVisible(`main`),
	)
	if s := text(`main`); !strings.Contains(s, subject) {
		t.Fatalf("timeline lacks the contact: %.400q", s)
	}

	step("open the data map",
		chromedp.Navigate(srv.URL+"/data-map"),
		chromedp.WaitVisible(`#q2`),
	)
	if s := text(`#q2 tr[data-stale="true"]`); !strings.Contains(s, "Applikationsregistret") || !strings.Contains(s, "Stale") {
		t.Fatalf("the stale row: %q", s)
	}
	for _, q := range []string{"#q1", "#q2", "#q3", "#q4", "#q5"} {
		if text(q+" h2") == "" {
			t.Fatalf("panel %s has no question", q)
		}
	}
	shot(t, b, "data-map")
}
