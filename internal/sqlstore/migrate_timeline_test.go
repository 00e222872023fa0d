package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestTimelineMigrationBackfills: migration 0021 gives the entries written
// before it their account by the tree (nested accounts, units with none
// above them, entries outside the tree), and turns the named survey
// responses recorded as campaign changes into responses received.
func TestTimelineMigrationBackfills(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := migratedBelow(t, engine, 21)

			const at = "2026-01-02T03:04:05.000000Z"
			units := []struct {
				id, parent, path string
				holder           bool
			}{
				{"top", "", "/top/", false},
				{"acc", "top", "/top/acc/", true},
				{"dept", "acc", "/top/acc/dept/", false},
				{"inner", "dept", "/top/acc/dept/inner/", true},
				{"leaf", "inner", "/top/acc/dept/inner/leaf/", false},
			}
			for _, u := range units {
				var parent any
				if u.parent != "" {
					parent = u.parent
				}
				ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO organisations (id, name, parent_id, path, depth, budget_holder, version, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)`, u.id, "Unit "+u.id, parent, u.path, len(u.path)/5, u.holder, at))
			}
			entry := func(id, subjectType, subjectID, org, summary string, after any) {
				t.Helper()
				ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO audit_entries (id, at, actor_id, actor_name, action, subject_type, subject_id,
					organisation_id, summary, after_json) VALUES ($1, $2, '', '', 'update', $3, $4, $5, $6, $7)`,
					id, at, subjectType, subjectID, org, summary, after))
			}
			entry("e-top", "organisation", "top", "top", "Unit top", nil)
			entry("e-acc", "organisation", "acc", "acc", "Unit acc", nil)
			entry("e-dept", "person", "p1", "dept", "Person", nil)
			entry("e-inner", "organisation", "inner", "inner", "Unit inner", nil)
			entry("e-leaf", "person", "p2", "leaf", "Person", nil)
			entry("e-none", "segment", "s1", "", "Segment", nil)
			entry("e-resp", "campaign", "c1", "dept", "Pulse: response received", `{"id":"r1","campaign_id":"c1","organisation_id":"dept"}`)
			entry("e-camp", "campaign", "c1", "", "Pulse", `{"id":"c1","title":"Pulse"}`)

			ok(t, db.Migrate(ctx))
			all, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{Limit: 100})
			ok(t, err)
			got := map[string]*liaison.AuditEntry{}
			for _, e := range all {
				got[e.ID] = e
			}
			for id, want := range map[string]string{"e-top": "", "e-acc": "acc", "e-dept": "acc", "e-inner": "inner",
				"e-leaf": "inner", "e-none": "", "e-resp": "acc", "e-camp": ""} {
				if got[id] == nil || got[id].AccountID != want {
					t.Errorf("%s: %+v, want account %q", id, got[id], want)
				}
			}
			if r := got["e-resp"]; r.SubjectType != "survey_response" || r.Action != liaison.ActionCreate || r.SubjectID != "r1" || r.Summary != "Pulse" {
				t.Errorf("response entry = %+v", r)
			}
			if c := got["e-camp"]; c.SubjectType != "campaign" || c.Action != liaison.ActionUpdate || c.Summary != "Pulse" {
				t.Errorf("campaign entry = %+v", c)
			}
		})
	}
}

