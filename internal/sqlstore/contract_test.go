package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// contract is what every engine must do: one case per behaviour of
// liaison.Store, rejections included. TestSQLite and TestPostgres run each
// case on a fresh database of their engine.
var contract = map[string]func(t *testing.T, db *sqlstore.DB){
	"Organisation/CreateAndFind":                testOrganisationCreateAndFind,
	"Organisation/CreateRejectsUnknownRefs":     testOrganisationCreateRejectsUnknownRefs,
	"Organisation/CreateRejectsTrashedParent":   testOrganisationCreateRejectsTrashedParent,
	"Organisation/CreateValidates":              testOrganisationCreateValidates,
	"Organisation/ExternalIDUnique":             testOrganisationExternalIDUnique,
	"Organisation/Update":                       testOrganisationUpdate,
	"Organisation/UpdateStale":                  testOrganisationUpdateStale,
	"Organisation/UpdateMissing":                testOrganisationUpdateMissing,
	"Organisation/MoveRewritesSubtree":          testOrganisationMoveRewritesSubtree,
	"Organisation/MoveCycleRejected":            testOrganisationMoveCycleRejected,
	"Organisation/ClearBudgetHolderConflict":    testOrganisationClearBudgetHolderConflict,
	"Organisation/DeleteWithChildrenConflict":   testOrganisationDeleteWithChildrenConflict,
	"Organisation/TrashAndRestore":              testOrganisationTrashAndRestore,
	"Organisation/RestoreNeedsLiveParent":       testOrganisationRestoreNeedsLiveParent,
	"Organisation/Chain":                        testOrganisationChain,
	"Organisation/Tree":                         testOrganisationTree,
	"Organisation/WhoDecides":                   testOrganisationWhoDecides,
	"Organisation/Filters":                      testOrganisationFilters,
	"Organisation/Search":                       testOrganisationSearch,
	"Organisation/PaginationEverySort":          testOrganisationPagination,
	"List/BadSortAndCursor":                     testListBadSortAndCursor,
	"List/DefaultLimit":                         testListDefaultLimit,
	"Person/CreateFindUpdate":                   testPersonCreateFindUpdate,
	"Person/UnknownOrTrashedUnit":               testPersonUnknownOrTrashedUnit,
	"Person/EmailUnique":                        testPersonEmailUnique,
	"Person/ExternalIDUnique":                   testPersonExternalIDUnique,
	"Person/TrashAndRestore":                    testPersonTrashAndRestore,
	"Person/DeleteActiveCustomerConflict":       testPersonDeleteActiveCustomerConflict,
	"Person/Search":                             testPersonSearch,
	"Person/FiltersAndPagination":               testPersonFiltersAndPagination,
	"Role/CRUD":                                 testRoleCRUD,
	"Role/CustomerNeedsBudgetHolder":            testRoleCustomerNeedsBudgetHolder,
	"Role/SecondCustomerConflict":               testRoleSecondCustomerConflict,
	"Role/SecondCustomerConcurrent":             testRoleSecondCustomerConcurrent,
	"Role/UnknownRefs":                          testRoleUnknownRefs,
	"Role/Stale":                                testRoleStale,
	"Role/ListHidesTrashedHolders":              testRoleListHidesTrashedHolders,
	"Role/Pagination":                           testRolePagination,
	"Segment/CRUD":                              testSegmentCRUD,
	"Segment/DeleteInUse":                       testSegmentDeleteInUse,
	"User/CRUD":                                 testUserCRUD,
	"User/EmailUnique":                          testUserEmailUnique,
	"User/ListAndSearch":                        testUserListAndSearch,
	"Session/CreateFindExpire":                  testSessionCreateFindExpire,
	"Token/CreateFindRevoke":                    testTokenCreateFindRevoke,
	"Token/LastUsedAtMostOncePerMinute":         testTokenLastUsed,
	"Principal/TokenAndSessionUser":             testPrincipalLookups,
	"LoginFailures/Window":                      testLoginFailuresWindow,
	"Audit/BeforeAfterAndActor":                 testAuditBeforeAfterAndActor,
	"Audit/NoPasswordHash":                      testAuditNoPasswordHash,
	"Audit/RoleAndDeleteSummary":                testAuditRoleAndDeleteSummary,
	"Audit/SubtreeAndPages":                     testAuditSubtreeAndPages,
	"Audit/RollbackWritesNothing":               testAuditRollbackWritesNothing,
	"Settings/DefaultsAndSave":                  testSettingsDefaultsAndSave,
	"Idempotency/SaveFindConflict":              testIdempotency,
	"Ping/MigratedAndIdempotent":                testPingMigrated,
	"Times/UTCAndSortOrder":                     testTimesUTCAndSortOrder,
	"Concurrency/ParallelWritesAndReads":        testParallelWritesAndReads,
	"Organisation/ConcurrentMovesKeepTreeSound": testConcurrentMoves,
}

func TestSQLite(t *testing.T) { runContract(t, sqlstoretest.SQLite) }

func TestPostgres(t *testing.T) { runContract(t, sqlstoretest.Postgres) }

func runContract(t *testing.T, engine string) {
	sqlstoretest.Require(t, engine)
	names := make([]string, 0, len(contract))
	for name := range contract {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := sqlstoretest.Open(t, engine)
			if got := db.Engine(); got != engine {
				t.Fatalf("Engine() = %q, want %q", got, engine)
			}
			useClock(db, start)
			contract[name](t, db)
		})
	}
}

// start is the clock's first reading: a zone other than UTC, with a
// fraction, so that tests see the store normalise both.
var start = time.Date(2026, 3, 14, 9, 26, 53, 589793000, time.FixedZone("CET", 3600))

// clock is a test clock that ticks a millisecond at every reading, so that
// consecutive writes get distinct, increasing times.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func useClock(db *sqlstore.DB, t time.Time) *clock {
	c := &clock{t: t}
	db.Now = c.Now
	return c
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var ctx = context.Background()

// --- helpers ---

func wantCode(t *testing.T, err error, code string) *liaison.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %s", code)
	}
	var e *liaison.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v (code %s), want code %s", err, liaison.ErrorCode(err), code)
	}
	return e
}

func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	e := wantCode(t, err, liaison.EINVALID)
	for _, f := range e.Fields {
		if f.Field == field && f.Code == code {
			return
		}
	}
	t.Fatalf("err = %v, want field %s with code %s", err, field, code)
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mkUser(t *testing.T, db *sqlstore.DB, name string) *liaison.User {
	t.Helper()
	u := &liaison.User{Name: name, Email: strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@example.com",
		Role: liaison.RoleManager, Active: true}
	ok(t, db.CreateUser(ctx, u))
	return u
}

func mkUnit(t *testing.T, db *sqlstore.DB, name string, parent *liaison.Organisation, mods ...func(*liaison.Organisation)) *liaison.Organisation {
	t.Helper()
	o := &liaison.Organisation{Name: name}
	if parent != nil {
		o.ParentID = &parent.ID
	}
	for _, m := range mods {
		m(o)
	}
	ok(t, db.CreateOrganisation(ctx, o))
	return o
}

func account(o *liaison.Organisation) { o.BudgetHolder = true }

func mkPerson(t *testing.T, db *sqlstore.DB, name string, unit *liaison.Organisation, mods ...func(*liaison.Person)) *liaison.Person {
	t.Helper()
	p := &liaison.Person{Name: name, OrganisationID: unit.ID}
	for _, m := range mods {
		m(p)
	}
	ok(t, db.CreatePerson(ctx, p))
	return p
}

func mkRole(t *testing.T, db *sqlstore.DB, p *liaison.Person, unit *liaison.Organisation, kind liaison.RoleKind) *liaison.ContactRole {
	t.Helper()
	r := &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: kind, Active: true}
	ok(t, db.CreateRole(ctx, r))
	return r
}

func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = id(x)
	}
	return out
}

func orgNames(units []*liaison.Organisation) []string {
	return ids(units, func(o *liaison.Organisation) string { return o.Name })
}

func personNames(people []*liaison.Person) []string {
	return ids(people, func(p *liaison.Person) string { return p.Name })
}

func sameStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
}

func auditOf(t *testing.T, db *sqlstore.DB, subjectType, id string) []*liaison.AuditEntry {
	t.Helper()
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: subjectType, SubjectID: id})
	ok(t, err)
	return entries
}

// --- organisations ---

func testOrganisationCreateAndFind(t *testing.T, db *sqlstore.DB) {
	mgr, dep := mkUser(t, db, "Maria Manager"), mkUser(t, db, "Dan Deputy")
	seg := &liaison.Segment{Name: "Municipal"}
	ok(t, db.CreateSegment(ctx, seg))
	root := mkUnit(t, db, "Region Skåne", nil)
	o := &liaison.Organisation{Name: "  Malmö stad ", ParentID: &root.ID, BudgetHolder: true, Segment: seg.ID,
		RelationshipManagerID: &mgr.ID, DeputyID: &dep.ID, Description: "City", ExternalID: "ext-1",
		LastReviewedOn: liaison.Ptr("2025-11-30")}
	ok(t, db.CreateOrganisation(ctx, o))
	if o.ID == "" || o.Version != 1 || o.Depth != 1 || o.Name != "Malmö stad" || o.CustomerKind != liaison.KindAdHoc {
		t.Fatalf("created = %+v", o)
	}
	if o.CreatedAt.IsZero() || !o.CreatedAt.Equal(o.UpdatedAt) || o.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at %v updated_at %v, want equal and UTC", o.CreatedAt, o.UpdatedAt)
	}
	if root.Depth != 0 || root.ParentID != nil {
		t.Fatalf("root = %+v", root)
	}
	got, err := db.FindOrganisationByID(ctx, o.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, o); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	_, err = db.FindOrganisationByID(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
	if ids := []string{root.ID, o.ID}; ids[0] == ids[1] || len(o.ID) != 16 || strings.ToLower(o.ID) != o.ID {
		t.Fatalf("ids %q: want distinct 16-char lower-case", ids)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	ok(t, err)
	return string(b)
}

func testOrganisationCreateRejectsUnknownRefs(t *testing.T, db *sqlstore.DB) {
	o := &liaison.Organisation{Name: "X", ParentID: liaison.Ptr("nope"), BudgetHolder: true,
		RelationshipManagerID: liaison.Ptr("nope"), DeputyID: liaison.Ptr("nope"), Segment: "nope"}
	err := db.CreateOrganisation(ctx, o)
	for _, f := range []string{"parent_id", "relationship_manager_id", "deputy_id", "segment"} {
		wantField(t, err, f, liaison.CodeUnknown)
	}
	if o.ID != "" {
		t.Fatalf("failed create filled ID %q", o.ID)
	}
	units, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{})
	ok(t, err)
	if len(units) != 0 {
		t.Fatalf("failed create stored %d units", len(units))
	}
}

