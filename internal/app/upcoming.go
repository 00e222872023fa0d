package app

import (
	"context"
	"slices"

	liaison "github.com/liaisonhq/liaison"
)

// UpcomingDate is an agreement date coming up: the end of the term in
// force, the notice deadline of a tacit renewal or the next review.
type UpcomingDate struct {
	liaison.Reminder
	Agreement *liaison.Agreement
}

// Upcoming lists the dates of active agreements that lie within the
// largest reminder window (the reminder_days setting; the default days
// when reminders are off), nearest first: those of the accounts managerID
// manages or deputises, or of every account when managerID is empty. It
// returns at most limit dates and the number there are in all.
func (a *App) Upcoming(ctx context.Context, managerID string, limit int) ([]UpcomingDate, int, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, 0, err
	}
	s, err := a.Store.Settings(ctx)
	if err != nil {
		return nil, 0, err
	}
	days := s.ReminderDays
	if len(days) == 0 {
		days = liaison.DefaultReminderDays
	}
	today := a.Now()
	var out []UpcomingDate
	f := liaison.AgreementFilter{Status: liaison.StatusActive, ManagerID: managerID, Limit: 500}
	for {
		page, next, err := a.Store.FindAgreements(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		for _, ag := range page {
			// Every date from today to the largest stage has a stage reached.
			for _, r := range liaison.AgreementReminders(ag, today, days) {
				out = append(out, UpcomingDate{Reminder: r, Agreement: ag})
			}
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	slices.SortStableFunc(out, func(x, y UpcomingDate) int {
		if c := x.Date.Compare(y.Date); c != 0 {
			return c
		}
		if x.Agreement.Title != y.Agreement.Title {
			if x.Agreement.Title < y.Agreement.Title {
				return -1
			}
			return 1
		}
		return kindOrder(x.Kind) - kindOrder(y.Kind)
	})
	total := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}

func kindOrder(k liaison.ReminderKind) int {
	switch k {
	case liaison.ReminderNotice:
		return 0
	case liaison.ReminderEnd:
		return 1
	}
	return 2
}
