package main

import (
	"context"
	"net/http"

	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addReportScenarios adds report-pdf: the customer report pack of a
// random account for the last 12 months, as PDF through the API, in the
// four languages in turn (SPEC §6: ≤ 300 ms; measure with --clients 1 for
// the time of one pack). A database without accounts gets none.
func addReportScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	accounts, err := srv.Store.AccountNames(ctx)
	if err != nil || len(accounts) == 0 {
		return err
	}
	langs := []string{"en", "sv", "fi", "zh"}
	all["report-pdf"] = load.Scenario{Name: "GET /api/v1/organisations/{id}/report?format=pdf", Next: func(c, i int) load.Request {
		a := accounts[(c*7919+i)%len(accounts)]
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/organisations/" + a.ID + "/report?format=pdf&lang=" + langs[i%4], Header: auth}
	}}
	return nil
}
