package app

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// accountOf returns the nearest account at or above the unit, or nil.
func (a *App) accountOf(ctx context.Context, unitID string) (*liaison.Organisation, error) {
	chain, err := a.Store.OrganisationChain(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return liaison.NearestAccount(chain), nil
}

// canWriteUnit checks that the principal may change the data of the unit
// (and of the people and roles in it): admin and head anywhere, a manager
// within the accounts they manage or deputise.
func (a *App) canWriteUnit(ctx context.Context, unitID string) error {
	p, err := require(ctx, liaison.AccessWrite)
	if err != nil {
		return err
	}
	if p.User.Role == liaison.RoleAdmin || p.User.Role == liaison.RoleHead {
		return nil
	}
	acc, err := a.accountOf(ctx, unitID)
	if err != nil {
		return err
	}
	if !p.CanWriteAccount(acc) {
		return forbidden("Only the account's relationship manager or deputy, the head of service management or an administrator may change this account.")
	}
	return nil
}

// Organisation returns a unit.
func (a *App) Organisation(ctx context.Context, id string) (*liaison.Organisation, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindOrganisationByID(ctx, id)
}

// AccountNames lists every live account's id and name, by name.
func (a *App) AccountNames(ctx context.Context) ([]liaison.Ref, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.AccountNames(ctx)
}

// Organisations lists units.
func (a *App) Organisations(ctx context.Context, f liaison.OrganisationFilter) ([]*liaison.Organisation, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	if f.Trashed {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return nil, "", err
		}
	}
	if f.Sort == "health" || f.Sort == "-health" {
		return a.organisationsByHealth(ctx, f)
	}
	return a.Store.FindOrganisations(ctx, f)
}

// CreateOrganisation adds a unit. Top units and accounts (budget holder,
// manager, deputy, segment) are the portfolio's shape and belong to admin
// and head; a manager may add plain units under their accounts.
func (a *App) CreateOrganisation(ctx context.Context, o *liaison.Organisation) error {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	if o.ParentID == nil || portfolioFields(o) {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return err
		}
	} else if err := a.canWriteUnit(ctx, *o.ParentID); err != nil {
		return err
	}
	return a.Store.CreateOrganisation(ctx, o)
}

// portfolioFields reports whether o sets the fields that shape the portfolio.
func portfolioFields(o *liaison.Organisation) bool {
	return o.BudgetHolder || o.RelationshipManagerID != nil || o.DeputyID != nil || o.Segment != ""
}

// UpdateOrganisation saves o, the unit's full new state, if the caller read
// version ifVersion. Changing the portfolio fields, or moving a unit to
// another account, needs admin or head.
func (a *App) UpdateOrganisation(ctx context.Context, o *liaison.Organisation, ifVersion int) error {
	cur, err := a.Store.FindOrganisationByID(ctx, o.ID)
	if err != nil {
		return err
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, o.ID); err != nil {
		return err
	}
	if o.BudgetHolder != cur.BudgetHolder || !same(o.RelationshipManagerID, cur.RelationshipManagerID) ||
		!same(o.DeputyID, cur.DeputyID) || o.Segment != cur.Segment || !same(o.ParentID, cur.ParentID) && o.ParentID == nil {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return err
		}
	}
	if !same(o.ParentID, cur.ParentID) && o.ParentID != nil {
		if err := a.canWriteUnit(ctx, *o.ParentID); err != nil {
			return err
		}
	}
	return a.Store.UpdateOrganisation(ctx, o, ifVersion)
}

func same(x, y *string) bool {
	if x == nil || y == nil {
		return x == y
	}
	return *x == *y
}

// DeleteOrganisation moves a unit to the trash.
func (a *App) DeleteOrganisation(ctx context.Context, id string, ifVersion int) error {
	o, err := a.Store.FindOrganisationByID(ctx, id)
	if err != nil {
		return err
	}
	if o.BudgetHolder || o.ParentID == nil {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return err
		}
	} else if err := a.canWriteUnit(ctx, id); err != nil {
		return err
	}
	return a.Store.DeleteOrganisation(ctx, id, ifVersion)
}

// RestoreOrganisation brings a unit back from the trash.
func (a *App) RestoreOrganisation(ctx context.Context, id string) (*liaison.Organisation, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreOrganisation(ctx, id)
}

// WhoDecides answers who decides for a unit.
func (a *App) WhoDecides(ctx context.Context, id string) (*liaison.Decision, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.WhoDecides(ctx, id)
}

// Tree returns every live unit, parents before children.
func (a *App) Tree(ctx context.Context) ([]*liaison.Organisation, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.OrganisationTree(ctx)
}

// Portfolio lays out the accounts by manager and segment. Every user with
// the manager role gets a row, and so does anyone holding an account.
func (a *App) Portfolio(ctx context.Context) (*liaison.Portfolio, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	accounts, err := a.allAccounts(ctx)
	if err != nil {
		return nil, err
	}
	segments, err := a.Store.FindSegments(ctx)
	if err != nil {
		return nil, err
	}
	users, err := a.allUsers(ctx)
	if err != nil {
		return nil, err
	}
	holds := map[string]bool{}
	for _, acc := range accounts {
		if acc.RelationshipManagerID != nil {
			holds[*acc.RelationshipManagerID] = true
		}
	}
	var managers []*liaison.User
	for _, u := range users {
		if u.Role == liaison.RoleManager || holds[u.ID] {
			managers = append(managers, u)
		}
	}
	return liaison.BuildPortfolio(accounts, managers, segments), nil
}

func (a *App) allAccounts(ctx context.Context) ([]*liaison.Organisation, error) {
	yes := true
	var all []*liaison.Organisation
	f := liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 500}
	for {
		page, next, err := a.Store.FindOrganisations(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}

func (a *App) allUsers(ctx context.Context) ([]*liaison.User, error) {
	var all []*liaison.User
	f := liaison.UserFilter{Limit: 500}
	for {
		page, next, err := a.Store.FindUsers(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}

// MyAccounts lists the accounts the signed-in user manages or deputises.
func (a *App) MyAccounts(ctx context.Context) ([]*liaison.Organisation, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return nil, err
	}
	yes := true
	var all []*liaison.Organisation
	f := liaison.OrganisationFilter{BudgetHolder: &yes, ManagerID: p.User.ID, Limit: 500}
	for {
		page, next, err := a.Store.FindOrganisations(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("my accounts: %w", err)
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}
