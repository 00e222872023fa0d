package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Audit subject types of projects (SPEC C10).
const (
	subjectProject       = "project"
	subjectBoardMember   = "board_member"
	subjectGuideDelivery = "guide_delivery"
	subjectLesson        = "lesson"
)

var _ liaison.ProjectStore = (*DB)(nil)

// projectSource joins a project with its account's and manager's names.
// Lists page over it with alias x.
const projectSource = `(SELECT p.id, p.organisation_id, p.name, p.description, p.project_manager_id, p.status, p.phase, p.health,
	p.health_note, p.health_changed_at, p.start_date, p.end_date, p.tool_url, p.internal_note, p.agreed_at, p.guide_reviewed_on,
	p.guide_meeting_id, p.search_text, p.version, p.created_at, p.updated_at, p.deleted_at,
	COALESCE(o.name, '') AS organisation_name, COALESCE(u.name, '') AS project_manager_name
	FROM projects p LEFT JOIN organisations o ON o.id = p.organisation_id LEFT JOIN users u ON u.id = p.project_manager_id) x`

const projectColumns = `x.id, x.organisation_id, x.name, x.description, x.project_manager_id, x.status, x.phase, x.health,
	x.health_note, x.health_changed_at, x.start_date, x.end_date, x.tool_url, x.internal_note, x.agreed_at, x.guide_reviewed_on,
	x.guide_meeting_id, x.version, x.created_at, x.updated_at, x.deleted_at, x.organisation_name, x.project_manager_name`

func scanProject(sc scanner) (*liaison.Project, error) {
	var p liaison.Project
	var org, pm, meeting sql.NullString
	if err := sc.Scan(&p.ID, &org, &p.Name, &p.Description, &pm, &p.Status, &p.Phase, &p.Health, &p.HealthNote,
		nullTimeCol{&p.HealthChangedAt}, &p.StartDate, &p.EndDate, &p.ToolURL, &p.InternalNote, nullTimeCol{&p.AgreedAt},
		&p.GuideReviewedOn, &meeting, &p.Version, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}, nullTimeCol{&p.DeletedAt},
		&p.OrganisationName, &p.ProjectManagerName); err != nil {
		return nil, err
	}
	p.OrganisationID, p.ProjectManagerID, p.GuideMeetingID = strPtr(org), strPtr(pm), strPtr(meeting)
	return &p, nil
}

func findProject(ctx context.Context, q queryer, id string, trashed bool) (*liaison.Project, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	p, err := scanProject(q.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM `+projectSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("project", id)
	} else if err != nil {
		return nil, fmt.Errorf("find project %s: %w", id, err)
	}
	return p, nil
}

// lockProject locks a project's row and returns it as it stands.
func lockProject(ctx context.Context, tx *writeTx, id string, trashed bool) (*liaison.Project, error) {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM projects WHERE id = $1`+live+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("project", id)
	} else if err != nil {
		return nil, fmt.Errorf("lock project %s: %w", id, err)
	}
	return findProject(ctx, tx, id, trashed)
}

// FindProjectByID returns a live project.
func (db *DB) FindProjectByID(ctx context.Context, id string) (*liaison.Project, error) {
	return findProject(ctx, db.ro, id, false)
}

// FindProjects lists projects (the trash with f.Trashed).
func (db *DB) FindProjects(ctx context.Context, f liaison.ProjectFilter) ([]*liaison.Project, string, error) {
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
		q.and("x.deleted_at IS NOT NULL")
	} else {
		q.and("x.deleted_at IS NULL")
	}
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.Live {
		q.and("x.status IN ('proposed', 'agreed', 'in_progress')")
	}
	if f.Health != "" {
		q.and("x.health = " + q.arg(string(f.Health)))
	}
	if f.ProjectManagerID != "" {
		q.and("x.project_manager_id = " + q.arg(f.ProjectManagerID))
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+projectColumns+` FROM `+projectSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find projects: %w", err)
	}
	ps, err := collectRows(rows, scanProject)
	if err != nil {
		return nil, "", fmt.Errorf("find projects: %w", err)
	}
	ps, next := nextPage(ps, limit, s, func(p *liaison.Project) (string, string) {
		return sortValue(s, p.Name, p.CreatedAt, p.UpdatedAt), p.ID
	})
	return ps, next, nil
}

