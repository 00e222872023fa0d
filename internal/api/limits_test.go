package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// The size limits of SPEC §4 and §7, each answered with a clear 4xx problem
// and nothing written: JSON bodies over 1 MiB (413), names over 200 and
// texts over 20,000 characters (422 naming the field), list pages over 500
// (422), and the parameters' own limits.

const mib = 1 << 20

// padTo pads a JSON object with spaces before its closing brace to exactly n bytes.
func padTo(t *testing.T, body string, n int) []byte {
	t.Helper()
	if len(body) > n || !strings.HasSuffix(body, "}") {
		t.Fatalf("cannot pad %q to %d bytes", body, n)
	}
	return []byte(body[:len(body)-1] + strings.Repeat(" ", n-len(body)) + "}")
}

func TestBodyLimit(t *testing.T) {
	w := newFuzzWorld(t, sqlstoretest.SQLite)
	f := w.fill
	creates := []struct{ path, body string }{
		{"/api/v1/organisations", `{"name":"Big unit"}`},
		{"/api/v1/people", f(`{"name":"Big person","organisation_id":"{account}"}`)},
		{"/api/v1/roles", f(`{"person_id":"{person2}","organisation_id":"{account}","role":"orderer"}`)},
		{"/api/v1/segments", `{"name":"Big segment"}`},
		{"/api/v1/users", `{"email":"big@example.com","name":"Big","role":"viewer"}`},
		{"/api/v1/users/me/tokens", `{"name":"big","scope":"read"}`},
	}
	patches := []struct{ path, body string }{
		{f("/api/v1/organisations/{child}"), `{"description":"big"}`},
		{f("/api/v1/people/{person}"), `{"title":"Big"}`},
		{f("/api/v1/roles/{role2}"), `{"label":"big"}`},
		{f("/api/v1/segments/{segment}"), `{"description":"big"}`},
		{f("/api/v1/users/{user}"), `{"name":"Big"}`},
		{"/api/v1/settings", `{"stale_review_months":11}`},
	}
	send := func(method, path string, body []byte, chunked bool, hdr ...string) *resp {
		t.Helper()
		r := httptest.NewRequest(method, path, bytes.NewReader(body))
		if chunked {
			r.ContentLength = -1 // no Content-Length: the limit must hold while reading
		}
		r.Header.Set("X-Test-As", "admin")
		r.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, r)
		return &resp{t: t, Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	}
	tooLarge := func(what string, r *resp, before string) {
		t.Helper()
		p := r.problem(http.StatusRequestEntityTooLarge)
		if p["code"] != "too_large" || !strings.Contains(p["detail"].(string), "1 MiB") {
			t.Errorf("%s: 413 problem %v", what, p)
		}
		if after := w.snapshot(t); after != before {
			t.Errorf("%s: a refused body wrote", what)
		}
	}
	for _, c := range creates {
		for _, chunked := range []bool{false, true} {
			before := w.snapshot(t)
			tooLarge("POST "+c.path, send("POST", c.path, padTo(t, c.body, mib+1), chunked), before)
			// Far over the limit, and not even JSON: still 413, not 400.
			tooLarge("POST "+c.path, send("POST", c.path, bytes.Repeat([]byte("x"), 3*mib), chunked), before)
		}
		// Exactly 1 MiB is accepted.
		if r := send("POST", c.path, padTo(t, c.body, mib), false); r.Code != http.StatusCreated {
			t.Errorf("POST %s of exactly 1 MiB: %d %s", c.path, r.Code, r.Body)
		}
	}
	for _, c := range patches {
		for _, chunked := range []bool{false, true} {
			cur := w.do(t, "GET", pathURL(c.path), nil).want(http.StatusOK)
			before := w.snapshot(t)
			tooLarge("PATCH "+c.path, send("PATCH", c.path, padTo(t, c.body, mib+1), chunked, "If-Match", cur.Header.Get("ETag")), before)
		}
		cur := w.do(t, "GET", pathURL(c.path), nil).want(http.StatusOK)
		if r := send("PATCH", c.path, padTo(t, c.body, mib), true, "If-Match", cur.Header.Get("ETag")); r.Code != http.StatusOK {
			t.Errorf("PATCH %s of exactly 1 MiB: %d %s", c.path, r.Code, r.Body)
		}
	}
}