// TestTimelineEntriesMigration: migration 0022 copies the entries of
// accounts to timeline_entries with the id their link needs, the same
// that liaison.LinkID gives the entries written after it; entries outside
// accounts stay in the trail only.
func TestTimelineEntriesMigration(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := migratedBelow(t, engine, 22)

			type row struct {
				id, subjectType, subjectID, account string
				before, after                       any
			}
			rows := []row{
				{"e1", "organisation", "acc", "acc", nil, `{"id":"acc"}`},
				{"e2", "role", "r1", "acc", `{"id":"r1","person_id":"p1"}`, nil},              // deleted: the before names the person
				{"e3", "role", "r2", "acc", `{"person_id":"p-old"}`, `{"person_id":"p-new"}`}, // the after wins
				{"e4", "survey_response", "resp", "acc", nil, `{"campaign_id":"c1"}`},
				{"e5", "sla_result", "x", "acc", nil, `{"value":1}`},  // no field: no link
				{"e6", "watch_note", "w1", "acc", nil, `{"id":"w1"}`}, // no page yet: its own id
				{"e7", "segment", "s1", "", nil, `{"id":"s1"}`},       // outside accounts
			}
			for i, r := range rows {
				at := fmt.Sprintf("2026-01-02T03:04:%02d.000000Z", i)
				ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO audit_entries (id, at, actor_id, actor_name, action, subject_type, subject_id,
					organisation_id, summary, before_json, after_json, account_id) VALUES ($1, $2, 'u1', 'Ann', 'update', $3, $4, $5, 'S', $6, $7, $5)`,
					r.id, at, r.subjectType, r.subjectID, r.account, r.before, r.after))
			}
			ok(t, db.Migrate(ctx))

			for _, brief := range []bool{true, false} {
				got, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{AccountID: "acc", Brief: brief, Limit: 100})
				ok(t, err)
				if len(got) != 6 {
					t.Fatalf("brief %v: %d entries on the timeline, want 6", brief, len(got))
				}
				byID := map[string]*liaison.AuditEntry{}
				for _, e := range got {
					byID[e.ID] = e
				}
				for _, r := range rows[:6] {
					e := byID[r.id]
					var before, after json.RawMessage
					if s, isStr := r.before.(string); isStr {
						before = json.RawMessage(s)
					}
					if s, isStr := r.after.(string); isStr {
						after = json.RawMessage(s)
					}
					if want := liaison.LinkID(r.subjectType, r.subjectID, before, after); e == nil || e.LinkID != want {
						t.Errorf("brief %v: %s: %+v, want link id %q", brief, r.id, e, want)
					}
					if brief != (e.After == nil && e.Before == nil) {
						t.Errorf("brief %v: %s: JSON before %s after %s", brief, r.id, e.Before, e.After)
					}
				}
				if l := liaison.SubjectLink(byID["e3"]); l != "/people/p-new" {
					t.Errorf("role link = %q", l)
				}
			}
		})
	}
}

// migratedBelow opens a fresh database of engine with the migrations
// numbered below version applied.
func migratedBelow(t *testing.T, engine string, version int) *sqlstore.DB {
	t.Helper()
	sqlstoretest.Require(t, engine)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstoretest.DSN(t, engine))
	ok(t, err)
	t.Cleanup(func() { db.Close() })
	ok(t, sqlstore.MigrateBelowForTest(ctx, db, version))
	return db
}

// TestTimelineCategoryMigration: migration 0029 gives every timeline entry
// already there the category of its subject type, "other" for a type no
// category names, and the category filter then finds each in its own.
func TestTimelineCategoryMigration(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := migratedBelow(t, engine, 29)
			types := map[string]string{"person": liaison.CategoryPeople, "complaint": liaison.CategoryComplaints,
				"watch_note": liaison.CategoryPlans, "gizmo": liaison.CategoryOther}
			i := 0
			for st := range types {
				i++
				at := fmt.Sprintf("2026-01-02T03:04:%02d.000000Z", i)
				ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO audit_entries (id, at, actor_id, actor_name, action, subject_type, subject_id,
					organisation_id, summary, account_id) VALUES ($1, $2, 'u1', 'Ann', 'update', $3, $1, 'acc', 'S', 'acc')`, "e-"+st, at, st))
				ok(t, sqlstore.ExecForTest(ctx, db, `INSERT INTO timeline_entries (account_id, at, id, actor_id, actor_name, action, subject_type,
					subject_id, organisation_id, summary, link_id) VALUES ('acc', $2, $1, 'u1', 'Ann', 'update', $3, $1, 'acc', 'S', $1)`, "e-"+st, at, st))
			}
			ok(t, db.Migrate(ctx))
			for _, c := range liaison.TimelineCategories {
				f := liaison.AuditFilter{AccountID: "acc", Brief: true, Limit: 100}
				if !liaison.CategoryFilter(&f, c.Name) {
					t.Fatalf("category %s refused", c.Name)
				}
				got, _, err := db.FindAuditEntries(ctx, f)
				ok(t, err)
				var want []string
				for st, cat := range types {
					if cat == c.Name {
						want = append(want, "e-"+st)
					}
				}
				sameStrings(t, c.Name, ids(got, func(e *liaison.AuditEntry) string { return e.ID }), want)
			}
		})
	}
}
