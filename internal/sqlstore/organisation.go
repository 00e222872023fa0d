package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/liaisonhq/liaison"
)

// organisationColumns are read by scanOrganisation; path comes last.
const organisationColumns = `o.id, o.name, o.parent_id, o.budget_holder, o.segment_id, o.relationship_manager_id,
	o.deputy_id, o.description, o.external_id, o.last_reviewed_on, o.depth, o.version, o.created_at, o.updated_at,
	o.deleted_at, ` + activeAgreementColumn + `, o.path`

// activeAgreementColumn says whether the unit has an active agreement:
// customer_kind is derived from it (one index lookup).
const activeAgreementColumn = `EXISTS (SELECT 1 FROM agreements ag WHERE ag.organisation_id = o.id AND ag.status = 'active' AND ag.deleted_at IS NULL)`

// scanOrganisation reads one row of organisationColumns and returns the
// unit and its materialized path (which the domain does not show).
func scanOrganisation(s scanner) (*liaison.Organisation, string, error) {
	var o liaison.Organisation
	var parent, segment, manager, deputy, reviewed sql.NullString
	var path string
	var agreement bool
	if err := s.Scan(&o.ID, &o.Name, &parent, &o.BudgetHolder, &segment, &manager, &deputy, &o.Description,
		&o.ExternalID, &reviewed, &o.Depth, &o.Version, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt},
		nullTimeCol{&o.DeletedAt}, &agreement, &path); err != nil {
		return nil, "", err
	}
	o.ParentID, o.RelationshipManagerID, o.DeputyID, o.LastReviewedOn = strPtr(parent), strPtr(manager), strPtr(deputy), strPtr(reviewed)
	o.Segment = segment.String
	o.CustomerKind = customerKind(&o, agreement)
	return &o, path, nil
}

// customerKind derives the unit's kind: an account with an active
// agreement is an agreement customer, any other unit ad hoc.
func customerKind(o *liaison.Organisation, activeAgreement bool) liaison.CustomerKind {
	if o.BudgetHolder && activeAgreement {
		return liaison.KindAgreement
	}
	return liaison.KindAdHoc
}

func organisationSearchText(o *liaison.Organisation) string {
	return liaison.SearchText(o.Name, o.Description, o.ExternalID)
}

// pathIDs returns the ids of a materialized path, root first.
func pathIDs(path string) []string { return strings.Split(strings.Trim(path, "/"), "/") }

// depthOf returns the depth of the unit with the path: 0 for a top unit.
func depthOf(path string) int { return strings.Count(path, "/") - 2 }

// findOrganisation reads a unit. With trashed it finds trashed units too;
// lock is the dialect's row lock clause, or "".
func findOrganisation(ctx context.Context, q queryer, id string, trashed bool, lock string) (*liaison.Organisation, string, error) {
	live := " AND o.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	o, path, err := scanOrganisation(q.QueryRowContext(ctx, `SELECT `+organisationColumns+` FROM organisations o WHERE o.id = $1`+live+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("organisation", id)
	} else if err != nil {
		return nil, "", fmt.Errorf("find organisation %s: %w", id, err)
	}
	return o, path, nil
}

// FindOrganisationByID returns a live unit. It is the API's hot path: one
// primary-key query, nothing derived that needs another.
func (db *DB) FindOrganisationByID(ctx context.Context, id string) (*liaison.Organisation, error) {
	o, _, err := findOrganisation(ctx, db.ro, id, false, "")
	return o, err
}

// FindOrganisations lists units (the trash with f.Trashed).
func (db *DB) FindOrganisations(ctx context.Context, f liaison.OrganisationFilter) ([]*liaison.Organisation, string, error) {
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
		q.and("o.deleted_at IS NOT NULL")
	} else {
		q.and("o.deleted_at IS NULL")
	}
	if f.ParentID != nil {
		if *f.ParentID == "" {
			q.and("o.parent_id IS NULL")
		} else {
			q.and("o.parent_id = " + q.arg(*f.ParentID))
		}
	}
	if f.BudgetHolder != nil {
		q.and("o.budget_holder = " + q.arg(*f.BudgetHolder))
	}
	if f.Segment != "" {
		q.and("o.segment_id = " + q.arg(f.Segment))
	}
	if f.ManagerID != "" {
		p := q.arg(f.ManagerID)
		q.and("(o.relationship_manager_id = " + p + " OR o.deputy_id = " + p + ")")
	}
	if f.ExternalID != "" {
		q.and("o.external_id = " + q.arg(f.ExternalID) + " AND o.external_id <> ''") // matches the partial index
	}
	q.search("o.search_text", f.Q)
	tail := q.page("o", s, c, limit)
	units, err := queryOrganisations(ctx, db.ro, `SELECT `+organisationColumns+` FROM organisations o`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find organisations: %w", err)
	}
	units, next := nextPage(units, limit, s, func(o *liaison.Organisation) (string, string) {
		return sortValue(s, o.Name, o.CreatedAt, o.UpdatedAt), o.ID
	})
	return units, next, nil
}

