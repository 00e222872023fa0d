package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Attachments

// CreateAttachment stores a file with a live agreement.
func (db *DB) CreateAttachment(ctx context.Context, at *liaison.Attachment) error {
	n := *at
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		ag, err := findAgreement(ctx, tx, n.AgreementID, false, tx.db.dialect.forShare)
		if err != nil {
			return err
		}
		_, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.ID, n.CreatedAt, n.CreatedBy = newID(), tx.now, actorName
		if _, err := tx.ExecContext(ctx, `INSERT INTO agreement_attachments (id, agreement_id, name, content_type, size, data, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, n.ID, n.AgreementID, n.Name, n.ContentType, n.Size, n.Data, tx.t(tx.now), n.CreatedBy); err != nil {
			return fmt.Errorf("create attachment: %w", err)
		}
		meta := n
		meta.Data = nil
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectAttachment, subjectID: n.ID,
			organisationID: ag.OrganisationID, summary: ag.Title + ": " + n.Name, after: &meta})
	})
	if err != nil {
		return err
	}
	*at = n
	return nil
}

const attachmentColumns = `t.id, t.agreement_id, t.name, t.content_type, t.size, t.created_at, t.created_by`

func scanAttachment(s scanner) (*liaison.Attachment, error) {
	var t liaison.Attachment
	if err := s.Scan(&t.ID, &t.AgreementID, &t.Name, &t.ContentType, &t.Size, timeCol{&t.CreatedAt}, &t.CreatedBy); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindAttachments lists an agreement's files, oldest first, without data.
func (db *DB) FindAttachments(ctx context.Context, agreementID string) ([]*liaison.Attachment, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM agreement_attachments t
		WHERE t.agreement_id = $1 ORDER BY t.created_at, t.id`, agreementID)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	return collectRows(rows, scanAttachment)
}

// FindAttachment returns one file with its data.
func (db *DB) FindAttachment(ctx context.Context, agreementID, id string) (*liaison.Attachment, error) {
	var t liaison.Attachment
	err := db.ro.QueryRowContext(ctx, `SELECT `+attachmentColumns+`, t.data FROM agreement_attachments t
		WHERE t.id = $1 AND t.agreement_id = $2`, id, agreementID).Scan(&t.ID, &t.AgreementID, &t.Name, &t.ContentType,
		&t.Size, timeCol{&t.CreatedAt}, &t.CreatedBy, &t.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("attachment", id)
	} else if err != nil {
		return nil, fmt.Errorf("find attachment %s: %w", id, err)
	}
	return &t, nil
}

