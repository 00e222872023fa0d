package web

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Triggers (SPEC C12): the list, the log-a-trigger form (from the header,
// the list and an account's page), a trigger's page with its task, and an
// account's triggers tab.

func init() {
	pages = append(pages, "triggers", "trigger", "trigger_form")
}

func (h *Handler) triggerRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Logging is open to staff and above, editing to the account's writers
	// and the reporter: the service layer checks, the guard needs reading.
	read, signedIn := liaison.AccessRead, liaison.AccessSignedIn
	return []route{
		r("GET", "/triggers", read, h.showTriggers),
		r("GET", "/triggers/new", read, h.newTrigger),
		r("POST", "/triggers", signedIn, h.createTrigger),
		r("GET", "/triggers/{id}", read, h.showTrigger),
		r("GET", "/triggers/{id}/edit", read, h.editTrigger),
		r("POST", "/triggers/{id}", signedIn, h.updateTrigger),
		r("POST", "/triggers/{id}/delete", signedIn, h.deleteTrigger),
		r("GET", "/organisations/{id}/triggers", read, h.showUnitTriggers),
	}
}

// triggerKindOptions are the nine kinds, labelled in the viewer's language.
func triggerKindOptions(p Page) []Option {
	out := make([]Option, len(liaison.TriggerKinds))
	for i, k := range liaison.TriggerKinds {
		out[i] = Option{Value: string(k), Label: p.L.T("trigger.kind." + string(k))}
	}
	return out
}

func triggerStatusOptions(p Page) []Option {
	out := make([]Option, len(liaison.ActionStatuses))
	for i, s := range liaison.ActionStatuses {
		out[i] = Option{Value: string(s), Label: p.L.T("trigger.status." + string(s))}
	}
	return out
}

// ---------- list ----------

type triggersPage struct {
	Page
	Q        ListQuery
	Items    []*liaison.Trigger
	Next     string
	Kinds    []Option
	Statuses []Option
	Accounts []Option
	CanLog   bool
}

