package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

const personColumns = `p.id, p.name, p.email, p.phone, p.title, p.organisation_id, p.language, p.external_id, p.notes,
	p.version, p.created_at, p.updated_at, p.deleted_at`

func scanPerson(s scanner) (*liaison.Person, error) {
	var p liaison.Person
	if err := s.Scan(&p.ID, &p.Name, &p.Email, &p.Phone, &p.Title, &p.OrganisationID, &p.Language, &p.ExternalID,
		&p.Notes, &p.Version, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}, nullTimeCol{&p.DeletedAt}); err != nil {
		return nil, err
	}
	return &p, nil
}

func personSearchText(p *liaison.Person) string {
	return liaison.SearchText(p.Name, p.Email, p.Title, p.Phone)
}

func findPerson(ctx context.Context, q queryer, id string, trashed bool, lock string) (*liaison.Person, error) {
	live := " AND p.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = $1`+live+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("person", id)
	} else if err != nil {
		return nil, fmt.Errorf("find person %s: %w", id, err)
	}
	return p, nil
}

// FindPersonByID returns a live person.
func (db *DB) FindPersonByID(ctx context.Context, id string) (*liaison.Person, error) {
	return findPerson(ctx, db.ro, id, false, "")
}

// FindPeople lists people (the trash with f.Trashed).
func (db *DB) FindPeople(ctx context.Context, f liaison.PersonFilter) ([]*liaison.Person, string, error) {
	s, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Trashed {
		q.and("p.deleted_at IS NOT NULL")
	} else {
		q.and("p.deleted_at IS NULL")
	}
	if f.OrganisationID != "" {
		q.and("p.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.Email != "" {
		// The "<> ''" term lets both engines use the partial unique index.
		q.and("p.email = " + q.arg(normEmail(f.Email)) + " AND p.email <> ''")
	}
	if f.ExternalID != "" {
		q.and("p.external_id = " + q.arg(f.ExternalID) + " AND p.external_id <> ''")
	}
	q.search("p.search_text", f.Q)
	tail := q.page("p", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+personColumns+` FROM people p`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find people: %w", err)
	}
	people, err := collectRows(rows, scanPerson)
	if err != nil {
		return nil, "", fmt.Errorf("find people: %w", err)
	}
	people, next := nextPage(people, limit, s, func(p *liaison.Person) (string, string) {
		return sortValue(s, p.Name, p.CreatedAt, p.UpdatedAt), p.ID
	})
	return people, next, nil
}

// checkPersonUnit refuses a unit that does not exist or is in the trash.
// The share lock keeps the unit from being trashed meanwhile on PostgreSQL.
func checkPersonUnit(ctx context.Context, tx *writeTx, unitID string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare, unitID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		var v liaison.Validation
		unknownRef(&v, "organisation_id", "unit")
		return v.Err()
	} else if err != nil {
		return fmt.Errorf("check unit %s: %w", unitID, err)
	}
	return nil
}

// checkPersonKeys refuses an email or external id another live person has.
func checkPersonKeys(ctx context.Context, tx *writeTx, p *liaison.Person) error {
	if p.Email == "" && p.ExternalID == "" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, email = $1 FROM people
		WHERE id <> $3 AND deleted_at IS NULL AND ((email = $1 AND email <> '') OR (external_id = $2 AND external_id <> ''))`,
		p.Email, p.ExternalID, p.ID)
	if err != nil {
		return fmt.Errorf("check person keys: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var name string
		var sameEmail bool
		if err := rows.Scan(&name, &sameEmail); err != nil {
			return fmt.Errorf("check person keys: %w", err)
		}
		if sameEmail {
			return conflict("error.email_taken", "%s already has the email %s", name, p.Email)
		}
		return conflict("error.external_id_taken", "the external id %s already belongs to %s", p.ExternalID, name)
	}
	return rows.Err()
}

const personKeyTaken = "another person has this email or external id"

// CreatePerson stores a new person.
func (db *DB) CreatePerson(ctx context.Context, p *liaison.Person) error {
	n := *p
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkPersonUnit(ctx, tx, n.OrganisationID); err != nil {
			return err
		}
		n.ID = newID()
		if err := checkPersonKeys(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = 1, tx.now, tx.now, nil
		_, err := tx.ExecContext(ctx, `INSERT INTO people (id, organisation_id, name, email, phone, title, language,
			external_id, notes, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			n.ID, n.OrganisationID, n.Name, n.Email, n.Phone, n.Title, n.Language, n.ExternalID, n.Notes,
			personSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create person: %w", constraintError(err, personKeyTaken))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectPerson, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*p = n
	return nil
}

// UpdatePerson replaces the person's fields.
func (db *DB) UpdatePerson(ctx context.Context, p *liaison.Person, ifVersion int) error {
	n := *p
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findPerson(ctx, tx, n.ID, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := checkPersonUnit(ctx, tx, n.OrganisationID); err != nil {
			return err
		}
		if err := checkPersonKeys(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE people SET organisation_id = $1, name = $2, email = $3, phone = $4,
			title = $5, language = $6, external_id = $7, notes = $8, search_text = $9, version = $10, updated_at = $11
			WHERE id = $12 AND version = $13`,
			n.OrganisationID, n.Name, n.Email, n.Phone, n.Title, n.Language, n.ExternalID, n.Notes,
			personSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update person %s: %w", n.ID, constraintError(err, personKeyTaken))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectPerson, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*p = n
	return nil
}

// DeletePerson moves a person to the trash. An account's active customer
// must be ended first: a trashed customer would still block naming a new
// one, invisibly.
func (db *DB) DeletePerson(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findPerson(ctx, tx, id, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var unit string
		err = tx.QueryRowContext(ctx, `SELECT o.name FROM contact_roles r JOIN organisations o ON o.id = r.organisation_id
			WHERE r.person_id = $1 AND r.role = 'customer' AND r.active = TRUE`, id).Scan(&unit)
		if err == nil {
			return conflict("error.person_is_customer", "%s is the active customer of %s; end that role first", cur.Name, unit)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("delete person %s: %w", id, err)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE people SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete person %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectPerson, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Name, before: cur, after: &after})
	})
}

// RestorePerson brings a person back from the trash; restoring a live
// person changes nothing.
func (db *DB) RestorePerson(ctx context.Context, id string) (*liaison.Person, error) {
	var restored *liaison.Person
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findPerson(ctx, tx, id, true, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		if err := checkPersonUnit(ctx, tx, cur.OrganisationID); liaison.ErrorCode(err) == liaison.EINVALID {
			return conflict("error.unit_trashed", "the unit of %s is in the trash; restore it first", cur.Name)
		} else if err != nil {
			return err
		}
		if err := checkPersonKeys(ctx, tx, cur); err != nil {
			return err
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE people SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore person %s: %w", id, constraintError(err, personKeyTaken))
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectPerson, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Name, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}
