package web_test

// FuzzForms posts random forms to the UI's form handlers through the real
// server stack (middleware, authentication by session cookie, the web UI,
// the service layer, a real store holding the demo) as the demo admin, and
// checks what every answer must be:
//
//   - never a 5xx (the server's recovery turns a panic into one);
//   - a refused form (4xx) wrote nothing: every table's row count and
//     version sum, the trash, the settings and the audit trail unchanged;
//   - a redirect stays on this site (no open redirect through next);
//   - typed HTML comes back escaped: no "<xss" of the input reaches a page.
//
// Forms name the demo's records by placeholder ({account}, {person}…) and
// {version} stands for the target record's current version. The seeds in
// testdata/fuzz/FuzzForms run as ordinary tests on SQLite;
// TestFormCorpusPostgres replays them on PostgreSQL.
//
//	go test -run '^$' -fuzz '^FuzzForms$' -fuzztime 1m ./internal/web

import (
	"context"
	"database/sql"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/auth"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

type formWorld struct {
	h       http.Handler
	app     *app.App
	raw     *sql.DB
	session string
	ids     map[string]string
	fill    func(string) string
	sys     context.Context
}

func newFormWorld(tb testing.TB, engine string) *formWorld {
	tb.Helper()
	ctx := context.Background()
	dsn := sqlstoretest.DSN(tb, engine)
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	var raw *sql.DB
	if engine == sqlstoretest.SQLite {
		raw, err = sql.Open("sqlite", dsn+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	} else {
		raw, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	log := slog.New(slog.DiscardHandler)
	a := app.New(db, log)
	if _, err := demo.Load(ctx, a); err != nil {
		tb.Fatal(err)
	}
	w := &formWorld{app: a, raw: raw, ids: map[string]string{},
		h: server.New(a, server.Options{Log: log}, web.New(a, web.Options{Log: log}))}
	if w.session, _, err = a.SignIn(ctx, demo.AdminEmail, demo.AdminPassword, "fuzz"); err != nil {
		tb.Fatal(err)
	}
	w.sys = liaison.WithPrincipal(ctx, &liaison.Principal{User: &liaison.User{ID: "x", Role: liaison.RoleAdmin, Active: true}, Scope: liaison.ScopeWrite})
	yes := true
	accounts, _, err := a.Organisations(w.sys, liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 500})
	if err != nil {
		tb.Fatal(err)
	}
	for _, o := range accounts {
		if o.RelationshipManagerID != nil && o.Segment != "" {
			w.ids["account"], w.ids["manager"], w.ids["segment"] = o.ID, *o.RelationshipManagerID, o.Segment
			break
		}
	}
	tree, _ := a.Tree(w.sys)
	for _, o := range tree {
		if o.ParentID != nil && *o.ParentID == w.ids["account"] {
			w.ids["child"] = o.ID
		}
	}
	roles, _, _ := a.Roles(w.sys, liaison.RoleFilter{OrganisationID: w.ids["account"]})
	w.ids["role"], w.ids["person"] = roles[0].ID, roles[0].PersonID
	var pairs []string
	for k, v := range w.ids {
		pairs = append(pairs, "{"+k+"}", v)
	}
	w.fill = strings.NewReplacer(pairs...).Replace
	return w
}

// formTargets are the form handlers, by the kind a fuzz input picks.
var formTargets = []string{
	"/organisations", "/organisations/{account}", "/people", "/people/{person}",
	"/organisations/{account}/roles", "/people/{person}/roles", "/roles/{role}", "/roles/{role}/end",
	"/admin/segments", "/admin/segments/{segment}", "/settings/tokens", "/settings/language", "/settings/theme", "/login",
}

// version is the current version of the record a form targets, "" when none.
func (w *formWorld) version(t testing.TB, path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return ""
	}
	var v int
	var err error
	switch id := parts[len(parts)-1]; {
	case parts[0] == "organisations" && len(parts) == 2:
		var o *liaison.Organisation
		if o, err = w.app.Organisation(w.sys, id); err == nil {
			v = o.Version
		}
	case parts[0] == "people" && len(parts) == 2:
		var p *liaison.Person
		if p, err = w.app.Person(w.sys, id); err == nil {
			v = p.Version
		}
	case parts[0] == "roles":
		var r *liaison.ContactRole
		if r, err = w.app.Role(w.sys, parts[1]); err == nil {
			v = r.Version
		}
	case parts[0] == "admin" && len(parts) == 3:
		var s *liaison.Segment
		if s, err = w.app.Segment(w.sys, id); err == nil {
			v = s.Version
		}
	default:
		return ""
	}
	if err != nil {
		t.Fatalf("version of %s: %v", path, err)
	}
	return strconv.Itoa(v)
}

func (w *formWorld) snapshot(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT COUNT(*), COALESCE(SUM(version), 0), COUNT(deleted_at) FROM organisations",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), COUNT(deleted_at) FROM people",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), SUM(CASE WHEN active THEN 1 ELSE 0 END) FROM contact_roles",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), 0 FROM segments",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), 0 FROM users",
		"SELECT COUNT(*), COUNT(revoked_at), 0 FROM tokens",
		"SELECT COUNT(*), 0, 0 FROM audit_entries",
		"SELECT COUNT(*), COALESCE(MAX(CAST(value AS TEXT)), ''), 0 FROM settings",
	} {
		var a, c, d any
		if err := w.raw.QueryRow(q).Scan(&a, &c, &d); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%v/%s/%v ", a, c, d)
	}
	return b.String()
}

