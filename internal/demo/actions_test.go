package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestActionsAndReviews: the demo has open, overdue, done and cancelled
// actions owned by the managers, Anna among them, and an agreement
// customer overdue for its service review and one due within 30 days.
func TestActionsAndReviews(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	// The annual cycle's generated tasks are actions too; the rest are the
	// demo's own.
	tasks, err := a.CycleTasks(ctx, liaison.CycleTaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	cycle := map[string]bool{}
	for _, x := range tasks {
		cycle[x.ID] = true
	}
	contacts, _, err := a.Contacts(ctx, liaison.ContactFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	contactTasks := map[string]bool{}
	for _, c := range contacts {
		if c.ActionID != nil {
			contactTasks[*c.ActionID] = true
		}
	}
	var all []*liaison.Action
	for f := (liaison.ActionFilter{Limit: 100}); ; {
		page, next, err := a.Actions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page {
			if !cycle[x.ID] && x.TriggerID == nil && !contactTasks[x.ID] { // trigger tasks: triggers_test.go; contact tasks: datamap_test.go
				all = append(all, x)
			}
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	if len(all) != res.Actions || len(all) < 10 {
		t.Fatalf("%d actions besides %d cycle tasks, result says %d", len(all), len(tasks), res.Actions)
	}
	statuses := map[liaison.ActionStatus]int{}
	overdue, anna := 0, 0
	for _, x := range all {
		statuses[x.Status]++
		if x.Overdue(a.Now()) {
			overdue++
		}
		if x.OwnerName == "Anna Lindqvist" && x.Status == liaison.ActionOpen {
			anna++
		}
	}
	if statuses[liaison.ActionOpen] == 0 || statuses[liaison.ActionDone] == 0 || statuses[liaison.ActionCancelled] == 0 || overdue < 2 || anna < 3 {
		t.Fatalf("statuses %v, %d overdue, %d open for Anna", statuses, overdue, anna)
	}
	due, err := a.ReviewsDue(ctx, liaison.ReviewFilter{}, "")
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]liaison.ReviewState{}
	for _, r := range due {
		states[r.OrganisationName] = r.State
	}
	if states["Hälso- och sjukvård"] != liaison.ReviewDueSoon || states["Socialförvaltningen"] != liaison.ReviewOverdue || len(due) != 2 {
		t.Fatalf("reviews due %v", states)
	}
}
