package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/sheet"
)

// Every list exports to CSV and XLSX (SPEC C14): the list's page with
// ?format=csv or ?format=xlsx answers a file of every row its filters
// select (not only the page shown), in the columns a column list names.

// exportCap bounds the rows of one export; exportPage is how many are read
// at a time (the store's largest page).
const (
	exportCap  = 100_000
	exportPage = 500
)

// exportColumn is one column of an exported list: the header's translation key
// and the cell of a row (see package sheet for the cell types).
type exportColumn[T any] struct {
	key   string
	value func(T) any
}

// exportFormat is the file a list is asked for as: "csv", "xlsx", or ""
// for the page.
func exportFormat(r *http.Request) string {
	switch f := r.URL.Query().Get("format"); f {
	case "csv", "xlsx":
		return f
	}
	return ""
}

// exportList answers the file of a list: every row fetch gives, page by
// page from the first, up to exportCap. name names the file; the sheet is
// titled by the translation of titleKey (the list's title).
func exportList[T any](h *Handler, w http.ResponseWriter, r *http.Request, name, titleKey string, cols []exportColumn[T],
	fetch func(cursor string, limit int) ([]T, string, error)) {
	rows, err := readAll(fetch)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	exportRows(h, w, r, name, titleKey, cols, rows)
}

// readAll reads every row fetch gives, page by page from the first, up to
// exportCap: a list the export walks, or one it must sort or merge as its
// page does before exportRows.
func readAll[T any](fetch func(cursor string, limit int) ([]T, string, error)) ([]T, error) {
	var all []T
	cursor := ""
	for len(all) < exportCap {
		rows, next, err := fetch(cursor, min(exportPage, exportCap-len(all)))
		if err != nil {
			return nil, err
		}
		all = append(all, rows...)
		if next == "" || len(rows) == 0 {
			break
		}
		cursor = next
	}
	return all, nil
}

// exportRows answers the file of rows already read (a list its page reads
// whole, without pages), in their order, cut at exportCap.
// The file is built before anything is sent, so that an error still
// answers the error page instead of half a file.
func exportRows[T any](h *Handler, w http.ResponseWriter, r *http.Request, name, titleKey string, cols []exportColumn[T], rows []T) {
	p := h.page(w, r, "", "")
	format := exportFormat(r)
	var buf bytes.Buffer
	var sw sheet.Writer
	var err error
	if format == "xlsx" {
		sw, err = sheet.NewXLSX(&buf, p.L.T(titleKey))
	} else {
		sw, err = sheet.NewCSV(&buf, sheet.DialectFor(string(p.L.Lang())))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = p.L.T(c.key)
	}
	if err := sw.Header(header); err != nil {
		h.fail(w, r, err)
		return
	}
	cells := make([]any, len(cols))
	for _, row := range rows[:min(len(rows), exportCap)] {
		for i, c := range cols {
			cells[i] = cellInZone(c.value(row), p.TZ)
		}
		if err := sw.Row(cells); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := sw.Close(); err != nil {
		h.fail(w, r, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.%s"`, name, p.Now.In(p.TZ).Format(time.DateOnly), format))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

// Here is the page's own address, for the export links of a page whose
// list has no ListQuery of its own (an account's tab, an admin list, the
// plan analysis).
func (p Page) Here() pageQuery {
	u, err := url.Parse(p.Path)
	if err != nil {
		return pageQuery{base: "/"}
	}
	return pageQuery{base: u.Path, values: u.Query()}
}

// pageQuery is a page's address with every parameter kept as given, the
// empty ones too: the plan analysis tells "every section" (section=)
// from no section at all (its default), and its export must select the
// rows the page shows.
type pageQuery struct {
	base   string
	values url.Values
}

// With returns the address with k set to v (and the cursor dropped).
func (q pageQuery) With(kv ...string) string {
	v := url.Values{}
	for k, vs := range q.values {
		if k != "cursor" {
			v[k] = vs
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	if len(v) == 0 {
		return q.base
	}
	return q.base + "?" + v.Encode()
}

// cellInZone shows a time in the reader's zone; other cells pass.
func cellInZone(v any, tz *time.Location) any {
	switch t := v.(type) {
	case time.Time:
		return t.In(tz)
	case *time.Time:
		if t != nil {
			return t.In(tz)
		}
	}
	return v
}

// dayString is a date cell of a YYYY-MM-DD string: empty for none, the
// text itself if it is not a date.
func dayString(s *string) any {
	if s == nil || *s == "" {
		return nil
	}
	t, err := liaison.ParseDate(*s)
	if err != nil {
		return *s
	}
	return sheet.Date(t)
}

// enumLabel is the translated label of an enumeration's value, empty for
// none.
func enumLabel[T ~string](l *i18n.Localizer, prefix string, v T) any {
	if v == "" {
		return nil
	}
	return l.T(prefix + string(v))
}

// yesNo is a yes or a no in the reader's language.
func yesNo(l *i18n.Localizer, b bool) string {
	if b {
		return l.T("common.yes")
	}
	return l.T("common.no")
}
