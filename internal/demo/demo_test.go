package demo_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// today is the demo's reference date in these tests.
var today = time.Date(2026, time.March, 31, 9, 30, 0, 0, time.UTC)

func newApp(db *sqlstore.DB) *app.App {
	a := app.New(db, slog.New(slog.DiscardHandler))
	a.Now = func() time.Time { return today }
	return a
}

// asAdmin returns ctx signed in as the demo admin.
func asAdmin(t *testing.T, a *app.App) context.Context {
	t.Helper()
	u, err := a.Store.FindUserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	return liaison.WithPrincipal(context.Background(), &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "test"})
}

// The planted findings: every other account has no warning at all.
var wantWarnings = map[string][]string{
	"Vuxenutbildningen":          {"no_manager", "no_deputy", "never_reviewed"},
	"Kultur och fritid":          {"no_customer"},
	"Revontuli-säätiö":           {"no_customer"},
	"Stiftelsen Norrskensmuseet": {"no_deputy"},
	"Tekniska förvaltningen":     {"review_stale"},
}

func TestLoad(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		a := newApp(db)
		start := time.Now()
		res, err := demo.Load(context.Background(), a)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		t.Logf("%s: demo loaded in %v", db.Engine(), time.Since(start).Round(time.Millisecond))
		ctx := asAdmin(t, a)

		t.Run("SignIns", func(t *testing.T) { testSignIns(t, a, res) })
		t.Run("Counts", func(t *testing.T) { testCounts(t, ctx, a, res) })
		t.Run("Customers", func(t *testing.T) { testCustomers(t, ctx, a) })
		t.Run("Warnings", func(t *testing.T) { testWarnings(t, ctx, a) })
		t.Run("Portfolio", func(t *testing.T) { testPortfolio(t, ctx, a) })
		t.Run("People", func(t *testing.T) { testPeople(t, ctx, a) })
		t.Run("History", func(t *testing.T) { testHistory(t, ctx, a) })

		t.Run("LoadTwiceRefused", func(t *testing.T) {
			_, err := demo.Load(context.Background(), a)
			if !errors.Is(err, demo.ErrNotEmpty) || liaison.ErrorCode(err) != liaison.ECONFLICT {
				t.Fatalf("second Load: err = %v, want ErrNotEmpty (conflict)", err)
			}
			users, err := allUsers(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(users), len(res.SignIns); got != want {
				t.Errorf("users after refused load = %d, want %d: nothing may be created", got, want)
			}
		})
	})
}

func testSignIns(t *testing.T, a *app.App, res *demo.Result) {
	if got, want := len(res.SignIns), 11; got != want {
		t.Fatalf("sign-ins = %d, want %d", got, want)
	}
	if s := res.SignIns[0]; s.Email != demo.AdminEmail || s.Password != demo.AdminPassword || s.Role != liaison.RoleAdmin {
		t.Errorf("first sign-in = %+v, want the admin", s)
	}
	if s := res.SignIns[1]; s.Email != demo.ManagerEmail || s.Password != demo.Password || s.Role != liaison.RoleManager {
		t.Errorf("second sign-in = %+v, want Anna Lindqvist, manager", s)
	}
	roles := map[liaison.UserRole]int{}
	for i, s := range res.SignIns {
		roles[s.Role]++
		if i > 0 && s.Password != demo.Password {
			t.Errorf("%s: password %q, want %q", s.Email, s.Password, demo.Password)
		}
	}
	want := map[liaison.UserRole]int{liaison.RoleAdmin: 1, liaison.RoleHead: 1, liaison.RoleManager: 6, liaison.RoleStaff: 2, liaison.RoleViewer: 1}
	for r, n := range want {
		if roles[r] != n {
			t.Errorf("users with role %s = %d, want %d", r, roles[r], n)
		}
	}
	// The passwords work, which also proves the hashes are real.
	for _, s := range []demo.SignIn{res.SignIns[0], res.SignIns[1]} {
		if _, u, err := a.SignIn(context.Background(), s.Email, s.Password, "demo-test"); err != nil {
			t.Errorf("sign in as %s: %v", s.Email, err)
		} else if u.Role != s.Role {
			t.Errorf("%s signed in with role %s, want %s", s.Email, u.Role, s.Role)
		}
	}
}

