package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addComplaintScenarios adds complaint create (with a write token of the
// load user: every 201 is an acknowledged write) and the complaint list,
// newest first and filtered by unit.
func addComplaintScenarios(ctx context.Context, srv *cli.Running, email string, auth http.Header, units []string, all map[string]load.Scenario) error {
	token, _, err := srv.App.CreateTokenFor(ctx, email, "liaison-load-write", liaison.ScopeWrite)
	if err != nil {
		return err
	}
	write := http.Header{"Authorization": {"Bearer " + token}, "Accept": {"application/json"}, "Content-Type": {"application/json"}}
	channels := liaison.ComplaintChannels
	all["complaint-create"] = load.Scenario{Name: "POST /api/v1/complaints", Next: func(c, i int) load.Request {
		body := fmt.Sprintf(`{"organisation_id":%q,"channel":%q,"title":"Load complaint %d-%d","description":"Registered by the load generator.","severity":"medium"}`,
			units[rand.IntN(len(units))], channels[i%len(channels)], c, i)
		return load.Request{Method: "POST", URL: srv.URL + "/api/v1/complaints", Header: write, Body: []byte(body)}
	}}
	all["complaint-list"] = load.Scenario{Name: "GET /api/v1/complaints", Next: func(c, i int) load.Request {
		url := srv.URL + "/api/v1/complaints?limit=50"
		if i%2 == 1 {
			url += "&organisation_id=" + units[rand.IntN(len(units))]
		}
		return load.Request{Method: "GET", URL: url, Header: auth}
	}}
	return nil
}
