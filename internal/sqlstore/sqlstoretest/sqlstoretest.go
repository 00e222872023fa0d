// Package sqlstoretest gives tests isolated, migrated Liaison databases on
// every engine, so that any package (store, API, web, CLI) runs its tests
// on SQLite and PostgreSQL alike.
//
// Typical use, one subtest per engine:
//
//	func TestSomething(t *testing.T) {
//		sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
//			// db is fresh, migrated, and removed when t ends.
//		})
//	}
//
// or by hand:
//
//	for _, engine := range sqlstoretest.Engines() {
//		t.Run(engine, func(t *testing.T) {
//			db := sqlstoretest.Open(t, engine)
//			…
//		})
//	}
//
// Benchmarks and tests that want one line instead of a skip per subtest
// call Require(t, engine) first; DSN(t, engine) gives an empty database's
// DSN for code that opens it itself (a CLI test passing --db).
//
// SQLite databases are files in t.TempDir(). On PostgreSQL (the server
// named by LIAISON_TEST_PG, default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable) Open's database
// is a database of its own, copied from a migrated template (see
// OpenSeeded), and DSN's an empty schema of its own (CREATE SCHEMA
// t_<random>, reached through search_path in the DSN); both are dropped
// when the test ends. Packages that open databases call Main from their
// TestMain, which drops the templates. When that server cannot be reached the PostgreSQL
// tests skip, with a one-line reason, unless CI=true, where they fail:
// CI must never pass by skipping an engine.
package sqlstoretest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// Engine names, as (*sqlstore.DB).Engine reports them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// EnvPostgres names the environment variable with the PostgreSQL URL.
const EnvPostgres = "LIAISON_TEST_PG"

// DefaultPostgres is the PostgreSQL URL used when EnvPostgres is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Engines lists the engines tests run on.
func Engines() []string { return []string{SQLite, Postgres} }

// Run runs fn as one subtest per engine, each with a fresh migrated
// database.
func Run(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) { fn(t, Open(t, engine)) })
	}
}

// Open returns a fresh, migrated database on engine that is closed and
// removed when t ends.
func Open(t testing.TB, engine string) *sqlstore.DB {
	t.Helper()
	dsn := migratedDSN(t, engine)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s test database: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() }) // runs before DSN's cleanup drops the schema
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s test database: %v", engine, err)
	}
	dsns.Store(db, dsn)
	t.Cleanup(func() { dsns.Delete(db) })
	return db
}

// migratedDSN is the DSN of a fresh copy of a migrated, empty database:
// copying one is faster than migrating, on PostgreSQL by half.
func migratedDSN(t testing.TB, engine string) string {
	t.Helper()
	return SeededDSN(t, engine, "migrated", func(context.Context, *sqlstore.DB) error { return nil })
}

// dsns remembers the DSN of each database Open made, for Raw.
var dsns sync.Map

// Raw opens a plain database/sql connection to a database Open made, for
// tests that write rows of a table whose store methods another capability
// owns (a report reads meetings; the meetings store writes them). It is
// closed when t ends.
func Raw(t testing.TB, db *sqlstore.DB) *sql.DB {
	t.Helper()
	dsn, ok := dsns.Load(db)
	if !ok {
		t.Fatal("sqlstoretest.Raw: the database was not made by Open")
	}
	driver := "sqlite"
	if db.Engine() == Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn.(string))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// DSN returns the DSN of a fresh, empty (not migrated) database on engine,
// for tests that open it themselves (a CLI given --db, say). It is removed
// when t ends; close what you opened on it before that, with t.Cleanup.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case SQLite:
		return filepath.Join(t.TempDir(), "liaison.db")
	case Postgres:
		return postgresSchema(t)
	}
	t.Fatalf("sqlstoretest: unknown engine %q", engine)
	return ""
}

// admin is the connection that creates and drops test schemas; it is made
// once per test binary and shared by every test.
var admin struct {
	once sync.Once
	url  string
	db   *sql.DB
	err  error
}

func adminDB() (*sql.DB, string, error) {
	admin.once.Do(func() {
		admin.url = os.Getenv(EnvPostgres)
		if admin.url == "" {
			admin.url = DefaultPostgres
		}
		admin.db, admin.err = sql.Open("pgx", admin.url)
		if admin.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		admin.err = admin.db.PingContext(ctx)
	})
	return admin.db, admin.url, admin.err
}

func postgresSchema(t testing.TB) string {
	t.Helper()
	db, rawURL, err := adminDB()
	if err != nil {
		msg := fmt.Sprintf("PostgreSQL not reachable at %s (set %s): %v", redact(rawURL), EnvPostgres, err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	schema := "t_" + randomHex()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// redact hides a password in a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Require skips (or, with CI=true, fails) t when engine cannot be used:
// one line for a whole test instead of one per subtest.
func Require(t testing.TB, engine string) {
	t.Helper()
	if engine == Postgres {
		postgresSchema(t) // skips or fails when unreachable; the schema is dropped at the end
	}
}

// OpenRaw is Open plus a plain database/sql connection to the same
// database, for rows a test writes by hand: those of a capability whose
// store methods live on another branch, say. Use $N placeholders and the
// store's time layout (UTC, "2006-01-02T15:04:05.000000Z" on SQLite).
func OpenRaw(t testing.TB, engine string) (*sqlstore.DB, *sql.DB) {
	t.Helper()
	dsn := migratedDSN(t, engine)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s test database: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s test database: %v", engine, err)
	}
	driver, rawDSN := "pgx", dsn
	if engine == SQLite {
		driver, rawDSN = "sqlite", dsn+"?_pragma=busy_timeout(10000)"
	}
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		t.Fatalf("open raw %s connection: %v", engine, err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, raw
}

// HeldReview stores a held service review with the account on the day
// (09:00 UTC, an hour long), as a review recorded after the fact would be.
func HeldReview(ctx context.Context, t testing.TB, s interface {
	CreateMeeting(context.Context, *liaison.Meeting) error
}, organisationID, title string, on time.Time) *liaison.Meeting {
	t.Helper()
	starts := liaison.DateOf(on).Add(9 * time.Hour)
	m := &liaison.Meeting{OrganisationID: organisationID, Type: liaison.MeetingServiceReview, Form: liaison.FormInPerson,
		Title: title, StartsAt: starts, EndsAt: starts.Add(time.Hour), Status: liaison.MeetingHeld}
	if err := s.CreateMeeting(ctx, m); err != nil {
		t.Fatalf("held review %q: %v", title, err)
	}
	return m
}
