package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// subjectTrigger is the audit subject type of triggers.
const subjectTrigger = "trigger"

var _ liaison.TriggerStore = (*DB)(nil)

// triggerSource joins a trigger with its names and its task's status,
// owner and due date. Lists page over it with alias x.
const triggerSource = `(SELECT t.id, t.organisation_id, t.account_id, t.kind, t.title, t.description, t.occurred_on, t.source,
	t.external_ref, t.service_id, t.reported_by_id, t.action_id, t.assigned_to, t.search_text, t.version, t.created_at,
	t.updated_at, t.deleted_at,
	COALESCE(o.name, '') AS organisation_name, COALESCE(ac.name, '') AS account_name, COALESCE(s.name, '') AS service_name,
	COALESCE(rb.name, '') AS reported_by_name, COALESCE(a.status, 'open') AS status, COALESCE(a.owner_id, '') AS owner_id,
	a.due_date, COALESCE(ow.name, '') AS owner_name
	FROM triggers t LEFT JOIN organisations o ON o.id = t.organisation_id LEFT JOIN organisations ac ON ac.id = t.account_id
	LEFT JOIN services s ON s.id = t.service_id LEFT JOIN users rb ON rb.id = t.reported_by_id
	LEFT JOIN actions a ON a.id = t.action_id LEFT JOIN users ow ON ow.id = a.owner_id) x`

const triggerColumns = `x.id, x.organisation_id, x.account_id, x.kind, x.title, x.description, x.occurred_on, x.source,
	x.external_ref, x.service_id, x.reported_by_id, x.action_id, x.assigned_to, x.version, x.created_at, x.updated_at,
	x.deleted_at, x.organisation_name, x.account_name, x.service_name, x.reported_by_name, x.status, x.owner_id, x.due_date,
	x.owner_name`

func scanTrigger(sc scanner) (*liaison.Trigger, error) {
	var t liaison.Trigger
	var ref, service, by, due sql.NullString
	if err := sc.Scan(&t.ID, &t.OrganisationID, &t.AccountID, &t.Kind, &t.Title, &t.Description, &t.OccurredOn, &t.Source,
		&ref, &service, &by, &t.ActionID, &t.AssignedTo, &t.Version, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt},
		nullTimeCol{&t.DeletedAt}, &t.OrganisationName, &t.AccountName, &t.ServiceName, &t.ReportedByName, &t.Status,
		&t.OwnerID, &due, &t.OwnerName); err != nil {
		return nil, err
	}
	t.ExternalRef, t.ServiceID, t.ReportedByID, t.DueDate = strPtr(ref), strPtr(service), strPtr(by), strPtr(due)
	return &t, nil
}

func findTrigger(ctx context.Context, q queryer, id string, trashed bool) (*liaison.Trigger, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	t, err := scanTrigger(q.QueryRowContext(ctx, `SELECT `+triggerColumns+` FROM `+triggerSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("trigger", id)
	} else if err != nil {
		return nil, fmt.Errorf("find trigger %s: %w", id, err)
	}
	return t, nil
}

// lockTrigger locks a trigger's row (live, or any with trashed) for the rest of the transaction.
func lockTrigger(ctx context.Context, tx *writeTx, id string, trashed bool) error {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM triggers WHERE id = $1`+live+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("trigger", id)
	} else if err != nil {
		return fmt.Errorf("lock trigger %s: %w", id, err)
	}
	return nil
}

// FindTriggerByID returns a live trigger.
func (db *DB) FindTriggerByID(ctx context.Context, id string) (*liaison.Trigger, error) {
	return findTrigger(ctx, db.ro, id, false)
}

// triggerByRef returns the trigger, live or trashed, that the posting
// system named ref; nil when none.
func triggerByRef(ctx context.Context, q queryer, ref string) (*liaison.Trigger, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM triggers WHERE external_ref = $1`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find trigger by external_ref: %w", err)
	}
	return findTrigger(ctx, q, id, true)
}

