package sqlstore

import (
	"context"
	"time"
)

// ExecRaw runs a statement on the write pool, for tests that need rows of
// tables whose store methods live elsewhere (meetings, actions).
func ExecRaw(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.wdb.ExecContext(ctx, q, args...)
	return err
}

// TimeArg binds t as the engine stores times.
func TimeArg(db *DB, t time.Time) any { return db.dialect.timeArg(t) }
