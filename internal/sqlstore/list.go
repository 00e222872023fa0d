package sqlstore

import (
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liaisonhq/liaison"
)

// Page sizes of every list (the Store contract).
const (
	defaultLimit = 50
	maxLimit     = 500
)

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// sortOrder is a list order: a column, a direction and whether it holds
// times (which bind differently per engine). Ties break on id, so the
// order is total and keyset pagination never skips or repeats a row.
type sortOrder struct {
	key    string // as the client wrote it, e.g. "-name"
	column string
	desc   bool
	time   bool
}

// sortKeys are the orders a list accepts via its Sort field.
var sortKeys = []string{"name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"}

func parseSort(s string) (sortOrder, error) {
	if s == "" {
		s = "name"
	}
	for _, k := range sortKeys {
		if s == k {
			col, desc := strings.CutPrefix(k, "-")
			return sortOrder{key: k, column: col, desc: desc, time: col != "name"}, nil
		}
	}
	return sortOrder{}, &liaison.Error{Code: liaison.EBADREQUEST,
		Message: "unknown sort " + strconv.Quote(s) + ": use one of " + strings.Join(sortKeys, ", "),
		Key:     "error.sort_unknown", Args: []any{s, strings.Join(sortKeys, ", ")}}
}

// Fixed orders of lists without a Sort field.
var (
	byCreated = sortOrder{key: "created_at", column: "created_at", time: true}
	newest    = sortOrder{key: "-at", column: "at", desc: true, time: true}
)

// cursor is where the next page starts: the last row's sort value and id.
// It travels as base64url JSON; clients treat it as opaque.
type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    string `json:"id"`
}

func badCursor() error {
	return &liaison.Error{Code: liaison.EBADREQUEST, Message: "invalid cursor: pass next_cursor from the previous page unchanged", Key: "error.cursor_invalid"}
}

// decodeCursor reads a client's cursor for order s; nil for the first page.
func decodeCursor(raw string, s sortOrder) (*cursor, error) {
	if raw == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, badCursor()
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" || c.Sort != s.key ||
		strings.ContainsRune(c.Value+c.ID, 0) || !utf8.ValidString(c.Value+c.ID) {
		// A cursor made for another order would silently skip rows; NUL
		// and invalid UTF-8 are text PostgreSQL refuses to compare.
		return nil, badCursor()
	}
	if s.time {
		if _, err := time.Parse(time.RFC3339Nano, c.Value); err != nil {
			return nil, badCursor()
		}
	}
	return &c, nil
}

func encodeCursor(s sortOrder, value, id string) string {
	b, _ := json.Marshal(cursor{Sort: s.key, Value: value, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// timeKey is how a time travels in a cursor.
func timeKey(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// query builds a SELECT with numbered arguments.
type query struct {
	d     dialect
	args  []any
	where []string
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *query) and(cond string) { q.where = append(q.where, cond) }

// list returns the placeholders of vs, comma-separated, for IN (…).
func (q *query) list(vs []string) string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = q.arg(v)
	}
	return strings.Join(ps, ", ")
}

// search adds the q filter: every term of text must begin a word of column.
// Terms hold only letters and digits (liaison.SearchTerms), so they need no
// escaping in a LIKE pattern.
func (q *query) search(column, text string) {
	for _, term := range liaison.SearchTerms(text) {
		q.and("(' ' || " + column + ") LIKE " + q.arg("% "+term+"%"))
	}
}

// whereClause returns " WHERE a AND b", or "" without conditions.
func (q *query) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// page adds the keyset condition of c and returns the ORDER BY and LIMIT
// clause. It asks for one row more than limit to learn whether a next
// page exists.
func (q *query) page(alias string, s sortOrder, c *cursor, limit int) string {
	col, id := alias+"."+s.column, alias+".id"
	dir, cmp := "", ">"
	if s.desc {
		dir, cmp = " DESC", "<"
	}
	if c != nil {
		var v any = c.Value
		if s.time {
			t, _ := time.Parse(time.RFC3339Nano, c.Value) // checked by decodeCursor
			v = q.d.timeArg(t)
		}
		q.and("(" + col + ", " + id + ") " + cmp + " (" + q.arg(v) + ", " + q.arg(c.ID) + ")")
	}
	// LIMIT is bound, not formatted, so that the SQL text (and the
	// prepared statement) is the same whatever the page size.
	return " ORDER BY " + col + dir + ", " + id + dir + " LIMIT " + q.arg(limit+1)
}

// nextPage trims the extra row page asked for and returns the cursor of
// the next page, "" on the last. key gives a row's sort value and id.
func nextPage[T any](items []T, limit int, s sortOrder, key func(T) (string, string)) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	v, id := key(items[limit-1])
	return items, encodeCursor(s, v, id)
}

// sortValue returns the value of the common sort columns.
func sortValue(s sortOrder, name string, created, updated time.Time) string {
	switch s.column {
	case "created_at":
		return timeKey(created)
	case "updated_at":
		return timeKey(updated)
	}
	return name
}

// collectRows scans every row with scan and closes rows.
func collectRows[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
