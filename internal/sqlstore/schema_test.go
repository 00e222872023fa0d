package sqlstore_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestSchemaParity keeps the two migration dialects twins: after
// migrating, both engines have the same tables, columns and indexes.
func TestSchemaParity(t *testing.T) {
	sqlstoretest.Require(t, sqlstoretest.Postgres)
	lite, pg := sqlstoretest.Open(t, sqlstoretest.SQLite), sqlstoretest.Open(t, sqlstoretest.Postgres)
	liteCols, liteIdx, err := sqlstore.Schema(ctx, lite)
	ok(t, err)
	pgCols, pgIdx, err := sqlstore.Schema(ctx, pg)
	ok(t, err)
	if len(liteCols) < 50 || len(liteIdx) < 10 {
		t.Fatalf("suspiciously small schema: %d columns, %d indexes", len(liteCols), len(liteIdx))
	}
	// The search index is built by each engine its own way (0025_search.sql):
	// FTS5 tables and a rowid on SQLite, a tsvector column and its GIN
	// index on PostgreSQL; search_entries' other columns are twins.
	engineOwn := func(x string) bool {
		return strings.HasPrefix(x, "search_fts") || x == "search_entries.rid" || x == "search_entries.doc" || x == "search_entries_doc_idx"
	}
	diff := func(what string, a, b []string) {
		a, b = slices.DeleteFunc(slices.Clone(a), engineOwn), slices.DeleteFunc(slices.Clone(b), engineOwn)
		for _, x := range a {
			if !slices.Contains(b, x) {
				t.Errorf("%s %s: on SQLite only", what, x)
			}
		}
		for _, x := range b {
			if !slices.Contains(a, x) {
				t.Errorf("%s %s: on PostgreSQL only", what, x)
			}
		}
	}
	diff("column", liteCols, pgCols)
	diff("index", liteIdx, pgIdx)
}

// TestPingReportsSchemaBehind: a reachable but unmigrated database is not ready.
func TestPingReportsSchemaBehind(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db, err := sqlstore.Open(ctx, sqlstoretest.DSN(t, engine))
			ok(t, err)
			t.Cleanup(func() { db.Close() })
			err = db.Ping(ctx)
			if err == nil || !strings.Contains(err.Error(), "schema is behind") {
				t.Fatalf("Ping before Migrate = %v, want the schema is behind", err)
			}
			ok(t, db.Migrate(ctx))
			ok(t, db.Ping(ctx))
		})
	}
}

// TestMigrateConcurrently starts several instances on one database at once,
// as a rolling deploy does: every one must succeed, each migration once.
func TestMigrateConcurrently(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine)
			const n = 5
			dbs := make([]*sqlstore.DB, n)
			for i := range dbs {
				db, err := sqlstore.Open(ctx, dsn)
				ok(t, err)
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i, db := range dbs {
				wg.Go(func() { errs[i] = db.Migrate(ctx) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("instance %d: %v", i, err)
				}
			}
			ok(t, dbs[0].Ping(ctx))
			n2, err := sqlstore.AppliedMigrations(ctx, dbs[0])
			ok(t, err)
			files, err := os.ReadDir(filepath.Join("migrations", engine))
			ok(t, err)
			if n2 != len(files) {
				t.Fatalf("%d schema_migrations rows, want %d", n2, len(files))
			}
		})
	}
}

func TestOpenRejectsUnreachablePostgres(t *testing.T) {
	_, err := sqlstore.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("Open of an unreachable server succeeded")
	}
}
