package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

func init() {
	pages = append(pages, "agreements", "agreement", "agreement_form")
}

// maxUploadBytes is the largest multipart body the UI reads: an attachment
// and its form fields.
const maxUploadBytes = liaison.MaxAttachmentBytes + 64<<10

// agreementRoutes are the UI's agreement pages (merged into the route table by New).
func (h *Handler) agreementRoutes() []route {
	const (
		read   = liaison.AccessRead
		write  = liaison.AccessWrite
		curate = liaison.AccessCurate
	)
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/agreements", read, h.showAgreements),
		r("GET", "/agreements/new", write, h.newAgreement),
		r("POST", "/agreements", write, h.createAgreement),
		r("GET", "/agreements/{id}", read, h.showAgreement),
		r("GET", "/agreements/{id}/edit", write, h.editAgreement),
		r("POST", "/agreements/{id}", write, h.updateAgreement),
		r("POST", "/agreements/{id}/status", write, h.setAgreementStatus),
		r("POST", "/agreements/{id}/delete", write, h.deleteAgreement),
		r("POST", "/agreements/{id}/restore", curate, h.restoreAgreement),
		r("POST", "/agreements/{id}/attachments", write, h.uploadAttachment),
		r("GET", "/agreements/{id}/attachments/{attachment_id}", read, h.downloadAttachment),
		r("POST", "/agreements/{id}/attachments/{attachment_id}/delete", write, h.deleteAttachment),
		r("POST", "/agreements/{id}/sla-results", write, h.createSLAResult),
		r("POST", "/agreements/{id}/sla-results/import", write, h.importSLAResults),
		r("POST", "/sla-results/{id}/delete", write, h.deleteSLAResult),
	}
}

// isMultipart reports whether a request carries a multipart form (an upload).
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// ---------- list ----------

type agreementRow struct {
	A       *liaison.Agreement
	Account *liaison.Ref
	End     string // the end of the term in force, YYYY-MM-DD
	Notice  string // the notice deadline of that term
	Soon    bool   // the notice deadline is within 90 days
	Renewed bool
}

type agreementsPage struct {
	Page
	Q        ListQuery
	Rows     []agreementRow
	Next     string
	Statuses []Option
	Types    []Option
	Accounts []Option
	KPI      liaison.AgreementKPIs
}

func (h *Handler) agreementStatusOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.AgreementStatuses {
		o = append(o, Option{Value: string(s), Label: p.L.T("agreement.status." + string(s))})
	}
	return o
}

func (h *Handler) typeOptions(p Page) []Option {
	var o []Option
	for _, t := range liaison.AgreementTypes {
		o = append(o, Option{Value: string(t), Label: p.L.T("agreement.type." + string(t))})
	}
	return o
}

// accountOptions lists the customer accounts, by name.
func (h *Handler) accountOptions(ctx context.Context) ([]Option, error) {
	opts, _, err := h.accounts(ctx)
	return opts, err
}

// accounts returns the customer accounts as options, by name, and their
// names by id. Only ids and names are read: at dataset L that is 600
// accounts on every list page.
func (h *Handler) accounts(ctx context.Context) ([]Option, map[string]string, error) {
	refs, err := h.app.AccountNames(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Option, len(refs))
	names := make(map[string]string, len(refs))
	for i, r := range refs {
		out[i] = Option{Value: r.ID, Label: r.Name}
		names[r.ID] = r.Name
	}
	return out, names, nil
}

// agreementRow is a list row; names maps account ids to names and gains
// any account it lacked (one not in the list of live accounts).
func (h *Handler) agreementRow(ctx context.Context, a *liaison.Agreement, names map[string]string, today time.Time) agreementRow {
	row := agreementRow{A: a}
	name, ok := names[a.OrganisationID]
	if !ok {
		if u, err := h.app.Organisation(ctx, a.OrganisationID); err == nil {
			name = u.Name
		}
		names[a.OrganisationID] = name
	}
	if name != "" {
		row.Account = &liaison.Ref{ID: a.OrganisationID, Name: name}
	}
	if end, notice, renewed, ok := a.Terms(today); ok {
		row.End, row.Notice, row.Renewed = liaison.FormatDate(end), liaison.FormatDate(notice), renewed
		row.Soon = a.Status == liaison.StatusActive && !notice.Before(today) && notice.Before(today.AddDate(0, 0, 90))
	}
	return row
}

