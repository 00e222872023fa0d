package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestAccountTimeline: the account's timeline holds what happened in its
// units, filters by category, kind, subject type, actor and time, pages
// with a cursor, links each item to its subject, and refuses bad filters.
func TestAccountTimeline(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		acct := e.org(map[string]any{"name": "Kommun", "budget_holder": true})
		id := acct["id"].(string)
		dept := e.org(map[string]any{"name": "Skola", "parent_id": id})
		other := e.org(map[string]any{"name": "Annat konto", "budget_holder": true})
		var people []string
		for _, n := range []string{"Åsa", "Björn", "Chen"} {
			p := e.create("admin", "/api/v1/people", map[string]any{"name": n, "organisation_id": dept["id"]})
			people = append(people, p["id"].(string))
		}
		e.create("admin", "/api/v1/people", map[string]any{"name": "Elsewhere", "organisation_id": other["id"]})
		base := "/api/v1/organisations/" + id + "/timeline"

		all := e.req("viewer", "GET", base, nil).want(http.StatusOK).Items()
		if got := column(all, "subject_id"); got != people[2]+","+people[1]+","+people[0]+","+dept["id"].(string)+","+id {
			t.Fatalf("timeline subjects = %s", got)
		}
		if all[0]["kind"] != "person.create" || all[0]["category"] != "people" || all[0]["link"] != "/people/"+people[2] ||
			all[0]["actor"] == "" || all[0]["actor_id"] == "" || all[4]["category"] != "structure" {
			t.Errorf("first item = %v, last = %v", all[0], all[4])
		}
		for q, want := range map[string]int{
			"category=people":                  3,
			"category=structure":               2,
			"category=meetings":                0,
			"category=other":                   0,
			"kind=organisation.create":         2,
			"kind=person.create,person.update": 3,
			"subject_type=person,organisation": 5,
			"subject_type=role":                0,
			"actor_id=" + e.users["admin"].ID:  5,
			"actor_id=" + e.users["viewer"].ID: 0,
			"from=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)):                         0,
			"to=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)):                           5,
			"from=2020-01-01T00:00:00Z&to=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)): 5,
		} {
			if n := len(e.req("viewer", "GET", base+"?"+q, nil).want(http.StatusOK).Items()); n != want {
				t.Errorf("?%s: %d items, want %d", q, n, want)
			}
		}
		// Pages of two hold the same items in the same order.
		paged, n := e.pages("viewer", base+"?limit=2")
		if column(paged, "id") != column(all, "id") || n != 3 {
			t.Errorf("paged = %s in %d pages, want %s", column(paged, "id"), n, column(all, "id"))
		}
		e.req("viewer", "GET", base+"?category=gossip", nil).problem(http.StatusUnprocessableEntity)
		e.req("viewer", "GET", base+"?kind=person", nil).fieldError("kind", "invalid")
		e.req("viewer", "GET", base+"?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", nil).fieldError("to", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations/nope/timeline", nil).problem(http.StatusNotFound)

		// A role's link is its person's page, read from the record's JSON:
		// the one kind of entry whose JSON the brief timeline read keeps.
		e.create("admin", "/api/v1/roles", map[string]any{"person_id": people[0], "organisation_id": dept["id"], "role": "user"})
		roles := e.req("viewer", "GET", base+"?subject_type=role", nil).want(http.StatusOK).Items()
		if len(roles) != 1 || roles[0]["link"] != "/people/"+people[0] {
			t.Errorf("role items = %v, want one linking to /people/%s", roles, people[0])
		}

		// A unit that is not an account shows the events of its subtree.
		sub := e.req("viewer", "GET", "/api/v1/organisations/"+dept["id"].(string)+"/timeline", nil).want(http.StatusOK).Items()
		if len(sub) != 5 {
			t.Errorf("unit timeline: %d items, want 5 (the unit, three people, a role)", len(sub))
		}
	})
}
