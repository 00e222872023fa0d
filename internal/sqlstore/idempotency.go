package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
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

// claimIdempotency writes the context's Idempotency-Key claim for the
// record id, once per transaction: the key then commits or rolls back with
// the record. A key taken meanwhile (a retry racing on another instance)
// fails the create with ECONFLICT; the caller finds the winner's answer.
func (tx *writeTx) claimIdempotency(ctx context.Context, id string) error {
	c := liaison.IdempotencyClaimFrom(ctx)
	if c == nil || tx.claimed != "" || c.UserID == "" || c.Key == "" {
		return nil
	}
	hash := c.RequestHash
	if hash == nil {
		hash = []byte{}
	}
	loc := c.LocationPrefix + id
	if _, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, status, location, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.UserID, c.Key, hash, http.StatusCreated, loc, []byte{}, tx.t(tx.now)); err != nil {
		return fmt.Errorf("claim idempotency key: %w", constraintError(err, "the idempotency key was used by another request"))
	}
	tx.claimed = loc
	return nil
}

// SaveIdempotent stores the answer to a create: it fills in the body of a
// key the create claimed, or inserts the key; ECONFLICT when another
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
		// The claim row has this request's hash and an empty body; only
		// that row is filled in, never another request's answer.
		res, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $3, location = $4, body = $5
			WHERE user_id = $1 AND key = $2 AND request_hash = $6 AND length(body) = 0`,
			n.UserID, n.Key, n.Status, n.Location, n.Body, n.RequestHash)
		if err != nil {
			return fmt.Errorf("save idempotency key: %w", err)
		}
		if k, err := rowsAffected(res); err != nil || k > 0 {
			return err
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
