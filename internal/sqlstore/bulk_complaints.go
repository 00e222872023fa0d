package sqlstore

import (
	"context"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Complaints writes complaints as given (account, responsible party and
// status included: the generator derives them) and each one's "created"
// history entry. Their units, services, people and users must be written
// before them. Recurrence is not applied: bulk data raises no escalations.
func (b *BulkTx) Complaints(ctx context.Context, cs []*liaison.Complaint) error {
	for i, c := range cs {
		if err := requireID("complaint", i, c.ID); err != nil {
			return err
		}
		c.Normalize()
		if err := c.Validate(); err != nil {
			return fmt.Errorf("bulk: complaint %s: %w", c.ID, err)
		}
		b.stamp(&c.Version, &c.CreatedAt, &c.UpdatedAt)
		if c.ReceivedAt.IsZero() {
			c.ReceivedAt = c.CreatedAt
		}
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "complaints", []string{"id", "organisation_id", "account_id", "service_id", "supplier_id",
		"reporter_person_id", "reporter_user_id", "channel", "classification", "external_ticket", "status", "severity", "title",
		"description", "category", "category_key", "root_cause", "received_at", "coordinator_id", "responsible_id",
		"beyond_level_explanation", "improvement_id", "recurring", "resolved_at", "closed_at", "search_text", "version",
		"created_at", "updated_at", "deleted_at"}, len(cs), func(i int, row []any) {
		c := cs[i]
		row[0], row[1], row[2], row[3], row[4] = c.ID, c.OrganisationID, nullString(c.AccountID), nullPtr(c.ServiceID), nullPtr(c.SupplierID)
		row[5], row[6], row[7], row[8], row[9] = nullPtr(c.ReporterPersonID), nullPtr(c.ReporterUserID), string(c.Channel), string(c.Classification), c.ExternalTicket
		row[10], row[11], row[12], row[13], row[14] = string(c.Status), string(c.Severity), c.Title, c.Description, c.Category
		row[15], row[16], row[17], row[18], row[19] = categoryKey(c.Category), c.RootCause, t(c.ReceivedAt), nullPtr(c.CoordinatorID), nullPtr(c.ResponsibleID)
		row[20], row[21], row[22], row[23], row[24] = c.BeyondLevelExplanation, nullPtr(c.ImprovementID), c.Recurring, b.nullTime(c.ResolvedAt), b.nullTime(c.ClosedAt)
		row[25], row[26], row[27], row[28], row[29] = complaintSearchText(c), c.Version, t(c.CreatedAt), t(c.UpdatedAt), b.nullTime(c.DeletedAt)
	})
	if err != nil {
		return err
	}
	return b.insert(ctx, "complaint_events", []string{"id", "complaint_id", "at", "actor_id", "actor_name", "kind", "from_value",
		"to_value", "note"}, len(cs), func(i int, row []any) {
		c := cs[i]
		row[0], row[1], row[2], row[3], row[4] = c.ID, c.ID, t(c.CreatedAt), "", ""
		row[5], row[6], row[7], row[8] = string(liaison.EventCreated), "", string(c.Status), ""
	})
}
