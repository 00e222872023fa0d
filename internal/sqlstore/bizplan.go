package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Customer business plans (SPEC C2): plan items of an account with their
// services; audited on the account so they show on its timeline.

const subjectBusinessPlan = "business_plan"

var _ liaison.BusinessPlanStore = (*DB)(nil)

const bizPlanSource = `(SELECT b.id, b.organisation_id, b.title, b.horizon, b.target_date, b.it_effect, b.source_url, b.review_date,
	b.status, b.owner_person_id, b.last_reviewed_on, b.last_reviewed_by_id, b.search_text, b.version, b.created_at, b.updated_at,
	b.deleted_at, o.name AS organisation_name, COALESCE(p.name, '') AS owner_person_name, COALESCE(u.name, '') AS reviewed_by_name,
	o.relationship_manager_id, o.deputy_id
	FROM business_plan_items b JOIN organisations o ON o.id = b.organisation_id LEFT JOIN people p ON p.id = b.owner_person_id
	LEFT JOIN users u ON u.id = b.last_reviewed_by_id) x`

const bizPlanColumns = `x.id, x.organisation_id, x.title, x.horizon, x.target_date, x.it_effect, x.source_url, x.review_date, x.status,
	x.owner_person_id, x.last_reviewed_on, x.last_reviewed_by_id, x.version, x.created_at, x.updated_at, x.deleted_at,
	x.organisation_name, x.owner_person_name, x.reviewed_by_name`

func scanBizPlan(sc scanner) (*liaison.BusinessPlanItem, error) {
	var b liaison.BusinessPlanItem
	var target, owner, reviewedOn, reviewedBy sql.NullString
	if err := sc.Scan(&b.ID, &b.OrganisationID, &b.Title, &b.Horizon, &target, &b.ITEffect, &b.SourceURL, &b.ReviewDate, &b.Status,
		&owner, &reviewedOn, &reviewedBy, &b.Version, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt}, nullTimeCol{&b.DeletedAt},
		&b.OrganisationName, &b.OwnerPersonName, &b.LastReviewedBy); err != nil {
		return nil, err
	}
	b.TargetDate, b.OwnerPersonID, b.LastReviewedOn, b.LastReviewedByID = strPtr(target), strPtr(owner), strPtr(reviewedOn), strPtr(reviewedBy)
	b.ServiceIDs = []string{}
	return &b, nil
}

// loadLinks fills one list of ids per record from link tables: each query
// answers (record id, referenced id) in order, and add files the pair.
func loadLinks(ctx context.Context, q queryer, ids []string, query func(in string) string, add func(id, ref string)) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for n, id := range ids {
		args[n] = id
		marks[n] = fmt.Sprintf("$%d", n+1)
	}
	rows, err := q.QueryContext(ctx, query(strings.Join(marks, ", ")), args...)
	if err != nil {
		return fmt.Errorf("load links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return fmt.Errorf("load links: %w", err)
		}
		add(id, ref)
	}
	return rows.Err()
}

func loadBizPlanServices(ctx context.Context, q queryer, bs ...*liaison.BusinessPlanItem) error {
	byID := make(map[string]*liaison.BusinessPlanItem, len(bs))
	ids := make([]string, 0, len(bs))
	for _, b := range bs {
		byID[b.ID] = b
		ids = append(ids, b.ID)
	}
	return loadLinks(ctx, q, ids, func(in string) string {
		return `SELECT item_id, service_id FROM business_plan_services WHERE item_id IN (` + in + `) ORDER BY item_id, position`
	}, func(id, ref string) { byID[id].ServiceIDs = append(byID[id].ServiceIDs, ref) })
}

// writeLinks replaces the rows of a link table owned by id.
func writeLinks(ctx context.Context, tx *writeTx, table, ownerCol, refCol, id string, refs []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+ownerCol+` = $1`, id); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	for n, ref := range refs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+ownerCol+`, `+refCol+`, position) VALUES ($1, $2, $3)`, id, ref, n); err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
	}
	return nil
}