// TestFieldLimits: every name-like field takes 200 characters (counted as
// characters, not bytes) and refuses 201; every free text takes 20,000 and
// refuses 20,001; on create and on PATCH, on both engines, writing nothing
// when refused.
func TestFieldLimits(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) { fieldLimits(t, newFuzzWorld(t, engine)) })
	}
}

func fieldLimits(t *testing.T, w *fuzzWorld) {
	f := w.fill
	n := 0
	// text returns a value of exactly length characters, most of them
	// two bytes long, unique in this test.
	text := func(field string, length int) string {
		n++
		if field == "email" {
			tail := fmt.Sprintf("%d@example.org", n)
			return strings.Repeat("e", length-len(tail)) + tail
		}
		head := fmt.Sprintf("%d", n)
		return head + strings.Repeat("å", length-len(head))
	}
	type limit struct {
		field string
		max   int
	}
	names := func(fields ...string) []limit {
		var ls []limit
		for _, f := range fields {
			ls = append(ls, limit{f, 200})
		}
		return ls
	}
	creates := []struct {
		path   string
		base   map[string]any
		limits []limit
	}{
		{"/api/v1/organisations", map[string]any{"name": "U"}, append(names("name", "external_id"), limit{"description", 20000})},
		{"/api/v1/people", map[string]any{"name": "P", "organisation_id": f("{account}")},
			append(names("name", "email", "phone", "title", "external_id"), limit{"notes", 20000})},
		{"/api/v1/roles", map[string]any{"person_id": f("{person2}"), "organisation_id": f("{child}"), "role": "other", "label": "L"}, names("label")},
		{"/api/v1/segments", map[string]any{"name": "S"}, append(names("name"), limit{"description", 20000})},
		{"/api/v1/users", map[string]any{"name": "N", "email": "x@example.com", "role": "viewer"}, names("name", "email", "password")},
		{"/api/v1/users/me/tokens", map[string]any{"name": "T", "scope": "read"}, names("name")},
	}
	for _, c := range creates {
		for _, l := range c.limits {
			body := func(v string) map[string]any {
				b := map[string]any{}
				for k, x := range c.base {
					b[k] = x
				}
				if c.path == "/api/v1/users" && l.field != "email" {
					b["email"] = text("email", 30)
				}
				b[l.field] = v
				return b
			}
			what := fmt.Sprintf("POST %s %s", c.path, l.field)
			if r := w.req("admin", "POST", c.path, body(text(l.field, l.max))); r.Code != http.StatusCreated {
				t.Errorf("%s of %d characters: %d %s", what, l.max, r.Code, r.Body)
			}
			before := w.snapshot(t)
			w.req("admin", "POST", c.path, body(text(l.field, l.max+1))).fieldError(l.field, "too_long")
			if w.snapshot(t) != before {
				t.Errorf("%s: a refused create wrote", what)
			}
		}
	}
	patches := []struct {
		path   string
		limits []limit
	}{
		{f("/api/v1/organisations/{child}"), append(names("name", "external_id"), limit{"description", 20000})},
		{f("/api/v1/people/{person}"), append(names("name", "email", "phone", "title", "external_id"), limit{"notes", 20000})},
		{f("/api/v1/roles/{role2}"), names("label")},
		{f("/api/v1/segments/{segment}"), append(names("name"), limit{"description", 20000})},
		{f("/api/v1/users/{user}"), names("name", "email")},
	}
	for _, c := range patches {
		for _, l := range c.limits {
			what := fmt.Sprintf("PATCH %s %s", c.path, l.field)
			cur := w.req("admin", "GET", c.path, nil).want(http.StatusOK)
			if r := w.patch("admin", c.path, cur.Header.Get("ETag"), map[string]any{l.field: text(l.field, l.max)}); r.Code != http.StatusOK {
				t.Errorf("%s of %d characters: %d %s", what, l.max, r.Code, r.Body)
			}
			cur = w.req("admin", "GET", c.path, nil).want(http.StatusOK)
			w.patch("admin", c.path, cur.Header.Get("ETag"), map[string]any{l.field: text(l.field, l.max+1)}).fieldError(l.field, "too_long")
			if after := w.req("admin", "GET", c.path, nil); !bytes.Equal(after.Body, cur.Body) {
				t.Errorf("%s: a refused patch changed the record", what)
			}
		}
	}
}

