package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/liaisonhq/liaison"
)

// ---------- person page ----------

type personRole struct {
	Role      *liaison.ContactRole
	Unit      *liaison.Organisation
	ITContact *liaison.User
	Inherited bool
}

type personPage struct {
	Page
	Person   *liaison.Person
	Unit     *liaison.Organisation
	Roles    []personRole
	Tab      string
	History  []historyEntry
	Next     string
	CanWrite bool
}

func (h *Handler) loadPersonPage(w http.ResponseWriter, r *http.Request, tab string) (*personPage, bool) {
	ctx := r.Context()
	pp, err := h.app.Person(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, pp.Name, "accounts")
	data := &personPage{Page: p, Person: pp, Tab: tab}
	data.CanWrite = p.Can("write") && h.mayWrite(ctx, pp.OrganisationID) == nil
	if data.Unit, err = h.app.Organisation(ctx, pp.OrganisationID); err != nil && liaison.ErrorCode(err) != liaison.ENOTFOUND {
		h.fail(w, r, err)
		return nil, false
	}
	data.Crumbs = []Crumb{{Label: p.L.T("nav.tree"), Href: "/organisations"}}
	if data.Unit != nil {
		data.Crumbs = append(data.Crumbs, Crumb{Label: data.Unit.Name, Href: "/organisations/" + data.Unit.ID + "/people"})
	}
	data.Crumbs = append(data.Crumbs, Crumb{Label: pp.Name})
	roles, _, err := h.app.Roles(ctx, liaison.RoleFilter{PersonID: pp.ID, Limit: 500})
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	units := map[string]*liaison.Organisation{}
	for _, ro := range roles {
		u, ok := units[ro.OrganisationID]
		if !ok {
			u, _ = h.app.Organisation(ctx, ro.OrganisationID)
			units[ro.OrganisationID] = u
		}
		if u == nil {
			continue
		}
		pr := personRole{Role: ro, Unit: u, Inherited: ro.ITContactUserID == nil}
		contact := ro.ITContactUserID
		if contact == nil && (ro.Role == liaison.RoleCustomer || ro.Role == liaison.RoleOrderer) {
			if d, err := h.app.WhoDecides(ctx, u.ID); err == nil && d.Account != nil {
				contact = d.Account.RelationshipManagerID
			}
		}
		if contact != nil {
			pr.ITContact, _ = h.app.User(ctx, *contact)
		}
		data.Roles = append(data.Roles, pr)
	}
	return data, true
}

func (h *Handler) showPerson(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadPersonPage(w, r, "overview"); ok {
		h.render(w, r, http.StatusOK, "person", data)
	}
}

