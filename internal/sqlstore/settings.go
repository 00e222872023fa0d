package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/liaisonhq/liaison"
)

// Settings live as one row per JSON field of liaison.Settings, so a new
// setting needs no migration: a missing row reads as its default.

// Settings returns the defaults overlaid with what admins have saved.
func (db *DB) Settings(ctx context.Context) (liaison.Settings, error) {
	return readSettings(ctx, db.ro)
}

func readSettings(ctx context.Context, q queryer) (liaison.Settings, error) {
	s := liaison.DefaultSettings()
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	defer rows.Close()
	stored := map[string]json.RawMessage{}
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return s, fmt.Errorf("read settings: %w", err)
		}
		stored[k] = v
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	if len(stored) == 0 {
		return s, nil
	}
	b, err := json.Marshal(stored)
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	// Fields without a row keep their default; keys no field knows (a
	// setting a newer version removed) are ignored.
	if err := json.Unmarshal(b, &s); err != nil {
		return liaison.DefaultSettings(), fmt.Errorf("read settings: %w", err)
	}
	return s, nil
}

// SaveSettings stores every setting.
func (db *DB) SaveSettings(ctx context.Context, s liaison.Settings) error {
	if s.StaleReviewMonths < 1 || s.StaleReviewMonths > 120 {
		var v liaison.Validation
		v.Add("stale_review_months", liaison.CodeInvalid, "error.out_of_range", "must be between %d and %d", 1, 120)
		return v.Err()
	}
	// Zero stands for the default, as a client that knows no recurrence sends.
	if s.RecurrenceCount == 0 {
		s.RecurrenceCount = liaison.DefaultSettings().RecurrenceCount
	}
	if s.RecurrenceDays == 0 {
		s.RecurrenceDays = liaison.DefaultSettings().RecurrenceDays
	}
	if s.RecurrenceCount < 2 || s.RecurrenceCount > 100 {
		var v liaison.Validation
		v.Add("complaint_recurrence_count", liaison.CodeInvalid, "error.out_of_range", "must be between %d and %d", 2, 100)
		return v.Err()
	}
	if s.RecurrenceDays < 1 || s.RecurrenceDays > 3650 {
		var v liaison.Validation
		v.Add("complaint_recurrence_days", liaison.CodeInvalid, "error.out_of_range", "must be between %d and %d", 1, 3650)
		return v.Err()
	}
	if s.ReminderDays == nil {
		s.ReminderDays = liaison.DefaultSettings().ReminderDays
	}
	if err := liaison.CheckReminderDays(s.ReminderDays); err != nil {
		return err
	}
	if s.DemandAccounts == 0 {
		s.DemandAccounts = liaison.DefaultDemandAccounts
	}
	if err := liaison.CheckDemandAccounts(s.DemandAccounts); err != nil {
		return err
	}
	if s.SurveyReminderDays == 0 {
		s.SurveyReminderDays = liaison.DefaultSurveyReminderDays
	}
	if s.SurveyReminderDays < 1 || s.SurveyReminderDays > 90 {
		var v liaison.Validation
		v.Add("survey_reminder_days", liaison.CodeInvalid, "error.out_of_range", "must be between %d and %d", 1, 90)
		return v.Err()
	}
	if s.SurveyResults.Roles == nil {
		s.SurveyResults = liaison.DefaultSurveyResultAccess()
	}
	if err := s.SurveyResults.Validate(); err != nil {
		return err
	}
	if err := s.SurveyFollowUp.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a fixed order, so concurrent saves lock rows alike
	return db.write(ctx, func(tx *writeTx) error {
		if s.ComplaintCoordinatorID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = $1`, s.ComplaintCoordinatorID).Scan(&n); err != nil {
				var v liaison.Validation
				unknownRef(&v, "complaint_coordinator_id", "user")
				return v.Err()
			}
		}
		before, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				k, string(fields[k]), tx.t(tx.now)); err != nil {
				return fmt.Errorf("save setting %s: %w", k, err)
			}
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectSettings, subjectID: "settings",
			summary: "settings", before: before, after: s})
	})
}
