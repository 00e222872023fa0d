package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// RoleCreate is the body that gives a person a role toward IT at a unit.
type RoleCreate struct {
	PersonID        string           `json:"person_id" doc:"Required."`
	OrganisationID  string           `json:"organisation_id" doc:"Required."`
	Role            liaison.RoleKind `json:"role" enum:"customer,orderer,user,other" doc:"Required. An account has one active customer."`
	Label           string           `json:"label,omitempty" maxLength:"200" doc:"Free label; required for role other."`
	Active          *bool            `json:"active,omitempty" doc:"Default true."`
	ITContactUserID *string          `json:"it_contact_user_id,omitempty" nullable:"true" doc:"The designated IT contact; default the account's relationship manager."`
}

type roleCreateInput struct {
	IdempotencyHeader
	Body RoleCreate
}

type roleListInput struct {
	PageParams
	PersonID       string `query:"person_id"`
	OrganisationID string `query:"organisation_id"`
	Role           string `query:"role" enum:"customer,orderer,user,other"`
	Active         string `query:"active" enum:"true,false"`
}

func (api *API) registerRoles() {
	tags := []string{"roles"}
	pt := newPatcher[liaison.ContactRole](api)
	register(api, huma.Operation{OperationID: "list-roles", Method: http.MethodGet, Path: "/roles", Tags: tags,
		Summary: "List roles", Description: "Oldest first."}, liaison.AccessRead,
		func(ctx context.Context, in *roleListInput) (*listed[*liaison.ContactRole], error) {
			items, next, err := api.app.Roles(ctx, liaison.RoleFilter{PersonID: in.PersonID, OrganisationID: in.OrganisationID,
				Role: liaison.RoleKind(in.Role), Active: boolParam(in.Active), Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-role", Method: http.MethodPost, Path: "/roles", Tags: tags,
		Summary: "Give a person a role at a unit", DefaultStatus: http.StatusCreated,
		Description: "A second active customer on one account answers 409 naming the current customer.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *roleCreateInput) (*created[liaison.ContactRole], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /roles", in.Body, func(ctx context.Context) (*liaison.ContactRole, string, int, error) {
				b := in.Body
				r := &liaison.ContactRole{PersonID: b.PersonID, OrganisationID: b.OrganisationID, Role: b.Role, Label: b.Label,
					Active: b.Active == nil || *b.Active, ITContactUserID: b.ITContactUserID}
				if err := api.app.CreateRole(ctx, r); err != nil {
					return nil, "", 0, err
				}
				return r, BasePath + "/roles/" + r.ID, r.Version, nil
			}, rereader(api.app.Role, func(v *liaison.ContactRole) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-role", Method: http.MethodGet, Path: "/roles/{id}", Tags: tags,
		Summary: "Get a role"}, liaison.AccessRead, api.getRole)
	register(api, huma.Operation{OperationID: "update-role", Method: http.MethodPatch, Path: "/roles/{id}", Tags: tags,
		Summary: "Update a role (JSON merge patch)", Description: "Ending a role sets active to false.",
		RequestBody: mergePatchBody[liaison.ContactRole](api),
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.ContactRole], error) {
			cur, err := api.app.Role(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			r, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateRole(ctx, r, v); err != nil {
				return nil, err
			}
			return api.getRole(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-role", Method: http.MethodDelete, Path: "/roles/{id}", Tags: tags,
		Summary: "Remove a role", Description: "Roles are removed for good; the audit trail keeps them.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				r, err := api.app.Role(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return r.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteRole(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-role-history", Method: http.MethodGet, Path: "/roles/{id}/history", Tags: tags,
		Summary: "The audit trail of a role, newest first"}, liaison.AccessRead, api.history("role"))
}

func (api *API) getRole(ctx context.Context, in *idInput) (*one[liaison.ContactRole], error) {
	r, err := api.app.Role(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.ContactRole]{ETag: etag(r.Version), Body: r}, nil
}
