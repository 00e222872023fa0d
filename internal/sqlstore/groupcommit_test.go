package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestGroupCommit drives many concurrent writes through SQLite's batched
// write path: every write that succeeds is stored, every refused one
// (an error, a failing statement, a panic) leaves nothing and does not
// disturb the others in its batch, and writes given up while queued are
// not run.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.wdb.ExecContext(ctx, `CREATE TABLE g (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	const n = 400
	outcome := make([]error, n)
	panicked := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panicked[i] = recover() }()
			outcome[i] = db.write(ctx, func(tx *writeTx) error {
				// Two statements, so that a refusal after the first must
				// roll the first back.
				if _, err := tx.ExecContext(ctx, `INSERT INTO g (k, v) VALUES ($1, 'a')`, i); err != nil {
					return err
				}
				switch i % 10 {
				case 3:
					return refused
				case 5:
					_, err := tx.ExecContext(ctx, `INSERT INTO g (k, v) VALUES ($1, NULL)`, n+i) // NOT NULL fails
					return err
				case 7:
					panic(fmt.Sprintf("write %d panics", i))
				}
				_, err := tx.ExecContext(ctx, `UPDATE g SET v = 'b' WHERE k = $1`, i)
				return err
			})
		}()
	}
	wg.Wait()
	var stored int
	if err := db.wdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM g WHERE v = 'b' AND k < $1`, n).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var all int
	if err := db.wdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM g`).Scan(&all); err != nil {
		t.Fatal(err)
	}
	want := 0
	for i := range n {
		switch i % 10 {
		case 3:
			if !errors.Is(outcome[i], refused) {
				t.Errorf("write %d: %v, want refused", i, outcome[i])
			}
		case 5:
			if outcome[i] == nil {
				t.Errorf("write %d: the failing statement was not reported", i)
			}
		case 7:
			if panicked[i] != fmt.Sprintf("write %d panics", i) {
				t.Errorf("write %d: panic %v not raised in its goroutine", i, panicked[i])
			}
		default:
			want++
			if outcome[i] != nil {
				t.Errorf("write %d: %v", i, outcome[i])
			}
		}
	}
	if stored != want || all != want {
		t.Fatalf("%d rows (%d complete), want %d: a refused write left rows or a good one was lost", all, stored, want)
	}

	// A write whose caller has given up is not run.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := db.write(gone, func(tx *writeTx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled write: %v, ran %v", err, ran)
	}
}

// TestCloseTwice: closing a database twice is harmless (tests close one
// and their cleanup closes it again).
func TestCloseTwice(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db.Close()
}
