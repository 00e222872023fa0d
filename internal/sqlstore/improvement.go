package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
)

// Audit subject types of improvements.
const (
	subjectImprovement       = "improvement"
	subjectImprovementUpdate = "improvement_update"
	subjectImprovementRaiser = "improvement_raiser"
)

var _ liaison.ImprovementStore = (*DB)(nil)

// improvementSource joins an improvement with its people's names and the
// number of accounts that raised it. Lists page over it with alias x.
const improvementSource = `(SELECT i.id, i.title, i.description, i.origin, i.expected_benefit, i.owner_id, i.status,
	i.decision_note, i.realised_effect, i.complaint_id, i.proposed_by_id, i.decided_by_id, i.decided_at, i.done_at,
	i.search_text, i.version, i.created_at, i.updated_at, i.deleted_at,
	COALESCE(ow.name, '') AS owner_name, COALESCE(pb.name, '') AS proposed_by_name, COALESCE(db.name, '') AS decided_by_name,
	(SELECT COUNT(*) FROM improvement_raisers r WHERE r.improvement_id = i.id) AS raised_by_count
	FROM improvements i LEFT JOIN users ow ON ow.id = i.owner_id LEFT JOIN users pb ON pb.id = i.proposed_by_id
	LEFT JOIN users db ON db.id = i.decided_by_id) x`

const improvementColumns = `x.id, x.title, x.description, x.origin, x.expected_benefit, x.owner_id, x.status,
	x.decision_note, x.realised_effect, x.complaint_id, x.proposed_by_id, x.decided_by_id, x.decided_at, x.done_at,
	x.version, x.created_at, x.updated_at, x.deleted_at, x.owner_name, x.proposed_by_name, x.decided_by_name, x.raised_by_count`

func scanImprovement(sc scanner) (*liaison.Improvement, error) {
	var i liaison.Improvement
	var owner, complaint, proposed, decided sql.NullString
	if err := sc.Scan(&i.ID, &i.Title, &i.Description, &i.Origin, &i.ExpectedBenefit, &owner, &i.Status, &i.DecisionNote,
		&i.RealisedEffect, &complaint, &proposed, &decided, nullTimeCol{&i.DecidedAt}, nullTimeCol{&i.DoneAt}, &i.Version,
		timeCol{&i.CreatedAt}, timeCol{&i.UpdatedAt}, nullTimeCol{&i.DeletedAt}, &i.OwnerName, &i.ProposedByName,
		&i.DecidedByName, &i.RaisedByCount); err != nil {
		return nil, err
	}
	i.OwnerID, i.ComplaintID, i.ProposedByID, i.DecidedByID = strPtr(owner), strPtr(complaint), strPtr(proposed), strPtr(decided)
	i.ServiceIDs, i.OrganisationIDs = []string{}, []string{}
	return &i, nil
}

// loadImprovementLinks fills the services and accounts of improvements.
func loadImprovementLinks(ctx context.Context, q queryer, is ...*liaison.Improvement) error {
	if len(is) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.Improvement, len(is))
	args := make([]any, len(is))
	marks := make([]string, len(is))
	for n, i := range is {
		byID[i.ID] = i
		args[n] = i.ID
		marks[n] = fmt.Sprintf("$%d", n+1)
	}
	in := strings.Join(marks, ", ")
	rows, err := q.QueryContext(ctx, `SELECT improvement_id, 's', service_id, position FROM improvement_services WHERE improvement_id IN (`+in+`)
		UNION ALL SELECT improvement_id, 'o', organisation_id, position FROM improvement_accounts WHERE improvement_id IN (`+in+`)
		ORDER BY 1, 2, 4`, args...)
	if err != nil {
		return fmt.Errorf("load improvement links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, ref string
		var pos int
		if err := rows.Scan(&id, &kind, &ref, &pos); err != nil {
			return fmt.Errorf("load improvement links: %w", err)
		}
		if kind == "s" {
			byID[id].ServiceIDs = append(byID[id].ServiceIDs, ref)
		} else {
			byID[id].OrganisationIDs = append(byID[id].OrganisationIDs, ref)
		}
	}
	return rows.Err()
}

