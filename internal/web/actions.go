package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Action items (SPEC C7, §4): "My actions" with its tabs, the action's
// page with its history, the form, one-click done and reopen (htmx swaps
// the row; without JavaScript the form posts and the page comes back), an
// account's Actions tab, the home page's panel, the action list of a
// meeting (the "meeting-actions" partial) and the reviews due.

func init() {
	pages = append(pages, "actions", "action", "action_form", "reviews_due")
}

func (h *Handler) actionRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Staff create actions and owners change their status: the service
	// layer checks the record-level rights, so the guard asks for sign-in.
	read, signedIn := liaison.AccessRead, liaison.AccessSignedIn
	return []route{
		r("GET", "/actions", read, h.showActions),
		r("GET", "/actions/new", read, h.newAction),
		r("POST", "/actions", signedIn, h.createAction),
		r("GET", "/actions/{id}", read, h.showAction),
		r("GET", "/actions/{id}/edit", read, h.editAction),
		r("POST", "/actions/{id}", signedIn, h.updateAction),
		r("POST", "/actions/{id}/status", signedIn, h.setActionStatus),
		r("POST", "/actions/{id}/delete", signedIn, h.deleteAction),
		r("GET", "/organisations/{id}/actions", read, h.showUnitActions),
		r("GET", "/reviews-due", read, h.showReviewsDue),
	}
}

// actionRow is one action as the lists show it, with what the viewer may
// do: the "action-row" partial's data, also rendered alone for htmx.
type actionRow struct {
	L         *i18n.Localizer
	A         *liaison.Action
	Overdue   bool
	CanStatus bool
	Return    string // where the no-JavaScript toggle comes back to
	Account   bool   // show the account column
	Error     string // why the last change was refused (htmx)
}

func (h *Handler) actionRows(ctx context.Context, l *i18n.Localizer, as []*liaison.Action, back string, account bool) []actionRow {
	now := h.now()
	out := make([]actionRow, len(as))
	for i, a := range as {
		out[i] = actionRow{L: l, A: a, Overdue: a.Overdue(now), CanStatus: h.app.ActionRights(ctx, a).Status, Return: back, Account: account}
	}
	return out
}

// safeReturn keeps a return target only when it is a path on this site.
func safeReturn(s, fallback string) string {
	if s == "" {
		return fallback
	}
	if n := safeNext(s); n != "/" || s == "/" {
		return n
	}
	return fallback
}

// ---------- My actions ----------

// actionTabs are the views of /actions, in order: the viewer's open
// actions, everyone's overdue and open ones, and the done.
var actionTabs = []string{"mine", "overdue", "open", "done"}

type actionsPage struct {
	Page
	Q        ListQuery
	Tab      string
	Tabs     []Option
	Rows     []actionRow
	Next     string
	Counts   liaison.ActionCounts
	Owners   []Option
	Accounts []Option
	CanNew   bool
}

// TabHref is a tab's link, keeping the search and filters.
func (p *actionsPage) TabHref(tab string) string {
	v := url.Values{}
	for _, k := range []string{"q", "owner_id", "organisation_id"} {
		if x := p.Q.Get(k); x != "" && !(tab == "mine" && k == "owner_id") {
			v.Set(k, x)
		}
	}
	if tab != "mine" {
		v.Set("view", tab)
	}
	if len(v) == 0 {
		return "/actions"
	}
	return "/actions?" + v.Encode()
}

