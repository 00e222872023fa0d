package reminders_test

import (
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/mail/smtptest"
	"github.com/liaisonhq/liaison/internal/reminders"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestReviewRemindersThroughTheCadence follows an agreement customer
// through the cadence: never reviewed (overdue), reviewed eleven months
// ago (due within 30 days), the due date passed (overdue), reviewed again
// (nothing). Each stage reaches the manager and the deputy once, in their
// own language, and arrives at a real SMTP server.
func TestReviewRemindersThroughTheCadence(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		f := seed(t, db, 200) // the agreement ends far off: no agreement reminder
		now := time.Now().UTC()
		clock := func() time.Time { return now }
		r := &reminders.ReviewReminders{Store: db, Outbox: &mail.Outbox{Store: db}, Log: quiet, Now: clock, BaseURL: "https://liaison.example.com"}
		queue := func(stage string, want int) {
			t.Helper()
			if n, err := r.Queue(ctx); err != nil || n != want {
				t.Fatalf("%s: Queue = %d, %v; want %d", stage, n, err, want)
			}
			if n, err := r.Queue(ctx); err != nil || n != 0 {
				t.Fatalf("%s again: Queue = %d, %v; want 0", stage, n, err)
			}
		}
		queue("never reviewed", 2)
		last := now.AddDate(0, -11, -20)
		sqlstoretest.HeldReview(ctx, t, db, f.account.ID, "Tjänsteuppföljning", last)
		queue("due soon", 2)
		due := liaison.AddMonths(liaison.DateOf(last), 12)
		now = due.AddDate(0, 0, 1).Add(10 * time.Hour)
		queue("overdue", 2)
		sqlstoretest.HeldReview(ctx, t, db, f.account.ID, "Tjänsteuppföljning", now)
		queue("reviewed", 0)

		srv := smtptest.Start(t)
		sender, err := mail.NewSMTP(mail.Config{Addr: srv.Addr, From: "Liaison <liaison@example.com>", TLS: mail.TLSNone, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := (&mail.Deliverer{Store: db, Sender: sender, Log: quiet}).Run(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(6, 30*time.Second)
		byTo := map[string][]string{}
		for _, m := range msgs {
			byTo[strings.Join(m.To, ",")] = append(byTo[strings.Join(m.To, ",")], m.Subject())
		}
		for _, u := range []*liaison.User{f.manager, f.deputy} {
			l := i18n.For(u.Language)
			want := []string{l.T("review.reminder.subject.never", "Lunds kommun"),
				l.T("review.reminder.subject.due", "Lunds kommun", l.Date(due)),
				l.T("review.reminder.subject.overdue", "Lunds kommun", l.Date(due))}
			got := byTo[u.Email]
			if len(got) != 3 {
				t.Fatalf("%s received %q, want %q", u.Email, got, want)
			}
			for _, w := range want {
				found := false
				for _, g := range got {
					found = found || g == w
				}
				if !found {
					t.Errorf("%s received %q, missing %q", u.Email, got, w)
				}
			}
		}
		for _, m := range msgs {
			if !strings.Contains(m.Text(), "https://liaison.example.com/reviews-due?mine=1") {
				t.Errorf("message to %v lacks the link:\n%s", m.To, m.Text())
			}
		}
	})
}

// TestReviewReminderDedupeKey: a reminder is one per account, stage, due
// date and recipient, so that a held review (a new due date) reminds again.
func TestReviewReminderDedupeKey(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	f := seed(t, db, 200)
	r := &reminders.ReviewReminders{Store: db, Outbox: &mail.Outbox{Store: db}, Log: quiet}
	if n, err := r.Queue(ctx); err != nil || n != 2 {
		t.Fatalf("Queue = %d, %v", n, err)
	}
	ms, err := db.FindMail(ctx, liaison.MailFilter{To: f.manager.Email})
	if err != nil || len(ms) != 1 {
		t.Fatalf("mail = %d, %v", len(ms), err)
	}
	if want := "review:" + f.account.ID + ":overdue:never:" + f.manager.ID; ms[0].DedupeKey != want {
		t.Fatalf("dedupe key %q, want %q", ms[0].DedupeKey, want)
	}
}