func findImprovement(ctx context.Context, q queryer, id string, trashed bool) (*liaison.Improvement, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	i, err := scanImprovement(q.QueryRowContext(ctx, `SELECT `+improvementColumns+` FROM `+improvementSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("improvement", id)
	} else if err != nil {
		return nil, fmt.Errorf("find improvement %s: %w", id, err)
	}
	if err := loadImprovementLinks(ctx, q, i); err != nil {
		return nil, err
	}
	return i, nil
}

// lockImprovement locks a live improvement's row for the rest of the transaction.
func lockImprovement(ctx context.Context, tx *writeTx, id string, trashed bool) error {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM improvements WHERE id = $1`+live+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("improvement", id)
	} else if err != nil {
		return fmt.Errorf("lock improvement %s: %w", id, err)
	}
	return nil
}

// FindImprovementByID returns a live improvement.
func (db *DB) FindImprovementByID(ctx context.Context, id string) (*liaison.Improvement, error) {
	return findImprovement(ctx, db.ro, id, false)
}

// FindImprovements lists improvements (the trash with f.Trashed). The name
// order is the title's.
func (db *DB) FindImprovements(ctx context.Context, f liaison.ImprovementFilter) ([]*liaison.Improvement, string, error) {
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
		q.and("x.deleted_at IS NOT NULL")
	} else {
		q.and("x.deleted_at IS NULL")
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Open {
		q.and("x.status IN ('proposed', 'approved', 'in_progress')")
	}
	if f.Origin != "" {
		q.and("x.origin = " + q.arg(string(f.Origin)))
	}
	if f.OwnerID != "" {
		q.and("x.owner_id = " + q.arg(f.OwnerID))
	}
	if f.ComplaintID != "" {
		q.and("x.complaint_id = " + q.arg(f.ComplaintID))
	}
	if f.ServiceID != "" {
		q.and("x.id IN (SELECT improvement_id FROM improvement_services WHERE service_id = " + q.arg(f.ServiceID) + ")")
	}
	if f.OrganisationID != "" {
		o := q.arg(f.OrganisationID)
		q.and("(x.id IN (SELECT improvement_id FROM improvement_accounts WHERE organisation_id = " + o +
			") OR x.id IN (SELECT improvement_id FROM improvement_raisers WHERE organisation_id = " + o + "))")
	}
	if f.MinRaisedBy > 0 {
		q.and("x.raised_by_count >= " + q.arg(f.MinRaisedBy))
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+improvementColumns+` FROM `+improvementSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find improvements: %w", err)
	}
	is, err := collectRows(rows, scanImprovement)
	if err != nil {
		return nil, "", fmt.Errorf("find improvements: %w", err)
	}
	is, next := nextPage(is, limit, s, func(i *liaison.Improvement) (string, string) {
		return sortValue(s, i.Title, i.CreatedAt, i.UpdatedAt), i.ID
	})
	if err := loadImprovementLinks(ctx, db.ro, is...); err != nil {
		return nil, "", err
	}
	return is, next, nil
}

// checkImprovementRefs checks the services (live or planned, any), the
// accounts (live budget holders) and the owner (an active user).
func checkImprovementRefs(ctx context.Context, tx *writeTx, i *liaison.Improvement) error {
	var v liaison.Validation
	for n, id := range i.ServiceIDs {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM services WHERE id = $1`+tx.db.dialect.forShare, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, fmt.Sprintf("service_ids[%d]", n), "service")
		} else if err != nil {
			return fmt.Errorf("check improvement service: %w", err)
		}
	}
	for n, id := range i.OrganisationIDs {
		var holder bool
		err := tx.QueryRowContext(ctx, `SELECT budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare, id).Scan(&holder)
		f := fmt.Sprintf("organisation_ids[%d]", n)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, f, "unit")
		case err != nil:
			return fmt.Errorf("check improvement account: %w", err)
		case !holder:
			v.Add(f, liaison.CodeInvalid, "improvement.error.needs_account", "is not a customer account (a budget-holding unit)")
		}
	}
	if i.OwnerID != nil {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active, name FROM users WHERE id = $1`, *i.OwnerID).Scan(&active, &i.OwnerName)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "owner_id", "user")
		case err != nil:
			return fmt.Errorf("check improvement owner: %w", err)
		case !active:
			v.Add("owner_id", liaison.CodeInvalid, "improvement.error.owner_inactive", "is a deactivated user")
		}
	} else {
		i.OwnerName = ""
	}
	return v.Err()
}