func queryOrganisations(ctx context.Context, q queryer, sqlText string, args ...any) ([]*liaison.Organisation, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	units := []*liaison.Organisation{}
	for rows.Next() {
		o, _, err := scanOrganisation(rows)
		if err != nil {
			return nil, err
		}
		units = append(units, o)
	}
	return units, rows.Err()
}

// organisationRefs checks in one query that what o refers to exists: a
// live parent, the manager and deputy users, the segment. It returns the
// parent's path ("" for a top unit).
func organisationRefs(ctx context.Context, tx *writeTx, o *liaison.Organisation) (string, error) {
	var parentPath sql.NullString
	var managers, deputies, segments int
	// "" matches no id, so absent references cost nothing.
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT path FROM organisations WHERE id = $1 AND deleted_at IS NULL),
		(SELECT COUNT(*) FROM users WHERE id = $2),
		(SELECT COUNT(*) FROM users WHERE id = $3),
		(SELECT COUNT(*) FROM segments WHERE id = $4)`,
		deref(o.ParentID), deref(o.RelationshipManagerID), deref(o.DeputyID), o.Segment,
	).Scan(&parentPath, &managers, &deputies, &segments)
	if err != nil {
		return "", fmt.Errorf("check references of organisation: %w", err)
	}
	var v liaison.Validation
	if o.ParentID != nil && !parentPath.Valid {
		unknownRef(&v, "parent_id", "unit")
	}
	if o.RelationshipManagerID != nil && managers == 0 {
		unknownRef(&v, "relationship_manager_id", "user")
	}
	if o.DeputyID != nil && deputies == 0 {
		unknownRef(&v, "deputy_id", "user")
	}
	if o.Segment != "" && segments == 0 {
		unknownRef(&v, "segment", "segment")
	}
	return parentPath.String, v.Err()
}

// checkOrganisationExternalID refuses an external id another live unit has.
func checkOrganisationExternalID(ctx context.Context, tx *writeTx, o *liaison.Organisation) error {
	if o.ExternalID == "" {
		return nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM organisations
		WHERE external_id = $1 AND external_id <> '' AND deleted_at IS NULL AND id <> $2`, o.ExternalID, o.ID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("check external id: %w", err)
	}
	return conflict("error.external_id_taken", "the external id %s already belongs to %s", o.ExternalID, name)
}

const organisationExternalIDTaken = "another unit has this external id"

