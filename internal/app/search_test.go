package app_test

import (
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

// TestSearchAccess: every internal user searches, a read token too; a
// customer-scoped token never does, not even for its own account's words.
func TestSearchAccess(t *testing.T) {
	f := setup(t)
	q := liaison.SearchQuery{Q: f.account.Name}
	for _, u := range []*liaison.User{f.admin, f.head, f.mgr, f.staff} {
		hits, _, err := f.a.Search(as(u, liaison.ScopeRead), q)
		must(t, err)
		if len(hits) == 0 || hits[0].ID != f.account.ID {
			t.Fatalf("%s searched %q and found %+v", u.Name, q.Q, hits)
		}
	}
	ext := liaison.WithPrincipal(t.Context(), &liaison.Principal{User: f.mgr, Scope: liaison.ScopeRead, CustomerID: f.account.ID})
	_, _, err := f.a.Search(ext, q)
	wantCode(t, "customer token searches", err, liaison.EFORBIDDEN)
	_, _, err = f.a.Search(t.Context(), q)
	if err == nil {
		t.Fatal("searched without a principal")
	}
}
