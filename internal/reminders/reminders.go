// Package reminders is the background job that reminds an account's
// relationship manager and deputy of an agreement's coming end, notice
// deadline and review (SPEC C5), by email through the outbox.
//
// Each reminder to each recipient carries a dedupe key (agreement, kind,
// date, stage, recipient), so it is queued once however often the job
// runs and on however many instances.
package reminders

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

// Reminders queues agreement reminders.
type Reminders struct {
	Store  liaison.Store
	Outbox *mail.Outbox
	Log    *slog.Logger
	// Now is the clock; UTC time.Now when nil.
	Now func() time.Time
	// BaseURL starts the links in the messages, e.g. https://liaison.example.com.
	BaseURL string
	// Every is how often the job looks (hourly when 0): reminders are per
	// day, so an hour's delay at most after midnight or a restart.
	Every time.Duration
}

// Job returns the background job.
func (r *Reminders) Job() jobs.Job {
	every := r.Every
	if every <= 0 {
		every = time.Hour
	}
	return jobs.Job{Name: "agreements.reminders", Every: every, Timeout: 10 * time.Minute, Run: r.Run}
}

// Run queues every reminder due today that is not queued yet, and returns
// how the queuing went.
func (r *Reminders) Run(ctx context.Context) error {
	_, err := r.Queue(ctx)
	return err
}

// Queue queues the reminders due today and returns how many it added.
func (r *Reminders) Queue(ctx context.Context) (int, error) {
	now := time.Now().UTC()
	if r.Now != nil {
		now = r.Now().UTC()
	}
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	settings, err := r.Store.Settings(ctx)
	if err != nil {
		return 0, err
	}
	if len(settings.ReminderDays) == 0 {
		return 0, nil
	}
	accounts := map[string]*liaison.Organisation{}
	users := map[string]*liaison.User{}
	added := 0
	var errs []error
	f := liaison.AgreementFilter{Status: liaison.StatusActive, Limit: 500}
	for {
		page, next, err := r.Store.FindAgreements(ctx, f)
		if err != nil {
			return added, err
		}
		for _, a := range page {
			due := liaison.AgreementReminders(a, now, settings.ReminderDays)
			if len(due) == 0 {
				continue
			}
			acct, ok := accounts[a.OrganisationID]
			if !ok {
				if acct, err = r.Store.FindOrganisationByID(ctx, a.OrganisationID); err != nil && liaison.ErrorCode(err) != liaison.ENOTFOUND {
					return added, err
				}
				accounts[a.OrganisationID] = acct
			}
			if acct == nil {
				continue
			}
			recipients, err := r.recipients(ctx, acct, users)
			if err != nil {
				return added, err
			}
			if len(recipients) == 0 {
				log.Warn("agreement reminder has nobody to go to: the account has no active relationship manager or deputy",
					"agreement", a.ID, "account", acct.ID)
			}
			for _, rem := range due {
				for _, u := range recipients {
					ok, err := r.Outbox.EnqueueFor(ctx, u, rem.DedupeKey(u.ID), func(l *i18n.Localizer) mail.Content {
						return r.compose(l, u, a, acct, rem)
					})
					if err != nil {
						errs = append(errs, fmt.Errorf("reminder %s to %s: %w", rem.DedupeKey(u.ID), u.Email, err))
						continue
					}
					if ok {
						added++
						log.Info("agreement reminder queued", "agreement", a.ID, "kind", rem.Kind, "stage", rem.Stage, "to", u.Email)
					}
				}
			}
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return added, errors.Join(errs...)
}

// recipients returns the account's relationship manager and deputy: each
// once, active and with an email address.
func (r *Reminders) recipients(ctx context.Context, acct *liaison.Organisation, cache map[string]*liaison.User) ([]*liaison.User, error) {
	return recipients(ctx, r.Store, cache, acct.RelationshipManagerID, acct.DeputyID)
}

// recipients returns the users ids name (a relationship manager and a
// deputy): each once, active and with an email address.
func recipients(ctx context.Context, store liaison.Store, cache map[string]*liaison.User, ids ...*string) ([]*liaison.User, error) {
	var out []*liaison.User
	for _, id := range ids {
		if id == nil || *id == "" {
			continue
		}
		u, ok := cache[*id]
		if !ok {
			var err error
			if u, err = store.FindUserByID(ctx, *id); err != nil && liaison.ErrorCode(err) != liaison.ENOTFOUND {
				return nil, err
			}
			cache[*id] = u
		}
		if u == nil || !u.Active || u.Email == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o.ID == u.ID
		}
		if !dup {
			out = append(out, u)
		}
	}
	return out, nil
}

func (r *Reminders) compose(l *i18n.Localizer, u *liaison.User, a *liaison.Agreement, acct *liaison.Organisation, rem liaison.Reminder) mail.Content {
	date := l.Date(rem.Date)
	subject := l.T("reminder.subject."+string(rem.Kind), a.Title, acct.Name, date)
	var b strings.Builder
	b.WriteString(l.T("reminder.body.greeting", u.Name) + "\n\n")
	b.WriteString(subject + "\n")
	if rem.DaysLeft == 0 {
		b.WriteString(l.T("reminder.body.today") + "\n")
	} else {
		b.WriteString(l.N("reminder.body.days_left", rem.DaysLeft) + "\n")
	}
	if rem.Kind == liaison.ReminderNotice {
		b.WriteString(l.T("reminder.body.notice_hint") + "\n")
	}
	b.WriteString("\n" + l.T("reminder.body.link", strings.TrimSuffix(r.BaseURL, "/")+"/agreements/"+a.ID) + "\n\n")
	b.WriteString(l.T("reminder.body.why", acct.Name))
	text := b.String()
	return mail.Content{Subject: subject, Text: text, HTML: mail.TextToHTML(text)}
}
