package liaison

import (
	"time"
)

// CustomerKind tells agreement customers from ad-hoc ones. It is derived
// from whether the account has an active agreement, never typed.
type CustomerKind string

const (
	KindAgreement CustomerKind = "agreement"
	KindAdHoc     CustomerKind = "ad_hoc"
)

// Organisation is a unit of the business's decision hierarchy (group,
// division, department, unit). A unit marked budget holder is a customer
// account: it has one active customer, a relationship manager and a deputy.
type Organisation struct {
	ID                    string  `json:"id"`
	Name                  string  `json:"name" maxLength:"200"`
	ParentID              *string `json:"parent_id" doc:"The unit above this one; null for a top unit."`
	BudgetHolder          bool    `json:"budget_holder" doc:"Holds an IT budget: the unit is a customer account."`
	Segment               string  `json:"segment" doc:"Segment id; empty when none."`
	RelationshipManagerID *string `json:"relationship_manager_id"`
	DeputyID              *string `json:"deputy_id"`
	Description           string  `json:"description" maxLength:"20000"`
	ExternalID            string  `json:"external_id" maxLength:"200"`
	// LastReviewedOn is when the account's structure was last reviewed (YYYY-MM-DD).
	LastReviewedOn *string `json:"last_reviewed_on" format:"date"`

	// Derived, read-only.
	CustomerKind CustomerKind `json:"customer_kind" readOnly:"true" enum:"agreement,ad_hoc"`
	Depth        int          `json:"depth" readOnly:"true" doc:"0 for a top unit."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// IsAccount reports whether the unit is a customer account.
func (o *Organisation) IsAccount() bool { return o.BudgetHolder }

// ManagedBy reports whether user is the account's relationship manager or deputy.
func (o *Organisation) ManagedBy(userID string) bool {
	return userID != "" && (deref(o.RelationshipManagerID) == userID || deref(o.DeputyID) == userID)
}

// Normalize trims input before validation.
func (o *Organisation) Normalize() {
	o.Name = trim(o.Name)
	o.Segment = trim(o.Segment)
	o.ExternalID = trim(o.ExternalID)
	o.ParentID = emptyToNil(o.ParentID)
	o.RelationshipManagerID = emptyToNil(o.RelationshipManagerID)
	o.DeputyID = emptyToNil(o.DeputyID)
	o.LastReviewedOn = emptyToNil(o.LastReviewedOn)
}

// Validate checks the unit's own fields. References (parent, users,
// segment) and the tree's shape are checked by the store.
func (o *Organisation) Validate() error {
	var v Validation
	v.RequireName("name", o.Name)
	v.Text("description", o.Description)
	v.MaxLen("external_id", o.ExternalID, MaxNameLen)
	if o.ParentID != nil && o.ID != "" && *o.ParentID == o.ID {
		v.Add("parent_id", CodeInvalid, "error.parent_self", "a unit cannot be its own parent")
	}
	if o.LastReviewedOn != nil {
		if _, err := ParseDate(*o.LastReviewedOn); err != nil {
			v.Add("last_reviewed_on", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if !o.BudgetHolder && (o.RelationshipManagerID != nil || o.DeputyID != nil) {
		v.Add("budget_holder", CodeInvalid, "error.manager_needs_account", "only a budget-holding unit (an account) has a relationship manager and deputy")
	}
	return v.Err()
}

// CheckParent refuses a move that would put a unit below itself.
// ancestors are the ids from the new parent up to the root, the parent first.
func CheckParent(id string, ancestors []string) error {
	for _, a := range ancestors {
		if a == id {
			return &Error{Code: EINVALID, Message: "Validation failed.", Key: "error.validation", Fields: []FieldError{{
				Field: "parent_id", Code: "cycle", Key: "error.parent_cycle",
				Message: "the new parent lies below this unit: the tree would have a cycle",
			}}}
		}
	}
	return nil
}

// Warning is a finding about an account that needs someone's attention.
type Warning struct {
	Code string `json:"code" enum:"no_manager,no_deputy,deputy_is_manager,no_customer,review_stale,never_reviewed"`
	Key  string `json:"-"`
}

// AccountWarnings lists what is missing or wrong on an account (SPEC C1):
// no manager, a missing deputy or one equal to the manager, no customer
// named, and a structure review older than staleAfter.
func AccountWarnings(o *Organisation, hasCustomer bool, today time.Time, staleAfterMonths int) []Warning {
	if !o.BudgetHolder {
		return nil
	}
	var w []Warning
	add := func(code string) { w = append(w, Warning{Code: code, Key: "warning." + code}) }
	if o.RelationshipManagerID == nil {
		add("no_manager")
	}
	switch {
	case o.DeputyID == nil:
		add("no_deputy")
	case o.RelationshipManagerID != nil && *o.DeputyID == *o.RelationshipManagerID:
		add("deputy_is_manager")
	}
	if !hasCustomer {
		add("no_customer")
	}
	if o.LastReviewedOn == nil {
		add("never_reviewed")
	} else if ReviewStale(*o.LastReviewedOn, today, staleAfterMonths) {
		add("review_stale")
	}
	return w
}

// ReviewStale reports whether a review on the given date is older than
// months months at today. An unparsable date counts as stale.
func ReviewStale(reviewedOn string, today time.Time, months int) bool {
	d, err := ParseDate(reviewedOn)
	if err != nil {
		return true
	}
	return AddMonths(d, months).Before(today.Truncate(24 * time.Hour))
}

// OrganisationFilter selects units. Zero fields do not filter.
type OrganisationFilter struct {
	Q            string
	ParentID     *string // "" selects top units
	BudgetHolder *bool
	Segment      string
	ManagerID    string // relationship manager or deputy
	ExternalID   string
	Trashed      bool // list the trash instead of live units
	Sort         string
	Limit        int
	Cursor       string
}

// Segment groups accounts by their mode of operation (municipal unit,
// company, foundation…): a configurable list.
type Segment struct {
	ID          string    `json:"id"`
	Name        string    `json:"name" maxLength:"200"`
	Description string    `json:"description" maxLength:"20000"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a segment.
func (s *Segment) Validate() error {
	var v Validation
	s.Name = trim(s.Name)
	v.RequireName("name", s.Name)
	v.Text("description", s.Description)
	return v.Err()
}
