package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// SupplierLink is one service a supplier is behind, in a create body.
type SupplierLink struct {
	ServiceID string `json:"service_id" doc:"A service of the catalogue. Required."`
	Note      string `json:"note,omitempty" maxLength:"500" doc:"What the supplier delivers for this service."`
}

// SupplierCreate is the body that adds a supplier.
type SupplierCreate struct {
	Name              string                 `json:"name" maxLength:"200" doc:"Required; unique among suppliers not in the trash, ignoring case (409 otherwise)."`
	RegistrationID    string                 `json:"registration_id,omitempty" maxLength:"200" doc:"Organisation number or other registration id."`
	Description       string                 `json:"description,omitempty" maxLength:"20000"`
	ContactName       string                 `json:"contact_name,omitempty" maxLength:"200"`
	ContactEmail      string                 `json:"contact_email,omitempty" maxLength:"200"`
	ContactPhone      string                 `json:"contact_phone,omitempty" maxLength:"200"`
	Website           string                 `json:"website,omitempty" maxLength:"500" doc:"An http or https address."`
	ContractReference string                 `json:"contract_reference,omitempty" maxLength:"200"`
	ContractEndDate   *string                `json:"contract_end_date,omitempty" doc:"YYYY-MM-DD."`
	Status            liaison.SupplierStatus `json:"status,omitempty" enum:"active,inactive" doc:"Default active."`
	Notes             string                 `json:"notes,omitempty" maxLength:"20000"`
	Services          []SupplierLink         `json:"services,omitempty" maxItems:"200" doc:"The services the supplier is behind, each with what it delivers for it."`
}

func (b SupplierCreate) supplier() *liaison.Supplier {
	s := &liaison.Supplier{Name: b.Name, RegistrationID: b.RegistrationID, Description: b.Description, ContactName: b.ContactName,
		ContactEmail: b.ContactEmail, ContactPhone: b.ContactPhone, Website: b.Website, ContractReference: b.ContractReference,
		ContractEndDate: b.ContractEndDate, Status: b.Status, Notes: b.Notes, Services: []liaison.SupplierService{}}
	for _, l := range b.Services {
		s.Services = append(s.Services, liaison.SupplierService{ServiceID: l.ServiceID, Note: l.Note})
	}
	return s
}

type supplierCreateInput struct {
	IdempotencyHeader
	Body SupplierCreate
}

type supplierListInput struct {
	ListParams
	Status    string `query:"status" enum:"active,inactive"`
	ServiceID string `query:"service_id" doc:"Only the suppliers behind this service."`
	Trashed   bool   `query:"trashed" doc:"List the trash instead (admin and head)."`
}

func (api *API) registerSuppliers() {
	tags := []string{"suppliers"}
	pt := newPatcher[liaison.Supplier](api, "deleted_at")
	register(api, huma.Operation{OperationID: "list-suppliers", Method: http.MethodGet, Path: "/suppliers", Tags: tags,
		Summary:     "List the suppliers behind services",
		Description: "q matches the name, registration id, contact name, contract reference and description. SLA results name a supplier by supplier_id (GET /sla-results?supplier_id=)."},
		liaison.AccessRead, func(ctx context.Context, in *supplierListInput) (*listed[*liaison.Supplier], error) {
			items, next, err := api.app.Suppliers(ctx, liaison.SupplierFilter{Q: in.Q, Status: liaison.SupplierStatus(in.Status),
				ServiceID: in.ServiceID, Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-supplier", Method: http.MethodPost, Path: "/suppliers", Tags: tags,
		Summary: "Add a supplier (admin, head)", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *supplierCreateInput) (*created[liaison.Supplier], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /suppliers", in.Body, func(ctx context.Context) (*liaison.Supplier, string, int, error) {
				s := in.Body.supplier()
				if err := api.app.CreateSupplier(ctx, s); err != nil {
					return nil, "", 0, err
				}
				return s, BasePath + "/suppliers/" + s.ID, s.Version, nil
			}, rereader(api.app.Supplier, func(v *liaison.Supplier) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-supplier", Method: http.MethodGet, Path: "/suppliers/{id}", Tags: tags,
		Summary: "Get a supplier with the services it is behind"}, liaison.AccessRead, api.getSupplier)
	register(api, huma.Operation{OperationID: "update-supplier", Method: http.MethodPatch, Path: "/suppliers/{id}", Tags: tags,
		Summary:     "Update a supplier (JSON merge patch; admin, head)",
		Description: "services is replaced as a whole: send every link, [{\"service_id\": …, \"note\": …}], or [] for none; service_name is ignored.",
		RequestBody: mergePatchBody[liaison.Supplier](api),
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessCurate, func(ctx context.Context, in *patchInput) (*one[liaison.Supplier], error) {
			cur, err := api.app.Supplier(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			s, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateSupplier(ctx, s, v); err != nil {
				return nil, err
			}
			return api.getSupplier(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-supplier", Method: http.MethodDelete, Path: "/suppliers/{id}", Tags: tags,
		Summary: "Move a supplier to the trash (admin, head)", Description: "SLA results attributed to it keep naming it.",
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessCurate, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				s, err := api.app.Supplier(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return s.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteSupplier(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-supplier", Method: http.MethodPost, Path: "/suppliers/{id}/restore", Tags: tags,
		Summary: "Bring a supplier back from the trash (admin, head)", Description: "409 when another supplier has taken its name meanwhile.",
		Errors: []int{http.StatusConflict}},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*one[liaison.Supplier], error) {
			s, err := api.app.RestoreSupplier(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Supplier]{ETag: etag(s.Version), Body: s}, nil
		})
	register(api, huma.Operation{OperationID: "list-supplier-history", Method: http.MethodGet, Path: "/suppliers/{id}/history", Tags: tags,
		Summary: "The audit trail of a supplier, newest first"}, liaison.AccessRead, api.history("supplier"))
}

func (api *API) getSupplier(ctx context.Context, in *idInput) (*one[liaison.Supplier], error) {
	s, err := api.app.Supplier(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Supplier]{ETag: etag(s.Version), Body: s}, nil
}