// checkProjectRefs checks the account (a live budget holder) and the
// project manager (an active user), filling their names.
func checkProjectRefs(ctx context.Context, tx *writeTx, p *liaison.Project) error {
	var v liaison.Validation
	p.OrganisationName, p.ProjectManagerName = "", ""
	if p.OrganisationID != nil {
		var holder bool
		err := tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
			*p.OrganisationID).Scan(&p.OrganisationName, &holder)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "organisation_id", "unit")
		case err != nil:
			return fmt.Errorf("check project account: %w", err)
		case !holder:
			v.Add("organisation_id", liaison.CodeInvalid, "project.error.needs_account", "is not a customer account (a budget-holding unit)")
		}
	}
	if p.ProjectManagerID != nil {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active, name FROM users WHERE id = $1`, *p.ProjectManagerID).Scan(&active, &p.ProjectManagerName)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			unknownRef(&v, "project_manager_id", "user")
		case err != nil:
			return fmt.Errorf("check project manager: %w", err)
		case !active:
			v.Add("project_manager_id", liaison.CodeInvalid, "project.error.manager_inactive", "is a deactivated user")
		}
	}
	return v.Err()
}

func projectSearchText(p *liaison.Project) string {
	return liaison.SearchText(p.Name, p.Description, p.Phase, p.OrganisationName, p.ProjectManagerName)
}

// projectAccount is the unit a project's audit rows belong to.
func projectAccount(p *liaison.Project) string { return deref(p.OrganisationID) }

// addHealth writes a health history entry in tx.
func addHealth(ctx context.Context, tx *writeTx, p *liaison.Project) error {
	actorID, _, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	var by any
	if actorID != "" {
		by = actorID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO project_health (id, project_id, health, note, changed_by_id, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		newID(), p.ID, p.Health, p.HealthNote, by, tx.t(tx.now)); err != nil {
		return fmt.Errorf("record project health: %w", err)
	}
	return nil
}

// CreateProject stores a new project and its first health entry.
func (db *DB) CreateProject(ctx context.Context, p *liaison.Project) error {
	n := *p
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error { return insertProject(ctx, tx, &n) })
	if err != nil {
		return err
	}
	*p = n
	return nil
}

// insertProject writes a new project (normalised and valid) and its first
// health entry in tx.
func insertProject(ctx context.Context, tx *writeTx, p *liaison.Project) error {
	if err := checkProjectRefs(ctx, tx, p); err != nil {
		return err
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt, p.DeletedAt = newID(), 1, tx.now, tx.now, nil
	p.HealthChangedAt, p.AgreedAt, p.GuideReviewedOn, p.GuideMeetingID = &tx.now, nil, "", nil
	if p.Status == liaison.ProjectAgreed || p.Status == liaison.ProjectInProgress {
		p.AgreedAt = &tx.now
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO projects (id, organisation_id, name, description, project_manager_id, status, phase,
		health, health_note, health_changed_at, start_date, end_date, tool_url, internal_note, agreed_at, search_text, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $10, $10)`,
		p.ID, nullPtr(p.OrganisationID), p.Name, p.Description, nullPtr(p.ProjectManagerID), p.Status, p.Phase, p.Health, p.HealthNote,
		tx.t(tx.now), p.StartDate, p.EndDate, p.ToolURL, p.InternalNote, tx.nullTime(p.AgreedAt), projectSearchText(p), p.Version); err != nil {
		return fmt.Errorf("create project: %w", err)
	}
	if err := addHealth(ctx, tx, p); err != nil {
		return err
	}
	return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectProject, subjectID: p.ID,
		organisationID: projectAccount(p), summary: p.Name, after: p})
}

