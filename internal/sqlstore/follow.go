package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
)

var _ liaison.FollowStore = (*DB)(nil)

const followColumns = `x.id, x.user_id, COALESCE(u.name, ''), x.account_id, COALESCE(o.name, ''), x.version, x.created_at, x.updated_at`

const followSource = `follows x LEFT JOIN users u ON u.id = x.user_id LEFT JOIN organisations o ON o.id = x.account_id`

func scanFollow(s scanner) (*liaison.Follow, error) {
	var f liaison.Follow
	if err := s.Scan(&f.ID, &f.UserID, &f.UserName, &f.AccountID, &f.AccountName, &f.Version,
		timeCol{&f.CreatedAt}, timeCol{&f.UpdatedAt}); err != nil {
		return nil, err
	}
	return &f, nil
}

func findFollow(ctx context.Context, q queryer, userID, accountID string) (*liaison.Follow, error) {
	f, err := scanFollow(q.QueryRowContext(ctx, `SELECT `+followColumns+` FROM `+followSource+
		` WHERE x.user_id = $1 AND x.account_id = $2`, userID, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("follow", accountID)
	} else if err != nil {
		return nil, fmt.Errorf("find follow: %w", err)
	}
	return f, nil
}

// Follow makes userID follow accountID; a repeat returns the follow there is.
func (db *DB) Follow(ctx context.Context, userID, accountID string) (*liaison.Follow, bool, error) {
	var out *liaison.Follow
	created := false
	err := db.write(ctx, func(tx *writeTx) error {
		created = false
		o := &liaison.Organisation{ID: accountID}
		var deleted int
		err := tx.QueryRowContext(ctx, `SELECT name, budget_holder, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END
			FROM organisations WHERE id = $1`+tx.db.dialect.forShare, accountID).Scan(&o.Name, &o.BudgetHolder, &deleted)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("organisation", accountID)
		} else if err != nil {
			return fmt.Errorf("follow: read account: %w", err)
		}
		if deleted != 0 {
			o.DeletedAt = &tx.now
		}
		if err := liaison.CheckFollowable(o); err != nil {
			return err
		}
		if f, err := findFollow(ctx, tx, userID, accountID); err == nil {
			out = f
			return nil
		} else if liaison.ErrorCode(err) != liaison.ENOTFOUND {
			return err
		}
		f := &liaison.Follow{ID: newID(), UserID: userID, AccountID: accountID, AccountName: o.Name, Version: 1,
			CreatedAt: tx.now, UpdatedAt: tx.now}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, userID).Scan(&f.UserName); errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		} else if err != nil {
			return fmt.Errorf("follow: read user: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO follows (id, user_id, account_id, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, f.ID, userID, accountID, f.Version, tx.t(tx.now), tx.t(tx.now)); err != nil {
			return constraintError(fmt.Errorf("follow: %w", err), "the user follows this account already")
		}
		if err := tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: liaison.SubjectFollow, subjectID: f.ID,
			organisationID: accountID, summary: f.UserName, after: f}); err != nil {
			return err
		}
		out, created = f, true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}