func findBizPlan(ctx context.Context, q queryer, id string, trashed bool) (*liaison.BusinessPlanItem, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	b, err := scanBizPlan(q.QueryRowContext(ctx, `SELECT `+bizPlanColumns+` FROM `+bizPlanSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("business plan item", id)
	} else if err != nil {
		return nil, fmt.Errorf("find business plan item %s: %w", id, err)
	}
	return b, loadBizPlanServices(ctx, q, b)
}

// lockRow locks a row of table for the rest of the transaction; what names
// the record in a not-found error.
func lockRow(ctx context.Context, tx *writeTx, table, what, id string, trashed bool) error {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE id = $1`+live+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what, id)
	} else if err != nil {
		return fmt.Errorf("lock %s %s: %w", what, id, err)
	}
	return nil
}

// FindBusinessPlanItemByID returns a live plan item.
func (db *DB) FindBusinessPlanItemByID(ctx context.Context, id string) (*liaison.BusinessPlanItem, error) {
	return findBizPlan(ctx, db.ro, id, false)
}

// FindBusinessPlanItems lists plan items (the trash with f.Trashed). The
// name order is the title's; review_date orders by the review date.
func (db *DB) FindBusinessPlanItems(ctx context.Context, f liaison.BusinessPlanFilter) ([]*liaison.BusinessPlanItem, string, error) {
	var s sortOrder
	var err error
	switch f.Sort {
	case "review_date", "-review_date":
		s = sortOrder{key: f.Sort, column: "review_date", desc: f.Sort[0] == '-'}
	default:
		if s, err = parseSort(f.Sort); err != nil {
			return nil, "", err
		}
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
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.ReviewOverdue {
		q.and("x.status = 'active'")
		q.and("x.review_date < " + q.arg(f.Today))
	}
	if f.ManagerID != "" {
		m := q.arg(f.ManagerID)
		q.and("(x.relationship_manager_id = " + m + " OR x.deputy_id = " + m + ")")
	}
	if f.ServiceID != "" {
		q.and("x.id IN (SELECT item_id FROM business_plan_services WHERE service_id = " + q.arg(f.ServiceID) + ")")
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+bizPlanColumns+` FROM `+bizPlanSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find business plan items: %w", err)
	}
	bs, err := collectRows(rows, scanBizPlan)
	if err != nil {
		return nil, "", fmt.Errorf("find business plan items: %w", err)
	}
	bs, next := nextPage(bs, limit, s, func(b *liaison.BusinessPlanItem) (string, string) {
		if s.column == "review_date" {
			return b.ReviewDate, b.ID
		}
		return sortValue(s, b.Title, b.CreatedAt, b.UpdatedAt), b.ID
	})
	return bs, next, loadBizPlanServices(ctx, db.ro, bs...)
}

// checkBizPlanRefs checks the account (a live budget holder), the services
// and the owner (a live person), and fills the names.
func checkBizPlanRefs(ctx context.Context, tx *writeTx, b *liaison.BusinessPlanItem) error {
	var fields []liaison.FieldError
	probe := &liaison.Improvement{ServiceIDs: b.ServiceIDs, OrganisationIDs: []string{b.OrganisationID}}
	if err := checkImprovementRefs(ctx, tx, probe); err != nil {
		e, ok := err.(*liaison.Error)
		if !ok || e.Code != liaison.EINVALID {
			return err
		}
		for _, fe := range e.Fields {
			if fe.Field == "organisation_ids[0]" {
				fe.Field = "organisation_id"
			}
			fields = append(fields, fe)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1`, b.OrganisationID).Scan(&b.OrganisationName); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check business plan account: %w", err)
	}
	b.OwnerPersonName = ""
	if b.OwnerPersonID != nil {
		err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
			*b.OwnerPersonID).Scan(&b.OwnerPersonName)
		if errors.Is(err, sql.ErrNoRows) {
			var v liaison.Validation
			unknownRef(&v, "owner_person_id", "person")
			fields = append(fields, v.Err().(*liaison.Error).Fields...)
		} else if err != nil {
			return fmt.Errorf("check business plan owner: %w", err)
		}
	}
	if len(fields) > 0 {
		return &liaison.Error{Code: liaison.EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: fields}
	}
	return nil
}

func bizPlanSearchText(b *liaison.BusinessPlanItem) string {
	return liaison.SearchText(b.Title, b.ITEffect, b.OrganisationName, b.OwnerPersonName)
}

