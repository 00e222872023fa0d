package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// Audit subject types of meetings.
const (
	subjectMeeting         = "meeting"
	subjectMeetingDecision = "meeting_decision"
	subjectMeetingTemplate = "meeting_template"
)

var _ liaison.MeetingStore = (*DB)(nil)

// meetingSource joins a meeting with its account's and organiser's names.
// Lists page over it with alias x.
const meetingSource = `(SELECT m.id, m.organisation_id, m.type, m.form, m.title, m.organiser_id, m.starts_at, m.ends_at,
	m.location, m.link, m.status, m.agenda, m.minutes, m.published_at, m.search_text, m.version, m.created_at, m.updated_at,
	m.deleted_at, o.name AS organisation_name, COALESCE(u.name, '') AS organiser_name, o.search_text AS organisation_search
	FROM meetings m JOIN organisations o ON o.id = m.organisation_id LEFT JOIN users u ON u.id = m.organiser_id) x`

const meetingColumns = `x.id, x.organisation_id, x.type, x.form, x.title, x.organiser_id, x.starts_at, x.ends_at, x.location,
	x.link, x.status, x.agenda, x.minutes, x.published_at, x.version, x.created_at, x.updated_at, x.deleted_at,
	x.organisation_name, x.organiser_name`

func scanMeeting(sc scanner) (*liaison.Meeting, error) {
	var m liaison.Meeting
	var organiser sql.NullString
	if err := sc.Scan(&m.ID, &m.OrganisationID, &m.Type, &m.Form, &m.Title, &organiser, timeCol{&m.StartsAt}, timeCol{&m.EndsAt},
		&m.Location, &m.Link, &m.Status, &m.Agenda, &m.Minutes, nullTimeCol{&m.PublishedAt}, &m.Version, timeCol{&m.CreatedAt},
		timeCol{&m.UpdatedAt}, nullTimeCol{&m.DeletedAt}, &m.OrganisationName, &m.OrganiserName); err != nil {
		return nil, err
	}
	m.OrganiserID = strPtr(organiser)
	m.Participants = []liaison.MeetingParticipant{}
	return &m, nil
}

