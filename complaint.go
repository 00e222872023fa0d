package liaison

import (
	"context"
	"sort"
	"strings"
	"time"
)

// Complaints (SPEC C6; seed 002 §3.3, seed 004 §7.1): a customer's
// dissatisfaction with service quality, received through any channel, owned
// by the complaint coordinator and answered by the responsible party — the
// owner of the service complained about, or without a service the account's
// relationship manager.

// ComplaintChannel is how a complaint reached IT.
type ComplaintChannel string

const (
	ChannelServiceDesk ComplaintChannel = "service_desk"
	ChannelEmail       ComplaintChannel = "email"
	ChannelMeeting     ComplaintChannel = "meeting"
	ChannelPhone       ComplaintChannel = "phone"
	ChannelPortal      ComplaintChannel = "portal"
	ChannelITUnit      ComplaintChannel = "it_unit"
	ChannelInternal    ComplaintChannel = "internal"
)

// ComplaintChannels lists the channels (SPEC §4).
var ComplaintChannels = []ComplaintChannel{ChannelServiceDesk, ChannelEmail, ChannelMeeting, ChannelPhone, ChannelPortal, ChannelITUnit, ChannelInternal}

// Classification is what a registered item turned out to be: only
// complaints count as complaints.
type Classification string

const (
	ClassComplaint      Classification = "complaint"
	ClassSuggestion     Classification = "suggestion"
	ClassServiceRequest Classification = "service_request" // handed off to the service desk; needs the external ticket
)

// Classifications lists the classifications.
var Classifications = []Classification{ClassComplaint, ClassSuggestion, ClassServiceRequest}

// Severity is how serious a complaint is.
type Severity string

const (
	SeverityLow     Severity = "low"
	SeverityMedium  Severity = "medium"
	SeverityHigh    Severity = "high"
	SeveritySerious Severity = "serious"
)

// Severities lists the severities, mildest first.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeveritySerious}

// ComplaintStatus is where a complaint is in its handling.
type ComplaintStatus string

const (
	ComplaintReceived      ComplaintStatus = "received"
	ComplaintConfirmed     ComplaintStatus = "confirmed" // target, content and demand confirmed with the customer
	ComplaintInvestigating ComplaintStatus = "investigating"
	ComplaintAction        ComplaintStatus = "action"
	ComplaintResolved      ComplaintStatus = "resolved"
	ComplaintClosed        ComplaintStatus = "closed" // the customer is informed
)

// ComplaintStatuses lists the statuses in lifecycle order.
var ComplaintStatuses = []ComplaintStatus{ComplaintReceived, ComplaintConfirmed, ComplaintInvestigating, ComplaintAction, ComplaintResolved, ComplaintClosed}

// Open reports whether a complaint in status s is still being handled.
func (s ComplaintStatus) Open() bool { return s != ComplaintResolved && s != ComplaintClosed }

// ComplaintCategories are the categories the UI offers; any other text is
// accepted too.
var ComplaintCategories = []string{"availability", "performance", "quality", "communication", "delivery", "billing", "security", "other"}

// complaintTransitions are the allowed status changes. received →
// investigating skips the confirmation and needs a recorded reason; a
// resolved complaint the customer is not satisfied with goes back to
// investigating.
var complaintTransitions = map[ComplaintStatus][]ComplaintStatus{
	ComplaintReceived:      {ComplaintConfirmed, ComplaintInvestigating},
	ComplaintConfirmed:     {ComplaintInvestigating},
	ComplaintInvestigating: {ComplaintAction, ComplaintResolved},
	ComplaintAction:        {ComplaintResolved},
	ComplaintResolved:      {ComplaintClosed, ComplaintInvestigating},
}

// NextComplaintStatuses lists the statuses a complaint in status s may move to.
func NextComplaintStatuses(s ComplaintStatus) []ComplaintStatus { return complaintTransitions[s] }

// CheckComplaintTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones, and a skipped confirmation without a reason.
func CheckComplaintTransition(from, to ComplaintStatus, skipReason string) error {
	if err := checkLifecycle(complaintTransitions, from, to, "a complaint", "complaint.error_transition", "final"); err != nil {
		return err
	}
	if from == ComplaintReceived && to == ComplaintInvestigating && strings.TrimSpace(skipReason) == "" {
		var v Validation
		v.Add("skip_reason", CodeRequired, "complaint.error_skip_reason",
			"is required: say why the complaint needed no confirmation with the customer")
		return v.Err()
	}
	return nil
}

// Complaint is one registered complaint, suggestion or service request
// (API resource "complaints").
type Complaint struct {
	ID               string           `json:"id"`
	OrganisationID   string           `json:"organisation_id" doc:"The account or any unit under it that complains."`
	AccountID        string           `json:"account_id" readOnly:"true" doc:"The account the unit belongs to (derived)."`
	ServiceID        *string          `json:"service_id" doc:"The service complained about, if any."`
	SupplierID       *string          `json:"supplier_id" doc:"The third-party supplier behind the problem, if any (a supplier not in the trash when named)."`
	ReporterPersonID *string          `json:"reporter_person_id" doc:"The customer contact who complained (or reporter_user_id)."`
	ReporterUserID   *string          `json:"reporter_user_id" doc:"The IT user who complained (or reporter_person_id)."`
	Channel          ComplaintChannel `json:"channel" enum:"service_desk,email,meeting,phone,portal,it_unit,internal"`
	Classification   Classification   `json:"classification" enum:"complaint,suggestion,service_request"`
	ExternalTicket   string           `json:"external_ticket" maxLength:"200" doc:"The service desk ticket a service request was handed off to (a link or reference); required for service_request."`
	Status           ComplaintStatus  `json:"status" enum:"received,confirmed,investigating,action,resolved,closed" doc:"Changed through POST /complaints/{id}/transitions (or PATCH); invalid transitions answer 422 naming the allowed ones."`
	Severity         Severity         `json:"severity" enum:"low,medium,high,serious"`
	Title            string           `json:"title" maxLength:"200"`
	Description      string           `json:"description" maxLength:"20000"`
	Category         string           `json:"category" maxLength:"200" doc:"e.g. availability, performance, quality, communication, delivery, billing, security, other; free text accepted."`
	RootCause        string           `json:"root_cause" maxLength:"20000"`
	ReceivedAt       time.Time        `json:"received_at" doc:"When the complaint was received; defaults to now. Recurrence counts by it."`
	CoordinatorID    *string          `json:"coordinator_id" doc:"The complaint coordinator (a user) who owns the handling; defaults to the configured coordinator."`
	ResponsibleID    *string          `json:"responsible_id" doc:"The responsible party (a user) who answers: derived from the service owner, or the account's relationship manager; may be reassigned."`
	// BeyondLevelExplanation says why the complaint cannot be solved within
	// the current service level; an improvement suggestion is made from it.
	BeyondLevelExplanation string     `json:"beyond_level_explanation" maxLength:"20000" readOnly:"true" doc:"Set through POST /complaints/{id}/beyond-level."`
	ImprovementID          *string    `json:"improvement_id" readOnly:"true" doc:"The improvement suggestion made from the complaint."`
	Recurring              bool       `json:"recurring" readOnly:"true" doc:"Part of a recurrence cluster (same service or category N times within D days)."`
	ResolvedAt             *time.Time `json:"resolved_at" readOnly:"true"`
	ClosedAt               *time.Time `json:"closed_at" readOnly:"true"`
	OrganisationName       string     `json:"organisation_name" readOnly:"true"`
	AccountName            string     `json:"account_name" readOnly:"true"`
	ServiceName            string     `json:"service_name" readOnly:"true"`
	ReporterName           string     `json:"reporter_name" readOnly:"true"`
	CoordinatorName        string     `json:"coordinator_name" readOnly:"true"`
	ResponsibleName        string     `json:"responsible_name" readOnly:"true"`
	SupplierName           string     `json:"supplier_name" readOnly:"true"`
	Version                int        `json:"version"`
	CreatedAt              time.Time  `json:"created_at"`
	UpdatedAt              time.Time  `json:"updated_at"`
	DeletedAt              *time.Time `json:"deleted_at,omitempty" readOnly:"true"`

	// Note and SkipReason travel with a change and land in its history
	// entries; they are not fields of the complaint.
	Note       string `json:"-"`
	SkipReason string `json:"-"`
}

