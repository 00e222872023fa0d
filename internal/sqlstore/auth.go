package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// Sessions, tokens and login failures live in the database so that every
// instance shares them. They are not audited: they are credentials and
// counters, not the business records the trail is for.

// CreateSession stores a session and, while at it, drops expired ones, so
// the table stays the size of the signed-in population without a sweeper.
func (db *DB) CreateSession(ctx context.Context, s *liaison.Session) error {
	if len(s.Hash) == 0 || s.UserID == "" {
		return liaison.Errorf(liaison.EINVALID, "a session needs a hash and a user")
	}
	n := *s
	err := db.write(ctx, func(tx *writeTx) error {
		if n.CreatedAt.IsZero() {
			n.CreatedAt = tx.now
		}
		n.CreatedAt, n.ExpiresAt = n.CreatedAt.UTC().Truncate(time.Microsecond), n.ExpiresAt.UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create session: prune: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			n.Hash, n.UserID, tx.t(n.CreatedAt), tx.t(n.ExpiresAt)); err != nil {
			return fmt.Errorf("create session: %w", constraintError(err, "the session exists already"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// FindSession returns an unexpired session.
func (db *DB) FindSession(ctx context.Context, hash []byte) (*liaison.Session, error) {
	var s liaison.Session
	err := db.ro.QueryRowContext(ctx, `SELECT hash, user_id, created_at, expires_at FROM sessions WHERE hash = $1 AND expires_at > $2`,
		hash, db.dialect.timeArg(db.now())).Scan(&s.Hash, &s.UserID, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "session not found or expired", Key: "error.session_expired"}
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return &s, nil
}

// DeleteSession ends a session; ending one that is gone is not an error.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := db.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions signs a user out everywhere.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) error {
	if _, err := db.wdb.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete sessions of user %s: %w", userID, err)
	}
	return nil
}

const tokenColumns = `id, user_id, name, scope, hash, created_at, last_used_at, revoked_at, customer_id`

func scanToken(s scanner) (*liaison.Token, error) {
	var t liaison.Token
	// Scanned in place: FindTokenUser collects these destinations and scans later.
	if err := s.Scan(&t.ID, &t.UserID, &t.Name, &t.Scope, &t.Hash, timeCol{&t.CreatedAt},
		nullTimeCol{&t.LastUsedAt}, nullTimeCol{&t.RevokedAt}, nullStrCol{&t.CustomerID}); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateToken stores an API token; it fills ID and CreatedAt.
func (db *DB) CreateToken(ctx context.Context, t *liaison.Token) error {
	var v liaison.Validation
	if t.UserID == "" {
		v.Add("user_id", liaison.CodeRequired, "error.required", "is required")
	}
	if !t.Scope.Valid() {
		v.Add("scope", liaison.CodeInvalid, "error.scope_invalid", "must be one of read, write")
	}
	if len(t.Hash) == 0 {
		v.Add("hash", liaison.CodeRequired, "error.required", "is required")
	}
	v.MaxLen("name", t.Name, liaison.MaxNameLen)
	if err := v.Err(); err != nil {
		return err
	}
	n := *t
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID, n.CreatedAt, n.LastUsedAt, n.RevokedAt = newID(), tx.now, nil, nil
		if n.CustomerID != nil {
			if n.Scope != liaison.ScopeRead {
				return liaison.Errorf(liaison.EINVALID, "a customer-scoped token may only read")
			}
			if _, err := findAccount(ctx, tx, *n.CustomerID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tokens (id, user_id, name, scope, hash, created_at, customer_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			n.ID, n.UserID, n.Name, string(n.Scope), n.Hash, tx.t(tx.now), nullPtr(n.CustomerID)); err != nil {
			return fmt.Errorf("create token: %w", constraintError(err, "a token with this secret exists already"))
		}
		return tx.claimIdempotency(ctx, n.ID)
	})
	if err != nil {
		return err
	}
	*t = n
	return nil
}

// tokenUseResolution is how stale last_used_at may get. Recording every
// use would put a write on the hot path of every API call; once a minute
// per token costs one small UPDATE and still answers "is it in use?".
const tokenUseResolution = time.Minute

// FindTokenByHash returns a live (unrevoked) token and records its use,
// at most once a minute.
func (db *DB) FindTokenByHash(ctx context.Context, hash []byte) (*liaison.Token, error) {
	t, err := scanToken(db.ro.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1 AND revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "token not found or revoked", Key: "error.token_invalid"}
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	if err := db.touchToken(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// FindTokens returns a user's tokens, revoked ones included, newest first.
func (db *DB) FindTokens(ctx context.Context, userID string) ([]*liaison.Token, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("find tokens of user %s: %w", userID, err)
	}
	tokens, err := collectRows(rows, scanToken)
	if err != nil {
		return nil, fmt.Errorf("find tokens of user %s: %w", userID, err)
	}
	return tokens, nil
}

// RevokeToken revokes one of the user's tokens. Revoking it again is not
// an error; another user's token is not found.
func (db *DB) RevokeToken(ctx context.Context, userID, id string) error {
	return db.write(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
			tx.t(tx.now), id, userID)
		if err != nil {
			return fmt.Errorf("revoke token %s: %w", id, err)
		}
		if n, err := rowsAffected(res); err != nil || n > 0 {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tokens WHERE id = $1 AND user_id = $2`, id, userID).Scan(&n); err != nil {
			return fmt.Errorf("revoke token %s: %w", id, err)
		}
		if n == 0 {
			return notFound("token", id)
		}
		return nil
	})
}

// RecordLoginFailure counts a failed sign-in for key and returns the
// failures since since. Rows of the key older than since are pruned, so a
// key keeps at most a window's worth of rows.
func (db *DB) RecordLoginFailure(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1 AND at < $2`, key, tx.t(since)); err != nil {
			return fmt.Errorf("record login failure: prune: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, tx.t(tx.now)); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, tx.t(since)).Scan(&n)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// LoginFailures returns the failures for key since since.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2`,
		key, db.dialect.timeArg(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count login failures: %w", err)
	}
	return n, nil
}

// ClearLoginFailures forgets the failures of key (after a good sign-in).
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := db.wdb.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}
