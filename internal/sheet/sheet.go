// Package sheet writes a list as a spreadsheet file, CSV or XLSX, one row
// at a time, so that an export of many rows streams instead of being held
// in memory.
//
// Cells are typed: text (string), numbers (int, int64, float64), dates
// (Date: a day, no time of day), times (time.Time) and empty (nil or a
// nil pointer). Text that a spreadsheet would run as a formula (it begins
// with =, +, -, @, a tab or a carriage return) is neutralised: in CSV it
// gets a leading apostrophe, as OWASP advises; in XLSX it is stored as a
// text cell, which a spreadsheet never evaluates.
package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Date is a day without a time of day (an agreement's end, a due date).
type Date time.Time

// Writer writes one sheet: the header, then the rows.
type Writer interface {
	Header(names []string) error
	Row(cells []any) error
	// Close finishes the file; nothing is complete before it returns.
	Close() error
}

// Neutralise returns s made safe to open in a spreadsheet as text: a
// value beginning with a character that starts a formula (or DDE) gets a
// leading apostrophe.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Dialect is how a CSV file is written for its reader's spreadsheet.
type Dialect struct {
	Comma        rune // ',' or ';'
	DecimalComma bool // 3,5 instead of 3.5
}

// DialectFor returns the dialect spreadsheets expect in a language's
// locale: Swedish and Finnish Excel read semicolons and decimal commas,
// English and Chinese commas and decimal points.
func DialectFor(lang string) Dialect {
	switch lang {
	case "sv", "fi":
		return Dialect{Comma: ';', DecimalComma: true}
	}
	return Dialect{Comma: ','}
}

// NewCSV returns a CSV writer: UTF-8 with a byte-order mark (so that Excel
// reads the letters right), CRLF line ends, dates as YYYY-MM-DD and times
// as YYYY-MM-DD HH:MM in the zone they carry.
func NewCSV(w io.Writer, d Dialect) (Writer, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	c := csv.NewWriter(w)
	c.Comma, c.UseCRLF = d.Comma, true
	return &csvWriter{w: c, d: d}, nil
}

type csvWriter struct {
	w   *csv.Writer
	d   Dialect
	buf []string
}

func (c *csvWriter) Header(names []string) error {
	return c.Row(anys(names))
}

func (c *csvWriter) Row(cells []any) error {
	c.buf = c.buf[:0]
	for _, v := range cells {
		c.buf = append(c.buf, c.text(v))
	}
	return c.w.Write(c.buf)
}

func anys(names []string) []any {
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = n
	}
	return cells
}

func (c *csvWriter) text(v any) string {
	switch v := deref(v).(type) {
	case nil:
		return ""
	case string:
		// Only text is neutralised: a negative number stays a number.
		return Neutralise(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if c.d.DecimalComma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case bool:
		return strconv.FormatBool(v)
	case Date:
		if time.Time(v).IsZero() {
			return ""
		}
		return time.Time(v).Format(time.DateOnly)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.Format("2006-01-02 15:04")
	default:
		return fmt.Sprint(v)
	}
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// NewXLSX returns an XLSX writer of one sheet named name: a bold, frozen
// header row with filters, numbers as numbers, dates and times as dates
// a spreadsheet can sort and compute with.
func NewXLSX(w io.Writer, name string) (Writer, error) {
	f := excelize.NewFile()
	if name == "" {
		name = "Sheet1"
	}
	name = sheetName(name)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	x := &xlsxWriter{f: f, sw: sw, out: w, name: name}
	if x.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if x.date, err = f.NewStyle(&excelize.Style{NumFmt: 14}); err != nil { // the reader's short date
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	datetime := "yyyy-mm-dd hh:mm"
	if x.time, err = f.NewStyle(&excelize.Style{CustomNumFmt: &datetime}); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return x, nil
}

// sheetName makes name a valid sheet name: at most 31 characters, none of : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

type xlsxWriter struct {
	f                *excelize.File
	sw               *excelize.StreamWriter
	out              io.Writer
	name             string
	row, cols        int
	bold, date, time int
}

func (x *xlsxWriter) Header(names []string) error {
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = excelize.Cell{StyleID: x.bold, Value: n}
	}
	x.cols = len(names)
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return x.write(cells)
}

func (x *xlsxWriter) Row(cells []any) error {
	out := make([]any, len(cells))
	for i, v := range cells {
		switch v := deref(v).(type) {
		case nil:
			out[i] = nil
		case string:
			// A string cell is text: the spreadsheet shows it, never runs it.
			out[i] = excelize.Cell{Value: v}
		case Date:
			if !time.Time(v).IsZero() {
				out[i] = excelize.Cell{StyleID: x.date, Value: time.Time(v)}
			}
		case time.Time:
			if !v.IsZero() {
				out[i] = excelize.Cell{StyleID: x.time, Value: v}
			}
		default:
			out[i] = v
		}
	}
	return x.write(out)
}

func (x *xlsxWriter) write(cells []any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	if err := x.sw.SetRow(cell, cells); err != nil {
		return fmt.Errorf("xlsx: row %d: %w", x.row, err)
	}
	return nil
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if x.cols > 0 && x.row > 0 {
		last, err := excelize.CoordinatesToCellName(x.cols, x.row)
		if err != nil {
			return err
		}
		if err := x.f.AutoFilter(x.name, "A1:"+last, nil); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if _, err := x.f.WriteTo(x.out); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// deref turns a pointer cell into its value, nil for a nil pointer.
func deref(v any) any {
	switch p := v.(type) {
	case *string:
		if p == nil {
			return nil
		}
		return *p
	case *int:
		if p == nil {
			return nil
		}
		return *p
	case *float64:
		if p == nil {
			return nil
		}
		return *p
	case *time.Time:
		if p == nil {
			return nil
		}
		return *p
	case *Date:
		if p == nil {
			return nil
		}
		return *p
	}
	return v
}
