package sqlstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// OpenSeeded returns a fresh database on engine holding what seed wrote
// into an empty, migrated one. seed runs once per test binary, engine and
// key; every call gets a copy of the result, its own to change and removed
// when t ends. Tests that each need the same large starting point (the
// demo data: seconds to load, more on PostgreSQL) pay for it once.
//
// The copy is a file copy on SQLite and CREATE DATABASE … TEMPLATE on
// PostgreSQL, so it is the whole database: rows, indexes, search index and
// counters. seed must not depend on the test that first asks for it.
// Call Main from the package's TestMain to drop the PostgreSQL templates
// when the binary ends; templates a killed binary left behind are dropped
// by the next one after a few hours.
func OpenSeeded(t testing.TB, engine, key string, seed func(context.Context, *sqlstore.DB) error) *sqlstore.DB {
	t.Helper()
	dsn := SeededDSN(t, engine, key, seed)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open the copy of the %s template %q: %v", engine, key, err)
	}
	t.Cleanup(func() { db.Close() }) // before the copy is removed
	dsns.Store(db, dsn)
	t.Cleanup(func() { dsns.Delete(db) })
	return db
}

// SeededDSN is OpenSeeded for code that opens the database itself (a
// server started as `liaison serve --db` would be): it returns the DSN of
// the copy, which is removed when t ends.
func SeededDSN(t testing.TB, engine, key string, seed func(context.Context, *sqlstore.DB) error) string {
	t.Helper()
	tpl := seeded(engine, key)
	tpl.once.Do(func() { tpl.build(seed) })
	if tpl.err != nil {
		if tpl.skip {
			t.Skip(tpl.err)
		}
		t.Fatalf("seed the %s template %q: %v", engine, key, tpl.err)
	}
	dsn, err := tpl.clone(t)
	if err != nil {
		t.Fatalf("copy the %s template %q: %v", engine, key, err)
	}
	return dsn
}

// Main runs the tests and then drops the PostgreSQL templates OpenSeeded
// made. Use it as the package's TestMain: func TestMain(m *testing.M) {
// sqlstoretest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	templates.Range(func(_, v any) bool {
		v.(*template).drop()
		return true
	})
	os.Exit(code)
}

// template is one seeded database that copies are made from.
type template struct {
	engine string
	once   sync.Once
	err    error
	skip   bool   // err is PostgreSQL being unreachable outside CI
	file   string // SQLite: the template's file
	dir    string // SQLite: the folder holding it
	name   string // PostgreSQL: the template database
}

var templates sync.Map // engine+"/"+key → *template

func seeded(engine, key string) *template {
	v, _ := templates.LoadOrStore(engine+"/"+key, &template{engine: engine})
	return v.(*template)
}

// templatePrefix names the PostgreSQL template databases; their comment
// holds the time they were made, for sweeping.
const templatePrefix = "liaison_tpl_"

// staleTemplate is how old a template must be before another test binary
// drops it as left behind.
const staleTemplate = 3 * time.Hour

func (tp *template) build(seed func(context.Context, *sqlstore.DB) error) {
	ctx := context.Background()
	var dsn string
	switch tp.engine {
	case SQLite:
		tp.dir, tp.err = os.MkdirTemp("", "liaison-template-")
		if tp.err != nil {
			return
		}
		tp.file = filepath.Join(tp.dir, "liaison.db")
		dsn = tp.file
	case Postgres:
		admin, rawURL, err := adminDB()
		if err != nil {
			tp.err = fmt.Errorf("PostgreSQL not reachable at %s (set %s): %v", redact(rawURL), EnvPostgres, err)
			tp.skip = os.Getenv("CI") != "true"
			return
		}
		sweepTemplates(ctx)
		tp.name = templatePrefix + randomHex()
		if _, tp.err = admin.ExecContext(ctx, "CREATE DATABASE "+tp.name); tp.err != nil {
			return
		}
		when := time.Now().UTC().Format(time.RFC3339)
		if _, tp.err = admin.ExecContext(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS '%s'", tp.name, when)); tp.err != nil {
			return
		}
		dsn, tp.err = databaseURL(rawURL, tp.name)
		if tp.err != nil {
			return
		}
	default:
		tp.err = fmt.Errorf("unknown engine %q", tp.engine)
		return
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		tp.err = err
		return
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		tp.err = fmt.Errorf("migrate: %w", err)
		return
	}
	if err := seed(ctx, db); err != nil {
		db.Close()
		tp.err = err
		return
	}
	// Closing the last connection checkpoints SQLite's WAL into the file
	// and leaves no session on the PostgreSQL template, which CREATE
	// DATABASE … TEMPLATE requires.
	tp.err = db.Close()
}

// clone makes a copy of the template for t and returns its DSN.
func (tp *template) clone(t testing.TB) (string, error) {
	switch tp.engine {
	case SQLite:
		dst := filepath.Join(t.TempDir(), "liaison.db")
		if err := copyFile(tp.file, dst); err != nil {
			return "", err
		}
		// Closing checkpoints the WAL; should a WAL remain all the same,
		// it holds committed rows the copy needs.
		if _, err := os.Stat(tp.file + "-wal"); err == nil {
			return dst, copyFile(tp.file+"-wal", dst+"-wal")
		}
		return dst, nil
	default:
		admin, rawURL, err := adminDB()
		if err != nil {
			return "", err
		}
		name := "t_" + randomHex()
		if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name+" TEMPLATE "+tp.name); err != nil {
			return "", err
		}
		t.Cleanup(func() {
			if _, err := admin.ExecContext(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
				t.Errorf("drop test database %s: %v", name, err)
			}
		})
		return databaseURL(rawURL, name)
	}
}

func (tp *template) drop() {
	switch {
	case tp.dir != "":
		os.RemoveAll(tp.dir)
	case tp.name != "":
		if admin, _, err := adminDB(); err == nil {
			admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+tp.name+" WITH (FORCE)")
		}
	}
}

// sweepTemplates drops the templates that binaries killed before Main ran
// left behind: those made more than staleTemplate ago.
func sweepTemplates(ctx context.Context) {
	admin, _, err := adminDB()
	if err != nil {
		return
	}
	rows, err := admin.QueryContext(ctx, `SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), '')
		FROM pg_database d WHERE d.datname LIKE $1`, templatePrefix+"%")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name, comment string
		if rows.Scan(&name, &comment) != nil {
			continue
		}
		if made, err := time.Parse(time.RFC3339, comment); err != nil || time.Since(made) > staleTemplate {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// databaseURL is rawURL naming database name instead of its own.
func databaseURL(rawURL, name string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", EnvPostgres, err)
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func randomHex() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
