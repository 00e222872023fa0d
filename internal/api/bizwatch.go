package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// Customer business plans (resource "business-plans", SPEC C2) and
// technology watch notes (resource "watch", SPEC C11).

// BusinessPlanCreate is the body that records a business plan item.
type BusinessPlanCreate struct {
	OrganisationID string                      `json:"organisation_id" doc:"The customer account. Required."`
	Title          string                      `json:"title" maxLength:"200" doc:"The customer's goal. Required."`
	Horizon        liaison.BusinessPlanHorizon `json:"horizon" enum:"short,medium,long" doc:"short: within a year; medium: one to three years; long: beyond. Required."`
	TargetDate     *string                     `json:"target_date,omitempty" format:"date" doc:"When the customer means to reach it."`
	ITEffect       string                      `json:"it_effect,omitempty" maxLength:"20000" doc:"The expected effect on the customer's IT needs."`
	ServiceIDs     []string                    `json:"service_ids,omitempty" maxItems:"100"`
	SourceURL      string                      `json:"source_url,omitempty" maxLength:"2000" doc:"Link to the customer's plan document (http or https)."`
	ReviewDate     string                      `json:"review_date,omitempty" format:"date" doc:"Next review; default 12 months from today."`
	Status         liaison.BusinessPlanStatus  `json:"status,omitempty" enum:"active,achieved,dropped" doc:"Default active."`
	OwnerPersonID  *string                     `json:"owner_person_id,omitempty" doc:"The customer-side owner of the goal."`
}

type businessPlanCreateInput struct {
	IdempotencyHeader
	Body BusinessPlanCreate
}

type businessPlanListInput struct {
	PageParams
	Q              string                     `query:"q" maxLength:"200" doc:"Words that must each begin a word of the goal, its IT effect, the account or the owner."`
	Sort           string                     `query:"sort" enum:"name,-name,created_at,-created_at,updated_at,-updated_at,review_date,-review_date" doc:"Order; - for descending. Default name (the goal)."`
	OrganisationID string                     `query:"organisation_id"`
	ServiceID      string                     `query:"service_id"`
	Status         liaison.BusinessPlanStatus `query:"status" enum:"active,achieved,dropped"`
	ReviewOverdue  bool                       `query:"review_overdue" doc:"Only active items whose review date has passed."`
	ManagerID      string                     `query:"manager_id" doc:"Only the items of accounts this user manages or deputises."`
	Trashed        bool                       `query:"trashed" doc:"List the trash instead (admin and head)."`
}

type businessPlanReviewedInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The ETag you read; * for any version. Required."`
	Body    struct {
		NextReviewDate string `json:"next_review_date,omitempty" format:"date" doc:"The next review; default 12 months from today."`
	}
}

// WatchCreate is the body that records a technology watch note.
type WatchCreate struct {
	Title           string                 `json:"title" maxLength:"200" doc:"Required."`
	Summary         string                 `json:"summary,omitempty" maxLength:"20000"`
	Relevance       liaison.WatchRelevance `json:"relevance,omitempty" enum:"low,medium,high" doc:"Default medium."`
	RelevanceNote   string                 `json:"relevance_note,omitempty" maxLength:"20000" doc:"Why it matters, and to whom."`
	Status          liaison.WatchStatus    `json:"status,omitempty" enum:"noted,evaluating,proposed,adopted,rejected" doc:"Default noted."`
	SourceURL       string                 `json:"source_url,omitempty" maxLength:"2000"`
	OrganisationIDs []string               `json:"organisation_ids,omitempty" maxItems:"500"`
	ServiceIDs      []string               `json:"service_ids,omitempty" maxItems:"100"`
	OwnerID         *string                `json:"owner_id,omitempty"`
}

type watchCreateInput struct {
	IdempotencyHeader
	Body WatchCreate
}

type watchListInput struct {
	ListParams
	Status         liaison.WatchStatus `query:"status" enum:"noted,evaluating,proposed,adopted,rejected"`
	OrganisationID string              `query:"organisation_id" doc:"Notes linked to this account."`
	ServiceID      string              `query:"service_id" doc:"Notes linked to this service."`
	OwnerID        string              `query:"owner_id"`
	Trashed        bool                `query:"trashed" doc:"List the trash instead (admin and head)."`
}

type watchProposeInput struct {
	ID string `path:"id"`
}

// WatchProposal is the answer of turning a note into an improvement.
type WatchProposal struct {
	Note        *liaison.WatchNote   `json:"note"`
	Improvement *liaison.Improvement `json:"improvement"`
}

