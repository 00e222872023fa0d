package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
)

// EnqueueMail stores m as pending, due at once; a taken dedupe key stores
// nothing. ON CONFLICT DO NOTHING settles a race between two instances in
// the database: the loser's insert simply affects no row.
func (db *DB) EnqueueMail(ctx context.Context, m *liaison.MailMessage) (bool, error) {
	n := *m
	n.To = strings.TrimSpace(n.To)
	if n.To == "" || !strings.Contains(n.To, "@") {
		var v liaison.Validation
		v.Add("to", liaison.CodeInvalid, "error.email_invalid", "must be an email address")
		return false, v.Err()
	}
	if n.Subject == "" {
		var v liaison.Validation
		v.Add("subject", liaison.CodeRequired, "error.required", "is required")
		return false, v.Err()
	}
	inserted := false
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID, n.Status, n.Attempts, n.LastError, n.CreatedAt, n.NextAttemptAt, n.SentAt =
			newID(), liaison.MailPending, 0, "", tx.now, tx.now, nil
		res, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (id, dedupe_key, to_address, to_name, user_id, language,
			subject, text_body, html_body, status, attempts, next_attempt_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11)
			ON CONFLICT (dedupe_key) DO NOTHING`,
			n.ID, nullString(n.DedupeKey), n.To, n.ToName, n.UserID, string(n.Language), n.Subject, n.Text, n.HTML,
			n.Status, tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("enqueue mail: %w", err)
		}
		c, err := rowsAffected(res)
		inserted = c == 1
		if err != nil || !inserted {
			return err
		}
		for i, a := range n.Attachments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO mail_attachments (message_id, position, name, content_type, data)
				VALUES ($1, $2, $3, $4, $5)`, n.ID, i, a.Name, a.ContentType, a.Data); err != nil {
				return fmt.Errorf("enqueue mail attachment: %w", err)
			}
		}
		return nil
	})
	if err != nil || !inserted {
		return false, err
	}
	*m = n
	return true, nil
}

const mailColumns = `id, dedupe_key, to_address, to_name, user_id, language, subject, text_body, html_body, status,
	attempts, next_attempt_at, last_error, created_at, sent_at`

func scanMail(sc scanner) (*liaison.MailMessage, error) {
	var m liaison.MailMessage
	var key sql.NullString
	var lang string
	if err := sc.Scan(&m.ID, &key, &m.To, &m.ToName, &m.UserID, &lang, &m.Subject, &m.Text, &m.HTML, &m.Status,
		&m.Attempts, timeCol{&m.NextAttemptAt}, &m.LastError, timeCol{&m.CreatedAt}, nullTimeCol{&m.SentAt}); err != nil {
		return nil, err
	}
	m.DedupeKey, m.Language = key.String, liaison.Language(lang)
	return &m, nil
}

// ClaimMail leases up to limit due messages. Each is taken with a
// conditional UPDATE that re-checks it is still pending and due, so two
// concurrent claims never both take one message.
func (db *DB) ClaimMail(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*liaison.MailMessage, error) {
	if limit <= 0 {
		limit = 50
	}
	now, leaseUntil = now.UTC().Truncate(time.Microsecond), leaseUntil.UTC().Truncate(time.Microsecond)
	var claimed []*liaison.MailMessage
	err := db.write(ctx, func(tx *writeTx) error {
		claimed = nil
		rows, err := tx.QueryContext(ctx, `SELECT `+mailColumns+` FROM mail_outbox
			WHERE status = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT `+fmt.Sprint(limit),
			liaison.MailPending, tx.t(now))
		if err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		due, err := collectRows(rows, scanMail)
		if err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		for _, m := range due {
			res, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET next_attempt_at = $1
				WHERE id = $2 AND status = $3 AND next_attempt_at <= $4`, tx.t(leaseUntil), m.ID, liaison.MailPending, tx.t(now))
			if err != nil {
				return fmt.Errorf("claim mail %s: %w", m.ID, err)
			}
			if n, err := rowsAffected(res); err != nil {
				return err
			} else if n == 1 {
				m.NextAttemptAt = leaseUntil
				claimed = append(claimed, m)
			}
		}
		return loadMailAttachments(ctx, tx, claimed)
	})
	if err != nil {
		return nil, err
	}
	return claimed, nil
}

// MarkMailSent records a delivery.
func (db *DB) MarkMailSent(ctx context.Context, id string, at time.Time) error {
	return db.write(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET status = $1, sent_at = $2, attempts = attempts + 1, last_error = ''
			WHERE id = $3`, liaison.MailSent, tx.t(at.UTC().Truncate(time.Microsecond)), id)
		if err != nil {
			return fmt.Errorf("mark mail %s sent: %w", id, err)
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return notFound("mail", id)
		}
		return nil
	})
}

// MarkMailFailed records a failed attempt.
func (db *DB) MarkMailFailed(ctx context.Context, id, reason string, next time.Time, giveUp bool) error {
	status := liaison.MailPending
	if giveUp {
		status = liaison.MailFailed
	}
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	reason = strings.ToValidUTF8(strings.ReplaceAll(reason, "\x00", ""), "")
	return db.write(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET status = $1, attempts = attempts + 1, last_error = $2,
			next_attempt_at = $3 WHERE id = $4 AND status = $5`,
			status, reason, tx.t(next.UTC().Truncate(time.Microsecond)), id, liaison.MailPending)
		if err != nil {
			return fmt.Errorf("mark mail %s failed: %w", id, err)
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return notFound("pending mail", id)
		}
		return nil
	})
}

// FindMail returns outbox messages, newest first.
func (db *DB) FindMail(ctx context.Context, f liaison.MailFilter) ([]*liaison.MailMessage, error) {
	q := query{d: db.dialect}
	if f.Status != "" {
		q.and("status = " + q.arg(f.Status))
	}
	if f.To != "" {
		q.and("to_address = " + q.arg(f.To))
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT `+mailColumns+` FROM mail_outbox`+q.whereClause()+
		` ORDER BY created_at DESC, id DESC LIMIT `+fmt.Sprint(pageLimit(f.Limit)), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find mail: %w", err)
	}
	ms, err := collectRows(rows, scanMail)
	if err != nil {
		return nil, fmt.Errorf("find mail: %w", err)
	}
	return ms, nil
}

// CountMail counts the outbox's messages by status.
func (db *DB) CountMail(ctx context.Context) (map[string]int, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count mail: %w", err)
	}
	defer rows.Close()
	out := map[string]int{liaison.MailPending: 0, liaison.MailSent: 0, liaison.MailFailed: 0}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count mail: %w", err)
		}
		out[s] = n
	}
	return out, rows.Err()
}

// loadMailAttachments fills the attachments of messages, one query each
// (a claimed batch is small, and most messages have none).
func loadMailAttachments(ctx context.Context, q queryer, msgs []*liaison.MailMessage) error {
	for _, m := range msgs {
		rows, err := q.QueryContext(ctx, `SELECT name, content_type, data FROM mail_attachments WHERE message_id = $1 ORDER BY position`, m.ID)
		if err != nil {
			return fmt.Errorf("load mail attachments: %w", err)
		}
		as, err := collectRows(rows, func(sc scanner) (liaison.MailAttachment, error) {
			var a liaison.MailAttachment
			err := sc.Scan(&a.Name, &a.ContentType, &a.Data)
			return a, err
		})
		if err != nil {
			return fmt.Errorf("load mail attachments: %w", err)
		}
		m.Attachments = as
	}
	return nil
}
