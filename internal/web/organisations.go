package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// ---------- home ----------

type homePage struct {
	Page
	Mine      bool // the rows are the user's own accounts
	Rows      []accountRow
	Attention []accountRow
	Stats     struct{ Accounts, Attention, NoDeputy, NoCustomer, Stale int }
	Agreement liaison.AgreementKPIs // accounts with an active written agreement
	Upcoming  upcoming              // agreement dates coming up
	Coverage  homeCoverage          // usages with a named IT contact
	Demands   homeDemands           // demands raised by several accounts, for head and admin
	Complaint homeComplaints        // open complaints on the user's accounts; escalations for head and admin
	Actions   homeActions           // the user's open actions, overdue first, and the reviews due
	Deputised []actionRow           // open actions on the accounts the user deputises, others' (triggers.go)
}

func (h *Handler) showHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "home")
	p.Title = p.L.T("home.title")
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mine, err := h.app.MyAccounts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &homePage{Page: p, Mine: len(mine) > 0}
	accounts := mine
	if !data.Mine {
		yes := true
		f := liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 500}
		for {
			page, next, err := h.app.Organisations(ctx, f)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			accounts = append(accounts, page...)
			if next == "" {
				break
			}
			f.Cursor = next
		}
	}
	for _, o := range accounts {
		row := lk.row(o, h)
		data.Rows = append(data.Rows, row)
		data.Stats.Accounts++
		if len(row.Warnings) > 0 {
			data.Stats.Attention++
			data.Attention = append(data.Attention, row)
		}
		for _, w := range row.Warnings {
			switch w.Code {
			case "no_deputy", "deputy_is_manager":
				data.Stats.NoDeputy++
			case "no_customer":
				data.Stats.NoCustomer++
			case "review_stale", "never_reviewed":
				data.Stats.Stale++
			}
		}
	}
	sort.SliceStable(data.Attention, func(i, j int) bool { return len(data.Attention[i].Warnings) > len(data.Attention[j].Warnings) })
	if len(data.Attention) > 8 {
		data.Attention = data.Attention[:8]
	}
	if !data.Mine {
		data.Rows = nil
	}
	if data.Agreement, err = h.app.KPIs(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Upcoming, err = h.homeUpcoming(ctx, &data.Page, accounts, lk.settings.ReminderDays, data.Mine); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Coverage, err = h.homeCoverage(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Demands, err = h.homeDemands(ctx, p); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Complaint, err = h.homeComplaints(ctx, p, mine); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Actions, err = h.homeActions(ctx, p); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Deputised, err = h.homeDeputised(ctx, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "home", data)
}

// ---------- accounts list ----------

type accountsPage struct {
	Page
	Q        ListQuery
	Rows     []accountRow
	Next     string
	Segments []Option
	Managers []Option
}

// accountSorts maps the list's sort parameter to the store's.
var accountSorts = map[string]string{
	"name": "name", "-name": "-name",
	"updated": "updated_at", "-updated": "-updated_at",
	"health": "health", "-health": "-health", // relationship health, weakest first
}

func (h *Handler) showAccounts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	p.Title = p.L.T("accounts.title")
	q := r.URL.Query()
	data := &accountsPage{Page: p, Q: ListQuery{Base: "/accounts", Values: q}}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Segments, data.Managers = lk.segmentOptions(), lk.managerOptions()
	yes := true
	f := liaison.OrganisationFilter{BudgetHolder: &yes, Q: q.Get("q"), Segment: q.Get("segment"), ManagerID: q.Get("manager"),
		Sort: accountSorts[q.Get("sort")], Limit: 50, Cursor: q.Get("cursor")}
	if exportFormat(r) != "" {
		exportList(h, w, r, "accounts", "accounts.title", accountColumns(p.L, lk), func(cursor string, limit int) ([]*liaison.Organisation, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Organisations(ctx, f)
		})
		return
	}
	list, next, err := h.app.Organisations(ctx, f)
	if liaison.ErrorCode(err) == liaison.EINVALID || liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Sort, f.Cursor = "", "" // a sort or cursor the store does not know: show the first page
		list, next, err = h.app.Organisations(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	health, err := h.app.HealthList(ctx, liaison.DashboardScope{}, "name")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	byID := map[string]*liaison.AccountHealth{}
	for i := range health {
		byID[health[i].ID] = &health[i].Health
	}
	for _, o := range list {
		row := lk.row(o, h)
		row.Health = byID[o.ID]
		data.Rows = append(data.Rows, row)
	}
	if next != "" {
		data.Next = data.Q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "accounts", data)
}

// ---------- tree ----------

type treePage struct {
	Page
	Roots []*treeNode
	Units int
}

func (h *Handler) showTree(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "tree")
	p.Title = p.L.T("tree.title")
	units, err := h.app.Tree(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	roots := buildTree(units)
	pr := liaison.PrincipalFrom(ctx)
	curate := pr.Allows(liaison.AccessCurate)
	var walk func(ns []*treeNode, depth int, account *liaison.Organisation) int
	walk = func(ns []*treeNode, depth int, account *liaison.Organisation) int {
		total := 0
		for _, n := range ns {
			acc := account
			if n.Org.BudgetHolder {
				acc = n.Org
			}
			n.CanAdd = curate || pr.CanWriteAccount(acc)
			n.Warnings = liaison.AccountWarnings(n.Org, lk.customers[n.Org.ID], h.now(), lk.settings.StaleReviewMonths)
			n.Accounts = walk(n.Children, depth+1, acc)
			if n.Org.BudgetHolder {
				n.Accounts++
			}
			n.Open = depth < 2 || len(units) < 60
			total += n.Accounts
		}
		return total
	}
	walk(roots, 0, nil)
	h.render(w, r, http.StatusOK, "tree", &treePage{Page: p, Roots: roots, Units: len(units)})
}

// ---------- unit page ----------

type unitPage struct {
	Page
	V         *app.UnitView
	Tab       string
	KeyRoles  []app.RoleView
	Timeline  []liaison.TimelineItem
	TL        *timelineView // the timeline tab
	Next      string
	History   []historyEntry
	CanDelete bool
	Tickets   *liaison.TicketSummary // ticket satisfaction, on an account's overview
	// TicketComments are the latest ratings with a comment, at most three.
	TicketComments []*liaison.TicketRating
	// Surveys is the account's survey satisfaction by campaign (CSAT and
	// NPS), those whose results the user may see; none hides the panel.
	Surveys []report.TrendItem
	// OpenTriggers are the account's open triggers, newest first, at most
	// five, for the overview's panel (triggers.go).
	OpenTriggers []*liaison.Trigger
}

func (h *Handler) showUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	tab := "overview"
	for _, t := range []string{"structure", "people", "timeline"} {
		if strings.HasSuffix(r.URL.Path, "/"+t) {
			tab = t
		}
	}
	if tab == "people" && exportFormat(r) != "" {
		exportRows(h, w, r, "people", "unit.people", personColumns(p.L, v.Roles), v.People)
		return
	}
	data := &unitPage{Page: p, V: v, Tab: tab, CanDelete: v.CanWrite && len(v.Children) == 0}
	for _, rv := range v.Roles {
		if rv.Role.Active && (rv.Role.Role == liaison.RoleCustomer || rv.Role.Role == liaison.RoleOrderer) {
			data.KeyRoles = append(data.KeyRoles, rv)
		}
	}
	switch tab {
	case "overview":
		data.Timeline = v.Timeline
		if len(data.Timeline) > 6 {
			data.Timeline = data.Timeline[:6]
		}
		if v.Unit.BudgetHolder {
			s, err := h.app.TicketSummary(ctx, id)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			data.Tickets = &s
			if data.TicketComments, err = h.ticketComments(ctx, v.Unit.ID); err != nil {
				h.fail(w, r, err)
				return
			}
			if data.Surveys, err = h.surveyTrend(ctx, v.Unit.ID); err != nil {
				h.fail(w, r, err)
				return
			}
			if data.OpenTriggers, err = h.openTriggers(ctx, v.Unit.ID); err != nil {
				h.fail(w, r, err)
				return
			}
		}
	case "timeline":
		var err error
		if data.TL, err = h.timelineTab(r, &data.Page, id); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// personColumns are the columns of a unit's exported people, with the
// roles each holds at the unit (of roles).
func personColumns(l *i18n.Localizer, roles []app.RoleView) []exportColumn[*liaison.Person] {
	held := map[string][]string{}
	for _, rv := range roles {
		if rv.Person != nil && rv.Role.Active {
			held[rv.Person.ID] = append(held[rv.Person.ID], l.T("role_kind."+string(rv.Role.Role)))
		}
	}
	return []exportColumn[*liaison.Person]{
		{"field.name", func(x *liaison.Person) any { return x.Name }},
		{"field.title", func(x *liaison.Person) any { return x.Title }},
		{"field.email", func(x *liaison.Person) any { return x.Email }},
		{"field.phone", func(x *liaison.Person) any { return x.Phone }},
		{"field.role", func(x *liaison.Person) any { return strings.Join(held[x.ID], ", ") }},
		{"field.language", func(x *liaison.Person) any { return langName(x.Language) }},
		{"field.external_id", func(x *liaison.Person) any { return x.ExternalID }},
	}
}

func unitCrumbs(p Page, chain []*liaison.Organisation) []Crumb {
	c := []Crumb{{Label: p.L.T("nav.tree"), Href: "/organisations"}}
	for i, o := range chain {
		href := "/organisations/" + o.ID
		if i == len(chain)-1 {
			href = ""
		}
		c = append(c, Crumb{Label: o.Name, Href: href})
	}
	return c
}

func (h *Handler) showUnitHistory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	data := &unitPage{Page: p, V: v, Tab: "history", CanDelete: v.CanWrite && len(v.Children) == 0}
	entries, next, err := h.app.Audit(ctx, subjectOrganisation, id, r.URL.Query().Get("cursor"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.History = h.history(ctx, p, entries)
	if next != "" {
		data.Next = "/organisations/" + id + "/history?cursor=" + url.QueryEscape(next)
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- unit form ----------

type unitFormPage struct {
	Page
	Form      *Form
	Unit      *liaison.Organisation // nil when creating
	Parents   []Option
	Managers  []Option
	Segments  []Option
	CanCurate bool
}

var unitFields = []string{"name", "parent_id", "budget_holder", "segment", "relationship_manager_id", "deputy_id", "description", "last_reviewed_on", "external_id"}

func unitForm(o *liaison.Organisation) *Form {
	f := newForm()
	f.Set("name", o.Name)
	f.Set("parent_id", deref(o.ParentID))
	if o.BudgetHolder {
		f.Set("budget_holder", "1")
	}
	f.Set("segment", o.Segment)
	f.Set("relationship_manager_id", deref(o.RelationshipManagerID))
	f.Set("deputy_id", deref(o.DeputyID))
	f.Set("description", o.Description)
	f.Set("last_reviewed_on", deref(o.LastReviewedOn))
	f.Set("external_id", o.ExternalID)
	f.Set("version", itoa(o.Version))
	return f
}

// readUnitForm copies the posted fields onto o. The portfolio fields are
// taken only from those who may change them; others keep o's.
func readUnitForm(r *http.Request, o *liaison.Organisation, curate bool) *Form {
	r.ParseForm()
	f := newForm()
	for _, k := range append(unitFields, "version") {
		f.Set(k, r.PostForm.Get(k))
	}
	o.Name = f.Get("name")
	o.ParentID = optional(f.Get("parent_id"))
	o.Description = f.Get("description")
	o.LastReviewedOn = optional(f.Get("last_reviewed_on"))
	o.ExternalID = f.Get("external_id")
	if curate {
		o.BudgetHolder = f.Has("budget_holder")
		o.Segment = f.Get("segment")
		o.RelationshipManagerID = optional(f.Get("relationship_manager_id"))
		o.DeputyID = optional(f.Get("deputy_id"))
	} else {
		// Show what will be kept, not what was (not) sent.
		f.Set("budget_holder", map[bool]string{true: "1"}[o.BudgetHolder])
		f.Set("segment", o.Segment)
		f.Set("relationship_manager_id", deref(o.RelationshipManagerID))
		f.Set("deputy_id", deref(o.DeputyID))
	}
	return f
}

func (h *Handler) renderUnitForm(w http.ResponseWriter, r *http.Request, code int, f *Form, unit *liaison.Organisation) {
	ctx := r.Context()
	p := h.page(w, r, "", "tree")
	skip := ""
	if unit != nil {
		skip = unit.ID
		p.Title = p.L.T("unit.edit.title", unit.Name)
		p.Crumbs = []Crumb{{Label: p.L.T("nav.tree"), Href: "/organisations"}, {Label: unit.Name, Href: "/organisations/" + unit.ID}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("unit.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.tree"), Href: "/organisations"}, {Label: p.L.T("unit.new.title")}}
	}
	parents, err := h.unitOptions(ctx, skip)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &unitFormPage{Page: p, Form: f, Unit: unit, Parents: parents, Managers: lk.managerOptions(), Segments: lk.segmentOptions(),
		CanCurate: p.Can("curate")}
	h.render(w, r, code, "unit_form", data)
}

func (h *Handler) newUnit(w http.ResponseWriter, r *http.Request) {
	if parent := r.URL.Query().Get("parent"); parent != "" {
		if err := h.mayWrite(r.Context(), parent); err != nil && liaison.ErrorCode(err) != liaison.ENOTFOUND {
			h.fail(w, r, err)
			return
		}
	} else if !liaison.PrincipalFrom(r.Context()).Allows(liaison.AccessCurate) && r.URL.Query().Get("account") == "1" {
		h.renderError(w, r, http.StatusForbidden)
		return
	}
	f := newForm()
	f.Set("parent_id", r.URL.Query().Get("parent"))
	if r.URL.Query().Get("account") == "1" {
		f.Set("budget_holder", "1")
	}
	h.renderUnitForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request) {
	o := &liaison.Organisation{}
	curate := liaison.PrincipalFrom(r.Context()).Allows(liaison.AccessCurate)
	f := readUnitForm(r, o, curate)
	if err := h.app.CreateOrganisation(r.Context(), o); err != nil {
		if code := applyFormError(h.localizer(r), f, err, unitFields...); code != 0 {
			h.renderUnitForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.unit_created", o.Name)
	redirect(w, r, "/organisations/"+o.ID)
}

func (h *Handler) editUnit(w http.ResponseWriter, r *http.Request) {
	o, err := h.app.Organisation(r.Context(), r.PathValue("id"))
	if err == nil {
		err = h.mayWrite(r.Context(), o.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderUnitForm(w, r, http.StatusOK, unitForm(o), o)
}

func (h *Handler) updateUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Organisation(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o := *cur
	curate := liaison.PrincipalFrom(ctx).Allows(liaison.AccessCurate)
	f := readUnitForm(r, &o, curate)
	if err := h.app.UpdateOrganisation(ctx, &o, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, unitFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version)) // saving again overwrites, knowingly
			}
			h.renderUnitForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/organisations/"+o.ID)
}

type unitDeletePage struct {
	Page
	Unit *liaison.Organisation
	Form *Form
}

func (h *Handler) confirmDeleteUnit(w http.ResponseWriter, r *http.Request) {
	o, err := h.app.Organisation(r.Context(), r.PathValue("id"))
	if err == nil {
		err = h.mayWrite(r.Context(), o.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, "", "tree")
	p.Title = p.L.T("unit.delete.title", o.Name)
	p.Crumbs = []Crumb{{Label: p.L.T("nav.tree"), Href: "/organisations"}, {Label: o.Name, Href: "/organisations/" + o.ID}, {Label: p.L.T("common.delete")}}
	f := newForm()
	f.Set("version", itoa(o.Version))
	h.render(w, r, http.StatusOK, "unit_delete", &unitDeletePage{Page: p, Unit: o, Form: f})
}

func (h *Handler) deleteUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, err := h.app.Organisation(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm()
	f.Set("version", r.PostFormValue("version"))
	if err := h.app.DeleteOrganisation(ctx, o.ID, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err); code != 0 {
			p := h.page(w, r, "", "tree")
			p.Title = p.L.T("unit.delete.title", o.Name)
			f.Set("version", itoa(o.Version))
			h.render(w, r, code, "unit_delete", &unitDeletePage{Page: p, Unit: o, Form: f})
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.unit_deleted", o.Name)
	to := "/organisations"
	if o.ParentID != nil {
		to = "/organisations/" + *o.ParentID + "/structure"
	}
	redirect(w, r, to)
}

func (h *Handler) restoreUnit(w http.ResponseWriter, r *http.Request) {
	o, err := h.app.RestoreOrganisation(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.restored", o.Name)
	redirect(w, r, "/organisations/"+o.ID)
}

// accountPage reads the account view of unit id and the page around one of
// its tabs (section, crumbs); ok is false when it has answered with the
// failure.
func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, id string) (*app.UnitView, Page, bool) {
	v, err := h.app.AccountView(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, Page{}, false
	}
	p := h.page(w, r, v.Unit.Name, "accounts")
	if !v.Unit.BudgetHolder {
		p.Section = "tree"
	}
	p.Crumbs = unitCrumbs(p, v.Chain)
	return v, p, true
}

// accountColumns are the columns of the exported account list.
func accountColumns(l *i18n.Localizer, lk *lookups) []exportColumn[*liaison.Organisation] {
	name := func(id *string) any {
		if u := lk.user(id); u != nil {
			return u.Name
		}
		return nil
	}
	return []exportColumn[*liaison.Organisation]{
		{"field.name", func(o *liaison.Organisation) any { return o.Name }},
		{"field.segment", func(o *liaison.Organisation) any {
			if s := lk.segments[o.Segment]; s != nil {
				return s.Name
			}
			return o.Segment
		}},
		{"field.relationship_manager_id", func(o *liaison.Organisation) any { return name(o.RelationshipManagerID) }},
		{"field.deputy_id", func(o *liaison.Organisation) any { return name(o.DeputyID) }},
		{"field.last_reviewed_on", func(o *liaison.Organisation) any { return dayString(o.LastReviewedOn) }},
		{"field.external_id", func(o *liaison.Organisation) any { return o.ExternalID }},
		{"field.updated_at", func(o *liaison.Organisation) any { return o.UpdatedAt }},
	}
}
