package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Subject types of the audit trail.
const (
	subjectOrganisation = "organisation"
	subjectPerson       = "person"
	subjectRole         = "role"
	subjectSegment      = "segment"
	subjectUser         = "user"
	subjectSettings     = "settings"
)

// change is one audited change.
type change struct {
	action         string // liaison.Action*
	subjectType    string
	subjectID      string
	organisationID string // the unit the subject belongs to; "" outside the tree
	summary        string // the subject's display name
	before, after  any    // domain structs; nil (or a nil pointer) for none
}

// audit writes the audit row of c in tx, so that the change and its record
// commit or fail together.
func (tx *writeTx) audit(ctx context.Context, c change) error {
	if c.action == liaison.ActionCreate {
		if err := tx.claimIdempotency(ctx, c.subjectID); err != nil {
			return err
		}
	}
	actorID, actorName, err := tx.actor(ctx)
	if err != nil {
		return err
	}
	before, err := auditJSON(c.before)
	if err != nil {
		return err
	}
	after, err := auditJSON(c.after)
	if err != nil {
		return err
	}
	id, at := newID(), tx.t(tx.now)
	var accountID string
	err = tx.QueryRowContext(ctx, auditInsert,
		id, at, actorID, actorName, c.action, c.subjectType, c.subjectID, c.organisationID, c.summary, before, after).Scan(&accountID)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", c.subjectType, c.subjectID, err)
	}
	if accountID != "" {
		linkID := liaison.LinkID(c.subjectType, c.subjectID, jsonOf(before), jsonOf(after))
		_, err = tx.ExecContext(ctx, timelineInsert, accountID, at, id, actorID, actorName, c.action, c.subjectType, c.subjectID,
			c.organisationID, c.summary, linkID, liaison.TimelineCategory(c.subjectType))
		if err != nil {
			return fmt.Errorf("audit %s %s: timeline: %w", c.subjectType, c.subjectID, err)
		}
	}
	// Every write of a searchable record is audited: its index rows follow here.
	if kinds := searchSubjects[c.subjectType]; kinds != nil {
		return tx.reindex(ctx, kinds, c.subjectID)
	}
	return nil
}

// jsonOf is the JSON auditJSON made, nil for none.
func jsonOf(v any) json.RawMessage {
	if s, ok := v.(string); ok {
		return json.RawMessage(s)
	}
	return nil
}

// timelineInsert copies an entry that happened in an account to the
// account's timeline (timeline_entries, see migrations 0022 and 0029).
const timelineInsert = `INSERT INTO timeline_entries
		(account_id, at, id, actor_id, actor_name, action, subject_type, subject_id, organisation_id, summary, link_id, category)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

// fillTimelineCategories sets the category of every timeline entry from
// its subject type (migration 0029).
func (tx *writeTx) fillTimelineCategories(ctx context.Context) error {
	q := query{d: tx.db.dialect}
	var cases strings.Builder
	for _, c := range liaison.TimelineCategories {
		if len(c.SubjectTypes) > 0 {
			fmt.Fprintf(&cases, " WHEN subject_type IN (%s) THEN %s", q.list(c.SubjectTypes), q.arg(c.Name))
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE timeline_entries SET category = CASE`+cases.String()+
		` ELSE `+q.arg(liaison.CategoryOther)+` END`, q.args...)
	if err != nil {
		return fmt.Errorf("fill timeline categories: %w", err)
	}
	return nil
}

// auditInsert writes an audit row with its account, and returns the
// account (the row goes on its timeline too): the nearest
// budget-holding unit at or above the row's unit, found by walking up the
// tree by primary key in the same statement (so whatever a capability
// audits with an organisation_id lands on its account's timeline), ”
// when there is none. The walk stops at the first budget holder; trashed
// units count, since history stays history.
const auditInsert = `INSERT INTO audit_entries
		(id, at, actor_id, actor_name, action, subject_type, subject_id, organisation_id, summary, before_json, after_json, account_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE((` + accountOfUnit + `), ''))
		RETURNING account_id`

// accountOfUnit selects the account of the unit $8.
const accountOfUnit = `WITH RECURSIVE up (id, parent_id, holder, n) AS (
			SELECT id, parent_id, budget_holder, 0 FROM organisations WHERE id = $8
			UNION ALL
			SELECT o.id, o.parent_id, o.budget_holder, up.n + 1 FROM up JOIN organisations o ON o.id = up.parent_id
			WHERE up.holder = FALSE AND up.n < 10000
		) SELECT id FROM up WHERE holder = TRUE ORDER BY n LIMIT 1`