// CreateBusinessPlanItem stores a new plan item.
func (db *DB) CreateBusinessPlanItem(ctx context.Context, b *liaison.BusinessPlanItem) error {
	n := *b
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkBizPlanRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, tx.now, tx.now, nil
		n.LastReviewedOn, n.LastReviewedByID, n.LastReviewedBy = nil, nil, ""
		if _, err := tx.ExecContext(ctx, `INSERT INTO business_plan_items (id, organisation_id, title, horizon, target_date, it_effect,
			source_url, review_date, status, owner_person_id, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			n.ID, n.OrganisationID, n.Title, n.Horizon, nullPtr(n.TargetDate), n.ITEffect, n.SourceURL, n.ReviewDate, n.Status,
			nullPtr(n.OwnerPersonID), bizPlanSearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create business plan item: %w", err)
		}
		if err := writeLinks(ctx, tx, "business_plan_services", "item_id", "service_id", n.ID, n.ServiceIDs); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectBusinessPlan, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*b = n
	return nil
}

// saveBizPlan writes n over cur (locked, at version ifVersion) and audits it.
func saveBizPlan(ctx context.Context, tx *writeTx, cur, n *liaison.BusinessPlanItem, ifVersion int, summary string) error {
	n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
	res, err := tx.ExecContext(ctx, `UPDATE business_plan_items SET organisation_id = $1, title = $2, horizon = $3, target_date = $4,
		it_effect = $5, source_url = $6, review_date = $7, status = $8, owner_person_id = $9, last_reviewed_on = $10,
		last_reviewed_by_id = $11, search_text = $12, version = $13, updated_at = $14 WHERE id = $15 AND version = $16`,
		n.OrganisationID, n.Title, n.Horizon, nullPtr(n.TargetDate), n.ITEffect, n.SourceURL, n.ReviewDate, n.Status,
		nullPtr(n.OwnerPersonID), nullPtr(n.LastReviewedOn), nullPtr(n.LastReviewedByID), bizPlanSearchText(n), n.Version,
		tx.t(tx.now), n.ID, ifVersion)
	if err != nil {
		return fmt.Errorf("update business plan item %s: %w", n.ID, err)
	}
	if k, err := rowsAffected(res); err != nil {
		return err
	} else if k == 0 {
		return stale(cur.Version)
	}
	if err := writeLinks(ctx, tx, "business_plan_services", "item_id", "service_id", n.ID, n.ServiceIDs); err != nil {
		return err
	}
	if err := tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectBusinessPlan, subjectID: n.ID,
		organisationID: n.OrganisationID, summary: summary, before: cur, after: n}); err != nil {
		return err
	}
	if cur.OrganisationID != n.OrganisationID { // moved: the old account's timeline says so too
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectBusinessPlan, subjectID: n.ID,
			organisationID: cur.OrganisationID, summary: summary, before: cur, after: n})
	}
	return nil
}

// lockedBizPlan locks and reads a live item at version ifVersion.
func lockedBizPlan(ctx context.Context, tx *writeTx, id string, ifVersion int) (*liaison.BusinessPlanItem, error) {
	if err := lockRow(ctx, tx, "business_plan_items", "business plan item", id, false); err != nil {
		return nil, err
	}
	cur, err := findBizPlan(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if cur.Version != ifVersion {
		return nil, stale(cur.Version)
	}
	return cur, nil
}

// UpdateBusinessPlanItem saves the item's fields.
func (db *DB) UpdateBusinessPlanItem(ctx context.Context, b *liaison.BusinessPlanItem, ifVersion int) error {
	n := *b
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockedBizPlan(ctx, tx, n.ID, ifVersion)
		if err != nil {
			return err
		}
		if err := checkBizPlanRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.LastReviewedOn, n.LastReviewedByID, n.LastReviewedBy = cur.LastReviewedOn, cur.LastReviewedByID, cur.LastReviewedBy
		summary := n.Title
		if cur.Status != n.Status {
			summary = fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, n.Status)
		}
		return saveBizPlan(ctx, tx, cur, &n, ifVersion, summary)
	})
	if err != nil {
		return err
	}
	*b = n
	return nil
}

// MarkBusinessPlanReviewed records a review on today and sets the next
// review date.
func (db *DB) MarkBusinessPlanReviewed(ctx context.Context, id string, ifVersion int, today, next string) (*liaison.BusinessPlanItem, error) {
	if err := liaison.CheckNextReview(next, today); err != nil {
		return nil, err
	}
	var out *liaison.BusinessPlanItem
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockedBizPlan(ctx, tx, id, ifVersion)
		if err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n := *cur
		n.ServiceIDs = append([]string{}, cur.ServiceIDs...)
		n.ReviewDate, n.LastReviewedOn, n.LastReviewedByID, n.LastReviewedBy = next, &today, nil, actorName
		if actorID != "" {
			n.LastReviewedByID = &actorID
		}
		out = &n
		return saveBizPlan(ctx, tx, cur, &n, ifVersion, fmt.Sprintf("%s: reviewed, next review %s", n.Title, next))
	})
	return out, err
}

// DeleteBusinessPlanItem moves a plan item to the trash.
func (db *DB) DeleteBusinessPlanItem(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := lockedBizPlan(ctx, tx, id, ifVersion)
		if err != nil {
			return err
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE business_plan_items SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete business plan item %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectBusinessPlan, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreBusinessPlanItem brings a plan item back from the trash; its
// account must be live.
func (db *DB) RestoreBusinessPlanItem(ctx context.Context, id string) (*liaison.BusinessPlanItem, error) {
	var restored *liaison.BusinessPlanItem
	err := db.write(ctx, func(tx *writeTx) error {
		if err := lockRow(ctx, tx, "business_plan_items", "business plan item", id, true); err != nil {
			return err
		}
		cur, err := findBizPlan(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM organisations WHERE id = $1 AND deleted_at IS NULL`, cur.OrganisationID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return conflict("bizplan.error.account_trashed", "the account %s is in the trash: restore it first", cur.OrganisationName)
		} else if err != nil {
			return fmt.Errorf("restore business plan item %s: %w", id, err)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE business_plan_items SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore business plan item %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectBusinessPlan, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
	return restored, err
}
