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
)

var surveysLeak = regexp.MustCompile(`(?:^|[\s>"(])(surveys?\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

const headEmail = "karin.holmberg@liaison.demo"

// TestSurveyPagesInEveryLanguage renders the survey template pages and the
// settings page in each language on every engine.
func TestSurveyPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ss, _, err := e.app.Surveys(adminCtx(), liaison.SurveyFilter{Limit: 10})
		if err != nil || len(ss) == 0 {
			t.Fatalf("demo surveys: %v", err)
		}
		id := ss[0].ID
		pages := []string{"/surveys", "/surveys?q=zzzz", "/surveys?sort=-updated_at", "/surveys/new", "/surveys/" + id,
			"/surveys/" + id + "/history", "/surveys/" + id + "/versions/1", "/surveys/" + id + "/edit", "/admin/settings"}
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
				if m := surveysLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
		if res, _ := c.get("/surveys/" + id + "/versions/99"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown version: %d", res.StatusCode)
		}
		if res, _ := c.get("/surveys/" + id + "/versions/x"); res.StatusCode != http.StatusNotFound {
			t.Errorf("bad version number: %d", res.StatusCode)
		}
	})
}

// twoQuestions is an editor form: a rating question and a single-choice
// question with two options, each in the four languages.
func twoQuestions(name string) url.Values {
	v := url.Values{"name": {name}, "description": {"Yearly"}, "op": {"save"},
		"q0.id": {"q1"}, "q0.type": {"rating"}, "q0.required": {"1"},
		"q0.text.en": {"How satisfied are you?"}, "q0.text.sv": {"Hur nöjd är du?"},
		"q0.text.fi": {"Kuinka tyytyväinen olet?"}, "q0.text.zh": {"您满意吗？"},
		"q1.id": {"q2"}, "q1.type": {"single_choice"},
		"q1.text.en": {"Which matters most?"}, "q1.text.sv": {"Vad är viktigast?"},
		"q1.text.fi": {"Mikä on tärkeintä?"}, "q1.text.zh": {"什么最重要？"},
		"q1.c0.id": {"c1"}, "q1.c0.en": {"Speed"}, "q1.c0.sv": {"Snabbhet"}, "q1.c0.fi": {"Nopeus"}, "q1.c0.zh": {"速度"},
		"q1.c1.id": {"c2"}, "q1.c1.en": {"Price"}, "q1.c1.sv": {"Pris"}, "q1.c1.fi": {"Hinta"}, "q1.c1.zh": {"价格"},
	}
	return v
}

func surveyByName(t *testing.T, e *env, name string) *liaison.Survey {
	t.Helper()
	ss, _, err := e.app.Surveys(adminCtx(), liaison.SurveyFilter{Q: name, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no survey %q", name)
	return nil
}

// TestSurveyEditor: the head creates a template with questions in four
// languages; the editor's operations change the form without saving; bad
// input comes back with messages next to the fields; a conflicting edit
// is refused; changed questions publish a new version.
func TestSurveyEditor(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		head := e.signedIn(headEmail, demo.Password)
		head.setLanguage(liaison.English)
		staff := e.signedIn("lena.pettersson@liaison.demo", demo.Password)
		if res, _ := staff.get("/surveys/new"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("staff's form: %d", res.StatusCode)
		}
		if res, _ := staff.post("/surveys", twoQuestions("Staff survey")); res.StatusCode != http.StatusForbidden {
			t.Fatalf("staff creating: %d", res.StatusCode)
		}

		// The blank form has one question, with a key the user never types.
		res, body := head.get("/surveys/new")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="q0.id" value="q1"`) || !strings.Contains(body, `for="f-q0.text.fi"`) {
			t.Fatalf("new form: %d", res.StatusCode)
		}

		// Operations re-render without saving.
		form := twoQuestions("Editor survey")
		for _, c := range []struct {
			op   string
			want []string
			not  []string
		}{
			{"add_question", []string{`name="q2.id" value="q3"`, `name="q2.type"`, "Kuinka tyytyväinen olet?"}, nil},
			{"add_choice:1", []string{`name="q1.c2.id" value="c3"`, `name="q1.c2.fi"`, "Nopeus"}, nil},
			{"remove:0", []string{`name="q0.id" value="q2"`, "Vad är viktigast?"}, []string{"Hur nöjd är du?"}},
			{"down:0", []string{`name="q0.id" value="q2"`, `name="q1.id" value="q1"`}, nil},
			{"up:1", []string{`name="q0.id" value="q2"`, `name="q1.id" value="q1"`}, nil},
			{"remove_choice:1:0", []string{`name="q1.c0.id" value="c2"`, `name="q1.c1.id"`}, []string{"Snabbhet"}},
		} {
			v := url.Values{}
			for k, vs := range form {
				v[k] = vs
			}
			v.Set("op", c.op)
			res, body := head.post("/surveys", v)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", c.op, res.StatusCode)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(body, html.EscapeString(w)) && !strings.Contains(body, w) {
					t.Errorf("%s: the form lacks %q", c.op, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(body, w) {
					t.Errorf("%s: the form still has %q", c.op, w)
				}
			}
		}
		if ss, _, _ := e.app.Surveys(adminCtx(), liaison.SurveyFilter{Q: "Editor survey"}); len(ss) != 0 {
			t.Fatal("an editor operation saved the survey")
		}

		// Rejections: shown next to their fields, the typed text kept.
		for _, c := range []struct {
			name  string
			edit  func(url.Values)
			field string // the id of the field's error
			want  string
		}{
			{"no name", func(v url.Values) { v.Set("name", "") }, "f-name-error", "required"},
			{"no text", func(v url.Values) {
				for _, l := range liaison.Languages {
					v.Del("q0.text." + string(l))
				}
			}, "f-q0.text-error", "Write this in at least one language."},
			{"one option", func(v url.Values) {
				for _, l := range liaison.Languages {
					v.Del("q1.c1." + string(l))
				}
			}, "f-q1.choices-error", "needs 2 to 20 options"},
			{"no questions", func(v url.Values) {
				for k := range v {
					if strings.HasPrefix(k, "q") {
						v.Del(k)
					}
				}
			}, "f-questions-error", "at least one question"},
			{"duplicate key", func(v url.Values) { v.Set("q1.id", "q1") }, "f-q1-error", "q1 is used by another question"},
		} {
			v := twoQuestions("Rejected survey")
			c.edit(v)
			res, body := head.post("/surveys", v)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d", c.name, res.StatusCode)
				continue
			}
			i := strings.Index(body, `id="`+c.field+`"`)
			if i < 0 || !strings.Contains(body[i:min(len(body), i+400)], c.want) {
				t.Errorf("%s: no %q at %s", c.name, c.want, c.field)
			}
			if c.name != "no name" && !strings.Contains(body, `value="Rejected survey"`) {
				t.Errorf("%s: the name was not kept", c.name)
			}
		}

		// Created with its questions in four languages.
		res, _ = head.post("/surveys", twoQuestions("Editor survey"))
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/surveys/") {
			t.Fatalf("create: %d %s", res.StatusCode, loc)
		}
		s := surveyByName(t, e, "Editor survey")
		if len(s.Questions) != 2 || s.Questions[1].Choices[1].Label[liaison.Chinese] != "价格" || s.Questions[0].Text[liaison.Finnish] != "Kuinka tyytyväinen olet?" ||
			!s.Questions[0].Required || s.SurveyVersion != 1 {
			t.Fatalf("created: %+v", s)
		}
		_, body = head.get(loc)
		for _, want := range []string{"How satisfied are you?", "Hur nöjd är du?", "什么最重要？", "Hinta", "Version 1", "Must be answered", "Single choice"} {
			if !strings.Contains(body, want) {
				t.Errorf("the survey page lacks %q", want)
			}
		}
		_, body = head.get(loc + "/edit")
		if !strings.Contains(body, "A campaign keeps the version it was created with") {
			t.Error("the edit page does not explain versions")
		}

		// A new question on an existing template takes a key no version used.
		v := twoQuestions("Editor survey")
		v.Set("version", "1")
		v.Set("op", "add_question")
		_, body = head.post(loc, v)
		if !strings.Contains(body, `name="q2.id" value="q3"`) {
			t.Error("the added question's key")
		}

		// Changing the questions publishes version 2.
		v = twoQuestions("Editor survey")
		v.Set("version", "1")
		v.Set("q0.text.en", "How satisfied are you overall?")
		if res, _ := head.post(loc, v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}
		s = surveyByName(t, e, "Editor survey")
		if s.SurveyVersion != 2 || s.Version != 2 {
			t.Fatalf("after the edit: version %d, record %d", s.SurveyVersion, s.Version)
		}
		res, body = head.get(loc + "/versions/1")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "How satisfied are you?") || !strings.Contains(body, "You are looking at version 1.") {
			t.Errorf("version 1: %d", res.StatusCode)
		}
		// A stale form is refused with the conflict message, the typed text kept.
		v.Set("q0.text.en", "Someone else's wording")
		res, body = head.post(loc, v)
		if res.StatusCode != http.StatusPreconditionFailed || !strings.Contains(body, "Someone else&#39;s wording") || !strings.Contains(body, `name="version" value="2"`) {
			t.Fatalf("stale edit: %d", res.StatusCode)
		}
		_, body = head.get(loc + "/history")
		if !strings.Contains(body, "Version 2") {
			t.Error("the history lacks the published version")
		}

		// Trashed.
		if res, _ := head.post(loc+"/delete", url.Values{"version": {"2"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		if res, _ := head.get(loc); res.StatusCode != http.StatusNotFound {
			t.Errorf("trashed survey: %d", res.StatusCode)
		}
	})
}

