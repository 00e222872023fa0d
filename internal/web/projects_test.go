package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var projectLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:project|board|guide|lesson)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestProjectPagesInEveryLanguage renders the project pages, the guides
// and the account's projects tab in each language on every engine.
func TestProjectPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ps, _, err := e.app.Projects(adminCtx(), liaison.ProjectFilter{Limit: 100})
		if err != nil || len(ps) == 0 {
			t.Fatalf("demo projects: %v", err)
		}
		pages := []string{"/projects", "/projects?health=red", "/projects?status=closed&q=zzzz", "/projects/new"}
		for _, p := range ps {
			pages = append(pages, "/projects/"+p.ID, "/projects/"+p.ID+"/edit", "/projects/"+p.ID+"/guide")
			board, err := e.app.Board(adminCtx(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range board {
				pages = append(pages, "/projects/"+p.ID+"/guide?member_id="+m.ID)
			}
			if p.OrganisationID != nil {
				pages = append(pages, "/organisations/"+*p.OrganisationID+"/projects")
			}
		}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
					continue
				}
				checkPage(t, p, body, lang)
				if m := projectLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestProjectForms: a manager starts a project for their account; a
// health change without a reason is refused next to the field with the
// typed value kept; a lesson is added; the guide's PDF is served; a
// viewer may not write.
func TestProjectForms(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	refs, err := e.app.AccountNames(adminCtx())
	if err != nil {
		t.Fatal(err)
	}
	acc := ""
	for _, r := range refs {
		if r.Name == "Hälso- och sjukvård" {
			acc = r.ID
		}
	}
	res, body := anna.post("/projects", url.Values{"name": {"Digital vårdplanering"}, "organisation_id": {acc}, "tool_url": {"vardplanering"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "http:// or https://") || !strings.Contains(body, "Digital vårdplanering") {
		t.Fatalf("a bad tool link: %d", res.StatusCode)
	}
	res, _ = anna.post("/projects", url.Values{"name": {"Digital vårdplanering"}, "organisation_id": {acc}, "tool_url": {"https://projekt.example/p/1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	ps, _, err := e.app.Projects(adminCtx(), liaison.ProjectFilter{Q: "vårdplanering", Limit: 2})
	if err != nil || len(ps) != 1 {
		t.Fatalf("stored: %v %v", ps, err)
	}
	p := "/projects/" + ps[0].ID
	res, body = anna.post(p+"/health", url.Values{"version": {"1"}, "health": {"red"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="refusal"`) || !strings.Contains(body, "Say why the health is red") {
		t.Fatalf("health without a reason: %d", res.StatusCode)
	}
	if res, _ = anna.post(p+"/health", url.Values{"version": {"1"}, "health": {"red"}, "health_note": {"Budget overrun"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("health: %d", res.StatusCode)
	}
	if res, _ = anna.post(p+"/lessons", url.Values{"title": {"Book the test environment early"}, "recommendation": {"Two months ahead"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lesson: %d", res.StatusCode)
	}
	_, body = anna.get(p)
	if !strings.Contains(body, "Budget overrun") || !strings.Contains(body, "Book the test environment early") || !strings.Contains(body, `class="rag-strip"`) {
		t.Fatal("the project page lacks the health change or the lesson")
	}
	res, pdf := anna.get(p + "/guide/pdf?lang=zh")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("guide pdf: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.post(p+"/health", url.Values{"version": {"2"}, "health": {"green"}, "health_note": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer wrote health: %d", res.StatusCode)
	}
}
