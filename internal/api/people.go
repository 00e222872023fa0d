package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// PersonCreate is the body that creates a business contact.
type PersonCreate struct {
	Name           string           `json:"name" maxLength:"200" doc:"Required."`
	Email          string           `json:"email,omitempty" maxLength:"200"`
	Phone          string           `json:"phone,omitempty" maxLength:"200"`
	Title          string           `json:"title,omitempty" maxLength:"200"`
	OrganisationID string           `json:"organisation_id" doc:"The unit the person belongs to. Required."`
	Language       liaison.Language `json:"language,omitempty" enum:"en,sv,fi,zh" doc:"Default en."`
	ExternalID     string           `json:"external_id,omitempty" maxLength:"200"`
	Notes          string           `json:"notes,omitempty" maxLength:"20000"`
}

type personCreateInput struct {
	IdempotencyHeader
	Body PersonCreate
}

type personListInput struct {
	ListParams
	OrganisationID string `query:"organisation_id"`
	Email          string `query:"email"`
	ExternalID     string `query:"external_id"`
	Trashed        bool   `query:"trashed" doc:"List the trash instead (admin and head)."`
}

func (api *API) registerPeople() {
	tags := []string{"people"}
	pt := newPatcher[liaison.Person](api, "deleted_at")
	register(api, huma.Operation{OperationID: "list-people", Method: http.MethodGet, Path: "/people", Tags: tags,
		Summary: "List people"}, liaison.AccessRead,
		func(ctx context.Context, in *personListInput) (*listed[*liaison.Person], error) {
			items, next, err := api.app.People(ctx, liaison.PersonFilter{Q: in.Q, OrganisationID: in.OrganisationID, Email: in.Email,
				ExternalID: in.ExternalID, Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-person", Method: http.MethodPost, Path: "/people", Tags: tags,
		Summary: "Create a person", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *personCreateInput) (*created[liaison.Person], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /people", in.Body, func(ctx context.Context) (*liaison.Person, string, int, error) {
				b := in.Body
				p := &liaison.Person{Name: b.Name, Email: b.Email, Phone: b.Phone, Title: b.Title, OrganisationID: b.OrganisationID,
					Language: b.Language, ExternalID: b.ExternalID, Notes: b.Notes}
				if err := api.app.CreatePerson(ctx, p); err != nil {
					return nil, "", 0, err
				}
				return p, BasePath + "/people/" + p.ID, p.Version, nil
			}, rereader(api.app.Person, func(v *liaison.Person) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-person", Method: http.MethodGet, Path: "/people/{id}", Tags: tags,
		Summary: "Get a person"}, liaison.AccessRead, api.getPerson)
	register(api, huma.Operation{OperationID: "update-person", Method: http.MethodPatch, Path: "/people/{id}", Tags: tags,
		Summary: "Update a person (JSON merge patch)", RequestBody: mergePatchBody[liaison.Person](api),
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.Person], error) {
			cur, err := api.app.Person(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			p, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdatePerson(ctx, p, v); err != nil {
				return nil, err
			}
			return api.getPerson(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-person", Method: http.MethodDelete, Path: "/people/{id}", Tags: tags,
		Summary: "Move a person to the trash", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				p, err := api.app.Person(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return p.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeletePerson(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-person", Method: http.MethodPost, Path: "/people/{id}/restore", Tags: tags,
		Summary: "Bring a person back from the trash", Errors: []int{http.StatusConflict}},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*one[liaison.Person], error) {
			p, err := api.app.RestorePerson(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Person]{ETag: etag(p.Version), Body: p}, nil
		})
	register(api, huma.Operation{OperationID: "list-person-history", Method: http.MethodGet, Path: "/people/{id}/history", Tags: tags,
		Summary: "The audit trail of a person, newest first"}, liaison.AccessRead, api.history("person"))
}

func (api *API) getPerson(ctx context.Context, in *idInput) (*one[liaison.Person], error) {
	p, err := api.app.Person(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Person]{ETag: etag(p.Version), Body: p}, nil
}