// Normalize trims input and fills defaults before validation.
func (c *Complaint) Normalize() {
	c.OrganisationID, c.Title, c.Category = trim(c.OrganisationID), trim(c.Title), trim(c.Category)
	c.ExternalTicket, c.Note, c.SkipReason = trim(c.ExternalTicket), trim(c.Note), trim(c.SkipReason)
	c.Description, c.RootCause = strings.TrimSpace(c.Description), strings.TrimSpace(c.RootCause)
	c.ServiceID, c.SupplierID = emptyToNil(c.ServiceID), emptyToNil(c.SupplierID)
	c.ReporterPersonID, c.ReporterUserID = emptyToNil(c.ReporterPersonID), emptyToNil(c.ReporterUserID)
	c.CoordinatorID, c.ResponsibleID = emptyToNil(c.CoordinatorID), emptyToNil(c.ResponsibleID)
	if c.Classification == "" {
		c.Classification = ClassComplaint
	}
	if c.Status == "" {
		c.Status = ComplaintReceived
	}
	if c.Severity == "" {
		c.Severity = SeverityMedium
	}
}

// Counts reports whether the item counts as a complaint (SPEC C6: only
// complaints do; suggestions and service requests do not).
func (c *Complaint) Counts() bool { return c.Classification == ClassComplaint }

// Validate checks the complaint's own fields; references are checked by the store.
func (c *Complaint) Validate() error {
	var v Validation
	if c.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if c.ReporterPersonID != nil && c.ReporterUserID != nil {
		v.Add("reporter_user_id", CodeInvalid, "complaint.error_one_reporter",
			"name either the customer contact (reporter_person_id) or the IT user (reporter_user_id), not both")
	}
	if !oneOf(c.Channel, ComplaintChannels) {
		v.Add("channel", CodeInvalid, "complaint.error_channel_invalid", "must be one of service_desk, email, meeting, phone, portal, it_unit, internal")
	}
	if !oneOf(c.Classification, Classifications) {
		v.Add("classification", CodeInvalid, "complaint.error_classification_invalid", "must be one of complaint, suggestion, service_request")
	}
	if !oneOf(c.Status, ComplaintStatuses) {
		v.Add("status", CodeInvalid, "complaint.error_status_invalid", "must be one of received, confirmed, investigating, action, resolved, closed")
	}
	if !oneOf(c.Severity, Severities) {
		v.Add("severity", CodeInvalid, "complaint.error_severity_invalid", "must be one of low, medium, high, serious")
	}
	v.RequireName("title", c.Title)
	v.Text("description", c.Description)
	v.MaxLen("category", c.Category, MaxNameLen)
	v.Text("root_cause", c.RootCause)
	v.MaxLen("external_ticket", c.ExternalTicket, MaxNameLen)
	v.Text("note", c.Note)
	v.Text("skip_reason", c.SkipReason)
	if c.Classification == ClassServiceRequest && c.ExternalTicket == "" {
		v.Add("external_ticket", CodeRequired, "complaint.error_ticket_required",
			"is required: a service request is handed off to the service desk; link its ticket")
	}
	return v.Err()
}

