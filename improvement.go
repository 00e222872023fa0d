package liaison

import (
	"context"
	"strings"
	"time"
)

// ImprovementOrigin is where an improvement suggestion came from (SPEC C9, §4).
type ImprovementOrigin string

const (
	OriginComplaint ImprovementOrigin = "complaint" // a complaint that could not be solved within its service level
	OriginReview    ImprovementOrigin = "review"    // a service review
	OriginSurvey    ImprovementOrigin = "survey"    // a satisfaction survey
	OriginWatch     ImprovementOrigin = "watch"     // technology watch
	OriginManager   ImprovementOrigin = "manager"   // a relationship manager's own idea
	OriginCustomer  ImprovementOrigin = "customer"  // a customer's demand
)

// ImprovementOrigins lists the origins in display order.
var ImprovementOrigins = []ImprovementOrigin{OriginComplaint, OriginReview, OriginSurvey, OriginWatch, OriginManager, OriginCustomer}

// ImprovementStatus is where an improvement is in its lifecycle.
type ImprovementStatus string

const (
	ImprovementProposed   ImprovementStatus = "proposed"
	ImprovementApproved   ImprovementStatus = "approved"
	ImprovementRejected   ImprovementStatus = "rejected"
	ImprovementInProgress ImprovementStatus = "in_progress"
	ImprovementDone       ImprovementStatus = "done"
)

// ImprovementStatuses lists the statuses in lifecycle order.
var ImprovementStatuses = []ImprovementStatus{ImprovementProposed, ImprovementApproved, ImprovementRejected, ImprovementInProgress, ImprovementDone}

// improvementTransitions are the allowed status changes: the decision
// (proposed → approved | rejected), the work (approved → in_progress →
// done) and the two ways back a user expects: a rejected suggestion may be
// reconsidered (→ proposed) and a done one reopened when its effect did
// not come (→ in_progress).
var improvementTransitions = map[ImprovementStatus][]ImprovementStatus{
	ImprovementProposed:   {ImprovementApproved, ImprovementRejected},
	ImprovementApproved:   {ImprovementInProgress},
	ImprovementInProgress: {ImprovementDone},
	ImprovementRejected:   {ImprovementProposed},
	ImprovementDone:       {ImprovementInProgress},
}

// NextImprovementStatuses lists the statuses an improvement in status s may move to.
func NextImprovementStatuses(s ImprovementStatus) []ImprovementStatus {
	return improvementTransitions[s]
}

// IsDecision reports whether moving from → to decides on the suggestion
// (approve, reject, reconsider): the head of service management's call.
func IsDecision(from, to ImprovementStatus) bool {
	return from != to && (from == ImprovementProposed || to == ImprovementProposed)
}

// CheckImprovementTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones.
func CheckImprovementTransition(from, to ImprovementStatus) error {
	return checkLifecycle(improvementTransitions, from, to, "an improvement", "improvement.error.transition", "unknown")
}

// CheckImprovementChange applies the rules of a status change beyond the
// lifecycle: a rejection says why, work starts with an owner, and an
// improvement is done only with its realised effect recorded.
func CheckImprovementChange(from ImprovementStatus, i *Improvement) error {
	if err := CheckImprovementTransition(from, i.Status); err != nil {
		return err
	}
	if from == i.Status {
		return nil
	}
	var v Validation
	switch i.Status {
	case ImprovementRejected:
		if i.DecisionNote == "" {
			v.Add("decision_note", CodeRequired, "improvement.error.reject_needs_note", "is required to reject: say why, so the proposer and the customer learn it")
		}
	case ImprovementInProgress:
		if i.OwnerID == nil {
			v.Add("owner_id", CodeRequired, "improvement.error.needs_owner", "is required before the work starts: name who carries the improvement out")
		}
	case ImprovementDone:
		if i.RealisedEffect == "" {
			v.Add("realised_effect", CodeRequired, "improvement.error.done_needs_effect", "is required to mark the improvement done: record the effect it had")
		}
	}
	return v.Err()
}

