package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// IdempotencyHeader is the header of every create (embedded in its input).
type IdempotencyHeader struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"255" doc:"Makes the create safe to retry: the same key and body answer the first 201 again; the same key with another body answers 409. Remembered per user."`
}

// created is the answer to a create: 201 with the resource.
type created[T any] struct {
	Location string `header:"Location" doc:"The new resource."`
	ETag     string `header:"ETag"`
	Replayed string `header:"Idempotent-Replayed" doc:"true when this answer repeats the first one for the Idempotency-Key."`
	Body     *T
}

// keyLocks serialise the creates that carry the same Idempotency-Key in
// this process, so that a retry racing its original waits for it and
// replays its answer.
var keyLocks [256]sync.Mutex

func keyLock(userID, key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(userID))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return &keyLocks[h.Sum32()%uint32(len(keyLocks))]
}

// createOnce runs create, or with an Idempotency-Key replays the answer to
// an earlier identical request. route and body identify the request; body
// is the decoded input, so that equal JSON with other spacing is the same
// body. create returns the resource, its path and its version; it must use
// the context it is given, which carries the key's claim: the store writes
// the key in the create's own transaction, so a crash can never leave a
// created record whose key is missing. reread answers a replay whose
// original answer was never saved (the server died between the commit and
// saving it) with the record as it is now. stored, when not nil, gives
// what is remembered instead of the resource (a token without its secret).
func createOnce[T any](ctx context.Context, api *API, key, route string, body any,
	create func(ctx context.Context) (*T, string, int, error),
	reread func(ctx context.Context, id string) (*T, int, error), stored func(*T) *T) (*created[T], error) {
	if key == "" {
		v, loc, version, err := create(ctx)
		if err != nil {
			return nil, err
		}
		return &created[T]{Location: loc, ETag: etag(version), Body: v}, nil
	}
	p := liaison.PrincipalFrom(ctx)
	if p == nil || p.User == nil {
		return nil, &liaison.Error{Code: liaison.EUNAUTHORIZED, Message: "Sign in first."}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte(route+"\n"), b...))
	mu := keyLock(p.User.ID, key)
	mu.Lock()
	defer mu.Unlock()

	store := api.app.Store
	switch prev, err := store.FindIdempotent(ctx, p.User.ID, key); {
	case err == nil:
		return replay(ctx, prev, sum[:], reread)
	case liaison.ErrorCode(err) != liaison.ENOTFOUND:
		return nil, err
	}
	claim := &liaison.IdempotencyClaim{UserID: p.User.ID, Key: key, RequestHash: sum[:],
		LocationPrefix: strings.TrimSuffix(BasePath+route[strings.Index(route, "/"):], "/") + "/"}
	v, loc, version, err := create(liaison.WithIdempotencyClaim(ctx, claim))
	if err != nil {
		// A retry on another instance may have claimed the key first: its
		// answer is this request's answer.
		if prev, ferr := store.FindIdempotent(ctx, p.User.ID, key); ferr == nil {
			return replay(ctx, prev, sum[:], reread)
		}
		return nil, err // failures are not remembered: a retry tries again
	}
	keep := v
	if stored != nil {
		keep = stored(v)
	}
	out, err := json.Marshal(keep)
	if err != nil {
		return nil, err
	}
	r := &liaison.IdempotentResponse{Key: key, UserID: p.User.ID, RequestHash: sum[:], Status: http.StatusCreated,
		Location: loc, Body: out, CreatedAt: time.Now().UTC()}
	if err := store.SaveIdempotent(ctx, r); err != nil {
		// The key is claimed with the record, and a replay rereads it;
		// answering an error now would only invite a retry.
		api.log.Warn("idempotency answer not saved", "user", p.User.ID, "route", route, "err", err)
	}
	return &created[T]{Location: loc, ETag: etag(version), Body: v}, nil
}

func replay[T any](ctx context.Context, prev *liaison.IdempotentResponse, sum []byte,
	reread func(ctx context.Context, id string) (*T, int, error)) (*created[T], error) {
	if !bytes.Equal(prev.RequestHash, sum) {
		return nil, &liaison.Error{Code: liaison.ECONFLICT, Key: "error.idempotency_key_reused",
			Message: "This Idempotency-Key was used for another request; use a new key for a new request."}
	}
	if len(prev.Body) == 0 {
		// Claimed with the record, but the answer was never saved.
		v, version, err := reread(ctx, path.Base(prev.Location))
		if err != nil {
			return nil, err
		}
		return &created[T]{Location: prev.Location, ETag: etag(version), Replayed: "true", Body: v}, nil
	}
	var v T
	if err := json.Unmarshal(prev.Body, &v); err != nil {
		return nil, err
	}
	var ver struct {
		Version int `json:"version"`
	}
	json.Unmarshal(prev.Body, &ver)
	out := &created[T]{Location: prev.Location, Replayed: "true", Body: &v}
	if ver.Version > 0 {
		out.ETag = etag(ver.Version)
	}
	return out, nil
}

// rereader adapts a getter for createOnce's replay of an unsaved answer.
func rereader[T any](get func(context.Context, string) (*T, error), version func(*T) int) func(context.Context, string) (*T, int, error) {
	return func(ctx context.Context, id string) (*T, int, error) {
		v, err := get(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		return v, version(v), nil
	}
}
