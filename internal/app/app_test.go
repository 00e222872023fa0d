package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

type fixture struct {
	a                     *app.App
	db                    *sqlstore.DB
	admin, head, mgr, oth *liaison.User
	staff                 *liaison.User
	division, account     *liaison.Organisation
}

func as(u *liaison.User, scope liaison.Scope) context.Context {
	return liaison.WithPrincipal(context.Background(), &liaison.Principal{User: u, Scope: scope})
}

func setup(t *testing.T) *fixture {
	t.Helper()
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	f := &fixture{a: app.New(db, slog.New(slog.DiscardHandler)), db: db}
	mk := func(name string, role liaison.UserRole) *liaison.User {
		u := &liaison.User{Email: name + "@app.test", Name: name, Role: role}
		if err := f.a.CreateUserAsSystem(context.Background(), u, "password-"+name); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin, f.head, f.mgr, f.oth, f.staff = mk("admin", liaison.RoleAdmin), mk("head", liaison.RoleHead), mk("mgr", liaison.RoleManager), mk("oth", liaison.RoleManager), mk("staff", liaison.RoleStaff)
	ctx := as(f.admin, liaison.ScopeWrite)
	f.division = &liaison.Organisation{Name: "Division"}
	must(t, f.a.CreateOrganisation(ctx, f.division))
	f.account = &liaison.Organisation{Name: "Account", ParentID: &f.division.ID, BudgetHolder: true, RelationshipManagerID: &f.mgr.ID}
	must(t, f.a.CreateOrganisation(ctx, f.account))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := liaison.ErrorCode(err); got != code {
		t.Errorf("%s: code %q (%v), want %q", what, got, err, code)
	}
}

func TestManagerWritesOnlyOwnAccounts(t *testing.T) {
	f := setup(t)
	mgr, oth := as(f.mgr, liaison.ScopeWrite), as(f.oth, liaison.ScopeWrite)

	unit := &liaison.Organisation{Name: "Team", ParentID: &f.account.ID}
	must(t, f.a.CreateOrganisation(mgr, unit))
	wantCode(t, "other manager adds a unit", f.a.CreateOrganisation(oth, &liaison.Organisation{Name: "X", ParentID: &f.account.ID}), liaison.EFORBIDDEN)
	wantCode(t, "manager adds a top unit", f.a.CreateOrganisation(mgr, &liaison.Organisation{Name: "Top"}), liaison.EFORBIDDEN)
	wantCode(t, "manager adds a unit beside the account", f.a.CreateOrganisation(mgr, &liaison.Organisation{Name: "X", ParentID: &f.division.ID}), liaison.EFORBIDDEN)
	wantCode(t, "manager creates an account", f.a.CreateOrganisation(mgr, &liaison.Organisation{Name: "X", ParentID: &f.account.ID, BudgetHolder: true}), liaison.EFORBIDDEN)

	p := &liaison.Person{Name: "Åsa", OrganisationID: unit.ID}
	must(t, f.a.CreatePerson(mgr, p))
	wantCode(t, "other manager adds a person", f.a.CreatePerson(oth, &liaison.Person{Name: "B", OrganisationID: unit.ID}), liaison.EFORBIDDEN)
	must(t, f.a.CreateRole(mgr, &liaison.ContactRole{PersonID: p.ID, OrganisationID: f.account.ID, Role: liaison.RoleCustomer, Active: true}))

	// The portfolio's shape stays with admin and head.
	acc, _ := f.a.Organisation(mgr, f.account.ID)
	moved := *acc
	moved.DeputyID = &f.oth.ID
	wantCode(t, "manager names a deputy", f.a.UpdateOrganisation(mgr, &moved, acc.Version), liaison.EFORBIDDEN)
	must(t, f.a.UpdateOrganisation(as(f.head, liaison.ScopeWrite), &moved, acc.Version))
	// The deputy now writes the account too.
	must(t, f.a.CreateOrganisation(oth, &liaison.Organisation{Name: "Deputy's team", ParentID: &f.account.ID}))

	renamed := *unit
	renamed.Name = "Team Nord"
	must(t, f.a.UpdateOrganisation(mgr, &renamed, unit.Version))
	top := renamed
	top.ParentID, top.Version = nil, renamed.Version
	wantCode(t, "manager moves a unit to the top", f.a.UpdateOrganisation(mgr, &top, renamed.Version), liaison.EFORBIDDEN)
}

func TestReadOnlyAndStaff(t *testing.T) {
	f := setup(t)
	ro := as(f.admin, liaison.ScopeRead)
	wantCode(t, "read token creates", f.a.CreateOrganisation(ro, &liaison.Organisation{Name: "X", ParentID: &f.account.ID}), liaison.EFORBIDDEN)
	if _, err := f.a.Organisation(ro, f.account.ID); err != nil {
		t.Errorf("read token reads: %v", err)
	}
	staff := as(f.staff, liaison.ScopeWrite)
	wantCode(t, "staff creates a unit", f.a.CreateOrganisation(staff, &liaison.Organisation{Name: "X", ParentID: &f.account.ID}), liaison.EFORBIDDEN)
	wantCode(t, "anonymous reads", func() error { _, err := f.a.Organisation(context.Background(), f.account.ID); return err }(), liaison.EUNAUTHORIZED)
	wantCode(t, "read token revokes a token", f.a.RevokeToken(ro, "any"), liaison.EFORBIDDEN)
	wantCode(t, "manager creates a user", f.a.CreateUser(as(f.mgr, liaison.ScopeWrite), &liaison.User{Email: "n@app.test", Name: "N", Role: liaison.RoleViewer}, ""), liaison.EFORBIDDEN)
}

func TestSignInThrottle(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.a.Now = func() time.Time { return now }
	f.db.Now = f.a.Now // the store stamps the failures it counts
	f.a.MaxLoginFailures = 3

	if _, _, err := f.a.SignIn(ctx, "MGR@app.test ", "password-mgr", "10.0.0.1"); err != nil {
		t.Fatalf("sign in with the right password (email in other case): %v", err)
	}
	for i := 0; i < 3; i++ {
		_, _, err := f.a.SignIn(ctx, "mgr@app.test", "wrong", "10.0.0.1")
		wantCode(t, "wrong password", err, liaison.EUNAUTHORIZED)
	}
	_, _, err := f.a.SignIn(ctx, "mgr@app.test", "password-mgr", "10.0.0.2")
	wantCode(t, "right password after too many failures", err, liaison.ETOOMANY)
	_, _, err = f.a.SignIn(ctx, "nobody@app.test", "x", "10.0.0.1")
	wantCode(t, "another email from the throttled client", err, liaison.ETOOMANY)
	_, _, err = f.a.SignIn(ctx, "nobody@app.test", "x", "10.0.0.3")
	wantCode(t, "unknown email answers like a wrong password", err, liaison.EUNAUTHORIZED)

	now = now.Add(16 * time.Minute)
	secret, u, err := f.a.SignIn(ctx, "mgr@app.test", "password-mgr", "10.0.0.1")
	if err != nil || u.ID != f.mgr.ID {
		t.Fatalf("sign in after the window: %v", err)
	}
	p, err := f.a.Authenticate(ctx, secret)
	if err != nil || p.User.ID != f.mgr.ID || p.Scope != liaison.ScopeWrite {
		t.Fatalf("Authenticate = %+v, %v", p, err)
	}
	must(t, f.a.SignOut(ctx, secret))
	_, err = f.a.Authenticate(ctx, secret)
	wantCode(t, "session after sign-out", err, liaison.ENOTFOUND)
}

func TestAccountView(t *testing.T) {
	f := setup(t)
	ctx := as(f.mgr, liaison.ScopeWrite)
	unit := &liaison.Organisation{Name: "Team", ParentID: &f.account.ID}
	must(t, f.a.CreateOrganisation(ctx, unit))
	p := &liaison.Person{Name: "Orvar Orderer", OrganisationID: unit.ID}
	must(t, f.a.CreatePerson(ctx, p))
	must(t, f.a.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: liaison.RoleOrderer, Active: true}))

	v, err := f.a.AccountView(ctx, unit.ID)
	must(t, err)
	if len(v.Chain) != 3 || v.Chain[0].ID != f.division.ID || v.Chain[2].ID != unit.ID || v.Account.ID != f.account.ID {
		t.Errorf("chain/account = %v / %v", v.Chain, v.Account)
	}
	if len(v.Roles) != 1 || v.Roles[0].ITContact == nil || v.Roles[0].ITContact.ID != f.mgr.ID || !v.Roles[0].Inherited {
		t.Errorf("orderer's IT contact should be the account's manager: %+v", v.Roles)
	}
	if !v.CanWrite || v.CanCurate || len(v.Timeline) == 0 {
		t.Errorf("CanWrite %v, CanCurate %v, timeline %d", v.CanWrite, v.CanCurate, len(v.Timeline))
	}
	acc, err := f.a.AccountView(as(f.oth, liaison.ScopeWrite), f.account.ID)
	must(t, err)
	var codes []string
	for _, w := range acc.Warnings {
		codes = append(codes, w.Code)
	}
	if acc.CanWrite || len(codes) != 3 { // no deputy, no customer, never reviewed
		t.Errorf("other manager CanWrite %v; warnings %v", acc.CanWrite, codes)
	}
}

func TestPortfolioRowsForManagers(t *testing.T) {
	f := setup(t)
	p, err := f.a.Portfolio(as(f.staff, liaison.ScopeRead))
	must(t, err)
	var names []string
	for _, r := range p.Rows {
		names = append(names, r.Manager.Name)
	}
	if len(names) != 2 || p.Rows[0].Total+p.Rows[1].Total != 1 {
		t.Errorf("rows %v, want the two managers holding one account between them", names)
	}
}