func testOrganisationCreateRejectsTrashedParent(t *testing.T, db *sqlstore.DB) {
	p := mkUnit(t, db, "Parent", nil)
	ok(t, db.DeleteOrganisation(ctx, p.ID, p.Version))
	err := db.CreateOrganisation(ctx, &liaison.Organisation{Name: "Child", ParentID: &p.ID})
	wantField(t, err, "parent_id", liaison.CodeUnknown)
}

func testOrganisationCreateValidates(t *testing.T, db *sqlstore.DB) {
	wantField(t, db.CreateOrganisation(ctx, &liaison.Organisation{Name: " "}), "name", liaison.CodeRequired)
	wantField(t, db.CreateOrganisation(ctx, &liaison.Organisation{Name: strings.Repeat("x", 201)}), "name", liaison.CodeTooLong)
	wantField(t, db.CreateOrganisation(ctx, &liaison.Organisation{Name: "A", LastReviewedOn: liaison.Ptr("30/11/2025")}), "last_reviewed_on", liaison.CodeInvalid)
}

func testOrganisationExternalIDUnique(t *testing.T, db *sqlstore.DB) {
	a := mkUnit(t, db, "A", nil, func(o *liaison.Organisation) { o.ExternalID = "K-1" })
	err := db.CreateOrganisation(ctx, &liaison.Organisation{Name: "B", ExternalID: "K-1"})
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "A") {
		t.Fatalf("message %q does not name the holder", e.Message)
	}
	units, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{ExternalID: "K-1"})
	ok(t, err)
	sameStrings(t, "by external id", orgNames(units), []string{"A"})
	// A trashed unit frees its external id, and cannot come back while it is taken.
	ok(t, db.DeleteOrganisation(ctx, a.ID, a.Version))
	mkUnit(t, db, "B", nil, func(o *liaison.Organisation) { o.ExternalID = "K-1" })
	_, err = db.RestoreOrganisation(ctx, a.ID)
	wantCode(t, err, liaison.ECONFLICT)
}

func testOrganisationUpdate(t *testing.T, db *sqlstore.DB) {
	o := mkUnit(t, db, "Old name", nil)
	created := o.CreatedAt
	u := *o
	u.Name, u.Description, u.BudgetHolder, u.LastReviewedOn = "New name", "Desc", true, liaison.Ptr("2026-01-02")
	ok(t, db.UpdateOrganisation(ctx, &u, o.Version))
	if u.Version != 2 || !u.CreatedAt.Equal(created) || !u.UpdatedAt.After(created) {
		t.Fatalf("updated = %+v", u)
	}
	got, err := db.FindOrganisationByID(ctx, o.ID)
	ok(t, err)
	if got.Name != "New name" || got.Version != 2 || !got.BudgetHolder || *got.LastReviewedOn != "2026-01-02" || !got.UpdatedAt.Equal(u.UpdatedAt) {
		t.Fatalf("found = %+v", got)
	}
	// A unit cannot be its own parent.
	u.ParentID = &u.ID
	wantField(t, db.UpdateOrganisation(ctx, &u, u.Version), "parent_id", liaison.CodeInvalid)
}

func testOrganisationUpdateStale(t *testing.T, db *sqlstore.DB) {
	o := mkUnit(t, db, "A", nil)
	first, second := *o, *o
	first.Name = "First"
	ok(t, db.UpdateOrganisation(ctx, &first, 1))
	second.Name = "Second"
	err := db.UpdateOrganisation(ctx, &second, 1)
	if e := wantCode(t, err, liaison.ESTALE); e.Message != "the record has changed since you read it (now version 2)" {
		t.Fatalf("message = %q", e.Message)
	}
	wantCode(t, db.DeleteOrganisation(ctx, o.ID, 1), liaison.ESTALE)
	got, err := db.FindOrganisationByID(ctx, o.ID)
	ok(t, err)
	if got.Name != "First" || got.Version != 2 {
		t.Fatalf("stale update changed the unit: %+v", got)
	}
}

func testOrganisationUpdateMissing(t *testing.T, db *sqlstore.DB) {
	wantCode(t, db.UpdateOrganisation(ctx, &liaison.Organisation{ID: "nope", Name: "X"}, 1), liaison.ENOTFOUND)
	wantCode(t, db.DeleteOrganisation(ctx, "nope", 1), liaison.ENOTFOUND)
	_, err := db.RestoreOrganisation(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
}

func testOrganisationMoveRewritesSubtree(t *testing.T, db *sqlstore.DB) {
	a := mkUnit(t, db, "A", nil)
	b := mkUnit(t, db, "B", a)
	c := mkUnit(t, db, "C", b)
	d := mkUnit(t, db, "D", c)
	trashed := mkUnit(t, db, "Trashed", c)
	ok(t, db.DeleteOrganisation(ctx, trashed.ID, trashed.Version))
	x := mkUnit(t, db, "X", nil)
	y := mkUnit(t, db, "Y", x)

	// Move B (with C, D and the trashed unit) from A to Y: depth 1 → 2.
	mv := *b
	mv.ParentID = &y.ID
	ok(t, db.UpdateOrganisation(ctx, &mv, b.Version))
	chain, err := db.OrganisationChain(ctx, d.ID)
	ok(t, err)
	sameStrings(t, "chain of D", orgNames(chain), []string{"D", "C", "B", "Y", "X"})
	for i, o := range chain {
		if want := len(chain) - 1 - i; o.Depth != want {
			t.Fatalf("%s depth %d, want %d", o.Name, o.Depth, want)
		}
	}
	// Descendants keep their version: only their derived path changed.
	gotD, err := db.FindOrganisationByID(ctx, d.ID)
	ok(t, err)
	if gotD.Version != 1 {
		t.Fatalf("D version %d, want 1", gotD.Version)
	}
	// The trashed unit moved too, and comes back in its new place.
	back, err := db.RestoreOrganisation(ctx, trashed.ID)
	ok(t, err)
	if back.Depth != 4 {
		t.Fatalf("restored depth %d, want 4", back.Depth)
	}
	chain, err = db.OrganisationChain(ctx, trashed.ID)
	ok(t, err)
	sameStrings(t, "chain of trashed", orgNames(chain), []string{"Trashed", "C", "B", "Y", "X"})

	// Move B to the top: depth 0.
	mv.ParentID = nil
	ok(t, db.UpdateOrganisation(ctx, &mv, mv.Version))
	chain, err = db.OrganisationChain(ctx, d.ID)
	ok(t, err)
	sameStrings(t, "chain after move to top", orgNames(chain), []string{"D", "C", "B"})
	if chain[0].Depth != 2 {
		t.Fatalf("D depth %d, want 2", chain[0].Depth)
	}
	// A has no children left.
	kids, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{ParentID: &a.ID})
	ok(t, err)
	if len(kids) != 0 {
		t.Fatalf("A still has children %q", orgNames(kids))
	}
}

func testOrganisationMoveCycleRejected(t *testing.T, db *sqlstore.DB) {
	division := mkUnit(t, db, "Division", nil)
	dept := mkUnit(t, db, "Department", division)
	unit := mkUnit(t, db, "Unit", dept)
	for _, target := range []*liaison.Organisation{dept, unit} {
		mv := *division
		mv.ParentID = &target.ID
		err := db.UpdateOrganisation(ctx, &mv, division.Version)
		wantField(t, err, "parent_id", "cycle")
	}
	got, err := db.FindOrganisationByID(ctx, division.ID)
	ok(t, err)
	if got.ParentID != nil || got.Version != 1 {
		t.Fatalf("refused move changed the unit: %+v", got)
	}
	// A move to a unit that does not exist names the field too.
	mv := *dept
	mv.ParentID = liaison.Ptr("nope")
	wantField(t, db.UpdateOrganisation(ctx, &mv, dept.Version), "parent_id", liaison.CodeUnknown)
}

func testOrganisationClearBudgetHolderConflict(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	p := mkPerson(t, db, "Cecilia Customer", acc)
	r := mkRole(t, db, p, acc, liaison.RoleCustomer)
	u := *acc
	u.BudgetHolder = false
	err := db.UpdateOrganisation(ctx, &u, acc.Version)
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "Cecilia Customer") {
		t.Fatalf("message %q does not name the customer", e.Message)
	}
	// Once the role has ended, the unit may stop holding a budget.
	r.Active = false
	ok(t, db.UpdateRole(ctx, r, r.Version))
	ok(t, db.UpdateOrganisation(ctx, &u, acc.Version))
}

func testOrganisationDeleteWithChildrenConflict(t *testing.T, db *sqlstore.DB) {
	p := mkUnit(t, db, "Parent", nil)
	c := mkUnit(t, db, "Child", p)
	wantCode(t, db.DeleteOrganisation(ctx, p.ID, p.Version), liaison.ECONFLICT)
	ok(t, db.DeleteOrganisation(ctx, c.ID, c.Version))
	ok(t, db.DeleteOrganisation(ctx, p.ID, p.Version)) // trashed children do not hold it back
}

func testOrganisationTrashAndRestore(t *testing.T, db *sqlstore.DB) {
	keep := mkUnit(t, db, "Keep", nil)
	o := mkUnit(t, db, "Gone", nil)
	ok(t, db.DeleteOrganisation(ctx, o.ID, o.Version))
	_, err := db.FindOrganisationByID(ctx, o.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	_, err = db.OrganisationChain(ctx, o.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.DeleteOrganisation(ctx, o.ID, 2), liaison.ENOTFOUND)
	live, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{})
	ok(t, err)
	sameStrings(t, "live", orgNames(live), []string{"Keep"})
	trash, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Trashed: true})
	ok(t, err)
	sameStrings(t, "trash", orgNames(trash), []string{"Gone"})
	if trash[0].DeletedAt == nil || trash[0].Version != 2 {
		t.Fatalf("trashed = %+v", trash[0])
	}
	back, err := db.RestoreOrganisation(ctx, o.ID)
	ok(t, err)
	if back.DeletedAt != nil || back.Version != 3 {
		t.Fatalf("restored = %+v", back)
	}
	again, err := db.RestoreOrganisation(ctx, o.ID)
	ok(t, err)
	if again.Version != 3 {
		t.Fatalf("second restore changed the unit: %+v", again)
	}
	_, err = db.FindOrganisationByID(ctx, o.ID)
	ok(t, err)
	_ = keep
	actions := ids(auditOf(t, db, "organisation", o.ID), func(e *liaison.AuditEntry) string { return e.Action })
	sameStrings(t, "actions", actions, []string{"restore", "delete", "create"})
}

