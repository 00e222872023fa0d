package api_test

// The fuzz targets drive the API's parsers of outside input through the
// real handler stack (huma, the service layer, a real store) as an admin:
//
//	FuzzCreate      JSON bodies (and Idempotency-Key) of every create
//	FuzzPatch       merge patches, If-Match and Content-Type of every PATCH
//	FuzzList        query strings of the lists (limit, cursor, sort, q, filters)
//	FuzzMergePatch  api.MergePatch against the rules of RFC 7396
//	FuzzIfMatch     (fuzz_internal_test.go) the If-Match parser
//
// and check what every answer must be:
//
//   - never a panic and never a 5xx;
//   - every 4xx an RFC 9457 problem (application/problem+json, status,
//     title, detail, code, instance, well-formed field errors) whose status
//     is the answer's;
//   - no partial write: an answer that is not 2xx leaves every table's row
//     count and version sum, the trash, the settings, the idempotency keys
//     and the audit trail as they were; a rejected PATCH leaves the record
//     exactly as GET showed it;
//   - what is accepted keeps the limits (names ≤ 200 characters, texts ≤
//     20,000) and is audited; a PATCH succeeds only when If-Match matched.
//
// Inputs name the fixture's records by placeholder ({account}, {person},
// {etag}…, see fuzzWorld.fill). The seeds in testdata/fuzz run as ordinary
// tests on SQLite; TestFuzzCorpusPostgres replays them on PostgreSQL.
//
//	go test -run '^$' -fuzz '^FuzzCreate$' -fuzztime 1m ./internal/api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// fuzzWorld is the API on a fresh database holding a small fixture, with a
// second connection that reads the tables behind the API's back.
type fuzzWorld struct {
	*env
	raw  *sql.DB
	ids  map[string]string
	fill func(string) string
}

