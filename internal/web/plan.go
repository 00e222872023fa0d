package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The account plan (SPEC C3): the "Plan (internal)" tab of an account —
// its sections as the template shapes them, with the live data beside the
// dated ones; a section editor that works by post-back (add a row, remove
// a row, save) and htmx swapping only the plan; the version history with a
// diff of any two versions; the template editor (admin and head); the
// analysis across accounts. INTERNAL ONLY: every route is AccessRead or
// stronger, and the app refuses external principals again.

func init() {
	pages = append(pages, "plan_analysis", "plan_template")
}

func (h *Handler) planRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/organisations/{id}/plan", liaison.AccessRead, h.showPlan),
		r("GET", "/organisations/{id}/plan/edit", liaison.AccessWrite, h.editPlanSection),
		r("POST", "/organisations/{id}/plan", liaison.AccessWrite, h.savePlanSection),
		r("GET", "/organisations/{id}/plan/versions", liaison.AccessRead, h.showPlanVersions),
		r("GET", "/organisations/{id}/plan/diff", liaison.AccessRead, h.showPlanDiff),
		r("GET", "/account-plans", liaison.AccessRead, h.showPlanAnalysis),
		r("GET", "/account-plans/template", liaison.AccessCurate, h.showPlanTemplate),
		r("POST", "/account-plans/template", liaison.AccessCurate, h.savePlanTemplate),
		r("POST", "/account-plans/template/delete", liaison.AccessCurate, h.deletePlanTemplate),
	}
}

// planItemView is an item with its service's name and status.
type planItemView struct {
	liaison.PlanItem
	ServiceName   string
	ServiceStatus string
}

// planSectionView is a section as the template shows it.
type planSectionView struct {
	Section  liaison.PlanSection
	Heading  string
	Guidance string
	Dated    bool
	Items    []planItemView
}

// planRow is one row of the section editor.
type planRow struct {
	N                                        int
	ID, Title, Date, Note, Service, Override string
	Errors                                   map[string]string
}

type unitPlanPage struct {
	*unitPage
	Plan     *liaison.AccountPlan
	Sections []planSectionView
	Live     *app.PlanLive
	CanEdit  bool
	Editing  liaison.PlanSection
	Rows     []planRow
	Form     *Form
	Services []Option
	Hidden   int // sections the template hides
}

// SavedAt is when the plan was last saved, in the viewer's locale and zone.
func (d *unitPlanPage) SavedAt() string {
	if d.Plan.UpdatedAt == nil {
		return ""
	}
	return d.L.DateTime(*d.Plan.UpdatedAt, d.TZ)
}

// sectionTexts returns a section's heading and guidance in the viewer's
// language: the template's, else the standard ones.
func sectionTexts(p Page, t *liaison.PlanTemplate, s liaison.PlanSection) (heading, guidance string) {
	ts := t.Section(s)
	lang := p.L.Lang()
	heading, guidance = ts.Heading.In(lang), ts.Guidance.In(lang)
	if heading == "" {
		heading = p.L.T("plan.section." + string(s))
	}
	if guidance == "" {
		guidance = p.L.T("plan.guidance." + string(s))
	}
	return heading, guidance
}

