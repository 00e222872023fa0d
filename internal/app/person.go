package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Person returns a person.
func (a *App) Person(ctx context.Context, id string) (*liaison.Person, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindPersonByID(ctx, id)
}

// People lists people.
func (a *App) People(ctx context.Context, f liaison.PersonFilter) ([]*liaison.Person, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindPeople(ctx, f)
}

// CreatePerson adds a business contact to a unit.
func (a *App) CreatePerson(ctx context.Context, p *liaison.Person) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, p.OrganisationID); err != nil {
		return err
	}
	return a.Store.CreatePerson(ctx, p)
}

// UpdatePerson saves p, the person's full new state. Moving a person to
// another unit needs the right to write both units.
func (a *App) UpdatePerson(ctx context.Context, p *liaison.Person, ifVersion int) error {
	cur, err := a.Store.FindPersonByID(ctx, p.ID)
	if err != nil {
		return err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	if p.OrganisationID != cur.OrganisationID {
		if err := a.canWriteUnit(ctx, p.OrganisationID); err != nil {
			return err
		}
	}
	return a.Store.UpdatePerson(ctx, p, ifVersion)
}

// DeletePerson moves a person to the trash.
func (a *App) DeletePerson(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindPersonByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeletePerson(ctx, id, ifVersion)
}

// RestorePerson brings a person back from the trash.
func (a *App) RestorePerson(ctx context.Context, id string) (*liaison.Person, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestorePerson(ctx, id)
}

// Role returns a role.
func (a *App) Role(ctx context.Context, id string) (*liaison.ContactRole, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindRoleByID(ctx, id)
}

// UnitsWithCustomer returns the ids of the units that name an active customer.
func (a *App) UnitsWithCustomer(ctx context.Context) ([]string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.UnitsWithCustomer(ctx)
}

// Roles lists roles.
func (a *App) Roles(ctx context.Context, f liaison.RoleFilter) ([]*liaison.ContactRole, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindRoles(ctx, f)
}

// CreateRole gives a person a role toward IT at a unit.
func (a *App) CreateRole(ctx context.Context, r *liaison.ContactRole) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, r.OrganisationID); err != nil {
		return err
	}
	return a.Store.CreateRole(ctx, r)
}

// UpdateRole saves r, the role's full new state (ending a role sets Active false).
func (a *App) UpdateRole(ctx context.Context, r *liaison.ContactRole, ifVersion int) error {
	cur, err := a.Store.FindRoleByID(ctx, r.ID)
	if err != nil {
		return err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	if r.OrganisationID != cur.OrganisationID {
		if err := a.canWriteUnit(ctx, r.OrganisationID); err != nil {
			return err
		}
	}
	return a.Store.UpdateRole(ctx, r, ifVersion)
}

// DeleteRole removes a role (the audit trail keeps it).
func (a *App) DeleteRole(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindRoleByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteRole(ctx, id, ifVersion)
}
