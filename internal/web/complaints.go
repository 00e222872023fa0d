package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// Complaints (SPEC C6) and escalations (SPEC C12): a list with filters, a
// registration form that works for a phone call as well as an email, the
// complaint's page with its lifecycle, communications and history, the
// analysis page with charts, and the escalations to head and the IT
// steering group.

func init() {
	pages = append(pages, "complaints", "complaint", "complaint_form", "complaint_analysis", "escalations", "escalation")
}

func (h *Handler) complaintRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	const (
		read     = liaison.AccessRead
		signedIn = liaison.AccessSignedIn // registering and handling are checked by the app
		write    = liaison.AccessWrite
		curate   = liaison.AccessCurate
	)
	return []route{
		r("GET", "/complaints", read, h.showComplaints),
		r("GET", "/complaints/new", signedIn, h.newComplaint),
		r("POST", "/complaints", signedIn, h.createComplaint),
		r("GET", "/complaints/analysis", read, h.showComplaintAnalysis),
		r("GET", "/complaints/{id}", read, h.showComplaint),
		r("GET", "/complaints/{id}/edit", signedIn, h.editComplaint),
		r("POST", "/complaints/{id}", signedIn, h.updateComplaint),
		r("POST", "/complaints/{id}/transition", signedIn, h.transitionComplaint),
		r("POST", "/complaints/{id}/communications", signedIn, h.logCommunication),
		r("POST", "/complaints/{id}/beyond-level", signedIn, h.complaintBeyondLevel),
		r("POST", "/complaints/{id}/delete", write, h.deleteComplaint),
		r("POST", "/complaints/{id}/restore", curate, h.restoreComplaint),
		r("GET", "/escalations", read, h.showEscalations),
		r("POST", "/escalations", write, h.createEscalation),
		r("GET", "/escalations/{id}", read, h.showEscalation),
		r("POST", "/escalations/{id}", curate, h.updateEscalation),
	}
}

func enumOptions[T ~string](l *i18n.Localizer, prefix string, all []T) []Option {
	out := make([]Option, len(all))
	for i, v := range all {
		out[i] = Option{Value: string(v), Label: l.T(prefix + string(v))}
	}
	return out
}

// ---------- list ----------

type complaintsPage struct {
	Page
	Q               ListQuery
	Month, OpenOn   periodFilter // ?month (received in), ?open_on (open on the day)
	Rows            []*liaison.Complaint
	Next            string
	Statuses        []Option
	Classifications []Option
	Severities      []Option
	Channels        []Option
	Accounts        []Option
	Services        []Option
	CanRegister     bool
	Trashed         bool
}