func newFuzzWorld(tb testing.TB, engine string) *fuzzWorld {
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

	w := &fuzzWorld{env: newEnv(tb, db), raw: raw, ids: map[string]string{}}
	for _, u := range testUsers {
		w.ids[u.as] = w.users[u.as].ID
	}
	id := func(m map[string]any) string { return m["id"].(string) }
	w.ids["segment"] = id(w.create("admin", "/api/v1/segments", map[string]any{"name": "Health", "description": "Hospitals"}))
	w.ids["org"] = id(w.org(map[string]any{"name": "Region Norr"}))
	w.ids["account"] = id(w.org(map[string]any{"name": "Norrskenssjukhuset", "parent_id": w.ids["org"], "budget_holder": true,
		"segment": w.ids["segment"], "relationship_manager_id": w.ids["manager"], "deputy_id": w.ids["manager2"], "last_reviewed_on": "2026-01-15"}))
	w.ids["child"] = id(w.org(map[string]any{"name": "Akutmottagningen", "parent_id": w.ids["account"], "description": "Emergency"}))
	w.ids["grandchild"] = id(w.org(map[string]any{"name": "Triage", "parent_id": w.ids["child"]}))
	for i := 1; i <= 12; i++ {
		w.org(map[string]any{"name": fmt.Sprintf("Enhet %02d", i), "parent_id": w.ids["org"], "external_id": fmt.Sprintf("E-%02d", i)})
	}
	w.ids["person"] = id(w.create("admin", "/api/v1/people", map[string]any{"name": "Åsa Öberg", "email": "asa@example.org",
		"organisation_id": w.ids["account"], "language": "sv", "notes": "Prefers mornings."}))
	w.ids["person2"] = id(w.create("admin", "/api/v1/people", map[string]any{"name": "王建华", "organisation_id": w.ids["child"], "language": "zh"}))
	for i := 1; i <= 12; i++ {
		w.create("admin", "/api/v1/people", map[string]any{"name": fmt.Sprintf("Person %02d", i), "organisation_id": w.ids["child"]})
	}
	w.ids["role"] = id(w.create("admin", "/api/v1/roles", map[string]any{"person_id": w.ids["person"], "organisation_id": w.ids["account"], "role": "customer"}))
	w.ids["role2"] = id(w.create("admin", "/api/v1/roles", map[string]any{"person_id": w.ids["person2"], "organisation_id": w.ids["child"], "role": "user"}))
	w.ids["user"] = id(w.create("admin", "/api/v1/users", map[string]any{"email": "fuzz@example.com", "name": "Fuzz Target", "role": "viewer"}))
	w.ids["token"] = id(w.create("admin", "/api/v1/users/me/tokens", map[string]any{"name": "fixture", "scope": "read"}))
	// The catalogue and agreements (issue 4).
	w.ids["service"] = id(w.create("admin", "/api/v1/services", map[string]any{"name": "E-post", "status": "live", "owner_id": w.ids["manager"],
		"levels": []map[string]any{{"name": "Gold", "availability_percent": 99.9, "response_minutes": 15}, {"name": "Silver"}}}))
	w.ids["lab"] = id(w.create("admin", "/api/v1/services", map[string]any{"name": "Labbsystem", "status": "live", "customer_specific": true,
		"levels": []map[string]any{{"name": "Standard"}}}))
	w.ids["subscription"] = id(w.create("admin", "/api/v1/subscriptions", map[string]any{"organisation_id": w.ids["account"],
		"service_id": w.ids["service"], "level": "Gold", "contact_user_id": w.ids["manager"], "users": 1200}))
	w.ids["lab_use"] = id(w.create("admin", "/api/v1/subscriptions", map[string]any{"organisation_id": w.ids["account"],
		"service_id": w.ids["lab"], "level": "Standard", "contact_user_id": w.ids["manager2"]}))
	w.ids["agreement"] = id(w.create("admin", "/api/v1/agreements", map[string]any{"organisation_id": w.ids["account"],
		"title": "Tjänsteöverenskommelse 2026", "type": "service_level", "signed_by_person_id": w.ids["person"],
		"start_date": "2026-01-01", "end_date": "2026-12-31", "notice_months": 3, "renewal": "tacit",
		"services": []map[string]any{{"service_id": w.ids["service"], "level": "Gold"}}}))
	w.ids["decision"] = id(w.create("admin", "/api/v1/decisions", map[string]any{"organisation_id": w.ids["account"],
		"service_id": w.ids["lab"], "subscription_id": w.ids["lab_use"], "kind": "change", "summary": "Utökning",
		"decided_by_person_id": w.ids["person"], "decided_on": "2026-03-01"}))
	// Complaints, escalations and improvements (issue 5).
	w.ids["complaint"] = id(w.create("admin", "/api/v1/complaints", map[string]any{"organisation_id": w.ids["child"], "service_id": w.ids["service"],
		"reporter_person_id": w.ids["person"], "channel": "phone", "title": "E-posten studsar", "severity": "high", "category": "availability"}))
	w.ids["escalation"] = id(w.create("admin", "/api/v1/escalations", map[string]any{"target": "steering_group", "reason": "Återkommande avbrott",
		"organisation_id": w.ids["account"], "complaint_ids": []string{w.ids["complaint"]}}))
	w.ids["improvement"] = id(w.create("admin", "/api/v1/improvements", map[string]any{"title": "Dygnet-runt-support", "origin": "manager",
		"service_ids": []string{w.ids["service"]}, "organisation_ids": []string{w.ids["account"]}, "owner_id": w.ids["manager"]}))
	w.ids["supplier"] = id(w.create("admin", "/api/v1/suppliers", map[string]any{"name": "Nordlys Datacenter AB", "contact_email": "drift@nordlys.example",
		"website": "https://nordlys.example", "contract_end_date": "2027-06-30", "services": []map[string]any{{"service_id": w.ids["service"], "note": "Hosting"}}}))

	var pairs []string
	for k, v := range w.ids {
		pairs = append(pairs, "{"+k+"}", v)
	}
	w.fill = strings.NewReplacer(pairs...).Replace
	return w
}