// UpdateProject saves the project's fields, status and health.
func (db *DB) UpdateProject(ctx context.Context, p *liaison.Project, ifVersion int) error {
	n := *p
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockProject(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckProjectChange(cur, &n); err != nil {
			return err
		}
		if err := checkProjectRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.AgreedAt, n.GuideReviewedOn, n.GuideMeetingID, n.HealthChangedAt = cur.AgreedAt, cur.GuideReviewedOn, cur.GuideMeetingID, cur.HealthChangedAt
		if n.Status == liaison.ProjectAgreed && cur.Status != liaison.ProjectAgreed {
			n.AgreedAt = &tx.now
		}
		healthChanged := n.Health != cur.Health
		if healthChanged {
			n.HealthChangedAt = &tx.now
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE projects SET organisation_id = $1, name = $2, description = $3, project_manager_id = $4,
			status = $5, phase = $6, health = $7, health_note = $8, health_changed_at = $9, start_date = $10, end_date = $11, tool_url = $12,
			internal_note = $13, agreed_at = $14, search_text = $15, version = $16, updated_at = $17 WHERE id = $18 AND version = $19`,
			nullPtr(n.OrganisationID), n.Name, n.Description, nullPtr(n.ProjectManagerID), n.Status, n.Phase, n.Health, n.HealthNote,
			tx.nullTime(n.HealthChangedAt), n.StartDate, n.EndDate, n.ToolURL, n.InternalNote, tx.nullTime(n.AgreedAt),
			projectSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update project %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if healthChanged {
			if err := addHealth(ctx, tx, &n); err != nil {
				return err
			}
		}
		summary := n.Name
		switch {
		case cur.Status != n.Status:
			summary = fmt.Sprintf("%s: %s → %s", n.Name, cur.Status, n.Status)
		case healthChanged:
			summary = fmt.Sprintf("%s: %s → %s", n.Name, cur.Health, n.Health)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectProject, subjectID: n.ID,
			organisationID: projectAccount(&n), summary: summary, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*p = n
	return nil
}

// DeleteProject moves a project to the trash.
func (db *DB) DeleteProject(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := lockProject(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete project %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectProject, subjectID: id,
			organisationID: projectAccount(cur), summary: cur.Name, before: cur, after: &after})
	})
}

// RestoreProject brings a project back from the trash.
func (db *DB) RestoreProject(ctx context.Context, id string) (*liaison.Project, error) {
	var restored *liaison.Project
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockProject(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore project %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectProject, subjectID: id,
			organisationID: projectAccount(cur), summary: cur.Name, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// FindHealthChanges lists the project's health history, oldest first.
func (db *DB) FindHealthChanges(ctx context.Context, projectID string) ([]*liaison.HealthChange, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT h.id, h.project_id, h.health, h.note, h.changed_by_id, COALESCE(u.name, ''), h.changed_at
		FROM project_health h LEFT JOIN users u ON u.id = h.changed_by_id WHERE h.project_id = $1 ORDER BY h.changed_at, h.id`, projectID)
	if err != nil {
		return nil, fmt.Errorf("find project health: %w", err)
	}
	hs, err := collectRows(rows, func(sc scanner) (*liaison.HealthChange, error) {
		var h liaison.HealthChange
		var by sql.NullString
		if err := sc.Scan(&h.ID, &h.ProjectID, &h.Health, &h.Note, &by, &h.ChangedBy, timeCol{&h.ChangedAt}); err != nil {
			return nil, err
		}
		h.ChangedByID = strPtr(by)
		return &h, nil
	})
	if err != nil {
		return nil, fmt.Errorf("find project health: %w", err)
	}
	return hs, nil
}

// RecordGuideReview records the steering-group meeting where the guide was reviewed.
func (db *DB) RecordGuideReview(ctx context.Context, projectID, meetingID, on string) (*liaison.Project, error) {
	var out *liaison.Project
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockProject(ctx, tx, projectID, false)
		if err != nil {
			return err
		}
		after := *cur
		after.GuideReviewedOn, after.GuideMeetingID, after.Version, after.UpdatedAt = on, &meetingID, cur.Version+1, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET guide_reviewed_on = $1, guide_meeting_id = $2, version = $3, updated_at = $4 WHERE id = $5`,
			on, meetingID, after.Version, tx.t(tx.now), projectID); err != nil {
			return fmt.Errorf("record guide review: %w", err)
		}
		out = &after
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectProject, subjectID: projectID,
			organisationID: projectAccount(cur), summary: cur.Name + ": guide reviewed " + on, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ---------- board ----------

const boardColumns = `b.id, b.project_id, b.role, b.person_id, b.user_id, b.represents, b.note, b.created_at,
	COALESCE(pe.name, us.name, ''), COALESCE(pe.email, us.email, ''), COALESCE(pe.language, us.language, 'en')`

const boardSource = ` FROM project_board b LEFT JOIN people pe ON pe.id = b.person_id LEFT JOIN users us ON us.id = b.user_id`

func scanBoardMember(sc scanner) (*liaison.BoardMember, error) {
	var m liaison.BoardMember
	var person, user sql.NullString
	if err := sc.Scan(&m.ID, &m.ProjectID, &m.Role, &person, &user, &m.Represents, &m.Note, timeCol{&m.CreatedAt},
		&m.Name, &m.Email, &m.Language); err != nil {
		return nil, err
	}
	m.PersonID, m.UserID = strPtr(person), strPtr(user)
	return &m, nil
}

func findBoard(ctx context.Context, q queryer, projectID string) ([]*liaison.BoardMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+boardColumns+boardSource+` WHERE b.project_id = $1
		ORDER BY CASE b.role WHEN 'executive' THEN 0 WHEN 'senior_user' THEN 1 WHEN 'senior_supplier' THEN 2 ELSE 3 END, b.created_at, b.id`, projectID)
	if err != nil {
		return nil, fmt.Errorf("find board: %w", err)
	}
	ms, err := collectRows(rows, scanBoardMember)
	if err != nil {
		return nil, fmt.Errorf("find board: %w", err)
	}
	return ms, nil
}

// FindBoard lists the project's steering group by role.
func (db *DB) FindBoard(ctx context.Context, projectID string) ([]*liaison.BoardMember, error) {
	return findBoard(ctx, db.ro, projectID)
}

func findBoardMember(ctx context.Context, q queryer, projectID, id string) (*liaison.BoardMember, error) {
	m, err := scanBoardMember(q.QueryRowContext(ctx, `SELECT `+boardColumns+boardSource+` WHERE b.id = $1 AND b.project_id = $2`, id, projectID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("board member", id)
	} else if err != nil {
		return nil, fmt.Errorf("find board member %s: %w", id, err)
	}
	return m, nil
}

// FindBoardMember returns one seat of the board.
func (db *DB) FindBoardMember(ctx context.Context, projectID, id string) (*liaison.BoardMember, error) {
	return findBoardMember(ctx, db.ro, projectID, id)
}

// AddBoardMember seats a member on the project's board.
func (db *DB) AddBoardMember(ctx context.Context, m *liaison.BoardMember) error {
	n := *m
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		p, err := lockProject(ctx, tx, n.ProjectID, false)
		if err != nil {
			return err
		}
		var v liaison.Validation
		if n.PersonID != nil {
			err := tx.QueryRowContext(ctx, `SELECT name, email, language FROM people WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
				*n.PersonID).Scan(&n.Name, &n.Email, &n.Language)
			if errors.Is(err, sql.ErrNoRows) {
				unknownRef(&v, "person_id", "person")
			} else if err != nil {
				return fmt.Errorf("check board person: %w", err)
			}
		} else {
			var active bool
			err := tx.QueryRowContext(ctx, `SELECT name, email, language, active FROM users WHERE id = $1`, *n.UserID).Scan(&n.Name, &n.Email, &n.Language, &active)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				unknownRef(&v, "user_id", "user")
			case err != nil:
				return fmt.Errorf("check board user: %w", err)
			case !active:
				v.Add("user_id", liaison.CodeInvalid, "project.error.manager_inactive", "is a deactivated user")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		board, err := findBoard(ctx, tx, n.ProjectID)
		if err != nil {
			return err
		}
		if err := liaison.CheckBoard(board, &n); err != nil {
			return err
		}
		n.ID, n.CreatedAt = newID(), tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_board (id, project_id, role, person_id, user_id, represents, note, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, n.ID, n.ProjectID, n.Role, nullPtr(n.PersonID), nullPtr(n.UserID), n.Represents, n.Note,
			tx.t(tx.now)); err != nil {
			return fmt.Errorf("add board member: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectBoardMember, subjectID: n.ID,
			organisationID: projectAccount(p), summary: p.Name + " – " + n.Name + " (" + string(n.Role) + ")", after: &n})
	})
	if err != nil {
		return err
	}
	*m = n
	return nil
}

