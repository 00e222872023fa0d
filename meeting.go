package liaison

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// MeetingType is what a meeting is for (SPEC C7, §4 fixed).
type MeetingType string

const (
	MeetingServiceReview MeetingType = "service_review" // the periodic review with the customer (seed 002 §3.2)
	MeetingPlanning      MeetingType = "planning"       // a customer planning meeting
	MeetingBudget        MeetingType = "budget"         // a budget or finance meeting
	MeetingSteeringGroup MeetingType = "steering_group" // a project steering group
	MeetingOther         MeetingType = "other"
)

// MeetingTypes lists the types in display order.
var MeetingTypes = []MeetingType{MeetingServiceReview, MeetingPlanning, MeetingBudget, MeetingSteeringGroup, MeetingOther}

// MeetingForm is how a meeting is held (seed 002 §3.2: review meeting,
// video or phone conference, or feedback collected by a third party).
type MeetingForm string

const (
	FormInPerson   MeetingForm = "in_person"
	FormVideo      MeetingForm = "video"
	FormPhone      MeetingForm = "phone"
	FormThirdParty MeetingForm = "third_party"
)

// MeetingForms lists the forms in display order.
var MeetingForms = []MeetingForm{FormInPerson, FormVideo, FormPhone, FormThirdParty}

// MeetingStatus is where a meeting is in its life. Publishing the minutes
// sets PublishedAt; the meeting stays held.
type MeetingStatus string

const (
	MeetingPlanned   MeetingStatus = "planned"
	MeetingHeld      MeetingStatus = "held"
	MeetingCancelled MeetingStatus = "cancelled"
)

// MeetingStatuses lists the statuses in lifecycle order.
var MeetingStatuses = []MeetingStatus{MeetingPlanned, MeetingHeld, MeetingCancelled}

// meetingTransitions: a planned meeting is held or cancelled; a cancelled
// one may be planned again (rescheduled). A held meeting is final: what
// happened cannot be un-happened, and its minutes and decisions hang on it.
var meetingTransitions = map[MeetingStatus][]MeetingStatus{
	MeetingPlanned:   {MeetingHeld, MeetingCancelled},
	MeetingCancelled: {MeetingPlanned},
	MeetingHeld:      {},
}

// NextMeetingStatuses lists the statuses a meeting in status s may move to.
func NextMeetingStatuses(s MeetingStatus) []MeetingStatus { return meetingTransitions[s] }

// CheckMeetingTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones.
func CheckMeetingTransition(from, to MeetingStatus) error {
	return checkLifecycle(meetingTransitions, from, to, "a meeting", "meeting.error.transition", "final")
}

// CheckMeetingChange applies the rules of an update against the stored
// meeting: the lifecycle, and while the minutes are published (the meeting
// report) they stay as published — unpublish first to correct them, so the
// report a customer was sent never changes behind their back.
func CheckMeetingChange(cur, next *Meeting) error {
	if err := CheckMeetingTransition(cur.Status, next.Status); err != nil {
		return err
	}
	if cur.PublishedAt != nil && next.Minutes != cur.Minutes {
		var v Validation
		v.Add("minutes", CodeInvalid, "meeting.error.published_frozen", "are published as the meeting report: unpublish them before changing them")
		return v.Err()
	}
	return nil
}

// CheckPublish refuses to publish the minutes of a meeting not yet held or
// without minutes.
func CheckPublish(m *Meeting) error {
	var v Validation
	if m.Status != MeetingHeld {
		v.Add("status", CodeInvalid, "meeting.error.publish_needs_held", "must be held to publish the minutes (it is %s)", string(m.Status))
	}
	if strings.TrimSpace(m.Minutes) == "" {
		v.Add("minutes", CodeRequired, "meeting.error.publish_needs_minutes", "are required to publish the meeting report: write them first")
	}
	return v.Err()
}

// MeetingParticipant is one participant: an IT user or a customer contact
// (a person), exactly one of the two.
type MeetingParticipant struct {
	UserID   *string `json:"user_id,omitempty" doc:"An IT user; or person_id."`
	PersonID *string `json:"person_id,omitempty" doc:"A customer contact; or user_id."`
	Name     string  `json:"name,omitempty" readOnly:"true"`
	Email    string  `json:"email,omitempty" readOnly:"true"`
	Language string  `json:"language,omitempty" readOnly:"true"`
}

// Key identifies the participant within a meeting: "u:<id>" or "p:<id>".
func (p MeetingParticipant) Key() string {
	if p.UserID != nil {
		return "u:" + *p.UserID
	}
	if p.PersonID != nil {
		return "p:" + *p.PersonID
	}
	return ""
}

// MaxParticipants caps a meeting's participant list.
const MaxParticipants = 200

