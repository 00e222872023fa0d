package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

// env is a running Liaison (server middleware and web UI) on a demo database.
type env struct {
	t   *testing.T
	srv *httptest.Server
	app *app.App
	db  *sqlstore.DB
}

func TestMain(m *testing.M) { sqlstoretest.Main(m) }

// newEnv starts Liaison on a copy of the demo database on engine.
func newEnv(t *testing.T, engine string) *env {
	t.Helper()
	db := sqlstoretest.OpenSeeded(t, engine, "demo", loadDemo)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, log)
	h := server.New(a, server.Options{Log: log}, web.New(a, web.Options{Log: log}))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, app: a, db: db}
}

// loadDemo fills the demo template (sqlstoretest.OpenSeeded) once per
// engine; every env gets a copy.
func loadDemo(ctx context.Context, db *sqlstore.DB) error {
	_, err := demo.Load(ctx, app.New(db, slog.New(slog.DiscardHandler)))
	return err
}

// eachEngine runs fn as one subtest per engine, each on its own copy of
// the demo database.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) { fn(t, newEnv(t, engine)) })
	}
}

// client is a browser: a cookie jar, no redirects followed.
type client struct {
	e    *env
	http *http.Client
	lang string // Accept-Language
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (e *env) signedIn(email, password string) *client {
	c := e.client()
	res, body := c.post("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: %d\n%s", email, res.StatusCode, body)
	}
	return c
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) setLanguage(lang liaison.Language) {
	c.e.t.Helper()
	if res, body := c.post("/settings/language", url.Values{"lang": {string(lang)}, "next": {"/"}}); res.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("set language: %d %s", res.StatusCode, body)
	}
}

// leak finds what must never reach a page: untranslated keys, fmt errors
// and template errors.
var leak = regexp.MustCompile(`(?:^|[\s>"(])((?:a11y|account|accounts|audit|common|customer_kind|error|errorpage|field|flash|form|history|home|login|menu|nav|person|portfolio|role|role_kind|scope|search|segment|segments|shortcuts|theme|time|timeline|tokens|trash|tree|unit|user_role|users|warning)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])|%!|EXTRA|MISSING|<no value>|ZgotmplZ`)

// text strips tags, scripts and attributes that legitimately hold keys-like
// strings (none should), leaving what people read plus attribute values.
func checkPage(t *testing.T, path, body string, lang liaison.Language) {
	t.Helper()
	if want := fmt.Sprintf(`<html lang="%s"`, lang); !strings.Contains(body, want) {
		t.Errorf("%s: no %s", path, want)
	}
	if m := leak.FindStringSubmatch(body); m != nil {
		i := strings.Index(body, m[0])
		lo, hi := max(0, i-120), min(len(body), i+120)
		t.Errorf("%s (%s): leaked %q near …%s…", path, lang, m[0], body[lo:hi])
	}
}

// ids finds records of the demo to visit.
type ids struct {
	account, leaf, person, role, segment, manager string
}

func (e *env) ids() ids {
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: &liaison.User{ID: "x", Role: liaison.RoleAdmin, Active: true}, Scope: liaison.ScopeWrite})
	var r ids
	yes := true
	accounts, _, err := e.app.Organisations(ctx, liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 50})
	if err != nil || len(accounts) == 0 {
		e.t.Fatalf("accounts: %v", err)
	}
	for _, a := range accounts {
		if a.RelationshipManagerID != nil && a.Segment != "" {
			r.account, r.manager, r.segment = a.ID, *a.RelationshipManagerID, a.Segment
			break
		}
	}
	tree, _ := e.app.Tree(ctx)
	parents := map[string]bool{}
	for _, o := range tree {
		if o.ParentID != nil {
			parents[*o.ParentID] = true
		}
	}
	for _, o := range tree {
		if !parents[o.ID] && !o.BudgetHolder {
			r.leaf = o.ID
		}
	}
	roles, _, _ := e.app.Roles(ctx, liaison.RoleFilter{Limit: 1})
	r.role, r.person = roles[0].ID, roles[0].PersonID
	return r
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r ids) pages() []string {
	return []string{
		"/", "/accounts", "/accounts?q=norr&sort=-name", "/accounts?segment=" + r.segment + "&manager=" + r.manager,
		"/accounts?q=zzzzzz", "/organisations", "/organisations/new", "/organisations/new?parent=" + r.account,
		"/organisations/" + r.account, "/organisations/" + r.account + "/structure", "/organisations/" + r.account + "/people",
		"/organisations/" + r.account + "/timeline", "/organisations/" + r.account + "/history", "/organisations/" + r.account + "/edit",
		"/organisations/" + r.leaf, "/organisations/" + r.leaf + "/delete", "/organisations/" + r.account + "/roles/new",
		"/people/new?organisation=" + r.account, "/people/" + r.person, "/people/" + r.person + "/history",
		"/people/" + r.person + "/edit", "/people/" + r.person + "/roles/new", "/roles/" + r.role + "/edit",
		"/portfolio", "/portfolio?manager=" + r.manager + "&segment=" + r.segment, "/portfolio?manager=" + r.manager + "&segment=none",
		"/search", "/search?q=norr", "/search?q=qqqqqq", "/search?q=norr&kind=person", "/settings/tokens", "/admin/trash", "/admin/segments",
		"/admin/segments/new", "/admin/segments/" + r.segment + "/edit", "/admin/users",
		"/admin/jobs", "/notifications", "/notifications?show=unread",
	}
}

