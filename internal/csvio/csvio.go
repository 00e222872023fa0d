// Package csvio reads the CSV files people export from spreadsheets: comma
// or semicolon separated (Nordic locales write semicolons), UTF-8 with or
// without a byte-order mark, or Windows-1252.
package csvio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// MaxRows caps the data rows of one file.
const MaxRows = 100000

// Table is a decoded file: the header's names (trimmed, lower case) and
// the data rows, each with its line number in the file.
type Table struct {
	Header []string
	Rows   []Row
	Comma  rune
}

// Row is one data row.
type Row struct {
	Line   int
	Fields []string
}

// Get returns the row's value of the named column ("" when absent).
func (t *Table) Get(r Row, name string) string {
	for i, h := range t.Header {
		if h == name && i < len(r.Fields) {
			return strings.TrimSpace(r.Fields[i])
		}
	}
	return ""
}

// Has reports whether the header names the column.
func (t *Table) Has(name string) bool {
	for _, h := range t.Header {
		if h == name {
			return true
		}
	}
	return false
}

// ToUTF8 returns data as UTF-8 without a byte-order mark: UTF-8 stays as
// it is, anything else is read as Windows-1252 (which maps every byte).
func ToUTF8(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return data
	}
	return out
}

// delimiter guesses the separator from the first line: the one of ';' and
// ',' that occurs more often outside quotes (a comma wins a tie).
func delimiter(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	in, commas, semis := false, 0, 0
	for _, c := range line {
		switch {
		case c == '"':
			in = !in
		case in:
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// Decode reads a CSV file with a header row. Empty lines are skipped.
func Decode(data []byte) (*Table, error) {
	data = ToUTF8(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty")
	}
	t := &Table{Comma: delimiter(data)}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = t.Comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("line %d: %v", pe.Line, pe.Err)
			}
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if t.Header == nil {
			for _, h := range rec {
				t.Header = append(t.Header, strings.ToLower(strings.TrimSpace(h)))
			}
			continue
		}
		blank := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		if len(t.Rows) >= MaxRows {
			return nil, fmt.Errorf("more than %d rows", MaxRows)
		}
		t.Rows = append(t.Rows, Row{Line: line, Fields: rec})
	}
	if t.Header == nil {
		return nil, errors.New("the file has no header row")
	}
	return t, nil
}

// ParseNumber reads a number as spreadsheets write it: a decimal comma or
// point, spaces (also no-break) as thousands separators, an optional % sign.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "%")
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if strings.Contains(s, ",") {
		if strings.Contains(s, ".") {
			s = strings.ReplaceAll(s, ",", "") // 1,234.5
		} else {
			s = strings.ReplaceAll(s, ",", ".") // 99,5
		}
	}
	if s == "" {
		return 0, errors.New("is empty")
	}
	f, err := strconv.ParseFloat(s, 64)
	// ParseFloat also reads "NaN", "Inf" and hexadecimal floats: no
	// spreadsheet writes those for a measured value.
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xXpP") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}