// do sends a request as the admin; t is the fuzz function's own.
func (w *fuzzWorld) do(t testing.TB, method string, u *url.URL, body []byte, hdr ...string) *resp {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r := httptest.NewRequest(method, "/", rd)
	r.URL, r.RequestURI = u, u.RequestURI()
	r.Header.Set("X-Test-As", "admin")
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	return &resp{t: t, Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

func pathURL(p string) *url.URL { return &url.URL{Path: p} }

// snapshot sums up everything a request could write.
func (w *fuzzWorld) snapshot(t testing.TB) string {
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
		"SELECT COUNT(*), 0, 0 FROM idempotency_keys",
		"SELECT COUNT(*), COALESCE(MAX(CAST(value AS TEXT)), ''), 0 FROM settings",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), 0 FROM services",
		"SELECT COUNT(*), 0, 0 FROM service_levels",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), 0 FROM subscriptions",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), COUNT(deleted_at) FROM agreements",
		"SELECT COUNT(*), 0, 0 FROM agreement_services",
		"SELECT COUNT(*), 0, 0 FROM agreement_revisions",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), 0 FROM decisions",
		"SELECT COUNT(*), 0, 0 FROM sla_results",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), COUNT(deleted_at) FROM suppliers",
		"SELECT COUNT(*), 0, 0 FROM supplier_services",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), COUNT(deleted_at) FROM complaints",
		"SELECT COUNT(*), 0, 0 FROM complaint_events",
		"SELECT COUNT(*), 0, 0 FROM complaint_communications",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), 0 FROM escalations",
		"SELECT COUNT(*), 0, 0 FROM escalation_complaints",
		"SELECT COUNT(*), COALESCE(SUM(version), 0), COUNT(deleted_at) FROM improvements",
		"SELECT COUNT(*), 0, 0 FROM improvement_services",
		"SELECT COUNT(*), 0, 0 FROM improvement_accounts",
		"SELECT COUNT(*), 0, 0 FROM improvement_raisers",
		"SELECT COUNT(*), 0, 0 FROM improvement_updates",
	} {
		var a, c, d any
		if err := w.raw.QueryRow(q).Scan(&a, &c, &d); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%v/%s/%v ", a, c, d)
	}
	return b.String()
}

func (w *fuzzWorld) audits(t testing.TB) int {
	t.Helper()
	var n int
	if err := w.raw.QueryRow("SELECT COUNT(*) FROM audit_entries").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkAnswer checks what every answer must be: below 500, a 4xx a
// well-formed problem, and a refused request wrote nothing.
func (w *fuzzWorld) checkAnswer(t testing.TB, what string, r *resp, before string) {
	t.Helper()
	if r.Code >= 500 {
		t.Fatalf("%s: %d: %s", what, r.Code, r.Body)
	}
	if r.Code >= 400 {
		checkProblem(t, what, r)
		if after := w.snapshot(t); after != before {
			t.Fatalf("%s answered %d but wrote:\nbefore %s\nafter  %s\n%s", what, r.Code, before, after, r.Body)
		}
	}
}

// checkProblem checks that r is an RFC 9457 problem of its status.
func checkProblem(t testing.TB, what string, r *resp) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("%s: %d with Content-Type %q: %s", what, r.Code, ct, r.Body)
	}
	var p map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%s: %d: problem is not a JSON object: %v: %s", what, r.Code, err, r.Body)
	}
	for _, k := range []string{"type", "title", "detail", "instance", "code"} {
		if s, ok := p[k].(string); !ok || s == "" {
			t.Fatalf("%s: %d: problem member %q missing or empty: %s", what, r.Code, k, r.Body)
		}
	}
	if n, ok := p["status"].(json.Number); !ok || n.String() != strconv.Itoa(r.Code) {
		t.Fatalf("%s: answered %d, problem status %v: %s", what, r.Code, p["status"], r.Body)
	}
	if p["title"] != http.StatusText(r.Code) {
		t.Fatalf("%s: %d: title %q: %s", what, r.Code, p["title"], r.Body)
	}
	if errs, ok := p["errors"]; ok {
		list, ok := errs.([]any)
		if !ok || len(list) == 0 {
			t.Fatalf("%s: errors is not a non-empty list: %s", what, r.Body)
		}
		for _, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				t.Fatalf("%s: field error is not an object: %s", what, r.Body)
			}
			_, fieldOK := m["field"].(string)
			code, _ := m["code"].(string)
			msg, _ := m["message"].(string)
			if !fieldOK || code == "" || msg == "" {
				t.Fatalf("%s: malformed field error %v: %s", what, m, r.Body)
			}
		}
	}
	if r.Code == http.StatusUnprocessableEntity && p["errors"] == nil {
		t.Fatalf("%s: 422 names no field: %s", what, r.Body)
	}
}

