package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// Projects and steering groups (SPEC C10): the list with RAG dots and
// filters, the project page (status, health and its history strip, the
// steering group with a guide per member, the guide's deliveries and
// review, the lessons log), its form, the printable guide, and an
// account's Projects tab.

func init() {
	pages = append(pages, "projects", "project", "project_form", "project_guide")
}

func (h *Handler) projectRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// The project manager (often staff) writes the project: the service
	// layer checks the record-level rights, so the guard needs only reading.
	read, signedIn := liaison.AccessRead, liaison.AccessSignedIn
	return []route{
		r("GET", "/projects", read, h.showProjects),
		r("GET", "/projects/new", read, h.newProject),
		r("POST", "/projects", signedIn, h.createProject),
		r("GET", "/projects/{id}", read, h.showProject),
		r("GET", "/projects/{id}/edit", read, h.editProject),
		r("POST", "/projects/{id}", signedIn, h.updateProject),
		r("POST", "/projects/{id}/status", signedIn, h.setProjectStatus),
		r("POST", "/projects/{id}/health", signedIn, h.setProjectHealth),
		r("POST", "/projects/{id}/delete", signedIn, h.deleteProject),
		r("POST", "/projects/{id}/board", signedIn, h.addBoardMember),
		r("POST", "/projects/{id}/board/{member_id}/delete", signedIn, h.removeBoardMember),
		r("POST", "/projects/{id}/board/{member_id}/guide", signedIn, h.resendGuide),
		r("GET", "/projects/{id}/guide", read, h.showGuide),
		r("GET", "/projects/{id}/guide/pdf", read, h.guidePDF),
		r("POST", "/projects/{id}/guide/review", signedIn, h.reviewGuide),
		r("POST", "/projects/{id}/lessons", signedIn, h.addLesson),
		r("POST", "/projects/{id}/lessons/{lesson_id}/delete", signedIn, h.deleteLesson),
		r("GET", "/organisations/{id}/projects", read, h.showUnitProjects),
	}
}

func projectStatusOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.ProjectStatuses {
		o = append(o, Option{Value: string(s), Label: p.L.T("project.status." + string(s))})
	}
	return o
}

func healthOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.Healths {
		o = append(o, Option{Value: string(s), Label: p.L.T("project.health." + string(s))})
	}
	return o
}

// ---------- list ----------

type projectsPage struct {
	Page
	Q         ListQuery
	Items     []*liaison.Project
	Next      string
	Statuses  []Option
	Healths   []Option
	Accounts  []Option
	Managers  []Option
	CanCreate bool
}

