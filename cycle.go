package liaison

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The annual cycle (SPEC C13, seeds 003/004 "vuosikello"): recurring
// activity definitions — the agreement review in its month, the budget
// meeting in the autumn, the yearly satisfaction survey, the quarterly
// cost follow-up of continuous services, critical update windows — that
// generate a dated task per account. The tasks are actions (the one task
// list), so they show in "my actions", on the account and in the
// calendar feeds.

// CycleKind is what an activity is about.
type CycleKind string

const (
	CycleAgreementReview      CycleKind = "agreement_review"
	CycleBudgetMeeting        CycleKind = "budget_meeting"
	CycleSatisfactionSurvey   CycleKind = "satisfaction_survey"
	CycleCostFollowUp         CycleKind = "cost_follow_up"
	CycleCriticalUpdateWindow CycleKind = "critical_update_window"
	CycleOther                CycleKind = "other"
)

// CycleKinds lists the kinds in display order.
var CycleKinds = []CycleKind{CycleAgreementReview, CycleBudgetMeeting, CycleSatisfactionSurvey, CycleCostFollowUp,
	CycleCriticalUpdateWindow, CycleOther}

// CycleRecurrence is how often an activity comes round.
type CycleRecurrence string

const (
	RecurYearly    CycleRecurrence = "yearly"    // every year on Month/Day
	RecurQuarterly CycleRecurrence = "quarterly" // every quarter in its Month-th month (1-3) on Day
	RecurDate      CycleRecurrence = "date"      // once, on OnDate
)

// CycleRecurrences lists the recurrences in display order.
var CycleRecurrences = []CycleRecurrence{RecurYearly, RecurQuarterly, RecurDate}

// CycleScope is which accounts an activity applies to.
type CycleScope string

const (
	ScopeAllAccounts CycleScope = "all"      // every account (budget holder)
	ScopeSegment     CycleScope = "segment"  // the accounts of SegmentID
	ScopeAccounts    CycleScope = "accounts" // the accounts listed in OrganisationIDs
)

// CycleScopes lists the scopes in display order.
var CycleScopes = []CycleScope{ScopeAllAccounts, ScopeSegment, ScopeAccounts}

// MaxCycleAccounts caps the accounts one activity lists.
const MaxCycleAccounts = 1000

// CycleHorizonMonths is how far ahead tasks are generated: the next
// twelve months, so the year view is always full.
const CycleHorizonMonths = 12