// TestPaginationCap: limit takes 1 to 500 on every list; anything else
// answers 422 naming limit, and the OpenAPI document says so.
func TestPaginationCap(t *testing.T) {
	w := newFuzzWorld(t, sqlstoretest.SQLite)
	lists := []string{"/api/v1/organisations", "/api/v1/people", "/api/v1/roles", "/api/v1/users", "/api/v1/segments",
		w.fill("/api/v1/organisations/{account}/timeline")}
	for _, p := range lists {
		for _, ok := range []string{"1", "500"} {
			w.req("admin", "GET", p+"?limit="+ok, nil).want(http.StatusOK)
		}
		for _, bad := range []string{"501", "0", "-1", "abc", "1.5", "99999999999999999999", "1e3"} {
			w.req("admin", "GET", p+"?limit="+bad, nil).fieldError("limit", "invalid")
		}
		w.req("admin", "GET", p+"?cursor="+strings.Repeat("c", 1001), nil).fieldError("cursor", "too_long")
		w.req("admin", "GET", p+"?cursor=garbage", nil).problem(http.StatusBadRequest)
	}
	for _, p := range lists[:5] {
		if !strings.Contains(p, "roles") {
			w.req("admin", "GET", p+"?q="+strings.Repeat("q", 200), nil).want(http.StatusOK)
			w.req("admin", "GET", p+"?q="+strings.Repeat("q", 201), nil).fieldError("q", "too_long")
		}
	}
	// A full page of 500 pages on.
	for i := 0; i < 501; i++ {
		w.org(map[string]any{"name": fmt.Sprintf("Bulk %03d", i), "parent_id": w.ids["org"]})
	}
	first := w.req("admin", "GET", "/api/v1/organisations?limit=500&parent_id="+w.ids["org"], nil).want(http.StatusOK)
	var page struct {
		Items      []json.RawMessage `json:"items"`
		NextCursor string            `json:"next_cursor"`
	}
	mustUnmarshal(t, first.Body, &page)
	if len(page.Items) != 500 || page.NextCursor == "" {
		t.Fatalf("first page: %d items, next %q", len(page.Items), page.NextCursor)
	}
	second := w.req("admin", "GET", "/api/v1/organisations?limit=500&parent_id="+w.ids["org"]+"&cursor="+page.NextCursor, nil).want(http.StatusOK)
	mustUnmarshal(t, second.Body, &page)
	if len(page.Items) != 501+13-500 || page.NextCursor != "" { // and the fixture's account and 12 units
		t.Fatalf("second page: %d items, next %q", len(page.Items), page.NextCursor)
	}

	// The document states the cap on every list's limit.
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string `json:"name"`
				Schema struct {
					Minimum *float64 `json:"minimum"`
					Maximum *float64 `json:"maximum"`
				} `json:"schema"`
				Description string `json:"description"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	mustUnmarshal(t, w.req("", "GET", "/api/openapi.json", nil).want(http.StatusOK).Body, &doc)
	seen := 0
	for path, ops := range doc.Paths {
		for _, p := range ops["get"].Parameters {
			if p.Name != "limit" {
				continue
			}
			seen++
			if p.Schema.Maximum == nil || *p.Schema.Maximum != 500 || p.Schema.Minimum == nil || *p.Schema.Minimum != 1 ||
				!strings.Contains(p.Description, "500") {
				t.Errorf("GET %s: limit not documented as 1 to 500: %+v", path, p)
			}
		}
	}
	if seen < len(lists) {
		t.Errorf("only %d lists document limit", seen)
	}
}
