package sqlstore

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
)

// TestSQLitePragmas checks that every connection of both pools got the
// DSN's pragmas, not just the first one.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Engine() != "sqlite" || db.wdb.Stats().MaxOpenConnections != 1 || db.rdb.Stats().MaxOpenConnections < 4 {
		t.Fatalf("engine %s, write pool %d, read pool %d", db.Engine(), db.wdb.Stats().MaxOpenConnections, db.rdb.Stats().MaxOpenConnections)
	}
	want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000", "synchronous": "1"}
	check := func(pool string, q queryer, queryOnly string) {
		// Hold several read connections at once so that new ones are opened.
		for k, v := range want {
			var got string
			if err := q.QueryRowContext(ctx, "PRAGMA "+k).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != v {
				t.Errorf("%s pool: %s = %s, want %s", pool, k, got, v)
			}
		}
		var got string
		if err := q.QueryRowContext(ctx, "PRAGMA query_only").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != queryOnly {
			t.Errorf("%s pool: query_only = %s, want %s", pool, got, queryOnly)
		}
	}
	check("write", db.wdb, "0")
	var conns []interface{ Close() error }
	for range 3 {
		c, err := db.rdb.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		check("read", c, "1")
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestSQLiteInMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	o := &liaison.Organisation{Name: "In memory"}
	if err := db.CreateOrganisation(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindOrganisationByID(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
}

func TestNewID(t *testing.T) {
	valid := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{16}$`)
	seen := map[string]bool{}
	prev := ""
	for i := range 2000 {
		id := newID()
		if !valid.MatchString(id) {
			t.Fatalf("id %q is not 16 lower-case base32 characters", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
		if i%500 == 0 {
			// Ids made in later milliseconds sort after earlier ones.
			time.Sleep(2 * time.Millisecond)
			id2 := newID()
			if prev != "" && id2 <= prev {
				t.Fatalf("id %q made later sorts before %q", id2, prev)
			}
			prev = id2
		}
	}
}

// TestSQLiteTimeSortsAsText is why SQLite stores times as fixed-width
// text: string order must be time order, whatever the fraction.
func TestSQLiteTimeSortsAsText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ts []time.Time
	for range 5000 {
		d := time.Duration(r.Int64N(int64(3*time.Second))) / time.Microsecond * time.Microsecond
		if r.IntN(3) == 0 {
			d = d / time.Second * time.Second // whole seconds: no fraction at all
		}
		ts = append(ts, base.Add(d).In(time.FixedZone("z", (r.IntN(25)-12)*3600)))
	}
	texts := make([]string, len(ts))
	for i, x := range ts {
		texts[i] = sqliteTime(x)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	sort.Strings(texts)
	for i := range ts {
		var back time.Time
		if err := (timeCol{&back}).Scan(texts[i]); err != nil {
			t.Fatal(err)
		}
		if !back.Equal(ts[i]) || back.Location() != time.UTC {
			t.Fatalf("position %d: text %s scans to %v, want %v in UTC", i, texts[i], back, ts[i])
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	s, err := parseSort("-updated_at")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 123456000, time.UTC)
	raw := encodeCursor(s, timeKey(now), "abc")
	c, err := decodeCursor(raw, s)
	if err != nil || c.ID != "abc" || c.Value != timeKey(now) {
		t.Fatalf("decoded %+v, %v", c, err)
	}
	if _, err := decodeCursor(raw, sortOrder{key: "name", column: "name"}); liaison.ErrorCode(err) != liaison.EBADREQUEST {
		t.Fatalf("cursor of another order: %v", err)
	}
}