func (h *Handler) showTriggers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "triggers")
	p.Title = p.L.T("trigger.list.title")
	q := ListQuery{Base: "/triggers", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "occurred_on", "-occurred_on", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.TriggerFilter{Q: q.Get("q"), OrganisationID: q.Get("organisation_id"), Kind: liaison.TriggerKind(q.Get("kind")),
		Status: liaison.ActionStatus(q.Get("status")), Source: liaison.TriggerSource(q.Get("source")), Sort: sortKey,
		Cursor: q.Get("cursor"), Limit: 50}
	if !oneOfImp(f.Kind, liaison.TriggerKinds) {
		f.Kind = ""
	}
	if !oneOfImp(f.Status, liaison.ActionStatuses) {
		f.Status = ""
	}
	if !oneOfImp(f.Source, liaison.TriggerSources) {
		f.Source = ""
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "triggers", "trigger.list.title", triggerColumns(p.L), func(cursor string, limit int) ([]*liaison.Trigger, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Triggers(ctx, f)
		})
		return
	}
	list, next, err := h.app.Triggers(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Triggers(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &triggersPage{Page: p, Q: q, Items: list, Kinds: triggerKindOptions(p), Statuses: triggerStatusOptions(p),
		CanLog: h.app.CanLogTriggers(ctx)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "triggers", data)
}

// ---------- detail ----------

type triggerPage struct {
	Page
	T       *liaison.Trigger
	Task    *actionRow // nil when the task is in the trash
	Rights  app.TriggerRights
	History []historyEntry
}

func (h *Handler) showTrigger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.app.Trigger(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, t.Title, "triggers")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.triggers"), Href: "/triggers"}, {Label: t.Title}}
	data := &triggerPage{Page: p, T: t, Rights: h.app.TriggerRights(ctx, t)}
	task, err := h.app.Action(ctx, t.ActionID)
	switch {
	case err == nil:
		rows := h.actionRows(ctx, p.L, []*liaison.Action{task}, "/triggers/"+t.ID, false)
		data.Task = &rows[0]
	case liaison.ErrorCode(err) != liaison.ENOTFOUND:
		h.fail(w, r, err)
		return
	}
	entries, _, err := h.app.Audit(ctx, "trigger", t.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.History = triggerHistory(p, entries)
	h.render(w, r, http.StatusOK, "trigger", data)
}

func (h *Handler) deleteTrigger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.app.Trigger(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteTrigger(ctx, t.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "trigger.flash.deleted", t.Title)
	redirect(w, r, "/organisations/"+t.AccountID+"/triggers")
}

// ---------- form ----------

type triggerFormPage struct {
	Page
	Form     *Form
	T        *liaison.Trigger // nil when logging
	Kinds    []Option
	Accounts []Option
	Services []Option
	Back     string
}

var triggerFields = []string{"organisation_id", "kind", "title", "description", "occurred_on", "service_id", "external_ref"}

func triggerForm(t *liaison.Trigger) *Form {
	f := newForm()
	f.Set("organisation_id", t.OrganisationID)
	f.Set("kind", string(t.Kind))
	f.Set("title", t.Title)
	f.Set("description", t.Description)
	f.Set("occurred_on", t.OccurredOn)
	f.Set("service_id", deref(t.ServiceID))
	f.Set("external_ref", deref(t.ExternalRef))
	f.Set("version", itoa(t.Version))
	return f
}

func readTriggerForm(r *http.Request, t *liaison.Trigger) *Form {
	f := newForm()
	for _, k := range append(triggerFields, "version", "return") {
		f.Set(k, r.PostFormValue(k))
	}
	if t.ID == "" {
		t.OrganisationID = f.Get("organisation_id")
	} else {
		f.Set("organisation_id", t.OrganisationID)
	}
	t.Kind, t.Title, t.Description = liaison.TriggerKind(f.Get("kind")), f.Get("title"), f.Get("description")
	t.OccurredOn, t.ServiceID, t.ExternalRef = f.Get("occurred_on"), optional(f.Get("service_id")), optional(f.Get("external_ref"))
	return f
}

func (h *Handler) renderTriggerForm(w http.ResponseWriter, r *http.Request, code int, f *Form, t *liaison.Trigger) {
	ctx := r.Context()
	p := h.page(w, r, "", "triggers")
	data := &triggerFormPage{Page: p, Form: f, T: t, Kinds: triggerKindOptions(p), Back: "/triggers"}
	if t != nil {
		p.Title = p.L.T("trigger.edit.title", t.Title)
		data.Back = "/triggers/" + t.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.triggers"), Href: "/triggers"}, {Label: t.Title, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("trigger.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.triggers"), Href: "/triggers"}, {Label: p.Title}}
		data.Back = safeReturn(f.Get("return"), "/triggers")
	}
	data.Page = p
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "trigger_form", data)
}

