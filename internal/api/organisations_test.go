package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOrganisationTree(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		// Create a division and a unit under it.
		r := e.req("admin", "POST", "/api/v1/organisations", map[string]any{"name": "Division North"}).want(http.StatusCreated)
		div := r.JSON()
		id := div["id"].(string)
		if got, want := r.Header.Get("Location"), "/api/v1/organisations/"+id; got != want {
			t.Errorf("Location %q, want %q", got, want)
		}
		if got := r.Header.Get("ETag"); got != `"1"` {
			t.Errorf("ETag %q, want \"1\"", got)
		}
		for _, k := range []string{"id", "version", "created_at", "updated_at", "customer_kind", "depth"} {
			if _, ok := div[k]; !ok {
				t.Errorf("organisation lacks %s: %v", k, div)
			}
		}
		if div["version"].(float64) != 1 || div["depth"].(float64) != 0 || div["parent_id"] != nil {
			t.Errorf("new top unit: %v", div)
		}
		unit := e.create("admin", "/api/v1/organisations", map[string]any{"name": "Unit A", "parent_id": id})
		if unit["parent_id"] != id || unit["depth"].(float64) != 1 {
			t.Errorf("unit under the division: %v", unit)
		}

		// Making the division a child of the unit is a cycle.
		e.patch("admin", "/api/v1/organisations/"+id, div["version"], map[string]any{"parent_id": unit["id"]}).fieldError("parent_id", "cycle")
		// A unit cannot be its own parent either.
		e.patch("admin", "/api/v1/organisations/"+id, div["version"], map[string]any{"parent_id": id}).problem(http.StatusUnprocessableEntity)

		// GET sends the ETag; the listing of the division's children finds the unit.
		g := e.req("viewer", "GET", "/api/v1/organisations/"+id, nil).want(http.StatusOK)
		if g.Header.Get("ETag") != `"1"` || g.JSON()["name"] != "Division North" {
			t.Errorf("GET: %s %s", g.Header, g.Body)
		}
		kids := e.req("viewer", "GET", "/api/v1/organisations?parent_id="+id, nil).want(http.StatusOK).Items()
		if len(kids) != 1 || kids[0]["id"] != unit["id"] {
			t.Errorf("children: %v", kids)
		}
		for _, q := range []string{"parent_id=", "parent_id=null"} {
			tops := e.req("viewer", "GET", "/api/v1/organisations?"+q, nil).want(http.StatusOK).Items()
			if len(tops) != 1 || tops[0]["id"] != id {
				t.Errorf("?%s: want the division only, got %v", q, tops)
			}
		}
		if all := e.req("viewer", "GET", "/api/v1/organisations", nil).want(http.StatusOK).Items(); len(all) != 2 {
			t.Errorf("all units: %d, want 2", len(all))
		}

		// Moving the unit to the top and back works and bumps the version.
		p := e.patch("admin", "/api/v1/organisations/"+unit["id"].(string), unit["version"], map[string]any{"parent_id": nil}).want(http.StatusOK)
		moved := p.JSON()
		if moved["parent_id"] != nil || moved["version"].(float64) != 2 || p.Header.Get("ETag") != `"2"` {
			t.Errorf("moved to the top: %s %s", p.Header, p.Body)
		}

		// Who decides, the timeline and the history.
		d := e.req("viewer", "GET", "/api/v1/organisations/"+id+"/decision", nil).want(http.StatusOK).JSON()
		if _, ok := d["account"]; !ok {
			t.Errorf("decision: %v", d)
		}
		tl := e.req("viewer", "GET", "/api/v1/organisations/"+id+"/timeline", nil).want(http.StatusOK).Items()
		if len(tl) == 0 {
			t.Fatal("empty timeline")
		}
		for _, k := range []string{"id", "at", "kind", "actor", "subject_type", "subject_id", "summary"} {
			if _, ok := tl[0][k]; !ok {
				t.Errorf("timeline item lacks %s: %v", k, tl[0])
			}
		}
		h := e.req("viewer", "GET", "/api/v1/organisations/"+unit["id"].(string)+"/history", nil).want(http.StatusOK).Items()
		if len(h) != 2 || h[0]["action"] != "update" || h[0]["before"] == nil || h[0]["after"] == nil || h[1]["action"] != "create" {
			t.Errorf("history: %v", h)
		}
	})
}

