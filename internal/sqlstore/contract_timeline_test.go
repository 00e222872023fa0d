package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Timeline/AccountOfEveryEntry":      testTimelineAccountAssignment,
		"Timeline/HistoryStaysWithAccount":  testTimelineReparent,
		"Timeline/FiltersAndStablePages":    testTimelineFilters,
		"Timeline/RejectsMalformedKind":     testTimelineBadKind,
		"Timeline/CategoryFilterIsComplete": testTimelineOtherCategory,
	} {
		contract[name] = fn
	}
}

// accountOf returns the account_id of every entry of a subject, newest first.
func accountOf(t *testing.T, db *sqlstore.DB, subjectType, id string) []string {
	t.Helper()
	return ids(auditOf(t, db, subjectType, id), func(e *liaison.AuditEntry) string { return e.AccountID })
}

func timelineSubjects(t *testing.T, db *sqlstore.DB, f liaison.AuditFilter) []string {
	t.Helper()
	entries, _, err := db.FindAuditEntries(ctx, f)
	ok(t, err)
	return ids(entries, func(e *liaison.AuditEntry) string { return e.SubjectID })
}

func testTimelineAccountAssignment(t *testing.T, db *sqlstore.DB) {
	top := mkUnit(t, db, "Region", nil)
	acc := mkUnit(t, db, "Account", top, account)
	dept := mkUnit(t, db, "Dept", acc)
	team := mkUnit(t, db, "Team", dept)
	inner := mkUnit(t, db, "Inner account", team, account)
	below := mkUnit(t, db, "Below inner", inner)
	p := mkPerson(t, db, "Deep person", team)
	r := mkRole(t, db, p, team, liaison.RoleOrderer)
	q := mkPerson(t, db, "Inner person", below)
	s := &liaison.Segment{Name: "Outside the tree"}
	ok(t, db.CreateSegment(ctx, s))

	for _, c := range []struct {
		what, subjectType, id, want string
	}{
		{"a unit with no account above", "organisation", top.ID, ""},
		{"the account itself", "organisation", acc.ID, acc.ID},
		{"a unit below the account", "organisation", dept.ID, acc.ID},
		{"two levels below", "organisation", team.ID, acc.ID},
		{"a person two levels below", "person", p.ID, acc.ID},
		{"a role two levels below", "role", r.ID, acc.ID},
		{"a nested account is its own", "organisation", inner.ID, inner.ID},
		{"below a nested account", "organisation", below.ID, inner.ID},
		{"a person below a nested account", "person", q.ID, inner.ID},
		{"outside the tree", "segment", s.ID, ""},
	} {
		if got := accountOf(t, db, c.subjectType, c.id); !slices.Equal(got, []string{c.want}) {
			t.Errorf("%s: account %q, want %q", c.what, got, c.want)
		}
	}
	// The account's timeline is its own entries and those of the units in
	// it, not those of a nested account.
	sameStrings(t, "account timeline", timelineSubjects(t, db, liaison.AuditFilter{AccountID: acc.ID}),
		[]string{r.ID, p.ID, team.ID, dept.ID, acc.ID})
	sameStrings(t, "nested account timeline", timelineSubjects(t, db, liaison.AuditFilter{AccountID: inner.ID}),
		[]string{q.ID, below.ID, inner.ID})
	sameStrings(t, "unknown account", timelineSubjects(t, db, liaison.AuditFilter{AccountID: "nope"}), nil)
	// The unit's subtree, for a unit that is not an account, still works.
	sameStrings(t, "team subtree", timelineSubjects(t, db, liaison.AuditFilter{OrganisationID: team.ID, Subtree: true}),
		[]string{q.ID, r.ID, p.ID, below.ID, inner.ID, team.ID})

	// Trashing a person: the entry still has its account.
	ok(t, db.DeletePerson(ctx, q.ID, q.Version))
	if got := accountOf(t, db, "person", q.ID); !slices.Equal(got, []string{inner.ID, inner.ID}) {
		t.Errorf("trash entry: accounts %q", got)
	}
}

func testTimelineReparent(t *testing.T, db *sqlstore.DB) {
	a1 := mkUnit(t, db, "Account one", nil, account)
	a2 := mkUnit(t, db, "Account two", nil, account)
	dept := mkUnit(t, db, "Dept", a1)
	team := mkUnit(t, db, "Team", dept)
	before := mkPerson(t, db, "Before the move", team)

	mv := *dept
	mv.ParentID = &a2.ID
	ok(t, db.UpdateOrganisation(ctx, &mv, mv.Version))
	after := mkPerson(t, db, "After the move", team)

	// History stays with the account it happened in; the move itself and
	// what follows belong to the new account.
	sameStrings(t, "old account", timelineSubjects(t, db, liaison.AuditFilter{AccountID: a1.ID}),
		[]string{before.ID, team.ID, dept.ID, a1.ID})
	sameStrings(t, "new account", timelineSubjects(t, db, liaison.AuditFilter{AccountID: a2.ID}),
		[]string{after.ID, dept.ID, a2.ID})

	// A unit made an account keeps its past with the account above it.
	tm, err := db.FindOrganisationByID(ctx, team.ID)
	ok(t, err)
	tm.BudgetHolder = true
	ok(t, db.UpdateOrganisation(ctx, tm, tm.Version))
	later := mkPerson(t, db, "After becoming an account", team)
	sameStrings(t, "team as an account", timelineSubjects(t, db, liaison.AuditFilter{AccountID: team.ID}),
		[]string{later.ID, team.ID})
	if got := accountOf(t, db, "person", after.ID); !slices.Equal(got, []string{a2.ID}) {
		t.Errorf("earlier person: %q", got)
	}
}

