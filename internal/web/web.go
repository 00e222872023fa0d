// Package web is Liaison's server-rendered user interface: HTML pages over
// the service layer, enhanced with htmx, in English, Swedish, Finnish and
// Chinese. Every page works without JavaScript.
package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/auth"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Options configure the web UI.
type Options struct {
	Log *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Handler serves the web UI.
type Handler struct {
	app    *app.App
	log    *slog.Logger
	now    func() time.Time
	tpl    *engine
	routes []route
}

type route struct {
	httpx.Route
	serve http.HandlerFunc
}

// Cookie names of the UI's preferences.
const (
	langCookie  = "lang"
	themeCookie = "theme"
	tzCookie    = "tz"
	flashCookie = "liaison_flash"
)

// New returns the web UI over a. It parses every template, so a broken
// template stops the program here.
func New(a *app.App, opts Options) *Handler {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Handler{app: a, log: opts.Log, now: opts.Now, tpl: newEngine()}
	h.routes = append(h.table(), h.serviceRoutes()...)
	h.routes = append(h.routes, h.agreementRoutes()...)
	h.routes = append(h.routes, h.homeRoutes()...)
	h.routes = append(h.routes, h.decisionRoutes()...)
	h.routes = append(h.routes, h.supplierRoutes()...)
	h.routes = append(h.routes, h.complaintRoutes()...)
	h.routes = append(h.routes, h.improvementRoutes()...)
	h.routes = append(h.routes, h.bizWatchRoutes()...)
	h.routes = append(h.routes, h.meetingRoutes()...)
	h.routes = append(h.routes, h.actionRoutes()...)
	h.routes = append(h.routes, h.cycleRoutes()...)
	h.routes = append(h.routes, h.calendarRoutes()...)
	h.routes = append(h.routes, h.reportRoutes()...)
	h.routes = append(h.routes, h.respondRoutes()...)
	h.routes = append(h.routes, h.ticketRoutes()...)
	h.routes = append(h.routes, h.importRoutes()...)
	h.routes = append(h.routes, h.surveyRoutes()...)
	h.routes = append(h.routes, h.campaignRoutes()...)
	h.routes = append(h.routes, h.publishRoutes()...)
	h.routes = append(h.routes, h.triggerRoutes()...)
	h.routes = append(h.routes, h.dataMapRoutes()...)
	h.routes = append(h.routes, h.contactRoutes()...)
	h.routes = append(h.routes, h.dashboardRoutes()...)
	h.routes = append(h.routes, h.projectRoutes()...)
	h.routes = append(h.routes, h.planRoutes()...)
	h.routes = append(h.routes, h.followRoutes()...)
	return h
}

// table lists every route of the UI with the access it needs. The server's
// authorisation-matrix test walks it, so every route must be here.
func (h *Handler) table() []route {
	const (
		public   = liaison.AccessPublic
		signedIn = liaison.AccessSignedIn
		read     = liaison.AccessRead
		write    = liaison.AccessWrite
		curate   = liaison.AccessCurate
		admin    = liaison.AccessAdmin
	)
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/static/", public, serveStatic().ServeHTTP),
		r("GET", "/login", public, h.showLogin),
		r("POST", "/login", public, h.login),
		r("POST", "/logout", signedIn, h.logout),
		r("POST", "/settings/language", public, h.setLanguage),
		r("POST", "/settings/theme", public, h.setTheme),

		r("GET", "/{$}", read, h.showHome),
		r("GET", "/accounts", read, h.showAccounts),
		r("GET", "/organisations", read, h.showTree),
		r("GET", "/organisations/new", write, h.newUnit),
		r("POST", "/organisations", write, h.createUnit),
		r("GET", "/organisations/{id}", read, h.showUnit),
		r("GET", "/organisations/{id}/structure", read, h.showUnit),
		r("GET", "/organisations/{id}/people", read, h.showUnit),
		r("GET", "/organisations/{id}/timeline", read, h.showUnit),
		r("GET", "/organisations/{id}/history", read, h.showUnitHistory),
		r("GET", "/organisations/{id}/edit", write, h.editUnit),
		r("POST", "/organisations/{id}", write, h.updateUnit),
		r("GET", "/organisations/{id}/delete", write, h.confirmDeleteUnit),
		r("POST", "/organisations/{id}/delete", write, h.deleteUnit),
		r("POST", "/organisations/{id}/restore", curate, h.restoreUnit),
		r("GET", "/organisations/{id}/roles/new", write, h.newRole),
		r("POST", "/organisations/{id}/roles", write, h.createRole),

		r("GET", "/people/new", write, h.newPerson),
		r("POST", "/people", write, h.createPerson),
		r("GET", "/people/{id}", read, h.showPerson),
		r("GET", "/people/{id}/history", read, h.showPersonHistory),
		r("GET", "/people/{id}/edit", write, h.editPerson),
		r("POST", "/people/{id}", write, h.updatePerson),
		r("POST", "/people/{id}/delete", write, h.deletePerson),
		r("POST", "/people/{id}/restore", curate, h.restorePerson),
		r("GET", "/people/{id}/roles/new", write, h.newRole),
		r("POST", "/people/{id}/roles", write, h.createRole),

		r("GET", "/roles/{id}/edit", write, h.editRole),
		r("POST", "/roles/{id}", write, h.updateRole),
		r("POST", "/roles/{id}/end", write, h.endRole),
		r("POST", "/roles/{id}/delete", write, h.deleteRole),

		r("GET", "/portfolio", read, h.showPortfolio),
		r("GET", "/search", read, h.showSearch),

		r("GET", "/settings/tokens", signedIn, h.showTokens),
		r("POST", "/settings/tokens", signedIn, h.createToken),
		r("POST", "/settings/tokens/{id}/revoke", signedIn, h.revokeToken),

		r("GET", "/admin/trash", curate, h.showTrash),
		r("GET", "/admin/segments", read, h.showSegments),
		r("GET", "/admin/segments/new", curate, h.newSegment),
		r("POST", "/admin/segments", curate, h.createSegment),
		r("GET", "/admin/segments/{id}/edit", curate, h.editSegment),
		r("POST", "/admin/segments/{id}", curate, h.updateSegment),
		r("POST", "/admin/segments/{id}/delete", curate, h.deleteSegment),
		r("GET", "/admin/users", read, h.showUsers),
		r("GET", "/admin/jobs", admin, h.showJobs),

		// Anything no other route matches: the translated 404 page. It is
		// registered without a method so that it never conflicts with the
		// API's subtree patterns.
		r("GET", "/", public, h.NotFound),
	}
}

