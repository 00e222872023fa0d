package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Suppliers behind services (SPEC C4): the list with search and a status
// filter (and the trash for curators), a supplier's page with the services
// it is behind and the SLA results attributed to it, breaches marked, and
// the form with the services picker. Suppliers are catalogue data: admin
// and head write them.

func init() {
	pages = append(pages, "suppliers", "supplier", "supplier_form")
}

func (h *Handler) supplierRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	read, curate := liaison.AccessRead, liaison.AccessCurate
	return []route{
		r("GET", "/suppliers", read, h.showSuppliers),
		r("GET", "/suppliers/new", curate, h.newSupplier),
		r("POST", "/suppliers", curate, h.createSupplier),
		r("GET", "/suppliers/{id}", read, h.showSupplier),
		r("GET", "/suppliers/{id}/history", read, h.showSupplier),
		r("GET", "/suppliers/{id}/edit", curate, h.editSupplier),
		r("POST", "/suppliers/{id}", curate, h.updateSupplier),
		r("POST", "/suppliers/{id}/delete", curate, h.deleteSupplier),
		r("POST", "/suppliers/{id}/restore", curate, h.restoreSupplier),
	}
}

func supplierStatusOptions(l *i18n.Localizer) []Option {
	o := make([]Option, len(liaison.SupplierStatuses))
	for i, s := range liaison.SupplierStatuses {
		o[i] = Option{Value: string(s), Label: l.T("supplier.status." + string(s))}
	}
	return o
}

// ---------- the list ----------

type suppliersPage struct {
	Page
	Q        ListQuery
	Rows     []*liaison.Supplier
	Next     string
	Statuses []Option
	Trashed  bool
}

func (h *Handler) showSuppliers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "suppliers")
	p.Title = p.L.T("supplier.list.title")
	q := ListQuery{Base: "/suppliers", Values: r.URL.Query()}
	data := &suppliersPage{Page: p, Q: q, Statuses: supplierStatusOptions(p.L), Trashed: q.Get("trashed") != ""}
	if data.Trashed {
		p.Title = p.L.T("supplier.trash.title")
		data.Page = p
	}
	f := liaison.SupplierFilter{Q: q.Get("q"), Status: liaison.SupplierStatus(q.Get("status")),
		ServiceID: q.Get("service_id"), Trashed: data.Trashed, Sort: q.Get("sort"), Cursor: q.Get("cursor"), Limit: 50}
	if exportFormat(r) != "" {
		exportList(h, w, r, "suppliers", "supplier.list.title", supplierColumns(p.L), func(cursor string, limit int) ([]*liaison.Supplier, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Suppliers(ctx, f)
		})
		return
	}
	list, next, err := h.app.Suppliers(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Rows = list
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "suppliers", data)
}

// ---------- one supplier ----------

// supplierSLARow is an SLA result attributed to the supplier, with the
// names of its agreement and service.
type supplierSLARow struct {
	R         *liaison.SLAResult
	Agreement string
	Service   string
}

type supplierPage struct {
	Page
	S        *liaison.Supplier
	SLA      []supplierSLARow
	Breaches int
	More     bool
	Tab      string
	History  []historyEntry
	Next     string
	Ended    bool // the supplier contract's end date has passed
	// Complaints that name the supplier, newest first; MoreComplaints
	// when there are more than the card shows.
	Complaints     []*liaison.Complaint
	MoreComplaints bool
}

