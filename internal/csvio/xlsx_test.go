package csvio_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/liaisonhq/liaison/internal/csvio"
)

func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDecodeXLSX: the first sheet's first non-empty row is the header
// (lower-cased), blank rows are skipped and line numbers are the sheet's.
func TestDecodeXLSX(t *testing.T) {
	data := workbook(t, [][]any{{}, {"Namn", "E-post", "Ålder"}, {"Åsa Öberg", "asa@x.se", 42}, {}, {"Pär", "par@x.se"}})
	tb, err := csvio.DecodeAny(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Header) != 3 || tb.Header[0] != "namn" || tb.Header[2] != "ålder" {
		t.Fatalf("header %q", tb.Header)
	}
	if len(tb.Rows) != 2 || tb.Rows[0].Line != 3 || tb.Get(tb.Rows[0], "namn") != "Åsa Öberg" || tb.Get(tb.Rows[0], "ålder") != "42" ||
		tb.Rows[1].Line != 5 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	if _, err := csvio.DecodeAny([]byte("PK\x03\x04garbage")); err == nil {
		t.Fatal("a broken workbook decoded")
	}
}

// FuzzDecodeAny: no file, CSV or (broken) XLSX, makes the import's reader panic.
func FuzzDecodeAny(f *testing.F) {
	f.Add(workbook(f, [][]any{{"name", "email"}, {"Åsa", "a@x.se"}}))
	f.Add([]byte("name;email\nÅsa;a@x.se\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := csvio.DecodeAny(data)
		if err == nil && tb.Header == nil {
			t.Fatal("decoded without a header")
		}
	})
}