func testOrganisationRestoreNeedsLiveParent(t *testing.T, db *sqlstore.DB) {
	p := mkUnit(t, db, "Parent", nil)
	c := mkUnit(t, db, "Child", p)
	ok(t, db.DeleteOrganisation(ctx, c.ID, c.Version))
	ok(t, db.DeleteOrganisation(ctx, p.ID, p.Version))
	_, err := db.RestoreOrganisation(ctx, c.ID)
	wantCode(t, err, liaison.ECONFLICT)
	_, err = db.RestoreOrganisation(ctx, p.ID)
	ok(t, err)
	_, err = db.RestoreOrganisation(ctx, c.ID)
	ok(t, err)
}

func testOrganisationChain(t *testing.T, db *sqlstore.DB) {
	a := mkUnit(t, db, "A", nil)
	b := mkUnit(t, db, "B", a)
	c := mkUnit(t, db, "C", b)
	chain, err := db.OrganisationChain(ctx, c.ID)
	ok(t, err)
	sameStrings(t, "chain", orgNames(chain), []string{"C", "B", "A"})
	chain, err = db.OrganisationChain(ctx, a.ID)
	ok(t, err)
	sameStrings(t, "chain of root", orgNames(chain), []string{"A"})
	_, err = db.OrganisationChain(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
}

func testOrganisationTree(t *testing.T, db *sqlstore.DB) {
	z := mkUnit(t, db, "Zeta", nil)
	a := mkUnit(t, db, "Alpha", nil)
	mkUnit(t, db, "Beta", a)
	a2 := mkUnit(t, db, "Aardvark", a)
	mkUnit(t, db, "Deep", a2)
	mkUnit(t, db, "Omega", z)
	gone := mkUnit(t, db, "Gone", z)
	ok(t, db.DeleteOrganisation(ctx, gone.ID, gone.Version))
	tree, err := db.OrganisationTree(ctx)
	ok(t, err)
	sameStrings(t, "tree", orgNames(tree), []string{"Alpha", "Aardvark", "Deep", "Beta", "Zeta", "Omega"})
}

func testOrganisationWhoDecides(t *testing.T, db *sqlstore.DB) {
	top := mkUnit(t, db, "Group", nil)
	acc := mkUnit(t, db, "Division", top, account)
	dept := mkUnit(t, db, "Department", acc)
	team := mkUnit(t, db, "Team", dept)
	inner := mkUnit(t, db, "Inner account", dept, account)
	cust := mkPerson(t, db, "Carl Customer", acc)
	mkRole(t, db, cust, acc, liaison.RoleCustomer)
	orderer := mkPerson(t, db, "Olle Orderer", team)
	mkRole(t, db, orderer, team, liaison.RoleOrderer)

	d, err := db.WhoDecides(ctx, team.ID)
	ok(t, err)
	if d.Account == nil || d.Account.ID != acc.ID || d.Customer == nil || d.Customer.ID != cust.ID {
		t.Fatalf("who decides for team = %+v", d)
	}
	d, err = db.WhoDecides(ctx, acc.ID)
	ok(t, err)
	if d.Account.ID != acc.ID || d.Customer.Name != "Carl Customer" {
		t.Fatalf("who decides for the account itself = %+v", d)
	}
	d, err = db.WhoDecides(ctx, inner.ID)
	ok(t, err)
	if d.Account.ID != inner.ID || d.Customer != nil {
		t.Fatalf("who decides for an account without customer = %+v", d)
	}
	d, err = db.WhoDecides(ctx, top.ID)
	ok(t, err)
	if d.Account != nil || d.Customer != nil {
		t.Fatalf("who decides above every account = %+v", d)
	}
	_, err = db.WhoDecides(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
}

func testOrganisationFilters(t *testing.T, db *sqlstore.DB) {
	mgr, dep, other := mkUser(t, db, "Manager"), mkUser(t, db, "Deputy"), mkUser(t, db, "Other")
	seg := &liaison.Segment{Name: "Company"}
	ok(t, db.CreateSegment(ctx, seg))
	top := mkUnit(t, db, "Top", nil)
	mkUnit(t, db, "Acc1", top, account, func(o *liaison.Organisation) { o.RelationshipManagerID = &mgr.ID; o.Segment = seg.ID })
	mkUnit(t, db, "Acc2", top, account, func(o *liaison.Organisation) { o.RelationshipManagerID = &other.ID; o.DeputyID = &mgr.ID })
	mkUnit(t, db, "Acc3", nil, account, func(o *liaison.Organisation) { o.RelationshipManagerID = &dep.ID; o.ExternalID = "E3" })
	mkUnit(t, db, "Plain", top)
	for _, tc := range []struct {
		name string
		f    liaison.OrganisationFilter
		want []string
	}{
		{"all", liaison.OrganisationFilter{}, []string{"Acc1", "Acc2", "Acc3", "Plain", "Top"}},
		{"top units", liaison.OrganisationFilter{ParentID: liaison.Ptr("")}, []string{"Acc3", "Top"}},
		{"children", liaison.OrganisationFilter{ParentID: &top.ID}, []string{"Acc1", "Acc2", "Plain"}},
		{"accounts", liaison.OrganisationFilter{BudgetHolder: liaison.Ptr(true)}, []string{"Acc1", "Acc2", "Acc3"}},
		{"not accounts", liaison.OrganisationFilter{BudgetHolder: liaison.Ptr(false)}, []string{"Plain", "Top"}},
		{"segment", liaison.OrganisationFilter{Segment: seg.ID}, []string{"Acc1"}},
		{"manager or deputy", liaison.OrganisationFilter{ManagerID: mgr.ID}, []string{"Acc1", "Acc2"}},
		{"external id", liaison.OrganisationFilter{ExternalID: "E3"}, []string{"Acc3"}},
		{"combined", liaison.OrganisationFilter{ParentID: &top.ID, BudgetHolder: liaison.Ptr(true), ManagerID: other.ID}, []string{"Acc2"}},
	} {
		units, next, err := db.FindOrganisations(ctx, tc.f)
		ok(t, err)
		sameStrings(t, tc.name, orgNames(units), tc.want)
		if next != "" {
			t.Fatalf("%s: next cursor %q on the only page", tc.name, next)
		}
	}
}

func testOrganisationSearch(t *testing.T, db *sqlstore.DB) {
	mkUnit(t, db, "Malmö stad", nil)
	mkUnit(t, db, "Jyväskylän kaupunki", nil)
	mkUnit(t, db, "上海分公司", nil)
	mkUnit(t, db, "Göteborg", nil, func(o *liaison.Organisation) { o.Description = "Västra Götaland region"; o.ExternalID = "GBG-42" })
	mkUnit(t, db, "Stadsbyggnad", nil)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"malmo", []string{"Malmö stad"}},
		{"MALMÖ", []string{"Malmö stad"}},
		{"jyvaskyla", []string{"Jyväskylän kaupunki"}},
		{"上海", []string{"上海分公司"}},
		{"公司", []string{"上海分公司"}},
		{"stad", []string{"Malmö stad", "Stadsbyggnad"}}, // whole words and word prefixes
		{"malmo stad", []string{"Malmö stad"}},           // every term must match
		{"malmo kaupunki", nil},
		{"vastra", []string{"Göteborg"}}, // description
		{"gbg", []string{"Göteborg"}},    // external id
		{"42", []string{"Göteborg"}},
		{"almo", nil}, // not inside a word
		{"%", []string{"Göteborg", "Jyväskylän kaupunki", "Malmö stad", "Stadsbyggnad", "上海分公司"}}, // no terms: no filter
	} {
		units, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Q: tc.q})
		ok(t, err)
		got := orgNames(units)
		if len(got) == 0 {
			got = nil
		}
		sameStrings(t, "q="+tc.q, got, tc.want)
	}
	// Search text follows updates.
	units, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Q: "malmo"})
	ok(t, err)
	u := *units[0]
	u.Name = "Lund"
	ok(t, db.UpdateOrganisation(ctx, &u, u.Version))
	units, _, err = db.FindOrganisations(ctx, liaison.OrganisationFilter{Q: "malmo"})
	ok(t, err)
	if len(units) != 0 {
		t.Fatalf("old name still found: %q", orgNames(units))
	}
}

// pageAll reads every page of a list with the given page size.
func pageAll[T any](t *testing.T, limit int, find func(cursor string, limit int) ([]T, string, error)) ([]T, int) {
	t.Helper()
	var all []T
	cursor, pages := "", 0
	for {
		items, next, err := find(cursor, limit)
		ok(t, err)
		pages++
		if len(items) > limit {
			t.Fatalf("page of %d items, limit %d", len(items), limit)
		}
		all = append(all, items...)
		if next == "" {
			return all, pages
		}
		if pages > 100 {
			t.Fatal("pagination does not end")
		}
		cursor = next
	}
}

func testOrganisationPagination(t *testing.T, db *sqlstore.DB) {
	names := []string{"delta", "Alpha", "charlie", "Bravo", "echo", "alpha", "Foxtrot"} // "alpha" twice: ties break on id
	names = append(names, "alpha")
	var units []*liaison.Organisation
	for _, n := range names {
		units = append(units, mkUnit(t, db, n, nil))
	}
	// Update some in another order, so updated_at differs from created_at order.
	for _, i := range []int{3, 0, 5} {
		u := *units[i]
		u.Description = "touched"
		ok(t, db.UpdateOrganisation(ctx, &u, u.Version))
		units[i] = &u
	}
	for _, sortKey := range []string{"", "name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"} {
		want := slices.Clone(units)
		key := strings.TrimPrefix(sortKey, "-")
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			var c int
			switch key {
			case "", "name":
				c = strings.Compare(a.Name, b.Name) // byte order on both engines
			case "created_at":
				c = a.CreatedAt.Compare(b.CreatedAt)
			case "updated_at":
				c = a.UpdatedAt.Compare(b.UpdatedAt)
			}
			if c == 0 {
				c = strings.Compare(a.ID, b.ID)
			}
			if strings.HasPrefix(sortKey, "-") {
				return c > 0
			}
			return c < 0
		})
		for _, limit := range []int{1, 3, 8} {
			got, pages := pageAll(t, limit, func(cursor string, limit int) ([]*liaison.Organisation, string, error) {
				return db.FindOrganisations(ctx, liaison.OrganisationFilter{Sort: sortKey, Limit: limit, Cursor: cursor})
			})
			gotIDs := ids(got, func(o *liaison.Organisation) string { return o.ID })
			wantIDs := ids(want, func(o *liaison.Organisation) string { return o.ID })
			if !slices.Equal(gotIDs, wantIDs) {
				t.Fatalf("sort %q limit %d: %q, want %q", sortKey, limit, orgNames(got), orgNames(want))
			}
			if wantPages := (len(want) + limit - 1) / limit; pages != wantPages {
				t.Fatalf("sort %q limit %d: %d pages, want %d", sortKey, limit, pages, wantPages)
			}
		}
	}
}

