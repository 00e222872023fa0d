package app

import (
	"context"
	"time"

	"github.com/liaisonhq/liaison"
)

// TimelineQuery narrows a unit's timeline. Its conditions combine with AND;
// Kinds and SubjectTypes each match any of theirs.
type TimelineQuery struct {
	Category     string   // one of liaison.TimelineCategories' names; "" for all
	Kinds        []string // "<subject_type>.<action>"
	SubjectTypes []string
	ActorID      string
	From, To     time.Time // From <= at < To; zero for no bound
	Cursor       string
	Limit        int
}

// Timeline returns a unit's events, newest first. An account's timeline is
// everything that happened in the account (liaison.AuditEntry.AccountID:
// history stays with the account it happened in when a unit moves); a
// unit that is not an account shows the events of the units now below it.
func (a *App) Timeline(ctx context.Context, orgID string, q TimelineQuery) ([]liaison.TimelineItem, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	u, err := a.Store.FindOrganisationByID(ctx, orgID)
	if err != nil {
		return nil, "", err
	}
	f := timelineOf(u, q.Limit)
	f.Kinds, f.SubjectTypes, f.ActorID, f.From, f.To, f.Cursor = q.Kinds, q.SubjectTypes, q.ActorID, q.From, q.To, q.Cursor
	f.Brief = true
	var v liaison.Validation
	if q.Category != "" && !liaison.CategoryFilter(&f, q.Category) {
		v.Add("category", liaison.CodeInvalid, "error.timeline_category", "unknown category %q", q.Category)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		v.Add("to", liaison.CodeInvalid, "error.timeline_range", "the end of the range must come after its start")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	entries, next, err := a.Store.FindAuditEntries(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return liaison.Timeline(entries), next, nil
}

// timelineOf is the filter of a unit's timeline: its account's entries, or
// the subtree of a unit that is not an account.
func timelineOf(u *liaison.Organisation, limit int) liaison.AuditFilter {
	if u.BudgetHolder {
		return liaison.AuditFilter{AccountID: u.ID, Limit: limit}
	}
	return liaison.AuditFilter{OrganisationID: u.ID, Subtree: true, Limit: limit}
}
