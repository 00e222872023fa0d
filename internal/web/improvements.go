package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Improvement suggestions (SPEC C9): the list with its filters and the
// demands raised by several accounts, the report of realised effects, the
// improvement's page (decision, progress updates, raising accounts,
// realised effect), its form, and an account's Improvements tab.

func init() {
	pages = append(pages, "improvements", "improvement", "improvement_form", "improvement_report")
}

func (h *Handler) improvementRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Proposing is open to staff, deciding to head and admin, the work to
	// the owner: the service layer checks the record-level rights, so most
	// routes need only read access at the guard.
	read, write, signedIn := liaison.AccessRead, liaison.AccessWrite, liaison.AccessSignedIn
	return []route{
		r("GET", "/improvements", read, h.showImprovements),
		r("GET", "/improvements/report", read, h.showImprovementReport),
		r("GET", "/improvements/new", read, h.newImprovement),
		r("POST", "/improvements", signedIn, h.createImprovement),
		r("GET", "/improvements/{id}", read, h.showImprovement),
		r("GET", "/improvements/{id}/edit", read, h.editImprovement),
		r("POST", "/improvements/{id}", signedIn, h.updateImprovement),
		r("POST", "/improvements/{id}/status", signedIn, h.setImprovementStatus),
		r("POST", "/improvements/{id}/delete", signedIn, h.deleteImprovement),
		r("POST", "/improvements/{id}/updates", signedIn, h.addImprovementUpdate),
		r("POST", "/improvements/{id}/updates/{update_id}/delete", signedIn, h.deleteImprovementUpdate),
		r("POST", "/improvements/{id}/raised-by", write, h.raiseImprovement),
		r("POST", "/improvements/{id}/raised-by/{organisation_id}/delete", write, h.removeImprovementRaiser),
		r("GET", "/organisations/{id}/improvements", read, h.showUnitImprovements),
	}
}

func forbiddenPage() error {
	return &liaison.Error{Code: liaison.EFORBIDDEN, Key: "error.forbidden", Message: "You may not do this."}
}

// ---------- list ----------

type improvementsPage struct {
	Page
	Q          ListQuery
	Items      []*liaison.Improvement
	Next       string
	Statuses   []Option
	Origins    []Option
	Services   []Option
	Accounts   []Option
	Flagged    []*liaison.Improvement // the demands raised by several accounts, for head and admin
	Threshold  int
	CanPropose bool
	ShowFlags  bool
}

func improvementStatusOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.ImprovementStatuses {
		o = append(o, Option{Value: string(s), Label: p.L.T("improvement.status." + string(s))})
	}
	return o
}

func improvementOriginOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.ImprovementOrigins {
		o = append(o, Option{Value: string(s), Label: p.L.T("improvement.origin." + string(s))})
	}
	return o
}

// serviceOptions lists the catalogue's services, by name.
func (h *Handler) serviceOptions(ctx context.Context) ([]Option, error) {
	services, err := h.app.AgreementServiceChoices(ctx)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(services, func(i, j int) bool { return strings.ToLower(services[i].Name) < strings.ToLower(services[j].Name) })
	out := make([]Option, 0, len(services))
	for _, s := range services {
		out = append(out, Option{Value: s.ID, Label: s.Name})
	}
	return out, nil
}

func isHead(p Page) bool {
	return p.User != nil && (p.User.Role == liaison.RoleHead || p.User.Role == liaison.RoleAdmin)
}

