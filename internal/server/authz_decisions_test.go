package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/decisions":              read,
		"POST /api/v1/decisions":             account,
		"GET /api/v1/decisions/{id}":         read,
		"PATCH /api/v1/decisions/{id}":       account,
		"DELETE /api/v1/decisions/{id}":      account,
		"GET /api/v1/decisions/{id}/history": read,

		"GET /decisions/new":          anyWriter,
		"POST /decisions":             account,
		"GET /decisions/{id}/edit":    account,
		"POST /decisions/{id}":        account,
		"POST /decisions/{id}/delete": account,
	} {
		matrix[k] = v
	}
}

// decisionFixture is a customer-specific service and a decision on it by
// account A's customer.
type decisionFixture struct {
	service, customer, decision string
}

func (w *world) freshDecisions(n int64) decisionFixture {
	roles, _, err := w.db.FindRoles(w.sys, liaison.RoleFilter{OrganisationID: w.accA, Role: liaison.RoleCustomer, Active: liaison.Ptr(true)})
	w.must(err)
	var customer string
	if len(roles) > 0 {
		customer = roles[0].PersonID
	} else {
		p := &liaison.Person{Name: "Matrix customer", OrganisationID: w.accA}
		w.must(w.a.CreatePerson(w.sys, p))
		w.must(w.a.CreateRole(w.sys, &liaison.ContactRole{PersonID: p.ID, OrganisationID: w.accA, Role: liaison.RoleCustomer, Active: true}))
		customer = p.ID
	}
	s := &liaison.Service{Name: fmt.Sprintf("Specific %d", n), Status: liaison.ServiceLive, CustomerSpecific: true,
		Levels: []liaison.ServiceLevel{{Name: "Gold"}}}
	w.must(w.db.CreateService(w.sys, s))
	d := &liaison.ServiceDecision{OrganisationID: w.accA, ServiceID: s.ID, Kind: liaison.DecisionNewService,
		Summary: fmt.Sprintf("Decision %d", n), DecidedByPersonID: customer, DecidedOn: "2026-01-15"}
	w.must(w.a.CreateDecision(w.sys, d))
	return decisionFixture{service: s.ID, customer: customer, decision: d.ID}
}

func (df decisionFixture) path(p string) string {
	return strings.Replace(p, "/decisions/{id}", "/decisions/"+df.decision, 1)
}

// body is a valid input for the decision routes; ok is false for others.
func (df decisionFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	switch {
	case method == "POST" && pattern == "/api/v1/decisions":
		return fmt.Sprintf(`{"organisation_id":%q,"service_id":%q,"kind":"change","summary":"New decision %d","decided_by_person_id":%q,"decided_on":"2026-02-01"}`,
			f.account, df.service, n, df.customer), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/decisions/"):
		return `{"notes":"checked"}`, "application/json", true
	case strings.HasPrefix(pattern, "/decisions"):
		v := url.Values{"version": {"1"}, "back": {"/"}, "organisation_id": {f.account}, "service_id": {df.service},
			"kind": {"change"}, "summary": {fmt.Sprintf("Form decision %d", n)}, "decided_by_person_id": {df.customer},
			"decided_on": {"2026-02-01"}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
