package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestTriggers: a dozen triggers over all nine kinds, two posted by
// a service-management tool with their references, some with their task
// done; every task is owned by its account's relationship manager.
func TestTriggers(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	all, _, err := a.Triggers(ctx, liaison.TriggerFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != res.Triggers || len(all) < 12 {
		t.Fatalf("%d triggers, result says %d", len(all), res.Triggers)
	}
	kinds := map[liaison.TriggerKind]bool{}
	posted, done := 0, 0
	for _, tr := range all {
		kinds[tr.Kind] = true
		if tr.Source == liaison.TriggerAPI {
			posted++
			if tr.ExternalRef == nil {
				t.Errorf("%s was posted without its reference", tr.Title)
			}
		}
		if tr.Status == liaison.ActionDone {
			done++
		}
		acct, err := a.Organisation(ctx, tr.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		if acct.RelationshipManagerID == nil || tr.OwnerID != *acct.RelationshipManagerID || tr.AssignedTo != liaison.AssignedManager {
			t.Errorf("%s: task owned by %s (%s), the account's manager is %v", tr.Title, tr.OwnerName, tr.AssignedTo, acct.RelationshipManagerID)
		}
		task, err := a.Action(ctx, tr.ActionID)
		if err != nil || task.TriggerID == nil || *task.TriggerID != tr.ID {
			t.Errorf("%s: task %v, %v", tr.Title, task, err)
		}
	}
	if len(kinds) != len(liaison.TriggerKinds) || posted != 2 || done < 3 || done == len(all) {
		t.Fatalf("kinds %d, posted %d, done %d of %d", len(kinds), posted, done, len(all))
	}
}
