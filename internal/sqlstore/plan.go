package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Audit subject types of the account plan.
const (
	subjectAccountPlan  = "account_plan"
	subjectPlanTemplate = "plan_template"
)

var _ liaison.PlanStore = (*DB)(nil)

// nullStrCol scans a nullable text column into a *string in place.
type nullStrCol struct{ s **string }

func (c nullStrCol) Scan(src any) error {
	var n sql.NullString
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.s = strPtr(n)
	return nil
}

// planAccount reads the name and segment of a live customer account:
// ENOTFOUND for a missing unit, EINVALID for a unit that is no account.
func planAccount(ctx context.Context, q queryer, id string) (name string, err error) {
	var holder bool
	err = q.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`, id).Scan(&name, &holder)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("organisation", id)
	} else if err != nil {
		return "", fmt.Errorf("find account %s: %w", id, err)
	}
	if !holder {
		return "", &liaison.Error{Code: liaison.EINVALID, Message: "the unit is not a customer account: only accounts have a plan",
			Key: "plan.error.not_account", Fields: []liaison.FieldError{{Field: "organisation_id", Code: liaison.CodeInvalid,
				Message: "is not a customer account (budget holder)", Key: "plan.error.not_account"}}}
	}
	return name, nil
}

// findAccount checks that id is a live customer account.
func findAccount(ctx context.Context, q queryer, id string) (string, error) {
	return planAccount(ctx, q, id)
}

func findAccountPlan(ctx context.Context, q queryer, id string) (*liaison.AccountPlan, error) {
	name, err := planAccount(ctx, q, id)
	if err != nil {
		return nil, err
	}
	p := &liaison.AccountPlan{OrganisationID: id, OrganisationName: name}
	var by sql.NullString
	var raw string
	var at liaison.AccountPlan
	err = q.QueryRowContext(ctx, `SELECT p.version, p.updated_at, p.updated_by_id, p.updated_by_name, v.sections_json
		FROM account_plans p JOIN account_plan_versions v ON v.organisation_id = p.organisation_id AND v.number = p.version
		WHERE p.organisation_id = $1`, id).Scan(&p.Version, nullTimeCol{&at.UpdatedAt}, &by, &p.UpdatedByName, &raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		p.Sections.Normalize()
		return p, nil
	case err != nil:
		return nil, fmt.Errorf("find plan of %s: %w", id, err)
	}
	p.UpdatedAt, p.UpdatedByID = at.UpdatedAt, strPtr(by)
	if err := json.Unmarshal([]byte(raw), &p.Sections); err != nil {
		return nil, fmt.Errorf("read plan of %s: %w", id, err)
	}
	p.Sections.Normalize()
	return p, nil
}

// FindAccountPlan returns the account's current plan (version 0 when never saved).
func (db *DB) FindAccountPlan(ctx context.Context, id string) (*liaison.AccountPlan, error) {
	return findAccountPlan(ctx, db.ro, id)
}

// planServices reads the services that ids name.
func planServices(ctx context.Context, q queryer, ids []string) (map[string]*liaison.Service, error) {
	m := map[string]*liaison.Service{}
	if len(ids) == 0 {
		return m, nil
	}
	marks, args := make([]string, len(ids)), make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name, status FROM services WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("plan services: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s liaison.Service
		if err := rows.Scan(&s.ID, &s.Name, &s.Status); err != nil {
			return nil, fmt.Errorf("plan services: %w", err)
		}
		m[s.ID] = &s
	}
	return m, rows.Err()
}

// SaveAccountPlan stores the plan's next version with its items.
func (db *DB) SaveAccountPlan(ctx context.Context, p *liaison.AccountPlan, ifVersion int) error {
	n := *p
	n.Sections.Normalize()
	if err := n.Sections.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		var locked int
		// Lock the account's row: two first saves must not both pass.
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM organisations WHERE id = $1`+tx.db.dialect.forUpdate, n.OrganisationID).Scan(&locked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("organisation", n.OrganisationID)
		} else if err != nil {
			return fmt.Errorf("lock account %s: %w", n.OrganisationID, err)
		}
		cur, err := findAccountPlan(ctx, tx, n.OrganisationID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n.Sections.AssignIDs(newID)
		services, err := planServices(ctx, tx, n.Sections.ServiceIDs())
		if err != nil {
			return err
		}
		if err := liaison.CheckPlanMarketing(&cur.Sections, &n.Sections, services); err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		var author *string
		if actorID != "" {
			author = &actorID
		}
		added, removed, changed := liaison.CountPlanChanges(liaison.DiffPlans(&cur.Sections, &n.Sections))
		raw, err := json.Marshal(n.Sections)
		if err != nil {
			return err
		}
		n.Version, n.OrganisationName, n.UpdatedAt, n.UpdatedByID, n.UpdatedByName = cur.Version+1, cur.OrganisationName, &tx.now, author, actorName
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_plan_versions (organisation_id, number, sections_json, author_id,
			author_name, added, removed, changed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			n.OrganisationID, n.Version, string(raw), nullPtr(author), actorName, added, removed, changed, tx.t(tx.now)); err != nil {
			return fmt.Errorf("save plan version: %w", constraintError(err, "the plan has changed since you read it"))
		}
		if cur.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO account_plans (organisation_id, version, updated_at, updated_by_id, updated_by_name)
				VALUES ($1, $2, $3, $4, $5)`, n.OrganisationID, n.Version, tx.t(tx.now), nullPtr(author), actorName)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE account_plans SET version = $1, updated_at = $2, updated_by_id = $3, updated_by_name = $4
				WHERE organisation_id = $5`, n.Version, tx.t(tx.now), nullPtr(author), actorName, n.OrganisationID)
		}
		if err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_plan_items WHERE organisation_id = $1`, n.OrganisationID); err != nil {
			return fmt.Errorf("save plan items: %w", err)
		}
		for _, s := range liaison.PlanSectionList {
			for i, it := range *n.Sections.Items(s) {
				if _, err := tx.ExecContext(ctx, `INSERT INTO account_plan_items (organisation_id, item_id, section, position, title,
					due_date, note, service_id, override_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
					n.OrganisationID, it.ID, string(s), i, it.Title, nullPtr(it.Date), it.Note, nullPtr(it.ServiceID), it.OverrideReason); err != nil {
					return fmt.Errorf("save plan item: %w", constraintError(err, "two items share an id"))
				}
			}
		}
		action := liaison.ActionUpdate
		if cur.Version == 0 {
			action = liaison.ActionCreate
		}
		summary := fmt.Sprintf("%s: version %d (%d added, %d removed, %d changed)", n.OrganisationName, n.Version, added, removed, changed)
		return tx.audit(ctx, change{action: action, subjectType: subjectAccountPlan, subjectID: n.OrganisationID,
			organisationID: n.OrganisationID, summary: summary, before: planAuditBody(cur), after: planAuditBody(&n)})
	})
	if err != nil {
		return err
	}
	*p = n
	return nil
}

