package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

var _ liaison.ReportStore = (*DB)(nil)

const subjectReportCopy = "meeting_report_copy"

// ReportData reads the rows of an account's report pack. Each query starts
// from the account's own index (complaints_account_id_idx,
// agreements_organisation_id_idx then sla_results_agreement_id_idx,
// improvement_accounts/raisers_organisation_idx, actions_organisation_idx,
// meetings_organisation_idx), so the cost follows the account's size, not
// the database's.
func (db *DB) ReportData(ctx context.Context, accountID string, from, to time.Time) (*liaison.ReportData, error) {
	acc, err := db.FindOrganisationByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	d := &liaison.ReportData{Account: acc, From: from, To: to}
	steps := []func(context.Context, *liaison.ReportData) error{
		db.reportComplaints, db.reportSLA, db.reportImprovements, db.reportActions, db.reportMeetings,
	}
	for _, step := range steps {
		if err := step(ctx, d); err != nil {
			return nil, fmt.Errorf("report %s: %w", accountID, err)
		}
	}
	return d, nil
}

func (db *DB) reportComplaints(ctx context.Context, d *liaison.ReportData) error {
	rows, err := db.ro.QueryContext(ctx, `SELECT c.id, c.title, c.classification, c.status, c.severity,
		COALESCE(c.service_id, ''), COALESCE(s.name, ''), c.received_at, c.resolved_at
		FROM complaints c LEFT JOIN services s ON s.id = c.service_id
		WHERE c.account_id = $1 AND c.deleted_at IS NULL AND c.received_at >= $2 AND c.received_at < $3
		ORDER BY c.received_at, c.id`, d.Account.ID, db.dialect.timeArg(d.From), db.dialect.timeArg(d.To))
	if err != nil {
		return err
	}
	d.Complaints, err = collectRows(rows, func(s scanner) (liaison.ReportComplaint, error) {
		var c liaison.ReportComplaint
		err := s.Scan(&c.ID, &c.Title, &c.Classification, &c.Status, &c.Severity, &c.ServiceID, &c.ServiceName,
			timeCol{&c.ReceivedAt}, nullTimeCol{&c.ResolvedAt})
		return c, err
	})
	return err
}

// reportSLA reads the results of the months the period touches.
func (db *DB) reportSLA(ctx context.Context, d *liaison.ReportData) error {
	first, last := d.From.Format("2006-01"), d.To.AddDate(0, 0, -1).Format("2006-01")
	rows, err := db.ro.QueryContext(ctx, `SELECT r.agreement_id, a.title, r.service_id, s.name, r.period, r.metric,
		r.target, r.actual, r.unit, r.breached
		FROM agreements a JOIN sla_results r ON r.agreement_id = a.id JOIN services s ON s.id = r.service_id
		WHERE a.organisation_id = $1 AND a.deleted_at IS NULL AND r.period >= $2 AND r.period <= $3
		ORDER BY s.name, r.service_id, r.period, r.metric, r.id`, d.Account.ID, first, last)
	if err != nil {
		return err
	}
	d.SLA, err = collectRows(rows, func(s scanner) (liaison.ReportSLA, error) {
		var r liaison.ReportSLA
		err := s.Scan(&r.AgreementID, &r.AgreementTitle, &r.ServiceID, &r.ServiceName, &r.Period, &r.Metric,
			&r.Target, &r.Actual, &r.Unit, &r.Breached)
		return r, err
	})
	return err
}

// reportImprovements reads the improvements that name the account, as
// affected or as raiser, that are still open or changed in the period.
func (db *DB) reportImprovements(ctx context.Context, d *liaison.ReportData) error {
	rows, err := db.ro.QueryContext(ctx, `SELECT i.id, i.title, i.status, i.updated_at FROM improvements i
		WHERE i.deleted_at IS NULL
		AND (i.id IN (SELECT improvement_id FROM improvement_accounts WHERE organisation_id = $1)
			OR i.id IN (SELECT improvement_id FROM improvement_raisers WHERE organisation_id = $1))
		AND (i.status IN ('proposed', 'approved', 'in_progress') OR (i.updated_at >= $2 AND i.updated_at < $3))
		ORDER BY i.updated_at DESC, i.id LIMIT 200`, d.Account.ID, db.dialect.timeArg(d.From), db.dialect.timeArg(d.To))
	if err != nil {
		return err
	}
	d.Improvements, err = collectRows(rows, func(s scanner) (liaison.ReportImprovement, error) {
		var i liaison.ReportImprovement
		err := s.Scan(&i.ID, &i.Title, &i.Status, timeCol{&i.UpdatedAt})
		return i, err
	})
	return err
}

// reportActions reads the account's open actions, the dated ones first by
// due date. They are open now, whatever the period: the pack is presented
// at the next meeting.
func (db *DB) reportActions(ctx context.Context, d *liaison.ReportData) error {
	rows, err := db.ro.QueryContext(ctx, `SELECT a.id, a.title, COALESCE(u.name, ''), COALESCE(a.due_date, '')
		FROM actions a LEFT JOIN users u ON u.id = a.owner_id
		WHERE a.organisation_id = $1 AND a.status = 'open' AND a.deleted_at IS NULL
		ORDER BY COALESCE(a.due_date, '9999-12-31'), a.id LIMIT 500`, d.Account.ID)
	if err != nil {
		return err
	}
	d.Actions, err = collectRows(rows, func(s scanner) (liaison.ReportAction, error) {
		var a liaison.ReportAction
		err := s.Scan(&a.ID, &a.Title, &a.OwnerName, &a.DueDate)
		return a, err
	})
	return err
}

