package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

const roleColumns = `r.id, r.person_id, r.organisation_id, r.role, r.label, r.active, r.it_contact_user_id,
	r.version, r.created_at, r.updated_at`

func scanRole(s scanner) (*liaison.ContactRole, error) {
	var r liaison.ContactRole
	var itContact sql.NullString
	if err := s.Scan(&r.ID, &r.PersonID, &r.OrganisationID, &r.Role, &r.Label, &r.Active, &itContact,
		&r.Version, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}); err != nil {
		return nil, err
	}
	r.ITContactUserID = strPtr(itContact)
	return &r, nil
}

// roleSummary names a role in the audit trail: "Anna Berg – customer".
func roleSummary(personName string, r *liaison.ContactRole) string {
	what := string(r.Role)
	if r.Role == liaison.RoleOther && r.Label != "" {
		what = r.Label
	}
	return personName + " – " + what
}

func findRole(ctx context.Context, q queryer, id, lock string) (*liaison.ContactRole, error) {
	r, err := scanRole(q.QueryRowContext(ctx, `SELECT `+roleColumns+` FROM contact_roles r WHERE r.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("role", id)
	} else if err != nil {
		return nil, fmt.Errorf("find role %s: %w", id, err)
	}
	return r, nil
}

// FindRoleByID returns a role.
func (db *DB) FindRoleByID(ctx context.Context, id string) (*liaison.ContactRole, error) {
	return findRole(ctx, db.ro, id, "")
}

// FindRoles lists roles, oldest first. Roles of trashed people or at
// trashed units are left out, as their holders are.
// UnitsWithCustomer returns the ids of the units that name an active
// customer; the partial unique index of active customers answers it alone.
func (db *DB) UnitsWithCustomer(ctx context.Context) ([]string, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT organisation_id FROM contact_roles WHERE role = 'customer' AND active`)
	if err != nil {
		return nil, fmt.Errorf("units with a customer: %w", err)
	}
	ids, err := collectRows(rows, func(sc scanner) (string, error) {
		var id string
		err := sc.Scan(&id)
		return id, err
	})
	if err != nil {
		return nil, fmt.Errorf("units with a customer: %w", err)
	}
	return ids, nil
}

func (db *DB) FindRoles(ctx context.Context, f liaison.RoleFilter) ([]*liaison.ContactRole, string, error) {
	c, err := decodeCursor(f.Cursor, byCreated)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	q.and("p.deleted_at IS NULL AND o.deleted_at IS NULL")
	if f.PersonID != "" {
		q.and("r.person_id = " + q.arg(f.PersonID))
	}
	if f.OrganisationID != "" {
		q.and("r.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.Role != "" {
		q.and("r.role = " + q.arg(string(f.Role)))
	}
	if f.Active != nil {
		q.and("r.active = " + q.arg(*f.Active))
	}
	tail := q.page("r", byCreated, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+roleColumns+` FROM contact_roles r
		JOIN people p ON p.id = r.person_id JOIN organisations o ON o.id = r.organisation_id`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find roles: %w", err)
	}
	roles, err := collectRows(rows, scanRole)
	if err != nil {
		return nil, "", fmt.Errorf("find roles: %w", err)
	}
	roles, next := nextPage(roles, limit, byCreated, func(r *liaison.ContactRole) (string, string) { return timeKey(r.CreatedAt), r.ID })
	return roles, next, nil
}

// checkRole checks what a role refers to and the customer rules, and
// returns the person's name for the audit summary. The person and unit
// rows are share-locked on PostgreSQL so that neither is trashed, nor the
// unit's budget holder cleared, before this transaction commits.
func checkRole(ctx context.Context, tx *writeTx, r *liaison.ContactRole) (string, error) {
	var v liaison.Validation
	var personName string
	err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare, r.PersonID).Scan(&personName)
	if errors.Is(err, sql.ErrNoRows) {
		unknownRef(&v, "person_id", "person")
	} else if err != nil {
		return "", fmt.Errorf("check role person %s: %w", r.PersonID, err)
	}
	var unitName string
	var budgetHolder bool
	err = tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		r.OrganisationID).Scan(&unitName, &budgetHolder)
	if errors.Is(err, sql.ErrNoRows) {
		unknownRef(&v, "organisation_id", "unit")
	} else if err != nil {
		return "", fmt.Errorf("check role unit %s: %w", r.OrganisationID, err)
	} else if r.Role == liaison.RoleCustomer && !budgetHolder {
		v.Add("role", liaison.CodeInvalid, "error.customer_needs_budget_holder",
			"%s holds no budget, so nobody there can be its customer: mark the unit as budget holder, or record the person as orderer", unitName)
	}
	if r.ITContactUserID != nil {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1`, *r.ITContactUserID).Scan(&n); err != nil {
			return "", fmt.Errorf("check role IT contact: %w", err)
		} else if n == 0 {
			unknownRef(&v, "it_contact_user_id", "user")
		}
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	if r.Role == liaison.RoleCustomer && r.Active {
		var current string
		err := tx.QueryRowContext(ctx, `SELECT p.name FROM contact_roles c JOIN people p ON p.id = c.person_id
			WHERE c.organisation_id = $1 AND c.role = 'customer' AND c.active = TRUE AND c.id <> $2`, r.OrganisationID, r.ID).Scan(&current)
		if err == nil {
			return "", customerTaken(unitName, current)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("check active customer: %w", err)
		}
	}
	return personName, nil
}

func customerTaken(unitName, customer string) error {
	return conflict("error.customer_taken", "%s already has an active customer: %s; end that role first", unitName, customer)
}

// customerRace explains a unique violation of contact_roles: a concurrent
// transaction named the account's customer after our check passed. The
// failed transaction cannot query any more (PostgreSQL aborts it), so the
// current customer is read afresh.
func (db *DB) customerRace(ctx context.Context, err error, unitID string) error {
	if violationOf(err) != uniqueViolation {
		return constraintError(err, "")
	}
	var unit, customer string
	qerr := db.ro.QueryRowContext(ctx, `SELECT o.name, p.name FROM contact_roles c
		JOIN organisations o ON o.id = c.organisation_id JOIN people p ON p.id = c.person_id
		WHERE c.organisation_id = $1 AND c.role = 'customer' AND c.active = TRUE`, unitID).Scan(&unit, &customer)
	if qerr != nil {
		return conflict("error.customer_taken", "the account already has an active customer; end that role first")
	}
	return customerTaken(unit, customer)
}

// CreateRole stores a new role.
func (db *DB) CreateRole(ctx context.Context, r *liaison.ContactRole) error {
	n := *r
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID = newID()
		personName, err := checkRole(ctx, tx, &n)
		if err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = 1, tx.now, tx.now
		_, err = tx.ExecContext(ctx, `INSERT INTO contact_roles (id, person_id, organisation_id, role, label, active,
			it_contact_user_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			n.ID, n.PersonID, n.OrganisationID, string(n.Role), n.Label, n.Active, nullPtr(n.ITContactUserID), n.Version, tx.t(tx.now))
		if err != nil {
			return err // explained below, once the transaction is gone
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectRole, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: roleSummary(personName, &n), after: &n})
	})
	if violationOf(err) != noViolation {
		return fmt.Errorf("create role: %w", db.customerRace(ctx, err, n.OrganisationID))
	} else if err != nil {
		return err
	}
	*r = n
	return nil
}

