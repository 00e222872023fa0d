package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var improvementLeak = regexp.MustCompile(`(?:^|[\s>"(])(improvement\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestImprovementPagesInEveryLanguage renders the improvement pages in each
// language on every engine.
func TestImprovementPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		is, _, err := e.app.Improvements(adminCtx(), liaison.ImprovementFilter{Limit: 100}, false)
		if err != nil || len(is) == 0 {
			t.Fatalf("demo improvements: %v", err)
		}
		pages := []string{"/improvements", "/improvements?flagged=1", "/improvements?status=done&origin=review", "/improvements?q=zzzz",
			"/improvements/report", "/improvements/new", "/admin/settings"}
		for _, i := range is {
			pages = append(pages, "/improvements/"+i.ID, "/improvements/"+i.ID+"/edit")
		}
		pages = append(pages, "/organisations/"+is[0].OrganisationIDs[0]+"/improvements")
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
				if m := improvementLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestImprovementFlow: staff propose; the head approves; the owner records
// customer-visible progress and cannot mark it done without the realised
// effect; the report lists it; the flagged demand shows for the head.
func TestImprovementFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	staff := e.signedIn("lena.pettersson@liaison.demo", demo.Password)
	staff.setLanguage(liaison.English)
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.get("/improvements/new"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer's form: %d", res.StatusCode)
	}
	res, body := staff.post("/improvements", url.Values{"title": {""}, "origin": {"review"}, "description": {"Keep this text"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Keep this text") {
		t.Fatalf("no title: %d", res.StatusCode)
	}
	res, _ = staff.post("/improvements", url.Values{"title": {"Printing from phones"}, "origin": {"review"},
		"expected_benefit": {"Fewer print queues"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/improvements/") {
		t.Fatalf("propose: %d %s", res.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/improvements/")
	// Staff may not decide.
	if res, _ := staff.post(loc+"/status", url.Values{"version": {"1"}, "status": {"approved"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("staff approving: %d", res.StatusCode)
	}
	head := e.signedIn("karin.holmberg@liaison.demo", demo.Password)
	head.setLanguage(liaison.English)
	// Skipping the decision names the allowed next states.
	res, body = head.post(loc+"/status", url.Values{"version": {"1"}, "status": {"done"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Allowed: approved, rejected") {
		i := strings.Index(body, "refusal")
		t.Fatalf("skip: %d %s", res.StatusCode, body[i:min(len(body), i+500)])
	}
	// Owner set by the head, then approved.
	i, err := e.app.Improvement(adminCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	res, _ = head.post(loc, url.Values{"version": {"1"}, "title": {i.Title}, "origin": {"review"}, "expected_benefit": {i.ExpectedBenefit},
		"owner_id": {*i.ProposedByID}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	if res, _ := head.post(loc+"/status", url.Values{"version": {"2"}, "status": {"approved"}, "decision_note": {"Good idea"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	// Lena now owns it: she starts it and records customer-visible progress.
	if res, _ := staff.post(loc+"/status", url.Values{"version": {"3"}, "status": {"in_progress"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", res.StatusCode)
	}
	if res, _ := staff.post(loc+"/updates", url.Values{"on": {"2026-03-01"}, "note": {"Pilot at Norrbyskolan"}, "customer_visible": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("progress: %d", res.StatusCode)
	}
	res, body = staff.post(loc+"/status", url.Values{"version": {"4"}, "status": {"done"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Record the realised effect") {
		t.Fatalf("done without effect: %d", res.StatusCode)
	}
	if res, _ := staff.post(loc+"/status", url.Values{"version": {"4"}, "status": {"done"}, "realised_effect": {"Print queues down by half"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("done: %d", res.StatusCode)
	}
	_, body = staff.get(loc)
	for _, want := range []string{"Pilot at Norrbyskolan", "Visible to the customer", "Print queues down by half", "Karin Holmberg"} {
		if !strings.Contains(body, html.EscapeString(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	_, body = staff.get("/improvements/report")
	if !strings.Contains(body, "Print queues down by half") {
		t.Error("the report lacks the realised effect")
	}
	// The head sees the demand raised by several accounts.
	_, body = head.get("/improvements")
	if !strings.Contains(body, `id="flagged"`) || !strings.Contains(body, "Skolplattformen som mobilapp") {
		t.Error("the head's list does not surface the flagged demand")
	}
}

// TestImprovementRaisedByForm: a manager records that their account raised
// a demand; another's account is not offered to them.
func TestImprovementRaisedByForm(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	is, _, err := e.app.Improvements(adminCtx(), liaison.ImprovementFilter{Q: "ERP raportit"}, false)
	if err != nil || len(is) != 1 {
		t.Fatalf("demo improvement: %v %d", err, len(is))
	}
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	accts, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{Q: "Gymnasieskolan Polaris"})
	if err != nil || len(accts) == 0 {
		t.Fatal("no Polaris")
	}
	loc := "/improvements/" + is[0].ID
	_, body := anna.get(loc)
	if !strings.Contains(body, `id="add-raiser"`) || !strings.Contains(body, "Gymnasieskolan Polaris") || strings.Contains(body, ">北极光") {
		t.Error("the raise form does not offer exactly Anna's accounts")
	}
	res, _ := anna.post(loc+"/raised-by", url.Values{"organisation_id": {accts[0].ID}, "raised_on": {"2026-03-01"}, "note": {"Rektorn"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("raise: %d", res.StatusCode)
	}
	res, body = anna.post(loc+"/raised-by", url.Values{"organisation_id": {accts[0].ID}, "raised_on": {"2026-03-01"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "has already raised") {
		t.Fatalf("twice: %d", res.StatusCode)
	}
	_, body = anna.get("/organisations/" + accts[0].ID + "/improvements")
	if !strings.Contains(body, "ERP-raportit suomeksi") || !strings.Contains(body, "Raised the demand") {
		t.Error("the account's tab does not list the raised demand")
	}
	_, body = anna.get("/organisations/" + accts[0].ID + "/timeline")
	if !strings.Contains(body, "Demand raised by the account") || strings.Contains(body, "improvement_raiser.create") {
		t.Error("the account's timeline does not tell the raised demand in words")
	}
}

// TestHomeDemands: the head's home page surfaces the demand raised by
// three accounts; a relationship manager's does not show the panel.
func TestHomeDemands(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	head := e.signedIn("karin.holmberg@liaison.demo", demo.Password)
	_, body := head.get("/")
	if !strings.Contains(body, `id="home-demands"`) || !strings.Contains(body, "Skolplattformen som mobilapp") {
		t.Error("the head's home page does not surface the demand")
	}
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	if _, body := anna.get("/"); strings.Contains(body, `id="home-demands"`) {
		t.Error("a manager's home page shows the head's panel")
	}
}
