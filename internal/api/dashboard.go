package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

type dashboardInput struct {
	ManagerID string `query:"manager_id" maxLength:"64" doc:"Keep the accounts this user manages or deputises; \"me\" for the caller. Empty for every account."`
	SegmentID string `query:"segment_id" maxLength:"64" doc:"Keep the accounts of this segment."`
}

func (in *dashboardInput) scope(ctx context.Context) liaison.DashboardScope {
	s := liaison.DashboardScope{ManagerID: in.ManagerID, SegmentID: in.SegmentID}
	if s.ManagerID == "me" {
		s.ManagerID = ""
		if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil {
			s.ManagerID = p.User.ID
		}
	}
	return s
}

func (api *API) registerDashboard() {
	register(api, huma.Operation{OperationID: "get-dashboard", Method: http.MethodGet, Path: "/dashboard", Tags: []string{"dashboard"},
		Summary: "KPIs by month, manager and segment",
		Description: "The process measures of seed 000 (customers and orderers with a designated IT contact, accounts with a written agreement, " +
			"satisfaction: ticket ratings and survey CSAT and NPS, complaints) and the operational ones (overdue reviews, overdue actions, agreements ending within 90 days, open complaint age), " +
			"each with its numerator and denominator, its trend over the last 12 months and this month's breakdown by relationship manager and segment. " +
			"docs/dashboard.md defines what each counts."},
		liaison.AccessRead, func(ctx context.Context, in *dashboardInput) (*struct{ Body *liaison.Dashboard }, error) {
			d, _, err := api.app.Dashboard(ctx, in.scope(ctx))
			if err != nil {
				return nil, err
			}
			if d.KPIs == nil {
				d.KPIs = []liaison.KPIFigure{}
			}
			return &struct{ Body *liaison.Dashboard }{d}, nil
		})
	register(api, huma.Operation{OperationID: "list-account-health", Method: http.MethodGet, Path: "/dashboard/health", Tags: []string{"dashboard"},
		Summary:     "Accounts by relationship health",
		Description: "Every live account in scope with its relationship health score, band, inputs and each part's weight and contribution; weakest first by default."},
		liaison.AccessRead, func(ctx context.Context, in *struct {
			dashboardInput
			Sort string `query:"sort" enum:"health,-health,name" doc:"health: weakest first (default); -health: strongest first; name."`
		}) (*struct{ Body []app.HealthEntry }, error) {
			list, err := api.app.HealthList(ctx, in.scope(ctx), in.Sort)
			if err != nil {
				return nil, err
			}
			return &struct{ Body []app.HealthEntry }{list}, nil
		})
	register(api, huma.Operation{OperationID: "get-account-health", Method: http.MethodGet, Path: "/organisations/{id}/health", Tags: []string{"dashboard"},
		Summary:     "An account's relationship health",
		Description: "The score (0–100), its band, the inputs and each part's weight, score and contribution. 404 for a unit that is not a live account."},
		liaison.AccessRead, func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"64"`
		}) (*struct{ Body *liaison.AccountHealth }, error) {
			h, err := api.app.AccountHealth(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *liaison.AccountHealth }{h}, nil
		})
}
