package dataset_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestCycle: the dataset's annual-cycle tasks are there for the accounts,
// and generating over the same horizon adds none: the bulk load wrote what
// the store's generation would have.
func TestCycle(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		res := generate(t, db, 3)
		acts, _, err := db.FindCycleActivities(ctx, liaison.CycleActivityFilter{Limit: 50})
		if err != nil || len(acts) != 5 {
			t.Fatalf("activities %d, %v", len(acts), err)
		}
		tasks, err := db.FindCycleTasks(ctx, liaison.CycleTaskFilter{})
		if err != nil || len(tasks) != res.CycleTasks || len(tasks) < res.Accounts*7 {
			t.Fatalf("tasks %d (result %d, accounts %d), %v", len(tasks), res.CycleTasks, res.Accounts, err)
		}
		from, to := liaison.CycleHorizon(res.End)
		n, err := db.GenerateCycleTasks(ctx, "", from, to)
		if err != nil || n != 0 {
			t.Fatalf("generating over the dataset's horizon created %d, %v", n, err)
		}
	})
}
