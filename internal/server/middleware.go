package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
)

// authenticate resolves the bearer token or the session cookie into the
// request's principal. A bad bearer token is refused at once; a stale
// cookie is dropped and the request goes on anonymous, so the page can
// send the browser to sign in.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var p *liaison.Principal
		if h := r.Header.Get("Authorization"); h != "" && !strings.HasPrefix(r.URL.Path, "/metrics") {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				unauthorized(w, r, "Use Authorization: Bearer <token>.")
				return
			}
			var err error
			if p, err = s.app.AuthenticateToken(ctx, strings.TrimSpace(secret)); err != nil {
				if liaison.ErrorCode(err) != liaison.ENOTFOUND && !errors.Is(err, context.Canceled) {
					s.log.Error("token check failed", "err", err)
				}
				unauthorized(w, r, "The API token is unknown or revoked.")
				return
			}
		} else if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
			if p, err = s.app.Authenticate(ctx, c.Value); err != nil {
				if liaison.ErrorCode(err) != liaison.ENOTFOUND {
					s.log.Error("session check failed", "err", err)
				}
				p = nil
				auth.ClearSessionCookie(w, r)
			}
		}
		if p != nil {
			r = r.WithContext(liaison.WithPrincipal(ctx, p))
		}
		next.ServeHTTP(w, r)
	})
}

func unauthorized(w http.ResponseWriter, r *http.Request, detail string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="liaison"`)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusUnauthorized)
	json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": "Unauthorized", "status": http.StatusUnauthorized,
		"detail": detail, "instance": r.URL.Path,
	})
}

// crossOrigin refuses state-changing requests that a browser sent from
// another origin (Sec-Fetch-Site / Origin checks): CSRF protection for
// cookie sessions without tokens in every form. Requests without those
// headers, such as API clients with a bearer token, pass.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return cop.Handler(next)
}

// securityHeaders sets the headers every answer carries. The
// Content-Security-Policy allows scripts and styles from this origin only:
// no inline script, style element or style attribute (the templates use
// classes of app.css, htmx's indicator styles are off in its meta config,
// and the API docs' Swagger UI sets styles through the DOM, which the
// policy allows), no framing, no plugins. HSTS goes out only over TLS; a
// proxy that terminates TLS sets its own.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "liaison_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "liaison_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .015, .03, .05, .1, .3, 1, 3}}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// instrument logs and measures every request. The route label is the mux
// pattern, so that ids in paths do not explode the label set.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.requests.WithLabelValues(r.Method, route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(r.Method, route).Observe(d.Seconds())
		level := slogLevel(sw.status)
		if s.log.Enabled(r.Context(), level) {
			s.log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", d)
		}
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "Internal error.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
