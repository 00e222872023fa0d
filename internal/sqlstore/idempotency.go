package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/liaisonhq/liaison"
)

// FindIdempotent returns the stored answer to the user's Idempotency-Key.
func (db *DB) FindIdempotent(ctx context.Context, userID, key string) (*liaison.IdempotentResponse, error) {
	var r liaison.IdempotentResponse
	err := db.ro.QueryRowContext(ctx, `SELECT user_id, key, request_hash, status, location, body, created_at
		FROM idempotency_keys WHERE user_id = $1 AND key = $2`, userID, key,
	).Scan(&r.UserID, &r.Key, &r.RequestHash, &r.Status, &r.Location, &r.Body, timeCol{&r.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("idempotency key", key)
	} else if err != nil {
		return nil, fmt.Errorf("find idempotency key: %w", err)
	}
	return &r, nil
}

// SaveIdempotent stores the answer to a create; ECONFLICT when another
// request with the key was answered first.
func (db *DB) SaveIdempotent(ctx context.Context, r *liaison.IdempotentResponse) error {
	if r.UserID == "" || r.Key == "" {
		return liaison.Errorf(liaison.EINVALID, "an idempotent response needs a user and a key")
	}
	n := *r
	err := db.write(ctx, func(tx *writeTx) error {
		if n.CreatedAt.IsZero() {
			n.CreatedAt = tx.now
		}
		if n.Body == nil {
			n.Body = []byte{}
		}
		if n.RequestHash == nil {
			n.RequestHash = []byte{}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, status, location, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, n.UserID, n.Key, n.RequestHash, n.Status, n.Location, n.Body, tx.t(n.CreatedAt)); err != nil {
			return fmt.Errorf("save idempotency key: %w", constraintError(err, "the idempotency key was used by another request"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	n.CreatedAt = n.CreatedAt.UTC().Truncate(time.Microsecond)
	*r = n
	return nil
}