func (h *Handler) newTrigger(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanLogTriggers(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	q := r.URL.Query()
	f := triggerForm(&liaison.Trigger{OrganisationID: q.Get("organisation_id"), Kind: liaison.TriggerKind(q.Get("kind")),
		ServiceID: optional(q.Get("service_id"))})
	f.Set("version", "")
	f.Set("occurred_on", liaison.FormatDate(liaison.DateOf(h.now())))
	back := "/triggers"
	if id := q.Get("organisation_id"); id != "" {
		back = "/organisations/" + id + "/triggers"
	}
	f.Set("return", safeReturn(q.Get("return"), back))
	h.renderTriggerForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createTrigger(w http.ResponseWriter, r *http.Request) {
	t := &liaison.Trigger{Source: liaison.TriggerManual}
	f := readTriggerForm(r, t)
	created, err := h.app.CreateTrigger(r.Context(), t)
	if err != nil {
		if code := applyFormError(h.localizer(r), f, err, triggerFields...); code != 0 {
			h.renderTriggerForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	if created {
		h.flashT(w, r, "trigger.flash.created", t.Title, t.OwnerName)
	} else {
		h.flashT(w, r, "trigger.flash.exists", t.Title)
	}
	redirect(w, r, "/triggers/"+t.ID)
}

func (h *Handler) editTrigger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.app.Trigger(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.TriggerRights(ctx, t).Edit {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderTriggerForm(w, r, http.StatusOK, triggerForm(t), t)
}

func (h *Handler) updateTrigger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Trigger(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t := *cur
	f := readTriggerForm(r, &t)
	if err := h.app.UpdateTrigger(ctx, &t, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, triggerFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderTriggerForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/triggers/"+t.ID)
}

// ---------- account tab ----------

type unitTriggersPage struct {
	*unitPage
	Triggers []*liaison.Trigger
	Open     int
	CanLog   bool
}

func (h *Handler) showUnitTriggers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	data := &unitTriggersPage{unitPage: &unitPage{Page: p, V: v, Tab: "triggers", CanDelete: v.CanWrite && len(v.Children) == 0},
		CanLog: h.app.CanLogTriggers(ctx)}
	f := liaison.TriggerFilter{OrganisationID: id, Limit: 200}
	if exportFormat(r) != "" {
		exportList(h, w, r, "triggers", "trigger.tab", triggerColumns(p.L), func(cursor string, limit int) ([]*liaison.Trigger, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Triggers(ctx, f)
		})
		return
	}
	for {
		list, next, err := h.app.Triggers(ctx, f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Triggers = append(data.Triggers, list...)
		if next == "" || len(data.Triggers) >= 1000 {
			break
		}
		f.Cursor = next
	}
	for _, t := range data.Triggers {
		if t.Status == liaison.ActionOpen {
			data.Open++
		}
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- home ----------

// homeDeputised is the home page's panel of the open actions on the
// accounts the user deputises, owned by someone else (most often the
// relationship manager's trigger tasks): what the deputy stands in for.
func (h *Handler) homeDeputised(ctx context.Context, p Page) ([]actionRow, error) {
	list, _, err := h.app.Actions(ctx, liaison.ActionFilter{DeputyID: p.User.ID, Status: liaison.ActionOpen, Limit: 8})
	if err != nil {
		return nil, err
	}
	return h.actionRows(ctx, p.L, list, "/", true), nil
}

// DueDays is how many working days a trigger of kind gives its task.
func (p *triggerFormPage) DueDays(kind string) int {
	return liaison.TriggerDueDays(liaison.TriggerKind(kind))
}

// triggerHistoryFields are the fields a trigger's history shows, in order,
// with their labels; the rest are derived (names, the task's state) or
// bookkeeping.
var triggerHistoryFields = []struct{ json, label string }{
	{"title", "trigger.field.title"}, {"kind", "trigger.field.kind"}, {"occurred_on", "trigger.field.occurred_on"},
	{"description", "trigger.field.description"}, {"service_name", "trigger.field.service_id"},
	{"external_ref", "trigger.field.external_ref"}, {"organisation_name", "trigger.field.account"},
}

// triggerHistory turns a trigger's audit entries into readable changes:
// translated labels, kinds and dates.
func triggerHistory(p Page, entries []*liaison.AuditEntry) []historyEntry {
	value := func(field string, raw any) string {
		v, _ := raw.(string)
		switch {
		case v == "":
			return ""
		case field == "kind":
			return p.L.T("trigger.kind." + v)
		case field == "occurred_on":
			return p.L.DateString(v)
		}
		return v
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, f := range triggerHistoryFields {
			if b, a := value(f.json, before[f.json]), value(f.json, after[f.json]); b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f.label), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

// openTriggers are an account's open triggers for its overview.
func (h *Handler) openTriggers(ctx context.Context, accountID string) ([]*liaison.Trigger, error) {
	list, _, err := h.app.Triggers(ctx, liaison.TriggerFilter{OrganisationID: accountID, Status: liaison.ActionOpen, Limit: 5})
	return list, err
}

// triggerColumns are the columns of the exported trigger list.
func triggerColumns(l *i18n.Localizer) []exportColumn[*liaison.Trigger] {
	return []exportColumn[*liaison.Trigger]{
		{"trigger.field.title", func(t *liaison.Trigger) any { return t.Title }},
		{"trigger.field.kind", func(t *liaison.Trigger) any { return l.T("trigger.kind." + string(t.Kind)) }},
		{"trigger.field.account", func(t *liaison.Trigger) any { return t.AccountName }},
		{"export.unit", func(t *liaison.Trigger) any { return t.OrganisationName }},
		{"trigger.field.occurred_on", func(t *liaison.Trigger) any { return dayString(&t.OccurredOn) }},
		{"export.source", func(t *liaison.Trigger) any { return l.T("trigger.source." + string(t.Source)) }},
		{"export.reported_by", func(t *liaison.Trigger) any { return t.ReportedByName }},
		{"trigger.field.owner", func(t *liaison.Trigger) any { return t.OwnerName }},
		{"export.due_date", func(t *liaison.Trigger) any { return dayString(t.DueDate) }},
		{"trigger.field.status", func(t *liaison.Trigger) any { return l.T("trigger.status." + string(t.Status)) }},
	}
}