// Improvement is an improvement suggestion (API resource "improvements"):
// a change of a service or of the portfolio, proposed from a complaint, a
// review, a survey, technology watch, a manager or a customer, decided by
// the head of service management, carried out by its owner and reported
// with its realised effect.
type Improvement struct {
	ID              string            `json:"id"`
	Title           string            `json:"title" maxLength:"200"`
	Description     string            `json:"description" maxLength:"20000"`
	Origin          ImprovementOrigin `json:"origin" enum:"complaint,review,survey,watch,manager,customer"`
	ExpectedBenefit string            `json:"expected_benefit" maxLength:"20000" doc:"What the improvement is expected to bring, and to whom."`
	ServiceIDs      []string          `json:"service_ids" maxItems:"100" doc:"The services the improvement affects."`
	OrganisationIDs []string          `json:"organisation_ids" maxItems:"500" doc:"The customer accounts the improvement affects."`
	OwnerID         *string           `json:"owner_id" doc:"The user who carries it out; required from in_progress on."`
	Status          ImprovementStatus `json:"status" enum:"proposed,approved,rejected,in_progress,done" doc:"proposed → approved | rejected; approved → in_progress → done; rejected → proposed (reconsider), done → in_progress (reopen)."`
	DecisionNote    string            `json:"decision_note" maxLength:"20000" doc:"Why it was approved or rejected; required to reject."`
	RealisedEffect  string            `json:"realised_effect" maxLength:"20000" doc:"The effect the improvement had; required to mark it done."`
	ComplaintID     *string           `json:"complaint_id" doc:"The complaint it was created from (origin complaint)."`

	ProposedByID   *string    `json:"proposed_by_id" readOnly:"true" doc:"Who proposed it."`
	ProposedByName string     `json:"proposed_by_name" readOnly:"true"`
	OwnerName      string     `json:"owner_name" readOnly:"true"`
	DecidedByID    *string    `json:"decided_by_id" readOnly:"true" doc:"Who approved or rejected it."`
	DecidedByName  string     `json:"decided_by_name" readOnly:"true"`
	DecidedAt      *time.Time `json:"decided_at" readOnly:"true"`
	DoneAt         *time.Time `json:"done_at" readOnly:"true" doc:"When it was marked done."`
	RaisedByCount  int        `json:"raised_by_count" readOnly:"true" doc:"How many accounts raised the demand."`
	Flagged        bool       `json:"flagged" readOnly:"true" doc:"Raised by at least the demand_accounts setting's number of accounts: surfaced to the head of service management."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation.
func (i *Improvement) Normalize() {
	i.Title, i.Description, i.ExpectedBenefit = trim(i.Title), strings.TrimSpace(i.Description), strings.TrimSpace(i.ExpectedBenefit)
	i.DecisionNote, i.RealisedEffect = strings.TrimSpace(i.DecisionNote), strings.TrimSpace(i.RealisedEffect)
	i.OwnerID, i.ComplaintID = emptyToNil(i.OwnerID), emptyToNil(i.ComplaintID)
	if i.Status == "" {
		i.Status = ImprovementProposed
	}
	i.ServiceIDs, i.OrganisationIDs = uniqueIDs(i.ServiceIDs), uniqueIDs(i.OrganisationIDs)
}

// uniqueIDs trims ids and drops blanks and repeats, keeping the order.
func uniqueIDs(ids []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		id = trim(id)
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Validate checks the improvement's own fields; the services, accounts and
// owner are checked against the store, a status change by
// CheckImprovementChange.
func (i *Improvement) Validate() error {
	var v Validation
	v.RequireName("title", i.Title)
	v.Text("description", i.Description)
	v.Text("expected_benefit", i.ExpectedBenefit)
	v.Text("decision_note", i.DecisionNote)
	v.Text("realised_effect", i.RealisedEffect)
	if !oneOf(i.Origin, ImprovementOrigins) {
		v.Add("origin", CodeInvalid, "improvement.error.origin_invalid", "must be one of complaint, review, survey, watch, manager, customer")
	}
	if !oneOf(i.Status, ImprovementStatuses) {
		v.Add("status", CodeInvalid, "improvement.error.status_invalid", "must be one of proposed, approved, rejected, in_progress, done")
	}
	if i.ComplaintID != nil {
		v.MaxLen("complaint_id", *i.ComplaintID, MaxNameLen)
		if i.Origin != OriginComplaint {
			v.Add("complaint_id", CodeInvalid, "improvement.error.complaint_needs_origin", "is only recorded for an improvement whose origin is complaint")
		}
	}
	if len(i.ServiceIDs) > 100 {
		v.Add("service_ids", CodeTooLong, "error.too_many", "must hold at most %d items", 100)
	}
	if len(i.OrganisationIDs) > 500 {
		v.Add("organisation_ids", CodeTooLong, "error.too_many", "must hold at most %d items", 500)
	}
	if i.Status == ImprovementDone && i.RealisedEffect == "" {
		v.Add("realised_effect", CodeRequired, "improvement.error.done_needs_effect", "is required to mark the improvement done: record the effect it had")
	}
	return v.Err()
}

// Open reports whether the improvement is still to be decided or carried out.
func (i *Improvement) Open() bool {
	return i.Status == ImprovementProposed || i.Status == ImprovementApproved || i.Status == ImprovementInProgress
}

// ImprovementUpdate is a dated progress note on an improvement. Those
// marked visible to the customer are shown in the customer portal to the
// accounts the improvement affects or that raised it.
type ImprovementUpdate struct {
	ID              string    `json:"id"`
	ImprovementID   string    `json:"improvement_id"`
	On              string    `json:"on" format:"date" doc:"The date of the progress (YYYY-MM-DD); default today."`
	Note            string    `json:"note" maxLength:"20000"`
	CustomerVisible bool      `json:"customer_visible" doc:"Shown to the customer (the portal's improvement progress)."`
	AuthorID        *string   `json:"author_id" readOnly:"true"`
	AuthorName      string    `json:"author_name" readOnly:"true"`
	CreatedAt       time.Time `json:"created_at"`
}

// Normalize trims input before validation.
func (u *ImprovementUpdate) Normalize() {
	u.On, u.Note, u.ImprovementID = trim(u.On), strings.TrimSpace(u.Note), trim(u.ImprovementID)
}

// Validate checks the update's own fields.
func (u *ImprovementUpdate) Validate() error {
	var v Validation
	if u.Note == "" {
		v.Add("note", CodeRequired, "error.required", "is required")
	}
	v.Text("note", u.Note)
	if u.On == "" {
		v.Add("on", CodeRequired, "error.required", "is required")
	} else if _, err := ParseDate(u.On); err != nil {
		v.Add("on", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
	}
	return v.Err()
}

// ImprovementRaiser records that a customer account raised the demand an
// improvement answers, when and by whose record.
type ImprovementRaiser struct {
	ImprovementID    string    `json:"improvement_id"`
	OrganisationID   string    `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name" readOnly:"true"`
	RaisedOn         string    `json:"raised_on" format:"date" doc:"When the account raised it (YYYY-MM-DD); default today."`
	Note             string    `json:"note" maxLength:"2000" doc:"How or by whom it was raised."`
	RecordedByID     *string   `json:"recorded_by_id" readOnly:"true"`
	RecordedByName   string    `json:"recorded_by_name" readOnly:"true"`
	CreatedAt        time.Time `json:"created_at"`
}

