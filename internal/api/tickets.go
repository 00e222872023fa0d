package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// TicketRatingInput is one rated ticket of a batch from the service desk tool.
type TicketRatingInput struct {
	Source            string              `json:"source" minLength:"1" maxLength:"200" doc:"The service desk tool, e.g. servicenow; external_ticket_id is unique within it."`
	ExternalID        string              `json:"external_ticket_id" minLength:"1" maxLength:"200" doc:"The ticket's id in the tool; sending it again updates the rating."`
	OrganisationID    string              `json:"organisation_id,omitempty" doc:"The account; or give account_external_id."`
	AccountExternalID string              `json:"account_external_id,omitempty" maxLength:"200" doc:"The account's external_id."`
	ServiceID         *string             `json:"service_id,omitempty" doc:"The service the ticket was about, if known."`
	PersonEmail       string              `json:"person_email,omitempty" maxLength:"200"`
	Score             float64             `json:"score" doc:"The rating as the tool gave it, on scale."`
	Scale             liaison.TicketScale `json:"scale,omitempty" enum:"1-5,0-10,percent" doc:"Default 1-5 (whole numbers); 0-10 and percent are normalised to 1–5."`
	Comment           string              `json:"comment,omitempty" maxLength:"20000"`
	ClosedOn          string              `json:"closed_on" doc:"When the ticket was closed or the rating answered, YYYY-MM-DD."`
}

// TicketBatch is a batch of ticket ratings.
type TicketBatch struct {
	Items []TicketRatingInput `json:"items" minItems:"1" maxItems:"1000" doc:"1 to 1000 ratings."`
}

type ticketBatchInput struct {
	Body TicketBatch
}

type ticketListInput struct {
	PageParams
	OrganisationID string `query:"organisation_id" doc:"The account."`
	Source         string `query:"source" maxLength:"200" doc:"Only ratings from this tool."`
}

func (api *API) registerTickets() {
	tags := []string{"ticket-satisfaction"}
	register(api, huma.Operation{OperationID: "list-ticket-satisfaction", Method: http.MethodGet, Path: "/ticket-satisfaction", Tags: tags,
		Summary: "List ticket ratings imported from the service desk tool, newest closed first"}, liaison.AccessRead,
		func(ctx context.Context, in *ticketListInput) (*listed[*liaison.TicketRating], error) {
			items, next, err := api.app.TicketRatings(ctx, liaison.TicketRatingFilter{OrganisationID: in.OrganisationID,
				Source: in.Source, Limit: in.Limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			return page(items, next), nil
		})
	register(api, huma.Operation{OperationID: "import-ticket-satisfaction", Method: http.MethodPost, Path: "/ticket-satisfaction", Tags: tags,
		Summary: "Import a batch of ticket ratings from the service desk tool",
		Description: "Up to 1000 ratings in one batch, each naming its account by organisation_id or account_external_id. " +
			"A rating is identified by (source, external_ticket_id): sending it again updates it, so a batch may be resent safely. " +
			"A batch with any rejected item stores nothing: the answer lists each (item, 1-based, and reason) with status 422. " +
			"The head of service management and administrators import; the batch is one audit entry.",
		Errors: []int{http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *ticketBatchInput) (*imported[app.TicketBatchReport], error) {
			rs := make([]*liaison.TicketRating, len(in.Body.Items))
			for i, b := range in.Body.Items {
				rs[i] = &liaison.TicketRating{Source: b.Source, ExternalID: b.ExternalID, OrganisationID: b.OrganisationID,
					AccountExternalID: b.AccountExternalID, ServiceID: b.ServiceID, PersonEmail: b.PersonEmail, Score: b.Score,
					Scale: b.Scale, Comment: b.Comment, ClosedOn: b.ClosedOn}
			}
			rep, err := api.app.ImportTicketRatings(ctx, rs)
			if err != nil {
				return nil, err
			}
			return importAnswer(rep, len(rep.Rejected)), nil
		})
	register(api, huma.Operation{OperationID: "get-organisation-ticket-satisfaction", Method: http.MethodGet, Path: "/organisations/{id}/ticket-satisfaction",
		Tags: []string{"organisations", "ticket-satisfaction"}, Summary: "An account's ticket satisfaction over the last twelve months",
		Description: "Count, average (1–5) and CSAT (share of ratings of 4 or 5, in percent), in total and by month, of the account " +
			"at or above the unit."}, liaison.AccessRead,
		func(ctx context.Context, in *idInput) (*struct{ Body liaison.TicketSummary }, error) {
			s, err := api.app.TicketSummary(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body liaison.TicketSummary }{Body: s}, nil
		})
}

// imported is the answer to an import: its report, with status 422 when
// any row or item was rejected (and nothing stored), else 200.
type imported[T any] struct {
	Status int
	Body   *T
}

func importAnswer[T any](rep *T, rejected int) *imported[T] {
	status := http.StatusOK
	if rejected > 0 {
		status = http.StatusUnprocessableEntity
	}
	return &imported[T]{Status: status, Body: rep}
}
