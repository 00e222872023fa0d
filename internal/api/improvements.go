package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// ImprovementCreate is the body that proposes an improvement.
type ImprovementCreate struct {
	Title           string                    `json:"title" maxLength:"200" doc:"Required."`
	Description     string                    `json:"description,omitempty" maxLength:"20000"`
	Origin          liaison.ImprovementOrigin `json:"origin" enum:"complaint,review,survey,watch,manager,customer" doc:"Required."`
	ExpectedBenefit string                    `json:"expected_benefit,omitempty" maxLength:"20000"`
	ServiceIDs      []string                  `json:"service_ids,omitempty" maxItems:"100" doc:"The services it affects."`
	OrganisationIDs []string                  `json:"organisation_ids,omitempty" maxItems:"500" doc:"The customer accounts it affects."`
	OwnerID         *string                   `json:"owner_id,omitempty" doc:"The user who will carry it out."`
	ComplaintID     *string                   `json:"complaint_id,omitempty" maxLength:"200" doc:"The complaint it comes from; only with origin complaint."`
}

type improvementCreateInput struct {
	IdempotencyHeader
	Body ImprovementCreate
}

type improvementListInput struct {
	ListParams
	Status         liaison.ImprovementStatus `query:"status" enum:"proposed,approved,rejected,in_progress,done"`
	Origin         liaison.ImprovementOrigin `query:"origin" enum:"complaint,review,survey,watch,manager,customer"`
	ServiceID      string                    `query:"service_id" doc:"Improvements affecting this service."`
	OrganisationID string                    `query:"organisation_id" doc:"Improvements affecting this account or raised by it."`
	OwnerID        string                    `query:"owner_id"`
	ComplaintID    string                    `query:"complaint_id"`
	Flagged        bool                      `query:"flagged" doc:"Only demands raised by at least the demand_accounts setting's number of accounts (default 3): those surfaced to the head of service management."`
	Open           bool                      `query:"open" doc:"Only proposed, approved and in-progress improvements."`
	Trashed        bool                      `query:"trashed" doc:"List the trash instead (admin and head)."`
}

// ImprovementUpdateCreate is the body that records progress.
type ImprovementUpdateCreate struct {
	On              string `json:"on,omitempty" format:"date" doc:"The date of the progress; default today."`
	Note            string `json:"note" maxLength:"20000" doc:"Required."`
	CustomerVisible bool   `json:"customer_visible,omitempty" doc:"Show it to the customer (the customer portal's improvement progress)."`
}

type improvementUpdateInput struct {
	ID   string `path:"id"`
	Body ImprovementUpdateCreate
}

type improvementUpdatesInput struct {
	ID              string `path:"id"`
	CustomerVisible string `query:"customer_visible" enum:"true,false" doc:"Only the updates visible (true) or not visible (false) to the customer."`
}

type improvementUpdateIDInput struct {
	ID       string `path:"id"`
	UpdateID string `path:"update_id"`
}

// ImprovementRaiserCreate is the body that records an account raising the demand.
type ImprovementRaiserCreate struct {
	OrganisationID string `json:"organisation_id" doc:"The customer account that raised the demand. Required."`
	RaisedOn       string `json:"raised_on,omitempty" format:"date" doc:"When; default today."`
	Note           string `json:"note,omitempty" maxLength:"2000" doc:"How or by whom it was raised."`
}

type improvementRaiserInput struct {
	ID   string `path:"id"`
	Body ImprovementRaiserCreate
}

type improvementRaiserIDInput struct {
	ID             string `path:"id"`
	OrganisationID string `path:"organisation_id"`
}

type accountIDInput struct {
	ID string `path:"id"`
}