// RemoveBoardMember takes a member off the board; the audit trail keeps the seat.
func (db *DB) RemoveBoardMember(ctx context.Context, projectID, id string) error {
	return db.write(ctx, func(tx *writeTx) error {
		p, err := lockProject(ctx, tx, projectID, false)
		if err != nil {
			return err
		}
		cur, err := findBoardMember(ctx, tx, projectID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM project_board WHERE id = $1`, id); err != nil {
			return fmt.Errorf("remove board member %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectBoardMember, subjectID: id,
			organisationID: projectAccount(p), summary: p.Name + " – " + cur.Name + " (" + string(cur.Role) + ")", before: cur})
	})
}

// ---------- guide deliveries ----------

// RecordGuideDelivery records that the guide went to someone.
func (db *DB) RecordGuideDelivery(ctx context.Context, d *liaison.GuideDelivery) error {
	n := *d
	return db.write(ctx, func(tx *writeTx) error {
		p, err := lockProject(ctx, tx, n.ProjectID, false)
		if err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.SentByID, n.SentByName = nil, actorName
		if actorID != "" {
			n.SentByID = &actorID
		}
		n.ID, n.DeliveredAt = newID(), tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_guide_deliveries (id, project_id, occasion, member_id, person_id, user_id, role,
			recipient_name, recipient_email, language, sent_by_id, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			n.ID, n.ProjectID, n.Occasion, nullPtr(n.MemberID), nullPtr(n.PersonID), nullPtr(n.UserID), n.Role, n.RecipientName,
			n.RecipientEmail, n.Language, nullPtr(n.SentByID), tx.t(tx.now)); err != nil {
			return fmt.Errorf("record guide delivery: %w", err)
		}
		*d = n
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectGuideDelivery, subjectID: n.ID,
			organisationID: projectAccount(p), summary: p.Name + " – " + n.RecipientName, after: &n})
	})
}

// FindGuideDeliveries lists the project's deliveries, newest first.
func (db *DB) FindGuideDeliveries(ctx context.Context, projectID string) ([]*liaison.GuideDelivery, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT d.id, d.project_id, d.occasion, d.member_id, d.person_id, d.user_id, d.role, d.recipient_name,
		d.recipient_email, d.language, d.sent_by_id, COALESCE(u.name, ''), d.delivered_at
		FROM project_guide_deliveries d LEFT JOIN users u ON u.id = d.sent_by_id WHERE d.project_id = $1 ORDER BY d.delivered_at DESC, d.id DESC`, projectID)
	if err != nil {
		return nil, fmt.Errorf("find guide deliveries: %w", err)
	}
	ds, err := collectRows(rows, func(sc scanner) (*liaison.GuideDelivery, error) {
		var d liaison.GuideDelivery
		var member, person, user, by sql.NullString
		if err := sc.Scan(&d.ID, &d.ProjectID, &d.Occasion, &member, &person, &user, &d.Role, &d.RecipientName, &d.RecipientEmail,
			&d.Language, &by, &d.SentByName, timeCol{&d.DeliveredAt}); err != nil {
			return nil, err
		}
		d.MemberID, d.PersonID, d.UserID, d.SentByID = strPtr(member), strPtr(person), strPtr(user), strPtr(by)
		return &d, nil
	})
	if err != nil {
		return nil, fmt.Errorf("find guide deliveries: %w", err)
	}
	return ds, nil
}

// ---------- lessons ----------

const lessonColumns = `l.id, l.project_id, l.title, l.what_happened, l.recommendation, l.category, l.on_date, l.internal, l.author_id,
	COALESCE(a.name, ''), l.created_at`

func scanLesson(sc scanner) (*liaison.Lesson, error) {
	var l liaison.Lesson
	var author sql.NullString
	if err := sc.Scan(&l.ID, &l.ProjectID, &l.Title, &l.WhatHappened, &l.Recommendation, &l.Category, &l.On, &l.Internal, &author,
		&l.AuthorName, timeCol{&l.CreatedAt}); err != nil {
		return nil, err
	}
	l.AuthorID = strPtr(author)
	return &l, nil
}

func findLesson(ctx context.Context, q queryer, projectID, id string) (*liaison.Lesson, error) {
	l, err := scanLesson(q.QueryRowContext(ctx, `SELECT `+lessonColumns+` FROM project_lessons l LEFT JOIN users a ON a.id = l.author_id
		WHERE l.id = $1 AND l.project_id = $2`, id, projectID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("lesson", id)
	} else if err != nil {
		return nil, fmt.Errorf("find lesson %s: %w", id, err)
	}
	return l, nil
}

// FindLesson returns one lesson of a project.
func (db *DB) FindLesson(ctx context.Context, projectID, id string) (*liaison.Lesson, error) {
	return findLesson(ctx, db.ro, projectID, id)
}

// FindLessons lists the project's lessons, newest date first.
func (db *DB) FindLessons(ctx context.Context, projectID string) ([]*liaison.Lesson, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+lessonColumns+` FROM project_lessons l LEFT JOIN users a ON a.id = l.author_id
		WHERE l.project_id = $1 ORDER BY l.on_date DESC, l.created_at DESC, l.id DESC`, projectID)
	if err != nil {
		return nil, fmt.Errorf("find lessons: %w", err)
	}
	ls, err := collectRows(rows, scanLesson)
	if err != nil {
		return nil, fmt.Errorf("find lessons: %w", err)
	}
	return ls, nil
}

// CreateLesson adds a lesson, authored by the principal of ctx.
func (db *DB) CreateLesson(ctx context.Context, l *liaison.Lesson) error {
	n := *l
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		p, err := lockProject(ctx, tx, n.ProjectID, false)
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
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_lessons (id, project_id, title, what_happened, recommendation, category, on_date,
			internal, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, n.ID, n.ProjectID, n.Title, n.WhatHappened,
			n.Recommendation, n.Category, n.On, n.Internal, nullPtr(n.AuthorID), tx.t(tx.now)); err != nil {
			return fmt.Errorf("create lesson: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectLesson, subjectID: n.ID,
			organisationID: projectAccount(p), summary: p.Name + " – " + n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*l = n
	return nil
}

// DeleteLesson removes a lesson; the audit trail keeps it.
func (db *DB) DeleteLesson(ctx context.Context, projectID, id string) error {
	return db.write(ctx, func(tx *writeTx) error {
		p, err := lockProject(ctx, tx, projectID, false)
		if err != nil {
			return err
		}
		cur, err := findLesson(ctx, tx, projectID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM project_lessons WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete lesson %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectLesson, subjectID: id,
			organisationID: projectAccount(p), summary: p.Name + " – " + cur.Title, before: cur})
	})
}
