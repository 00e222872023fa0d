package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillTickets gives ticket_ratings rows for the backup round trip: a
// fractional normalised rating, a service, and awkward comment text.
func fillTickets(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation) {
	t.Helper()
	svcs, _, err := db.FindServices(actx, liaison.ServiceFilter{Limit: 1})
	ok(t, err)
	if len(svcs) == 0 {
		t.Fatal("fill has no service")
	}
	_, err = db.UpsertTicketRatings(actx, []*liaison.TicketRating{
		{Source: "topdesk", ExternalID: "INC-ä1", OrganisationID: acct.ID, ServiceID: &svcs[0].ID, Score: 7, Scale: liaison.Scale0to10,
			PersonEmail: "asa@example.se", Comment: "Snabbt «快» \n\t\x01", ClosedOn: "2026-02-28"},
		{Source: "servicenow", ExternalID: "INC-2", OrganisationID: acct.ID, Score: 1, ClosedOn: "2026-03-01"},
	})
	ok(t, err)
}
