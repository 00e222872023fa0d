package liaison

import (
	"context"
	"time"
)

// Service-review cadence (SPEC C7, seed 002 §3.2): every agreement
// customer (an account with an active agreement) holds a service review at
// least once per interval, the smallest service_review_months of its
// active agreements (12 by default). A review has taken place when a
// meeting of type service_review is held (and not trashed); it is dated
// by its start.

// DefaultServiceReviewMonths is an agreement's review interval unless set.
const DefaultServiceReviewMonths = 12

// ReviewSoonDays is how far ahead a review counts as due soon: the list of
// reviews due and the first reminder look this many days ahead.
const ReviewSoonDays = 30

// ReviewState is where an account stands with its service reviews.
type ReviewState string

const (
	ReviewOverdue ReviewState = "overdue" // the interval has passed, or there was never a review
	ReviewDueSoon ReviewState = "due"     // due within ReviewSoonDays
	ReviewOK      ReviewState = "ok"
)

// CheckServiceReviewMonths checks an agreement's service review interval.
func CheckServiceReviewMonths(v *Validation, months int) {
	if months < 1 || months > 36 {
		v.Add("service_review_months", CodeInvalid, "error.range", "must be between %d and %d", 1, 36)
	}
}

// ReviewCadence applies the cadence: given the date of the last review
// held (nil for none), the smallest interval of the account's active
// agreements in months and today, it returns the state and the date the
// next review is due (nil when there was never one: it is due now).
func ReviewCadence(last *time.Time, intervalMonths int, today time.Time) (ReviewState, *time.Time) {
	if last == nil {
		return ReviewOverdue, nil
	}
	today = DateOf(today)
	due := AddMonths(DateOf(*last), intervalMonths)
	switch {
	case due.Before(today):
		return ReviewOverdue, &due
	case !due.After(today.AddDate(0, 0, ReviewSoonDays)):
		return ReviewDueSoon, &due
	}
	return ReviewOK, &due
}

// ReviewDue is one agreement customer's place in the cadence (API
// resource "reviews-due").
type ReviewDue struct {
	OrganisationID   string      `json:"organisation_id"`
	OrganisationName string      `json:"organisation_name"`
	ManagerID        *string     `json:"manager_id" doc:"The account's relationship manager."`
	ManagerName      string      `json:"manager_name"`
	DeputyID         *string     `json:"deputy_id"`
	IntervalMonths   int         `json:"interval_months" doc:"The smallest service_review_months of the account's active agreements."`
	LastReview       *string     `json:"last_review" format:"date" doc:"The date of the last service review held; null when none was."`
	DueDate          *string     `json:"due_date" format:"date" doc:"When the next review is due; null when there was never one (due now)."`
	State            ReviewState `json:"state" enum:"overdue,due,ok"`
	OverdueDays      int         `json:"overdue_days" doc:"Days past the due date; 0 unless overdue with a due date."`
}

// Apply fills the state, due date and overdue days from LastReview and
// IntervalMonths on today.
func (r *ReviewDue) Apply(today time.Time) {
	var last *time.Time
	if r.LastReview != nil {
		if t, err := ParseDate(*r.LastReview); err == nil {
			last = &t
		}
	}
	state, due := ReviewCadence(last, r.IntervalMonths, today)
	r.State, r.DueDate, r.OverdueDays = state, nil, 0
	if due != nil {
		r.DueDate = Ptr(FormatDate(*due))
		if state == ReviewOverdue {
			r.OverdueDays = int(DateOf(today).Sub(*due).Hours() / 24)
		}
	}
}

// ReviewFilter selects agreement customers for the cadence list.
type ReviewFilter struct {
	// ManagerID keeps the accounts the user manages or deputises.
	ManagerID string
	// OrganisationID keeps one account.
	OrganisationID string
}

// ReviewStore reads the service-review cadence.
type ReviewStore interface {
	// ReviewCadence returns every live agreement customer with its
	// smallest active service-review interval and the date of its last
	// held service review, by account name; State and DueDate are left to
	// ReviewDue.Apply.
	ReviewCadence(ctx context.Context, f ReviewFilter) ([]*ReviewDue, error)
}
