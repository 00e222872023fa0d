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

const subjectComplaint = "complaint"

var _ liaison.ComplaintStore = (*DB)(nil)

// complaintSource joins a complaint with the names lists show. Lists page
// over it with alias x; sort "name" is by the title.
const complaintSource = `(SELECT c.id, c.organisation_id, c.account_id, c.service_id, c.supplier_id,
	c.reporter_person_id, c.reporter_user_id, c.channel, c.classification, c.external_ticket, c.status, c.severity, c.title,
	c.description, c.category, c.category_key, c.root_cause, c.received_at, c.coordinator_id, c.responsible_id,
	c.beyond_level_explanation, c.improvement_id, c.recurring, c.resolved_at, c.closed_at, c.version, c.created_at,
	c.updated_at, c.deleted_at, c.title AS name, o.name AS organisation_name, COALESCE(a.name, '') AS account_name,
	COALESCE(s.name, '') AS service_name, COALESCE(rp.name, ru.name, '') AS reporter_name,
	COALESCE(cu.name, '') AS coordinator_name, COALESCE(rs.name, '') AS responsible_name, COALESCE(sp.name, '') AS supplier_name,
	c.search_text, o.search_text AS organisation_search, o.deleted_at AS organisation_deleted_at
	FROM complaints c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN organisations a ON a.id = c.account_id
	LEFT JOIN services s ON s.id = c.service_id LEFT JOIN people rp ON rp.id = c.reporter_person_id
	LEFT JOIN users ru ON ru.id = c.reporter_user_id LEFT JOIN users cu ON cu.id = c.coordinator_id
	LEFT JOIN users rs ON rs.id = c.responsible_id LEFT JOIN suppliers sp ON sp.id = c.supplier_id) x`

const complaintColumns = `x.id, x.organisation_id, x.account_id, x.service_id, x.supplier_id, x.reporter_person_id,
	x.reporter_user_id, x.channel, x.classification, x.external_ticket, x.status, x.severity, x.title, x.description,
	x.category, x.root_cause, x.received_at, x.coordinator_id, x.responsible_id, x.beyond_level_explanation,
	x.improvement_id, x.recurring, x.resolved_at, x.closed_at, x.version, x.created_at, x.updated_at, x.deleted_at,
	x.organisation_name, x.account_name, x.service_name, x.reporter_name, x.coordinator_name, x.responsible_name, x.supplier_name`

func scanComplaint(sc scanner) (*liaison.Complaint, error) {
	var c liaison.Complaint
	var acct, svc, sup, rp, ru, co, re, imp sql.NullString
	if err := sc.Scan(&c.ID, &c.OrganisationID, &acct, &svc, &sup, &rp, &ru, &c.Channel, &c.Classification,
		&c.ExternalTicket, &c.Status, &c.Severity, &c.Title, &c.Description, &c.Category, &c.RootCause,
		timeCol{&c.ReceivedAt}, &co, &re, &c.BeyondLevelExplanation, &imp, &c.Recurring, nullTimeCol{&c.ResolvedAt},
		nullTimeCol{&c.ClosedAt}, &c.Version, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, nullTimeCol{&c.DeletedAt},
		&c.OrganisationName, &c.AccountName, &c.ServiceName, &c.ReporterName, &c.CoordinatorName, &c.ResponsibleName, &c.SupplierName); err != nil {
		return nil, err
	}
	c.AccountID = acct.String
	c.ServiceID, c.SupplierID, c.ReporterPersonID, c.ReporterUserID = strPtr(svc), strPtr(sup), strPtr(rp), strPtr(ru)
	c.CoordinatorID, c.ResponsibleID, c.ImprovementID = strPtr(co), strPtr(re), strPtr(imp)
	return &c, nil
}

