package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

func TestMiddleware(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	w := newWorld(t, db)
	quiet := slog.New(slog.DiscardHandler)
	srv := server.New(w.a, server.Options{Log: quiet, MetricsToken: "m3trics"}, api.New(w.a, api.Options{Log: quiet}), web.New(w.a, web.Options{Log: quiet}))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	do := func(method, path string, hdr map[string]string, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	cookie := "liaison_session=" + w.cookies["admin"]

	for _, tc := range []struct {
		name       string
		method     string
		path       string
		hdr        map[string]string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"health needs nobody", "GET", "/healthz", nil, "", 200, "ok"},
		{"ready checks the database", "GET", "/readyz", nil, "", 200, "ready"},
		{"metrics want their token", "GET", "/metrics", nil, "", 401, ""},
		{"metrics with the token", "GET", "/metrics", map[string]string{"Authorization": "Bearer m3trics"}, "", 200, "liaison_http_requests_total"},
		{"unknown bearer token", "GET", "/api/v1/organisations", map[string]string{"Authorization": "Bearer lia_nope"}, "", 401, "unknown or revoked"},
		{"not a bearer scheme", "GET", "/api/v1/organisations", map[string]string{"Authorization": "Basic YTpi"}, "", 401, "Bearer"},
		{"a valid read token", "GET", "/api/v1/organisations", map[string]string{"Authorization": "Bearer " + w.roToken}, "", 200, `"items"`},
		{"session cookie on the API", "GET", "/api/v1/users/me", map[string]string{"Cookie": cookie}, "", 200, "admin@matrix.test"},
		{"cross-site form post refused", "POST", "/api/v1/segments", map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, `{"name":"CSRF"}`, 403, ""},
		{"cross-origin post refused", "POST", "/logout", map[string]string{"Cookie": cookie, "Origin": "https://evil.example"}, "", 403, ""},
		{"same-origin post allowed", "POST", "/api/v1/segments", map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}, `{"name":"Same origin"}`, 201, "Same origin"},
		{"a stale cookie is dropped, not an error", "GET", "/login", map[string]string{"Cookie": "liaison_session=gone"}, "", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(tc.method, tc.path, tc.hdr, tc.body)
			if resp.StatusCode != tc.wantStatus || !strings.Contains(body, tc.wantBody) {
				t.Errorf("%s %s = %d %.300q; want %d containing %q", tc.method, tc.path, resp.StatusCode, body, tc.wantStatus, tc.wantBody)
			}
			for _, h := range []string{"X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("missing security header %s", h)
				}
			}
		})
	}
	resp, _ := do("GET", "/login", map[string]string{"Cookie": "liaison_session=gone"}, "")
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "liaison_session=;") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("stale cookie not cleared safely: Set-Cookie %q", c)
	}
}
