package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

// stack is the whole handler, API and UI, as serve builds it, served by an
// http.Server with Liaison's settings over plain HTTP or TLS.
func stack(t *testing.T, w *world, tls bool) *httptest.Server {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	h := server.New(w.a, server.Options{Log: quiet, MetricsToken: "m3trics"}, api.New(w.a, api.Options{Log: quiet}), web.New(w.a, web.Options{Log: quiet}))
	ts := httptest.NewUnstartedServer(h)
	ts.Config = server.HTTPServer(h, quiet)
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return ts
}

type call struct {
	name   string
	method string
	path   string
	hdr    map[string]string
	body   string
	status int
	ctype  string // prefix of the Content-Type
}

func (c call) do(t *testing.T, ts *httptest.Server) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
	for k, v := range c.hdr {
		req.Header.Set(k, v)
	}
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if c.status != 0 && res.StatusCode != c.status {
		t.Fatalf("%s: %s %s: %d, want %d", c.name, c.method, c.path, res.StatusCode, c.status)
	}
	return res
}

// TestSecurityHeaders: every kind of answer, from every layer (pages, API,
// problems, static files, the not-found page, health, metrics, the API
// docs, refusals by the middleware itself), carries the security headers;
// HSTS only over TLS.
func TestSecurityHeaders(t *testing.T) {
	w := newWorld(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
	admin := "liaison_session=" + w.cookies["admin"]
	viewer := "liaison_session=" + w.cookies["viewer"]
	form := "application/x-www-form-urlencoded"
	calls := []call{
		{"sign-in page", "GET", "/login", nil, "", 200, "text/html"},
		{"signed-in page", "GET", "/", map[string]string{"Cookie": admin}, "", 200, "text/html"},
		{"redirect to sign in", "GET", "/accounts", nil, "", 303, ""},
		{"not-found page", "GET", "/no/such/page", map[string]string{"Cookie": admin}, "", 404, "text/html"},
		{"forbidden page", "GET", "/admin/trash", map[string]string{"Cookie": viewer}, "", 403, "text/html"},
		{"form too large", "POST", "/organisations", map[string]string{"Cookie": admin, "Content-Type": form}, "name=" + strings.Repeat("x", 1<<20), 413, "text/html"},
		{"API resource", "GET", "/api/v1/users/me", map[string]string{"Cookie": admin}, "", 200, "application/json"},
		{"API list", "GET", "/api/v1/organisations", map[string]string{"Authorization": "Bearer " + w.roToken}, "", 200, "application/json"},
		{"API 401 problem", "GET", "/api/v1/organisations", nil, "", 401, "application/problem+json"},
		{"API bad token", "GET", "/api/v1/organisations", map[string]string{"Authorization": "Bearer nope"}, "", 401, "application/problem+json"},
		{"API 404 problem", "GET", "/api/v1/nothing", map[string]string{"Cookie": admin}, "", 404, "application/problem+json"},
		{"API 422 problem", "GET", "/api/v1/organisations?limit=501", map[string]string{"Cookie": admin}, "", 422, "application/problem+json"},
		{"API 413 problem", "POST", "/api/v1/segments", map[string]string{"Cookie": admin, "Content-Type": "application/json"}, `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, 413, "application/problem+json"},
		{"cross-origin refusal", "POST", "/logout", map[string]string{"Cookie": admin, "Origin": "https://evil.example"}, "", 403, ""},
		{"static file", "GET", "/static/app.css", nil, "", 200, "text/css"},
		{"static script", "GET", "/static/app.js", nil, "", 200, "text/javascript"},
		{"missing static file", "GET", "/static/nope.css", nil, "", 404, ""},
		{"health", "GET", "/healthz", nil, "", 200, "text/plain"},
		{"readiness", "GET", "/readyz", nil, "", 200, "text/plain"},
		{"metrics", "GET", "/metrics", map[string]string{"Authorization": "Bearer m3trics"}, "", 200, "text/plain"},
		{"metrics refused", "GET", "/metrics", nil, "", 401, ""},
		{"OpenAPI document", "GET", "/api/openapi.json", nil, "", 200, "application/json"},
		{"API docs", "GET", "/api/docs", nil, "", 200, "text/html"},
		{"API docs script", "GET", "/api/docs/init.js", nil, "", 200, "text/javascript"},
	}
	for _, tls := range []bool{false, true} {
		ts := stack(t, w, tls)
		for _, c := range calls {
			t.Run(map[bool]string{false: "http/", true: "https/"}[tls]+c.name, func(t *testing.T) {
				res := c.do(t, ts)
				if res.StatusCode != c.status || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) {
					t.Fatalf("%s %s: %d %q, want %d %q", c.method, c.path, res.StatusCode, res.Header.Get("Content-Type"), c.status, c.ctype)
				}
				checkSecurityHeaders(t, res.Header, tls)
			})
		}
	}
	// A proxy's X-Forwarded-Proto does not bring HSTS: over plain HTTP a
	// client could claim it, and the proxy that terminates TLS sets HSTS.
	ts := stack(t, w, false)
	res := call{"forwarded", "GET", "/login", map[string]string{"X-Forwarded-Proto": "https"}, "", 200, "text/html"}.do(t, ts)
	checkSecurityHeaders(t, res.Header, false)
}

func checkSecurityHeaders(t *testing.T, h http.Header, tls bool) {
	t.Helper()
	for name, want := range map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"X-Frame-Options":            "DENY",
		"Referrer-Policy":            "same-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
	} {
		if got := h.Values(name); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if n := len(h.Values("Content-Security-Policy")); n != 1 {
		t.Fatalf("%d Content-Security-Policy headers", n)
	}
	csp := parseCSP(h.Get("Content-Security-Policy"))
	for directive, want := range map[string]string{
		"default-src":     "'self'",
		"script-src":      "'self'",
		"style-src":       "'self'",
		"object-src":      "'none'",
		"base-uri":        "'self'",
		"frame-ancestors": "'none'",
		"form-action":     "'self'",
	} {
		if got := strings.Join(csp[directive], " "); got != want {
			t.Errorf("CSP %s: %q, want %q", directive, got, want)
		}
	}
	for directive, sources := range csp {
		for _, s := range sources {
			if s == "'unsafe-inline'" || s == "'unsafe-eval'" || s == "*" || (s == "data:" && directive != "img-src") {
				t.Errorf("CSP %s allows %s", directive, s)
			}
		}
	}
	hsts := h.Get("Strict-Transport-Security")
	switch {
	case !tls && hsts != "":
		t.Errorf("HSTS over plain HTTP: %q", hsts)
	case tls:
		age, ok := strings.CutPrefix(hsts, "max-age=")
		if n, err := strconv.Atoi(strings.Split(age, ";")[0]); !ok || err != nil || n < 31536000 {
			t.Errorf("HSTS over TLS: %q, want max-age of a year or more", hsts)
		}
	}
}

func parseCSP(s string) map[string][]string {
	m := map[string][]string{}
	for _, d := range strings.Split(s, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			m[strings.ToLower(f[0])] = f[1:]
		}
	}
	return m
}

// TestCookieFlags: the session cookie is HttpOnly and SameSite=Lax, and
// Secure when the request came over TLS or through a proxy that says so;
// so are its removal and the flash notice. The preference cookies (lang,
// theme) are SameSite=Lax and Secure the same way; they hold no secret and
// stay readable by the page script, which writes theme itself.
func TestCookieFlags(t *testing.T) {
	w := newWorld(t, sqlstoretest.Open(t, sqlstoretest.SQLite))
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	cookie := func(t *testing.T, res *http.Response, name string) *http.Cookie {
		t.Helper()
		for _, c := range res.Cookies() {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("no %s cookie in %q", name, res.Header.Values("Set-Cookie"))
		return nil
	}
	for _, tc := range []struct {
		name   string
		tls    bool
		hdr    map[string]string
		secure bool
	}{
		{"http", false, nil, false},
		{"https", true, nil, true},
		{"behind a TLS proxy", false, map[string]string{"X-Forwarded-Proto": "https"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := stack(t, w, tc.tls)
			login := url.Values{"email": {"staff@matrix.test"}, "password": {"matrix-password"}, "next": {"/"}}.Encode()
			res := call{"sign in", "POST", "/login", with(form, flatten(tc.hdr)...), login, 303, ""}.do(t, ts)
			s := cookie(t, res, "liaison_session")
			if !s.HttpOnly || s.SameSite != http.SameSiteLaxMode || s.Secure != tc.secure || s.Path != "/" || s.MaxAge != 30*24*3600 || len(s.Value) < 40 {
				t.Errorf("session cookie %q: HttpOnly %v, SameSite %v, Secure %v (want %v), Path %q, Max-Age %d",
					s.Raw, s.HttpOnly, s.SameSite, s.Secure, tc.secure, s.Path, s.MaxAge)
			}
			session := "liaison_session=" + s.Value

			for _, pref := range []struct{ path, body, name, value string }{
				{"/settings/language", "lang=sv&next=/", "lang", "sv"},
				{"/settings/theme", "theme=dark&next=/", "theme", "dark"},
			} {
				res := call{pref.name, "POST", pref.path, with(form, flatten(tc.hdr)...), pref.body, 303, ""}.do(t, ts)
				c := cookie(t, res, pref.name)
				if c.Value != pref.value || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure || c.Path != "/" || c.MaxAge < 30*24*3600 {
					t.Errorf("%s cookie %q: SameSite %v, Secure %v (want %v)", pref.name, c.Raw, c.SameSite, c.Secure, tc.secure)
				}
				if pref.name == "theme" && c.HttpOnly {
					t.Errorf("theme cookie is HttpOnly: the page script could not change the theme")
				}
			}

			// A saved form leaves a flash notice for the next page.
			seg := call{"flash", "POST", "/admin/segments", with(form, append(flatten(tc.hdr), "Cookie", "liaison_session="+w.signIn("admin"))...),
				"name=Flash " + tc.name, 303, ""}.do(t, ts)
			f := cookie(t, seg, "liaison_flash")
			if !f.HttpOnly || f.SameSite != http.SameSiteLaxMode || f.Secure != tc.secure {
				t.Errorf("flash cookie %q: HttpOnly %v, SameSite %v, Secure %v (want %v)", f.Raw, f.HttpOnly, f.SameSite, f.Secure, tc.secure)
			}

			res = call{"sign out", "POST", "/logout", with(form, append(flatten(tc.hdr), "Cookie", session)...), "", 303, ""}.do(t, ts)
			c := cookie(t, res, "liaison_session")
			if c.MaxAge >= 0 || c.Value != "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure {
				t.Errorf("removal %q: Max-Age %d, HttpOnly %v, SameSite %v, Secure %v (want %v)", c.Raw, c.MaxAge, c.HttpOnly, c.SameSite, c.Secure, tc.secure)
			}
			// A stale session cookie is removed the same way.
			res = call{"stale", "GET", "/login", with(tc.hdr, "Cookie", session), "", 200, "text/html"}.do(t, ts)
			c = cookie(t, res, "liaison_session")
			if c.MaxAge >= 0 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure {
				t.Errorf("stale removal %q", c.Raw)
			}
		})
	}
}

func flatten(m map[string]string) []string {
	var kv []string
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv
}
