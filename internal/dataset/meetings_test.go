package dataset_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestMeetingsS: the plan's meetings are stored on both engines with
// their participants, in every status, and read back through the store;
// the plan's actions are written with a status mix, half from meetings.
func TestMeetingsS(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		generate(t, db, 7)
		ctx := context.Background()
		ms := all(t, func(c string) ([]*liaison.Meeting, string, error) {
			return db.FindMeetings(ctx, liaison.MeetingFilter{Cursor: c, Limit: 500})
		})
		plan, _ := dataset.PlanFor(dataset.S)
		if len(ms) != plan.Meetings() || plan.Meetings() != 300 || plan.Actions() != 1500 {
			t.Fatalf("%d meetings, want %d", len(ms), plan.Meetings())
		}
		statuses := map[liaison.MeetingStatus]int{}
		published := 0
		for _, m := range ms {
			statuses[m.Status]++
			if m.PublishedAt != nil {
				published++
				if m.Status != liaison.MeetingHeld || m.Minutes == "" {
					t.Fatalf("published but not held with minutes: %+v", m)
				}
			}
			if len(m.Participants) < 2 || m.Participants[0].UserID == nil || m.OrganiserName == "" || m.OrganisationName == "" {
				t.Fatalf("meeting without organiser and contacts: %+v", m)
			}
			if m.Type == liaison.MeetingServiceReview && m.Agenda == "" {
				t.Fatalf("service review without agenda: %+v", m)
			}
		}
		if statuses[liaison.MeetingPlanned] == 0 || statuses[liaison.MeetingHeld] == 0 || statuses[liaison.MeetingCancelled] == 0 || published == 0 {
			t.Fatalf("statuses %v, published %d", statuses, published)
		}
	})
}
