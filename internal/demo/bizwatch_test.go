package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestBusinessPlansAndWatch: the demo's business plans span several
// accounts with a couple of reviews overdue, each written by its account's
// manager; its watch notes cover every status and one became an
// improvement suggestion of origin watch, linked back.
func TestBusinessPlansAndWatch(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	items, _, err := a.BusinessPlanItems(ctx, liaison.BusinessPlanFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != res.BusinessPlanItems || len(items) < 6 {
		t.Fatalf("%d plan items, result says %d", len(items), res.BusinessPlanItems)
	}
	accounts, overdue, reviewed, withSource := map[string]bool{}, 0, 0, 0
	for _, b := range items {
		accounts[b.OrganisationID] = true
		if b.ReviewOverdue {
			overdue++
		}
		if b.LastReviewedOn != nil {
			reviewed++
		}
		if b.SourceURL != "" {
			withSource++
		}
		if b.ITEffect == "" || len(b.ServiceIDs) == 0 {
			t.Errorf("%s: no IT effect or no services", b.Title)
		}
		es, _, err := a.Audit(ctx, "business_plan", b.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 || es[len(es)-1].ActorName == "Demo Administrator" || es[len(es)-1].OrganisationID != b.OrganisationID {
			t.Errorf("%s: created by %q on %q, not by the account's manager on the account", b.Title, es[len(es)-1].ActorName, es[len(es)-1].OrganisationID)
		}
	}
	if len(accounts) < 5 || overdue < 2 || reviewed < 1 || withSource < 3 {
		t.Fatalf("plans over %d accounts, %d overdue, %d reviewed, %d with a source", len(accounts), overdue, reviewed, withSource)
	}
	notes, _, err := a.WatchNotes(ctx, liaison.WatchFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != res.WatchNotes || len(notes) < 6 || len(notes) > 8 {
		t.Fatalf("%d watch notes, result says %d", len(notes), res.WatchNotes)
	}
	statuses := map[liaison.WatchStatus]int{}
	improved := 0
	for _, n := range notes {
		statuses[n.Status]++
		if n.ImprovementID != nil {
			improved++
			i, err := a.Improvement(ctx, *n.ImprovementID)
			if err != nil {
				t.Fatal(err)
			}
			if i.Origin != liaison.OriginWatch || i.Title != n.Title || n.Status != liaison.WatchProposed {
				t.Errorf("improvement of %s: origin %s, title %q, note %s", n.Title, i.Origin, i.Title, n.Status)
			}
		}
	}
	for _, s := range liaison.WatchStatuses {
		if statuses[s] == 0 {
			t.Errorf("no watch note is %s", s)
		}
	}
	if improved != 1 {
		t.Errorf("%d notes turned into improvements, want 1", improved)
	}
}