// Unfollow ends userID's follow of accountID.
func (db *DB) Unfollow(ctx context.Context, userID, accountID string) error {
	return db.write(ctx, func(tx *writeTx) error {
		f, err := findFollow(ctx, tx, userID, accountID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE id = $1`, f.ID); err != nil {
			return fmt.Errorf("unfollow: %w", err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: liaison.SubjectFollow, subjectID: f.ID,
			organisationID: accountID, summary: f.UserName, before: f})
	})
}

// FindFollows lists follows, oldest first.
func (db *DB) FindFollows(ctx context.Context, f liaison.FollowFilter) ([]*liaison.Follow, string, error) {
	c, err := decodeCursor(f.Cursor, byCreated)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.UserID != "" {
		q.and("x.user_id = " + q.arg(f.UserID))
	}
	if f.AccountID != "" {
		q.and("x.account_id = " + q.arg(f.AccountID))
	}
	tail := q.page("x", byCreated, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+followColumns+` FROM `+followSource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find follows: %w", err)
	}
	items, err := collectRows(rows, scanFollow)
	if err != nil {
		return nil, "", fmt.Errorf("find follows: %w", err)
	}
	items, next := nextPage(items, limit, byCreated, func(x *liaison.Follow) (string, string) { return timeKey(x.CreatedAt), x.ID })
	return items, next, nil
}

// NotificationSettings returns a user's settings; defaults when none are stored.
func (db *DB) NotificationSettings(ctx context.Context, userID string) (*liaison.NotificationSettings, error) {
	return notificationSettings(ctx, db.ro, userID)
}

func notificationSettings(ctx context.Context, q queryer, userID string) (*liaison.NotificationSettings, error) {
	s := &liaison.NotificationSettings{UserID: userID, Digest: liaison.DigestOff}
	var read, digest *time.Time
	err := q.QueryRowContext(ctx, `SELECT digest, read_through, digest_through, digest_sent_on, version, updated_at
		FROM notification_settings WHERE user_id = $1`, userID).Scan(&s.Digest, nullTimeCol{&read}, nullTimeCol{&digest},
		&s.DigestSentOn, &s.Version, timeCol{&s.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	} else if err != nil {
		return nil, fmt.Errorf("notification settings: %w", err)
	}
	if read != nil {
		s.ReadThrough = *read
	}
	if digest != nil {
		s.DigestThrough = *digest
	}
	return s, nil
}

// settingsUpsert makes sure a user's settings row exists before an UPDATE.
const settingsUpsert = `INSERT INTO notification_settings (user_id, version, updated_at) VALUES ($1, 0, $2)
	ON CONFLICT (user_id) DO NOTHING`

func (tx *writeTx) updateNotificationSettings(ctx context.Context, userID, set string, args ...any) error {
	if _, err := tx.ExecContext(ctx, settingsUpsert, userID, tx.t(tx.now)); err != nil {
		return fmt.Errorf("notification settings: %w", err)
	}
	args = append([]any{userID, tx.t(tx.now)}, args...)
	if _, err := tx.ExecContext(ctx, `UPDATE notification_settings SET `+set+`, version = version + 1, updated_at = $2
		WHERE user_id = $1`, args...); err != nil {
		return fmt.Errorf("notification settings: %w", err)
	}
	return nil
}

// SaveDigest stores a user's digest choice.
func (db *DB) SaveDigest(ctx context.Context, userID string, digest liaison.DigestFrequency) (*liaison.NotificationSettings, error) {
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := notificationSettings(ctx, tx, userID)
		if err != nil {
			return err
		}
		set := "digest = $3"
		if cur.Digest == liaison.DigestOff && digest != liaison.DigestOff {
			// A digest turned on starts now: the first one does not carry
			// everything that happened while it was off.
			set += ", digest_through = $4"
			return tx.updateNotificationSettings(ctx, userID, set, string(digest), tx.t(tx.now))
		}
		return tx.updateNotificationSettings(ctx, userID, set, string(digest))
	})
	if err != nil {
		return nil, err
	}
	return db.NotificationSettings(ctx, userID)
}

// MarkNotificationsRead marks the entries ids read, or with all everything up to now.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID string, ids []string, all bool) error {
	return db.write(ctx, func(tx *writeTx) error {
		if all {
			if err := tx.updateNotificationSettings(ctx, userID, "read_through = $3", tx.t(tx.now)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM notification_reads WHERE user_id = $1`, userID); err != nil {
				return fmt.Errorf("mark read: %w", err)
			}
			return nil
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notification_reads (user_id, entry_id) VALUES ($1, $2)
				ON CONFLICT (user_id, entry_id) DO NOTHING`, userID, id); err != nil {
				return fmt.Errorf("mark read: %w", err)
			}
		}
		return nil
	})
}

// DigestUsers lists the settings of the users whose digest is on.
func (db *DB) DigestUsers(ctx context.Context) ([]*liaison.NotificationSettings, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT user_id FROM notification_settings WHERE digest <> 'off' ORDER BY user_id`)
	if err != nil {
		return nil, fmt.Errorf("digest users: %w", err)
	}
	ids, err := collectRows(rows, func(s scanner) (string, error) {
		var id string
		return id, s.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("digest users: %w", err)
	}
	out := make([]*liaison.NotificationSettings, 0, len(ids))
	for _, id := range ids {
		s, err := db.NotificationSettings(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// MarkDigestSent records that a digest carried the events up to through.
func (db *DB) MarkDigestSent(ctx context.Context, userID string, through time.Time, day string) error {
	return db.write(ctx, func(tx *writeTx) error {
		return tx.updateNotificationSettings(ctx, userID, "digest_through = $3, digest_sent_on = $4", tx.t(through), day)
	})
}

// maxMergedFollows is how many followed accounts the feed reads as one
// index range each, merged; a user following more is read by a join.
const maxMergedFollows = 100

// FindNotifications reads a user's notifications: the timeline events of
// the accounts they follow, after they started following, not their own
// and not follows, newest first.
//
// It is the one query of notifications on the timeline's table. Each
// followed account is one range of timeline_entries' key (account_id, at,
// id) from the later of the follow and the read or digest mark, the
// newest page of each, merged: a page costs at most a page an account,
// however long the accounts' histories.
func (db *DB) FindNotifications(ctx context.Context, f liaison.NotificationFilter) (*liaison.NotificationPage, error) {
	limit := pageLimit(f.Limit)
	c, err := decodeCursor(f.Cursor, newest)
	if err != nil {
		return nil, err
	}
	settings, err := notificationSettings(ctx, db.ro, f.UserID)
	if err != nil {
		return nil, err
	}
	fq := `SELECT account_id, created_at FROM follows WHERE user_id = $1`
	args := []any{f.UserID}
	if f.AccountID != "" {
		fq += ` AND account_id = $2`
		args = append(args, f.AccountID)
	}
	rows, err := db.ro.QueryContext(ctx, fq+` ORDER BY account_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("notifications: follows: %w", err)
	}
	type follow struct {
		account string
		since   time.Time
	}
	follows, err := collectRows(rows, func(s scanner) (follow, error) {
		var x follow
		return x, s.Scan(&x.account, timeCol{&x.since})
	})
	if err != nil {
		return nil, fmt.Errorf("notifications: follows: %w", err)
	}
	out := &liaison.NotificationPage{Items: []*liaison.Notification{}}
	if len(follows) == 0 {
		return out, nil
	}
	// floor is the mark below which nothing is asked for.
	floor := f.After
	feed := func(q *query, unread, paged bool, columns string, n int) string {
		lower := floor
		if unread && settings.ReadThrough.After(lower) {
			lower = settings.ReadThrough
		}
		user := q.arg(f.UserID)
		cond := func(account, since string) string {
			w := " WHERE a.account_id = " + account + " AND a.at > " + since + " AND a.at > " + q.arg(db.dialect.timeArg(lower)) +
				" AND a.actor_id <> " + user + " AND a.subject_type <> " + q.arg(liaison.SubjectFollow)
			if unread {
				w += " AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.user_id = " + user + " AND r.entry_id = a.id)"
			}
			if c != nil && paged {
				t, _ := time.Parse(time.RFC3339Nano, c.Value) // checked by decodeCursor
				w += " AND (a.at, a.id) < (" + q.arg(db.dialect.timeArg(t)) + ", " + q.arg(c.ID) + ")"
			}
			return w
		}
		order := " ORDER BY a.at DESC, a.id DESC LIMIT " + q.arg(n)
		if len(follows) > maxMergedFollows {
			return `SELECT ` + columns + ` FROM follows fl JOIN timeline_entries a ON a.account_id = fl.account_id` +
				cond("fl.account_id", "fl.created_at") + " AND fl.user_id = " + user + order
		}
		parts := make([]string, len(follows))
		for i, x := range follows {
			parts[i] = `SELECT * FROM (SELECT ` + columns + ` FROM timeline_entries a` +
				cond(q.arg(x.account), q.arg(db.dialect.timeArg(x.since))) + order + `) t` + strconv.Itoa(i)
		}
		return strings.Join(parts, " UNION ALL ")
	}
	if f.CountUnread || f.CountOnly {
		q := query{d: db.dialect}
		var n int
		if err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+feed(&q, true, false, "a.id", liaison.UnreadCap)+`) n`,
			q.args...).Scan(&n); err != nil {
			return nil, fmt.Errorf("notifications: count: %w", err)
		}
		out.Unread = min(n, liaison.UnreadCap)
	}
	if f.CountOnly {
		return out, nil
	}
	q := query{d: db.dialect}
	user := q.arg(f.UserID)
	columns := `a.id, a.at, a.actor_id, a.actor_name, a.action, a.subject_type, a.subject_id, a.organisation_id, a.summary,
		a.link_id, a.account_id, CASE WHEN EXISTS (SELECT 1 FROM notification_reads r WHERE r.user_id = ` + user + ` AND r.entry_id = a.id)
		THEN 1 ELSE 0 END AS marked`
	inner := feed(&q, f.UnreadOnly, true, columns, limit+1)
	sqlText := `SELECT a.id, a.at, a.actor_id, a.actor_name, a.action, a.subject_type, a.subject_id, a.organisation_id, a.summary,
		a.link_id, a.account_id, a.marked, COALESCE(o.name, '') FROM (` + inner + `) a
		LEFT JOIN organisations o ON o.id = a.account_id ORDER BY a.at DESC, a.id DESC LIMIT ` + q.arg(limit+1)
	rows, err = db.ro.QueryContext(ctx, sqlText, q.args...)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	type row struct {
		e       *liaison.AuditEntry
		marked  int
		account string
	}
	found, err := collectRows(rows, func(s scanner) (row, error) {
		var r row
		var e liaison.AuditEntry
		err := s.Scan(&e.ID, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectType, &e.SubjectID,
			&e.OrganisationID, &e.Summary, &e.LinkID, &e.AccountID, &r.marked, &r.account)
		r.e = &e
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	found, out.NextCursor = nextPage(found, limit, newest, func(r row) (string, string) { return timeKey(r.e.At), r.e.ID })
	for _, r := range found {
		item := liaison.Timeline([]*liaison.AuditEntry{r.e})[0]
		out.Items = append(out.Items, &liaison.Notification{TimelineItem: item, AccountID: r.e.AccountID, AccountName: r.account,
			Read: r.marked != 0 || !r.e.At.After(settings.ReadThrough)})
	}
	return out, nil
}