func testListBadSortAndCursor(t *testing.T, db *sqlstore.DB) {
	for i := range 3 {
		mkUnit(t, db, fmt.Sprint("U", i), nil)
	}
	_, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Sort: "size"})
	if e := wantCode(t, err, liaison.EBADREQUEST); !strings.Contains(e.Message, "-updated_at") {
		t.Fatalf("message %q does not list the allowed sorts", e.Message)
	}
	_, _, err = db.FindPeople(ctx, liaison.PersonFilter{Sort: "name; DROP TABLE people"})
	wantCode(t, err, liaison.EBADREQUEST)
	_, _, err = db.FindUsers(ctx, liaison.UserFilter{Sort: "email"})
	wantCode(t, err, liaison.EBADREQUEST)
	for _, c := range []string{"garbage!", "bm90IGpzb24", "eyJzIjoibmFtZSJ9"} {
		_, _, err = db.FindOrganisations(ctx, liaison.OrganisationFilter{Cursor: c})
		wantCode(t, err, liaison.EBADREQUEST)
	}
	// A cursor belongs to its order.
	_, next, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Limit: 1})
	ok(t, err)
	_, _, err = db.FindOrganisations(ctx, liaison.OrganisationFilter{Limit: 1, Sort: "-name", Cursor: next})
	wantCode(t, err, liaison.EBADREQUEST)
	_, _, err = db.FindAuditEntries(ctx, liaison.AuditFilter{Cursor: next})
	wantCode(t, err, liaison.EBADREQUEST)
}

func testListDefaultLimit(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	for i := range 52 {
		mkPerson(t, db, fmt.Sprintf("P%02d", i), unit)
	}
	people, next, err := db.FindPeople(ctx, liaison.PersonFilter{})
	ok(t, err)
	if len(people) != 50 || next == "" {
		t.Fatalf("default page: %d people, next %q; want 50 and a cursor", len(people), next)
	}
	people, next, err = db.FindPeople(ctx, liaison.PersonFilter{Cursor: next})
	ok(t, err)
	sameStrings(t, "second page", personNames(people), []string{"P50", "P51"})
	if next != "" {
		t.Fatalf("last page has cursor %q", next)
	}
	people, _, err = db.FindPeople(ctx, liaison.PersonFilter{Limit: 100000})
	ok(t, err)
	if len(people) != 52 {
		t.Fatalf("huge limit: %d people", len(people))
	}
}

// --- people ---

func testPersonCreateFindUpdate(t *testing.T, db *sqlstore.DB) {
	a := mkUnit(t, db, "A", nil)
	b := mkUnit(t, db, "B", nil)
	p := &liaison.Person{Name: " Anna Berg ", Email: " Anna.Berg@Example.COM ", Phone: "+46 70 123", Title: "CIO",
		OrganisationID: a.ID, Language: liaison.Swedish, ExternalID: "HR-1", Notes: "Prefers mornings"}
	ok(t, db.CreatePerson(ctx, p))
	if p.Email != "anna.berg@example.com" || p.Name != "Anna Berg" || p.Version != 1 || p.ID == "" {
		t.Fatalf("created = %+v", p)
	}
	got, err := db.FindPersonByID(ctx, p.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, p); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *p
	u.OrganisationID, u.Title = b.ID, "CTO"
	ok(t, db.UpdatePerson(ctx, &u, 1))
	got, err = db.FindPersonByID(ctx, p.ID)
	ok(t, err)
	if got.OrganisationID != b.ID || got.Title != "CTO" || got.Version != 2 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdatePerson(ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.UpdatePerson(ctx, &liaison.Person{ID: "nope", Name: "X", OrganisationID: a.ID}, 1), liaison.ENOTFOUND)
	_, err = db.FindPersonByID(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
	wantField(t, db.CreatePerson(ctx, &liaison.Person{Name: "X", OrganisationID: a.ID, Email: "not an email"}), "email", liaison.CodeInvalid)
	// The audit row of the move belongs to the new unit.
	entries := auditOf(t, db, "person", p.ID)
	if entries[0].Action != "update" || entries[0].OrganisationID != b.ID || entries[1].OrganisationID != a.ID {
		t.Fatalf("audit = %+v", entries)
	}
}

func testPersonUnknownOrTrashedUnit(t *testing.T, db *sqlstore.DB) {
	wantField(t, db.CreatePerson(ctx, &liaison.Person{Name: "X", OrganisationID: "nope"}), "organisation_id", liaison.CodeUnknown)
	gone := mkUnit(t, db, "Gone", nil)
	ok(t, db.DeleteOrganisation(ctx, gone.ID, gone.Version))
	wantField(t, db.CreatePerson(ctx, &liaison.Person{Name: "X", OrganisationID: gone.ID}), "organisation_id", liaison.CodeUnknown)
	live := mkUnit(t, db, "Live", nil)
	p := mkPerson(t, db, "P", live)
	p.OrganisationID = gone.ID
	wantField(t, db.UpdatePerson(ctx, p, p.Version), "organisation_id", liaison.CodeUnknown)
}

func testPersonEmailUnique(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	first := mkPerson(t, db, "First", unit, func(p *liaison.Person) { p.Email = "same@example.com" })
	err := db.CreatePerson(ctx, &liaison.Person{Name: "Second", OrganisationID: unit.ID, Email: "SAME@example.com"})
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "First") {
		t.Fatalf("message %q does not name the holder", e.Message)
	}
	// Empty emails never clash.
	mkPerson(t, db, "NoMail1", unit)
	mkPerson(t, db, "NoMail2", unit)
	other := mkPerson(t, db, "Other", unit, func(p *liaison.Person) { p.Email = "other@example.com" })
	other.Email = "same@example.com"
	wantCode(t, db.UpdatePerson(ctx, other, other.Version), liaison.ECONFLICT)
	// Trashing frees the email; the trashed person cannot come back while it is taken.
	ok(t, db.DeletePerson(ctx, first.ID, first.Version))
	mkPerson(t, db, "Second", unit, func(p *liaison.Person) { p.Email = "same@example.com" })
	_, err = db.RestorePerson(ctx, first.ID)
	wantCode(t, err, liaison.ECONFLICT)
	people, _, err := db.FindPeople(ctx, liaison.PersonFilter{Email: "Same@Example.com"})
	ok(t, err)
	sameStrings(t, "by email", personNames(people), []string{"Second"})
}

func testPersonExternalIDUnique(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	mkPerson(t, db, "First", unit, func(p *liaison.Person) { p.ExternalID = "HR-7" })
	err := db.CreatePerson(ctx, &liaison.Person{Name: "Second", OrganisationID: unit.ID, ExternalID: "HR-7"})
	wantCode(t, err, liaison.ECONFLICT)
	people, _, err := db.FindPeople(ctx, liaison.PersonFilter{ExternalID: "HR-7"})
	ok(t, err)
	sameStrings(t, "by external id", personNames(people), []string{"First"})
}

func testPersonTrashAndRestore(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	p := mkPerson(t, db, "Paula", unit)
	wantCode(t, db.DeletePerson(ctx, p.ID, 7), liaison.ESTALE)
	ok(t, db.DeletePerson(ctx, p.ID, p.Version))
	_, err := db.FindPersonByID(ctx, p.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.DeletePerson(ctx, p.ID, 2), liaison.ENOTFOUND)
	trash, _, err := db.FindPeople(ctx, liaison.PersonFilter{Trashed: true})
	ok(t, err)
	sameStrings(t, "trash", personNames(trash), []string{"Paula"})
	live, _, err := db.FindPeople(ctx, liaison.PersonFilter{})
	ok(t, err)
	if len(live) != 0 {
		t.Fatalf("trashed person listed: %q", personNames(live))
	}
	// Not while the unit is in the trash.
	ok(t, db.DeleteOrganisation(ctx, unit.ID, unit.Version))
	_, err = db.RestorePerson(ctx, p.ID)
	wantCode(t, err, liaison.ECONFLICT)
	_, err = db.RestoreOrganisation(ctx, unit.ID)
	ok(t, err)
	back, err := db.RestorePerson(ctx, p.ID)
	ok(t, err)
	if back.DeletedAt != nil || back.Version != 3 {
		t.Fatalf("restored = %+v", back)
	}
	_, err = db.RestorePerson(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
}

func testPersonDeleteActiveCustomerConflict(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	p := mkPerson(t, db, "Carl", acc)
	r := mkRole(t, db, p, acc, liaison.RoleCustomer)
	err := db.DeletePerson(ctx, p.ID, p.Version)
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "Account") {
		t.Fatalf("message %q does not name the account", e.Message)
	}
	r.Active = false
	ok(t, db.UpdateRole(ctx, r, r.Version))
	ok(t, db.DeletePerson(ctx, p.ID, p.Version))
}

func testPersonSearch(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	mkPerson(t, db, "Åsa Öberg", unit, func(p *liaison.Person) { p.Email = "asa.oberg@malmo.se"; p.Title = "Ekonomichef" })
	mkPerson(t, db, "Jyrki Mäkelä", unit, func(p *liaison.Person) { p.Phone = "+358 40 555"; p.Title = "Tietohallintojohtaja" })
	mkPerson(t, db, "王小明", unit, func(p *liaison.Person) { p.Title = "上海分公司经理" })
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"asa", []string{"Åsa Öberg"}},
		{"oberg", []string{"Åsa Öberg"}},
		{"malmo", []string{"Åsa Öberg"}}, // email domain
		{"ekonomi", []string{"Åsa Öberg"}},
		{"makela", []string{"Jyrki Mäkelä"}},
		{"358", []string{"Jyrki Mäkelä"}}, // phone
		{"王", []string{"王小明"}},
		{"上海", []string{"王小明"}},
		{"jyrki oberg", nil},
	} {
		people, _, err := db.FindPeople(ctx, liaison.PersonFilter{Q: tc.q})
		ok(t, err)
		got := personNames(people)
		if len(got) == 0 {
			got = nil
		}
		sameStrings(t, "q="+tc.q, got, tc.want)
	}
}

func testPersonFiltersAndPagination(t *testing.T, db *sqlstore.DB) {
	a := mkUnit(t, db, "A", nil)
	b := mkUnit(t, db, "B", nil)
	var inA []string
	for i := range 5 {
		p := mkPerson(t, db, fmt.Sprint("Person ", i), a)
		inA = append(inA, p.ID)
	}
	mkPerson(t, db, "Elsewhere", b)
	got, pages := pageAll(t, 2, func(cursor string, limit int) ([]*liaison.Person, string, error) {
		return db.FindPeople(ctx, liaison.PersonFilter{OrganisationID: a.ID, Sort: "-created_at", Limit: limit, Cursor: cursor})
	})
	slices.Reverse(inA)
	sameStrings(t, "newest first", ids(got, func(p *liaison.Person) string { return p.ID }), inA)
	if pages != 3 {
		t.Fatalf("%d pages, want 3", pages)
	}
}

