package api

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/report"
)

type reportInput struct {
	ID     string `path:"id"`
	From   string `query:"from" format:"date" doc:"First day of the period; default the day after the same date a year before to."`
	To     string `query:"to" format:"date" doc:"Last day of the period; default today."`
	Lang   string `query:"lang" enum:"en,sv,fi,zh" doc:"The pack's language; default the caller's."`
	Format string `query:"format" enum:"json,pdf" default:"json" doc:"json (the pack's sections as data) or pdf (the printable pack)."`
}

// reportContent is the pack as JSON or as PDF: the body is written as is.
type reportContent struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// ReportCopyCreate is the body that stores a pack with a meeting.
type ReportCopyCreate struct {
	From     string `json:"from,omitempty" format:"date" doc:"First day of the period; default a year before to."`
	To       string `json:"to,omitempty" format:"date" doc:"Last day of the period; default today."`
	Language string `json:"language,omitempty" enum:"en,sv,fi,zh" doc:"Default the caller's language."`
}

type reportCopyCreateInput struct {
	IdempotencyHeader
	ID   string `path:"id"`
	Body ReportCopyCreate
}

type reportCopyInput struct {
	ID     string `path:"id"`
	CopyID string `path:"copy_id"`
}

// pdfDisposition names a pack's file: account, period, language.
func pdfDisposition(name, from, to, lang string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": name + " " + from + " " + to + " " + lang + ".pdf"})
}

func (api *API) registerReports() {
	tags := []string{"Reports"}
	packSchema := api.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(report.Pack{}), true, "ReportPack")
	pdfSchema := &huma.Schema{Type: "string", Format: "binary"}
	register(api, huma.Operation{OperationID: "get-organisation-report", Method: http.MethodGet, Path: "/organisations/{id}/report", Tags: tags,
		Summary: "The customer report pack of an account for a period",
		Description: "Complaints, SLA performance, improvements, open actions and meetings of the account, with labels, dates " +
			"and numbers in the chosen language. `format=pdf` answers the printable pack as application/pdf (charts as vector " +
			"graphics, fonts embedded) instead of JSON. Sections appear in a fixed order; the satisfaction section (the account's " +
			"published survey results by campaign and its ticket satisfaction) comes last, only when there is any. A unit that " +
			"is not an account answers 422. Customer-facing: a customer-scoped token reads its own account's pack (403 for another).",
		Errors: []int{http.StatusUnprocessableEntity},
		Responses: map[string]*huma.Response{"200": {Description: "The pack",
			Content: map[string]*huma.MediaType{"application/json": {Schema: packSchema}, "application/pdf": {Schema: pdfSchema}}}},
	}, liaison.AccessCustomer,
		func(ctx context.Context, in *reportInput) (*reportContent, error) {
			req := app.ReportRequest{From: in.From, To: in.To, Language: liaison.Language(in.Lang)}
			if in.Format == "pdf" {
				pdf, p, err := api.app.ReportPDF(ctx, in.ID, req)
				if err != nil {
					return nil, err
				}
				return &reportContent{ContentType: "application/pdf",
					ContentDisposition: pdfDisposition(p.AccountName, p.From, p.To, p.Language), Body: pdf}, nil
			}
			p, err := api.app.Report(ctx, in.ID, req)
			if err != nil {
				return nil, err
			}
			b, err := json.Marshal(p)
			if err != nil {
				return nil, err
			}
			return &reportContent{ContentType: "application/json", Body: b}, nil
		})

	register(api, huma.Operation{OperationID: "create-meeting-report-pack", Method: http.MethodPost, Path: "/meetings/{id}/report-pack", Tags: tags,
		Summary: "Store the report pack presented at a meeting",
		Description: "Generates the pack of the meeting's account for the period in the language and stores its PDF with the " +
			"meeting. Needs write access to the account (its relationship manager or deputy, head, admin).",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessWrite,
		func(ctx context.Context, in *reportCopyCreateInput) (*created[liaison.ReportCopy], error) {
			route := "POST /meetings/" + in.ID + "/report-pack"
			return createOnce(ctx, api, in.IdempotencyKey, route, in.Body, func(ctx context.Context) (*liaison.ReportCopy, string, int, error) {
				c, err := api.app.StoreReportCopy(ctx, in.ID, app.ReportRequest{From: in.Body.From, To: in.Body.To,
					Language: liaison.Language(in.Body.Language)})
				if err != nil {
					return nil, "", 0, err
				}
				return c, BasePath + "/meetings/" + in.ID + "/report-pack/" + c.ID, 1, nil
			}, func(ctx context.Context, id string) (*liaison.ReportCopy, int, error) {
				c, err := api.app.ReportCopy(ctx, in.ID, id)
				if c != nil {
					c.PDF = nil
				}
				return c, 1, err
			}, nil)
		})
	register(api, huma.Operation{OperationID: "list-meeting-report-packs", Method: http.MethodGet, Path: "/meetings/{id}/report-pack", Tags: tags,
		Summary: "The report packs stored with a meeting, newest first"}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*items[*liaison.ReportCopy], error) {
			list, err := api.app.ReportCopies(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return itemsOf(list), nil
		})
	register(api, huma.Operation{OperationID: "get-meeting-report-pack", Method: http.MethodGet, Path: "/meetings/{id}/report-pack/{copy_id}", Tags: tags,
		Summary: "Download a stored report pack (application/pdf)",
		Responses: map[string]*huma.Response{"200": {Description: "The PDF as stored",
			Content: map[string]*huma.MediaType{"application/pdf": {Schema: pdfSchema}}}}}, liaison.AccessRead,
		func(ctx context.Context, in *reportCopyInput) (*reportContent, error) {
			c, err := api.app.ReportCopy(ctx, in.ID, in.CopyID)
			if err != nil {
				return nil, err
			}
			return &reportContent{ContentType: "application/pdf",
				ContentDisposition: pdfDisposition("report", c.From, c.To, string(c.Language)), Body: c.PDF}, nil
		})
}