// writeImprovementLinks replaces the improvement's services and accounts.
func writeImprovementLinks(ctx context.Context, tx *writeTx, i *liaison.Improvement) error {
	for _, table := range []string{"improvement_services", "improvement_accounts"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE improvement_id = $1`, i.ID); err != nil {
			return fmt.Errorf("write improvement links: %w", err)
		}
	}
	for n, id := range i.ServiceIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_services (improvement_id, service_id, position) VALUES ($1, $2, $3)`,
			i.ID, id, n); err != nil {
			return fmt.Errorf("write improvement services: %w", err)
		}
	}
	for n, id := range i.OrganisationIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_accounts (improvement_id, organisation_id, position) VALUES ($1, $2, $3)`,
			i.ID, id, n); err != nil {
			return fmt.Errorf("write improvement accounts: %w", err)
		}
	}
	return nil
}

func improvementSearchText(i *liaison.Improvement) string {
	return liaison.SearchText(i.Title, i.Description, i.ExpectedBenefit, i.RealisedEffect, i.OwnerName)
}

// improvementAccount is the unit an improvement's audit rows belong to:
// its first affected account, so that it shows on that account's timeline.
func improvementAccount(i *liaison.Improvement) string {
	if len(i.OrganisationIDs) > 0 {
		return i.OrganisationIDs[0]
	}
	return ""
}

func (tx *writeTx) nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return tx.t(*t)
}

// CreateImprovement stores a new improvement, proposed by the principal of ctx.
func (db *DB) CreateImprovement(ctx context.Context, i *liaison.Improvement) error {
	n := *i
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	if n.Status != liaison.ImprovementProposed {
		var v liaison.Validation
		v.Add("status", liaison.CodeInvalid, "improvement.error.starts_proposed", "must be proposed: an improvement is decided after it is proposed")
		return v.Err()
	}
	err := db.write(ctx, func(tx *writeTx) error { return insertImprovement(ctx, tx, &n) })
	if err != nil {
		return err
	}
	*i = n
	return nil
}

// insertImprovement writes a new improvement (normalised and valid) with
// its links and audit row in tx.
func insertImprovement(ctx context.Context, tx *writeTx, i *liaison.Improvement) error {
	n := i
	if err := checkImprovementRefs(ctx, tx, n); err != nil {
		return err
	}
	actorID, actorName, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	n.ProposedByID, n.ProposedByName = nil, ""
	if actorID != "" {
		n.ProposedByID, n.ProposedByName = &actorID, actorName
	}
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
	n.DecidedByID, n.DecidedByName, n.DecidedAt, n.DoneAt, n.RaisedByCount = nil, "", nil, nil, 0
	_, err = tx.ExecContext(ctx, `INSERT INTO improvements (id, title, description, origin, expected_benefit, owner_id, status,
		decision_note, realised_effect, complaint_id, proposed_by_id, search_text, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
		n.ID, n.Title, n.Description, n.Origin, n.ExpectedBenefit, nullPtr(n.OwnerID), n.Status, n.DecisionNote,
		n.RealisedEffect, nullPtr(n.ComplaintID), nullPtr(n.ProposedByID), improvementSearchText(n), n.Version, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("create improvement: %w", err)
	}
	if err := writeImprovementLinks(ctx, tx, n); err != nil {
		return err
	}
	return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectImprovement, subjectID: n.ID,
		organisationID: improvementAccount(n), summary: n.Title, after: n})
}

