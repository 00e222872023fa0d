package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

// The principals of the matrix, in the order of the expectation strings:
// admin, head, manager of the account under test, manager of another
// account, staff, viewer, anonymous, and the admin through a read-only token.
var principals = []string{"admin", "head", "mgr", "other", "staff", "viewer", "anon", "ro"}

// Expectation strings: one letter a principal. y: allowed (anything but
// 401/403/sign-in redirect, and never 5xx); n: 403; u: 401, or for pages
// a redirect to sign in.
const (
	public    = "yyyyyyyy"
	read      = "yyyyyyuy"
	signedIn  = "yyyyyyuy"
	selfWrite = "yyyyyyun" // the signed-in user's own things, not through a read token
	account   = "yyynnnun" // the account's data: admin, head, its manager
	curate    = "yynnnnun" // the portfolio's shape: admin, head
	anyWriter = "yyyynnun" // a blank form: any manager may fill it for their own accounts
	adminOnly = "ynnnnnun"
)

// matrix names the expected outcome of every route. A route the server
// registers without an entry here fails the test, and so does an entry
// for a route that no longer exists.
var matrix = map[string]string{
	"GET /healthz": public,
	"GET /readyz":  public,
	"GET /metrics": public,

	"GET /api/openapi.json":   public,
	"GET /api/docs":           public,
	"GET /api/docs/{file...}": public,
	" /api/v1/":               signedIn,

	"GET /api/v1/organisations":               read,
	"POST /api/v1/organisations":              account,
	"GET /api/v1/organisations/{id}":          read,
	"PATCH /api/v1/organisations/{id}":        account,
	"DELETE /api/v1/organisations/{id}":       account,
	"POST /api/v1/organisations/{id}/restore": curate,
	"GET /api/v1/organisations/{id}/decision": read,
	"GET /api/v1/organisations/{id}/timeline": read,
	"GET /api/v1/organisations/{id}/history":  read,
	"GET /api/v1/people":                      read,
	"POST /api/v1/people":                     account,
	"GET /api/v1/people/{id}":                 read,
	"PATCH /api/v1/people/{id}":               account,
	"DELETE /api/v1/people/{id}":              account,
	"POST /api/v1/people/{id}/restore":        curate,
	"GET /api/v1/people/{id}/history":         read,
	"GET /api/v1/roles":                       read,
	"POST /api/v1/roles":                      account,
	"GET /api/v1/roles/{id}":                  read,
	"PATCH /api/v1/roles/{id}":                account,
	"DELETE /api/v1/roles/{id}":               account,
	"GET /api/v1/roles/{id}/history":          read,
	"GET /api/v1/users":                       read,
	"POST /api/v1/users":                      adminOnly,
	"GET /api/v1/users/me":                    signedIn,
	"GET /api/v1/users/{id}":                  read,
	"PATCH /api/v1/users/{id}":                adminOnly, // another user; one's own name and language is tested in the API
	"GET /api/v1/users/{id}/history":          adminOnly,
	"GET /api/v1/users/me/tokens":             signedIn,
	"POST /api/v1/users/me/tokens":            selfWrite,
	"GET /api/v1/users/me/tokens/{id}":        signedIn,
	"DELETE /api/v1/users/me/tokens/{id}":     selfWrite,
	"GET /api/v1/segments":                    read,
	"POST /api/v1/segments":                   curate,
	"GET /api/v1/segments/{id}":               read,
	"PATCH /api/v1/segments/{id}":             curate,
	"DELETE /api/v1/segments/{id}":            curate,
	"GET /api/v1/segments/{id}/history":       read,
	"GET /api/v1/settings":                    read,
	"PATCH /api/v1/settings":                  adminOnly,
	"GET /api/v1/portfolio":                   read,

	"GET /api/v1/services":                   read,
	"POST /api/v1/services":                  curate,
	"GET /api/v1/services/{id}":              read,
	"PATCH /api/v1/services/{id}":            curate, // and the service's owner, tested in the API
	"DELETE /api/v1/services/{id}":           curate,
	"GET /api/v1/services/{id}/history":      read,
	"GET /api/v1/subscriptions":              read,
	"GET /api/v1/subscriptions/coverage":     read,
	"POST /api/v1/subscriptions":             account,
	"GET /api/v1/subscriptions/{id}":         read,
	"PATCH /api/v1/subscriptions/{id}":       account,
	"DELETE /api/v1/subscriptions/{id}":      account,
	"GET /api/v1/subscriptions/{id}/history": read,

	"GET /static/":                      public,
	"GET /login":                        public,
	"POST /login":                       public,
	"POST /logout":                      signedIn,
	"POST /settings/language":           public,
	"POST /settings/theme":              public,
	"GET /{$}":                          read,
	"GET /":                             public, // the not-found page
	"GET /accounts":                     read,
	"GET /organisations":                read,
	"GET /organisations/new":            anyWriter,
	"POST /organisations":               account,
	"GET /organisations/{id}":           read,
	"GET /organisations/{id}/structure": read,
	"GET /organisations/{id}/people":    read,
	"GET /organisations/{id}/timeline":  read,
	"GET /organisations/{id}/history":   read,
	"GET /organisations/{id}/edit":      account,
	"POST /organisations/{id}":          account,
	"GET /organisations/{id}/delete":    account,
	"POST /organisations/{id}/delete":   account,
	"POST /organisations/{id}/restore":  curate,
	"GET /organisations/{id}/roles/new": account,
	"POST /organisations/{id}/roles":    account,
	"GET /people/new":                   anyWriter,
	"POST /people":                      account,
	"GET /people/{id}":                  read,
	"GET /people/{id}/history":          read,
	"GET /people/{id}/edit":             account,
	"POST /people/{id}":                 account,
	"POST /people/{id}/delete":          account,
	"POST /people/{id}/restore":         curate,
	"GET /people/{id}/roles/new":        account,
	"POST /people/{id}/roles":           account,
	"GET /roles/{id}/edit":              account,
	"POST /roles/{id}":                  account,
	"POST /roles/{id}/end":              account,
	"POST /roles/{id}/delete":           account,
	"GET /portfolio":                    read,
	"GET /search":                       read,
	"GET /settings/tokens":              signedIn,
	"POST /settings/tokens":             selfWrite,
	"POST /settings/tokens/{id}/revoke": selfWrite,
	"GET /admin/trash":                  curate,
	"GET /admin/segments":               read,
	"GET /admin/segments/new":           curate,
	"POST /admin/segments":              curate,
	"GET /admin/segments/{id}/edit":     curate,
	"POST /admin/segments/{id}":         curate,
	"POST /admin/segments/{id}/delete":  curate,
	"GET /admin/users":                  read,

	"GET /services":                    read,
	"GET /services/coverage":           read,
	"GET /services/new":                curate,
	"POST /services":                   curate,
	"GET /services/{id}":               read,
	"GET /services/{id}/history":       read,
	"GET /services/{id}/edit":          curate, // and the service's owner, tested in the UI
	"POST /services/{id}":              curate,
	"POST /services/{id}/delete":       curate,
	"GET /organisations/{id}/services": read,
	"GET /subscriptions/new":           anyWriter,
	"POST /subscriptions":              account,
	"GET /subscriptions/{id}/edit":     account,
	"POST /subscriptions/{id}":         account,
	"POST /subscriptions/{id}/delete":  account,
	"GET /admin/jobs":                  adminOnly,
}

