// Package server assembles Liaison's HTTP handler: the API and web modules
// on one standard-library mux, behind the middleware every request passes
// (recovery, metrics, logging, security headers, cross-origin protection,
// authentication), plus health, readiness and metrics endpoints.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
)

// Module is a group of routes: the API or the web UI.
type Module interface {
	Register(mux *http.ServeMux)
	Routes() []httpx.Route
}

// Options configure the server.
type Options struct {
	// MetricsToken, when set, is required as a bearer token on /metrics.
	MetricsToken string
	Log          *slog.Logger
}

// Server is Liaison's HTTP handler.
type Server struct {
	app     *app.App
	log     *slog.Logger
	opts    Options
	mux     *http.ServeMux
	routes  []httpx.Route
	handler http.Handler
	metrics *metrics
}

// New builds the handler from the modules.
func New(a *app.App, opts Options, modules ...Module) *Server {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Server{app: a, log: opts.Log, opts: opts, mux: http.NewServeMux()}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.metrics = newMetrics(reg)

	s.routes = append(s.routes,
		httpx.Route{Method: "GET", Pattern: "/healthz", Access: liaison.AccessPublic},
		httpx.Route{Method: "GET", Pattern: "/readyz", Access: liaison.AccessPublic},
		httpx.Route{Method: "GET", Pattern: "/metrics", Access: liaison.AccessPublic},
	)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.Handle("GET /metrics", s.metricsAuth(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	for _, m := range modules {
		m.Register(s.mux)
		s.routes = append(s.routes, m.Routes()...)
	}
	s.handler = s.recover(s.instrument(securityHeaders(crossOrigin(s.authenticate(s.mux)))))
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists every route with the access it needs.
func (s *Server) Routes() []httpx.Route { return s.routes }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.Store.Ping(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready:", err)
		return
	}
	fmt.Fprintln(w, "ready")
}

func (s *Server) metricsAuth(h http.Handler) http.Handler {
	if s.opts.MetricsToken == "" {
		return h
	}
	want := "Bearer " + s.opts.MetricsToken
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != want {
			http.Error(w, "metrics token required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Connection limits of the HTTP server. A client must send its request
// line and headers within ReadHeaderTimeout (a slow-header client is cut
// off), the whole request within ReadTimeout, and receive the answer
// within WriteTimeout; an idle keep-alive connection is closed after
// IdleTimeout. Request line and headers over MaxHeaderBytes answer 431.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second
	WriteTimeout      = 120 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
)

// HTTPServer returns the http.Server that serves h with Liaison's
// connection limits; its own errors (bad requests, TLS handshakes) go to
// log as warnings. Serve uses it, and tests build their servers with it.
func HTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	if log == nil {
		log = slog.Default()
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Serve serves on ln until ctx ends, then shuts down gracefully, letting
// requests in flight finish for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := HTTPServer(s, s.log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
