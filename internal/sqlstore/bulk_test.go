package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

func TestIDAt(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 30, 0, 123_000_000, time.UTC)
	a, b := sqlstore.IDAt(at, 0), sqlstore.IDAt(at, 1<<32-1)
	if len(a) != 16 || strings.Trim(a, "0123456789abcdefghjkmnpqrstvwxyz") != "" || a[:8] != b[:8] || a >= b {
		t.Errorf("IDAt: %s, %s", a, b)
	}
	if later := sqlstore.IDAt(at.Add(time.Millisecond), 0); later <= b {
		t.Errorf("an id a millisecond later (%s) sorts before %s", later, b)
	}
	// The write path's ids carry the same time prefix.
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		s := &liaison.Segment{Name: "Segment"}
		before := time.Now()
		if err := db.CreateSegment(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		if s.ID < sqlstore.IDAt(before, 0) || s.ID > sqlstore.IDAt(after, 1<<32-1) {
			t.Errorf("the store's id %s lies outside [%s, %s]", s.ID, sqlstore.IDAt(before, 0), sqlstore.IDAt(after, 1<<32-1))
		}
	})
}

func TestBulk(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		_, indexes, err := sqlstore.Schema(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2024, 2, 29, 8, 0, 0, 0, time.UTC)
		id := func(n uint32) string { return sqlstore.IDAt(at, n) }
		mgr := &liaison.User{ID: id(1), Email: "malin@example.com", Name: "Malin Åberg", Role: liaison.RoleManager, Language: liaison.Swedish, Active: true}
		seg := &liaison.Segment{ID: id(2), Name: "Municipal unit"}
		root := &liaison.Organisation{ID: id(3), Name: "Region Norrsken", CreatedAt: at, UpdatedAt: at}
		acc := &liaison.Organisation{ID: id(4), Name: "Hälso- och sjukvård", ParentID: &root.ID, BudgetHolder: true, Segment: seg.ID,
			RelationshipManagerID: &mgr.ID, Version: 3, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}
		leaf := &liaison.Organisation{ID: id(5), Name: "Vårdcentral Älvsbyn", ParentID: &acc.ID, ExternalID: "RN-2220"}
		p := &liaison.Person{ID: id(6), Name: "Göran Öhlund", Email: "goran.ohlund@example.com", OrganisationID: leaf.ID, Language: liaison.Swedish}
		r := &liaison.ContactRole{ID: id(7), PersonID: p.ID, OrganisationID: acc.ID, Role: liaison.RoleCustomer, Active: true}
		e := &liaison.AuditEntry{ID: id(8), At: at, Action: liaison.ActionCreate, SubjectType: "person", SubjectID: p.ID,
			OrganisationID: leaf.ID, Summary: p.Name, After: json.RawMessage(`{"id":"` + p.ID + `"}`)}
		err = db.Bulk(ctx, func(b *sqlstore.BulkTx) error {
			if empty, err := b.Empty(ctx); err != nil || !empty {
				t.Errorf("a new database: empty %v (%v)", empty, err)
			}
			if err := b.DeferIndexes(ctx, "audit_entries"); err != nil {
				return err
			}
			return errors.Join(b.Users(ctx, []*liaison.User{mgr}), b.Segments(ctx, []*liaison.Segment{seg}),
				b.Organisations(ctx, []*liaison.Organisation{root, acc}), b.Organisations(ctx, []*liaison.Organisation{leaf}),
				b.People(ctx, []*liaison.Person{p}), b.Roles(ctx, []*liaison.ContactRole{r}), b.AuditEntries(ctx, []*liaison.AuditEntry{e}))
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, after, err := sqlstore.Schema(ctx, db); err != nil || !slices.Equal(after, indexes) {
			t.Errorf("indexes after a load with deferred indexes: %v (%v), want %v", after, err, indexes)
		}

		// What the write path derives is there: depth, path (the chain),
		// search text, versions and times.
		got, err := db.FindOrganisationByID(ctx, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Depth != 1 || got.Version != 3 || !got.UpdatedAt.Equal(at.Add(time.Hour)) || got.CustomerKind != liaison.KindAdHoc {
			t.Errorf("account read back: %+v", got)
		}
		if l, err := db.FindOrganisationByID(ctx, leaf.ID); err != nil || l.Depth != 2 || l.Version != 1 || l.CreatedAt.IsZero() || !l.UpdatedAt.Equal(l.CreatedAt) {
			t.Errorf("leaf read back: %+v (%v); want depth 2, version 1, created = updated", l, err)
		}
		chain, err := db.OrganisationChain(ctx, leaf.ID)
		if err != nil || len(chain) != 3 || chain[2].ID != root.ID {
			t.Errorf("chain of the leaf: %v (%v)", chain, err)
		}
		for q, want := range map[string]string{"halso": acc.ID, "alvsbyn": leaf.ID, "rn-2220": leaf.ID} {
			units, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Q: q})
			if err != nil || len(units) != 1 || units[0].ID != want {
				t.Errorf("search %q: %v (%v)", q, units, err)
			}
		}
		if people, _, err := db.FindPeople(ctx, liaison.PersonFilter{Q: "goran ohl"}); err != nil || len(people) != 1 {
			t.Errorf("person search: %v (%v)", people, err)
		}
		if users, _, err := db.FindUsers(ctx, liaison.UserFilter{Q: "aberg"}); err != nil || len(users) != 1 {
			t.Errorf("user search: %v (%v)", users, err)
		}
		d, err := db.WhoDecides(ctx, leaf.ID)
		if err != nil || d.Account == nil || d.Account.ID != acc.ID || d.Customer == nil || d.Customer.ID != p.ID {
			t.Errorf("who decides for the leaf: %+v (%v)", d, err)
		}
		entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: root.ID, Subtree: true})
		if err != nil || len(entries) != 1 || entries[0].ID != e.ID {
			t.Errorf("timeline of the root: %v (%v)", entries, err)
		}
		// The unique indexes hold: the second customer is refused.
		if err := db.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: acc.ID, Role: liaison.RoleCustomer, Active: true}); liaison.ErrorCode(err) != liaison.ECONFLICT {
			t.Errorf("a second customer: %v", err)
		}

		// A later load finds stored parents; Empty sees the data.
		child := &liaison.Organisation{ID: sqlstore.IDAt(at, 9), Name: "Team", ParentID: &leaf.ID}
		err = db.Bulk(ctx, func(b *sqlstore.BulkTx) error {
			if empty, err := b.Empty(ctx); err != nil || empty {
				t.Errorf("a loaded database: empty %v (%v)", empty, err)
			}
			return b.Organisations(ctx, []*liaison.Organisation{child})
		})
		if err != nil || child.Depth != 3 {
			t.Errorf("a unit below a stored one: %v, depth %d", err, child.Depth)
		}
	})
}