func (h *Handler) showActions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "actions")
	p.Title = p.L.T("action.list.title")
	q := ListQuery{Base: "/actions", Values: r.URL.Query()}
	tab := q.Get("view")
	if !oneOfImp(tab, actionTabs) {
		tab = "mine"
	}
	f := liaison.ActionFilter{Q: q.Get("q"), OwnerID: q.Get("owner_id"), OrganisationID: q.Get("organisation_id"), Cursor: q.Get("cursor"), Limit: 50}
	switch tab {
	case "mine":
		f.OwnerID, f.Status = p.User.ID, liaison.ActionOpen
	case "overdue":
		f.Overdue = true
	case "open":
		f.Status = liaison.ActionOpen
	case "done":
		f.Status, f.Sort = liaison.ActionDone, "-updated_at"
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "actions", "action.list.title", actionColumns(p.L), func(cursor string, limit int) ([]*liaison.Action, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Actions(ctx, f)
		})
		return
	}
	list, next, err := h.app.Actions(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Actions(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &actionsPage{Page: p, Q: q, Tab: tab, CanNew: h.app.CanCreateActions(ctx)}
	data.Rows = h.actionRows(ctx, p.L, list, r.URL.RequestURI(), true)
	for _, t := range actionTabs {
		data.Tabs = append(data.Tabs, Option{Value: t, Label: p.L.T("action.tab." + t)})
	}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.Counts, err = h.app.MyActionCounts(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Owners = lk.userOptions()
	h.render(w, r, http.StatusOK, "actions", data)
}

// ---------- one click: done, reopen, cancel ----------

func (h *Handler) setActionStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	to := liaison.ActionStatus(r.PostFormValue("status"))
	back := safeReturn(r.PostFormValue("return"), "/actions/"+r.PathValue("id"))
	a, err := h.app.SetActionStatus(ctx, r.PathValue("id"), to, atoi(r.PostFormValue("version")))
	htmx := r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true"
	if err != nil {
		code := httpx.Status(err)
		if cur, rerr := h.app.Action(ctx, r.PathValue("id")); htmx && code < 500 && code != http.StatusUnauthorized && rerr == nil {
			// The row comes back as it is, saying why in its place.
			row := h.actionRows(ctx, h.localizer(r), []*liaison.Action{cur}, back, r.PostFormValue("account") != "")[0]
			row.Error = h.localizer(r).Error(err)
			if msgs := h.localizer(r).FieldErrors(err); msgs["status"] != "" {
				row.Error = msgs["status"]
			}
			h.renderFragment(w, r, "actions", "action-row", row)
			return
		}
		h.fail(w, r, err)
		return
	}
	if htmx {
		row := h.actionRows(ctx, h.localizer(r), []*liaison.Action{a}, back, r.PostFormValue("account") != "")[0]
		h.renderFragment(w, r, "actions", "action-row", row)
		return
	}
	h.flashT(w, r, "action.flash.status", a.Title, h.localizer(r).T("action.status."+string(a.Status)))
	redirect(w, r, back)
}

// renderFragment writes one named template of a page's set: the piece an
// htmx request swaps in.
func (h *Handler) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, data any) {
	var buf strings.Builder
	if err := h.tpl.sets[page].ExecuteTemplate(&buf, name, data); err != nil {
		h.log.Error("render", "page", page, "fragment", name, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "HX-Request, Cookie, Accept-Language")
	w.Write([]byte(buf.String()))
}

// ---------- detail ----------

type actionPage struct {
	Page
	A       *liaison.Action
	Row     actionRow
	Rights  app.ActionRights
	Next    []liaison.ActionStatus
	History []historyEntry
}

func (h *Handler) showAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Action(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, a.Title, "actions")
	p.Crumbs = []Crumb{{Label: p.L.T("action.list.title"), Href: "/actions"}, {Label: a.Title}}
	data := &actionPage{Page: p, A: a, Rights: h.app.ActionRights(ctx, a), Next: liaison.NextActionStatuses(a.Status)}
	data.Row = h.actionRows(ctx, p.L, []*liaison.Action{a}, "/actions/"+a.ID, true)[0]
	entries, _, err := h.app.Audit(ctx, "action", a.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.History = actionHistory(p, entries)
	h.render(w, r, http.StatusOK, "action", data)
}

// actionHistoryFields are the fields an action's history shows, in order.
var actionHistoryFields = []struct{ json, label string }{
	{"status", "field.status"}, {"title", "action.field.title"}, {"owner_name", "action.field.owner_id"},
	{"due_date", "action.field.due_date"}, {"organisation_name", "action.field.organisation_id"},
	{"meeting_title", "action.field.meeting_id"}, {"description", "action.field.description"},
}

// actionHistory turns an action's audit entries into readable changes.
func actionHistory(p Page, entries []*liaison.AuditEntry) []historyEntry {
	value := func(field string, raw any) string {
		s, _ := raw.(string)
		if field == "status" && s != "" {
			return p.L.T("action.status." + s)
		}
		if field == "due_date" && s != "" {
			return p.L.DateString(s)
		}
		return s
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, f := range actionHistoryFields {
			if b, a := value(f.json, before[f.json]), value(f.json, after[f.json]); b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f.label), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

func (h *Handler) deleteAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Action(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteAction(ctx, a.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "action.flash.deleted", a.Title)
	redirect(w, r, "/actions")
}

// ---------- form ----------

type actionFormPage struct {
	Page
	Form     *Form
	A        *liaison.Action // nil when creating
	Owners   []Option
	Accounts []Option
	Meeting  string // the meeting's title when the action comes from one
	Back     string
}

var actionFields = []string{"title", "description", "owner_id", "organisation_id", "due_date", "meeting_id"}

func actionForm(a *liaison.Action) *Form {
	f := newForm()
	f.Set("title", a.Title)
	f.Set("description", a.Description)
	f.Set("owner_id", a.OwnerID)
	f.Set("organisation_id", deref(a.OrganisationID))
	f.Set("meeting_id", deref(a.MeetingID))
	f.Set("due_date", deref(a.DueDate))
	f.Set("version", itoa(a.Version))
	return f
}

func readActionForm(r *http.Request, a *liaison.Action) *Form {
	f := newForm()
	for _, k := range append([]string{"version", "return"}, actionFields...) {
		f.Set(k, r.PostFormValue(k))
	}
	a.Title, a.Description, a.OwnerID = f.Get("title"), f.Get("description"), f.Get("owner_id")
	a.OrganisationID, a.MeetingID, a.DueDate = optional(f.Get("organisation_id")), optional(f.Get("meeting_id")), optional(f.Get("due_date"))
	return f
}

func (h *Handler) renderActionForm(w http.ResponseWriter, r *http.Request, code int, f *Form, a *liaison.Action) {
	ctx := r.Context()
	p := h.page(w, r, "", "actions")
	data := &actionFormPage{Page: p, Form: f, A: a, Back: safeReturn(f.Get("return"), "/actions")}
	if a != nil {
		p.Title = p.L.T("action.edit.title", a.Title)
		if f.Get("return") == "" {
			data.Back = "/actions/" + a.ID
		}
		data.Meeting = a.MeetingTitle
		p.Crumbs = []Crumb{{Label: p.L.T("action.list.title"), Href: "/actions"}, {Label: a.Title, Href: "/actions/" + a.ID}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("action.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("action.list.title"), Href: "/actions"}, {Label: p.Title}}
		if id := f.Get("meeting_id"); id != "" {
			// The meeting names the account; its title tells the user which.
			if m, err := h.app.ActionMeeting(ctx, id); err == nil {
				data.Meeting = m.Title
				f.Set("organisation_id", m.OrganisationID)
			}
		}
	}
	data.Page = p
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Owners = lk.userOptions()
	h.render(w, r, code, "action_form", data)
}

func (h *Handler) newAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !h.app.CanCreateActions(ctx) {
		h.fail(w, r, forbiddenPage())
		return
	}
	q := r.URL.Query()
	a := &liaison.Action{OwnerID: liaison.PrincipalFrom(ctx).User.ID, OrganisationID: optional(q.Get("organisation_id")),
		MeetingID: optional(q.Get("meeting_id")), DueDate: optional(q.Get("due_date"))}
	f := actionForm(a)
	f.Set("version", "")
	f.Set("return", q.Get("return"))
	h.renderActionForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createAction(w http.ResponseWriter, r *http.Request) {
	a := &liaison.Action{}
	f := readActionForm(r, a)
	if err := h.app.CreateAction(r.Context(), a); err != nil {
		if code := applyFormError(h.localizer(r), f, err, actionFields...); code != 0 {
			h.renderActionForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "action.flash.created", a.Title)
	redirect(w, r, safeReturn(f.Get("return"), "/actions/"+a.ID))
}

func (h *Handler) editAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Action(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.ActionRights(ctx, a).Edit {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderActionForm(w, r, http.StatusOK, actionForm(a), a)
}

func (h *Handler) updateAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Action(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := *cur
	f := readActionForm(r, &a)
	if err := h.app.UpdateAction(ctx, &a, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, actionFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderActionForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, safeReturn(f.Get("return"), "/actions/"+a.ID))
}

// ---------- account tab ----------

type unitActionsPage struct {
	*unitPage
	Actions   []actionRow
	CanCreate bool
}

func (h *Handler) showUnitActions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	f := liaison.ActionFilter{OrganisationID: id, Status: liaison.ActionOpen, Limit: 500}
	if exportFormat(r) != "" {
		exportList(h, w, r, "actions", "action.tab", actionColumns(p.L), func(cursor string, limit int) ([]*liaison.Action, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Actions(ctx, f)
		})
		return
	}
	list, _, err := h.app.Actions(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &unitActionsPage{unitPage: &unitPage{Page: p, V: v, Tab: "actions", CanDelete: v.CanWrite && len(v.Children) == 0},
		Actions: h.actionRows(ctx, p.L, list, r.URL.Path, false), CanCreate: h.app.CanCreateActions(ctx)}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- a meeting's actions ----------

// MeetingActions is the "meeting-actions" partial's data: the actions of
// one meeting with a form to add one. The meeting page fills it with
// Handler.meetingActions and renders {{template "meeting-actions" .Actions}}.
type MeetingActions struct {
	L         *i18n.Localizer
	MeetingID string
	Rows      []actionRow
	CanAdd    bool
	Owners    []Option
	Me        string // the viewer, the default owner
	Return    string // the meeting page
}

// meetingActions loads the actions of a meeting for its page.
func (h *Handler) meetingActions(ctx context.Context, l *i18n.Localizer, meetingID string) (MeetingActions, error) {
	back := "/meetings/" + meetingID
	m := MeetingActions{L: l, MeetingID: meetingID, Return: back, CanAdd: h.app.CanCreateActions(ctx)}
	list, err := h.app.MeetingActions(ctx, meetingID)
	if err != nil {
		return m, err
	}
	m.Rows = h.actionRows(ctx, l, list, back+"#actions", false)
	if m.CanAdd {
		m.Me = liaison.PrincipalFrom(ctx).User.ID
		lk, err := h.lookups(ctx)
		if err != nil {
			return m, err
		}
		m.Owners = lk.userOptions()
	}
	return m, nil
}

// ---------- home ----------

// homeActions is the home page's "My actions" panel: the user's open
// actions, overdue first (the due-date order puts them first), with
// counts, and the reviews due on their accounts.
type homeActions struct {
	Counts  liaison.ActionCounts
	Rows    []actionRow
	Reviews []*liaison.ReviewDue
	// ReviewsAll: the reviews of every account (head, admin), not the user's.
	ReviewsAll bool
}

func (h *Handler) homeActions(ctx context.Context, p Page) (homeActions, error) {
	var ha homeActions
	var err error
	if ha.Counts, err = h.app.MyActionCounts(ctx); err != nil {
		return ha, err
	}
	list, _, err := h.app.Actions(ctx, liaison.ActionFilter{OwnerID: p.User.ID, Status: liaison.ActionOpen, Limit: 6})
	if err != nil {
		return ha, err
	}
	ha.Rows = h.actionRows(ctx, p.L, list, "/", true)
	f := liaison.ReviewFilter{ManagerID: p.User.ID}
	if ha.ReviewsAll = isHead(p); ha.ReviewsAll {
		f.ManagerID = ""
	}
	if ha.Reviews, err = h.app.ReviewsDue(ctx, f, ""); err != nil {
		return ha, err
	}
	return ha, nil
}

// ---------- reviews due ----------

type reviewsDuePage struct {
	Page
	Q        ListQuery
	Items    []*liaison.ReviewDue
	Managers []Option
	Overdue  int
	Due      int
}

func (h *Handler) showReviewsDue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "actions")
	p.Title = p.L.T("review.list.title")
	q := ListQuery{Base: "/reviews-due", Values: r.URL.Query()}
	state := liaison.ReviewState(q.Get("state"))
	if state != liaison.ReviewOverdue && state != liaison.ReviewDueSoon {
		state = ""
	}
	manager := q.Get("manager_id")
	if q.Get("mine") != "" {
		manager = p.User.ID
	}
	items, err := h.app.ReviewsDue(ctx, liaison.ReviewFilter{ManagerID: manager}, state)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		exportRows(h, w, r, "reviews-due", "review.list.title", reviewColumns(p.L), items)
		return
	}
	data := &reviewsDuePage{Page: p, Q: q, Items: items}
	for _, it := range items {
		if it.State == liaison.ReviewOverdue {
			data.Overdue++
		} else {
			data.Due++
		}
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Managers = lk.managerOptions()
	h.render(w, r, http.StatusOK, "reviews_due", data)
}

// reviewColumns are the columns of the exported reviews due.
func reviewColumns(l *i18n.Localizer) []exportColumn[*liaison.ReviewDue] {
	return []exportColumn[*liaison.ReviewDue]{
		{"review.field.account", func(d *liaison.ReviewDue) any { return d.OrganisationName }},
		{"field.relationship_manager_id", func(d *liaison.ReviewDue) any { return d.ManagerName }},
		{"review.field.service_review_months", func(d *liaison.ReviewDue) any { return d.IntervalMonths }},
		{"review.field.last", func(d *liaison.ReviewDue) any { return dayString(d.LastReview) }},
		{"review.field.due", func(d *liaison.ReviewDue) any { return dayString(d.DueDate) }},
		{"review.field.state", func(d *liaison.ReviewDue) any {
			if d.State == liaison.ReviewOverdue && d.DueDate == nil {
				return l.T("review.state.never")
			}
			return enumLabel(l, "review.state.", d.State)
		}},
		{"export.overdue_days", func(d *liaison.ReviewDue) any { return d.OverdueDays }},
	}
}

// actionColumns are the columns of the exported action list.
func actionColumns(l *i18n.Localizer) []exportColumn[*liaison.Action] {
	return []exportColumn[*liaison.Action]{
		{"action.field.title", func(a *liaison.Action) any { return a.Title }},
		{"action.field.organisation_id", func(a *liaison.Action) any { return a.OrganisationName }},
		{"action.field.owner_id", func(a *liaison.Action) any { return a.OwnerName }},
		{"action.field.due_date", func(a *liaison.Action) any { return dayString(a.DueDate) }},
		{"field.status", func(a *liaison.Action) any { return l.T("action.status." + string(a.Status)) }},
		{"export.meeting", func(a *liaison.Action) any { return a.MeetingTitle }},
		{"export.done_at", func(a *liaison.Action) any { return a.DoneAt }},
		{"field.updated_at", func(a *liaison.Action) any { return a.UpdatedAt }},
	}
}
