package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// organiser: the account's writers (admin, head, its manager) and staff
// organise meetings (SPEC §5); another account's manager, viewers and
// read-only tokens may not. The fixture meeting is organised by "staff",
// so staff may change it too; a staff member's change of a meeting they
// do not organise is refused, tested in the app.
const organiser = "yyynynun"

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/meetings":                                 read,
		"POST /api/v1/meetings":                                organiser,
		"GET /api/v1/meetings/{id}":                            read,
		"PATCH /api/v1/meetings/{id}":                          organiser,
		"DELETE /api/v1/meetings/{id}":                         organiser,
		"POST /api/v1/meetings/{id}/restore":                   curate,
		"GET /api/v1/meetings/{id}/history":                    read,
		"POST /api/v1/meetings/{id}/publish":                   organiser,
		"POST /api/v1/meetings/{id}/unpublish":                 organiser,
		"POST /api/v1/meetings/{id}/send-report":               organiser,
		"GET /api/v1/meetings/{id}/decisions":                  read,
		"POST /api/v1/meetings/{id}/decisions":                 organiser,
		"DELETE /api/v1/meetings/{id}/decisions/{decision_id}": organiser,
		"GET /api/v1/organisations/{id}/meetings":              read,
		"GET /api/v1/meeting-templates":                        read,
		"POST /api/v1/meeting-templates":                       curate,
		"GET /api/v1/meeting-templates/{id}":                   read,
		"PATCH /api/v1/meeting-templates/{id}":                 curate,
		"DELETE /api/v1/meeting-templates/{id}":                curate,
		"POST /api/v1/meeting-templates/{id}/restore":          curate,
		"GET /meetings":                                        read,
		"GET /meetings/new":                                    "yyyyynun", // a blank form: any organiser, for the accounts they may plan on
		"POST /meetings":                                       organiser,
		"GET /meetings/agenda":                                 read,
		"GET /meetings/contacts":                               read,
		"GET /meetings/templates":                              read,
		"POST /meetings/templates":                             curate,
		"POST /meetings/templates/{id}/delete":                 curate,
		"GET /meetings/{id}":                                   read,
		"GET /meetings/{id}/report":                            read,
		"GET /meetings/{id}/edit":                              organiser,
		"POST /meetings/{id}":                                  organiser,
		"POST /meetings/{id}/status":                           organiser,
		"POST /meetings/{id}/minutes":                          organiser,
		"POST /meetings/{id}/decisions":                        organiser,
		"POST /meetings/{id}/decisions/{decision_id}/delete":   organiser,
		"POST /meetings/{id}/publish":                          organiser,
		"POST /meetings/{id}/unpublish":                        organiser,
		"POST /meetings/{id}/send-report":                      organiser,
		"POST /meetings/{id}/delete":                           organiser,
	} {
		matrix[k] = v
	}
}

// meetingFixture is a held meeting on account A organised by "staff",
// with an IT participant and a customer contact (with an email address),
// a decision, and a stored agenda template.
type meetingFixture struct {
	meeting, decision, template, person string
}

func (w *world) freshMeetings(f fixture, n int64) meetingFixture {
	staff := w.users["staff"].ID
	p := &liaison.Person{Name: fmt.Sprintf("Contact %d", n), OrganisationID: w.accA, Email: fmt.Sprintf("contact%d@matrix.test", n)}
	w.must(w.a.CreatePerson(w.sys, p))
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	m := &liaison.Meeting{OrganisationID: w.accA, Type: liaison.MeetingServiceReview, Title: fmt.Sprintf("Review %d", n),
		OrganiserID: &staff, StartsAt: start, EndsAt: start.Add(time.Hour), Status: liaison.MeetingPlanned,
		Participants: []liaison.MeetingParticipant{{UserID: &staff}, {PersonID: &p.ID}}}
	w.must(w.a.CreateMeeting(w.sys, m, ""))
	m.Status, m.Minutes = liaison.MeetingHeld, "Went through the SLA."
	w.must(w.a.UpdateMeeting(w.sys, m, m.Version))
	d := &liaison.MeetingDecision{MeetingID: m.ID, Text: "Renew the agreement"}
	w.must(w.a.AddMeetingDecision(w.sys, d))
	t := &liaison.MeetingTemplate{Name: fmt.Sprintf("Template %d", n), Agenda: "1. Status"}
	w.must(w.a.CreateMeetingTemplate(w.sys, t))
	return meetingFixture{meeting: m.ID, decision: d.ID, template: t.ID, person: p.ID}
}

func (mf meetingFixture) path(p string) string {
	p = strings.Replace(p, "/meetings/{id}", "/meetings/"+mf.meeting, 1)
	p = strings.Replace(p, "/meeting-templates/{id}", "/meeting-templates/"+mf.template, 1)
	p = strings.Replace(p, "/meetings/templates/{id}", "/meetings/templates/"+mf.template, 1)
	return strings.Replace(p, "{decision_id}", mf.decision, 1)
}

// body is a valid input for the meeting routes; ok is false for others.
func (mf meetingFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	form := "application/x-www-form-urlencoded"
	switch {
	case method == "POST" && pattern == "/api/v1/meetings":
		return fmt.Sprintf(`{"organisation_id":%q,"type":"service_review","title":"Planned %d","starts_at":"2026-06-01T10:00:00+02:00","ends_at":"2026-06-01T11:00:00+02:00"}`,
			f.account, n), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/meetings/"):
		return `{"location":"Room 4"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/meetings/{id}/decisions":
		return `{"text":"Agreed"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/meetings/{id}/send-report":
		return fmt.Sprintf(`{"person_ids":[%q]}`, mf.person), "application/json", true
	case method == "POST" && pattern == "/api/v1/meeting-templates":
		return fmt.Sprintf(`{"name":"Template form %d","agenda":"1. Items"}`, n), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/meeting-templates/"):
		return `{"agenda":"1. New items"}`, "application/json", true
	case method == "POST" && strings.HasPrefix(pattern, "/api/v1/meetings"):
		return `{}`, "application/json", true
	case method == "POST" && pattern == "/meetings/templates":
		return url.Values{"name": {fmt.Sprintf("Template %d", n)}, "agenda": {"1. Items"}}.Encode(), form, true
	case method == "POST" && (pattern == "/meetings" || pattern == "/meetings/{id}"):
		return url.Values{"version": {"2"}, "title": {fmt.Sprintf("Form meeting %d", n)}, "organisation_id": {f.account},
			"type": {"planning"}, "form": {"video"}, "starts_at": {"2026-06-02T10:00"}, "ends_at": {"2026-06-02T11:00"}}.Encode(), form, true
	case method == "POST" && pattern == "/meetings/{id}/status":
		return url.Values{"version": {"2"}, "status": {"held"}}.Encode(), form, true
	case method == "POST" && pattern == "/meetings/{id}/minutes":
		return url.Values{"version": {"2"}, "minutes": {"Corrected"}}.Encode(), form, true
	case method == "POST" && pattern == "/meetings/{id}/decisions":
		return url.Values{"text": {"Agreed"}}.Encode(), form, true
	case method == "POST" && pattern == "/meetings/{id}/send-report":
		return url.Values{"person_ids": {mf.person}}.Encode(), form, true
	case method == "POST" && strings.HasPrefix(pattern, "/meetings/"):
		return url.Values{"version": {"2"}}.Encode(), form, true
	}
	return "", "", false
}