// --- roles ---

func testRoleCRUD(t *testing.T, db *sqlstore.DB) {
	it := mkUser(t, db, "Ivan IT")
	acc := mkUnit(t, db, "Account", nil, account)
	dept := mkUnit(t, db, "Dept", acc)
	p := mkPerson(t, db, "Olga", dept)
	r := &liaison.ContactRole{PersonID: p.ID, OrganisationID: dept.ID, Role: liaison.RoleOrderer, Active: true, ITContactUserID: &it.ID}
	ok(t, db.CreateRole(ctx, r))
	if r.ID == "" || r.Version != 1 {
		t.Fatalf("created = %+v", r)
	}
	got, err := db.FindRoleByID(ctx, r.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, r); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	other := &liaison.ContactRole{PersonID: p.ID, OrganisationID: acc.ID, Role: liaison.RoleOther, Label: "Board member", Active: false}
	ok(t, db.CreateRole(ctx, other))
	for _, tc := range []struct {
		name string
		f    liaison.RoleFilter
		want []string
	}{
		{"by person", liaison.RoleFilter{PersonID: p.ID}, []string{r.ID, other.ID}},
		{"by unit", liaison.RoleFilter{OrganisationID: acc.ID}, []string{other.ID}},
		{"by kind", liaison.RoleFilter{Role: liaison.RoleOrderer}, []string{r.ID}},
		{"active", liaison.RoleFilter{Active: liaison.Ptr(true)}, []string{r.ID}},
		{"inactive", liaison.RoleFilter{Active: liaison.Ptr(false)}, []string{other.ID}},
	} {
		roles, _, err := db.FindRoles(ctx, tc.f)
		ok(t, err)
		sameStrings(t, tc.name, ids(roles, func(r *liaison.ContactRole) string { return r.ID }), tc.want)
	}
	u := *r
	u.Active, u.ITContactUserID = false, nil
	ok(t, db.UpdateRole(ctx, &u, 1))
	got, err = db.FindRoleByID(ctx, r.ID)
	ok(t, err)
	if got.Active || got.ITContactUserID != nil || got.Version != 2 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.DeleteRole(ctx, r.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteRole(ctx, r.ID, 2))
	_, err = db.FindRoleByID(ctx, r.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.DeleteRole(ctx, r.ID, 2), liaison.ENOTFOUND)
	// The trail keeps the deleted role.
	entries := auditOf(t, db, "role", r.ID)
	if len(entries) != 3 || entries[0].Action != "delete" || entries[0].Before == nil || entries[0].After != nil {
		t.Fatalf("audit of deleted role = %+v", entries)
	}
}

func testRoleCustomerNeedsBudgetHolder(t *testing.T, db *sqlstore.DB) {
	plain := mkUnit(t, db, "Plain unit", nil)
	p := mkPerson(t, db, "P", plain)
	err := db.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: plain.ID, Role: liaison.RoleCustomer, Active: true})
	wantField(t, err, "role", liaison.CodeInvalid)
	if !strings.Contains(err.Error(), "budget holder") || !strings.Contains(err.Error(), "orderer") {
		t.Fatalf("error %q does not explain the way out", err)
	}
	// Nor by turning an orderer into a customer.
	r := mkRole(t, db, p, plain, liaison.RoleOrderer)
	r.Role = liaison.RoleCustomer
	wantField(t, db.UpdateRole(ctx, r, r.Version), "role", liaison.CodeInvalid)
}

func testRoleSecondCustomerConflict(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Kommunledning", nil, account)
	first := mkPerson(t, db, "Karin Kund", acc)
	second := mkPerson(t, db, "Sven Svensson", acc)
	r1 := mkRole(t, db, first, acc, liaison.RoleCustomer)
	err := db.CreateRole(ctx, &liaison.ContactRole{PersonID: second.ID, OrganisationID: acc.ID, Role: liaison.RoleCustomer, Active: true})
	e := wantCode(t, err, liaison.ECONFLICT)
	if want := "Kommunledning already has an active customer: Karin Kund; end that role first"; e.Message != want {
		t.Fatalf("message = %q, want %q", e.Message, want)
	}
	// An inactive second customer is fine; activating it is not, until the first ends.
	r2 := &liaison.ContactRole{PersonID: second.ID, OrganisationID: acc.ID, Role: liaison.RoleCustomer}
	ok(t, db.CreateRole(ctx, r2))
	r2.Active = true
	wantCode(t, db.UpdateRole(ctx, r2, r2.Version), liaison.ECONFLICT)
	// Updating the current customer's own role does not clash with itself.
	r1.Label = "since 2024"
	ok(t, db.UpdateRole(ctx, r1, r1.Version))
	r1.Active = false
	ok(t, db.UpdateRole(ctx, r1, r1.Version))
	ok(t, db.UpdateRole(ctx, r2, r2.Version))
	d, err := db.WhoDecides(ctx, acc.ID)
	ok(t, err)
	if d.Customer == nil || d.Customer.ID != second.ID {
		t.Fatalf("customer = %+v, want Sven", d.Customer)
	}
}

func testRoleSecondCustomerConcurrent(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	const n = 8
	people := make([]*liaison.Person, n)
	for i := range people {
		people[i] = mkPerson(t, db, fmt.Sprint("Candidate ", i), acc)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.CreateRole(ctx, &liaison.ContactRole{PersonID: people[i].ID, OrganisationID: acc.ID, Role: liaison.RoleCustomer, Active: true})
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("two customers named: %d and %d", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("no customer named: %v", errs)
	}
	want := "Account already has an active customer: " + people[winner].Name + "; end that role first"
	for i, err := range errs {
		if i == winner {
			continue
		}
		if e := wantCode(t, err, liaison.ECONFLICT); e.Message != want {
			t.Fatalf("loser %d: message %q, want %q", i, e.Message, want)
		}
	}
}

func testRoleUnknownRefs(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	p := mkPerson(t, db, "P", unit)
	err := db.CreateRole(ctx, &liaison.ContactRole{PersonID: "nope", OrganisationID: "nope", Role: liaison.RoleUser, ITContactUserID: liaison.Ptr("nope")})
	wantField(t, err, "person_id", liaison.CodeUnknown)
	wantField(t, err, "organisation_id", liaison.CodeUnknown)
	wantField(t, err, "it_contact_user_id", liaison.CodeUnknown)
	wantField(t, db.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: "boss"}), "role", liaison.CodeInvalid)
	wantField(t, db.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: liaison.RoleOther}), "label", liaison.CodeRequired)
	// A trashed person takes no new roles.
	ok(t, db.DeletePerson(ctx, p.ID, p.Version))
	wantField(t, db.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: liaison.RoleUser}), "person_id", liaison.CodeUnknown)
}

func testRoleStale(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	r := mkRole(t, db, mkPerson(t, db, "P", unit), unit, liaison.RoleUser)
	a, b := *r, *r
	a.Label = "a"
	ok(t, db.UpdateRole(ctx, &a, 1))
	b.Label = "b"
	if e := wantCode(t, db.UpdateRole(ctx, &b, 1), liaison.ESTALE); !strings.Contains(e.Message, "now version 2") {
		t.Fatalf("message = %q", e.Message)
	}
	wantCode(t, db.UpdateRole(ctx, &liaison.ContactRole{ID: "nope", PersonID: r.PersonID, OrganisationID: unit.ID, Role: liaison.RoleUser}, 1), liaison.ENOTFOUND)
}

func testRoleListHidesTrashedHolders(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	stay := mkRole(t, db, mkPerson(t, db, "Stay", unit), unit, liaison.RoleUser)
	leaver := mkPerson(t, db, "Leaver", unit)
	mkRole(t, db, leaver, unit, liaison.RoleUser)
	ok(t, db.DeletePerson(ctx, leaver.ID, leaver.Version))
	roles, _, err := db.FindRoles(ctx, liaison.RoleFilter{OrganisationID: unit.ID})
	ok(t, err)
	sameStrings(t, "roles", ids(roles, func(r *liaison.ContactRole) string { return r.ID }), []string{stay.ID})
	_, err = db.RestorePerson(ctx, leaver.ID)
	ok(t, err)
	roles, _, err = db.FindRoles(ctx, liaison.RoleFilter{OrganisationID: unit.ID})
	ok(t, err)
	if len(roles) != 2 {
		t.Fatalf("after restore %d roles, want 2", len(roles))
	}
}

func testRolePagination(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	p := mkPerson(t, db, "P", unit)
	var want []string
	for range 7 {
		want = append(want, mkRole(t, db, p, unit, liaison.RoleUser).ID)
	}
	got, _ := pageAll(t, 3, func(cursor string, limit int) ([]*liaison.ContactRole, string, error) {
		return db.FindRoles(ctx, liaison.RoleFilter{PersonID: p.ID, Limit: limit, Cursor: cursor})
	})
	sameStrings(t, "roles", ids(got, func(r *liaison.ContactRole) string { return r.ID }), want)
}

// --- segments ---

