package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// ServiceCreate is the body that creates a service of the catalogue.
type ServiceCreate struct {
	Name             string                 `json:"name" maxLength:"200" doc:"Required."`
	Description      string                 `json:"description,omitempty" maxLength:"20000"`
	Status           liaison.ServiceStatus  `json:"status,omitempty" enum:"pipeline,live,retired" doc:"Default pipeline; live needs at least one level."`
	OwnerID          *string                `json:"owner_id,omitempty" doc:"The service owner, a user."`
	CustomerSpecific bool                   `json:"customer_specific,omitempty" doc:"Every usage needs a named IT contact."`
	PriceModel       liaison.PriceModel     `json:"price_model,omitempty" enum:"included,fixed,per_user,per_unit,consumption" doc:"Default included."`
	Currency         string                 `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217; default EUR."`
	Levels           []liaison.ServiceLevel `json:"levels,omitempty" maxItems:"20" doc:"The service levels offered, in display order."`
	ExternalID       string                 `json:"external_id,omitempty" maxLength:"200"`
}

type serviceCreateInput struct {
	IdempotencyHeader
	Body ServiceCreate
}

type serviceListInput struct {
	ListParams
	Status           string `query:"status" enum:"pipeline,live,retired"`
	OwnerID          string `query:"owner_id"`
	CustomerSpecific string `query:"customer_specific" enum:"true,false"`
	ExternalID       string `query:"external_id"`
}

// SubscriptionCreate is the body that records an account's usage of a service.
type SubscriptionCreate struct {
	OrganisationID string  `json:"organisation_id" doc:"The customer account. Required."`
	ServiceID      string  `json:"service_id" doc:"Required; a retired service is refused."`
	Level          string  `json:"level" maxLength:"200" doc:"One of the service's levels. Required."`
	Users          *int    `json:"users,omitempty" minimum:"0"`
	Workload       string  `json:"workload,omitempty" maxLength:"200"`
	ContactUserID  *string `json:"contact_user_id,omitempty" doc:"The named IT contact; required for a customer-specific service."`
	StartedOn      *string `json:"started_on,omitempty" format:"date"`
	Notes          string  `json:"notes,omitempty" maxLength:"20000"`
}

type subscriptionCreateInput struct {
	IdempotencyHeader
	Body SubscriptionCreate
}

type subscriptionListInput struct {
	ListParams
	OrganisationID string `query:"organisation_id"`
	ServiceID      string `query:"service_id"`
	Level          string `query:"level" maxLength:"200"`
	ContactUserID  string `query:"contact_user_id"`
	NoContact      bool   `query:"no_contact" doc:"Only usages without a named IT contact (the coverage view)."`
}

// CoverageBody is the coverage of usages by named IT contacts.
type CoverageBody struct {
	liaison.Coverage
	Percent float64 `json:"percent" doc:"Share of usages with a named IT contact, 0 to 100."`
}

type coverageOutput struct {
	Body CoverageBody
}