// refTaken answers a post whose external_ref names a trashed trigger.
func refTaken(t *liaison.Trigger) error {
	return &liaison.Error{Code: liaison.ECONFLICT, Key: "trigger.error.ref_trashed", Args: []any{t.Title},
		Message: fmt.Sprintf("external_ref names the trigger %q, which is in the trash: restore it instead", t.Title)}
}

// parseTriggerSort reads a trigger list's order: -occurred_on (the
// default, newest first), occurred_on, or one of the common orders, name
// being the title.
func parseTriggerSort(raw string) (sortOrder, error) {
	switch raw {
	case "", "-occurred_on":
		return sortOrder{key: "-occurred_on", column: "occurred_on", desc: true}, nil
	case "occurred_on":
		return sortOrder{key: "occurred_on", column: "occurred_on"}, nil
	}
	s, err := parseSort(raw)
	if err != nil {
		var e *liaison.Error
		if errors.As(err, &e) {
			e.Message += ", occurred_on, -occurred_on"
		}
		return s, err
	}
	if s.column == "name" {
		s.column = "title"
	}
	return s, nil
}

// FindTriggers lists triggers (the trash with f.Trashed).
func (db *DB) FindTriggers(ctx context.Context, f liaison.TriggerFilter) ([]*liaison.Trigger, string, error) {
	s, err := parseTriggerSort(f.Sort)
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
		q.and("x.deleted_at IS NOT NULL")
	} else {
		q.and("x.deleted_at IS NULL")
	}
	if f.OrganisationID != "" {
		// The unit's subtree is its path range (see the schema).
		q.and(`x.organisation_id IN (SELECT d.id FROM organisations u JOIN organisations d
			ON d.path >= u.path AND d.path < substr(u.path, 1, length(u.path) - 1) || '0'
			WHERE u.id = ` + q.arg(f.OrganisationID) + `)`)
	}
	if f.Kind != "" {
		q.and("x.kind = " + q.arg(string(f.Kind)))
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Source != "" {
		q.and("x.source = " + q.arg(string(f.Source)))
	}
	if f.ServiceID != "" {
		q.and("x.service_id = " + q.arg(f.ServiceID))
	}
	if f.ReportedByID != "" {
		q.and("x.reported_by_id = " + q.arg(f.ReportedByID))
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+triggerColumns+` FROM `+triggerSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find triggers: %w", err)
	}
	items, err := collectRows(rows, scanTrigger)
	if err != nil {
		return nil, "", fmt.Errorf("find triggers: %w", err)
	}
	items, next := nextPage(items, limit, s, func(t *liaison.Trigger) (string, string) {
		if s.column == "occurred_on" {
			return t.OccurredOn, t.ID
		}
		return sortValue(s, t.Title, t.CreatedAt, t.UpdatedAt), t.ID
	})
	return items, next, nil
}

// checkTrigger checks the unit (live) and the service, finds the unit's
// account (the deepest budget holder on its path) and fills the names.
// It returns the account's relationship manager and deputy ("" for none).
func checkTrigger(ctx context.Context, tx *writeTx, t *liaison.Trigger) (manager, deputy string, err error) {
	var v liaison.Validation
	var path string
	t.OrganisationName, t.AccountID, t.AccountName, t.ServiceName = "", "", "", ""
	err = tx.QueryRowContext(ctx, `SELECT name, path FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		t.OrganisationID).Scan(&t.OrganisationName, &path)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "organisation_id", "unit")
	case err != nil:
		return "", "", fmt.Errorf("check trigger unit: %w", err)
	}
	if path != "" {
		ids := pathIDs(path)
		q := query{d: tx.db.dialect}
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = q.arg(id)
		}
		var m, d sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT id, name, relationship_manager_id, deputy_id FROM organisations WHERE id IN (`+
			strings.Join(ph, ", ")+`) AND budget_holder = `+q.arg(true)+` AND deleted_at IS NULL ORDER BY depth DESC LIMIT 1`, q.args...).
			Scan(&t.AccountID, &t.AccountName, &m, &d)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add("organisation_id", liaison.CodeInvalid, "trigger.error.no_account",
				"lies under no customer account: log the trigger on an account or a unit below one")
		case err != nil:
			return "", "", fmt.Errorf("check trigger account: %w", err)
		}
		manager, deputy = m.String, d.String
	}
	if t.ServiceID != nil {
		err := tx.QueryRowContext(ctx, `SELECT name FROM services WHERE id = $1`, *t.ServiceID).Scan(&t.ServiceName)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "service_id", "service")
		} else if err != nil {
			return "", "", fmt.Errorf("check trigger service: %w", err)
		}
	}
	return manager, deputy, v.Err()
}

