package liaison

import (
	"context"
	"time"
)

// Calendar feeds and invitations (SPEC C7, §4 "/calendar/{secret}.ics").
//
// A user's private feed is an iCalendar URL whose secret is the
// credential, so a calendar app can subscribe without signing in. Like an
// API token, only the secret's SHA-256 is stored: the URL is shown to its
// owner once, when it is made, and a user who lost it makes a new one
// (which revokes the old). Nobody else, an administrator included, can
// read it back from the database.

// CalendarFeed is a user's feed; RevokedAt is set once it stops answering.
type CalendarFeed struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// CalendarMeeting is a meeting as a calendar shows it.
type CalendarMeeting struct {
	ID               string
	Title            string
	Type             string
	Status           string
	OrganisationID   string
	OrganisationName string
	StartsAt, EndsAt time.Time
	Location, Link   string
	Agenda           string
	Version          int
	UpdatedAt        time.Time
	Organiser        *Invitee // nil when the meeting names no organiser
	Attendees        []Invitee
}

// Invitee is a participant of a meeting: an IT user or a customer contact.
type Invitee struct {
	UserID   string
	PersonID string
	Name     string
	Email    string
	Language Language
}

// CalendarTask is a dated task (an action, annual-cycle tasks included)
// as a calendar shows it: an all-day event on its due date.
type CalendarTask struct {
	ID               string
	Title            string
	Description      string
	DueDate          string // YYYY-MM-DD
	OrganisationID   string
	OrganisationName string
	MeetingID        string
	CycleActivityID  string
	Version          int
	UpdatedAt        time.Time
}

// CalendarStore keeps the feeds and reads what they hold.
type CalendarStore interface {
	// CreateCalendarFeed stores a feed for userID answering to the secret
	// hashed as hash, and revokes the user's earlier feeds: a user has at
	// most one live feed.
	CreateCalendarFeed(ctx context.Context, userID string, hash []byte) (*CalendarFeed, error)
	// FindCalendarFeed returns the user's live feed; ENOTFOUND when none.
	FindCalendarFeed(ctx context.Context, userID string) (*CalendarFeed, error)
	// FindCalendarFeedByHash returns the live feed of a secret's hash;
	// ENOTFOUND for an unknown or revoked one.
	FindCalendarFeedByHash(ctx context.Context, hash []byte) (*CalendarFeed, error)
	// RevokeCalendarFeed revokes the user's live feed; ENOTFOUND when none.
	RevokeCalendarFeed(ctx context.Context, userID string) error
	// CalendarMeetings returns the live meetings the user organises or
	// takes part in, planned or held, starting from from on, by start.
	CalendarMeetings(ctx context.Context, userID string, from time.Time) ([]*CalendarMeeting, error)
	// CalendarTasks returns the user's open live actions with a due date
	// from from on, by due date.
	CalendarTasks(ctx context.Context, userID string, from time.Time) ([]*CalendarTask, error)
	// MeetingForInvitation returns a live meeting with its organiser and
	// participants (their emails and languages); ENOTFOUND when none.
	MeetingForInvitation(ctx context.Context, id string) (*CalendarMeeting, error)
}
