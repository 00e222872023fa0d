// Package ical writes Liaison's iCalendar (RFC 5545) documents: a user's
// private feed of meetings and due tasks, and the METHOD:REQUEST
// invitation attached to meeting emails. The encoding — CRLF line ends,
// folding at 75 octets, escaping of text values — is
// github.com/arran4/golang-ical's; this package decides what goes in.
//
// Choices: every time is written in UTC ("…Z"), so no VTIMEZONE is
// needed and every client shows the right local time. UIDs are stable
// per record ("meeting-<id>@liaison", "action-<id>@liaison"), so a
// refreshed feed updates events instead of duplicating them. A task is an
// all-day VEVENT on its due date (DTSTART;VALUE=DATE, DTEND the next day,
// TRANSP:TRANSPARENT): Google Calendar ignores VTODO in subscribed feeds
// and Outlook shows it poorly, while an all-day event shows everywhere.
package ical

import (
	"bytes"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	liaison "github.com/liaisonhq/liaison"
)

// ProdID names the producer of Liaison's calendars.
const ProdID = "-//Liaison//Liaison BRM//EN"

// Labels are the translated words a calendar carries.
type Labels struct {
	CalendarName string // X-WR-CALNAME of a feed
	Agenda       string // "Agenda" heading in a meeting's description
	Open         string // "Open in Liaison"
	Account      string // "Account"
}

func newCalendar() *ics.Calendar {
	c := ics.NewCalendarFor("Liaison")
	c.SetProductId(ProdID)
	c.SetCalscale("GREGORIAN")
	return c
}

// MeetingUID is the stable UID of a meeting's event.
func MeetingUID(id string) string { return "meeting-" + id + "@liaison" }

// TaskUID is the stable UID of a task's event.
func TaskUID(id string) string { return "action-" + id + "@liaison" }

// Feed renders a user's feed: their meetings and their open tasks with a
// due date. baseURL (no trailing slash) makes the links back to Liaison.
func Feed(l Labels, baseURL string, meetings []*liaison.CalendarMeeting, tasks []*liaison.CalendarTask) []byte {
	c := newCalendar()
	c.SetMethod(ics.MethodPublish)
	c.SetXWRCalName(l.CalendarName)
	c.SetName(l.CalendarName)
	c.SetRefreshInterval("PT1H")
	c.SetXPublishedTTL("PT1H")
	for _, m := range meetings {
		e := meetingEvent(c, l, baseURL, m)
		e.SetDtStampTime(m.UpdatedAt)
	}
	for _, t := range tasks {
		taskEvent(c, l, baseURL, t)
	}
	return serialize(c)
}

func serialize(c *ics.Calendar) []byte {
	var b bytes.Buffer
	_ = c.SerializeTo(&b, ics.WithNewLine("\r\n")) // a bytes.Buffer never fails
	return b.Bytes()
}

// meetingEvent adds a meeting's VEVENT: its times in UTC, the place or
// link, and a description with the account, the agenda and a link back.
func meetingEvent(c *ics.Calendar, l Labels, baseURL string, m *liaison.CalendarMeeting) *ics.VEvent {
	e := c.AddEvent(MeetingUID(m.ID))
	e.SetStartAt(m.StartsAt.UTC())
	end := m.EndsAt
	if !end.After(m.StartsAt) {
		end = m.StartsAt.Add(time.Hour) // a meeting without a sensible end lasts an hour
	}
	e.SetEndAt(end.UTC())
	e.SetSummary(m.Title)
	e.SetModifiedAt(m.UpdatedAt)
	e.SetSequence(max(m.Version-1, 0))
	if m.Location != "" {
		e.SetLocation(m.Location)
	} else if m.Link != "" {
		e.SetLocation(m.Link)
	}
	link := baseURL + "/meetings/" + m.ID
	if m.Link != "" {
		e.SetURL(m.Link)
	} else {
		e.SetURL(link)
	}
	var d strings.Builder
	if m.OrganisationName != "" {
		d.WriteString(l.Account + ": " + m.OrganisationName + "\n")
	}
	if m.Link != "" {
		d.WriteString(m.Link + "\n")
	}
	if a := strings.TrimSpace(m.Agenda); a != "" {
		d.WriteString("\n" + l.Agenda + ":\n" + a + "\n")
	}
	d.WriteString("\n" + l.Open + ": " + link)
	e.SetDescription(d.String())
	if m.Status == string(liaison.MeetingCancelled) {
		e.SetStatus(ics.ObjectStatusCancelled)
	} else {
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	return e
}

// taskEvent adds a task as an all-day event on its due date.
func taskEvent(c *ics.Calendar, l Labels, baseURL string, t *liaison.CalendarTask) {
	due, err := liaison.ParseDate(t.DueDate)
	if err != nil {
		return // a malformed date is no event; the store only holds valid ones
	}
	e := c.AddEvent(TaskUID(t.ID))
	e.SetDtStampTime(t.UpdatedAt)
	e.SetModifiedAt(t.UpdatedAt)
	e.SetAllDayStartAt(due)
	e.SetAllDayEndAt(due.AddDate(0, 0, 1))
	e.SetTimeTransparency(ics.TransparencyTransparent)
	e.SetSequence(max(t.Version-1, 0))
	title := t.Title
	if t.OrganisationName != "" {
		title += " – " + t.OrganisationName
	}
	e.SetSummary(title)
	link := baseURL + "/actions/" + t.ID
	if t.OrganisationID != "" && t.CycleActivityID != "" {
		link = baseURL + "/organisations/" + t.OrganisationID + "/cycle"
	}
	e.SetURL(link)
	desc := strings.TrimSpace(t.Description)
	if desc != "" {
		desc += "\n\n"
	}
	e.SetDescription(desc + l.Open + ": " + link)
}

// Invitation renders the METHOD:REQUEST invitation to a meeting: the
// organiser, every participant with an email as a required attendee who
// is asked to answer, and SEQUENCE from the meeting's version, so a
// re-sent invitation after a change replaces the earlier one in the
// recipient's calendar. now is the DTSTAMP.
func Invitation(l Labels, baseURL string, m *liaison.CalendarMeeting, now time.Time) []byte {
	c := newCalendar()
	c.SetMethod(ics.MethodRequest)
	e := meetingEvent(c, l, baseURL, m)
	e.SetDtStampTime(now)
	if m.Organiser != nil && m.Organiser.Email != "" {
		e.SetOrganizer("mailto:"+m.Organiser.Email, ics.WithCN(m.Organiser.Name))
	}
	for _, a := range m.Attendees {
		if a.Email == "" {
			continue
		}
		e.AddAttendee("mailto:"+a.Email, ics.WithCN(a.Name), ics.ParticipationRoleReqParticipant,
			ics.ParticipationStatusNeedsAction, rsvp{})
	}
	return serialize(c)
}

// rsvp is RSVP=TRUE as RFC 5545 writes it (golang-ical's WithRSVP writes
// "true", which strict clients may not take).
type rsvp struct{}

func (rsvp) KeyValue(...any) (string, []string) { return string(ics.ParameterRsvp), []string{"TRUE"} }
