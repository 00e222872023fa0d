package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// ActionCreate is the body that creates an action item.
type ActionCreate struct {
	Title          string               `json:"title" maxLength:"200" doc:"Required."`
	Description    string               `json:"description,omitempty" maxLength:"20000"`
	OrganisationID *string              `json:"organisation_id,omitempty" doc:"The customer account; ignored with meeting_id (the meeting's account counts)."`
	MeetingID      *string              `json:"meeting_id,omitempty" doc:"The meeting the action came from."`
	OwnerID        string               `json:"owner_id,omitempty" doc:"The IT user who carries it out; default the caller."`
	DueDate        *string              `json:"due_date,omitempty" format:"date"`
	Status         liaison.ActionStatus `json:"status,omitempty" enum:"open,done,cancelled" doc:"Default open."`
}

type actionCreateInput struct {
	IdempotencyHeader
	Body ActionCreate
}

// ActionListParams are the filters of an action list (exported: huma reads the query parameters of exported embedded structs only).
type ActionListParams struct {
	PageParams
	Q         string               `query:"q" maxLength:"200" doc:"Words that must each begin a word of the action's title, description, owner or account."`
	Sort      string               `query:"sort" enum:"due_date,-due_date,name,-name,created_at,-created_at,updated_at,-updated_at" doc:"Order; - for descending. Default due_date: soonest first, undated last. name orders by title."`
	OwnerID   string               `query:"owner_id"`
	MeetingID string               `query:"meeting_id"`
	Status    liaison.ActionStatus `query:"status" enum:"open,done,cancelled"`
	Overdue   bool                 `query:"overdue" doc:"Only open actions due before today."`
	DueBefore string               `query:"due_before" format:"date" doc:"Only actions due before this date (YYYY-MM-DD)."`
	Trashed   bool                 `query:"trashed" doc:"List the trash instead (admin and head)."`
}

func (p ActionListParams) filter() liaison.ActionFilter {
	return liaison.ActionFilter{Q: p.Q, OwnerID: p.OwnerID, MeetingID: p.MeetingID, Status: p.Status, Overdue: p.Overdue,
		DueBefore: p.DueBefore, Trashed: p.Trashed, Sort: p.Sort, Limit: p.Limit, Cursor: p.Cursor}
}

type actionListInput struct {
	ActionListParams
	OrganisationID string `query:"organisation_id"`
}

type accountActionsInput struct {
	ID string `path:"id"`
	ActionListParams
}

type reviewsDueInput struct {
	ManagerID string              `query:"manager_id" doc:"Only the accounts this user manages or deputises."`
	State     liaison.ReviewState `query:"state" enum:"overdue,due" doc:"overdue, or due within 30 days; both when absent."`
}