// CreateOrganisation stores a new unit.
func (db *DB) CreateOrganisation(ctx context.Context, o *liaison.Organisation) error {
	n := *o
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := tx.lockTree(ctx); err != nil {
			return err
		}
		parentPath, err := organisationRefs(ctx, tx, &n)
		if err != nil {
			return err
		}
		n.ID = newID()
		if err := checkOrganisationExternalID(ctx, tx, &n); err != nil {
			return err
		}
		path := "/" + n.ID + "/"
		if n.ParentID != nil {
			path = parentPath + n.ID + "/"
		}
		n.Depth, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = depthOf(path), 1, tx.now, tx.now, nil
		n.CustomerKind = customerKind(&n, false) // a new unit has no agreements
		_, err = tx.ExecContext(ctx, `INSERT INTO organisations (id, name, parent_id, path, depth, budget_holder,
			segment_id, relationship_manager_id, deputy_id, description, external_id, last_reviewed_on, search_text,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
			n.ID, n.Name, nullPtr(n.ParentID), path, n.Depth, n.BudgetHolder, nullString(n.Segment),
			nullPtr(n.RelationshipManagerID), nullPtr(n.DeputyID), n.Description, n.ExternalID, nullPtr(n.LastReviewedOn),
			organisationSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create organisation: %w", constraintError(err, organisationExternalIDTaken))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectOrganisation, subjectID: n.ID,
			organisationID: n.ID, summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*o = n
	return nil
}

// UpdateOrganisation replaces the unit's fields. A new parent moves the
// unit with its whole subtree, trashed units included, in one transaction.
func (db *DB) UpdateOrganisation(ctx context.Context, o *liaison.Organisation, ifVersion int) error {
	n := *o
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := tx.lockTree(ctx); err != nil {
			return err
		}
		cur, oldPath, err := findOrganisation(ctx, tx, n.ID, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		parentPath, err := organisationRefs(ctx, tx, &n)
		if err != nil {
			return err
		}
		path := "/" + n.ID + "/"
		if n.ParentID != nil {
			// The new parent's path lists its ancestors; the unit must not be one.
			ids := pathIDs(parentPath)
			for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
				ids[i], ids[j] = ids[j], ids[i]
			}
			if err := liaison.CheckParent(n.ID, ids); err != nil {
				return err
			}
			path = parentPath + n.ID + "/"
		}
		if cur.BudgetHolder && !n.BudgetHolder {
			if name, err := activeCustomerName(ctx, tx, n.ID); err != nil {
				return err
			} else if name != "" {
				return conflict("error.budget_holder_has_customer",
					"%s has an active customer: %s; end that role before clearing budget holder", cur.Name, name)
			}
		}
		if err := checkOrganisationExternalID(ctx, tx, &n); err != nil {
			return err
		}
		n.Depth, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = depthOf(path), cur.Version+1, cur.CreatedAt, tx.now, nil
		n.CustomerKind = customerKind(&n, cur.CustomerKind == liaison.KindAgreement)
		res, err := tx.ExecContext(ctx, `UPDATE organisations SET name = $1, parent_id = $2, path = $3, depth = $4,
			budget_holder = $5, segment_id = $6, relationship_manager_id = $7, deputy_id = $8, description = $9,
			external_id = $10, last_reviewed_on = $11, search_text = $12, version = $13, updated_at = $14
			WHERE id = $15 AND version = $16`,
			n.Name, nullPtr(n.ParentID), path, n.Depth, n.BudgetHolder, nullString(n.Segment),
			nullPtr(n.RelationshipManagerID), nullPtr(n.DeputyID), n.Description, n.ExternalID, nullPtr(n.LastReviewedOn),
			organisationSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update organisation %s: %w", n.ID, constraintError(err, organisationExternalIDTaken))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version) // unreachable while the row is locked; kept as a guard
		}
		if path != oldPath {
			// Descendants keep their own version: only their derived path
			// and depth change, and bumping versions would fail the
			// If-Match of anyone editing them meanwhile.
			_, err := tx.ExecContext(ctx, `UPDATE organisations SET path = $1 || substr(path, $2), depth = depth + $3
				WHERE path > $4 AND path < $5`,
				path, len(oldPath)+1, depthOf(path)-cur.Depth, oldPath, pathEnd(oldPath))
			if err != nil {
				return fmt.Errorf("move organisation %s: %w", n.ID, err)
			}
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectOrganisation, subjectID: n.ID,
			organisationID: n.ID, summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*o = n
	return nil
}

// pathEnd is the first path after every path of the subtree at path: the
// final "/" turned into the next byte, "0".
func pathEnd(path string) string { return path[:len(path)-1] + "0" }

// activeCustomerName returns the name of the unit's active customer, "" when none.
func activeCustomerName(ctx context.Context, q queryer, unitID string) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT p.name FROM contact_roles r JOIN people p ON p.id = r.person_id
		WHERE r.organisation_id = $1 AND r.role = 'customer' AND r.active = TRUE`, unitID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("find active customer of %s: %w", unitID, err)
	}
	return name, nil
}

