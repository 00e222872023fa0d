package web

import (
	"net"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
)

type loginPage struct {
	Page
	Email string
	Next  string
	Error string
}

func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if p := liaison.PrincipalFrom(r.Context()); p != nil && p.User != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := h.page(w, r, "", "")
	p.Title = p.L.T("login.title")
	h.render(w, r, http.StatusOK, "login", &loginPage{Page: p, Next: next})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	secret, _, err := h.app.SignIn(r.Context(), email, password, clientKey(r))
	if err == nil {
		auth.SetSessionCookie(w, r, secret)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := h.page(w, r, "", "")
	p.Title = p.L.T("login.title")
	code := http.StatusUnauthorized
	msg := p.L.T("login.failed")
	switch liaison.ErrorCode(err) {
	case liaison.EUNAUTHORIZED:
	case liaison.ETOOMANY:
		code, msg = http.StatusTooManyRequests, p.L.T("login.throttled")
	default:
		h.log.Error("sign in", "err", err)
		code, msg = http.StatusInternalServerError, p.L.T("error.internal")
	}
	h.render(w, r, code, "login", &loginPage{Page: p, Email: email, Next: next, Error: msg})
}

// clientKey names the client for sign-in throttling: its address.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" {
		if err := h.app.SignOut(r.Context(), c.Value); err != nil {
			h.log.Error("sign out", "err", err)
		}
	}
	auth.ClearSessionCookie(w, r)
	// To the home page, which sends the now anonymous browser on to sign in.
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// setLanguage saves the language: on the user when signed in, and in a
// cookie in any case, so the sign-in page speaks it too.
func (h *Handler) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := liaison.Language(r.PostFormValue("lang"))
	next := safeNext(r.PostFormValue("next"))
	if !lang.Valid() {
		h.renderError(w, r, http.StatusNotFound)
		return
	}
	if p := liaison.PrincipalFrom(r.Context()); p != nil && p.User != nil {
		if err := h.app.SetLanguage(r.Context(), lang); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	setPrefCookie(w, r, langCookie, string(lang))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// setTheme stores the theme override ("", light or dark) in a cookie; the
// page script does the same without a round trip.
func (h *Handler) setTheme(w http.ResponseWriter, r *http.Request) {
	theme := r.PostFormValue("theme")
	if theme != "light" && theme != "dark" {
		theme = ""
	}
	setPrefCookie(w, r, themeCookie, theme)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}
