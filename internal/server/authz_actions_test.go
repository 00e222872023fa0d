package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// organiser (authz_meetings_test.go): staff and the account writers create actions too.

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/actions":                    read,
		"POST /api/v1/actions":                   organiser,
		"GET /api/v1/actions/{id}":               read,
		"PATCH /api/v1/actions/{id}":             account, // fields; the owner ("other") may change only the status, below
		"DELETE /api/v1/actions/{id}":            account,
		"POST /api/v1/actions/{id}/restore":      curate,
		"GET /api/v1/actions/{id}/history":       read,
		"GET /api/v1/organisations/{id}/actions": read,
		"GET /api/v1/reviews-due":                read,

		"GET /actions":                    read,
		"GET /actions/new":                proposer,
		"POST /actions":                   organiser,
		"GET /actions/{id}":               read,
		"GET /actions/{id}/edit":          account,
		"POST /actions/{id}":              account,
		"POST /actions/{id}/status":       anyWriter, // the account's writers and the owner, a manager of another account
		"POST /actions/{id}/delete":       account,
		"GET /organisations/{id}/actions": read,
		"GET /reviews-due":                read,
	} {
		matrix[k] = v
	}
}

// actionFixture is an open action on account A owned by "other", the
// manager of account B: its owner, who may change its status and nothing else.
type actionFixture struct {
	action string
}

func (w *world) freshActions(n int64) actionFixture {
	a := &liaison.Action{Title: fmt.Sprintf("Action %d", n), OrganisationID: &w.accA, OwnerID: w.users["other"].ID, DueDate: liaison.Ptr("2026-03-31")}
	w.must(w.a.CreateAction(w.sys, a))
	return actionFixture{action: a.ID}
}

func (af actionFixture) path(p string) string {
	return strings.Replace(p, "/actions/{id}", "/actions/"+af.action, 1)
}

// body is a valid input for the action routes; ok is false for others.
func (af actionFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	form := "application/x-www-form-urlencoded"
	switch {
	case method == "POST" && pattern == "/api/v1/actions":
		return fmt.Sprintf(`{"title":"Action %d","organisation_id":%q,"due_date":"2026-04-30"}`, n, f.account), "application/json", true
	case method == "PATCH" && pattern == "/api/v1/actions/{id}":
		return `{"description":"Bring the figures"}`, "application/json", true
	case method == "POST" && pattern == "/actions/{id}/status":
		return url.Values{"version": {"1"}, "status": {"done"}}.Encode(), form, true
	case method == "POST" && (pattern == "/actions" || pattern == "/actions/{id}"):
		return url.Values{"version": {"1"}, "title": {fmt.Sprintf("Form action %d", n)}, "owner_id": {f.target},
			"organisation_id": {f.account}, "due_date": {"2026-05-31"}}.Encode(), form, true
	}
	return "", "", false
}
