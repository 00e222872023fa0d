package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var actionLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:action|review)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestActionPagesInEveryLanguage renders the action and review pages, the
// account's tab and the home page in each language.
func TestActionPagesInEveryLanguage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	as, _, err := e.app.Actions(adminCtx(), liaison.ActionFilter{Limit: 100})
	if err != nil || len(as) == 0 {
		t.Fatalf("demo actions: %v", err)
	}
	pages := []string{"/", "/actions", "/actions?view=overdue", "/actions?view=open&q=zzzz", "/actions?view=done", "/actions/new",
		"/reviews-due", "/reviews-due?mine=1&state=overdue", "/organisations/" + *as[0].OrganisationID + "/actions"}
	for _, a := range as[:4] {
		pages = append(pages, "/actions/"+a.ID, "/actions/"+a.ID+"/edit")
	}
	c := e.signedIn(demo.ManagerEmail, demo.Password)
	for _, lang := range liaison.Languages {
		c.setLanguage(lang)
		for _, p := range pages {
			res, body := c.get(p)
			if res.StatusCode != http.StatusOK && !(strings.HasSuffix(p, "/edit") && res.StatusCode == http.StatusForbidden) {
				t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
				continue
			}
			checkPage(t, p, body, lang)
			if m := actionLeak.FindStringSubmatch(body); m != nil {
				t.Errorf("%s (%s): leaked %q", p, lang, m[1])
			}
		}
	}
}

// TestActionToggle: one click marks an action done. Without JavaScript the
// form posts and the page comes back; with htmx the answer is the row
// alone, and a refused change comes back as the row saying why. Viewers
// may not.
func TestActionToggle(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	mine, _, err := e.app.Actions(adminCtx(), liaison.ActionFilter{Q: "SLA-rapporten", Limit: 1})
	if err != nil || len(mine) != 1 {
		t.Fatalf("demo action: %v", err)
	}
	a := mine[0]
	res, _ := anna.post("/actions/"+a.ID+"/status", url.Values{"status": {"done"}, "version": {"1"}, "return": {"/actions?view=overdue"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/actions?view=overdue" {
		t.Fatalf("plain form: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// An outside return target is not followed.
	res, _ = anna.post("/actions/"+a.ID+"/status", url.Values{"status": {"open"}, "version": {"2"}, "return": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/actions/"+a.ID {
		t.Fatalf("return to %q", loc)
	}
	htmx := func(form url.Values) (*http.Response, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/actions/"+a.ID+"/status", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		return anna.do(req)
	}
	res, body := htmx(url.Values{"status": {"done"}, "version": {"3"}, "return": {"/actions"}})
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), `<li class="action-row is-closed" id="action-`+a.ID+`"`) ||
		!strings.Contains(body, "data-action-reopen") || strings.Contains(body, "<html") {
		t.Fatalf("htmx done: %d\n%s", res.StatusCode, body)
	}
	res, body = htmx(url.Values{"status": {"cancelled"}, "version": {"4"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Allowed: open") || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("htmx refused: %d\n%s", res.StatusCode, body)
	}
	if got, _ := e.app.Action(adminCtx(), a.ID); got.Status != liaison.ActionDone || got.Version != 4 {
		t.Fatalf("after the clicks: %s v%d", got.Status, got.Version)
	}
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.post("/actions/"+a.ID+"/status", url.Values{"status": {"open"}, "version": {"4"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer: %d", res.StatusCode)
	}
}

// TestActionForMeeting: ?meeting_id= presets the form with the meeting
// (its account, shown by the meeting's title); the action is created on
// the meeting's account and the browser returns to where it came from.
func TestActionForMeeting(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	units, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{Q: "Socialförvaltningen", Limit: 1})
	if err != nil || len(units) != 1 {
		t.Fatal(err)
	}
	m := sqlstoretest.HeldReview(context.Background(), t, e.app.Store, units[0].ID, "Tjänsteuppföljning maj", e.app.Now())
	res, body := anna.get("/actions/new?meeting_id=" + m.ID + "&return=/meetings/" + m.ID)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Tjänsteuppföljning maj") ||
		!strings.Contains(body, `name="organisation_id" value="`+units[0].ID+`"`) {
		t.Fatalf("preset form: %d", res.StatusCode)
	}
	res, _ = anna.post("/actions", url.Values{"title": {"Skicka protokollet"}, "owner_id": {""}, "meeting_id": {m.ID}, "return": {"/meetings/" + m.ID + "#actions"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/meetings/"+m.ID+"#actions" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	as, err := e.app.MeetingActions(adminCtx(), m.ID)
	if err != nil || len(as) != 1 || deref(as[0].OrganisationID) != units[0].ID || as[0].OwnerName != "Anna Lindqvist" {
		t.Fatalf("meeting's actions: %+v %v", as, err)
	}
	res, body = anna.post("/actions", url.Values{"title": {"x"}, "meeting_id": {"no-such-meeting"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "No such meeting") {
		t.Fatalf("unknown meeting: %d", res.StatusCode)
	}
}
