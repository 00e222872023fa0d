package csvio_test

import (
	"math"
	"testing"
	"unicode/utf8"

	"github.com/liaisonhq/liaison/internal/csvio"
)

// FuzzDecode feeds arbitrary files to the CSV reader of the imports and
// the numbers in them to ParseNumber. Whatever the bytes: no panic; a file
// that decodes has a header, rows in line order with valid UTF-8 text and
// at most MaxRows of them; a number that parses is finite.
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 1m ./internal/csvio
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"service;period;target;actual\nE-post;2026-03;99,9;99,5\n",
		"\xef\xbb\xbfservice,period,target,actual\n\"Nät, tal\",2026-03,\"99.9\",98.2%\n",
		"service;period\nL\xf6nesystem;2026-02\n", // Windows-1252
		"a;b\n\n;\n\"unterminated\n",
		"x\n1 234,5\n1,234.5\n\u00a012\u202f000\nNaN\nInf\n-0x1p-2\n1e999\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := csvio.Decode(data)
		if err != nil {
			return
		}
		if tab.Header == nil || len(tab.Rows) > csvio.MaxRows {
			t.Fatalf("header %q, %d rows", tab.Header, len(tab.Rows))
		}
		last := 0
		for _, r := range tab.Rows {
			if r.Line <= last {
				t.Fatalf("row on line %d after line %d", r.Line, last)
			}
			last = r.Line
			for i, fld := range r.Fields {
				if !utf8.ValidString(fld) {
					t.Fatalf("line %d field %d is not UTF-8: %q", r.Line, i, fld)
				}
				if n, err := csvio.ParseNumber(fld); err == nil && (math.IsNaN(n) || math.IsInf(n, 0)) {
					t.Fatalf("ParseNumber(%q) = %v", fld, n)
				}
			}
		}
	})
}