// Limits of the accepted data (SPEC §4: names 200, texts 20,000 characters).
var nameFields = map[string]bool{"name": true, "email": true, "phone": true, "title": true, "external_id": true, "label": true}
var textFields = map[string]bool{"description": true, "notes": true}

func checkLimits(t testing.TB, what string, body []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: answer is not a JSON object: %v: %s", what, err, body)
	}
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			continue
		}
		n := utf8.RuneCountInString(s)
		if nameFields[k] && n > 200 || textFields[k] && n > 20000 {
			t.Fatalf("%s: accepted %s of %d characters", what, k, n)
		}
	}
}

// validHeader reports whether a client could send v as a header value:
// net/http refuses control characters other than tab before any handler.
func validHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// headerValue is v as the server's header parsing hands it on.
func headerValue(v string) string { return strings.Trim(v, " \t") }

// ---------- creates ----------

var createPaths = []string{"/api/v1/organisations", "/api/v1/people", "/api/v1/roles", "/api/v1/segments", "/api/v1/users", "/api/v1/users/me/tokens",
	"/api/v1/services", "/api/v1/subscriptions", "/api/v1/agreements", "/api/v1/decisions", "/api/v1/sla-results", "/api/v1/suppliers",
	"/api/v1/complaints", "/api/v1/escalations", "/api/v1/improvements"}

func FuzzCreate(f *testing.F) {
	w := newFuzzWorld(f, sqlstoretest.SQLite)
	f.Fuzz(func(t *testing.T, kind uint8, body []byte, key string) { w.fuzzCreate(t, kind, body, key) })
}

func (w *fuzzWorld) fuzzCreate(t testing.TB, kind uint8, body []byte, key string) {
	path := createPaths[int(kind)%len(createPaths)]
	if !validHeader(key) {
		t.Skip("not a header value")
	}
	key = headerValue(key)
	body = []byte(w.fill(string(body)))
	hdr := []string{"Content-Type", "application/json"}
	if key != "" {
		hdr = append(hdr, "Idempotency-Key", key)
	}
	before, audits := w.snapshot(t), w.audits(t)
	r := w.do(t, "POST", pathURL(path), body, hdr...)
	what := fmt.Sprintf("POST %s %.200q", path, body)
	w.checkAnswer(t, what, r, before)
	if r.Code < 300 {
		if r.Code != http.StatusCreated {
			t.Fatalf("%s: %d, want 201: %s", what, r.Code, r.Body)
		}
		checkLimits(t, what, r.Body)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, path+"/") || r.Header.Get("ETag") == "" && !strings.HasSuffix(path, "/tokens") {
			t.Fatalf("%s: Location %q, ETag %q", what, loc, r.Header.Get("ETag"))
		}
		replay := r.Header.Get("Idempotent-Replayed") == "true"
		if !replay && !strings.HasSuffix(path, "/tokens") && w.audits(t) <= audits {
			t.Fatalf("%s: created without an audit entry", what)
		}
		if replay && w.snapshot(t) != before {
			t.Fatalf("%s: a replay wrote", what)
		}
		if g := w.do(t, "GET", pathURL(loc), nil); g.Code != http.StatusOK {
			t.Fatalf("%s: GET %s: %d", what, loc, g.Code)
		}
	}
}

// ---------- patches ----------

var patchPaths = []string{"/api/v1/organisations/{child}", "/api/v1/people/{person}", "/api/v1/roles/{role}", "/api/v1/segments/{segment}",
	"/api/v1/users/{user}", "/api/v1/settings",
	"/api/v1/services/{service}", "/api/v1/subscriptions/{subscription}", "/api/v1/agreements/{agreement}", "/api/v1/decisions/{decision}",
	"/api/v1/suppliers/{supplier}",
	"/api/v1/complaints/{complaint}", "/api/v1/escalations/{escalation}", "/api/v1/improvements/{improvement}"}