func testCounts(t *testing.T, ctx context.Context, a *app.App, res *demo.Result) {
	tree, err := a.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accounts, maxDepth := 0, 0
	for _, o := range tree {
		if o.BudgetHolder {
			accounts++
		}
		maxDepth = max(maxDepth, o.Depth)
	}
	people, err := allPeople(ctx, a, false)
	if err != nil {
		t.Fatal(err)
	}
	trashed, err := allPeople(ctx, a, true)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := allRoles(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	segments, err := a.Segments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"units", len(tree), 44},
		{"units reported", res.Organisations, len(tree)},
		{"accounts", accounts, 15},
		{"accounts reported", res.Accounts, accounts},
		{"deepest level", maxDepth, 4},
		{"people", len(people), 149},
		{"people reported", res.People, len(people)},
		{"people in the trash", len(trashed), 1},
		{"roles reported", res.Roles, len(roles)},
		{"segments", len(segments), 5},
		{"segments reported", res.Segments, len(segments)},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.what, c.got, c.want)
		}
	}
	if n := len(roles); n < 120 {
		t.Errorf("roles = %d, want at least 120", n)
	}
}

// testCustomers checks that every account but the planted ones has
// exactly one active customer, that orderers find their customer above
// them, and that some roles name their IT contact.
func testCustomers(t *testing.T, ctx context.Context, a *app.App) {
	tree, err := a.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles, err := allRoles(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	active := map[string]int{}
	kinds := map[liaison.RoleKind]int{}
	named := 0
	for _, r := range roles {
		kinds[r.Role]++
		if r.Role == liaison.RoleCustomer && r.Active {
			active[r.OrganisationID]++
		}
		if r.ITContactUserID != nil {
			named++
		}
		if r.Role == liaison.RoleOther && r.Label == "" {
			t.Errorf("role other %s has no label", r.ID)
		}
	}
	without := map[string]bool{"Kultur och fritid": true, "Revontuli-säätiö": true}
	for _, o := range tree {
		want := 0
		if o.BudgetHolder && !without[o.Name] {
			want = 1
		}
		if got := active[o.ID]; got != want {
			t.Errorf("%s: %d active customers, want %d", o.Name, got, want)
		}
	}
	for k, min := range map[liaison.RoleKind]int{liaison.RoleCustomer: 14, liaison.RoleOrderer: 25, liaison.RoleUser: 50, liaison.RoleOther: 12} {
		if kinds[k] < min {
			t.Errorf("%s roles = %d, want at least %d", k, kinds[k], min)
		}
	}
	if named < 5 {
		t.Errorf("roles naming their IT contact = %d, want at least 5", named)
	}

	// Folktandvården holds no budget: the division's customer decides.
	dental := unitNamed(t, tree, "Folktandvården")
	d, err := a.WhoDecides(ctx, dental.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Account == nil || d.Account.Name != "Hälso- och sjukvård" || d.Customer == nil || d.Customer.Name != "Margareta Öhman" {
		t.Errorf("who decides for Folktandvården = %+v, want Margareta Öhman of Hälso- och sjukvård", d)
	}
}

func testWarnings(t *testing.T, ctx context.Context, a *app.App) {
	tree, err := a.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range tree {
		if !o.BudgetHolder {
			continue
		}
		v, err := a.AccountView(ctx, o.ID)
		if err != nil {
			t.Fatalf("view %s: %v", o.Name, err)
		}
		var got []string
		for _, w := range v.Warnings {
			got = append(got, w.Code)
		}
		if want := wantWarnings[o.Name]; !slices.Equal(got, want) {
			t.Errorf("%s: warnings %v, want %v", o.Name, got, want)
		}
	}
	for name := range wantWarnings {
		unitNamed(t, tree, name)
	}
}

func testPortfolio(t *testing.T, ctx context.Context, a *app.App) {
	p, err := a.Portfolio(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(p.Rows), 6; got != want {
		t.Fatalf("portfolio rows = %d, want %d", got, want)
	}
	for _, r := range p.Rows {
		if r.Manager.Role != liaison.RoleManager {
			t.Errorf("row of %s, role %s: want managers only", r.Manager.Name, r.Manager.Role)
		}
		if r.Total == 0 {
			t.Errorf("%s manages no account", r.Manager.Name)
		}
		deputised := 0
		for _, c := range r.Cells {
			deputised += len(c.Deputised)
		}
		if deputised == 0 {
			t.Errorf("%s deputises for no account", r.Manager.Name)
		}
	}
	// Coverage: some manager holds accounts of three segments.
	covered := 0
	for _, r := range p.Rows {
		n := 0
		for _, c := range r.Cells[:len(p.Segments)] {
			if len(c.Managed) > 0 {
				n++
			}
		}
		covered = max(covered, n)
	}
	if covered < 3 {
		t.Errorf("widest manager covers %d segments, want at least 3", covered)
	}
	gaps := map[string]int{}
	for _, g := range p.Gaps {
		gaps[g.Kind]++
	}
	for kind, want := range map[string]int{"manager_missing_segment": 1, "account_without_deputy": 2, "account_without_manager": 1} {
		if gaps[kind] < want {
			t.Errorf("gaps of kind %s = %d, want at least %d (all: %v)", kind, gaps[kind], want, gaps)
		}
	}
	if gaps["deputy_is_manager"] != 0 {
		t.Errorf("gaps deputy_is_manager = %d, want none", gaps["deputy_is_manager"])
	}
	if len(p.Unsorted) != 1 || p.Unsorted[0].Name != "Vuxenutbildningen" {
		t.Errorf("accounts without manager = %v, want Vuxenutbildningen", names(p.Unsorted))
	}
}

// testPeople checks the people look like their organisations: languages,
// scripts, unique e-mail addresses at the unit's domain.
func testPeople(t *testing.T, ctx context.Context, a *app.App) {
	people, err := allPeople(ctx, a, false)
	if err != nil {
		t.Fatal(err)
	}
	langs := map[liaison.Language]int{}
	emails := map[string]bool{}
	han, nordic, phones := 0, 0, 0
	for _, p := range people {
		langs[p.Language]++
		if p.Email == "" || emails[p.Email] {
			t.Errorf("%s: e-mail %q missing or taken twice", p.Name, p.Email)
		}
		emails[p.Email] = true
		if p.Title == "" {
			t.Errorf("%s has no title", p.Name)
		}
		if p.Phone != "" {
			phones++
		}
		if strings.ContainsAny(p.Name, "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗") {
			han++
			if p.Language != liaison.Chinese || !strings.HasSuffix(p.Email, "@norrsken-suzhou.example") {
				t.Errorf("%s: language %s, e-mail %s; want zh at norrsken-suzhou.example", p.Name, p.Language, p.Email)
			}
		}
		if strings.ContainsAny(p.Name, "åäöÅÄÖ") {
			nordic++
		}
	}
	for _, l := range liaison.Languages {
		if langs[l] == 0 {
			t.Errorf("nobody speaks %s", l)
		}
	}
	if langs[liaison.Swedish] < 90 || langs[liaison.Finnish] < 10 || langs[liaison.Chinese] < 15 {
		t.Errorf("languages %v: want mostly Swedish, some Finnish and Chinese", langs)
	}
	if han < 15 || nordic < 30 {
		t.Errorf("names in Chinese characters = %d, with å, ä or ö = %d", han, nordic)
	}
	if phones < len(people)*3/4 {
		t.Errorf("people with a phone = %d of %d", phones, len(people))
	}
}

// testHistory checks the audit trail names the admin and tells the
// demo's small stories: a unit moved, a customer retired.
func testHistory(t *testing.T, ctx context.Context, a *app.App) {
	admin := liaison.PrincipalFrom(ctx).User
	tree, err := a.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	adult := unitNamed(t, tree, "Vuxenutbildningen")
	entries, _, err := a.Audit(ctx, "organisation", adult.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("Vuxenutbildningen has %d audit entries, want 3 (create, move, made an account)", len(entries))
	}
	for _, e := range entries {
		if e.ActorID != admin.ID {
			t.Errorf("audit entry %s %s by %q, want the admin %s", e.Action, e.Summary, e.ActorID, admin.ID)
		}
	}
	culture := unitNamed(t, tree, "Kultur och fritid")
	roles, _, err := a.Roles(ctx, liaison.RoleFilter{OrganisationID: culture.ID, Role: liaison.RoleCustomer})
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 1 || roles[0].Active {
		t.Errorf("Kultur och fritid customer roles = %+v, want one ended role", roles)
	}
}

// TestDeterministic loads the demo three times, under different stale
// settings: the same organisation each time, and the same findings,
// because the review dates follow the setting.
func TestDeterministic(t *testing.T) {
	settings := []int{12, 12, 1}
	snaps := make([]string, len(settings)) // without review dates
	full := make([]string, len(settings))
	t.Run("group", func(t *testing.T) {
		for i, months := range settings {
			t.Run(fmt.Sprintf("%d-%d", i, months), func(t *testing.T) {
				t.Parallel()
				db := sqlstoretest.Open(t, sqlstoretest.SQLite)
				if err := db.SaveSettings(context.Background(), liaison.Settings{StaleReviewMonths: months}); err != nil {
					t.Fatal(err)
				}
				a := newApp(db)
				if _, err := demo.Load(context.Background(), a); err != nil {
					t.Fatal(err)
				}
				ctx := asAdmin(t, a)
				testWarnings(t, ctx, a)
				snaps[i], full[i] = snapshot(t, ctx, a, false), snapshot(t, ctx, a, true)
			})
		}
	})
	if full[0] != full[1] {
		t.Errorf("two loads with the same settings differ:\n%s", diff(full[0], full[1]))
	}
	for i := 1; i < len(snaps); i++ {
		if snaps[i] != snaps[0] {
			t.Errorf("load %d (stale after %d months) differs from load 0:\n%s", i, settings[i], diff(snaps[0], snaps[i]))
		}
	}
}

// snapshot lists what the demo made, with the review dates when dates is set.
func snapshot(t *testing.T, ctx context.Context, a *app.App, dates bool) string {
	t.Helper()
	tree, err := a.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string]string{}
	var b strings.Builder
	for _, o := range tree {
		unit[o.ID] = o.Name
		reviewed := "?"
		if dates {
			reviewed = deref(o.LastReviewedOn)
		}
		fmt.Fprintf(&b, "%d %s %s %v %s\n", o.Depth, o.Name, o.ExternalID, o.BudgetHolder, reviewed)
	}
	people, err := allPeople(ctx, a, false)
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, len(people))
	for i, p := range people {
		lines[i] = fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s", unit[p.OrganisationID], p.Name, p.Title, p.Email, p.Phone, p.Language, p.ExternalID)
	}
	slices.Sort(lines)
	b.WriteString(strings.Join(lines, "\n"))
	return b.String()
}

// diff lists the lines of a and b that differ, pairwise.
func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
	}
	return strings.Join(out, "\n")
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

func unitNamed(t *testing.T, tree []*liaison.Organisation, name string) *liaison.Organisation {
	t.Helper()
	for _, o := range tree {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("no unit named %s", name)
	return nil
}

func names(orgs []*liaison.Organisation) []string {
	var s []string
	for _, o := range orgs {
		s = append(s, o.Name)
	}
	return s
}

func allPeople(ctx context.Context, a *app.App, trashed bool) ([]*liaison.Person, error) {
	var all []*liaison.Person
	f := liaison.PersonFilter{Trashed: trashed, Limit: 500}
	for {
		page, next, err := a.People(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}

func allRoles(ctx context.Context, a *app.App) ([]*liaison.ContactRole, error) {
	var all []*liaison.ContactRole
	f := liaison.RoleFilter{Limit: 500}
	for {
		page, next, err := a.Roles(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}

func allUsers(ctx context.Context, a *app.App) ([]*liaison.User, error) {
	var all []*liaison.User
	f := liaison.UserFilter{Limit: 500}
	for {
		page, next, err := a.Users(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}