// Meeting is a meeting with a customer account (API resource "meetings"):
// a service review, planning, budget or steering-group meeting, its
// organiser, time, place or link, participants, agenda, minutes and
// decisions. Its published minutes are the meeting report.
type Meeting struct {
	ID               string               `json:"id"`
	OrganisationID   string               `json:"organisation_id" doc:"The customer account. Required."`
	OrganisationName string               `json:"organisation_name" readOnly:"true"`
	Type             MeetingType          `json:"type" enum:"service_review,planning,budget,steering_group,other"`
	Form             MeetingForm          `json:"form" enum:"in_person,video,phone,third_party"`
	Title            string               `json:"title" maxLength:"200"`
	OrganiserID      *string              `json:"organiser_id" doc:"The IT user organising it; default the creator."`
	OrganiserName    string               `json:"organiser_name" readOnly:"true"`
	StartsAt         time.Time            `json:"starts_at" doc:"RFC 3339, any offset; answered in UTC."`
	EndsAt           time.Time            `json:"ends_at" doc:"After starts_at."`
	Location         string               `json:"location" maxLength:"200" doc:"Where it is held."`
	Link             string               `json:"link" maxLength:"2000" doc:"The video or phone conference link: an http(s) address."`
	Status           MeetingStatus        `json:"status" enum:"planned,held,cancelled" doc:"planned → held | cancelled; cancelled → planned. held is final."`
	Agenda           string               `json:"agenda" maxLength:"20000"`
	Minutes          string               `json:"minutes" maxLength:"20000" doc:"Frozen while published."`
	PublishedAt      *time.Time           `json:"published_at" readOnly:"true" doc:"When the minutes were published as the meeting report; null while unpublished."`
	Participants     []MeetingParticipant `json:"participants" maxItems:"200" doc:"IT users and customer contacts: each {\"user_id\": …} or {\"person_id\": …}."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input, fills defaults and keeps times in UTC.
func (m *Meeting) Normalize() {
	m.OrganisationID, m.Title, m.Location, m.Link = trim(m.OrganisationID), trim(m.Title), trim(m.Location), trim(m.Link)
	m.Agenda, m.Minutes = strings.TrimRight(m.Agenda, " \t\r\n"), strings.TrimRight(m.Minutes, " \t\r\n")
	m.OrganiserID = emptyToNil(m.OrganiserID)
	if m.Status == "" {
		m.Status = MeetingPlanned
	}
	if m.Form == "" {
		m.Form = FormInPerson
	}
	m.StartsAt, m.EndsAt = m.StartsAt.UTC().Truncate(time.Second), m.EndsAt.UTC().Truncate(time.Second)
	if m.Participants == nil {
		m.Participants = []MeetingParticipant{}
	}
	for i := range m.Participants {
		p := &m.Participants[i]
		p.UserID, p.PersonID = emptyToNil(p.UserID), emptyToNil(p.PersonID)
	}
}

// Validate checks the meeting's own fields; the account, organiser and
// participants are checked against the store.
func (m *Meeting) Validate() error {
	var v Validation
	v.RequireName("title", m.Title)
	if m.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if !oneOf(m.Type, MeetingTypes) {
		v.Add("type", CodeInvalid, "meeting.error.type_invalid", "must be one of service_review, planning, budget, steering_group, other")
	}
	if !oneOf(m.Form, MeetingForms) {
		v.Add("form", CodeInvalid, "meeting.error.form_invalid", "must be one of in_person, video, phone, third_party")
	}
	if !oneOf(m.Status, MeetingStatuses) {
		v.Add("status", CodeInvalid, "meeting.error.status_invalid", "must be one of planned, held, cancelled")
	}
	switch {
	case m.StartsAt.IsZero():
		v.Add("starts_at", CodeRequired, "error.required", "is required")
	case m.EndsAt.IsZero():
		v.Add("ends_at", CodeRequired, "error.required", "is required")
	case !m.EndsAt.After(m.StartsAt):
		v.Add("ends_at", CodeInvalid, "meeting.error.ends_before_start", "must be after starts_at")
	case m.EndsAt.Sub(m.StartsAt) > 7*24*time.Hour:
		v.Add("ends_at", CodeInvalid, "meeting.error.too_long", "must be within 7 days of starts_at")
	}
	v.MaxLen("location", m.Location, MaxNameLen)
	v.MaxLen("link", m.Link, 2000)
	if m.Link != "" && !webAddress(m.Link) {
		v.Add("link", CodeInvalid, "meeting.error.link_invalid", "must be an http or https address")
	}
	v.Text("agenda", m.Agenda)
	v.Text("minutes", m.Minutes)
	if len(m.Participants) > MaxParticipants {
		v.Add("participants", CodeTooLong, "error.too_many", "must hold at most %d items", MaxParticipants)
	}
	seen := map[string]bool{}
	for i, p := range m.Participants {
		f := "participants[" + strconv.Itoa(i) + "]"
		if (p.UserID == nil) == (p.PersonID == nil) {
			v.Add(f, CodeInvalid, "meeting.error.participant_one", "must name exactly one of user_id and person_id")
			continue
		}
		if seen[p.Key()] {
			v.Add(f, CodeInvalid, "meeting.error.participant_twice", "is listed twice")
		}
		seen[p.Key()] = true
	}
	return v.Err()
}

// Upcoming reports whether the meeting is planned and not yet over at now.
func (m *Meeting) Upcoming(now time.Time) bool {
	return m.Status == MeetingPlanned && m.EndsAt.After(now)
}

// MeetingDecision is a decision recorded at a meeting; the decisions are
// part of the published meeting report.
type MeetingDecision struct {
	ID            string    `json:"id"`
	MeetingID     string    `json:"meeting_id"`
	Text          string    `json:"text" maxLength:"20000"`
	CreatedByID   *string   `json:"created_by_id" readOnly:"true"`
	CreatedByName string    `json:"created_by_name" readOnly:"true"`
	CreatedAt     time.Time `json:"created_at"`
}

// Normalize trims input before validation.
func (d *MeetingDecision) Normalize() {
	d.Text, d.MeetingID = strings.TrimSpace(d.Text), trim(d.MeetingID)
}

// Validate checks the decision's own fields.
func (d *MeetingDecision) Validate() error {
	var v Validation
	if d.Text == "" {
		v.Add("text", CodeRequired, "error.required", "is required")
	}
	v.Text("text", d.Text)
	return v.Err()
}

// BuiltinServiceReviewTemplate is the id of the built-in default agenda of
// a service review (seed 002 §3.2.3), translated in every language.
const BuiltinServiceReviewTemplate = "builtin-service-review"

// MeetingTemplate is an agenda template (API resource "meeting-templates").
// Type, when set, is the meeting type it is meant for.
type MeetingTemplate struct {
	ID      string      `json:"id"`
	Name    string      `json:"name" maxLength:"200"`
	Type    MeetingType `json:"type" enum:"service_review,planning,budget,steering_group,other," doc:"The meeting type it is for; empty for any."`
	Agenda  string      `json:"agenda" maxLength:"20000"`
	BuiltIn bool        `json:"built_in" readOnly:"true" doc:"The translated default service-review template; read-only."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input before validation.
func (t *MeetingTemplate) Normalize() {
	t.Name, t.Agenda = trim(t.Name), strings.TrimRight(t.Agenda, " \t\r\n")
}

// Validate checks the template's own fields.
func (t *MeetingTemplate) Validate() error {
	var v Validation
	v.RequireName("name", t.Name)
	if t.Agenda == "" {
		v.Add("agenda", CodeRequired, "error.required", "is required")
	}
	v.Text("agenda", t.Agenda)
	if t.Type != "" && !oneOf(t.Type, MeetingTypes) {
		v.Add("type", CodeInvalid, "meeting.error.type_invalid", "must be one of service_review, planning, budget, steering_group, other")
	}
	return v.Err()
}

// MeetingFilter selects meetings. Zero fields do not filter.
type MeetingFilter struct {
	Q              string
	OrganisationID string
	Type           MeetingType
	Status         MeetingStatus
	OrganiserID    string
	// ParticipantUserID keeps the meetings the user organises or takes part in.
	ParticipantUserID string
	From, To          *time.Time // on starts_at: From ≤ starts_at < To
	Trashed           bool
	Sort              string // starts_at (default), -starts_at, created_at, updated_at, each with - for descending
	Limit             int
	Cursor            string
}

// MeetingStore keeps meetings, their participants and decisions, and the
// agenda templates.
type MeetingStore interface {
	// CreateMeeting stores m with its participants. EINVALID names an
	// account, organiser or participant that does not exist.
	CreateMeeting(ctx context.Context, m *Meeting) error
	FindMeetingByID(ctx context.Context, id string) (*Meeting, error)
	FindMeetings(ctx context.Context, f MeetingFilter) ([]*Meeting, string, error)
	// UpdateMeeting replaces the meeting's fields and participants;
	// EINVALID for a transition the lifecycle refuses and for minutes
	// changed while published (CheckMeetingChange).
	UpdateMeeting(ctx context.Context, m *Meeting, ifVersion int) error
	// PublishMeeting publishes (publish true; CheckPublish) or unpublishes
	// the minutes as the meeting report.
	PublishMeeting(ctx context.Context, id string, ifVersion int, publish bool) (*Meeting, error)
	DeleteMeeting(ctx context.Context, id string, ifVersion int) error
	RestoreMeeting(ctx context.Context, id string) (*Meeting, error)

	// AddMeetingDecision records a decision, by the principal of ctx;
	// EINVALID while the report is published.
	AddMeetingDecision(ctx context.Context, d *MeetingDecision) error
	// FindMeetingDecisions lists a meeting's decisions in the order taken.
	FindMeetingDecisions(ctx context.Context, meetingID string) ([]*MeetingDecision, error)
	DeleteMeetingDecision(ctx context.Context, meetingID, id string) error

	CreateMeetingTemplate(ctx context.Context, t *MeetingTemplate) error
	FindMeetingTemplateByID(ctx context.Context, id string) (*MeetingTemplate, error)
	// FindMeetingTemplates lists the stored templates by name.
	FindMeetingTemplates(ctx context.Context, trashed bool) ([]*MeetingTemplate, error)
	UpdateMeetingTemplate(ctx context.Context, t *MeetingTemplate, ifVersion int) error
	DeleteMeetingTemplate(ctx context.Context, id string, ifVersion int) error
	RestoreMeetingTemplate(ctx context.Context, id string) (*MeetingTemplate, error)
}