// CycleActivity is a recurring activity of the annual cycle (API resource
// "cycle-activities").
type CycleActivity struct {
	ID          string          `json:"id"`
	Title       string          `json:"title" maxLength:"200"`
	Description string          `json:"description" maxLength:"20000" doc:"Copied into each generated task."`
	Kind        CycleKind       `json:"kind" enum:"agreement_review,budget_meeting,satisfaction_survey,cost_follow_up,critical_update_window,other"`
	Recurrence  CycleRecurrence `json:"recurrence" enum:"yearly,quarterly,date" doc:"yearly: every year in month on day; quarterly: every quarter in its month-th month (1-3) on day; date: once on on_date."`
	Month       int             `json:"month" minimum:"0" maximum:"12" doc:"yearly: the month (1-12); quarterly: the month within each quarter (1-3); date: 0."`
	Day         int             `json:"day" minimum:"0" maximum:"31" doc:"The day of the month (1-31, default 1); a day past the month's end falls on its last day."`
	OnDate      *string         `json:"on_date" format:"date" doc:"recurrence date: the date (YYYY-MM-DD)."`
	Scope       CycleScope      `json:"scope" enum:"all,segment,accounts" doc:"all accounts, the accounts of segment_id, or the accounts of organisation_ids."`
	SegmentID   *string         `json:"segment_id" doc:"scope segment: the segment."`
	// OrganisationIDs are the accounts of scope accounts.
	OrganisationIDs []string `json:"organisation_ids" maxItems:"1000" doc:"scope accounts: the accounts."`
	OwnerID         *string  `json:"owner_id" doc:"Who owns the generated tasks; null: each account's relationship manager."`

	OwnerName   string `json:"owner_name" readOnly:"true"`
	SegmentName string `json:"segment_name" readOnly:"true"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation: day 1, and
// the fields the recurrence and scope do not use cleared, so a stored
// activity says only what it means.
func (a *CycleActivity) Normalize() {
	a.Title, a.Description = trim(a.Title), strings.TrimSpace(a.Description)
	a.OnDate, a.SegmentID, a.OwnerID = emptyToNil(a.OnDate), emptyToNil(a.SegmentID), emptyToNil(a.OwnerID)
	if a.Kind == "" {
		a.Kind = CycleOther
	}
	if a.Scope == "" {
		a.Scope = ScopeAllAccounts
	}
	if a.Day == 0 && a.Recurrence != RecurDate {
		a.Day = 1
	}
	switch a.Recurrence {
	case RecurDate:
		a.Month, a.Day = 0, 0
	default:
		a.OnDate = nil
	}
	a.OrganisationIDs = uniqueIDs(a.OrganisationIDs)
	if a.Scope != ScopeSegment {
		a.SegmentID = nil
	}
	if a.Scope != ScopeAccounts {
		a.OrganisationIDs = []string{}
	}
}

// daysIn is the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Validate checks the activity's own fields; that the segment, accounts
// and owner exist is the store's check.
func (a *CycleActivity) Validate() error {
	var v Validation
	v.RequireName("title", a.Title)
	v.Text("description", a.Description)
	if !oneOf(a.Kind, CycleKinds) {
		v.Add("kind", CodeInvalid, "cycle.error.kind_invalid",
			"must be one of agreement_review, budget_meeting, satisfaction_survey, cost_follow_up, critical_update_window, other")
	}
	switch a.Recurrence {
	case RecurYearly:
		if a.Month < 1 || a.Month > 12 {
			v.Add("month", CodeInvalid, "cycle.error.month_invalid", "must be a month from 1 to 12 for a yearly activity")
		} else if a.Day < 1 || a.Day > daysIn(2024, time.Month(a.Month)) { // 2024: a leap year, so 29 February is allowed
			v.Add("day", CodeInvalid, "cycle.error.day_in_month", "must be a day from 1 to %d: month %d has no day %d",
				daysIn(2024, time.Month(a.Month)), a.Month, a.Day)
		}
	case RecurQuarterly:
		if a.Month < 1 || a.Month > 3 {
			v.Add("month", CodeInvalid, "cycle.error.quarter_month_invalid", "must be 1, 2 or 3: the month within each quarter")
		}
		if a.Day < 1 || a.Day > 31 {
			v.Add("day", CodeInvalid, "cycle.error.day_invalid", "must be a day from 1 to 31")
		}
	case RecurDate:
		if a.OnDate == nil {
			v.Add("on_date", CodeRequired, "cycle.error.date_required", "is required for an activity on a fixed date")
		} else if _, err := ParseDate(*a.OnDate); err != nil {
			v.Add("on_date", CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	default:
		v.Add("recurrence", CodeInvalid, "cycle.error.recurrence_invalid", "must be one of yearly, quarterly, date")
	}
	switch a.Scope {
	case ScopeAllAccounts:
	case ScopeSegment:
		if a.SegmentID == nil {
			v.Add("segment_id", CodeRequired, "cycle.error.segment_required", "is required when the scope is a segment")
		}
	case ScopeAccounts:
		if len(a.OrganisationIDs) == 0 {
			v.Add("organisation_ids", CodeRequired, "cycle.error.accounts_required", "must list at least one account when the scope is listed accounts")
		} else if len(a.OrganisationIDs) > MaxCycleAccounts {
			v.Add("organisation_ids", CodeTooLong, "error.too_many", "must hold at most %d items", MaxCycleAccounts)
		}
	default:
		v.Add("scope", CodeInvalid, "cycle.error.scope_invalid", "must be one of all, segment, accounts")
	}
	return v.Err()
}

// dayIn is day d of month m of year y, or the month's last day when it is shorter.
func dayIn(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, min(d, daysIn(y, m)), 0, 0, 0, 0, time.UTC)
}

// Dates returns the activity's dates from from to to, both included, in
// order (dates are UTC midnights). A valid activity is assumed.
func (a *CycleActivity) Dates(from, to time.Time) []time.Time {
	from, to = DateOf(from), DateOf(to)
	var out []time.Time
	keep := func(d time.Time) {
		if !d.Before(from) && !d.After(to) {
			out = append(out, d)
		}
	}
	switch a.Recurrence {
	case RecurDate:
		if a.OnDate != nil {
			if d, err := ParseDate(*a.OnDate); err == nil {
				keep(d)
			}
		}
	case RecurYearly:
		for y := from.Year(); y <= to.Year(); y++ {
			keep(dayIn(y, time.Month(a.Month), a.Day))
		}
	case RecurQuarterly:
		for y := from.Year(); y <= to.Year(); y++ {
			for q := 0; q < 4; q++ {
				keep(dayIn(y, time.Month(q*3+a.Month), a.Day))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// CycleHorizon is the span generation fills from today: today to the
// same day CycleHorizonMonths later.
func CycleHorizon(today time.Time) (time.Time, time.Time) {
	today = DateOf(today)
	return today, AddMonths(today, CycleHorizonMonths)
}

// Schedule describes the recurrence in words (English), for logs and the API docs.
func (a *CycleActivity) Schedule() string {
	switch a.Recurrence {
	case RecurYearly:
		return fmt.Sprintf("yearly on %s %d", time.Month(a.Month), a.Day)
	case RecurQuarterly:
		return fmt.Sprintf("quarterly in month %d of each quarter on day %d", a.Month, a.Day)
	case RecurDate:
		return "on " + deref(a.OnDate)
	}
	return ""
}

// CycleActivityFilter selects activities.
type CycleActivityFilter struct {
	Q       string
	Kind    CycleKind
	Trashed bool
	Sort    string // name (title), created_at, updated_at, each with - for descending
	Limit   int
	Cursor  string
}

// CycleTask is a generated task of the annual cycle as the year views
// show it: an action with its activity and account.
type CycleTask struct {
	ID               string          `json:"id"`
	ActivityID       string          `json:"activity_id"`
	ActivityTitle    string          `json:"activity_title"`
	Kind             CycleKind       `json:"kind"`
	OrganisationID   string          `json:"organisation_id"`
	OrganisationName string          `json:"organisation_name"`
	OwnerID          *string         `json:"owner_id"`
	OwnerName        string          `json:"owner_name"`
	Title            string          `json:"title"`
	DueDate          string          `json:"due_date" format:"date"`
	Status           string          `json:"status" enum:"open,done,cancelled"`
	Recurrence       CycleRecurrence `json:"-"`
}

// CycleTaskFilter selects generated tasks for a year view.
type CycleTaskFilter struct {
	OrganisationID string
	ActivityID     string
	From, To       string // due dates, both included (YYYY-MM-DD)
	Limit          int    // default and cap 20,000
}

// CycleStore keeps the annual cycle's activities and generates their tasks.
type CycleStore interface {
	// CreateCycleActivity stores a. EINVALID names a segment, account or
	// owner that does not exist (or a unit that is not an account).
	CreateCycleActivity(ctx context.Context, a *CycleActivity) error
	// FindCycleActivityByID returns a live activity with its accounts.
	FindCycleActivityByID(ctx context.Context, id string) (*CycleActivity, error)
	FindCycleActivities(ctx context.Context, f CycleActivityFilter) ([]*CycleActivity, string, error)
	// UpdateCycleActivity replaces the activity's fields. The tasks it
	// generated that are still open, due today or later and untouched
	// (version 1) are removed, so the next generation follows the new
	// definition; done, cancelled, past and edited tasks stay.
	UpdateCycleActivity(ctx context.Context, a *CycleActivity, ifVersion int, today time.Time) error
	// DeleteCycleActivity moves the activity to the trash and removes its
	// untouched open tasks due today or later, as an update does.
	DeleteCycleActivity(ctx context.Context, id string, ifVersion int, today time.Time) error
	RestoreCycleActivity(ctx context.Context, id string) (*CycleActivity, error)
	// GenerateCycleTasks creates the tasks due from from to to (both
	// included) of the activity id, or of every live activity when id is
	// "": one action per account in scope and date, owned by the
	// activity's owner or else the account's relationship manager. A task
	// that exists (by activity, account and due date) is left alone, so
	// generating again creates nothing. It returns how many it created.
	GenerateCycleTasks(ctx context.Context, id string, from, to time.Time) (int, error)
	// FindCycleTasks lists generated tasks (live actions) by due date.
	FindCycleTasks(ctx context.Context, f CycleTaskFilter) ([]*CycleTask, error)
}
