package server_test

import (
	"fmt"
	"net/url"
)

// The campaign pages of the web UI (internal/web/campaigns.go). The
// fixture is surveyFixture's: a draft and an open campaign scoped to
// account A, which "mgr" manages; results, remind and close act on the
// open one, the rest on the draft.
func init() {
	for k, v := range map[string]string{
		"GET /campaigns":              read,
		"GET /campaigns/new":          anyWriter, // the guard: writers; the scope is checked on saving
		"POST /campaigns":             account,   // scoped to account A
		"GET /campaigns/{id}":         read,
		"GET /campaigns/{id}/history": read,
		"GET /campaigns/{id}/results": resultReader,
		"GET /campaigns/{id}/edit":    account,
		"POST /campaigns/{id}":        account,
		"POST /campaigns/{id}/delete": account,
		"POST /campaigns/{id}/open":   account,
		"POST /campaigns/{id}/remind": account,
		"POST /campaigns/{id}/close":  account,
	} {
		matrix[k] = v
	}
}

// campaignFormBody is a valid form for the campaign pages; ok is false for
// other routes.
func (sf surveyFixture) campaignFormBody(method, pattern string, f fixture, n int64) (string, string, bool) {
	if method != "POST" || (pattern != "/campaigns" && pattern != "/campaigns/{id}") {
		return "", "", false
	}
	v := url.Values{"version": {"1"}, "title": {fmt.Sprintf("Campaign form %d", n)}, "survey_id": {sf.survey}, "roles": {"user"},
		"scope": {"accounts"}, "organisation_ids": {f.account}, "closes_on": {"2099-12-31"}}
	return v.Encode(), "application/x-www-form-urlencoded", true
}
