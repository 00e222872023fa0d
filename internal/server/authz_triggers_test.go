package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// Triggers: staff and above log them on any account (proposer); the
// account's writers and whoever logged it edit and trash them (the
// fixture's trigger is the admin's, on account A: account).
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/triggers":               read,
		"POST /api/v1/triggers":              proposer,
		"GET /api/v1/triggers/{id}":          read,
		"PATCH /api/v1/triggers/{id}":        account,
		"DELETE /api/v1/triggers/{id}":       account,
		"POST /api/v1/triggers/{id}/restore": curate,
		"GET /api/v1/triggers/{id}/history":  read,
		"GET /triggers":                      read,
		"GET /triggers/new":                  proposer,
		"POST /triggers":                     proposer,
		"GET /triggers/{id}":                 read,
		"GET /triggers/{id}/edit":            account,
		"POST /triggers/{id}":                account,
		"POST /triggers/{id}/delete":         account,
		"GET /organisations/{id}/triggers":   read,
	} {
		matrix[k] = v
	}
}

// triggerFixture is a trigger on account A logged by the admin, with its
// task for "mgr", the account's manager.
type triggerFixture struct {
	trigger string
}

func (w *world) freshTriggers(n int64) triggerFixture {
	t := &liaison.Trigger{OrganisationID: w.accA, Kind: liaison.TriggerCustomerMeeting, Title: fmt.Sprintf("Trigger %d", n)}
	_, err := w.a.CreateTrigger(w.sys, t)
	w.must(err)
	return triggerFixture{trigger: t.ID}
}

func (tf triggerFixture) path(p string) string {
	return strings.Replace(p, "/triggers/{id}", "/triggers/"+tf.trigger, 1)
}

// body is a valid input for the trigger routes; ok is false for others.
func (tf triggerFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	form := "application/x-www-form-urlencoded"
	switch {
	case method == "POST" && pattern == "/api/v1/triggers":
		return fmt.Sprintf(`{"title":"Trigger %d","organisation_id":%q,"kind":"complaint"}`, n, f.account), "application/json", true
	case method == "PATCH" && pattern == "/api/v1/triggers/{id}":
		return `{"description":"The customer called again"}`, "application/json", true
	case method == "POST" && (pattern == "/triggers" || pattern == "/triggers/{id}"):
		return url.Values{"version": {"1"}, "title": {fmt.Sprintf("Form trigger %d", n)}, "kind": {"survey_due"},
			"organisation_id": {f.account}}.Encode(), form, true
	}
	return "", "", false
}