// TestSurveySettings: the admin turns the follow-up rule on, sets who sees
// results and the reminder interval; bad numbers come back with messages.
func TestSurveySettings(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		admin.setLanguage(liaison.English)
		res, body := admin.get("/admin/settings")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Off by default") {
			t.Fatalf("settings page: %d", res.StatusCode)
		}
		m := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no version")
		}
		cur, err := e.app.Settings(adminCtx())
		if err != nil {
			t.Fatal(err)
		}
		if cur.SurveyFollowUp.Enabled {
			t.Fatal("the follow-up rule is on by default")
		}
		form := func() url.Values {
			return url.Values{"version": {m[1]}, "stale_review_months": {"12"}, "reminder_days": {"90, 30, 7"},
				"complaint_recurrence_count": {"3"}, "complaint_recurrence_days": {"90"}, "demand_accounts": {"3"},
				"survey_settings": {"1"}, "survey_follow_up": {"1"}, "survey_follow_up_rating": {"2"}, "survey_follow_up_nps": {"5"},
				"survey_results_roles": {"admin", "head", "staff"}, "survey_reminder_days": {"10"}}
		}
		for _, c := range []struct {
			field, value, errID string
		}{
			{"survey_follow_up_rating", "6", "f-survey_follow_up_rating-error"},
			{"survey_follow_up_nps", "-2", "f-survey_follow_up_nps-error"},
			{"survey_reminder_days", "0", "f-survey_reminder_days-error"},
		} {
			v := form()
			v.Set(c.field, c.value)
			res, body := admin.post("/admin/settings", v)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+c.errID+`"`) {
				t.Errorf("%s=%s: %d", c.field, c.value, res.StatusCode)
			}
		}
		if res, body := admin.post("/admin/settings", form()); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.StatusCode, body[:min(len(body), 300)])
		}
		s, err := e.app.Settings(adminCtx())
		if err != nil {
			t.Fatal(err)
		}
		if !s.SurveyFollowUp.Enabled || s.SurveyFollowUp.RatingAtMost != 2 || s.SurveyFollowUp.NPSAtMost != 5 || s.SurveyReminderDays != 10 ||
			s.SurveyResults.Managers || len(s.SurveyResults.Roles) != 3 || !s.SurveyResults.SeesAll(liaison.RoleStaff) {
			t.Fatalf("saved: %+v %+v %d", s.SurveyFollowUp, s.SurveyResults, s.SurveyReminderDays)
		}
		_, body = admin.get("/admin/settings")
		if !strings.Contains(body, `name="survey_results_roles" value="staff" checked`) || !strings.Contains(body, `id="f-survey_follow_up" name="survey_follow_up" value="1" checked`) {
			t.Error("the saved survey settings are not shown")
		}
		// Turned off again: no roles left means nobody sees all results.
		m = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
		v := form()
		v.Del("survey_follow_up")
		v.Del("survey_results_roles")
		v.Set("survey_results_managers", "1")
		if res, _ := admin.post("/admin/settings", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save off: %d", res.StatusCode)
		}
		s, _ = e.app.Settings(adminCtx())
		if s.SurveyFollowUp.Enabled || len(s.SurveyResults.Roles) != 0 || !s.SurveyResults.Managers {
			t.Fatalf("saved off: %+v %+v", s.SurveyFollowUp, s.SurveyResults)
		}
		// A form without the survey section (an older page) keeps them.
		v = form()
		for k := range v {
			if strings.HasPrefix(k, "survey_") {
				v.Del(k)
			}
		}
		_, body = admin.get("/admin/settings")
		m = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
		v.Set("version", m[1])
		v.Set("stale_review_months", "18")
		if res, _ := admin.post("/admin/settings", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save without the survey section: %d", res.StatusCode)
		}
		s2, _ := e.app.Settings(adminCtx())
		if s2.StaleReviewMonths != 18 || s2.SurveyReminderDays != 10 || !s2.SurveyResults.Managers {
			t.Fatalf("older form: %+v", s2)
		}
	})
}
