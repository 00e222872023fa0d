package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestProjects: the demo's projects span the lifecycle and an internal
// project; one went through an amber and a red period, dated in the past;
// boards seat customer contacts and IT users with a relationship manager
// for either side; the guide went to customers and members in their
// languages and was reviewed at a steering-group meeting; lessons are
// logged, one internal.
func TestProjects(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	ps, _, err := a.Projects(ctx, liaison.ProjectFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != res.Projects || len(ps) < 4 || len(ps) > 6 {
		t.Fatalf("%d projects, result says %d", len(ps), res.Projects)
	}
	statuses := map[liaison.ProjectStatus]int{}
	internal, reviewed, red, sides, internalLessons := 0, 0, 0, map[liaison.Side]int{}, 0
	langs := map[liaison.Language]bool{}
	for _, p := range ps {
		statuses[p.Status]++
		if p.OrganisationID == nil {
			internal++
		}
		if p.GuideReviewedOn != "" {
			reviewed++
		}
		hs, err := a.HealthHistory(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hs {
			if h.Health == liaison.HealthRed {
				red++
				if a.Now().Sub(h.ChangedAt).Hours() < 24*30 {
					t.Errorf("%s: the red period is not dated in the past (%v)", p.Name, h.ChangedAt)
				}
			}
			if i > 0 && !h.ChangedAt.After(hs[i-1].ChangedAt) {
				t.Errorf("%s: health history out of order", p.Name)
			}
		}
		board, err := a.Board(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		execs := 0
		for _, m := range board {
			if m.Role == liaison.RoleExecutive {
				execs++
			}
			if m.Role == liaison.RoleRelationshipManager {
				sides[m.Represents]++
			}
		}
		if execs != 1 {
			t.Errorf("%s: %d executives", p.Name, execs)
		}
		ds, err := a.GuideDeliveries(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			langs[d.Language] = true
		}
		ls, err := a.Lessons(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			if l.Internal {
				internalLessons++
			}
		}
	}
	if statuses[liaison.ProjectInProgress] == 0 || statuses[liaison.ProjectAgreed] == 0 || statuses[liaison.ProjectClosed] == 0 ||
		statuses[liaison.ProjectProposed] == 0 || internal != 1 || reviewed != 1 || red != 1 {
		t.Errorf("statuses %v, internal %d, reviewed %d, red periods %d", statuses, internal, reviewed, red)
	}
	if sides[liaison.SideCustomer] == 0 || sides[liaison.SideSupplier] == 0 {
		t.Errorf("relationship managers' sides %v", sides)
	}
	if !langs[liaison.Swedish] || !langs[liaison.Finnish] {
		t.Errorf("guides delivered in %v", langs)
	}
	if internalLessons == 0 {
		t.Error("no internal lesson")
	}
}