func (api *API) registerActions() {
	tags := []string{"actions"}
	pt := newPatcher[liaison.Action](api, "trigger_id", "organisation_name", "meeting_title", "owner_name", "created_by_id",
		"created_by_name", "done_at", "deleted_at")
	list := func(ctx context.Context, f liaison.ActionFilter) (*listed[*liaison.Action], error) {
		items, next, err := api.app.Actions(ctx, f)
		if err != nil {
			return nil, err
		}
		return page(items, next), nil
	}
	register(api, huma.Operation{OperationID: "list-actions", Method: http.MethodGet, Path: "/actions", Tags: tags,
		Summary:     "List action items",
		Description: "The one task list. owner_id with status=open is a user's open actions; overdue=true the open ones past their due date."},
		liaison.AccessRead, func(ctx context.Context, in *actionListInput) (*listed[*liaison.Action], error) {
			f := in.filter()
			f.OrganisationID = in.OrganisationID
			return list(ctx, f)
		})
	register(api, huma.Operation{OperationID: "list-account-actions", Method: http.MethodGet, Path: "/organisations/{id}/actions", Tags: tags,
		Summary: "List an account's action items"}, liaison.AccessRead,
		func(ctx context.Context, in *accountActionsInput) (*listed[*liaison.Action], error) {
			if _, err := api.app.Organisation(ctx, in.ID); err != nil {
				return nil, err
			}
			f := in.filter()
			f.OrganisationID = in.ID
			return list(ctx, f)
		})
	register(api, huma.Operation{OperationID: "create-action", Method: http.MethodPost, Path: "/actions", Tags: tags,
		Summary: "Create an action item",
		Description: "Staff, head and admin create any action; a relationship manager those without an account or on the accounts " +
			"they manage or deputise; viewers none. With meeting_id the action's account is the meeting's (422 on meeting_id for " +
			"an unknown or trashed meeting).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *actionCreateInput) (*created[liaison.Action], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /actions", in.Body, func(ctx context.Context) (*liaison.Action, string, int, error) {
				b := in.Body
				a := &liaison.Action{Title: b.Title, Description: b.Description, OrganisationID: b.OrganisationID, MeetingID: b.MeetingID,
					OwnerID: b.OwnerID, DueDate: b.DueDate, Status: b.Status}
				if err := api.app.CreateAction(ctx, a); err != nil {
					return nil, "", 0, err
				}
				return a, BasePath + "/actions/" + a.ID, a.Version, nil
			}, rereader(api.app.Action, func(v *liaison.Action) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-action", Method: http.MethodGet, Path: "/actions/{id}", Tags: tags,
		Summary: "Get an action item"}, liaison.AccessRead, api.getAction)
	register(api, huma.Operation{OperationID: "update-action", Method: http.MethodPatch, Path: "/actions/{id}", Tags: tags,
		Summary: "Update an action item (JSON merge patch), its status included",
		Description: "Status transitions: open → done | cancelled; done → open and cancelled → open (reopen); others answer 422 " +
			"naming the allowed ones. done_at records completion. The account's relationship manager and deputy, head and admin " +
			"change any field; staff the actions assigned to them; the owner may always change the status.",
		RequestBody: mergePatchBody[liaison.Action](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.Action], error) {
			cur, err := api.app.Action(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			a, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateAction(ctx, a, v); err != nil {
				return nil, err
			}
			return api.getAction(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-action", Method: http.MethodDelete, Path: "/actions/{id}", Tags: tags,
		Summary: "Move an action item to the trash", Description: "Whoever may change its fields.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				a, err := api.app.Action(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return a.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteAction(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-action", Method: http.MethodPost, Path: "/actions/{id}/restore", Tags: tags,
		Summary: "Bring an action item back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.Action], error) {
			a, err := api.app.RestoreAction(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Action]{ETag: etag(a.Version), Body: a}, nil
		})
	register(api, huma.Operation{OperationID: "list-action-history", Method: http.MethodGet, Path: "/actions/{id}/history", Tags: tags,
		Summary: "The audit trail of an action item, newest first"}, liaison.AccessRead, api.history("action"))

	register(api, huma.Operation{OperationID: "list-reviews-due", Method: http.MethodGet, Path: "/reviews-due", Tags: []string{"meetings"},
		Summary: "Agreement customers whose service review is overdue or due",
		Description: "An agreement customer (an account with an active agreement) holds a service review at least once per the smallest " +
			"service_review_months of its active agreements. Overdue: the last held service review is older than that, or there was " +
			"none; due: it falls due within 30 days. Never-reviewed accounts first, then the longest overdue, then by due date."},
		liaison.AccessRead, func(ctx context.Context, in *reviewsDueInput) (*items[*liaison.ReviewDue], error) {
			rs, err := api.app.ReviewsDue(ctx, liaison.ReviewFilter{ManagerID: in.ManagerID}, in.State)
			if err != nil {
				return nil, err
			}
			return itemsOf(rs), nil
		})
}

func (api *API) getAction(ctx context.Context, in *idInput) (*one[liaison.Action], error) {
	a, err := api.app.Action(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Action]{ETag: etag(a.Version), Body: a}, nil
}
