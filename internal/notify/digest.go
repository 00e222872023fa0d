// Package notify is the notifications.digest background job (SPEC C12):
// every user who opted in (digest immediately or daily) gets their unread
// notifications, the events of the accounts they follow, by email through
// the outbox, in their own language.
//
// A digest carries the unread events after the previous digest's newest
// one; its dedupe key names the user and that newest event, so a run
// repeated after a crash (or on another instance) queues it once.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/jobs"
	"github.com/liaisonhq/liaison/internal/mail"
)

// maxItems is the most events one digest lists; it links to the rest.
const maxItems = 50

// Digest queues notification digests.
type Digest struct {
	Store  liaison.Store
	Outbox *mail.Outbox
	Log    *slog.Logger
	// Now is the clock; UTC time.Now when nil.
	Now func() time.Time
	// BaseURL starts the links in the messages.
	BaseURL string
	// Every is how often the job looks (5 minutes when 0): "immediately"
	// means within that.
	Every time.Duration
}

// Job returns the background job.
func (d *Digest) Job() jobs.Job {
	every := d.Every
	if every <= 0 {
		every = 5 * time.Minute
	}
	return jobs.Job{Name: "notifications.digest", Every: every, Timeout: 10 * time.Minute, Run: d.Run}
}

// Run queues every digest that is due.
func (d *Digest) Run(ctx context.Context) error {
	_, err := d.Queue(ctx)
	return err
}

// Queue queues the digests due now and returns how many it added.
func (d *Digest) Queue(ctx context.Context) (int, error) {
	now := time.Now().UTC()
	if d.Now != nil {
		now = d.Now().UTC()
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	users, err := d.Store.DigestUsers(ctx)
	if err != nil {
		return 0, err
	}
	added := 0
	var errs []error
	for _, s := range users {
		if !liaison.DigestDue(s, now) {
			continue
		}
		ok, err := d.one(ctx, s, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("digest to %s: %w", s.UserID, err))
			continue
		}
		if ok {
			added++
			log.Info("notification digest queued", "user", s.UserID, "digest", s.Digest)
		}
	}
	return added, errors.Join(errs...)
}

// one queues a user's digest; false when there was nothing to send.
func (d *Digest) one(ctx context.Context, s *liaison.NotificationSettings, now time.Time) (bool, error) {
	u, err := d.Store.FindUserByID(ctx, s.UserID)
	if err != nil {
		return false, err
	}
	day := now.Format(liaison.DateLayout)
	if !u.Active || u.Email == "" {
		return false, nil
	}
	page, err := d.Store.FindNotifications(ctx, liaison.NotificationFilter{UserID: u.ID, After: s.DigestThrough, UnreadOnly: true,
		Limit: maxItems, CountUnread: true})
	if err != nil {
		return false, err
	}
	if len(page.Items) == 0 {
		return false, nil
	}
	newest := page.Items[0]
	key := "notifications:" + u.ID + ":" + newest.ID
	queued, err := d.Outbox.EnqueueFor(ctx, u, key, func(l *i18n.Localizer) mail.Content {
		return d.compose(l, u, page)
	})
	if err != nil {
		return false, err
	}
	// Marked whether or not this run queued it: a key queued before is a
	// digest an earlier run queued and did not get to mark.
	if err := d.Store.MarkDigestSent(ctx, u.ID, newest.At, day); err != nil {
		return false, err
	}
	return queued, nil
}

func (d *Digest) compose(l *i18n.Localizer, u *liaison.User, page *liaison.NotificationPage) mail.Content {
	base := strings.TrimSuffix(d.BaseURL, "/")
	n := len(page.Items)
	subject := l.N("notify.mail.subject", n)
	var b strings.Builder
	b.WriteString(l.T("reminder.body.greeting", u.Name) + "\n\n")
	b.WriteString(l.N("notify.mail.intro", n) + "\n")
	// By account, the account of the newest event first; newest first within each.
	var order []string
	byAccount := map[string][]*liaison.Notification{}
	for _, it := range page.Items {
		if _, seen := byAccount[it.AccountID]; !seen {
			order = append(order, it.AccountID)
		}
		byAccount[it.AccountID] = append(byAccount[it.AccountID], it)
	}
	for _, acc := range order {
		items := byAccount[acc]
		b.WriteString("\n" + items[0].AccountName + "\n")
		for _, it := range items {
			line := "- " + l.DateTime(it.At, time.UTC) + " · " + l.Event(it.Kind) + ": " + it.Summary + " (" + it.Actor + ")"
			if it.Link != "" {
				line += "\n  " + base + it.Link
			}
			b.WriteString(line + "\n")
		}
	}
	if page.Unread > n {
		b.WriteString("\n" + l.T("notify.mail.more") + "\n")
	}
	b.WriteString("\n" + l.T("notify.mail.link", base+"/notifications") + "\n\n")
	b.WriteString(l.T("notify.mail.why"))
	text := b.String()
	return mail.Content{Subject: subject, Text: text, HTML: mail.TextToHTML(text)}
}
