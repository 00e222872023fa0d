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

// Audit subject types of the annual cycle. A generated task is an action;
// its creation is recorded as a cycle_task (subject id: the action's id),
// the event "the annual cycle laid this task", so the timeline names it so.
const (
	subjectCycleActivity = "cycle_activity"
	subjectCycleTask     = "cycle_task"
)

var _ liaison.CycleStore = (*DB)(nil)

const cycleColumns = `c.id, c.title, c.description, c.kind, c.recurrence, c.month, c.day, c.on_date, c.scope, c.segment_id,
	c.owner_id, c.version, c.created_at, c.updated_at, c.deleted_at, COALESCE(u.name, ''), COALESCE(s.name, '')`

const cycleSource = `cycle_activities c LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN segments s ON s.id = c.segment_id`

func scanCycleActivity(sc scanner) (*liaison.CycleActivity, error) {
	var a liaison.CycleActivity
	var on, seg, owner sql.NullString
	if err := sc.Scan(&a.ID, &a.Title, &a.Description, &a.Kind, &a.Recurrence, &a.Month, &a.Day, &on, &a.Scope, &seg, &owner,
		&a.Version, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}, nullTimeCol{&a.DeletedAt}, &a.OwnerName, &a.SegmentName); err != nil {
		return nil, err
	}
	a.OnDate, a.SegmentID, a.OwnerID = strPtr(on), strPtr(seg), strPtr(owner)
	a.OrganisationIDs = []string{}
	return &a, nil
}

