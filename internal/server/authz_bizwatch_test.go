package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// Business plans are account A's data; watch notes are IT-wide knowledge
// that staff and above write (proposer); a note is trashed by its creator
// (here the admin), its owner, head and admin (curate).
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/business-plans":                read,
		"POST /api/v1/business-plans":               account,
		"GET /api/v1/business-plans/{id}":           read,
		"PATCH /api/v1/business-plans/{id}":         account,
		"DELETE /api/v1/business-plans/{id}":        account,
		"POST /api/v1/business-plans/{id}/reviewed": account,
		"POST /api/v1/business-plans/{id}/restore":  curate,
		"GET /api/v1/business-plans/{id}/history":   read,
		"GET /api/v1/watch":                         read,
		"POST /api/v1/watch":                        proposer,
		"GET /api/v1/watch/{id}":                    read,
		"PATCH /api/v1/watch/{id}":                  proposer,
		"DELETE /api/v1/watch/{id}":                 curate,
		"POST /api/v1/watch/{id}/restore":           curate,
		"GET /api/v1/watch/{id}/history":            read,
		"POST /api/v1/watch/{id}/improvement":       proposer,

		"GET /organisations/{id}/business-plans": read,
		"GET /business-plans/overdue":            read,
		"GET /business-plans/new":                anyWriter,
		"POST /business-plans":                   account,
		"GET /business-plans/{id}":               read,
		"GET /business-plans/{id}/edit":          account,
		"POST /business-plans/{id}":              account,
		"POST /business-plans/{id}/reviewed":     account,
		"POST /business-plans/{id}/delete":       account,
		"GET /watch":                             read,
		"GET /watch/new":                         proposer,
		"POST /watch":                            proposer,
		"GET /watch/{id}":                        read,
		"GET /watch/{id}/edit":                   proposer,
		"POST /watch/{id}":                       proposer,
		"POST /watch/{id}/status":                proposer,
		"POST /watch/{id}/improvement":           proposer,
		"POST /watch/{id}/delete":                curate,
	} {
		matrix[k] = v
	}
}

// bizWatchFixture is a plan item of account A with an overdue review and
// a noted watch note linked to account A, created by the admin.
type bizWatchFixture struct {
	item, note string
}

func (w *world) freshBizWatch(n int64) bizWatchFixture {
	b := &liaison.BusinessPlanItem{OrganisationID: w.accA, Title: fmt.Sprintf("Goal %d", n), Horizon: liaison.HorizonShort, ReviewDate: "2020-01-01"}
	w.must(w.a.CreateBusinessPlanItem(w.sys, b))
	note := &liaison.WatchNote{Title: fmt.Sprintf("Note %d", n), OrganisationIDs: []string{w.accA}}
	w.must(w.a.CreateWatchNote(w.sys, note))
	return bizWatchFixture{item: b.ID, note: note.ID}
}

func (bw bizWatchFixture) path(p string) string {
	p = strings.Replace(p, "/business-plans/{id}", "/business-plans/"+bw.item, 1)
	return strings.Replace(p, "/watch/{id}", "/watch/"+bw.note, 1)
}

// body is a valid input for the business plan and watch routes.
func (bw bizWatchFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	api := strings.HasPrefix(pattern, "/api/")
	switch {
	case method == "POST" && pattern == "/api/v1/business-plans":
		return fmt.Sprintf(`{"organisation_id":%q,"title":"Goal %d","horizon":"medium"}`, f.account, n), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/business-plans/"):
		return `{"it_effect":"More users on the learning platform"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/watch":
		return fmt.Sprintf(`{"title":"Note %d","organisation_ids":[%q]}`, n, f.account), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/watch/"):
		return `{"summary":"Worth a look"}`, "application/json", true
	case !api && method == "POST" && (pattern == "/business-plans" || pattern == "/business-plans/{id}"):
		v := url.Values{"version": {"1"}, "organisation_id": {f.account}, "title": {fmt.Sprintf("Form goal %d", n)}, "horizon": {"long"},
			"status": {"active"}, "review_date": {"2030-01-01"}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	case !api && method == "POST" && (pattern == "/watch" || pattern == "/watch/{id}"):
		v := url.Values{"version": {"1"}, "title": {fmt.Sprintf("Form note %d", n)}, "relevance": {"high"}, "status": {"noted"}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	case !api && method == "POST" && pattern == "/watch/{id}/status":
		return url.Values{"version": {"1"}, "status": {"evaluating"}}.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
