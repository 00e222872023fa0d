package sqlstore

import (
	"context"
	"time"
)

// InsertMeeting writes a meetings row directly, for tests of what reads
// meetings (actions, the review cadence) on a branch without the meeting
// store. It returns the meeting's id.
func InsertMeeting(ctx context.Context, db *DB, organisationID, typ, status, title string, startsAt time.Time, trashed bool) (string, error) {
	id := newID()
	err := db.write(ctx, func(tx *writeTx) error {
		var deleted any
		if trashed {
			deleted = tx.t(tx.now)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meetings (id, organisation_id, type, form, title, starts_at, ends_at, status,
			version, created_at, updated_at, deleted_at) VALUES ($1, $2, $3, 'in_person', $4, $5, $6, $7, 1, $8, $8, $9)`,
			id, organisationID, typ, title, tx.t(startsAt), tx.t(startsAt.Add(time.Hour)), status, tx.t(tx.now), deleted)
		return err
	})
	return id, err
}
