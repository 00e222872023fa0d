package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Audit subject types of agreements.
const (
	subjectAgreement  = "agreement"
	subjectAttachment = "agreement_attachment"
	subjectSLAResult  = "sla_result"
)

var _ liaison.AgreementStore = (*DB)(nil)

const agreementColumns = `a.id, a.organisation_id, a.title, a.type, a.status, a.signed_by_person_id, a.signed_on,
	a.start_date, a.end_date, a.notice_months, a.renewal, a.renewal_months, a.review_interval_months, a.next_review_date,
	a.annual_amount, a.currency, a.cost_centre, a.business_value, a.value_measures, a.notes, a.external_id,
	a.version, a.created_at, a.updated_at, a.deleted_at, a.service_review_months`

func scanAgreement(s scanner) (*liaison.Agreement, error) {
	var a liaison.Agreement
	var signer, signedOn, start, end, review sql.NullString
	var amount sql.NullFloat64
	var measures []byte
	if err := s.Scan(&a.ID, &a.OrganisationID, &a.Title, &a.Type, &a.Status, &signer, &signedOn, &start, &end,
		&a.NoticeMonths, &a.Renewal, &a.RenewalMonths, &a.ReviewIntervalMonths, &review, &amount, &a.Currency,
		&a.CostCentre, &a.BusinessValue, &measures, &a.Notes, &a.ExternalID, &a.Version, timeCol{&a.CreatedAt},
		timeCol{&a.UpdatedAt}, nullTimeCol{&a.DeletedAt}, &a.ServiceReviewMonths); err != nil {
		return nil, err
	}
	a.SignedByPersonID, a.SignedOn, a.StartDate, a.EndDate, a.NextReviewDate = strPtr(signer), strPtr(signedOn), strPtr(start), strPtr(end), strPtr(review)
	if amount.Valid {
		a.AnnualAmount = &amount.Float64
	}
	a.ValueMeasures = []liaison.ValueMeasure{}
	if len(measures) > 0 {
		if err := json.Unmarshal(measures, &a.ValueMeasures); err != nil {
			return nil, fmt.Errorf("agreement %s value measures: %w", a.ID, err)
		}
	}
	a.Services = []liaison.ServiceCover{}
	return &a, nil
}

func agreementSearchText(a *liaison.Agreement) string {
	return liaison.SearchText(a.Title, a.CostCentre, a.ExternalID, a.BusinessValue)
}

