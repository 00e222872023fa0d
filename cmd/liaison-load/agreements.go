package main

import (
	"context"
	"math/rand/v2"
	"net/http"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addAgreementScenarios adds the agreement list and detail, API and HTML.
// A database without agreements gets none of them.
func addAgreementScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	var ids []string
	cursor := ""
	for len(ids) < 5000 {
		page, next, err := srv.Store.FindAgreements(ctx, liaison.AgreementFilter{Limit: 500, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, a := range page {
			ids = append(ids, a.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(ids) == 0 {
		return nil
	}
	pick := func() string { return ids[rand.IntN(len(ids))] }
	all["agreement-list"] = load.Scenario{Name: "GET /api/v1/agreements", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/agreements?limit=50", Header: auth}
	}}
	all["agreement-get"] = load.Scenario{Name: "GET /api/v1/agreements/{id}", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/agreements/" + pick(), Header: auth}
	}}
	page := http.Header{"Authorization": auth["Authorization"], "Accept": {"text/html"}}
	all["agreement-page"] = load.Scenario{Name: "GET /agreements/{id} (HTML)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/agreements/" + pick(), Header: page}
	}}
	all["agreement-list-page"] = load.Scenario{Name: "GET /agreements (HTML)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/agreements", Header: page}
	}}
	// The load user is an admin: its home page shows every account's
	// coming dates, the largest "Coming up" there is.
	all["home-page"] = load.Scenario{Name: "GET / (HTML, admin)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/", Header: page}
	}}
	return nil
}
