package api

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/report"
)

type publishedInput struct {
	ID             string `path:"id"`
	OrganisationID string `query:"organisation_id" doc:"The account whose results to show; the whole campaign when absent."`
	Lang           string `query:"lang" enum:"en,sv,fi,zh" doc:"The language; default the caller's."`
	Format         string `query:"format" enum:"json,pdf" default:"json" doc:"json (the results as data) or pdf (the printable results)."`
}

// registerCampaignPublishing adds publishing a closed campaign's results
// for the customers and reading the published results (JSON or PDF).
func (api *API) registerCampaignPublishing(currentVersion func(ctx context.Context, id string) func() (int, error)) {
	tags := []string{"campaigns"}
	publish := func(on bool) func(ctx context.Context, in *deleteInput) (*one[liaison.Campaign], error) {
		return func(ctx context.Context, in *deleteInput) (*one[liaison.Campaign], error) {
			v, err := ifVersion(in.IfMatch, currentVersion(ctx, in.ID))
			if err != nil {
				return nil, err
			}
			if on {
				_, err = api.app.PublishCampaign(ctx, in.ID, v)
			} else {
				_, err = api.app.UnpublishCampaign(ctx, in.ID, v)
			}
			if err != nil {
				return nil, err
			}
			return api.getCampaign(ctx, &idInput{ID: in.ID})
		}
	}
	register(api, huma.Operation{OperationID: "publish-campaign", Method: http.MethodPost, Path: "/campaigns/{id}/publish", Tags: tags,
		Summary: "Publish a closed campaign's results for the customers",
		Description: "Sets published_at and published_by_id. Only a closed campaign is published (409 otherwise: its numbers " +
			"would still change). Whoever may run the campaign may publish it. Publishing a published campaign changes nothing. " +
			"The published results (GET /campaigns/{id}/published) show no free-text answer and nothing per person. If-Match required.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, publish(true))
	register(api, huma.Operation{OperationID: "unpublish-campaign", Method: http.MethodPost, Path: "/campaigns/{id}/unpublish", Tags: tags,
		Summary:     "Withdraw a campaign's published results",
		Description: "Clears published_at and published_by_id. If-Match required.",
		Errors:      []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessWrite, publish(false))
	schema := api.huma.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(report.Published{}), true, "PublishedResults")
	pdfSchema := &huma.Schema{Type: "string", Format: "binary"}
	register(api, huma.Operation{OperationID: "get-published-results", Method: http.MethodGet, Path: "/campaigns/{id}/published", Tags: tags,
		Summary: "A published campaign's results for a customer (JSON or PDF)",
		Description: "For one account (organisation_id) or the whole campaign: response rate, CSAT, NPS, the distribution of each " +
			"rating, NPS and choice question, and the trend across the survey's published campaigns for the same account. No " +
			"free-text answers and nothing per person; an anonymous campaign's results under 5 responses are suppressed " +
			"(suppressed: true, no figures). `format=pdf` answers the printable results as application/pdf. 404 while the " +
			"results are not published. Every internal user may read published results; a customer-scoped token reads them " +
			"for its own account only (organisation_id required, 403 otherwise).",
		Responses: map[string]*huma.Response{"200": {Description: "The results",
			Content: map[string]*huma.MediaType{"application/json": {Schema: schema}, "application/pdf": {Schema: pdfSchema}}}}},
		liaison.AccessCustomer, func(ctx context.Context, in *publishedInput) (*reportContent, error) {
			lang := liaison.Language(in.Lang)
			if lang == "" {
				lang = liaison.English
				if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil && p.User.Language.Valid() {
					lang = p.User.Language
				}
			}
			if in.Format == "pdf" {
				pdf, p, err := api.app.PublishedResultsPDF(ctx, in.ID, in.OrganisationID, lang)
				if err != nil {
					return nil, err
				}
				return &reportContent{ContentType: "application/pdf", ContentDisposition: publishedDisposition(p), Body: pdf}, nil
			}
			p, err := api.app.PublishedResults(ctx, in.ID, in.OrganisationID, lang)
			if err != nil {
				return nil, err
			}
			b, err := json.Marshal(p)
			if err != nil {
				return nil, err
			}
			return &reportContent{ContentType: "application/json", Body: b}, nil
		})
}

// publishedDisposition names a published results file: campaign, account, language.
func publishedDisposition(p *report.Published) string {
	name := p.Title
	if p.AccountName != "" {
		name += " " + p.AccountName
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": name + " " + p.Language + ".pdf"})
}