// DeleteAttachment removes a file for good (the audit trail names it).
func (db *DB) DeleteAttachment(ctx context.Context, agreementID, id string) error {
	return db.write(ctx, func(tx *writeTx) error {
		ag, err := findAgreement(ctx, tx, agreementID, false, tx.db.dialect.forShare)
		if err != nil {
			return err
		}
		t, err := scanAttachment(tx.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM agreement_attachments t
			WHERE t.id = $1 AND t.agreement_id = $2`, id, agreementID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("attachment", id)
		} else if err != nil {
			return fmt.Errorf("delete attachment %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agreement_attachments WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete attachment %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectAttachment, subjectID: id,
			organisationID: ag.OrganisationID, summary: ag.Title + ": " + t.Name, before: t})
	})
}

// SLA results

const slaColumns = `r.id, r.agreement_id, r.service_id, r.period, r.metric, r.higher_is_better, r.target, r.actual, r.unit,
	r.note, r.source, r.breached, r.supplier_id,
	COALESCE((SELECT sp.name FROM suppliers sp WHERE sp.id = r.supplier_id), ''), r.version, r.created_at, r.updated_at`

const slaFrom = ` FROM sla_results r`

func scanSLAResult(s scanner) (*liaison.SLAResult, error) {
	var r liaison.SLAResult
	var supplier sql.NullString
	if err := s.Scan(&r.ID, &r.AgreementID, &r.ServiceID, &r.Period, &r.Metric, &r.HigherIsBetter, &r.Target, &r.Actual,
		&r.Unit, &r.Note, &r.Source, &r.Breached, &supplier, &r.SupplierName, &r.Version, timeCol{&r.CreatedAt},
		timeCol{&r.UpdatedAt}); err != nil {
		return nil, err
	}
	r.SupplierID = strPtr(supplier)
	return &r, nil
}

func findSLAResult(ctx context.Context, q queryer, id, lock string) (*liaison.SLAResult, error) {
	r, err := scanSLAResult(q.QueryRowContext(ctx, `SELECT `+slaColumns+slaFrom+` WHERE r.id = $1`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("SLA result", id)
	} else if err != nil {
		return nil, fmt.Errorf("find SLA result %s: %w", id, err)
	}
	return r, nil
}

// FindSLAResultByID returns an SLA result.
func (db *DB) FindSLAResultByID(ctx context.Context, id string) (*liaison.SLAResult, error) {
	return findSLAResult(ctx, db.ro, id, "")
}

// FindSLAResults lists results, newest period first.
func (db *DB) FindSLAResults(ctx context.Context, f liaison.SLAResultFilter) ([]*liaison.SLAResult, string, error) {
	s := sortOrder{key: "-period", column: "period", desc: true}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.AgreementID != "" {
		q.and("r.agreement_id = " + q.arg(f.AgreementID))
	}
	if f.ServiceID != "" {
		q.and("r.service_id = " + q.arg(f.ServiceID))
	}
	if f.Period != "" {
		q.and("r.period = " + q.arg(f.Period))
	}
	if f.OrganisationID != "" {
		q.and("r.agreement_id IN (SELECT a.id FROM agreements a WHERE a.organisation_id = " + q.arg(f.OrganisationID) + ")")
	}
	if f.Breached != nil {
		q.and("r.breached = " + q.arg(*f.Breached))
	}
	if f.SupplierID != "" {
		q.and("r.supplier_id = " + q.arg(f.SupplierID))
	}
	tail := q.page("r", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+slaColumns+slaFrom+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find SLA results: %w", err)
	}
	rs, err := collectRows(rows, scanSLAResult)
	if err != nil {
		return nil, "", fmt.Errorf("find SLA results: %w", err)
	}
	rs, next := nextPage(rs, limit, s, func(r *liaison.SLAResult) (string, string) { return r.Period, r.ID })
	return rs, next, nil
}

// checkSLARefs checks the agreement is live and covers the service.
// field prefixes the field names (for import rows).
func checkSLARefs(ctx context.Context, tx *writeTx, r *liaison.SLAResult, v *liaison.Validation, field string) (*liaison.Agreement, error) {
	ag, err := findAgreement(ctx, tx, r.AgreementID, false, tx.db.dialect.forShare)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		unknownRef(v, field+"agreement_id", "agreement")
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	for _, c := range ag.Services {
		if c.ServiceID == r.ServiceID {
			return ag, nil
		}
	}
	v.Add(field+"service_id", liaison.CodeInvalid, "error.sla_service_not_covered", "is not a service the agreement covers")
	return ag, nil
}

func insertSLAResult(ctx context.Context, tx *writeTx, n *liaison.SLAResult, ag *liaison.Agreement) error {
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt = newID(), 1, tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO sla_results (id, agreement_id, service_id, period, metric, higher_is_better,
		target, actual, unit, note, source, breached, version, created_at, updated_at, supplier_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
		n.ID, n.AgreementID, n.ServiceID, n.Period, n.Metric, n.HigherIsBetter, n.Target, n.Actual, n.Unit, n.Note, n.Source,
		n.Breached, n.Version, tx.t(tx.now), nullPtr(n.SupplierID)); err != nil {
		return fmt.Errorf("create SLA result: %w", constraintError(err, "SLA result exists"))
	}
	return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectSLAResult, subjectID: n.ID,
		organisationID: ag.OrganisationID, summary: ag.Title + " " + n.String(), after: n})
}

// CreateSLAResult stores an SLA result.
func (db *DB) CreateSLAResult(ctx context.Context, r *liaison.SLAResult) error {
	n := *r
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		var v liaison.Validation
		ag, err := checkSLARefs(ctx, tx, &n, &v, "")
		if err != nil {
			return err
		}
		if err := checkSLASupplier(ctx, tx, &n, nil, &v, ""); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		return insertSLAResult(ctx, tx, &n, ag)
	})
	if err != nil {
		return err
	}
	*r = n
	return nil
}

// ImportSLAResults stores every result in one transaction, or none.
func (db *DB) ImportSLAResults(ctx context.Context, rs []*liaison.SLAResult) error {
	var v liaison.Validation
	for i, r := range rs {
		r.Normalize()
		if err := r.Validate(); err != nil {
			var e *liaison.Error
			errors.As(err, &e)
			for _, f := range e.Fields {
				v.Add(fmt.Sprintf("row %d: %s", i+1, f.Field), f.Code, f.Key, "%s", f.Message)
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *writeTx) error {
		ags := make([]*liaison.Agreement, len(rs))
		for i, r := range rs {
			ag, err := checkSLARefs(ctx, tx, r, &v, fmt.Sprintf("row %d: ", i+1))
			if err != nil {
				return err
			}
			ags[i] = ag
			if err := checkSLASupplier(ctx, tx, r, nil, &v, fmt.Sprintf("row %d: ", i+1)); err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		for i, r := range rs {
			if err := insertSLAResult(ctx, tx, r, ags[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// UpdateSLAResult replaces a result's fields (its agreement stays).
func (db *DB) UpdateSLAResult(ctx context.Context, r *liaison.SLAResult, ifVersion int) error {
	n := *r
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findSLAResult(ctx, tx, n.ID, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var v liaison.Validation
		ag, err := checkSLARefs(ctx, tx, &n, &v, "")
		if err != nil {
			return err
		}
		if err := checkSLASupplier(ctx, tx, &n, cur.SupplierID, &v, ""); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE sla_results SET agreement_id = $1, service_id = $2, period = $3, metric = $4,
			higher_is_better = $5, target = $6, actual = $7, unit = $8, note = $9, source = $10, breached = $11, version = $12,
			updated_at = $13, supplier_id = $16 WHERE id = $14 AND version = $15`,
			n.AgreementID, n.ServiceID, n.Period, n.Metric, n.HigherIsBetter, n.Target, n.Actual, n.Unit, n.Note, n.Source,
			n.Breached, n.Version, tx.t(tx.now), n.ID, ifVersion, nullPtr(n.SupplierID)); err != nil {
			return fmt.Errorf("update SLA result %s: %w", n.ID, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectSLAResult, subjectID: n.ID,
			organisationID: ag.OrganisationID, summary: ag.Title + " " + n.String(), before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*r = n
	return nil
}

// DeleteSLAResult removes a result for good.
func (db *DB) DeleteSLAResult(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findSLAResult(ctx, tx, id, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		var org string
		_ = tx.QueryRowContext(ctx, `SELECT organisation_id FROM agreements WHERE id = $1`, cur.AgreementID).Scan(&org)
		if _, err := tx.ExecContext(ctx, `DELETE FROM sla_results WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete SLA result %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectSLAResult, subjectID: id,
			organisationID: org, summary: cur.String(), before: cur})
	})
}