// UpdateRole replaces the role's fields.
func (db *DB) UpdateRole(ctx context.Context, r *liaison.ContactRole, ifVersion int) error {
	n := *r
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findRole(ctx, tx, n.ID, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		personName, err := checkRole(ctx, tx, &n)
		if err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		res, err := tx.ExecContext(ctx, `UPDATE contact_roles SET person_id = $1, organisation_id = $2, role = $3,
			label = $4, active = $5, it_contact_user_id = $6, version = $7, updated_at = $8 WHERE id = $9 AND version = $10`,
			n.PersonID, n.OrganisationID, string(n.Role), n.Label, n.Active, nullPtr(n.ITContactUserID), n.Version,
			tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return err // explained below, once the transaction is gone
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectRole, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: roleSummary(personName, &n), before: cur, after: &n})
	})
	if violationOf(err) != noViolation {
		return fmt.Errorf("update role %s: %w", n.ID, db.customerRace(ctx, err, n.OrganisationID))
	} else if err != nil {
		return err
	}
	*r = n
	return nil
}

// DeleteRole removes a role for good; the audit row keeps what it was.
func (db *DB) DeleteRole(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findRole(ctx, tx, id, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var personName string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1`, cur.PersonID).Scan(&personName); err != nil {
			return fmt.Errorf("delete role %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contact_roles WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete role %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectRole, subjectID: id,
			organisationID: cur.OrganisationID, summary: roleSummary(personName, cur), before: cur})
	})
}