// CheckBeyondLevel validates the explanation of why a complaint cannot be
// solved within the current service level.
func CheckBeyondLevel(explanation string) error {
	var v Validation
	if strings.TrimSpace(explanation) == "" {
		v.Add("explanation", CodeRequired, "complaint.error_explanation_required",
			"is required: explain why the complaint cannot be solved within the current service level")
	}
	v.Text("explanation", explanation)
	return v.Err()
}

// ComplaintEventKind is what a history entry of a complaint records.
type ComplaintEventKind string

const (
	EventCreated        ComplaintEventKind = "created"
	EventStatus         ComplaintEventKind = "status"
	EventClassification ComplaintEventKind = "classification"
	EventCoordinator    ComplaintEventKind = "coordinator"
	EventResponsible    ComplaintEventKind = "responsible"
	EventBeyondLevel    ComplaintEventKind = "beyond_level"
	EventEscalated      ComplaintEventKind = "escalated"
)

// ComplaintEvent is one entry of a complaint's history: a transition, a
// reclassification or a reassignment, with who, when and a note.
type ComplaintEvent struct {
	ID          string             `json:"id"`
	ComplaintID string             `json:"complaint_id"`
	At          time.Time          `json:"at"`
	ActorID     string             `json:"actor_id"`
	ActorName   string             `json:"actor_name"`
	Kind        ComplaintEventKind `json:"kind" enum:"created,status,classification,coordinator,responsible,beyond_level,escalated"`
	From        string             `json:"from"`
	To          string             `json:"to"`
	Note        string             `json:"note"`
}

// CommunicationKind is how IT and the complainant talked.
type CommunicationKind string

const (
	CommNotification CommunicationKind = "notification" // a status email sent through the outbox
	CommEmail        CommunicationKind = "email"
	CommCall         CommunicationKind = "call"
	CommMeeting      CommunicationKind = "meeting"
	CommLetter       CommunicationKind = "letter"
	CommNote         CommunicationKind = "note"
)

// CommunicationKinds lists the kinds; notification is written by the system.
var CommunicationKinds = []CommunicationKind{CommNotification, CommEmail, CommCall, CommMeeting, CommLetter, CommNote}

// Communication is one logged exchange with the complainant.
type Communication struct {
	ID          string            `json:"id"`
	ComplaintID string            `json:"complaint_id"`
	At          time.Time         `json:"at" doc:"When it happened; defaults to now."`
	Kind        CommunicationKind `json:"kind" enum:"notification,email,call,meeting,letter,note"`
	Direction   string            `json:"direction" enum:"in,out" doc:"in: from the customer; out: to the customer."`
	PersonID    *string           `json:"person_id" doc:"The customer contact, if any."`
	Summary     string            `json:"summary" maxLength:"20000"`
	MailID      *string           `json:"mail_id" readOnly:"true" doc:"The outbox message of a notification."`
	UserID      string            `json:"user_id" readOnly:"true" doc:"Who logged it."`
	UserName    string            `json:"user_name" readOnly:"true"`
	PersonName  string            `json:"person_name" readOnly:"true"`
}

// Validate checks a communication before it is logged.
func (m *Communication) Validate() error {
	var v Validation
	m.Summary = strings.TrimSpace(m.Summary)
	m.PersonID = emptyToNil(m.PersonID)
	if m.Direction == "" {
		m.Direction = "out"
	}
	if !oneOf(m.Kind, CommunicationKinds) {
		v.Add("kind", CodeInvalid, "complaint.error_communication_kind_invalid", "must be one of notification, email, call, meeting, letter, note")
	}
	if m.Direction != "in" && m.Direction != "out" {
		v.Add("direction", CodeInvalid, "complaint.error_communication_direction_invalid", "must be in or out")
	}
	if m.Summary == "" {
		v.Add("summary", CodeRequired, "error.required", "is required")
	}
	v.Text("summary", m.Summary)
	return v.Err()
}