// loadParticipants fills the participants of meetings, in their order,
// with the names, addresses and languages of the users and people.
func loadParticipants(ctx context.Context, q queryer, ms ...*liaison.Meeting) error {
	if len(ms) == 0 {
		return nil
	}
	byID := make(map[string]*liaison.Meeting, len(ms))
	args := make([]any, len(ms))
	marks := make([]string, len(ms))
	for n, m := range ms {
		byID[m.ID] = m
		args[n] = m.ID
		marks[n] = fmt.Sprintf("$%d", n+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.meeting_id, p.user_id, p.person_id, COALESCE(u.name, pe.name, ''),
		COALESCE(u.email, pe.email, ''), COALESCE(u.language, pe.language, '')
		FROM meeting_participants p LEFT JOIN users u ON u.id = p.user_id LEFT JOIN people pe ON pe.id = p.person_id
		WHERE p.meeting_id IN (`+strings.Join(marks, ", ")+`) ORDER BY p.meeting_id, p.position`, args...)
	if err != nil {
		return fmt.Errorf("load participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var user, person sql.NullString
		var p liaison.MeetingParticipant
		if err := rows.Scan(&id, &user, &person, &p.Name, &p.Email, &p.Language); err != nil {
			return fmt.Errorf("load participants: %w", err)
		}
		p.UserID, p.PersonID = strPtr(user), strPtr(person)
		byID[id].Participants = append(byID[id].Participants, p)
	}
	return rows.Err()
}

func findMeeting(ctx context.Context, q queryer, id string, trashed bool) (*liaison.Meeting, error) {
	live := " AND x.deleted_at IS NULL"
	if trashed {
		live = ""
	}
	m, err := scanMeeting(q.QueryRowContext(ctx, `SELECT `+meetingColumns+` FROM `+meetingSource+` WHERE x.id = $1`+live, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("meeting", id)
	} else if err != nil {
		return nil, fmt.Errorf("find meeting %s: %w", id, err)
	}
	if err := loadParticipants(ctx, q, m); err != nil {
		return nil, err
	}
	return m, nil
}

// lockMeeting locks a meeting's row for the rest of the transaction and
// returns it (live only unless trashed).
func lockMeeting(ctx context.Context, tx *writeTx, id string, trashed bool) (*liaison.Meeting, error) {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM meetings WHERE id = $1`+live+tx.db.dialect.forUpdate, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("meeting", id)
	} else if err != nil {
		return nil, fmt.Errorf("lock meeting %s: %w", id, err)
	}
	return findMeeting(ctx, tx, id, trashed)
}

// FindMeetingByID returns a live meeting with its participants.
func (db *DB) FindMeetingByID(ctx context.Context, id string) (*liaison.Meeting, error) {
	return findMeeting(ctx, db.ro, id, false)
}

// meetingSorts are the orders FindMeetings accepts; starts_at is the default.
var meetingSorts = map[string]sortOrder{
	"starts_at":  {key: "starts_at", column: "starts_at", time: true},
	"-starts_at": {key: "-starts_at", column: "starts_at", desc: true, time: true},
}

func meetingSort(key string) (sortOrder, error) {
	if key == "" {
		key = "starts_at"
	}
	if s, ok := meetingSorts[key]; ok {
		return s, nil
	}
	s, err := parseSort(key)
	if err != nil || s.column == "name" {
		return sortOrder{}, &liaison.Error{Code: liaison.EBADREQUEST, Key: "error.sort_unknown",
			Message: "unknown sort " + key + ": use one of starts_at, -starts_at, created_at, -created_at, updated_at, -updated_at",
			Args:    []any{key, "starts_at, -starts_at, created_at, -created_at, updated_at, -updated_at"}}
	}
	return s, nil
}

// FindMeetings lists meetings (the trash with f.Trashed), by start time.
func (db *DB) FindMeetings(ctx context.Context, f liaison.MeetingFilter) ([]*liaison.Meeting, string, error) {
	so, err := meetingSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, so)
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
	eq := func(col, v string) {
		if v != "" {
			q.and("x." + col + " = " + q.arg(v))
		}
	}
	eq("organisation_id", f.OrganisationID)
	eq("type", string(f.Type))
	eq("status", string(f.Status))
	eq("organiser_id", f.OrganiserID)
	if f.ParticipantUserID != "" {
		u := q.arg(f.ParticipantUserID)
		q.and("(x.organiser_id = " + u + " OR x.id IN (SELECT meeting_id FROM meeting_participants WHERE user_id = " + u + "))")
	}
	if f.From != nil {
		q.and("x.starts_at >= " + q.arg(db.dialect.timeArg(*f.From)))
	}
	if f.To != nil {
		q.and("x.starts_at < " + q.arg(db.dialect.timeArg(*f.To)))
	}
	q.search("(x.search_text || ' ' || x.organisation_search)", f.Q)
	tail := q.page("x", so, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+meetingColumns+` FROM `+meetingSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find meetings: %w", err)
	}
	ms, err := collectRows(rows, scanMeeting)
	if err != nil {
		return nil, "", fmt.Errorf("find meetings: %w", err)
	}
	ms, next := nextPage(ms, limit, so, func(m *liaison.Meeting) (string, string) {
		if so.column == "starts_at" {
			return timeKey(m.StartsAt), m.ID
		}
		return sortValue(so, m.Title, m.CreatedAt, m.UpdatedAt), m.ID
	})
	if err := loadParticipants(ctx, db.ro, ms...); err != nil {
		return nil, "", err
	}
	return ms, next, nil
}

