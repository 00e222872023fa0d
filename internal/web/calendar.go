package web

import (
	"net/http"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/auth"
	"github.com/liaisonhq/liaison/internal/httpx"
)

// Calendar feeds (SPEC C7, §4): the user-menu page that makes, shows
// (once, right after making it) and renews or revokes the private feed
// URL; the feed itself at /calendar/{secret}.ics, which needs no session
// because its secret is the credential; and sending a meeting's .ics
// invitations.

func init() {
	pages = append(pages, "calendar")
}

func (h *Handler) calendarRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/settings/calendar", liaison.AccessSignedIn, h.showCalendar),
		r("POST", "/settings/calendar", liaison.AccessSignedIn, h.createCalendarFeed),
		r("POST", "/settings/calendar/revoke", liaison.AccessSignedIn, h.revokeCalendarFeed),
		// ServeMux wildcards take whole segments, so {file} is "<secret>.ics".
		r("GET", "/calendar/{file}", liaison.AccessPublic, h.serveCalendarFeed),
		r("POST", "/meetings/{id}/invitations", liaison.AccessSignedIn, h.sendInvitations),
	}
}

// baseURL is the address the client used, for links in feeds and mail.
func baseURL(r *http.Request) string {
	scheme := "http"
	if auth.Secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

type calendarPage struct {
	Page
	Feed *liaison.CalendarFeed // the live feed, nil when none
	URL  string                // the feed's URL, only right after it was made
}

func (h *Handler) renderCalendar(w http.ResponseWriter, r *http.Request, code int, url string) {
	p := h.page(w, r, "", "")
	p.Title = p.L.T("calendar.title")
	data := &calendarPage{Page: p, URL: url}
	f, err := h.app.CalendarFeed(r.Context())
	switch {
	case err == nil:
		data.Feed = f
	case liaison.ErrorCode(err) != liaison.ENOTFOUND:
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "calendar", data)
}

func (h *Handler) showCalendar(w http.ResponseWriter, r *http.Request) {
	h.renderCalendar(w, r, http.StatusOK, "")
}

func (h *Handler) createCalendarFeed(w http.ResponseWriter, r *http.Request) {
	secret, _, err := h.app.CreateCalendarFeed(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The URL is shown on this response only: just its hash is stored.
	h.renderCalendar(w, r, http.StatusCreated, baseURL(r)+app.CalendarPath(secret))
}

func (h *Handler) revokeCalendarFeed(w http.ResponseWriter, r *http.Request) {
	if err := h.app.RevokeCalendarFeed(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "calendar.flash.revoked")
	redirect(w, r, "/settings/calendar")
}

// serveCalendarFeed answers a feed URL. Anything but a live secret is a
// plain 404 with no hint of why, so secrets cannot be probed.
func (h *Handler) serveCalendarFeed(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := h.app.CalendarICS(r.Context(), secret, baseURL(r))
	if err != nil {
		if liaison.ErrorCode(err) == liaison.ENOTFOUND {
			http.NotFound(w, r)
			return
		}
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="liaison.ics"`)
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(body)
}

func (h *Handler) sendInvitations(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, err := h.app.SendInvitations(r.Context(), id, baseURL(r))
	if err != nil {
		if e, ok := err.(*liaison.Error); ok && e.Code == liaison.EINVALID {
			h.flash(w, r, "warn", h.localizer(r).Error(err))
			redirect(w, r, "/meetings/"+id)
			return
		}
		h.fail(w, r, err)
		return
	}
	l := h.localizer(r)
	msg := l.T("calendar.flash.invited", res.Queued, res.Already)
	if len(res.NoEmail) > 0 {
		msg += " " + l.T("calendar.flash.no_email", strings.Join(res.NoEmail, ", "))
	}
	h.flash(w, r, "ok", msg)
	redirect(w, r, "/meetings/"+id)
}
