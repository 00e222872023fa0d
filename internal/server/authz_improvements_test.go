package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// proposer: staff and above may propose an improvement; viewers and
// read-only tokens may not.
const proposer = "yyyyynun"

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/improvements":                                     read,
		"POST /api/v1/improvements":                                    proposer,
		"GET /api/v1/improvements/{id}":                                read,
		"PATCH /api/v1/improvements/{id}":                              account, // its owner (mgr), head, admin
		"DELETE /api/v1/improvements/{id}":                             curate,  // and its proposer while proposed, tested in the API
		"POST /api/v1/improvements/{id}/restore":                       curate,
		"GET /api/v1/improvements/{id}/history":                        read,
		"GET /api/v1/improvements/{id}/updates":                        read,
		"POST /api/v1/improvements/{id}/updates":                       account, // its owner, head, admin
		"GET /api/v1/improvements/{id}/updates/{update_id}":            read,
		"DELETE /api/v1/improvements/{id}/updates/{update_id}":         account,
		"GET /api/v1/improvements/{id}/raised-by":                      read,
		"POST /api/v1/improvements/{id}/raised-by":                     account, // account A's writers
		"DELETE /api/v1/improvements/{id}/raised-by/{organisation_id}": account,
		"GET /api/v1/organisations/{id}/improvements":                  read,

		"GET /improvements":                                          read,
		"GET /improvements/report":                                   read,
		"GET /improvements/new":                                      proposer,
		"POST /improvements":                                         proposer,
		"GET /improvements/{id}":                                     read,
		"GET /improvements/{id}/edit":                                account,
		"POST /improvements/{id}":                                    account,
		"POST /improvements/{id}/status":                             curate, // approving is the head's; the work the owner's, tested in the UI
		"POST /improvements/{id}/delete":                             curate,
		"POST /improvements/{id}/updates":                            account,
		"POST /improvements/{id}/updates/{update_id}/delete":         account,
		"POST /improvements/{id}/raised-by":                          account,
		"POST /improvements/{id}/raised-by/{organisation_id}/delete": account,
		"GET /organisations/{id}/improvements":                       read,
	} {
		matrix[k] = v
	}
}

// improvementFixture is a proposed improvement owned by "mgr" and proposed
// by the admin, with a progress update by the admin and account A
// recorded as raising it.
type improvementFixture struct {
	improvement, update, account string
}

func (w *world) freshImprovements(n int64) improvementFixture {
	mgr := w.users["mgr"].ID
	i := &liaison.Improvement{Title: fmt.Sprintf("Improvement %d", n), Origin: liaison.OriginCustomer, OwnerID: &mgr,
		OrganisationIDs: []string{w.accA}}
	w.must(w.a.CreateImprovement(w.sys, i))
	u := &liaison.ImprovementUpdate{ImprovementID: i.ID, Note: "Started the analysis"}
	w.must(w.a.AddImprovementUpdate(w.sys, u))
	_, err := w.a.RaiseImprovement(w.sys, &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: w.accA})
	w.must(err)
	return improvementFixture{improvement: i.ID, update: u.ID, account: w.accA}
}

func (imf improvementFixture) path(p string) string {
	p = strings.Replace(p, "/improvements/{id}", "/improvements/"+imf.improvement, 1)
	p = strings.Replace(p, "{update_id}", imf.update, 1)
	return strings.Replace(p, "{organisation_id}", imf.account, 1)
}

// body is a valid input for the improvement routes; ok is false for others.
func (imf improvementFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	switch {
	case method == "POST" && pattern == "/api/v1/improvements":
		return fmt.Sprintf(`{"title":"Proposed %d","origin":"manager","organisation_ids":[%q]}`, n, f.account), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/improvements/"):
		return `{"expected_benefit":"Fewer calls to the service desk"}`, "application/json", true
	case method == "POST" && strings.HasSuffix(pattern, "/improvements/{id}/updates"):
		if strings.HasPrefix(pattern, "/api/") {
			return `{"note":"Progress","customer_visible":true}`, "application/json", true
		}
		return url.Values{"note": {"Progress"}, "customer_visible": {"1"}}.Encode(), "application/x-www-form-urlencoded", true
	case method == "POST" && strings.HasSuffix(pattern, "/raised-by"):
		// Account A has raised it already: an allowed writer meets 409.
		if strings.HasPrefix(pattern, "/api/") {
			return fmt.Sprintf(`{"organisation_id":%q}`, f.account), "application/json", true
		}
		return url.Values{"organisation_id": {f.account}}.Encode(), "application/x-www-form-urlencoded", true
	case method == "POST" && pattern == "/improvements/{id}/status":
		return url.Values{"version": {"1"}, "status": {"approved"}, "decision_note": {"Worth it"}}.Encode(), "application/x-www-form-urlencoded", true
	case method == "POST" && strings.HasPrefix(pattern, "/improvements"):
		v := url.Values{"version": {"1"}, "title": {fmt.Sprintf("Form improvement %d", n)}, "origin": {"review"},
			"organisation_ids": {f.account}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
