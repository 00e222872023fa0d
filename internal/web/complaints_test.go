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

var complaintLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:complaint|escalation)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestComplaintPagesInEveryLanguage renders the complaint and escalation
// pages in each language on every engine.
func TestComplaintPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		cs, _, err := e.app.Complaints(adminCtx(), liaison.ComplaintFilter{Recurring: liaison.Ptr(true), Limit: 1})
		if err != nil || len(cs) == 0 {
			t.Fatalf("demo complaints: %v", err)
		}
		es, _, err := e.app.Escalations(adminCtx(), liaison.EscalationFilter{ComplaintID: cs[0].ID})
		if err != nil || len(es) != 1 {
			t.Fatalf("the recurring complaint's escalation: %v %v", es, err)
		}
		pages := []string{"/complaints", "/complaints?status=closed&open=1&q=e-post", "/complaints/new",
			"/complaints/" + cs[0].ID, "/complaints/" + cs[0].ID + "/edit", "/complaints/analysis",
			"/complaints/analysis?from=2020-01-01&to=2030-12-31", "/escalations", "/escalations/" + es[0].ID, "/admin/settings"}
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
				if m := complaintLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestComplaintWebFlow: a viewer may not register; the form refuses a
// service request without its ticket next to the field; a registered
// complaint is moved on, a skipped confirmation needs its reason, and an
// invalid step is refused in words.
func TestComplaintWebFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ids := e.ids()
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.get("/complaints/new"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer opens the form: %d", res.StatusCode)
	}
	staff := e.signedIn("jukka.laine@liaison.demo", demo.Password)
	staff.setLanguage(liaison.English)
	form := url.Values{"organisation_id": {ids.account}, "channel": {"phone"}, "classification": {"service_request"},
		"severity": {"low"}, "title": {"Ny skrivare på plan 3"}}
	res, body := staff.post("/complaints", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-external_ticket-error"`) ||
		!strings.Contains(body, html.EscapeString("Ny skrivare på plan 3")) {
		t.Fatalf("service request without ticket: %d", res.StatusCode)
	}
	form.Set("classification", "complaint")
	form.Set("title", "Skrivaren skriver ut tomma sidor")
	res, _ = staff.post("/complaints", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/complaints/") {
		t.Fatalf("register: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	path := res.Header.Get("Location")
	admin := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	admin.setLanguage(liaison.English)
	res, body = admin.post(path+"/transition", url.Values{"version": {"1"}, "status": {"closed"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "allowed: confirmed, investigating") {
		t.Fatalf("received → closed: %d", res.StatusCode)
	}
	res, body = admin.post(path+"/transition", url.Values{"version": {"1"}, "status": {"investigating"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-skip_reason-error"`) {
		t.Fatalf("skip without reason: %d", res.StatusCode)
	}
	res, _ = admin.post(path+"/transition", url.Values{"version": {"1"}, "status": {"investigating"}, "skip_reason": {"Clear from the call"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("investigate: %d", res.StatusCode)
	}
	if _, body = admin.get(path); !strings.Contains(body, "Clear from the call") || !strings.Contains(body, `data-status="investigating"`) {
		t.Fatal("the page lacks the recorded skip reason or the new status")
	}
	res, body = admin.post(path+"/beyond-level", url.Values{"version": {"2"}, "explanation": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-explanation-error"`) {
		t.Fatalf("empty explanation: %d", res.StatusCode)
	}
	// An explanation makes the improvement suggestion, linked both ways.
	res, _ = admin.post(path+"/beyond-level", url.Values{"version": {"2"}, "explanation": {"Needs round-the-clock support"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("beyond level: %d", res.StatusCode)
	}
	_, body = admin.get(path)
	i := strings.Index(body, `id="beyond-improvement" href="/improvements/`)
	if i < 0 {
		t.Fatal("the complaint page does not link the improvement made from it")
	}
	href := body[i+len(`id="beyond-improvement" href="`):]
	href = href[:strings.IndexByte(href, '"')]
	if _, body = admin.get(href); !strings.Contains(body, `href="`+path+`"`) || !strings.Contains(body, "Needs round-the-clock support") {
		t.Fatalf("the improvement %s does not link back to %s", href, path)
	}
}

// TestTimelinesSpeakWords: every account's timeline in the demo tells its
// events in words in every language, not as raw audit kinds
// ("complaint.create"): each capability that writes audit rows on an
// account has its timeline keys.
func TestTimelinesSpeakWords(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	yes := true
	accounts, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 100})
	if err != nil || len(accounts) == 0 {
		t.Fatalf("demo accounts: %v", err)
	}
	raw := regexp.MustCompile(`>\s*[a-z_]+\.(create|update|delete|restore)\b`)
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	for _, lang := range liaison.Languages {
		c.setLanguage(lang)
		for _, a := range accounts {
			_, body := c.get("/organisations/" + a.ID + "/timeline")
			if m := raw.FindString(body); m != "" {
				t.Errorf("%s timeline of %s shows %q", lang, a.Name, m)
			}
		}
	}
}

// TestHomeComplaints: a relationship manager's home page lists the open
// complaints of their accounts; the head's lists the escalations waiting
// for a decision, the demo's recurrence cluster among them.
func TestHomeComplaints(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := adminCtx()
	open := true
	manager, err := e.db.FindUserByEmail(ctx, demo.ManagerEmail)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := e.app.MyAccounts(liaison.WithPrincipal(ctx, &liaison.Principal{User: manager, Scope: liaison.ScopeRead}))
	if err != nil || len(mine) == 0 {
		t.Fatalf("the manager's accounts: %v", err)
	}
	var want *liaison.Complaint
	for _, a := range mine {
		cs, _, err := e.app.Complaints(ctx, liaison.ComplaintFilter{OrganisationID: a.ID, Open: &open, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) > 0 {
			want = cs[0]
		}
	}
	if want == nil {
		t.Fatal("the demo manager's accounts have no open complaint")
	}
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	_, body := anna.get("/")
	if !strings.Contains(body, `id="home-complaints"`) || !strings.Contains(body, html.EscapeString(want.Title)) || strings.Contains(body, `id="home-escalations"`) {
		t.Error("the manager's home page lacks their open complaints, or shows the head's escalations")
	}
	es, _, err := e.app.Escalations(ctx, liaison.EscalationFilter{Status: liaison.EscalationOpen, Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatalf("no open demo escalation: %v", err)
	}
	head := e.signedIn("karin.holmberg@liaison.demo", demo.Password)
	head.setLanguage(liaison.Swedish)
	if _, body = head.get("/"); !strings.Contains(body, `id="home-escalations"`) || !strings.Contains(body, html.EscapeString(es[0].Reason)) ||
		!strings.Contains(body, "Öppna eskaleringar") {
		t.Error("the head's home page does not list the open escalations")
	}
}