func (h *Handler) showSupplier(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, err := h.app.Supplier(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, s.Name, "suppliers")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.suppliers"), Href: "/suppliers"}, {Label: s.Name}}
	data := &supplierPage{Page: p, S: s, Tab: "overview"}
	if s.ContractEndDate != nil && *s.ContractEndDate < liaison.FormatDate(liaison.DateOf(h.now())) {
		data.Ended = true
	}
	if strings.HasSuffix(r.URL.Path, "/history") {
		data.Tab = "history"
		entries, next, err := h.app.Audit(ctx, "supplier", s.ID, r.URL.Query().Get("cursor"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.History = h.history(ctx, p, entries)
		supplierFieldLabels(p.L, data.History)
		if next != "" {
			data.Next = "/suppliers/" + s.ID + "/history?cursor=" + url.QueryEscape(next)
		}
		h.render(w, r, http.StatusOK, "supplier", data)
		return
	}
	complaints, nextComplaint, err := h.app.Complaints(ctx, liaison.ComplaintFilter{SupplierID: s.ID, Limit: 10})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Complaints, data.MoreComplaints = complaints, nextComplaint != ""
	results, next, err := h.app.SLAResults(ctx, liaison.SLAResultFilter{SupplierID: s.ID, Limit: 100})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.More = next != ""
	agreements, services := map[string]string{}, map[string]string{}
	for _, l := range s.Services {
		services[l.ServiceID] = l.ServiceName
	}
	for _, res := range results {
		row := supplierSLARow{R: res}
		if t, ok := agreements[res.AgreementID]; ok {
			row.Agreement = t
		} else if a, err := h.app.Agreement(ctx, res.AgreementID); err == nil {
			row.Agreement, agreements[res.AgreementID] = a.Title, a.Title
		}
		if n, ok := services[res.ServiceID]; ok {
			row.Service = n
		} else if sv, err := h.app.Service(ctx, res.ServiceID); err == nil {
			row.Service, services[res.ServiceID] = sv.Name, sv.Name
		}
		if res.Breached {
			data.Breaches++
		}
		data.SLA = append(data.SLA, row)
	}
	h.render(w, r, http.StatusOK, "supplier", data)
}

// supplierFieldLabels names the supplier's own fields in its history,
// which the shared field labels do not know.
func supplierFieldLabels(l *i18n.Localizer, entries []historyEntry) {
	for i := range entries {
		for j := range entries[i].Changes {
			c := &entries[i].Changes[j]
			if t := l.T("supplier.field." + c.Field); t != "supplier.field."+c.Field {
				c.Field = t
			}
		}
	}
}

// ---------- the form ----------

// supplierServiceRow is one service of the picker: linked or not, with
// what the supplier delivers for it.
type supplierServiceRow struct {
	ID, Name, Status, Note string
	Linked                 bool
}

type supplierFormPage struct {
	Page
	Form     *Form
	S        *liaison.Supplier // nil when creating
	Statuses []Option
	Services []supplierServiceRow
	Back     string
}

var supplierFields = []string{"name", "registration_id", "status", "description", "contact_name", "contact_email",
	"contact_phone", "website", "contract_reference", "contract_end_date", "notes"}

func supplierForm(s *liaison.Supplier) *Form {
	f := newForm()
	f.Set("name", s.Name)
	f.Set("registration_id", s.RegistrationID)
	f.Set("status", string(s.Status))
	f.Set("description", s.Description)
	f.Set("contact_name", s.ContactName)
	f.Set("contact_email", s.ContactEmail)
	f.Set("contact_phone", s.ContactPhone)
	f.Set("website", s.Website)
	f.Set("contract_reference", s.ContractReference)
	f.Set("contract_end_date", deref(s.ContractEndDate))
	f.Set("notes", s.Notes)
	f.Set("version", itoa(s.Version))
	for _, l := range s.Services {
		f.Values.Add("service", l.ServiceID)
		f.Set("note_"+l.ServiceID, l.Note)
	}
	return f
}

// readSupplierForm reads the form into s. The picker posts a "service"
// value per ticked service and a "note_<id>" per service.
func readSupplierForm(r *http.Request, s *liaison.Supplier) *Form {
	f := newForm()
	for _, k := range append(supplierFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	s.Name, s.RegistrationID, s.Status = f.Get("name"), f.Get("registration_id"), liaison.SupplierStatus(f.Get("status"))
	s.Description, s.ContactName, s.ContactEmail = f.Get("description"), f.Get("contact_name"), f.Get("contact_email")
	s.ContactPhone, s.Website, s.ContractReference = f.Get("contact_phone"), f.Get("website"), f.Get("contract_reference")
	s.ContractEndDate, s.Notes = optional(f.Get("contract_end_date")), f.Get("notes")
	s.Services = []liaison.SupplierService{}
	seen := map[string]bool{}
	for _, id := range r.PostForm["service"] {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		note := r.PostFormValue("note_" + id)
		f.Values.Add("service", id)
		f.Set("note_"+id, note)
		s.Services = append(s.Services, liaison.SupplierService{ServiceID: id, Note: note})
	}
	// Notes typed for services left unticked are kept on the page.
	for k, vs := range r.PostForm {
		if strings.HasPrefix(k, "note_") && !seen[strings.TrimPrefix(k, "note_")] && len(vs) > 0 {
			f.Set(k, vs[0])
		}
	}
	return f
}

// serviceRows lists every service for the picker, the linked ones first,
// then by name; a linked service is kept whatever its status.
func (h *Handler) supplierServiceRows(ctx context.Context, l *i18n.Localizer, f *Form) ([]supplierServiceRow, error) {
	linked := map[string]bool{}
	for _, id := range f.Values["service"] {
		linked[id] = true
	}
	var first, rest []supplierServiceRow
	sf := liaison.ServiceFilter{Limit: 500}
	for {
		page, next, err := h.app.Services(ctx, sf)
		if err != nil {
			return nil, err
		}
		for _, s := range page {
			row := supplierServiceRow{ID: s.ID, Name: s.Name, Status: l.T("service.status." + string(s.Status)),
				Note: f.Get("note_" + s.ID), Linked: linked[s.ID]}
			if row.Linked {
				first = append(first, row)
			} else if s.Status != liaison.ServiceRetired {
				rest = append(rest, row)
			}
		}
		if next == "" {
			break
		}
		sf.Cursor = next
	}
	return append(first, rest...), nil
}

func (h *Handler) renderSupplierForm(w http.ResponseWriter, r *http.Request, code int, f *Form, s *liaison.Supplier) {
	p := h.page(w, r, "", "suppliers")
	back := "/suppliers"
	if s != nil {
		p.Title = p.L.T("supplier.edit.title", s.Name)
		back = "/suppliers/" + s.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.suppliers"), Href: "/suppliers"}, {Label: s.Name, Href: back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("supplier.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.suppliers"), Href: "/suppliers"}, {Label: p.Title}}
	}
	rows, err := h.supplierServiceRows(r.Context(), p.L, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "supplier_form", &supplierFormPage{Page: p, Form: f, S: s, Statuses: supplierStatusOptions(p.L),
		Services: rows, Back: back})
}

func (h *Handler) newSupplier(w http.ResponseWriter, r *http.Request) {
	s := &liaison.Supplier{Status: liaison.SupplierActive}
	f := supplierForm(s)
	f.Set("version", "")
	// Coming from a service page: that service is ticked.
	if id := r.URL.Query().Get("service_id"); id != "" {
		f.Values.Add("service", id)
	}
	h.renderSupplierForm(w, r, http.StatusOK, f, nil)
}

// saveSupplierFailed puts a refused save's errors next to their fields:
// a taken name (a conflict) under the name, a service link's under the
// picker.
func (h *Handler) saveSupplierFailed(w http.ResponseWriter, r *http.Request, f *Form, err error, cur *liaison.Supplier) {
	l := h.localizer(r)
	var e *liaison.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		c := *e
		c.Fields = nil
		for _, fe := range e.Fields {
			if strings.HasPrefix(fe.Field, "services") {
				fe.Field = "services"
			}
			c.Fields = append(c.Fields, fe)
		}
		code := http.StatusUnprocessableEntity
		if c.Code == liaison.ECONFLICT {
			code, c.Code = http.StatusConflict, liaison.EINVALID
		}
		applyFormError(l, f, &c, append(supplierFields, "services")...)
		h.renderSupplierForm(w, r, code, f, cur)
		return
	}
	if code := applyFormError(l, f, err, supplierFields...); code != 0 {
		if f.Stale && cur != nil {
			f.Set("version", itoa(cur.Version))
		}
		h.renderSupplierForm(w, r, code, f, cur)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) createSupplier(w http.ResponseWriter, r *http.Request) {
	s := &liaison.Supplier{}
	f := readSupplierForm(r, s)
	if err := h.app.CreateSupplier(r.Context(), s); err != nil {
		h.saveSupplierFailed(w, r, f, err, nil)
		return
	}
	h.flashT(w, r, "supplier.flash.created", s.Name)
	redirect(w, r, "/suppliers/"+s.ID)
}

func (h *Handler) editSupplier(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Supplier(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSupplierForm(w, r, http.StatusOK, supplierForm(s), s)
}

func (h *Handler) updateSupplier(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Supplier(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := *cur
	f := readSupplierForm(r, &s)
	if err := h.app.UpdateSupplier(ctx, &s, atoi(f.Get("version"))); err != nil {
		h.saveSupplierFailed(w, r, f, err, cur)
		return
	}
	h.flashT(w, r, "supplier.flash.saved")
	redirect(w, r, "/suppliers/"+s.ID)
}

func (h *Handler) deleteSupplier(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Supplier(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteSupplier(r.Context(), s.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "supplier.flash.deleted", s.Name)
	redirect(w, r, "/suppliers")
}

func (h *Handler) restoreSupplier(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.RestoreSupplier(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "supplier.flash.restored", s.Name)
	redirect(w, r, "/suppliers/"+s.ID)
}

// slaSupplierOptions are the suppliers an SLA result of an agreement may
// be attributed to: the active ones behind the services it covers first,
// then every other active supplier.
func (h *Handler) slaSupplierOptions(ctx context.Context, covers []coverRow) ([]Option, error) {
	covered := map[string]bool{}
	for _, c := range covers {
		covered[c.ID] = true
	}
	suppliers, err := h.activeSuppliers(ctx)
	if err != nil {
		return nil, err
	}
	var behind, other []Option
	for _, s := range suppliers {
		var names []string
		for _, l := range s.Services {
			if covered[l.ServiceID] {
				names = append(names, l.ServiceName)
			}
		}
		if len(names) > 0 {
			behind = append(behind, Option{Value: s.ID, Label: s.Name + " (" + strings.Join(names, ", ") + ")"})
		} else {
			other = append(other, Option{Value: s.ID, Label: s.Name})
		}
	}
	return append(behind, other...), nil
}

// activeSuppliers lists the active suppliers, by name, for pickers.
func (h *Handler) activeSuppliers(ctx context.Context) ([]*liaison.Supplier, error) {
	var all []*liaison.Supplier
	f := liaison.SupplierFilter{Status: liaison.SupplierActive, Limit: 500}
	for {
		list, next, err := h.app.Suppliers(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}

// supplierColumns are the columns of the exported supplier list.
func supplierColumns(l *i18n.Localizer) []exportColumn[*liaison.Supplier] {
	return []exportColumn[*liaison.Supplier]{
		{"supplier.field.name", func(s *liaison.Supplier) any { return s.Name }},
		{"supplier.field.status", func(s *liaison.Supplier) any { return enumLabel(l, "supplier.status.", s.Status) }},
		{"supplier.field.registration_id", func(s *liaison.Supplier) any { return s.RegistrationID }},
		{"supplier.services", func(s *liaison.Supplier) any { return len(s.Services) }},
		{"supplier.field.contact_name", func(s *liaison.Supplier) any { return s.ContactName }},
		{"supplier.field.contact_email", func(s *liaison.Supplier) any { return s.ContactEmail }},
		{"supplier.field.contact_phone", func(s *liaison.Supplier) any { return s.ContactPhone }},
		{"supplier.field.contract_reference", func(s *liaison.Supplier) any { return s.ContractReference }},
		{"supplier.field.contract_end_date", func(s *liaison.Supplier) any { return dayString(s.ContractEndDate) }},
		{"field.updated_at", func(s *liaison.Supplier) any { return s.UpdatedAt }},
	}
}
