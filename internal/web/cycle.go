package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The annual cycle (SPEC C13): a year view per account (a tab of the
// account: months × activities, each task with its status, the agreement
// dates beside them) and for the portfolio (months × activities with done
// and total counts; a cell lists its tasks), and the pages that manage the
// activity definitions (head and admin).

func init() {
	pages = append(pages, "cycle", "cycle_activities", "cycle_activity_form")
}

func (h *Handler) cycleRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	read, curate := liaison.AccessRead, liaison.AccessCurate
	return []route{
		r("GET", "/cycle", read, h.showCycle),
		r("GET", "/cycle/activities", read, h.showCycleActivities),
		r("GET", "/cycle/activities/new", curate, h.newCycleActivity),
		r("POST", "/cycle/activities", curate, h.createCycleActivity),
		r("GET", "/cycle/activities/{id}/edit", curate, h.editCycleActivity),
		r("POST", "/cycle/activities/{id}", curate, h.updateCycleActivity),
		r("POST", "/cycle/activities/{id}/delete", curate, h.deleteCycleActivity),
		r("POST", "/cycle/activities/{id}/restore", curate, h.restoreCycleActivity),
		r("POST", "/cycle/activities/{id}/generate", curate, h.generateCycleActivity),
		r("GET", "/organisations/{id}/cycle", read, h.showUnitCycle),
	}
}

func cycleOptions[T ~string](l *i18n.Localizer, prefix string, values []T) []Option {
	o := make([]Option, len(values))
	for i, v := range values {
		o[i] = Option{Value: string(v), Label: l.T(prefix + string(v))}
	}
	return o
}

// months are the year view's column heads.
func months(l *i18n.Localizer) []string {
	m := make([]string, 12)
	for i := range m {
		m[i] = l.T("cycle.month." + strconv.Itoa(i+1))
	}
	return m
}

// yearTasks reads the tasks of the year ?year= names (f's period is
// set here). Without one it opens on the current year, or on the next when
// the current one holds no task: tasks are laid twelve months ahead, so
// late in a year the cycle's work lies in the next one, and a user opening
// the year view then wants to see it rather than an empty grid.
func (h *Handler) yearTasks(r *http.Request, f liaison.CycleTaskFilter) (int, []*liaison.CycleTask, error) {
	read := func(y int) ([]*liaison.CycleTask, error) {
		f.From, f.To = fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)
		return h.app.CycleTasks(r.Context(), f)
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		tasks, err := read(y)
		return y, tasks, err
	}
	y := h.now().Year()
	tasks, err := read(y)
	if err != nil || len(tasks) > 0 {
		return y, tasks, err
	}
	if next, err := read(y + 1); err != nil || len(next) > 0 {
		return y + 1, next, err
	}
	return y, tasks, nil
}

// cycleCell is one month of one row of a year view.
type cycleCell struct {
	Month int
	Tasks []*liaison.CycleTask
	Marks []string // agreement dates, already translated
	Done  int
	Href  string
}

// cycleRow is one activity (or the agreements) across the months.
type cycleRow struct {
	ID, Title string
	Kind      liaison.CycleKind
	Cells     [12]cycleCell
	Total     int
	Done      int
}

// cycleRows groups tasks by activity (rows by title) and month.
func cycleRows(tasks []*liaison.CycleTask) []*cycleRow {
	byID := map[string]*cycleRow{}
	var rows []*cycleRow
	for _, t := range tasks {
		row := byID[t.ActivityID]
		if row == nil {
			row = &cycleRow{ID: t.ActivityID, Title: t.ActivityTitle, Kind: t.Kind}
			for m := range row.Cells {
				row.Cells[m].Month = m + 1
			}
			byID[t.ActivityID] = row
			rows = append(rows, row)
		}
		m, _ := strconv.Atoi(t.DueDate[5:7])
		if m < 1 || m > 12 {
			continue
		}
		c := &row.Cells[m-1]
		c.Tasks = append(c.Tasks, t)
		row.Total++
		if t.Status == "done" {
			c.Done++
			row.Done++
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Title < rows[j].Title })
	return rows
}

// ---------- the portfolio year view ----------

type cyclePage struct {
	Page
	Year       int
	Months     []string
	Rows       []*cycleRow
	Activities int
	// The tasks of the chosen cell (?activity=&month=), when one is chosen.
	Cell      []*liaison.CycleTask
	CellTitle string
	Truncated bool
}

