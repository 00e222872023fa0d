package sqlstore_test

import (
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillJobsMail gives the job and outbox tables rows for the backup round
// trip: a leased job, an ended and a running run, mail with and without a
// dedupe key, sent and pending.
func fillJobsMail(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	at := time.Date(2026, 4, 1, 6, 0, 0, 123456000, time.UTC)
	ok(t, db.EnsureJob(ctx, "mail.deliver", at))
	ok(t, db.EnsureJob(ctx, "reminders", at))
	run, err := db.ClaimJob(ctx, "mail.deliver", "host-1-ab", at, at.Add(time.Minute))
	ok(t, err)
	run.Status, run.Error = liaison.JobFailed, "smtp: «refused»"
	_, err = db.FinishJob(ctx, run, at.Add(30*time.Second))
	ok(t, err)
	if _, err := db.ClaimJob(ctx, "reminders", "host-2-cd", at, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, err = db.EnqueueMail(ctx, &liaison.MailMessage{DedupeKey: "reminder:x:end:30:u", To: "eva@example.se", ToName: "Eva Åström",
		Language: "sv", Subject: "Påminnelse: avtal", Text: "Hej\n\n-- \nLiaison", HTML: "<p>Hej</p>"})
	ok(t, err)
	sent := &liaison.MailMessage{To: "bo@example.com", Subject: "s", Text: "t"}
	_, err = db.EnqueueMail(ctx, sent)
	ok(t, err)
	ok(t, db.MarkMailSent(ctx, sent.ID, at))
}
