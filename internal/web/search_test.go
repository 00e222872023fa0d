package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestSearchPageInEveryLanguage: a name typed without its diacritics finds
// the person, marked as matched, grouped under people, with a link to the
// page; the kind tabs keep the query; on every engine, in each language.
func TestSearchPageInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		db := e.db
		units, _, err := db.FindOrganisations(adminCtx(), liaison.OrganisationFilter{Limit: 1})
		if err != nil || len(units) == 0 {
			t.Fatalf("demo units: %v", err)
		}
		p := &liaison.Person{Name: "Åsa Öberg-Järvinen", OrganisationID: units[0].ID, Title: "Förvaltningschef"}
		if err := db.CreatePerson(adminCtx(), p); err != nil {
			t.Fatal(err)
		}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for page, mark := range map[string]string{"/search?q=asa+oberg": "<mark>Åsa</mark>", "/search?q=oberg+jarv&kind=person": "<mark>Järvinen</mark>"} {
				res, body := c.get(page)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s (%s): status %d", page, lang, res.StatusCode)
				}
				checkPage(t, page, body, lang)
				for _, want := range []string{`href="/people/` + p.ID + `"`, mark, "<mark>Öberg</mark>", html.EscapeString(units[0].Name)} {
					if !strings.Contains(body, want) {
						t.Errorf("%s (%s): no %s", page, lang, want)
					}
				}
			}
			_, body := c.get("/search?q=asa+oberg&kind=complaint")
			if strings.Contains(body, "/people/"+p.ID) {
				t.Errorf("the complaints tab (%s) shows a person", lang)
			}
		}
	})
}