// FuzzPatch sends a merge patch to a fixture record. In ifMatch, {etag}
// stands for the record's current ETag and {version} for the tag without
// its quotes.
func FuzzPatch(f *testing.F) {
	w := newFuzzWorld(f, sqlstoretest.SQLite)
	f.Fuzz(func(t *testing.T, kind uint8, body []byte, ifMatch, contentType string) {
		w.fuzzPatch(t, kind, body, ifMatch, contentType)
	})
}

func (w *fuzzWorld) fuzzPatch(t testing.TB, kind uint8, body []byte, ifMatch, contentType string) {
	path := w.fill(patchPaths[int(kind)%len(patchPaths)])
	if !validHeader(ifMatch) || !validHeader(contentType) {
		t.Skip("not a header value")
	}
	cur := w.do(t, "GET", pathURL(path), nil)
	if cur.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, cur.Code, cur.Body)
	}
	tag := cur.Header.Get("ETag")
	ifMatch = strings.NewReplacer("{etag}", tag, "{version}", strings.Trim(tag, `"`)).Replace(ifMatch)
	ifMatch = headerValue(w.fill(ifMatch))
	contentType = headerValue(contentType)
	body = []byte(w.fill(string(body)))
	var hdr []string
	if ifMatch != "" {
		hdr = append(hdr, "If-Match", ifMatch)
	}
	if contentType != "" {
		hdr = append(hdr, "Content-Type", contentType)
	}
	before, audits := w.snapshot(t), w.audits(t)
	r := w.do(t, "PATCH", pathURL(path), body, hdr...)
	what := fmt.Sprintf("PATCH %s If-Match %q Content-Type %q %.200q", path, ifMatch, contentType, body)
	w.checkAnswer(t, what, r, before)
	after := w.do(t, "GET", pathURL(path), nil)
	if r.Code >= 300 {
		if after.Code != http.StatusOK || !bytes.Equal(after.Body, cur.Body) || after.Header.Get("ETag") != tag {
			t.Fatalf("%s answered %d but the record changed:\n%s\n%s", what, r.Code, cur.Body, after.Body)
		}
		// Without If-Match: 428, unless huma refused the body before the
		// handler ran (none: 400; too large: 413).
		if ifMatch == "" && r.Code != http.StatusPreconditionRequired && r.Code != http.StatusRequestEntityTooLarge &&
			!(r.Code == http.StatusBadRequest && len(body) == 0) {
			t.Fatalf("%s: without If-Match: %d, want 428", what, r.Code)
		}
		return
	}
	if r.Code != http.StatusOK {
		t.Fatalf("%s: %d, want 200: %s", what, r.Code, r.Body)
	}
	// No lost update: If-Match named the version read (strong comparison).
	if !strongMatch(ifMatch, tag) {
		t.Fatalf("%s: applied although If-Match does not match %s", what, tag)
	}
	if mt := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0])); contentType != "" && mt != "application/json" && mt != "application/merge-patch+json" {
		t.Fatalf("%s: applied a body of type %q", what, contentType)
	}
	checkLimits(t, what, r.Body)
	if !bytes.Equal(r.Body, after.Body) || r.Header.Get("ETag") != after.Header.Get("ETag") {
		t.Fatalf("%s: the answer is not the record:\n%s\n%s", what, r.Body, after.Body)
	}
	var got struct {
		Version *int `json:"version"`
	}
	json.Unmarshal(r.Body, &got)
	if got.Version != nil {
		if r.Header.Get("ETag") != strconv.Quote(strconv.Itoa(*got.Version)) {
			t.Fatalf("%s: ETag %s for version %d", what, r.Header.Get("ETag"), *got.Version)
		}
		if r.Header.Get("ETag") != tag && w.audits(t) <= audits {
			t.Fatalf("%s: changed without an audit entry", what)
		}
	}
}

// strongMatch is RFC 9110's If-Match with strong comparison: * or a tag
// equal, character for character, to the current one.
func strongMatch(header, current string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.Trim(t, " \t"); t == "*" || t == current {
			return true
		}
	}
	return false
}