func (h *Handler) showComplaints(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "complaints")
	p.Title = p.L.T("complaint.list.title")
	q := ListQuery{Base: "/complaints", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.ComplaintFilter{Q: q.Get("q"), OrganisationID: q.Get("organisation_id"), ManagerID: q.Get("manager_id"), ServiceID: q.Get("service_id"), SupplierID: q.Get("supplier_id"),
		Status: liaison.ComplaintStatus(q.Get("status")), Classification: liaison.Classification(q.Get("classification")),
		Severity: liaison.Severity(q.Get("severity")), Channel: liaison.ComplaintChannel(q.Get("channel")), Category: q.Get("category"),
		Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50, Trashed: q.Get("trash") != "" && p.Can("curate")}
	switch q.Get("open") {
	case "1", "true":
		f.Open = liaison.Ptr(true)
	}
	if q.Get("recurring") != "" {
		f.Recurring = liaison.Ptr(true)
	}
	if q.Get("mine") != "" && p.User != nil {
		f.ResponsibleID = p.User.ID
	}
	month, openOn := monthFilter(p, q, "month", "complaint.list.received_in"), dayFilter(p, q, "open_on", "complaint.list.open_on")
	f.ReceivedFrom, f.ReceivedBefore, f.OpenOn = month.From, month.Before, openOn.Value
	if exportFormat(r) != "" {
		exportList(h, w, r, "complaints", "complaint.list.title", complaintColumns(p.L), func(cursor string, limit int) ([]*liaison.Complaint, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Complaints(ctx, f)
		})
		return
	}
	list, next, err := h.app.Complaints(ctx, f)
	if err != nil {
		if code := liaison.ErrorCode(err); code == liaison.EBADREQUEST || code == liaison.EINVALID {
			f = liaison.ComplaintFilter{Q: f.Q, Limit: 50}
			list, next, err = h.app.Complaints(ctx, f)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	data := &complaintsPage{Page: p, Q: q, Rows: list, CanRegister: h.app.CanRegisterComplaints(ctx), Trashed: f.Trashed, Month: month, OpenOn: openOn,
		Statuses:        enumOptions(p.L, "complaint.status.", liaison.ComplaintStatuses),
		Classifications: enumOptions(p.L, "complaint.class.", liaison.Classifications),
		Severities:      enumOptions(p.L, "complaint.severity.", liaison.Severities),
		Channels:        enumOptions(p.L, "complaint.channel.", liaison.ComplaintChannels)}
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "complaints", data)
}

// complaintColumns are the columns of the exported complaint list.
func complaintColumns(l *i18n.Localizer) []exportColumn[*liaison.Complaint] {
	return []exportColumn[*liaison.Complaint]{
		{"complaint.field.title", func(c *liaison.Complaint) any { return c.Title }},
		{"complaint.field.account", func(c *liaison.Complaint) any { return c.AccountName }},
		{"complaint.field.unit", func(c *liaison.Complaint) any { return c.OrganisationName }},
		{"complaint.field.service", func(c *liaison.Complaint) any { return c.ServiceName }},
		{"complaint.field.supplier", func(c *liaison.Complaint) any { return c.SupplierName }},
		{"complaint.field.classification", func(c *liaison.Complaint) any { return l.T("complaint.class." + string(c.Classification)) }},
		{"complaint.field.status", func(c *liaison.Complaint) any { return l.T("complaint.status." + string(c.Status)) }},
		{"complaint.field.severity", func(c *liaison.Complaint) any { return l.T("complaint.severity." + string(c.Severity)) }},
		{"complaint.field.channel", func(c *liaison.Complaint) any { return l.T("complaint.channel." + string(c.Channel)) }},
		{"complaint.field.category", func(c *liaison.Complaint) any { return c.Category }},
		{"complaint.field.reporter", func(c *liaison.Complaint) any { return c.ReporterName }},
		{"complaint.field.coordinator", func(c *liaison.Complaint) any { return c.CoordinatorName }},
		{"complaint.field.responsible", func(c *liaison.Complaint) any { return c.ResponsibleName }},
		{"complaint.field.received_at", func(c *liaison.Complaint) any { return c.ReceivedAt }},
		{"complaint.field.resolved_at", func(c *liaison.Complaint) any { return c.ResolvedAt }},
		{"complaint.field.closed_at", func(c *liaison.Complaint) any { return c.ClosedAt }},
		{"complaint.field.external_ticket", func(c *liaison.Complaint) any { return c.ExternalTicket }},
		{"export.recurring", func(c *liaison.Complaint) any { return yesNo(l, c.Recurring) }},
	}
}

// escalationColumns are the columns of the exported escalation list.
func escalationColumns(l *i18n.Localizer) []exportColumn[*liaison.Escalation] {
	return []exportColumn[*liaison.Escalation]{
		{"escalation.field.reason", func(e *liaison.Escalation) any { return e.Reason }},
		{"escalation.field.target", func(e *liaison.Escalation) any { return enumLabel(l, "escalation.target.", e.Target) }},
		{"escalation.field.status", func(e *liaison.Escalation) any { return enumLabel(l, "escalation.status.", e.Status) }},
		{"export.account", func(e *liaison.Escalation) any { return e.OrganisationName }},
		{"complaint.field.service", func(e *liaison.Escalation) any { return e.ServiceName }},
		{"complaint.field.category", func(e *liaison.Escalation) any { return e.Category }},
		{"export.raised_by", func(e *liaison.Escalation) any { return e.RaisedByName }},
		{"escalation.field.raised", func(e *liaison.Escalation) any { return e.RaisedAt }},
		{"export.decision", func(e *liaison.Escalation) any { return e.Decision }},
		{"export.decided_at", func(e *liaison.Escalation) any { return e.DecidedAt }},
		{"export.closed_at", func(e *liaison.Escalation) any { return e.ClosedAt }},
		{"escalation.field.complaints", func(e *liaison.Escalation) any { return len(e.ComplaintIDs) }},
	}
}

// ---------- the complaint ----------

type complaintPage struct {
	Page
	C             *liaison.Complaint
	Events        []*liaison.ComplaintEvent
	Comms         []*liaison.Communication
	Escalations   []*liaison.Escalation
	Next          []liaison.ComplaintStatus
	CanHandle     bool
	CanWrite      bool
	CanEscalate   bool
	Refusal       string
	TransForm     *Form
	CommForm      *Form
	BeyondForm    *Form
	EscForm       *Form
	CommKinds     []Option
	Directions    []Option
	ReporterEmail string
}

// Steps are the lifecycle's statuses, for the progress bar.
func (p *complaintPage) Steps() []string {
	out := make([]string, len(liaison.ComplaintStatuses))
	for i, s := range liaison.ComplaintStatuses {
		out[i] = string(s)
	}
	return out
}

// Reached reports whether the complaint has reached step s.
func (p *complaintPage) Reached(s string) bool {
	for _, x := range liaison.ComplaintStatuses {
		if string(x) == s {
			return true
		}
		if x == p.C.Status {
			return false
		}
	}
	return false
}

func (h *Handler) loadComplaintPage(w http.ResponseWriter, r *http.Request) (*complaintPage, bool) {
	ctx := r.Context()
	c, err := h.app.Complaint(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, c.Title, "complaints")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.complaints"), Href: "/complaints"}, {Label: c.Title}}
	data := &complaintPage{Page: p, C: c, Next: liaison.NextComplaintStatuses(c.Status), CanHandle: h.app.CanHandleComplaint(ctx, c),
		CanWrite: h.app.CanWriteDecisions(ctx, c.OrganisationID), CanEscalate: h.app.CanRaiseEscalation(ctx),
		TransForm: newForm(), CommForm: newForm(), BeyondForm: newForm(), EscForm: newForm()}
	data.TransForm.Set("notify", "1")
	data.CommForm.Set("direction", "in")
	data.Directions = []Option{{Value: "in", Label: p.L.T("complaint.comm_in")}, {Value: "out", Label: p.L.T("complaint.comm_out")}}
	for _, k := range liaison.CommunicationKinds[1:] {
		data.CommKinds = append(data.CommKinds, Option{Value: string(k), Label: p.L.T("complaint.comm." + string(k))})
	}
	if data.Events, err = h.app.ComplaintEvents(ctx, c.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Comms, err = h.app.Communications(ctx, c.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Escalations, _, err = h.app.Escalations(ctx, liaison.EscalationFilter{ComplaintID: c.ID}); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if c.ReporterPersonID != nil {
		if pp, err := h.app.Person(ctx, *c.ReporterPersonID); err == nil {
			data.ReporterEmail = pp.Email
		}
	}
	return data, true
}

func (h *Handler) showComplaint(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadComplaintPage(w, r); ok {
		h.render(w, r, http.StatusOK, "complaint", data)
	}
}

// complaintRefused re-renders the complaint page with a refused action's
// reasons in words next to it.
func (h *Handler) complaintRefused(w http.ResponseWriter, r *http.Request, err error, set func(*complaintPage) *Form, fields ...string) {
	code := httpx.Status(err)
	if code != http.StatusUnprocessableEntity && code != http.StatusPreconditionFailed {
		h.fail(w, r, err)
		return
	}
	data, ok := h.loadComplaintPage(w, r)
	if !ok {
		return
	}
	f := set(data)
	for k, v := range r.PostForm {
		if len(v) > 0 {
			f.Set(k, v[0])
		}
	}
	if !r.PostForm.Has("notify") {
		f.Values.Del("notify")
	}
	if code == http.StatusPreconditionFailed {
		f.Stale = true
	} else {
		applyFormError(data.L, f, err, fields...)
	}
	h.render(w, r, code, "complaint", data)
}

func (h *Handler) transitionComplaint(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := app.Transition{Status: liaison.ComplaintStatus(r.PostFormValue("status")), Note: r.PostFormValue("note"),
		SkipReason: r.PostFormValue("skip_reason"), Notify: r.PostFormValue("notify") != "", Message: r.PostFormValue("message")}
	c, err := h.app.TransitionComplaint(ctx, r.PathValue("id"), atoi(r.PostFormValue("version")), t)
	if err != nil {
		h.complaintRefused(w, r, err, func(d *complaintPage) *Form { return d.TransForm }, "status", "note", "skip_reason", "notify", "message")
		return
	}
	l := h.localizer(r)
	if t.Notify {
		h.flashT(w, r, "complaint.flash.status_notified", l.T("complaint.status."+string(c.Status)), c.ReporterName)
	} else {
		h.flashT(w, r, "complaint.flash.status", l.T("complaint.status."+string(c.Status)))
	}
	redirect(w, r, "/complaints/"+c.ID)
}

func (h *Handler) logCommunication(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m := &liaison.Communication{ComplaintID: r.PathValue("id"), Kind: liaison.CommunicationKind(r.PostFormValue("kind")),
		Direction: r.PostFormValue("direction"), Summary: r.PostFormValue("summary"), PersonID: optional(r.PostFormValue("person_id"))}
	if at := r.PostFormValue("at"); at != "" {
		if t, err := time.ParseInLocation("2006-01-02T15:04", at, time.UTC); err == nil {
			m.At = t
		}
	}
	if err := h.app.LogCommunication(ctx, m); err != nil {
		h.complaintRefused(w, r, err, func(d *complaintPage) *Form { return d.CommForm }, "kind", "direction", "summary", "person_id")
		return
	}
	h.flashT(w, r, "complaint.flash.logged")
	redirect(w, r, "/complaints/"+m.ComplaintID+"#communications")
}

func (h *Handler) complaintBeyondLevel(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.ComplaintBeyondLevel(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version")), r.PostFormValue("explanation"))
	if err != nil {
		h.complaintRefused(w, r, err, func(d *complaintPage) *Form { return d.BeyondForm }, "explanation")
		return
	}
	h.flashT(w, r, "complaint.flash.beyond_level")
	redirect(w, r, "/complaints/"+c.ID)
}

func (h *Handler) deleteComplaint(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.Complaint(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteComplaint(r.Context(), c.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "complaint.flash.deleted", c.Title)
	redirect(w, r, "/complaints")
}

func (h *Handler) restoreComplaint(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.RestoreComplaint(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "complaint.flash.restored", c.Title)
	redirect(w, r, "/complaints/"+c.ID)
}

// ---------- form ----------

type complaintFormPage struct {
	Page
	Form            *Form
	C               *liaison.Complaint // nil when registering
	Units           []Option
	Services        []Option
	Suppliers       []Option
	People          []Option
	Users           []Option
	Channels        []Option
	Classifications []Option
	Severities      []Option
	Categories      []string
	NoUnit          bool
	Back            string
}

var complaintFields = []string{"organisation_id", "service_id", "supplier_id", "reporter_person_id", "reporter_user_id", "channel",
	"classification", "external_ticket", "severity", "title", "description", "category", "root_cause", "received_at",
	"coordinator_id", "responsible_id", "note"}

func complaintForm(c *liaison.Complaint) *Form {
	f := newForm()
	f.Set("organisation_id", c.OrganisationID)
	f.Set("service_id", deref(c.ServiceID))
	f.Set("supplier_id", deref(c.SupplierID))
	f.Set("reporter_person_id", deref(c.ReporterPersonID))
	f.Set("reporter_user_id", deref(c.ReporterUserID))
	f.Set("channel", string(c.Channel))
	f.Set("classification", string(c.Classification))
	f.Set("external_ticket", c.ExternalTicket)
	f.Set("severity", string(c.Severity))
	f.Set("title", c.Title)
	f.Set("description", c.Description)
	f.Set("category", c.Category)
	f.Set("root_cause", c.RootCause)
	if !c.ReceivedAt.IsZero() {
		f.Set("received_at", c.ReceivedAt.UTC().Format("2006-01-02T15:04"))
	}
	f.Set("coordinator_id", deref(c.CoordinatorID))
	f.Set("responsible_id", deref(c.ResponsibleID))
	f.Set("version", itoa(c.Version))
	return f
}

func readComplaintForm(r *http.Request, c *liaison.Complaint) *Form {
	f := newForm()
	for _, k := range append(complaintFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	c.OrganisationID, c.ServiceID, c.SupplierID = f.Get("organisation_id"), optional(f.Get("service_id")), optional(f.Get("supplier_id"))
	c.ReporterPersonID, c.ReporterUserID = optional(f.Get("reporter_person_id")), optional(f.Get("reporter_user_id"))
	c.Channel, c.Classification = liaison.ComplaintChannel(f.Get("channel")), liaison.Classification(f.Get("classification"))
	c.ExternalTicket, c.Severity, c.Title = f.Get("external_ticket"), liaison.Severity(f.Get("severity")), f.Get("title")
	c.Description, c.Category, c.RootCause, c.Note = f.Get("description"), f.Get("category"), f.Get("root_cause"), f.Get("note")
	c.CoordinatorID, c.ResponsibleID = optional(f.Get("coordinator_id")), optional(f.Get("responsible_id"))
	if t, err := time.ParseInLocation("2006-01-02T15:04", f.Get("received_at"), time.UTC); err == nil {
		c.ReceivedAt = t
	}
	return f
}

func (h *Handler) renderComplaintForm(w http.ResponseWriter, r *http.Request, code int, f *Form, c *liaison.Complaint) {
	ctx := r.Context()
	p := h.page(w, r, "", "complaints")
	if c != nil {
		p.Title = p.L.T("complaint.edit.title", c.Title)
		p.Crumbs = []Crumb{{Label: p.L.T("nav.complaints"), Href: "/complaints"}, {Label: c.Title, Href: "/complaints/" + c.ID}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("complaint.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.complaints"), Href: "/complaints"}, {Label: p.Title}}
	}
	data := &complaintFormPage{Page: p, Form: f, C: c, Back: "/complaints", Categories: liaison.ComplaintCategories,
		Channels:        enumOptions(p.L, "complaint.channel.", liaison.ComplaintChannels),
		Classifications: enumOptions(p.L, "complaint.class.", liaison.Classifications),
		Severities:      enumOptions(p.L, "complaint.severity.", liaison.Severities)}
	if c != nil {
		data.Back = "/complaints/" + c.ID
	}
	var err error
	if data.Suppliers, err = h.supplierOptions(ctx, f.Get("supplier_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Units, err = h.unitOptions(ctx, ""); err != nil {
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
	data.Users = lk.managerOptions()
	if id := f.Get("organisation_id"); id != "" {
		if d, err := h.app.WhoDecides(ctx, id); err == nil && d.Account != nil {
			data.People, _ = h.signerOptions(ctx, d.Account.ID)
		}
		if id := f.Get("reporter_person_id"); id != "" {
			found := false
			for _, o := range data.People {
				found = found || o.Value == id
			}
			if pp, err := h.app.Person(ctx, id); !found && err == nil {
				data.People = append(data.People, Option{Value: pp.ID, Label: pp.Name})
			}
		}
	} else {
		data.NoUnit = true
	}
	h.render(w, r, code, "complaint_form", data)
}

func (h *Handler) newComplaint(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanRegisterComplaints(r.Context()) {
		h.fail(w, r, &liaison.Error{Code: liaison.EFORBIDDEN, Key: "error.forbidden", Message: "Your role does not allow this."})
		return
	}
	q := r.URL.Query()
	c := &liaison.Complaint{OrganisationID: q.Get("organisation_id"), ServiceID: optional(q.Get("service_id")),
		Channel: liaison.ComplaintChannel(q.Get("channel")), Classification: liaison.ClassComplaint, Severity: liaison.SeverityMedium,
		ReceivedAt: h.now().UTC().Truncate(time.Minute)}
	if c.Channel == "" {
		c.Channel = liaison.ChannelPhone
	}
	f := complaintForm(c)
	f.Set("version", "")
	h.renderComplaintForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) saveComplaintFailed(w http.ResponseWriter, r *http.Request, l *i18n.Localizer, f *Form, err error, cur *liaison.Complaint) {
	if code := applyFormError(l, f, err, complaintFields...); code != 0 {
		if f.Stale && cur != nil {
			f.Set("version", itoa(cur.Version))
		}
		h.renderComplaintForm(w, r, code, f, cur)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) createComplaint(w http.ResponseWriter, r *http.Request) {
	l := h.localizer(r)
	c := &liaison.Complaint{}
	f := readComplaintForm(r, c)
	if r.PostFormValue("pick_unit") != "" {
		h.renderComplaintForm(w, r, http.StatusOK, f, nil)
		return
	}
	if err := h.app.CreateComplaint(r.Context(), c); err != nil {
		h.saveComplaintFailed(w, r, l, f, err, nil)
		return
	}
	if c.Recurring {
		h.flashT(w, r, "complaint.flash.created_recurring", c.Title)
	} else {
		h.flashT(w, r, "complaint.flash.created", c.Title)
	}
	redirect(w, r, "/complaints/"+c.ID)
}

func (h *Handler) editComplaint(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.Complaint(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanHandleComplaint(r.Context(), c) {
		h.fail(w, r, &liaison.Error{Code: liaison.EFORBIDDEN, Key: "error.forbidden", Message: "You may not handle this complaint."})
		return
	}
	h.renderComplaintForm(w, r, http.StatusOK, complaintForm(c), c)
}

func (h *Handler) updateComplaint(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Complaint(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.localizer(r)
	c := *cur
	f := readComplaintForm(r, &c)
	if r.PostFormValue("pick_unit") != "" {
		h.renderComplaintForm(w, r, http.StatusOK, f, cur)
		return
	}
	if err := h.app.UpdateComplaint(ctx, &c, atoi(f.Get("version"))); err != nil {
		h.saveComplaintFailed(w, r, l, f, err, cur)
		return
	}
	h.flashT(w, r, "complaint.flash.saved")
	redirect(w, r, "/complaints/"+c.ID)
}

// ---------- analysis ----------

type complaintAnalysisPage struct {
	Page
	S      *liaison.ComplaintStats
	From   string
	To     string
	Median string
}

// Chart draws a breakdown as horizontal bars (barChart).
func (p *complaintAnalysisPage) Chart(id, title string, items []liaison.CountBy, max int) template.HTML {
	return barChart(p.L, id, title, items, max)
}

// Months draws the complaints per month of the period as columns, months
// without complaints included; without an end the period runs to now.
func (p *complaintAnalysisPage) Months() template.HTML {
	if len(p.S.ByMonth) == 0 {
		return noData(p.L)
	}
	first, _ := time.Parse("2006-01", p.S.ByMonth[0].Key)
	last, _ := time.Parse("2006-01", p.S.ByMonth[len(p.S.ByMonth)-1].Key)
	if f, err := liaison.ParseDate(p.From); err == nil && f.Before(first) {
		first = f
	}
	if end := p.Now.UTC(); p.To == "" && end.After(last) {
		last = end
	} else if t, err := liaison.ParseDate(p.To); err == nil && t.After(last) {
		last = t
	}
	return columnChart(p.L, "chart-month", p.L.T("complaint.analysis.by_month"), report.Months(p.S.ByMonth, first, last))
}

func (h *Handler) showComplaintAnalysis(w http.ResponseWriter, r *http.Request) {
	p := h.page(w, r, "", "complaints")
	p.Title = p.L.T("complaint.analysis.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.complaints"), Href: "/complaints"}, {Label: p.Title}}
	data := &complaintAnalysisPage{Page: p, From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	today := liaison.DateOf(h.now())
	if data.From == "" {
		data.From = liaison.FormatDate(today.AddDate(-1, 0, 0))
	}
	from, err := liaison.ParseDate(data.From)
	if err != nil {
		from = today.AddDate(-1, 0, 0)
		data.From = liaison.FormatDate(from)
	}
	var to time.Time
	if data.To != "" {
		if t, err := liaison.ParseDate(data.To); err == nil {
			to = t.AddDate(0, 0, 1)
		} else {
			data.To = ""
		}
	}
	st, err := h.app.ComplaintStats(r.Context(), from, to)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.S = st
	if st.Resolved > 0 {
		if st.MedianResolveHours < 48 {
			data.Median = p.L.T("complaint.analysis.hours", fmt.Sprintf("%.0f", st.MedianResolveHours))
		} else {
			data.Median = p.L.T("complaint.analysis.days", fmt.Sprintf("%.1f", st.MedianResolveHours/24))
		}
	}
	sort.SliceStable(st.BySeverity, func(i, j int) bool { return sevRank(st.BySeverity[i].Key) > sevRank(st.BySeverity[j].Key) })
	for i := range st.BySeverity {
		st.BySeverity[i].Label = p.L.T("complaint.severity." + st.BySeverity[i].Key)
	}
	h.render(w, r, http.StatusOK, "complaint_analysis", data)
}

func sevRank(s string) int {
	for i, x := range liaison.Severities {
		if string(x) == s {
			return i
		}
	}
	return -1
}

// ---------- escalations ----------

type escalationsPage struct {
	Page
	Q        ListQuery
	Rows     []*liaison.Escalation
	Next     string
	Form     *Form
	Accounts []Option
	Services []Option
	Targets  []Option
	Statuses []Option
}

func (h *Handler) showEscalations(w http.ResponseWriter, r *http.Request) {
	p := h.page(w, r, "", "complaints")
	p.Title = p.L.T("escalation.list.title")
	q := ListQuery{Base: "/escalations", Values: r.URL.Query()}
	f := liaison.EscalationFilter{Q: q.Get("q"), Target: liaison.EscalationTarget(q.Get("target")), Status: liaison.EscalationStatus(q.Get("status")),
		Cursor: q.Get("cursor"), Limit: 50}
	if exportFormat(r) != "" {
		exportList(h, w, r, "escalations", "escalation.list.title", escalationColumns(p.L), func(cursor string, limit int) ([]*liaison.Escalation, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Escalations(r.Context(), f)
		})
		return
	}
	list, next, err := h.app.Escalations(r.Context(), f)
	if err != nil {
		if liaison.ErrorCode(err) == liaison.EBADREQUEST {
			list, next, err = h.app.Escalations(r.Context(), liaison.EscalationFilter{Limit: 50})
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.renderEscalations(w, r, http.StatusOK, p, q, list, next, nil)
}

func (h *Handler) renderEscalations(w http.ResponseWriter, r *http.Request, code int, p Page, q ListQuery, list []*liaison.Escalation, next string, f *Form) {
	ctx := r.Context()
	if f == nil {
		f = newForm()
		f.Set("target", string(liaison.TargetSteeringGroup))
		f.Set("organisation_id", q.Get("organisation_id"))
	}
	data := &escalationsPage{Page: p, Q: q, Rows: list, Form: f,
		Targets:  enumOptions(p.L, "escalation.target.", liaison.EscalationTargets),
		Statuses: enumOptions(p.L, "escalation.status.", liaison.EscalationStatuses)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "escalations", data)
}

type escalationPage struct {
	Page
	E          *liaison.Escalation
	Complaints []*liaison.Complaint
	CanDecide  bool
	Form       *Form
}

func (h *Handler) renderEscalation(w http.ResponseWriter, r *http.Request, code int, e *liaison.Escalation, f *Form) {
	ctx := r.Context()
	p := h.page(w, r, "", "complaints")
	p.Title = p.L.T("escalation.title."+string(e.Target)) + " · " + p.DateTime(e.RaisedAt)
	p.Crumbs = []Crumb{{Label: p.L.T("escalation.list.title"), Href: "/escalations"}, {Label: p.Title}}
	data := &escalationPage{Page: p, E: e, CanDecide: h.app.CanDecideEscalation(ctx), Form: f}
	for _, id := range e.ComplaintIDs {
		if c, err := h.app.Complaint(ctx, id); err == nil {
			data.Complaints = append(data.Complaints, c)
		}
	}
	h.render(w, r, code, "escalation", data)
}

func (h *Handler) showEscalation(w http.ResponseWriter, r *http.Request) {
	e, err := h.app.Escalation(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm()
	f.Set("decision", e.Decision)
	f.Set("version", itoa(e.Version))
	h.renderEscalation(w, r, http.StatusOK, e, f)
}

func (h *Handler) updateEscalation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Escalation(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e := *cur
	f := newForm()
	f.Set("decision", r.PostFormValue("decision"))
	f.Set("version", r.PostFormValue("version"))
	if r.PostForm.Has("decision") {
		e.Decision = f.Get("decision")
	}
	e.Status = liaison.EscalationStatus(r.PostFormValue("status"))
	if err := h.app.UpdateEscalation(ctx, &e, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, "decision", "status"); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderEscalation(w, r, code, cur, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "escalation.flash.saved", h.localizer(r).T("escalation.status."+string(e.Status)))
	redirect(w, r, "/escalations/"+e.ID)
}

// createEscalation raises an escalation by hand from a complaint's or an
// account's page.
func (h *Handler) createEscalation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e := &liaison.Escalation{Target: liaison.EscalationTarget(r.PostFormValue("target")), Reason: r.PostFormValue("reason"),
		OrganisationID: optional(r.PostFormValue("organisation_id")), ServiceID: optional(r.PostFormValue("service_id"))}
	if id := r.PostFormValue("complaint_id"); id != "" {
		e.ComplaintIDs = []string{id}
	}
	if err := h.app.CreateEscalation(ctx, e); err != nil {
		if id := r.PostFormValue("complaint_id"); id != "" {
			r.SetPathValue("id", id)
			h.complaintRefused(w, r, err, func(d *complaintPage) *Form { return d.EscForm }, "target", "reason")
			return
		}
		f := newForm()
		for _, k := range []string{"target", "reason", "organisation_id", "service_id"} {
			f.Set(k, r.PostFormValue(k))
		}
		if code := applyFormError(h.localizer(r), f, err, "target", "reason", "organisation_id", "service_id"); code != 0 {
			p := h.page(w, r, "", "complaints")
			p.Title = p.L.T("escalation.list.title")
			list, next, lerr := h.app.Escalations(ctx, liaison.EscalationFilter{Limit: 50})
			if lerr != nil {
				h.fail(w, r, lerr)
				return
			}
			h.renderEscalations(w, r, code, p, ListQuery{Base: "/escalations", Values: r.URL.Query()}, list, next, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "escalation.flash.raised")
	redirect(w, r, "/escalations/"+e.ID)
}

// supplierOptions lists the active suppliers by name, and keep (the one a
// complaint names) even when it is inactive or in the trash.
func (h *Handler) supplierOptions(ctx context.Context, keep string) ([]Option, error) {
	suppliers, err := h.activeSuppliers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Option, 0, len(suppliers)+1)
	found := keep == ""
	for _, s := range suppliers {
		out = append(out, Option{Value: s.ID, Label: s.Name})
		found = found || s.ID == keep
	}
	if !found {
		if s, err := h.app.Supplier(ctx, keep); err == nil {
			out = append(out, Option{Value: s.ID, Label: s.Name})
		}
	}
	return out, nil
}

// homeComplaints is the home page's complaints panel (SPEC §8: new
// complaints on my accounts): the newest open complaints of the accounts
// the user manages or deputises, and for the head of service management
// (and an admin) the escalations waiting for a decision.
type homeComplaints struct {
	Mine            bool // the user holds accounts: their open complaints show
	Open            []*liaison.Complaint
	ShowEscalations bool
	Escalations     []*liaison.Escalation
}

// homeComplaintRows is how many open complaints and escalations the panel lists.
const homeComplaintRows = 5

func (h *Handler) homeComplaints(ctx context.Context, p Page, mine []*liaison.Organisation) (homeComplaints, error) {
	hc := homeComplaints{Mine: len(mine) > 0}
	if hc.Mine {
		open := true
		var err error
		if hc.Open, _, err = h.app.Complaints(ctx, liaison.ComplaintFilter{ManagerID: p.User.ID, Open: &open, Limit: homeComplaintRows}); err != nil {
			return hc, err
		}
	}
	if isHead(p) {
		hc.ShowEscalations = true
		es, _, err := h.app.Escalations(ctx, liaison.EscalationFilter{Status: liaison.EscalationOpen, Limit: homeComplaintRows})
		if err != nil {
			return hc, err
		}
		hc.Escalations = es
	}
	return hc, nil
}