func (h *Handler) showAgreements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "agreements")
	p.Title = p.L.T("agreement.list.title")
	q := ListQuery{Base: "/agreements", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.AgreementFilter{Q: q.Get("q"), OrganisationID: q.Get("organisation_id"), Status: liaison.AgreementStatus(q.Get("status")),
		Type: liaison.AgreementType(q.Get("type")), ManagerID: q.Get("manager_id"), EndsBefore: q.Get("ends_before"), Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50}
	if q.Get("mine") != "" && p.User != nil {
		f.ManagerID = p.User.ID
	}
	if f.Status != "" && !oneOfStatus(f.Status) {
		f.Status = ""
	}
	if exportFormat(r) != "" {
		_, units, err := h.accounts(ctx)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		exportList(h, w, r, "agreements", "agreement.list.title", agreementColumns(p.L, units), func(cursor string, limit int) ([]*liaison.Agreement, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Agreements(ctx, f)
		})
		return
	}
	list, next, err := h.app.Agreements(ctx, f)
	if err != nil {
		if liaison.ErrorCode(err) == liaison.EBADREQUEST { // a stale cursor: start over
			f.Cursor = ""
			list, next, err = h.app.Agreements(ctx, f)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	data := &agreementsPage{Page: p, Q: q, Statuses: h.agreementStatusOptions(p), Types: h.typeOptions(p)}
	var units map[string]string
	if data.Accounts, units, err = h.accounts(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	today := liaison.DateOf(h.now())
	for _, a := range list {
		data.Rows = append(data.Rows, h.agreementRow(ctx, a, units, today))
	}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.KPI, err = h.app.KPIs(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "agreements", data)
}

func oneOfStatus(s liaison.AgreementStatus) bool {
	for _, x := range liaison.AgreementStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// ---------- detail ----------

type coverRow struct {
	Service *liaison.Service
	ID      string
	Level   string
	Target  string // the level's targets, in short
}

type slaRow struct {
	R       *liaison.SLAResult
	Service string
}

type revisionView struct {
	R       *liaison.AgreementRevision
	Changes []fieldChange
}

type agreementPage struct {
	Page
	A           *liaison.Agreement
	Account     *liaison.Organisation
	Signer      *liaison.Person
	Customer    *liaison.Person
	SignerOK    bool // the signer is the account's customer
	Covers      []coverRow
	Attachments []*liaison.Attachment
	SLA         []slaRow
	Breaches    int
	Revisions   []revisionView
	Next        []liaison.AgreementStatus
	CanWrite    bool
	End         string
	Notice      string
	Renewed     bool
	Refusal     string // why the last status change was refused, translated
	RefusalTo   string
	UploadForm  *Form
	SLAForm     *Form
	ImportForm  *Form
	Import      *app.ImportReport
	Metrics     []Option
	MaxUpload   int
	Now         string
	SLAPeriod   string
	ServiceOpts []Option
	Amount      string // annual financing with its currency
	// SupplierOpts are the suppliers an SLA result may be attributed to
	// (suppliers.go), suppliers by their id for the SLA table.
	SupplierOpts  []Option
	supplierNames map[string]string
}

// SupplierName names a supplier of the SLA table.
func (p *agreementPage) SupplierName(id string) string {
	if n, ok := p.supplierNames[id]; ok {
		return n
	}
	return id
}

// Steps are the lifecycle's main line, for the step indicator.
func (p *agreementPage) Steps() []string {
	return []string{"draft", "negotiation", "active", "expired"}
}

// KiB formats a file size.
func (p *agreementPage) KiB(n int) string {
	if n < 1024 {
		return p.L.T("agreement.bytes", n)
	}
	return p.L.T("agreement.kib", p.L.Number((n+1023)/1024))
}

// loadWritableAgreementPage is loadAgreementPage for a change: 403 unless
// the principal may change the agreement's account.
func (h *Handler) loadWritableAgreementPage(w http.ResponseWriter, r *http.Request) (*agreementPage, bool) {
	data, ok := h.loadAgreementPage(w, r)
	if ok && !data.CanWrite {
		h.fail(w, r, &liaison.Error{Code: liaison.EFORBIDDEN, Key: "error.forbidden", Message: "You may not change this account."})
		return nil, false
	}
	return data, ok
}

func (h *Handler) loadAgreementPage(w http.ResponseWriter, r *http.Request) (*agreementPage, bool) {
	ctx := r.Context()
	a, err := h.app.Agreement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, a.Title, "agreements")
	data := &agreementPage{Page: p, A: a, Next: liaison.NextStatuses(a.Status), MaxUpload: liaison.MaxAttachmentBytes >> 20,
		UploadForm: newForm(), SLAForm: newForm(), ImportForm: newForm()}
	data.CanWrite = p.Can("write") && h.app.CanWriteAgreements(ctx, a.OrganisationID)
	data.Account, _ = h.app.Organisation(ctx, a.OrganisationID)
	data.Crumbs = []Crumb{{Label: p.L.T("nav.agreements"), Href: "/agreements"}}
	if data.Account != nil {
		data.Crumbs = append(data.Crumbs, Crumb{Label: data.Account.Name, Href: "/agreements?organisation_id=" + data.Account.ID})
	}
	data.Crumbs = append(data.Crumbs, Crumb{Label: a.Title})
	if a.SignedByPersonID != nil {
		data.Signer, _ = h.app.Person(ctx, *a.SignedByPersonID)
	}
	data.Customer, _ = h.app.AgreementCustomer(ctx, a.OrganisationID)
	data.SignerOK = data.Signer != nil && data.Customer != nil && data.Signer.ID == data.Customer.ID
	today := liaison.DateOf(h.now())
	if end, notice, renewed, ok := a.Terms(today); ok {
		data.End, data.Notice, data.Renewed = liaison.FormatDate(end), liaison.FormatDate(notice), renewed
	}
	names := map[string]string{}
	for _, c := range a.Services {
		row := coverRow{ID: c.ServiceID, Level: c.Level}
		if s, err := h.app.Store.FindServiceByID(ctx, c.ServiceID); err == nil {
			row.Service = s
			names[s.ID] = s.Name
			if l := s.Level(c.Level); l != nil {
				row.Target = levelTargets(p, l)
			}
		}
		data.Covers = append(data.Covers, row)
		data.ServiceOpts = append(data.ServiceOpts, Option{Value: c.ServiceID, Label: names[c.ServiceID]})
	}
	if a.AnnualAmount != nil {
		data.Amount = strings.TrimSpace(p.L.Number(int(*a.AnnualAmount+0.5)) + " " + a.Currency)
	}
	if data.Attachments, err = h.app.Attachments(ctx, a.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.supplierNames = map[string]string{}
	if data.SupplierOpts, err = h.slaSupplierOptions(ctx, data.Covers); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	results, _, err := h.app.SLAResults(ctx, liaison.SLAResultFilter{AgreementID: a.ID, Limit: 100})
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	for _, res := range results {
		n := names[res.ServiceID]
		if n == "" {
			if s, err := h.app.Store.FindServiceByID(ctx, res.ServiceID); err == nil {
				n = s.Name
			}
		}
		data.SLA = append(data.SLA, slaRow{R: res, Service: n})
		if res.SupplierID != nil {
			data.supplierNames[*res.SupplierID] = res.SupplierName
		}
		if res.Breached {
			data.Breaches++
		}
	}
	revs, err := h.app.AgreementRevisions(ctx, a.ID)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	base := h.nameResolver(ctx)
	resolve := func(field, id string) string {
		if field == "service_id" {
			if n, ok := names[id]; ok {
				return n
			}
			if s, err := h.app.Store.FindServiceByID(ctx, id); err == nil {
				names[id] = s.Name
				return s.Name
			}
			return id
		}
		return base(field, id)
	}
	for _, rv := range revs {
		data.Revisions = append(data.Revisions, revisionView{R: rv, Changes: agreementChanges(p, resolve, rv.Changes)})
	}
	for _, m := range liaison.SLAMetrics {
		data.Metrics = append(data.Metrics, Option{Value: string(m), Label: p.L.T("sla.metric." + string(m))})
	}
	data.SLAPeriod = today.AddDate(0, -1, 0).Format("2006-01")
	data.SLAForm.Set("period", data.SLAPeriod)
	data.SLAForm.Set("metric", string(liaison.MetricAvailability))
	return data, true
}

// levelTargets describes a service level's targets in short.
func levelTargets(p Page, l *liaison.ServiceLevel) string {
	var parts []string
	if l.AvailabilityPercent != nil {
		parts = append(parts, p.L.T("agreement.target.availability", strconv.FormatFloat(*l.AvailabilityPercent, 'f', -1, 64)))
	}
	if l.ResponseMinutes != nil {
		parts = append(parts, p.L.T("agreement.target.response", *l.ResponseMinutes))
	}
	if l.ResolutionMinutes != nil {
		parts = append(parts, p.L.T("agreement.target.resolution", *l.ResolutionMinutes))
	}
	return strings.Join(parts, " · ")
}

// agreementChanges turns a revision's changes into readable rows.
func agreementChanges(p Page, names func(field, id string) string, changes []liaison.Change) []fieldChange {
	var out []fieldChange
	for _, c := range changes {
		if c.Field == "deleted_at" {
			continue
		}
		label := c.Field
		switch {
		case p.L.Has("agreement.field." + c.Field):
			label = p.L.T("agreement.field." + c.Field)
		case p.L.Has("field." + c.Field):
			label = p.L.T("field." + c.Field)
		}
		out = append(out, fieldChange{Field: label, Before: showAgreementValue(p, names, c.Field, c.Before),
			After: showAgreementValue(p, names, c.Field, c.After)})
	}
	return out
}

func showAgreementValue(p Page, names func(field, id string) string, field string, raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil || v == nil {
		return ""
	}
	switch field {
	case "status":
		return p.L.T("agreement.status." + fmt.Sprint(v))
	case "type":
		return p.L.T("agreement.type." + fmt.Sprint(v))
	case "renewal":
		return p.L.T("agreement.renewal." + fmt.Sprint(v))
	case "signed_by_person_id":
		return names("person_id", fmt.Sprint(v))
	case "start_date", "end_date", "next_review_date", "signed_on":
		return p.L.DateString(fmt.Sprint(v))
	case "services":
		var covers []liaison.ServiceCover
		json.Unmarshal(raw, &covers)
		var parts []string
		for _, c := range covers {
			s := names("service_id", c.ServiceID)
			if c.Level != "" {
				s += " (" + c.Level + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ", ")
	case "value_measures":
		var ms []liaison.ValueMeasure
		json.Unmarshal(raw, &ms)
		var parts []string
		for _, m := range ms {
			parts = append(parts, strings.TrimSpace(m.Name+" "+m.Target))
		}
		return strings.Join(parts, "; ")
	case "annual_amount":
		if f, ok := v.(float64); ok {
			return p.L.Number(int(f + 0.5))
		}
	}
	return show(p, names, field, v)
}

func (h *Handler) showAgreement(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadAgreementPage(w, r); ok {
		h.render(w, r, http.StatusOK, "agreement", data)
	}
}

// ---------- status ----------

func (h *Handler) setAgreementStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	to := liaison.AgreementStatus(r.PostFormValue("status"))
	a, err := h.app.SetAgreementStatus(ctx, r.PathValue("id"), to, atoi(r.PostFormValue("version")))
	if err == nil {
		h.flashT(w, r, "agreement.flash.status", h.localizer(r).T("agreement.status."+string(a.Status)))
		redirect(w, r, "/agreements/"+a.ID)
		return
	}
	code := httpx.Status(err)
	if code != http.StatusUnprocessableEntity && code != http.StatusPreconditionFailed {
		h.fail(w, r, err)
		return
	}
	// Show the refusal on the agreement itself, in words, next to the actions.
	data, ok := h.loadAgreementPage(w, r)
	if !ok {
		return
	}
	l := data.L
	if code == http.StatusPreconditionFailed {
		data.Refusal = l.T("form.stale.text")
	} else {
		var msgs []string
		for _, m := range l.FieldErrors(err) {
			msgs = append(msgs, m)
		}
		sort.Strings(msgs)
		if len(msgs) == 0 {
			msgs = append(msgs, l.Error(err))
		}
		data.Refusal = strings.Join(msgs, " ")
	}
	data.RefusalTo = l.T("agreement.status." + string(to))
	h.render(w, r, code, "agreement", data)
}

// ---------- form ----------

type agreementFormPage struct {
	Page
	Form      *Form
	A         *liaison.Agreement // nil when creating
	Accounts  []Option
	People    []Option
	Types     []Option
	Renewals  []Option
	Covers    []Option // service|level pairs
	Slots     []string // chosen pairs, one per row, empty rows included
	Measures  [][2]string
	Customer  *liaison.Person
	NoAccount bool
}

var agreementFields = []string{"organisation_id", "title", "type", "signed_by_person_id", "signed_on", "start_date", "end_date",
	"notice_months", "renewal", "renewal_months", "review_interval_months", "next_review_date", "annual_amount", "currency",
	"cost_centre", "business_value", "notes", "external_id", "services", "value_measures", "service_review_months"}

func agreementForm(a *liaison.Agreement) *Form {
	f := newForm()
	f.Set("organisation_id", a.OrganisationID)
	f.Set("title", a.Title)
	f.Set("type", string(a.Type))
	f.Set("signed_by_person_id", deref(a.SignedByPersonID))
	f.Set("signed_on", deref(a.SignedOn))
	f.Set("start_date", deref(a.StartDate))
	f.Set("end_date", deref(a.EndDate))
	f.Set("notice_months", itoa(a.NoticeMonths))
	f.Set("renewal", string(a.Renewal))
	f.Set("renewal_months", itoa(a.RenewalMonths))
	f.Set("review_interval_months", itoa(a.ReviewIntervalMonths))
	f.Set("next_review_date", deref(a.NextReviewDate))
	f.Set("service_review_months", itoa(a.ServiceReviewMonths))
	if a.AnnualAmount != nil {
		f.Set("annual_amount", strconv.FormatFloat(*a.AnnualAmount, 'f', -1, 64))
	}
	f.Set("currency", a.Currency)
	f.Set("cost_centre", a.CostCentre)
	f.Set("business_value", a.BusinessValue)
	f.Set("notes", a.Notes)
	f.Set("external_id", a.ExternalID)
	f.Set("version", itoa(a.Version))
	for _, c := range a.Services {
		f.Values.Add("cover", c.ServiceID+"|"+c.Level)
	}
	for _, m := range a.ValueMeasures {
		f.Values.Add("measure_name", m.Name)
		f.Values.Add("measure_target", m.Target)
	}
	return f
}

// readAgreementForm reads the form into a (keeping its status and other
// fields the form does not show). It returns an error for numbers that do
// not parse, by field.
func readAgreementForm(r *http.Request, a *liaison.Agreement, l interface{ T(string, ...any) string }) *Form {
	r.ParseForm()
	f := newForm()
	for _, k := range append(agreementFields, "version") {
		f.Set(k, r.PostForm.Get(k))
	}
	f.Values["cover"] = r.PostForm["cover"]
	f.Values["measure_name"] = r.PostForm["measure_name"]
	f.Values["measure_target"] = r.PostForm["measure_target"]
	a.OrganisationID, a.Title, a.Type = f.Get("organisation_id"), f.Get("title"), liaison.AgreementType(f.Get("type"))
	a.SignedByPersonID, a.SignedOn = optional(f.Get("signed_by_person_id")), optional(f.Get("signed_on"))
	a.StartDate, a.EndDate, a.NextReviewDate = optional(f.Get("start_date")), optional(f.Get("end_date")), optional(f.Get("next_review_date"))
	a.Renewal = liaison.Renewal(f.Get("renewal"))
	ints := []struct {
		name string
		dst  *int
	}{{"notice_months", &a.NoticeMonths}, {"renewal_months", &a.RenewalMonths}, {"review_interval_months", &a.ReviewIntervalMonths},
		{"service_review_months", &a.ServiceReviewMonths}}
	for _, x := range ints {
		s := strings.TrimSpace(f.Get(x.name))
		if s == "" {
			*x.dst = 0
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Errors[x.name] = l.T("error.number_invalid")
		}
		*x.dst = n
	}
	a.AnnualAmount = nil
	if s := strings.TrimSpace(f.Get("annual_amount")); s != "" {
		s = strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(s)
		if x, err := strconv.ParseFloat(s, 64); err == nil {
			a.AnnualAmount = &x
		} else {
			f.Errors["annual_amount"] = l.T("error.number_invalid")
		}
	}
	a.Currency, a.CostCentre, a.BusinessValue = f.Get("currency"), f.Get("cost_centre"), f.Get("business_value")
	a.Notes, a.ExternalID = f.Get("notes"), f.Get("external_id")
	a.Services = nil
	seen := map[string]bool{}
	for _, c := range f.Values["cover"] {
		id, level, _ := strings.Cut(c, "|")
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		a.Services = append(a.Services, liaison.ServiceCover{ServiceID: id, Level: level})
	}
	a.ValueMeasures = nil
	names, targets := f.Values["measure_name"], f.Values["measure_target"]
	for i := range names {
		m := liaison.ValueMeasure{Name: names[i]}
		if i < len(targets) {
			m.Target = targets[i]
		}
		a.ValueMeasures = append(a.ValueMeasures, m)
	}
	return f
}

func (h *Handler) renderAgreementForm(w http.ResponseWriter, r *http.Request, code int, f *Form, a *liaison.Agreement) {
	ctx := r.Context()
	p := h.page(w, r, "", "agreements")
	if a != nil {
		p.Title = p.L.T("agreement.edit.title", a.Title)
		p.Crumbs = []Crumb{{Label: p.L.T("nav.agreements"), Href: "/agreements"}, {Label: a.Title, Href: "/agreements/" + a.ID}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("agreement.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.agreements"), Href: "/agreements"}, {Label: p.L.T("agreement.new.title")}}
	}
	data := &agreementFormPage{Page: p, Form: f, A: a, Types: h.typeOptions(p)}
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, rn := range liaison.Renewals {
		data.Renewals = append(data.Renewals, Option{Value: string(rn), Label: p.L.T("agreement.renewal." + string(rn))})
	}
	if acct := f.Get("organisation_id"); acct != "" {
		data.People, data.Customer = h.signerOptions(ctx, acct)
	} else {
		data.NoAccount = true
	}
	services, err := h.app.AgreementServiceChoices(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sort.SliceStable(services, func(i, j int) bool { return strings.ToLower(services[i].Name) < strings.ToLower(services[j].Name) })
	for _, s := range services {
		label := s.Name
		if s.Status != liaison.ServiceLive {
			label += " (" + p.L.T("agreement.service_status."+string(s.Status)) + ")"
		}
		data.Covers = append(data.Covers, Option{Value: s.ID + "|", Label: label})
		for _, l := range s.Levels {
			data.Covers = append(data.Covers, Option{Value: s.ID + "|" + l.Name, Label: label + " — " + l.Name, Depth: 1})
		}
	}
	data.Slots = append(append([]string{}, f.Values["cover"]...), "", "", "")
	names, targets := f.Values["measure_name"], f.Values["measure_target"]
	for i := range names {
		t := ""
		if i < len(targets) {
			t = targets[i]
		}
		if names[i] != "" || t != "" {
			data.Measures = append(data.Measures, [2]string{names[i], t})
		}
	}
	data.Measures = append(data.Measures, [2]string{}, [2]string{})
	h.render(w, r, code, "agreement_form", data)
}

// signerOptions lists who may be recorded as signer: the account's people
// and those of the units right below it, the customer first.
func (h *Handler) signerOptions(ctx context.Context, accountID string) ([]Option, *liaison.Person) {
	customer, _ := h.app.AgreementCustomer(ctx, accountID)
	var out []Option
	seen := map[string]bool{}
	add := func(pp *liaison.Person, label string) {
		if !seen[pp.ID] {
			seen[pp.ID] = true
			out = append(out, Option{Value: pp.ID, Label: label})
		}
	}
	if customer != nil {
		add(customer, customer.Name+" ★")
	}
	units := []string{accountID}
	children, _, _ := h.app.Organisations(ctx, liaison.OrganisationFilter{ParentID: &accountID, Limit: 100})
	for _, c := range children {
		units = append(units, c.ID)
	}
	for _, u := range units {
		people, _, _ := h.app.People(ctx, liaison.PersonFilter{OrganisationID: u, Limit: 200})
		for _, pp := range people {
			add(pp, pp.Name)
		}
	}
	return out, customer
}

func (h *Handler) newAgreement(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Set("organisation_id", r.URL.Query().Get("organisation_id"))
	f.Set("type", string(liaison.AgreementServiceLevel))
	f.Set("renewal", string(liaison.RenewalNone))
	f.Set("review_interval_months", itoa(liaison.DefaultReviewMonths))
	f.Set("service_review_months", itoa(liaison.DefaultServiceReviewMonths))
	f.Set("notice_months", "3")
	h.renderAgreementForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createAgreement(w http.ResponseWriter, r *http.Request) {
	a := &liaison.Agreement{}
	f := readAgreementForm(r, a, h.localizer(r))
	if f.Invalid() {
		h.renderAgreementForm(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	if err := h.app.CreateAgreement(r.Context(), a); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), agreementFields...); code != 0 {
			h.renderAgreementForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "agreement.flash.created", a.Title)
	redirect(w, r, "/agreements/"+a.ID)
}

func (h *Handler) editAgreement(w http.ResponseWriter, r *http.Request) {
	a, err := h.app.Agreement(r.Context(), r.PathValue("id"))
	if err == nil && !h.app.CanWriteAgreements(r.Context(), a.OrganisationID) {
		err = &liaison.Error{Code: liaison.EFORBIDDEN, Key: "error.forbidden", Message: "You may not change this account."}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderAgreementForm(w, r, http.StatusOK, agreementForm(a), a)
}

func (h *Handler) updateAgreement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Agreement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := *cur
	f := readAgreementForm(r, &a, h.localizer(r))
	if f.Invalid() {
		h.renderAgreementForm(w, r, http.StatusUnprocessableEntity, f, cur)
		return
	}
	if err := h.app.UpdateAgreement(ctx, &a, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), agreementFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderAgreementForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/agreements/"+a.ID)
}

func (h *Handler) deleteAgreement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Agreement(ctx, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteAgreement(ctx, a.ID, atoi(r.PostFormValue("version")))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "agreement.flash.deleted", a.Title)
	redirect(w, r, "/agreements")
}

func (h *Handler) restoreAgreement(w http.ResponseWriter, r *http.Request) {
	a, err := h.app.RestoreAgreement(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.restored", a.Title)
	redirect(w, r, "/agreements/"+a.ID)
}

// foldIndexed files errors of list items (services[2].level) under their
// list's field, where the form shows them.
func foldIndexed(err error) error {
	var e *liaison.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = make([]liaison.FieldError, len(e.Fields))
	for i, fe := range e.Fields {
		if k, _, ok := strings.Cut(fe.Field, "["); ok {
			fe.Field = k
		}
		c.Fields[i] = fe
	}
	return &c
}

// ---------- attachments ----------

// readUpload reads a multipart form's file field, within maxUploadBytes.
func readUpload(r *http.Request, field string) (name, ctype string, data []byte, err error) {
	if err := r.ParseMultipartForm(maxUploadBytes); err != nil {
		return "", "", nil, err
	}
	file, hdr, err := r.FormFile(field)
	if err != nil {
		return "", "", nil, err
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, liaison.MaxAttachmentBytes+1))
	if err != nil {
		return "", "", nil, err
	}
	return hdr.Filename, hdr.Header.Get("Content-Type"), data, nil
}

func (h *Handler) uploadAttachment(w http.ResponseWriter, r *http.Request) {
	data, ok := h.loadWritableAgreementPage(w, r)
	if !ok {
		return
	}
	name, ctype, body, err := readUpload(r, "file")
	if err != nil {
		data.UploadForm.Errors["file"] = data.L.T("agreement.attach.none")
		if _, big := errors.AsType[*http.MaxBytesError](err); big {
			data.UploadForm.Errors["file"] = data.L.T("error.file_too_big", liaison.MaxAttachmentBytes>>20)
		}
		h.render(w, r, http.StatusUnprocessableEntity, "agreement", data)
		return
	}
	at := &liaison.Attachment{AgreementID: data.A.ID, Name: name, ContentType: ctype, Data: body}
	if err := h.app.AddAttachment(r.Context(), at); err != nil {
		if liaison.ErrorCode(err) != liaison.EINVALID {
			h.fail(w, r, err)
			return
		}
		for k, m := range data.L.FieldErrors(err) {
			if k == "content_type" || k == "name" {
				k = "file"
			}
			data.UploadForm.Errors[k] = m
		}
		h.render(w, r, http.StatusUnprocessableEntity, "agreement", data)
		return
	}
	h.flashT(w, r, "agreement.flash.attached", at.Name)
	redirect(w, r, "/agreements/"+data.A.ID+"#attachments")
}

func (h *Handler) downloadAttachment(w http.ResponseWriter, r *http.Request) {
	at, err := h.app.Attachment(r.Context(), r.PathValue("id"), r.PathValue("attachment_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", at.ContentType)
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": at.Name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("Cache-Control", "private, no-store")
	w.Write(at.Data)
}

func (h *Handler) deleteAttachment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.app.DeleteAttachment(r.Context(), id, r.PathValue("attachment_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "agreement.flash.detached")
	redirect(w, r, "/agreements/"+id+"#attachments")
}

// ---------- SLA results ----------

func (h *Handler) createSLAResult(w http.ResponseWriter, r *http.Request) {
	data, ok := h.loadWritableAgreementPage(w, r)
	if !ok {
		return
	}
	f := data.SLAForm
	for _, k := range []string{"service_id", "period", "metric", "target", "actual", "note", "supplier_id"} {
		f.Set(k, r.PostFormValue(k))
	}
	res := &liaison.SLAResult{AgreementID: data.A.ID, ServiceID: f.Get("service_id"), Period: f.Get("period"),
		Metric: liaison.SLAMetric(f.Get("metric")), Note: f.Get("note"), Source: "manual", SupplierID: optional(f.Get("supplier_id"))}
	for _, x := range []struct {
		name string
		dst  *float64
	}{{"target", &res.Target}, {"actual", &res.Actual}} {
		s := strings.NewReplacer(",", ".", " ", "").Replace(strings.TrimSuffix(strings.TrimSpace(f.Get(x.name)), "%"))
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			f.Errors[x.name] = data.L.T("error.number_invalid")
		}
		*x.dst = v
	}
	if r.PostFormValue("higher_is_better") != "" {
		res.HigherIsBetter = true
	}
	if !f.Invalid() {
		err := h.app.CreateSLAResult(r.Context(), res)
		if err == nil {
			h.flashT(w, r, "sla.flash.created")
			redirect(w, r, "/agreements/"+data.A.ID+"#sla")
			return
		}
		if applyFormError(data.L, f, err, "service_id", "period", "metric", "target", "actual", "note", "supplier_id") == 0 {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusUnprocessableEntity, "agreement", data)
}

func (h *Handler) importSLAResults(w http.ResponseWriter, r *http.Request) {
	data, ok := h.loadWritableAgreementPage(w, r)
	if !ok {
		return
	}
	_, _, body, err := readUpload(r, "file")
	if err != nil {
		data.ImportForm.Errors["file"] = data.L.T("agreement.attach.none")
		h.render(w, r, http.StatusUnprocessableEntity, "agreement", data)
		return
	}
	dry := r.FormValue("dry_run") != ""
	data.ImportForm.Set("dry_run", r.FormValue("dry_run"))
	rep, err := h.app.ImportSLAResults(r.Context(), body, data.A.ID, dry)
	if err != nil {
		if liaison.ErrorCode(err) != liaison.EINVALID {
			h.fail(w, r, err)
			return
		}
		for k, m := range data.L.FieldErrors(err) {
			_ = k
			data.ImportForm.Errors["file"] = m
		}
		h.render(w, r, http.StatusUnprocessableEntity, "agreement", data)
		return
	}
	if len(rep.Rejected) == 0 && !dry {
		h.flash(w, r, "ok", data.L.N("sla.flash.imported", rep.Imported))
		redirect(w, r, "/agreements/"+data.A.ID+"#sla")
		return
	}
	data.Import = rep
	code := http.StatusOK
	if len(rep.Rejected) > 0 {
		code = http.StatusUnprocessableEntity
	}
	h.render(w, r, code, "agreement", data)
}

func (h *Handler) deleteSLAResult(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	res, err := h.app.SLAResult(ctx, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteSLAResult(ctx, res.ID, atoi(r.PostFormValue("version")))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "sla.flash.deleted")
	redirect(w, r, "/agreements/"+res.AgreementID+"#sla")
}

// agreementColumns are the columns of the exported agreement list; units
// names the accounts.
func agreementColumns(l *i18n.Localizer, units map[string]string) []exportColumn[*liaison.Agreement] {
	return []exportColumn[*liaison.Agreement]{
		{"agreement.field.title", func(a *liaison.Agreement) any { return a.Title }},
		{"agreement.field.organisation_id", func(a *liaison.Agreement) any { return units[a.OrganisationID] }},
		{"field.type", func(a *liaison.Agreement) any { return l.T("agreement.type." + string(a.Type)) }},
		{"field.status", func(a *liaison.Agreement) any { return l.T("agreement.status." + string(a.Status)) }},
		{"field.signed_on", func(a *liaison.Agreement) any { return dayString(a.SignedOn) }},
		{"field.start_date", func(a *liaison.Agreement) any { return dayString(a.StartDate) }},
		{"field.end_date", func(a *liaison.Agreement) any { return dayString(a.EndDate) }},
		{"field.notice_months", func(a *liaison.Agreement) any { return a.NoticeMonths }},
		{"field.next_review_date", func(a *liaison.Agreement) any { return dayString(a.NextReviewDate) }},
		{"field.annual_amount", func(a *liaison.Agreement) any { return a.AnnualAmount }},
		{"field.currency", func(a *liaison.Agreement) any { return a.Currency }},
		{"field.cost_centre", func(a *liaison.Agreement) any { return a.CostCentre }},
		{"field.external_id", func(a *liaison.Agreement) any { return a.ExternalID }},
		{"field.updated_at", func(a *liaison.Agreement) any { return a.UpdatedAt }},
	}
}
