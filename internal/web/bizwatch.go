package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Customer business plans (SPEC C2): an account's Business plans tab (its
// plan items and the technology watch notes linked to it), an item's page
// with its review and history, its form, and the list of overdue reviews
// across accounts. Technology watch (SPEC C11): the list, a note's page
// with the one-step improvement suggestion, and its form.

func init() {
	pages = append(pages, "bizplan", "bizplan_form", "bizplans_overdue", "watch_list", "watch_note", "watch_form")
}

func (h *Handler) bizWatchRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// The service layer checks the record-level rights (the account's
	// writers for plans, staff and above for notes).
	read, signedIn := liaison.AccessRead, liaison.AccessSignedIn
	return []route{
		r("GET", "/organisations/{id}/business-plans", read, h.showUnitBusinessPlans),
		r("GET", "/business-plans/overdue", read, h.showOverduePlans),
		r("GET", "/business-plans/new", read, h.newBusinessPlan),
		r("POST", "/business-plans", signedIn, h.createBusinessPlan),
		r("GET", "/business-plans/{id}", read, h.showBusinessPlan),
		r("GET", "/business-plans/{id}/edit", read, h.editBusinessPlan),
		r("POST", "/business-plans/{id}", signedIn, h.updateBusinessPlan),
		r("POST", "/business-plans/{id}/reviewed", signedIn, h.reviewBusinessPlan),
		r("POST", "/business-plans/{id}/delete", signedIn, h.deleteBusinessPlan),

		r("GET", "/watch", read, h.showWatchList),
		r("GET", "/watch/new", read, h.newWatchNote),
		r("POST", "/watch", signedIn, h.createWatchNote),
		r("GET", "/watch/{id}", read, h.showWatchNote),
		r("GET", "/watch/{id}/edit", read, h.editWatchNote),
		r("POST", "/watch/{id}", signedIn, h.updateWatchNote),
		r("POST", "/watch/{id}/status", signedIn, h.setWatchStatus),
		r("POST", "/watch/{id}/improvement", signedIn, h.proposeWatchNote),
		r("POST", "/watch/{id}/delete", signedIn, h.deleteWatchNote),
	}
}

// ---------- options ----------

func bizHorizonOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.BusinessPlanHorizons {
		o = append(o, Option{Value: string(s), Label: p.L.T("bizplan.horizon." + string(s))})
	}
	return o
}

func bizStatusOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.BusinessPlanStatuses {
		o = append(o, Option{Value: string(s), Label: p.L.T("bizplan.status." + string(s))})
	}
	return o
}

func watchStatusOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.WatchStatuses {
		o = append(o, Option{Value: string(s), Label: p.L.T("watch.status." + string(s))})
	}
	return o
}

func watchRelevanceOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.WatchRelevances {
		o = append(o, Option{Value: string(s), Label: p.L.T("watch.relevance." + string(s))})
	}
	return o
}

// namedOptions picks the options of ids from all, in the order of ids.
func namedOptions(all []Option, ids []string) []Option {
	names := make(map[string]string, len(all))
	for _, o := range all {
		names[o.Value] = o.Label
	}
	out := []Option{}
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, Option{Value: id, Label: n})
		}
	}
	return out
}

