package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

var _ liaison.CalendarStore = (*DB)(nil)

const feedColumns = `id, user_id, created_at, revoked_at`

func scanFeed(sc scanner) (*liaison.CalendarFeed, error) {
	var f liaison.CalendarFeed
	if err := sc.Scan(&f.ID, &f.UserID, timeCol{&f.CreatedAt}, nullTimeCol{&f.RevokedAt}); err != nil {
		return nil, err
	}
	return &f, nil
}

func feedNotFound() error {
	return &liaison.Error{Code: liaison.ENOTFOUND, Message: "calendar feed not found or revoked", Key: "calendar.error.not_found"}
}

// CreateCalendarFeed stores a new feed and revokes the user's earlier ones.
func (db *DB) CreateCalendarFeed(ctx context.Context, userID string, hash []byte) (*liaison.CalendarFeed, error) {
	if userID == "" || len(hash) == 0 {
		return nil, liaison.Errorf(liaison.EINVALID, "a calendar feed needs a user and a secret")
	}
	f := &liaison.CalendarFeed{UserID: userID}
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`,
			tx.t(tx.now), userID); err != nil {
			return fmt.Errorf("revoke calendar feeds: %w", err)
		}
		f.ID, f.CreatedAt = newID(), tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (id, user_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)`,
			f.ID, userID, hash, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create calendar feed: %w", constraintError(err, "a feed with this secret exists already"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FindCalendarFeed returns the user's live feed.
func (db *DB) FindCalendarFeed(ctx context.Context, userID string) (*liaison.CalendarFeed, error) {
	f, err := scanFeed(db.ro.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL
		ORDER BY created_at DESC LIMIT 1`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, feedNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find calendar feed: %w", err)
	}
	return f, nil
}

// FindCalendarFeedByHash returns the live feed of a secret's hash.
func (db *DB) FindCalendarFeedByHash(ctx context.Context, hash []byte) (*liaison.CalendarFeed, error) {
	f, err := scanFeed(db.ro.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE secret_hash = $1 AND revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, feedNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find calendar feed: %w", err)
	}
	return f, nil
}

// RevokeCalendarFeed revokes the user's live feed.
func (db *DB) RevokeCalendarFeed(ctx context.Context, userID string) error {
	return db.write(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`,
			tx.t(tx.now), userID)
		if err != nil {
			return fmt.Errorf("revoke calendar feed: %w", err)
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return feedNotFound()
		}
		return nil
	})
}

const calendarMeetingColumns = `m.id, m.title, m.type, m.status, m.organisation_id, COALESCE(o.name, ''), m.starts_at, m.ends_at,
	m.location, m.link, m.agenda, m.version, m.updated_at, m.organiser_id, COALESCE(ou.name, ''), COALESCE(ou.email, ''),
	COALESCE(ou.language, '')`

const calendarMeetingSource = `meetings m LEFT JOIN organisations o ON o.id = m.organisation_id LEFT JOIN users ou ON ou.id = m.organiser_id`

func scanCalendarMeeting(sc scanner) (*liaison.CalendarMeeting, error) {
	var m liaison.CalendarMeeting
	var org sql.NullString
	var oname, oemail, olang string
	if err := sc.Scan(&m.ID, &m.Title, &m.Type, &m.Status, &m.OrganisationID, &m.OrganisationName, timeCol{&m.StartsAt},
		timeCol{&m.EndsAt}, &m.Location, &m.Link, &m.Agenda, &m.Version, timeCol{&m.UpdatedAt}, &org, &oname, &oemail, &olang); err != nil {
		return nil, err
	}
	if org.Valid {
		m.Organiser = &liaison.Invitee{UserID: org.String, Name: oname, Email: oemail, Language: liaison.Language(olang)}
	}
	return &m, nil
}

// CalendarMeetings returns the user's planned and held meetings from from on.
func (db *DB) CalendarMeetings(ctx context.Context, userID string, from time.Time) ([]*liaison.CalendarMeeting, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+calendarMeetingColumns+` FROM `+calendarMeetingSource+`
		WHERE m.deleted_at IS NULL AND m.status IN ('planned', 'held') AND m.starts_at >= $2
		AND (m.organiser_id = $1 OR m.id IN (SELECT meeting_id FROM meeting_participants WHERE user_id = $1))
		ORDER BY m.starts_at, m.id LIMIT 2000`, userID, db.dialect.timeArg(from))
	if err != nil {
		return nil, fmt.Errorf("calendar meetings: %w", err)
	}
	ms, err := collectRows(rows, scanCalendarMeeting)
	if err != nil {
		return nil, fmt.Errorf("calendar meetings: %w", err)
	}
	return ms, nil
}

// CalendarTasks returns the user's open actions with a due date from from on.
func (db *DB) CalendarTasks(ctx context.Context, userID string, from time.Time) ([]*liaison.CalendarTask, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT a.id, a.title, a.description, a.due_date, COALESCE(a.organisation_id, ''),
		COALESCE(o.name, ''), COALESCE(a.meeting_id, ''), COALESCE(a.cycle_activity_id, ''), a.version, a.updated_at
		FROM actions a LEFT JOIN organisations o ON o.id = a.organisation_id
		WHERE a.owner_id = $1 AND a.status = 'open' AND a.deleted_at IS NULL AND a.due_date IS NOT NULL AND a.due_date >= $2
		ORDER BY a.due_date, a.id LIMIT 5000`, userID, liaison.FormatDate(liaison.DateOf(from)))
	if err != nil {
		return nil, fmt.Errorf("calendar tasks: %w", err)
	}
	ts, err := collectRows(rows, func(sc scanner) (*liaison.CalendarTask, error) {
		var t liaison.CalendarTask
		err := sc.Scan(&t.ID, &t.Title, &t.Description, &t.DueDate, &t.OrganisationID, &t.OrganisationName, &t.MeetingID,
			&t.CycleActivityID, &t.Version, timeCol{&t.UpdatedAt})
		return &t, err
	})
	if err != nil {
		return nil, fmt.Errorf("calendar tasks: %w", err)
	}
	return ts, nil
}

// MeetingForInvitation returns a live meeting with its organiser and participants.
func (db *DB) MeetingForInvitation(ctx context.Context, id string) (*liaison.CalendarMeeting, error) {
	m, err := scanCalendarMeeting(db.ro.QueryRowContext(ctx, `SELECT `+calendarMeetingColumns+` FROM `+calendarMeetingSource+`
		WHERE m.id = $1 AND m.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("meeting", id)
	} else if err != nil {
		return nil, fmt.Errorf("find meeting %s: %w", id, err)
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT COALESCE(p.user_id, ''), COALESCE(p.person_id, ''),
		COALESCE(u.name, pe.name, ''), COALESCE(u.email, pe.email, ''), COALESCE(u.language, pe.language, '')
		FROM meeting_participants p LEFT JOIN users u ON u.id = p.user_id LEFT JOIN people pe ON pe.id = p.person_id
		WHERE p.meeting_id = $1 ORDER BY p.position`, id)
	if err != nil {
		return nil, fmt.Errorf("meeting participants: %w", err)
	}
	ps, err := collectRows(rows, func(sc scanner) (liaison.Invitee, error) {
		var i liaison.Invitee
		var lang string
		err := sc.Scan(&i.UserID, &i.PersonID, &i.Name, &i.Email, &lang)
		i.Language = liaison.Language(lang)
		return i, err
	})
	if err != nil {
		return nil, fmt.Errorf("meeting participants: %w", err)
	}
	m.Attendees = ps
	return m, nil
}
