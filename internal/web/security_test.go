package web_test

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestHTMLEscaping: names typed by users come back escaped wherever they
// show: the record's page (title, heading, breadcrumbs), the tree, the
// accounts list, search, history, the edit form's values and the notice
// after saving.
func TestHTMLEscaping(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	const (
		script = `<script>alert(1)</script>`
		img    = `x"><img src=x onerror=alert(2)>`
		attr   = `" autofocus onfocus="alert(3)`
	)
	res, _ := c.post("/organisations", url.Values{"name": {script}, "parent_id": {r.account}, "budget_holder": {"1"},
		"description": {img}, "external_id": {attr}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create unit: %d", res.StatusCode)
	}
	unit := res.Header.Get("Location")
	res, _ = c.post("/people", url.Values{"name": {img}, "title": {script}, "organisation_id": {strings.TrimPrefix(unit, "/organisations/")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create person: %d", res.StatusCode)
	}
	person := res.Header.Get("Location")
	res, _ = c.post("/organisations", url.Values{"name": {attr}, "parent_id": {r.account}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create unit: %d", res.StatusCode)
	}

	raw := []string{script, `<img src=x onerror=alert(2)>`, `onfocus="alert(3)`}
	pages := []string{unit, unit, unit + "/people", unit + "/history", unit + "/edit", person, person + "/edit", person + "/history",
		"/organisations", "/accounts", "/accounts?q=script", "/search?q=script", "/search?q=alert", "/search?q=" + url.QueryEscape(script),
		"/organisations/" + r.account + "/structure", "/organisations/" + r.account + "/timeline", "/"}
	for i, p := range pages {
		_, body := c.get(p)
		for _, s := range raw {
			if j := strings.Index(body, s); j >= 0 {
				t.Errorf("%s: unescaped %q: …%s…", p, s, body[max(0, j-100):min(len(body), j+100)])
			}
		}
		// The first visit of the unit shows the notice naming it.
		if i == 0 && !strings.Contains(body, `class="toast"`) {
			t.Errorf("%s: no notice after creating", p)
		}
		if p == unit || p == "/organisations" || strings.HasPrefix(p, "/search?q=s") || p == "/accounts" {
			if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s: the unit's escaped name is missing", p)
			}
		}
	}
}

// TestFormBodyLimit: the UI reads at most 1 MiB of a request body; a larger
// one answers 413 and changes nothing, with or without Content-Length, and
// for the anonymous as well.
func TestFormBodyLimit(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	count := func() int {
		units, err := e.app.Tree(adminCtx())
		if err != nil {
			t.Fatal(err)
		}
		return len(units)
	}
	body := func(n int) string {
		head := "name=Big&parent_id=" + r.account + "&description="
		return head + strings.Repeat("a", n-len(head))
	}
	post := func(c *client, path, b string, chunked bool) (*http.Response, string) {
		t.Helper()
		var rd io.Reader = strings.NewReader(b)
		if chunked {
			rd = io.MultiReader(rd) // unknown length: sent without Content-Length
		}
		req, _ := http.NewRequest("POST", e.srv.URL+path, rd)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return c.do(req)
	}
	before := count()
	for _, chunked := range []bool{false, true} {
		res, page := post(c, "/organisations", body(1<<20+1), chunked)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("1 MiB + 1 (chunked %v): %d %s", chunked, res.StatusCode, res.Header.Get("Content-Type"))
		}
		checkPage(t, "413 page", page, liaison.English)
		// Exactly 1 MiB is read: the description is then too long (422).
		if res, _ := post(c, "/organisations", body(1<<20), chunked); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("exactly 1 MiB (chunked %v): %d", chunked, res.StatusCode)
		}
	}
	if res, _ := post(e.client(), "/login", "email=x&password="+strings.Repeat("p", 1<<20), false); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("anonymous sign-in of 1 MiB: %d", res.StatusCode)
	}
	if n := count(); n != before {
		t.Errorf("%d units after refused forms, want %d", n, before)
	}
}

// TestBadText: text no database column holds (NUL, invalid UTF-8) is
// refused before it reaches the store: 404 in the path, 400 in the query
// or the form.
func TestBadText(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := e.ids()
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, tc := range []struct {
			method, path string
			form         url.Values
			want         int
		}{
			{"GET", "/organisations/%ff", nil, http.StatusNotFound},
			{"GET", "/people/%00/edit", nil, http.StatusNotFound},
			{"GET", "/accounts?segment=%00", nil, http.StatusBadRequest},
			{"GET", "/accounts?manager=%ff", nil, http.StatusBadRequest},
			{"POST", "/organisations", url.Values{"name": {"a\x00b"}, "parent_id": {r.account}}, http.StatusBadRequest},
			{"POST", "/organisations", url.Values{"name": {"ok"}, "parent_id": {"\xff"}}, http.StatusBadRequest},
			{"POST", "/admin/segments", url.Values{"name": {"\x00"}}, http.StatusBadRequest},
			{"POST", "/login", url.Values{"email": {"\x00"}, "password": {"x"}}, http.StatusBadRequest},
		} {
			var res *http.Response
			var body string
			if tc.method == "GET" {
				res, body = c.get(tc.path)
			} else {
				res, body = c.post(tc.path, tc.form)
			}
			if res.StatusCode != tc.want {
				t.Errorf("%s %s %v: %d, want %d", tc.method, tc.path, tc.form, res.StatusCode, tc.want)
			}
			checkPage(t, tc.path, body, liaison.English)
		}
	})
}

// TestTemplatesNeedNoInlineCode keeps the pages working under the strict
// Content-Security-Policy (script-src 'self'; style-src 'self'): no style
// attributes or elements, no inline scripts or event handlers, no
// javascript: URLs, and htmx told not to inject its indicator styles.
func TestTemplatesNeedNoInlineCode(t *testing.T) {
	bad := regexp.MustCompile(`(?i)\sstyle\s*=|<style|\son[a-z]+\s*=|javascript:`)
	script := regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)
	n := 0
	err := filepath.WalkDir("templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if m := bad.FindString(string(b)); m != "" {
			t.Errorf("%s: %q breaks the Content-Security-Policy", path, m)
		}
		for _, m := range script.FindAllStringSubmatch(string(b), -1) {
			if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
				t.Errorf("%s: inline script %q breaks the Content-Security-Policy", path, m[0])
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("templates: %v (%d files)", err, n)
	}
	base, _ := os.ReadFile("templates/layout/base.html")
	if !strings.Contains(string(base), `"includeIndicatorStyles":false`) {
		t.Error("htmx would inject its indicator <style>")
	}
	js, _ := os.ReadFile("static/app.js")
	for _, s := range []string{`setAttribute("style"`, "cssText", "<style", "eval("} {
		if strings.Contains(string(js), s) {
			t.Errorf("app.js uses %s", s)
		}
	}
}

func adminCtx() context.Context {
	return liaison.WithPrincipal(context.Background(), &liaison.Principal{User: &liaison.User{ID: "x", Role: liaison.RoleAdmin, Active: true}, Scope: liaison.ScopeWrite})
}
