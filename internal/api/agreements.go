package api

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// AgreementCreate is the body that creates an agreement.
type AgreementCreate struct {
	OrganisationID       string                  `json:"organisation_id" doc:"The customer account. Required."`
	Title                string                  `json:"title" maxLength:"200" doc:"Required."`
	Type                 liaison.AgreementType   `json:"type" enum:"service_level,financial,routines" doc:"Required."`
	Status               liaison.AgreementStatus `json:"status,omitempty" enum:"draft,negotiation,active,expired,terminated" doc:"Default draft; active needs the account's customer as signer."`
	SignedByPersonID     *string                 `json:"signed_by_person_id,omitempty"`
	SignedOn             *string                 `json:"signed_on,omitempty" format:"date"`
	StartDate            *string                 `json:"start_date,omitempty" format:"date"`
	EndDate              *string                 `json:"end_date,omitempty" format:"date"`
	NoticeMonths         int                     `json:"notice_months,omitempty" minimum:"0" maximum:"60"`
	Renewal              liaison.Renewal         `json:"renewal,omitempty" enum:"none,tacit,express" doc:"Default none."`
	RenewalMonths        int                     `json:"renewal_months,omitempty" minimum:"0" maximum:"120" doc:"Term of a tacit renewal; default 12."`
	ReviewIntervalMonths int                     `json:"review_interval_months,omitempty" minimum:"0" maximum:"120" doc:"Default 12."`
	NextReviewDate       *string                 `json:"next_review_date,omitempty" format:"date"`
	ServiceReviewMonths  int                     `json:"service_review_months,omitempty" minimum:"0" maximum:"36" doc:"How often the customer has a service review, in months; default 12."`
	AnnualAmount         *float64                `json:"annual_amount,omitempty" minimum:"0"`
	Currency             string                  `json:"currency,omitempty" maxLength:"3"`
	CostCentre           string                  `json:"cost_centre,omitempty" maxLength:"200"`
	BusinessValue        string                  `json:"business_value,omitempty" maxLength:"2000"`
	ValueMeasures        []liaison.ValueMeasure  `json:"value_measures,omitempty" maxItems:"20"`
	Services             []liaison.ServiceCover  `json:"services,omitempty" maxItems:"100"`
	Notes                string                  `json:"notes,omitempty" maxLength:"20000"`
	ExternalID           string                  `json:"external_id,omitempty" maxLength:"200"`
}

func (b AgreementCreate) agreement() *liaison.Agreement {
	return &liaison.Agreement{OrganisationID: b.OrganisationID, Title: b.Title, Type: b.Type, Status: b.Status,
		SignedByPersonID: b.SignedByPersonID, SignedOn: b.SignedOn, StartDate: b.StartDate, EndDate: b.EndDate,
		NoticeMonths: b.NoticeMonths, Renewal: b.Renewal, RenewalMonths: b.RenewalMonths, ReviewIntervalMonths: b.ReviewIntervalMonths,
		NextReviewDate: b.NextReviewDate, ServiceReviewMonths: b.ServiceReviewMonths, AnnualAmount: b.AnnualAmount, Currency: b.Currency, CostCentre: b.CostCentre,
		BusinessValue: b.BusinessValue, ValueMeasures: b.ValueMeasures, Services: b.Services, Notes: b.Notes, ExternalID: b.ExternalID}
}

type agreementCreateInput struct {
	IdempotencyHeader
	Body AgreementCreate
}

type agreementListInput struct {
	ListParams
	OrganisationID string                  `query:"organisation_id"`
	Status         liaison.AgreementStatus `query:"status" enum:"draft,negotiation,active,expired,terminated"`
	Type           liaison.AgreementType   `query:"type" enum:"service_level,financial,routines"`
	ServiceID      string                  `query:"service_id" doc:"Agreements covering this service."`
	ManagerID      string                  `query:"manager_id" doc:"Agreements of the accounts this user manages or deputises."`
	EndsBefore     string                  `query:"ends_before" format:"date" doc:"end_date on or before this date."`
	ExternalID     string                  `query:"external_id"`
	Trashed        bool                    `query:"trashed" doc:"List the trash instead (admin and head)."`
}

type revisionInput struct {
	ID      string `path:"id"`
	Version int    `path:"version" minimum:"1"`
}

type diffInput struct {
	ID   string `path:"id"`
	From int    `query:"from" minimum:"1" required:"true" doc:"The older version."`
	To   int    `query:"to" minimum:"1" required:"true" doc:"The newer version."`
}

// AgreementDiff is the difference between two versions.
type AgreementDiff struct {
	From    int              `json:"from"`
	To      int              `json:"to"`
	Changes []liaison.Change `json:"changes"`
}

