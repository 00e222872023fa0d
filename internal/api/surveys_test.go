package api_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

var surveyBody = map[string]any{"name": "Kundnöjdhet", "questions": []any{
	map[string]any{"id": "overall", "type": "rating", "required": true, "text": map[string]any{"sv": "Hur nöjd är du?", "en": "How satisfied are you?"}},
	map[string]any{"id": "recommend", "type": "nps", "text": map[string]any{"zh": "您会推荐我们吗？"}},
}}

func TestSurveyAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		e.req("manager", "POST", "/api/v1/surveys", surveyBody).problem(http.StatusForbidden)
		e.req("head", "POST", "/api/v1/surveys", map[string]any{"name": "x", "questions": []any{
			map[string]any{"id": "q", "type": "stars", "text": map[string]any{"en": "?"}}}}).problem(http.StatusUnprocessableEntity)
		e.req("head", "POST", "/api/v1/surveys", map[string]any{"name": "x", "questions": []any{
			map[string]any{"id": "q", "type": "rating", "text": map[string]any{}}}}).want(http.StatusUnprocessableEntity).fieldError("questions[0].text", "required")
		r := e.req("head", "POST", "/api/v1/surveys", surveyBody, "Idempotency-Key", "srv-1").want(http.StatusCreated)
		s := r.JSON()
		id := s["id"].(string)
		if r.Header.Get("Location") != "/api/v1/surveys/"+id || s["survey_version"] != 1.0 {
			t.Fatalf("created %v", s)
		}
		if again := e.req("head", "POST", "/api/v1/surveys", surveyBody, "Idempotency-Key", "srv-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another survey")
		}
		path := "/api/v1/surveys/" + id
		e.patch("head", path, 1, map[string]any{"survey_version": 5}).want(http.StatusUnprocessableEntity).fieldError("survey_version", "read_only")
		e.patch("manager", path, 1, map[string]any{"name": "Mine"}).problem(http.StatusForbidden)
		s = e.patch("head", path, 1, map[string]any{"questions": []any{
			map[string]any{"id": "overall", "type": "rating", "text": map[string]any{"fi": "Kuinka tyytyväinen olet?"}}}}).want(http.StatusOK).JSON()
		if s["survey_version"] != 2.0 || s["version"] != 2.0 {
			t.Fatalf("updated %v", s)
		}
		if vs := e.req("viewer", "GET", path+"/versions", nil).want(http.StatusOK).Items(); len(vs) != 2 || vs[0]["number"] != 2.0 {
			t.Fatalf("versions %v", vs)
		}
		if v1 := e.req("viewer", "GET", path+"/versions/1", nil).want(http.StatusOK).JSON(); len(v1["questions"].([]any)) != 2 {
			t.Fatalf("version 1 %v", v1)
		}
		e.req("viewer", "GET", path+"/versions/3", nil).problem(http.StatusNotFound)
		if n := len(e.req("viewer", "GET", "/api/v1/surveys?q=kundnojdhet", nil).want(http.StatusOK).Items()); n != 1 {
			t.Fatalf("search found %d", n)
		}
		e.req("head", "DELETE", path, nil).problem(http.StatusPreconditionRequired)
		e.req("head", "DELETE", path, nil, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		e.req("head", "DELETE", path, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
	})
}

