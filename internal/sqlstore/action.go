package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// subjectAction is the audit subject type of action items.
const subjectAction = "action"

var (
	_ liaison.ActionStore = (*DB)(nil)
	_ liaison.ReviewStore = (*DB)(nil)
)

// noDueKey sorts undated actions after every dated one in either engine
// (SQLite sorts NULL first, PostgreSQL last).
const noDueKey = "9999-12-31"

// actionSource joins an action with the names it shows. Lists page over
// it with alias x; due_key is the due date order.
const actionSource = `(SELECT a.id, a.title, a.description, a.organisation_id, a.meeting_id, a.trigger_id, a.owner_id, a.due_date,
	a.status, a.done_at, a.created_by_id, a.search_text, a.version, a.created_at, a.updated_at, a.deleted_at,
	COALESCE(a.due_date, '` + noDueKey + `') AS due_key,
	COALESCE(o.name, '') AS organisation_name, COALESCE(m.title, '') AS meeting_title,
	COALESCE(ow.name, '') AS owner_name, COALESCE(cb.name, '') AS created_by_name
	FROM actions a LEFT JOIN organisations o ON o.id = a.organisation_id LEFT JOIN meetings m ON m.id = a.meeting_id
	LEFT JOIN users ow ON ow.id = a.owner_id LEFT JOIN users cb ON cb.id = a.created_by_id) x`

const actionColumns = `x.id, x.title, x.description, x.organisation_id, x.meeting_id, x.trigger_id, x.owner_id, x.due_date,
	x.status, x.done_at, x.created_by_id, x.version, x.created_at, x.updated_at, x.deleted_at,
	x.organisation_name, x.meeting_title, x.owner_name, x.created_by_name`

func scanAction(sc scanner) (*liaison.Action, error) {
	var a liaison.Action
	var org, meeting, trigger, owner, due, by sql.NullString
	if err := sc.Scan(&a.ID, &a.Title, &a.Description, &org, &meeting, &trigger, &owner, &due, &a.Status,
		nullTimeCol{&a.DoneAt}, &by, &a.Version, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}, nullTimeCol{&a.DeletedAt},
		&a.OrganisationName, &a.MeetingTitle, &a.OwnerName, &a.CreatedByName); err != nil {
		return nil, err
	}
	a.OrganisationID, a.MeetingID, a.TriggerID, a.DueDate, a.CreatedByID = strPtr(org), strPtr(meeting), strPtr(trigger), strPtr(due), strPtr(by)
	a.OwnerID = owner.String
	return &a, nil
}

