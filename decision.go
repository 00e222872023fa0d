package liaison

import (
	"context"
	"time"
)

// DecisionKind is what a decision settles about a customer-specific service
// (SPEC C4, seed 000: "beredas med en beställare men måste för beslut lyftas
// som en ren verksamhetsfråga till kunden").
type DecisionKind string

const (
	DecisionNewService  DecisionKind = "new_service" // the account takes a new customer-specific service
	DecisionChange      DecisionKind = "change"      // the service's content, scope or level changes
	DecisionTermination DecisionKind = "termination" // the account stops using the service
)

// DecisionKinds lists the kinds in display order.
var DecisionKinds = []DecisionKind{DecisionNewService, DecisionChange, DecisionTermination}

// Valid reports whether k is a known kind.
func (k DecisionKind) Valid() bool {
	for _, x := range DecisionKinds {
		if k == x {
			return true
		}
	}
	return false
}

// ServiceDecision records that an account's customer decided on a new, changed or
// terminated customer-specific service (API resource "decisions"). It may
// have been prepared with an orderer or anyone else, but only the account's
// customer decides.
type ServiceDecision struct {
	ID                string       `json:"id"`
	OrganisationID    string       `json:"organisation_id" doc:"The customer account."`
	ServiceID         string       `json:"service_id" doc:"A customer-specific service."`
	SubscriptionID    *string      `json:"subscription_id" doc:"The account's usage of the service the decision concerns, if any."`
	Kind              DecisionKind `json:"kind" enum:"new_service,change,termination"`
	Summary           string       `json:"summary" maxLength:"200" doc:"What was decided."`
	PreparedWithID    *string      `json:"prepared_with_person_id" doc:"Who the decision was prepared with, e.g. an orderer."`
	DecidedByPersonID string       `json:"decided_by_person_id" doc:"Who decided: must be the account's current customer when recorded."`
	DecidedOn         string       `json:"decided_on" format:"date" doc:"When it was decided (YYYY-MM-DD)."`
	Notes             string       `json:"notes" maxLength:"20000"`
	OrganisationName  string       `json:"organisation_name" readOnly:"true"`
	ServiceName       string       `json:"service_name" readOnly:"true"`
	DecidedByName     string       `json:"decided_by_name" readOnly:"true"`
	PreparedWithName  string       `json:"prepared_with_name" readOnly:"true"`
	Version           int          `json:"version"`
	CreatedAt         time.Time    `json:"created_at"`
	UpdatedAt         time.Time    `json:"updated_at"`
}

// Normalize trims input before validation.
func (d *ServiceDecision) Normalize() {
	d.OrganisationID, d.ServiceID, d.DecidedByPersonID = trim(d.OrganisationID), trim(d.ServiceID), trim(d.DecidedByPersonID)
	d.SubscriptionID, d.PreparedWithID = emptyToNil(d.SubscriptionID), emptyToNil(d.PreparedWithID)
	d.Summary, d.DecidedOn = trim(d.Summary), trim(d.DecidedOn)
}

// Validate checks the decision's own fields; references and the deciding
// rule (CheckDecider) are checked by the store.
func (d *ServiceDecision) Validate() error {
	var v Validation
	if d.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if d.ServiceID == "" {
		v.Add("service_id", CodeRequired, "error.required", "is required")
	}
	if !d.Kind.Valid() {
		v.Add("kind", CodeInvalid, "error.decision_kind_invalid", "must be one of new_service, change, termination")
	}
	v.RequireName("summary", d.Summary)
	v.Text("notes", d.Notes)
	if d.DecidedByPersonID == "" {
		v.Add("decided_by_person_id", CodeRequired, "error.decision_decider_required", "is required: the account's customer decides")
	}
	if d.DecidedOn == "" {
		v.Add("decided_on", CodeRequired, "error.required", "is required")
	} else if _, err := ParseDate(d.DecidedOn); err != nil {
		v.Add("decided_on", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
	}
	return v.Err()
}

// CheckDecider applies the deciding rule: only the account's current
// customer decides — an orderer may prepare, not decide (SPEC C4, seed 000).
// customer is the account's active customer, nil when none is named.
func CheckDecider(d *ServiceDecision, customer *Person) error {
	var v Validation
	switch {
	case customer == nil:
		v.Add("decided_by_person_id", "not_customer", "error.decision_no_customer",
			"the account has no customer named: name the account's customer, who decides")
	case d.DecidedByPersonID != customer.ID:
		v.Add("decided_by_person_id", "not_customer", "error.decision_not_customer",
			"only the account's customer, %s, can decide; a decision prepared with an orderer is raised to the customer", customer.Name)
	}
	return v.Err()
}

// CheckDecisionService applies the rule that decisions concern
// customer-specific services. before is the decision as stored, nil for a
// new one: a decision keeps its service if that stops being customer-specific.
func CheckDecisionService(d *ServiceDecision, svc *Service, before *ServiceDecision) error {
	if svc.CustomerSpecific || (before != nil && before.ServiceID == d.ServiceID) {
		return nil
	}
	var v Validation
	v.Add("service_id", CodeInvalid, "error.decision_not_customer_specific",
		"%s is not customer-specific: decisions are recorded for customer-specific services", svc.Name)
	return v.Err()
}

// DecisionFilter selects decisions.
type DecisionFilter struct {
	Q              string
	OrganisationID string
	ServiceID      string
	Kind           DecisionKind
	Sort           string
	Limit          int
	Cursor         string
}

// DecisionStore keeps the customers' decisions on customer-specific services.
type DecisionStore interface {
	// CreateDecision stores a decision. EINVALID when the unit is not an
	// account, the service is not customer-specific, the usage is not the
	// account's usage of the service, or the decider is not the account's
	// current customer (naming who is).
	CreateDecision(ctx context.Context, d *ServiceDecision) error
	FindDecisionByID(ctx context.Context, id string) (*ServiceDecision, error)
	// FindDecisions lists decisions, newest decision date first by default.
	FindDecisions(ctx context.Context, f DecisionFilter) ([]*ServiceDecision, string, error)
	// UpdateDecision replaces the decision's fields; the deciding rule is
	// checked again when the decider or the account changes.
	UpdateDecision(ctx context.Context, d *ServiceDecision, ifVersion int) error
	// DeleteDecision removes a decision for good (the audit trail keeps it).
	DeleteDecision(ctx context.Context, id string, ifVersion int) error
}