func TestOrganisationValidation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		tests := []struct {
			name  string
			body  any
			field string
			code  string
		}{
			{"empty name", map[string]any{"name": ""}, "name", "required"},
			{"blank name", map[string]any{"name": "   "}, "name", "required"},
			{"missing name", map[string]any{"description": "x"}, "name", "required"},
			{"name too long", map[string]any{"name": strings.Repeat("n", 201)}, "name", "too_long"},
			{"description too long", map[string]any{"name": "N", "description": strings.Repeat("d", 20001)}, "description", "too_long"},
			{"unknown field", map[string]any{"name": "N", "colour": "red"}, "colour", "unknown_field"},
			{"wrong type", map[string]any{"name": 5}, "name", "invalid"},
			{"bad date", map[string]any{"name": "N", "last_reviewed_on": "yesterday"}, "last_reviewed_on", "invalid"},
			{"read-only field", map[string]any{"name": "N", "customer_kind": "agreement"}, "customer_kind", "unknown_field"},
			{"unknown parent", map[string]any{"name": "N", "parent_id": "nope"}, "parent_id", "unknown"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				e.req("admin", "POST", "/api/v1/organisations", tt.body).fieldError(tt.field, tt.code)
			})
		}
		e.t = t
		// 200 characters and 20,000 are fine, counted in characters.
		e.create("admin", "/api/v1/organisations", map[string]any{"name": strings.Repeat("ö", 200), "description": strings.Repeat("å", 20000)})

		e.req("admin", "POST", "/api/v1/organisations", `{"name": "x"`).problem(http.StatusBadRequest)
		e.req("admin", "POST", "/api/v1/organisations", `not json`).problem(http.StatusBadRequest)
		e.req("admin", "POST", "/api/v1/organisations", nil).problem(http.StatusBadRequest)
		e.req("admin", "POST", "/api/v1/organisations", `{"name":"x"}`, "Content-Type", "text/plain").problem(http.StatusUnsupportedMediaType)

		// A body over 1 MiB answers 413 before anything else.
		big := `{"name": "x", "description": "` + strings.Repeat("a", 2<<20) + `"}`
		p := e.req("admin", "POST", "/api/v1/organisations", big).problem(http.StatusRequestEntityTooLarge)
		if !strings.Contains(p["detail"].(string), "1 MiB") {
			t.Errorf("413 detail: %v", p["detail"])
		}
		o := e.org(map[string]any{"name": "Patched"})
		e.patch("admin", "/api/v1/organisations/"+o["id"].(string), o["version"], big).problem(http.StatusRequestEntityTooLarge)
		// Exactly 1 MiB is not over it.
		exact := `{"name": "x", "description": "` + strings.Repeat(" ", 1<<20-len(`{"name": "x", "description": ""}`)) + `"}`
		if len(exact) != 1<<20 {
			t.Fatalf("exact body is %d bytes", len(exact))
		}
		e.req("admin", "POST", "/api/v1/organisations", exact).fieldError("description", "too_long")
	})
}