// ComplaintFilter selects complaints.
type ComplaintFilter struct {
	Q                string
	OrganisationID   string // the unit or, for an account, anything under it
	AccountID        string
	ManagerID        string // the account's relationship manager or deputy
	ServiceID        string
	SupplierID       string
	ReporterPersonID string
	Channel          ComplaintChannel
	Classification   Classification
	Status           ComplaintStatus
	Severity         Severity
	Category         string
	CoordinatorID    string
	ResponsibleID    string
	Open             *bool
	Recurring        *bool
	// ReceivedFrom and ReceivedBefore keep the complaints received in
	// [ReceivedFrom, ReceivedBefore); zero for no bound.
	ReceivedFrom, ReceivedBefore time.Time
	// OpenOn (a date) keeps the complaints open on that day as the
	// dashboard counts them: received by its end, not resolved (else
	// closed) by then.
	OpenOn  string
	Trashed bool
	Sort    string
	Limit   int
	Cursor  string
}

// ComplaintStats are the figures of the analysis page and the KPIs; they
// count complaints only (not suggestions or service requests).
type ComplaintStats struct {
	InPeriod int `json:"in_period"`
	Open     int `json:"open"`
	// MedianResolveHours is the median time from received to resolved of
	// the complaints resolved in the period; 0 when none.
	MedianResolveHours float64      `json:"median_resolve_hours"`
	Resolved           int          `json:"resolved"`
	ByService          []CountBy    `json:"by_service"`
	ByAccount          []CountBy    `json:"by_account"`
	ByCategory         []CountBy    `json:"by_category"`
	ByMonth            []CountBy    `json:"by_month"`
	BySeverity         []CountBy    `json:"by_severity"`
	Unresolved         []*Complaint `json:"unresolved"`
	Serious            []*Complaint `json:"serious"`
}

// CountBy is one bar of a breakdown.
type CountBy struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Median returns the median of xs (0 for none); xs is sorted in place.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// ComplaintStore keeps complaints, their history and communications.
type ComplaintStore interface {
	// CreateComplaint stores a complaint, derives its account and
	// responsible party, records the creation in its history and, for a
	// complaint that completes a recurrence cluster, flags the cluster and
	// raises (or extends) its escalation to head in the same transaction.
	CreateComplaint(ctx context.Context, c *Complaint, r Recurrence) error
	FindComplaintByID(ctx context.Context, id string) (*Complaint, error)
	FindComplaints(ctx context.Context, f ComplaintFilter) ([]*Complaint, string, error)
	// UpdateComplaint saves c's fields. A status change is checked by
	// CheckComplaintTransition; status, classification and reassignments
	// are recorded in the history with c.Note.
	UpdateComplaint(ctx context.Context, c *Complaint, ifVersion int) error
	// SetComplaintBeyondLevel records why the complaint cannot be solved
	// within the current service level and, in the same transaction, the
	// improvement suggestion made from it (imp, linked both ways by
	// complaint_id and improvement_id) unless the complaint has one already.
	SetComplaintBeyondLevel(ctx context.Context, id, explanation string, ifVersion int, imp *Improvement) (*Complaint, error)
	DeleteComplaint(ctx context.Context, id string, ifVersion int) error
	RestoreComplaint(ctx context.Context, id string) (*Complaint, error)
	FindComplaintEvents(ctx context.Context, id string) ([]*ComplaintEvent, error)
	LogCommunication(ctx context.Context, m *Communication) error
	FindCommunications(ctx context.Context, complaintID string) ([]*Communication, error)
	// ComplaintStats computes the analysis of complaints received in
	// [from, to) (zero times for no bound).
	ComplaintStats(ctx context.Context, from, to time.Time) (*ComplaintStats, error)
}

// Recurrence is the rule of SPEC C6: Count complaints about the same
// service (or in the same category) within Days days are a cluster.
type Recurrence struct {
	Count int
	Days  int
}