func testSegmentCRUD(t *testing.T, db *sqlstore.DB) {
	wantField(t, db.CreateSegment(ctx, &liaison.Segment{Name: ""}), "name", liaison.CodeRequired)
	s := &liaison.Segment{Name: "Foundation", Description: "Stiftelser"}
	ok(t, db.CreateSegment(ctx, s))
	ok(t, db.CreateSegment(ctx, &liaison.Segment{Name: "Company"}))
	got, err := db.FindSegmentByID(ctx, s.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, s); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	all, err := db.FindSegments(ctx)
	ok(t, err)
	sameStrings(t, "segments", ids(all, func(s *liaison.Segment) string { return s.Name }), []string{"Company", "Foundation"})
	u := *s
	u.Name = "Foundations"
	ok(t, db.UpdateSegment(ctx, &u, 1))
	if u.Version != 2 {
		t.Fatalf("updated = %+v", u)
	}
	wantCode(t, db.UpdateSegment(ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteSegment(ctx, s.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteSegment(ctx, s.ID, 2))
	_, err = db.FindSegmentByID(ctx, s.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.UpdateSegment(ctx, &u, 2), liaison.ENOTFOUND)
	actions := ids(auditOf(t, db, "segment", s.ID), func(e *liaison.AuditEntry) string { return e.Action })
	sameStrings(t, "actions", actions, []string{"delete", "update", "create"})
}

func testSegmentDeleteInUse(t *testing.T, db *sqlstore.DB) {
	s := &liaison.Segment{Name: "Municipal"}
	ok(t, db.CreateSegment(ctx, s))
	o := mkUnit(t, db, "User of segment", nil, account, func(o *liaison.Organisation) { o.Segment = s.ID })
	wantCode(t, db.DeleteSegment(ctx, s.ID, s.Version), liaison.ECONFLICT)
	// A trashed unit still holds its segment: it may come back.
	ok(t, db.DeleteOrganisation(ctx, o.ID, o.Version))
	wantCode(t, db.DeleteSegment(ctx, s.ID, s.Version), liaison.ECONFLICT)
}

// --- users ---

func testUserCRUD(t *testing.T, db *sqlstore.DB) {
	u := &liaison.User{Name: "Ada Admin", Email: " Ada@Example.com", Role: liaison.RoleAdmin, Active: true, PasswordHash: "$argon2id$v=19$x"}
	ok(t, db.CreateUser(ctx, u))
	if u.Email != "ada@example.com" || u.Language != liaison.English || u.Version != 1 {
		t.Fatalf("created = %+v", u)
	}
	got, err := db.FindUserByID(ctx, u.ID)
	ok(t, err)
	if got.PasswordHash != u.PasswordHash || mustJSON(t, got) != mustJSON(t, u) {
		t.Fatalf("found %+v, want %+v", got, u)
	}
	got, err = db.FindUserByEmail(ctx, "ADA@example.COM ")
	ok(t, err)
	if got.ID != u.ID {
		t.Fatalf("by email = %+v", got)
	}
	_, err = db.FindUserByEmail(ctx, "nobody@example.com")
	wantCode(t, err, liaison.ENOTFOUND)
	_, err = db.FindUserByID(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
	up := *got
	up.Name, up.PasswordHash, up.Active, up.Language = "Ada Lovelace", "", false, liaison.Finnish
	ok(t, db.UpdateUser(ctx, &up, 1))
	got, err = db.FindUserByID(ctx, u.ID)
	ok(t, err)
	if got.Name != "Ada Lovelace" || got.PasswordHash != "" || got.Active || got.Language != liaison.Finnish || got.Version != 2 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateUser(ctx, &up, 1), liaison.ESTALE)
	wantCode(t, db.UpdateUser(ctx, &liaison.User{ID: "nope", Name: "X", Email: "x@example.com", Role: liaison.RoleViewer}, 1), liaison.ENOTFOUND)
	wantField(t, db.CreateUser(ctx, &liaison.User{Name: "X", Email: "x@example.com", Role: "god"}), "role", liaison.CodeInvalid)
}

func testUserEmailUnique(t *testing.T, db *sqlstore.DB) {
	a := mkUser(t, db, "Same Name")
	err := db.CreateUser(ctx, &liaison.User{Name: "Other", Email: strings.ToUpper(a.Email), Role: liaison.RoleStaff})
	if e := wantCode(t, err, liaison.ECONFLICT); e.Message != "a user with this email already exists" {
		t.Fatalf("message = %q", e.Message)
	}
	b := mkUser(t, db, "Other")
	b.Email = a.Email
	wantCode(t, db.UpdateUser(ctx, b, b.Version), liaison.ECONFLICT)
}

func testUserListAndSearch(t *testing.T, db *sqlstore.DB) {
	for _, n := range []string{"Åke Ström", "Bea Berg", "Chen Wei", "Dag Dahl"} {
		mkUser(t, db, n)
	}
	v := &liaison.User{Name: "Vera Viewer", Email: "vera@example.com", Role: liaison.RoleViewer}
	ok(t, db.CreateUser(ctx, v))
	names := func(f liaison.UserFilter) []string {
		users, _, err := db.FindUsers(ctx, f)
		ok(t, err)
		return ids(users, func(u *liaison.User) string { return u.Name })
	}
	sameStrings(t, "all by name", names(liaison.UserFilter{}), []string{"Bea Berg", "Chen Wei", "Dag Dahl", "Vera Viewer", "Åke Ström"})
	sameStrings(t, "q=strom", names(liaison.UserFilter{Q: "strom"}), []string{"Åke Ström"})
	sameStrings(t, "q by email", names(liaison.UserFilter{Q: "vera"}), []string{"Vera Viewer"})
	sameStrings(t, "role", names(liaison.UserFilter{Role: liaison.RoleViewer}), []string{"Vera Viewer"})
	sameStrings(t, "email", names(liaison.UserFilter{Email: "BEA.BERG@example.com"}), []string{"Bea Berg"})
	got, _ := pageAll(t, 2, func(cursor string, limit int) ([]*liaison.User, string, error) {
		return db.FindUsers(ctx, liaison.UserFilter{Sort: "-name", Limit: limit, Cursor: cursor})
	})
	sameStrings(t, "-name pages", ids(got, func(u *liaison.User) string { return u.Name }),
		[]string{"Åke Ström", "Vera Viewer", "Dag Dahl", "Chen Wei", "Bea Berg"})
}

// --- auth ---

func testSessionCreateFindExpire(t *testing.T, db *sqlstore.DB) {
	c := useClock(db, start)
	u := mkUser(t, db, "Sam")
	s := &liaison.Session{Hash: []byte("hash-1"), UserID: u.ID, ExpiresAt: start.Add(time.Hour)}
	ok(t, db.CreateSession(ctx, s))
	if s.CreatedAt.IsZero() {
		t.Fatal("CreatedAt not filled")
	}
	got, err := db.FindSession(ctx, []byte("hash-1"))
	ok(t, err)
	if got.UserID != u.ID || !got.ExpiresAt.Equal(start.Add(time.Hour)) || got.ExpiresAt.Location() != time.UTC {
		t.Fatalf("found = %+v", got)
	}
	wantCode(t, db.CreateSession(ctx, &liaison.Session{Hash: []byte("hash-1"), UserID: u.ID, ExpiresAt: start.Add(time.Hour)}), liaison.ECONFLICT)
	_, err = db.FindSession(ctx, []byte("other"))
	wantCode(t, err, liaison.ENOTFOUND)
	c.Advance(2 * time.Hour)
	_, err = db.FindSession(ctx, []byte("hash-1"))
	wantCode(t, err, liaison.ENOTFOUND)

	for _, h := range []string{"a", "b"} {
		ok(t, db.CreateSession(ctx, &liaison.Session{Hash: []byte(h), UserID: u.ID, ExpiresAt: c.Now().Add(time.Hour)}))
	}
	ok(t, db.DeleteSession(ctx, []byte("a")))
	ok(t, db.DeleteSession(ctx, []byte("a"))) // twice is fine
	_, err = db.FindSession(ctx, []byte("a"))
	wantCode(t, err, liaison.ENOTFOUND)
	_, err = db.FindSession(ctx, []byte("b"))
	ok(t, err)
	ok(t, db.DeleteUserSessions(ctx, u.ID))
	_, err = db.FindSession(ctx, []byte("b"))
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.CreateSession(ctx, &liaison.Session{Hash: []byte("x"), UserID: "nope", ExpiresAt: c.Now().Add(time.Hour)}), liaison.EINVALID)
}

func testTokenCreateFindRevoke(t *testing.T, db *sqlstore.DB) {
	u, other := mkUser(t, db, "Tina"), mkUser(t, db, "Other")
	tok := &liaison.Token{UserID: u.ID, Name: "CI", Scope: liaison.ScopeRead, Hash: []byte("secret-hash")}
	ok(t, db.CreateToken(ctx, tok))
	if tok.ID == "" || tok.CreatedAt.IsZero() {
		t.Fatalf("created = %+v", tok)
	}
	wantField(t, db.CreateToken(ctx, &liaison.Token{UserID: u.ID, Scope: "admin", Hash: []byte("h")}), "scope", liaison.CodeInvalid)
	wantCode(t, db.CreateToken(ctx, &liaison.Token{UserID: u.ID, Scope: liaison.ScopeWrite, Hash: []byte("secret-hash")}), liaison.ECONFLICT)
	got, err := db.FindTokenByHash(ctx, []byte("secret-hash"))
	ok(t, err)
	if got.ID != tok.ID || got.Scope != liaison.ScopeRead || got.UserID != u.ID {
		t.Fatalf("found = %+v", got)
	}
	ok(t, db.CreateToken(ctx, &liaison.Token{UserID: u.ID, Name: "second", Scope: liaison.ScopeWrite, Hash: []byte("h2")}))
	wantCode(t, db.RevokeToken(ctx, other.ID, tok.ID), liaison.ENOTFOUND) // not theirs
	wantCode(t, db.RevokeToken(ctx, u.ID, "nope"), liaison.ENOTFOUND)
	ok(t, db.RevokeToken(ctx, u.ID, tok.ID))
	ok(t, db.RevokeToken(ctx, u.ID, tok.ID)) // twice is fine
	_, err = db.FindTokenByHash(ctx, []byte("secret-hash"))
	wantCode(t, err, liaison.ENOTFOUND)
	tokens, err := db.FindTokens(ctx, u.ID)
	ok(t, err)
	if len(tokens) != 2 || tokens[0].Name != "second" || tokens[1].RevokedAt == nil {
		t.Fatalf("tokens = %+v", tokens)
	}
}

func testPrincipalLookups(t *testing.T, db *sqlstore.DB) {
	c := useClock(db, start)
	u := mkUser(t, db, "Pia")
	ok(t, db.CreateToken(ctx, &liaison.Token{UserID: u.ID, Name: "it", Scope: liaison.ScopeWrite, Hash: []byte("tok")}))
	tok, tu, err := db.FindTokenUser(ctx, []byte("tok"))
	ok(t, err)
	if tok.UserID != u.ID || tok.Scope != liaison.ScopeWrite || tu.ID != u.ID || tu.Name != "Pia" || tok.LastUsedAt == nil {
		t.Fatalf("FindTokenUser = %+v, %+v", tok, tu)
	}
	ok(t, db.RevokeToken(ctx, u.ID, tok.ID))
	_, _, err = db.FindTokenUser(ctx, []byte("tok"))
	wantCode(t, err, liaison.ENOTFOUND)

	ok(t, db.CreateSession(ctx, &liaison.Session{Hash: []byte("ses"), UserID: u.ID, ExpiresAt: start.Add(time.Hour)}))
	s, su, err := db.FindSessionUser(ctx, []byte("ses"))
	ok(t, err)
	if s.UserID != u.ID || su.Email != u.Email || !s.ExpiresAt.Equal(start.Add(time.Hour)) {
		t.Fatalf("FindSessionUser = %+v, %+v", s, su)
	}
	_, _, err = db.FindSessionUser(ctx, []byte("nope"))
	wantCode(t, err, liaison.ENOTFOUND)
	c.Advance(2 * time.Hour)
	_, _, err = db.FindSessionUser(ctx, []byte("ses"))
	wantCode(t, err, liaison.ENOTFOUND)
}

func testTokenLastUsed(t *testing.T, db *sqlstore.DB) {
	c := useClock(db, start)
	u := mkUser(t, db, "Tom")
	ok(t, db.CreateToken(ctx, &liaison.Token{UserID: u.ID, Scope: liaison.ScopeWrite, Hash: []byte("h")}))
	lastUsed := func() *time.Time {
		tokens, err := db.FindTokens(ctx, u.ID)
		ok(t, err)
		return tokens[0].LastUsedAt
	}
	if lastUsed() != nil {
		t.Fatal("unused token has last_used_at")
	}
	first, err := db.FindTokenByHash(ctx, []byte("h"))
	ok(t, err)
	stored := lastUsed()
	if first.LastUsedAt == nil || stored == nil || !stored.Equal(*first.LastUsedAt) {
		t.Fatalf("first use: returned %v, stored %v", first.LastUsedAt, stored)
	}
	c.Advance(30 * time.Second)
	_, err = db.FindTokenByHash(ctx, []byte("h"))
	ok(t, err)
	if again := lastUsed(); !again.Equal(*stored) {
		t.Fatalf("last_used_at moved within a minute: %v → %v", stored, again)
	}
	c.Advance(time.Minute)
	_, err = db.FindTokenByHash(ctx, []byte("h"))
	ok(t, err)
	if later := lastUsed(); !later.After(*stored) {
		t.Fatalf("last_used_at did not move after a minute: %v", later)
	}
}

func testLoginFailuresWindow(t *testing.T, db *sqlstore.DB) {
	c := useClock(db, start)
	key := "ada@example.com|192.0.2.1"
	for i := range 3 {
		n, err := db.RecordLoginFailure(ctx, key, start.Add(-10*time.Minute))
		ok(t, err)
		if n != i+1 {
			t.Fatalf("failure %d counted %d", i+1, n)
		}
		c.Advance(time.Minute)
	}
	n, err := db.LoginFailures(ctx, key, start.Add(90*time.Second)) // the window drops the first two
	ok(t, err)
	if n != 1 {
		t.Fatalf("failures in window = %d, want 1", n)
	}
	n, err = db.LoginFailures(ctx, "other", start.Add(-time.Hour))
	ok(t, err)
	if n != 0 {
		t.Fatalf("other key has %d failures", n)
	}
	// A failure prunes what fell out of the window.
	n, err = db.RecordLoginFailure(ctx, key, start.Add(90*time.Second))
	ok(t, err)
	if n != 2 {
		t.Fatalf("after a new failure = %d, want 2", n)
	}
	n, err = db.LoginFailures(ctx, key, start.Add(-time.Hour))
	ok(t, err)
	if n != 2 {
		t.Fatalf("old failures not pruned: %d", n)
	}
	ok(t, db.ClearLoginFailures(ctx, key))
	n, err = db.LoginFailures(ctx, key, start.Add(-time.Hour))
	ok(t, err)
	if n != 0 {
		t.Fatalf("after clear = %d", n)
	}
}

// --- audit ---

func testAuditBeforeAfterAndActor(t *testing.T, db *sqlstore.DB) {
	admin := mkUser(t, db, "Alice Admin")
	actx := liaison.WithPrincipal(ctx, &liaison.Principal{User: &liaison.User{ID: admin.ID}, Scope: liaison.ScopeWrite}) // name looked up
	o := &liaison.Organisation{Name: "Before"}
	ok(t, db.CreateOrganisation(actx, o))
	u := *o
	u.Name = "After"
	ok(t, db.UpdateOrganisation(actx, &u, 1))
	// The trail keeps the name the actor had.
	admin.Name = "Alice Renamed"
	ok(t, db.UpdateUser(ctx, admin, admin.Version))

	entries := auditOf(t, db, "organisation", o.ID)
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2", len(entries))
	}
	upd, crt := entries[0], entries[1]
	if upd.Action != "update" || upd.ActorID != admin.ID || upd.ActorName != "Alice Admin" || upd.Summary != "After" ||
		upd.SubjectType != "organisation" || upd.SubjectID != o.ID || upd.OrganisationID != o.ID || upd.At.Location() != time.UTC {
		t.Fatalf("update entry = %+v", upd)
	}
	var before, after liaison.Organisation
	ok(t, json.Unmarshal(upd.Before, &before))
	ok(t, json.Unmarshal(upd.After, &after))
	if before.Name != "Before" || before.Version != 1 || after.Name != "After" || after.Version != 2 {
		t.Fatalf("before %+v after %+v", before, after)
	}
	if crt.Action != "create" || crt.Before != nil || crt.After == nil {
		t.Fatalf("create entry = %+v", crt)
	}
	if !upd.At.Equal(u.UpdatedAt) {
		t.Fatalf("audit at %v, change at %v: want the same transaction time", upd.At, u.UpdatedAt)
	}
	// Without a principal the system acts.
	sys := auditOf(t, db, "user", admin.ID)
	if sys[0].ActorID != "" || sys[0].ActorName != "" {
		t.Fatalf("system entry = %+v", sys[0])
	}
	// A principal carrying its name is recorded as is.
	nctx := liaison.WithPrincipal(ctx, &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	s := &liaison.Segment{Name: "S"}
	ok(t, db.CreateSegment(nctx, s))
	if e := auditOf(t, db, "segment", s.ID)[0]; e.ActorName != "Alice Renamed" || e.OrganisationID != "" {
		t.Fatalf("segment entry = %+v", e)
	}
}

func testAuditNoPasswordHash(t *testing.T, db *sqlstore.DB) {
	u := &liaison.User{Name: "Hash Holder", Email: "h@example.com", Role: liaison.RoleStaff, PasswordHash: "$argon2id$v=19$secretsalt"}
	ok(t, db.CreateUser(ctx, u))
	u.PasswordHash = "$argon2id$v=19$othersecret"
	ok(t, db.UpdateUser(ctx, u, 1))
	for _, e := range auditOf(t, db, "user", u.ID) {
		if strings.Contains(string(e.Before)+string(e.After), "argon2id") {
			t.Fatalf("audit leaks the password hash: %s / %s", e.Before, e.After)
		}
	}
}

func testAuditRoleAndDeleteSummary(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	p := mkPerson(t, db, "Karin Kund", acc)
	r := mkRole(t, db, p, acc, liaison.RoleCustomer)
	e := auditOf(t, db, "role", r.ID)[0]
	if e.Summary != "Karin Kund – customer" || e.OrganisationID != acc.ID || e.SubjectType != "role" {
		t.Fatalf("role entry = %+v", e)
	}
	other := &liaison.ContactRole{PersonID: p.ID, OrganisationID: acc.ID, Role: liaison.RoleOther, Label: "Sponsor"}
	ok(t, db.CreateRole(ctx, other))
	if e := auditOf(t, db, "role", other.ID)[0]; e.Summary != "Karin Kund – Sponsor" {
		t.Fatalf("other role summary = %q", e.Summary)
	}
	// A delete records the trashed state after.
	plain := mkPerson(t, db, "Per", acc)
	ok(t, db.DeletePerson(ctx, plain.ID, plain.Version))
	e = auditOf(t, db, "person", plain.ID)[0]
	var after liaison.Person
	ok(t, json.Unmarshal(e.After, &after))
	if e.Action != "delete" || e.Summary != "Per" || after.DeletedAt == nil || e.OrganisationID != acc.ID {
		t.Fatalf("delete entry = %+v", e)
	}
}

func testAuditSubtreeAndPages(t *testing.T, db *sqlstore.DB) {
	top := mkUnit(t, db, "Top", nil)
	acc := mkUnit(t, db, "Account", top, account)
	dept := mkUnit(t, db, "Dept", acc)
	sibling := mkUnit(t, db, "Sibling", top)
	p := mkPerson(t, db, "Deep person", dept)
	r := mkRole(t, db, p, dept, liaison.RoleOrderer)
	mkPerson(t, db, "Sibling person", sibling)
	s := &liaison.Segment{Name: "Outside the tree"}
	ok(t, db.CreateSegment(ctx, s))

	subjects := func(f liaison.AuditFilter) []string {
		entries, _, err := db.FindAuditEntries(ctx, f)
		ok(t, err)
		return ids(entries, func(e *liaison.AuditEntry) string { return e.SubjectID })
	}
	sameStrings(t, "subtree of account", subjects(liaison.AuditFilter{OrganisationID: acc.ID, Subtree: true}),
		[]string{r.ID, p.ID, dept.ID, acc.ID})
	sameStrings(t, "account only", subjects(liaison.AuditFilter{OrganisationID: acc.ID}), []string{acc.ID})
	sameStrings(t, "dept only", subjects(liaison.AuditFilter{OrganisationID: dept.ID}), []string{r.ID, p.ID, dept.ID})
	if n := len(subjects(liaison.AuditFilter{OrganisationID: top.ID, Subtree: true})); n != 7 {
		t.Fatalf("subtree of top: %d entries, want 7", n)
	}
	if n := len(subjects(liaison.AuditFilter{OrganisationID: "nope", Subtree: true})); n != 0 {
		t.Fatalf("subtree of unknown unit: %d entries", n)
	}
	// After a move, the subtree follows the tree as it is now.
	mv := *dept
	mv.ParentID = &sibling.ID
	ok(t, db.UpdateOrganisation(ctx, &mv, mv.Version))
	sameStrings(t, "subtree after move", subjects(liaison.AuditFilter{OrganisationID: acc.ID, Subtree: true}), []string{acc.ID})

	// Every entry, newest first, across pages.
	all, _ := pageAll(t, 3, func(cursor string, limit int) ([]*liaison.AuditEntry, string, error) {
		return db.FindAuditEntries(ctx, liaison.AuditFilter{Limit: limit, Cursor: cursor})
	})
	if len(all) != 9 {
		t.Fatalf("%d entries in all, want 9", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Fatalf("entry %d (%v) newer than entry %d (%v)", i, all[i].At, i-1, all[i-1].At)
		}
	}
	if all[0].SubjectID != dept.ID || all[len(all)-1].SubjectID != top.ID {
		t.Fatalf("first %s last %s", all[0].SubjectID, all[len(all)-1].SubjectID)
	}
}

func testAuditRollbackWritesNothing(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	before, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{})
	ok(t, err)
	wantField(t, db.CreatePerson(ctx, &liaison.Person{Name: "X", OrganisationID: "nope"}), "organisation_id", liaison.CodeUnknown)
	u := *unit
	u.Name = "Changed"
	wantCode(t, db.UpdateOrganisation(ctx, &u, 9), liaison.ESTALE)
	after, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{})
	ok(t, err)
	if len(after) != len(before) {
		t.Fatalf("refused changes wrote %d audit entries", len(after)-len(before))
	}
}

