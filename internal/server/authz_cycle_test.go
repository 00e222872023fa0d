package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// invite is who may send a meeting's invitations: admin, head, the
// manager of the meeting's account, staff (who organise meetings); not
// another account's manager, a viewer or a read-only token.
const invite = "yyynynun"

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/cycle-activities":                read,
		"POST /api/v1/cycle-activities":               curate,
		"GET /api/v1/cycle-activities/{id}":           read,
		"PATCH /api/v1/cycle-activities/{id}":         curate,
		"DELETE /api/v1/cycle-activities/{id}":        curate,
		"POST /api/v1/cycle-activities/{id}/restore":  curate,
		"POST /api/v1/cycle-activities/{id}/generate": curate,
		"GET /api/v1/cycle-activities/{id}/history":   read,
		"GET /api/v1/organisations/{id}/cycle":        read,
		"POST /api/v1/meetings/{id}/invitations":      invite,

		"GET /cycle":                           read,
		"GET /cycle/activities":                read,
		"GET /cycle/activities/new":            curate,
		"POST /cycle/activities":               curate,
		"GET /cycle/activities/{id}/edit":      curate,
		"POST /cycle/activities/{id}":          curate,
		"POST /cycle/activities/{id}/delete":   curate,
		"POST /cycle/activities/{id}/restore":  curate,
		"POST /cycle/activities/{id}/generate": curate,
		"GET /organisations/{id}/cycle":        read,
		"GET /settings/calendar":               signedIn,
		"POST /settings/calendar":              selfWrite,
		"POST /settings/calendar/revoke":       selfWrite,
		"GET /calendar/{file}":                 public, // the secret is the credential; an unknown one is 404 for anyone
		"POST /meetings/{id}/invitations":      invite,
	} {
		matrix[k] = v
	}
}

// cycleFixture is an annual-cycle activity over account A and a planned
// meeting in account A with a participant to invite.
type cycleFixture struct {
	activity, meeting string
}

func (w *world) freshCycle(n int64) cycleFixture {
	a := &liaison.CycleActivity{Title: fmt.Sprintf("Budget meeting %d", n), Kind: liaison.CycleBudgetMeeting,
		Recurrence: liaison.RecurYearly, Month: 9, Scope: liaison.ScopeAccounts, OrganisationIDs: []string{w.accA}}
	_, err := w.a.CreateCycleActivity(w.sys, a)
	w.must(err)
	f := cycleFixture{activity: a.ID, meeting: "no-meeting"}
	if w.raw == nil {
		return f
	}
	// The meetings capability's store is on another branch: its row by hand.
	f.meeting = fmt.Sprintf("meeting-%d", n)
	ts := time.Now().Add(240 * time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z")
	_, err = w.raw.Exec(`INSERT INTO meetings (id, organisation_id, type, form, title, organiser_id, starts_at, ends_at, status,
		version, created_at, updated_at) VALUES ($1, $2, 'service_review', 'video', 'Review', $3, $4, $4, 'planned', 1, $4, $4)`,
		f.meeting, w.accA, w.users["head"].ID, ts)
	w.must(err)
	_, err = w.raw.Exec(`INSERT INTO meeting_participants (meeting_id, position, user_id) VALUES ($1, 0, $2)`, f.meeting, w.users["staff"].ID)
	w.must(err)
	return f
}

func (cf cycleFixture) path(p string) string {
	p = strings.Replace(p, "/cycle-activities/{id}", "/cycle-activities/"+cf.activity, 1)
	p = strings.Replace(p, "/cycle/activities/{id}", "/cycle/activities/"+cf.activity, 1)
	p = strings.Replace(p, "/meetings/{id}", "/meetings/"+cf.meeting, 1)
	return strings.Replace(p, "/calendar/{file}", "/calendar/lcal_unknown.ics", 1)
}

// body is a valid input for the annual-cycle routes; ok is false for others.
func (cf cycleFixture) body(method, pattern string, n int64) (string, string, bool) {
	switch {
	case method == "POST" && pattern == "/api/v1/cycle-activities":
		return fmt.Sprintf(`{"title":"Survey %d","kind":"satisfaction_survey","recurrence":"yearly","month":5}`, n), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/cycle-activities/"):
		return `{"description":"Book the room early."}`, "application/json", true
	case strings.HasPrefix(pattern, "/cycle/activities"):
		v := url.Values{"version": {"1"}, "title": {fmt.Sprintf("Form activity %d", n)}, "kind": {"other"},
			"recurrence": {"quarterly"}, "quarter_month": {"2"}, "day": {"15"}, "scope": {"all"}}
		return v.Encode(), "application/x-www-form-urlencoded", true
	}
	return "", "", false
}
