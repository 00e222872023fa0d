package crash

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCrashDetectsDamage is the negative control of TestCrash: after two
// kills it damages the SQLite file as a faulty server or disk would (an
// acknowledged update undone, an audit entry gone, a dangling reference,
// an index out of step with its table) and expects the checks to name
// each fault.
func TestCrashDetectsDamage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the liaison command; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := LiaisonBinary(t)
	dsn := filepath.Join(t.TempDir(), "liaison.db")
	h, err := newHarness(Config{Binary: bin, DB: dsn, Kills: 3, Writers: 4, MinUp: 150 * time.Millisecond, MaxUp: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.setup(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if err := h.cycle(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	if h.rep.Failed() {
		t.Fatalf("problems before any damage:\n%s", h.rep)
	}

	// One live record of each kind the damage needs.
	pick := func(k kind) *record {
		for _, w := range h.ws {
			if len(w.byKind[k]) > 0 {
				return w.byKind[k][0]
			}
		}
		t.Fatalf("no live %s after 3 server lives:\n%s", kinds[k].name, h.rep)
		return nil
	}
	person, role, unit := pick(personKind), pick(roleKind), pick(unitKind)

	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		// An acknowledged write undone, version kept.
		{`UPDATE people SET title = 'not what was acknowledged' WHERE id = $1`, []any{person.id}},
		// The create of a unit no longer audited.
		{`DELETE FROM audit_entries WHERE subject_id = $1 AND action = 'create'`, []any{unit.id}},
		// A role pointing at nobody, foreign keys off as a broken writer would have them.
		{`PRAGMA foreign_keys = OFF`, nil},
		{`UPDATE contact_roles SET person_id = 'nobody' WHERE id = $1`, []any{role.id}},
		// An index that no longer matches its table: redefine it in the schema.
		{`PRAGMA writable_schema = ON`, nil},
		{`UPDATE sqlite_schema SET sql = replace(sql, 'people (name, id)', 'people (title, id)') WHERE name = 'people_name_idx'`, nil},
		{`PRAGMA writable_schema = OFF`, nil},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	db.Close()

	before := h.rep.ProblemCount
	if _, err := h.verify(ctx, false); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(h.rep.Problems, "\n")
	t.Logf("%d problems found:\n%s", h.rep.ProblemCount-before, got)
	for _, want := range []string{
		"LOST: person " + person.id,
		"AUDIT MISSING: unit " + unit.id,
		"ORPHAN: role " + role.id + " names person nobody",
		"PRAGMA foreign_key_check",
		"CORRUPT: PRAGMA integrity_check",
		"people_name_idx",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checks did not report %q", want)
		}
	}
	if h.rep.Lost < 2 || h.rep.AuditMissing != 1 {
		t.Errorf("Lost = %d, AuditMissing = %d; want ≥ 2 (the person, the role) and 1", h.rep.Lost, h.rep.AuditMissing)
	}
	if h.rep.Checks[checkSQLite] != 3 || h.rep.Checks[checkAcked] != 3 {
		t.Errorf("checks counted as passed after the damage: %v", h.rep.Checks)
	}
}
