package sqlstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds the few things that differ between the engines. Everything
// else is shared SQL with $N placeholders, which modernc binds by number
// like PostgreSQL does.
type dialect struct {
	name string // "sqlite" or "postgres"

	// timeArg is how a timestamp is bound: PostgreSQL stores timestamptz;
	// SQLite has no time type, so we store fixed-width UTC text (see
	// sqliteTime), which compares and sorts in time order.
	timeArg func(time.Time) any

	// forUpdate and forShare lock the rows a write reads before it decides,
	// so that two PostgreSQL transactions cannot both pass a check (a
	// customer may be named only on a budget holder, say) and then write.
	// SQLite needs none: its single writer connection with BEGIN IMMEDIATE
	// already runs one write transaction at a time.
	forUpdate, forShare string

	// lockTree serialises the writes that change the organisation tree's
	// shape (create, move, trash, restore). Row locks cannot do it: a move
	// rewrites the paths of descendants that a concurrent create may be
	// adding. The key includes the schema so isolated test schemas do not
	// wait for each other.
	lockTree string
}

var sqliteDialect = dialect{
	name:    "sqlite",
	timeArg: func(t time.Time) any { return sqliteTime(t) },
}

var postgresDialect = dialect{
	name:      "postgres",
	timeArg:   func(t time.Time) any { return t.UTC().Truncate(time.Microsecond) },
	forUpdate: " FOR UPDATE",
	forShare:  " FOR SHARE",
	lockTree:  `SELECT pg_advisory_xact_lock(hashtext('liaison.organisations.' || current_schema()))`,
}

// sqliteTimeLayout is how SQLite stores times: always UTC, always six
// fractional digits, so text order is time order (a layout that trims
// trailing zeros, as Go's RFC 3339 does, would not sort). Microseconds
// match PostgreSQL's precision, so both engines answer the same values.
const sqliteTimeLayout = "2006-01-02T15:04:05.000000Z"

func sqliteTime(t time.Time) string { return t.UTC().Format(sqliteTimeLayout) }

// timeCol scans a timestamp from either engine (timestamptz or our text)
// into t, in UTC.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.t = v.UTC()
		return nil
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	}
	return fmt.Errorf("scan time: unsupported %T", src)
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(sqliteTimeLayout, s)
	if err != nil {
		// Tolerate other RFC 3339 forms, e.g. rows written by hand.
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return fmt.Errorf("scan time %q: %w", s, err)
		}
	}
	*c.t = t.UTC()
	return nil
}

// nullTimeCol scans a nullable timestamp into *t (nil for NULL).
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

// violation is the kind of constraint a driver error reports.
type violation int

const (
	noViolation violation = iota
	uniqueViolation
	foreignKeyViolation
)

// violationOf is the one place that reads driver error codes: modernc's
// extended result codes and PostgreSQL's SQLSTATE, never message text.
func violationOf(err error) violation {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		}
		return noViolation
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		}
	}
	return noViolation
}