func findAction(ctx context.Context, q queryer, id string, trashed bool) (*liaison.Action, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	a, err := scanAction(q.QueryRowContext(ctx, `SELECT `+actionColumns+` FROM `+actionSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("action", id)
	} else if err != nil {
		return nil, fmt.Errorf("find action %s: %w", id, err)
	}
	return a, nil
}

// lockAction locks an action's row (live, or any with trashed) for the rest of the transaction.
func lockAction(ctx context.Context, tx *writeTx, id string, trashed bool) error {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM actions WHERE id = $1`+live+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("action", id)
	} else if err != nil {
		return fmt.Errorf("lock action %s: %w", id, err)
	}
	return nil
}

// FindActionByID returns a live action.
func (db *DB) FindActionByID(ctx context.Context, id string) (*liaison.Action, error) {
	return findAction(ctx, db.ro, id, false)
}

// parseActionSort reads an action list's order: due_date (the default,
// soonest first, undated last) or one of the common orders, name being the title.
func parseActionSort(raw string) (sortOrder, error) {
	switch raw {
	case "", "due_date":
		return sortOrder{key: "due_date", column: "due_key"}, nil
	case "-due_date":
		return sortOrder{key: "-due_date", column: "due_key", desc: true}, nil
	}
	s, err := parseSort(raw)
	if err != nil {
		var e *liaison.Error
		if errors.As(err, &e) {
			e.Message += ", due_date, -due_date"
		}
		return s, err
	}
	if s.column == "name" {
		s.column = "title"
	}
	return s, nil
}

// FindActions lists actions (the trash with f.Trashed).
func (db *DB) FindActions(ctx context.Context, f liaison.ActionFilter) ([]*liaison.Action, string, error) {
	s, err := parseActionSort(f.Sort)
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
	if f.OwnerID != "" {
		q.and("x.owner_id = " + q.arg(f.OwnerID))
	}
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.MeetingID != "" {
		q.and("x.meeting_id = " + q.arg(f.MeetingID))
	}
	if f.TriggerID != "" {
		q.and("x.trigger_id = " + q.arg(f.TriggerID))
	}
	if f.DeputyID != "" {
		d := q.arg(f.DeputyID)
		q.and("x.owner_id <> " + d + " AND x.organisation_id IN (SELECT id FROM organisations WHERE deputy_id = " + d + " AND deleted_at IS NULL)")
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Overdue {
		today := f.Today
		if today == "" {
			today = liaison.FormatDate(time.Now().UTC())
		}
		q.and("x.status = 'open' AND x.due_date < " + q.arg(today))
	}
	if f.DueBefore != "" {
		q.and("x.due_date < " + q.arg(f.DueBefore))
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+actionColumns+`, x.due_key FROM `+actionSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find actions: %w", err)
	}
	type keyed struct {
		a   *liaison.Action
		key string
	}
	ks, err := collectRows(rows, func(sc scanner) (keyed, error) {
		var k keyed
		a, err := scanAction(extraScanner{sc, &k.key})
		k.a = a
		return k, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("find actions: %w", err)
	}
	ks, next := nextPage(ks, limit, s, func(k keyed) (string, string) {
		if s.column == "due_key" {
			return k.key, k.a.ID
		}
		return sortValue(s, k.a.Title, k.a.CreatedAt, k.a.UpdatedAt), k.a.ID
	})
	out := make([]*liaison.Action, len(ks))
	for i, k := range ks {
		out[i] = k.a
	}
	return out, next, nil
}

// extraScanner scans one column more than the scanner it wraps is given,
// into extra: the sort key a list selects after the record's columns.
type extraScanner struct {
	sc    scanner
	extra any
}

func (e extraScanner) Scan(dest ...any) error { return e.sc.Scan(append(dest, e.extra)...) }

// CountActions counts an owner's open and overdue live actions.
func (db *DB) CountActions(ctx context.Context, ownerID, today string) (liaison.ActionCounts, error) {
	var c liaison.ActionCounts
	err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_date < $2 THEN 1 ELSE 0 END), 0)
		FROM actions WHERE owner_id = $1 AND status = 'open' AND deleted_at IS NULL`, ownerID, today).Scan(&c.Open, &c.Overdue)
	if err != nil {
		return c, fmt.Errorf("count actions: %w", err)
	}
	return c, nil
}

// actionMeeting returns a live meeting's title and account, or a field
// error on meeting_id.
func actionMeeting(ctx context.Context, q queryer, meetingID, lock string) (*liaison.MeetingRef, error) {
	m := liaison.MeetingRef{ID: meetingID}
	err := q.QueryRowContext(ctx, `SELECT title, organisation_id FROM meetings WHERE id = $1 AND deleted_at IS NULL`+lock,
		meetingID).Scan(&m.Title, &m.OrganisationID)
	if errors.Is(err, sql.ErrNoRows) {
		var v liaison.Validation
		v.Add("meeting_id", liaison.CodeUnknown, "action.error.meeting_unknown", "names no meeting, or one in the trash")
		return nil, v.Err()
	} else if err != nil {
		return nil, fmt.Errorf("find meeting %s: %w", meetingID, err)
	}
	return &m, nil
}

// ActionMeeting returns a live meeting's title and account.
func (db *DB) ActionMeeting(ctx context.Context, meetingID string) (*liaison.MeetingRef, error) {
	return actionMeeting(ctx, db.ro, meetingID, "")
}

