package main

import (
	"context"
	"math/rand/v2"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addTimelineScenarios adds the account timeline (SPEC C12, §6: first page
// p99 ≤ 15 ms at L): timeline is the first page of a random account's
// timeline through the API (default page size), timeline-filtered the
// same with a random category, and timeline-page the account's timeline
// tab (HTML, 50 events grouped by day, with its filters). A database
// without accounts gets none.
func addTimelineScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	accounts, err := srv.Store.AccountNames(ctx)
	if err != nil || len(accounts) == 0 {
		return err
	}
	pick := func() string { return accounts[rand.IntN(len(accounts))].ID }
	all["timeline"] = load.Scenario{Name: "GET /api/v1/organisations/{id}/timeline", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/organisations/" + pick() + "/timeline", Header: auth}
	}}
	cats := liaison.TimelineCategories
	all["timeline-filtered"] = load.Scenario{Name: "GET /api/v1/organisations/{id}/timeline?category=", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/organisations/" + pick() + "/timeline?category=" + cats[i%len(cats)].Name, Header: auth}
	}}
	page := http.Header{"Authorization": auth["Authorization"], "Accept": {"text/html"}}
	all["timeline-page"] = load.Scenario{Name: "GET /organisations/{id}/timeline (HTML)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/organisations/" + pick() + "/timeline", Header: page}
	}}
	return nil
}
