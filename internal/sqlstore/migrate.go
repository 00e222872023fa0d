package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrations are plain SQL files, one directory per engine, named
// NNNN_name.sql. They only ever move forward: a change is a new file.
//
//go:embed migrations
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the engine's embedded migrations in version order.
func migrations(engine string) ([]migration, error) {
	dir := path.Join("migrations", engine)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		num, name, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version number", e.Name())
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %d_%s and %d_%s share a version", ms[i].version, ms[i].name, ms[i-1].version, ms[i-1].name)
		}
	}
	return ms, nil
}

// Migrate applies every embedded migration the database lacks, each in its
// own transaction together with its schema_migrations row. On PostgreSQL a
// session advisory lock makes instances that start together take turns;
// on SQLite the IMMEDIATE transactions do, and each migration re-checks
// inside its transaction whether another process applied it meanwhile.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := migrations(db.dialect.name)
	if err != nil {
		return err
	}
	// One connection for the whole run: the advisory lock belongs to it.
	conn, err := db.wdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()

	if db.dialect.name == "postgres" {
		const key = `hashtext('liaison.migrate.' || current_schema())`
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		// Unlock even when ctx is done, or the lock lives as long as the pooled connection.
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+key+`)`)
	}
	if _, err := conn.ExecContext(ctx, db.schemaMigrationsDDL()); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := db.apply(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

// searchMigration is the version that brings the search index: its rows
// for the records already there are written in its transaction, by Go,
// since SQL cannot fold text as liaison.SearchText does.
const searchMigration = 25

// goSteps finish a migration in its transaction, after its SQL, where the
// rows it fills are derived by Go code.
var goSteps = map[int]func(*writeTx, context.Context) error{
	searchMigration: (*writeTx).rebuildSearch,
	29:              (*writeTx).fillTimelineCategories,
}

func (db *DB) schemaMigrationsDDL() string {
	at := "TEXT"
	if db.dialect.name == "postgres" {
		at = "TIMESTAMPTZ"
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ` + at + ` NOT NULL)`
}

func (db *DB) apply(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %d_%s: begin: %w", m.version, m.name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %d_%s: %w", m.version, m.name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate %d_%s: %w", m.version, m.name, err)
	}
	if step := goSteps[m.version]; step != nil {
		if err := step(&writeTx{Tx: tx, db: db, now: db.now()}, ctx); err != nil {
			return fmt.Errorf("migrate %d_%s: %w", m.version, m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, db.dialect.timeArg(db.now())); err != nil {
		return fmt.Errorf("migrate %d_%s: record: %w", m.version, m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %d_%s: commit: %w", m.version, m.name, err)
	}
	return nil
}

// Ping checks that the database answers and that every embedded migration
// has been applied (what /readyz reports).
func (db *DB) Ping(ctx context.Context) error {
	ms, err := migrations(db.dialect.name)
	if err != nil {
		return err
	}
	rows, err := db.rdb.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		if pingErr := db.rdb.PingContext(ctx); pingErr != nil {
			return fmt.Errorf("ping: %w", pingErr)
		}
		return fmt.Errorf("ping: the database schema is behind: not migrated (%w)", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("ping: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	var missing []string
	for _, m := range ms {
		if !applied[m.version] {
			missing = append(missing, fmt.Sprintf("%04d_%s", m.version, m.name))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("ping: the database schema is behind: migrations %s not applied", strings.Join(missing, ", "))
	}
	return nil
}
