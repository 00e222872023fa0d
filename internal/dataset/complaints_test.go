package dataset_test

import (
	"context"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestComplaintsS: the plan's complaints are stored on both engines, read
// back through the store with their derived names, and the analysis counts
// complaints only.
func TestComplaintsS(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		generate(t, db, 7)
		ctx := context.Background()
		cs := all(t, func(c string) ([]*liaison.Complaint, string, error) {
			return db.FindComplaints(ctx, liaison.ComplaintFilter{Cursor: c, Limit: 500})
		})
		plan, _ := dataset.PlanFor(dataset.S)
		if len(cs) != plan.Complaints() || plan.Complaints() != 1000 {
			t.Fatalf("%d complaints, want %d", len(cs), plan.Complaints())
		}
		counted, open, withService := 0, 0, 0
		for _, c := range cs {
			if c.AccountID == "" || c.AccountName == "" || c.ReporterName == "" || c.CoordinatorName == "" {
				t.Fatalf("complaint without derived names: %+v", c)
			}
			if c.Classification == liaison.ClassComplaint {
				counted++
				if c.Status.Open() {
					open++
				}
			}
			if c.ServiceID != nil {
				withService++
			}
			if (c.Status == liaison.ComplaintClosed) != (c.ClosedAt != nil) || c.ReceivedAt.After(c.UpdatedAt) {
				t.Fatalf("inconsistent handling: %+v", c)
			}
		}
		st, err := db.ComplaintStats(ctx, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if st.InPeriod != counted || st.Open != open || counted == len(cs) || withService == 0 || st.MedianResolveHours <= 0 {
			t.Fatalf("stats %d in period, %d open; counted %d, open %d, with service %d", st.InPeriod, st.Open, counted, open, withService)
		}
		events, err := db.FindComplaintEvents(ctx, cs[0].ID)
		if err != nil || len(events) != 1 || events[0].Kind != liaison.EventCreated {
			t.Fatalf("history %v, %v", events, err)
		}
	})
}
