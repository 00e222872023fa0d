package sqlstore

import (
	"context"
	"fmt"
)

// MigrateBelowForTest applies the migrations numbered below version, so
// that a test can write rows as an older schema held them and then see
// what a migration makes of them.
func MigrateBelowForTest(ctx context.Context, db *DB, version int) error {
	ms, err := migrations(db.dialect.name)
	if err != nil {
		return err
	}
	conn, err := db.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, db.schemaMigrationsDDL()); err != nil {
		return err
	}
	for _, m := range ms {
		if m.version >= version {
			break
		}
		if err := db.apply(ctx, conn, m); err != nil {
			return fmt.Errorf("below %d: %w", version, err)
		}
	}
	return nil
}
