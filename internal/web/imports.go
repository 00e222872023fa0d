package web

import (
	"errors"
	"math"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
)

// Imports (SPEC C15): the wizard of /admin/import. Upload a CSV or XLSX
// file of units, people, roles, services, agreements or SLA results; check the mapping of its columns to
// fields (suggested by their names); a dry run lists every rejected row
// with its line and reason; commit, with a progress bar that polls the
// job in the database (any instance answers the poll).

type importPage struct {
	Page
	Form   *Form
	Kinds  []Option
	Job    *liaison.ImportJob
	Fields []Option
	Cols   []importCol
}

type importCol struct {
	Index  int
	Name   string
	Sample string
	Field  string
}

func init() { pages = append(pages, "import") }

func (h *Handler) importRoutes() []route {
	r := func(method, pattern string, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: liaison.AccessCurate}, f}
	}
	return []route{
		r("GET", "/admin/import", h.showImportUpload),
		r("POST", "/admin/import", h.uploadImport),
		r("GET", "/admin/import/{id}", h.showImport),
		r("POST", "/admin/import/{id}/check", h.checkImport),
		r("POST", "/admin/import/{id}/commit", h.commitImport),
		r("GET", "/admin/import/{id}/progress", h.importProgress),
	}
}

func (h *Handler) renderImport(w http.ResponseWriter, r *http.Request, code int, data *importPage) {
	p := h.page(w, r, "", "import")
	p.Title = p.L.T("import.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.admin")}, {Label: p.Title, Href: "/admin/import"}}
	data.Page = p
	for _, k := range liaison.ImportKinds {
		data.Kinds = append(data.Kinds, Option{Value: string(k), Label: p.L.T("import.kind." + string(k))})
	}
	if j := data.Job; j != nil {
		p.Crumbs = append(p.Crumbs, Crumb{Label: j.FileName})
		data.Page = p
		data.Fields = []Option{{Value: "", Label: p.L.T("import.ignore")}}
		for _, f := range liaison.ImportFields(j.Kind) {
			label := f.Name
			if f.Required {
				label += " *"
			}
			data.Fields = append(data.Fields, Option{Value: f.Name, Label: label})
		}
		data.Cols = nil
		for i, name := range j.Header {
			c := importCol{Index: i, Name: name}
			if i < len(j.Sample) {
				c.Sample = j.Sample[i]
			}
			if i < len(j.Mapping) {
				c.Field = j.Mapping[i]
			}
			data.Cols = append(data.Cols, c)
		}
	}
	h.render(w, r, code, "import", data)
}

func (h *Handler) showImportUpload(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Set("kind", string(liaison.ImportPeople))
	h.renderImport(w, r, http.StatusOK, &importPage{Form: f})
}

func (h *Handler) uploadImport(w http.ResponseWriter, r *http.Request) {
	l := h.localizer(r)
	f := newForm()
	name, _, body, err := readUpload(r, "file")
	f.Set("kind", r.FormValue("kind"))
	if err != nil {
		f.Errors["file"] = l.T("agreement.attach.none")
		if _, big := errors.AsType[*http.MaxBytesError](err); big {
			f.Errors["file"] = l.T("error.file_too_big", maxUploadBytes>>20)
		}
		h.renderImport(w, r, http.StatusUnprocessableEntity, &importPage{Form: f})
		return
	}
	j, err := h.app.StartImport(r.Context(), liaison.ImportKind(f.Get("kind")), name, body)
	if err != nil {
		if code := applyFormError(l, f, err, "file", "kind"); code != 0 {
			h.renderImport(w, r, code, &importPage{Form: f})
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/import/"+j.ID)
}

func (h *Handler) showImport(w http.ResponseWriter, r *http.Request) {
	j, err := h.app.ImportJob(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderImport(w, r, http.StatusOK, &importPage{Form: newForm(), Job: j})
}

// checkImport saves the mapping and runs the dry run.
func (h *Handler) checkImport(w http.ResponseWriter, r *http.Request) {
	ctx, l := r.Context(), h.localizer(r)
	j, err := h.app.ImportJob(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, err)
		return
	}
	mapping := make([]string, len(j.Header))
	for i := range mapping {
		mapping[i] = r.PostForm.Get("col" + itoa(i))
	}
	f := newForm()
	if _, err = h.app.SetImportMapping(ctx, j.ID, mapping); err == nil {
		_, err = h.app.RunImport(ctx, j.ID, true, nil)
	}
	if err != nil {
		if code := applyFormError(l, f, err, "mapping"); code != 0 {
			j.Mapping = mapping
			h.renderImport(w, r, code, &importPage{Form: f, Job: j})
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/admin/import/"+j.ID+"#import-report")
}

func (h *Handler) commitImport(w http.ResponseWriter, r *http.Request) {
	j, err := h.app.StartCommit(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" {
		h.renderFragment(w, r, "import", "import-progress", &importPage{Page: h.page(w, r, "", "import"), Job: j})
		return
	}
	redirect(w, r, "/admin/import/"+j.ID)
}

// importProgress answers the progress bar's poll.
func (h *Handler) importProgress(w http.ResponseWriter, r *http.Request) {
	j, err := h.app.ImportJob(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderFragment(w, r, "import", "import-progress", &importPage{Page: h.page(w, r, "", "import"), Job: j})
}

// Reason translates a rejected row's reason.
func (p *importPage) Reason(rj liaison.ImportRowError) string {
	args := make([]any, len(rj.Args))
	for i, a := range rj.Args {
		// A report read back from JSON holds numbers as float64.
		if f, ok := a.(float64); ok && f == math.Trunc(f) {
			a = int(f)
		}
		args[i] = a
	}
	return p.L.Field(liaison.FieldError{Field: rj.Field, Code: rj.Code, Key: rj.Key, Args: args, Message: rj.Message})
}