// multiSelected reports whether a multi-valued form field holds v.
func multiSelected(f *Form, name, v string) bool {
	for _, x := range f.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

// linkHistory turns the audit entries of a plan item or a watch note into
// readable changes of the given fields; service and account ids read as
// names, enumerations in the viewer's language.
func linkHistory(p Page, entries []*liaison.AuditEntry, fields [][2]string, enums map[string]string, names map[string]string) []historyEntry {
	value := func(field string, raw any) string {
		switch v := raw.(type) {
		case nil:
			return ""
		case string:
			if prefix, ok := enums[field]; ok && v != "" {
				return p.L.T(prefix + v)
			}
			if n, ok := names[v]; ok && strings.HasSuffix(field, "_id") {
				return n
			}
			if strings.HasSuffix(field, "_date") || field == "last_reviewed_on" {
				return p.L.DateString(v)
			}
			return v
		case []any:
			var parts []string
			for _, x := range v {
				s, _ := x.(string)
				if n, ok := names[s]; ok {
					s = n
				}
				parts = append(parts, s)
			}
			return strings.Join(parts, ", ")
		}
		b, _ := json.Marshal(raw)
		return string(b)
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, f := range fields {
			if b, a := value(f[0], before[f[0]]), value(f[0], after[f[0]]); b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f[1]), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

// serviceAndAccountNames maps service and account ids to names.
func (h *Handler) serviceAndAccountNames(ctx context.Context) ([]Option, []Option, map[string]string, error) {
	services, err := h.serviceOptions(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	accounts, names, err := h.accounts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, s := range services {
		names[s.Value] = s.Label
	}
	return services, accounts, names, nil
}

// ---------- business plans: the account tab ----------

type unitBusinessPlansPage struct {
	*unitPage
	Items    []*liaison.BusinessPlanItem
	Overdue  int
	Notes    []*liaison.WatchNote
	Services map[string]string
	CanWrite bool
}

func (h *Handler) showUnitBusinessPlans(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	data := &unitBusinessPlansPage{unitPage: &unitPage{Page: p, V: v, Tab: "business-plans", CanDelete: v.CanWrite && len(v.Children) == 0},
		CanWrite: h.app.CanWriteBusinessPlans(ctx, id)}
	f := liaison.BusinessPlanFilter{OrganisationID: id, Sort: "review_date", Limit: 500}
	var err error
	if data.Items, err = h.bizPlanItems(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	rank := map[liaison.BusinessPlanStatus]int{liaison.PlanItemActive: 0, liaison.PlanItemAchieved: 1, liaison.PlanItemDropped: 2}
	sort.SliceStable(data.Items, func(a, b int) bool { return rank[data.Items[a].Status] < rank[data.Items[b].Status] })
	if data.Services, err = h.serviceNames(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		exportRows(h, w, r, "business-plans", "bizplan.tab_title", bizPlanColumns(p.L, data.Services), data.Items)
		return
	}
	for _, b := range data.Items {
		if b.ReviewOverdue {
			data.Overdue++
		}
	}
	if data.Notes, _, err = h.app.WatchNotes(ctx, liaison.WatchFilter{OrganisationID: id, Sort: "-updated_at", Limit: 100}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// bizPlanItems reads the items f selects: the first page for the page,
// every one for an export.
func (h *Handler) bizPlanItems(r *http.Request, f liaison.BusinessPlanFilter) ([]*liaison.BusinessPlanItem, error) {
	if exportFormat(r) == "" {
		items, _, err := h.app.BusinessPlanItems(r.Context(), f)
		return items, err
	}
	return readAll(func(cursor string, limit int) ([]*liaison.BusinessPlanItem, string, error) {
		f.Cursor, f.Limit = cursor, limit
		return h.app.BusinessPlanItems(r.Context(), f)
	})
}

// serviceNames maps service ids to names.
func (h *Handler) serviceNames(ctx context.Context) (map[string]string, error) {
	services, err := h.serviceOptions(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(services))
	for _, s := range services {
		names[s.Value] = s.Label
	}
	return names, nil
}

// joinNames lists the names of ids, those names knows, comma-separated.
func joinNames(names map[string]string, ids []string) string {
	var out []string
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// ServiceNames lists the names of service ids.
func (p *unitBusinessPlansPage) ServiceNames(ids []string) string { return joinNames(p.Services, ids) }

// bizPlanColumns are the columns of an exported list of business plan
// items; services names the services by id.
func bizPlanColumns(l *i18n.Localizer, services map[string]string) []exportColumn[*liaison.BusinessPlanItem] {
	return []exportColumn[*liaison.BusinessPlanItem]{
		{"bizplan.field.title", func(b *liaison.BusinessPlanItem) any { return b.Title }},
		{"bizplan.field.account", func(b *liaison.BusinessPlanItem) any { return b.OrganisationName }},
		{"field.status", func(b *liaison.BusinessPlanItem) any { return enumLabel(l, "bizplan.status.", b.Status) }},
		{"bizplan.field.horizon", func(b *liaison.BusinessPlanItem) any { return enumLabel(l, "bizplan.horizon.", b.Horizon) }},
		{"bizplan.field.target_date", func(b *liaison.BusinessPlanItem) any { return dayString(b.TargetDate) }},
		{"bizplan.field.review_date", func(b *liaison.BusinessPlanItem) any { return dayString(&b.ReviewDate) }},
		{"bizplan.field.last_reviewed_on", func(b *liaison.BusinessPlanItem) any { return dayString(b.LastReviewedOn) }},
		{"bizplan.field.owner_person_id", func(b *liaison.BusinessPlanItem) any { return b.OwnerPersonName }},
		{"bizplan.field.services", func(b *liaison.BusinessPlanItem) any { return joinNames(services, b.ServiceIDs) }},
		{"bizplan.field.it_effect", func(b *liaison.BusinessPlanItem) any { return b.ITEffect }},
		{"bizplan.field.source_url", func(b *liaison.BusinessPlanItem) any { return b.SourceURL }},
	}
}

// ---------- business plans: overdue reviews ----------

type overduePlansPage struct {
	Page
	Q        ListQuery
	Items    []*liaison.BusinessPlanItem
	Mine     map[string]bool // account ids the viewer manages or deputises
	Managers []Option
	Today    string
}

func (h *Handler) showOverduePlans(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	p.Title = p.L.T("bizplan.overdue.title")
	q := ListQuery{Base: "/business-plans/overdue", Values: r.URL.Query()}
	data := &overduePlansPage{Page: p, Q: q, Mine: map[string]bool{}, Today: liaison.FormatDate(liaison.DateOf(h.now()))}
	f := liaison.BusinessPlanFilter{ReviewOverdue: true, ManagerID: q.Get("manager_id"), Q: q.Get("q"), Sort: "review_date", Limit: 500}
	var err error
	if data.Items, err = h.bizPlanItems(r, f); err != nil {
		h.fail(w, r, err)
		return
	}
	mine, err := h.app.MyAccounts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range mine {
		data.Mine[o.ID] = true
	}
	// The viewer's own accounts first, each group by review date.
	sort.SliceStable(data.Items, func(a, b int) bool {
		return data.Mine[data.Items[a].OrganisationID] && !data.Mine[data.Items[b].OrganisationID]
	})
	if exportFormat(r) != "" {
		services, err := h.serviceNames(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		exportRows(h, w, r, "business-plans-overdue", "bizplan.overdue.title", bizPlanColumns(p.L, services), data.Items)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, u := range lk.userList {
		if u.Role == liaison.RoleManager || u.Role == liaison.RoleHead || u.Role == liaison.RoleAdmin {
			data.Managers = append(data.Managers, Option{Value: u.ID, Label: u.Name})
		}
	}
	h.render(w, r, http.StatusOK, "bizplans_overdue", data)
}

// ---------- business plans: an item ----------

type bizPlanPage struct {
	Page
	B          *liaison.BusinessPlanItem
	Services   []Option
	CanWrite   bool
	ReviewForm *Form
	History    []historyEntry
}

var bizPlanHistoryFields = [][2]string{
	{"status", "field.status"}, {"title", "bizplan.field.title"}, {"horizon", "bizplan.field.horizon"},
	{"target_date", "bizplan.field.target_date"}, {"review_date", "bizplan.field.review_date"},
	{"last_reviewed_on", "bizplan.field.last_reviewed_on"}, {"it_effect", "bizplan.field.it_effect"},
	{"service_ids", "bizplan.field.services"}, {"source_url", "bizplan.field.source_url"},
	{"owner_person_name", "bizplan.field.owner_person_id"}, {"organisation_name", "bizplan.field.account"},
}

func (h *Handler) loadBizPlanPage(w http.ResponseWriter, r *http.Request) (*bizPlanPage, bool) {
	ctx := r.Context()
	b, err := h.app.BusinessPlanItem(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, b.Title, "accounts")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.accounts"), Href: "/accounts"}, {Label: b.OrganisationName, Href: "/organisations/" + b.OrganisationID + "/business-plans"}, {Label: b.Title}}
	services, _, names, err := h.serviceAndAccountNames(ctx)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data := &bizPlanPage{Page: p, B: b, Services: namedOptions(services, b.ServiceIDs), CanWrite: h.app.CanWriteBusinessPlans(ctx, b.OrganisationID),
		ReviewForm: newForm()}
	data.ReviewForm.Set("next_review_date", liaison.NextPlanReview(h.now()))
	entries, _, err := h.app.Audit(ctx, "business_plan", b.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.History = linkHistory(p, entries, bizPlanHistoryFields, map[string]string{"status": "bizplan.status.", "horizon": "bizplan.horizon."}, names)
	return data, true
}

func (h *Handler) showBusinessPlan(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadBizPlanPage(w, r); ok {
		h.render(w, r, http.StatusOK, "bizplan", data)
	}
}

func (h *Handler) reviewBusinessPlan(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	next := strings.TrimSpace(r.PostFormValue("next_review_date"))
	b, err := h.app.MarkBusinessPlanReviewed(ctx, id, atoi(r.PostFormValue("version")), next)
	if err != nil {
		data, ok := h.loadBizPlanPage(w, r)
		if !ok {
			return
		}
		data.ReviewForm.Set("next_review_date", next)
		if code := applyFormError(h.localizer(r), data.ReviewForm, err, "next_review_date"); code != 0 {
			h.render(w, r, code, "bizplan", data)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "bizplan.flash.reviewed", p0(h, r).L.DateString(b.ReviewDate))
	if back := r.PostFormValue("back"); strings.HasPrefix(back, "/") && !strings.HasPrefix(back, "//") {
		redirect(w, r, back)
		return
	}
	redirect(w, r, "/business-plans/"+b.ID)
}

// p0 is a page for translating outside a render.
func p0(h *Handler, r *http.Request) Page { return Page{L: h.localizer(r)} }

func (h *Handler) deleteBusinessPlan(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := h.app.BusinessPlanItem(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteBusinessPlanItem(ctx, b.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "bizplan.flash.deleted", b.Title)
	redirect(w, r, "/organisations/"+b.OrganisationID+"/business-plans")
}

// ---------- business plans: the form ----------

type bizPlanFormPage struct {
	Page
	Form     *Form
	B        *liaison.BusinessPlanItem
	Accounts []Option
	Services []Option
	People   []Option
	Horizons []Option
	Statuses []Option
	Back     string
}

// Selected reports whether a multi-valued field holds v.
func (p *bizPlanFormPage) Selected(name, v string) bool { return multiSelected(p.Form, name, v) }

var bizPlanFields = []string{"organisation_id", "title", "horizon", "target_date", "it_effect", "service_ids", "source_url", "review_date", "status", "owner_person_id"}

func bizPlanForm(b *liaison.BusinessPlanItem) *Form {
	f := newForm()
	f.Set("organisation_id", b.OrganisationID)
	f.Set("title", b.Title)
	f.Set("horizon", string(b.Horizon))
	f.Set("target_date", deref(b.TargetDate))
	f.Set("it_effect", b.ITEffect)
	f.Set("source_url", b.SourceURL)
	f.Set("review_date", b.ReviewDate)
	f.Set("status", string(b.Status))
	f.Set("owner_person_id", deref(b.OwnerPersonID))
	f.Values["service_ids"] = append([]string{}, b.ServiceIDs...)
	f.Set("version", itoa(b.Version))
	return f
}

func readBizPlanForm(r *http.Request, b *liaison.BusinessPlanItem) *Form {
	f := newForm()
	for _, k := range bizPlanFields {
		f.Set(k, r.PostFormValue(k))
	}
	f.Set("version", r.PostFormValue("version"))
	f.Values["service_ids"] = r.PostForm["service_ids"]
	b.OrganisationID, b.Title, b.Horizon = f.Get("organisation_id"), f.Get("title"), liaison.BusinessPlanHorizon(f.Get("horizon"))
	b.TargetDate, b.ITEffect, b.SourceURL, b.ReviewDate = optional(f.Get("target_date")), f.Get("it_effect"), f.Get("source_url"), f.Get("review_date")
	b.Status, b.OwnerPersonID, b.ServiceIDs = liaison.BusinessPlanStatus(f.Get("status")), optional(f.Get("owner_person_id")), f.Values["service_ids"]
	return f
}

func (h *Handler) renderBizPlanForm(w http.ResponseWriter, r *http.Request, code int, f *Form, b *liaison.BusinessPlanItem) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	data := &bizPlanFormPage{Page: p, Form: f, B: b, Horizons: bizHorizonOptions(p), Statuses: bizStatusOptions(p)}
	org := f.Get("organisation_id")
	var err error
	if data.Services, data.Accounts, _, err = h.serviceAndAccountNames(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	accountName := ""
	for _, a := range data.Accounts {
		if a.Value == org {
			accountName = a.Label
		}
	}
	if b != nil {
		p.Title = p.L.T("bizplan.edit.title", b.Title)
		data.Back = "/business-plans/" + b.ID
		p.Crumbs = []Crumb{{Label: b.OrganisationName, Href: "/organisations/" + b.OrganisationID + "/business-plans"}, {Label: b.Title, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("bizplan.new.title")
		data.Back = "/business-plans/overdue"
		if org != "" {
			data.Back = "/organisations/" + org + "/business-plans"
			p.Crumbs = []Crumb{{Label: accountName, Href: data.Back}, {Label: p.Title}}
		}
	}
	data.Page = p
	if org != "" {
		people, _, err := h.app.People(ctx, liaison.PersonFilter{OrganisationID: org, Limit: 500})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, x := range people {
			data.People = append(data.People, Option{Value: x.ID, Label: x.Name})
		}
	}
	h.render(w, r, code, "bizplan_form", data)
}

func (h *Handler) newBusinessPlan(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	org := r.URL.Query().Get("organisation_id")
	p := liaison.PrincipalFrom(ctx)
	allowed := p != nil && p.User != nil && p.Scope == liaison.ScopeWrite &&
		(p.User.Role == liaison.RoleManager || p.User.Role == liaison.RoleHead || p.User.Role == liaison.RoleAdmin)
	if !allowed || (org != "" && !h.app.CanWriteBusinessPlans(ctx, org)) {
		h.fail(w, r, forbiddenPage())
		return
	}
	b := &liaison.BusinessPlanItem{OrganisationID: org, Horizon: liaison.HorizonMedium, Status: liaison.PlanItemActive,
		ReviewDate: liaison.NextPlanReview(h.now())}
	f := bizPlanForm(b)
	f.Set("version", "")
	h.renderBizPlanForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createBusinessPlan(w http.ResponseWriter, r *http.Request) {
	b := &liaison.BusinessPlanItem{}
	f := readBizPlanForm(r, b)
	if err := h.app.CreateBusinessPlanItem(r.Context(), b); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), bizPlanFields...); code != 0 {
			h.renderBizPlanForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "bizplan.flash.created", b.Title)
	redirect(w, r, "/organisations/"+b.OrganisationID+"/business-plans")
}

func (h *Handler) editBusinessPlan(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := h.app.BusinessPlanItem(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanWriteBusinessPlans(ctx, b.OrganisationID) {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderBizPlanForm(w, r, http.StatusOK, bizPlanForm(b), b)
}

func (h *Handler) updateBusinessPlan(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.BusinessPlanItem(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b := *cur
	f := readBizPlanForm(r, &b)
	if err := h.app.UpdateBusinessPlanItem(ctx, &b, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), bizPlanFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderBizPlanForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/business-plans/"+b.ID)
}

// ---------- technology watch: the list ----------

type watchListPage struct {
	Page
	Q        ListQuery
	Items    []*liaison.WatchNote
	Next     string
	Statuses []Option
	Counts   map[string]int
	CanWrite bool
}

func (h *Handler) showWatchList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "watch")
	p.Title = p.L.T("watch.list.title")
	q := ListQuery{Base: "/watch", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = "-updated_at"
	}
	f := liaison.WatchFilter{Q: q.Get("q"), Status: liaison.WatchStatus(q.Get("status")), OrganisationID: q.Get("organisation_id"),
		ServiceID: q.Get("service_id"), Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50}
	if !oneOfImp(f.Status, liaison.WatchStatuses) {
		f.Status = ""
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "watch", "watch.list.title", watchColumns(p.L), func(cursor string, limit int) ([]*liaison.WatchNote, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.WatchNotes(ctx, f)
		})
		return
	}
	list, next, err := h.app.WatchNotes(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.WatchNotes(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &watchListPage{Page: p, Q: q, Items: list, Statuses: watchStatusOptions(p), CanWrite: h.app.CanWriteWatch(ctx)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "watch_list", data)
}

// ---------- technology watch: a note ----------

type watchNotePage struct {
	Page
	N        *liaison.WatchNote
	Rights   watchRightsView
	Services []Option
	Accounts []Option
	Next     []liaison.WatchStatus
	Refusal  string
	History  []historyEntry
}

// Steps are the lifecycle's main line, for the step indicator.
func (p *watchNotePage) Steps() []string {
	return []string{"noted", "evaluating", "proposed", "adopted"}
}

type watchRightsView struct{ Edit, Delete, Propose bool }

var watchHistoryFields = [][2]string{
	{"status", "field.status"}, {"title", "watch.field.title"}, {"relevance", "watch.field.relevance"},
	{"summary", "watch.field.summary"}, {"relevance_note", "watch.field.relevance_note"}, {"source_url", "watch.field.source_url"},
	{"organisation_ids", "watch.field.accounts"}, {"service_ids", "watch.field.services"}, {"owner_name", "watch.field.owner_id"},
	{"improvement_id", "watch.field.improvement"},
}

func (h *Handler) loadWatchPage(w http.ResponseWriter, r *http.Request) (*watchNotePage, bool) {
	ctx := r.Context()
	n, err := h.app.WatchNote(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, n.Title, "watch")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.watch"), Href: "/watch"}, {Label: n.Title}}
	services, accounts, names, err := h.serviceAndAccountNames(ctx)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	rights := h.app.WatchRights(ctx, n)
	data := &watchNotePage{Page: p, N: n, Rights: watchRightsView{Edit: rights.Edit, Delete: rights.Delete, Propose: rights.Propose},
		Services: namedOptions(services, n.ServiceIDs), Accounts: namedOptions(accounts, n.OrganisationIDs), Next: liaison.NextWatchStatuses(n.Status)}
	if n.ImprovementID != nil { // the history names the improvement by its title
		if i, err := h.app.Improvement(ctx, *n.ImprovementID); err == nil {
			names[i.ID] = i.Title
		}
	}
	entries, _, err := h.app.Audit(ctx, "watch", n.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.History = linkHistory(p, entries, watchHistoryFields, map[string]string{"status": "watch.status.", "relevance": "watch.relevance."}, names)
	return data, true
}

func (h *Handler) showWatchNote(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadWatchPage(w, r); ok {
		h.render(w, r, http.StatusOK, "watch_note", data)
	}
}

// setWatchStatus moves a note along its lifecycle from its page.
func (h *Handler) setWatchStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.WatchNote(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := *cur
	n.Status = liaison.WatchStatus(r.PostFormValue("status"))
	if err := h.app.UpdateWatchNote(ctx, &n, atoi(r.PostFormValue("version"))); err != nil {
		if code := liaison.ErrorCode(err); code == liaison.EINVALID || code == liaison.ESTALE {
			if data, ok := h.loadWatchPage(w, r); ok {
				data.Refusal = h.localizer(r).Error(err)
				if e, ok := err.(*liaison.Error); ok && len(e.Fields) > 0 {
					data.Refusal = h.localizer(r).Field(e.Fields[0])
				}
				h.render(w, r, http.StatusUnprocessableEntity, "watch_note", data)
			}
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "watch.flash.status", h.localizer(r).T("watch.status."+string(n.Status)))
	redirect(w, r, "/watch/"+n.ID)
}

// proposeWatchNote turns the note into an improvement suggestion and shows
// it; a note that already has one leads to it.
func (h *Handler) proposeWatchNote(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_, i, err := h.app.ProposeWatchNote(ctx, r.PathValue("id"))
	if err != nil {
		if liaison.ErrorCode(err) == liaison.ECONFLICT {
			if n, ferr := h.app.WatchNote(ctx, r.PathValue("id")); ferr == nil && n.ImprovementID != nil {
				h.flashT(w, r, "watch.flash.already_proposed")
				redirect(w, r, "/improvements/"+*n.ImprovementID)
				return
			}
		}
		if liaison.ErrorCode(err) == liaison.EINVALID {
			if data, ok := h.loadWatchPage(w, r); ok {
				data.Refusal = h.localizer(r).Error(err)
				h.render(w, r, http.StatusUnprocessableEntity, "watch_note", data)
			}
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "watch.flash.proposed", i.Title)
	redirect(w, r, "/improvements/"+i.ID)
}

func (h *Handler) deleteWatchNote(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := h.app.WatchNote(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteWatchNote(ctx, n.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "watch.flash.deleted", n.Title)
	redirect(w, r, "/watch")
}

// ---------- technology watch: the form ----------

type watchFormPage struct {
	Page
	Form       *Form
	N          *liaison.WatchNote
	Accounts   []Option
	Services   []Option
	Owners     []Option
	Statuses   []Option
	Relevances []Option
	Back       string
}

// Selected reports whether a multi-valued field holds v.
func (p *watchFormPage) Selected(name, v string) bool { return multiSelected(p.Form, name, v) }

var watchFields = []string{"title", "summary", "relevance", "relevance_note", "status", "source_url", "organisation_ids", "service_ids", "owner_id"}

func watchForm(n *liaison.WatchNote) *Form {
	f := newForm()
	f.Set("title", n.Title)
	f.Set("summary", n.Summary)
	f.Set("relevance", string(n.Relevance))
	f.Set("relevance_note", n.RelevanceNote)
	f.Set("status", string(n.Status))
	f.Set("source_url", n.SourceURL)
	f.Set("owner_id", deref(n.OwnerID))
	f.Values["organisation_ids"] = append([]string{}, n.OrganisationIDs...)
	f.Values["service_ids"] = append([]string{}, n.ServiceIDs...)
	f.Set("version", itoa(n.Version))
	return f
}

func readWatchForm(r *http.Request, n *liaison.WatchNote) *Form {
	f := newForm()
	for _, k := range watchFields {
		f.Set(k, r.PostFormValue(k))
	}
	f.Set("version", r.PostFormValue("version"))
	f.Values["organisation_ids"], f.Values["service_ids"] = r.PostForm["organisation_ids"], r.PostForm["service_ids"]
	n.Title, n.Summary, n.Relevance, n.RelevanceNote = f.Get("title"), f.Get("summary"), liaison.WatchRelevance(f.Get("relevance")), f.Get("relevance_note")
	n.Status, n.SourceURL, n.OwnerID = liaison.WatchStatus(f.Get("status")), f.Get("source_url"), optional(f.Get("owner_id"))
	n.OrganisationIDs, n.ServiceIDs = f.Values["organisation_ids"], f.Values["service_ids"]
	return f
}

func (h *Handler) renderWatchForm(w http.ResponseWriter, r *http.Request, code int, f *Form, n *liaison.WatchNote) {
	ctx := r.Context()
	p := h.page(w, r, "", "watch")
	data := &watchFormPage{Page: p, Form: f, N: n, Relevances: watchRelevanceOptions(p), Back: "/watch"}
	if n != nil {
		p.Title = p.L.T("watch.edit.title", n.Title)
		data.Back = "/watch/" + n.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.watch"), Href: "/watch"}, {Label: n.Title, Href: data.Back}, {Label: p.L.T("common.edit")}}
		// the note's status and where it may go
		data.Statuses = []Option{{Value: string(n.Status), Label: p.L.T("watch.status." + string(n.Status))}}
		for _, s := range liaison.NextWatchStatuses(n.Status) {
			data.Statuses = append(data.Statuses, Option{Value: string(s), Label: p.L.T("watch.status." + string(s))})
		}
	} else {
		p.Title = p.L.T("watch.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.watch"), Href: "/watch"}, {Label: p.Title}}
		data.Statuses = watchStatusOptions(p)
	}
	data.Page = p
	var err error
	if data.Services, data.Accounts, _, err = h.serviceAndAccountNames(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Owners = lk.userOptions()
	h.render(w, r, code, "watch_form", data)
}

func (h *Handler) newWatchNote(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanWriteWatch(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	n := &liaison.WatchNote{Status: liaison.WatchNoted, Relevance: liaison.RelevanceMedium}
	if u := liaison.PrincipalFrom(r.Context()); u != nil && u.User != nil {
		n.OwnerID = &u.User.ID
	}
	if id := r.URL.Query().Get("organisation_id"); id != "" {
		n.OrganisationIDs = []string{id}
	}
	f := watchForm(n)
	f.Set("version", "")
	h.renderWatchForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createWatchNote(w http.ResponseWriter, r *http.Request) {
	n := &liaison.WatchNote{}
	f := readWatchForm(r, n)
	if err := h.app.CreateWatchNote(r.Context(), n); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), watchFields...); code != 0 {
			h.renderWatchForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "watch.flash.created", n.Title)
	redirect(w, r, "/watch/"+n.ID)
}

func (h *Handler) editWatchNote(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := h.app.WatchNote(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.WatchRights(ctx, n).Edit {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderWatchForm(w, r, http.StatusOK, watchForm(n), n)
}

func (h *Handler) updateWatchNote(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.WatchNote(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := *cur
	f := readWatchForm(r, &n)
	if err := h.app.UpdateWatchNote(ctx, &n, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), watchFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderWatchForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/watch/"+n.ID)
}

// watchColumns are the columns of the exported technology watch list.
func watchColumns(l *i18n.Localizer) []exportColumn[*liaison.WatchNote] {
	return []exportColumn[*liaison.WatchNote]{
		{"watch.field.title", func(n *liaison.WatchNote) any { return n.Title }},
		{"field.status", func(n *liaison.WatchNote) any { return l.T("watch.status." + string(n.Status)) }},
		{"watch.field.relevance", func(n *liaison.WatchNote) any { return l.T("watch.relevance." + string(n.Relevance)) }},
		{"watch.field.summary", func(n *liaison.WatchNote) any { return n.Summary }},
		{"watch.field.source_url", func(n *liaison.WatchNote) any { return n.SourceURL }},
		{"watch.field.owner_id", func(n *liaison.WatchNote) any { return n.OwnerName }},
		{"field.updated_at", func(n *liaison.WatchNote) any { return n.UpdatedAt }},
	}
}
