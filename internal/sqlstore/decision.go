package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

const subjectDecision = "decision"

var _ liaison.DecisionStore = (*DB)(nil)

// decisionSource joins a decision with the names lists show. Lists page
// over it with alias x; sort "name" is by the decision date.
const decisionSource = `(SELECT d.id, d.organisation_id, d.service_id, d.subscription_id, d.kind, d.summary,
	d.prepared_with_person_id, d.decided_by_person_id, d.decided_on, d.notes, d.version, d.created_at, d.updated_at,
	d.decided_on AS name, o.name AS organisation_name, s.name AS service_name, c.name AS decided_by_name,
	COALESCE(pw.name, '') AS prepared_with_name, d.search_text, o.search_text AS organisation_search,
	s.search_text AS service_search, o.deleted_at AS organisation_deleted_at
	FROM decisions d JOIN organisations o ON o.id = d.organisation_id JOIN services s ON s.id = d.service_id
	JOIN people c ON c.id = d.decided_by_person_id LEFT JOIN people pw ON pw.id = d.prepared_with_person_id) x`

const decisionColumns = `x.id, x.organisation_id, x.service_id, x.subscription_id, x.kind, x.summary,
	x.prepared_with_person_id, x.decided_by_person_id, x.decided_on, x.notes, x.version, x.created_at, x.updated_at,
	x.organisation_name, x.service_name, x.decided_by_name, x.prepared_with_name`

func scanDecision(sc scanner) (*liaison.ServiceDecision, error) {
	var d liaison.ServiceDecision
	var sub, prep sql.NullString
	if err := sc.Scan(&d.ID, &d.OrganisationID, &d.ServiceID, &sub, &d.Kind, &d.Summary, &prep, &d.DecidedByPersonID,
		&d.DecidedOn, &d.Notes, &d.Version, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt}, &d.OrganisationName,
		&d.ServiceName, &d.DecidedByName, &d.PreparedWithName); err != nil {
		return nil, err
	}
	d.SubscriptionID, d.PreparedWithID = strPtr(sub), strPtr(prep)
	return &d, nil
}

func findDecision(ctx context.Context, q queryer, id string) (*liaison.ServiceDecision, error) {
	d, err := scanDecision(q.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM `+decisionSource+` WHERE x.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("decision", id)
	} else if err != nil {
		return nil, fmt.Errorf("find decision %s: %w", id, err)
	}
	return d, nil
}

// FindDecisionByID returns a decision.
func (db *DB) FindDecisionByID(ctx context.Context, id string) (*liaison.ServiceDecision, error) {
	return findDecision(ctx, db.ro, id)
}

// FindDecisions lists the decisions of live accounts.
func (db *DB) FindDecisions(ctx context.Context, f liaison.DecisionFilter) ([]*liaison.ServiceDecision, string, error) {
	so, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, so)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	q.and("x.organisation_deleted_at IS NULL")
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.ServiceID != "" {
		q.and("x.service_id = " + q.arg(f.ServiceID))
	}
	if f.Kind != "" {
		q.and("x.kind = " + q.arg(string(f.Kind)))
	}
	q.search("(x.search_text || ' ' || x.service_search || ' ' || x.organisation_search)", f.Q)
	tail := q.page("x", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+decisionColumns+` FROM `+decisionSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find decisions: %w", err)
	}
	ds, err := collectRows(rows, scanDecision)
	if err != nil {
		return nil, "", fmt.Errorf("find decisions: %w", err)
	}
	ds, next := nextPage(ds, limit, so, func(d *liaison.ServiceDecision) (string, string) {
		return sortValue(so, d.DecidedOn, d.CreatedAt, d.UpdatedAt), d.ID
	})
	return ds, next, nil
}

