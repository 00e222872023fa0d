package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The customer data map (SPEC C15): one page answering seed 004 §6.2's
// five questions, a page per system, and the system form.

func init() {
	pages = append(pages, "datamap", "data_source", "data_source_form")
}

func (h *Handler) dataMapRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	read, signedIn := liaison.AccessRead, liaison.AccessSignedIn
	return []route{
		r("GET", "/data-map", read, h.showDataMap),
		r("GET", "/data-sources/new", read, h.newDataSource),
		r("POST", "/data-sources", signedIn, h.createDataSource),
		r("GET", "/data-sources/{id}", read, h.showDataSource),
		r("GET", "/data-sources/{id}/edit", read, h.editDataSource),
		r("POST", "/data-sources/{id}", signedIn, h.updateDataSource),
		r("POST", "/data-sources/{id}/delete", signedIn, h.deleteDataSource),
	}
}

// userOptions lists the active users for a picker.
func (h *Handler) userOptions(ctx context.Context) ([]Option, error) {
	lk, err := h.lookups(ctx)
	if err != nil {
		return nil, err
	}
	return lk.userOptions(), nil
}

type dataMapPage struct {
	Page
	M       *liaison.DataMapView
	CanEdit bool
	Today   string
}

func (h *Handler) showDataMap(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "datamap")
	p.Title = p.L.T("datamap.title")
	m, err := h.app.DataMap(ctx, h.now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		exportRows(h, w, r, "data-map", "datamap.title", dataSourceColumns(p.L), m.Sources)
		return
	}
	h.render(w, r, http.StatusOK, "datamap", &dataMapPage{Page: p, M: m, CanEdit: h.app.CanEditDataMap(ctx),
		Today: liaison.FormatDate(liaison.DateOf(h.now()))})
}

// dataSourceColumns are the columns of the exported data map: its systems
// (question 1) with who keeps them current (question 2).
func dataSourceColumns(l *i18n.Localizer) []exportColumn[*liaison.DataSource] {
	return []exportColumn[*liaison.DataSource]{
		{"datamap.field.name", func(d *liaison.DataSource) any { return d.Name }},
		{"datamap.field.description", func(d *liaison.DataSource) any { return d.Description }},
		{"datamap.field.data", func(d *liaison.DataSource) any { return d.Data }},
		{"datamap.field.maintainer_unit", func(d *liaison.DataSource) any { return d.MaintainerUnit }},
		{"datamap.field.maintainer_user_id", func(d *liaison.DataSource) any { return d.MaintainerName }},
		{"datamap.field.refresh_days", func(d *liaison.DataSource) any {
			if d.RefreshDays == 0 {
				return nil
			}
			return d.RefreshDays
		}},
		{"datamap.field.last_updated_on", func(d *liaison.DataSource) any { return dayString(&d.LastUpdatedOn) }},
		{"datamap.stale", func(d *liaison.DataSource) any { return yesNo(l, d.Stale) }},
		{"datamap.field.flows", func(d *liaison.DataSource) any {
			flows := make([]string, len(d.Flows))
			for i, f := range d.Flows {
				arrow := "→"
				if f.Direction == liaison.FlowIn {
					arrow = "←"
				}
				flows[i] = arrow + " " + f.System + " (" + l.T("datamap.mode."+string(f.Mode)) + ")"
			}
			return strings.Join(flows, "; ")
		}},
	}
}

type dataSourcePage struct {
	Page
	D         *liaison.DataSource
	CanEdit   bool
	CanDelete bool
	History   []historyEntry
}

func (h *Handler) showDataSource(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := h.app.DataSource(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, d.Name, "datamap")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.datamap"), Href: "/data-map"}, {Label: d.Name}}
	entries, _, err := h.app.Audit(ctx, "data_source", d.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &dataSourcePage{Page: p, D: d, CanEdit: h.app.CanEditDataMap(ctx), CanDelete: p.Can("curate")}
	for _, e := range entries {
		data.History = append(data.History, historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)})
	}
	h.render(w, r, http.StatusOK, "data_source", data)
}

// ---------- form ----------

// dataMapBlankRows is how many empty need and flow rows the form offers.
const dataMapBlankRows = 2

type dataSourceFormPage struct {
	Page
	Form  *Form
	D     *liaison.DataSource // nil when new
	Users []Option
	Needs []int // row indexes
	Flows []int
	Back  string
}

var dataSourceFields = []string{"name", "description", "data", "maintainer_unit", "maintainer_user_id", "refresh_days", "last_updated_on"}

func dataSourceForm(d *liaison.DataSource) *Form {
	f := newForm()
	f.Set("name", d.Name)
	f.Set("description", d.Description)
	f.Set("data", d.Data)
	f.Set("maintainer_unit", d.MaintainerUnit)
	f.Set("maintainer_user_id", deref(d.MaintainerUserID))
	if d.RefreshDays > 0 {
		f.Set("refresh_days", itoa(d.RefreshDays))
	}
	f.Set("last_updated_on", d.LastUpdatedOn)
	f.Set("version", itoa(d.Version))
	for i, n := range d.Needs {
		k := fmt.Sprintf("needs[%d].", i)
		f.Set(k+"unit", n.Unit)
		f.Set(k+"data", n.Data)
		f.Set(k+"purpose", n.Purpose)
		if n.Known {
			f.Set(k+"known", "1")
		}
	}
	for i, fl := range d.Flows {
		k := fmt.Sprintf("flows[%d].", i)
		f.Set(k+"direction", string(fl.Direction))
		f.Set(k+"system", fl.System)
		f.Set(k+"data", fl.Data)
		f.Set(k+"mode", string(fl.Mode))
	}
	f.Set("rows_needs", itoa(len(d.Needs)+dataMapBlankRows))
	f.Set("rows_flows", itoa(len(d.Flows)+dataMapBlankRows))
	return f
}

