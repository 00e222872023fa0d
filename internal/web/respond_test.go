package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

// survey is an open campaign of every question type at one new account,
// whose n users (Swedish) each got a personal link.
type survey struct {
	ctx      context.Context
	campaign *liaison.Campaign
	tokens   []string
}

var surveyLinkRE = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})\b`)

func newSurvey(t *testing.T, e *env, n int) *survey { return openSurvey(t, e.app, e.db, n) }

func openSurvey(t testing.TB, a *app.App, db *sqlstore.DB, n int) *survey {
	t.Helper()
	admin, err := db.FindUserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	acct := &liaison.Organisation{Name: "Survey Test Account", BudgetHolder: true}
	if err := a.CreateOrganisation(ctx, acct); err != nil {
		t.Fatal(err)
	}
	var emails []string
	for i := range n {
		p := &liaison.Person{Name: "Respondent " + string(rune('A'+i)), OrganisationID: acct.ID,
			Email: "respondent" + string(rune('a'+i)) + "@survey.test", Language: liaison.Swedish}
		if err := a.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := a.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: acct.ID, Role: liaison.RoleUser, Active: true}); err != nil {
			t.Fatal(err)
		}
		emails = append(emails, p.Email)
	}
	s := &liaison.Survey{Name: "Web respondent survey", Questions: []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Required: true, Text: liaison.LocalText{"en": "How satisfied are you?", "sv": "Hur nöjd är du?"}},
		{ID: "recommend", Type: liaison.QuestionNPS, Text: liaison.LocalText{"en": "Would you recommend us?"}},
		{ID: "channel", Type: liaison.QuestionSingleChoice, Text: liaison.LocalText{"en": "Channel"},
			Choices: []liaison.SurveyChoice{{ID: "desk", Label: liaison.LocalText{"en": "Desk", "sv": "Servicedesk"}}, {ID: "web", Label: liaison.LocalText{"en": "Web"}}}},
		{ID: "topics", Type: liaison.QuestionMultipleChoice, Text: liaison.LocalText{"en": "Topics"},
			Choices: []liaison.SurveyChoice{{ID: "price", Label: liaison.LocalText{"en": "Price"}}, {ID: "speed", Label: liaison.LocalText{"en": "Speed"}}}},
		{ID: "comment", Type: liaison.QuestionText, Text: liaison.LocalText{"en": "Anything else?", "sv": "Något mer?"}},
	}}
	if err := a.CreateSurvey(ctx, s); err != nil {
		t.Fatal(err)
	}
	c := &liaison.Campaign{Title: "Spring <check>", SurveyID: s.ID, Roles: []liaison.RoleKind{liaison.RoleUser},
		OrganisationIDs: []string{acct.ID}, ClosesOn: liaison.FormatDate(time.Now().AddDate(0, 1, 0))}
	if err := a.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	opened, err := a.OpenCampaign(ctx, c.ID, c.Version)
	if err != nil {
		t.Fatal(err)
	}
	sv := &survey{ctx: ctx, campaign: opened}
	for _, to := range emails {
		ms, err := db.FindMail(context.Background(), liaison.MailFilter{To: to})
		if err != nil || len(ms) != 1 {
			t.Fatalf("mail to %s: %v %d", to, err, len(ms))
		}
		m := surveyLinkRE.FindStringSubmatch(ms[0].Text)
		if m == nil {
			t.Fatalf("no link in %q", ms[0].Text)
		}
		sv.tokens = append(sv.tokens, m[1])
	}
	return sv
}

func (s *survey) responses(t *testing.T, e *env) int {
	t.Helper()
	c, err := e.app.Campaign(s.ctx, s.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Responses
}

var respondLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:respond|survey)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

func checkRespondPage(t *testing.T, res *http.Response, path, body string, lang liaison.Language) {
	t.Helper()
	checkPage(t, path, body, lang)
	if m := respondLeak.FindStringSubmatch(body); m != nil {
		t.Errorf("%s (%s): leaked %q", path, lang, m[1])
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q, want no-referrer", path, got)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", path, got)
	}
	if strings.Contains(body, `class="nav`) || strings.Contains(body, "/logout") {
		t.Errorf("%s: the respondent page shows the app's navigation", path)
	}
}

