package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/liaisonhq/liaison"
)

// BenchmarkFindOrganisationByID compares the API's hot path with a bare
// primary-key query on the same read pool (SPEC §6 asks for ≥ 0.5×).
func BenchmarkFindOrganisationByID(b *testing.B) {
	ctx := context.Background()
	db := openBenchDB(b)
	var ids []string
	var parent *string
	for i := range 2000 {
		o := &liaison.Organisation{Name: fmt.Sprint("Unit ", i), ParentID: parent, Description: "Some description"}
		if err := db.CreateOrganisation(ctx, o); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, o.ID)
		if i%10 == 0 {
			parent = &o.ID
		}
	}
	b.Run("store", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := db.FindOrganisationByID(ctx, ids[i%len(ids)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
	b.Run("bare", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				var id, name string
				if err := db.rdb.QueryRowContext(ctx, `SELECT id, name FROM organisations WHERE id = $1`, ids[i%len(ids)]).Scan(&id, &name); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
}

// openBenchDB opens a migrated SQLite database in b's temporary directory,
// closed when b ends.
func openBenchDB(b *testing.B) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}