func TestOrganisationPatchAndDelete(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		o := e.org(map[string]any{"name": "Finance", "description": "Money", "external_id": "F-1"})
		path := "/api/v1/organisations/" + o["id"].(string)

		// PATCH and DELETE need If-Match.
		e.req("admin", "PATCH", path, map[string]any{"name": "X"}).problem(http.StatusPreconditionRequired)
		e.req("admin", "DELETE", path, nil).problem(http.StatusPreconditionRequired)

		// A merge patch changes only what it names; null clears.
		r := e.patch("admin", path, `"1"`, map[string]any{"name": "Finance Dept", "description": nil}).want(http.StatusOK)
		got := r.JSON()
		if got["name"] != "Finance Dept" || got["description"] != "" || got["external_id"] != "F-1" || got["version"].(float64) != 2 {
			t.Errorf("after patch: %v", got)
		}
		if r.Header.Get("ETag") != `"2"` {
			t.Errorf("ETag after patch %q", r.Header.Get("ETag"))
		}

		// The version read before is stale now: no lost update.
		p := e.patch("admin", path, `"1"`, map[string]any{"name": "Lost"}).problem(http.StatusPreconditionFailed)
		if p["code"] != "precondition_failed" {
			t.Errorf("412 code %v", p["code"])
		}
		e.req("admin", "DELETE", path, nil, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		e.patch("admin", path, `W/"2"`, map[string]any{"name": "Weak"}).problem(http.StatusPreconditionFailed)

		// application/json is a merge patch too; other types are refused.
		e.req("admin", "PATCH", path, `{"external_id":"F-2"}`, "If-Match", `"2"`, "Content-Type", "application/json").want(http.StatusOK)
		e.req("admin", "PATCH", path, `[{"op":"remove","path":"/name"}]`, "If-Match", `"3"`,
			"Content-Type", "application/json-patch+json").problem(http.StatusUnsupportedMediaType)
		e.req("admin", "PATCH", path, `[1]`, "If-Match", `"3"`).problem(http.StatusBadRequest)
		e.req("admin", "PATCH", path, `{"name": `, "If-Match", `"3"`).problem(http.StatusBadRequest)

		// Rules on the patched result.
		cur := e.req("admin", "GET", path, nil).want(http.StatusOK).JSON()
		e.patch("admin", path, `"3"`, map[string]any{"name": nil}).fieldError("name", "required")
		e.patch("admin", path, `"3"`, map[string]any{"name": strings.Repeat("x", 201)}).fieldError("name", "too_long")
		e.patch("admin", path, `"3"`, map[string]any{"notes": "x"}).fieldError("notes", "unknown_field")
		e.patch("admin", path, `"3"`, map[string]any{"budget_holder": "yes"}).fieldError("budget_holder", "invalid")
		// Read-only members: the current value is accepted (a GET body can
		// be sent back, times in any offset), another is refused.
		e.patch("admin", path, `"3"`, map[string]any{"customer_kind": "agreement"}).fieldError("customer_kind", "read_only")
		e.patch("admin", path, `"3"`, map[string]any{"id": "other"}).fieldError("id", "read_only")
		e.patch("admin", path, `"3"`, map[string]any{"depth": 4, "version": 9}).fieldError("depth", "read_only")
		created, err := time.Parse(time.RFC3339Nano, cur["created_at"].(string))
		if err != nil {
			t.Fatal(err)
		}
		cur["created_at"] = created.In(time.FixedZone("", 2*3600)).Format(time.RFC3339Nano)
		cur["name"] = "Round Trip"
		back := e.patch("admin", path, `"3"`, cur).want(http.StatusOK).JSON()
		if back["name"] != "Round Trip" || back["version"].(float64) != 4 {
			t.Errorf("round trip: %v", back)
		}
		if !strings.HasSuffix(back["created_at"].(string), "Z") || !strings.HasSuffix(back["updated_at"].(string), "Z") {
			t.Errorf("times not in UTC: %v %v", back["created_at"], back["updated_at"])
		}
		// If-Match * and lists.
		e.patch("admin", path, `*`, map[string]any{"name": "Star"}).want(http.StatusOK)
		e.patch("admin", path, `"1", "5"`, map[string]any{"name": "List"}).want(http.StatusOK)

		// DELETE moves to the trash; the trash lists it (curators only); restore.
		e.req("admin", "DELETE", path, nil, "If-Match", `"6"`).want(http.StatusNoContent)
		e.req("admin", "GET", path, nil).problem(http.StatusNotFound)
		trash := e.req("head", "GET", "/api/v1/organisations?trashed=true", nil).want(http.StatusOK).Items()
		if len(trash) != 1 || trash[0]["id"] != o["id"] {
			t.Errorf("trash: %v", trash)
		}
		e.req("viewer", "GET", "/api/v1/organisations?trashed=true", nil).problem(http.StatusForbidden)
		e.req("manager", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		res := e.req("admin", "POST", path+"/restore", nil).want(http.StatusOK)
		if res.JSON()["name"] != "List" || res.Header.Get("ETag") == "" {
			t.Errorf("restored: %s", res.Body)
		}
		e.req("admin", "GET", path, nil).want(http.StatusOK)

		// DELETE with If-Match * reads the version itself.
		e.req("admin", "DELETE", path, nil, "If-Match", "*").want(http.StatusNoContent)
		e.req("admin", "DELETE", path, nil, "If-Match", "*").problem(http.StatusNotFound)
		e.req("admin", "GET", "/api/v1/organisations/nope", nil).problem(http.StatusNotFound)
		e.patch("admin", "/api/v1/organisations/nope", `"1"`, map[string]any{"name": "x"}).problem(http.StatusNotFound)

		// A unit with live units below cannot go to the trash.
		top := e.org(map[string]any{"name": "Top"})
		e.org(map[string]any{"name": "Below", "parent_id": top["id"]})
		e.req("admin", "DELETE", "/api/v1/organisations/"+top["id"].(string), nil, "If-Match", `"1"`).problem(http.StatusConflict)
	})
}