// readDataSourceForm reads the form into d. Rows keep their positions, so
// that an error on needs[1] lands on the row the user typed; empty rows
// are dropped by the domain's Normalize after validation names them.
func readDataSourceForm(r *http.Request, d *liaison.DataSource) (*Form, []string) {
	f := newForm()
	fields := append([]string{}, dataSourceFields...)
	for _, k := range append(dataSourceFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	d.Name, d.Description, d.Data, d.MaintainerUnit = f.Get("name"), f.Get("description"), f.Get("data"), f.Get("maintainer_unit")
	d.MaintainerUserID, d.LastUpdatedOn = optional(f.Get("maintainer_user_id")), f.Get("last_updated_on")
	d.RefreshDays = 0
	if s := f.Get("refresh_days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		d.RefreshDays = n
	}
	rows := func(name string) int {
		n, _ := strconv.Atoi(r.PostFormValue("rows_" + name))
		return min(max(n, 0), liaison.MaxDataMapItems+dataMapBlankRows)
	}
	d.Needs, d.Flows = nil, nil
	nNeeds, nFlows := rows("needs"), rows("flows")
	for i := range nNeeds {
		k := fmt.Sprintf("needs[%d].", i)
		for _, c := range []string{"unit", "data", "purpose", "known"} {
			f.Set(k+c, r.PostFormValue(k+c))
			fields = append(fields, k+c)
		}
		n := liaison.DataNeed{Unit: f.Get(k + "unit"), Data: f.Get(k + "data"), Purpose: f.Get(k + "purpose"), Known: f.Get(k+"known") != ""}
		if n.Unit != "" || n.Data != "" || n.Purpose != "" {
			d.Needs = append(d.Needs, n)
		}
	}
	for i := range nFlows {
		k := fmt.Sprintf("flows[%d].", i)
		for _, c := range []string{"direction", "system", "data", "mode"} {
			f.Set(k+c, r.PostFormValue(k+c))
			fields = append(fields, k+c)
		}
		fl := liaison.DataFlow{Direction: liaison.FlowDirection(f.Get(k + "direction")), System: f.Get(k + "system"), Data: f.Get(k + "data"),
			Mode: liaison.FlowMode(f.Get(k + "mode"))}
		if fl.System != "" || fl.Data != "" {
			d.Flows = append(d.Flows, fl)
		}
	}
	f.Set("rows_needs", itoa(nNeeds))
	f.Set("rows_flows", itoa(nFlows))
	return f, fields
}

func (h *Handler) renderDataSourceForm(w http.ResponseWriter, r *http.Request, code int, f *Form, d *liaison.DataSource) {
	p := h.page(w, r, "", "datamap")
	data := &dataSourceFormPage{Page: p, Form: f, D: d, Back: "/data-map"}
	if d != nil {
		p.Title = p.L.T("datamap.edit.title", d.Name)
		data.Back = "/data-sources/" + d.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.datamap"), Href: "/data-map"}, {Label: d.Name, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("datamap.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.datamap"), Href: "/data-map"}, {Label: p.Title}}
	}
	data.Page = p
	n, _ := strconv.Atoi(f.Get("rows_needs"))
	for i := range max(n, 1) {
		data.Needs = append(data.Needs, i)
	}
	n, _ = strconv.Atoi(f.Get("rows_flows"))
	for i := range max(n, 1) {
		data.Flows = append(data.Flows, i)
	}
	var err error
	if data.Users, err = h.userOptions(r.Context()); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "data_source_form", data)
}

func (h *Handler) newDataSource(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanEditDataMap(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	f := dataSourceForm(&liaison.DataSource{})
	f.Set("version", "")
	h.renderDataSourceForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createDataSource(w http.ResponseWriter, r *http.Request) {
	d := &liaison.DataSource{}
	f, fields := readDataSourceForm(r, d)
	if err := h.app.CreateDataSource(r.Context(), d); err != nil {
		if code := applyFormError(h.localizer(r), f, err, fields...); code != 0 {
			h.renderDataSourceForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "datamap.flash.created", d.Name)
	redirect(w, r, "/data-sources/"+d.ID)
}

func (h *Handler) editDataSource(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := h.app.DataSource(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanEditDataMap(ctx) {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderDataSourceForm(w, r, http.StatusOK, dataSourceForm(d), d)
}

func (h *Handler) updateDataSource(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.DataSource(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := *cur
	f, fields := readDataSourceForm(r, &d)
	if err := h.app.UpdateDataSource(ctx, &d, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, fields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderDataSourceForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/data-sources/"+d.ID)
}

func (h *Handler) deleteDataSource(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := h.app.DataSource(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteDataSource(ctx, d.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "datamap.flash.deleted", d.Name)
	redirect(w, r, "/data-map")
}