// checkActionRefs checks the meeting (live; its account becomes the
// action's), the account (a live budget holder) and the owner (an active
// user), and fills the names the action shows.
func checkActionRefs(ctx context.Context, tx *writeTx, a *liaison.Action) error {
	var v liaison.Validation
	a.MeetingTitle, a.OrganisationName = "", ""
	if a.MeetingID != nil {
		m, err := actionMeeting(ctx, tx, *a.MeetingID, tx.db.dialect.forShare)
		if err != nil {
			return err
		}
		a.OrganisationID, a.MeetingTitle = &m.OrganisationID, m.Title
	}
	if a.OrganisationID != nil {
		var holder bool
		err := tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
			*a.OrganisationID).Scan(&a.OrganisationName, &holder)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "organisation_id", "unit")
		case err != nil:
			return fmt.Errorf("check action account: %w", err)
		case !holder:
			v.Add("organisation_id", liaison.CodeInvalid, "action.error.needs_account", "is not a customer account (a budget-holding unit)")
		}
	}
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT active, name FROM users WHERE id = $1`, a.OwnerID).Scan(&active, &a.OwnerName)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "owner_id", "user")
	case err != nil:
		return fmt.Errorf("check action owner: %w", err)
	case !active:
		v.Add("owner_id", liaison.CodeInvalid, "action.error.owner_inactive", "is a deactivated user")
	}
	return v.Err()
}

func actionSearchText(a *liaison.Action) string {
	return liaison.SearchText(a.Title, a.Description, a.OwnerName, a.OrganisationName)
}

func actionAccount(a *liaison.Action) string {
	if a.OrganisationID != nil {
		return *a.OrganisationID
	}
	return ""
}

// CreateAction stores a new action, created by the principal of ctx.
func (db *DB) CreateAction(ctx context.Context, a *liaison.Action) error {
	n := *a
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := insertAction(ctx, tx, &n, ""); err != nil {
			return err
		}
		return auditActionCreate(ctx, tx, &n)
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// insertAction writes a new action (normalised and valid) in tx, with the
// id given, or a new one for "". The caller audits it (auditActionCreate):
// a trigger audits itself first, so that its create claims the
// Idempotency-Key.
func insertAction(ctx context.Context, tx *writeTx, n *liaison.Action, id string) error {
	if err := checkActionRefs(ctx, tx, n); err != nil {
		return err
	}
	actorID, actorName, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	n.CreatedByID, n.CreatedByName = nil, actorName
	if actorID != "" {
		n.CreatedByID = &actorID
	}
	if id == "" {
		id = newID()
	}
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt, n.DoneAt = id, 1, tx.now, tx.now, nil, nil
	if n.Status == liaison.ActionDone {
		n.DoneAt = &tx.now
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO actions (id, title, description, organisation_id, meeting_id, trigger_id, owner_id,
		due_date, status, done_at, created_by_id, search_text, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
		n.ID, n.Title, n.Description, nullPtr(n.OrganisationID), nullPtr(n.MeetingID), nullPtr(n.TriggerID), n.OwnerID,
		nullPtr(n.DueDate), n.Status, tx.nullTime(n.DoneAt), nullPtr(n.CreatedByID), actionSearchText(n), n.Version, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("create action: %w", err)
	}
	return nil
}

func auditActionCreate(ctx context.Context, tx *writeTx, n *liaison.Action) error {
	return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectAction, subjectID: n.ID,
		organisationID: actionAccount(n), summary: n.Title, after: n})
}

// UpdateAction saves the action's fields and status; done records when,
// leaving done forgets it. The trigger an action answers stays.
func (db *DB) UpdateAction(ctx context.Context, a *liaison.Action, ifVersion int) error {
	n := *a
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockAction(ctx, tx, n.ID, false); err != nil {
			return err
		}
		cur, err := findAction(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckActionTransition(cur.Status, n.Status); err != nil {
			return err
		}
		if err := checkActionRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.TriggerID, n.CreatedByID, n.CreatedByName, n.DoneAt = cur.TriggerID, cur.CreatedByID, cur.CreatedByName, cur.DoneAt
		if n.Status != cur.Status {
			n.DoneAt = nil
			if n.Status == liaison.ActionDone {
				n.DoneAt = &tx.now
			}
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE actions SET title = $1, description = $2, organisation_id = $3, meeting_id = $4,
			owner_id = $5, due_date = $6, status = $7, done_at = $8, search_text = $9, version = $10, updated_at = $11
			WHERE id = $12 AND version = $13`,
			n.Title, n.Description, nullPtr(n.OrganisationID), nullPtr(n.MeetingID), n.OwnerID, nullPtr(n.DueDate), n.Status,
			tx.nullTime(n.DoneAt), actionSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update action %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		summary := n.Title
		if cur.Status != n.Status {
			summary = fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, n.Status)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectAction, subjectID: n.ID,
			organisationID: actionAccount(&n), summary: summary, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// DeleteAction moves an action to the trash.