// loadCovers fills the covered services of agreements in one query.
func loadCovers(ctx context.Context, q queryer, as ...*liaison.Agreement) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.Agreement, len(as))
	args := make([]any, len(as))
	marks := make([]string, len(as))
	for i, a := range as {
		byID[a.ID] = a
		args[i] = a.ID
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT agreement_id, service_id, level FROM agreement_services
		WHERE agreement_id IN (`+strings.Join(marks, ", ")+`) ORDER BY agreement_id, position`, args...)
	if err != nil {
		return fmt.Errorf("load covered services: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c liaison.ServiceCover
		if err := rows.Scan(&id, &c.ServiceID, &c.Level); err != nil {
			return fmt.Errorf("load covered services: %w", err)
		}
		byID[id].Services = append(byID[id].Services, c)
	}
	return rows.Err()
}

func findAgreement(ctx context.Context, q queryer, id string, trashed bool, lock string) (*liaison.Agreement, error) {
	live := " AND a.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	a, err := scanAgreement(q.QueryRowContext(ctx, `SELECT `+agreementColumns+` FROM agreements a WHERE a.id = $1`+live+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("agreement", id)
	} else if err != nil {
		return nil, fmt.Errorf("find agreement %s: %w", id, err)
	}
	if err := loadCovers(ctx, q, a); err != nil {
		return nil, err
	}
	return a, nil
}

// FindAgreementByID returns a live agreement with its covered services.
func (db *DB) FindAgreementByID(ctx context.Context, id string) (*liaison.Agreement, error) {
	return findAgreement(ctx, db.ro, id, false, "")
}

// FindAgreements lists agreements (the trash with f.Trashed). The name
// order is the title's.
func (db *DB) FindAgreements(ctx context.Context, f liaison.AgreementFilter) ([]*liaison.Agreement, string, error) {
	s, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	if s.column == "name" {
		s.column = "title"
	}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Trashed {
		q.and("a.deleted_at IS NOT NULL")
	} else {
		q.and("a.deleted_at IS NULL")
	}
	if f.OrganisationID != "" {
		q.and("a.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.Status != "" {
		q.and("a.status = " + q.arg(string(f.Status)))
	}
	if f.Type != "" {
		q.and("a.type = " + q.arg(string(f.Type)))
	}
	if f.ExternalID != "" {
		q.and("a.external_id = " + q.arg(f.ExternalID) + " AND a.external_id <> ''")
	}
	if f.EndsBefore != "" {
		q.and("a.end_date <= " + q.arg(f.EndsBefore))
	}
	if f.ManagerID != "" {
		m := q.arg(f.ManagerID)
		q.and(`a.organisation_id IN (SELECT o.id FROM organisations o WHERE o.relationship_manager_id = ` + m + ` OR o.deputy_id = ` + m + `)`)
	}
	if f.ServiceID != "" {
		q.and("a.id IN (SELECT s.agreement_id FROM agreement_services s WHERE s.service_id = " + q.arg(f.ServiceID) + ")")
	}
	q.search("a.search_text", f.Q)
	tail := q.page("a", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+agreementColumns+` FROM agreements a`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find agreements: %w", err)
	}
	as, err := collectRows(rows, scanAgreement)
	if err != nil {
		return nil, "", fmt.Errorf("find agreements: %w", err)
	}
	as, next := nextPage(as, limit, s, func(a *liaison.Agreement) (string, string) {
		return sortValue(s, a.Title, a.CreatedAt, a.UpdatedAt), a.ID
	})
	if err := loadCovers(ctx, db.ro, as...); err != nil {
		return nil, "", err
	}
	return as, next, nil
}

// accountCustomer returns the active customer of an account, nil when none is named.
func accountCustomer(ctx context.Context, q queryer, accountID string) (*liaison.Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM contact_roles r
		JOIN people p ON p.id = r.person_id
		WHERE r.organisation_id = $1 AND r.role = 'customer' AND r.active = TRUE AND p.deleted_at IS NULL`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("customer of %s: %w", accountID, err)
	}
	return p, nil
}

// checkAgreementRefs checks the account (a live budget holder), the signer
// (a live person) and the covered services, then the signing rule.
func checkAgreementRefs(ctx context.Context, tx *writeTx, a *liaison.Agreement) error {
	var v liaison.Validation
	var holder bool
	err := tx.QueryRowContext(ctx, `SELECT budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare, a.OrganisationID).Scan(&holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "organisation_id", "unit")
	case err != nil:
		return fmt.Errorf("check agreement account: %w", err)
	case !holder:
		v.Add("organisation_id", liaison.CodeInvalid, "error.agreement_needs_account", "is not a customer account (a budget-holding unit)")
	}
	if a.SignedByPersonID != nil {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM people WHERE id = $1 AND deleted_at IS NULL`, *a.SignedByPersonID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "signed_by_person_id", "person")
		} else if err != nil {
			return fmt.Errorf("check agreement signer: %w", err)
		}
	}
	if err := checkCoveredServices(ctx, tx, a, &v); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	if a.Status != liaison.StatusActive {
		return nil
	}
	customer, err := accountCustomer(ctx, tx, a.OrganisationID)
	if err != nil {
		return err
	}
	return liaison.CheckSigner(a, customer)
}

