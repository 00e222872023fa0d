package server_test

import (
	"fmt"
	"strings"
	"sync"

	liaison "github.com/liaisonhq/liaison"
)

// campaignRunner: head and admin run any campaign; a relationship manager
// those scoped to their accounts (account A here, the "mgr"'s).
// resultReader: the survey_results setting's default: head and admin see
// all, the account's manager their account's, others none.
const resultReader = "yyynnnuy"

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/surveys":                        read,
		"POST /api/v1/surveys":                       curate,
		"GET /api/v1/surveys/{id}":                   read,
		"PATCH /api/v1/surveys/{id}":                 curate,
		"DELETE /api/v1/surveys/{id}":                curate,
		"GET /api/v1/surveys/{id}/versions":          read,
		"GET /api/v1/surveys/{id}/versions/{number}": read,
		"GET /api/v1/surveys/{id}/history":           read,
		"GET /api/v1/campaigns":                      read,
		"POST /api/v1/campaigns":                     account,
		"GET /api/v1/campaigns/{id}":                 read,
		"PATCH /api/v1/campaigns/{id}":               account,
		"DELETE /api/v1/campaigns/{id}":              account,
		"POST /api/v1/campaigns/{id}/open":           account,
		"POST /api/v1/campaigns/{id}/close":          account,
		"POST /api/v1/campaigns/{id}/remind":         account,
		"GET /api/v1/campaigns/{id}/results":         resultReader,
		"GET /api/v1/campaigns/{id}/history":         read,
		"POST /api/v1/campaigns/{id}/publish":        account, // the fixture's draft: 409 past the access check
		"POST /api/v1/campaigns/{id}/unpublish":      account,
		"GET /api/v1/campaigns/{id}/published":       read, // published results are for customers: every internal reader
		"GET /campaigns/{id}/published":              read,
		"GET /campaigns/{id}/published.pdf":          read,
		"POST /campaigns/{id}/publish":               account,
		"POST /campaigns/{id}/unpublish":             account,
		"GET /api/v1/campaigns/trend":                read,   // leaves out the campaigns whose results the caller may not see
		"GET /s/{token}":                             public, // the respondent page: the link's token is the credential
		"POST /s/{token}":                            public,
	} {
		matrix[k] = v
	}
}

// surveyFixture is a survey, a draft campaign and an open one, both scoped
// to account A, where a person with an address holds a user role.
type surveyFixture struct {
	survey, draft, open string
}

// respondents remembers the worlds that have their one respondent: a
// respondent per request would make every opening mail all earlier ones.
var respondents sync.Map

func (w *world) freshSurveys(n int64) surveyFixture {
	if _, had := respondents.LoadOrStore(w, true); !had {
		p := &liaison.Person{Name: "Respondent", OrganisationID: w.accA, Email: "respondent@matrix.test"}
		w.must(w.a.CreatePerson(w.sys, p))
		w.must(w.a.CreateRole(w.sys, &liaison.ContactRole{PersonID: p.ID, OrganisationID: w.accA, Role: liaison.RoleUser, Active: true}))
	}
	s := &liaison.Survey{Name: fmt.Sprintf("Survey %d", n), Questions: []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Text: liaison.LocalText{"en": "How satisfied are you?"}}}}
	w.must(w.a.CreateSurvey(w.sys, s))
	mk := func() *liaison.Campaign {
		c := &liaison.Campaign{Title: fmt.Sprintf("Campaign %d", n), SurveyID: s.ID, Roles: []liaison.RoleKind{liaison.RoleUser},
			OrganisationIDs: []string{w.accA}, ClosesOn: "2099-12-31"}
		w.must(w.a.CreateCampaign(w.sys, c))
		return c
	}
	draft, open := mk(), mk()
	_, err := w.a.OpenCampaign(w.sys, open.ID, open.Version)
	w.must(err)
	return surveyFixture{survey: s.ID, draft: draft.ID, open: open.ID}
}

func (sf surveyFixture) path(p string) string {
	if p == "/s/{token}" { // a token nobody holds: the refusal page for anyone
		return "/s/unknown-token"
	}
	p = strings.Replace(p, "/surveys/{id}/versions/{number}", "/surveys/"+sf.survey+"/versions/1", 1)
	p = strings.Replace(p, "/surveys/{id}", "/surveys/"+sf.survey, 1)
	for _, action := range []string{"/close", "/remind", "/results"} {
		if strings.HasSuffix(p, "/campaigns/{id}"+action) {
			return strings.Replace(p, "/campaigns/{id}", "/campaigns/"+sf.open, 1)
		}
	}
	return strings.Replace(p, "/campaigns/{id}", "/campaigns/"+sf.draft, 1)
}

// body is a valid input for the survey routes; ok is false for others.
func (sf surveyFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	if b, ct, ok := sf.campaignFormBody(method, pattern, f, n); ok {
		return b, ct, true
	}
	switch {
	case method == "POST" && pattern == "/api/v1/surveys":
		return fmt.Sprintf(`{"name":"Survey form %d","questions":[{"id":"q","type":"nps","text":{"sv":"Rekommendera?"}}]}`, n), "application/json", true
	case method == "POST" && pattern == "/api/v1/campaigns":
		return fmt.Sprintf(`{"title":"Campaign form %d","survey_id":%q,"roles":["user"],"organisation_ids":[%q],"closes_on":"2099-12-31"}`,
			n, sf.survey, f.account), "application/json", true
	case method == "PATCH" && pattern == "/api/v1/campaigns/{id}":
		return `{"title":"Renamed"}`, "application/json", true
	case method == "POST" && strings.HasPrefix(pattern, "/api/v1/campaigns/"):
		return "", "", true
	}
	return "", "", false
}

// ifMatch reports whether the route takes If-Match besides PATCH and DELETE.
func (surveyFixture) ifMatch(method, pattern string) bool {
	return method == "POST" && (strings.HasSuffix(pattern, "/open") || strings.HasSuffix(pattern, "/close") ||
		strings.HasSuffix(pattern, "/publish") || strings.HasSuffix(pattern, "/unpublish")) && strings.HasPrefix(pattern, "/api/v1/campaigns/")
}