// TestBulkColumnSets writes one table with two column sets and the same
// number of rows in one load: the cycle's tasks and the other actions
// both go to actions, and a statement prepared for one must not be
// reused for the other (dataset L failed so).
func TestBulkColumnSets(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		id := func(n uint32) string { return sqlstore.IDAt(at, n) }
		acc := &liaison.Organisation{ID: id(1), Name: "Kultur och fritid", BudgetHolder: true}
		act := &liaison.CycleActivity{ID: id(2), Title: "Budgetdialog", Kind: liaison.CycleBudgetMeeting, Recurrence: liaison.RecurYearly,
			Month: 9, Day: 15, Scope: liaison.ScopeAllAccounts}
		const n = 3
		var tasks []*liaison.CycleTask
		var rows []*sqlstore.ActionRow
		for i := range n {
			tasks = append(tasks, &liaison.CycleTask{ID: id(uint32(10 + i)), Title: "Budgetdialog", OrganisationID: acc.ID,
				ActivityID: act.ID, DueDate: fmt.Sprintf("%d-09-15", 2026+i), Status: "open"})
			rows = append(rows, &sqlstore.ActionRow{ID: id(uint32(20 + i)), Title: "Skicka protokollet", OrganisationID: &acc.ID,
				Status: "open", CreatedAt: at, UpdatedAt: at})
		}
		err := db.Bulk(ctx, func(b *sqlstore.BulkTx) error {
			return errors.Join(b.Organisations(ctx, []*liaison.Organisation{acc}),
				b.CycleActivities(ctx, []*liaison.CycleActivity{act}, tasks), b.ActionRows(ctx, rows))
		})
		if err != nil {
			t.Fatal(err)
		}
		as, _, err := db.FindActions(ctx, liaison.ActionFilter{OrganisationID: acc.ID, Limit: 10})
		if err != nil || len(as) != 2*n {
			t.Fatalf("actions of the account: %d (%v), want %d", len(as), err, 2*n)
		}
	})
}

func TestBulkRollsBack(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		_, indexes, err := sqlstore.Schema(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now()
		orphan := "no-such-unit"
		for name, fn := range map[string]func(b *sqlstore.BulkTx) error{
			"unknown parent": func(b *sqlstore.BulkTx) error {
				return b.Organisations(ctx, []*liaison.Organisation{
					{ID: sqlstore.IDAt(at, 1), Name: "Top"}, {ID: sqlstore.IDAt(at, 2), Name: "Orphan", ParentID: &orphan}})
			},
			"a foreign key": func(b *sqlstore.BulkTx) error {
				return b.People(ctx, []*liaison.Person{{ID: sqlstore.IDAt(at, 3), Name: "Nobody", OrganisationID: orphan, Language: liaison.English}})
			},
			"no id": func(b *sqlstore.BulkTx) error {
				return b.Segments(ctx, []*liaison.Segment{{Name: "No id"}})
			},
			"the caller's error": func(b *sqlstore.BulkTx) error {
				if err := b.Segments(ctx, []*liaison.Segment{{ID: sqlstore.IDAt(at, 4), Name: "Kept?"}}); err != nil {
					return err
				}
				return errors.New("changed my mind")
			},
		} {
			err := db.Bulk(ctx, func(b *sqlstore.BulkTx) error {
				if err := b.DeferIndexes(ctx, "audit_entries"); err != nil {
					return err
				}
				if err := b.AuditEntries(ctx, []*liaison.AuditEntry{{ID: sqlstore.IDAt(at, 5), Action: "create", SubjectType: "segment", SubjectID: "x"}}); err != nil {
					return err
				}
				return fn(b)
			})
			if err == nil {
				t.Errorf("%s: no error", name)
			}
			if units, _ := db.OrganisationTree(ctx); len(units) != 0 {
				t.Errorf("%s: %d units kept", name, len(units))
			}
			if segments, _ := db.FindSegments(ctx); len(segments) != 0 {
				t.Errorf("%s: %d segments kept", name, len(segments))
			}
			if entries, _, _ := db.FindAuditEntries(ctx, liaison.AuditFilter{}); len(entries) != 0 {
				t.Errorf("%s: %d audit entries kept", name, len(entries))
			}
			if _, after, err := sqlstore.Schema(ctx, db); err != nil || !slices.Equal(after, indexes) {
				t.Errorf("%s: indexes after the rollback %v (%v), want %v", name, after, err, indexes)
			}
		}
		// The database takes ordinary writes afterwards.
		if err := db.CreateSegment(ctx, &liaison.Segment{Name: "After"}); err != nil {
			t.Fatal(err)
		}
	})
}
