package sheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/liaisonhq/liaison/internal/sheet"
)

var (
	header = []string{"Name", "Count", "Score", "Due", "Changed", "Note"}
	day    = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	at     = time.Date(2026, 12, 3, 14, 30, 0, 0, time.UTC)
	rows   = [][]any{
		{"Malmö stad", 3, 4.5, sheet.Date(day), at, "=HYPERLINK(\"http://evil\")"},
		{"+46 40 34 10 00", -2, 0.0, (*sheet.Date)(nil), nil, "@SUM(A1)"},
		{"Åbo; \"Turku\"", 0, -1.25, sheet.Date{}, time.Time{}, "-1+1"},
	}
)

func write(t *testing.T, w sheet.Writer) {
	t.Helper()
	if err := w.Header(header); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCSV(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		comma rune
		score string
	}{{"en", ',', "4.5"}, {"zh", ',', "4.5"}, {"sv", ';', "4,5"}, {"fi", ';', "4,5"}} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := sheet.NewCSV(&buf, sheet.DialectFor(tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			write(t, w)
			b, ok := bytes.CutPrefix(buf.Bytes(), []byte("\uFEFF"))
			if !ok {
				t.Fatal("no byte-order mark")
			}
			r := csv.NewReader(bytes.NewReader(b))
			r.Comma = tc.comma
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			want := [][]string{header,
				{"Malmö stad", "3", tc.score, "2026-12-03", "2026-12-03 14:30", `'=HYPERLINK("http://evil")`},
				{"'+46 40 34 10 00", "-2", "0", "", "", "'@SUM(A1)"},
				{`Åbo; "Turku"`, "0", strings.Replace("-1.25", ".", string(tc.score[1]), 1), "", "", "'-1+1"}}
			for i := range want {
				if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
					t.Errorf("row %d = %q, want %q", i, recs[i], want[i])
				}
			}
		})
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	w, err := sheet.NewXLSX(&buf, "Complaints: open/closed")
	if err != nil {
		t.Fatal(err)
	}
	write(t, w)
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := f.GetSheetName(0)
	if name != "Complaints- open-closed" {
		t.Errorf("sheet name %q", name)
	}
	got, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got[0], "|") != strings.Join(header, "|") || got[1][0] != "Malmö stad" || got[1][1] != "3" || got[1][2] != "4.5" {
		t.Errorf("rows = %q", got)
	}
	// Formula-like text is a text cell with no formula.
	for _, cell := range []string{"F2", "F3", "F4", "A3"} {
		if fm, _ := f.GetCellFormula(name, cell); fm != "" {
			t.Errorf("%s has formula %q", cell, fm)
		}
		if typ, _ := f.GetCellType(name, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want text", cell, typ)
		}
	}
	if v, _ := f.GetCellValue(name, "F2"); v != `=HYPERLINK("http://evil")` {
		t.Errorf("F2 = %q", v)
	}
	// Numbers are numbers, dates are dates a spreadsheet can compute with.
	for _, cell := range []string{"B2", "C2", "D2", "E2"} {
		if typ, _ := f.GetCellType(name, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s has type %v, want a number", cell, typ)
		}
	}
	if v, _ := f.GetCellValue(name, "D2"); v == "" || v == "2026-12-03T00:00:00Z" {
		t.Errorf("D2 (a date) = %q", v)
	}
	if v, _ := f.GetCellValue(name, "E2"); v != "2026-12-03 14:30" {
		t.Errorf("E2 (a time) = %q", v)
	}
	if v, _ := f.GetCellValue(name, "D3"); v != "" {
		t.Errorf("D3 (no date) = %q", v)
	}
	panes, err := f.GetPanes(name)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v", panes, err)
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{"": "", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b", "Malmö": "Malmö", "'quoted": "'quoted"} {
		if got := sheet.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}
