package liaison

import (
	"context"
	"strings"
	"time"
)

// TriggerKind is what started a piece of business relationship work: the
// nine triggers of the process (seed 000 "Trigger", SPEC §4).
type TriggerKind string

const (
	TriggerStrategicInitiative   TriggerKind = "strategic_initiative"   // a strategic initiative in the business
	TriggerServiceChange         TriggerKind = "service_change"         // a new or changed IT service
	TriggerEfficiencyOpportunity TriggerKind = "efficiency_opportunity" // an opportunity to work more efficiently
	TriggerChangeProposal        TriggerKind = "change_proposal"        // a change proposal from the business
	TriggerComplaint             TriggerKind = "complaint"              // a complaint
	TriggerProcessActivity       TriggerKind = "process_activity"       // another IT process has an activity that touches the business
	TriggerCustomerMeeting       TriggerKind = "customer_meeting"       // a customer meeting
	TriggerSurveyDue             TriggerKind = "survey_due"             // a customer survey is to be carried out
	TriggerAgreementDue          TriggerKind = "agreement_due"          // an agreement is to be written or revised
)

// TriggerKinds lists the kinds in the seed's order.
var TriggerKinds = []TriggerKind{TriggerStrategicInitiative, TriggerServiceChange, TriggerEfficiencyOpportunity,
	TriggerChangeProposal, TriggerComplaint, TriggerProcessActivity, TriggerCustomerMeeting, TriggerSurveyDue, TriggerAgreementDue}

// TriggerSource says how a trigger arrived: logged by hand in the UI, or
// posted by another system through the API.
type TriggerSource string

const (
	TriggerManual TriggerSource = "manual"
	TriggerAPI    TriggerSource = "api"
)

// TriggerSources lists the sources.
var TriggerSources = []TriggerSource{TriggerManual, TriggerAPI}

// triggerDueDays is how many working days the relationship manager has to
// act on a trigger of each kind, counted from the day it is logged. What
// the customer is waiting for comes first (a complaint, a meeting's
// follow-up); what is planned months ahead (a survey, an agreement, a
// strategy) gets two weeks. docs/triggers.md shows the table.
var triggerDueDays = map[TriggerKind]int{
	TriggerComplaint:             2,
	TriggerCustomerMeeting:       3,
	TriggerServiceChange:         5,
	TriggerChangeProposal:        5,
	TriggerProcessActivity:       5,
	TriggerStrategicInitiative:   10,
	TriggerEfficiencyOpportunity: 10,
	TriggerSurveyDue:             10,
	TriggerAgreementDue:          10,
}

// TriggerDueDays returns the working days a trigger of kind k gives its task.
func TriggerDueDays(k TriggerKind) int { return triggerDueDays[k] }

