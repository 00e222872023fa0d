package sqlstore_test

import (
	"context"
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
			sqlstoretest.Require(t, engine)
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, sqlstoretest.DSN(t, engine))
			ok(t, err)
			t.Cleanup(func() { db.Close() })
			ok(t, sqlstore.MigrateBelowForTest(ctx, db, 21))

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