// planAuditBody is what the audit trail keeps of a plan: its version and
// sections (nil for a plan never saved).
func planAuditBody(p *liaison.AccountPlan) any {
	if p.Version == 0 {
		return nil
	}
	return struct {
		Version  int                  `json:"plan_version"`
		Sections liaison.PlanSections `json:"sections"`
	}{p.Version, p.Sections}
}

var planVersionOrder = sortOrder{key: "-number", column: "number", desc: true}

func scanPlanVersion(sc scanner) (*liaison.PlanVersion, error) {
	var v liaison.PlanVersion
	var author sql.NullString
	var raw string
	if err := sc.Scan(&v.OrganisationID, &v.Number, &raw, &author, &v.AuthorName, &v.Added, &v.Removed, &v.Changed,
		timeCol{&v.CreatedAt}); err != nil {
		return nil, err
	}
	v.AuthorID = strPtr(author)
	if err := json.Unmarshal([]byte(raw), &v.Sections); err != nil {
		return nil, fmt.Errorf("read plan version: %w", err)
	}
	v.Sections.Normalize()
	return &v, nil
}

const planVersionColumns = `organisation_id, number, sections_json, author_id, author_name, added, removed, changed, created_at`

// FindPlanVersions lists a plan's versions, newest first.
func (db *DB) FindPlanVersions(ctx context.Context, f liaison.PlanVersionFilter) ([]*liaison.PlanVersion, string, error) {
	if _, err := planAccount(ctx, db.ro, f.OrganisationID); err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, planVersionOrder)
	if err != nil {
		return nil, "", err
	}
	q := query{d: db.dialect}
	q.and("organisation_id = " + q.arg(f.OrganisationID))
	if c != nil {
		before, err := strconv.Atoi(c.Value)
		if err != nil || before < 1 || before > 1<<30 {
			return nil, "", badCursor()
		}
		q.and("number < " + q.arg(before))
	}
	limit := pageLimit(f.Limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+planVersionColumns+` FROM account_plan_versions
		WHERE `+strings.Join(q.where, " AND ")+` ORDER BY number DESC LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find plan versions: %w", err)
	}
	vs, err := collectRows(rows, scanPlanVersion)
	if err != nil {
		return nil, "", fmt.Errorf("find plan versions: %w", err)
	}
	next := ""
	if len(vs) > limit {
		vs = vs[:limit]
		last := vs[len(vs)-1]
		next = encodeCursor(planVersionOrder, strconv.Itoa(last.Number), last.OrganisationID)
	}
	return vs, next, nil
}

// FindPlanVersion returns version n of an account's plan.
func (db *DB) FindPlanVersion(ctx context.Context, id string, n int) (*liaison.PlanVersion, error) {
	if _, err := planAccount(ctx, db.ro, id); err != nil {
		return nil, err
	}
	v, err := scanPlanVersion(db.ro.QueryRowContext(ctx, `SELECT `+planVersionColumns+` FROM account_plan_versions
		WHERE organisation_id = $1 AND number = $2`, id, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("plan version", strconv.Itoa(n))
	} else if err != nil {
		return nil, fmt.Errorf("find plan version %d of %s: %w", n, id, err)
	}
	return v, nil
}

// FindPlanItems lists the dated items of live accounts' current plans due
// in the filter's period.
func (db *DB) FindPlanItems(ctx context.Context, f liaison.PlanItemFilter) ([]*liaison.PlanItemRow, error) {
	q := query{d: db.dialect}
	q.and("o.deleted_at IS NULL")
	q.and("o.budget_holder = " + q.arg(true))
	q.and("i.due_date IS NOT NULL")
	if f.From != "" {
		q.and("i.due_date >= " + q.arg(f.From))
	}
	if f.To != "" {
		q.and("i.due_date <= " + q.arg(f.To))
	}
	if f.Section != "" {
		q.and("i.section = " + q.arg(string(f.Section)))
	}
	if f.ManagerID != "" {
		q.and("o.relationship_manager_id = " + q.arg(f.ManagerID))
	}
	if f.SegmentID != "" {
		q.and("o.segment_id = " + q.arg(f.SegmentID))
	}
	limit := f.Limit
	if limit <= 0 || limit > liaison.MaxPlanAnalysis {
		limit = liaison.MaxPlanAnalysis
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT o.id, o.name, o.relationship_manager_id, COALESCE(u.name, ''), o.segment_id,
		COALESCE(s.name, ''), i.section, i.item_id, i.title, i.due_date, i.note, i.service_id, i.override_reason
		FROM account_plan_items i JOIN organisations o ON o.id = i.organisation_id
		LEFT JOIN users u ON u.id = o.relationship_manager_id LEFT JOIN segments s ON s.id = o.segment_id
		WHERE `+strings.Join(q.where, " AND ")+` ORDER BY i.due_date, o.name, o.id, i.position LIMIT `+q.arg(limit), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find plan items: %w", err)
	}
	out, err := collectRows(rows, func(sc scanner) (*liaison.PlanItemRow, error) {
		var r liaison.PlanItemRow
		var mgr, seg, date, svc sql.NullString
		if err := sc.Scan(&r.OrganisationID, &r.OrganisationName, &mgr, &r.ManagerName, &seg, &r.SegmentName, &r.Section,
			&r.Item.ID, &r.Item.Title, &date, &r.Item.Note, &svc, &r.Item.OverrideReason); err != nil {
			return nil, err
		}
		r.ManagerID, r.SegmentID, r.Item.Date, r.Item.ServiceID = strPtr(mgr), strPtr(seg), strPtr(date), strPtr(svc)
		return &r, nil
	})
	if err != nil {
		return nil, fmt.Errorf("find plan items: %w", err)
	}
	return out, nil
}