// activeUser returns id when it names an active user, else "".
func activeUser(ctx context.Context, q queryer, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	var active bool
	err := q.QueryRowContext(ctx, `SELECT active FROM users WHERE id = $1`, id).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("check user %s: %w", id, err)
	}
	return id, nil
}

// triggerOwner chooses the task's owner by liaison.TriggerTaskOwner.
func triggerOwner(ctx context.Context, tx *writeTx, manager, deputy, reporter string) (string, liaison.TriggerAssignment, error) {
	var c liaison.TriggerOwnerCandidates
	var err error
	if c.Manager, err = activeUser(ctx, tx, manager); err != nil {
		return "", "", err
	}
	if c.Deputy, err = activeUser(ctx, tx, deputy); err != nil {
		return "", "", err
	}
	if c.Manager == "" && c.Deputy == "" {
		q := query{d: tx.db.dialect}
		err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE role = `+q.arg(string(liaison.RoleHead))+` AND active = `+q.arg(true)+
			` ORDER BY name, id LIMIT 1`, q.args...).Scan(&c.Head)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", "", fmt.Errorf("find head of service management: %w", err)
		}
	}
	c.Reporter = reporter
	owner, assigned := liaison.TriggerTaskOwner(c)
	return owner, assigned, nil
}

func triggerSearchText(t *liaison.Trigger) string {
	return liaison.SearchText(t.Title, t.Description, t.OrganisationName, t.AccountName, t.ServiceName, deref(t.ExternalRef), t.ReportedByName)
}

// CreateTrigger stores a trigger and opens its task in one transaction;
// an external_ref seen before returns that trigger instead.
func (db *DB) CreateTrigger(ctx context.Context, t *liaison.Trigger) (bool, error) {
	n := *t
	n.Normalize()
	if err := n.Validate(); err != nil {
		return false, err
	}
	var existing *liaison.Trigger
	err := db.write(ctx, func(tx *writeTx) error {
		existing = nil
		if n.ExternalRef != nil {
			prev, err := triggerByRef(ctx, tx, *n.ExternalRef)
			if err != nil {
				return err
			}
			if prev != nil {
				if prev.DeletedAt != nil {
					return refTaken(prev)
				}
				existing = prev
				return nil
			}
		}
		return insertTrigger(ctx, tx, &n)
	})
	if err != nil && n.ExternalRef != nil && liaison.ErrorCode(err) == liaison.ECONFLICT {
		// Another instance stored the same external_ref meanwhile: theirs is the trigger.
		if prev, ferr := triggerByRef(ctx, db.ro, *n.ExternalRef); ferr == nil && prev != nil && prev.DeletedAt == nil {
			*t = *prev
			return false, nil
		}
	}
	if err != nil {
		return false, err
	}
	if existing != nil {
		*t = *existing
		return false, nil
	}
	*t = n
	return true, nil
}

// insertTrigger writes a new trigger (normalised and valid) and its task
// in tx; the trigger's audit row comes first, so that it claims the
// request's Idempotency-Key.
func insertTrigger(ctx context.Context, tx *writeTx, n *liaison.Trigger) error {
	manager, deputy, err := checkTrigger(ctx, tx, n)
	if err != nil {
		return err
	}
	actorID, actorName, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	n.ReportedByID, n.ReportedByName = nil, actorName
	if actorID != "" {
		n.ReportedByID = &actorID
	}
	owner, assigned, err := triggerOwner(ctx, tx, manager, deputy, actorID)
	if err != nil {
		return err
	}
	if owner == "" {
		var v liaison.Validation
		v.Add("organisation_id", liaison.CodeInvalid, "trigger.error.no_owner",
			"has no relationship manager, deputy or head of service management to own the trigger's task")
		return v.Err()
	}
	today := liaison.DateOf(tx.now)
	if n.OccurredOn == "" {
		n.OccurredOn = liaison.FormatDate(today)
	}
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
	task := &liaison.Action{Title: n.Title, Description: n.Description, OrganisationID: &n.AccountID, TriggerID: &n.ID,
		OwnerID: owner, DueDate: liaison.Ptr(liaison.TriggerDueDate(n.Kind, today)), Status: liaison.ActionOpen}
	task.Normalize()
	if err := task.Validate(); err != nil {
		return err
	}
	if err := insertAction(ctx, tx, task, ""); err != nil {
		return err
	}
	n.ActionID, n.AssignedTo, n.Status, n.OwnerID, n.OwnerName, n.DueDate = task.ID, assigned, task.Status, task.OwnerID, task.OwnerName, task.DueDate
	_, err = tx.ExecContext(ctx, `INSERT INTO triggers (id, organisation_id, account_id, kind, title, description, occurred_on, source,
		external_ref, service_id, reported_by_id, action_id, assigned_to, search_text, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
		n.ID, n.OrganisationID, n.AccountID, n.Kind, n.Title, n.Description, n.OccurredOn, n.Source, nullPtr(n.ExternalRef),
		nullPtr(n.ServiceID), nullPtr(n.ReportedByID), n.ActionID, n.AssignedTo, triggerSearchText(n), n.Version, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("create trigger: %w", constraintError(err, "external_ref names another trigger"))
	}
	if err := tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectTrigger, subjectID: n.ID,
		organisationID: n.OrganisationID, summary: n.Title, after: n}); err != nil {
		return err
	}
	return auditActionCreate(ctx, tx, task)
}

