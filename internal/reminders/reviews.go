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

// ReviewReminders is the reviews.reminders job (SPEC C7): it emails an
// agreement customer's relationship manager and deputy when the account's
// service review falls due within liaison.ReviewSoonDays, and again when
// it is overdue. Each goes once per account, stage and due date (its
// dedupe key), in the recipient's language; a review held moves the due
// date, so the next cycle reminds again.
type ReviewReminders struct {
	Store  liaison.Store
	Outbox *mail.Outbox
	Log    *slog.Logger
	// Now is the clock; UTC time.Now when nil.
	Now func() time.Time
	// BaseURL starts the links in the messages.
	BaseURL string
	// Every is how often the job looks (hourly when 0).
	Every time.Duration
}

// Job returns the background job.
func (r *ReviewReminders) Job() jobs.Job {
	every := r.Every
	if every <= 0 {
		every = time.Hour
	}
	return jobs.Job{Name: "reviews.reminders", Every: every, Timeout: 10 * time.Minute,
		Run: func(ctx context.Context) error { _, err := r.Queue(ctx); return err }}
}

// reviewStage is which reminder an account's state calls for: "due",
// "overdue", or "" for none.
func reviewStage(d *liaison.ReviewDue) string {
	switch d.State {
	case liaison.ReviewOverdue:
		return "overdue"
	case liaison.ReviewDueSoon:
		return "due"
	}
	return ""
}

// reviewDedupeKey makes a reminder unique per account, stage, due date and
// recipient; a never-reviewed account has no due date.
func reviewDedupeKey(d *liaison.ReviewDue, stage, userID string) string {
	due := "never"
	if d.DueDate != nil {
		due = *d.DueDate
	}
	return "review:" + d.OrganisationID + ":" + stage + ":" + due + ":" + userID
}

// Queue queues the review reminders due now and returns how many it added.
func (r *ReviewReminders) Queue(ctx context.Context) (int, error) {
	now := time.Now().UTC()
	if r.Now != nil {
		now = r.Now().UTC()
	}
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	cadence, err := r.Store.ReviewCadence(ctx, liaison.ReviewFilter{})
	if err != nil {
		return 0, err
	}
	users := map[string]*liaison.User{}
	added := 0
	var errs []error
	for _, d := range cadence {
		d.Apply(now)
		stage := reviewStage(d)
		if stage == "" {
			continue
		}
		to, err := recipients(ctx, r.Store, users, d.ManagerID, d.DeputyID)
		if err != nil {
			return added, err
		}
		if len(to) == 0 {
			log.Warn("review reminder has nobody to go to: the account has no active relationship manager or deputy", "account", d.OrganisationID)
		}
		for _, u := range to {
			key := reviewDedupeKey(d, stage, u.ID)
			ok, err := r.Outbox.EnqueueFor(ctx, u, key, func(l *i18n.Localizer) mail.Content { return r.compose(l, u, d) })
			if err != nil {
				errs = append(errs, fmt.Errorf("review reminder %s to %s: %w", key, u.Email, err))
				continue
			}
			if ok {
				added++
				log.Info("review reminder queued", "account", d.OrganisationID, "stage", stage, "to", u.Email)
			}
		}
	}
	return added, errors.Join(errs...)
}

func (r *ReviewReminders) compose(l *i18n.Localizer, u *liaison.User, d *liaison.ReviewDue) mail.Content {
	var subject string
	switch {
	case d.DueDate == nil:
		subject = l.T("review.reminder.subject.never", d.OrganisationName)
	case d.State == liaison.ReviewOverdue:
		subject = l.T("review.reminder.subject.overdue", d.OrganisationName, l.DateString(*d.DueDate))
	default:
		subject = l.T("review.reminder.subject.due", d.OrganisationName, l.DateString(*d.DueDate))
	}
	var b strings.Builder
	b.WriteString(l.T("reminder.body.greeting", u.Name) + "\n\n")
	b.WriteString(subject + "\n")
	b.WriteString(l.T("review.reminder.body.interval", l.Number(d.IntervalMonths)) + "\n")
	if d.LastReview != nil {
		b.WriteString(l.T("review.reminder.body.last", l.DateString(*d.LastReview)) + "\n")
	} else {
		b.WriteString(l.T("review.reminder.body.never") + "\n")
	}
	b.WriteString("\n" + l.T("review.reminder.body.link", strings.TrimSuffix(r.BaseURL, "/")+"/reviews-due?mine=1") + "\n\n")
	b.WriteString(l.T("reminder.body.why", d.OrganisationName))
	text := b.String()
	return mail.Content{Subject: subject, Text: text, HTML: mail.TextToHTML(text)}
}