func (api *API) registerServices() {
	tags := []string{"services"}
	pt := newPatcher[liaison.Service](api, "usages", "suppliers")
	register(api, huma.Operation{OperationID: "list-services", Method: http.MethodGet, Path: "/services", Tags: tags,
		Summary: "List the service catalogue"}, liaison.AccessRead,
		func(ctx context.Context, in *serviceListInput) (*listed[*liaison.Service], error) {
			items, next, err := api.app.Services(ctx, liaison.ServiceFilter{Q: in.Q, Status: liaison.ServiceStatus(in.Status),
				OwnerID: in.OwnerID, CustomerSpecific: boolParam(in.CustomerSpecific), ExternalID: in.ExternalID,
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-service", Method: http.MethodPost, Path: "/services", Tags: tags,
		Summary: "Create a service (admin, head)", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *serviceCreateInput) (*created[liaison.Service], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /services", in.Body, func(ctx context.Context) (*liaison.Service, string, int, error) {
				b := in.Body
				s := &liaison.Service{Name: b.Name, Description: b.Description, Status: b.Status, OwnerID: b.OwnerID,
					CustomerSpecific: b.CustomerSpecific, PriceModel: b.PriceModel, Currency: b.Currency, Levels: b.Levels,
					ExternalID: b.ExternalID}
				if err := api.app.CreateService(ctx, s); err != nil {
					return nil, "", 0, err
				}
				return s, BasePath + "/services/" + s.ID, s.Version, nil
			}, rereader(api.app.Service, func(v *liaison.Service) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-service", Method: http.MethodGet, Path: "/services/{id}", Tags: tags,
		Summary: "Get a service with its levels"}, liaison.AccessRead, api.getService)
	// Any signed-in user at the route: the service's owner may edit it
	// whatever their role; the service layer decides (admin, head, owner).
	register(api, huma.Operation{OperationID: "update-service", Method: http.MethodPatch, Path: "/services/{id}", Tags: tags,
		Summary:     "Update a service (JSON merge patch; admin, head, or its owner)",
		Description: "levels is replaced as a whole. A level that usages name may change its targets but not be removed or renamed (409). The owner may not change status or owner_id.",
		RequestBody: mergePatchBody[liaison.Service](api),
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessSignedIn, func(ctx context.Context, in *patchInput) (*one[liaison.Service], error) {
			cur, err := api.app.Service(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			s, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateService(ctx, s, v); err != nil {
				return nil, err
			}
			return api.getService(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-service", Method: http.MethodDelete, Path: "/services/{id}", Tags: tags,
		Summary: "Remove a service (admin, head)", Description: "Answers 409 while anything uses it: retire it instead.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessCurate, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				s, err := api.app.Service(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return s.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteService(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-service-history", Method: http.MethodGet, Path: "/services/{id}/history", Tags: tags,
		Summary: "The audit trail of a service, newest first"}, liaison.AccessRead, api.history("service"))
}

func (api *API) getService(ctx context.Context, in *idInput) (*one[liaison.Service], error) {
	s, err := api.app.Service(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Service]{ETag: etag(s.Version), Body: s}, nil
}

func (api *API) registerSubscriptions() {
	tags := []string{"subscriptions"}
	pt := newPatcher[liaison.Subscription](api, "service_name", "service_status", "customer_specific", "organisation_name", "contact_name")
	register(api, huma.Operation{OperationID: "list-subscriptions", Method: http.MethodGet, Path: "/subscriptions", Tags: tags,
		Summary: "List usages of services", Description: "Sort name orders by the service's name; q matches the service's and the account's names."},
		liaison.AccessRead, func(ctx context.Context, in *subscriptionListInput) (*listed[*liaison.Subscription], error) {
			items, next, err := api.app.Subscriptions(ctx, liaison.SubscriptionFilter{Q: in.Q, OrganisationID: in.OrganisationID,
				ServiceID: in.ServiceID, Level: in.Level, ContactUserID: in.ContactUserID, NoContact: in.NoContact,
				Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "get-subscription-coverage", Method: http.MethodGet, Path: "/subscriptions/coverage", Tags: tags,
		Summary: "How many usages have a named IT contact (SPEC C4 KPI)"}, liaison.AccessRead,
		func(ctx context.Context, _ *struct{}) (*coverageOutput, error) {
			c, err := api.app.SubscriptionCoverage(ctx)
			if err != nil {
				return nil, err
			}
			return &coverageOutput{Body: CoverageBody{Coverage: c, Percent: c.Percent()}}, nil
		})
	register(api, huma.Operation{OperationID: "create-subscription", Method: http.MethodPost, Path: "/subscriptions", Tags: tags,
		Summary: "Record an account's usage of a service", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *subscriptionCreateInput) (*created[liaison.Subscription], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /subscriptions", in.Body, func(ctx context.Context) (*liaison.Subscription, string, int, error) {
				b := in.Body
				s := &liaison.Subscription{OrganisationID: b.OrganisationID, ServiceID: b.ServiceID, Level: b.Level, Users: b.Users,
					Workload: b.Workload, ContactUserID: b.ContactUserID, StartedOn: b.StartedOn, Notes: b.Notes}
				if err := api.app.CreateSubscription(ctx, s); err != nil {
					return nil, "", 0, err
				}
				return s, BasePath + "/subscriptions/" + s.ID, s.Version, nil
			}, rereader(api.app.Subscription, func(v *liaison.Subscription) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-subscription", Method: http.MethodGet, Path: "/subscriptions/{id}", Tags: tags,
		Summary: "Get a usage"}, liaison.AccessRead, api.getSubscription)
	register(api, huma.Operation{OperationID: "update-subscription", Method: http.MethodPatch, Path: "/subscriptions/{id}", Tags: tags,
		Summary: "Update a usage (JSON merge patch)", RequestBody: mergePatchBody[liaison.Subscription](api),
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.Subscription], error) {
			cur, err := api.app.Subscription(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			s, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateSubscription(ctx, s, v); err != nil {
				return nil, err
			}
			return api.getSubscription(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-subscription", Method: http.MethodDelete, Path: "/subscriptions/{id}", Tags: tags,
		Summary: "Remove a usage", Description: "Removed for good; the audit trail keeps it.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				s, err := api.app.Subscription(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return s.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteSubscription(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-subscription-history", Method: http.MethodGet, Path: "/subscriptions/{id}/history", Tags: tags,
		Summary: "The audit trail of a usage, newest first"}, liaison.AccessRead, api.history("subscription"))
}

func (api *API) getSubscription(ctx context.Context, in *idInput) (*one[liaison.Subscription], error) {
	s, err := api.app.Subscription(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Subscription]{ETag: etag(s.Version), Body: s}, nil
}
