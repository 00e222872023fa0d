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

var triggerLeak = regexp.MustCompile(`(?:^|[\s>"(])(trigger\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestTriggerPagesInEveryLanguage renders the trigger pages in each
// language on every engine.
func TestTriggerPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ts, _, err := e.app.Triggers(adminCtx(), liaison.TriggerFilter{Limit: 100})
		if err != nil || len(ts) == 0 {
			t.Fatalf("demo triggers: %v", err)
		}
		pages := []string{"/triggers", "/triggers?kind=complaint&status=open", "/triggers?source=api", "/triggers?q=zzzz",
			"/triggers?sort=name", "/triggers/new", "/triggers/new?organisation_id=" + ts[0].AccountID, "/",
			"/organisations/" + ts[0].AccountID + "/triggers", "/actions/" + ts[0].ActionID}
		for _, tr := range ts[:4] {
			pages = append(pages, "/triggers/"+tr.ID, "/triggers/"+tr.ID+"/edit")
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
				if m := triggerLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestTriggerFlow: staff log a trigger from the form (a refused one keeps
// what was typed); the trigger page shows its task for the account's
// manager; the deputy sees the task on the home page; a viewer may not log.
func TestTriggerFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := adminCtx()
	accounts, _, err := e.app.Organisations(ctx, liaison.OrganisationFilter{Q: "Gymnasieskolan Polaris", Limit: 5})
	if err != nil || len(accounts) != 1 {
		t.Fatalf("Polaris: %v %v", accounts, err)
	}
	polaris := accounts[0] // managed by Anna, deputised by Mikael
	staff := e.signedIn("lena.pettersson@liaison.demo", demo.Password)
	staff.setLanguage(liaison.English)
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.get("/triggers/new"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer's form: %d", res.StatusCode)
	}
	if res, _ := viewer.post("/triggers", url.Values{"organisation_id": {polaris.ID}, "kind": {"complaint"}, "title": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer logs: %d", res.StatusCode)
	}
	_, body := staff.get("/triggers/new?organisation_id=" + polaris.ID)
	for _, want := range []string{"Strategic initiative", "A customer satisfaction survey is to be carried out.", "task due in 2 working days", `id="f-organisation_id"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	res, body := staff.post("/triggers", url.Values{"organisation_id": {polaris.ID}, "title": {"Projector room 3 broken again"},
		"description": {"Keep this text"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Keep this text") || !strings.Contains(body, "Choose one of the nine kinds.") {
		t.Fatalf("no kind: %d", res.StatusCode)
	}
	res, _ = staff.post("/triggers", url.Values{"organisation_id": {polaris.ID}, "kind": {"complaint"}, "title": {"Projector room 3 broken again"},
		"description": {"The third time this term."}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/triggers/") {
		t.Fatalf("log: %d %s", res.StatusCode, loc)
	}
	_, body = staff.get(loc)
	for _, want := range []string{"Projector room 3 broken again", "Anna Lindqvist", "Gymnasieskolan Polaris", `data-trigger-status="open"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the trigger page lacks %q", want)
		}
	}
	// Lena logged it: she may edit it; the list finds it.
	if res, _ := staff.get(loc + "/edit"); res.StatusCode != http.StatusOK {
		t.Fatalf("reporter's edit form: %d", res.StatusCode)
	}
	if _, body := staff.get("/triggers?kind=complaint&q=projector"); !strings.Contains(body, "Projector room 3 broken again") {
		t.Fatal("the list does not find it")
	}
	if _, body := staff.get("/organisations/" + polaris.ID + "/triggers"); !strings.Contains(body, "Projector room 3 broken again") {
		t.Fatal("the account tab does not show it")
	}
	// The manager has the task; the deputy sees it among the accounts he deputises.
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	if _, body := anna.get("/"); !strings.Contains(body, "Projector room 3 broken again") {
		t.Fatal("the manager's home lacks the task")
	}
	mikael := e.signedIn("mikael.oberg@liaison.demo", demo.Password)
	mikael.setLanguage(liaison.English)
	_, body = mikael.get("/")
	i := strings.Index(body, `id="home-deputised"`)
	if i < 0 || !strings.Contains(body[i:], "Projector room 3 broken again") {
		t.Fatal("the deputy's home lacks the task")
	}
}