// Routes lists every route of the UI and the access it needs.
func (h *Handler) Routes() []httpx.Route {
	rs := make([]httpx.Route, len(h.routes))
	for i, r := range h.routes {
		rs[i] = r.Route
	}
	return rs
}

// Register adds the UI's routes to mux, each behind its access guard and
// the input check.
func (h *Handler) Register(mux *http.ServeMux) {
	for _, r := range h.routes {
		pattern := r.Method + " " + r.Pattern
		if r.Pattern == "/" {
			pattern = "/"
		}
		mux.Handle(pattern, h.guard(r.Access, h.input(r.serve)))
	}
}

// maxFormBytes is the largest request body the UI reads. Its forms are
// small (the longest field holds 20,000 characters); a larger body answers
// 413 before anything of it is used.
const maxFormBytes = 1 << 20

// input reads a request's form once, within maxFormBytes, and refuses text
// that no database column holds (NUL characters, invalid UTF-8: PostgreSQL
// refuses both) before a handler passes it on: in the path 404, in the
// query or the form 400.
func (h *Handler) input(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if badText(r.URL.Path) {
			h.renderError(w, r, http.StatusNotFound)
			return
		}
		if badValues(r.URL.Query()) {
			h.renderError(w, r, http.StatusBadRequest)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			limit := int64(maxFormBytes)
			if isMultipart(r) {
				limit = maxUploadBytes // an upload: its handler parses the form
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := r.ParseForm(); err != nil {
				code := http.StatusBadRequest
				if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
					code = http.StatusRequestEntityTooLarge
				}
				h.renderError(w, r, code)
				return
			}
			if badValues(r.PostForm) {
				h.renderError(w, r, http.StatusBadRequest)
				return
			}
		}
		next(w, r)
	}
}

func badText(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }

func badValues(v url.Values) bool {
	for k, vs := range v {
		if badText(k) {
			return true
		}
		for _, s := range vs {
			if badText(s) {
				return true
			}
		}
	}
	return false
}

// guard lets a request through when its principal has access a: anonymous
// visitors are sent to sign in, signed-in users without the right get the
// 403 page in their language.
func (h *Handler) guard(a liaison.Access, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a == liaison.AccessPublic {
			next(w, r)
			return
		}
		p := liaison.PrincipalFrom(r.Context())
		if p == nil || p.User == nil {
			h.toLogin(w, r)
			return
		}
		if !p.Allows(a) {
			h.renderError(w, r, http.StatusForbidden)
			return
		}
		next(w, r)
	})
}

// toLogin sends an anonymous visitor to the sign-in page, remembering
// where they were going.
func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = safeNext(refererPath(r))
	}
	u := "/login"
	if next != "/" && next != "" {
		u += "?next=" + url.QueryEscape(next)
	}
	redirect(w, r, u)
}

