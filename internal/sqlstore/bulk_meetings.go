package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// Meetings writes meetings as given (status, minutes and published_at
// included) with their participants. Their accounts, organisers and
// participants must be written before them.
func (b *BulkTx) Meetings(ctx context.Context, ms []*liaison.Meeting) error {
	parts := 0
	for i, m := range ms {
		if err := requireID("meeting", i, m.ID); err != nil {
			return err
		}
		m.Normalize()
		if err := m.Validate(); err != nil {
			return fmt.Errorf("bulk: meeting %s: %w", m.ID, err)
		}
		b.stamp(&m.Version, &m.CreatedAt, &m.UpdatedAt)
		parts += len(m.Participants)
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "meetings", []string{"id", "organisation_id", "type", "form", "title", "organiser_id", "starts_at",
		"ends_at", "location", "link", "status", "agenda", "minutes", "published_at", "search_text", "version", "created_at",
		"updated_at", "deleted_at"}, len(ms), func(i int, row []any) {
		m := ms[i]
		row[0], row[1], row[2], row[3], row[4] = m.ID, m.OrganisationID, string(m.Type), string(m.Form), m.Title
		row[5], row[6], row[7], row[8], row[9] = nullPtr(m.OrganiserID), t(m.StartsAt), t(m.EndsAt), m.Location, m.Link
		row[10], row[11], row[12], row[13], row[14] = string(m.Status), m.Agenda, m.Minutes, b.nullTime(m.PublishedAt), meetingSearchText(m)
		row[15], row[16], row[17], row[18] = m.Version, t(m.CreatedAt), t(m.UpdatedAt), b.nullTime(m.DeletedAt)
	})
	if err != nil {
		return err
	}
	type ref struct {
		m   *liaison.Meeting
		pos int
	}
	refs := make([]ref, 0, parts)
	for _, m := range ms {
		for n := range m.Participants {
			refs = append(refs, ref{m, n})
		}
	}
	return b.insert(ctx, "meeting_participants", []string{"meeting_id", "position", "user_id", "person_id"}, len(refs),
		func(i int, row []any) {
			r := refs[i]
			p := r.m.Participants[r.pos]
			row[0], row[1], row[2], row[3] = r.m.ID, r.pos, nullPtr(p.UserID), nullPtr(p.PersonID)
		})
}

// ActionRow is one row of the actions table (the one task list) as the
// bulk loader writes it; the actions capability owns its domain type.
type ActionRow struct {
	ID, Title, Description string
	OrganisationID         *string
	MeetingID              *string
	OwnerID                *string
	CreatedByID            *string
	DueDate                *string // YYYY-MM-DD
	Status                 string  // open, done, cancelled
	DoneAt                 *time.Time
	CreatedAt, UpdatedAt   time.Time
}

// ActionRows writes action rows as given; their accounts, meetings and
// users must be written before them.
func (b *BulkTx) ActionRows(ctx context.Context, as []*ActionRow) error {
	version := 1
	for i, a := range as {
		if err := requireID("action", i, a.ID); err != nil {
			return err
		}
		if a.Status != "open" && a.Status != "done" && a.Status != "cancelled" {
			return fmt.Errorf("bulk: action %s: status %q", a.ID, a.Status)
		}
		b.stamp(&version, &a.CreatedAt, &a.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "actions", []string{"id", "title", "description", "organisation_id", "meeting_id", "owner_id",
		"due_date", "status", "done_at", "created_by_id", "search_text", "version", "created_at", "updated_at"}, len(as),
		func(i int, row []any) {
			a := as[i]
			row[0], row[1], row[2], row[3], row[4] = a.ID, a.Title, a.Description, nullPtr(a.OrganisationID), nullPtr(a.MeetingID)
			row[5], row[6], row[7], row[8], row[9] = nullPtr(a.OwnerID), nullPtr(a.DueDate), a.Status, b.nullTime(a.DoneAt), nullPtr(a.CreatedByID)
			row[10], row[11], row[12], row[13] = liaison.SearchText(a.Title, a.Description), 1, t(a.CreatedAt), t(a.UpdatedAt)
		})
}