// ---------- lists ----------

var listPaths = []string{"/api/v1/organisations", "/api/v1/people", "/api/v1/roles", "/api/v1/users", "/api/v1/segments",
	"/api/v1/organisations/{account}/timeline", "/api/v1/organisations/{org}/history", "/api/v1/people/{person}/history",
	"/api/v1/users/me/tokens",
	"/api/v1/services", "/api/v1/subscriptions", "/api/v1/agreements", "/api/v1/decisions", "/api/v1/sla-results",
	"/api/v1/agreements/{agreement}/revisions", "/api/v1/suppliers",
	"/api/v1/complaints", "/api/v1/escalations", "/api/v1/improvements", "/api/v1/complaints/{complaint}/events",
	"/api/v1/complaints/{complaint}/communications", "/api/v1/improvements/{improvement}/updates", "/api/v1/organisations/{account}/improvements"}

// FuzzList reads a list with the query string query.
func FuzzList(f *testing.F) {
	w := newFuzzWorld(f, sqlstoretest.SQLite)
	f.Fuzz(func(t *testing.T, kind uint8, query string) { w.fuzzList(t, kind, query) })
}

func (w *fuzzWorld) fuzzList(t testing.TB, kind uint8, query string) {
	path := w.fill(listPaths[int(kind)%len(listPaths)])
	query = w.fill(query)
	// What net/http would refuse in the request line never reaches a handler.
	if strings.ContainsAny(query, " #") || !validHeader(query) || strings.Contains(query, "\t") {
		t.Skip("not a request target")
	}
	u, err := url.ParseRequestURI(path + "?" + query)
	if err != nil {
		t.Skip("not a request target")
	}
	before := w.snapshot(t)
	r := w.do(t, "GET", u, nil)
	what := "GET " + u.String()
	w.checkAnswer(t, what, r, before)
	if after := w.snapshot(t); after != before {
		t.Fatalf("%s: a read wrote", what)
	}
	if r.Code >= 300 {
		return
	}
	if r.Code != http.StatusOK {
		t.Fatalf("%s: %d", what, r.Code)
	}
	var p struct {
		Items      []json.RawMessage `json:"items"`
		NextCursor *string           `json:"next_cursor"`
	}
	if err := json.Unmarshal(r.Body, &p); err != nil || p.Items == nil || p.NextCursor == nil {
		t.Fatalf("%s: not a list answer: %v: %s", what, err, r.Body)
	}
	limit := 500
	if strings.HasSuffix(path, "/history") {
		limit = 50
	} else if vs := u.Query()["limit"]; len(vs) == 1 {
		if n, err := strconv.Atoi(vs[0]); err == nil {
			limit = n
		}
	} else if len(vs) == 0 && !strings.HasSuffix(path, "/tokens") {
		limit = 50
	}
	if len(p.Items) > limit {
		t.Fatalf("%s: %d items, limit %d", what, len(p.Items), limit)
	}
	if *p.NextCursor != "" {
		q := u.Query()
		q.Set("cursor", *p.NextCursor)
		next := &url.URL{Path: u.Path, RawQuery: q.Encode()}
		if n := w.do(t, "GET", next, nil); n.Code != http.StatusOK {
			t.Fatalf("%s: the next page %s answered %d: %s", what, next, n.Code, n.Body)
		}
	}
}

// ---------- merge patches ----------

// FuzzMergePatch checks api.MergePatch against RFC 7396 on any two JSON
// documents.
func FuzzMergePatch(f *testing.F) {
	f.Fuzz(func(t *testing.T, target, patch []byte) {
		tv, err1 := decodeNumbers(target)
		pv, err2 := decodeNumbers(patch)
		if err1 != nil || err2 != nil {
			t.Skip("not JSON")
		}
		pcopy, _ := decodeNumbers(patch)
		tcopy, _ := decodeNumbers(target)
		got := api.MergePatch(tcopy, pv)
		if !reflect.DeepEqual(pv, pcopy) {
			t.Fatalf("MergePatch changed the patch %s", patch)
		}
		checkMerged(t, "$", tv, pv, got)
		// Applying a merge patch twice changes nothing more.
		again, _ := decodeNumbers(mustMarshal(t, got))
		if twice := api.MergePatch(again, pv); !reflect.DeepEqual(twice, got) {
			t.Fatalf("not idempotent: %s then %s", mustMarshal(t, got), mustMarshal(t, twice))
		}
		// The result is JSON again.
		if back, err := decodeNumbers(mustMarshal(t, got)); err != nil || !reflect.DeepEqual(back, got) {
			t.Fatalf("result does not round-trip: %v", err)
		}
	})
}

