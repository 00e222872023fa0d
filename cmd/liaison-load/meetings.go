package main

import (
	"context"
	"math/rand/v2"
	"net/http"

	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addMeetingScenarios adds the first page of an account's meetings (API)
// and the account overview, whose page lists the account's upcoming and
// recent meetings (HTML).
func addMeetingScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	accounts, err := srv.Store.AccountNames(ctx)
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		return nil
	}
	pick := func() string { return accounts[rand.IntN(len(accounts))].ID }
	all["meetings-list"] = load.Scenario{Name: "GET /api/v1/meetings?organisation_id=", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/meetings?limit=50&organisation_id=" + pick(), Header: auth}
	}}
	page := http.Header{"Authorization": auth["Authorization"], "Accept": {"text/html"}}
	all["account-overview"] = load.Scenario{Name: "GET /organisations/{id} (HTML, with meetings)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/organisations/" + pick(), Header: page}
	}}
	return nil
}