// loadCycleAccounts fills the listed accounts of activities in one query.
func loadCycleAccounts(ctx context.Context, q queryer, as ...*liaison.CycleActivity) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.CycleActivity, len(as))
	args := make([]any, len(as))
	marks := make([]string, len(as))
	for i, a := range as {
		byID[a.ID] = a
		args[i] = a.ID
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT activity_id, organisation_id FROM cycle_activity_accounts
		WHERE activity_id IN (`+strings.Join(marks, ", ")+`) ORDER BY activity_id, position`, args...)
	if err != nil {
		return fmt.Errorf("load cycle accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, org string
		if err := rows.Scan(&id, &org); err != nil {
			return fmt.Errorf("load cycle accounts: %w", err)
		}
		byID[id].OrganisationIDs = append(byID[id].OrganisationIDs, org)
	}
	return rows.Err()
}

func findCycleActivity(ctx context.Context, q queryer, id string, trashed bool, lock string) (*liaison.CycleActivity, error) {
	live := " AND c.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	if lock != "" {
		lock += " OF c" // PostgreSQL refuses to lock the nullable side of an outer join
	}
	a, err := scanCycleActivity(q.QueryRowContext(ctx, `SELECT `+cycleColumns+` FROM `+cycleSource+` WHERE c.id = $1`+live+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("cycle activity", id)
	} else if err != nil {
		return nil, fmt.Errorf("find cycle activity %s: %w", id, err)
	}
	if err := loadCycleAccounts(ctx, q, a); err != nil {
		return nil, err
	}
	return a, nil
}

// FindCycleActivityByID returns a live activity with its accounts.
func (db *DB) FindCycleActivityByID(ctx context.Context, id string) (*liaison.CycleActivity, error) {
	return findCycleActivity(ctx, db.ro, id, false, "")
}

// FindCycleActivities lists activities (the trash with f.Trashed), by title by default.
func (db *DB) FindCycleActivities(ctx context.Context, f liaison.CycleActivityFilter) ([]*liaison.CycleActivity, string, error) {
	so, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	if so.column == "name" {
		so.column = "title"
	}
	c, err := decodeCursor(f.Cursor, so)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Trashed {
		q.and("c.deleted_at IS NOT NULL")
	} else {
		q.and("c.deleted_at IS NULL")
	}
	if f.Kind != "" {
		q.and("c.kind = " + q.arg(string(f.Kind)))
	}
	q.search("c.search_text", f.Q)
	tail := q.page("c", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+cycleColumns+` FROM `+cycleSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find cycle activities: %w", err)
	}
	as, err := collectRows(rows, scanCycleActivity)
	if err != nil {
		return nil, "", fmt.Errorf("find cycle activities: %w", err)
	}
	as, next := nextPage(as, limit, so, func(a *liaison.CycleActivity) (string, string) {
		return sortValue(so, a.Title, a.CreatedAt, a.UpdatedAt), a.ID
	})
	if err := loadCycleAccounts(ctx, db.ro, as...); err != nil {
		return nil, "", err
	}
	return as, next, nil
}

// checkCycleRefs checks the segment, the listed accounts (live budget
// holders) and the owner (an active user), and fills their names.
func checkCycleRefs(ctx context.Context, tx *writeTx, a *liaison.CycleActivity) error {
	var v liaison.Validation
	a.SegmentName, a.OwnerName = "", ""
	if a.SegmentID != nil {
		err := tx.QueryRowContext(ctx, `SELECT name FROM segments WHERE id = $1`+tx.db.dialect.forShare,
			*a.SegmentID).Scan(&a.SegmentName)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "segment_id", "segment")
		} else if err != nil {
			return fmt.Errorf("check cycle segment: %w", err)
		}
	}
	for i, id := range a.OrganisationIDs {
		var holder bool
		err := tx.QueryRowContext(ctx, `SELECT budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
			id).Scan(&holder)
		f := fmt.Sprintf("organisation_ids[%d]", i)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, f, "unit")
		case err != nil:
			return fmt.Errorf("check cycle account: %w", err)
		case !holder:
			v.Add(f, liaison.CodeInvalid, "cycle.error.needs_account", "is not a customer account (a budget-holding unit)")
		}
	}
	if a.OwnerID != nil {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active, name FROM users WHERE id = $1`, *a.OwnerID).Scan(&active, &a.OwnerName)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "owner_id", "user")
		case err != nil:
			return fmt.Errorf("check cycle owner: %w", err)
		case !active:
			v.Add("owner_id", liaison.CodeInvalid, "cycle.error.owner_inactive", "is a deactivated user")
		}
	}
	return v.Err()
}

func writeCycleAccounts(ctx context.Context, tx *writeTx, a *liaison.CycleActivity) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM cycle_activity_accounts WHERE activity_id = $1`, a.ID); err != nil {
		return fmt.Errorf("write cycle accounts: %w", err)
	}
	for i, id := range a.OrganisationIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cycle_activity_accounts (activity_id, organisation_id, position) VALUES ($1, $2, $3)`,
			a.ID, id, i); err != nil {
			return fmt.Errorf("write cycle accounts: %w", err)
		}
	}
	return nil
}

func cycleSearchText(a *liaison.CycleActivity) string {
	return liaison.SearchText(a.Title, a.Description, a.OwnerName, a.SegmentName)
}

// CreateCycleActivity stores a new activity. Its tasks are generated by
// GenerateCycleTasks (the app calls it right after, the job daily).
func (db *DB) CreateCycleActivity(ctx context.Context, a *liaison.CycleActivity) error {
	n := *a
	n.OrganisationIDs = append([]string(nil), a.OrganisationIDs...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkCycleRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO cycle_activities (id, title, description, kind, recurrence, month, day, on_date,
			scope, segment_id, owner_id, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
			n.ID, n.Title, n.Description, n.Kind, n.Recurrence, n.Month, n.Day, nullPtr(n.OnDate), n.Scope, nullPtr(n.SegmentID),
			nullPtr(n.OwnerID), cycleSearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create cycle activity: %w", err)
		}
		if err := writeCycleAccounts(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectCycleActivity, subjectID: n.ID,
			summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// dropFutureTasks removes the activity's generated tasks that nobody has
// touched yet: open, due today or later, version 1. They carry no one's
// work, so the next generation may lay them anew from the definition as
// it now stands; done, cancelled, past or edited tasks stay as they are.
func dropFutureTasks(ctx context.Context, tx *writeTx, id string, today time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM actions WHERE cycle_activity_id = $1 AND status = 'open' AND version = 1
		AND deleted_at IS NULL AND due_date >= $2`, id, liaison.FormatDate(liaison.DateOf(today)))
	if err != nil {
		return 0, fmt.Errorf("drop future cycle tasks: %w", err)
	}
	return rowsAffected(res)
}