func (h *Handler) showCycle(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "cycle")
	p.Title = p.L.T("cycle.title")
	year, tasks, err := h.yearTasks(r, liaison.CycleTaskFilter{})
	y := strconv.Itoa(year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	acts, err := h.app.AllCycleActivities(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &cyclePage{Page: p, Year: year, Months: months(p.L), Rows: cycleRows(tasks), Activities: len(acts), Truncated: len(tasks) >= 20000}
	q := r.URL.Query()
	for _, row := range data.Rows {
		for m := range row.Cells {
			c := &row.Cells[m]
			c.Href = "/cycle?" + url.Values{"year": {y}, "activity": {row.ID}, "month": {strconv.Itoa(m + 1)}}.Encode() + "#cell"
			if row.ID == q.Get("activity") && q.Get("month") == strconv.Itoa(m+1) {
				data.Cell = c.Tasks
				data.CellTitle = row.Title + " · " + data.Months[m] + " " + y
			}
		}
	}
	h.render(w, r, http.StatusOK, "cycle", data)
}

// ---------- an account's year view (a tab of the account) ----------

type unitCyclePage struct {
	*unitPage
	Year   int
	Months []string
	Rows   []*cycleRow
}

func (h *Handler) showUnitCycle(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	year, tasks, err := h.yearTasks(r, liaison.CycleTaskFilter{OrganisationID: id})
	y := strconv.Itoa(year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &unitCyclePage{unitPage: &unitPage{Page: p, V: v, Tab: "cycle", CanDelete: v.CanWrite && len(v.Children) == 0},
		Year: year, Months: months(p.L), Rows: cycleRows(tasks)}
	if ag := h.cycleAgreementRow(r, p.L, id, y); ag != nil {
		data.Rows = append(data.Rows, ag)
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// cycleAgreementRow puts the account's agreement dates of the year (end, next
// review) in a row of their own; nil when there are none.
func (h *Handler) cycleAgreementRow(r *http.Request, l *i18n.Localizer, id, year string) *cycleRow {
	list, _, err := h.app.Agreements(r.Context(), liaison.AgreementFilter{OrganisationID: id, Limit: 100})
	if err != nil {
		return nil
	}
	row := &cycleRow{ID: "agreements", Title: l.T("nav.agreements")}
	for m := range row.Cells {
		row.Cells[m].Month = m + 1
	}
	mark := func(d *string, key, title string) {
		if d == nil || !strings.HasPrefix(*d, year+"-") || len(*d) != 10 {
			return
		}
		m, _ := strconv.Atoi((*d)[5:7])
		if m >= 1 && m <= 12 {
			row.Cells[m-1].Marks = append(row.Cells[m-1].Marks, l.T(key, title, l.DateString(*d)))
			row.Total++
		}
	}
	for _, a := range list {
		mark(a.EndDate, "cycle.agreement_ends", a.Title)
		mark(a.NextReviewDate, "cycle.agreement_review", a.Title)
	}
	if row.Total == 0 {
		return nil
	}
	return row
}

// ---------- the activities ----------

type cycleActivitiesPage struct {
	Page
	Q       ListQuery
	Rows    []*liaison.CycleActivity
	Next    string
	Kinds   []Option
	Trashed bool
}

func (h *Handler) showCycleActivities(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "cycle")
	p.Title = p.L.T("cycle.activities.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.cycle"), Href: "/cycle"}, {Label: p.Title}}
	q := ListQuery{Base: "/cycle/activities", Values: r.URL.Query()}
	data := &cycleActivitiesPage{Page: p, Q: q, Kinds: cycleOptions(p.L, "cycle.kind.", liaison.CycleKinds), Trashed: q.Get("trashed") != ""}
	f := liaison.CycleActivityFilter{Q: q.Get("q"), Kind: liaison.CycleKind(q.Get("kind")),
		Trashed: data.Trashed, Sort: q.Get("sort"), Cursor: q.Get("cursor"), Limit: 50}
	if exportFormat(r) != "" {
		exportList(h, w, r, "cycle-activities", "cycle.activities.title", cycleColumns(p.L), func(cursor string, limit int) ([]*liaison.CycleActivity, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.CycleActivities(ctx, f)
		})
		return
	}
	list, next, err := h.app.CycleActivities(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Rows = list
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "cycle_activities", data)
}

// cycleColumns are the columns of the exported annual-cycle activities,
// the schedule, scope and owner worded as the page words them.
func cycleColumns(l *i18n.Localizer) []exportColumn[*liaison.CycleActivity] {
	return []exportColumn[*liaison.CycleActivity]{
		{"cycle.field.title", func(a *liaison.CycleActivity) any { return a.Title }},
		{"cycle.field.kind", func(a *liaison.CycleActivity) any { return enumLabel(l, "cycle.kind.", a.Kind) }},
		{"cycle.schedule", func(a *liaison.CycleActivity) any {
			switch a.Recurrence {
			case liaison.RecurYearly:
				return l.T("cycle.every_year", a.Day, l.T(fmt.Sprintf("cycle.month.%d", a.Month)))
			case liaison.RecurQuarterly:
				return l.T("cycle.every_quarter", a.Month, a.Day)
			}
			return dayString(a.OnDate)
		}},
		{"cycle.field.scope", func(a *liaison.CycleActivity) any {
			switch a.Scope {
			case liaison.ScopeSegment:
				return a.SegmentName
			case liaison.ScopeAccounts:
				return l.N("cycle.n_accounts", len(a.OrganisationIDs))
			}
			return l.T("cycle.scope.all")
		}},
		{"cycle.owner", func(a *liaison.CycleActivity) any { return cmp.Or(a.OwnerName, l.T("cycle.owner_default")) }},
		{"cycle.field.description", func(a *liaison.CycleActivity) any { return a.Description }},
		{"field.updated_at", func(a *liaison.CycleActivity) any { return a.UpdatedAt }},
	}
}

type cycleFormPage struct {
	Page
	Form        *Form
	A           *liaison.CycleActivity // nil when creating
	Kinds       []Option
	Recurrences []Option
	Scopes      []Option
	MonthsOpt   []Option
	Segments    []Option
	Owners      []Option
	Accounts    []Option
	Picked      map[string]bool // the listed accounts
}

var cycleFields = []string{"title", "description", "kind", "recurrence", "month", "quarter_month", "day", "on_date", "scope",
	"segment_id", "organisation_ids", "owner_id"}

func cycleForm(a *liaison.CycleActivity) *Form {
	f := newForm()
	f.Set("title", a.Title)
	f.Set("description", a.Description)
	f.Set("kind", string(a.Kind))
	f.Set("recurrence", string(a.Recurrence))
	switch a.Recurrence {
	case liaison.RecurQuarterly:
		f.Set("quarter_month", itoa(a.Month))
	case liaison.RecurYearly:
		f.Set("month", itoa(a.Month))
	}
	if a.Day > 0 {
		f.Set("day", itoa(a.Day))
	}
	f.Set("on_date", deref(a.OnDate))
	f.Set("scope", string(a.Scope))
	f.Set("segment_id", deref(a.SegmentID))
	f.Set("owner_id", deref(a.OwnerID))
	for _, id := range a.OrganisationIDs {
		f.Values.Add("organisation_ids", id)
	}
	f.Set("version", itoa(a.Version))
	return f
}

// readCycleForm reads the form into a. The month is one select for a
// yearly activity and another (1-3) for a quarterly one.
func readCycleForm(r *http.Request, a *liaison.CycleActivity) *Form {
	f := newForm()
	for _, k := range append(cycleFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	a.Title, a.Description, a.Kind = f.Get("title"), f.Get("description"), liaison.CycleKind(f.Get("kind"))
	a.Recurrence = liaison.CycleRecurrence(f.Get("recurrence"))
	a.Month = atoi(f.Get("month"))
	if a.Recurrence == liaison.RecurQuarterly {
		a.Month = atoi(f.Get("quarter_month"))
	}
	a.Day = atoi(f.Get("day"))
	a.OnDate, a.Scope = optional(f.Get("on_date")), liaison.CycleScope(f.Get("scope"))
	a.SegmentID, a.OwnerID = optional(f.Get("segment_id")), optional(f.Get("owner_id"))
	a.OrganisationIDs = nil
	f.Values.Del("organisation_ids")
	for _, id := range r.PostForm["organisation_ids"] {
		if id != "" {
			a.OrganisationIDs = append(a.OrganisationIDs, id)
			f.Values.Add("organisation_ids", id)
		}
	}
	return f
}

func (h *Handler) renderCycleForm(w http.ResponseWriter, r *http.Request, code int, f *Form, a *liaison.CycleActivity) {
	ctx := r.Context()
	p := h.page(w, r, "", "cycle")
	p.Title = p.L.T("cycle.new.title")
	if a != nil {
		p.Title = p.L.T("cycle.edit.title", a.Title)
	}
	p.Crumbs = []Crumb{{Label: p.L.T("nav.cycle"), Href: "/cycle"}, {Label: p.L.T("cycle.activities.title"), Href: "/cycle/activities"}, {Label: p.Title}}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	accounts, err := h.app.AccountNames(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &cycleFormPage{Page: p, Form: f, A: a, Kinds: cycleOptions(p.L, "cycle.kind.", liaison.CycleKinds),
		Recurrences: cycleOptions(p.L, "cycle.recurrence.", liaison.CycleRecurrences),
		Scopes:      cycleOptions(p.L, "cycle.scope.", liaison.CycleScopes), Segments: lk.segmentOptions(), Owners: lk.managerOptions()}
	for i, m := range months(p.L) {
		data.MonthsOpt = append(data.MonthsOpt, Option{Value: itoa(i + 1), Label: m})
	}
	data.Picked = map[string]bool{}
	for _, id := range f.Values["organisation_ids"] {
		data.Picked[id] = true
	}
	for _, acc := range accounts {
		data.Accounts = append(data.Accounts, Option{Value: acc.ID, Label: acc.Name})
	}
	h.render(w, r, code, "cycle_activity_form", data)
}

func (h *Handler) newCycleActivity(w http.ResponseWriter, r *http.Request) {
	f := cycleForm(&liaison.CycleActivity{Kind: liaison.CycleAgreementReview, Recurrence: liaison.RecurYearly, Month: 1, Day: 1,
		Scope: liaison.ScopeAllAccounts})
	f.Set("version", "")
	h.renderCycleForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) saveCycleFailed(w http.ResponseWriter, r *http.Request, f *Form, err error, cur *liaison.CycleActivity) {
	l := h.localizer(r)
	// A field error on one listed account (organisation_ids[2]) shows under the picker.
	if e, ok := err.(*liaison.Error); ok {
		for i := range e.Fields {
			if strings.HasPrefix(e.Fields[i].Field, "organisation_ids[") {
				e.Fields[i].Field = "organisation_ids"
			}
		}
	}
	if code := applyFormError(l, f, err, cycleFields...); code != 0 {
		if f.Errors["month"] != "" && f.Get("recurrence") == string(liaison.RecurQuarterly) {
			f.Errors["quarter_month"] = f.Errors["month"]
		}
		if f.Stale && cur != nil {
			f.Set("version", itoa(cur.Version))
		}
		h.renderCycleForm(w, r, code, f, cur)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) createCycleActivity(w http.ResponseWriter, r *http.Request) {
	a := &liaison.CycleActivity{}
	f := readCycleForm(r, a)
	n, err := h.app.CreateCycleActivity(r.Context(), a)
	if err != nil {
		h.saveCycleFailed(w, r, f, err, nil)
		return
	}
	h.flashT(w, r, "cycle.flash.created", a.Title, n)
	redirect(w, r, "/cycle/activities")
}

func (h *Handler) editCycleActivity(w http.ResponseWriter, r *http.Request) {
	a, err := h.app.CycleActivity(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderCycleForm(w, r, http.StatusOK, cycleForm(a), a)
}

func (h *Handler) updateCycleActivity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.CycleActivity(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := *cur
	f := readCycleForm(r, &a)
	n, err := h.app.UpdateCycleActivity(ctx, &a, atoi(f.Get("version")))
	if err != nil {
		h.saveCycleFailed(w, r, f, err, cur)
		return
	}
	h.flashT(w, r, "cycle.flash.saved", n)
	redirect(w, r, "/cycle/activities")
}

func (h *Handler) deleteCycleActivity(w http.ResponseWriter, r *http.Request) {
	a, err := h.app.CycleActivity(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteCycleActivity(r.Context(), a.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "cycle.flash.deleted", a.Title)
	redirect(w, r, "/cycle/activities")
}

func (h *Handler) restoreCycleActivity(w http.ResponseWriter, r *http.Request) {
	a, err := h.app.RestoreCycleActivity(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "cycle.flash.restored", a.Title)
	redirect(w, r, "/cycle/activities")
}

func (h *Handler) generateCycleActivity(w http.ResponseWriter, r *http.Request) {
	n, err := h.app.GenerateCycleTasks(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "cycle.flash.generated", n)
	redirect(w, r, "/cycle/activities")
}