func planTemplateID(segmentID string) string {
	if segmentID == "" {
		return "default"
	}
	return segmentID
}

const planTemplateColumns = `t.segment_id, COALESCE(s.name, ''), t.sections_json, t.version, t.updated_at`

func scanPlanTemplate(sc scanner) (*liaison.PlanTemplate, error) {
	var t liaison.PlanTemplate
	var seg sql.NullString
	var raw string
	if err := sc.Scan(&seg, &t.SegmentName, &raw, &t.Version, nullTimeCol{&t.UpdatedAt}); err != nil {
		return nil, err
	}
	t.SegmentID = strPtr(seg)
	if err := json.Unmarshal([]byte(raw), &t.Sections); err != nil {
		return nil, fmt.Errorf("read plan template: %w", err)
	}
	t.Normalize()
	return &t, nil
}

func findPlanTemplate(ctx context.Context, q queryer, segmentID string) (*liaison.PlanTemplate, error) {
	t, err := scanPlanTemplate(q.QueryRowContext(ctx, `SELECT `+planTemplateColumns+`
		FROM plan_templates t LEFT JOIN segments s ON s.id = t.segment_id WHERE t.id = $1`, planTemplateID(segmentID)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("plan template", planTemplateID(segmentID))
	} else if err != nil {
		return nil, fmt.Errorf("find plan template: %w", err)
	}
	return t, nil
}

// FindPlanTemplate returns a stored template ("" the default).
func (db *DB) FindPlanTemplate(ctx context.Context, segmentID string) (*liaison.PlanTemplate, error) {
	return findPlanTemplate(ctx, db.ro, segmentID)
}

// FindPlanTemplates lists the stored templates, the default first, then by segment name.
func (db *DB) FindPlanTemplates(ctx context.Context) ([]*liaison.PlanTemplate, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+planTemplateColumns+` FROM plan_templates t LEFT JOIN segments s ON s.id = t.segment_id
		ORDER BY CASE WHEN t.segment_id IS NULL THEN 0 ELSE 1 END, s.name, t.id`)
	if err != nil {
		return nil, fmt.Errorf("find plan templates: %w", err)
	}
	ts, err := collectRows(rows, scanPlanTemplate)
	if err != nil {
		return nil, fmt.Errorf("find plan templates: %w", err)
	}
	return ts, nil
}

