package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// StoredResponse is a survey_responses row as the database holds it.
type StoredResponse struct {
	ID          string
	RecipientID *string
}

// StoredResponses reads a campaign's response rows straight from the
// table, so that tests can see what is (and is not) kept.
func StoredResponses(ctx context.Context, db *DB, campaignID string) ([]StoredResponse, error) {
	rows, err := db.rdb.QueryContext(ctx, `SELECT id, recipient_id FROM survey_responses WHERE campaign_id = $1 ORDER BY id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("stored responses: %w", err)
	}
	return collectRows(rows, func(sc scanner) (StoredResponse, error) {
		var r StoredResponse
		var rec sql.NullString
		err := sc.Scan(&r.ID, &rec)
		r.RecipientID = strPtr(rec)
		return r, err
	})
}
