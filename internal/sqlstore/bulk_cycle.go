package sqlstore

import (
	"context"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// CycleActivities writes annual-cycle activities (scope all or segment:
// listed accounts are not bulk-loaded) and their generated tasks, which
// are actions; the accounts and users must be written before them.
func (b *BulkTx) CycleActivities(ctx context.Context, as []*liaison.CycleActivity, tasks []*liaison.CycleTask) error {
	for i, a := range as {
		if err := requireID("cycle activity", i, a.ID); err != nil {
			return err
		}
		a.Normalize()
		if err := a.Validate(); err != nil {
			return fmt.Errorf("bulk: cycle activity %s: %w", a.ID, err)
		}
		if a.Scope == liaison.ScopeAccounts {
			return fmt.Errorf("bulk: cycle activity %s: listed accounts are not bulk-loaded", a.ID)
		}
		b.stamp(&a.Version, &a.CreatedAt, &a.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "cycle_activities", []string{"id", "title", "description", "kind", "recurrence", "month", "day", "on_date",
		"scope", "segment_id", "owner_id", "search_text", "version", "created_at", "updated_at"}, len(as), func(i int, row []any) {
		a := as[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = a.ID, a.Title, a.Description, string(a.Kind), string(a.Recurrence), a.Month, a.Day
		row[7], row[8], row[9], row[10], row[11] = nullPtr(a.OnDate), string(a.Scope), nullPtr(a.SegmentID), nullPtr(a.OwnerID), cycleSearchText(a)
		row[12], row[13], row[14] = a.Version, t(a.CreatedAt), t(a.UpdatedAt)
	})
	if err != nil {
		return err
	}
	now := t(b.db.now())
	for i, task := range tasks {
		if err := requireID("cycle task", i, task.ID); err != nil {
			return err
		}
	}
	return b.insert(ctx, "actions", []string{"id", "title", "organisation_id", "cycle_activity_id", "owner_id", "due_date", "status",
		"search_text", "version", "created_at", "updated_at"}, len(tasks), func(i int, row []any) {
		x := tasks[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = x.ID, x.Title, x.OrganisationID, x.ActivityID, nullPtr(x.OwnerID), x.DueDate
		row[6], row[7], row[8], row[9], row[10] = x.Status, liaison.SearchText(x.Title, x.OrganisationName), 1, now, now
	})
}