// UpdateImprovement saves the improvement's fields and status. A decision
// (approve, reject) records who and when; reconsidering clears them; done
// records when.
func (db *DB) UpdateImprovement(ctx context.Context, i *liaison.Improvement, ifVersion int) error {
	n := *i
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, n.ID, false); err != nil {
			return err
		}
		cur, err := findImprovement(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckImprovementChange(cur.Status, &n); err != nil {
			return err
		}
		if err := checkImprovementRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.ProposedByID, n.ProposedByName, n.RaisedByCount = cur.ProposedByID, cur.ProposedByName, cur.RaisedByCount
		n.DecidedByID, n.DecidedByName, n.DecidedAt, n.DoneAt = cur.DecidedByID, cur.DecidedByName, cur.DecidedAt, cur.DoneAt
		if n.Status != cur.Status {
			switch {
			case n.Status == liaison.ImprovementApproved || n.Status == liaison.ImprovementRejected:
				actorID, actorName, err := tx.actor(ctx)
				if err != nil {
					return err
				}
				n.DecidedByID, n.DecidedByName, n.DecidedAt = nil, actorName, &tx.now
				if actorID != "" {
					n.DecidedByID = &actorID
				}
			case n.Status == liaison.ImprovementProposed:
				n.DecidedByID, n.DecidedByName, n.DecidedAt = nil, "", nil
			}
			if n.Status == liaison.ImprovementDone {
				n.DoneAt = &tx.now
			} else {
				n.DoneAt = nil
			}
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE improvements SET title = $1, description = $2, origin = $3, expected_benefit = $4,
			owner_id = $5, status = $6, decision_note = $7, realised_effect = $8, complaint_id = $9, decided_by_id = $10,
			decided_at = $11, done_at = $12, search_text = $13, version = $14, updated_at = $15 WHERE id = $16 AND version = $17`,
			n.Title, n.Description, n.Origin, n.ExpectedBenefit, nullPtr(n.OwnerID), n.Status, n.DecisionNote, n.RealisedEffect,
			nullPtr(n.ComplaintID), nullPtr(n.DecidedByID), tx.nullTime(n.DecidedAt), tx.nullTime(n.DoneAt),
			improvementSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update improvement %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := writeImprovementLinks(ctx, tx, &n); err != nil {
			return err
		}
		summary := n.Title
		if cur.Status != n.Status {
			summary = fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, n.Status)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectImprovement, subjectID: n.ID,
			organisationID: improvementAccount(&n), summary: summary, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*i = n
	return nil
}

// DeleteImprovement moves an improvement to the trash.
func (db *DB) DeleteImprovement(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, id, false); err != nil {
			return err
		}
		cur, err := findImprovement(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE improvements SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete improvement %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectImprovement, subjectID: id,
			organisationID: improvementAccount(cur), summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreImprovement brings an improvement back from the trash.
func (db *DB) RestoreImprovement(ctx context.Context, id string) (*liaison.Improvement, error) {
	var restored *liaison.Improvement
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, id, true); err != nil {
			return err
		}
		cur, err := findImprovement(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE improvements SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore improvement %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectImprovement, subjectID: id,
			organisationID: improvementAccount(cur), summary: cur.Title, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// ---------- progress updates ----------

const updateColumns = `u.id, u.improvement_id, u.on_date, u.note, u.customer_visible, u.author_id, COALESCE(a.name, ''), u.created_at`

func scanImprovementUpdate(sc scanner) (*liaison.ImprovementUpdate, error) {
	var u liaison.ImprovementUpdate
	var author sql.NullString
	if err := sc.Scan(&u.ID, &u.ImprovementID, &u.On, &u.Note, &u.CustomerVisible, &author, &u.AuthorName, timeCol{&u.CreatedAt}); err != nil {
		return nil, err
	}
	u.AuthorID = strPtr(author)
	return &u, nil
}

// CreateImprovementUpdate adds a progress note to a live improvement.
func (db *DB) CreateImprovementUpdate(ctx context.Context, u *liaison.ImprovementUpdate) error {
	n := *u
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, n.ImprovementID, false); err != nil {
			return err
		}
		imp, err := findImprovement(ctx, tx, n.ImprovementID, false)
		if err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.AuthorID, n.AuthorName = nil, actorName
		if actorID != "" {
			n.AuthorID = &actorID
		}
		n.ID, n.CreatedAt = newID(), tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_updates (id, improvement_id, on_date, note, customer_visible, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, n.ID, n.ImprovementID, n.On, n.Note, n.CustomerVisible, nullPtr(n.AuthorID), tx.t(tx.now)); err != nil {
			return fmt.Errorf("create improvement update: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectImprovementUpdate, subjectID: n.ID,
			organisationID: improvementAccount(imp), summary: imp.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*u = n
	return nil
}

func findImprovementUpdate(ctx context.Context, q queryer, improvementID, id string) (*liaison.ImprovementUpdate, error) {
	u, err := scanImprovementUpdate(q.QueryRowContext(ctx, `SELECT `+updateColumns+` FROM improvement_updates u
		LEFT JOIN users a ON a.id = u.author_id WHERE u.id = $1 AND u.improvement_id = $2`, id, improvementID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("improvement update", id)
	} else if err != nil {
		return nil, fmt.Errorf("find improvement update %s: %w", id, err)
	}
	return u, nil
}

// FindImprovementUpdate returns one progress note of an improvement.
func (db *DB) FindImprovementUpdate(ctx context.Context, improvementID, id string) (*liaison.ImprovementUpdate, error) {
	return findImprovementUpdate(ctx, db.ro, improvementID, id)
}

// FindImprovementUpdates lists progress notes, newest date first.
func (db *DB) FindImprovementUpdates(ctx context.Context, f liaison.ImprovementUpdateFilter) ([]*liaison.ImprovementUpdate, error) {
	q := query{d: db.dialect}
	q.and("i.deleted_at IS NULL")
	if f.ImprovementID != "" {
		q.and("u.improvement_id = " + q.arg(f.ImprovementID))
	}
	if f.OrganisationID != "" {
		o := q.arg(f.OrganisationID)
		q.and("(u.improvement_id IN (SELECT improvement_id FROM improvement_accounts WHERE organisation_id = " + o +
			") OR u.improvement_id IN (SELECT improvement_id FROM improvement_raisers WHERE organisation_id = " + o + "))")
	}
	if f.CustomerVisible != nil {
		q.and("u.customer_visible = " + q.arg(*f.CustomerVisible))
	}
	limit := pageLimit(f.Limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+updateColumns+` FROM improvement_updates u JOIN improvements i ON i.id = u.improvement_id
		LEFT JOIN users a ON a.id = u.author_id`+q.whereClause()+` ORDER BY u.on_date DESC, u.created_at DESC, u.id DESC LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find improvement updates: %w", err)
	}
	us, err := collectRows(rows, scanImprovementUpdate)
	if err != nil {
		return nil, fmt.Errorf("find improvement updates: %w", err)
	}
	return us, nil
}

