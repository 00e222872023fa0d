package api_test

import (
	"net/http"
	"testing"
)

// TestSearchAPI: a unit typed without its diacritics is found, with its
// links; the kind filter and the page size hold; a trashed unit is not
// found; an unknown kind is refused.
func TestSearchAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		unit := e.org(map[string]any{"name": "Jyväskylän kaupunki", "description": "Keski-Suomen palvelut"})
		id := unit["id"].(string)
		items := e.req("viewer", "GET", "/api/v1/search?q=jyvaskyla", nil).want(http.StatusOK).Items()
		if len(items) != 1 || items[0]["id"] != id || items[0]["kind"] != "organisation" || items[0]["title"] != "Jyväskylän kaupunki" ||
			items[0]["link"] != "/api/v1/organisations/"+id || items[0]["web_link"] != "/organisations/"+id ||
			items[0]["excerpt"] != "Keski-Suomen palvelut" || items[0]["organisation_name"] != "Jyväskylän kaupunki" {
			t.Fatalf("found %v", items)
		}
		if items := e.req("viewer", "GET", "/api/v1/search?q=jyvaskyla&kind=person", nil).want(http.StatusOK).Items(); len(items) != 0 {
			t.Fatalf("kind person found %v", items)
		}
		e.req("viewer", "GET", "/api/v1/search?q=x&kind=user", nil).problem(http.StatusUnprocessableEntity)
		e.req("admin", "DELETE", "/api/v1/organisations/"+id, nil, "If-Match", `"1"`).want(http.StatusNoContent)
		if items := e.req("viewer", "GET", "/api/v1/search?q=jyvaskyla", nil).want(http.StatusOK).Items(); len(items) != 0 {
			t.Fatalf("trashed unit found: %v", items)
		}
	})
}