// TestRespondPage: the form opens without signing in, in the recipient's
// language by default and in any language by ?lang= (the questions too,
// where the survey has them in it), every question type
// as an accessible control, nothing internal on it.
func TestRespondPage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	s := newSurvey(t, e, 1)
	c := e.client()
	path := "/s/" + s.tokens[0]
	res, body := c.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, body)
	}
	checkRespondPage(t, res, path, body, liaison.Swedish)
	for _, want := range []string{
		"Spring &lt;check&gt;", "Hur nöjd är du?", "Servicedesk", "Något mer?", "Skicka mina svar",
		`<legend class="label"><span lang="sv">Hur nöjd är du?</span><span class="req" aria-hidden="true">*</span>`,
		`type="radio" name="q0" value="5"`, `type="radio" name="q1" value="0"`, `type="radio" name="q1" value="10"`,
		`type="radio" name="q2" value="desk"`, `type="checkbox" name="q3" value="speed"`, `<textarea class="input" id="f-q4" name="q4"`,
		`<label for="f-q4" lang="sv">`, `action="/s/` + s.tokens[0] + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	for _, internal := range []string{s.campaign.ID, s.campaign.SurveyID, `"overall"`, `"recommend"`, "Survey Test Account", "Respondent A", "@survey.test"} {
		if strings.Contains(body, internal) {
			t.Errorf("the form shows internal data %q", internal)
		}
	}
	for _, lang := range liaison.Languages {
		p := path + "?lang=" + string(lang)
		res, body := c.get(p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, res.StatusCode)
		}
		checkRespondPage(t, res, p, body, lang)
		// The switcher turns the questions too; a question without a text
		// in that language falls back to English, marked as English.
		want := []string{`<span lang="en">How satisfied are you?</span>`, `<label for="f-q4" lang="en">`}
		if lang == liaison.Swedish {
			want = []string{`<span lang="sv">Hur nöjd är du?</span>`, `<label for="f-q4" lang="sv">`}
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the questions are not in the chosen language (or the fallback is not marked): no %s", p, w)
			}
		}
	}
	// A signed-in visitor sees the same bare page.
	res, body = e.signedIn(demo.AdminEmail, demo.AdminPassword).get(path + "?lang=en")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("signed in: %d", res.StatusCode)
	}
	checkRespondPage(t, res, path, body, liaison.English)
}

// TestRespondSubmit: valid answers are stored once and counted; a second
// post is refused as "already answered" and stores nothing.
func TestRespondSubmit(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	s := newSurvey(t, e, 1)
	c := e.client()
	path := "/s/" + s.tokens[0]
	form := url.Values{"q0": {"4"}, "q1": {"9"}, "q2": {"web"}, "q3": {"price", "speed"}, "q4": {"Fine <b>work</b>"}}
	res, body := c.post(path+"?lang=fi", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Vastauksesi on vastaanotettu") {
		t.Fatalf("submit: %d\n%s", res.StatusCode, body)
	}
	checkRespondPage(t, res, path, body, liaison.Finnish)
	if n := s.responses(t, e); n != 1 {
		t.Fatalf("responses = %d, want 1", n)
	}
	r, err := e.app.CampaignResults(s.ctx, s.campaign.ID, "", liaison.ResultFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Responses != 1 || r.Total.CSAT == nil || *r.Total.CSAT != 100 || r.Total.NPS == nil || *r.Total.NPS != 100 {
		t.Fatalf("results = %+v", r.Total)
	}

	form.Set("q0", "1")
	res, body = c.post(path+"?lang=sv", form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Redan besvarad") || strings.Contains(body, "Skicka mina svar") {
		t.Fatalf("second submit: %d\n%s", res.StatusCode, body)
	}
	checkRespondPage(t, res, path, body, liaison.Swedish)
	if n := s.responses(t, e); n != 1 {
		t.Fatalf("responses after the replay = %d, want 1", n)
	}
	res, body = c.get(path + "?lang=en")
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "This survey link has already been used") || strings.Contains(body, "<form method=\"post\" action=\"/s/") {
		t.Fatalf("GET of a used link: %d\n%s", res.StatusCode, body)
	}
}

