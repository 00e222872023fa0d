package main

import (
	"context"
	"math/rand/v2"
	"net/http"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addActionScenarios adds "my actions", the first page of a relationship
// manager's open actions (soonest due first), and the list of reviews due.
// A database without managers gets none of them.
func addActionScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	var managers []string
	f := liaison.UserFilter{Limit: 500}
	for {
		page, next, err := srv.Store.FindUsers(ctx, f)
		if err != nil {
			return err
		}
		for _, u := range page {
			if u.Role == liaison.RoleManager && u.Active {
				managers = append(managers, u.ID)
			}
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	if len(managers) == 0 {
		return nil
	}
	all["my-actions"] = load.Scenario{Name: "GET /api/v1/actions?owner_id=&status=open", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/actions?status=open&owner_id=" + managers[rand.IntN(len(managers))], Header: auth}
	}}
	all["reviews-due"] = load.Scenario{Name: "GET /api/v1/reviews-due?manager_id=", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/reviews-due?manager_id=" + managers[rand.IntN(len(managers))], Header: auth}
	}}
	return nil
}
