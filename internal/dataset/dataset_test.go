package dataset_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var end = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func generate(t *testing.T, db *sqlstore.DB, seed uint64) *dataset.Result {
	t.Helper()
	res, err := dataset.Generate(context.Background(), db, dataset.Options{Size: dataset.S, Seed: seed, End: end})
	if err != nil {
		t.Fatalf("generate S: %v", err)
	}
	return res
}

// all reads every page of a list.
func all[T any](t *testing.T, page func(cursor string) ([]T, string, error)) []T {
	t.Helper()
	var out []T
	cursor := ""
	for {
		items, next, err := page(cursor)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		cursor = next
	}
}

// contents is everything the store shows of a database, in a fixed order.
type contents struct {
	Users    []*liaison.User
	Segments []*liaison.Segment
	Units    []*liaison.Organisation
	People   []*liaison.Person
	Trashed  []*liaison.Person
	Roles    []*liaison.ContactRole
	Audit    []*liaison.AuditEntry
	Chains   [][]string
}

func read(t *testing.T, db *sqlstore.DB) *contents {
	t.Helper()
	ctx := context.Background()
	c := &contents{}
	c.Users = all(t, func(cur string) ([]*liaison.User, string, error) {
		return db.FindUsers(ctx, liaison.UserFilter{Limit: 500, Cursor: cur, Sort: "created_at"})
	})
	var err error
	if c.Segments, err = db.FindSegments(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Units, err = db.OrganisationTree(ctx); err != nil {
		t.Fatal(err)
	}
	for _, o := range c.Units {
		chain, err := db.OrganisationChain(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(chain))
		for i, x := range chain {
			ids[i] = x.ID
		}
		c.Chains = append(c.Chains, ids)
	}
	c.People = all(t, func(cur string) ([]*liaison.Person, string, error) {
		return db.FindPeople(ctx, liaison.PersonFilter{Limit: 500, Cursor: cur, Sort: "created_at"})
	})
	c.Trashed = all(t, func(cur string) ([]*liaison.Person, string, error) {
		return db.FindPeople(ctx, liaison.PersonFilter{Limit: 500, Cursor: cur, Trashed: true})
	})
	c.Roles = all(t, func(cur string) ([]*liaison.ContactRole, string, error) {
		return db.FindRoles(ctx, liaison.RoleFilter{Limit: 500, Cursor: cur})
	})
	c.Audit = all(t, func(cur string) ([]*liaison.AuditEntry, string, error) {
		return db.FindAuditEntries(ctx, liaison.AuditFilter{Limit: 500, Cursor: cur})
	})
	return c
}

func TestGenerateS(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		res := generate(t, db, 1)
		plan, _ := dataset.PlanFor(dataset.S)
		c := read(t, db)

		// Counts match the plan, and what the result says.
		if res.Units != plan.Units || len(c.Units) != plan.Units {
			t.Errorf("units: result %d, stored %d, plan %d", res.Units, len(c.Units), plan.Units)
		}
		if res.People != plan.People || len(c.People)+len(c.Trashed) != plan.People || len(c.Trashed) != res.TrashedPeople {
			t.Errorf("people: result %d (%d trashed), stored %d + %d trashed, plan %d", res.People, res.TrashedPeople, len(c.People), len(c.Trashed), plan.People)
		}
		if res.Users != plan.Users() || len(c.Users) != plan.Users() || len(c.Segments) != plan.Segments {
			t.Errorf("users %d/%d (plan %d), segments %d (plan %d)", res.Users, len(c.Users), plan.Users(), len(c.Segments), plan.Segments)
		}
		if res.AuditEntries != plan.Events || len(c.Audit) != plan.Events {
			t.Errorf("audit entries: result %d, stored %d, plan %d", res.AuditEntries, len(c.Audit), plan.Events)
		}
		if len(c.Roles) != res.Roles {
			t.Errorf("roles: result %d, stored %d", res.Roles, len(c.Roles))
		}
		accounts, customers := 0, map[string]int{}
		for _, r := range c.Roles {
			if r.Role == liaison.RoleCustomer && r.Active {
				customers[r.OrganisationID]++
			}
		}
		depths := map[int]bool{}
		for _, o := range c.Units {
			depths[o.Depth] = true
			if !o.BudgetHolder {
				if customers[o.ID] != 0 {
					t.Errorf("%s holds no budget but has a customer", o.Name)
				}
				continue
			}
			accounts++
			if customers[o.ID] != 1 || o.RelationshipManagerID == nil || o.Segment == "" {
				t.Errorf("account %s: %d active customers, manager %v, segment %q", o.Name, customers[o.ID], o.RelationshipManagerID, o.Segment)
			}
		}
		if accounts != plan.Accounts || res.Accounts != plan.Accounts || res.ActiveCustomers != plan.Accounts {
			t.Errorf("accounts: stored %d, result %d, active customers %d, plan %d", accounts, res.Accounts, res.ActiveCustomers, plan.Accounts)
		}
		if len(depths) < 3 {
			t.Errorf("depths %v: want a forest of deep and shallow trees", depths)
		}

		// All four languages, in people's names and units' names.
		langs := map[liaison.Language]int{}
		for _, p := range c.People {
			langs[p.Language]++
		}
		if len(langs) != 4 {
			t.Errorf("people's languages %v, want all four", langs)
		}
		var han, nordic bool
		for _, o := range c.Units {
			han = han || strings.IndexFunc(o.Name, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
			nordic = nordic || strings.ContainsAny(o.Name, "åäöÅÄÖ")
		}
		if !han || !nordic {
			t.Errorf("unit names: Chinese %v, Nordic %v; want both", han, nordic)
		}

		// Every record's version is its history: one audit entry per
		// change, the first a creation, the last recording the version.
		versions, changes := map[string]int{}, map[string]int{}
		updated := map[string]time.Time{}
		for _, e := range c.Audit {
			if e.Action == liaison.ActionCreate || e.After == nil {
				continue // a role deleted for good has no after, and no row
			}
			var after struct {
				Version int `json:"version"`
			}
			if err := json.Unmarshal(e.After, &after); err != nil {
				t.Fatalf("after of %s: %v", e.ID, err)
			}
			changes[e.SubjectID]++
			versions[e.SubjectID] = max(versions[e.SubjectID], after.Version)
			if e.At.After(updated[e.SubjectID]) {
				updated[e.SubjectID] = e.At
			}
		}
		checkHistory := func(kind, id string, version int, createdAt, updatedAt time.Time) {
			t.Helper()
			want, wantAt := 1, createdAt
			if v, ok := versions[id]; ok {
				want, wantAt = v, updated[id]
			}
			if version != want || version != 1+changes[id] || !updatedAt.Equal(wantAt) {
				t.Errorf("%s %s: version %d updated %s; its history says version %d at %s", kind, id, version, updatedAt, want, wantAt)
			}
		}
		for _, o := range c.Units {
			checkHistory("unit", o.ID, o.Version, o.CreatedAt, o.UpdatedAt)
		}
		for _, p := range append(c.People, c.Trashed...) {
			checkHistory("person", p.ID, p.Version, p.CreatedAt, p.UpdatedAt)
		}
		for _, r := range c.Roles {
			checkHistory("role", r.ID, r.Version, r.CreatedAt, r.UpdatedAt)
		}
		for _, e := range c.Audit {
			if e.At.Before(end.AddDate(-3, 0, 0)) || !e.At.Before(end) {
				t.Fatalf("audit entry %s at %s: outside the three years before %s", e.ID, e.At, end)
			}
		}

		// Ids have the store's format and sort as their records were made.
		for _, o := range c.Units {
			if want := sqlstore.IDAt(o.CreatedAt, 0)[:9]; o.ID[:9] != want || len(o.ID) != 16 {
				t.Fatalf("unit id %s made at %s: want the time prefix %s", o.ID, o.CreatedAt, want)
			}
		}

		// The store's reads work on it. Search folds diacritics.
		var nordicUnit *liaison.Organisation
		for _, o := range c.Units {
			if w := strings.Fields(o.Name); strings.ContainsAny(w[0], "åäöÅÄÖ") {
				nordicUnit = o
				break
			}
		}
		if nordicUnit != nil {
			q := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O").Replace(strings.Fields(nordicUnit.Name)[0])
			found := all(t, func(cur string) ([]*liaison.Organisation, string, error) {
				return db.FindOrganisations(ctx, liaison.OrganisationFilter{Q: q, Limit: 500, Cursor: cur})
			})
			if !containsID(found, nordicUnit.ID, func(o *liaison.Organisation) string { return o.ID }) {
				t.Errorf("search %q does not find %q", q, nordicUnit.Name)
			}
		} else {
			t.Error("no unit name begins with a Nordic letter")
		}
		var nordicPerson *liaison.Person
		for _, p := range c.People {
			if strings.ContainsAny(p.Name, "åäöÅÄÖ") {
				nordicPerson = p
				break
			}
		}
		q := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O").Replace(strings.ToUpper(nordicPerson.Name))
		found := all(t, func(cur string) ([]*liaison.Person, string, error) {
			return db.FindPeople(ctx, liaison.PersonFilter{Q: q, Limit: 500, Cursor: cur})
		})
		if !containsID(found, nordicPerson.ID, func(p *liaison.Person) string { return p.ID }) {
			t.Errorf("search %q does not find %q", q, nordicPerson.Name)
		}

		// Who decides for the deepest unit below an account: that account's customer.
		var deep *liaison.Organisation
		for i, o := range c.Units {
			chain := c.Chains[i]
			if len(chain) > 1 && (deep == nil || o.Depth > deep.Depth) && accountOf(c, chain) != "" && !o.BudgetHolder {
				deep = o
			}
		}
		if deep == nil {
			t.Fatal("no unit lies below an account")
		}
		d, err := db.WhoDecides(ctx, deep.ID)
		if err != nil {
			t.Fatal(err)
		}
		chain, _ := db.OrganisationChain(ctx, deep.ID)
		if d.Account == nil || d.Account.ID != liaison.NearestAccount(chain).ID || d.Customer == nil || len(chain) != deep.Depth+1 {
			t.Fatalf("who decides for %s (depth %d, chain %d): %+v", deep.Name, deep.Depth, len(chain), d)
		}
		rs, _, err := db.FindRoles(ctx, liaison.RoleFilter{OrganisationID: d.Account.ID, Role: liaison.RoleCustomer, Active: liaison.Ptr(true)})
		if err != nil || len(rs) != 1 || rs[0].PersonID != d.Customer.ID {
			t.Errorf("customer of %s: roles %v (%v), who decides says %s", d.Account.Name, rs, err, d.Customer.Name)
		}

		// An account's timeline covers the units below it.
		tl, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: d.Account.ID, Subtree: true, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		own, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: d.Account.ID, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		below := 0
		for _, e := range tl {
			if e.OrganisationID != d.Account.ID {
				below++
			}
		}
		if len(tl) == 0 || below == 0 || len(tl) < len(own) {
			t.Errorf("timeline of %s: %d entries, %d from below; %d of its own", d.Account.Name, len(tl), below, len(own))
		}
		// Every entry names its account as the write path would (the
		// tree does not move in the dataset): the account's timeline by
		// account_id is its subtree's.
		byAccount, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{AccountID: d.Account.ID, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(byAccount) != len(tl) {
			t.Errorf("timeline of %s: %d entries by account, %d by subtree", d.Account.Name, len(byAccount), len(tl))
		}
		for i := range min(len(byAccount), len(tl)) {
			if byAccount[i].ID != tl[i].ID {
				t.Fatalf("timeline of %s, entry %d: %s by account, %s by subtree", d.Account.Name, i, byAccount[i].ID, tl[i].ID)
			}
		}

		// The seeded users sign in.
		admin, err := db.FindUserByEmail(ctx, res.AdminEmail)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.VerifyPassword(admin.PasswordHash, res.Password); !ok || err != nil || admin.Role != liaison.RoleAdmin {
			t.Errorf("admin %s: role %s, password ok %v (%v)", admin.Email, admin.Role, ok, err)
		}

		// The write path keeps working on it: its rules see the seeded rows.
		p := &liaison.Person{Name: "Test Person", OrganisationID: d.Account.ID, Email: d.Customer.Email}
		if err := db.CreatePerson(ctx, p); liaison.ErrorCode(err) != liaison.ECONFLICT {
			t.Errorf("a person with a seeded email: %v, want a conflict", err)
		}
		p.Email = "test.person@example.com"
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: d.Account.ID, Role: liaison.RoleCustomer, Active: true}); liaison.ErrorCode(err) != liaison.ECONFLICT {
			t.Errorf("a second customer on a seeded account: %v, want a conflict", err)
		}
		child := &liaison.Organisation{Name: "Test unit", ParentID: &deep.ID}
		if err := db.CreateOrganisation(ctx, child); err != nil || child.Depth != deep.Depth+1 {
			t.Errorf("a unit below a seeded one: %v, depth %d", err, child.Depth)
		}
	})
}

