package ical_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/ical"
)

// The documents are checked with an independent parser
// (github.com/emersion/go-ical), not with the library that writes them,
// and re-encoded with it, which refuses a component that lacks what RFC
// 5545 requires (PRODID, VERSION, UID, DTSTAMP…).

var labels = ical.Labels{CalendarName: "Liaison – Ulla", Agenda: "Agenda", Open: "Open in Liaison", Account: "Account"}

func parse(t *testing.T, b []byte) *goical.Calendar {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatalf("lines must end with CRLF and only with it:\n%q", b)
	}
	for _, line := range strings.Split(string(b), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line of %d octets, folding must keep lines at 75:\n%s", len(line), line)
		}
	}
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("independent parser refuses the calendar: %v\n%s", err, b)
	}
	if err := goical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Fatalf("independent encoder finds the calendar invalid: %v\n%s", err, b)
	}
	return cal
}

func meeting() *liaison.CalendarMeeting {
	at, _ := time.Parse(time.RFC3339, "2026-12-10T10:00:00+01:00")
	return &liaison.CalendarMeeting{ID: "m1", Title: "Service review; Q4, \"Gamma\" – 服务评审", Type: "service_review", Status: "planned",
		OrganisationName: "Gamma Kommun", StartsAt: at, EndsAt: at.Add(90 * time.Minute), Location: "Room 4, Town hall",
		Agenda:  strings.Repeat("Changes in business needs, service scope, workload, SLA and contract execution. ", 3),
		Version: 3, UpdatedAt: at.Add(-48 * time.Hour),
		Organiser: &liaison.Invitee{UserID: "u1", Name: "Ulla Åberg", Email: "ulla@example.com"},
		Attendees: []liaison.Invitee{{PersonID: "p1", Name: "Petra Kund", Email: "petra@example.fi", Language: "fi"},
			{UserID: "u2", Name: "No Mail"}}}
}

func TestFeedParsesWithUTCTimes(t *testing.T) {
	tasks := []*liaison.CalendarTask{
		{ID: "a1", Title: "Budget meeting", DueDate: "2027-09-01", OrganisationID: "o1", OrganisationName: "Gamma", CycleActivityID: "c1", Version: 1},
		{ID: "a2", Title: "Send the minutes", DueDate: "2026-12-11", Version: 2},
	}
	b := ical.Feed(labels, "https://liaison.example", []*liaison.CalendarMeeting{meeting()}, tasks)
	cal := parse(t, b)
	if got := cal.Props.Get(goical.PropProductID).Value; got != ical.ProdID {
		t.Errorf("PRODID = %q", got)
	}
	events := cal.Events()
	if len(events) != 3 {
		t.Fatalf("%d events, want the meeting and two tasks", len(events))
	}
	m := events[0]
	if uid := m.Props.Get(goical.PropUID).Value; uid != "meeting-m1@liaison" {
		t.Errorf("UID = %q", uid)
	}
	if got := m.Props.Get(goical.PropDateTimeStart).Value; got != "20261210T090000Z" {
		t.Errorf("DTSTART = %q, want 20261210T090000Z (10:00 at +01:00 in UTC)", got)
	}
	if got := m.Props.Get(goical.PropDateTimeEnd).Value; got != "20261210T103000Z" {
		t.Errorf("DTEND = %q", got)
	}
	start, err := m.DateTimeStart(nil)
	if err != nil || !start.Equal(meeting().StartsAt) {
		t.Errorf("start = %v, %v", start, err)
	}
	if got, _ := m.Props.Text(goical.PropSummary); got != meeting().Title {
		t.Errorf("SUMMARY = %q, want the title with its ; , \" unescaped back", got)
	}
	if got, _ := m.Props.Text(goical.PropDescription); !strings.Contains(got, "Agenda:\n") || !strings.Contains(got, "https://liaison.example/meetings/m1") {
		t.Errorf("DESCRIPTION = %q", got)
	}
	if got, _ := m.Props.Text(goical.PropLocation); got != "Room 4, Town hall" {
		t.Errorf("LOCATION = %q", got)
	}
	if m.Props.Get(goical.PropDateTimeStamp) == nil {
		t.Error("no DTSTAMP")
	}
	task := events[1]
	if dt := task.Props.Get(goical.PropDateTimeStart); dt.Value != "20270901" || dt.ValueType() != goical.ValueDate {
		t.Errorf("task DTSTART = %q (%s), want the all-day date 20270901", dt.Value, dt.ValueType())
	}
	if got := task.Props.Get(goical.PropDateTimeEnd).Value; got != "20270902" {
		t.Errorf("task DTEND = %q, want the next day", got)
	}
	if got := task.Props.Get(goical.PropUID).Value; got != "action-a1@liaison" {
		t.Errorf("task UID = %q", got)
	}
	if got := task.Props.Get(goical.PropURL).Value; got != "https://liaison.example/organisations/o1/cycle" {
		t.Errorf("cycle task URL = %q", got)
	}
	// Rendering again gives the same UIDs: a refreshed feed updates events.
	again := parse(t, ical.Feed(labels, "https://liaison.example", []*liaison.CalendarMeeting{meeting()}, tasks))
	for i, e := range again.Events() {
		if e.Props.Get(goical.PropUID).Value != events[i].Props.Get(goical.PropUID).Value {
			t.Errorf("UID of event %d changed between renderings", i)
		}
	}
}

func TestInvitationIsARequest(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	cal := parse(t, ical.Invitation(labels, "https://liaison.example", meeting(), now))
	if got := cal.Props.Get(goical.PropMethod).Value; got != "REQUEST" {
		t.Errorf("METHOD = %q", got)
	}
	e := cal.Events()[0]
	if got := e.Props.Get(goical.PropOrganizer); got == nil || got.Value != "mailto:ulla@example.com" || got.Params.Get(goical.ParamCommonName) != "Ulla Åberg" {
		t.Errorf("ORGANIZER = %+v", got)
	}
	att := e.Props.Values(goical.PropAttendee)
	if len(att) != 1 || att[0].Value != "mailto:petra@example.fi" || att[0].Params.Get(goical.ParamRSVP) != "TRUE" ||
		att[0].Params.Get(goical.ParamParticipationStatus) != "NEEDS-ACTION" || att[0].Params.Get(goical.ParamRole) != "REQ-PARTICIPANT" {
		t.Errorf("ATTENDEE = %+v (the participant without an email is left out)", att)
	}
	if got := e.Props.Get(goical.PropSequence).Value; got != "2" {
		t.Errorf("SEQUENCE = %q, want version-1", got)
	}
	if got := e.Props.Get(goical.PropDateTimeStamp).Value; got != "20261202T120000Z" {
		t.Errorf("DTSTAMP = %q", got)
	}
}
