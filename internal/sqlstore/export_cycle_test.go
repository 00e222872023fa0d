package sqlstore

import (
	"context"
	"time"
)

// ExecForTest runs a write statement in a transaction of its own: tests
// use it for rows another capability owns (meetings, done actions) that
// this branch has no store method for. Times in args are bound as the
// engine stores them.
func ExecForTest(ctx context.Context, db *DB, query string, args ...any) error {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			args[i] = db.dialect.timeArg(t)
		}
	}
	return db.write(ctx, func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// QueryIntForTest answers a counting query.
func QueryIntForTest(ctx context.Context, db *DB, query string, args ...any) (int, error) {
	var n int
	err := db.rdb.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}