func accountOf(c *contents, chain []string) string {
	byID := map[string]*liaison.Organisation{}
	for _, o := range c.Units {
		byID[o.ID] = o
	}
	for _, id := range chain {
		if byID[id].BudgetHolder {
			return id
		}
	}
	return ""
}

func containsID[T any](items []T, id string, idOf func(T) string) bool {
	for _, x := range items {
		if idOf(x) == id {
			return true
		}
	}
	return false
}

func TestDeterministic(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		generate(t, db, 7)
		same := sqlstoretest.Open(t, db.Engine())
		generate(t, same, 7)
		other := sqlstoretest.Open(t, db.Engine())
		generate(t, other, 8)

		a, b, c := dump(t, read(t, db)), dump(t, read(t, same)), dump(t, read(t, other))
		if !bytes.Equal(a, b) {
			i := 0
			for i < min(len(a), len(b)) && a[i] == b[i] {
				i++
			}
			t.Fatalf("two databases from seed 7 differ at byte %d: …%s… vs …%s…", i, a[max(0, i-80):min(len(a), i+80)], b[max(0, i-80):min(len(b), i+80)])
		}
		if bytes.Equal(a, c) {
			t.Error("seeds 7 and 8 gave the same data")
		}
	})
}

func dump(t *testing.T, c *contents) []byte {
	t.Helper()
	// JSONB (PostgreSQL) normalises the audit JSON; compare it as values.
	for _, e := range c.Audit {
		e.Before, e.After = normJSON(t, e.Before), normJSON(t, e.After)
	}
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func normJSON(t *testing.T, raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	return b
}

func TestRefusesNonEmpty(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := db.CreateUser(ctx, &liaison.User{Email: "someone@example.com", Name: "Someone", Role: liaison.RoleAdmin, Language: liaison.English, Active: true}); err != nil {
			t.Fatal(err)
		}
		_, err := dataset.Generate(ctx, db, dataset.Options{Size: dataset.S, Seed: 1, End: end})
		if !errors.Is(err, dataset.ErrNotEmpty) || liaison.ErrorCode(err) != liaison.ECONFLICT {
			t.Fatalf("generate into a database with a user: %v, want ErrNotEmpty", err)
		}
		if units, err := db.OrganisationTree(ctx); err != nil || len(units) != 0 {
			t.Errorf("after the refusal: %d units (%v), want none", len(units), err)
		}
		entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{})
		if err != nil || len(entries) != 1 {
			t.Errorf("after the refusal: %d audit entries (%v), want the user's one", len(entries), err)
		}

		// A seeded database is refused too.
		fresh := sqlstoretest.Open(t, db.Engine())
		generate(t, fresh, 1)
		if _, err := dataset.Generate(ctx, fresh, dataset.Options{Size: dataset.S, Seed: 2, End: end}); !errors.Is(err, dataset.ErrNotEmpty) {
			t.Errorf("generate twice: %v, want ErrNotEmpty", err)
		}
	})
}

func TestPlans(t *testing.T) {
	l, err := dataset.PlanFor("l")
	if err != nil {
		t.Fatal(err)
	}
	if l.Units != 2000 || l.Accounts != 600 || l.People != 20000 || l.Events != 1_000_000 || l.Managers != 40 || l.Segments != 8 {
		t.Errorf("plan L = %+v, want SPEC §6's dataset L", l)
	}
	m, _ := dataset.PlanFor(dataset.M)
	s, _ := dataset.PlanFor(dataset.S)
	if m.Units*10 != l.Units || m.People*10 != l.People || m.Events*10 != l.Events || s.Units*100 != l.Units || s.People*100 != l.People || s.Events*100 != l.Events {
		t.Errorf("M %+v and S %+v are not 1/10 and 1/100 of L", m, s)
	}
	if _, err := dataset.PlanFor("XL"); err == nil {
		t.Error("plan XL: no error")
	}
}