func (api *API) registerImprovements() {
	tags := []string{"improvements"}
	pt := newPatcher[liaison.Improvement](api, "proposed_by_id", "proposed_by_name", "owner_name", "decided_by_id",
		"decided_by_name", "decided_at", "done_at", "raised_by_count", "flagged", "deleted_at")
	register(api, huma.Operation{OperationID: "list-improvements", Method: http.MethodGet, Path: "/improvements", Tags: tags,
		Summary: "List improvement suggestions",
		Description: "sort name orders by title. status=done lists the done improvements with their realised_effect: the report of " +
			"realised effects. flagged=true lists the demands raised by several accounts."}, liaison.AccessRead,
		func(ctx context.Context, in *improvementListInput) (*listed[*liaison.Improvement], error) {
			items, next, err := api.app.Improvements(ctx, liaison.ImprovementFilter{Q: in.Q, Status: in.Status, Origin: in.Origin,
				ServiceID: in.ServiceID, OrganisationID: in.OrganisationID, OwnerID: in.OwnerID, ComplaintID: in.ComplaintID,
				Open: in.Open, Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor}, in.Flagged)
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-improvement", Method: http.MethodPost, Path: "/improvements", Tags: tags,
		Summary:       "Propose an improvement",
		Description:   "Any internal user but a viewer may propose. It starts proposed; proposed_by_id is the caller.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *improvementCreateInput) (*created[liaison.Improvement], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /improvements", in.Body, func(ctx context.Context) (*liaison.Improvement, string, int, error) {
				b := in.Body
				i := &liaison.Improvement{Title: b.Title, Description: b.Description, Origin: b.Origin, ExpectedBenefit: b.ExpectedBenefit,
					ServiceIDs: b.ServiceIDs, OrganisationIDs: b.OrganisationIDs, OwnerID: b.OwnerID, ComplaintID: b.ComplaintID}
				if err := api.app.CreateImprovement(ctx, i); err != nil {
					return nil, "", 0, err
				}
				return i, BasePath + "/improvements/" + i.ID, i.Version, nil
			}, rereader(api.app.Improvement, func(v *liaison.Improvement) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-improvement", Method: http.MethodGet, Path: "/improvements/{id}", Tags: tags,
		Summary: "Get an improvement"}, liaison.AccessRead, api.getImprovement)
	register(api, huma.Operation{OperationID: "update-improvement", Method: http.MethodPatch, Path: "/improvements/{id}", Tags: tags,
		Summary: "Update an improvement (JSON merge patch), its status included",
		Description: "Status transitions: proposed → approved | rejected; approved → in_progress → done; rejected → proposed " +
			"(reconsider); done → in_progress (reopen). Others answer 422 naming the allowed next states. Approving, rejecting and " +
			"reconsidering are the head of service management's and admins'; the other changes also the owner's (and the " +
			"proposer's edits while proposed). Rejecting needs decision_note, in_progress an owner_id, done a realised_effect. " +
			"decided_by_id and decided_at record the decision; done_at the completion.",
		RequestBody: mergePatchBody[liaison.Improvement](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.Improvement], error) {
			cur, err := api.app.Improvement(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			i, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateImprovement(ctx, i, v); err != nil {
				return nil, err
			}
			return api.getImprovement(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-improvement", Method: http.MethodDelete, Path: "/improvements/{id}", Tags: tags,
		Summary:     "Move an improvement to the trash",
		Description: "Head and admin, or its proposer while it is proposed.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				i, err := api.app.Improvement(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return i.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteImprovement(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-improvement", Method: http.MethodPost, Path: "/improvements/{id}/restore", Tags: tags,
		Summary: "Bring an improvement back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.Improvement], error) {
			i, err := api.app.RestoreImprovement(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Improvement]{ETag: etag(i.Version), Body: i}, nil
		})
	register(api, huma.Operation{OperationID: "list-improvement-history", Method: http.MethodGet, Path: "/improvements/{id}/history", Tags: tags,
		Summary: "The audit trail of an improvement, newest first"}, liaison.AccessRead, api.history("improvement"))

	register(api, huma.Operation{OperationID: "list-improvement-updates", Method: http.MethodGet, Path: "/improvements/{id}/updates", Tags: tags,
		Summary: "The progress updates of an improvement, newest first"}, liaison.AccessRead,
		func(ctx context.Context, in *improvementUpdatesInput) (*items[*liaison.ImprovementUpdate], error) {
			us, err := api.app.ImprovementUpdates(ctx, in.ID, boolParam(in.CustomerVisible))
			if err != nil {
				return nil, err
			}
			return itemsOf(us), nil
		})
	register(api, huma.Operation{OperationID: "create-improvement-update", Method: http.MethodPost, Path: "/improvements/{id}/updates", Tags: tags,
		Summary: "Record progress on an improvement", Description: "The owner, head and admin. customer_visible shows it to the customer.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *improvementUpdateInput) (*struct {
			Location string `header:"Location"`
			Body     *liaison.ImprovementUpdate
		}, error) {
			u := &liaison.ImprovementUpdate{ImprovementID: in.ID, On: in.Body.On, Note: in.Body.Note, CustomerVisible: in.Body.CustomerVisible}
			if err := api.app.AddImprovementUpdate(ctx, u); err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     *liaison.ImprovementUpdate
			}{BasePath + "/improvements/" + in.ID + "/updates/" + u.ID, u}, nil
		})
	register(api, huma.Operation{OperationID: "get-improvement-update", Method: http.MethodGet, Path: "/improvements/{id}/updates/{update_id}", Tags: tags,
		Summary: "One progress update"}, liaison.AccessRead,
		func(ctx context.Context, in *improvementUpdateIDInput) (*struct{ Body *liaison.ImprovementUpdate }, error) {
			u, err := api.app.ImprovementUpdate(ctx, in.ID, in.UpdateID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.ImprovementUpdate }{u}, nil
		})
	register(api, huma.Operation{OperationID: "delete-improvement-update", Method: http.MethodDelete, Path: "/improvements/{id}/updates/{update_id}", Tags: tags,
		Summary: "Remove a progress update", Description: "Its author, the owner, head and admin; the audit trail keeps it.",
		DefaultStatus: http.StatusNoContent}, liaison.AccessRead,
		func(ctx context.Context, in *improvementUpdateIDInput) (*struct{}, error) {
			return nil, api.app.DeleteImprovementUpdate(ctx, in.ID, in.UpdateID)
		})

	register(api, huma.Operation{OperationID: "list-improvement-raisers", Method: http.MethodGet, Path: "/improvements/{id}/raised-by", Tags: tags,
		Summary: "The accounts that raised the demand, earliest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.ImprovementRaiser], error) {
			rs, err := api.app.ImprovementRaisers(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(rs), nil
		})
	register(api, huma.Operation{OperationID: "add-improvement-raiser", Method: http.MethodPost, Path: "/improvements/{id}/raised-by", Tags: tags,
		Summary: "Record that an account raised the demand",
		Description: "The account's relationship manager or deputy, head and admin; 409 when the account already did. The answer is " +
			"the improvement: flagged turns true when demand_accounts accounts have raised it.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *improvementRaiserInput) (*one[liaison.Improvement], error) {
			i, err := api.app.RaiseImprovement(ctx, &liaison.ImprovementRaiser{ImprovementID: in.ID, OrganisationID: in.Body.OrganisationID,
				RaisedOn: in.Body.RaisedOn, Note: in.Body.Note})
			if err != nil {
				return nil, err
			}
			return &one[liaison.Improvement]{ETag: etag(i.Version), Body: i}, nil
		})
	register(api, huma.Operation{OperationID: "remove-improvement-raiser", Method: http.MethodDelete, Path: "/improvements/{id}/raised-by/{organisation_id}", Tags: tags,
		Summary: "Take back that an account raised the demand", DefaultStatus: http.StatusNoContent}, liaison.AccessWrite,
		func(ctx context.Context, in *improvementRaiserIDInput) (*struct{}, error) {
			return nil, api.app.RemoveImprovementRaiser(ctx, in.ID, in.OrganisationID)
		})
	register(api, huma.Operation{OperationID: "get-customer-improvements", Method: http.MethodGet, Path: "/organisations/{id}/improvements", Tags: tags,
		Summary: "Improvement progress as the account's customer sees it",
		Description: "The improvements affecting the account or raised by it (not rejected ones), each with only its progress updates " +
			"marked customer_visible and, once done, its realised effect: the customer portal's view."}, liaison.AccessRead,
		func(ctx context.Context, in *accountIDInput) (*items[*app.CustomerImprovement], error) {
			cs, err := api.app.CustomerImprovementProgress(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(cs), nil
		})
}

func (api *API) getImprovement(ctx context.Context, in *idInput) (*one[liaison.Improvement], error) {
	i, err := api.app.Improvement(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Improvement]{ETag: etag(i.Version), Body: i}, nil
}