func (h *Handler) showProjects(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "projects")
	p.Title = p.L.T("project.list.title")
	q := ListQuery{Base: "/projects", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.ProjectFilter{Q: q.Get("q"), Status: liaison.ProjectStatus(q.Get("status")), Health: liaison.Health(q.Get("health")),
		OrganisationID: q.Get("organisation_id"), ProjectManagerID: q.Get("project_manager_id"), Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50}
	if !oneOfImp(f.Status, liaison.ProjectStatuses) {
		f.Status = ""
	}
	if !oneOfImp(f.Health, liaison.Healths) {
		f.Health = ""
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "projects", "project.list.title", projectColumns(p.L), func(cursor string, limit int) ([]*liaison.Project, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Projects(ctx, f)
		})
		return
	}
	list, next, err := h.app.Projects(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Projects(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &projectsPage{Page: p, Q: q, Items: list, Statuses: projectStatusOptions(p), Healths: healthOptions(p),
		CanCreate: h.app.CanStartProjects(ctx)}
	if next != "" {
		data.Next = q.With("cursor", next)
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
	data.Managers = lk.userOptions()
	h.render(w, r, http.StatusOK, "projects", data)
}

// ---------- detail ----------

type projectPage struct {
	Page
	P          *liaison.Project
	Rights     app.ProjectRights
	Next       []liaison.ProjectStatus
	Health     []*liaison.HealthChange
	Board      []*liaison.BoardMember
	Deliveries []*liaison.GuideDelivery
	Lessons    []*liaison.Lesson
	Meetings   []Option // steering-group meetings of the account that have begun, for the guide's review
	People     []Option // the account's customer contacts, for the board
	Users      []Option
	Roles      []Option
	Categories []Option
	Healths    []Option
	HealthForm *Form
	BoardForm  *Form
	LessonForm *Form
	ReviewForm *Form
	Refusal    string
	History    []historyEntry
}

// At formats an optional time in the viewer's time zone.
func (p *projectPage) At(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.DateTime(*t)
}

// Steps are the lifecycle's main line, for the step indicator.
func (p *projectPage) Steps() []string {
	return []string{"proposed", "agreed", "in_progress", "closed"}
}

// Seat names a member's seat in the viewer's language.
func (p *projectPage) Seat(m *liaison.BoardMember) string {
	return report.SeatLabel(p.L, m.Role, m.Represents)
}

// HealthStrip draws the health history as a strip of coloured periods
// from the first entry to today, with a text alternative.
func (p *projectPage) HealthStrip() template.HTML {
	return healthStrip(p.Page, p.Health, p.Now)
}

func (h *Handler) loadProjectPage(w http.ResponseWriter, r *http.Request) (*projectPage, bool) {
	ctx := r.Context()
	pr, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, pr.Name, "projects")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.projects"), Href: "/projects"}, {Label: pr.Name}}
	data := &projectPage{Page: p, P: pr, Rights: h.app.ProjectRights(ctx, pr), Next: liaison.NextProjectStatuses(pr.Status),
		HealthForm: newForm(), BoardForm: newForm(), LessonForm: newForm(), ReviewForm: newForm(), Healths: healthOptions(p)}
	data.HealthForm.Set("health", string(pr.Health))
	data.LessonForm.Set("on", liaison.FormatDate(liaison.DateOf(h.now())))
	data.LessonForm.Set("category", "other")
	for _, role := range liaison.BoardRoles {
		data.Roles = append(data.Roles, Option{Value: string(role), Label: p.L.T("board.role." + string(role))})
	}
	for _, c := range liaison.LessonCategories {
		data.Categories = append(data.Categories, Option{Value: string(c), Label: p.L.T("lesson.category." + string(c))})
	}
	if data.Health, err = h.app.HealthHistory(ctx, pr.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Board, err = h.app.Board(ctx, pr.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Deliveries, err = h.app.GuideDeliveries(ctx, pr.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Lessons, err = h.app.Lessons(ctx, pr.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Rights.Write {
		lk, err := h.lookups(ctx)
		if err != nil {
			h.fail(w, r, err)
			return nil, false
		}
		data.Users = lk.userOptions()
		if pr.OrganisationID != nil {
			if data.People, err = h.accountPeople(ctx, *pr.OrganisationID); err != nil {
				h.fail(w, r, err)
				return nil, false
			}
			ms, _, err := h.app.Meetings(ctx, liaison.MeetingFilter{OrganisationID: *pr.OrganisationID, Type: "steering_group", Sort: "starts_at", Limit: 100})
			if err != nil {
				h.fail(w, r, err)
				return nil, false
			}
			for _, m := range ms {
				if !m.StartsAt.After(h.now()) {
					data.Meetings = append(data.Meetings, Option{Value: m.ID, Label: p.L.Date(m.StartsAt) + " · " + m.Title})
				}
			}
		}
	}
	entries, _, err := h.app.Audit(ctx, "project", pr.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.History = projectHistory(p, entries)
	return data, true
}

// accountPeople lists the customer contacts of an account and the units below it, by name.
func (h *Handler) accountPeople(ctx context.Context, accountID string) ([]Option, error) {
	tree, err := h.app.Tree(ctx)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{accountID: true}
	units := []string{accountID}
	for _, o := range tree { // parents come before children
		if o.ParentID != nil && in[*o.ParentID] && !in[o.ID] {
			in[o.ID] = true
			units = append(units, o.ID)
		}
	}
	var out []Option
	for _, u := range units {
		people, _, err := h.app.People(ctx, liaison.PersonFilter{OrganisationID: u, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, pe := range people {
			label := pe.Name
			if pe.Title != "" {
				label += " – " + pe.Title
			}
			out = append(out, Option{Value: pe.ID, Label: label})
		}
		if len(out) > 1000 {
			break
		}
	}
	return out, nil
}

func (h *Handler) showProject(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadProjectPage(w, r); ok {
		h.render(w, r, http.StatusOK, "project", data)
	}
}

// refuse re-renders the project page with the refusal of err, or fails.
func (h *Handler) refuseOnProject(w http.ResponseWriter, r *http.Request, err error, fill func(*projectPage) *Form, fields ...string) {
	if code := httpx.Status(err); code != http.StatusUnprocessableEntity && code != http.StatusPreconditionFailed && code != http.StatusConflict {
		h.fail(w, r, err)
		return
	}
	data, ok := h.loadProjectPage(w, r)
	if !ok {
		return
	}
	f := fill(data)
	code := applyFormError(data.L, f, err, fields...)
	if code == 0 {
		code = httpx.Status(err)
	}
	data.Refusal = f.Error
	if data.Refusal == "" {
		var parts []string
		for _, m := range f.Errors {
			parts = append(parts, m)
		}
		data.Refusal = strings.Join(parts, " ")
	}
	if data.Refusal == "" {
		data.Refusal = data.L.Error(err)
	}
	h.render(w, r, code, "project", data)
}

func (h *Handler) setProjectStatus(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := *cur
	n.Status = liaison.ProjectStatus(r.PostFormValue("status"))
	d, err := h.app.UpdateProject(ctx, &n, atoi(r.PostFormValue("version")))
	if err != nil {
		h.refuseOnProject(w, r, err, func(p *projectPage) *Form { return newForm() }, "status", "project_manager_id")
		return
	}
	l := h.localizer(r)
	switch {
	case d != nil:
		h.flashT(w, r, "project.flash.agreed_sent", d.RecipientName)
	case n.Status == liaison.ProjectAgreed && cur.Status != liaison.ProjectAgreed:
		h.flash(w, r, "warn", l.T("project.flash.agreed_no_customer"))
	default:
		h.flashT(w, r, "project.flash.status", l.T("project.status."+string(n.Status)))
	}
	redirect(w, r, "/projects/"+n.ID)
}

func (h *Handler) setProjectHealth(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n := *cur
	n.Health, n.HealthNote = liaison.Health(r.PostFormValue("health")), r.PostFormValue("health_note")
	if _, err := h.app.UpdateProject(ctx, &n, atoi(r.PostFormValue("version"))); err != nil {
		h.refuseOnProject(w, r, err, func(p *projectPage) *Form {
			p.HealthForm.Set("health", r.PostFormValue("health"))
			p.HealthForm.Set("health_note", r.PostFormValue("health_note"))
			return p.HealthForm
		}, "health", "health_note")
		return
	}
	h.flashT(w, r, "project.flash.health", h.localizer(r).T("project.health."+string(n.Health)))
	redirect(w, r, "/projects/"+n.ID+"#health")
}

func (h *Handler) deleteProject(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pr, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteProject(ctx, pr.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "project.flash.deleted", pr.Name)
	redirect(w, r, "/projects")
}

func (h *Handler) addBoardMember(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m := &liaison.BoardMember{ProjectID: r.PathValue("id"), Role: liaison.BoardRole(r.PostFormValue("role")),
		Represents: liaison.Side(r.PostFormValue("represents")), Note: r.PostFormValue("note")}
	// One picker names a person ("p:id") or a user ("u:id").
	who := r.PostFormValue("member")
	switch {
	case strings.HasPrefix(who, "p:"):
		m.PersonID = optional(who[2:])
	case strings.HasPrefix(who, "u:"):
		m.UserID = optional(who[2:])
	}
	if m.Role != liaison.RoleRelationshipManager {
		m.Represents = ""
	}
	d, err := h.app.AddBoardMember(ctx, m)
	if err != nil {
		h.refuseOnProject(w, r, err, func(p *projectPage) *Form {
			for _, k := range []string{"role", "member", "represents", "note"} {
				p.BoardForm.Set(k, r.PostFormValue(k))
			}
			return p.BoardForm
		}, "role", "person_id", "user_id", "represents", "note")
		return
	}
	if d != nil {
		h.flashT(w, r, "project.flash.member_sent", m.Name, langName(d.Language))
	} else {
		h.flashT(w, r, "project.flash.member_added", m.Name)
	}
	redirect(w, r, "/projects/"+m.ProjectID+"#board")
}

func (h *Handler) removeBoardMember(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.app.RemoveBoardMember(r.Context(), id, r.PathValue("member_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "project.flash.member_removed")
	redirect(w, r, "/projects/"+id+"#board")
}

func (h *Handler) resendGuide(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := h.app.ResendGuide(r.Context(), id, r.PathValue("member_id"))
	if err != nil {
		h.refuseOnProject(w, r, err, func(p *projectPage) *Form { return newForm() }, "member_id")
		return
	}
	h.flashT(w, r, "project.flash.guide_sent", d.RecipientName, langName(d.Language))
	redirect(w, r, "/projects/"+id+"#deliveries")
}

func (h *Handler) reviewGuide(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := h.app.ReviewGuide(r.Context(), id, r.PostFormValue("meeting_id")); err != nil {
		h.refuseOnProject(w, r, err, func(p *projectPage) *Form {
			p.ReviewForm.Set("meeting_id", r.PostFormValue("meeting_id"))
			return p.ReviewForm
		}, "meeting_id")
		return
	}
	h.flashT(w, r, "project.flash.reviewed")
	redirect(w, r, "/projects/"+id+"#guide")
}

func (h *Handler) addLesson(w http.ResponseWriter, r *http.Request) {
	l := &liaison.Lesson{ProjectID: r.PathValue("id"), Title: r.PostFormValue("title"), WhatHappened: r.PostFormValue("what_happened"),
		Recommendation: r.PostFormValue("recommendation"), Category: liaison.LessonCategory(r.PostFormValue("category")),
		On: r.PostFormValue("on"), Internal: r.PostFormValue("internal") != ""}
	if err := h.app.AddLesson(r.Context(), l); err != nil {
		h.refuseOnProject(w, r, err, func(p *projectPage) *Form {
			for _, k := range []string{"title", "what_happened", "recommendation", "category", "on", "internal"} {
				p.LessonForm.Set(k, r.PostFormValue(k))
			}
			return p.LessonForm
		}, "title", "what_happened", "recommendation", "category", "on")
		return
	}
	h.flashT(w, r, "project.flash.lesson_added")
	redirect(w, r, "/projects/"+l.ProjectID+"#lessons")
}

func (h *Handler) deleteLesson(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.app.DeleteLesson(r.Context(), id, r.PathValue("lesson_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "project.flash.lesson_deleted")
	redirect(w, r, "/projects/"+id+"#lessons")
}

// ---------- the guide ----------

type projectGuidePage struct {
	Page
	P       *liaison.Project
	G       *report.Guide
	PDFHref string
}

func (h *Handler) showGuide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	pr, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	g, err := h.app.Guide(ctx, pr.ID, q.Get("member_id"), liaison.Language(q.Get("lang")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, g.Title+" – "+pr.Name, "projects")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.projects"), Href: "/projects"}, {Label: pr.Name, Href: "/projects/" + pr.ID}, {Label: g.Title}}
	href := "/projects/" + pr.ID + "/guide/pdf"
	if s := r.URL.RawQuery; s != "" {
		href += "?" + s
	}
	h.render(w, r, http.StatusOK, "project_guide", &projectGuidePage{Page: p, P: pr, G: g, PDFHref: href})
}

func (h *Handler) guidePDF(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pdf, g, err := h.app.GuidePDF(r.Context(), r.PathValue("id"), q.Get("member_id"), liaison.Language(q.Get("lang")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": app.GuideFileName(g)}))
	w.Write(pdf)
}

// ---------- form ----------

type projectFormPage struct {
	Page
	Form     *Form
	P        *liaison.Project // nil when starting one
	Accounts []Option
	Managers []Option
	Statuses []Option
	Healths  []Option
	Back     string
}

var projectFields = []string{"name", "organisation_id", "description", "project_manager_id", "status", "phase", "health", "health_note",
	"start_date", "end_date", "tool_url", "internal_note"}

func projectForm(pr *liaison.Project) *Form {
	f := newForm()
	f.Set("name", pr.Name)
	f.Set("organisation_id", deref(pr.OrganisationID))
	f.Set("description", pr.Description)
	f.Set("project_manager_id", deref(pr.ProjectManagerID))
	f.Set("status", string(pr.Status))
	f.Set("phase", pr.Phase)
	f.Set("health", string(pr.Health))
	f.Set("health_note", pr.HealthNote)
	f.Set("start_date", pr.StartDate)
	f.Set("end_date", pr.EndDate)
	f.Set("tool_url", pr.ToolURL)
	f.Set("internal_note", pr.InternalNote)
	f.Set("version", itoa(pr.Version))
	return f
}

func readProjectForm(r *http.Request, pr *liaison.Project) *Form {
	f := newForm()
	for _, k := range append(projectFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	pr.Name, pr.OrganisationID, pr.Description = f.Get("name"), optional(f.Get("organisation_id")), f.Get("description")
	pr.ProjectManagerID, pr.Phase = optional(f.Get("project_manager_id")), f.Get("phase")
	pr.StartDate, pr.EndDate, pr.ToolURL, pr.InternalNote = f.Get("start_date"), f.Get("end_date"), f.Get("tool_url"), f.Get("internal_note")
	if s := f.Get("status"); s != "" {
		pr.Status = liaison.ProjectStatus(s)
	}
	if s := f.Get("health"); s != "" {
		pr.Health = liaison.Health(s)
	}
	if s := f.Get("health_note"); s != "" || pr.ID == "" {
		pr.HealthNote = s
	}
	return f
}

func (h *Handler) renderProjectForm(w http.ResponseWriter, r *http.Request, code int, f *Form, pr *liaison.Project) {
	ctx := r.Context()
	p := h.page(w, r, "", "projects")
	data := &projectFormPage{Page: p, Form: f, P: pr, Back: "/projects", Statuses: projectStatusOptions(p)[:3], Healths: healthOptions(p)}
	if pr != nil {
		p.Title = p.L.T("project.edit.title", pr.Name)
		data.Back = "/projects/" + pr.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.projects"), Href: "/projects"}, {Label: pr.Name, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("project.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.projects"), Href: "/projects"}, {Label: p.Title}}
		if id := f.Get("organisation_id"); id != "" {
			data.Back = "/organisations/" + id + "/projects"
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
	data.Managers = lk.userOptions()
	h.render(w, r, code, "project_form", data)
}

func (h *Handler) newProject(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !h.app.CanStartProjects(ctx) {
		h.fail(w, r, forbiddenPage())
		return
	}
	pr := &liaison.Project{OrganisationID: optional(r.URL.Query().Get("organisation_id"))}
	if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil {
		pr.ProjectManagerID = &p.User.ID
	}
	pr.Normalize()
	f := projectForm(pr)
	f.Set("version", "")
	h.renderProjectForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createProject(w http.ResponseWriter, r *http.Request) {
	pr := &liaison.Project{}
	f := readProjectForm(r, pr)
	d, err := h.app.CreateProject(r.Context(), pr)
	if err != nil {
		if code := applyFormError(h.localizer(r), f, err, projectFields...); code != 0 {
			h.renderProjectForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	if d != nil {
		h.flashT(w, r, "project.flash.agreed_sent", d.RecipientName)
	} else {
		h.flashT(w, r, "project.flash.created", pr.Name)
	}
	redirect(w, r, "/projects/"+pr.ID)
}

func (h *Handler) editProject(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pr, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.ProjectRights(ctx, pr).Write {
		h.fail(w, r, forbiddenPage())
		return
	}
	f := projectForm(pr)
	f.Set("health_note", "")
	h.renderProjectForm(w, r, http.StatusOK, f, pr)
}

func (h *Handler) updateProject(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Project(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pr := *cur
	f := readProjectForm(r, &pr)
	d, err := h.app.UpdateProject(ctx, &pr, atoi(f.Get("version")))
	if err != nil {
		if code := applyFormError(h.localizer(r), f, err, projectFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderProjectForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	if d != nil {
		h.flashT(w, r, "project.flash.agreed_sent", d.RecipientName)
	} else {
		h.flashT(w, r, "flash.saved")
	}
	redirect(w, r, "/projects/"+pr.ID)
}

// ---------- account tab ----------

type unitProjectsPage struct {
	*unitPage
	Projects  []*liaison.Project
	CanCreate bool
}

func (h *Handler) showUnitProjects(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	data := &unitProjectsPage{unitPage: &unitPage{Page: p, V: v, Tab: "projects", CanDelete: v.CanWrite && len(v.Children) == 0},
		CanCreate: h.app.CanStartProjects(ctx)}
	f := liaison.ProjectFilter{OrganisationID: id, Sort: "name", Limit: 500}
	if exportFormat(r) != "" {
		exportList(h, w, r, "projects", "nav.projects", projectColumns(p.L), func(cursor string, limit int) ([]*liaison.Project, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Projects(ctx, f)
		})
		return
	}
	for {
		list, next, err := h.app.Projects(ctx, f)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Projects = append(data.Projects, list...)
		if next == "" || len(data.Projects) >= 2000 {
			break
		}
		f.Cursor = next
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- health strip ----------

// healthStrip draws the health periods as coloured segments on a time
// axis from the first entry to now; each segment's title and a list for
// screen readers say the health, since when and why.
func healthStrip(p Page, hs []*liaison.HealthChange, now time.Time) template.HTML {
	if len(hs) == 0 {
		return ""
	}
	start, end := hs[0].ChangedAt, now
	if !end.After(start) {
		end = start.Add(time.Hour)
	}
	const width, height = 600.0, 22.0
	span := end.Sub(start).Seconds()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="rag-strip" viewBox="0 0 %.0f %.0f" width="100%%" preserveAspectRatio="none" role="img" aria-label="%s">`,
		width, height, template.HTMLEscapeString(p.L.T("project.health.strip")))
	for i, hc := range hs {
		to := end
		if i+1 < len(hs) {
			to = hs[i+1].ChangedAt
		}
		x := width * hc.ChangedAt.Sub(start).Seconds() / span
		w := max(width*to.Sub(hc.ChangedAt).Seconds()/span, 2)
		fmt.Fprintf(&b, `<rect class="rag-%s" x="%.1f" y="0" width="%.1f" height="%.0f"><title>%s</title></rect>`, hc.Health, x, w, height,
			template.HTMLEscapeString(p.L.T("project.health."+string(hc.Health))+" · "+p.L.Date(hc.ChangedAt)+" · "+hc.Note))
	}
	b.WriteString(`</svg>`)
	fmt.Fprintf(&b, `<div class="rag-axis small muted"><span>%s</span><span>%s</span></div>`, template.HTMLEscapeString(p.L.Date(start)),
		template.HTMLEscapeString(p.L.T("project.health.today")))
	return template.HTML(b.String())
}

// projectHistoryFields are the fields a project's history shows, in order.
var projectHistoryFields = []struct{ json, label string }{
	{"status", "field.status"}, {"health", "project.field.health"}, {"health_note", "project.field.health_note"},
	{"name", "project.field.name"}, {"phase", "project.field.phase"}, {"project_manager_name", "project.field.project_manager_id"},
	{"organisation_name", "project.field.organisation_id"}, {"start_date", "project.field.start_date"}, {"end_date", "project.field.end_date"},
	{"tool_url", "project.field.tool_url"}, {"guide_reviewed_on", "project.guide.reviewed_on"}, {"description", "project.field.description"},
	{"internal_note", "project.field.internal_note"},
}

func projectHistory(p Page, entries []*liaison.AuditEntry) []historyEntry {
	value := func(field string, raw any) string {
		v, _ := raw.(string)
		switch {
		case v == "":
			return ""
		case field == "status":
			return p.L.T("project.status." + v)
		case field == "health":
			return p.L.T("project.health." + v)
		}
		return v
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, f := range projectHistoryFields {
			if b, a := value(f.json, before[f.json]), value(f.json, after[f.json]); b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f.label), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

// projectColumns are the columns of the exported project list.
func projectColumns(l *i18n.Localizer) []exportColumn[*liaison.Project] {
	return []exportColumn[*liaison.Project]{
		{"project.field.name", func(p *liaison.Project) any { return p.Name }},
		{"export.account", func(p *liaison.Project) any { return p.OrganisationName }},
		{"project.field.health", func(p *liaison.Project) any { return enumLabel(l, "project.health.", p.Health) }},
		{"field.status", func(p *liaison.Project) any { return l.T("project.status." + string(p.Status)) }},
		{"project.field.phase", func(p *liaison.Project) any { return p.Phase }},
		{"project.field.project_manager_id", func(p *liaison.Project) any { return p.ProjectManagerName }},
		{"field.start_date", func(p *liaison.Project) any { return dayString(&p.StartDate) }},
		{"field.end_date", func(p *liaison.Project) any { return dayString(&p.EndDate) }},
		{"field.updated_at", func(p *liaison.Project) any { return p.UpdatedAt }},
	}
}
