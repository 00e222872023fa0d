package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// env is the API on a fresh database of one engine, behind a test
// middleware that signs each request in as the user named by X-Test-As
// (X-Test-Scope: read makes it a read token, X-Test-Via its origin). The
// server's real authentication middleware is tested in internal/server.
type env struct {
	t     testing.TB
	db    *sqlstore.DB
	app   *app.App
	api   *api.API
	h     http.Handler
	users map[string]*liaison.User
	logs  *syncBuffer
}

// test users, by the name X-Test-As takes.
var testUsers = []struct {
	as   string
	role liaison.UserRole
}{
	{"admin", liaison.RoleAdmin},
	{"head", liaison.RoleHead},
	{"manager", liaison.RoleManager},
	{"manager2", liaison.RoleManager},
	{"staff", liaison.RoleStaff},
	{"viewer", liaison.RoleViewer},
}

// run runs fn once per engine with a fresh env.
func run(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		fn(t, newEnv(t, db))
	})
}

func newEnv(t testing.TB, db *sqlstore.DB) *env {
	t.Helper()
	return newEnvStore(t, db, db)
}

// newEnvStore is newEnv with the application on store, a wrapper of db.
func newEnvStore(t testing.TB, db *sqlstore.DB, store liaison.Store) *env {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	a := app.New(store, log)
	e := &env{t: t, db: db, app: a, api: api.New(a, api.Options{Log: log}), users: map[string]*liaison.User{}, logs: logs}
	for _, u := range testUsers {
		user := &liaison.User{Email: u.as + "@example.com", Name: "Test " + u.as, Role: u.role}
		if err := a.CreateUserAsSystem(context.Background(), user, ""); err != nil {
			t.Fatalf("create user %s: %v", u.as, err)
		}
		e.users[u.as] = user
	}
	mux := http.NewServeMux()
	e.api.Register(mux)
	e.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if as := r.Header.Get("X-Test-As"); as != "" {
			u := e.users[as]
			if u == nil {
				t.Fatalf("unknown test user %q", as)
			}
			p := &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "session"}
			if r.Header.Get("X-Test-Scope") == "read" {
				p.Scope = liaison.ScopeRead
			}
			if v := r.Header.Get("X-Test-Via"); v != "" {
				p.Via = v
			}
			if c := r.Header.Get("X-Test-Customer"); c != "" { // a customer-scoped token: an external principal
				p.CustomerID, p.Scope, p.Via = c, liaison.ScopeRead, "token"
			}
			r = r.WithContext(liaison.WithPrincipal(r.Context(), p))
		}
		mux.ServeHTTP(w, r)
	})
	return e
}

// resp is an answer.
type resp struct {
	t      testing.TB
	Code   int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r *resp) JSON() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		r.t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// Items returns the items of a list answer.