// writeCovers replaces the agreement's covered services.
func writeCovers(ctx context.Context, tx *writeTx, a *liaison.Agreement) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM agreement_services WHERE agreement_id = $1`, a.ID); err != nil {
		return fmt.Errorf("write covered services: %w", err)
	}
	for i, c := range a.Services {
		if _, err := tx.ExecContext(ctx, `INSERT INTO agreement_services (agreement_id, service_id, level, position) VALUES ($1, $2, $3, $4)`,
			a.ID, c.ServiceID, c.Level, i); err != nil {
			return fmt.Errorf("write covered services: %w", constraintError(err, "a service is covered twice"))
		}
	}
	return nil
}

// writeRevision keeps the agreement as saved in this version.
func writeRevision(ctx context.Context, tx *writeTx, a *liaison.Agreement) error {
	actorID, actorName, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	snap, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("agreement revision: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO agreement_revisions (agreement_id, version, at, actor_id, actor_name, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.ID, a.Version, tx.t(tx.now), actorID, actorName, string(snap)); err != nil {
		return fmt.Errorf("agreement revision: %w", err)
	}
	return nil
}

func measuresJSON(a *liaison.Agreement) string {
	b, _ := json.Marshal(a.ValueMeasures)
	return string(b)
}

const agreementKeyTaken = "another agreement has this external id"

// CreateAgreement stores a new agreement and its first revision.
func (db *DB) CreateAgreement(ctx context.Context, a *liaison.Agreement) error {
	n := *a
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkAgreementRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		_, err := tx.ExecContext(ctx, `INSERT INTO agreements (id, organisation_id, title, type, status, signed_by_person_id,
			signed_on, start_date, end_date, notice_months, renewal, renewal_months, review_interval_months, next_review_date,
			annual_amount, currency, cost_centre, business_value, value_measures, notes, external_id, search_text, version,
			created_at, updated_at, service_review_months)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25)`,
			n.ID, n.OrganisationID, n.Title, n.Type, n.Status, nullPtr(n.SignedByPersonID), nullPtr(n.SignedOn), nullPtr(n.StartDate),
			nullPtr(n.EndDate), n.NoticeMonths, n.Renewal, n.RenewalMonths, n.ReviewIntervalMonths, nullPtr(n.NextReviewDate),
			n.AnnualAmount, n.Currency, n.CostCentre, n.BusinessValue, measuresJSON(&n), n.Notes, n.ExternalID,
			agreementSearchText(&n), n.Version, tx.t(tx.now), n.ServiceReviewMonths)
		if err != nil {
			return fmt.Errorf("create agreement: %w", constraintError(err, agreementKeyTaken))
		}
		if err := writeCovers(ctx, tx, &n); err != nil {
			return err
		}
		if err := writeRevision(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectAgreement, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// UpdateAgreement saves a new version of the agreement: its lifecycle and
// signing rule are checked against the current state in the transaction.
func (db *DB) UpdateAgreement(ctx context.Context, a *liaison.Agreement, ifVersion int) error {
	n := *a
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findAgreement(ctx, tx, n.ID, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckTransition(cur.Status, n.Status); err != nil {
			return err
		}
		if err := checkAgreementRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE agreements SET organisation_id = $1, title = $2, type = $3, status = $4,
			signed_by_person_id = $5, signed_on = $6, start_date = $7, end_date = $8, notice_months = $9, renewal = $10,
			renewal_months = $11, review_interval_months = $12, next_review_date = $13, annual_amount = $14, currency = $15,
			cost_centre = $16, business_value = $17, value_measures = $18, notes = $19, external_id = $20, search_text = $21,
			version = $22, updated_at = $23, service_review_months = $26
			WHERE id = $24 AND version = $25`,
			n.OrganisationID, n.Title, n.Type, n.Status, nullPtr(n.SignedByPersonID), nullPtr(n.SignedOn), nullPtr(n.StartDate),
			nullPtr(n.EndDate), n.NoticeMonths, n.Renewal, n.RenewalMonths, n.ReviewIntervalMonths, nullPtr(n.NextReviewDate),
			n.AnnualAmount, n.Currency, n.CostCentre, n.BusinessValue, measuresJSON(&n), n.Notes, n.ExternalID,
			agreementSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion, n.ServiceReviewMonths)
		if err != nil {
			return fmt.Errorf("update agreement %s: %w", n.ID, constraintError(err, agreementKeyTaken))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := writeCovers(ctx, tx, &n); err != nil {
			return err
		}
		if err := writeRevision(ctx, tx, &n); err != nil {
			return err
		}
		summary := n.Title
		if cur.Status != n.Status {
			summary = fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, n.Status)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectAgreement, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: summary, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// DeleteAgreement moves an agreement to the trash.
func (db *DB) DeleteAgreement(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findAgreement(ctx, tx, id, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE agreements SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete agreement %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectAgreement, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreAgreement brings an agreement back from the trash.
func (db *DB) RestoreAgreement(ctx context.Context, id string) (*liaison.Agreement, error) {
	var restored *liaison.Agreement
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findAgreement(ctx, tx, id, true, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM organisations WHERE id = $1 AND deleted_at IS NULL`, cur.OrganisationID).Scan(&n); errors.Is(err, sql.ErrNoRows) {
			return conflict("error.unit_trashed", "the account of %s is in the trash; restore it first", cur.Title)
		} else if err != nil {
			return fmt.Errorf("restore agreement %s: %w", id, err)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE agreements SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore agreement %s: %w", id, constraintError(err, agreementKeyTaken))
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectAgreement, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

func scanRevision(s scanner) (*liaison.AgreementRevision, []byte, error) {
	var r liaison.AgreementRevision
	var snap []byte
	if err := s.Scan(&r.AgreementID, &r.Version, timeCol{&r.At}, &r.ActorID, &r.ActorName, &snap); err != nil {
		return nil, nil, err
	}
	return &r, snap, nil
}

// FindAgreementRevisions lists every version of a live or trashed
// agreement, newest first, each with the fields changed from the version
// before (every field of the first).
func (db *DB) FindAgreementRevisions(ctx context.Context, id string) ([]*liaison.AgreementRevision, error) {
	if _, err := findAgreement(ctx, db.ro, id, true, ""); err != nil {
		return nil, err
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT agreement_id, version, at, actor_id, actor_name, snapshot
		FROM agreement_revisions WHERE agreement_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("agreement revisions: %w", err)
	}
	defer rows.Close()
	var out []*liaison.AgreementRevision
	var prev json.RawMessage
	for rows.Next() {
		r, snap, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("agreement revisions: %w", err)
		}
		var before any
		if prev != nil {
			before = prev
		}
		if r.Changes, err = liaison.Diff(before, json.RawMessage(snap)); err != nil {
			return nil, fmt.Errorf("agreement revisions: %w", err)
		}
		prev = json.RawMessage(snap)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agreement revisions: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// FindAgreementRevision returns one version with the agreement as saved.
func (db *DB) FindAgreementRevision(ctx context.Context, id string, version int) (*liaison.AgreementRevision, error) {
	r, snap, err := scanRevision(db.ro.QueryRowContext(ctx, `SELECT agreement_id, version, at, actor_id, actor_name, snapshot
		FROM agreement_revisions WHERE agreement_id = $1 AND version = $2`, id, version))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("agreement version", fmt.Sprintf("%s/%d", id, version))
	} else if err != nil {
		return nil, fmt.Errorf("agreement revision: %w", err)
	}
	r.Agreement = &liaison.Agreement{}
	if err := json.Unmarshal(snap, r.Agreement); err != nil {
		return nil, fmt.Errorf("agreement revision: %w", err)
	}
	var prev []byte
	err = db.ro.QueryRowContext(ctx, `SELECT snapshot FROM agreement_revisions WHERE agreement_id = $1 AND version < $2
		ORDER BY version DESC LIMIT 1`, id, version).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("agreement revision: %w", err)
	}
	var before any
	if prev != nil {
		before = json.RawMessage(prev)
	}
	if r.Changes, err = liaison.Diff(before, json.RawMessage(snap)); err != nil {
		return nil, err
	}
	return r, nil
}

// AgreementKPIs counts live accounts and those with an active agreement.
func (db *DB) AgreementKPIs(ctx context.Context) (liaison.AgreementKPIs, error) {
	var k liaison.AgreementKPIs
	err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*),
		COUNT(CASE WHEN EXISTS (SELECT 1 FROM agreements a WHERE a.organisation_id = o.id AND a.status = 'active'
			AND a.deleted_at IS NULL) THEN 1 END)
		FROM organisations o WHERE o.budget_holder = TRUE AND o.deleted_at IS NULL`).Scan(&k.AccountsTotal, &k.AccountsWithActiveAgreement)
	if err != nil {
		return k, fmt.Errorf("agreement kpis: %w", err)
	}
	return k, nil
}