// checkMeetingRefs checks the account (a live budget holder), the organiser
// (an active user) and the participants (active users, live people), and
// fills their names.
func checkMeetingRefs(ctx context.Context, tx *writeTx, m *liaison.Meeting) error {
	var v liaison.Validation
	var holder bool
	err := tx.QueryRowContext(ctx, `SELECT name, budget_holder FROM organisations WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
		m.OrganisationID).Scan(&m.OrganisationName, &holder)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(&v, "organisation_id", "unit")
	case err != nil:
		return fmt.Errorf("check meeting account: %w", err)
	case !holder:
		v.Add("organisation_id", liaison.CodeInvalid, "meeting.error.needs_account", "is not a customer account (a budget-holding unit)")
	}
	m.OrganiserName = ""
	if m.OrganiserID != nil {
		if err := checkActiveUser(ctx, tx, &v, "organiser_id", *m.OrganiserID, &m.OrganiserName, nil, nil); err != nil {
			return err
		}
	}
	for i := range m.Participants {
		p := &m.Participants[i]
		f := fmt.Sprintf("participants[%d]", i)
		if p.UserID != nil {
			if err := checkActiveUser(ctx, tx, &v, f+".user_id", *p.UserID, &p.Name, &p.Email, &p.Language); err != nil {
				return err
			}
			continue
		}
		err := tx.QueryRowContext(ctx, `SELECT name, email, language FROM people WHERE id = $1 AND deleted_at IS NULL`+tx.db.dialect.forShare,
			*p.PersonID).Scan(&p.Name, &p.Email, &p.Language)
		if errors.Is(err, sql.ErrNoRows) {
			unknownRef(&v, f+".person_id", "person")
		} else if err != nil {
			return fmt.Errorf("check meeting participant: %w", err)
		}
	}
	return v.Err()
}

// checkActiveUser adds a field error unless id is an active user, and
// fills its name (and email and language when asked).
func checkActiveUser(ctx context.Context, tx *writeTx, v *liaison.Validation, field, id string, name, email, lang *string) error {
	var active bool
	var e, l string
	err := tx.QueryRowContext(ctx, `SELECT active, name, email, language FROM users WHERE id = $1`, id).Scan(&active, name, &e, &l)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		unknownRef(v, field, "user")
	case err != nil:
		return fmt.Errorf("check %s: %w", field, err)
	case !active:
		v.Add(field, liaison.CodeInvalid, "meeting.error.user_inactive", "is a deactivated user")
	}
	if email != nil {
		*email, *lang = e, l
	}
	return nil
}

// writeParticipants replaces the meeting's participants.
func writeParticipants(ctx context.Context, tx *writeTx, m *liaison.Meeting) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_participants WHERE meeting_id = $1`, m.ID); err != nil {
		return fmt.Errorf("write participants: %w", err)
	}
	for n, p := range m.Participants {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_participants (meeting_id, position, user_id, person_id) VALUES ($1, $2, $3, $4)`,
			m.ID, n, nullPtr(p.UserID), nullPtr(p.PersonID)); err != nil {
			return fmt.Errorf("write participants: %w", err)
		}
	}
	return nil
}

func meetingSearchText(m *liaison.Meeting) string {
	return liaison.SearchText(m.Title, m.Location, m.OrganiserName, m.Agenda, m.Minutes)
}

// CreateMeeting stores a new meeting; without an organiser the creator organises it.
func (db *DB) CreateMeeting(ctx context.Context, m *liaison.Meeting) error {
	n := *m
	n.Participants = append([]liaison.MeetingParticipant{}, m.Participants...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		if n.OrganiserID == nil {
			if actorID, _, err := tx.actor(ctx); err != nil {
				return err
			} else if actorID != "" {
				n.OrganiserID = &actorID
			}
		}
		if err := checkMeetingRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt, n.PublishedAt = newID(), 1, tx.now, tx.now, nil, nil
		_, err := tx.ExecContext(ctx, `INSERT INTO meetings (id, organisation_id, type, form, title, organiser_id, starts_at, ends_at,
			location, link, status, agenda, minutes, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
			n.ID, n.OrganisationID, n.Type, n.Form, n.Title, nullPtr(n.OrganiserID), tx.t(n.StartsAt), tx.t(n.EndsAt), n.Location,
			n.Link, n.Status, n.Agenda, n.Minutes, meetingSearchText(&n), n.Version, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("create meeting: %w", err)
		}
		if err := writeParticipants(ctx, tx, &n); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectMeeting, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: n.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*m = n
	return nil
}

// UpdateMeeting saves the meeting's fields, status and participants.
func (db *DB) UpdateMeeting(ctx context.Context, m *liaison.Meeting, ifVersion int) error {
	n := *m
	n.Participants = append([]liaison.MeetingParticipant{}, m.Participants...)
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockMeeting(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if err := liaison.CheckMeetingChange(cur, &n); err != nil {
			return err
		}
		if err := checkMeetingRefs(ctx, tx, &n); err != nil {
			return err
		}
		n.PublishedAt, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.PublishedAt, cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET organisation_id = $1, type = $2, form = $3, title = $4, organiser_id = $5,
			starts_at = $6, ends_at = $7, location = $8, link = $9, status = $10, agenda = $11, minutes = $12, search_text = $13,
			version = $14, updated_at = $15 WHERE id = $16 AND version = $17`,
			n.OrganisationID, n.Type, n.Form, n.Title, nullPtr(n.OrganiserID), tx.t(n.StartsAt), tx.t(n.EndsAt), n.Location, n.Link,
			n.Status, n.Agenda, n.Minutes, meetingSearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update meeting %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		if err := writeParticipants(ctx, tx, &n); err != nil {
			return err
		}
		summary := n.Title
		if cur.Status != n.Status {
			summary = fmt.Sprintf("%s: %s → %s", n.Title, cur.Status, n.Status)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectMeeting, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: summary, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*m = n
	return nil
}

// PublishMeeting publishes or unpublishes the minutes as the meeting report.
func (db *DB) PublishMeeting(ctx context.Context, id string, ifVersion int, publish bool) (*liaison.Meeting, error) {
	var out *liaison.Meeting
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockMeeting(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		if publish {
			if err := liaison.CheckPublish(cur); err != nil {
				return err
			}
		}
		after := *cur
		after.Version, after.UpdatedAt, after.PublishedAt = cur.Version+1, tx.now, nil
		if publish {
			after.PublishedAt = &tx.now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET published_at = $1, version = $2, updated_at = $3 WHERE id = $4`,
			tx.nullTime(after.PublishedAt), after.Version, tx.t(tx.now), id); err != nil {
			return fmt.Errorf("publish meeting %s: %w", id, err)
		}
		out = &after
		summary := cur.Title + ": published"
		if !publish {
			summary = cur.Title + ": unpublished"
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectMeeting, subjectID: id,
			organisationID: cur.OrganisationID, summary: summary, before: cur, after: &after})
	})
	return out, err
}