// --- settings, idempotency, ping ---

func testSettingsDefaultsAndSave(t *testing.T, db *sqlstore.DB) {
	s, err := db.Settings(ctx)
	ok(t, err)
	if !reflect.DeepEqual(s, liaison.DefaultSettings()) {
		t.Fatalf("fresh settings = %+v, want defaults", s)
	}
	ok(t, db.SaveSettings(ctx, liaison.Settings{StaleReviewMonths: 18}))
	s, err = db.Settings(ctx)
	ok(t, err)
	if s.StaleReviewMonths != 18 {
		t.Fatalf("saved settings = %+v", s)
	}
	ok(t, db.SaveSettings(ctx, liaison.Settings{StaleReviewMonths: 6}))
	s, err = db.Settings(ctx)
	ok(t, err)
	if s.StaleReviewMonths != 6 {
		t.Fatalf("saved again = %+v", s)
	}
	wantField(t, db.SaveSettings(ctx, liaison.Settings{StaleReviewMonths: 0}), "stale_review_months", liaison.CodeInvalid)
	entries := auditOf(t, db, "settings", "settings")
	if len(entries) != 2 || !strings.Contains(string(entries[0].Before), "18") || !strings.Contains(string(entries[0].After), "6") {
		t.Fatalf("settings audit = %+v", entries)
	}
}

