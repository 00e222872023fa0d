package liaison_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func fieldCodes(err error) map[string]string {
	var e *liaison.Error
	if !errors.As(err, &e) {
		return nil
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		m[f.Field] = f.Code
	}
	return m
}

func TestOrganisationValidate(t *testing.T) {
	long := strings.Repeat("å", 201)
	for _, tc := range []struct {
		name string
		org  liaison.Organisation
		want map[string]string // field → code; nil means valid
	}{
		{"ok", liaison.Organisation{Name: "Finance"}, nil},
		{"200 runes is fine", liaison.Organisation{Name: strings.Repeat("å", 200)}, nil},
		{"empty name", liaison.Organisation{Name: "   "}, map[string]string{"name": "required"}},
		{"long name", liaison.Organisation{Name: long}, map[string]string{"name": "too_long"}},
		{"long description", liaison.Organisation{Name: "x", Description: strings.Repeat("a", 20001)}, map[string]string{"description": "too_long"}},
		{"own parent", liaison.Organisation{ID: "a", Name: "x", ParentID: liaison.Ptr("a")}, map[string]string{"parent_id": "invalid"}},
		{"bad date", liaison.Organisation{Name: "x", LastReviewedOn: liaison.Ptr("2026-02-30")}, map[string]string{"last_reviewed_on": "invalid"}},
		{"manager without account", liaison.Organisation{Name: "x", RelationshipManagerID: liaison.Ptr("u1")}, map[string]string{"budget_holder": "invalid"}},
		{"account with manager", liaison.Organisation{Name: "x", BudgetHolder: true, RelationshipManagerID: liaison.Ptr("u1")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.org.Normalize()
			err := tc.org.Validate()
			if got := fieldCodes(err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate() fields = %v, want %v (err %v)", got, tc.want, err)
			}
			if err != nil && liaison.ErrorCode(err) != liaison.EINVALID {
				t.Errorf("code = %s, want invalid", liaison.ErrorCode(err))
			}
		})
	}
}

func TestPersonAndRoleValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want map[string]string
	}{
		{"person ok after normalising", normalized(&liaison.Person{Name: "Åsa Öberg", Email: " ASA@example.se ", OrganisationID: "o"}).Validate(), nil},
		{"person bad email", (&liaison.Person{Name: "x", Email: "not an email", OrganisationID: "o", Language: "sv"}).Validate(), map[string]string{"email": "invalid"}},
		{"person no unit", (&liaison.Person{Name: "x", Language: "fi"}).Validate(), map[string]string{"organisation_id": "required"}},
		{"person bad language", (&liaison.Person{Name: "x", OrganisationID: "o", Language: "de"}).Validate(), map[string]string{"language": "invalid"}},
		{"role ok", (&liaison.ContactRole{PersonID: "p", OrganisationID: "o", Role: liaison.RoleCustomer}).Validate(), nil},
		{"role unknown kind", (&liaison.ContactRole{PersonID: "p", OrganisationID: "o", Role: "boss"}).Validate(), map[string]string{"role": "invalid"}},
		{"role other needs label", (&liaison.ContactRole{PersonID: "p", OrganisationID: "o", Role: liaison.RoleOther}).Validate(), map[string]string{"label": "required"}},
		{"user bad role", (&liaison.User{Name: "x", Email: "x@y.se", Role: "root", Language: "en"}).Validate(), map[string]string{"role": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldCodes(tc.err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("fields = %v, want %v (err %v)", got, tc.want, tc.err)
			}
		})
	}
}

func normalized(p *liaison.Person) *liaison.Person { p.Normalize(); return p }

