package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
)

const subjectEscalation = "escalation"

var _ liaison.EscalationStore = (*DB)(nil)

const escalationSource = `(SELECT e.id, e.target, e.kind, e.category, e.reason, e.organisation_id, e.service_id, e.status,
	e.raised_by_id, e.raised_by_name, e.raised_at, e.decision, e.decided_by_id, COALESCE(du.name, '') AS decided_by_name,
	e.decided_at, e.closed_at, COALESCE(o.name, '') AS organisation_name, COALESCE(s.name, '') AS service_name,
	e.version, e.created_at, e.updated_at, e.reason AS name, e.search_text
	FROM escalations e LEFT JOIN organisations o ON o.id = e.organisation_id LEFT JOIN services s ON s.id = e.service_id
	LEFT JOIN users du ON du.id = e.decided_by_id) x`

const escalationColumns = `x.id, x.target, x.kind, x.category, x.reason, x.organisation_id, x.service_id, x.status,
	x.raised_by_id, x.raised_by_name, x.raised_at, x.decision, x.decided_by_id, x.decided_by_name, x.decided_at,
	x.closed_at, x.organisation_name, x.service_name, x.version, x.created_at, x.updated_at`

func scanEscalation(sc scanner) (*liaison.Escalation, error) {
	var e liaison.Escalation
	var org, svc, dby sql.NullString
	if err := sc.Scan(&e.ID, &e.Target, &e.Kind, &e.Category, &e.Reason, &org, &svc, &e.Status, &e.RaisedByID,
		&e.RaisedByName, timeCol{&e.RaisedAt}, &e.Decision, &dby, &e.DecidedByName, nullTimeCol{&e.DecidedAt},
		nullTimeCol{&e.ClosedAt}, &e.OrganisationName, &e.ServiceName, &e.Version, timeCol{&e.CreatedAt},
		timeCol{&e.UpdatedAt}); err != nil {
		return nil, err
	}
	e.OrganisationID, e.ServiceID, e.DecidedByID = strPtr(org), strPtr(svc), strPtr(dby)
	e.ComplaintIDs = []string{}
	return &e, nil
}

func loadEscalationComplaints(ctx context.Context, q queryer, es ...*liaison.Escalation) error {
	for _, e := range es {
		rows, err := q.QueryContext(ctx, `SELECT l.complaint_id FROM escalation_complaints l JOIN complaints c ON c.id = l.complaint_id
			WHERE l.escalation_id = $1 ORDER BY c.received_at, c.id`, e.ID)
		if err != nil {
			return fmt.Errorf("escalation complaints: %w", err)
		}
		ids, err := collectRows(rows, func(sc scanner) (string, error) {
			var id string
			return id, sc.Scan(&id)
		})
		if err != nil {
			return fmt.Errorf("escalation complaints: %w", err)
		}
		e.ComplaintIDs = ids
	}
	return nil
}

