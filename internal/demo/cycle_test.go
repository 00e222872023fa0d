package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestCycle: the demo's annual cycle has an activity of every kind the
// seeds name, and their tasks are generated for the demo accounts, owned
// by the relationship managers.
func TestCycle(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	acts, err := a.AllCycleActivities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != res.CycleActivities || len(acts) < 5 {
		t.Fatalf("%d activities, result says %d", len(acts), res.CycleActivities)
	}
	kinds := map[liaison.CycleKind]bool{}
	for _, c := range acts {
		kinds[c.Kind] = true
	}
	for _, k := range []liaison.CycleKind{liaison.CycleAgreementReview, liaison.CycleBudgetMeeting, liaison.CycleSatisfactionSurvey,
		liaison.CycleCostFollowUp, liaison.CycleCriticalUpdateWindow} {
		if !kinds[k] {
			t.Errorf("no %s activity", k)
		}
	}
	tasks, err := a.CycleTasks(ctx, liaison.CycleTaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Yearly ×3 and quarterly ×4 (or 5: a horizon of 12 months and a day
	// may hold a fifth) per account, plus the healthcare window.
	if len(tasks) < res.Accounts*7 {
		t.Fatalf("%d tasks for %d accounts", len(tasks), res.Accounts)
	}
	owned := 0
	for _, task := range tasks {
		o, err := a.Organisation(ctx, task.OrganisationID)
		if err != nil {
			t.Fatal(err)
		}
		if deref(o.RelationshipManagerID) != deref(task.OwnerID) {
			t.Errorf("%s of %s is owned by %v, want the relationship manager", task.Title, o.Name, task.OwnerID)
		}
		if task.OwnerID != nil {
			owned++
		}
	}
	if owned < len(tasks)/2 {
		t.Errorf("only %d of %d tasks have an owner", owned, len(tasks))
	}
	if n, err := a.GenerateCycleTasks(ctx, ""); err != nil || n != 0 {
		t.Errorf("generating again created %d (%v)", n, err)
	}
}