func (db *DB) DeleteAction(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if err := lockAction(ctx, tx, id, false); err != nil {
			return err
		}
		cur, err := findAction(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE actions SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete action %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectAction, subjectID: id,
			organisationID: actionAccount(cur), summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreAction brings an action back from the trash.
func (db *DB) RestoreAction(ctx context.Context, id string) (*liaison.Action, error) {
	var restored *liaison.Action
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockAction(ctx, tx, id, true); err != nil {
			return err
		}
		cur, err := findAction(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE actions SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore action %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectAction, subjectID: id,
			organisationID: actionAccount(cur), summary: cur.Title, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// reviewCadenceSQL selects the agreement customers; conditions on o follow.
const reviewCadenceSQL = `SELECT o.id, o.name, o.relationship_manager_id, COALESCE(u.name, ''), o.deputy_id, ag.months,
		(SELECT m.starts_at FROM meetings m WHERE m.organisation_id = o.id AND m.type = 'service_review'
			AND m.status = 'held' AND m.deleted_at IS NULL ORDER BY m.starts_at DESC LIMIT 1)
		FROM (SELECT organisation_id, MIN(service_review_months) AS months FROM agreements
			WHERE status = 'active' AND deleted_at IS NULL GROUP BY organisation_id) ag
		JOIN organisations o ON o.id = ag.organisation_id
		LEFT JOIN users u ON u.id = o.relationship_manager_id`

// ReviewCadence lists the live agreement customers with the smallest
// service-review interval of their active agreements and the start of
// their last held service review, in one query: the last review is read
// per account walking the meetings index (organisation_id, starts_at)
// from the newest meeting down to the first held review.
func (db *DB) ReviewCadence(ctx context.Context, f liaison.ReviewFilter) ([]*liaison.ReviewDue, error) {
	q := query{d: db.dialect}
	q.and("o.deleted_at IS NULL")
	if f.ManagerID != "" {
		m := q.arg(f.ManagerID)
		q.and("(o.relationship_manager_id = " + m + " OR o.deputy_id = " + m + ")")
	}
	if f.OrganisationID != "" {
		q.and("o.id = " + q.arg(f.OrganisationID))
	}
	rows, err := db.ro.QueryContext(ctx, reviewCadenceSQL+q.whereClause()+` ORDER BY o.name, o.id`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("review cadence: %w", err)
	}
	out, err := collectRows(rows, func(sc scanner) (*liaison.ReviewDue, error) {
		var r liaison.ReviewDue
		var manager, deputy sql.NullString
		var last *time.Time
		if err := sc.Scan(&r.OrganisationID, &r.OrganisationName, &manager, &r.ManagerName, &deputy, &r.IntervalMonths, nullTimeCol{&last}); err != nil {
			return nil, err
		}
		r.ManagerID, r.DeputyID = strPtr(manager), strPtr(deputy)
		if last != nil {
			r.LastReview = liaison.Ptr(liaison.FormatDate(*last))
		}
		return &r, nil
	})
	if err != nil {
		return nil, fmt.Errorf("review cadence: %w", err)
	}
	return out, nil
}