// DeleteMeeting moves a meeting to the trash.
func (db *DB) DeleteMeeting(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := lockMeeting(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete meeting %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectMeeting, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
}

// RestoreMeeting brings a meeting back from the trash; ECONFLICT while its
// account is in the trash.
func (db *DB) RestoreMeeting(ctx context.Context, id string) (*liaison.Meeting, error) {
	var restored *liaison.Meeting
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := lockMeeting(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.DeletedAt == nil {
			restored = cur
			return nil
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM organisations WHERE id = $1 AND deleted_at IS NULL`, cur.OrganisationID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return conflict("meeting.error.account_trashed", "the meeting's account %s is in the trash: restore it first", cur.OrganisationName)
		} else if err != nil {
			return fmt.Errorf("restore meeting %s: %w", id, err)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET deleted_at = NULL, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("restore meeting %s: %w", id, err)
		}
		restored = &after
		return tx.audit(ctx, change{action: liaison.ActionRestore, subjectType: subjectMeeting, subjectID: id,
			organisationID: cur.OrganisationID, summary: cur.Title, before: cur, after: &after})
	})
	if err != nil {
		return nil, err
	}
	return restored, nil
}

// ---------- decisions ----------

const meetingDecisionColumns = `d.id, d.meeting_id, d.text, d.created_by_id, COALESCE(u.name, ''), d.created_at`

func scanMeetingDecision(sc scanner) (*liaison.MeetingDecision, error) {
	var d liaison.MeetingDecision
	var by sql.NullString
	if err := sc.Scan(&d.ID, &d.MeetingID, &d.Text, &by, &d.CreatedByName, timeCol{&d.CreatedAt}); err != nil {
		return nil, err
	}
	d.CreatedByID = strPtr(by)
	return &d, nil
}

// publishedFrozen refuses a change to a published meeting's report.
func publishedFrozen(m *liaison.Meeting) error {
	if m.PublishedAt == nil {
		return nil
	}
	var v liaison.Validation
	v.Add("published_at", liaison.CodeInvalid, "meeting.error.published_decisions", "the meeting report is published: unpublish it before changing its decisions")
	return v.Err()
}

// AddMeetingDecision records a decision taken at a live meeting.
func (db *DB) AddMeetingDecision(ctx context.Context, d *liaison.MeetingDecision) error {
	n := *d
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		m, err := lockMeeting(ctx, tx, n.MeetingID, false)
		if err != nil {
			return err
		}
		if err := publishedFrozen(m); err != nil {
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
		n.ID, n.CreatedAt = newID(), tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_decisions (id, meeting_id, text, created_by_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
			n.ID, n.MeetingID, n.Text, nullPtr(n.CreatedByID), tx.t(tx.now)); err != nil {
			return fmt.Errorf("add meeting decision: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectMeetingDecision, subjectID: n.ID,
			organisationID: m.OrganisationID, summary: m.Title, after: &n})
	})
	if err != nil {
		return err
	}
	*d = n
	return nil
}

// FindMeetingDecisions lists a live meeting's decisions in the order taken.
func (db *DB) FindMeetingDecisions(ctx context.Context, meetingID string) ([]*liaison.MeetingDecision, error) {
	if _, err := findMeeting(ctx, db.ro, meetingID, false); err != nil {
		return nil, err
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT `+meetingDecisionColumns+` FROM meeting_decisions d LEFT JOIN users u ON u.id = d.created_by_id
		WHERE d.meeting_id = $1 ORDER BY d.created_at, d.id`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("find meeting decisions: %w", err)
	}
	ds, err := collectRows(rows, scanMeetingDecision)
	if err != nil {
		return nil, fmt.Errorf("find meeting decisions: %w", err)
	}
	return ds, nil
}

// DeleteMeetingDecision removes a decision; the audit trail keeps it.
func (db *DB) DeleteMeetingDecision(ctx context.Context, meetingID, id string) error {
	return db.write(ctx, func(tx *writeTx) error {
		m, err := lockMeeting(ctx, tx, meetingID, false)
		if err != nil {
			return err
		}
		if err := publishedFrozen(m); err != nil {
			return err
		}
		cur, err := scanMeetingDecision(tx.QueryRowContext(ctx, `SELECT `+meetingDecisionColumns+` FROM meeting_decisions d
			LEFT JOIN users u ON u.id = d.created_by_id WHERE d.id = $1 AND d.meeting_id = $2`, id, meetingID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("meeting decision", id)
		} else if err != nil {
			return fmt.Errorf("delete meeting decision: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_decisions WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete meeting decision %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectMeetingDecision, subjectID: id,
			organisationID: m.OrganisationID, summary: m.Title, before: cur})
	})
}

// ---------- templates ----------

const templateColumns = `id, name, type, agenda, version, created_at, updated_at, deleted_at`

func scanMeetingTemplate(sc scanner) (*liaison.MeetingTemplate, error) {
	var t liaison.MeetingTemplate
	if err := sc.Scan(&t.ID, &t.Name, &t.Type, &t.Agenda, &t.Version, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt}, nullTimeCol{&t.DeletedAt}); err != nil {
		return nil, err
	}
	return &t, nil
}

func findMeetingTemplate(ctx context.Context, q queryer, id string, trashed bool, lock string) (*liaison.MeetingTemplate, error) {
	live := " AND deleted_at IS NULL"
	if trashed {
		live = ""
	}
	t, err := scanMeetingTemplate(q.QueryRowContext(ctx, `SELECT `+templateColumns+` FROM meeting_templates WHERE id = $1`+live+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("meeting template", id)
	} else if err != nil {
		return nil, fmt.Errorf("find meeting template %s: %w", id, err)
	}
	return t, nil
}

// FindMeetingTemplateByID returns a live stored template.
func (db *DB) FindMeetingTemplateByID(ctx context.Context, id string) (*liaison.MeetingTemplate, error) {
	return findMeetingTemplate(ctx, db.ro, id, false, "")
}

// FindMeetingTemplates lists the stored templates (or the trashed ones) by name.
func (db *DB) FindMeetingTemplates(ctx context.Context, trashed bool) ([]*liaison.MeetingTemplate, error) {
	cond := "deleted_at IS NULL"
	if trashed {
		cond = "deleted_at IS NOT NULL"
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT `+templateColumns+` FROM meeting_templates WHERE `+cond+` ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("find meeting templates: %w", err)
	}
	ts, err := collectRows(rows, scanMeetingTemplate)
	if err != nil {
		return nil, fmt.Errorf("find meeting templates: %w", err)
	}
	return ts, nil
}

// CreateMeetingTemplate stores a new agenda template.
func (db *DB) CreateMeetingTemplate(ctx context.Context, t *liaison.MeetingTemplate) error {
	n := *t
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt, n.BuiltIn = newID(), 1, tx.now, tx.now, nil, false
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_templates (id, name, type, agenda, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6)`, n.ID, n.Name, n.Type, n.Agenda, n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create meeting template: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectMeetingTemplate, subjectID: n.ID, summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*t = n
	return nil
}

// UpdateMeetingTemplate saves a template's name, type and agenda.
func (db *DB) UpdateMeetingTemplate(ctx context.Context, t *liaison.MeetingTemplate, ifVersion int) error {
	n := *t
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findMeetingTemplate(ctx, tx, n.ID, false, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt, n.BuiltIn = cur.Version+1, cur.CreatedAt, tx.now, nil, false
		if _, err := tx.ExecContext(ctx, `UPDATE meeting_templates SET name = $1, type = $2, agenda = $3, version = $4, updated_at = $5 WHERE id = $6`,
			n.Name, n.Type, n.Agenda, n.Version, tx.t(tx.now), n.ID); err != nil {
			return fmt.Errorf("update meeting template %s: %w", n.ID, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectMeetingTemplate, subjectID: n.ID, summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*t = n
	return nil
}

// DeleteMeetingTemplate moves a template to the trash; meetings made from
// it keep their agenda (it was copied).
func (db *DB) DeleteMeetingTemplate(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		return setTemplateTrashed(ctx, tx, id, &ifVersion, true)
	})
}

// RestoreMeetingTemplate brings a template back from the trash.
func (db *DB) RestoreMeetingTemplate(ctx context.Context, id string) (*liaison.MeetingTemplate, error) {
	err := db.write(ctx, func(tx *writeTx) error { return setTemplateTrashed(ctx, tx, id, nil, false) })
	if err != nil {
		return nil, err
	}
	return db.FindMeetingTemplateByID(ctx, id)
}

func setTemplateTrashed(ctx context.Context, tx *writeTx, id string, ifVersion *int, trash bool) error {
	cur, err := findMeetingTemplate(ctx, tx, id, !trash, tx.db.dialect.forUpdate)
	if err != nil {
		return err
	}
	if ifVersion != nil && cur.Version != *ifVersion {
		return stale(cur.Version)
	}
	if !trash && cur.DeletedAt == nil {
		return nil
	}
	after := *cur
	after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, nil
	action := liaison.ActionRestore
	if trash {
		after.DeletedAt, action = &tx.now, liaison.ActionDelete
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meeting_templates SET deleted_at = $1, updated_at = $2, version = $3 WHERE id = $4`,
		tx.nullTime(after.DeletedAt), tx.t(tx.now), after.Version, id); err != nil {
		return fmt.Errorf("trash meeting template %s: %w", id, err)
	}
	return tx.audit(ctx, change{action: action, subjectType: subjectMeetingTemplate, subjectID: id, summary: cur.Name, before: cur, after: &after})
}