func findComplaint(ctx context.Context, q queryer, id string, trashed bool) (*liaison.Complaint, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	c, err := scanComplaint(q.QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM `+complaintSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("complaint", id)
	} else if err != nil {
		return nil, fmt.Errorf("find complaint %s: %w", id, err)
	}
	return c, nil
}

// FindComplaintByID returns a live complaint.
func (db *DB) FindComplaintByID(ctx context.Context, id string) (*liaison.Complaint, error) {
	return findComplaint(ctx, db.ro, id, false)
}

// FindComplaints lists complaints (the trash with f.Trashed), newest
// received first by default.
func (db *DB) FindComplaints(ctx context.Context, f liaison.ComplaintFilter) ([]*liaison.Complaint, string, error) {
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
	q.and("x.organisation_deleted_at IS NULL")
	if f.Trashed {
		q.and("x.deleted_at IS NOT NULL")
	} else {
		q.and("x.deleted_at IS NULL")
	}
	if f.OrganisationID != "" {
		// An account's complaints are those whose account it is (its own
		// included); another unit's are those registered on it. One column
		// each, so the list reads its index in order: an OR of the two
		// scanned every complaint at dataset L.
		var account bool
		err := db.ro.QueryRowContext(ctx, `SELECT budget_holder FROM organisations WHERE id = $1`, f.OrganisationID).Scan(&account)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, "", fmt.Errorf("find complaints: %w", err)
		}
		if account {
			q.and("x.account_id = " + q.arg(f.OrganisationID))
		} else {
			q.and("x.organisation_id = " + q.arg(f.OrganisationID))
		}
	}
	eq := func(col, v string) {
		if v != "" {
			q.and("x." + col + " = " + q.arg(v))
		}
	}
	eq("account_id", f.AccountID)
	if f.ManagerID != "" {
		m := q.arg(f.ManagerID)
		q.and(`x.account_id IN (SELECT o.id FROM organisations o WHERE o.relationship_manager_id = ` + m + ` OR o.deputy_id = ` + m + `)`)
	}
	eq("service_id", f.ServiceID)
	eq("supplier_id", f.SupplierID)
	eq("reporter_person_id", f.ReporterPersonID)
	eq("channel", string(f.Channel))
	eq("classification", string(f.Classification))
	eq("status", string(f.Status))
	eq("severity", string(f.Severity))
	eq("coordinator_id", f.CoordinatorID)
	eq("responsible_id", f.ResponsibleID)
	if f.Category != "" {
		eq("category_key", categoryKey(f.Category))
	}
	if f.Open != nil {
		if *f.Open {
			q.and("x.status NOT IN ('resolved', 'closed')")
		} else {
			q.and("x.status IN ('resolved', 'closed')")
		}
	}
	if f.Recurring != nil {
		q.and("x.recurring = " + q.arg(*f.Recurring))
	}
	if !f.ReceivedFrom.IsZero() {
		q.and("x.received_at >= " + q.arg(db.dialect.timeArg(f.ReceivedFrom)))
	}
	if !f.ReceivedBefore.IsZero() {
		q.and("x.received_at < " + q.arg(db.dialect.timeArg(f.ReceivedBefore)))
	}
	if f.OpenOn != "" {
		day, err := liaison.ParseDate(f.OpenOn)
		if err != nil {
			return nil, "", &liaison.Error{Code: liaison.EINVALID, Message: "open_on must be a date as YYYY-MM-DD.", Key: "error.date_invalid"}
		}
		next := q.arg(db.dialect.timeArg(day.AddDate(0, 0, 1)))
		q.and("x.received_at < " + next + " AND (COALESCE(x.resolved_at, x.closed_at) IS NULL OR COALESCE(x.resolved_at, x.closed_at) >= " + next + ")")
	}
	q.search("(x.search_text || ' ' || x.organisation_search)", f.Q)
	tail := q.page("x", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+complaintColumns+` FROM `+complaintSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find complaints: %w", err)
	}
	cs, err := collectRows(rows, scanComplaint)
	if err != nil {
		return nil, "", fmt.Errorf("find complaints: %w", err)
	}
	cs, next := nextPage(cs, limit, so, func(x *liaison.Complaint) (string, string) {
		return sortValue(so, x.Title, x.CreatedAt, x.UpdatedAt), x.ID
	})
	return cs, next, nil
}

// categoryKey is how categories compare: folded, so that "Availability"
// and "availability " are one category.
func categoryKey(s string) string { return strings.Join(liaison.SearchTerms(s), " ") }

func complaintSearchText(c *liaison.Complaint) string {
	return liaison.SearchText(c.Title, c.Description, c.Category, c.RootCause, c.ExternalTicket, c.ReporterName,
		c.ServiceName, c.AccountName)
}

// checkComplaint checks what a complaint refers to and derives its
// account, and, when derive is set, its responsible party: the service's
// owner, else the account's relationship manager. before is the supplier
// the complaint named until now: it may stay named after it was trashed,
// as SLA results keep theirs; a newly named one must be live.
func checkComplaint(ctx context.Context, tx *writeTx, c *liaison.Complaint, derive bool, before *string) error {
	var v liaison.Validation
	c.SupplierName = ""
	if c.SupplierID != nil {
		live := " AND deleted_at IS NULL"
		if before != nil && *before == *c.SupplierID {
			live = ""
		}
		err := tx.QueryRowContext(ctx, `SELECT name FROM suppliers WHERE id = $1`+live, *c.SupplierID).Scan(&c.SupplierName)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "supplier_id", "supplier")
		} else if err != nil {
			return fmt.Errorf("check complaint supplier: %w", err)
		}
	}
	var path string
	err := tx.QueryRowContext(ctx, `SELECT name, path FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		c.OrganisationID).Scan(&c.OrganisationName, &path)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "organisation_id", "unit")
	case err != nil:
		return fmt.Errorf("check complaint unit: %w", err)
	}
	var manager sql.NullString
	c.AccountID, c.AccountName = "", ""
	if path != "" {
		// The nearest account at or above the unit: the deepest budget holder on its path.
		ids := pathIDs(path)
		q := query{d: tx.db.dialect}
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = q.arg(id)
		}
		err := tx.QueryRowContext(ctx, `SELECT id, name, relationship_manager_id FROM organisations WHERE id IN (`+
			strings.Join(ph, ", ")+`) AND budget_holder = `+q.arg(true)+` ORDER BY depth DESC LIMIT 1`, q.args...).
			Scan(&c.AccountID, &c.AccountName, &manager)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check complaint account: %w", err)
		}
	}
	var owner sql.NullString
	c.ServiceName = ""
	if c.ServiceID != nil {
		err := tx.QueryRowContext(ctx, `SELECT name, owner_id FROM services WHERE id = $1`, *c.ServiceID).Scan(&c.ServiceName, &owner)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "service_id", "service")
		} else if err != nil {
			return fmt.Errorf("check complaint service: %w", err)
		}
	}
	c.ReporterName = ""
	if c.ReporterPersonID != nil {
		err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1 AND deleted_at IS NULL`, *c.ReporterPersonID).Scan(&c.ReporterName)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, "reporter_person_id", "person")
		} else if err != nil {
			return fmt.Errorf("check complaint reporter: %w", err)
		}
	}
	user := func(field string, id *string, name *string) error {
		*name = ""
		if id == nil {
			return nil
		}
		err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, *id).Scan(name)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, field, "user")
			return nil
		}
		return err
	}
	if c.ReporterUserID != nil {
		if err := user("reporter_user_id", c.ReporterUserID, &c.ReporterName); err != nil {
			return fmt.Errorf("check complaint reporter: %w", err)
		}
	}
	if err := user("coordinator_id", c.CoordinatorID, &c.CoordinatorName); err != nil {
		return fmt.Errorf("check complaint coordinator: %w", err)
	}
	if derive {
		c.ResponsibleID = nil
		if owner.Valid {
			c.ResponsibleID = &owner.String
		} else if manager.Valid {
			c.ResponsibleID = &manager.String
		}
	}
	if err := user("responsible_id", c.ResponsibleID, &c.ResponsibleName); err != nil {
		return fmt.Errorf("check complaint responsible: %w", err)
	}
	return v.Err()
}

// event writes one history entry of a complaint.
func (tx *writeTx) complaintEvent(ctx context.Context, id string, kind liaison.ComplaintEventKind, from, to, note string) error {
	actorID, actorName, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_events (id, complaint_id, at, actor_id, actor_name, kind, from_value, to_value, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, newID(), id, tx.t(tx.now), actorID, actorName, string(kind), from, to, note); err != nil {
		return fmt.Errorf("complaint event: %w", err)
	}
	return nil
}

func optTime(tx *writeTx, t *time.Time) any {
	if t == nil {
		return nil
	}
	return tx.t(*t)
}

// CreateComplaint registers a complaint; see liaison.ComplaintStore.
func (db *DB) CreateComplaint(ctx context.Context, c *liaison.Complaint, r liaison.Recurrence) error {
	n := *c
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	if n.Status != liaison.ComplaintReceived {
		var v liaison.Validation
		v.Add("status", "transition", "complaint.error_starts_received", "a complaint starts as received")
		return v.Err()
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if err := checkComplaint(ctx, tx, &n, n.ResponsibleID == nil, nil); err != nil {
			return err
		}
		if n.ReceivedAt.IsZero() || n.ReceivedAt.After(tx.now) {
			n.ReceivedAt = tx.now
		}
		n.ReceivedAt = n.ReceivedAt.UTC()
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt = newID(), 1, tx.now, tx.now
		n.Recurring, n.ResolvedAt, n.ClosedAt, n.DeletedAt, n.BeyondLevelExplanation, n.ImprovementID = false, nil, nil, nil, "", nil
		_, err := tx.ExecContext(ctx, `INSERT INTO complaints (id, organisation_id, account_id, service_id, supplier_id,
			reporter_person_id, reporter_user_id, channel, classification, external_ticket, status, severity, title,
			description, category, category_key, root_cause, received_at, coordinator_id, responsible_id, recurring,
			search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24)`,
			n.ID, n.OrganisationID, nullString(n.AccountID), nullPtr(n.ServiceID), nullPtr(n.SupplierID), nullPtr(n.ReporterPersonID),
			nullPtr(n.ReporterUserID), n.Channel, n.Classification, n.ExternalTicket, n.Status, n.Severity, n.Title,
			n.Description, n.Category, categoryKey(n.Category), n.RootCause, tx.t(n.ReceivedAt), nullPtr(n.CoordinatorID),
			nullPtr(n.ResponsibleID), false, complaintSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create complaint: %w", err)
		}
		if err := tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectComplaint, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Title, after: &n}); err != nil {
			return err
		}
		if err := tx.complaintEvent(ctx, n.ID, liaison.EventCreated, "", string(n.Status), n.Note); err != nil {
			return err
		}
		recurring, err := tx.recurrence(ctx, &n, r)
		if err != nil {
			return err
		}
		n.Recurring = recurring
		return nil
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

// recurrence applies the rule of SPEC C6 to the complaint just created: when
// it completes a cluster (r.Count complaints about its service, or in its
// category, received within r.Days days up to it), the cluster is flagged
// and the cluster's open escalation to head gets it — or, when there is
// none, one is raised linking the whole cluster. It reports whether the
// complaint is part of a cluster.
func (tx *writeTx) recurrence(ctx context.Context, c *liaison.Complaint, r liaison.Recurrence) (bool, error) {
	if !c.Counts() || r.Count < 2 || r.Days < 1 {
		return false, nil
	}
	type cluster struct{ key, column, value string }
	var clusters []cluster
	if c.ServiceID != nil {
		clusters = append(clusters, cluster{"service:" + *c.ServiceID, "service_id", *c.ServiceID})
	}
	if k := categoryKey(c.Category); k != "" {
		clusters = append(clusters, cluster{"category:" + k, "category_key", k})
	}
	since := c.ReceivedAt.Add(-time.Duration(r.Days) * 24 * time.Hour)
	flagged := false
	for _, cl := range clusters {
		if tx.db.dialect.name == "postgres" {
			// Two complaints completing one cluster at once must not raise two escalations.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "escalation "+cl.key); err != nil {
				return false, fmt.Errorf("lock cluster: %w", err)
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, account_id, recurring FROM complaints WHERE `+cl.column+` = $1
			AND classification = 'complaint' AND deleted_at IS NULL AND received_at >= $2 AND received_at <= $3
			ORDER BY received_at, id`, cl.value, tx.t(since), tx.t(c.ReceivedAt))
		if err != nil {
			return false, fmt.Errorf("recurrence: %w", err)
		}
		var ids, unflagged []string
		accounts := map[string]bool{}
		for rows.Next() {
			var id string
			var acc sql.NullString
			var rec bool
			if err := rows.Scan(&id, &acc, &rec); err != nil {
				rows.Close()
				return false, fmt.Errorf("recurrence: %w", err)
			}
			ids = append(ids, id)
			accounts[acc.String] = true
			if !rec {
				unflagged = append(unflagged, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("recurrence: %w", err)
		}
		if len(ids) < r.Count {
			continue
		}
		flagged = true
		for _, id := range unflagged {
			if _, err := tx.ExecContext(ctx, `UPDATE complaints SET recurring = $1, version = version + 1, updated_at = $2 WHERE id = $3`,
				true, tx.t(tx.now), id); err != nil {
				return false, fmt.Errorf("flag recurring: %w", err)
			}
		}
		if err := tx.escalateCluster(ctx, c, cl.key, cl.column, ids, accounts, r); err != nil {
			return false, err
		}
	}
	if flagged {
		c.Version++ // the flag is a change of the complaint just written
	}
	return flagged, nil
}