// fixture is what one request works on: fresh records, so that a write by
// one principal does not change what the next one meets.
type fixture struct {
	account, unit, person, role, segment, target, token string
	service, subscription                               string
	agreements                                          agreementFixture
	decisions                                           decisionFixture
	suppliers                                           supplierFixture
	complaints                                          complaintFixture
	improvements                                        improvementFixture
	meetings                                            meetingFixture
	actions                                             actionFixture
	cycle                                               cycleFixture
	report                                              reportFixture
	surveys                                             surveyFixture
	triggers                                            triggerFixture
	imports                                             importFixture
	bizwatch                                            bizWatchFixture
	projects                                            projectFixture
	dataMap                                             dataMapFixture
}

type world struct {
	t       *testing.T
	a       *app.App
	db      *sqlstore.DB
	sys     context.Context
	users   map[string]*liaison.User
	cookies map[string]string
	roToken string
	accA    string // managed by "mgr"
	seq     atomic.Int64
	raw     *sql.DB // the same database by hand, for meeting rows (nil in tests that need none)
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	w := &world{t: t, db: db, a: app.New(db, slog.New(slog.DiscardHandler)), users: map[string]*liaison.User{}, cookies: map[string]string{}}
	ctx := context.Background()
	roles := map[string]liaison.UserRole{"admin": liaison.RoleAdmin, "head": liaison.RoleHead, "mgr": liaison.RoleManager,
		"other": liaison.RoleManager, "staff": liaison.RoleStaff, "viewer": liaison.RoleViewer, "target": liaison.RoleViewer}
	for name, role := range roles {
		u := &liaison.User{Email: name + "@matrix.test", Name: "Matrix " + name, Role: role}
		if err := w.a.CreateUserAsSystem(ctx, u, "matrix-password"); err != nil {
			t.Fatal(err)
		}
		w.users[name] = u
	}
	w.sys = liaison.WithPrincipal(ctx, &liaison.Principal{User: w.users["admin"], Scope: liaison.ScopeWrite})
	for name := range roles {
		w.cookies[name] = w.signIn(name)
	}
	var err error
	if w.roToken, _, err = w.a.CreateTokenFor(ctx, "admin@matrix.test", "ro", liaison.ScopeRead); err != nil {
		t.Fatal(err)
	}
	top := &liaison.Organisation{Name: "Matrix group"}
	w.must(w.a.CreateOrganisation(w.sys, top))
	a := &liaison.Organisation{Name: "Account A", ParentID: &top.ID, BudgetHolder: true,
		RelationshipManagerID: &w.users["mgr"].ID, DeputyID: &w.users["head"].ID}
	w.must(w.a.CreateOrganisation(w.sys, a))
	b := &liaison.Organisation{Name: "Account B", ParentID: &top.ID, BudgetHolder: true, RelationshipManagerID: &w.users["other"].ID}
	w.must(w.a.CreateOrganisation(w.sys, b))
	w.accA = a.ID
	return w
}

