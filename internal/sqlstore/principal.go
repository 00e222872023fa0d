package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Every authenticated request resolves its credential into a user. These
// two lookups do it in one indexed join instead of two queries, because
// they sit in front of every API call and page view.

// collect gathers the destinations of several scan functions so that one
// row can fill them all with a single Scan.
type collect struct{ dest []any }

func (c *collect) Scan(dest ...any) error { c.dest = append(c.dest, dest...); return nil }

// FindTokenUser returns a live token and its user.
func (db *DB) FindTokenUser(ctx context.Context, hash []byte) (*liaison.Token, *liaison.User, error) {
	var c collect
	t, _ := scanToken(&c)
	u, _ := scanUser(&c)
	err := db.ro.QueryRowContext(ctx, `SELECT t.id, t.user_id, t.name, t.scope, t.hash, t.created_at, t.last_used_at, t.revoked_at, t.customer_id, `+userColumns+`
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1 AND t.revoked_at IS NULL`, hash).Scan(c.dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "token not found or revoked", Key: "error.token_invalid"}
	} else if err != nil {
		return nil, nil, fmt.Errorf("find token: %w", err)
	}
	if err := db.touchToken(ctx, t); err != nil {
		return nil, nil, err
	}
	return t, u, nil
}

// touchToken records when a token was last used, at most once per
// tokenUseResolution, so the hot path rarely writes.
func (db *DB) touchToken(ctx context.Context, t *liaison.Token) error {
	now := db.now()
	if t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < tokenUseResolution {
		return nil
	}
	// The condition repeats in SQL so that concurrent requests with the
	// same token write once.
	if _, err := db.wdb.ExecContext(ctx, `UPDATE tokens SET last_used_at = $1
		WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)`,
		db.dialect.timeArg(now), t.ID, db.dialect.timeArg(now.Add(-tokenUseResolution))); err != nil {
		return fmt.Errorf("record token use: %w", err)
	}
	t.LastUsedAt = &now
	return nil
}

// FindSessionUser returns an unexpired session and its user.
func (db *DB) FindSessionUser(ctx context.Context, hash []byte) (*liaison.Session, *liaison.User, error) {
	var c collect
	var s liaison.Session
	c.Scan(&s.Hash, &s.UserID, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
	u, _ := scanUser(&c)
	err := db.ro.QueryRowContext(ctx, `SELECT s.hash, s.user_id, s.created_at, s.expires_at, `+userColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1 AND s.expires_at > $2`,
		hash, db.dialect.timeArg(db.now())).Scan(c.dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "session not found or expired", Key: "error.session_expired"}
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	return &s, u, nil
}