// loadPlanPage reads what the plan tab shows.
func (h *Handler) loadPlanPage(w http.ResponseWriter, r *http.Request) (*unitPlanPage, error) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, err := h.app.AccountView(ctx, id)
	if err != nil {
		return nil, err
	}
	plan, err := h.app.AccountPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	tpl, err := h.app.PlanTemplateFor(ctx, v.Unit)
	if err != nil {
		return nil, err
	}
	live, err := h.app.PlanLiveData(ctx, id)
	if err != nil {
		return nil, err
	}
	services, err := h.app.AgreementServiceChoices(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*liaison.Service{}
	for _, s := range services {
		byID[s.ID] = s
	}
	p := h.page(w, r, v.Unit.Name, "accounts")
	p.Crumbs = unitCrumbs(p, v.Chain)
	data := &unitPlanPage{unitPage: &unitPage{Page: p, V: v, Tab: "plan"}, Plan: plan, Live: live,
		CanEdit: h.app.CanEditPlan(ctx, v.Unit), Form: newForm()}
	for _, s := range liaison.PlanSectionList {
		if !tpl.Section(s).Shown {
			data.Hidden++
			if len(*plan.Sections.Items(s)) == 0 {
				continue // hidden and empty: nothing to show
			}
		}
		sv := planSectionView{Section: s, Dated: s.Dated()}
		sv.Heading, sv.Guidance = sectionTexts(p, tpl, s)
		for _, it := range *plan.Sections.Items(s) {
			iv := planItemView{PlanItem: it}
			if it.ServiceID != nil {
				if svc := byID[*it.ServiceID]; svc != nil {
					iv.ServiceName, iv.ServiceStatus = svc.Name, string(svc.Status)
				} else {
					iv.ServiceName = p.L.T("plan.service_gone")
				}
			}
			sv.Items = append(sv.Items, iv)
		}
		data.Sections = append(data.Sections, sv)
	}
	for _, s := range services {
		label := s.Name
		if s.Status != liaison.ServiceLive {
			label += " (" + p.L.T("service.status."+string(s.Status)) + ")"
		}
		data.Services = append(data.Services, Option{Value: s.ID, Label: label})
	}
	return data, nil
}