// checkMerged checks got = MergePatch(target, patch) by RFC 7396 §2: a
// patch that is not an object replaces the target; an object patch keeps
// the target's other members (or starts from {} when the target is not an
// object), removes those it sets to null and merges the rest recursively.
func checkMerged(t *testing.T, at string, target, patch, got any) {
	t.Helper()
	p, ok := patch.(map[string]any)
	if !ok {
		if !reflect.DeepEqual(got, patch) {
			t.Fatalf("%s: a non-object patch %v must replace the target, got %v", at, patch, got)
		}
		return
	}
	g, ok := got.(map[string]any)
	if !ok {
		t.Fatalf("%s: an object patch gave %T", at, got)
	}
	tm, _ := target.(map[string]any)
	for k, v := range tm {
		if _, patched := p[k]; !patched && !reflect.DeepEqual(g[k], v) {
			t.Fatalf("%s.%s: an unpatched member changed: %v → %v", at, k, v, g[k])
		}
	}
	for k, v := range p {
		if v == nil {
			if _, ok := g[k]; ok {
				t.Fatalf("%s.%s: set to null but still present", at, k)
			}
			continue
		}
		gv, ok := g[k]
		if !ok {
			t.Fatalf("%s.%s: patched member missing", at, k)
		}
		checkMerged(t, at+"."+k, tm[k], v, gv)
	}
	for k := range g {
		_, inT := tm[k]
		_, inP := p[k]
		if !inT && !inP {
			t.Fatalf("%s.%s: a member from nowhere", at, k)
		}
	}
}

func decodeNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the value")
	}
	return v, nil
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ---------- the seeds on PostgreSQL ----------

// TestFuzzCorpusPostgres replays the committed seeds of the targets that
// reach the store on PostgreSQL, whose text columns refuse what SQLite
// keeps (NUL characters, invalid UTF-8).
func TestFuzzCorpusPostgres(t *testing.T) {
	w := newFuzzWorld(t, sqlstoretest.Postgres)
	for _, target := range []string{"FuzzCreate", "FuzzPatch", "FuzzList"} {
		seeds := readCorpus(t, target)
		for _, name := range slices.Sorted(maps.Keys(seeds)) {
			args := seeds[name]
			t.Run(target+"/"+name, func(t *testing.T) {
				switch target {
				case "FuzzCreate":
					w.fuzzCreate(t, args[0].(uint8), args[1].([]byte), args[2].(string))
				case "FuzzPatch":
					w.fuzzPatch(t, args[0].(uint8), args[1].([]byte), args[2].(string), args[3].(string))
				case "FuzzList":
					w.fuzzList(t, args[0].(uint8), args[1].(string))
				}
			})
		}
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
		if !ok {
			return nil, fmt.Errorf("%q: not a literal", line)
		}
		typ := ""
		switch f := call.Fun.(type) {
		case *ast.Ident:
			typ = f.Name
		case *ast.ArrayType:
			typ = "[]byte"
		}
		switch {
		case typ == "string" || typ == "[]byte":
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			if typ == "string" {
				args = append(args, v)
			} else {
				args = append(args, []byte(v))
			}
		case (typ == "byte" || typ == "uint8") && lit.Kind == token.CHAR:
			v, _, _, err := strconv.UnquoteChar(lit.Value[1:len(lit.Value)-1], '\'')
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			args = append(args, uint8(v))
		case typ == "byte" || typ == "uint8":
			v, err := strconv.ParseUint(lit.Value, 0, 8)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			args = append(args, uint8(v))
		default:
			return nil, fmt.Errorf("%q: unsupported type %s", line, typ)
		}
	}
	return args, nil
}