func (h *Handler) showImprovements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "improvements")
	p.Title = p.L.T("improvement.list.title")
	q := ListQuery{Base: "/improvements", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.ImprovementFilter{Q: q.Get("q"), Status: liaison.ImprovementStatus(q.Get("status")), Origin: liaison.ImprovementOrigin(q.Get("origin")),
		ServiceID: q.Get("service_id"), OrganisationID: q.Get("organisation_id"), Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50}
	if !oneOfImp(f.Status, liaison.ImprovementStatuses) {
		f.Status = ""
	}
	if !oneOfImp(f.Origin, liaison.ImprovementOrigins) {
		f.Origin = ""
	}
	if q.Get("mine") != "" && p.User != nil {
		f.OwnerID = p.User.ID
	}
	flagged := q.Get("flagged") != ""
	if exportFormat(r) != "" {
		exportList(h, w, r, "improvements", "improvement.list.title", improvementColumns(p.L), func(cursor string, limit int) ([]*liaison.Improvement, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Improvements(ctx, f, flagged)
		})
		return
	}
	list, next, err := h.app.Improvements(ctx, f, flagged)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Improvements(ctx, f, flagged)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &improvementsPage{Page: p, Q: q, Items: list, Statuses: improvementStatusOptions(p), Origins: improvementOriginOptions(p),
		CanPropose: h.app.CanProposeImprovement(ctx), ShowFlags: isHead(p)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Threshold, err = h.app.DemandAccounts(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.ShowFlags && !flagged && !q.Filtered() {
		if data.Flagged, _, err = h.app.Improvements(ctx, liaison.ImprovementFilter{Open: true, Limit: 10}, true); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "improvements", data)
}

func oneOfImp[T ~string](v T, all []T) bool {
	for _, x := range all {
		if v == x {
			return true
		}
	}
	return false
}

// ---------- report ----------

type improvementReportPage struct {
	Page
	Items    []*liaison.Improvement
	Services map[string]string
}

func (h *Handler) showImprovementReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "improvements")
	p.Title = p.L.T("improvement.report.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.improvements"), Href: "/improvements"}, {Label: p.Title}}
	data := &improvementReportPage{Page: p, Services: map[string]string{}}
	f := liaison.ImprovementFilter{Status: liaison.ImprovementDone, Sort: "-updated_at", Limit: 500, OrganisationID: r.URL.Query().Get("organisation_id")}
	for {
		list, next, err := h.app.Improvements(ctx, f, false)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Items = append(data.Items, list...)
		if next == "" || len(data.Items) >= 2000 {
			break
		}
		f.Cursor = next
	}
	opts, err := h.serviceOptions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range opts {
		data.Services[o.Value] = o.Label
	}
	h.render(w, r, http.StatusOK, "improvement_report", data)
}

