package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// DecisionCreate is the body that records a customer's decision on a
// customer-specific service.
type DecisionCreate struct {
	OrganisationID       string               `json:"organisation_id" doc:"The customer account. Required."`
	ServiceID            string               `json:"service_id" doc:"A customer-specific service. Required."`
	SubscriptionID       *string              `json:"subscription_id,omitempty" doc:"The account's usage of the service, if the decision concerns one."`
	Kind                 liaison.DecisionKind `json:"kind" enum:"new_service,change,termination" doc:"new_service: the account takes a new customer-specific service; change: its content, scope or level changes; termination: the account stops using it. Required."`
	Summary              string               `json:"summary" maxLength:"200" doc:"What was decided. Required."`
	PreparedWithPersonID *string              `json:"prepared_with_person_id,omitempty" doc:"Who it was prepared with, e.g. an orderer; anyone."`
	DecidedByPersonID    string               `json:"decided_by_person_id" doc:"Required: the account's current customer; anyone else answers 422 naming the customer."`
	DecidedOn            string               `json:"decided_on" format:"date" doc:"When it was decided (YYYY-MM-DD). Required."`
	Notes                string               `json:"notes,omitempty" maxLength:"20000"`
}

type decisionCreateInput struct {
	IdempotencyHeader
	Body DecisionCreate
}

type decisionListInput struct {
	ListParams
	OrganisationID string `query:"organisation_id"`
	ServiceID      string `query:"service_id"`
	Kind           string `query:"kind" enum:"new_service,change,termination"`
}

func (api *API) registerDecisions() {
	tags := []string{"decisions"}
	pt := newPatcher[liaison.ServiceDecision](api, "organisation_name", "service_name", "decided_by_name", "prepared_with_name")
	register(api, huma.Operation{OperationID: "list-decisions", Method: http.MethodGet, Path: "/decisions", Tags: tags,
		Summary:     "List customers' decisions on customer-specific services",
		Description: "Sort name orders by the decision date (-name: newest first); q matches the summary, notes, the people's, service's and account's names."},
		liaison.AccessRead, func(ctx context.Context, in *decisionListInput) (*listed[*liaison.ServiceDecision], error) {
			items, next, err := api.app.Decisions(ctx, liaison.DecisionFilter{Q: in.Q, OrganisationID: in.OrganisationID,
				ServiceID: in.ServiceID, Kind: liaison.DecisionKind(in.Kind), Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-decision", Method: http.MethodPost, Path: "/decisions", Tags: tags,
		Summary:       "Record a customer's decision on a customer-specific service",
		Description:   "It may be prepared with an orderer, but decided_by_person_id must be the account's current customer: anyone else answers 422 naming the customer (seed 000).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *decisionCreateInput) (*created[liaison.ServiceDecision], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /decisions", in.Body, func(ctx context.Context) (*liaison.ServiceDecision, string, int, error) {
				b := in.Body
				d := &liaison.ServiceDecision{OrganisationID: b.OrganisationID, ServiceID: b.ServiceID, SubscriptionID: b.SubscriptionID,
					Kind: b.Kind, Summary: b.Summary, PreparedWithID: b.PreparedWithPersonID, DecidedByPersonID: b.DecidedByPersonID,
					DecidedOn: b.DecidedOn, Notes: b.Notes}
				if err := api.app.CreateDecision(ctx, d); err != nil {
					return nil, "", 0, err
				}
				return d, BasePath + "/decisions/" + d.ID, d.Version, nil
			}, rereader(api.app.Decision, func(v *liaison.ServiceDecision) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-decision", Method: http.MethodGet, Path: "/decisions/{id}", Tags: tags,
		Summary: "Get a decision"}, liaison.AccessRead, api.getDecision)
	register(api, huma.Operation{OperationID: "update-decision", Method: http.MethodPatch, Path: "/decisions/{id}", Tags: tags,
		Summary:     "Update a decision (JSON merge patch)",
		Description: "A changed decider or account is checked again: only the account's current customer decides.",
		RequestBody: mergePatchBody[liaison.ServiceDecision](api),
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.ServiceDecision], error) {
			cur, err := api.app.Decision(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			d, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateDecision(ctx, d, v); err != nil {
				return nil, err
			}
			return api.getDecision(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-decision", Method: http.MethodDelete, Path: "/decisions/{id}", Tags: tags,
		Summary: "Remove a decision recorded in error", Description: "Removed for good, like a usage; the audit trail keeps it.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				d, err := api.app.Decision(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return d.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteDecision(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-decision-history", Method: http.MethodGet, Path: "/decisions/{id}/history", Tags: tags,
		Summary: "The audit trail of a decision, newest first"}, liaison.AccessRead, api.history("decision"))
}

func (api *API) getDecision(ctx context.Context, in *idInput) (*one[liaison.ServiceDecision], error) {
	d, err := api.app.Decision(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.ServiceDecision]{ETag: etag(d.Version), Body: d}, nil
}
