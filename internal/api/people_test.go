package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPeopleAndRoles(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		m1 := e.users["manager"].ID
		acc := e.org(map[string]any{"name": "Account", "budget_holder": true, "relationship_manager_id": m1})
		unit := e.org(map[string]any{"name": "Unit", "parent_id": acc["id"]})
		other := e.org(map[string]any{"name": "Other", "budget_holder": true})

		// People: the account's manager adds them; others may not.
		anna := e.create("manager", "/api/v1/people", map[string]any{"name": "Anna Åström", "email": "Anna@Example.com", "organisation_id": acc["id"], "language": "sv"})
		if anna["email"] != "anna@example.com" || anna["version"].(float64) != 1 || anna["language"] != "sv" {
			t.Errorf("person: %v", anna)
		}
		bo := e.create("manager", "/api/v1/people", map[string]any{"name": "Bo", "organisation_id": unit["id"]})
		e.req("manager", "POST", "/api/v1/people", map[string]any{"name": "Cy", "organisation_id": other["id"]}).problem(http.StatusForbidden)
		e.req("viewer", "POST", "/api/v1/people", map[string]any{"name": "Cy", "organisation_id": acc["id"]}).problem(http.StatusForbidden)
		e.req("admin", "POST", "/api/v1/people", map[string]any{"name": "Cy"}).fieldError("organisation_id", "required")
		e.req("admin", "POST", "/api/v1/people", map[string]any{"name": "Cy", "organisation_id": acc["id"], "language": "de"}).fieldError("language", "invalid")
		e.req("admin", "POST", "/api/v1/people", map[string]any{"name": "Cy", "organisation_id": acc["id"], "email": "not an email"}).fieldError("email", "invalid")
		e.req("admin", "POST", "/api/v1/people", map[string]any{"name": "Cy", "organisation_id": acc["id"], "notes": strings.Repeat("n", 20001)}).fieldError("notes", "too_long")

		for q, want := range map[string]int{
			"organisation_id=" + acc["id"].(string): 1,
			"email=anna@example.com":                1,
			"q=astrom":                              1,
			"q=bo":                                  1,
			"q=zed":                                 0,
		} {
			if got := e.req("viewer", "GET", "/api/v1/people?"+q, nil).want(http.StatusOK).Items(); len(got) != want {
				t.Errorf("?%s: %d people, want %d", q, len(got), want)
			}
		}
		annaPath := "/api/v1/people/" + anna["id"].(string)
		g := e.req("viewer", "GET", annaPath, nil).want(http.StatusOK)
		if g.Header.Get("ETag") != `"1"` {
			t.Errorf("person ETag %q", g.Header.Get("ETag"))
		}
		e.patch("manager", annaPath, anna["version"], map[string]any{"title": "CFO", "phone": "+46 1"}).want(http.StatusOK)
		e.patch("manager", annaPath, anna["version"], map[string]any{"title": "CEO"}).problem(http.StatusPreconditionFailed)
		e.patch("manager", annaPath, `"2"`, map[string]any{"organisation_id": other["id"]}).problem(http.StatusForbidden)
		e.req("manager", "PATCH", annaPath, map[string]any{"title": "CEO"}).problem(http.StatusPreconditionRequired)

		// Roles: one active customer per account.
		cust := e.create("manager", "/api/v1/roles", map[string]any{"person_id": anna["id"], "organisation_id": acc["id"], "role": "customer"})
		if cust["active"] != true || cust["version"].(float64) != 1 {
			t.Errorf("role: %v", cust)
		}
		p := e.req("manager", "POST", "/api/v1/roles", map[string]any{"person_id": bo["id"], "organisation_id": acc["id"], "role": "customer"}).problem(http.StatusConflict)
		if !strings.Contains(p["detail"].(string), "Anna Åström") {
			t.Errorf("409 does not name the current customer: %v", p["detail"])
		}
		e.create("manager", "/api/v1/roles", map[string]any{"person_id": bo["id"], "organisation_id": unit["id"], "role": "orderer"})
		e.req("manager", "POST", "/api/v1/roles", map[string]any{"person_id": bo["id"], "organisation_id": unit["id"], "role": "boss"}).fieldError("role", "invalid")
		e.req("manager", "POST", "/api/v1/roles", map[string]any{"person_id": bo["id"], "organisation_id": unit["id"], "role": "other"}).fieldError("label", "required")
		e.req("manager", "POST", "/api/v1/roles", map[string]any{"organisation_id": unit["id"], "role": "user"}).fieldError("person_id", "required")

		for q, want := range map[string]int{
			"":                                      2,
			"role=customer":                         1,
			"person_id=" + bo["id"].(string):        1,
			"organisation_id=" + acc["id"].(string): 1,
			"active=true":                           2,
			"active=false":                          0,
		} {
			if got := e.req("viewer", "GET", "/api/v1/roles?"+q, nil).want(http.StatusOK).Items(); len(got) != want {
				t.Errorf("roles ?%s: %d, want %d", q, len(got), want)
			}
		}
		e.req("viewer", "GET", "/api/v1/roles?role=boss", nil).fieldError("role", "invalid")

		// Who decides for the unit: the account's customer.
		d := e.req("viewer", "GET", "/api/v1/organisations/"+unit["id"].(string)+"/decision", nil).want(http.StatusOK).JSON()
		if d["account"].(map[string]any)["id"] != acc["id"] || d["customer"].(map[string]any)["id"] != anna["id"] {
			t.Errorf("decision: %v", d)
		}

		// Ending the customer role lets another person become customer.
		rolePath := "/api/v1/roles/" + cust["id"].(string)
		e.req("viewer", "GET", rolePath, nil).want(http.StatusOK)
		e.patch("manager", rolePath, cust["version"], map[string]any{"active": false}).want(http.StatusOK)
		e.create("manager", "/api/v1/roles", map[string]any{"person_id": bo["id"], "organisation_id": acc["id"], "role": "customer"})
		e.req("manager", "DELETE", rolePath, nil).problem(http.StatusPreconditionRequired)
		e.req("manager", "DELETE", rolePath, nil, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		e.req("manager2", "DELETE", rolePath, nil, "If-Match", `"2"`).problem(http.StatusForbidden)
		e.req("manager", "DELETE", rolePath, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		e.req("viewer", "GET", rolePath, nil).problem(http.StatusNotFound)
		if h := e.req("viewer", "GET", rolePath+"/history", nil).want(http.StatusOK).Items(); len(h) != 3 {
			t.Errorf("role history: %d entries, want 3", len(h))
		}

		// People go to the trash and come back; the active customer does not.
		boPath := "/api/v1/people/" + bo["id"].(string)
		e.req("manager", "DELETE", boPath, nil, "If-Match", `"1"`).problem(http.StatusConflict)
		e.req("manager", "DELETE", annaPath, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		e.req("viewer", "GET", annaPath, nil).problem(http.StatusNotFound)
		trash := e.req("admin", "GET", "/api/v1/people?trashed=true", nil).want(http.StatusOK).Items()
		if len(trash) != 1 || trash[0]["id"] != anna["id"] {
			t.Errorf("people trash: %v", trash)
		}
		e.req("staff", "GET", "/api/v1/people?trashed=true", nil).problem(http.StatusForbidden)
		e.req("admin", "POST", annaPath+"/restore", nil).want(http.StatusOK)
		if h := e.req("viewer", "GET", annaPath+"/history", nil).want(http.StatusOK).Items(); len(h) != 4 {
			t.Errorf("person history: %d entries, want 4", len(h))
		}
	})
}
