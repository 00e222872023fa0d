package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
	r := e.req("", "GET", "/api/openapi.json", nil).want(http.StatusOK)
	rec := httptest.NewRecorder()
	e.api.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != string(r.Body) {
		t.Errorf("Handler serves another document: %d", rec.Code)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	mustUnmarshal(t, r.Body, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	for _, rt := range e.api.Routes() {
		if !strings.HasPrefix(rt.Pattern, api.BasePath+"/") || rt.Method == "" {
			continue
		}
		if _, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s is not in the document", rt.Key())
		}
	}
	for _, p := range []string{"/api/v1/organisations", "/api/v1/organisations/{id}", "/api/v1/people", "/api/v1/roles",
		"/api/v1/users", "/api/v1/users/me", "/api/v1/segments", "/api/v1/settings", "/api/v1/users/me/tokens",
		"/api/v1/organisations/{id}/timeline", "/api/v1/portfolio"} {
		if doc.Paths[p] == nil {
			t.Errorf("path %s missing", p)
		}
	}
	// The document and the docs need no sign-in and load nothing from elsewhere.
	page := e.req("", "GET", "/api/docs", nil).want(http.StatusOK)
	if !strings.Contains(string(page.Body), "swagger-ui") || strings.Contains(string(page.Body), "https://") {
		t.Errorf("docs page: %s", page.Body)
	}
	for _, f := range []string{"/api/docs/vendor/swagger-ui-bundle.js", "/api/docs/vendor/swagger-ui.css", "/api/docs/init.js"} {
		if r := e.req("", "GET", f, nil).want(http.StatusOK); len(r.Body) == 0 {
			t.Errorf("%s is empty", f)
		}
	}
	if r := e.req("", "GET", "/api/docs/", nil); r.Code != http.StatusMovedPermanently {
		t.Errorf("/api/docs/: %d", r.Code)
	}
	e.req("", "GET", "/api/docs/nope.js", nil).want(http.StatusNotFound)
}

// TestRouteAccess walks Routes(): every route refuses the anonymous with
// 401 and a principal without its access with 403, before reading the
// request, and the routes Routes() lists are the ones registered.
func TestRouteAccess(t *testing.T) {
	e := newEnv(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
	roles := []string{"admin", "head", "manager", "staff", "viewer"}
	seen := map[string]bool{}
	for _, rt := range e.api.Routes() {
		if seen[rt.Key()] {
			t.Errorf("%s listed twice", rt.Key())
		}
		seen[rt.Key()] = true
		method := rt.Method
		if method == "" {
			method = "PUT"
		}
		path := strings.NewReplacer("{id}", "x", "{file...}", "init.js").Replace(rt.Pattern)
		if strings.HasSuffix(path, "/") {
			path += "nothing/here"
		}
		t.Run(rt.Key(), func(t *testing.T) {
			e.t = t
			// A body too big and malformed: access is checked first.
			body := `{"name": "` + strings.Repeat("x", 2<<20)
			anon := e.req("", method, path, body)
			if rt.Access == liaison.AccessPublic {
				if anon.Code == http.StatusUnauthorized || anon.Code == http.StatusForbidden {
					t.Errorf("public route answered %d", anon.Code)
				}
				return
			}
			anon.problem(http.StatusUnauthorized)
			if anon.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			for _, as := range roles {
				for _, scope := range []liaison.Scope{liaison.ScopeWrite, liaison.ScopeRead} {
					p := &liaison.Principal{User: e.users[as], Scope: scope}
					r := e.req(as, method, path, body, "X-Test-Scope", string(scope))
					if p.Allows(rt.Access) {
						if r.Code == http.StatusUnauthorized || r.Code == http.StatusForbidden {
							t.Errorf("%s (%s) refused: %d %s", as, scope, r.Code, r.Body)
						}
					} else {
						r.problem(http.StatusForbidden)
					}
				}
			}
		})
	}
	e.t = t
	// Under /api/v1, an unknown path or method answers a problem too.
	e.req("", "PUT", "/api/v1/organisations", nil).problem(http.StatusUnauthorized)
	r := e.req("viewer", "PUT", "/api/v1/organisations/x", nil)
	r.problem(http.StatusMethodNotAllowed)
	if got := r.Header.Get("Allow"); got != "GET, PATCH, DELETE" {
		t.Errorf("Allow %q", got)
	}
	e.req("viewer", "GET", "/api/v1/nothing", nil).problem(http.StatusNotFound)
}

func TestIdempotentCreate(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		body := map[string]any{"name": "Once", "description": "only once"}
		first := e.req("admin", "POST", "/api/v1/organisations", body, "Idempotency-Key", "k-1").want(http.StatusCreated)
		// Same key, same body (spaced otherwise): the same 201 and resource.
		again := e.req("admin", "POST", "/api/v1/organisations", `{ "description":"only once",  "name":"Once" }`, "Idempotency-Key", "k-1").want(http.StatusCreated)
		if string(first.Body) != string(again.Body) {
			t.Errorf("replay differs:\n%s\n%s", first.Body, again.Body)
		}
		for _, h := range []string{"Location", "ETag"} {
			if first.Header.Get(h) != again.Header.Get(h) || first.Header.Get(h) == "" {
				t.Errorf("%s: %q then %q", h, first.Header.Get(h), again.Header.Get(h))
			}
		}
		if again.Header.Get("Idempotent-Replayed") != "true" || first.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("Idempotent-Replayed: %q then %q", first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
		}
		// Same key, another body or route: 409.
		e.req("admin", "POST", "/api/v1/organisations", map[string]any{"name": "Twice"}, "Idempotency-Key", "k-1").problem(http.StatusConflict)
		e.req("admin", "POST", "/api/v1/segments", map[string]any{"name": "Once"}, "Idempotency-Key", "k-1").problem(http.StatusConflict)
		// Keys are per user; without a key every POST creates.
		e.req("head", "POST", "/api/v1/organisations", body, "Idempotency-Key", "k-1").want(http.StatusCreated)
		e.req("admin", "POST", "/api/v1/organisations", body).want(http.StatusCreated)
		if n := len(e.req("admin", "GET", "/api/v1/organisations?q=once", nil).want(http.StatusOK).Items()); n != 3 {
			t.Errorf("%d units named Once, want 3", n)
		}
		// A failed create is not remembered: the retry of a fixed body works.
		e.req("admin", "POST", "/api/v1/organisations", map[string]any{"name": ""}, "Idempotency-Key", "k-2").fieldError("name", "required")
		e.req("admin", "POST", "/api/v1/organisations", map[string]any{"name": ""}, "Idempotency-Key", "k-2").fieldError("name", "required")
		e.req("admin", "POST", "/api/v1/people", map[string]any{"name": "P", "organisation_id": first.JSON()["id"]}, "Idempotency-Key", "k-3").want(http.StatusCreated)
		e.req("admin", "POST", "/api/v1/people", map[string]any{"name": "P", "organisation_id": first.JSON()["id"]}, "Idempotency-Key", "k-3").want(http.StatusCreated)
		if n := len(e.req("admin", "GET", "/api/v1/people", nil).want(http.StatusOK).Items()); n != 1 {
			t.Errorf("%d people, want 1", n)
		}
		e.req("admin", "POST", "/api/v1/organisations", body, "Idempotency-Key", strings.Repeat("k", 256)).fieldError("Idempotency-Key", "too_long")
	})
}

