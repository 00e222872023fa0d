package liaison

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Escalations (SPEC C12, §4): a matter raised to the head of service
// management — recurring complaints raise one per cluster by themselves —
// or formally to the IT steering group: reason, raised by, date, decision,
// closed.

// EscalationTarget is who an escalation goes to.
type EscalationTarget string

const (
	TargetHead          EscalationTarget = "head"
	TargetSteeringGroup EscalationTarget = "steering_group"
)

// EscalationTargets lists the targets.
var EscalationTargets = []EscalationTarget{TargetHead, TargetSteeringGroup}

// EscalationStatus is where an escalation is.
type EscalationStatus string

const (
	EscalationOpen    EscalationStatus = "open"
	EscalationDecided EscalationStatus = "decided"
	EscalationClosed  EscalationStatus = "closed"
)

// EscalationStatuses lists the statuses in order.
var EscalationStatuses = []EscalationStatus{EscalationOpen, EscalationDecided, EscalationClosed}

var escalationTransitions = map[EscalationStatus][]EscalationStatus{
	EscalationOpen:    {EscalationDecided, EscalationClosed},
	EscalationDecided: {EscalationClosed, EscalationOpen},
}

// Escalation is one escalation (API resource "escalations").
type Escalation struct {
	ID               string           `json:"id"`
	Target           EscalationTarget `json:"target" enum:"head,steering_group"`
	Kind             string           `json:"kind" readOnly:"true" enum:"manual,recurrence" doc:"recurrence: raised by a cluster of recurring complaints."`
	Reason           string           `json:"reason" maxLength:"20000"`
	OrganisationID   *string          `json:"organisation_id" doc:"The account concerned, if any."`
	ServiceID        *string          `json:"service_id" doc:"The service concerned, if any."`
	Category         string           `json:"category" readOnly:"true" doc:"The complaint category of a category cluster."`
	Status           EscalationStatus `json:"status" enum:"open,decided,closed" doc:"open → decided → closed (or open → closed); decided needs a decision."`
	RaisedByID       string           `json:"raised_by_id" readOnly:"true"`
	RaisedByName     string           `json:"raised_by_name" readOnly:"true"`
	RaisedAt         time.Time        `json:"raised_at" readOnly:"true"`
	Decision         string           `json:"decision" maxLength:"20000"`
	DecidedByID      *string          `json:"decided_by_id" readOnly:"true"`
	DecidedByName    string           `json:"decided_by_name" readOnly:"true"`
	DecidedAt        *time.Time       `json:"decided_at" readOnly:"true"`
	ClosedAt         *time.Time       `json:"closed_at" readOnly:"true"`
	ComplaintIDs     []string         `json:"complaint_ids" doc:"The linked complaints."`
	OrganisationName string           `json:"organisation_name" readOnly:"true"`
	ServiceName      string           `json:"service_name" readOnly:"true"`
	Version          int              `json:"version"`
	CreatedAt        time.Time        `json:"created_at"`
	UpdatedAt        time.Time        `json:"updated_at"`
}

// Normalize trims input and fills defaults.
func (e *Escalation) Normalize() {
	e.Reason, e.Decision = strings.TrimSpace(e.Reason), strings.TrimSpace(e.Decision)
	e.OrganisationID, e.ServiceID = emptyToNil(e.OrganisationID), emptyToNil(e.ServiceID)
	if e.Status == "" {
		e.Status = EscalationOpen
	}
	if e.Kind == "" {
		e.Kind = "manual"
	}
	if e.ComplaintIDs == nil {
		e.ComplaintIDs = []string{}
	}
}

// Validate checks the escalation's own fields.
func (e *Escalation) Validate() error {
	var v Validation
	if !oneOf(e.Target, EscalationTargets) {
		v.Add("target", CodeInvalid, "escalation.error_target_invalid", "must be head or steering_group")
	}
	if !oneOf(e.Status, EscalationStatuses) {
		v.Add("status", CodeInvalid, "escalation.error_status_invalid", "must be one of open, decided, closed")
	}
	if e.Reason == "" {
		v.Add("reason", CodeRequired, "error.required", "is required")
	}
	v.Text("reason", e.Reason)
	v.Text("decision", e.Decision)
	if e.Status == EscalationDecided && e.Decision == "" {
		v.Add("decision", CodeRequired, "escalation.error_decision_required", "is required when the escalation is decided")
	}
	return v.Err()
}

// CheckEscalationTransition refuses a status change that is not allowed, naming the allowed ones.
func CheckEscalationTransition(from, to EscalationStatus) error {
	if from == to || oneOf(to, escalationTransitions[from]) {
		return nil
	}
	allowed := escalationTransitions[from]
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = string(s)
	}
	list := strings.Join(names, ", ")
	if list == "" {
		list = "-"
	}
	return &Error{Code: EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: []FieldError{{
		Field: "status", Code: "transition", Key: "escalation.error_transition", Args: []any{string(from), string(to), list},
		Message: fmt.Sprintf("an escalation cannot go from %s to %s; allowed: %s", from, to, list),
	}}}
}

// EscalationFilter selects escalations.
type EscalationFilter struct {
	Q              string
	Target         EscalationTarget
	Status         EscalationStatus
	OrganisationID string
	ServiceID      string
	ComplaintID    string
	Sort           string
	Limit          int
	Cursor         string
}

// EscalationStore keeps escalations.
type EscalationStore interface {
	// CreateEscalation raises an escalation by hand, linking e.ComplaintIDs.
	CreateEscalation(ctx context.Context, e *Escalation) error
	FindEscalationByID(ctx context.Context, id string) (*Escalation, error)
	// FindEscalations lists escalations, newest first by default.
	FindEscalations(ctx context.Context, f EscalationFilter) ([]*Escalation, string, error)
	// UpdateEscalation saves reason, decision and status; deciding stamps
	// who and when, closing stamps when.
	UpdateEscalation(ctx context.Context, e *Escalation, ifVersion int) error
}
