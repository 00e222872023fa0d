package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// IsXLSX reports whether data is an XLSX workbook (a ZIP archive).
func IsXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// DecodeAny reads a CSV file or, when data is a ZIP archive, the first
// sheet of an XLSX workbook, into a table with a header row.
func DecodeAny(data []byte) (*Table, error) {
	if IsXLSX(data) {
		return DecodeXLSX(data)
	}
	return Decode(data)
}

// DecodeXLSX reads the first sheet of an XLSX workbook: its first
// non-empty row is the header. Cells are read as they are shown (a number
// keeps the sheet's format), which is what a person typed. Line numbers
// are the sheet's row numbers.
func DecodeXLSX(data []byte) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a readable XLSX workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %v", sheets[0], err)
	}
	defer rows.Close()
	t := &Table{}
	line := 0
	for rows.Next() {
		line++
		rec, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("row %d: %v", line, err)
		}
		blank := true
		for _, c := range rec {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		if t.Header == nil {
			for _, h := range rec {
				t.Header = append(t.Header, strings.ToLower(strings.TrimSpace(h)))
			}
			continue
		}
		if len(t.Rows) >= MaxRows {
			return nil, fmt.Errorf("more than %d rows", MaxRows)
		}
		t.Rows = append(t.Rows, Row{Line: line, Fields: rec})
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	if t.Header == nil {
		return nil, errors.New("the file has no header row")
	}
	return t, nil
}