// actor returns who makes the change. The name is copied into the row so
// the trail stays as it was when a user is renamed. The principal's user
// was read from the database for this request, so its name is current and
// costs no query; only a principal without a name is looked up.
func (tx *writeTx) actor(ctx context.Context) (id, name string, err error) {
	p := liaison.PrincipalFrom(ctx)
	if p == nil || p.User == nil || p.User.ID == "" {
		return "", "", nil
	}
	if p.User.Name != "" {
		return p.User.ID, p.User.Name, nil
	}
	err = tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, p.User.ID).Scan(&name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("audit actor %s: %w", p.User.ID, err)
	}
	return p.User.ID, name, nil
}

// auditJSON marshals a record for the trail; nil for none. Password hashes
// never reach it: liaison.User tags PasswordHash json:"-".
func auditJSON(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: marshal %T: %w", v, err)
	}
	return string(b), nil
}

const (
	timelineColumns = `a.id, a.at, a.actor_id, a.actor_name, a.action, a.subject_type, a.subject_id, a.organisation_id, a.summary`
	auditColumns    = timelineColumns + `, a.before_json, a.after_json, a.account_id`
)

func scanAuditEntry(s scanner) (*liaison.AuditEntry, error) {
	var e liaison.AuditEntry
	var before, after []byte
	if err := s.Scan(&e.ID, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID,
		&e.OrganisationID, &e.Summary, &before, &after, &e.AccountID, &e.LinkID); err != nil {
		return nil, err
	}
	if before != nil {
		e.Before = json.RawMessage(before)
	}
	if after != nil {
		e.After = json.RawMessage(after)
	}
	return &e, nil
}

// scanBriefEntry reads a row of an account's brief timeline (no JSON).
func scanBriefEntry(accountID string) func(scanner) (*liaison.AuditEntry, error) {
	return func(s scanner) (*liaison.AuditEntry, error) {
		e := liaison.AuditEntry{AccountID: accountID}
		return &e, s.Scan(&e.ID, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID,
			&e.OrganisationID, &e.Summary, &e.LinkID)
	}
}