// answerLost is a store whose SaveIdempotent never happens, as when the
// server dies between a create's commit and saving its answer.
type answerLost struct{ *sqlstore.DB }

func (answerLost) SaveIdempotent(context.Context, *liaison.IdempotentResponse) error {
	return errors.New("killed before the answer was saved")
}

// TestIdempotentCreateCutOff: the key commits with the record, so a retry
// after a crash between the commit and the answer replays the record
// instead of creating it again.
func TestIdempotentCreateCutOff(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvStore(t, db, answerLost{db})
		body := map[string]any{"name": "Cut off"}
		for _, route := range []string{"/api/v1/segments", "/api/v1/organisations"} {
			first := e.req("admin", "POST", route, body, "Idempotency-Key", "cut-"+route).want(http.StatusCreated)
			again := e.req("admin", "POST", route, body, "Idempotency-Key", "cut-"+route).want(http.StatusCreated)
			if again.Header.Get("Idempotent-Replayed") != "true" || again.Header.Get("Location") != first.Header.Get("Location") ||
				again.Header.Get("ETag") != first.Header.Get("ETag") || again.JSON()["id"] != first.JSON()["id"] {
				t.Errorf("%s: retry answered %s %v, first %s", route, again.Header, again.JSON(), first.Header)
			}
			if !strings.HasPrefix(first.Header.Get("Location"), route+"/") {
				t.Errorf("Location %q", first.Header.Get("Location"))
			}
			if n := len(e.req("admin", "GET", route+"?q=cut", nil).want(http.StatusOK).Items()); n != 1 {
				t.Errorf("%s: %d records after the retry, want 1", route, n)
			}
			e.req("admin", "POST", route, map[string]any{"name": "Other"}, "Idempotency-Key", "cut-"+route).problem(http.StatusConflict)
		}
		if !strings.Contains(e.logs.String(), "idempotency answer not saved") {
			t.Errorf("the lost answer was not logged: %s", e.logs.String())
		}
	})
}

// TestClientGone: a request whose client has gone answers 499 and is not
// logged as an internal error.
func TestClientGone(t *testing.T) {
	e := newEnv(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/organisations", nil).WithContext(ctx)
	r.Header.Set("X-Test-As", "admin")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	if rec.Code != 499 {
		t.Errorf("status %d, want 499: %s", rec.Code, rec.Body)
	}
	if strings.Contains(e.logs.String(), "internal error") {
		t.Errorf("logged as an internal error: %s", e.logs.String())
	}
}

func TestInternalErrorsAreHidden(t *testing.T) {
	e := newEnv(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
	e.db.Close()
	p := e.req("admin", "GET", "/api/v1/organisations/x", nil).problem(http.StatusInternalServerError)
	if p["detail"] != "Internal error." || strings.Contains(fmt.Sprint(p), "closed") {
		t.Errorf("500 problem leaks: %v", p)
	}
	if !strings.Contains(e.logs.String(), "closed") || !strings.Contains(e.logs.String(), "/api/v1/organisations/x") {
		t.Errorf("the cause was not logged: %s", e.logs.String())
	}
}

// TestMergePatchRFC7396 runs the examples of RFC 7396 appendix A.
func TestMergePatchRFC7396(t *testing.T) {
	tests := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
	}
	for _, tt := range tests {
		var target, patch, want any
		mustUnmarshal(t, []byte(tt.target), &target)
		mustUnmarshal(t, []byte(tt.patch), &patch)
		mustUnmarshal(t, []byte(tt.want), &want)
		if got := api.MergePatch(target, patch); !reflect.DeepEqual(got, want) {
			t.Errorf("MergePatch(%s, %s) = %v, want %s", tt.target, tt.patch, got, tt.want)
		}
	}
}