// Normalize trims input before validation.
func (r *ImprovementRaiser) Normalize() {
	r.OrganisationID, r.RaisedOn, r.Note = trim(r.OrganisationID), trim(r.RaisedOn), strings.TrimSpace(r.Note)
}

// Validate checks the raiser's own fields.
func (r *ImprovementRaiser) Validate() error {
	var v Validation
	if r.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if r.RaisedOn == "" {
		v.Add("raised_on", CodeRequired, "error.required", "is required")
	} else if _, err := ParseDate(r.RaisedOn); err != nil {
		v.Add("raised_on", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
	}
	v.MaxLen("note", r.Note, 2000)
	return v.Err()
}

// DefaultDemandAccounts is how many accounts must raise the same demand
// before it is surfaced to the head of service management (SPEC C9).
const DefaultDemandAccounts = 3

// CheckDemandAccounts checks the demand_accounts setting.
func CheckDemandAccounts(n int) error {
	if n < 2 || n > 100 {
		var v Validation
		v.Add("demand_accounts", CodeInvalid, "error.range", "must be between %d and %d", 2, 100)
		return v.Err()
	}
	return nil
}

// ImprovementFilter selects improvements. Zero fields do not filter.
type ImprovementFilter struct {
	Q              string
	Status         ImprovementStatus
	Origin         ImprovementOrigin
	ServiceID      string // affects the service
	OrganisationID string // affects the account or was raised by it
	OwnerID        string
	ComplaintID    string
	MinRaisedBy    int // raised by at least this many accounts
	Open           bool
	Trashed        bool
	Sort           string // name (title), created_at, updated_at, each with - for descending
	Limit          int
	Cursor         string
}

// ImprovementUpdateFilter selects progress updates.
type ImprovementUpdateFilter struct {
	ImprovementID string
	// OrganisationID keeps the updates of live improvements that affect the
	// account or were raised by it: the customer portal's view.
	OrganisationID  string
	CustomerVisible *bool
	Limit           int
}

// ImprovementStore keeps improvement suggestions, their progress updates
// and the accounts that raised them.
type ImprovementStore interface {
	// CreateImprovement stores i, proposed by the principal of ctx.
	// EINVALID names a service, account or owner that does not exist.
	CreateImprovement(ctx context.Context, i *Improvement) error
	// FindImprovementByID returns a live improvement with its services,
	// accounts and raising-account count; Flagged is left to the caller,
	// which knows the setting.
	FindImprovementByID(ctx context.Context, id string) (*Improvement, error)
	FindImprovements(ctx context.Context, f ImprovementFilter) ([]*Improvement, string, error)
	// UpdateImprovement replaces the fields of i, its status included:
	// EINVALID for a transition the lifecycle refuses (naming the allowed
	// ones) and for a change CheckImprovementChange refuses. A decision
	// records the actor and time; done records the time.
	UpdateImprovement(ctx context.Context, i *Improvement, ifVersion int) error
	// DeleteImprovement moves an improvement to the trash.
	DeleteImprovement(ctx context.Context, id string, ifVersion int) error
	RestoreImprovement(ctx context.Context, id string) (*Improvement, error)

	// CreateImprovementUpdate adds a progress note, authored by the principal of ctx.
	CreateImprovementUpdate(ctx context.Context, u *ImprovementUpdate) error
	FindImprovementUpdate(ctx context.Context, improvementID, id string) (*ImprovementUpdate, error)
	// FindImprovementUpdates lists progress notes, newest date first.
	FindImprovementUpdates(ctx context.Context, f ImprovementUpdateFilter) ([]*ImprovementUpdate, error)
	DeleteImprovementUpdate(ctx context.Context, improvementID, id string) error

	// AddImprovementRaiser records that an account raised the demand;
	// ECONFLICT when it already did, EINVALID for a unit that is not a
	// live account.
	AddImprovementRaiser(ctx context.Context, r *ImprovementRaiser) error
	// FindImprovementRaisers lists the accounts that raised the demand, earliest first.
	FindImprovementRaisers(ctx context.Context, improvementID string) ([]*ImprovementRaiser, error)
	RemoveImprovementRaiser(ctx context.Context, improvementID, organisationID string) error
}