func TestManagerWritesOwnAccounts(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		m1, m2 := e.users["manager"].ID, e.users["manager2"].ID
		mine := e.org(map[string]any{"name": "Mine", "budget_holder": true, "relationship_manager_id": m1, "deputy_id": m2})
		theirs := e.org(map[string]any{"name": "Theirs", "budget_holder": true, "relationship_manager_id": m2})
		minePath, theirsPath := "/api/v1/organisations/"+mine["id"].(string), "/api/v1/organisations/"+theirs["id"].(string)

		e.patch("manager", minePath, mine["version"], map[string]any{"description": "ours"}).want(http.StatusOK)
		p := e.patch("manager", theirsPath, theirs["version"], map[string]any{"description": "not ours"}).problem(http.StatusForbidden)
		if p["code"] != "forbidden" {
			t.Errorf("403 code %v", p["code"])
		}
		// The deputy writes too.
		e.patch("manager2", minePath, `"2"`, map[string]any{"description": "deputy"}).want(http.StatusOK)
		// Portfolio fields are for admin and head.
		e.patch("manager", minePath, `"3"`, map[string]any{"segment": ""}).want(http.StatusOK)
		e.patch("manager", minePath, `"4"`, map[string]any{"budget_holder": false, "relationship_manager_id": nil, "deputy_id": nil}).problem(http.StatusForbidden)

		// Units under own accounts only.
		e.req("manager", "POST", "/api/v1/organisations", map[string]any{"name": "Sub", "parent_id": mine["id"]}).want(http.StatusCreated)
		e.req("manager", "POST", "/api/v1/organisations", map[string]any{"name": "Sub", "parent_id": theirs["id"]}).problem(http.StatusForbidden)
		e.req("manager", "POST", "/api/v1/organisations", map[string]any{"name": "Top"}).problem(http.StatusForbidden)

		// Viewers and staff read but do not write; a read token never writes.
		e.req("viewer", "GET", minePath, nil).want(http.StatusOK)
		e.req("viewer", "POST", "/api/v1/organisations", map[string]any{"name": "V"}).problem(http.StatusForbidden)
		e.patch("viewer", minePath, `"4"`, map[string]any{"name": "V"}).problem(http.StatusForbidden)
		e.req("viewer", "DELETE", minePath, nil, "If-Match", `"4"`).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/organisations", map[string]any{"name": "S"}).problem(http.StatusForbidden)
		p = e.req("admin", "POST", "/api/v1/organisations", map[string]any{"name": "T"}, "X-Test-Scope", "read").problem(http.StatusForbidden)
		if !strings.Contains(p["detail"].(string), "read") {
			t.Errorf("read token refusal: %v", p["detail"])
		}
		e.req("admin", "GET", minePath, nil, "X-Test-Scope", "read").want(http.StatusOK)

		// My accounts.
		list := e.req("viewer", "GET", "/api/v1/organisations?budget_holder=true&manager_id="+m1, nil).want(http.StatusOK).Items()
		if len(list) != 1 || list[0]["id"] != mine["id"] {
			t.Errorf("accounts of manager: %v", list)
		}
		if acc := e.req("viewer", "GET", "/api/v1/organisations?budget_holder=false", nil).want(http.StatusOK).Items(); len(acc) != 1 {
			t.Errorf("units that are no accounts: %v", acc)
		}
	})
}

