package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// register: any IT user but viewers registers complaints (SPEC §5); the
// read-only token may not.
const register = "yyyyynun"

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/complaints":                      read,
		"POST /api/v1/complaints":                     register,
		"GET /api/v1/complaints/{id}":                 read,
		"PATCH /api/v1/complaints/{id}":               account, // and the coordinator and responsible party, tested in the API
		"DELETE /api/v1/complaints/{id}":              account,
		"POST /api/v1/complaints/{id}/restore":        curate,
		"POST /api/v1/complaints/{id}/transitions":    account,
		"POST /api/v1/complaints/{id}/beyond-level":   account,
		"GET /api/v1/complaints/{id}/events":          read,
		"GET /api/v1/complaints/{id}/communications":  read,
		"POST /api/v1/complaints/{id}/communications": account,
		"GET /api/v1/complaints/{id}/history":         read,
		"GET /api/v1/escalations":                     read,
		"POST /api/v1/escalations":                    anyWriter,
		"GET /api/v1/escalations/{id}":                read,
		"PATCH /api/v1/escalations/{id}":              curate,
		"GET /api/v1/escalations/{id}/history":        read,

		"GET /complaints":                      read,
		"GET /complaints/new":                  register,
		"POST /complaints":                     register,
		"GET /complaints/analysis":             read,
		"GET /complaints/{id}":                 read,
		"GET /complaints/{id}/edit":            account,
		"POST /complaints/{id}":                account,
		"POST /complaints/{id}/transition":     account,
		"POST /complaints/{id}/communications": account,
		"POST /complaints/{id}/beyond-level":   account,
		"POST /complaints/{id}/delete":         account,
		"POST /complaints/{id}/restore":        curate,
		"GET /escalations":                     read,
		"POST /escalations":                    anyWriter,
		"GET /escalations/{id}":                read,
		"POST /escalations/{id}":               curate,
	} {
		matrix[k] = v
	}
}

// complaintFixture is a complaint in a unit of account A and an open
// escalation.
type complaintFixture struct {
	complaint, escalation string
}

func (w *world) freshComplaints(f fixture, n int64) complaintFixture {
	c := &liaison.Complaint{OrganisationID: f.unit, ReporterPersonID: &f.person, Channel: liaison.ChannelPhone,
		Title: fmt.Sprintf("Complaint %d", n)}
	w.must(w.a.CreateComplaint(w.sys, c))
	e := &liaison.Escalation{Target: liaison.TargetSteeringGroup, Reason: fmt.Sprintf("Escalation %d", n), ComplaintIDs: []string{c.ID}}
	w.must(w.a.CreateEscalation(w.sys, e))
	return complaintFixture{complaint: c.ID, escalation: e.ID}
}

func (cf complaintFixture) path(p string) string {
	p = strings.Replace(p, "/complaints/{id}", "/complaints/"+cf.complaint, 1)
	return strings.Replace(p, "/escalations/{id}", "/escalations/"+cf.escalation, 1)
}

// body is a valid input for the complaint routes; ok is false for others.
func (cf complaintFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	switch {
	case method == "POST" && pattern == "/api/v1/complaints":
		return fmt.Sprintf(`{"organisation_id":%q,"channel":"email","title":"New complaint %d"}`, f.unit, n), "application/json", true
	case method == "PATCH" && pattern == "/api/v1/complaints/{id}":
		return `{"severity":"high"}`, "application/json", true
	case pattern == "/api/v1/complaints/{id}/transitions":
		return `{"status":"confirmed","note":"checked"}`, "application/json", true
	case pattern == "/api/v1/complaints/{id}/beyond-level":
		return `{"explanation":"needs a higher level"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/complaints/{id}/communications":
		return `{"kind":"call","summary":"called back"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/escalations":
		return fmt.Sprintf(`{"target":"steering_group","reason":"Matrix escalation %d"}`, n), "application/json", true
	case method == "PATCH" && pattern == "/api/v1/escalations/{id}":
		return `{"status":"decided","decision":"agreed"}`, "application/json", true
	case strings.HasPrefix(pattern, "/complaints") || strings.HasPrefix(pattern, "/escalations"):
		v := url.Values{"version": {"1"}, "organisation_id": {f.unit}, "channel": {"phone"}, "classification": {"complaint"},
			"severity": {"medium"}, "title": {fmt.Sprintf("Form complaint %d", n)}, "status": {"confirmed"}, "kind": {"call"},
			"direction": {"in"}, "summary": {"called"}, "explanation": {"needs more"}, "target": {"steering_group"},
			"reason": {"Form escalation"}, "decision": {"agreed"}}
		if pattern == "/escalations/{id}" {
			v.Set("status", "decided")
		}
		return v.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
