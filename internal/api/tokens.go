package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// Token is an API token of the signed-in user as the API shows it. The
// secret appears once, in the answer to the create.
type Token struct {
	ID         string        `json:"id"`
	UserID     string        `json:"user_id"`
	Name       string        `json:"name"`
	Scope      liaison.Scope `json:"scope" enum:"read,write"`
	Version    int           `json:"version" doc:"1 while the token is live, 2 once revoked."`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at" doc:"When it was created or revoked."`
	LastUsedAt *time.Time    `json:"last_used_at"`
	RevokedAt  *time.Time    `json:"revoked_at"`
	Secret     string        `json:"secret,omitempty" doc:"The token: send it as Authorization: Bearer <secret>. Shown only in the answer to the create (not in a replay of it); Liaison keeps only its hash."`
}

func tokenOf(t *liaison.Token) Token {
	out := Token{ID: t.ID, UserID: t.UserID, Name: t.Name, Scope: t.Scope, Version: 1,
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.CreatedAt.UTC(), LastUsedAt: utcPtr(t.LastUsedAt), RevokedAt: utcPtr(t.RevokedAt)}
	if t.RevokedAt != nil {
		out.Version, out.UpdatedAt = 2, t.RevokedAt.UTC()
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// TokenCreate is the body that makes an API token.
type TokenCreate struct {
	Name  string        `json:"name,omitempty" maxLength:"200" doc:"What the token is for; default \"API token\"."`
	Scope liaison.Scope `json:"scope" enum:"read,write" doc:"Required. A read token may only read; a write token has the user's rights."`
}

type tokenCreateInput struct {
	IdempotencyHeader
	Body TokenCreate
}

func (api *API) registerTokens() {
	tags := []string{"tokens"}
	register(api, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/users/me/tokens", Tags: tags,
		Summary: "List your API tokens"}, liaison.AccessSignedIn,
		func(ctx context.Context, in *struct{}) (*listed[Token], error) {
			ts, err := api.app.Tokens(ctx)
			if err != nil {
				return nil, err
			}
			items := make([]Token, len(ts))
			for i, t := range ts {
				items[i] = tokenOf(t)
			}
			return page(items, ""), nil
		})
	register(api, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/users/me/tokens", Tags: tags,
		Summary: "Make an API token", DefaultStatus: http.StatusCreated,
		Description: "The answer shows the secret once. Only a signed-in browser session may make tokens, not a token.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessSignedIn,
		func(ctx context.Context, in *tokenCreateInput) (*created[Token], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /users/me/tokens", in.Body, func(ctx context.Context) (*Token, string, int, error) {
				secret, t, err := api.app.CreateToken(ctx, in.Body.Name, in.Body.Scope)
				if err != nil {
					return nil, "", 0, err
				}
				out := tokenOf(t)
				out.Secret = secret
				return &out, BasePath + "/users/me/tokens/" + t.ID, out.Version, nil
			}, rereader(api.token, func(t *Token) int { return t.Version }), func(t *Token) *Token {
				c := *t
				c.Secret = "" // never stored
				return &c
			})
		})
	register(api, huma.Operation{OperationID: "get-token", Method: http.MethodGet, Path: "/users/me/tokens/{id}", Tags: tags,
		Summary: "Get one of your API tokens"}, liaison.AccessSignedIn,
		func(ctx context.Context, in *idInput) (*one[Token], error) {
			t, err := api.token(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[Token]{ETag: etag(t.Version), Body: t}, nil
		})
	register(api, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/users/me/tokens/{id}", Tags: tags,
		Summary: "Revoke one of your API tokens", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessSignedIn, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			m, ok := parseIfMatch(in.IfMatch)
			if !ok {
				return nil, preconditionRequired()
			}
			t, err := api.token(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			if !m.matches(t.Version) {
				return nil, staleError(t.Version)
			}
			return nil, api.app.RevokeToken(ctx, in.ID)
		})
}

// token finds one of the signed-in user's tokens.
func (api *API) token(ctx context.Context, id string) (*Token, error) {
	ts, err := api.app.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.ID == id {
			out := tokenOf(t)
			return &out, nil
		}
	}
	return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "token " + id + " not found", Key: "error.not_found"}
}