// DeleteImprovementUpdate removes a progress note; the audit trail keeps it.
func (db *DB) DeleteImprovementUpdate(ctx context.Context, improvementID, id string) error {
	return db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, improvementID, false); err != nil {
			return err
		}
		imp, err := findImprovement(ctx, tx, improvementID, false)
		if err != nil {
			return err
		}
		cur, err := findImprovementUpdate(ctx, tx, improvementID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM improvement_updates WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete improvement update %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectImprovementUpdate, subjectID: id,
			organisationID: improvementAccount(imp), summary: imp.Title, before: cur})
	})
}

// ---------- raising accounts ----------

const raiserColumns = `r.improvement_id, r.organisation_id, o.name, r.raised_on, r.note, r.recorded_by_id, COALESCE(u.name, ''), r.created_at`

func scanRaiser(sc scanner) (*liaison.ImprovementRaiser, error) {
	var r liaison.ImprovementRaiser
	var by sql.NullString
	if err := sc.Scan(&r.ImprovementID, &r.OrganisationID, &r.OrganisationName, &r.RaisedOn, &r.Note, &by, &r.RecordedByName,
		timeCol{&r.CreatedAt}); err != nil {
		return nil, err
	}
	r.RecordedByID = strPtr(by)
	return &r, nil
}