func (h *Handler) showPlan(w http.ResponseWriter, r *http.Request) {
	data, err := h.loadPlanPage(w, r)
	if err != nil {
		h.planFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// planFail shows a unit that is not an account as a 404 of the plan.
func (h *Handler) planFail(w http.ResponseWriter, r *http.Request, err error) {
	if liaison.ErrorCode(err) == liaison.EINVALID {
		h.renderError(w, r, http.StatusNotFound)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) editPlanSection(w http.ResponseWriter, r *http.Request) {
	data, err := h.loadPlanPage(w, r)
	if err != nil {
		h.planFail(w, r, err)
		return
	}
	if !data.CanEdit {
		h.renderError(w, r, http.StatusForbidden)
		return
	}
	s := liaison.PlanSection(r.URL.Query().Get("section"))
	if !s.Valid() {
		h.renderError(w, r, http.StatusNotFound)
		return
	}
	data.Editing = s
	for i, it := range *data.Plan.Sections.Items(s) {
		data.Rows = append(data.Rows, planRow{N: i, ID: it.ID, Title: it.Title, Date: deref(it.Date), Note: it.Note,
			Service: deref(it.ServiceID), Override: it.OverrideReason})
	}
	data.Rows = append(data.Rows, planRow{N: len(data.Rows)}) // a blank row to add an item
	data.Form.Set("version", itoa(data.Plan.Version))
	h.render(w, r, http.StatusOK, "unit", data)
}

// readPlanRows reads the section editor's rows: item.N.field for N below
// rows; a row marked remove is left out, a blank new row is ignored.
func readPlanRows(r *http.Request) (rows []planRow, items []liaison.PlanItem, index []int) {
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	if n < 0 || n > liaison.MaxPlanItems+1 {
		n = liaison.MaxPlanItems + 1
	}
	for i := 0; i < n; i++ {
		get := func(f string) string { return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("item.%d.%s", i, f))) }
		row := planRow{ID: get("id"), Title: get("title"), Date: get("date"), Note: get("note"), Service: get("service_id"), Override: get("override_reason")}
		if get("remove") != "" || (row.ID == "" && row.Title == "" && row.Date == "" && row.Note == "" && row.Service == "" && row.Override == "") {
			continue
		}
		row.N = len(rows)
		rows = append(rows, row)
		items = append(items, liaison.PlanItem{ID: row.ID, Title: row.Title, Date: optional(row.Date), Note: row.Note,
			ServiceID: optional(row.Service), OverrideReason: row.Override})
		index = append(index, row.N)
	}
	return rows, items, index
}

func (h *Handler) savePlanSection(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		h.renderError(w, r, http.StatusBadRequest)
		return
	}
	o, err := h.app.Organisation(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanEditPlan(ctx, o) {
		h.renderError(w, r, http.StatusForbidden)
		return
	}
	s := liaison.PlanSection(r.PostFormValue("section"))
	if !s.Valid() {
		h.renderError(w, r, http.StatusBadRequest)
		return
	}
	rows, items, _ := readPlanRows(r)
	version := atoi(r.PostFormValue("version"))
	if r.PostFormValue("add") == "" {
		cur, err := h.app.AccountPlan(ctx, id)
		if err != nil {
			h.planFail(w, r, err)
			return
		}
		sections := cur.Sections
		*sections.Items(s) = items
		_, err = h.app.SaveAccountPlan(ctx, id, sections, version)
		if err == nil {
			h.flashT(w, r, "plan.flash.saved")
			redirect(w, r, "/organisations/"+id+"/plan#plan-"+string(s))
			return
		}
		data, lerr := h.loadPlanPage(w, r)
		if lerr != nil {
			h.planFail(w, r, lerr)
			return
		}
		data.Editing, data.Rows = s, rows
		data.Form.Set("version", itoa(version))
		code := applyPlanError(data, s, err)
		if code == 0 {
			h.fail(w, r, err)
			return
		}
		if data.Form.Stale {
			data.Form.Set("version", itoa(data.Plan.Version))
		}
		data.Rows = append(data.Rows, planRow{N: len(data.Rows)})
		h.render(w, r, code, "unit", data)
		return
	}
	// "Add a row": the same rows and one more blank one, nothing saved.
	data, err := h.loadPlanPage(w, r)
	if err != nil {
		h.planFail(w, r, err)
		return
	}
	data.Editing, data.Rows = s, append(rows, planRow{N: len(rows)})
	data.Form.Set("version", itoa(version))
	h.render(w, r, http.StatusOK, "unit", data)
}

// applyPlanError puts a save's field errors on the editor's rows
// (sections.<section>[i].<field>) and returns the status, 0 when err is no
// form error.
func applyPlanError(data *unitPlanPage, s liaison.PlanSection, err error) int {
	var e *liaison.Error
	if !errors.As(err, &e) {
		return 0
	}
	prefix := "sections." + string(s) + "["
	var rest []liaison.FieldError
	for _, fe := range e.Fields {
		if after, ok := strings.CutPrefix(fe.Field, prefix); ok {
			if k, field, ok := strings.Cut(after, "]."); ok {
				if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(data.Rows) {
					if data.Rows[i].Errors == nil {
						data.Rows[i].Errors = map[string]string{}
					}
					data.Rows[i].Errors[field] = data.L.Field(fe)
					continue
				}
			}
		}
		rest = append(rest, fe)
	}
	c := *e
	c.Fields = rest
	code := applyFormError(data.L, data.Form, &c)
	if code == http.StatusUnprocessableEntity && len(rest) == 0 {
		data.Form.Error = ""
		data.Form.Errors["rows"] = data.L.T("form.has_errors")
	}
	return code
}

// ---------- versions and diff ----------

type planVersionsPage struct {
	*unitPage
	Versions []*liaison.PlanVersion
	Next     string
	From, To int
}

func (h *Handler) showPlanVersions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, err := h.app.AccountView(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vs, next, err := h.app.PlanVersions(ctx, liaison.PlanVersionFilter{OrganisationID: id, Limit: 50, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		h.planFail(w, r, err)
		return
	}
	p := h.page(w, r, v.Unit.Name, "accounts")
	p.Crumbs = unitCrumbs(p, v.Chain)
	data := &planVersionsPage{unitPage: &unitPage{Page: p, V: v, Tab: "plan-versions"}, Versions: vs, Next: next}
	if len(vs) > 0 {
		data.To = vs[0].Number
		data.From = vs[0].Number - 1
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

type planDiffPage struct {
	*unitPage
	Diff     *app.PlanDiff
	From, To int
	Versions []*liaison.PlanVersion
	Services map[string]string
}

// FieldValue shows a changed field's value: a service by its name, a
// section by its heading, a date in the viewer's locale.
func (d *planDiffPage) FieldValue(field, v string) string {
	switch {
	case v == "":
		return "—"
	case field == "service_id":
		if n, ok := d.Services[v]; ok {
			return n
		}
	case field == "section":
		return d.L.T("plan.section." + v)
	case field == "date":
		return d.L.DateString(v)
	}
	return v
}

func (h *Handler) showPlanDiff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, err := h.app.AccountView(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	from, to := atoi(q.Get("from")), atoi(q.Get("to"))
	if from > to {
		from, to = to, from
	}
	d, err := h.app.DiffPlanVersions(ctx, id, from, to)
	if err != nil {
		h.planFail(w, r, err)
		return
	}
	vs, _, err := h.app.PlanVersions(ctx, liaison.PlanVersionFilter{OrganisationID: id, Limit: 500})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	services, err := h.app.AgreementServiceChoices(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, v.Unit.Name, "accounts")
	p.Crumbs = unitCrumbs(p, v.Chain)
	data := &planDiffPage{unitPage: &unitPage{Page: p, V: v, Tab: "plan-diff"}, Diff: d, From: from, To: to, Versions: vs,
		Services: map[string]string{}}
	for _, s := range services {
		data.Services[s.ID] = s.Name
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- analysis across accounts ----------

type planAnalysisPage struct {
	Page
	Q                                   url.Values
	From, To                            string
	Rows                                []*liaison.PlanItemRow
	Sections, Managers, Segments, Quick []Option
	Capped                              bool
}

func (h *Handler) showPlanAnalysis(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := h.page(w, r, h.localizer(r).T("plan.analysis.title"), "accounts")
	data := &planAnalysisPage{Page: p, Q: q}
	f := liaison.PlanItemFilter{Section: liaison.PlanSection(q.Get("section")), From: q.Get("from"), To: q.Get("to"),
		ManagerID: q.Get("manager_id"), SegmentID: q.Get("segment_id")}
	if q.Get("section") == "" && !q.Has("section") {
		f.Section = liaison.PlanDevelopmentInitiatives
		q.Set("section", string(f.Section))
	}
	nqFrom, nqTo := app.NextQuarter(h.now())
	if f.From == "" && f.To == "" {
		f.From, f.To = nqFrom, nqTo
	}
	data.From, data.To = f.From, f.To
	rows, err := h.app.PlanAnalysis(ctx, f)
	if err != nil {
		if liaison.ErrorCode(err) == liaison.EBADREQUEST {
			h.renderError(w, r, http.StatusBadRequest)
			return
		}
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		services, err := h.serviceNames(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		exportRows(h, w, r, "account-plans", "plan.analysis.title", planAnalysisColumns(p.L, services), rows)
		return
	}
	data.Rows, data.Capped = rows, len(rows) >= liaison.MaxPlanAnalysis
	for _, s := range liaison.PlanSectionList {
		if s.Dated() {
			data.Sections = append(data.Sections, Option{Value: string(s), Label: p.L.T("plan.section." + string(s))})
		}
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
	for _, s := range lk.segList {
		data.Segments = append(data.Segments, Option{Value: s.ID, Label: s.Name})
	}
	thisFrom, _ := app.NextQuarter(liaison.AddMonths(h.now(), -3))
	thisTo := liaison.AddMonths(mustDate(thisFrom), 3).AddDate(0, 0, -1).Format(liaison.DateLayout)
	data.Quick = []Option{{Value: thisFrom + "|" + thisTo, Label: p.L.T("plan.analysis.this_quarter")},
		{Value: nqFrom + "|" + nqTo, Label: p.L.T("plan.analysis.next_quarter")}}
	h.render(w, r, http.StatusOK, "plan_analysis", data)
}

// planAnalysisColumns are the columns of the exported plan analysis (the
// account plan is internal: its route admits no customer principal, and
// the service refuses one); services names the services by id.
func planAnalysisColumns(l *i18n.Localizer, services map[string]string) []exportColumn[*liaison.PlanItemRow] {
	return []exportColumn[*liaison.PlanItemRow]{
		{"plan.field.date", func(x *liaison.PlanItemRow) any { return dayString(x.Item.Date) }},
		{"plan.field.title", func(x *liaison.PlanItemRow) any { return x.Item.Title }},
		{"plan.analysis.account", func(x *liaison.PlanItemRow) any { return x.OrganisationName }},
		{"plan.analysis.section", func(x *liaison.PlanItemRow) any { return enumLabel(l, "plan.section.", x.Section) }},
		{"plan.analysis.manager", func(x *liaison.PlanItemRow) any { return x.ManagerName }},
		{"plan.analysis.segment", func(x *liaison.PlanItemRow) any { return x.SegmentName }},
		{"plan.field.service", func(x *liaison.PlanItemRow) any {
			if x.Item.ServiceID == nil {
				return nil
			}
			return services[*x.Item.ServiceID]
		}},
		{"plan.field.note", func(x *liaison.PlanItemRow) any { return x.Item.Note }},
	}
}

func mustDate(s string) (t time.Time) {
	t, _ = liaison.ParseDate(s)
	return t
}

// QuickHref is the analysis with the period of a quick choice ("from|to").
func (d *planAnalysisPage) QuickHref(v string) string {
	from, to, _ := strings.Cut(v, "|")
	q := url.Values{}
	for k, vs := range d.Q {
		q[k] = vs
	}
	q.Set("from", from)
	q.Set("to", to)
	return "/account-plans?" + q.Encode()
}

// ---------- template editor ----------

type planTemplatePage struct {
	Page
	Template  *liaison.PlanTemplate
	Segment   string // "" the default
	Segments  []Option
	Stored    []*liaison.PlanTemplate
	Form      *Form
	Languages []liaison.Language
	Own       bool // the segment has its own template
}

func (h *Handler) showPlanTemplate(w http.ResponseWriter, r *http.Request) {
	h.renderPlanTemplate(w, r, http.StatusOK, r.URL.Query().Get("segment_id"), nil, newForm())
}

func (h *Handler) renderPlanTemplate(w http.ResponseWriter, r *http.Request, code int, seg string, t *liaison.PlanTemplate, f *Form) {
	ctx := r.Context()
	own := true
	if t == nil {
		var err error
		t, err = h.app.PlanTemplate(ctx, seg)
		if liaison.ErrorCode(err) == liaison.ENOTFOUND && seg != "" {
			own = false
			t, err = h.app.PlanTemplate(ctx, "") // start from the default
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !own {
			t.Version = 0
		}
		f.Set("version", itoa(t.Version))
	}
	stored, err := h.app.PlanTemplates(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	segs, err := h.app.Segments(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, h.localizer(r).T("plan.template.title"), "admin")
	data := &planTemplatePage{Page: p, Template: t, Segment: seg, Stored: stored, Form: f, Languages: liaison.Languages, Own: own && seg != ""}
	for _, s := range segs {
		data.Segments = append(data.Segments, Option{Value: s.ID, Label: s.Name})
	}
	h.render(w, r, code, "plan_template", data)
}

func (h *Handler) savePlanTemplate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.renderError(w, r, http.StatusBadRequest)
		return
	}
	seg := r.PostFormValue("segment_id")
	t := &liaison.PlanTemplate{}
	if seg != "" {
		t.SegmentID = &seg
	}
	for _, s := range liaison.PlanSectionList {
		get := func(f string) string { return r.PostFormValue(string(s) + "." + f) }
		t.Sections = append(t.Sections, liaison.PlanTemplateSection{Section: s, Shown: get("shown") != "",
			Heading:  liaison.PlanText{En: get("heading.en"), Sv: get("heading.sv"), Fi: get("heading.fi"), Zh: get("heading.zh")},
			Guidance: liaison.PlanText{En: get("guidance.en"), Sv: get("guidance.sv"), Fi: get("guidance.fi"), Zh: get("guidance.zh")}})
	}
	f := newForm()
	f.Values = r.PostForm
	if err := h.app.SavePlanTemplate(r.Context(), t, atoi(r.PostFormValue("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err); code != 0 {
			t.Normalize()
			h.renderPlanTemplate(w, r, code, seg, t, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/account-plans/template?segment_id="+url.QueryEscape(seg))
}

func (h *Handler) deletePlanTemplate(w http.ResponseWriter, r *http.Request) {
	seg := r.PostFormValue("segment_id")
	if err := h.app.DeletePlanTemplate(r.Context(), seg); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "plan.template.removed")
	redirect(w, r, "/account-plans/template")
}