// TestEveryPageInEveryLanguage renders each page of the UI in each
// language, on every engine: 200, the right <html lang>, no leaked key.
func TestEveryPageInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := e.ids()
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range r.pages() {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
					continue
				}
				checkPage(t, p, body, lang)
			}
			res, body := c.get("/no/such/page")
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("404 page: %d", res.StatusCode)
			}
			checkPage(t, "/no/such/page", body, lang)
			if want := i18n.For(lang).T("errorpage.404.title"); !strings.Contains(body, want) {
				t.Errorf("%s: 404 page lacks %q", lang, want)
			}
		}
	})
}

func TestAnonymous(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	c := e.client()
	res, _ := c.get("/accounts?q=x")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape("/accounts?q=x") {
		t.Fatalf("anonymous /accounts: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	c.lang = "sv-SE,sv;q=0.9"
	res, body := c.get("/login")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d", res.StatusCode)
	}
	checkPage(t, "/login", body, liaison.Swedish)
	c.post("/settings/language", url.Values{"lang": {"fi"}, "next": {"/login"}})
	_, body = c.get("/login")
	checkPage(t, "/login (cookie fi)", body, liaison.Finnish)
	res, body = c.get("/nothing-here")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("anonymous 404: %d", res.StatusCode)
	}
	checkPage(t, "/nothing-here", body, liaison.Finnish)
	res, _ = c.post("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSignIn(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	c := e.client()
	c.lang = "zh-CN"
	res, body := c.post("/login", url.Values{"email": {demo.ManagerEmail}, "password": {"wrong"}, "next": {"/portfolio"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	checkPage(t, "failed sign-in", body, liaison.Chinese)
	if !strings.Contains(body, `value="`+demo.ManagerEmail+`"`) {
		t.Error("the email was not kept")
	}
	if !strings.Contains(body, i18n.For(liaison.Chinese).T("login.failed")) {
		t.Error("no translated error")
	}
	res, _ = c.post("/login", url.Values{"email": {demo.ManagerEmail}, "password": {demo.Password}, "next": {"/portfolio"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/portfolio" {
		t.Fatalf("sign in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The user's own language wins over Accept-Language.
	u, err := e.db.FindUserByEmail(context.Background(), demo.ManagerEmail)
	if err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/portfolio")
	checkPage(t, "/portfolio", body, u.Language)
	// An open redirect is refused.
	c2 := e.client()
	res, _ = c2.post("/login", url.Values{"email": {demo.ManagerEmail}, "password": {demo.Password}, "next": {"//evil.example/x"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("next=//evil: Location %q", loc)
	}
	res, _ = c.post("/logout", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res, _ = c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout: %d", res.StatusCode)
	}
}

func TestSignInThrottled(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	e.app.MaxLoginFailures = 2
	c := e.client()
	c.lang = "fi"
	for i := 0; i < 2; i++ {
		c.post("/login", url.Values{"email": {demo.ManagerEmail}, "password": {"nope"}})
	}
	res, body := c.post("/login", url.Values{"email": {demo.ManagerEmail}, "password": {demo.Password}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("throttled: %d", res.StatusCode)
	}
	if !strings.Contains(body, i18n.For(liaison.Finnish).T("login.throttled")) {
		t.Error("no translated throttling message")
	}
}

// TestFormValidation: a rejected form comes back with the errors in the
// user's language next to the fields, and everything typed kept.
func TestFormValidation(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.Swedish)
	sv := i18n.For(liaison.Swedish)

	res, body := c.post("/organisations", url.Values{"name": {"  "}, "description": {"Beskrivning <som> ska finnas kvar"},
		"parent_id": {r.account}, "last_reviewed_on": {"31/12/2026"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid unit: %d", res.StatusCode)
	}
	checkPage(t, "invalid unit", body, liaison.Swedish)
	for _, want := range []string{sv.T("error.required"), sv.T("error.date_invalid"), sv.T("form.has_errors"),
		"Beskrivning &lt;som&gt; ska finnas kvar", `value="31/12/2026"`, `aria-invalid="true"`, `id="f-name-error"`} {
		if !strings.Contains(body, want) {
			t.Errorf("invalid unit page lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<option value="` + r.account + `" selected>`).MatchString(body) {
		t.Error("the chosen parent was not kept")
	}

	// Role "other" without a label.
	res, body = c.post("/organisations/"+r.account+"/roles", url.Values{"person_id": {r.person}, "role": {"other"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, sv.T("error.label_required")) {
		t.Errorf("role without label: %d", res.StatusCode)
	}

	// A stale save says someone else changed the record, and keeps the input.
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: &liaison.User{ID: "x", Role: liaison.RoleAdmin, Active: true}, Scope: liaison.ScopeWrite})
	o, err := e.app.Organisation(ctx, r.account)
	if err != nil {
		t.Fatal(err)
	}
	old := o.Version
	o.Description = "changed meanwhile"
	if err := e.app.UpdateOrganisation(ctx, o, old); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"name": {"Mitt nya namn"}, "version": {fmt.Sprint(old)}, "parent_id": {deref(o.ParentID)}, "budget_holder": {"1"},
		"segment": {o.Segment}, "relationship_manager_id": {deref(o.RelationshipManagerID)}, "deputy_id": {deref(o.DeputyID)},
		"last_reviewed_on": {deref(o.LastReviewedOn)}, "external_id": {o.ExternalID}}
	res, body = c.post("/organisations/"+r.account, form)
	if res.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("stale save: %d", res.StatusCode)
	}
	for _, want := range []string{sv.T("form.stale.title"), `value="Mitt nya namn"`, fmt.Sprintf(`name="version" value="%d"`, old+1)} {
		if !strings.Contains(body, want) {
			t.Errorf("stale page lacks %q", want)
		}
	}
	// Saving again, knowingly, works and lands on the unit with a notice.
	form.Set("version", fmt.Sprint(old+1))
	res, _ = c.post("/organisations/"+r.account, form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save: %d", res.StatusCode)
	}
	_, body = c.get(res.Header.Get("Location"))
	if !strings.Contains(body, "Mitt nya namn") || !strings.Contains(body, sv.T("flash.saved")) {
		t.Error("saved unit page lacks the new name or the notice")
	}
}

// TestCreateFlow walks the main writes: unit, person, role, end role,
// token, delete and restore.
func TestCreateFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	res, body := c.post("/organisations", url.Values{"name": {"Testenheten"}, "parent_id": {r.account}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create unit: %d %s", res.StatusCode, body)
	}
	unit := strings.TrimPrefix(res.Header.Get("Location"), "/organisations/")
	res, body = c.post("/people", url.Values{"name": {"Tess Test"}, "organisation_id": {unit}, "language": {"sv"}, "email": {"tess@example.org"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create person: %d %s", res.StatusCode, body)
	}
	person := strings.TrimPrefix(res.Header.Get("Location"), "/people/")
	res, body = c.post("/organisations/"+unit+"/roles", url.Values{"person_id": {person}, "role": {"orderer"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create role: %d %s", res.StatusCode, body)
	}
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: &liaison.User{ID: "x", Role: liaison.RoleAdmin, Active: true}, Scope: liaison.ScopeWrite})
	roles, _, _ := e.app.Roles(ctx, liaison.RoleFilter{PersonID: person})
	if len(roles) != 1 || !roles[0].Active {
		t.Fatalf("roles = %+v", roles)
	}
	if res, _ = c.post("/roles/"+roles[0].ID+"/end", url.Values{"version": {fmt.Sprint(roles[0].Version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end role: %d", res.StatusCode)
	}
	if ro, _ := e.app.Role(ctx, roles[0].ID); ro.Active {
		t.Fatal("role still active")
	}
	_, body = c.get("/organisations/" + unit + "/timeline")
	if !strings.Contains(body, i18n.For(liaison.English).T("timeline.role.update")) {
		t.Error("timeline lacks the role change")
	}
	res, body = c.post("/settings/tokens", url.Values{"name": {"CI"}, "scope": {"read"}})
	if res.StatusCode != http.StatusCreated || !regexp.MustCompile(`<code id="token-secret">lia_[A-Za-z0-9_-]{20,}</code>`).MatchString(body) {
		t.Fatalf("create token: %d", res.StatusCode)
	}
	if _, body = c.get("/settings/tokens"); strings.Contains(body, "lia_") {
		t.Error("the secret is shown again")
	}
	if res, _ = c.post("/people/"+person+"/delete", url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete person: %d", res.StatusCode)
	}
	if _, body = c.get("/admin/trash"); !strings.Contains(body, "Tess Test") {
		t.Error("trash lacks the person")
	}
	if res, _ = c.post("/people/"+person+"/restore", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore person: %d", res.StatusCode)
	}
}

func TestForbidden(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	c := e.signedIn("olivia.grant@liaison.demo", demo.Password) // viewer
	c.setLanguage(liaison.Finnish)
	for _, p := range []string{"/organisations/new", "/organisations/" + r.account + "/edit", "/admin/trash"} {
		res, body := c.get(p)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("viewer %s: %d", p, res.StatusCode)
		}
		checkPage(t, p, body, liaison.Finnish)
		if !strings.Contains(body, i18n.For(liaison.Finnish).T("errorpage.403.title")) {
			t.Errorf("%s: no translated 403", p)
		}
	}
	res, _ := c.post("/organisations/"+r.account, url.Values{"name": {"x"}, "version": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer update: %d", res.StatusCode)
	}
}

// TestConcurrentLanguages renders pages for users of four languages at
// once: each page must be in its own user's language.
func TestConcurrentLanguages(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	emails := []string{"anna.lindqvist@liaison.demo", "johan.bergstrom@liaison.demo", "elin.akesson@liaison.demo", "mikael.oberg@liaison.demo"}
	clients := make([]*client, len(liaison.Languages))
	for i, lang := range liaison.Languages {
		clients[i] = e.signedIn(emails[i], demo.Password)
		clients[i].setLanguage(lang)
	}
	pages := []string{"/", "/accounts", "/organisations", "/organisations/" + r.account, "/portfolio", "/search?q=norr"}
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for round := 0; round < 5; round++ {
		for i, lang := range liaison.Languages {
			wg.Add(1)
			go func(c *client, lang liaison.Language) {
				defer wg.Done()
				want := i18n.For(lang).T("nav.accounts")
				for _, p := range pages {
					req, _ := http.NewRequest("GET", e.srv.URL+p, nil)
					res, err := c.http.Do(req)
					if err != nil {
						errs <- err.Error()
						return
					}
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					body := string(b)
					if !strings.Contains(body, `<html lang="`+string(lang)+`"`) || !strings.Contains(body, ">"+want+"<") {
						errs <- fmt.Sprintf("%s %s: wrong language", lang, p)
					}
				}
			}(clients[i], lang)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestRoutes(t *testing.T) {
	h := web.New(nil, web.Options{})
	seen := map[string]bool{}
	for _, r := range h.Routes() {
		if r.Access == "" {
			t.Errorf("%s has no access", r.Key())
		}
		if seen[r.Key()] {
			t.Errorf("%s listed twice", r.Key())
		}
		seen[r.Key()] = true
		if r.Method != "GET" && r.Access == liaison.AccessRead {
			t.Errorf("%s changes data with read access", r.Key())
		}
	}
	h.Register(http.NewServeMux()) // panics on a bad or clashing pattern
}

func TestStatic(t *testing.T) {
	h := web.New(nil, web.Options{})
	mux := http.NewServeMux()
	h.Register(mux)
	for _, name := range []string{"app.css", "app.js", "vendor/htmx.min.js"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/static/"+name, nil))
		if w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("%s: %d", name, w.Code)
		}
		if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=300" {
			t.Errorf("%s unversioned: Cache-Control %q", name, cc)
		}
	}
	e := newEnv(t, sqlstoretest.SQLite)
	_, body := e.client().get("/login")
	m := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	res, _ := e.client().get(m[1])
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned: Cache-Control %q", cc)
	}
	if res, _ := e.client().get("/static/nope.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset: %d", res.StatusCode)
	}
}

func TestLeakPatternCatchesKeys(t *testing.T) {
	for _, s := range []string{"<td>unit.tab.overview</td>", `title="warning.no_deputy"`, "x %!s(MISSING)", "<p>nav.accounts</p>"} {
		if !leak.MatchString(s) {
			t.Errorf("leak pattern misses %q", s)
		}
	}
	for _, s := range []string{"anna.lindqvist@liaison.demo", "<p>Liaison</p>", "1.5"} {
		if leak.MatchString(s) {
			t.Errorf("leak pattern flags %q", s)
		}
	}
}
