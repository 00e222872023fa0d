package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// exportCase is one exporting list: its page (with filters), the first
// column's header by language, and how many rows it holds, counted through
// the service layer independently of the export. known, when set, is a
// cell of a row the test data puts in the list; formula, when set, is a
// free-text cell written to run as a formula, which the CSV must
// neutralise and the XLSX keep as plain text.
type exportCase struct {
	path    string
	header  map[liaison.Language]string
	count   func(ctx context.Context) (int, error)
	known   string
	formula string
	absent  string // text no cell may hold (a secret)
}

// hasCell reports whether a row (after the header) holds the cell v, and
// where: row and column indexes.
func hasCell(rows [][]string, v string) (int, int, bool) {
	for i, row := range rows {
		if i == 0 {
			continue
		}
		for j, cell := range row {
			if cell == v {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// countAll walks a list's pages and counts its rows.
func countAll[T any](ctx context.Context, page func(ctx context.Context, cursor string) ([]T, string, error)) (int, error) {
	n, cursor := 0, ""
	for {
		rows, next, err := page(ctx, cursor)
		if err != nil {
			return 0, err
		}
		n += len(rows)
		if next == "" {
			return n, nil
		}
		cursor = next
	}
}

// exportLinks are the CSV and XLSX links of a list's page: the export
// follows them, so that a link that lost a filter of the page is caught.
func exportLinks(t *testing.T, c *client, path string) (csvLink, xlsxLink string) {
	t.Helper()
	res, body := c.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", path, res.StatusCode)
	}
	for _, m := range regexp.MustCompile(`href="([^"]*format=(csv|xlsx)[^"]*)"`).FindAllStringSubmatch(body, -1) {
		if m[2] == "csv" && csvLink == "" {
			csvLink = html.UnescapeString(m[1])
		} else if m[2] == "xlsx" && xlsxLink == "" {
			xlsxLink = html.UnescapeString(m[1])
		}
	}
	if csvLink == "" || xlsxLink == "" {
		t.Fatalf("%s: no export links on the page", path)
	}
	return csvLink, xlsxLink
}

// TestListExports: each exporting list answers its every row (beyond the
// page shown), with its filters, as CSV in the reader's spreadsheet
// dialect and as XLSX, headers translated; text that would run as a
// formula is neutralised.
func TestListExports(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := adminCtx()
	// A complaint whose title would run as a formula in a spreadsheet.
	cs, _, err := e.app.Complaints(ctx, liaison.ComplaintFilter{Limit: 1})
	if err != nil || len(cs) == 0 {
		t.Fatalf("demo complaints: %v", err)
	}
	evil := liaison.Complaint{OrganisationID: cs[0].OrganisationID, ReporterPersonID: cs[0].ReporterPersonID, ReporterUserID: cs[0].ReporterUserID,
		Channel: liaison.ChannelEmail, Classification: liaison.ClassComplaint, Severity: liaison.SeverityLow,
		Title: `=HYPERLINK("http://evil.example","Click")`, Description: "A title that would run as a formula."}
	if err := e.app.CreateComplaint(ctx, &evil); err != nil {
		t.Fatal(err)
	}

	cases := []exportCase{
		{path: "/complaints", header: map[liaison.Language]string{liaison.English: "Title", liaison.Swedish: "Rubrik"}, count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Complaint, string, error) {
				return e.app.Complaints(ctx, liaison.ComplaintFilter{Cursor: c, Limit: 500})
			})
		}},
		{path: "/complaints?open=1", header: map[liaison.Language]string{liaison.English: "Title"}, count: func(ctx context.Context) (int, error) {
			return countAll(ctx, func(ctx context.Context, c string) ([]*liaison.Complaint, string, error) {
				return e.app.Complaints(ctx, liaison.ComplaintFilter{Open: liaison.Ptr(true), Cursor: c, Limit: 500})
			})
		}},
	}
	cases = append(cases, moreExportCases(e)...)
	cases = append(cases, listExportCases(t, e)...)

	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	for _, tc := range cases {
		want, err := tc.count(ctx)
		if err != nil {
			t.Fatalf("%s: count: %v", tc.path, err)
		}
		if want == 0 {
			t.Errorf("%s: the demo has no rows to export", tc.path)
		}
		c.setLanguage(liaison.English)
		csvLink, xlsxLink := exportLinks(t, c, tc.path)
		for lang, header := range tc.header {
			c.setLanguage(lang)
			res, body := c.get(csvLink)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("%s (%s): %d %q %q", tc.path, lang, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
				continue
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
			r.Comma = ','
			if lang == liaison.Swedish || lang == liaison.Finnish {
				r.Comma = ';'
			}
			recs, err := r.ReadAll()
			if err != nil {
				t.Errorf("%s (%s): CSV: %v", tc.path, lang, err)
				continue
			}
			if recs[0][0] != header {
				t.Errorf("%s (%s): first header %q, want %q", tc.path, lang, recs[0][0], header)
			}
			if len(recs)-1 != want {
				t.Errorf("%s (%s): %d rows, want %d", tc.path, lang, len(recs)-1, want)
			}
			for _, v := range []string{tc.known, "'" + tc.formula} {
				if _, _, ok := hasCell(recs, v); v != "" && v != "'" && !ok {
					t.Errorf("%s (%s): no cell %q in the CSV", tc.path, lang, v)
				}
			}
			if tc.absent != "" && strings.Contains(body, tc.absent) {
				t.Errorf("%s (%s): the CSV holds %q", tc.path, lang, tc.absent)
			}
			for _, rec := range recs[1:] {
				for _, cell := range rec {
					if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
						t.Errorf("%s (%s): cell %q would run as a formula", tc.path, lang, cell)
					}
				}
			}
		}
		c.setLanguage(liaison.English)
		res, body := c.get(xlsxLink)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("%s: xlsx %d %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Errorf("%s: xlsx: %v", tc.path, err)
			continue
		}
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows)-1 != want {
			t.Errorf("%s: xlsx has %d rows (%v), want %d", tc.path, len(rows)-1, err, want)
		}
		if h := tc.header[liaison.English]; len(rows) == 0 || len(rows[0]) == 0 || rows[0][0] != h {
			t.Errorf("%s: xlsx header %v, want %q first", tc.path, rows[:min(len(rows), 1)], h)
		}
		if _, _, ok := hasCell(rows, tc.known); tc.known != "" && !ok {
			t.Errorf("%s: no cell %q in the xlsx", tc.path, tc.known)
		}
		for _, row := range rows {
			for _, cell := range row {
				if tc.absent != "" && strings.Contains(cell, tc.absent) {
					t.Errorf("%s: the xlsx holds %q", tc.path, tc.absent)
				}
			}
		}
		if tc.formula != "" {
			// The formula's text is a plain text cell: no formula.
			i, j, ok := hasCell(rows, tc.formula)
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, err := f.GetCellFormula(sheet, cell); !ok || err != nil || fm != "" {
				t.Errorf("%s: the xlsx cell %q (%v) is a formula %q (%v)", tc.path, tc.formula, ok, fm, err)
			}
		}
		f.Close()
	}

	// The neutralised title is in the complaints' CSV, as text.
	_, body := c.get("/complaints?format=csv&q=HYPERLINK")
	if !strings.Contains(body, `"'=HYPERLINK(""http://evil.example"",""Click"")"`) {
		t.Errorf("the formula title is not neutralised:\n%s", body)
	}
}
