package liaison

import (
	"context"
	"strings"
	"time"
)

// ActionStatus is where an action item is: open until it is done or
// cancelled (SPEC §4).
type ActionStatus string

const (
	ActionOpen      ActionStatus = "open"
	ActionDone      ActionStatus = "done"
	ActionCancelled ActionStatus = "cancelled"
)

// ActionStatuses lists the statuses in lifecycle order.
var ActionStatuses = []ActionStatus{ActionOpen, ActionDone, ActionCancelled}

// actionTransitions: an open action is done or cancelled; both come back
// to open (reopen) when the work turns out not to be finished or is
// wanted after all. done ↔ cancelled directly would rewrite history:
// reopen first.
var actionTransitions = map[ActionStatus][]ActionStatus{
	ActionOpen:      {ActionDone, ActionCancelled},
	ActionDone:      {ActionOpen},
	ActionCancelled: {ActionOpen},
}

// NextActionStatuses lists the statuses an action in status s may move to.
func NextActionStatuses(s ActionStatus) []ActionStatus { return actionTransitions[s] }

// CheckActionTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones.
func CheckActionTransition(from, to ActionStatus) error {
	return checkLifecycle(actionTransitions, from, to, "an action", "action.error.transition", "final")
}

// Action is an action item (API resource "actions"), the one task list:
// from a meeting, a trigger or by itself, owned by an IT user, due on a
// date, for an account or none.
type Action struct {
	ID             string       `json:"id"`
	Title          string       `json:"title" maxLength:"200"`
	Description    string       `json:"description" maxLength:"20000"`
	OrganisationID *string      `json:"organisation_id" doc:"The customer account; taken from the meeting when meeting_id is set."`
	MeetingID      *string      `json:"meeting_id" doc:"The meeting the action came from."`
	TriggerID      *string      `json:"trigger_id" readOnly:"true" doc:"The trigger the action answers (set by the trigger process)."`
	OwnerID        string       `json:"owner_id" doc:"The IT user who carries it out. Required."`
	DueDate        *string      `json:"due_date" format:"date" doc:"YYYY-MM-DD."`
	Status         ActionStatus `json:"status" enum:"open,done,cancelled" doc:"open → done | cancelled; done → open and cancelled → open (reopen)."`

	OrganisationName string     `json:"organisation_name" readOnly:"true"`
	MeetingTitle     string     `json:"meeting_title" readOnly:"true"`
	OwnerName        string     `json:"owner_name" readOnly:"true"`
	CreatedByID      *string    `json:"created_by_id" readOnly:"true"`
	CreatedByName    string     `json:"created_by_name" readOnly:"true"`
	DoneAt           *time.Time `json:"done_at" readOnly:"true" doc:"When it was marked done."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation.
func (a *Action) Normalize() {
	a.Title, a.Description, a.OwnerID = trim(a.Title), strings.TrimSpace(a.Description), trim(a.OwnerID)
	a.OrganisationID, a.MeetingID, a.TriggerID, a.DueDate = emptyToNil(a.OrganisationID), emptyToNil(a.MeetingID), emptyToNil(a.TriggerID), emptyToNil(a.DueDate)
	if a.Status == "" {
		a.Status = ActionOpen
	}
}

// Validate checks the action's own fields; the account, meeting and owner
// are checked against the store, a status change by CheckActionTransition.
func (a *Action) Validate() error {
	var v Validation
	v.RequireName("title", a.Title)
	v.Text("description", a.Description)
	if a.OwnerID == "" {
		v.Add("owner_id", CodeRequired, "action.error.owner_required", "is required: name the IT user who carries the action out")
	}
	v.MaxLen("owner_id", a.OwnerID, MaxNameLen)
	for _, f := range []struct {
		name string
		id   *string
	}{{"organisation_id", a.OrganisationID}, {"meeting_id", a.MeetingID}, {"trigger_id", a.TriggerID}} {
		if f.id != nil {
			v.MaxLen(f.name, *f.id, MaxNameLen)
		}
	}
	validDate(&v, "due_date", a.DueDate)
	if !oneOf(a.Status, ActionStatuses) {
		v.Add("status", CodeInvalid, "action.error.status_invalid", "must be one of open, done, cancelled")
	}
	return v.Err()
}

// Overdue reports whether the action is open past its due date on today
// (a date at midnight UTC, see DateOf).
func (a *Action) Overdue(today time.Time) bool {
	if a.Status != ActionOpen || a.DueDate == nil {
		return false
	}
	d, err := ParseDate(*a.DueDate)
	return err == nil && d.Before(DateOf(today))
}

// ActionFilter selects actions. Zero fields do not filter.
type ActionFilter struct {
	Q              string
	OwnerID        string
	OrganisationID string
	MeetingID      string
	TriggerID      string
	// DeputyID keeps the actions on the accounts this user deputises,
	// owned by someone else: what the deputy stands in for.
	DeputyID string
	Status   ActionStatus
	// Overdue keeps open actions due before Today.
	Overdue bool
	// DueBefore keeps actions due before this date (YYYY-MM-DD).
	DueBefore string
	// Today is the date Overdue compares with (YYYY-MM-DD); the caller's clock.
	Today   string
	Trashed bool
	// Sort: due_date (default: soonest first, undated last), -due_date,
	// name (title), created_at, updated_at, each with - for descending.
	Sort   string
	Limit  int
	Cursor string
}

// ActionCounts are the numbers on a user's "My actions" panel.
type ActionCounts struct {
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

// ActionStore keeps action items.
type ActionStore interface {
	// CreateAction stores a, created by the principal of ctx. With a
	// meeting, the action's account is the meeting's. EINVALID names an
	// unknown or trashed meeting, an unknown account or an owner who is
	// not an active user.
	CreateAction(ctx context.Context, a *Action) error
	FindActionByID(ctx context.Context, id string) (*Action, error)
	FindActions(ctx context.Context, f ActionFilter) ([]*Action, string, error)
	// UpdateAction replaces the fields of a, its status included: EINVALID
	// for a transition the lifecycle refuses, naming the allowed ones.
	// done sets DoneAt; leaving done clears it.
	UpdateAction(ctx context.Context, a *Action, ifVersion int) error
	// DeleteAction moves an action to the trash.
	DeleteAction(ctx context.Context, id string, ifVersion int) error
	RestoreAction(ctx context.Context, id string) (*Action, error)
	// CountActions counts the open and the overdue (due before today) live
	// actions of an owner.
	CountActions(ctx context.Context, ownerID, today string) (ActionCounts, error)
	// ActionMeeting returns what an action needs of a live meeting: its
	// title and account. EINVALID on field meeting_id when the meeting is
	// unknown or trashed.
	ActionMeeting(ctx context.Context, meetingID string) (*MeetingRef, error)
}

// MeetingRef is a meeting as an action names it.
type MeetingRef struct {
	ID             string
	Title          string
	OrganisationID string
}
