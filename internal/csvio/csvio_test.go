package csvio

import (
	"reflect"
	"testing"
)

func TestDecode(t *testing.T) {
	want := [][]string{{"Mail", "99,5"}, {"Skrivare Malmö", "98"}}
	for _, tc := range []struct {
		name  string
		data  string
		comma rune
	}{
		{"comma utf-8", "Service,Actual\nMail,\"99,5\"\nSkrivare Malmö,98\n", ','},
		{"semicolon with BOM and CRLF", "\xef\xbb\xbfService;Actual\r\nMail;99,5\r\n\r\nSkrivare Malmö;98\r\n", ';'},
		{"windows-1252", "Service;Actual\nMail;99,5\nSkrivare Malm\xf6;98", ';'},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := Decode([]byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if tb.Comma != tc.comma || !reflect.DeepEqual(tb.Header, []string{"service", "actual"}) {
				t.Fatalf("comma %q header %q", tb.Comma, tb.Header)
			}
			var got [][]string
			for _, r := range tb.Rows {
				got = append(got, r.Fields)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("rows %q", got)
			}
			if tb.Get(tb.Rows[1], "service") != "Skrivare Malmö" {
				t.Fatal("Get")
			}
		})
	}
	if _, err := Decode([]byte("   ")); err == nil {
		t.Fatal("empty file accepted")
	}
	if _, err := Decode([]byte("a,b\n\"open,1\n")); err == nil {
		t.Fatal("broken quote accepted")
	}
	tb, _ := Decode([]byte("a;b\nx;1\ny;2\n"))
	if tb.Rows[1].Line != 3 {
		t.Fatalf("line = %d", tb.Rows[1].Line)
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{"99,5": 99.5, "99.5": 99.5, " 1 234,5 ": 1234.5, "1,234.5": 1234.5, "99.9 %": 99.9, "1\u00a0000": 1000, "30": 30} {
		got, err := ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "abc", "1,2,3.4.5", "NaN", "-Inf", "infinity", "1e999", "0x1p-2"} {
		if _, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) accepted", in)
		}
	}
}