func testIdempotency(t *testing.T, db *sqlstore.DB) {
	u := mkUser(t, db, "Idem")
	_, err := db.FindIdempotent(ctx, u.ID, "k1")
	wantCode(t, err, liaison.ENOTFOUND)
	r := &liaison.IdempotentResponse{Key: "k1", UserID: u.ID, RequestHash: []byte{1, 2, 3}, Status: 201,
		Location: "/api/v1/organisations/x", Body: []byte(`{"id":"x"}`)}
	ok(t, db.SaveIdempotent(ctx, r))
	got, err := db.FindIdempotent(ctx, u.ID, "k1")
	ok(t, err)
	if got.Status != 201 || got.Location != r.Location || string(got.Body) != string(r.Body) ||
		string(got.RequestHash) != string(r.RequestHash) || got.CreatedAt.IsZero() || !got.CreatedAt.Equal(r.CreatedAt) {
		t.Fatalf("found %+v, saved %+v", got, r)
	}
	wantCode(t, db.SaveIdempotent(ctx, &liaison.IdempotentResponse{Key: "k1", UserID: u.ID, Status: 201}), liaison.ECONFLICT)
	// Keys are per user.
	ok(t, db.SaveIdempotent(ctx, &liaison.IdempotentResponse{Key: "k1", UserID: "another", Status: 201}))
	_, err = db.FindIdempotent(ctx, "third", "k1")
	wantCode(t, err, liaison.ENOTFOUND)

	// A claim commits with the record it came with, and only once.
	claim := &liaison.IdempotencyClaim{UserID: u.ID, Key: "k2", RequestHash: []byte{9}, LocationPrefix: "/api/v1/segments/"}
	cctx := liaison.WithIdempotencyClaim(ctx, claim)
	wantCode(t, db.CreateSegment(cctx, &liaison.Segment{}), liaison.EINVALID)
	_, err = db.FindIdempotent(ctx, u.ID, "k2")
	wantCode(t, err, liaison.ENOTFOUND) // rolled back with the refused create
	s := &liaison.Segment{Name: "Claimed"}
	ok(t, db.CreateSegment(cctx, s))
	got, err = db.FindIdempotent(ctx, u.ID, "k2")
	ok(t, err)
	if claim.Location != "/api/v1/segments/"+s.ID || got.Location != claim.Location || got.Status != 201 ||
		len(got.Body) != 0 || string(got.RequestHash) != "\x09" {
		t.Fatalf("claim %+v stored as %+v", claim, got)
	}
	// The same key claimed again (a racing retry) refuses the second create whole.
	again := &liaison.IdempotencyClaim{UserID: u.ID, Key: "k2", RequestHash: []byte{9}, LocationPrefix: "/api/v1/segments/"}
	wantCode(t, db.CreateSegment(liaison.WithIdempotencyClaim(ctx, again), &liaison.Segment{Name: "Claimed twice"}), liaison.ECONFLICT)
	segs, err := db.FindSegments(ctx)
	ok(t, err)
	named := 0
	for _, sg := range segs {
		if strings.HasPrefix(sg.Name, "Claimed") {
			named++
		}
	}
	if named != 1 {
		t.Fatalf("%d segments named Claimed, want 1", named)
	}
	// The answer fills in the claimed row; another request's answer may not.
	wantCode(t, db.SaveIdempotent(ctx, &liaison.IdempotentResponse{Key: "k2", UserID: u.ID, RequestHash: []byte{8}, Status: 201}), liaison.ECONFLICT)
	ok(t, db.SaveIdempotent(ctx, &liaison.IdempotentResponse{Key: "k2", UserID: u.ID, RequestHash: []byte{9}, Status: 201,
		Location: claim.Location, Body: []byte(`{"id":"` + s.ID + `"}`)}))
	got, err = db.FindIdempotent(ctx, u.ID, "k2")
	ok(t, err)
	if string(got.Body) != `{"id":"`+s.ID+`"}` {
		t.Fatalf("answer not filled in: %+v", got)
	}
}

func testPingMigrated(t *testing.T, db *sqlstore.DB) {
	ok(t, db.Ping(ctx))
	ok(t, db.Migrate(ctx)) // nothing left to do
	ok(t, db.Ping(ctx))
}

func testTimesUTCAndSortOrder(t *testing.T, db *sqlstore.DB) {
	// Times whose text forms would mis-sort if fractions were trimmed, across
	// zones, a second boundary and a day boundary.
	base := time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	at := []time.Time{
		base,
		base.Add(time.Microsecond),
		base.Add(100 * time.Millisecond),
		base.Add(120 * time.Millisecond).In(time.FixedZone("X", -5*3600)),
		base.Add(999999 * time.Microsecond),
		base.Add(time.Second).In(time.FixedZone("Y", 9*3600)), // next year, in another zone
	}
	c := useClock(db, base)
	order := []int{3, 0, 5, 1, 4, 2} // created out of time order
	for _, i := range order {
		c.Set(at[i].Add(-time.Millisecond)) // the clock ticks 1ms per reading
		s := &liaison.Segment{Name: fmt.Sprint("S", i)}
		ok(t, db.CreateSegment(ctx, s))
		if !s.CreatedAt.Equal(at[i]) || s.CreatedAt.Location() != time.UTC {
			t.Fatalf("created_at %v, want %v in UTC", s.CreatedAt, at[i])
		}
	}
	unit := mkUnit(t, db, "Unit", nil)
	for _, i := range order {
		c.Set(at[i].Add(-time.Millisecond))
		mkPerson(t, db, fmt.Sprint("P", i), unit)
	}
	people, _, err := db.FindPeople(ctx, liaison.PersonFilter{Sort: "created_at"})
	ok(t, err)
	sameStrings(t, "by created_at", personNames(people), []string{"P0", "P1", "P2", "P3", "P4", "P5"})
	for i, p := range people {
		if !p.CreatedAt.Equal(at[i]) || p.CreatedAt.Location() != time.UTC {
			t.Fatalf("%s created_at %v, want %v UTC", p.Name, p.CreatedAt, at[i])
		}
	}
	// Keyset pages step over equal-looking times correctly.
	got, _ := pageAll(t, 1, func(cursor string, limit int) ([]*liaison.Person, string, error) {
		return db.FindPeople(ctx, liaison.PersonFilter{Sort: "-created_at", Limit: limit, Cursor: cursor})
	})
	sameStrings(t, "by -created_at, one per page", personNames(got), []string{"P5", "P4", "P3", "P2", "P1", "P0"})
	// Nanoseconds are cut to microseconds, the precision both engines keep.
	c.Set(base.Add(time.Hour + 123456789))
	s := &liaison.Segment{Name: "ns"}
	ok(t, db.CreateSegment(ctx, s))
	found, err := db.FindSegmentByID(ctx, s.ID)
	ok(t, err)
	if !found.CreatedAt.Equal(s.CreatedAt) || found.CreatedAt.Nanosecond()%1000 != 0 {
		t.Fatalf("stored %v, returned %v", found.CreatedAt, s.CreatedAt)
	}
}

// testParallelWritesAndReads runs writers and readers at once: on SQLite
// the single writer connection must queue writers (no SQLITE_BUSY), and
// readers must run beside it.
func testParallelWritesAndReads(t *testing.T, db *sqlstore.DB) {
	unit := mkUnit(t, db, "Unit", nil)
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				p := &liaison.Person{Name: fmt.Sprintf("W%d-%d", w, i), OrganisationID: unit.ID}
				if err := db.CreatePerson(ctx, p); err != nil {
					errs <- err
					return
				}
				p.Title = "updated"
				if err := db.UpdatePerson(ctx, p, p.Version); err != nil {
					errs <- err
					return
				}
				if _, err := db.FindOrganisationByID(ctx, unit.ID); err != nil {
					errs <- err
					return
				}
				if _, _, err := db.FindPeople(ctx, liaison.PersonFilter{OrganisationID: unit.ID, Limit: 5}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	people, _, err := db.FindPeople(ctx, liaison.PersonFilter{Limit: 500})
	ok(t, err)
	if len(people) != writers*each {
		t.Fatalf("%d people, want %d", len(people), writers*each)
	}
}

// testConcurrentMoves moves units under each other from many goroutines:
// whatever wins, the tree must stay a tree with consistent paths.
func testConcurrentMoves(t *testing.T, db *sqlstore.DB) {
	var units []*liaison.Organisation
	for i := range 6 {
		units = append(units, mkUnit(t, db, fmt.Sprint("U", i), nil))
	}
	var wg sync.WaitGroup
	for i := range units {
		for j := range units {
			if i == j {
				continue
			}
			wg.Go(func() {
				cur, err := db.FindOrganisationByID(ctx, units[i].ID)
				if err != nil {
					t.Error(err)
					return
				}
				cur.ParentID = &units[j].ID
				err = db.UpdateOrganisation(ctx, cur, cur.Version)
				if code := liaison.ErrorCode(err); err != nil && code != liaison.ESTALE && code != liaison.EINVALID {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	tree, err := db.OrganisationTree(ctx)
	ok(t, err)
	if len(tree) != len(units) {
		t.Fatalf("tree has %d units, want %d", len(tree), len(units))
	}
	// Parents come before children, and each chain ends at a root with depths counting down.
	seen := map[string]bool{}
	for _, o := range tree {
		if o.ParentID != nil && !seen[*o.ParentID] {
			t.Fatalf("%s listed before its parent", o.Name)
		}
		seen[o.ID] = true
		chain, err := db.OrganisationChain(ctx, o.ID)
		ok(t, err)
		if chain[len(chain)-1].ParentID != nil || o.Depth != len(chain)-1 {
			t.Fatalf("%s: depth %d, chain %q", o.Name, o.Depth, orgNames(chain))
		}
	}
}