func FuzzForms(f *testing.F) {
	w := newFormWorld(f, sqlstoretest.SQLite)
	f.Fuzz(func(t *testing.T, kind uint8, form string) { w.post(t, kind, form) })
}

func (w *formWorld) post(t testing.TB, kind uint8, form string) {
	path := w.fill(formTargets[int(kind)%len(formTargets)])
	form = strings.ReplaceAll(w.fill(form), "{version}", w.version(t, path))
	r := httptest.NewRequest("POST", path, strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: w.session})
	before := w.snapshot(t)
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	what := fmt.Sprintf("POST %s %.300q", path, form)
	if res.StatusCode >= 500 {
		t.Fatalf("%s: %d\n%.2000s", what, res.StatusCode, body)
	}
	if res.StatusCode >= 400 {
		if after := w.snapshot(t); after != before {
			t.Fatalf("%s answered %d but wrote:\nbefore %s\nafter  %s", what, res.StatusCode, before, after)
		}
	}
	for _, loc := range []string{res.Header.Get("Location"), res.Header.Get("HX-Location")} {
		if loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) || strings.ContainsAny(loc, "\r\n")) {
			t.Fatalf("%s: redirects off the site to %q", what, loc)
		}
	}
	if len(body) > 0 && !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%s: %d answered %q", what, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if i := strings.Index(strings.ToLower(string(body)), "<xss"); i >= 0 {
		t.Fatalf("%s: unescaped input in the page: …%s…", what, body[max(0, i-200):min(len(body), i+200)])
	}
}

// TestFormCorpusPostgres replays FuzzForms' seeds on PostgreSQL.
func TestFormCorpusPostgres(t *testing.T) {
	w := newFormWorld(t, sqlstoretest.Postgres)
	seeds := readCorpus(t, "FuzzForms")
	for _, name := range slices.Sorted(maps.Keys(seeds)) {
		args := seeds[name]
		t.Run(name, func(t *testing.T) { w.post(t, args[0].(uint8), args[1].(string)) })
	}
}

// readCorpus reads the seed files of a fuzz target ("go test fuzz v1").
func readCorpus(t *testing.T, target string) map[string][]any {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]any{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		args, err := parseCorpusFile(string(b))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[e.Name()] = args
	}
	if len(out) == 0 {
		t.Fatalf("no seeds in %s", dir)
	}
	return out
}

func parseCorpusFile(s string) ([]any, error) {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a corpus file")
	}
	var args []any
	for _, line := range lines[1:] {
		e, err := parser.ParseExpr(line)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", line, err)
		}
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return nil, fmt.Errorf("%q: not a conversion", line)
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		fn, _ := call.Fun.(*ast.Ident)
		if !ok || fn == nil {
			return nil, fmt.Errorf("%q: not a literal conversion", line)
		}
		switch {
		case fn.Name == "string":
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			args = append(args, v)
		case (fn.Name == "byte" || fn.Name == "uint8") && lit.Kind == token.CHAR:
			v, _, _, err := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			args = append(args, uint8(v))
		case fn.Name == "byte" || fn.Name == "uint8":
			v, err := strconv.ParseUint(lit.Value, 0, 8)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			args = append(args, uint8(v))
		default:
			return nil, fmt.Errorf("%q: unsupported type %s", line, fn.Name)
		}
	}
	return args, nil
}