func (api *API) registerBizWatch() {
	tags := []string{"business-plans"}
	pt := newPatcher[liaison.BusinessPlanItem](api, "organisation_name", "owner_person_name", "last_reviewed_on",
		"last_reviewed_by_id", "last_reviewed_by_name", "review_overdue", "deleted_at")
	register(api, huma.Operation{OperationID: "list-business-plans", Method: http.MethodGet, Path: "/business-plans", Tags: tags,
		Summary:     "List customer business plan items",
		Description: "review_overdue=true lists the active items whose review date has passed, across accounts; manager_id keeps a manager's accounts."},
		liaison.AccessRead, func(ctx context.Context, in *businessPlanListInput) (*listed[*liaison.BusinessPlanItem], error) {
			items, next, err := api.app.BusinessPlanItems(ctx, liaison.BusinessPlanFilter{Q: in.Q, OrganisationID: in.OrganisationID,
				ServiceID: in.ServiceID, Status: in.Status, ReviewOverdue: in.ReviewOverdue, ManagerID: in.ManagerID, Trashed: in.Trashed,
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-business-plan", Method: http.MethodPost, Path: "/business-plans", Tags: tags,
		Summary:       "Record a business plan item of an account",
		Description:   "The account's relationship manager and deputy, head and admin.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *businessPlanCreateInput) (*created[liaison.BusinessPlanItem], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /business-plans", in.Body, func(ctx context.Context) (*liaison.BusinessPlanItem, string, int, error) {
				b := in.Body
				item := &liaison.BusinessPlanItem{OrganisationID: b.OrganisationID, Title: b.Title, Horizon: b.Horizon, TargetDate: b.TargetDate,
					ITEffect: b.ITEffect, ServiceIDs: b.ServiceIDs, SourceURL: b.SourceURL, ReviewDate: b.ReviewDate, Status: b.Status,
					OwnerPersonID: b.OwnerPersonID}
				if err := api.app.CreateBusinessPlanItem(ctx, item); err != nil {
					return nil, "", 0, err
				}
				return item, BasePath + "/business-plans/" + item.ID, item.Version, nil
			}, rereader(api.app.BusinessPlanItem, func(v *liaison.BusinessPlanItem) int { return v.Version }), nil)
		})
	get := func(ctx context.Context, in *idInput) (*one[liaison.BusinessPlanItem], error) {
		b, err := api.app.BusinessPlanItem(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &one[liaison.BusinessPlanItem]{ETag: etag(b.Version), Body: b}, nil
	}
	register(api, huma.Operation{OperationID: "get-business-plan", Method: http.MethodGet, Path: "/business-plans/{id}", Tags: tags,
		Summary: "Get a business plan item"}, liaison.AccessRead, get)
	register(api, huma.Operation{OperationID: "update-business-plan", Method: http.MethodPatch, Path: "/business-plans/{id}", Tags: tags,
		Summary: "Update a business plan item (JSON merge patch)", RequestBody: mergePatchBody[liaison.BusinessPlanItem](api),
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.BusinessPlanItem], error) {
			cur, err := api.app.BusinessPlanItem(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			b, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateBusinessPlanItem(ctx, b, v); err != nil {
				return nil, err
			}
			return get(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "review-business-plan", Method: http.MethodPost, Path: "/business-plans/{id}/reviewed", Tags: tags,
		Summary:     "Mark a business plan item reviewed",
		Description: "Records today's review (last_reviewed_on, last_reviewed_by) and sets review_date to next_review_date, by default 12 months ahead. Audited. Needs If-Match.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity}},
		liaison.AccessRead, func(ctx context.Context, in *businessPlanReviewedInput) (*one[liaison.BusinessPlanItem], error) {
			if err := api.app.CheckBusinessPlanWrite(ctx, in.ID); err != nil {
				return nil, err
			}
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				b, err := api.app.BusinessPlanItem(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return b.Version, nil
			})
			if err != nil {
				return nil, err
			}
			b, err := api.app.MarkBusinessPlanReviewed(ctx, in.ID, v, in.Body.NextReviewDate)
			if err != nil {
				return nil, err
			}
			return &one[liaison.BusinessPlanItem]{ETag: etag(b.Version), Body: b}, nil
		})
	register(api, huma.Operation{OperationID: "delete-business-plan", Method: http.MethodDelete, Path: "/business-plans/{id}", Tags: tags,
		Summary: "Move a business plan item to the trash", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				b, err := api.app.BusinessPlanItem(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return b.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteBusinessPlanItem(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-business-plan", Method: http.MethodPost, Path: "/business-plans/{id}/restore", Tags: tags,
		Summary: "Bring a business plan item back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.BusinessPlanItem], error) {
			b, err := api.app.RestoreBusinessPlanItem(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.BusinessPlanItem]{ETag: etag(b.Version), Body: b}, nil
		})
	register(api, huma.Operation{OperationID: "list-business-plan-history", Method: http.MethodGet, Path: "/business-plans/{id}/history", Tags: tags,
		Summary: "The audit trail of a business plan item, newest first"}, liaison.AccessRead, api.history("business_plan"))

	api.registerWatch()
}

func (api *API) registerWatch() {
	tags := []string{"watch"}
	pt := newPatcher[liaison.WatchNote](api, "owner_name", "improvement_id", "created_by_id", "created_by_name", "deleted_at")
	register(api, huma.Operation{OperationID: "list-watch", Method: http.MethodGet, Path: "/watch", Tags: tags,
		Summary: "List technology watch notes", Description: "sort name orders by title."}, liaison.AccessRead,
		func(ctx context.Context, in *watchListInput) (*listed[*liaison.WatchNote], error) {
			items, next, err := api.app.WatchNotes(ctx, liaison.WatchFilter{Q: in.Q, Status: in.Status, OrganisationID: in.OrganisationID,
				ServiceID: in.ServiceID, OwnerID: in.OwnerID, Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-watch", Method: http.MethodPost, Path: "/watch", Tags: tags,
		Summary: "Record a technology watch note", Description: "Staff and above (not viewers).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *watchCreateInput) (*created[liaison.WatchNote], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /watch", in.Body, func(ctx context.Context) (*liaison.WatchNote, string, int, error) {
				b := in.Body
				w := &liaison.WatchNote{Title: b.Title, Summary: b.Summary, Relevance: b.Relevance, RelevanceNote: b.RelevanceNote, Status: b.Status,
					SourceURL: b.SourceURL, OrganisationIDs: b.OrganisationIDs, ServiceIDs: b.ServiceIDs, OwnerID: b.OwnerID}
				if err := api.app.CreateWatchNote(ctx, w); err != nil {
					return nil, "", 0, err
				}
				return w, BasePath + "/watch/" + w.ID, w.Version, nil
			}, rereader(api.app.WatchNote, func(v *liaison.WatchNote) int { return v.Version }), nil)
		})
	get := func(ctx context.Context, in *idInput) (*one[liaison.WatchNote], error) {
		w, err := api.app.WatchNote(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &one[liaison.WatchNote]{ETag: etag(w.Version), Body: w}, nil
	}
	register(api, huma.Operation{OperationID: "get-watch", Method: http.MethodGet, Path: "/watch/{id}", Tags: tags,
		Summary: "Get a technology watch note"}, liaison.AccessRead, get)
	register(api, huma.Operation{OperationID: "update-watch", Method: http.MethodPatch, Path: "/watch/{id}", Tags: tags,
		Summary: "Update a technology watch note (JSON merge patch), its status included",
		Description: "Status transitions: noted → evaluating | proposed | rejected; evaluating → proposed | rejected | noted; proposed → " +
			"adopted | rejected | evaluating; rejected → noted; adopted is final. Others answer 422 naming the allowed ones.",
		RequestBody: mergePatchBody[liaison.WatchNote](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.WatchNote], error) {
			cur, err := api.app.WatchNote(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			w, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateWatchNote(ctx, w, v); err != nil {
				return nil, err
			}
			return get(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-watch", Method: http.MethodDelete, Path: "/watch/{id}", Tags: tags,
		Summary: "Move a technology watch note to the trash", Description: "Its creator, its owner, head and admin.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				w, err := api.app.WatchNote(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return w.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteWatchNote(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-watch", Method: http.MethodPost, Path: "/watch/{id}/restore", Tags: tags,
		Summary: "Bring a technology watch note back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.WatchNote], error) {
			w, err := api.app.RestoreWatchNote(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.WatchNote]{ETag: etag(w.Version), Body: w}, nil
		})
	register(api, huma.Operation{OperationID: "list-watch-history", Method: http.MethodGet, Path: "/watch/{id}/history", Tags: tags,
		Summary: "The audit trail of a technology watch note, newest first"}, liaison.AccessRead, api.history("watch"))
	register(api, huma.Operation{OperationID: "propose-watch", Method: http.MethodPost, Path: "/watch/{id}/improvement", Tags: tags,
		Summary: "Turn a watch note into an improvement suggestion",
		Description: "One step: creates an improvement (origin watch, proposed) with the note's title, summary as description, relevance note " +
			"as expected benefit, services, accounts and owner; stores its id on the note (improvement_id) and moves the note to proposed. " +
			"Only a noted or evaluating note (422 otherwise); a note that already has an improvement answers 409 naming it. " +
			"Location names the new improvement.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *watchProposeInput) (*struct {
			Location string `header:"Location"`
			Body     *WatchProposal
		}, error) {
			n, i, err := api.app.ProposeWatchNote(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     *WatchProposal
			}{BasePath + "/improvements/" + i.ID, &WatchProposal{Note: n, Improvement: i}}, nil
		})
}
