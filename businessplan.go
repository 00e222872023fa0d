package liaison

import (
	"context"
	"strings"
	"time"
)

// Customer business plans (SPEC C2, seed 000 "Gå igenom kundens planer"):
// what the customer's own business plan and strategy say, item by item,
// and what each means for the customer's need of IT services. Every item
// carries a review date; an active item whose review date has passed is
// overdue and listed until someone marks it reviewed.

// BusinessPlanStatus is where a plan item stands.
type BusinessPlanStatus string

const (
	PlanItemActive   BusinessPlanStatus = "active"   // the customer pursues it
	PlanItemAchieved BusinessPlanStatus = "achieved" // the customer reached it
	PlanItemDropped  BusinessPlanStatus = "dropped"  // the customer gave it up
)

// BusinessPlanStatuses lists the statuses in display order.
var BusinessPlanStatuses = []BusinessPlanStatus{PlanItemActive, PlanItemAchieved, PlanItemDropped}

// BusinessPlanHorizon is how far ahead a goal lies, as customers' plans
// usually state it: within the year, within the plan period (1–3 years),
// or beyond it. TargetDate is the precise date when the plan names one.
type BusinessPlanHorizon string

const (
	HorizonShort  BusinessPlanHorizon = "short"  // within a year
	HorizonMedium BusinessPlanHorizon = "medium" // one to three years
	HorizonLong   BusinessPlanHorizon = "long"   // beyond three years
)

// BusinessPlanHorizons lists the horizons, nearest first.
var BusinessPlanHorizons = []BusinessPlanHorizon{HorizonShort, HorizonMedium, HorizonLong}

// DefaultPlanReviewMonths is how far ahead the next review is set when an
// item is created or reviewed without a date.
const DefaultPlanReviewMonths = 12

