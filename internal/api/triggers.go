package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// TriggerCreate is the body that logs a trigger.
type TriggerCreate struct {
	OrganisationID string              `json:"organisation_id" doc:"The account or a unit below it. Required."`
	Kind           liaison.TriggerKind `json:"kind" enum:"strategic_initiative,service_change,efficiency_opportunity,change_proposal,complaint,process_activity,customer_meeting,survey_due,agreement_due" doc:"Required."`
	Title          string              `json:"title" maxLength:"200" doc:"Required. The task it opens has the same title."`
	Description    string              `json:"description,omitempty" maxLength:"20000"`
	OccurredOn     string              `json:"occurred_on,omitempty" format:"date" doc:"When it happened; default today."`
	ExternalRef    *string             `json:"external_ref,omitempty" maxLength:"200" doc:"Your system's id for it: a repeated post with the same external_ref creates nothing and answers 200 with the first trigger."`
	ServiceID      *string             `json:"service_id,omitempty" doc:"The service it concerns."`
}

type triggerCreateInput struct {
	IdempotencyHeader
	Body TriggerCreate
}

// triggerCreated is the answer to a post: 201 with the new trigger, or 200
// with the earlier one its external_ref names.
type triggerCreated struct {
	Status   int
	Location string `header:"Location" doc:"The trigger."`
	ETag     string `header:"ETag"`
	Replayed string `header:"Idempotent-Replayed" doc:"true when this answer repeats the first one for the Idempotency-Key."`
	Body     *liaison.Trigger
}

type triggerListInput struct {
	ListParams
	OrganisationID string                `query:"organisation_id" doc:"The triggers of this unit and of the units below it: an account's include its departments'."`
	Kind           liaison.TriggerKind   `query:"kind" enum:"strategic_initiative,service_change,efficiency_opportunity,change_proposal,complaint,process_activity,customer_meeting,survey_due,agreement_due"`
	Status         liaison.ActionStatus  `query:"status" enum:"open,done,cancelled" doc:"The status of the trigger's task."`
	Source         liaison.TriggerSource `query:"source" enum:"manual,api"`
	ServiceID      string                `query:"service_id"`
	ReportedByID   string                `query:"reported_by_id"`
	Trashed        bool                  `query:"trashed" doc:"List the trash instead (admin and head)."`
}

func (api *API) registerTriggers() {
	tags := []string{"triggers"}
	pt := newPatcher[liaison.Trigger](api, "organisation_name", "account_id", "account_name", "source", "service_name",
		"reported_by_id", "reported_by_name", "action_id", "status", "owner_id", "owner_name", "due_date", "assigned_to", "deleted_at")
	register(api, huma.Operation{OperationID: "list-triggers", Method: http.MethodGet, Path: "/triggers", Tags: tags,
		Summary:     "List triggers",
		Description: "Newest first (sort -occurred_on); also occurred_on, name (the title), created_at, updated_at. status is the task's."},
		liaison.AccessRead, func(ctx context.Context, in *triggerListInput) (*listed[*liaison.Trigger], error) {
			items, next, err := api.app.Triggers(ctx, liaison.TriggerFilter{Q: in.Q, OrganisationID: in.OrganisationID, Kind: in.Kind,
				Status: in.Status, Source: in.Source, ServiceID: in.ServiceID, ReportedByID: in.ReportedByID, Trashed: in.Trashed,
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-trigger", Method: http.MethodPost, Path: "/triggers", Tags: tags,
		Summary: "Log a trigger",
		Description: "Any internal user but a viewer, with a write token, on any account. The trigger opens its task in the same " +
			"transaction: an action on the account, owned by the account's relationship manager (else its deputy, else the head of " +
			"service management; assigned_to says which), due a number of working days after today that depends on the kind " +
			"(docs/triggers.md). source is api. A post whose external_ref names an earlier trigger creates nothing and answers 200 " +
			"with that trigger; when that trigger is in the trash, 409.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessRead,
		func(ctx context.Context, in *triggerCreateInput) (*triggerCreated, error) {
			existing := false
			c, err := createOnce(ctx, api, in.IdempotencyKey, "POST /triggers", in.Body, func(ctx context.Context) (*liaison.Trigger, string, int, error) {
				b := in.Body
				t := &liaison.Trigger{OrganisationID: b.OrganisationID, Kind: b.Kind, Title: b.Title, Description: b.Description,
					OccurredOn: b.OccurredOn, ExternalRef: b.ExternalRef, ServiceID: b.ServiceID, Source: liaison.TriggerAPI}
				created, err := api.app.CreateTrigger(ctx, t)
				if err != nil {
					return nil, "", 0, err
				}
				existing = !created
				return t, BasePath + "/triggers/" + t.ID, t.Version, nil
			}, rereader(api.app.Trigger, func(v *liaison.Trigger) int { return v.Version }), nil)
			if err != nil {
				return nil, err
			}
			out := &triggerCreated{Status: http.StatusCreated, Location: c.Location, ETag: c.ETag, Replayed: c.Replayed, Body: c.Body}
			if existing {
				out.Status = http.StatusOK
			}
			return out, nil
		})
	register(api, huma.Operation{OperationID: "get-trigger", Method: http.MethodGet, Path: "/triggers/{id}", Tags: tags,
		Summary: "Get a trigger", Description: "With its task: action_id, status, owner_id, due_date."}, liaison.AccessRead, api.getTrigger)
	register(api, huma.Operation{OperationID: "update-trigger", Method: http.MethodPatch, Path: "/triggers/{id}", Tags: tags,
		Summary: "Update a trigger (JSON merge patch)",
		Description: "title, description, kind, occurred_on, service_id and external_ref. The unit stays (422 on organisation_id); the " +
			"task's title follows the trigger's while they were the same. The account's relationship manager and deputy, head, admin " +
			"and whoever logged it. The task itself is changed through actions.",
		RequestBody: mergePatchBody[liaison.Trigger](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessRead, func(ctx context.Context, in *patchInput) (*one[liaison.Trigger], error) {
			cur, err := api.app.Trigger(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			t, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateTrigger(ctx, t, v); err != nil {
				return nil, err
			}
			return api.getTrigger(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-trigger", Method: http.MethodDelete, Path: "/triggers/{id}", Tags: tags,
		Summary:     "Move a trigger and its task to the trash",
		Description: "Whoever may edit it.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessRead, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				t, err := api.app.Trigger(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return t.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteTrigger(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-trigger", Method: http.MethodPost, Path: "/triggers/{id}/restore", Tags: tags,
		Summary: "Bring a trigger and its task back from the trash"}, liaison.AccessCurate,
		func(ctx context.Context, in *idInput) (*one[liaison.Trigger], error) {
			t, err := api.app.RestoreTrigger(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Trigger]{ETag: etag(t.Version), Body: t}, nil
		})
	register(api, huma.Operation{OperationID: "list-trigger-history", Method: http.MethodGet, Path: "/triggers/{id}/history", Tags: tags,
		Summary: "The audit trail of a trigger, newest first"}, liaison.AccessRead, api.history("trigger"))
}

func (api *API) getTrigger(ctx context.Context, in *idInput) (*one[liaison.Trigger], error) {
	t, err := api.app.Trigger(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Trigger]{ETag: etag(t.Version), Body: t}, nil
}