// FindAuditEntries returns audit entries, newest first: those of one
// subject, or those of a unit (with Subtree, of the unit and every unit
// below it, trashed ones included: history stays history).
func (db *DB) FindAuditEntries(ctx context.Context, f liaison.AuditFilter) ([]*liaison.AuditEntry, string, error) {
	limit := pageLimit(f.Limit)
	c, err := decodeCursor(f.Cursor, newest)
	if err != nil {
		return nil, "", err
	}
	q := query{d: db.dialect}
	if f.SubjectType != "" {
		q.and("a.subject_type = " + q.arg(f.SubjectType))
	}
	if f.SubjectID != "" {
		q.and("a.subject_id = " + q.arg(f.SubjectID))
	}
	switch {
	case f.OrganisationID != "" && f.Subtree:
		// The subtree is the path range of the unit (see the schema).
		q.and(`a.organisation_id IN (SELECT d.id FROM organisations u JOIN organisations d
			ON d.path >= u.path AND d.path < substr(u.path, 1, length(u.path) - 1) || '0'
			WHERE u.id = ` + q.arg(f.OrganisationID) + `)`)
	case f.OrganisationID != "":
		q.and("a.organisation_id = " + q.arg(f.OrganisationID))
	}
	if f.AccountID != "" {
		// One range of timeline_entries' key (account_id, at, id), or of
		// timeline_entries_category_idx (account_id, category, at, id).
		q.and("a.account_id = " + q.arg(f.AccountID))
	}
	if f.Category != "" {
		if f.AccountID != "" {
			// One range of timeline_entries_category_idx (account_id,
			// category, at, id): see migration 0029.
			q.and("a.category = " + q.arg(f.Category))
		} else {
			in, notIn := liaison.CategorySubjectTypes(f.Category)
			if len(in) > 0 {
				q.and("a.subject_type IN (" + q.list(in) + ")")
			}
			if len(notIn) > 0 {
				q.and("a.subject_type NOT IN (" + q.list(notIn) + ")")
			}
		}
	}
	// Within an account, subject types are read through the category
	// index: a subject type is in one category, so one type is a filter
	// over its category's range, and several are the newest page of each
	// such range, merged (see below). Elsewhere they filter.
	types := slices.Compact(slices.Sorted(slices.Values(f.SubjectTypes)))
	merge := f.AccountID != "" && len(types) > 1
	if len(types) == 1 || (len(types) > 1 && !merge) {
		q.and("a.subject_type IN (" + q.list(types) + ")")
		if f.AccountID != "" {
			q.and("a.category = " + q.arg(liaison.TimelineCategory(types[0])))
		}
	}
	if len(f.Kinds) > 0 {
		var or, cats []string
		for _, k := range f.Kinds {
			st, action, okKind := liaison.ParseKind(k)
			if !okKind {
				var v liaison.Validation
				v.Add("kind", liaison.CodeInvalid, "error.timeline_kind", "kind %q is not <subject_type>.<action>", k)
				return nil, "", v.Err()
			}
			or = append(or, "(a.subject_type = "+q.arg(st)+" AND a.action = "+q.arg(action)+")")
			cats = append(cats, liaison.TimelineCategory(st))
		}
		q.and("(" + strings.Join(or, " OR ") + ")")
		if f.AccountID != "" {
			q.and("a.category IN (" + q.list(slices.Compact(slices.Sorted(slices.Values(cats)))) + ")")
		}
	}
	if f.ActorID != "" {
		q.and("a.actor_id = " + q.arg(f.ActorID))
	}
	if !f.From.IsZero() {
		q.and("a.at >= " + q.arg(db.dialect.timeArg(f.From)))
	}
	if !f.To.IsZero() {
		q.and("a.at < " + q.arg(db.dialect.timeArg(f.To)))
	}
	tail := q.page("a", newest, c, limit)
	// An account's entries are read from its timeline (timeline_entries,
	// one contiguous range: see migration 0022), which holds everything a
	// timeline shows; the records' JSON, when wanted, from the trail.
	columns, from, scan := auditColumns+", '' AS link_id", " FROM audit_entries a", scanAuditEntry
	switch {
	case f.AccountID != "" && f.Brief:
		// The hottest read of the trail: only the columns a page shows.
		// The account is the filter's; the JSON is left out. (Each column
		// read costs modernc's SQLite a mutex round trip or three.)
		columns, from, scan = timelineColumns+", a.link_id", " FROM timeline_entries a", scanBriefEntry(f.AccountID)
	case f.AccountID != "":
		columns, from = timelineColumns+", j.before_json, j.after_json, a.account_id, a.link_id",
			" FROM timeline_entries a JOIN audit_entries j ON j.id = a.id"
	case f.Brief:
		// Only the records whose link needs a field of them: the rest of
		// the page reads no JSON at all.
		needs := "a.subject_type IN (" + q.list(liaison.LinkFieldSubjects()) + ")"
		columns = strings.Replace(columns, "a.before_json, a.after_json",
			"CASE WHEN "+needs+" THEN a.before_json END AS before_json, CASE WHEN "+needs+" THEN a.after_json END AS after_json", 1)
	}
	sqlText := `SELECT ` + columns + from + q.whereClause() + tail
	if merge {
		// A walk of the account's entries that keeps a rare type's would
		// read the whole account (381,631 entries for L's largest); the
		// newest page of each type, merged, reads at most a page a type.
		where := q.whereClause()
		parts := make([]string, len(types))
		for i, st := range types {
			parts[i] = `SELECT * FROM (SELECT ` + columns + from + where +
				` AND a.category = ` + q.arg(liaison.TimelineCategory(st)) + ` AND a.subject_type = ` + q.arg(st) + tail + `) t` + strconv.Itoa(i)
		}
		sqlText = `SELECT * FROM (` + strings.Join(parts, " UNION ALL ") + `) a` + tail
	}
	rows, err := db.ro.QueryContext(ctx, sqlText, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find audit entries: %w", err)
	}
	entries, err := collectRows(rows, scan)
	if err != nil {
		return nil, "", fmt.Errorf("find audit entries: %w", err)
	}
	entries, next := nextPage(entries, limit, newest, func(e *liaison.AuditEntry) (string, string) { return timeKey(e.At), e.ID })
	return entries, next, nil
}