// BusinessPlanItem is one goal of a customer's business plan (API
// resource "business-plans").
type BusinessPlanItem struct {
	ID               string              `json:"id"`
	OrganisationID   string              `json:"organisation_id" doc:"The customer account (a budget-holding unit)."`
	OrganisationName string              `json:"organisation_name" readOnly:"true"`
	Title            string              `json:"title" maxLength:"200" doc:"The customer's goal."`
	Horizon          BusinessPlanHorizon `json:"horizon" enum:"short,medium,long" doc:"short: within a year; medium: one to three years; long: beyond."`
	TargetDate       *string             `json:"target_date" format:"date" doc:"When the customer means to reach the goal, if the plan says."`
	ITEffect         string              `json:"it_effect" maxLength:"20000" doc:"The expected effect on the customer's IT needs."`
	ServiceIDs       []string            `json:"service_ids" maxItems:"100" doc:"The services the goal concerns."`
	SourceURL        string              `json:"source_url" maxLength:"2000" doc:"Link to the customer's plan document (http or https)."`
	ReviewDate       string              `json:"review_date" format:"date" doc:"When the item is next reviewed with the customer."`
	Status           BusinessPlanStatus  `json:"status" enum:"active,achieved,dropped"`
	OwnerPersonID    *string             `json:"owner_person_id" doc:"The person on the customer's side who owns the goal."`

	OwnerPersonName  string     `json:"owner_person_name" readOnly:"true"`
	LastReviewedOn   *string    `json:"last_reviewed_on" readOnly:"true" format:"date" doc:"When it was last marked reviewed."`
	LastReviewedByID *string    `json:"last_reviewed_by_id" readOnly:"true"`
	LastReviewedBy   string     `json:"last_reviewed_by_name" readOnly:"true"`
	ReviewOverdue    bool       `json:"review_overdue" readOnly:"true" doc:"Active and its review date has passed."`
	Version          int        `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	DeletedAt        *time.Time `json:"deleted_at,omitempty"`
}

// MaxURLLen bounds a stored link.
const MaxURLLen = 2000

// Normalize trims input and fills defaults before validation.
func (b *BusinessPlanItem) Normalize() {
	b.OrganisationID, b.Title, b.SourceURL, b.ReviewDate = trim(b.OrganisationID), trim(b.Title), trim(b.SourceURL), trim(b.ReviewDate)
	b.ITEffect = strings.TrimSpace(b.ITEffect)
	b.TargetDate, b.OwnerPersonID = emptyToNil(b.TargetDate), emptyToNil(b.OwnerPersonID)
	if b.Status == "" {
		b.Status = PlanItemActive
	}
	b.ServiceIDs = uniqueIDs(b.ServiceIDs)
}

// Validate checks the item's own fields; the account, services and owner
// are checked against the store.
func (b *BusinessPlanItem) Validate() error {
	var v Validation
	if b.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	v.RequireName("title", b.Title)
	v.Text("it_effect", b.ITEffect)
	if !oneOf(b.Horizon, BusinessPlanHorizons) {
		v.Add("horizon", CodeInvalid, "bizplan.error.horizon_invalid", "must be one of short, medium, long")
	}
	if !oneOf(b.Status, BusinessPlanStatuses) {
		v.Add("status", CodeInvalid, "bizplan.error.status_invalid", "must be one of active, achieved, dropped")
	}
	if b.TargetDate != nil {
		if _, err := ParseDate(*b.TargetDate); err != nil {
			v.Add("target_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if b.ReviewDate == "" {
		v.Add("review_date", CodeRequired, "error.required", "is required")
	} else if _, err := ParseDate(b.ReviewDate); err != nil {
		v.Add("review_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
	}
	checkWebAddress(&v, "source_url", b.SourceURL)
	if len(b.ServiceIDs) > 100 {
		v.Add("service_ids", CodeTooLong, "error.too_many", "must hold at most %d items", 100)
	}
	return v.Err()
}

// checkWebAddress accepts "" or an absolute http(s) address.
func checkWebAddress(v *Validation, field, s string) {
	if s == "" {
		return
	}
	v.MaxLen(field, s, MaxURLLen)
	if !webAddress(s) {
		v.Add(field, CodeInvalid, "error.url_invalid", "must be a web address starting with http:// or https://")
	}
}

// IsReviewOverdue reports whether the item is active and its review date
// lies before today (YYYY-MM-DD).
func (b *BusinessPlanItem) IsReviewOverdue(today string) bool {
	return b.Status == PlanItemActive && b.ReviewDate != "" && b.ReviewDate < today
}

// NextPlanReview is the default next review date after a review on today.
func NextPlanReview(today time.Time) string {
	return FormatDate(AddMonths(DateOf(today), DefaultPlanReviewMonths))
}

// CheckNextReview checks the next review date given when marking an item
// reviewed on today: a valid date, not in the past.
func CheckNextReview(next, today string) error {
	var v Validation
	if _, err := ParseDate(next); err != nil {
		v.Add("next_review_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
	} else if next < today {
		v.Add("next_review_date", CodeInvalid, "bizplan.error.next_review_past", "must be today or later")
	}
	return v.Err()
}

// BusinessPlanFilter selects plan items. Zero fields do not filter.
type BusinessPlanFilter struct {
	Q              string
	OrganisationID string
	ServiceID      string
	Status         BusinessPlanStatus
	// ReviewOverdue keeps active items whose review date is before Today.
	ReviewOverdue bool
	Today         string // YYYY-MM-DD; needed with ReviewOverdue
	// ManagerID keeps the items of accounts the user manages or deputises.
	ManagerID string
	Trashed   bool
	Sort      string // name (title), created_at, updated_at, review_date, each with - for descending
	Limit     int
	Cursor    string
}

// BusinessPlanStore keeps customers' business plan items.
type BusinessPlanStore interface {
	// CreateBusinessPlanItem stores b; EINVALID names an account, service
	// or person that does not exist or a unit that is not an account.
	CreateBusinessPlanItem(ctx context.Context, b *BusinessPlanItem) error
	FindBusinessPlanItemByID(ctx context.Context, id string) (*BusinessPlanItem, error)
	FindBusinessPlanItems(ctx context.Context, f BusinessPlanFilter) ([]*BusinessPlanItem, string, error)
	UpdateBusinessPlanItem(ctx context.Context, b *BusinessPlanItem, ifVersion int) error
	// MarkBusinessPlanReviewed records a review on today by the principal
	// of ctx and sets the next review date.
	MarkBusinessPlanReviewed(ctx context.Context, id string, ifVersion int, today, next string) (*BusinessPlanItem, error)
	DeleteBusinessPlanItem(ctx context.Context, id string, ifVersion int) error
	RestoreBusinessPlanItem(ctx context.Context, id string) (*BusinessPlanItem, error)
}