type attachmentUploadInput struct {
	ID          string `path:"id"`
	Name        string `query:"name" maxLength:"200" doc:"The file's name. Required."`
	ContentType string `header:"Content-Type" doc:"The file's type: PDF, Word, Excel, OpenDocument, PNG, JPEG, text or CSV."`
	RawBody     []byte
}

type attachmentInput struct {
	ID           string `path:"id"`
	AttachmentID string `path:"attachment_id"`
}

type attachmentContent struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	NoSniff            string `header:"X-Content-Type-Options"`
	CSP                string `header:"Content-Security-Policy"`
	Body               []byte
}

// items is a list answered whole: the list shape of every other list
// (SPEC §4), with next_cursor always empty.
type items[T any] struct {
	Body Page[T]
}

func itemsOf[T any](xs []T) *items[T] {
	out := &items[T]{}
	if xs == nil {
		xs = []T{}
	}
	out.Body.Items = xs
	return out
}

func (api *API) registerAgreements() {
	tags := []string{"agreements"}
	pt := newPatcher[liaison.Agreement](api, "deleted_at")
	register(api, huma.Operation{OperationID: "list-agreements", Method: http.MethodGet, Path: "/agreements", Tags: tags,
		Summary: "List agreements", Description: "sort name orders by title."}, liaison.AccessRead,
		func(ctx context.Context, in *agreementListInput) (*listed[*liaison.Agreement], error) {
			items, next, err := api.app.Agreements(ctx, liaison.AgreementFilter{Q: in.Q, OrganisationID: in.OrganisationID,
				Status: in.Status, Type: in.Type, ServiceID: in.ServiceID, ManagerID: in.ManagerID, EndsBefore: in.EndsBefore,
				ExternalID: in.ExternalID, Trashed: in.Trashed, Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-agreement", Method: http.MethodPost, Path: "/agreements", Tags: tags,
		Summary: "Create an agreement", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *agreementCreateInput) (*created[liaison.Agreement], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /agreements", in.Body, func(ctx context.Context) (*liaison.Agreement, string, int, error) {
				a := in.Body.agreement()
				if err := api.app.CreateAgreement(ctx, a); err != nil {
					return nil, "", 0, err
				}
				return a, BasePath + "/agreements/" + a.ID, a.Version, nil
			}, rereader(api.app.Agreement, func(v *liaison.Agreement) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-agreement", Method: http.MethodGet, Path: "/agreements/{id}", Tags: tags,
		Summary: "Get an agreement"}, liaison.AccessRead, api.getAgreement)
	register(api, huma.Operation{OperationID: "update-agreement", Method: http.MethodPatch, Path: "/agreements/{id}", Tags: tags,
		Summary: "Update an agreement (JSON merge patch), its status included",
		Description: "Status transitions: draft → negotiation → active → expired | terminated, negotiation → draft, draft → terminated; " +
			"others answer 422 naming the allowed ones. Becoming active needs signed_by_person_id to be the account's current customer " +
			"(422 naming the customer otherwise); signed_on and next_review_date are filled in when left empty.",
		RequestBody: mergePatchBody[liaison.Agreement](api),
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.Agreement], error) {
			cur, err := api.app.Agreement(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			a, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateAgreement(ctx, a, v); err != nil {
				return nil, err
			}
			return api.getAgreement(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-agreement", Method: http.MethodDelete, Path: "/agreements/{id}", Tags: tags,
		Summary: "Move an agreement to the trash", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				a, err := api.app.Agreement(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return a.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteAgreement(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "restore-agreement", Method: http.MethodPost, Path: "/agreements/{id}/restore", Tags: tags,
		Summary: "Bring an agreement back from the trash", Errors: []int{http.StatusConflict}},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*one[liaison.Agreement], error) {
			a, err := api.app.RestoreAgreement(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &one[liaison.Agreement]{ETag: etag(a.Version), Body: a}, nil
		})
	register(api, huma.Operation{OperationID: "list-agreement-revisions", Method: http.MethodGet, Path: "/agreements/{id}/revisions", Tags: tags,
		Summary: "The versions of an agreement, newest first, each with the fields it changed"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.AgreementRevision], error) {
			revs, err := api.app.AgreementRevisions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(revs), nil
		})
	register(api, huma.Operation{OperationID: "get-agreement-revision", Method: http.MethodGet, Path: "/agreements/{id}/revisions/{version}", Tags: tags,
		Summary: "One version of an agreement, as saved"}, liaison.AccessRead,
		func(ctx context.Context, in *revisionInput) (*struct{ Body *liaison.AgreementRevision }, error) {
			r, err := api.app.AgreementRevision(ctx, in.ID, in.Version)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.AgreementRevision }{r}, nil
		})
	register(api, huma.Operation{OperationID: "diff-agreement", Method: http.MethodGet, Path: "/agreements/{id}/diff", Tags: tags,
		Summary: "The fields that differ between two versions"}, liaison.AccessRead,
		func(ctx context.Context, in *diffInput) (*struct{ Body AgreementDiff }, error) {
			ch, err := api.app.AgreementDiff(ctx, in.ID, in.From, in.To)
			if err != nil {
				return nil, err
			}
			return &struct{ Body AgreementDiff }{AgreementDiff{From: in.From, To: in.To, Changes: ch}}, nil
		})
	register(api, huma.Operation{OperationID: "list-agreement-history", Method: http.MethodGet, Path: "/agreements/{id}/history", Tags: tags,
		Summary: "The audit trail of an agreement, newest first"}, liaison.AccessRead, api.history("agreement"))

	register(api, huma.Operation{OperationID: "list-agreement-attachments", Method: http.MethodGet, Path: "/agreements/{id}/attachments", Tags: tags,
		Summary: "The files of an agreement"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.Attachment], error) {
			list, err := api.app.Attachments(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(list), nil
		})
	register(api, huma.Operation{OperationID: "create-agreement-attachment", Method: http.MethodPost, Path: "/agreements/{id}/attachments", Tags: tags,
		Summary: "Attach a file (the request body) to an agreement",
		Description: fmt.Sprintf("At most %d MiB; the Content-Type must be one of %s and match the file's content.",
			liaison.MaxAttachmentBytes>>20, liaison.AttachmentTypes()),
		DefaultStatus: http.StatusCreated, MaxBodyBytes: liaison.MaxAttachmentBytes + 1,
		Errors: []int{http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *attachmentUploadInput) (*struct {
			Location string `header:"Location"`
			Body     *liaison.Attachment
		}, error) {
			at := &liaison.Attachment{AgreementID: in.ID, Name: in.Name, ContentType: in.ContentType, Data: in.RawBody}
			if err := api.app.AddAttachment(ctx, at); err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     *liaison.Attachment
			}{BasePath + "/agreements/" + in.ID + "/attachments/" + at.ID, at}, nil
		})
	register(api, huma.Operation{OperationID: "get-agreement-attachment", Method: http.MethodGet, Path: "/agreements/{id}/attachments/{attachment_id}", Tags: tags,
		Summary: "Download a file of an agreement"}, liaison.AccessRead,
		func(ctx context.Context, in *attachmentInput) (*attachmentContent, error) {
			at, err := api.app.Attachment(ctx, in.ID, in.AttachmentID)
			if err != nil {
				return nil, err
			}
			return &attachmentContent{ContentType: at.ContentType, NoSniff: "nosniff", CSP: "sandbox",
				ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": at.Name}), Body: at.Data}, nil
		})
	register(api, huma.Operation{OperationID: "delete-agreement-attachment", Method: http.MethodDelete, Path: "/agreements/{id}/attachments/{attachment_id}", Tags: tags,
		Summary: "Remove a file from an agreement", DefaultStatus: http.StatusNoContent}, liaison.AccessWrite,
		func(ctx context.Context, in *attachmentInput) (*struct{}, error) {
			return nil, api.app.DeleteAttachment(ctx, in.ID, in.AttachmentID)
		})
	api.registerSLAResults()
	api.registerKPIs()
}

func (api *API) getAgreement(ctx context.Context, in *idInput) (*one[liaison.Agreement], error) {
	a, err := api.app.Agreement(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Agreement]{ETag: etag(a.Version), Body: a}, nil
}

// SLAResultCreate is the body that records an SLA result.
type SLAResultCreate struct {
	AgreementID    string            `json:"agreement_id" doc:"Required."`
	ServiceID      string            `json:"service_id" doc:"A service the agreement covers. Required."`
	Period         string            `json:"period" doc:"YYYY-MM. Required."`
	Metric         liaison.SLAMetric `json:"metric" enum:"availability,response_time,resolution_time,other" doc:"Required."`
	HigherIsBetter bool              `json:"higher_is_better,omitempty" doc:"For metric other: true when the actual must reach the target."`
	Target         float64           `json:"target"`
	Actual         float64           `json:"actual"`
	Unit           string            `json:"unit,omitempty" maxLength:"20"`
	Note           string            `json:"note,omitempty" maxLength:"2000"`
	Source         string            `json:"source,omitempty" maxLength:"200"`
	SupplierID     *string           `json:"supplier_id,omitempty" doc:"Attribute the result to a supplier (GET /suppliers); 422 when it names none."`
}

type slaCreateInput struct {
	IdempotencyHeader
	Body SLAResultCreate
}

type slaListInput struct {
	PageParams
	AgreementID    string `query:"agreement_id"`
	ServiceID      string `query:"service_id"`
	OrganisationID string `query:"organisation_id"`
	Period         string `query:"period" doc:"YYYY-MM"`
	Breached       string `query:"breached" enum:"true,false" doc:"Only breaches (true) or only met targets (false)."`
	SupplierID     string `query:"supplier_id" doc:"Only the results attributed to this supplier."`
}

type slaImportInput struct {
	AgreementID string `query:"agreement_id" doc:"The agreement of rows that name none."`
	DryRun      bool   `query:"dry_run" doc:"Check the file and report, import nothing."`
	ContentType string `header:"Content-Type" doc:"text/csv"`
	RawBody     []byte
}

func (api *API) registerSLAResults() {
	tags := []string{"sla-results"}
	pt := newPatcher[liaison.SLAResult](api, "breached", "supplier_name")
	register(api, huma.Operation{OperationID: "list-sla-results", Method: http.MethodGet, Path: "/sla-results", Tags: tags,
		Summary: "List SLA results, newest period first"}, liaison.AccessRead,
		func(ctx context.Context, in *slaListInput) (*listed[*liaison.SLAResult], error) {
			f := liaison.SLAResultFilter{AgreementID: in.AgreementID, ServiceID: in.ServiceID, OrganisationID: in.OrganisationID,
				Period: in.Period, SupplierID: in.SupplierID, Limit: in.Limit, Cursor: in.Cursor}
			if in.Breached != "" {
				b, _ := strconv.ParseBool(in.Breached)
				f.Breached = &b
			}
			items, next, err := api.app.SLAResults(ctx, f)
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "create-sla-result", Method: http.MethodPost, Path: "/sla-results", Tags: tags,
		Summary: "Record an SLA result", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *slaCreateInput) (*created[liaison.SLAResult], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /sla-results", in.Body, func(ctx context.Context) (*liaison.SLAResult, string, int, error) {
				b := in.Body
				r := &liaison.SLAResult{AgreementID: b.AgreementID, ServiceID: b.ServiceID, Period: b.Period, Metric: b.Metric,
					HigherIsBetter: b.HigherIsBetter, Target: b.Target, Actual: b.Actual, Unit: b.Unit, Note: b.Note, Source: b.Source,
					SupplierID: b.SupplierID}
				if err := api.app.CreateSLAResult(ctx, r); err != nil {
					return nil, "", 0, err
				}
				return r, BasePath + "/sla-results/" + r.ID, r.Version, nil
			}, rereader(api.app.SLAResult, func(v *liaison.SLAResult) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "import-sla-results", Method: http.MethodPost, Path: "/sla-results/import", Tags: tags,
		Summary: "Import SLA results from CSV",
		Description: "A CSV file (comma or semicolon separated; UTF-8 with or without BOM, or Windows-1252) with a header row of " +
			app.SLAColumns + ". A file with any rejected row imports nothing: the answer lists each rejected row (line and reason) " +
			"with status 422. dry_run checks without importing."}, liaison.AccessWrite,
		func(ctx context.Context, in *slaImportInput) (*imported[app.ImportReport], error) {
			rep, err := api.app.ImportSLAResults(ctx, in.RawBody, in.AgreementID, in.DryRun)
			if err != nil {
				return nil, err
			}
			return importAnswer(rep, len(rep.Rejected)), nil
		})
	register(api, huma.Operation{OperationID: "get-sla-result", Method: http.MethodGet, Path: "/sla-results/{id}", Tags: tags,
		Summary: "Get an SLA result"}, liaison.AccessRead, api.getSLAResult)
	register(api, huma.Operation{OperationID: "update-sla-result", Method: http.MethodPatch, Path: "/sla-results/{id}", Tags: tags,
		Summary: "Update an SLA result (JSON merge patch)", RequestBody: mergePatchBody[liaison.SLAResult](api),
		Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessWrite, func(ctx context.Context, in *patchInput) (*one[liaison.SLAResult], error) {
			cur, err := api.app.SLAResult(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			r, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateSLAResult(ctx, r, v); err != nil {
				return nil, err
			}
			return api.getSLAResult(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-sla-result", Method: http.MethodDelete, Path: "/sla-results/{id}", Tags: tags,
		Summary: "Delete an SLA result", Errors: []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				r, err := api.app.SLAResult(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return r.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteSLAResult(ctx, in.ID, v)
		})
}

func (api *API) getSLAResult(ctx context.Context, in *idInput) (*one[liaison.SLAResult], error) {
	r, err := api.app.SLAResult(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.SLAResult]{ETag: etag(r.Version), Body: r}, nil
}