func findEscalation(ctx context.Context, q queryer, id string) (*liaison.Escalation, error) {
	e, err := scanEscalation(q.QueryRowContext(ctx, `SELECT `+escalationColumns+` FROM `+escalationSource+` WHERE x.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("escalation", id)
	} else if err != nil {
		return nil, fmt.Errorf("find escalation %s: %w", id, err)
	}
	return e, loadEscalationComplaints(ctx, q, e)
}

// FindEscalationByID returns an escalation with its linked complaints.
func (db *DB) FindEscalationByID(ctx context.Context, id string) (*liaison.Escalation, error) {
	return findEscalation(ctx, db.ro, id)
}

// FindEscalations lists escalations, newest first by default.
func (db *DB) FindEscalations(ctx context.Context, f liaison.EscalationFilter) ([]*liaison.Escalation, string, error) {
	sortKey := f.Sort
	if sortKey == "" {
		sortKey = "-created_at"
	}
	so, err := parseSort(sortKey)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, so)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Target != "" {
		q.and("x.target = " + q.arg(string(f.Target)))
	}
	if f.Status != "" {
		q.and("x.status = " + q.arg(string(f.Status)))
	}
	if f.OrganisationID != "" {
		q.and("x.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.ServiceID != "" {
		q.and("x.service_id = " + q.arg(f.ServiceID))
	}
	if f.ComplaintID != "" {
		q.and("x.id IN (SELECT escalation_id FROM escalation_complaints WHERE complaint_id = " + q.arg(f.ComplaintID) + ")")
	}
	q.search("x.search_text", f.Q)
	tail := q.page("x", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+escalationColumns+` FROM `+escalationSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find escalations: %w", err)
	}
	es, err := collectRows(rows, scanEscalation)
	if err != nil {
		return nil, "", fmt.Errorf("find escalations: %w", err)
	}
	es, next := nextPage(es, limit, so, func(e *liaison.Escalation) (string, string) {
		return sortValue(so, e.Reason, e.CreatedAt, e.UpdatedAt), e.ID
	})
	if err := loadEscalationComplaints(ctx, db.ro, es...); err != nil {
		return nil, "", err
	}
	return es, next, nil
}

func linkComplaints(ctx context.Context, tx *writeTx, escID string, ids []string) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO escalation_complaints (escalation_id, complaint_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, escID, id); err != nil {
			return fmt.Errorf("link complaint: %w", err)
		}
	}
	return nil
}

func escalationSearchText(e *liaison.Escalation) string {
	return liaison.SearchText(e.Reason, e.Decision, e.Category, e.ServiceName, e.OrganisationName, e.RaisedByName)
}

// insertEscalation writes a new escalation raised by the actor of ctx.
func (tx *writeTx) insertEscalation(ctx context.Context, e *liaison.Escalation, clusterKey string) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	var err error
	if e.RaisedByID, e.RaisedByName, err = tx.actor(ctx); err != nil {
		return err
	}
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt, e.RaisedAt = newID(), 1, tx.now, tx.now, tx.now
	e.DecidedByID, e.DecidedAt, e.ClosedAt = nil, nil, nil
	if _, err := tx.ExecContext(ctx, `INSERT INTO escalations (id, target, kind, cluster_key, category, reason, organisation_id,
		service_id, status, raised_by_id, raised_by_name, raised_at, decision, search_text, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $12, $12)`,
		e.ID, e.Target, e.Kind, clusterKey, e.Category, e.Reason, nullPtr(e.OrganisationID), nullPtr(e.ServiceID), e.Status,
		e.RaisedByID, e.RaisedByName, tx.t(tx.now), e.Decision, escalationSearchText(e), e.Version); err != nil {
		return fmt.Errorf("create escalation: %w", err)
	}
	if err := linkComplaints(ctx, tx, e.ID, e.ComplaintIDs); err != nil {
		return err
	}
	return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectEscalation, subjectID: e.ID,
		organisationID: deref(e.OrganisationID), summary: e.Reason, after: e})
}

// checkEscalationRefs checks the account, service and complaints named.
func checkEscalationRefs(ctx context.Context, tx *writeTx, e *liaison.Escalation) error {
	var v liaison.Validation
	if e.OrganisationID != nil {
		if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1 AND deleted_at IS NULL`, *e.OrganisationID).
			Scan(&e.OrganisationName); errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "organisation_id", "unit")
		} else if err != nil {
			return fmt.Errorf("check escalation: %w", err)
		}
	}
	if e.ServiceID != nil {
		if err := tx.QueryRowContext(ctx, `SELECT name FROM services WHERE id = $1`, *e.ServiceID).
			Scan(&e.ServiceName); errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "service_id", "service")
		} else if err != nil {
			return fmt.Errorf("check escalation: %w", err)
		}
	}
	for _, id := range e.ComplaintIDs {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM complaints WHERE id = $1 AND deleted_at IS NULL`, id).Scan(&n); errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "complaint_ids", "complaint")
			break
		} else if err != nil {
			return fmt.Errorf("check escalation: %w", err)
		}
	}
	return v.Err()
}

// CreateEscalation raises an escalation by hand.
func (db *DB) CreateEscalation(ctx context.Context, e *liaison.Escalation) error {
	n := *e
	n.ComplaintIDs = append([]string(nil), e.ComplaintIDs...)
	n.Kind, n.Status, n.Category = "manual", liaison.EscalationOpen, ""
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkEscalationRefs(ctx, tx, &n); err != nil {
			return err
		}
		if err := tx.insertEscalation(ctx, &n, ""); err != nil {
			return err
		}
		for _, id := range n.ComplaintIDs {
			if err := tx.complaintEvent(ctx, id, liaison.EventEscalated, "", n.ID, n.Reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	*e = n
	return nil
}

// UpdateEscalation saves reason, decision, status and linked complaints.
func (db *DB) UpdateEscalation(ctx context.Context, e *liaison.Escalation, ifVersion int) error {
	n := *e
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM escalations WHERE id = $1`+tx.db.dialect.forUpdate, n.ID); err != nil {
			return fmt.Errorf("lock escalation %s: %w", n.ID, err)
		}
		cur, err := findEscalation(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckEscalationTransition(cur.Status, n.Status); err != nil {
			return err
		}
		if err := checkEscalationRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.Kind, n.Category, n.RaisedByID, n.RaisedByName, n.RaisedAt = cur.Kind, cur.Category, cur.RaisedByID, cur.RaisedByName, cur.RaisedAt
		n.DecidedByID, n.DecidedByName, n.DecidedAt, n.ClosedAt = cur.DecidedByID, cur.DecidedByName, cur.DecidedAt, cur.ClosedAt
		if n.Status != cur.Status || n.Decision != cur.Decision {
			switch {
			case n.Status == liaison.EscalationDecided:
				id, name, err := tx.actor(ctx)
				if err != nil {
					return err
				}
				if id != "" {
					n.DecidedByID, n.DecidedByName = &id, name
				}
				n.DecidedAt = &tx.now
			case n.Status == liaison.EscalationOpen:
				n.DecidedByID, n.DecidedByName, n.DecidedAt = nil, "", nil
			}
		}
		if n.Status == liaison.EscalationClosed && cur.Status != liaison.EscalationClosed {
			n.ClosedAt = &tx.now
		} else if n.Status != liaison.EscalationClosed {
			n.ClosedAt = nil
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		res, err := tx.ExecContext(ctx, `UPDATE escalations SET target = $1, reason = $2, organisation_id = $3, service_id = $4,
			status = $5, decision = $6, decided_by_id = $7, decided_at = $8, closed_at = $9, search_text = $10, version = $11,
			updated_at = $12 WHERE id = $13 AND version = $14`,
			n.Target, n.Reason, nullPtr(n.OrganisationID), nullPtr(n.ServiceID), n.Status, n.Decision, nullPtr(n.DecidedByID),
			optTime(tx, n.DecidedAt), optTime(tx, n.ClosedAt), escalationSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update escalation %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM escalation_complaints WHERE escalation_id = $1`, n.ID); err != nil {
			return fmt.Errorf("update escalation %s: %w", n.ID, err)
		}
		if err := linkComplaints(ctx, tx, n.ID, n.ComplaintIDs); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectEscalation, subjectID: n.ID,
			organisationID: deref(n.OrganisationID), summary: n.Reason, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*e = n
	return nil
}

// ComplaintStats computes the analysis of complaints received in [from, to).
func (db *DB) ComplaintStats(ctx context.Context, from, to time.Time) (*liaison.ComplaintStats, error) {
	q := query{d: db.dialect}
	q.and("c.deleted_at IS NULL")
	q.and("o.deleted_at IS NULL")
	q.and("c.classification = 'complaint'")
	if !from.IsZero() {
		q.and("c.received_at >= " + q.arg(db.dialect.timeArg(from)))
	}
	if !to.IsZero() {
		q.and("c.received_at < " + q.arg(db.dialect.timeArg(to)))
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT c.received_at, c.resolved_at, c.status, c.severity, c.category,
		COALESCE(c.service_id, ''), COALESCE(s.name, ''), COALESCE(c.account_id, ''), COALESCE(a.name, '')
		FROM complaints c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN services s ON s.id = c.service_id
		LEFT JOIN organisations a ON a.id = c.account_id`+q.whereClause(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("complaint stats: %w", err)
	}
	defer rows.Close()
	st := &liaison.ComplaintStats{}
	type bucket struct {
		label string
		n     int
	}
	svc, acc, cat, month, sev := map[string]*bucket{}, map[string]*bucket{}, map[string]*bucket{}, map[string]*bucket{}, map[string]*bucket{}
	add := func(m map[string]*bucket, key, label string) {
		if b, ok := m[key]; ok {
			b.n++
		} else {
			m[key] = &bucket{label, 1}
		}
	}
	var hours []float64
	for rows.Next() {
		var received time.Time
		var resolved *time.Time
		var status, severity, category, sid, sname, aid, aname string
		if err := rows.Scan(timeCol{&received}, nullTimeCol{&resolved}, &status, &severity, &category, &sid, &sname, &aid, &aname); err != nil {
			return nil, fmt.Errorf("complaint stats: %w", err)
		}
		st.InPeriod++
		if liaison.ComplaintStatus(status).Open() {
			st.Open++
		}
		if resolved != nil {
			st.Resolved++
			hours = append(hours, resolved.Sub(received).Hours())
		}
		add(svc, sid, sname)
		add(acc, aid, aname)
		ck := categoryKey(category)
		add(cat, ck, strings.TrimSpace(category))
		m := received.UTC().Format("2006-01")
		add(month, m, m)
		add(sev, severity, severity)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("complaint stats: %w", err)
	}
	st.MedianResolveHours = liaison.Median(hours)
	list := func(m map[string]*bucket, byKey bool) []liaison.CountBy {
		out := make([]liaison.CountBy, 0, len(m))
		for k, b := range m {
			out = append(out, liaison.CountBy{Key: k, Label: b.label, Count: b.n})
		}
		sort.Slice(out, func(i, j int) bool {
			if byKey || out[i].Count == out[j].Count {
				return out[i].Key < out[j].Key
			}
			return out[i].Count > out[j].Count
		})
		return out
	}
	st.ByService, st.ByAccount, st.ByCategory = list(svc, false), list(acc, false), list(cat, false)
	st.ByMonth, st.BySeverity = list(month, true), list(sev, false)
	open := true
	st.Unresolved, _, err = db.FindComplaints(ctx, liaison.ComplaintFilter{Classification: liaison.ClassComplaint, Open: &open,
		Sort: "created_at", Limit: 100})
	if err != nil {
		return nil, err
	}
	st.Serious, _, err = db.FindComplaints(ctx, liaison.ComplaintFilter{Classification: liaison.ClassComplaint,
		Severity: liaison.SeveritySerious, Open: &open, Sort: "created_at", Limit: 100})
	if err != nil {
		return nil, err
	}
	return st, nil
}