// AddWorkingDays returns the date n working days (Monday to Friday) after
// d: a Friday plus one is the Monday after; a Saturday or Sunday plus one
// is the Monday too. n = 0 is d itself.
func AddWorkingDays(d time.Time, n int) time.Time {
	d = DateOf(d)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// TriggerDueDate is the due date of the task a trigger of kind k logged on
// the date of logged opens.
func TriggerDueDate(k TriggerKind, logged time.Time) string {
	return FormatDate(AddWorkingDays(logged, TriggerDueDays(k)))
}

// TriggerAssignment says who a trigger's task went to.
type TriggerAssignment string

const (
	AssignedManager  TriggerAssignment = "relationship_manager" // the account's relationship manager: the rule
	AssignedDeputy   TriggerAssignment = "deputy"               // no active manager: the named deputy stands in
	AssignedHead     TriggerAssignment = "head"                 // neither: the head of service management
	AssignedReporter TriggerAssignment = "reporter"             // no head either: whoever logged it
)

// TriggerOwnerCandidates are the active users a trigger's task may go to;
// empty strings for none.
type TriggerOwnerCandidates struct {
	Manager  string // the account's relationship manager, when active
	Deputy   string // the account's deputy, when active
	Head     string // the first active head of service management
	Reporter string // the user who logged the trigger
}

// TriggerTaskOwner chooses the owner of a trigger's task: the account's
// relationship manager (SPEC §4); an account without an active one is the
// deputy's to cover (seed 003 deputies); an account with neither goes to
// the head of service management, who sees the portfolio and its gaps;
// and only an installation without a head leaves it with the reporter.
// Anything but the manager is flagged on the trigger and its task.
func TriggerTaskOwner(c TriggerOwnerCandidates) (string, TriggerAssignment) {
	switch {
	case c.Manager != "":
		return c.Manager, AssignedManager
	case c.Deputy != "":
		return c.Deputy, AssignedDeputy
	case c.Head != "":
		return c.Head, AssignedHead
	}
	return c.Reporter, AssignedReporter
}

// Trigger (API resource "triggers") is an event that starts business
// relationship work on an account: logged by anyone in IT, or posted by
// another system. Each trigger opens a task, an Action owned by the
// account's relationship manager, created with it; the trigger's status is
// its task's.
type Trigger struct {
	ID               string        `json:"id"`
	OrganisationID   string        `json:"organisation_id" doc:"The unit the trigger concerns; its account is the nearest budget holder at or above it. Required."`
	OrganisationName string        `json:"organisation_name" readOnly:"true"`
	AccountID        string        `json:"account_id" readOnly:"true" doc:"The customer account: the nearest budget-holding unit at or above organisation_id."`
	AccountName      string        `json:"account_name" readOnly:"true"`
	Kind             TriggerKind   `json:"kind" enum:"strategic_initiative,service_change,efficiency_opportunity,change_proposal,complaint,process_activity,customer_meeting,survey_due,agreement_due"`
	Title            string        `json:"title" maxLength:"200"`
	Description      string        `json:"description" maxLength:"20000"`
	OccurredOn       string        `json:"occurred_on" format:"date" doc:"When it happened, YYYY-MM-DD; default the day it is logged."`
	Source           TriggerSource `json:"source" readOnly:"true" enum:"manual,api" doc:"manual when logged in the web UI, api when posted through the API."`
	ExternalRef      *string       `json:"external_ref" maxLength:"200" doc:"The id the posting system gives it: a second post with the same external_ref returns the first trigger instead of creating another."`
	ServiceID        *string       `json:"service_id" doc:"The service it concerns, if any."`
	ServiceName      string        `json:"service_name" readOnly:"true"`
	ReportedByID     *string       `json:"reported_by_id" readOnly:"true" doc:"Who logged it (the token's user for api)."`
	ReportedByName   string        `json:"reported_by_name" readOnly:"true"`

	ActionID   string            `json:"action_id" readOnly:"true" doc:"Its task: the action the trigger opened."`
	Status     ActionStatus      `json:"status" readOnly:"true" enum:"open,done,cancelled" doc:"Its task's status."`
	OwnerID    string            `json:"owner_id" readOnly:"true" doc:"Who owns the task."`
	OwnerName  string            `json:"owner_name" readOnly:"true"`
	DueDate    *string           `json:"due_date" readOnly:"true" format:"date" doc:"When the task is due."`
	AssignedTo TriggerAssignment `json:"assigned_to" readOnly:"true" enum:"relationship_manager,deputy,head,reporter" doc:"Whom the task went to: the account's relationship manager, else its deputy, else the head of service management, else the reporter."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation.
func (t *Trigger) Normalize() {
	t.OrganisationID, t.Title, t.Description = trim(t.OrganisationID), trim(t.Title), strings.TrimSpace(t.Description)
	t.OccurredOn = trim(t.OccurredOn)
	t.ExternalRef, t.ServiceID = emptyToNil(t.ExternalRef), emptyToNil(t.ServiceID)
	if t.Source == "" {
		t.Source = TriggerManual
	}
}

// Validate checks the trigger's own fields; the unit, its account and the
// service are checked against the store.
func (t *Trigger) Validate() error {
	var v Validation
	if t.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "trigger.error.organisation_required", "is required: name the account or unit the trigger concerns")
	}
	v.MaxLen("organisation_id", t.OrganisationID, MaxNameLen)
	if !oneOf(t.Kind, TriggerKinds) {
		v.Add("kind", CodeInvalid, "trigger.error.kind_invalid", "must be one of strategic_initiative, service_change, efficiency_opportunity, change_proposal, complaint, process_activity, customer_meeting, survey_due, agreement_due")
	}
	v.RequireName("title", t.Title)
	v.Text("description", t.Description)
	if t.OccurredOn != "" {
		validDate(&v, "occurred_on", &t.OccurredOn)
	}
	if !oneOf(t.Source, TriggerSources) {
		v.Add("source", CodeInvalid, "trigger.error.source_invalid", "must be manual or api")
	}
	if t.ExternalRef != nil {
		v.MaxLen("external_ref", *t.ExternalRef, MaxNameLen)
	}
	if t.ServiceID != nil {
		v.MaxLen("service_id", *t.ServiceID, MaxNameLen)
	}
	return v.Err()
}

// TriggerFilter selects triggers. Zero fields do not filter.
type TriggerFilter struct {
	Q string
	// OrganisationID keeps the triggers of this unit and of every unit
	// below it (an account's triggers include its departments').
	OrganisationID string
	Kind           TriggerKind
	Status         ActionStatus // the task's status
	Source         TriggerSource
	ServiceID      string
	ReportedByID   string
	Trashed        bool
	// Sort: occurred_on (default, newest first: -occurred_on), name
	// (title), created_at, updated_at, each with - for descending.
	Sort   string
	Limit  int
	Cursor string
}

// TriggerStore keeps triggers and opens their tasks.
type TriggerStore interface {
	// CreateTrigger stores t, logged by the principal of ctx, and opens its
	// task in the same transaction: an action on t's account, titled as
	// t, owned as TriggerTaskOwner says, due TriggerDueDate(t.Kind, today).
	// When t.ExternalRef names a trigger already, it creates nothing and
	// fills t with that trigger (created false); a trashed one answers
	// ECONFLICT. EINVALID names an unknown unit, a unit under no account or
	// an unknown service.
	CreateTrigger(ctx context.Context, t *Trigger) (created bool, err error)
	FindTriggerByID(ctx context.Context, id string) (*Trigger, error)
	FindTriggers(ctx context.Context, f TriggerFilter) ([]*Trigger, string, error)
	// UpdateTrigger saves t's title, description, kind, occurred_on,
	// service and external_ref; its unit and task stay. The task's title
	// follows the trigger's while the two were equal.
	UpdateTrigger(ctx context.Context, t *Trigger, ifVersion int) error
	// DeleteTrigger moves a trigger and its live task to the trash.
	DeleteTrigger(ctx context.Context, id string, ifVersion int) error
	// RestoreTrigger brings a trigger back, with its task when that went to
	// the trash with it.
	RestoreTrigger(ctx context.Context, id string) (*Trigger, error)
}