// DeleteOrganisation moves a unit to the trash.
func (db *DB) DeleteOrganisation(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if err := tx.lockTree(ctx); err != nil {
			return err
		}
		cur, _, err := findOrganisation(ctx, tx, id, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var children int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE parent_id = $1 AND deleted_at IS NULL`, id).Scan(&children); err != nil {
			return fmt.Errorf("delete organisation %s: count children: %w", id, err)
		}
		if children > 0 {
			return conflict("error.unit_has_children", "%s has %s below it; move or delete them first", cur.Name, units(children))
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete organisation %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectOrganisation, subjectID: id,
			organisationID: id, summary: cur.Name, before: cur, after: &after})
	})
}

// RestoreOrganisation brings a unit back from the trash. Restoring a live
// unit changes nothing, so a retried restore succeeds.
func (db *DB) RestoreOrganisation(ctx context.Context, id string) (*liaison.Organisation, error) {
	var restored *liaison.Organisation
	err := db.write(ctx, func(tx *writeTx) error {
		if err := tx.lockTree(ctx); err != nil {
			return err
		}
		cur, _, err := findOrganisation(ctx, tx, id, true, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		if cur.ParentID != nil {
			var parentTrashed bool
			if err := tx.QueryRowContext(ctx, `SELECT deleted_at IS NOT NULL FROM organisations WHERE id = $1`, *cur.ParentID).Scan(&parentTrashed); err != nil {
				return fmt.Errorf("restore organisation %s: %w", id, err)
			}
			if parentTrashed {
				return conflict("error.parent_trashed", "the unit above %s is in the trash; restore it first", cur.Name)
			}
		}
		if err := checkOrganisationExternalID(ctx, tx, cur); err != nil {
			return err
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore organisation %s: %w", id, constraintError(err, organisationExternalIDTaken))
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectOrganisation, subjectID: id,
			organisationID: id, summary: cur.Name, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// chainQuery walks from a live unit up to its root by primary key, one
// step per level, in a single statement both engines run.
const chainQuery = `WITH RECURSIVE chain (id, n) AS (
		SELECT id, 0 FROM organisations WHERE id = $1 AND deleted_at IS NULL
		UNION ALL
		SELECT o.parent_id, chain.n + 1 FROM chain JOIN organisations o ON o.id = chain.id
		WHERE o.parent_id IS NOT NULL AND chain.n < 10000 -- a guard: paths keep the tree acyclic
	)
	SELECT ` + organisationColumns + ` FROM chain JOIN organisations o ON o.id = chain.id ORDER BY chain.n`

// OrganisationChain returns the unit and its ancestors, the unit first.
func (db *DB) OrganisationChain(ctx context.Context, id string) ([]*liaison.Organisation, error) {
	chain, err := queryOrganisations(ctx, db.ro, chainQuery, id)
	if err != nil {
		return nil, fmt.Errorf("organisation chain %s: %w", id, err)
	}
	if len(chain) == 0 {
		return nil, notFound("organisation", id)
	}
	return chain, nil
}

// AccountNames returns every live account's id and name, by name.
func (db *DB) AccountNames(ctx context.Context) ([]liaison.Ref, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT id, name FROM organisations
		WHERE budget_holder = TRUE AND deleted_at IS NULL ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("account names: %w", err)
	}
	defer rows.Close()
	refs := []liaison.Ref{}
	for rows.Next() {
		var r liaison.Ref
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, fmt.Errorf("account names: %w", err)
		}
		refs = append(refs, r)
	}
	return refs, rows.Err()
}

// OrganisationTree returns every live unit, parents before children and
// siblings by name: one query, ordered in memory (thousands of units).
func (db *DB) OrganisationTree(ctx context.Context) ([]*liaison.Organisation, error) {
	units, err := queryOrganisations(ctx, db.ro, `SELECT `+organisationColumns+` FROM organisations o
		WHERE o.deleted_at IS NULL ORDER BY o.name, o.id`)
	if err != nil {
		return nil, fmt.Errorf("organisation tree: %w", err)
	}
	children := map[string][]*liaison.Organisation{} // by parent id, "" for top units; each already by name
	for _, o := range units {
		children[deref(o.ParentID)] = append(children[deref(o.ParentID)], o)
	}
	tree := make([]*liaison.Organisation, 0, len(units))
	var walk func(parent string)
	walk = func(parent string) {
		for _, o := range children[parent] {
			tree = append(tree, o)
			walk(o.ID)
		}
	}
	walk("")
	// Live units always hang from live parents (trash and restore keep it
	// so); this is only a guard against hand-edited data.
	if len(tree) != len(units) {
		sort.SliceStable(units, func(i, j int) bool { return units[i].Depth < units[j].Depth })
		return units, nil
	}
	return tree, nil
}

// WhoDecides returns the nearest account at or above the unit and its
// active customer.
func (db *DB) WhoDecides(ctx context.Context, id string) (*liaison.Decision, error) {
	chain, err := db.OrganisationChain(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &liaison.Decision{Account: liaison.NearestAccount(chain)}
	if d.Account == nil {
		return d, nil
	}
	p, err := scanPerson(db.ro.QueryRowContext(ctx, `SELECT `+personColumns+` FROM contact_roles r
		JOIN people p ON p.id = r.person_id
		WHERE r.organisation_id = $1 AND r.role = 'customer' AND r.active = TRUE AND p.deleted_at IS NULL`, d.Account.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	} else if err != nil {
		return nil, fmt.Errorf("who decides for %s: %w", id, err)
	}
	d.Customer = p
	return d, nil
}

// units says "1 unit" or "n units".
func units(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return fmt.Sprintf("%d units", n)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