// SavePlanTemplate stores a template when ifVersion is its current version.
func (db *DB) SavePlanTemplate(ctx context.Context, t *liaison.PlanTemplate, ifVersion int) error {
	n := *t
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	seg := deref(n.SegmentID)
	return db.write(ctx, func(tx *writeTx) error {
		if seg != "" {
			err := tx.QueryRowContext(ctx, `SELECT name FROM segments WHERE id = $1`, seg).Scan(&n.SegmentName)
			if errors.Is(err, sql.ErrNoRows) {
				var v liaison.Validation
				unknownRef(&v, "segment_id", "segment")
				return v.Err()
			} else if err != nil {
				return fmt.Errorf("find segment %s: %w", seg, err)
			}
		}
		cur, err := findPlanTemplate(ctx, tx, seg)
		if err != nil && liaison.ErrorCode(err) != liaison.ENOTFOUND {
			return err
		}
		version := 0
		if cur != nil {
			version = cur.Version
		}
		if version != ifVersion {
			return stale(version)
		}
		raw, err := json.Marshal(n.Sections)
		if err != nil {
			return err
		}
		n.Version, n.UpdatedAt = version+1, &tx.now
		if cur == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO plan_templates (id, segment_id, sections_json, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, planTemplateID(seg), nullPtr(n.SegmentID), string(raw), n.Version, tx.t(tx.now), tx.t(tx.now))
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE plan_templates SET sections_json = $1, version = $2, updated_at = $3 WHERE id = $4`,
				string(raw), n.Version, tx.t(tx.now), planTemplateID(seg))
		}
		if err != nil {
			return fmt.Errorf("save plan template: %w", constraintError(err, "the template has changed since you read it"))
		}
		action := liaison.ActionUpdate
		if cur == nil {
			action = liaison.ActionCreate
		}
		name := "default"
		if seg != "" {
			name = n.SegmentName
		}
		if err := tx.audit(ctx, change{action: action, subjectType: subjectPlanTemplate, subjectID: planTemplateID(seg),
			summary: "Account plan template: " + name, before: cur, after: &n}); err != nil {
			return err
		}
		*t = n
		return nil
	})
}

// DeletePlanTemplate removes a segment's template.
func (db *DB) DeletePlanTemplate(ctx context.Context, segmentID string) error {
	if segmentID == "" {
		return &liaison.Error{Code: liaison.EINVALID, Message: "the default template cannot be removed; edit it instead", Key: "plan.error.default_template"}
	}
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findPlanTemplate(ctx, tx, segmentID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM plan_templates WHERE id = $1`, planTemplateID(segmentID)); err != nil {
			return fmt.Errorf("delete plan template: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectPlanTemplate, subjectID: planTemplateID(segmentID),
			summary: "Account plan template: " + cur.SegmentName, before: cur})
	})
}