func (tx *writeTx) escalateCluster(ctx context.Context, c *liaison.Complaint, key, column string, ids []string,
	accounts map[string]bool, r liaison.Recurrence) error {
	var escID string
	err := tx.QueryRowContext(ctx, `SELECT id FROM escalations WHERE cluster_key = $1 AND status <> 'closed'
		ORDER BY raised_at DESC, id DESC LIMIT 1`, key).Scan(&escID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		e := &liaison.Escalation{Target: liaison.TargetHead, Kind: "recurrence", Status: liaison.EscalationOpen}
		var what string
		if column == "service_id" {
			e.ServiceID, e.ServiceName = c.ServiceID, c.ServiceName
			what = fmt.Sprintf("about the service %s", c.ServiceName)
		} else {
			e.Category = c.Category
			what = fmt.Sprintf("in the category %s", c.Category)
		}
		if len(accounts) == 1 && c.AccountID != "" {
			e.OrganisationID, e.OrganisationName = &c.AccountID, c.AccountName
		}
		e.Reason = fmt.Sprintf("Recurring complaints: %d %s within %d days.", len(ids), what, r.Days)
		e.ComplaintIDs = ids
		if err := tx.insertEscalation(ctx, e, key); err != nil {
			return err
		}
		escID = e.ID
	case err != nil:
		return fmt.Errorf("find cluster escalation: %w", err)
	default:
		cur, err := findEscalation(ctx, tx, escID)
		if err != nil {
			return err
		}
		if err := linkComplaints(ctx, tx, escID, ids); err != nil {
			return err
		}
		after, err := findEscalation(ctx, tx, escID)
		if err != nil {
			return err
		}
		after.Version, after.UpdatedAt = cur.Version+1, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE escalations SET version = $1, updated_at = $2 WHERE id = $3`,
			after.Version, tx.t(tx.now), escID); err != nil {
			return fmt.Errorf("extend escalation: %w", err)
		}
		if err := tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectEscalation, subjectID: escID,
			organisationID: deref(after.OrganisationID), summary: after.Reason, before: cur, after: after}); err != nil {
			return err
		}
	}
	return tx.complaintEvent(ctx, c.ID, liaison.EventEscalated, "", escID, "")
}

// UpdateComplaint saves c; see liaison.ComplaintStore.
func (db *DB) UpdateComplaint(ctx context.Context, c *liaison.Complaint, ifVersion int) error {
	n := *c
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM complaints WHERE id = $1`+tx.db.dialect.forUpdate, n.ID); err != nil {
			return fmt.Errorf("lock complaint %s: %w", n.ID, err)
		}
		cur, err := findComplaint(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckComplaintTransition(cur.Status, n.Status, n.SkipReason); err != nil {
			return err
		}
		// The responsible party follows the service or unit complained
		// about unless someone reassigns it.
		moved := !same(n.ServiceID, cur.ServiceID) || n.OrganisationID != cur.OrganisationID
		derive := moved && same(n.ResponsibleID, cur.ResponsibleID)
		if err := checkComplaint(ctx, tx, &n, derive, cur.SupplierID); err != nil {
			return err
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		n.Recurring, n.BeyondLevelExplanation, n.ImprovementID = cur.Recurring, cur.BeyondLevelExplanation, cur.ImprovementID
		n.ResolvedAt, n.ClosedAt = cur.ResolvedAt, cur.ClosedAt
		if n.ReceivedAt.IsZero() {
			n.ReceivedAt = cur.ReceivedAt
		}
		n.ReceivedAt = n.ReceivedAt.UTC()
		if n.Status != cur.Status {
			switch n.Status {
			case liaison.ComplaintResolved:
				n.ResolvedAt = &tx.now
			case liaison.ComplaintClosed:
				n.ClosedAt = &tx.now
			case liaison.ComplaintInvestigating:
				n.ResolvedAt = nil // reopened
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE complaints SET organisation_id = $1, account_id = $2, service_id = $3,
			supplier_id = $4, reporter_person_id = $5, reporter_user_id = $6, channel = $7, classification = $8,
			external_ticket = $9, status = $10, severity = $11, title = $12, description = $13, category = $14,
			category_key = $15, root_cause = $16, received_at = $17, coordinator_id = $18, responsible_id = $19,
			resolved_at = $20, closed_at = $21, search_text = $22, version = $23, updated_at = $24 WHERE id = $25 AND version = $26`,
			n.OrganisationID, nullString(n.AccountID), nullPtr(n.ServiceID), nullPtr(n.SupplierID), nullPtr(n.ReporterPersonID),
			nullPtr(n.ReporterUserID), n.Channel, n.Classification, n.ExternalTicket, n.Status, n.Severity, n.Title,
			n.Description, n.Category, categoryKey(n.Category), n.RootCause, tx.t(n.ReceivedAt), nullPtr(n.CoordinatorID),
			nullPtr(n.ResponsibleID), optTime(tx, n.ResolvedAt), optTime(tx, n.ClosedAt), complaintSearchText(&n),
			n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update complaint %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if n.Status != cur.Status {
			note := n.Note
			if cur.Status == liaison.ComplaintReceived && n.Status == liaison.ComplaintInvestigating {
				note = strings.TrimSpace("Confirmation skipped: " + n.SkipReason + "\n" + n.Note)
			}
			if err := tx.complaintEvent(ctx, n.ID, liaison.EventStatus, string(cur.Status), string(n.Status), note); err != nil {
				return err
			}
		}
		if n.Classification != cur.Classification {
			if err := tx.complaintEvent(ctx, n.ID, liaison.EventClassification, string(cur.Classification), string(n.Classification), n.Note); err != nil {
				return err
			}
		}
		if !same(n.CoordinatorID, cur.CoordinatorID) {
			if err := tx.complaintEvent(ctx, n.ID, liaison.EventCoordinator, cur.CoordinatorName, n.CoordinatorName, n.Note); err != nil {
				return err
			}
		}
		if !same(n.ResponsibleID, cur.ResponsibleID) {
			if err := tx.complaintEvent(ctx, n.ID, liaison.EventResponsible, cur.ResponsibleName, n.ResponsibleName, n.Note); err != nil {
				return err
			}
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectComplaint, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Title, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	n.Note, n.SkipReason = "", ""
	*c = n
	return nil
}

func same(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// SetComplaintBeyondLevel records why a complaint cannot be solved within
// the current service level and the improvement suggestion made from it:
// imp, written in the same transaction with complaint_id set, whose id the
// complaint keeps as improvement_id. A complaint that has its improvement
// keeps it; only the explanation changes.
func (db *DB) SetComplaintBeyondLevel(ctx context.Context, id, explanation string, ifVersion int, imp *liaison.Improvement) (*liaison.Complaint, error) {
	explanation = strings.TrimSpace(explanation)
	if err := liaison.CheckBeyondLevel(explanation); err != nil {
		return nil, err
	}
	var out *liaison.Complaint
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM complaints WHERE id = $1`+tx.db.dialect.forUpdate, id); err != nil {
			return fmt.Errorf("lock complaint %s: %w", id, err)
		}
		cur, err := findComplaint(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n := *cur
		n.BeyondLevelExplanation, n.Version, n.UpdatedAt = explanation, cur.Version+1, tx.now
		if imp != nil && cur.ImprovementID == nil {
			i := *imp
			i.ComplaintID, i.Origin, i.Status = &n.ID, liaison.OriginComplaint, liaison.ImprovementProposed
			i.Normalize()
			if err := i.Validate(); err != nil {
				return err
			}
			if err := insertImprovement(ctx, tx, &i); err != nil {
				return err
			}
			*imp = i
			n.ImprovementID = &i.ID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET beyond_level_explanation = $1, improvement_id = $2, version = $3, updated_at = $4 WHERE id = $5`,
			explanation, nullPtr(n.ImprovementID), n.Version, tx.t(tx.now), id); err != nil {
			return fmt.Errorf("complaint beyond level: %w", err)
		}
		if err := tx.complaintEvent(ctx, id, liaison.EventBeyondLevel, "", "", explanation); err != nil {
			return err
		}
		out = &n
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectComplaint, subjectID: id,
			organisationID: n.OrganisationID, summary: n.Title, before: cur, after: &n})
	})
	return out, err
}

// DeleteComplaint moves a complaint to the trash.
func (db *DB) DeleteComplaint(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM complaints WHERE id = $1`+tx.db.dialect.forUpdate, id); err != nil {
			return fmt.Errorf("lock complaint %s: %w", id, err)
		}
		cur, err := findComplaint(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete complaint %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectComplaint, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreComplaint brings a complaint back from the trash.
func (db *DB) RestoreComplaint(ctx context.Context, id string) (*liaison.Complaint, error) {
	var restored *liaison.Complaint
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findComplaint(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore complaint %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectComplaint, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
	return restored, err
}

// FindComplaintEvents returns a complaint's history, oldest first.
func (db *DB) FindComplaintEvents(ctx context.Context, id string) ([]*liaison.ComplaintEvent, error) {
	if _, err := findComplaint(ctx, db.ro, id, true); err != nil {
		return nil, err
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT id, complaint_id, at, actor_id, actor_name, kind, from_value, to_value, note
		FROM complaint_events WHERE complaint_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("complaint events: %w", err)
	}
	return collectRows(rows, func(sc scanner) (*liaison.ComplaintEvent, error) {
		var e liaison.ComplaintEvent
		err := sc.Scan(&e.ID, &e.ComplaintID, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Kind, &e.From, &e.To, &e.Note)
		return &e, err
	})
}

// LogCommunication logs an exchange with the complainant.
func (db *DB) LogCommunication(ctx context.Context, m *liaison.Communication) error {
	n := *m
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findComplaint(ctx, tx, n.ComplaintID, false)
		if err != nil {
			return err
		}
		if n.PersonID != nil {
			err := tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1`, *n.PersonID).Scan(&n.PersonName)
			if errors.Is(err, sql.ErrNoRows) {
				var v liaison.Validation
				unknownRef(&v, "person_id", "person")
				return v.Err()
			} else if err != nil {
				return fmt.Errorf("log communication: %w", err)
			}
		}
		if n.UserID, n.UserName, err = tx.actor(ctx); err != nil {
			return err
		}
		if n.At.IsZero() || n.At.After(tx.now) {
			n.At = tx.now
		}
		n.At = n.At.UTC()
		n.ID = newID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_communications (id, complaint_id, at, kind, direction,
			person_id, summary, mail_id, user_id, user_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			n.ID, n.ComplaintID, tx.t(n.At), string(n.Kind), n.Direction, nullPtr(n.PersonID), n.Summary, nullPtr(n.MailID),
			n.UserID, n.UserName); err != nil {
			return fmt.Errorf("log communication: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectComplaint, subjectID: cur.ID,
			organisationID: cur.OrganisationID, summary: cur.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*m = n
	return nil
}

// FindCommunications returns a complaint's communications, oldest first.
func (db *DB) FindCommunications(ctx context.Context, complaintID string) ([]*liaison.Communication, error) {
	if _, err := findComplaint(ctx, db.ro, complaintID, true); err != nil {
		return nil, err
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT m.id, m.complaint_id, m.at, m.kind, m.direction, m.person_id, m.summary,
		m.mail_id, m.user_id, m.user_name, COALESCE(p.name, '') FROM complaint_communications m
		LEFT JOIN people p ON p.id = m.person_id WHERE m.complaint_id = $1 ORDER BY m.at, m.id`, complaintID)
	if err != nil {
		return nil, fmt.Errorf("communications: %w", err)
	}
	return collectRows(rows, func(sc scanner) (*liaison.Communication, error) {
		var m liaison.Communication
		var person, mail sql.NullString
		err := sc.Scan(&m.ID, &m.ComplaintID, timeCol{&m.At}, &m.Kind, &m.Direction, &person, &m.Summary, &mail,
			&m.UserID, &m.UserName, &m.PersonName)
		m.PersonID, m.MailID = strPtr(person), strPtr(mail)
		return &m, err
	})
}
