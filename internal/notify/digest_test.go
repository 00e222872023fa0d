package notify_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
	"github.com/liaisonhq/liaison/internal/notify"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestDigestArrivesOnceInTheUsersLanguage: a Finnish user who follows an
// account and chose immediate digests gets one email, in Finnish, listing
// what another user changed on the account (not their own change), through
// the outbox to a real SMTP server; running again sends nothing more until
// something new happens. A user whose digest is off gets nothing.
func TestDigestArrivesOnceInTheUsersLanguage(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		eero := &liaison.User{Name: "Eero Virtanen", Email: "eero@example.com", Role: liaison.RoleViewer, Language: liaison.Finnish, Active: true}
		anna := &liaison.User{Name: "Anna Lindqvist", Email: "anna@example.com", Role: liaison.RoleManager, Language: liaison.Swedish, Active: true}
		must(t, db.CreateUser(ctx, eero))
		must(t, db.CreateUser(ctx, anna))
		acc := &liaison.Organisation{Name: "Lunds kommun", BudgetHolder: true}
		must(t, db.CreateOrganisation(ctx, acc))
		for _, u := range []*liaison.User{eero, anna} {
			_, _, err := db.Follow(ctx, u.ID, acc.ID)
			must(t, err)
		}
		_, err := db.SaveDigest(ctx, eero.ID, liaison.DigestImmediately)
		must(t, err)
		time.Sleep(5 * time.Millisecond) // the events come after the digest was turned on
		asAnna := liaison.WithPrincipal(ctx, &liaison.Principal{User: anna, Scope: liaison.ScopeWrite})
		asEero := liaison.WithPrincipal(ctx, &liaison.Principal{User: eero, Scope: liaison.ScopeWrite})
		must(t, db.CreatePerson(asAnna, &liaison.Person{Name: "Karin Berg", OrganisationID: acc.ID}))
		must(t, db.CreatePerson(asEero, &liaison.Person{Name: "Oma muutos", OrganisationID: acc.ID}))

		d := &notify.Digest{Store: db, Outbox: &mail.Outbox{Store: db}, Log: slog.New(slog.DiscardHandler), BaseURL: "https://liaison.example.com/"}
		n, err := d.Queue(ctx)
		if err != nil || n != 1 {
			t.Fatalf("Queue = %d, %v; want 1", n, err)
		}
		if n, err := d.Queue(ctx); err != nil || n != 0 {
			t.Fatalf("second Queue = %d, %v; want 0", n, err)
		}

		srv := smtptest.Start(t)
		sender, err := mail.NewSMTP(mail.Config{Addr: srv.Addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone})
		must(t, err)
		must(t, (&mail.Deliverer{Store: db, Sender: sender, Log: slog.New(slog.DiscardHandler)}).Run(ctx))
		msgs := srv.WaitFor(1, 10*time.Second)
		if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != eero.Email {
			t.Fatalf("messages: %d", len(msgs))
		}
		fi := i18n.For(liaison.Finnish)
		m := msgs[0]
		if want := fi.N("notify.mail.subject", 1); m.Subject() != want {
			t.Errorf("subject %q, want %q", m.Subject(), want)
		}
		for _, want := range []string{fi.T("reminder.body.greeting", "Eero Virtanen"), "Lunds kommun", "Karin Berg", "Anna Lindqvist",
			"https://liaison.example.com/notifications", "https://liaison.example.com/people/"} {
			if !strings.Contains(m.Text(), want) {
				t.Errorf("text lacks %q:\n%s", want, m.Text())
			}
		}
		if strings.Contains(m.Text(), "Oma muutos") {
			t.Errorf("the digest lists the user's own change:\n%s", m.Text())
		}

		// Something new: the next run sends it, alone.
		must(t, db.CreatePerson(asAnna, &liaison.Person{Name: "Per Holm", OrganisationID: acc.ID}))
		if n, err := d.Queue(ctx); err != nil || n != 1 {
			t.Fatalf("Queue after a new event = %d, %v; want 1", n, err)
		}
		ms, err := db.FindMail(ctx, liaison.MailFilter{To: eero.Email})
		must(t, err)
		if len(ms) != 2 || !strings.Contains(ms[0].Text, "Per Holm") || strings.Contains(ms[0].Text, "Karin Berg") {
			t.Fatalf("second digest: %d messages\n%s", len(ms), ms[0].Text)
		}
		if ms, _ := db.FindMail(ctx, liaison.MailFilter{To: anna.Email}); len(ms) != 0 {
			t.Fatalf("anna's digest is off, yet %d messages", len(ms))
		}
	})
}
