package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

func (api *API) registerPortfolio() {
	register(api, huma.Operation{OperationID: "get-portfolio", Method: http.MethodGet, Path: "/portfolio", Tags: []string{"portfolio"},
		Summary:     "The managers × segments matrix",
		Description: "Every relationship manager's accounts by segment, the deputised ones, and the gaps: a manager without an account of a segment, accounts without a manager or deputy, a deputy who is the manager."},
		liaison.AccessRead, func(ctx context.Context, _ *struct{}) (*struct{ Body *liaison.Portfolio }, error) {
			p, err := api.app.Portfolio(ctx)
			if err != nil {
				return nil, err
			}
			if p.Segments == nil {
				p.Segments = []*liaison.Segment{}
			}
			if p.Rows == nil {
				p.Rows = []liaison.PortfolioRow{}
			}
			for i := range p.Rows {
				for j := range p.Rows[i].Cells {
					c := &p.Rows[i].Cells[j]
					if c.Managed == nil {
						c.Managed = []string{}
					}
					if c.Deputised == nil {
						c.Deputised = []string{}
					}
				}
			}
			if p.Gaps == nil {
				p.Gaps = []liaison.PortfolioGap{}
			}
			if p.Unsorted == nil {
				p.Unsorted = []*liaison.Organisation{}
			}
			return &struct{ Body *liaison.Portfolio }{p}, nil
		})
}
