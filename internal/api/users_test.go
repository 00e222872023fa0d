package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestUsers(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		me := e.req("viewer", "GET", "/api/v1/users/me", nil).want(http.StatusOK)
		if me.JSON()["id"] != e.users["viewer"].ID || me.Header.Get("ETag") == "" {
			t.Errorf("me: %s", me.Body)
		}
		e.req("viewer", "GET", "/api/v1/users/me", nil, "X-Test-Scope", "read").want(http.StatusOK)

		// Admin creates users, with or without a password, which never shows.
		r := e.req("admin", "POST", "/api/v1/users", map[string]any{"email": "New@Example.com", "name": "New", "role": "staff", "password": "long enough"}).want(http.StatusCreated)
		u := r.JSON()
		if u["email"] != "new@example.com" || u["language"] != "en" || u["active"] != true || strings.Contains(string(r.Body), "password") {
			t.Errorf("created user: %s", r.Body)
		}
		e.create("admin", "/api/v1/users", map[string]any{"email": "nopw@example.com", "name": "No Password", "role": "viewer", "language": "fi"})
		e.req("admin", "POST", "/api/v1/users", map[string]any{"email": "new@example.com", "name": "Again", "role": "staff"}).problem(http.StatusConflict)
		e.req("admin", "POST", "/api/v1/users", map[string]any{"email": "x@example.com", "name": "X", "role": "boss"}).fieldError("role", "invalid")
		e.req("admin", "POST", "/api/v1/users", map[string]any{"email": "x@example.com", "name": "X", "role": "staff", "password": "short"}).fieldError("password", "too_short")
		e.req("admin", "POST", "/api/v1/users", map[string]any{"email": "bad", "name": "X", "role": "staff"}).fieldError("email", "invalid")
		e.req("admin", "POST", "/api/v1/users", map[string]any{"name": "X", "role": "staff"}).fieldError("email", "required")
		e.req("head", "POST", "/api/v1/users", map[string]any{"email": "h@example.com", "name": "H", "role": "staff"}).problem(http.StatusForbidden)

		for q, want := range map[string]int{"": 8, "role=manager": 2, "email=new@example.com": 1, "q=test": 6, "q=password": 1} {
			if got := e.req("viewer", "GET", "/api/v1/users?"+q, nil).want(http.StatusOK).Items(); len(got) != want {
				t.Errorf("users ?%s: %d, want %d", q, len(got), want)
			}
		}
		e.req("staff", "GET", "/api/v1/users/"+u["id"].(string), nil).want(http.StatusOK)

		// Users change their own name and language; only admin the rest.
		self := "/api/v1/users/" + e.users["viewer"].ID
		e.patch("viewer", self, `"1"`, map[string]any{"name": "Vera Viewer", "language": "zh"}).want(http.StatusOK)
		e.patch("viewer", self, `"2"`, map[string]any{"role": "admin"}).problem(http.StatusForbidden)
		e.patch("viewer", "/api/v1/users/"+u["id"].(string), u["version"], map[string]any{"name": "Not Mine"}).problem(http.StatusForbidden)
		e.patch("viewer", self, `"2"`, map[string]any{"language": "xx"}).fieldError("language", "invalid")
		e.patch("viewer", self, `"2"`, map[string]any{"password": "sneaky-new"}).fieldError("password", "unknown_field")
		got := e.patch("admin", "/api/v1/users/"+u["id"].(string), u["version"], map[string]any{"role": "manager", "active": false}).want(http.StatusOK).JSON()
		if got["role"] != "manager" || got["active"] != false {
			t.Errorf("admin update: %v", got)
		}
		if h := e.req("admin", "GET", self+"/history", nil).want(http.StatusOK).Items(); len(h) != 2 {
			t.Errorf("user history: %d entries, want 2", len(h))
		}
		e.req("viewer", "GET", self+"/history", nil).problem(http.StatusForbidden)
	})
}