// redirect answers 303 See Other; for a request made by htmx outside
// boosted navigation it asks htmx to load the page instead.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" {
		w.Header().Set("HX-Location", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// safeNext keeps a "next" target only when it is a path on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

func refererPath(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || (u.Host != "" && u.Host != r.Host) {
		return ""
	}
	return u.RequestURI()
}

// localizer picks the language: the signed-in user's preference, else the
// lang cookie, else the browser's Accept-Language.
func (h *Handler) localizer(r *http.Request) *i18n.Localizer {
	if p := liaison.PrincipalFrom(r.Context()); p != nil && p.User != nil && p.User.Language.Valid() {
		return i18n.For(p.User.Language)
	}
	if c, err := r.Cookie(langCookie); err == nil && liaison.Language(c.Value).Valid() {
		return i18n.For(liaison.Language(c.Value))
	}
	return i18n.For(i18n.Match(r.Header.Get("Accept-Language")))
}

// page fills the common page data of a request.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, title string, section string) Page {
	l := h.localizer(r)
	p := Page{L: l, Title: title, Section: section, Path: r.URL.RequestURI(), Now: h.now(), TZ: time.UTC}
	if pr := liaison.PrincipalFrom(r.Context()); pr != nil && pr.User != nil {
		p.Principal, p.User = pr, pr.User
	} else {
		p.Bare = true
	}
	if c, err := r.Cookie(themeCookie); err == nil && (c.Value == "light" || c.Value == "dark") {
		p.Theme = c.Value
	}
	if c, err := r.Cookie(tzCookie); err == nil && c.Value != "" {
		if loc, err := time.LoadLocation(c.Value); err == nil {
			p.TZ = loc
		}
	}
	p.Flash = h.takeFlash(w, r, l)
	if p.Principal.Internal() {
		ctx, n, done := r.Context(), 0, false
		p.unread = func() int {
			if !done {
				done = true
				var err error
				if n, err = h.app.UnreadNotifications(ctx); err != nil {
					h.log.Warn("unread notifications", "err", err)
				}
			}
			return n
		}
	}
	return p
}

// render writes a page with status code. Rendering into a buffer first
// means a template error becomes a clean 500, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	var buf bytes.Buffer
	if err := h.tpl.render(&buf, name, data); err != nil {
		h.log.Error("render", "page", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Vary", "HX-Request, Cookie, Accept-Language")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// errorPage is the data of the 403, 404 and 500 pages.
type errorPage struct {
	Page
	Code    int
	Heading string
	Message string
}

func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, code int) {
	p := h.page(w, r, "", "")
	key := "404"
	switch code {
	case http.StatusForbidden:
		key = "403"
	case http.StatusNotFound:
	case http.StatusTooManyRequests:
		key = "429"
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		// A request no form of the UI sends: a tampered or oversized one.
		p.Title = p.L.T("error.code.bad_request")
		msg := p.L.T("error.invalid")
		if code == http.StatusRequestEntityTooLarge {
			msg = p.L.T("error.too_long", maxFormBytes)
		}
		h.render(w, r, code, "error", &errorPage{Page: p, Code: code, Heading: p.Title, Message: msg})
		return
	default:
		key, code = "500", http.StatusInternalServerError
	}
	p.Title = p.L.T("errorpage." + key + ".title")
	h.render(w, r, code, "error", &errorPage{Page: p, Code: code, Heading: p.Title, Message: p.L.T("errorpage." + key + ".text")})
}

// NotFound answers the translated 404 page.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, http.StatusNotFound)
}

// fail answers an error from the service layer: sign-in for EUNAUTHORIZED,
// the error page of its status otherwise. Internal errors are logged.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := httpx.Status(err)
	switch code {
	case http.StatusUnauthorized:
		h.toLogin(w, r)
		return
	case httpx.StatusClientClosed:
		w.WriteHeader(code) // nobody is waiting for a page
		return
	case http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests:
	default:
		var e *liaison.Error
		if code >= 500 || !errors.As(err, &e) {
			h.log.Error("web", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		if code < 500 {
			// A conflict or invalid request outside a form: say what was wrong where it happened.
			h.flash(w, r, "danger", h.localizer(r).Error(err))
			redirect(w, r, safeNext(refererPath(r)))
			return
		}
	}
	h.renderError(w, r, code)
}

// flash stores a translated one-time message for the next page.
func (h *Handler) flash(w http.ResponseWriter, r *http.Request, kind, message string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(kind + "|" + message), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: auth.Secure(r), SameSite: http.SameSiteLaxMode})
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request, l *i18n.Localizer) *Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: auth.Secure(r), SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(v, "|")
	if !ok || msg == "" {
		return nil
	}
	return &Flash{Kind: kind, Message: msg}
}

// flashT stores a flash message translated in the request's language.
func (h *Handler) flashT(w http.ResponseWriter, r *http.Request, key string, args ...any) {
	h.flash(w, r, "ok", h.localizer(r).T(key, args...))
}

func setPrefCookie(w http.ResponseWriter, r *http.Request, name, value string) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")}
	if value == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}
