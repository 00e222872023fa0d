package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// UserCreate is the body that creates an internal user.
type UserCreate struct {
	Email    string           `json:"email" maxLength:"200" doc:"Required; unique."`
	Name     string           `json:"name" maxLength:"200" doc:"Required."`
	Role     liaison.UserRole `json:"role" enum:"admin,head,manager,staff,viewer" doc:"Required."`
	Language liaison.Language `json:"language,omitempty" enum:"en,sv,fi,zh" doc:"Default en."`
	Password string           `json:"password,omitempty" writeOnly:"true" maxLength:"200" doc:"At least 8 characters; without one, password sign-in is off."`
}

type userCreateInput struct {
	IdempotencyHeader
	Body UserCreate
}

type userListInput struct {
	ListParams
	Role  string `query:"role" enum:"admin,head,manager,staff,viewer"`
	Email string `query:"email"`
}

func (api *API) registerUsers() {
	tags := []string{"users"}
	pt := newPatcher[liaison.User](api)
	register(api, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/users", Tags: tags,
		Summary: "List internal users"}, liaison.AccessRead,
		func(ctx context.Context, in *userListInput) (*listed[*liaison.User], error) {
			items, next, err := api.app.Users(ctx, liaison.UserFilter{Q: in.Q, Role: liaison.UserRole(in.Role), Email: in.Email,
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/users", Tags: tags,
		Summary: "Create an internal user (admin)", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessAdmin,
		func(ctx context.Context, in *userCreateInput) (*created[liaison.User], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /users", in.Body, func(ctx context.Context) (*liaison.User, string, int, error) {
				b := in.Body
				u := &liaison.User{Email: b.Email, Name: b.Name, Role: b.Role, Language: b.Language}
				if err := api.app.CreateUser(ctx, u, b.Password); err != nil {
					return nil, "", 0, err
				}
				return u, BasePath + "/users/" + u.ID, u.Version, nil
			}, rereader(api.app.User, func(v *liaison.User) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/users/me", Tags: tags,
		Summary: "The signed-in user"}, liaison.AccessSignedIn,
		func(ctx context.Context, in *struct{}) (*one[liaison.User], error) {
			return api.getUser(ctx, &idInput{ID: liaison.ActorID(ctx)})
		})
	register(api, huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/users/{id}", Tags: tags,
		Summary: "Get an internal user"}, liaison.AccessRead, api.getUser)
	register(api, huma.Operation{OperationID: "update-user", Method: http.MethodPatch, Path: "/users/{id}", Tags: tags,
		Summary:     "Update a user (JSON merge patch)",
		Description: "Admin changes anyone; every user may change their own name and language. Setting active to false signs the user out everywhere.",
		RequestBody: mergePatchBody[liaison.User](api),
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessSignedIn, func(ctx context.Context, in *patchInput) (*one[liaison.User], error) {
			cur, err := api.app.User(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			u, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateUser(ctx, u, v); err != nil {
				return nil, err
			}
			return api.getUser(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "list-user-history", Method: http.MethodGet, Path: "/users/{id}/history", Tags: tags,
		Summary: "The audit trail of a user, newest first (admin)"}, liaison.AccessAdmin, api.history("user"))
}

func (api *API) getUser(ctx context.Context, in *idInput) (*one[liaison.User], error) {
	u, err := api.app.User(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.User]{ETag: etag(u.Version), Body: u}, nil
}
