package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/agreements":                                     read,
		"POST /api/v1/agreements":                                    account,
		"GET /api/v1/agreements/{id}":                                read,
		"PATCH /api/v1/agreements/{id}":                              account,
		"DELETE /api/v1/agreements/{id}":                             account,
		"POST /api/v1/agreements/{id}/restore":                       curate,
		"GET /api/v1/agreements/{id}/revisions":                      read,
		"GET /api/v1/agreements/{id}/revisions/{version}":            read,
		"GET /api/v1/agreements/{id}/diff":                           read,
		"GET /api/v1/agreements/{id}/history":                        read,
		"GET /api/v1/agreements/{id}/attachments":                    read,
		"POST /api/v1/agreements/{id}/attachments":                   account,
		"GET /api/v1/agreements/{id}/attachments/{attachment_id}":    read,
		"DELETE /api/v1/agreements/{id}/attachments/{attachment_id}": account,
		"GET /api/v1/sla-results":                                    read,
		"POST /api/v1/sla-results":                                   account,
		"POST /api/v1/sla-results/import":                            anyWriter, // rows of other accounts are rejected in the report
		"GET /api/v1/sla-results/{id}":                               read,
		"PATCH /api/v1/sla-results/{id}":                             account,
		"DELETE /api/v1/sla-results/{id}":                            account,
		"GET /api/v1/kpis":                                           read,

		"GET /agreements":                                          read,
		"GET /agreements/new":                                      anyWriter,
		"POST /agreements":                                         account,
		"GET /agreements/{id}":                                     read,
		"GET /agreements/{id}/edit":                                account,
		"POST /agreements/{id}":                                    account,
		"POST /agreements/{id}/status":                             account,
		"POST /agreements/{id}/delete":                             account,
		"POST /agreements/{id}/restore":                            curate,
		"POST /agreements/{id}/attachments":                        account,
		"GET /agreements/{id}/attachments/{attachment_id}":         read,
		"POST /agreements/{id}/attachments/{attachment_id}/delete": account,
		"POST /agreements/{id}/sla-results":                        account,
		"POST /agreements/{id}/sla-results/import":                 account,
		"POST /sla-results/{id}/delete":                            account,
	} {
		matrix[k] = v
	}
}

// agreementFixture is an agreement in account A covering a service, with
// an attachment and an SLA result.
type agreementFixture struct {
	service, agreement, attachment, sla string
}

func (w *world) freshAgreements(n int64) agreementFixture {
	s := &liaison.Service{Name: fmt.Sprintf("Service %d", n), Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{{Name: "Gold"}}}
	w.must(w.db.CreateService(w.sys, s))
	a := &liaison.Agreement{OrganisationID: w.accA, Title: fmt.Sprintf("Agreement %d", n), Type: liaison.AgreementServiceLevel,
		Services: []liaison.ServiceCover{{ServiceID: s.ID, Level: "Gold"}}}
	w.must(w.a.CreateAgreement(w.sys, a))
	at := &liaison.Attachment{AgreementID: a.ID, Name: "a.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4")}
	w.must(w.a.AddAttachment(w.sys, at))
	r := &liaison.SLAResult{AgreementID: a.ID, ServiceID: s.ID, Period: "2026-01", Metric: liaison.MetricAvailability, Target: 99, Actual: 98}
	w.must(w.a.CreateSLAResult(w.sys, r))
	return agreementFixture{service: s.ID, agreement: a.ID, attachment: at.ID, sla: r.ID}
}

func (af agreementFixture) path(p string) string {
	p = strings.Replace(p, "{attachment_id}", af.attachment, 1)
	p = strings.Replace(p, "{version}", "1", 1)
	for prefix, id := range map[string]string{"/agreements/": af.agreement, "/sla-results/": af.sla} {
		p = strings.Replace(p, prefix+"{id}", prefix+id, 1)
	}
	return p
}

// body is a valid input for the agreement routes; ok is false for others.
func (af agreementFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	j := "application/json"
	switch {
	case method == "POST" && pattern == "/api/v1/agreements":
		return fmt.Sprintf(`{"organisation_id":%q,"title":"New agreement %d","type":"financial"}`, f.account, n), j, true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/agreements/"):
		return `{"title":"Renamed"}`, j, true
	case method == "POST" && pattern == "/api/v1/agreements/{id}/attachments":
		return "%PDF-1.4", "application/pdf", true
	case method == "POST" && pattern == "/api/v1/sla-results":
		return fmt.Sprintf(`{"agreement_id":%q,"service_id":%q,"period":"2026-02","metric":"availability","target":99,"actual":99.5}`,
			af.agreement, af.service), j, true
	case method == "POST" && pattern == "/api/v1/sla-results/import":
		return "period,metric,target,actual\n2026-03,availability,99,99\n", "text/csv", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/sla-results/"):
		return `{"note":"checked"}`, j, true
	case strings.HasPrefix(pattern, "/agreements") || strings.HasPrefix(pattern, "/sla-results"):
		v := url.Values{"version": {"1"}, "back": {"/"}, "organisation_id": {f.account}, "title": {fmt.Sprintf("Form agreement %d", n)},
			"type": {"routines"}, "status": {"negotiation"}, "service_id": {af.service}, "period": {"2026-04"},
			"metric": {"availability"}, "target": {"99"}, "actual": {"98"}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
