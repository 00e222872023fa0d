package api_test

import (
	"net/http"
	"testing"
)

// TestImportAPI: upload a semicolon file of people for an account named
// by its external id; the suggested mapping reads the Swedish headers; a
// dry run rejects the bad row (422, line and field) and stores nothing;
// the fixed file commits, and committing the same file again creates
// nothing. A manager may not import.
func TestImportAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		e.req("admin", "PATCH", "/api/v1/organisations/"+w.acct, map[string]any{"external_id": "K-9"}, "If-Match", `"1"`).want(http.StatusOK)
		file := func(email string) string {
			return "Namn;E-post;Enhetens externa id\nÅsa Öberg;asa@imp.example;K-9\nBo Ek;" + email + ";K-9\n"
		}
		e.req("manager", "POST", "/api/v1/imports?kind=people", file("bo@imp.example"), "Content-Type", "text/csv").want(http.StatusForbidden)
		job := e.req("head", "POST", "/api/v1/imports?kind=people&file_name=p.csv", file("bo(at)imp"), "Content-Type", "text/csv").want(http.StatusCreated).JSON()
		if m := job["mapping"].([]any); len(m) != 3 || m[0] != "name" || m[1] != "email" || m[2] != "organisation_external_id" {
			t.Fatalf("suggested mapping %v", m)
		}
		id := job["id"].(string)
		dry := e.req("head", "POST", "/api/v1/imports/"+id+"/dry-run", nil).want(http.StatusUnprocessableEntity).JSON()
		rej := dry["report"].(map[string]any)["rejected"].([]any)
		if len(rej) != 1 || rej[0].(map[string]any)["line"] != 3.0 || rej[0].(map[string]any)["field"] != "email" {
			t.Fatalf("rejected %v", rej)
		}
		if got := e.req("head", "GET", "/api/v1/people?q=asa+oberg", nil).want(http.StatusOK).JSON(); len(got["items"].([]any)) != 0 {
			t.Fatalf("the dry run stored %v", got)
		}
		for round, want := range []float64{2, 0} {
			job = e.req("admin", "POST", "/api/v1/imports?kind=people", file("bo@imp.example"), "Content-Type", "text/csv").want(http.StatusCreated).JSON()
			done := e.req("admin", "POST", "/api/v1/imports/"+job["id"].(string)+"/commit", nil).want(http.StatusOK).JSON()
			rep := done["report"].(map[string]any)
			if done["status"] != "done" || rep["created"] != want || rep["committed"] != true {
				t.Fatalf("round %d: %v", round, done)
			}
		}
		if got := e.req("head", "GET", "/api/v1/people?q=asa+oberg", nil).want(http.StatusOK).JSON(); len(got["items"].([]any)) != 1 {
			t.Fatalf("people %v", got)
		}
	})
}

// TestImportCatalogueAPI: services, agreements and SLA results through the
// API, each kind in turn: the dry run of a file with a bad row answers 422
// naming its line and field and stores nothing; the fixed file commits;
// committing it again creates nothing and leaves every row unchanged.
func TestImportCatalogueAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		mkAgreementWorld(t, e)
		for _, tc := range []struct {
			kind, bad, good, list string
			line                  float64
			field                 string
		}{
			{"services", "Palvelu;Tila;Tasot\nTulostus;live;Perus\nVarmuuskopio;on;Perus\n",
				"Palvelu;Tila;Tasot\nTulostus;live;Perus\nVarmuuskopio;live;Perus\n", "/api/v1/services?q=Tulostus", 3, "status"},
			{"agreements", "Sopimus;Tyyppi;Asiakas;Palvelut\nIT-sopimus;service_level;Malmö stad;E-post: Guld\nKehys;financial;Malmö stad/Skolor;\n",
				"Sopimus;Tyyppi;Asiakas;Palvelut\nIT-sopimus;service_level;Malmö stad;E-post: Guld\nKehys;financial;Malmö stad;\n", "/api/v1/agreements?q=IT-sopimus", 3, "organisation"},
			{"sla-results", "Sopimus;Palvelu;Kausi;Mittari;Tavoite;Toteuma\nIT-sopimus;E-post;2026-04;availability;99,9;99,95\nIT-sopimus;Tulostus;2026-04;availability;99;98\n",
				"Sopimus;Palvelu;Kausi;Mittari;Tavoite;Toteuma\nIT-sopimus;E-post;2026-04;availability;99,9;99,95\nIT-sopimus;E-post;2026-04;response_time;30;20\n", "", 3, "service"},
		} {
			t.Run(tc.kind, func(t *testing.T) {
				job := e.req("head", "POST", "/api/v1/imports?kind="+tc.kind, tc.bad, "Content-Type", "text/csv").want(http.StatusCreated).JSON()
				for i, m := range job["mapping"].([]any) {
					if m == "" {
						t.Fatalf("column %d (%v) mapped to no field", i, job["header"].([]any)[i])
					}
				}
				dry := e.req("head", "POST", "/api/v1/imports/"+job["id"].(string)+"/dry-run", nil).want(http.StatusUnprocessableEntity).JSON()
				rej := dry["report"].(map[string]any)["rejected"].([]any)
				if len(rej) != 1 || rej[0].(map[string]any)["line"] != tc.line || rej[0].(map[string]any)["field"] != tc.field {
					t.Fatalf("rejected %v", rej)
				}
				if tc.list != "" {
					if got := e.req("head", "GET", tc.list, nil).want(http.StatusOK).JSON(); len(got["items"].([]any)) != 0 {
						t.Fatalf("the dry run stored %v", got)
					}
				}
				for round, want := range []string{"created", "unchanged"} {
					job = e.req("admin", "POST", "/api/v1/imports?kind="+tc.kind, tc.good, "Content-Type", "text/csv").want(http.StatusCreated).JSON()
					done := e.req("admin", "POST", "/api/v1/imports/"+job["id"].(string)+"/commit", nil).want(http.StatusOK).JSON()
					if rep := done["report"].(map[string]any); done["status"] != "done" || rep[want] != 2.0 || rep["committed"] != true {
						t.Fatalf("round %d: %v", round, done)
					}
				}
			})
		}
	})
}