// checkDecision checks what a decision refers to and its rules, and fills
// the derived names. before is the stored decision, nil for a new one.
func checkDecision(ctx context.Context, tx *writeTx, d *liaison.ServiceDecision, before *liaison.ServiceDecision) error {
	var v liaison.Validation
	var holder bool
	err := tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		d.OrganisationID).Scan(&d.OrganisationName, &holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "organisation_id", "unit")
	case err != nil:
		return fmt.Errorf("check decision account: %w", err)
	case !holder:
		v.Add("organisation_id", liaison.CodeInvalid, "error.decision_needs_account",
			"%s is not a customer account: record the decision on the account whose customer decides", d.OrganisationName)
	}
	svc, err := findService(ctx, tx, d.ServiceID, tx.db.dialect.forShare)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		unknownRef(&v, "service_id", "service")
	} else if err != nil {
		return err
	}
	person := func(field string, id *string, name *string) error {
		if id == nil {
			*name = ""
			return nil
		}
		err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1 AND deleted_at IS NULL`, *id).Scan(name)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, field, "person")
			return nil
		}
		return err
	}
	if err := person("decided_by_person_id", &d.DecidedByPersonID, &d.DecidedByName); err != nil {
		return fmt.Errorf("check decider: %w", err)
	}
	if err := person("prepared_with_person_id", d.PreparedWithID, &d.PreparedWithName); err != nil {
		return fmt.Errorf("check preparer: %w", err)
	}
	if d.SubscriptionID != nil {
		var org, sid string
		err := tx.QueryRowContext(ctx, `SELECT organisation_id, service_id FROM subscriptions WHERE id = $1`, *d.SubscriptionID).Scan(&org, &sid)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "subscription_id", "usage")
		case err != nil:
			return fmt.Errorf("check decision usage: %w", err)
		case org != d.OrganisationID || sid != d.ServiceID:
			v.Add("subscription_id", liaison.CodeInvalid, "error.decision_usage_mismatch",
				"is not this account's usage of this service")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	d.ServiceName = svc.Name
	if err := liaison.CheckDecisionService(d, svc, before); err != nil {
		return err
	}
	// The decider is checked when recorded: a later change of customer
	// leaves past decisions as they were.
	if before != nil && before.DecidedByPersonID == d.DecidedByPersonID && before.OrganisationID == d.OrganisationID {
		return nil
	}
	customer, err := accountCustomer(ctx, tx, d.OrganisationID)
	if err != nil {
		return err
	}
	return liaison.CheckDecider(d, customer)
}

func decisionSearchText(d *liaison.ServiceDecision) string {
	return liaison.SearchText(d.Summary, d.Notes, d.DecidedByName, d.PreparedWithName)
}

func decisionSummary(d *liaison.ServiceDecision) string {
	return d.OrganisationName + " – " + d.ServiceName + ": " + d.Summary
}

// CreateDecision records a decision.
func (db *DB) CreateDecision(ctx context.Context, d *liaison.ServiceDecision) error {
	n := *d
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkDecision(ctx, tx, &n, nil); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt = newID(), 1, tx.now, tx.now
		_, err := tx.ExecContext(ctx, `INSERT INTO decisions (id, organisation_id, service_id, subscription_id, kind, summary,
			prepared_with_person_id, decided_by_person_id, decided_on, notes, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			n.ID, n.OrganisationID, n.ServiceID, nullPtr(n.SubscriptionID), n.Kind, n.Summary, nullPtr(n.PreparedWithID),
			n.DecidedByPersonID, n.DecidedOn, n.Notes, decisionSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create decision: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectDecision, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: decisionSummary(&n), after: &n})
	})
	if err != nil {
		return err
	}
	*d = n
	return nil
}

// UpdateDecision replaces the decision's fields.
func (db *DB) UpdateDecision(ctx context.Context, d *liaison.ServiceDecision, ifVersion int) error {
	n := *d
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM decisions WHERE id = $1`+tx.db.dialect.forUpdate, n.ID); err != nil {
			return fmt.Errorf("lock decision %s: %w", n.ID, err)
		}
		cur, err := findDecision(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := checkDecision(ctx, tx, &n, cur); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		res, err := tx.ExecContext(ctx, `UPDATE decisions SET organisation_id = $1, service_id = $2, subscription_id = $3,
			kind = $4, summary = $5, prepared_with_person_id = $6, decided_by_person_id = $7, decided_on = $8, notes = $9,
			search_text = $10, version = $11, updated_at = $12 WHERE id = $13 AND version = $14`,
			n.OrganisationID, n.ServiceID, nullPtr(n.SubscriptionID), n.Kind, n.Summary, nullPtr(n.PreparedWithID),
			n.DecidedByPersonID, n.DecidedOn, n.Notes, decisionSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update decision %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectDecision, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: decisionSummary(&n), before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*d = n
	return nil
}

// DeleteDecision removes a decision for good; the audit trail keeps it.
func (db *DB) DeleteDecision(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM decisions WHERE id = $1`+tx.db.dialect.forUpdate, id); err != nil {
			return fmt.Errorf("lock decision %s: %w", id, err)
		}
		cur, err := findDecision(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM decisions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete decision %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectDecision, subjectID: id,
			organisationID: cur.OrganisationID, summary: decisionSummary(cur), before: cur})
	})
}
