package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Page is what every page template gets: the localizer, who is signed in,
// and the chrome around the content. Page structs embed it.
type Page struct {
	L         *i18n.Localizer
	User      *liaison.User
	Principal *liaison.Principal
	Title     string // already translated
	Section   string // the nav item to highlight: home, accounts, tree, portfolio, admin…
	Path      string // the request's path and query, for "next" links
	Theme     string // "", "light" or "dark"
	Search    string // the header search box's value
	Flash     *Flash
	Crumbs    []Crumb
	Bare      bool // no header and nav: sign-in and errors for anonymous users
	TZ        *time.Location
	Now       time.Time
	// unread counts the user's unread notifications (Unread, the bell).
	unread func() int
}

// Flash is a one-time notice shown after a redirect.
type Flash struct {
	Kind    string // ok, warn, danger
	Message string // translated
}

// Crumb is one step of a breadcrumb trail.
type Crumb struct {
	Label string
	Href  string
}

// Can reports whether the signed-in principal has access a ("read", "write", "curate", "admin").
func (p *Page) Can(a string) bool {
	return p.Principal != nil && p.Principal.Allows(liaison.Access(a))
}

// DateTime formats t in the viewer's time zone.
func (p *Page) DateTime(t time.Time) string { return p.L.DateTime(t, p.TZ) }

// Ago says how long ago t was.
func (p *Page) Ago(t time.Time) string { return p.L.Ago(t, p.Now) }

// Event translates a timeline kind such as "person.create" (i18n's Event).
func (p *Page) Event(kind string) string { return p.L.Event(kind) }

// Form holds what was typed into a form and what was wrong with it, so a
// rejected form comes back exactly as it was sent.
type Form struct {
	Values url.Values
	Errors map[string]string // translated, by field name
	Error  string            // translated message for the whole form
	Stale  bool              // someone else saved the record meanwhile
}

func newForm() *Form { return &Form{Values: url.Values{}, Errors: map[string]string{}} }

// Get returns a field's value.
func (f *Form) Get(name string) string { return f.Values.Get(name) }

// Has reports whether a checkbox field is on.
func (f *Form) Has(name string) bool {
	v := f.Values.Get(name)
	return v != "" && v != "0" && v != "false"
}

// Err returns a field's error message, "" when it is fine.
func (f *Form) Err(name string) string { return f.Errors[name] }

// Invalid reports whether any field or the form has an error.
func (f *Form) Invalid() bool { return len(f.Errors) > 0 || f.Error != "" }

// Set sets a field's value.
func (f *Form) Set(name, value string) { f.Values.Set(name, value) }

// Option is one choice of a select or radio group.
type Option struct {
	Value string
	Label string
	Depth int // indentation in tree pickers
}

// Indent returns the option's label indented by its depth, for tree pickers.
func (o Option) Indent() string {
	if o.Depth == 0 {
		return o.Label
	}
	return strings.Repeat("\u00a0\u00a0\u00a0", o.Depth) + "└ " + o.Label
}

// ListQuery is a list page's filters and sort, kept in the URL.
type ListQuery struct {
	Base   string
	Values url.Values
}

// Get returns a parameter.
func (q ListQuery) Get(k string) string { return q.Values.Get(k) }

// With returns the list URL with k set to v (and the cursor dropped).
func (q ListQuery) With(kv ...string) string {
	v := url.Values{}
	for k, vs := range q.Values {
		if k != "cursor" && len(vs) > 0 && vs[0] != "" {
			v.Set(k, vs[0])
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return q.Base
	}
	return q.Base + "?" + v.Encode()
}

// Sort returns the link of a sortable column: ascending first, then descending.
func (q ListQuery) Sort(field string) string {
	if q.Get("sort") == field {
		return q.With("sort", "-"+field)
	}
	return q.With("sort", field)
}

// AriaSort is the aria-sort value of a column header: ascending, descending or "".
func (q ListQuery) AriaSort(field string) string {
	switch q.Get("sort") {
	case field:
		return "ascending"
	case "-" + field:
		return "descending"
	}
	return ""
}

// Filtered reports whether any filter other than sort is set.
func (q ListQuery) Filtered() bool {
	for k, vs := range q.Values {
		if k != "sort" && k != "cursor" && len(vs) > 0 && vs[0] != "" {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