func testTimelineFilters(t *testing.T, db *sqlstore.DB) {
	clk := useClock(db, start)
	anna, bert := mkUser(t, db, "Anna Actor"), mkUser(t, db, "Bert Actor")
	as := func(u *liaison.User) context.Context {
		return liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite})
	}
	acc := mkUnit(t, db, "Account", nil, account)
	dept := mkUnit(t, db, "Dept", acc)
	var people []*liaison.Person
	for _, n := range []string{"P1", "P2", "P3"} {
		p := &liaison.Person{Name: n, OrganisationID: dept.ID}
		ok(t, db.CreatePerson(as(anna), p))
		people = append(people, p)
	}
	clk.Set(start.Add(48 * time.Hour))
	r := &liaison.ContactRole{PersonID: people[0].ID, OrganisationID: dept.ID, Role: liaison.RoleOrderer, Active: true}
	ok(t, db.CreateRole(as(bert), r))
	u := *people[1]
	u.Title = "Chief"
	ok(t, db.UpdatePerson(as(bert), &u, u.Version))
	sub := func(f liaison.AuditFilter) []string {
		f.AccountID = acc.ID
		return timelineSubjects(t, db, f)
	}

	people3 := []string{people[2].ID, people[1].ID, people[0].ID}
	var pf liaison.AuditFilter
	if !liaison.CategoryFilter(&pf, liaison.CategoryPeople) || liaison.CategoryFilter(&pf, "nonsense") {
		t.Fatal("CategoryFilter accepts the wrong names")
	}
	sameStrings(t, "people category", sub(pf), []string{people[1].ID, r.ID, people[2].ID, people[1].ID, people[0].ID})
	var sf liaison.AuditFilter
	liaison.CategoryFilter(&sf, liaison.CategoryStructure)
	sameStrings(t, "structure category", sub(sf), []string{dept.ID, acc.ID})
	sameStrings(t, "subject type", sub(liaison.AuditFilter{SubjectTypes: []string{"role"}}), []string{r.ID})
	sameStrings(t, "kind", sub(liaison.AuditFilter{Kinds: []string{"person.update"}}), []string{people[1].ID})
	sameStrings(t, "two kinds", sub(liaison.AuditFilter{Kinds: []string{"person.update", "role.create"}}), []string{people[1].ID, r.ID})
	sameStrings(t, "actor", sub(liaison.AuditFilter{ActorID: anna.ID}), people3)
	sameStrings(t, "actor and kind", sub(liaison.AuditFilter{ActorID: bert.ID, Kinds: []string{"person.create"}}), nil)
	sameStrings(t, "until the day after", sub(liaison.AuditFilter{To: start.Add(24 * time.Hour)}), append(people3, dept.ID, acc.ID))
	sameStrings(t, "from the day after", sub(liaison.AuditFilter{From: start.Add(24 * time.Hour)}), []string{people[1].ID, r.ID})
	sameStrings(t, "a window", sub(liaison.AuditFilter{From: start.Add(24 * time.Hour), To: start.Add(72 * time.Hour), Kinds: []string{"role.create"}}),
		[]string{r.ID})

	// Pages of two walk the timeline once, newest first, and a change
	// written between pages does not shift them.
	var all []string
	f := liaison.AuditFilter{AccountID: acc.ID, Limit: 2}
	for pages := 0; ; pages++ {
		page, next, err := db.FindAuditEntries(ctx, f)
		ok(t, err)
		all = append(all, ids(page, func(e *liaison.AuditEntry) string { return e.SubjectID })...)
		if pages == 0 {
			mkPerson(t, db, "Written between pages", dept)
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	sameStrings(t, "paged timeline", all, []string{people[1].ID, r.ID, people[2].ID, people[1].ID, people[0].ID, dept.ID, acc.ID})
	// A filtered timeline pages too.
	got, _ := pageAll(t, 1, func(cursor string, limit int) ([]*liaison.AuditEntry, string, error) {
		return db.FindAuditEntries(ctx, liaison.AuditFilter{AccountID: acc.ID, ActorID: anna.ID, Cursor: cursor, Limit: limit})
	})
	sameStrings(t, "paged by actor", ids(got, func(e *liaison.AuditEntry) string { return e.SubjectID }), people3)
}

func testTimelineBadKind(t *testing.T, db *sqlstore.DB) {
	for _, k := range []string{"person", "person.eat", ".create", ""} {
		_, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{Kinds: []string{k}})
		wantField(t, err, "kind", liaison.CodeInvalid)
	}
}

func testTimelineOtherCategory(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	p := mkPerson(t, db, "Person", acc)
	var other liaison.AuditFilter
	liaison.CategoryFilter(&other, liaison.CategoryOther)
	other.AccountID = acc.ID
	sameStrings(t, "other", timelineSubjects(t, db, other), nil)
	// Every category together is the whole timeline.
	var every []string
	for _, c := range liaison.TimelineCategories {
		f := liaison.AuditFilter{AccountID: acc.ID}
		liaison.CategoryFilter(&f, c.Name)
		every = append(every, timelineSubjects(t, db, f)...)
	}
	slices.Sort(every)
	want := []string{acc.ID, p.ID}
	slices.Sort(want)
	sameStrings(t, "every category", every, want)
}
