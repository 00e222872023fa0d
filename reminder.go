package liaison

import (
	"fmt"
	"slices"
	"time"
)

// ReminderKind is the date a reminder is about.
type ReminderKind string

// Reminder kinds (SPEC C5: before end, notice and review dates).
const (
	ReminderEnd    ReminderKind = "end"    // the end of the term in force
	ReminderNotice ReminderKind = "notice" // the last day to give notice before a tacit renewal
	ReminderReview ReminderKind = "review" // the next review
)

// DefaultReminderDays are the days before a date at which reminders go out.
var DefaultReminderDays = []int{90, 30, 7}

// MaxReminderDays bounds the reminder stages: how many, and how far ahead.
const (
	MaxReminderStages = 10
	MaxReminderDays   = 366
)

// Reminder is one reminder due for an agreement.
type Reminder struct {
	AgreementID string
	Kind        ReminderKind
	Date        time.Time // the date reminded of
	Stage       int       // the reminder stage reached: one of the configured days before Date
	DaysLeft    int       // days from today to Date
}

// DedupeKey identifies the reminder to one recipient, so that it is
// queued once however often (and on however many instances) the reminder
// job runs. A changed date makes a new key.
func (r Reminder) DedupeKey(userID string) string {
	return fmt.Sprintf("reminder:agreement:%s:%s:%s:%d:%s", r.AgreementID, r.Kind, r.Date.Format(DateLayout), r.Stage, userID)
}

// CheckReminderDays validates the reminder stages setting: at most
// MaxReminderStages distinct days, each from 1 to MaxReminderDays.
func CheckReminderDays(days []int) error {
	var v Validation
	if len(days) > MaxReminderStages {
		v.Add("reminder_days", CodeInvalid, "error.reminder_days", "must hold at most %d days, each from 1 to %d", MaxReminderStages, MaxReminderDays)
		return v.Err()
	}
	seen := map[int]bool{}
	for _, d := range days {
		if d < 1 || d > MaxReminderDays || seen[d] {
			v.Add("reminder_days", CodeInvalid, "error.reminder_days", "must hold at most %d days, each from 1 to %d", MaxReminderStages, MaxReminderDays)
			return v.Err()
		}
		seen[d] = true
	}
	return nil
}

// AgreementReminders returns the reminders due at today for an active
// agreement: for each of its dates (the end of the term in force, the
// notice deadline of a tacit renewal, the next review) that lies from 0 to
// the largest of days ahead, the most urgent stage reached, that is the
// smallest of days not below the days left. A stage missed (the server
// was down that day) is thus sent late rather than never, and a stage
// passed by a later one is not sent at all.
func AgreementReminders(a *Agreement, today time.Time, days []int) []Reminder {
	if a.Status != StatusActive || len(days) == 0 {
		return nil
	}
	today = DateOf(today)
	stages := slices.Clone(days)
	slices.Sort(stages)
	var out []Reminder
	add := func(kind ReminderKind, date time.Time) {
		left := int(date.Sub(today).Hours() / 24)
		if date.Before(today) {
			return
		}
		i, _ := slices.BinarySearch(stages, left) // the first stage >= left
		if i == len(stages) {
			return
		}
		out = append(out, Reminder{AgreementID: a.ID, Kind: kind, Date: date, Stage: stages[i], DaysLeft: left})
	}
	if end, notice, _, ok := a.Terms(today); ok {
		add(ReminderEnd, end)
		if a.Renewal == RenewalTacit && a.NoticeMonths > 0 {
			add(ReminderNotice, notice)
		}
	}
	if a.NextReviewDate != nil {
		if d, err := ParseDate(*a.NextReviewDate); err == nil {
			add(ReminderReview, d)
		}
	}
	return out
}