func TestCheckParent(t *testing.T) {
	if err := liaison.CheckParent("a", []string{"b", "c"}); err != nil {
		t.Errorf("move under unrelated unit refused: %v", err)
	}
	err := liaison.CheckParent("a", []string{"c", "a", "root"})
	if got := fieldCodes(err); got["parent_id"] != "cycle" {
		t.Errorf("move under own descendant: fields %v, want parent_id cycle", got)
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2028-02-29", 12, "2029-02-28"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-05-15", 12, "2027-05-15"},
		{"2026-12-31", 2, "2027-02-28"},
	} {
		d, _ := liaison.ParseDate(tc.from)
		if got := liaison.AddMonths(d, tc.n).Format(liaison.DateLayout); got != tc.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestAccountWarnings(t *testing.T) {
	today := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	m, d := liaison.Ptr("m"), liaison.Ptr("d")
	for _, tc := range []struct {
		name        string
		org         liaison.Organisation
		hasCustomer bool
		want        []string
	}{
		{"not an account", liaison.Organisation{}, false, nil},
		{"healthy", liaison.Organisation{BudgetHolder: true, RelationshipManagerID: m, DeputyID: d, LastReviewedOn: liaison.Ptr("2026-01-10")}, true, nil},
		{"exactly 12 months is not stale", liaison.Organisation{BudgetHolder: true, RelationshipManagerID: m, DeputyID: d, LastReviewedOn: liaison.Ptr("2025-11-23")}, true, nil},
		{"stale", liaison.Organisation{BudgetHolder: true, RelationshipManagerID: m, DeputyID: d, LastReviewedOn: liaison.Ptr("2025-11-22")}, true, []string{"review_stale"}},
		{"everything missing", liaison.Organisation{BudgetHolder: true}, false, []string{"no_manager", "no_deputy", "no_customer", "never_reviewed"}},
		{"deputy is manager", liaison.Organisation{BudgetHolder: true, RelationshipManagerID: m, DeputyID: liaison.Ptr("m"), LastReviewedOn: liaison.Ptr("2026-06-01")}, true, []string{"deputy_is_manager"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, w := range liaison.AccountWarnings(&tc.org, tc.hasCustomer, today, 12) {
				got = append(got, w.Code)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("warnings = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSearchTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Malmö Stad", []string{"malmo", "stad"}},
		{"JYVÄSKYLÄ, kaupunki!", []string{"jyvaskyla", "kaupunki"}},
		{"Søren Ærø-Straße", []string{"soren", "aero", "strasse"}},
		{"上海分公司", []string{"上", "海", "分", "公", "司"}},
		{"IT部门 2026", []string{"it", "部", "门", "2026"}},
		{"  %_' ", nil},
		{"Anna.Berg@Example.COM", []string{"anna", "berg", "example", "com"}},
		{"abcÅÄÖdef Ørsted2 naïve", []string{"abcaaodef", "orsted2", "naive"}},
		{"x上y", []string{"x", "上", "y"}},
		{"ÉCOLE école", []string{"ecole", "ecole"}},
	} {
		if got := liaison.SearchTerms(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SearchTerms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := liaison.SearchText("Malmö", "anna@x.se"); got != "malmo anna x se" {
		t.Errorf("SearchText = %q", got)
	}
}

func BenchmarkSearchText(b *testing.B) {
	for lang, in := range map[string]string{"en": "Prepare the SLA report for Region Norrsken 2026", "sv": "Tjänsteuppföljning Hälso- och sjukvård, hösten", "zh": "跟进 上海分公司 的需求"} {
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				liaison.SearchText(in)
			}
		})
	}
}

func TestPrincipalAccess(t *testing.T) {
	mk := func(r liaison.UserRole, s liaison.Scope) *liaison.Principal {
		return &liaison.Principal{User: &liaison.User{ID: "u", Role: r, Active: true}, Scope: s}
	}
	all := []liaison.Access{liaison.AccessPublic, liaison.AccessSignedIn, liaison.AccessRead, liaison.AccessWrite, liaison.AccessCurate, liaison.AccessAdmin}
	for _, tc := range []struct {
		p    *liaison.Principal
		want []bool // in the order of all
	}{
		{nil, []bool{true, false, false, false, false, false}},
		{mk(liaison.RoleAdmin, liaison.ScopeWrite), []bool{true, true, true, true, true, true}},
		{mk(liaison.RoleAdmin, liaison.ScopeRead), []bool{true, true, true, false, false, false}},
		{mk(liaison.RoleHead, liaison.ScopeWrite), []bool{true, true, true, true, true, false}},
		{mk(liaison.RoleManager, liaison.ScopeWrite), []bool{true, true, true, true, false, false}},
		{mk(liaison.RoleStaff, liaison.ScopeWrite), []bool{true, true, true, false, false, false}},
		{mk(liaison.RoleViewer, liaison.ScopeWrite), []bool{true, true, true, false, false, false}},
		{&liaison.Principal{User: &liaison.User{Role: liaison.RoleAdmin}, Scope: liaison.ScopeWrite}, []bool{true, false, false, false, false, false}},
	} {
		for i, a := range all {
			if got := tc.p.Allows(a); got != tc.want[i] {
				t.Errorf("%+v Allows(%s) = %v, want %v", tc.p, a, got, tc.want[i])
			}
		}
	}
	acc := &liaison.Organisation{BudgetHolder: true, RelationshipManagerID: liaison.Ptr("rm"), DeputyID: liaison.Ptr("dep")}
	for _, tc := range []struct {
		id   string
		role liaison.UserRole
		want bool
	}{{"rm", liaison.RoleManager, true}, {"dep", liaison.RoleManager, true}, {"other", liaison.RoleManager, false},
		{"other", liaison.RoleHead, true}, {"rm", liaison.RoleStaff, false}, {"rm", liaison.RoleViewer, false}} {
		p := &liaison.Principal{User: &liaison.User{ID: tc.id, Role: tc.role, Active: true}, Scope: liaison.ScopeWrite}
		if got := p.CanWriteAccount(acc); got != tc.want {
			t.Errorf("%s %s CanWriteAccount = %v, want %v", tc.role, tc.id, got, tc.want)
		}
	}
	if (&liaison.Principal{User: &liaison.User{ID: "rm", Role: liaison.RoleManager, Active: true}, Scope: liaison.ScopeWrite}).CanWriteAccount(nil) {
		t.Error("manager may write a unit under no account")
	}
}

func TestBuildPortfolio(t *testing.T) {
	segs := []*liaison.Segment{{ID: "s1"}, {ID: "s2"}}
	mgrs := []*liaison.User{{ID: "m1"}, {ID: "m2"}}
	accs := []*liaison.Organisation{
		{ID: "a1", BudgetHolder: true, Segment: "s1", RelationshipManagerID: liaison.Ptr("m1"), DeputyID: liaison.Ptr("m2")},
		{ID: "a2", BudgetHolder: true, Segment: "s2", RelationshipManagerID: liaison.Ptr("m1")},
		{ID: "a3", BudgetHolder: true, Segment: "s1", RelationshipManagerID: liaison.Ptr("m2"), DeputyID: liaison.Ptr("m2")},
		{ID: "a4", BudgetHolder: true, DeputyID: liaison.Ptr("m1")},
		{ID: "u", Segment: "s1", RelationshipManagerID: liaison.Ptr("m1")},
	}
	p := liaison.BuildPortfolio(accs, mgrs, segs)
	if got := p.Rows[0].Total; got != 2 {
		t.Errorf("m1 total = %d, want 2", got)
	}
	if got := p.Rows[1].Cells[0].Deputised; !reflect.DeepEqual(got, []string{"a1"}) {
		t.Errorf("m2 deputises in s1 = %v, want [a1]", got)
	}
	var gaps []string
	for _, g := range p.Gaps {
		gaps = append(gaps, g.Kind+":"+g.AccountID+g.ManagerID+g.SegmentID)
	}
	want := []string{"account_without_deputy:a2m1", "account_without_manager:a4", "deputy_is_manager:a3m2", "manager_missing_segment:m2s2"}
	if !reflect.DeepEqual(gaps, want) {
		t.Errorf("gaps = %v\nwant %v", gaps, want)
	}
	if len(p.Unsorted) != 1 || p.Unsorted[0].ID != "a4" {
		t.Errorf("unassigned = %v, want [a4]", p.Unsorted)
	}
}

func TestErrorHelpers(t *testing.T) {
	err := liaison.Errorf(liaison.ECONFLICT, "taken: %s", "x")
	wrapped := errors.Join(errors.New("ctx"), err)
	if liaison.ErrorCode(wrapped) != liaison.ECONFLICT || liaison.ErrorMessage(wrapped) != "taken: x" {
		t.Errorf("code/message through wrap = %s/%s", liaison.ErrorCode(wrapped), liaison.ErrorMessage(wrapped))
	}
	plain := errors.New("disk on fire")
	if liaison.ErrorCode(plain) != liaison.EINTERNAL || liaison.ErrorMessage(plain) != "Internal error." {
		t.Error("internal errors must not leak their text")
	}
}
