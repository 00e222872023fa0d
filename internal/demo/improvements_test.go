package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestImprovements: the demo's improvements cover every status and origin
// the flows need, one demand is raised by three accounts and so flagged,
// done ones carry their realised effect, and some progress is visible to
// the customer.
func TestImprovements(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	is, _, err := a.Improvements(ctx, liaison.ImprovementFilter{Limit: 100}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(is) != res.Improvements || len(is) < 5 {
		t.Fatalf("%d improvements, result says %d", len(is), res.Improvements)
	}
	fromComplaint := 0
	for _, i := range is {
		if i.ComplaintID != nil {
			fromComplaint++
		}
	}
	if fromComplaint == 0 {
		t.Error("no improvement was made from a complaint beyond its service level")
	}
	statuses, origins := map[liaison.ImprovementStatus]int{}, map[liaison.ImprovementOrigin]int{}
	visible := 0
	for _, i := range is {
		statuses[i.Status]++
		origins[i.Origin]++
		if i.Status == liaison.ImprovementDone && i.RealisedEffect == "" {
			t.Errorf("%s: done without its realised effect", i.Title)
		}
		if i.Status != liaison.ImprovementProposed && i.DecidedByName != "Karin Holmberg" {
			t.Errorf("%s: decided by %q, not the head of service management", i.Title, i.DecidedByName)
		}
		yes := true
		us, err := a.ImprovementUpdates(ctx, i.ID, &yes)
		if err != nil {
			t.Fatal(err)
		}
		visible += len(us)
	}
	for _, s := range liaison.ImprovementStatuses {
		if statuses[s] == 0 {
			t.Errorf("no demo improvement is %s", s)
		}
	}
	for _, o := range []liaison.ImprovementOrigin{liaison.OriginComplaint, liaison.OriginReview, liaison.OriginSurvey} {
		if origins[o] == 0 {
			t.Errorf("no demo improvement comes from a %s", o)
		}
	}
	if visible == 0 {
		t.Error("no progress update is visible to the customer")
	}
	flagged, _, err := a.Improvements(ctx, liaison.ImprovementFilter{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(flagged) != 1 || flagged[0].RaisedByCount != 3 || !flagged[0].Flagged {
		t.Fatalf("flagged = %+v", flagged)
	}
}