func (h *Handler) showPersonHistory(w http.ResponseWriter, r *http.Request) {
	data, ok := h.loadPersonPage(w, r, "history")
	if !ok {
		return
	}
	entries, next, err := h.app.Audit(r.Context(), subjectPerson, data.Person.ID, r.URL.Query().Get("cursor"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.History = h.history(r.Context(), data.Page, entries)
	if next != "" {
		data.Next = "/people/" + data.Person.ID + "/history?cursor=" + url.QueryEscape(next)
	}
	h.render(w, r, http.StatusOK, "person", data)
}

// ---------- person form ----------

type personFormPage struct {
	Page
	Form      *Form
	Person    *liaison.Person
	Units     []Option
	Languages []Option
}

var personFields = []string{"name", "title", "email", "phone", "organisation_id", "language", "notes", "external_id"}

func personForm(pp *liaison.Person) *Form {
	f := newForm()
	f.Set("name", pp.Name)
	f.Set("title", pp.Title)
	f.Set("email", pp.Email)
	f.Set("phone", pp.Phone)
	f.Set("organisation_id", pp.OrganisationID)
	f.Set("language", string(pp.Language))
	f.Set("notes", pp.Notes)
	f.Set("external_id", pp.ExternalID)
	f.Set("version", itoa(pp.Version))
	return f
}

func readPersonForm(r *http.Request, pp *liaison.Person) *Form {
	r.ParseForm()
	f := newForm()
	for _, k := range append(personFields, "version") {
		f.Set(k, r.PostForm.Get(k))
	}
	pp.Name, pp.Title, pp.Email, pp.Phone = f.Get("name"), f.Get("title"), f.Get("email"), f.Get("phone")
	pp.OrganisationID, pp.Language = f.Get("organisation_id"), liaison.Language(f.Get("language"))
	pp.Notes, pp.ExternalID = f.Get("notes"), f.Get("external_id")
	return f
}

func (h *Handler) renderPersonForm(w http.ResponseWriter, r *http.Request, code int, f *Form, pp *liaison.Person) {
	p := h.page(w, r, "", "accounts")
	if pp != nil {
		p.Title = p.L.T("person.edit.title", pp.Name)
		p.Crumbs = []Crumb{{Label: pp.Name, Href: "/people/" + pp.ID}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("person.new.title")
	}
	units, err := h.unitOptions(r.Context(), "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var langs []Option
	for _, l := range liaison.Languages {
		langs = append(langs, Option{Value: string(l), Label: langName(l)})
	}
	h.render(w, r, code, "person_form", &personFormPage{Page: p, Form: f, Person: pp, Units: units, Languages: langs})
}

func (h *Handler) newPerson(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Set("organisation_id", r.URL.Query().Get("organisation"))
	f.Set("language", string(h.localizer(r).Lang()))
	h.renderPersonForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	pp := &liaison.Person{}
	f := readPersonForm(r, pp)
	if err := h.app.CreatePerson(r.Context(), pp); err != nil {
		if code := applyFormError(h.localizer(r), f, err, personFields...); code != 0 {
			h.renderPersonForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.person_created", pp.Name)
	redirect(w, r, "/people/"+pp.ID)
}

func (h *Handler) editPerson(w http.ResponseWriter, r *http.Request) {
	pp, err := h.app.Person(r.Context(), r.PathValue("id"))
	if err == nil {
		err = h.mayWrite(r.Context(), pp.OrganisationID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderPersonForm(w, r, http.StatusOK, personForm(pp), pp)
}

func (h *Handler) updatePerson(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Person(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pp := *cur
	f := readPersonForm(r, &pp)
	if err := h.app.UpdatePerson(ctx, &pp, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, personFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderPersonForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/people/"+pp.ID)
}

func (h *Handler) deletePerson(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pp, err := h.app.Person(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeletePerson(ctx, pp.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.person_deleted", pp.Name)
	redirect(w, r, "/organisations/"+pp.OrganisationID+"/people")
}

func (h *Handler) restorePerson(w http.ResponseWriter, r *http.Request) {
	pp, err := h.app.RestorePerson(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.restored", pp.Name)
	redirect(w, r, "/people/"+pp.ID)
}

// ---------- roles ----------

type roleFormPage struct {
	Page
	Form    *Form
	Role    *liaison.ContactRole // nil when creating
	Person  *liaison.Person      // fixed person, when adding from a person or editing
	Unit    *liaison.Organisation
	People  []Option // when adding at a unit
	Units   []Option // when adding for a person
	Kinds   []Option
	Users   []Option
	Action  string
	Back    string
	Manager *liaison.User // the account's relationship manager, the default IT contact
}

var roleFields = []string{"person_id", "organisation_id", "role", "label", "it_contact_user_id", "active"}

func readRoleForm(r *http.Request, ro *liaison.ContactRole) *Form {
	r.ParseForm()
	f := newForm()
	for _, k := range append(roleFields, "version", "back") {
		f.Set(k, r.PostForm.Get(k))
	}
	ro.Role = liaison.RoleKind(f.Get("role"))
	ro.Label = f.Get("label")
	ro.ITContactUserID = optional(f.Get("it_contact_user_id"))
	return f
}

func (h *Handler) renderRoleForm(w http.ResponseWriter, r *http.Request, code int, data *roleFormPage) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	data.Page = p
	if data.Role != nil {
		p.Title = p.L.T("role.edit.title")
	} else {
		p.Title = p.L.T("role.new.title")
	}
	data.Page.Title = p.Title
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Users = lk.userOptions()
	for _, k := range liaison.RoleKinds {
		data.Kinds = append(data.Kinds, Option{Value: string(k), Label: p.L.T("role_kind." + string(k))})
	}
	if data.Unit != nil {
		if d, err := h.app.WhoDecides(ctx, data.Unit.ID); err == nil && d.Account != nil {
			data.Manager = lk.user(d.Account.RelationshipManagerID)
		}
	}
	if data.Role == nil && data.Person == nil && data.Unit != nil {
		people, _, err := h.app.People(ctx, liaison.PersonFilter{OrganisationID: data.Unit.ID, Limit: 500})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, pp := range people {
			data.People = append(data.People, Option{Value: pp.ID, Label: pp.Name})
		}
	}
	if data.Role == nil && data.Person != nil {
		if data.Units, err = h.unitOptions(ctx, ""); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if data.Back == "" {
		data.Back = safeNext(data.Form.Get("back"))
	}
	h.render(w, r, code, "role_form", data)
}

// roleTarget reads which unit or person a new role is added from.
func (h *Handler) roleTarget(w http.ResponseWriter, r *http.Request) (*roleFormPage, bool) {
	ctx := r.Context()
	data := &roleFormPage{Form: newForm()}
	id := r.PathValue("id")
	if strings.HasPrefix(r.URL.Path, "/people/") {
		pp, err := h.app.Person(ctx, id)
		if err != nil {
			h.fail(w, r, err)
			return nil, false
		}
		if r.Method == http.MethodGet {
			if err := h.mayWrite(ctx, pp.OrganisationID); err != nil {
				h.fail(w, r, err)
				return nil, false
			}
		}
		data.Person, data.Action, data.Back = pp, "/people/"+pp.ID+"/roles", "/people/"+pp.ID
		return data, true
	}
	o, err := h.app.Organisation(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if r.Method == http.MethodGet {
		if err := h.mayWrite(ctx, o.ID); err != nil {
			h.fail(w, r, err)
			return nil, false
		}
	}
	data.Unit, data.Action, data.Back = o, "/organisations/"+o.ID+"/roles", "/organisations/"+o.ID+"/people"
	return data, true
}

func (h *Handler) newRole(w http.ResponseWriter, r *http.Request) {
	data, ok := h.roleTarget(w, r)
	if !ok {
		return
	}
	kind := r.URL.Query().Get("role")
	if !liaison.RoleKind(kind).Valid() {
		kind = string(liaison.RoleOrderer)
	}
	data.Form.Set("role", kind)
	data.Form.Set("person_id", r.URL.Query().Get("person"))
	data.Form.Set("organisation_id", r.URL.Query().Get("organisation"))
	h.renderRoleForm(w, r, http.StatusOK, data)
}

func (h *Handler) createRole(w http.ResponseWriter, r *http.Request) {
	data, ok := h.roleTarget(w, r)
	if !ok {
		return
	}
	ro := &liaison.ContactRole{Active: true}
	data.Form = readRoleForm(r, ro)
	ro.PersonID, ro.OrganisationID = data.Form.Get("person_id"), data.Form.Get("organisation_id")
	if data.Person != nil {
		ro.PersonID = data.Person.ID
	} else {
		ro.OrganisationID = data.Unit.ID
	}
	if err := h.app.CreateRole(r.Context(), ro); err != nil {
		if code := applyFormError(h.localizer(r), data.Form, err, roleFields...); code != 0 {
			h.renderRoleForm(w, r, code, data)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.role_added")
	redirect(w, r, data.Back)
}

func (h *Handler) loadRole(w http.ResponseWriter, r *http.Request) (*roleFormPage, bool) {
	ctx := r.Context()
	ro, err := h.app.Role(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data := &roleFormPage{Role: ro, Action: "/roles/" + ro.ID}
	if data.Person, err = h.app.Person(ctx, ro.PersonID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.Unit, err = h.app.Organisation(ctx, ro.OrganisationID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.Back = "/organisations/" + ro.OrganisationID + "/people"
	return data, true
}

func (h *Handler) editRole(w http.ResponseWriter, r *http.Request) {
	data, ok := h.loadRole(w, r)
	if !ok {
		return
	}
	if err := h.mayWrite(r.Context(), data.Role.OrganisationID); err != nil {
		h.fail(w, r, err)
		return
	}
	ro := data.Role
	f := newForm()
	f.Set("role", string(ro.Role))
	f.Set("label", ro.Label)
	f.Set("it_contact_user_id", deref(ro.ITContactUserID))
	if ro.Active {
		f.Set("active", "1")
	}
	f.Set("version", itoa(ro.Version))
	if b := r.URL.Query().Get("back"); b != "" {
		data.Back = safeNext(b)
	}
	f.Set("back", data.Back)
	data.Form = f
	h.renderRoleForm(w, r, http.StatusOK, data)
}

func (h *Handler) updateRole(w http.ResponseWriter, r *http.Request) {
	data, ok := h.loadRole(w, r)
	if !ok {
		return
	}
	ro := *data.Role
	data.Form = readRoleForm(r, &ro)
	ro.Active = data.Form.Has("active")
	data.Back = safeNext(data.Form.Get("back"))
	if err := h.app.UpdateRole(r.Context(), &ro, atoi(data.Form.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), data.Form, err, roleFields...); code != 0 {
			if data.Form.Stale {
				data.Form.Set("version", itoa(data.Role.Version))
			}
			h.renderRoleForm(w, r, code, data)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, data.Back)
}

// endRole marks a role as no longer held; it stays in the record.
func (h *Handler) endRole(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Role(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ro := *cur
	ro.Active = false
	if err := h.app.UpdateRole(ctx, &ro, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.role_ended")
	redirect(w, r, backOr(r, "/organisations/"+ro.OrganisationID+"/people"))
}

func (h *Handler) deleteRole(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Role(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteRole(ctx, cur.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.role_deleted")
	redirect(w, r, backOr(r, "/organisations/"+cur.OrganisationID+"/people"))
}

func backOr(r *http.Request, def string) string {
	if b := r.PostFormValue("back"); b != "" {
		return safeNext(b)
	}
	return def
}
