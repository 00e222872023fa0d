package main

import (
	"context"
	"math/rand/v2"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addDashboardScenarios adds the dashboard (SPEC C14, §6: p99 ≤ 50 ms at
// L): dashboard is the API's figures of every account, dashboard-manager
// those of a random relationship manager's accounts, dashboard-page the
// HTML page (figures, charts and the health list of every account).
// Between writes every request is served from dashboard_cache; the first
// request after a change recomputes it.
func addDashboardScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	managers, _, err := srv.Store.FindUsers(ctx, liaison.UserFilter{Role: liaison.RoleManager, Limit: 500})
	if err != nil {
		return err
	}
	all["dashboard"] = load.Scenario{Name: "GET /api/v1/dashboard", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/dashboard", Header: auth}
	}}
	if len(managers) > 0 {
		all["dashboard-manager"] = load.Scenario{Name: "GET /api/v1/dashboard?manager_id=", Next: func(c, i int) load.Request {
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/dashboard?manager_id=" + managers[rand.IntN(len(managers))].ID, Header: auth}
		}}
	}
	page := http.Header{"Authorization": auth["Authorization"], "Accept": {"text/html"}}
	all["dashboard-page"] = load.Scenario{Name: "GET /dashboard (HTML)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/dashboard?manager=", Header: page}
	}}
	return nil
}