func TestTokens(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		r := e.req("staff", "POST", "/api/v1/users/me/tokens", map[string]any{"name": "CI", "scope": "read"}, "Idempotency-Key", "t-1").want(http.StatusCreated)
		tok := r.JSON()
		secret, _ := tok["secret"].(string)
		if secret == "" || tok["scope"] != "read" || tok["version"].(float64) != 1 || tok["user_id"] != e.users["staff"].ID {
			t.Fatalf("token: %s", r.Body)
		}
		path := r.Header.Get("Location")
		if path != "/api/v1/users/me/tokens/"+tok["id"].(string) {
			t.Errorf("Location %q", path)
		}
		// A replay answers the same token, but the secret is never stored.
		again := e.req("staff", "POST", "/api/v1/users/me/tokens", map[string]any{"name": "CI", "scope": "read"}, "Idempotency-Key", "t-1").want(http.StatusCreated).JSON()
		if again["id"] != tok["id"] || again["secret"] != nil {
			t.Errorf("replayed token: %v", again)
		}
		// The secret authenticates.
		p, err := e.app.AuthenticateToken(t.Context(), secret)
		if err != nil || p.User.ID != e.users["staff"].ID {
			t.Errorf("token does not authenticate: %v", err)
		}
		list := e.req("staff", "GET", "/api/v1/users/me/tokens", nil).want(http.StatusOK).Items()
		if len(list) != 1 || list[0]["secret"] != nil {
			t.Errorf("tokens: %v", list)
		}
		if got := e.req("viewer", "GET", "/api/v1/users/me/tokens", nil).want(http.StatusOK).Items(); len(got) != 0 {
			t.Errorf("another user's tokens: %v", got)
		}
		g := e.req("staff", "GET", path, nil).want(http.StatusOK)
		if g.JSON()["secret"] != nil || g.Header.Get("ETag") != `"1"` {
			t.Errorf("token GET: %s %s", g.Header, g.Body)
		}
		e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
		e.req("staff", "POST", "/api/v1/users/me/tokens", map[string]any{"scope": "admin"}).fieldError("scope", "invalid")
		e.req("staff", "POST", "/api/v1/users/me/tokens", map[string]any{"name": "x"}).fieldError("scope", "required")
		// A token cannot make tokens.
		e.req("staff", "POST", "/api/v1/users/me/tokens", map[string]any{"scope": "read"}, "X-Test-Via", "token").problem(http.StatusForbidden)

		// Revoking needs If-Match.
		e.req("staff", "DELETE", path, nil).problem(http.StatusPreconditionRequired)
		e.req("staff", "DELETE", path, nil, "If-Match", `"7"`).problem(http.StatusPreconditionFailed)
		e.req("viewer", "DELETE", path, nil, "If-Match", `"1"`).problem(http.StatusNotFound)
		e.req("staff", "DELETE", path, nil, "If-Match", `"1"`).want(http.StatusNoContent)
		if _, err := e.app.AuthenticateToken(t.Context(), secret); err == nil {
			t.Error("revoked token still authenticates")
		}
		g = e.req("staff", "GET", path, nil).want(http.StatusOK)
		if got := g.JSON(); got["version"].(float64) != 2 || got["revoked_at"] == nil {
			t.Errorf("revoked token: %v", got)
		}
	})
}