func (r *resp) Items() []map[string]any {
	r.t.Helper()
	var p struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"next_cursor"`
	}
	if err := json.Unmarshal(r.Body, &p); err != nil || p.Items == nil || p.NextCursor == nil {
		r.t.Fatalf("not a list answer (items and next_cursor): %v: %s", err, r.Body)
	}
	return p.Items
}

// want fails the test unless the status is code.
func (r *resp) want(code int) *resp {
	r.t.Helper()
	if r.Code != code {
		r.t.Fatalf("status %d, want %d: %s", r.Code, code, r.Body)
	}
	return r
}

// problem checks r is an RFC 9457 problem with status code and returns it.
func (r *resp) problem(code int) map[string]any {
	r.t.Helper()
	r.want(code)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("Content-Type %q, want application/problem+json: %s", ct, r.Body)
	}
	p := r.JSON()
	for _, k := range []string{"type", "title", "status", "detail", "instance", "code"} {
		if _, ok := p[k]; !ok {
			r.t.Fatalf("problem lacks %q: %s", k, r.Body)
		}
	}
	if int(p["status"].(float64)) != code {
		r.t.Fatalf("problem status %v, want %d", p["status"], code)
	}
	return p
}

// fieldError checks r is a 422 problem naming field with code.
func (r *resp) fieldError(field, code string) {
	r.t.Helper()
	p := r.problem(http.StatusUnprocessableEntity)
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		if m["field"] == field && m["code"] == code && m["message"] != "" {
			return
		}
	}
	r.t.Fatalf("no error {field: %q, code: %q}: %s", field, code, r.Body)
}

// req makes a request as the user as ("" for anonymous). body is sent as
// is when it is a string or []byte, else as JSON. hdr are name, value pairs.
func (e *env) req(as, method, path string, body any, hdr ...string) *resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	r := httptest.NewRequest(method, path, rd)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		r.Header.Set("X-Test-As", as)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return &resp{t: e.t, Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// create POSTs body as as, wants 201 and returns the resource.
func (e *env) create(as, path string, body any) map[string]any {
	e.t.Helper()
	return e.req(as, "POST", path, body).want(http.StatusCreated).JSON()
}

// patch PATCHes a merge patch with If-Match of the resource's version.
func (e *env) patch(as, path string, version any, body any) *resp {
	e.t.Helper()
	return e.req(as, "PATCH", path, body, "If-Match", etagOf(version), "Content-Type", "application/merge-patch+json")
}

func etagOf(version any) string {
	switch v := version.(type) {
	case float64:
		return `"` + strings.TrimSuffix(strings.TrimSuffix(jsonNum(v), ".0"), ".") + `"`
	case string:
		return v
	}
	return `"` + jsonNum(version) + `"`
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// createdAt POSTs body to the collection path as as, wants 201 with the
// new resource's Location below path and the ETag of its first version,
// and returns the resource.
func (e *env) createdAt(as, path string, body any, hdr ...string) map[string]any {
	e.t.Helper()
	r := e.req(as, "POST", path, body, hdr...).want(http.StatusCreated)
	m := r.JSON()
	id, _ := m["id"].(string)
	if id == "" || r.Header.Get("Location") != path+"/"+id || r.Header.Get("ETag") != `"1"` || m["version"] != 1.0 {
		e.t.Fatalf("POST %s: Location %q, ETag %q: %s", path, r.Header.Get("Location"), r.Header.Get("ETag"), r.Body)
	}
	return m
}

// trash DELETEs the record at path as as, which must need If-Match (428
// without, 412 with a tag of the next version) and then answer 204 for
// the version it is at; the record then reads 404.
func (e *env) trash(as, path string, version int) {
	e.t.Helper()
	e.req(as, "DELETE", path, nil).problem(http.StatusPreconditionRequired)
	e.req(as, "DELETE", path, nil, "If-Match", etagOf(version+1)).problem(http.StatusPreconditionFailed)
	e.req(as, "DELETE", path, nil, "If-Match", etagOf(version)).want(http.StatusNoContent)
	e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
}

// pages follows next_cursor from path (which may carry a query) as as and
// returns every item and how many pages held them.
func (e *env) pages(as, path string) ([]map[string]any, int) {
	e.t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var all []map[string]any
	cursor := ""
	for n := 1; ; n++ {
		r := e.req(as, "GET", path+sep+"cursor="+urlQuery(cursor), nil).want(http.StatusOK)
		var p struct {
			Items      []map[string]any `json:"items"`
			NextCursor string           `json:"next_cursor"`
		}
		mustUnmarshal(e.t, r.Body, &p)
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			return all, n
		}
		if len(p.Items) == 0 || n > 100 {
			e.t.Fatalf("GET %s: page %d has %d items and a next cursor", path, n, len(p.Items))
		}
		cursor = p.NextCursor
	}
}

// column is the field key of each item, joined by commas.
func column(items []map[string]any, key string) string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(it[key]))
	}
	return strings.Join(out, ",")
}

// history is the action of each entry of a record's audit trail, newest first.
func (e *env) history(path string) string {
	e.t.Helper()
	items, _ := e.pages("viewer", path+"/history")
	return column(items, "action")
}

// mailTo is the outbox's messages to the address, newest first.
func (e *env) mailTo(addr string) []*liaison.MailMessage {
	e.t.Helper()
	msgs, err := e.db.FindMail(context.Background(), liaison.MailFilter{To: addr})
	if err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// org creates an organisation unit as admin.
func (e *env) org(body map[string]any) map[string]any {
	e.t.Helper()
	return e.create("admin", "/api/v1/organisations", body)
}

// syncBuffer is a log sink tests can read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func mustUnmarshal(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
}

func urlQuery(s string) string { return url.QueryEscape(s) }