// ServiceNames returns the names of an improvement's services.
func (p *improvementReportPage) ServiceNames(ids []string) string {
	var names []string
	for _, id := range ids {
		if n, ok := p.Services[id]; ok {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// ---------- detail ----------

type improvementPage struct {
	Page
	I          *liaison.Improvement
	Rights     app.ImprovementRights
	Next       []liaison.ImprovementStatus
	Services   []Option
	Accounts   []Option
	Updates    []*liaison.ImprovementUpdate
	Raisers    []*liaison.ImprovementRaiser
	RaiseFor   []Option // accounts the viewer may record as raising it
	Threshold  int
	Refusal    string
	RefusalTo  string
	StatusForm *Form
	UpdateForm *Form
	RaiseForm  *Form
	Today      string
	History    []historyEntry
}

// Steps are the lifecycle's main line, for the step indicator.
func (p *improvementPage) Steps() []string {
	return []string{"proposed", "approved", "in_progress", "done"}
}

// CanDeleteUpdate reports whether the viewer may remove a progress note.
func (p *improvementPage) CanDeleteUpdate(u *liaison.ImprovementUpdate) bool {
	return p.Rights.Progress || (u.AuthorID != nil && p.User != nil && *u.AuthorID == p.User.ID && p.User.Role != liaison.RoleViewer)
}

func (h *Handler) loadImprovementPage(w http.ResponseWriter, r *http.Request) (*improvementPage, bool) {
	ctx := r.Context()
	i, err := h.app.Improvement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, i.Title, "improvements")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.improvements"), Href: "/improvements"}, {Label: i.Title}}
	today := liaison.FormatDate(liaison.DateOf(h.now()))
	data := &improvementPage{Page: p, I: i, Rights: h.app.ImprovementRights(ctx, i), Next: liaison.NextImprovementStatuses(i.Status),
		StatusForm: newForm(), UpdateForm: newForm(), RaiseForm: newForm(), Today: today}
	data.StatusForm.Set("decision_note", i.DecisionNote)
	data.StatusForm.Set("realised_effect", i.RealisedEffect)
	data.UpdateForm.Set("on", today)
	data.RaiseForm.Set("raised_on", today)
	names := map[string]string{}
	services, err := h.serviceOptions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	for _, o := range services {
		names[o.Value] = o.Label
	}
	for _, id := range i.ServiceIDs {
		data.Services = append(data.Services, Option{Value: id, Label: names[id]})
	}
	accounts, units, err := h.accounts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	for _, id := range i.OrganisationIDs {
		if name, ok := units[id]; ok {
			data.Accounts = append(data.Accounts, Option{Value: id, Label: name})
		}
	}
	if data.Updates, err = h.app.ImprovementUpdates(ctx, i.ID, nil); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Raisers, err = h.app.ImprovementRaisers(ctx, i.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	raised := map[string]bool{}
	for _, rr := range data.Raisers {
		raised[rr.OrganisationID] = true
	}
	if p.Can("write") {
		// Head and admin raise for any account; others for those they manage or deputise.
		if isHead(p) {
			for _, o := range accounts {
				if !raised[o.Value] {
					data.RaiseFor = append(data.RaiseFor, o)
				}
			}
		} else {
			mine, err := h.app.MyAccounts(ctx)
			if err != nil {
				h.fail(w, r, err)
				return nil, false
			}
			for _, o := range mine {
				if !raised[o.ID] {
					data.RaiseFor = append(data.RaiseFor, Option{Value: o.ID, Label: o.Name})
				}
			}
		}
	}
	if data.Threshold, err = h.app.DemandAccounts(ctx); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	entries, _, err := h.app.Audit(ctx, "improvement", i.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.History = improvementHistory(p, entries, names, units)
	return data, true
}

// CanRemoveRaiser reports whether the viewer may take back an account's raise.
func (p *improvementPage) CanRemoveRaiser(orgID string) bool {
	if !p.Can("write") {
		return false
	}
	if isHead(p.Page) {
		return true
	}
	for _, o := range p.RaiseFor {
		if o.Value == orgID {
			return true
		}
	}
	return false
}

func (h *Handler) showImprovement(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadImprovementPage(w, r); ok {
		h.render(w, r, http.StatusOK, "improvement", data)
	}
}

func (h *Handler) setImprovementStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	to := liaison.ImprovementStatus(r.PostFormValue("status"))
	note, effect := r.PostFormValue("decision_note"), r.PostFormValue("realised_effect")
	i, err := h.app.SetImprovementStatus(ctx, r.PathValue("id"), to, note, effect, atoi(r.PostFormValue("version")))
	if err == nil {
		h.flashT(w, r, "improvement.flash.status", h.localizer(r).T("improvement.status."+string(i.Status)))
		redirect(w, r, "/improvements/"+i.ID)
		return
	}
	code := httpx.Status(err)
	if code != http.StatusUnprocessableEntity && code != http.StatusPreconditionFailed {
		h.fail(w, r, err)
		return
	}
	data, ok := h.loadImprovementPage(w, r)
	if !ok {
		return
	}
	l := data.L
	data.StatusForm.Set("decision_note", note)
	data.StatusForm.Set("realised_effect", effect)
	if code == http.StatusPreconditionFailed {
		data.Refusal = l.T("form.stale.text")
	} else {
		msgs := l.FieldErrors(err)
		var parts []string
		for k, m := range msgs {
			data.StatusForm.Errors[k] = m
			parts = append(parts, m)
		}
		sort.Strings(parts)
		if len(parts) == 0 {
			parts = append(parts, l.Error(err))
		}
		data.Refusal = strings.Join(parts, " ")
	}
	data.RefusalTo = l.T("improvement.status." + string(to))
	h.render(w, r, code, "improvement", data)
}

func (h *Handler) deleteImprovement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	i, err := h.app.Improvement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteImprovement(ctx, i.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "improvement.flash.deleted", i.Title)
	redirect(w, r, "/improvements")
}

func (h *Handler) addImprovementUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := &liaison.ImprovementUpdate{ImprovementID: r.PathValue("id"), On: r.PostFormValue("on"), Note: r.PostFormValue("note"),
		CustomerVisible: r.PostFormValue("customer_visible") != ""}
	err := h.app.AddImprovementUpdate(ctx, u)
	if err == nil {
		h.flashT(w, r, "improvement.flash.update_added")
		redirect(w, r, "/improvements/"+u.ImprovementID+"#updates")
		return
	}
	data, ok := h.loadImprovementPage(w, r)
	if !ok {
		return
	}
	f := data.UpdateForm
	f.Set("on", r.PostFormValue("on"))
	f.Set("note", r.PostFormValue("note"))
	f.Set("customer_visible", r.PostFormValue("customer_visible"))
	if code := applyFormError(data.L, f, err, "on", "note"); code != 0 {
		h.render(w, r, code, "improvement", data)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) deleteImprovementUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.app.DeleteImprovementUpdate(r.Context(), id, r.PathValue("update_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "improvement.flash.update_deleted")
	redirect(w, r, "/improvements/"+id+"#updates")
}

func (h *Handler) raiseImprovement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rr := &liaison.ImprovementRaiser{ImprovementID: r.PathValue("id"), OrganisationID: r.PostFormValue("organisation_id"),
		RaisedOn: r.PostFormValue("raised_on"), Note: r.PostFormValue("note")}
	i, err := h.app.RaiseImprovement(ctx, rr)
	if err == nil {
		if i.Flagged {
			h.flashT(w, r, "improvement.flash.raised_flagged", rr.OrganisationName, i.RaisedByCount)
		} else {
			h.flashT(w, r, "improvement.flash.raised", rr.OrganisationName)
		}
		redirect(w, r, "/improvements/"+i.ID+"#raised-by")
		return
	}
	if liaison.ErrorCode(err) == liaison.EFORBIDDEN {
		h.fail(w, r, err)
		return
	}
	data, ok := h.loadImprovementPage(w, r)
	if !ok {
		return
	}
	f := data.RaiseForm
	f.Set("organisation_id", rr.OrganisationID)
	f.Set("raised_on", r.PostFormValue("raised_on"))
	f.Set("note", rr.Note)
	if code := applyFormError(data.L, f, err, "organisation_id", "raised_on", "note"); code != 0 {
		h.render(w, r, code, "improvement", data)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) removeImprovementRaiser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.app.RemoveImprovementRaiser(r.Context(), id, r.PathValue("organisation_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "improvement.flash.raiser_removed")
	redirect(w, r, "/improvements/"+id+"#raised-by")
}

// ---------- form ----------

type improvementFormPage struct {
	Page
	Form     *Form
	I        *liaison.Improvement // nil when proposing
	Origins  []Option
	Services []Option
	Accounts []Option
	Owners   []Option
	Back     string
}

var improvementFields = []string{"title", "description", "origin", "expected_benefit", "service_ids", "organisation_ids", "owner_id", "complaint_id"}

// Selected reports whether a multi-valued field holds v.
func (p *improvementFormPage) Selected(name, v string) bool {
	for _, x := range p.Form.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

func improvementForm(i *liaison.Improvement) *Form {
	f := newForm()
	f.Set("title", i.Title)
	f.Set("description", i.Description)
	f.Set("origin", string(i.Origin))
	f.Set("expected_benefit", i.ExpectedBenefit)
	f.Set("owner_id", deref(i.OwnerID))
	f.Set("complaint_id", deref(i.ComplaintID))
	f.Values["service_ids"] = append([]string{}, i.ServiceIDs...)
	f.Values["organisation_ids"] = append([]string{}, i.OrganisationIDs...)
	f.Set("version", itoa(i.Version))
	return f
}

func readImprovementForm(r *http.Request, i *liaison.Improvement) *Form {
	f := newForm()
	for _, k := range []string{"title", "description", "origin", "expected_benefit", "owner_id", "complaint_id", "version"} {
		f.Set(k, r.PostFormValue(k))
	}
	f.Values["service_ids"] = r.PostForm["service_ids"]
	f.Values["organisation_ids"] = r.PostForm["organisation_ids"]
	i.Title, i.Description, i.Origin = f.Get("title"), f.Get("description"), liaison.ImprovementOrigin(f.Get("origin"))
	i.ExpectedBenefit, i.OwnerID, i.ComplaintID = f.Get("expected_benefit"), optional(f.Get("owner_id")), optional(f.Get("complaint_id"))
	i.ServiceIDs, i.OrganisationIDs = f.Values["service_ids"], f.Values["organisation_ids"]
	return f
}

func (h *Handler) renderImprovementForm(w http.ResponseWriter, r *http.Request, code int, f *Form, i *liaison.Improvement) {
	ctx := r.Context()
	p := h.page(w, r, "", "improvements")
	data := &improvementFormPage{Page: p, Form: f, I: i, Origins: improvementOriginOptions(p), Back: "/improvements"}
	if i != nil {
		p.Title = p.L.T("improvement.edit.title", i.Title)
		data.Back = "/improvements/" + i.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.improvements"), Href: "/improvements"}, {Label: i.Title, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("improvement.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.improvements"), Href: "/improvements"}, {Label: p.Title}}
		if len(f.Values["organisation_ids"]) == 1 {
			data.Back = "/organisations/" + f.Values["organisation_ids"][0] + "/improvements"
		}
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
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Owners = lk.userOptions()
	h.render(w, r, code, "improvement_form", data)
}

func (h *Handler) newImprovement(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanProposeImprovement(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	q := r.URL.Query()
	i := &liaison.Improvement{Origin: liaison.ImprovementOrigin(q.Get("origin"))}
	if i.Origin == "" {
		i.Origin = liaison.OriginManager
	}
	if id := q.Get("organisation_id"); id != "" {
		i.OrganisationIDs = []string{id}
	}
	if id := q.Get("service_id"); id != "" {
		i.ServiceIDs = []string{id}
	}
	f := improvementForm(i)
	f.Set("version", "")
	h.renderImprovementForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createImprovement(w http.ResponseWriter, r *http.Request) {
	i := &liaison.Improvement{}
	f := readImprovementForm(r, i)
	if err := h.app.CreateImprovement(r.Context(), i); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), improvementFields...); code != 0 {
			h.renderImprovementForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "improvement.flash.created", i.Title)
	redirect(w, r, "/improvements/"+i.ID)
}

func (h *Handler) editImprovement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	i, err := h.app.Improvement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.ImprovementRights(ctx, i).Edit {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderImprovementForm(w, r, http.StatusOK, improvementForm(i), i)
}

func (h *Handler) updateImprovement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Improvement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	i := *cur
	f := readImprovementForm(r, &i)
	if err := h.app.UpdateImprovement(ctx, &i, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), improvementFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderImprovementForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/improvements/"+i.ID)
}

// ---------- account tab ----------

type unitImprovementsPage struct {
	*unitPage
	Improvements []*liaison.Improvement
	Raised       map[string]bool
	CanCreate    bool
}

func (h *Handler) showUnitImprovements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	data := &unitImprovementsPage{unitPage: &unitPage{Page: p, V: v, Tab: "improvements", CanDelete: v.CanWrite && len(v.Children) == 0},
		CanCreate: h.app.CanProposeImprovement(ctx), Raised: map[string]bool{}}
	f := liaison.ImprovementFilter{OrganisationID: id, Sort: "-updated_at", Limit: 500}
	if exportFormat(r) != "" {
		exportList(h, w, r, "improvements", "nav.improvements", improvementColumns(p.L), func(cursor string, limit int) ([]*liaison.Improvement, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Improvements(ctx, f, false)
		})
		return
	}
	for {
		list, next, err := h.app.Improvements(ctx, f, false)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Improvements = append(data.Improvements, list...)
		if next == "" || len(data.Improvements) >= 2000 {
			break
		}
		f.Cursor = next
	}
	for _, i := range data.Improvements {
		affected := false
		for _, o := range i.OrganisationIDs {
			affected = affected || o == id
		}
		data.Raised[i.ID] = !affected
	}
	sort.SliceStable(data.Improvements, func(a, b int) bool {
		return data.Improvements[a].Open() && !data.Improvements[b].Open()
	})
	h.render(w, r, http.StatusOK, "unit", data)
}

// At formats an optional time in the viewer's time zone.
func (p *improvementPage) At(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.DateTime(*t)
}

// At formats an optional time in the viewer's time zone.
func (p *improvementReportPage) At(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.DateTime(*t)
}

// homeDemands is the home page's panel of open improvements raised by
// several accounts: the head of service management's (and an admin's).
type homeDemands struct {
	Show      bool
	Items     []*liaison.Improvement
	Threshold int
}

func (h *Handler) homeDemands(ctx context.Context, p Page) (homeDemands, error) {
	if !isHead(p) {
		return homeDemands{}, nil
	}
	d := homeDemands{Show: true}
	var err error
	if d.Threshold, err = h.app.DemandAccounts(ctx); err != nil {
		return d, err
	}
	d.Items, _, err = h.app.Improvements(ctx, liaison.ImprovementFilter{Open: true, Sort: "-updated_at", Limit: 5}, true)
	return d, err
}

// improvementHistoryFields are the fields an improvement's history shows, in
// order, with their labels; the rest are derived or bookkeeping.
var improvementHistoryFields = []struct{ json, label string }{
	{"status", "field.status"}, {"title", "improvement.field.title"}, {"origin", "improvement.field.origin"},
	{"owner_name", "improvement.field.owner_id"}, {"decided_by_name", "improvement.field.decided_by"},
	{"decision_note", "improvement.field.decision_note"}, {"realised_effect", "improvement.field.realised_effect"},
	{"description", "improvement.field.description"}, {"expected_benefit", "improvement.field.expected_benefit"},
	{"service_ids", "improvement.field.services"}, {"organisation_ids", "improvement.field.accounts"},
	{"complaint_id", "improvement.field.complaint_id"},
}

// improvementHistory turns an improvement's audit entries into readable
// changes: translated labels and values, services and accounts by name.
func improvementHistory(p Page, entries []*liaison.AuditEntry, services, accounts map[string]string) []historyEntry {
	value := func(field string, raw any) string {
		switch v := raw.(type) {
		case nil:
			return ""
		case string:
			switch field {
			case "status":
				return p.L.T("improvement.status." + v)
			case "origin":
				return p.L.T("improvement.origin." + v)
			}
			return v
		case []any:
			names := services
			if field == "organisation_ids" {
				names = accounts
			}
			var parts []string
			for _, x := range v {
				id, _ := x.(string)
				if n, ok := names[id]; ok {
					parts = append(parts, n)
				} else {
					parts = append(parts, id)
				}
			}
			return strings.Join(parts, ", ")
		}
		return ""
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, f := range improvementHistoryFields {
			b, a := value(f.json, before[f.json]), value(f.json, after[f.json])
			if b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f.label), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

// improvementColumns are the columns of the exported improvement list.
func improvementColumns(l *i18n.Localizer) []exportColumn[*liaison.Improvement] {
	return []exportColumn[*liaison.Improvement]{
		{"improvement.field.title", func(i *liaison.Improvement) any { return i.Title }},
		{"field.status", func(i *liaison.Improvement) any { return l.T("improvement.status." + string(i.Status)) }},
		{"improvement.field.origin", func(i *liaison.Improvement) any { return l.T("improvement.origin." + string(i.Origin)) }},
		{"improvement.field.owner_id", func(i *liaison.Improvement) any { return i.OwnerName }},
		{"export.proposed_by", func(i *liaison.Improvement) any { return i.ProposedByName }},
		{"improvement.raised_by", func(i *liaison.Improvement) any { return i.RaisedByCount }},
		{"improvement.field.expected_benefit", func(i *liaison.Improvement) any { return i.ExpectedBenefit }},
		{"export.decided_at", func(i *liaison.Improvement) any { return i.DecidedAt }},
		{"export.done_at", func(i *liaison.Improvement) any { return i.DoneAt }},
		{"field.updated_at", func(i *liaison.Improvement) any { return i.UpdatedAt }},
	}
}