// UpdateTrigger saves a trigger's own fields; its unit, source and task
// stay, and the task's title follows while it was the trigger's.
func (db *DB) UpdateTrigger(ctx context.Context, t *liaison.Trigger, ifVersion int) error {
	n := *t
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockTrigger(ctx, tx, n.ID, false); err != nil {
			return err
		}
		cur, err := findTrigger(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if n.OrganisationID != cur.OrganisationID {
			var v liaison.Validation
			v.Add("organisation_id", liaison.CodeInvalid, "trigger.error.unit_fixed",
				"cannot change: the trigger's task belongs to its account; log a new trigger on the other unit")
			return v.Err()
		}
		if n.ExternalRef != nil && !same(n.ExternalRef, cur.ExternalRef) {
			if prev, err := triggerByRef(ctx, tx, *n.ExternalRef); err != nil {
				return err
			} else if prev != nil {
				return &liaison.Error{Code: liaison.ECONFLICT, Key: "trigger.error.ref_taken", Args: []any{prev.Title},
					Message: fmt.Sprintf("external_ref names another trigger, %q", prev.Title)}
			}
		}
		if n.OccurredOn == "" {
			n.OccurredOn = cur.OccurredOn
		}
		if _, _, err := checkTrigger(ctx, tx, &n); err != nil {
			return err
		}
		n.Source, n.ReportedByID, n.ReportedByName = cur.Source, cur.ReportedByID, cur.ReportedByName
		n.ActionID, n.AssignedTo, n.Status, n.OwnerID, n.OwnerName, n.DueDate = cur.ActionID, cur.AssignedTo, cur.Status, cur.OwnerID, cur.OwnerName, cur.DueDate
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE triggers SET kind = $1, title = $2, description = $3, occurred_on = $4, external_ref = $5,
			service_id = $6, search_text = $7, version = $8, updated_at = $9 WHERE id = $10 AND version = $11`,
			n.Kind, n.Title, n.Description, n.OccurredOn, nullPtr(n.ExternalRef), nullPtr(n.ServiceID), triggerSearchText(&n),
			n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update trigger %s: %w", n.ID, constraintError(err, "external_ref names another trigger"))
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectTrigger, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Title, before: cur, after: &n}); err != nil {
			return err
		}
		if cur.Title == n.Title {
			return nil
		}
		return retitleTask(ctx, tx, cur.ActionID, cur.Title, n.Title)
	})
	if err != nil {
		return err
	}
	*t = n
	return nil
}

// retitleTask gives a trigger's task the trigger's new title while the
// task still has the old one (a title its owner chose stays).
func retitleTask(ctx context.Context, tx *writeTx, actionID, from, to string) error {
	task, err := findAction(ctx, tx, actionID, true)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if task.Title != from {
		return nil
	}
	after := *task
	after.Title, after.Version, after.UpdatedAt = to, task.Version+1, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE actions SET title = $1, search_text = $2, version = $3, updated_at = $4 WHERE id = $5`,
		to, actionSearchText(&after), after.Version, tx.t(tx.now), actionID); err != nil {
		return fmt.Errorf("retitle trigger task %s: %w", actionID, err)
	}
	return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectAction, subjectID: actionID,
		organisationID: actionAccount(task), summary: to, before: task, after: &after})
}