// TestRespondInvalid: rejected answers come back with the field errors next
// to their questions and everything typed kept; nothing is stored.
func TestRespondInvalid(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	s := newSurvey(t, e, 1)
	c := e.client()
	path := "/s/" + s.tokens[0]
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string // the question whose error shows
		msg   string
	}{
		{"required missing", url.Values{"q1": {"7"}, "q3": {"speed"}, "q4": {"Kept <text>"}}, "q0", "Please answer this question."},
		{"not a number", url.Values{"q0": {"five"}, "q1": {"7"}, "q3": {"speed"}, "q4": {"Kept <text>"}}, "q0", "Must be from 1 to 5."},
		{"out of range", url.Values{"q0": {"3"}, "q1": {"11"}, "q3": {"speed"}, "q4": {"Kept <text>"}}, "q1", "Must be from 0 to 10."},
		{"two single choices", url.Values{"q0": {"3"}, "q2": {"desk", "web"}, "q3": {"speed"}, "q4": {"Kept <text>"}}, "q2", "Pick one choice only."},
		{"unknown choice", url.Values{"q0": {"3"}, "q3": {"speed", "nope"}, "q4": {"Kept <text>"}}, "q3", "is not a choice of question"},
	} {
		res, body := c.post(path+"?lang=en", tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d\n%s", tc.name, res.StatusCode, body)
		}
		checkRespondPage(t, res, path, body, liaison.English)
		errAt := strings.Index(body, `id="f-`+tc.field+`-error"`)
		if errAt < 0 || !strings.Contains(body[errAt:min(len(body), errAt+400)], tc.msg) ||
			!strings.Contains(body, `aria-describedby="f-`+tc.field+`-error"`) {
			t.Errorf("%s: no error %q at %s\n%s", tc.name, tc.msg, tc.field, body)
		}
		for _, kept := range []string{`name="q3" value="speed" checked`, `>Kept &lt;text&gt;</textarea>`, "Some answers need attention"} {
			if !strings.Contains(body, kept) {
				t.Errorf("%s: lost %q", tc.name, kept)
			}
		}
		if tc.form.Get("q1") == "7" && !strings.Contains(body, `name="q1" value="7" checked`) {
			t.Errorf("%s: lost the NPS answer", tc.name)
		}
		if !strings.Contains(body, `action="/s/`+s.tokens[0]+`?lang=en"`) {
			t.Errorf("%s: the form forgets its language", tc.name)
		}
	}
	if n := s.responses(t, e); n != 0 {
		t.Fatalf("responses = %d after rejected answers, want 0", n)
	}
}

// TestRespondRefusedLinks: an unknown link is 404, a closed campaign's 409,
// each a plain explanation in the page's language, never an error dump.
func TestRespondRefusedLinks(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	s := newSurvey(t, e, 2)
	c := e.client()
	for _, method := range []string{"GET", "POST"} {
		for _, lang := range liaison.Languages {
			p := "/s/no-such-token?lang=" + string(lang)
			var res *http.Response
			var body string
			if method == "GET" {
				res, body = c.get(p)
			} else {
				res, body = c.post(p, url.Values{"q0": {"5"}})
			}
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("%s %s: %d", method, p, res.StatusCode)
			}
			checkRespondPage(t, res, p, body, lang)
			if !strings.Contains(body, `id="respond-refused"`) {
				t.Errorf("%s %s: no explanation\n%s", method, p, body)
			}
		}
	}
	if _, err := e.app.CloseCampaign(s.ctx, s.campaign.ID, s.campaign.Version); err != nil {
		t.Fatal(err)
	}
	for _, tok := range s.tokens {
		p := "/s/" + tok + "?lang=en"
		res, body := c.get(p)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "This survey has been closed and takes no more responses.") {
			t.Fatalf("GET of a closed campaign's link: %d\n%s", res.StatusCode, body)
		}
		checkRespondPage(t, res, p, body, liaison.English)
		res, body = c.post(p, url.Values{"q0": {"5"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Survey closed") {
			t.Fatalf("POST to a closed campaign's link: %d\n%s", res.StatusCode, body)
		}
	}
	if n := s.responses(t, e); n != 0 {
		t.Fatalf("responses = %d, want 0", n)
	}
}

// FuzzRespond posts arbitrary form bodies to a respondent link through the
// real server stack: never a 5xx, and typed HTML never comes back
// unescaped. A body that answers validly uses the link up; the rest take
// the rejected-answers path, and later ones the refusal.
//
//	go test -run '^$' -fuzz '^FuzzRespond$' -fuzztime 20s ./internal/web
func FuzzRespond(f *testing.F) {
	db := sqlstoretest.Open(f, sqlstoretest.SQLite)
	log := slog.New(slog.DiscardHandler)
	a := app.New(db, log)
	if _, err := demo.Load(context.Background(), a); err != nil {
		f.Fatal(err)
	}
	s := openSurvey(f, a, db, 3)
	h := server.New(a, server.Options{Log: log}, web.New(a, web.Options{Log: log}))
	for _, seed := range []string{
		"", "q0=5", "q0=4&q1=9&q2=web&q3=price&q3=speed&q4=fine", "q0=0", "q0=-1&q1=999999999999999999999",
		"q0=3&q2=desk&q2=web", "q3=%3Cxss%3E", "q4=%3Cxss%3E&q0=x", "q99=1&q-1=2&q0=%20", "q0=%FF", "%zz", "q0=1&q0=2",
		"q4=" + strings.Repeat("a", 20001) + "&q0=1", "lang=zh&q0=2",
	} {
		f.Add(uint8(0), seed)
	}
	f.Fuzz(func(t *testing.T, which uint8, form string) {
		path := "/s/" + s.tokens[int(which)%len(s.tokens)]
		if which >= 200 {
			path = "/s/" + url.PathEscape(form[:min(len(form), 60)])
		}
		req := httptest.NewRequest("POST", path+"?lang=en", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST %s %q: %d\n%s", path, form, rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "<xss") {
			t.Fatalf("POST %s %q: unescaped input on the page", path, form)
		}
	})
}
