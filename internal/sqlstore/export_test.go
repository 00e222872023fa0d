package sqlstore

import (
	"context"
	"fmt"
	"sort"
)

// Schema lists the database's tables with their columns ("table.column")
// and its indexes, sorted, for the schema-parity test. Indexes that back
// primary keys are left out: the engines name them differently.
func Schema(ctx context.Context, db *DB) (columns, indexes []string, err error) {
	var colQuery, idxQuery string
	switch db.dialect.name {
	case "sqlite":
		colQuery = `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
		idxQuery = `SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`
	case "postgres":
		colQuery = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
		idxQuery = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%\_pkey'`
	}
	rows, err := db.rdb.QueryContext(ctx, colQuery)
	if err != nil {
		return nil, nil, fmt.Errorf("list columns: %w", err)
	}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			rows.Close()
			return nil, nil, err
		}
		columns = append(columns, table+"."+column)
	}
	rows.Close()
	rows, err = db.rdb.QueryContext(ctx, idxQuery)
	if err != nil {
		return nil, nil, fmt.Errorf("list indexes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, nil, err
		}
		indexes = append(indexes, name)
	}
	sort.Strings(columns)
	sort.Strings(indexes)
	return columns, indexes, rows.Err()
}

// AppliedMigrations counts the rows of schema_migrations.
func AppliedMigrations(ctx context.Context, db *DB) (int, error) {
	var n int
	err := db.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	return n, err
}

// SetSearchBounds lowers the number of matches the search ranks by the
// engine and the number of a broad query's matches it looks at.
func (db *DB) SetSearchBounds(ranked, broad int) { db.searchBounds = [2]int{ranked, broad} }