func TestListPagination(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		const n = 11
		for i := n - 1; i >= 0; i-- {
			e.org(map[string]any{"name": fmt.Sprintf("Unit %02d", i), "external_id": fmt.Sprintf("X%d", i)})
		}
		for _, sort := range []string{"", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"} {
			t.Run("sort="+sort, func(t *testing.T) {
				e.t = t
				var names []string
				cursor, pages := "", 0
				for {
					r := e.req("viewer", "GET", "/api/v1/organisations?limit=4&sort="+sort+"&cursor="+cursor, nil).want(http.StatusOK)
					var p struct {
						Items      []map[string]any `json:"items"`
						NextCursor string           `json:"next_cursor"`
					}
					mustUnmarshal(t, r.Body, &p)
					pages++
					for _, it := range p.Items {
						names = append(names, it["name"].(string))
					}
					if p.NextCursor == "" {
						break
					}
					if len(p.Items) != 4 || pages > 10 {
						t.Fatalf("page %d: %d items", pages, len(p.Items))
					}
					cursor = p.NextCursor
				}
				if pages != 3 || len(names) != n {
					t.Fatalf("%d pages, %d items: %v", pages, len(names), names)
				}
				seen := map[string]bool{}
				for i, nm := range names {
					if seen[nm] {
						t.Errorf("%s twice", nm)
					}
					seen[nm] = true
					want := fmt.Sprintf("Unit %02d", i)
					switch sort {
					case "-name", "created_at", "updated_at": // created from 10 down to 0
						want = fmt.Sprintf("Unit %02d", n-1-i)
					}
					if nm != want {
						t.Errorf("sort %q: item %d is %s, want %s", sort, i, nm, want)
					}
				}
			})
		}
		e.t = t
		if got := e.req("viewer", "GET", "/api/v1/organisations", nil).want(http.StatusOK).Items(); len(got) != n {
			t.Errorf("default limit: %d items", len(got))
		}
		if got := e.req("viewer", "GET", "/api/v1/organisations?external_id=X3", nil).want(http.StatusOK).Items(); len(got) != 1 || got[0]["name"] != "Unit 03" {
			t.Errorf("external_id filter: %v", got)
		}
		e.req("viewer", "GET", "/api/v1/organisations?limit=500", nil).want(http.StatusOK)
		e.req("viewer", "GET", "/api/v1/organisations?limit=501", nil).fieldError("limit", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations?limit=0", nil).fieldError("limit", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations?limit=ten", nil).fieldError("limit", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations?sort=colour", nil).fieldError("sort", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations?budget_holder=maybe", nil).fieldError("budget_holder", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations?cursor=garbage", nil).problem(http.StatusBadRequest)
		e.req("viewer", "GET", "/api/v1/organisations?organisation_id=x", nil).fieldError("organisation_id", "unknown_parameter")
		e.req("viewer", "GET", "/api/v1/organisations?q="+strings.Repeat("q", 201), nil).fieldError("q", "too_long")
		// A cursor made for another order is refused rather than skipping rows.
		next := e.req("viewer", "GET", "/api/v1/organisations?limit=2", nil).want(http.StatusOK).JSON()["next_cursor"].(string)
		e.req("viewer", "GET", "/api/v1/organisations?sort=-created_at&cursor="+next, nil).problem(http.StatusBadRequest)
	})
}

func TestSearch(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		for _, name := range []string{"Malmö stad", "Jyväskylän kaupunki", "北京分公司", "Stockholm"} {
			e.org(map[string]any{"name": name})
		}
		tests := []struct {
			q    string
			want []string
		}{
			{"malmo", []string{"Malmö stad"}},
			{"MALM", []string{"Malmö stad"}},
			{"Malmö", []string{"Malmö stad"}},
			{"stad malmo", []string{"Malmö stad"}},
			{"jyvaskylan", []string{"Jyväskylän kaupunki"}},
			{"北京", []string{"北京分公司"}},
			{"公司", []string{"北京分公司"}},
			{"tad", nil}, // words match at their start only
			{"holm", nil},
		}
		for _, tt := range tests {
			items := e.req("viewer", "GET", "/api/v1/organisations?q="+urlQuery(tt.q), nil).want(http.StatusOK).Items()
			var got []string
			for _, it := range items {
				got = append(got, it["name"].(string))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("q=%q: got %v, want %v", tt.q, got, tt.want)
			}
		}
	})
}