func TestSegmentsSettingsPortfolio(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		// Segments: admin and head curate, everyone reads.
		var ids []string
		for _, n := range []string{"Municipal", "Company", "Foundation"} {
			ids = append(ids, e.create("head", "/api/v1/segments", map[string]any{"name": n})["id"].(string))
		}
		e.req("manager", "POST", "/api/v1/segments", map[string]any{"name": "X"}).problem(http.StatusForbidden)
		e.req("admin", "POST", "/api/v1/segments", map[string]any{"name": ""}).fieldError("name", "required")
		items := e.req("viewer", "GET", "/api/v1/segments", nil).want(http.StatusOK).Items()
		if len(items) != 3 || items[0]["name"] != "Company" {
			t.Errorf("segments: %v", items)
		}
		var names []string
		cursor := ""
		for range 5 {
			r := e.req("viewer", "GET", "/api/v1/segments?limit=2&sort=-name&cursor="+cursor, nil).want(http.StatusOK).JSON()
			for _, it := range r["items"].([]any) {
				names = append(names, it.(map[string]any)["name"].(string))
			}
			if cursor = r["next_cursor"].(string); cursor == "" {
				break
			}
		}
		if strings.Join(names, ",") != "Municipal,Foundation,Company" {
			t.Errorf("segment pages: %v", names)
		}
		if got := e.req("viewer", "GET", "/api/v1/segments?q=muni", nil).want(http.StatusOK).Items(); len(got) != 1 {
			t.Errorf("segments q: %v", got)
		}
		e.req("viewer", "GET", "/api/v1/segments?cursor=bad", nil).problem(http.StatusBadRequest)
		seg := "/api/v1/segments/" + ids[0]
		e.patch("admin", seg, `"1"`, map[string]any{"description": "Kommuner"}).want(http.StatusOK)
		acc := e.org(map[string]any{"name": "Town", "budget_holder": true, "segment": ids[0], "relationship_manager_id": e.users["manager"].ID})
		e.req("admin", "DELETE", seg, nil, "If-Match", `"2"`).problem(http.StatusConflict)
		e.req("admin", "DELETE", "/api/v1/segments/"+ids[2], nil, "If-Match", `"1"`).want(http.StatusNoContent)
		e.req("viewer", "GET", "/api/v1/segments/"+ids[2], nil).problem(http.StatusNotFound)

		// Portfolio: managers × segments, with gaps.
		pf := e.req("viewer", "GET", "/api/v1/portfolio", nil).want(http.StatusOK).JSON()
		if len(pf["segments"].([]any)) != 2 || len(pf["rows"].([]any)) != 2 || len(pf["gaps"].([]any)) == 0 {
			t.Errorf("portfolio: %v", pf)
		}
		gaps := map[string]bool{}
		for _, g := range pf["gaps"].([]any) {
			g := g.(map[string]any)
			gaps[g["kind"].(string)+":"+str(g["account_id"])+str(g["manager_id"])] = true
		}
		if !gaps["account_without_deputy:"+acc["id"].(string)+e.users["manager"].ID] || !gaps["manager_missing_segment:"+e.users["manager2"].ID] {
			t.Errorf("portfolio gaps: %v", gaps)
		}

		// Settings: everyone reads, admin writes with If-Match.
		s := e.req("viewer", "GET", "/api/v1/settings", nil).want(http.StatusOK)
		tag := s.Header.Get("ETag")
		if s.JSON()["stale_review_months"].(float64) != 12 || !strings.HasPrefix(tag, `"`) {
			t.Fatalf("settings: %s %s", s.Header, s.Body)
		}
		e.req("admin", "PATCH", "/api/v1/settings", map[string]any{"stale_review_months": 6}).problem(http.StatusPreconditionRequired)
		e.patch("head", "/api/v1/settings", tag, map[string]any{"stale_review_months": 6}).problem(http.StatusForbidden)
		e.patch("admin", "/api/v1/settings", tag, map[string]any{"stale_review_months": 0}).fieldError("stale_review_months", "invalid")
		e.patch("admin", "/api/v1/settings", tag, map[string]any{"stale_review_months": "six"}).fieldError("stale_review_months", "invalid")
		e.patch("admin", "/api/v1/settings", tag, map[string]any{"colour": "red"}).fieldError("colour", "unknown_field")
		r := e.patch("admin", "/api/v1/settings", tag, map[string]any{"stale_review_months": 6}).want(http.StatusOK)
		if r.JSON()["stale_review_months"].(float64) != 6 || r.Header.Get("ETag") == tag {
			t.Errorf("saved settings: %s %s", r.Header, r.Body)
		}
		e.patch("admin", "/api/v1/settings", tag, map[string]any{"stale_review_months": 7}).problem(http.StatusPreconditionFailed)
		e.patch("admin", "/api/v1/settings", "*", map[string]any{"stale_review_months": 7}).want(http.StatusOK)
	})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