// reportMeetings reads the meetings held in the period.
func (db *DB) reportMeetings(ctx context.Context, d *liaison.ReportData) error {
	rows, err := db.ro.QueryContext(ctx, `SELECT m.id, m.organisation_id, m.title, m.type, m.starts_at FROM meetings m
		WHERE m.organisation_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3 AND m.status = 'held' AND m.deleted_at IS NULL
		ORDER BY m.starts_at, m.id`, d.Account.ID, db.dialect.timeArg(d.From), db.dialect.timeArg(d.To))
	if err != nil {
		return err
	}
	d.Meetings, err = collectRows(rows, scanReportMeeting)
	return err
}

func scanReportMeeting(s scanner) (liaison.ReportMeeting, error) {
	var m liaison.ReportMeeting
	err := s.Scan(&m.ID, &m.OrganisationID, &m.Title, &m.Type, timeCol{&m.StartsAt})
	return m, err
}

func findReportMeeting(ctx context.Context, q queryer, id string) (*liaison.ReportMeeting, error) {
	m, err := scanReportMeeting(q.QueryRowContext(ctx, `SELECT m.id, m.organisation_id, m.title, m.type, m.starts_at
		FROM meetings m WHERE m.id = $1 AND m.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("meeting", id)
	} else if err != nil {
		return nil, fmt.Errorf("find meeting %s: %w", id, err)
	}
	return &m, nil
}

// FindReportMeeting returns what a report copy needs of a live meeting.
func (db *DB) FindReportMeeting(ctx context.Context, id string) (*liaison.ReportMeeting, error) {
	return findReportMeeting(ctx, db.ro, id)
}

// CreateReportCopy stores a pack's PDF with its meeting, for the meeting's account.
func (db *DB) CreateReportCopy(ctx context.Context, c *liaison.ReportCopy) error {
	n := *c
	err := db.write(ctx, func(tx *writeTx) error {
		m, err := findReportMeeting(ctx, tx, n.MeetingID)
		if err != nil {
			return err
		}
		actorID, actorName, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.ID, n.OrganisationID, n.Size, n.CreatedAt = newID(), m.OrganisationID, len(n.PDF), tx.now
		n.CreatedByID, n.CreatedByName = actorID, actorName
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_report_copies
			(id, meeting_id, organisation_id, period_from, period_to, language, pdf, created_by_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, n.ID, n.MeetingID, n.OrganisationID, n.From, n.To, n.Language,
			n.PDF, nullString(actorID), tx.t(tx.now)); err != nil {
			return fmt.Errorf("create report copy: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectReportCopy, subjectID: n.ID,
			organisationID: n.OrganisationID, summary: m.Title + ": " + n.From + " – " + n.To, after: &n})
	})
	if err != nil {
		return err
	}
	*c = n
	return nil
}

const reportCopyColumns = `c.id, c.meeting_id, c.organisation_id, c.period_from, c.period_to, c.language,
	COALESCE(c.created_by_id, ''), COALESCE(u.name, ''), c.created_at`

const reportCopyFrom = ` FROM meeting_report_copies c LEFT JOIN users u ON u.id = c.created_by_id`

func scanReportCopy(s scanner, extra ...any) (*liaison.ReportCopy, error) {
	var c liaison.ReportCopy
	dest := append([]any{&c.ID, &c.MeetingID, &c.OrganisationID, &c.From, &c.To, &c.Language, &c.CreatedByID,
		&c.CreatedByName, timeCol{&c.CreatedAt}}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return &c, nil
}

// FindReportCopies lists a meeting's copies, newest first, with their sizes but not their PDFs.
func (db *DB) FindReportCopies(ctx context.Context, meetingID string) ([]*liaison.ReportCopy, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+reportCopyColumns+`, LENGTH(c.pdf)`+reportCopyFrom+`
		WHERE c.meeting_id = $1 ORDER BY c.created_at DESC, c.id DESC`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("find report copies: %w", err)
	}
	return collectRows(rows, func(s scanner) (*liaison.ReportCopy, error) {
		var size int
		c, err := scanReportCopy(s, &size)
		if c != nil {
			c.Size = size
		}
		return c, err
	})
}

// FindReportCopy returns one copy of a meeting with its PDF.
func (db *DB) FindReportCopy(ctx context.Context, meetingID, id string) (*liaison.ReportCopy, error) {
	var pdf []byte
	c, err := scanReportCopy(db.ro.QueryRowContext(ctx, `SELECT `+reportCopyColumns+`, c.pdf`+reportCopyFrom+`
		WHERE c.id = $1 AND c.meeting_id = $2`, id, meetingID), &pdf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("report copy", id)
	} else if err != nil {
		return nil, fmt.Errorf("find report copy %s: %w", id, err)
	}
	c.PDF, c.Size = pdf, len(pdf)
	return c, nil
}