var apiLinkRE = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})\b`)

func TestCampaignAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		acct := e.org(map[string]any{"name": "Malmö stad", "budget_holder": true, "relationship_manager_id": e.users["manager"].ID})["id"].(string)
		other := e.org(map[string]any{"name": "Lunds kommun", "budget_holder": true, "relationship_manager_id": e.users["manager2"].ID})["id"].(string)
		person := func(name, org, role, lang string) string {
			p := e.create("admin", "/api/v1/people", map[string]any{"name": name, "organisation_id": org, "email": name + "@kund.test", "language": lang})
			e.create("admin", "/api/v1/roles", map[string]any{"person_id": p["id"], "organisation_id": org, "role": role, "active": true})
			return name + "@kund.test"
		}
		var addrs []string
		for i := range 4 {
			addrs = append(addrs, person(fmt.Sprintf("user%d", i), acct, "user", "sv"))
		}
		lund := person("kund", other, "customer", "fi")
		survey := e.create("head", "/api/v1/surveys", surveyBody)["id"].(string)
		body := map[string]any{"title": "Våren 2026", "survey_id": survey, "roles": []any{"customer", "user"}, "closes_on": "2099-12-31", "anonymous": true}

		// Managers run campaigns on their own accounts only; staff and viewers none.
		e.req("manager", "POST", "/api/v1/campaigns", body).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/campaigns", body).problem(http.StatusForbidden)
		e.req("head", "POST", "/api/v1/campaigns", map[string]any{"title": "x", "survey_id": survey, "roles": []any{"other"}, "closes_on": "2099-12-31"}).
			problem(http.StatusUnprocessableEntity)
		e.req("head", "POST", "/api/v1/campaigns", map[string]any{"title": "x", "survey_id": "nope", "roles": []any{"user"}, "closes_on": "2099-12-31"}).
			want(http.StatusUnprocessableEntity).fieldError("survey_id", "unknown")
		mine := e.create("manager", "/api/v1/campaigns", map[string]any{"title": "Mina", "survey_id": survey, "roles": []any{"user"},
			"closes_on": "2099-12-31", "organisation_ids": []any{acct}})
		e.req("manager2", "POST", "/api/v1/campaigns/"+mine["id"].(string)+"/open", nil, "If-Match", `"1"`).problem(http.StatusForbidden)

		r := e.req("head", "POST", "/api/v1/campaigns", body, "Idempotency-Key", "cmp-1").want(http.StatusCreated)
		c := r.JSON()
		id := c["id"].(string)
		path := "/api/v1/campaigns/" + id
		if c["status"] != "draft" || c["survey_version"] != 1.0 || r.Header.Get("Location") != path {
			t.Fatalf("created %v", c)
		}
		e.patch("head", path, 1, map[string]any{"status": "open"}).want(http.StatusUnprocessableEntity).fieldError("status", "transition")
		e.patch("head", path, 1, map[string]any{"title": "Våren 2026 – alla"}).want(http.StatusOK)
		p := e.req("head", "POST", path+"/close", nil, "If-Match", `"2"`).problem(http.StatusUnprocessableEntity)
		if fmt.Sprint(p["errors"]) == "" {
			t.Fatalf("close a draft: %v", p)
		}
		e.req("head", "POST", path+"/open", nil).problem(http.StatusPreconditionRequired)
		e.req("head", "POST", path+"/open", nil, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		c = e.req("head", "POST", path+"/open", nil, "If-Match", `"2"`).want(http.StatusOK).JSON()
		if c["status"] != "open" || c["recipients"] != 5.0 {
			t.Fatalf("opened %v", c)
		}
		e.patch("head", path, 3, map[string]any{"anonymous": false}).want(http.StatusUnprocessableEntity).fieldError("anonymous", "invalid")
		token := func(addr string) string {
			msgs := e.mailTo(addr)
			if len(msgs) == 0 {
				t.Fatalf("no mail to %s", addr)
			}
			m := apiLinkRE.FindStringSubmatch(msgs[0].Text)
			if m == nil {
				t.Fatalf("no link in %q", msgs[0].Text)
			}
			return m[1]
		}
		if msgs := e.mailTo(lund); len(msgs) != 1 || msgs[0].Language != liaison.Finnish {
			t.Fatalf("invitation %+v", msgs)
		}
		ctx := context.Background()
		// A link can be used once: the second submission is refused and stores nothing.
		first := token(addrs[0])
		answers := []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(4)}}
		if err := e.app.SubmitResponse(ctx, first, answers); err != nil {
			t.Fatal(err)
		}
		err := e.app.SubmitResponse(ctx, first, answers)
		if liaison.ErrorCode(err) != liaison.ECONFLICT || liaison.LinkRefusalKey(err) != liaison.LinkUsed {
			t.Fatalf("second submission: %v", err)
		}
		if c = e.req("viewer", "GET", path, nil).want(http.StatusOK).JSON(); c["responses"] != 1.0 {
			t.Fatalf("responses after a refused resubmission: %v", c["responses"])
		}
		for _, a := range addrs[1:] {
			if err := e.app.SubmitResponse(ctx, token(a), answers); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.app.SubmitResponse(ctx, token(lund), []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(2)}}); err != nil {
			t.Fatal(err)
		}
		// Anonymous, 4 responses from Malmö: no per-account result.
		res := e.req("head", "GET", path+"/results?by=account", nil).want(http.StatusOK).JSON()
		for _, g := range res["groups"].([]any) {
			g := g.(map[string]any)
			if g["suppressed"] != true || g["responses"] != 0.0 || g["csat"] != nil || g["questions"] != nil {
				t.Fatalf("group of an anonymous campaign under 5 responses: %v", g)
			}
		}
		if tot := res["total"].(map[string]any); tot["suppressed"] != false || tot["responses"] != 5.0 || tot["csat"] != 80.0 {
			t.Fatalf("total %v", tot)
		}
		if tot := e.req("head", "GET", path+"/results?organisation_id="+acct, nil).want(http.StatusOK).JSON()["total"].(map[string]any); tot["suppressed"] != true {
			t.Fatalf("filtered to Malmö: %v", tot)
		}
		// Results by role: head yes, staff no, a manager their own account only.
		e.req("staff", "GET", path+"/results", nil).problem(http.StatusForbidden)
		e.req("manager", "GET", path+"/results?organisation_id="+other, nil).problem(http.StatusForbidden)
		e.req("manager", "GET", path+"/results?organisation_id="+acct, nil).want(http.StatusOK)
		e.req("head", "GET", path+"/results?by=colour", nil).problem(http.StatusUnprocessableEntity)

		// The trend: this campaign's total, by closing date; nothing for staff.
		if tr := e.req("head", "GET", "/api/v1/campaigns/trend?survey_id="+survey, nil).want(http.StatusOK).Items(); len(tr) != 1 ||
			tr[0]["campaign_id"] != id || tr[0]["total"].(map[string]any)["responses"] != 5.0 {
			t.Fatalf("trend %v", tr)
		}
		if tr := e.req("staff", "GET", "/api/v1/campaigns/trend", nil).want(http.StatusOK).Items(); len(tr) != 0 {
			t.Fatalf("staff's trend %v", tr)
		}

		// Reminders: once per interval.
		e.req("staff", "POST", path+"/remind", nil).problem(http.StatusForbidden)
		if n := e.req("head", "POST", path+"/remind", nil).want(http.StatusOK).JSON()["reminded"]; n != 0.0 {
			t.Fatalf("reminded %v: everyone answered", n)
		}
		e.req("head", "POST", path+"/remind", nil).problem(http.StatusConflict)

		e.req("head", "DELETE", path, nil, "If-Match", `"3"`).problem(http.StatusConflict)
		c = e.req("head", "POST", path+"/close", nil, "If-Match", `"3"`).want(http.StatusOK).JSON()
		if c["status"] != "closed" {
			t.Fatalf("closed %v", c)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/campaigns?status=closed&survey_id="+survey, nil).want(http.StatusOK).Items()); n != 1 {
			t.Fatalf("closed campaigns: %d", n)
		}
		e.req("head", "DELETE", path, nil, "If-Match", `"4"`).want(http.StatusNoContent)
		if h := e.history(path); h == "" {
			t.Fatal("no history")
		}
	})
}