// DeleteTrigger moves a trigger and its live task to the trash.
func (db *DB) DeleteTrigger(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if err := lockTrigger(ctx, tx, id, false); err != nil {
			return err
		}
		cur, err := findTrigger(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE triggers SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete trigger %s: %w", id, err)
		}
		if err := tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectTrigger, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after}); err != nil {
			return err
		}
		return trashTask(ctx, tx, cur.ActionID, true)
	})
}

// trashTask moves a trigger's task to the trash (trash) or back, when it
// is not there already; a task the trigger no longer finds is left alone.
func trashTask(ctx context.Context, tx *writeTx, actionID string, trash bool) error {
	task, err := findAction(ctx, tx, actionID, true)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if (task.DeletedAt != nil) == trash {
		return nil
	}
	after := *task
	after.Version, after.UpdatedAt, after.DeletedAt = task.Version+1, tx.now, nil
	action := liaison.ActionRestore
	var deleted any
	if trash {
		after.DeletedAt, action, deleted = &tx.now, liaison.ActionDelete, tx.t(tx.now)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE actions SET deleted_at = $1, updated_at = $2, version = $3 WHERE id = $4`,
		deleted, tx.t(tx.now), after.Version, actionID); err != nil {
		return fmt.Errorf("trash trigger task %s: %w", actionID, err)
	}
	return tx.audit(ctx, change{action: action, subjectType: subjectAction, subjectID: actionID,
		organisationID: actionAccount(task), summary: task.Title, before: task, after: &after})
}

// RestoreTrigger brings a trigger back from the trash with its task.
func (db *DB) RestoreTrigger(ctx context.Context, id string) (*liaison.Trigger, error) {
	var restored *liaison.Trigger
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockTrigger(ctx, tx, id, true); err != nil {
			return err
		}
		cur, err := findTrigger(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		var live int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM organisations WHERE id = $1 AND deleted_at IS NULL`, cur.OrganisationID).Scan(&live)
		if errors.Is(err, sql.ErrNoRows) {
			return conflict("trigger.error.unit_trashed", "the trigger's unit is in the trash: restore the unit first")
		} else if err != nil {
			return fmt.Errorf("restore trigger %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE triggers SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), cur.Version+1, id); err != nil {
			return fmt.Errorf("restore trigger %s: %w", id, err)
		}
		if err := trashTask(ctx, tx, cur.ActionID, false); err != nil {
			return err
		}
		if restored, err = findTrigger(ctx, tx, id, false); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectTrigger, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: restored})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}