// UpdateCycleActivity replaces the activity's fields and drops its
// untouched future tasks when its schedule, scope, owner or wording changed.
func (db *DB) UpdateCycleActivity(ctx context.Context, a *liaison.CycleActivity, ifVersion int, today time.Time) error {
	n := *a
	n.OrganisationIDs = append([]string(nil), a.OrganisationIDs...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findCycleActivity(ctx, tx, n.ID, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := checkCycleRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE cycle_activities SET title = $1, description = $2, kind = $3, recurrence = $4,
			month = $5, day = $6, on_date = $7, scope = $8, segment_id = $9, owner_id = $10, search_text = $11, version = $12,
			updated_at = $13 WHERE id = $14 AND version = $15 AND deleted_at IS NULL`,
			n.Title, n.Description, n.Kind, n.Recurrence, n.Month, n.Day, nullPtr(n.OnDate), n.Scope, nullPtr(n.SegmentID),
			nullPtr(n.OwnerID), cycleSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update cycle activity %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := writeCycleAccounts(ctx, tx, &n); err != nil {
			return err
		}
		if cycleTasksChange(cur, &n) {
			if _, err := dropFutureTasks(ctx, tx, n.ID, today); err != nil {
				return err
			}
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectCycleActivity, subjectID: n.ID,
			summary: n.Title, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// cycleTasksChange reports whether an edit changes the tasks the activity
// generates: their dates, accounts, owner, title or description.
func cycleTasksChange(cur, n *liaison.CycleActivity) bool {
	return cur.Title != n.Title || cur.Description != n.Description || cur.Recurrence != n.Recurrence ||
		cur.Month != n.Month || cur.Day != n.Day || deref(cur.OnDate) != deref(n.OnDate) || cur.Scope != n.Scope ||
		deref(cur.SegmentID) != deref(n.SegmentID) || deref(cur.OwnerID) != deref(n.OwnerID) ||
		strings.Join(cur.OrganisationIDs, ",") != strings.Join(n.OrganisationIDs, ",")
}

// DeleteCycleActivity moves an activity to the trash and drops its untouched future tasks.
func (db *DB) DeleteCycleActivity(ctx context.Context, id string, ifVersion int, today time.Time) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findCycleActivity(ctx, tx, id, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE cycle_activities SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete cycle activity %s: %w", id, err)
		}
		if _, err := dropFutureTasks(ctx, tx, id, today); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectCycleActivity, subjectID: id,
			summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreCycleActivity brings an activity back from the trash; the next
// generation lays its tasks again.
func (db *DB) RestoreCycleActivity(ctx context.Context, id string) (*liaison.CycleActivity, error) {
	var restored *liaison.CycleActivity
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findCycleActivity(ctx, tx, id, true, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE cycle_activities SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore cycle activity %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectCycleActivity, subjectID: id,
			summary: cur.Title, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// cycleAccount is an account in an activity's scope.
type cycleAccount struct {
	id, name string
	manager  sql.NullString
}

// scopeAccounts lists the live accounts an activity applies to.
func scopeAccounts(ctx context.Context, q queryer, a *liaison.CycleActivity) ([]cycleAccount, error) {
	src := `SELECT o.id, o.name, o.relationship_manager_id FROM organisations o WHERE o.budget_holder = TRUE AND o.deleted_at IS NULL`
	var args []any
	switch a.Scope {
	case liaison.ScopeSegment:
		src += ` AND o.segment_id = $1`
		args = append(args, deref(a.SegmentID))
	case liaison.ScopeAccounts:
		src += ` AND o.id IN (SELECT organisation_id FROM cycle_activity_accounts WHERE activity_id = $1)`
		args = append(args, a.ID)
	}
	rows, err := q.QueryContext(ctx, src+` ORDER BY o.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cycle accounts: %w", err)
	}
	defer rows.Close()
	var out []cycleAccount
	for rows.Next() {
		var c cycleAccount
		if err := rows.Scan(&c.id, &c.name, &c.manager); err != nil {
			return nil, fmt.Errorf("cycle accounts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// cycleTaskRecord is what the audit trail keeps of a generated task.
type cycleTaskRecord struct {
	ID              string  `json:"id"`
	Title           string  `json:"title"`
	OrganisationID  string  `json:"organisation_id"`
	CycleActivityID string  `json:"cycle_activity_id"`
	OwnerID         *string `json:"owner_id"`
	DueDate         string  `json:"due_date"`
	Status          string  `json:"status"`
}

// GenerateCycleTasks creates the missing tasks of one activity or of all,
// one transaction per activity so the writer is never held long.
func (db *DB) GenerateCycleTasks(ctx context.Context, id string, from, to time.Time) (int, error) {
	var ids []string
	if id != "" {
		ids = []string{id}
	} else {
		rows, err := db.ro.QueryContext(ctx, `SELECT id FROM cycle_activities WHERE deleted_at IS NULL ORDER BY id`)
		if err != nil {
			return 0, fmt.Errorf("generate cycle tasks: %w", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return 0, fmt.Errorf("generate cycle tasks: %w", err)
			}
			ids = append(ids, s)
		}
		if err := closeRows(rows); err != nil {
			return 0, fmt.Errorf("generate cycle tasks: %w", err)
		}
	}
	total := 0
	for _, aid := range ids {
		n, err := db.generateActivity(ctx, aid, from, to)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func (db *DB) generateActivity(ctx context.Context, id string, from, to time.Time) (int, error) {
	created := 0
	err := db.write(ctx, func(tx *writeTx) error {
		created = 0
		a, err := findCycleActivity(ctx, tx, id, false, tx.db.dialect.forShare)
		if err != nil {
			return err
		}
		dates := a.Dates(from, to)
		if len(dates) == 0 {
			return nil
		}
		accounts, err := scopeAccounts(ctx, tx, a)
		if err != nil {
			return err
		}
		// The tasks already there, trashed ones too: a task someone put in
		// the trash is not laid again.
		have := map[string]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT organisation_id, due_date FROM actions WHERE cycle_activity_id = $1
			AND due_date >= $2 AND due_date <= $3`, id, liaison.FormatDate(dates[0]), liaison.FormatDate(dates[len(dates)-1]))
		if err != nil {
			return fmt.Errorf("generate cycle tasks: %w", err)
		}
		for rows.Next() {
			var org, due string
			if err := rows.Scan(&org, &due); err != nil {
				rows.Close()
				return fmt.Errorf("generate cycle tasks: %w", err)
			}
			have[org+"|"+due] = true
		}
		if err := closeRows(rows); err != nil {
			return fmt.Errorf("generate cycle tasks: %w", err)
		}
		for _, acc := range accounts {
			for _, d := range dates {
				due := liaison.FormatDate(d)
				if have[acc.id+"|"+due] {
					continue
				}
				owner := a.OwnerID
				if owner == nil {
					owner = strPtr(acc.manager)
				}
				t := cycleTaskRecord{ID: newID(), Title: a.Title, OrganisationID: acc.id, CycleActivityID: a.ID, OwnerID: owner,
					DueDate: due, Status: "open"}
				// ON CONFLICT DO NOTHING: a concurrent generation (another
				// instance's job) that laid the task first wins quietly.
				res, err := tx.ExecContext(ctx, `INSERT INTO actions (id, title, description, organisation_id, cycle_activity_id,
					owner_id, due_date, status, search_text, version, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, 1, $9, $9) ON CONFLICT DO NOTHING`,
					t.ID, t.Title, a.Description, acc.id, a.ID, nullPtr(owner), due,
					liaison.SearchText(a.Title, a.Description, acc.name), tx.t(tx.now))
				if err != nil {
					return fmt.Errorf("generate cycle task: %w", err)
				}
				if k, err := rowsAffected(res); err != nil {
					return err
				} else if k == 0 {
					continue
				}
				created++
				if err := tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectCycleTask, subjectID: t.ID,
					organisationID: acc.id, summary: t.Title + " " + due, after: &t}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return created, err
}

// maxCycleTasks caps a year view's tasks: twelve months of a portfolio.
const maxCycleTasks = 20000

// FindCycleTasks lists generated tasks (live actions) by due date.
func (db *DB) FindCycleTasks(ctx context.Context, f liaison.CycleTaskFilter) ([]*liaison.CycleTask, error) {
	q := query{d: db.dialect}
	q.and("t.cycle_activity_id IS NOT NULL")
	q.and("t.deleted_at IS NULL")
	if f.OrganisationID != "" {
		q.and("t.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.ActivityID != "" {
		q.and("t.cycle_activity_id = " + q.arg(f.ActivityID))
	}
	if f.From != "" {
		q.and("t.due_date >= " + q.arg(f.From))
	}
	if f.To != "" {
		q.and("t.due_date <= " + q.arg(f.To))
	}
	limit := f.Limit
	if limit <= 0 || limit > maxCycleTasks {
		limit = maxCycleTasks
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT t.id, t.cycle_activity_id, c.title, c.kind, c.recurrence, t.organisation_id,
		COALESCE(o.name, ''), t.owner_id, COALESCE(u.name, ''), t.title, t.due_date, t.status
		FROM actions t JOIN cycle_activities c ON c.id = t.cycle_activity_id
		LEFT JOIN organisations o ON o.id = t.organisation_id LEFT JOIN users u ON u.id = t.owner_id`+
		q.whereClause()+` ORDER BY t.due_date, c.title, o.name, t.id LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find cycle tasks: %w", err)
	}
	return collectRows(rows, func(sc scanner) (*liaison.CycleTask, error) {
		var t liaison.CycleTask
		var org, owner sql.NullString
		if err := sc.Scan(&t.ID, &t.ActivityID, &t.ActivityTitle, &t.Kind, &t.Recurrence, &org, &t.OrganisationName, &owner,
			&t.OwnerName, &t.Title, &t.DueDate, &t.Status); err != nil {
			return nil, err
		}
		t.OrganisationID, t.OwnerID = org.String, strPtr(owner)
		return &t, nil
	})
}