// AddImprovementRaiser records that an account raised the demand.
func (db *DB) AddImprovementRaiser(ctx context.Context, r *liaison.ImprovementRaiser) error {
	n := *r
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, n.ImprovementID, false); err != nil {
			return err
		}
		imp, err := findImprovement(ctx, tx, n.ImprovementID, false)
		if err != nil {
			return err
		}
		var v liaison.Validation
		var holder bool
		err = tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
			n.OrganisationID).Scan(&n.OrganisationName, &holder)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "organisation_id", "unit")
		case err != nil:
			return fmt.Errorf("check raising account: %w", err)
		case !holder:
			v.Add("organisation_id", liaison.CodeInvalid, "improvement.error.needs_account", "is not a customer account (a budget-holding unit)")
		}
		if err := v.Err(); err != nil {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM improvement_raisers WHERE improvement_id = $1 AND organisation_id = $2`,
			n.ImprovementID, n.OrganisationID).Scan(&one)
		if err == nil {
			return conflict("improvement.error.raised_twice", "%s has already raised this demand", n.OrganisationName)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check raising account: %w", err)
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.RecordedByID, n.RecordedByName = nil, actorName
		if actorID != "" {
			n.RecordedByID = &actorID
		}
		n.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO improvement_raisers (improvement_id, organisation_id, raised_on, note, recorded_by_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, n.ImprovementID, n.OrganisationID, n.RaisedOn, n.Note, nullPtr(n.RecordedByID), tx.t(tx.now)); err != nil {
			return fmt.Errorf("add raising account: %w", constraintError(err, "the account has already raised this demand"))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectImprovementRaiser, subjectID: n.ImprovementID,
			organisationID: n.OrganisationID, summary: imp.Title + " – " + n.OrganisationName, after: &n})
	})
	if err != nil {
		return err
	}
	*r = n
	return nil
}

// FindImprovementRaisers lists the accounts that raised the demand, earliest first.
func (db *DB) FindImprovementRaisers(ctx context.Context, improvementID string) ([]*liaison.ImprovementRaiser, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+raiserColumns+` FROM improvement_raisers r JOIN organisations o ON o.id = r.organisation_id
		LEFT JOIN users u ON u.id = r.recorded_by_id WHERE r.improvement_id = $1 ORDER BY r.raised_on, r.created_at, o.name`, improvementID)
	if err != nil {
		return nil, fmt.Errorf("find raising accounts: %w", err)
	}
	rs, err := collectRows(rows, scanRaiser)
	if err != nil {
		return nil, fmt.Errorf("find raising accounts: %w", err)
	}
	return rs, nil
}

// RemoveImprovementRaiser takes back the record that an account raised the demand.
func (db *DB) RemoveImprovementRaiser(ctx context.Context, improvementID, organisationID string) error {
	return db.write(ctx, func(tx *writeTx) error {
		if err := lockImprovement(ctx, tx, improvementID, false); err != nil {
			return err
		}
		imp, err := findImprovement(ctx, tx, improvementID, false)
		if err != nil {
			return err
		}
		cur, err := scanRaiser(tx.QueryRowContext(ctx, `SELECT `+raiserColumns+` FROM improvement_raisers r JOIN organisations o ON o.id = r.organisation_id
			LEFT JOIN users u ON u.id = r.recorded_by_id WHERE r.improvement_id = $1 AND r.organisation_id = $2`, improvementID, organisationID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("raising account", organisationID)
		} else if err != nil {
			return fmt.Errorf("remove raising account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM improvement_raisers WHERE improvement_id = $1 AND organisation_id = $2`,
			improvementID, organisationID); err != nil {
			return fmt.Errorf("remove raising account: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectImprovementRaiser, subjectID: improvementID,
			organisationID: organisationID, summary: imp.Title + " – " + cur.OrganisationName, before: cur})
	})
}