func (w *world) signIn(name string) string {
	secret, _, err := w.a.SignIn(context.Background(), name+"@matrix.test", "matrix-password", "matrix")
	w.must(err)
	return secret
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// fresh makes the records one request acts on, inside account A.
func (w *world) fresh(principal string) fixture {
	n := w.seq.Add(1)
	u := &liaison.Organisation{Name: fmt.Sprintf("Unit %d", n), ParentID: &w.accA}
	w.must(w.a.CreateOrganisation(w.sys, u))
	p := &liaison.Person{Name: fmt.Sprintf("Person %d", n), OrganisationID: u.ID}
	w.must(w.a.CreatePerson(w.sys, p))
	r := &liaison.ContactRole{PersonID: p.ID, OrganisationID: u.ID, Role: liaison.RoleUser, Active: true}
	w.must(w.a.CreateRole(w.sys, r))
	s := &liaison.Segment{Name: fmt.Sprintf("Segment %d", n)}
	w.must(w.a.CreateSegment(w.sys, s))
	f := fixture{account: w.accA, unit: u.ID, person: p.ID, role: r.ID, segment: s.ID, target: w.users["target"].ID}
	w.freshService(&f, n)
	f.agreements = w.freshAgreements(n)
	f.decisions = w.freshDecisions(n)
	f.suppliers = w.freshSuppliers(f, n)
	f.complaints = w.freshComplaints(f, n)
	f.improvements = w.freshImprovements(n)
	f.meetings = w.freshMeetings(f, n)
	f.actions = w.freshActions(n)
	f.cycle = w.freshCycle(n)
	f.report = w.freshReport(n)
	f.surveys = w.freshSurveys(n)
	f.triggers = w.freshTriggers(n)
	f.imports = w.freshImports(n)
	f.bizwatch = w.freshBizWatch(n)
	f.projects = w.freshProjects(n)
	f.dataMap = w.freshDataMap(n)
	owner, ok := w.users[principal]
	if !ok { // anonymous and the read-only token act on the admin's tokens
		owner = w.users["admin"]
	}
	{
		_, tok, err := w.a.CreateTokenFor(context.Background(), owner.Email, "matrix", liaison.ScopeRead)
		w.must(err)
		f.token = tok.ID
	}
	return f
}

// path fills a route pattern's wildcards with the fixture's ids.
func (f fixture) path(pattern string) string {
	p := pattern
	switch {
	case p == "/":
		return "/no-such-page"
	case p == "/{$}":
		return "/"
	case p == "/api/v1/":
		return "/api/v1/no-such-resource"
	case p == "/static/":
		return "/static/app.css"
	case strings.Contains(p, "{file...}"):
		return strings.Replace(p, "{file...}", "swagger-ui.css", 1)
	}
	p = planPath(p, f.account)
	p = f.report.path(p)
	p = f.agreements.path(p)
	p = f.decisions.path(p)
	p = f.suppliers.path(p)
	p = f.complaints.path(p)
	p = f.improvements.path(p)
	p = f.meetings.path(p)
	p = f.actions.path(p)
	p = f.cycle.path(p)
	p = f.surveys.path(p)
	p = f.triggers.path(p)
	p = f.imports.path(p)
	p = f.bizwatch.path(p)
	p = f.projects.path(p)
	p = f.dataMap.path(p)
	ids := map[string]string{"/organisations/": f.unit, "/people/": f.person, "/roles/": f.role, "/segments/": f.segment,
		"/users/": f.target, "/tokens/": f.token,
		"/services/": f.service, "/subscriptions/": f.subscription}
	for prefix, id := range ids {
		if i := strings.Index(p, prefix+"{id}"); i >= 0 {
			p = p[:i] + prefix + id + p[i+len(prefix)+len("{id}"):]
		}
	}
	return p
}

// body is a valid input for the route, so that an allowed principal
// passes validation and the matrix sees the authorisation decision.
func (f fixture) body(method, pattern string, n int64) (string, string) {
	email := fmt.Sprintf("new%d@matrix.test", n)
	if b, ct, ok := f.agreements.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.decisions.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.suppliers.body(method, pattern, n); ok {
		return b, ct
	}
	if b, ct, ok := f.complaints.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.improvements.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.meetings.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.actions.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.cycle.body(method, pattern, n); ok {
		return b, ct
	}
	if b, ct, ok := ticketBody(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.surveys.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.triggers.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.bizwatch.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.projects.body(method, pattern, f, n); ok {
		return b, ct
	}
	if b, ct, ok := f.dataMap.body(method, pattern, f, n); ok {
		return b, ct
	}
	if strings.HasPrefix(pattern, "/api/") {
		var b string
		switch {
		case method == "POST" && pattern == "/api/v1/organisations":
			b = fmt.Sprintf(`{"name":"New unit %d","parent_id":%q}`, n, f.account)
		case method == "POST" && pattern == "/api/v1/people":
			b = fmt.Sprintf(`{"name":"New person %d","organisation_id":%q}`, n, f.unit)
		case method == "POST" && pattern == "/api/v1/roles":
			b = fmt.Sprintf(`{"person_id":%q,"organisation_id":%q,"role":"orderer","active":true}`, f.person, f.unit)
		case method == "POST" && pattern == "/api/v1/users":
			b = fmt.Sprintf(`{"email":%q,"name":"New user","role":"viewer"}`, email)
		case method == "POST" && pattern == "/api/v1/segments":
			b = fmt.Sprintf(`{"name":"New segment %d"}`, n)
		case method == "POST" && strings.HasSuffix(pattern, "/tokens"):
			b = `{"name":"matrix","scope":"read"}`
		case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/roles/"):
			b = `{"label":"renamed"}`
		case method == "POST" && pattern == "/api/v1/services":
			b = fmt.Sprintf(`{"name":"New service %d"}`, n)
		case method == "POST" && pattern == "/api/v1/subscriptions":
			b = fmt.Sprintf(`{"organisation_id":%q,"service_id":%q,"level":"Silver"}`, f.account, f.service)
		case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/subscriptions/"):
			b = `{"workload":"5 TB"}`
		case method == "PATCH" && pattern == "/api/v1/settings":
			b = `{"stale_review_months":18}`
		case method == "PATCH":
			b = `{"name":"Renamed"}`
		case method == "POST":
			b = `{}`
		}
		return b, "application/json"
	}
	v := url.Values{"version": {"1"}, "back": {"/"}}
	switch {
	case pattern == "/login":
		v.Set("email", "viewer@matrix.test")
		v.Set("password", "matrix-password")
	case pattern == "/settings/language":
		v.Set("language", "sv")
	case pattern == "/settings/theme":
		v.Set("theme", "dark")
	case pattern == "/settings/tokens":
		v.Set("name", "matrix")
		v.Set("scope", "read")
	case strings.HasPrefix(pattern, "/organisations"):
		v.Set("name", fmt.Sprintf("Unit form %d", n))
		v.Set("parent_id", f.account)
		v.Set("person_id", f.person)
		v.Set("role", "orderer")
	case strings.HasPrefix(pattern, "/people"):
		v.Set("name", fmt.Sprintf("Person form %d", n))
		v.Set("organisation_id", f.unit)
		v.Set("role", "orderer")
		v.Set("language", "fi")
	case strings.HasPrefix(pattern, "/roles"):
		v.Set("role", "orderer")
	case strings.HasPrefix(pattern, "/subscriptions"):
		v.Set("organisation_id", f.account)
		v.Set("service_id", f.service)
		v.Set("level", "Silver")
	case strings.HasPrefix(pattern, "/admin/segments"):
		v.Set("name", fmt.Sprintf("Segment form %d", n))
	}
	return v.Encode(), "application/x-www-form-urlencoded"
}

func TestAuthorisationMatrix(t *testing.T) {
	db, raw := sqlstoretest.OpenRaw(t, sqlstoretest.SQLite)
	w := newWorld(t, db)
	w.raw = raw
	srv := server.New(w.a, server.Options{Log: slog.New(slog.DiscardHandler)},
		api.New(w.a, api.Options{}), web.New(w.a, web.Options{Log: slog.New(slog.DiscardHandler)}))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// A fixture is about 20 records: building one per request made this
	// the slowest test of the suite. A principal's fixture is kept while
	// its requests cannot have changed it, that is until a write it made
	// was answered with success; then the next request gets a fresh one.
	kept := map[string]*fixture{}
	fixtureFor := func(who string) fixture {
		if f, ok := kept[who]; ok {
			return *f
		}
		f := w.fresh(who)
		kept[who] = &f
		return f
	}
	seen := map[string]bool{}
	for _, route := range srv.Routes() {
		key := route.Key()
		seen[key] = true
		want, ok := matrix[key]
		if !ok {
			t.Errorf("route %q (access %s) has no entry in the authorisation matrix", key, route.Access)
			continue
		}
		method := route.Method
		if method == "" {
			method = "GET"
		}
		for i, who := range principals {
			f := fixtureFor(who)
			n := w.seq.Add(1)
			path := f.path(route.Pattern)
			body, ctype := f.body(method, route.Pattern, n)
			req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
			if body != "" {
				req.Header.Set("Content-Type", ctype)
			}
			if method == "PATCH" || method == "DELETE" || f.surveys.ifMatch(method, route.Pattern) || f.dataMap.ifMatch(method, route.Pattern) {
				req.Header.Set("If-Match", "*") // the version check is tested elsewhere; here it must not mask a 403
			}
			switch who {
			case "anon":
			case "ro":
				req.Header.Set("Authorization", "Bearer "+w.roToken)
			default:
				cookie := w.cookies[who]
				if route.Pattern == "/logout" { // signing out ends the session: use one of its own
					cookie = w.signIn(who)
				}
				req.AddCookie(&http.Cookie{Name: "liaison_session", Value: cookie})
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %s as %s: %v", method, path, who, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if (method != "GET" && method != "HEAD" && resp.StatusCode < 400) || resp.StatusCode >= 500 {
				delete(kept, who)
			}
			if got := outcome(resp); got != want[i] {
				t.Errorf("%s as %s: status %d (%s), want %c", key, who, resp.StatusCode, resp.Header.Get("Location"), want[i])
			} else if got == 'y' && resp.StatusCode >= 400 && testing.Verbose() {
				t.Logf("%s as %s: allowed, but the request answered %d", key, who, resp.StatusCode)
			}
		}
	}
	for key := range matrix {
		if !seen[key] {
			t.Errorf("the matrix names %q, which the server does not register", key)
		}
	}
}

// outcome classifies a response for the matrix; a 5xx is never acceptable.
func outcome(resp *http.Response) byte {
	switch {
	case resp.StatusCode >= 500:
		return '!'
	case resp.StatusCode == http.StatusUnauthorized:
		return 'u'
	case resp.StatusCode == http.StatusForbidden:
		return 'n'
	case resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusFound:
		if strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			return 'u'
		}
	}
	return 'y'
}
