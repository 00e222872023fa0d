package liaison

import (
	"context"
	"time"
)

// Following an account (SPEC C12): any internal user follows an account
// and is notified of the events on its timeline that happen after they
// started following, except their own (docs/notifications.md).

// SubjectFollow is the audit subject type of a follow: following and
// unfollowing are audited on the account's timeline, but never notified.
const SubjectFollow = "follow"

// Follow is one user following one account.
type Follow struct {
	ID          string    `json:"id"`
	UserID      string    `json:"user_id"`
	UserName    string    `json:"user_name"`
	AccountID   string    `json:"organisation_id" doc:"The account (a budget-holding unit)."`
	AccountName string    `json:"organisation_name"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at" doc:"When the user started following: notifications are of the events after it."`
	UpdatedAt   time.Time `json:"updated_at"`
}

// FollowFilter selects follows: a user's, or an account's followers.
type FollowFilter struct {
	UserID    string
	AccountID string
	Limit     int
	Cursor    string
}

// CheckFollower refuses a principal that may not follow accounts: only
// an active internal user acting as such, through a session or a write
// token (following is the user's own write). A customer-scoped token, an
// inactive user or a read token never follows.
func CheckFollower(p *Principal) error {
	switch {
	case p == nil || p.User == nil:
		return &Error{Code: EUNAUTHORIZED, Message: "sign in first", Key: "error.unauthorized"}
	case p.External():
		return &Error{Code: EFORBIDDEN, Message: ExternalRefusal, Key: "error.forbidden"}
	case !p.Internal():
		return &Error{Code: EFORBIDDEN, Message: "Only active internal users follow accounts.", Key: "error.forbidden"}
	case p.Scope != ScopeWrite:
		return &Error{Code: EFORBIDDEN, Message: "This token may only read.", Key: "error.forbidden"}
	}
	return nil
}

// CheckFollowable refuses a unit that is not a live account: only
// accounts (budget holders) have a timeline of their own to follow.
func CheckFollowable(o *Organisation) error {
	if o == nil || o.DeletedAt != nil || !o.BudgetHolder {
		var v Validation
		v.Add("organisation_id", CodeInvalid, "follow.error.not_account", "only an account (a budget-holding unit) can be followed")
		return v.Err()
	}
	return nil
}

// DigestFrequency is how often a user is emailed their unread
// notifications.
type DigestFrequency string

const (
	DigestOff         DigestFrequency = "off"
	DigestImmediately DigestFrequency = "immediately" // at the job's next run, every few minutes
	DigestDaily       DigestFrequency = "daily"       // once a day
)

// DigestFrequencies lists the choices in the order they are offered.
var DigestFrequencies = []DigestFrequency{DigestOff, DigestImmediately, DigestDaily}

// Valid reports whether f is a known frequency.
func (f DigestFrequency) Valid() bool {
	return f == DigestOff || f == DigestImmediately || f == DigestDaily
}

// NotificationSettings is a user's notification state: the email digest
// choice, what they have read, and how far the digest has gone.
type NotificationSettings struct {
	UserID string          `json:"user_id"`
	Digest DigestFrequency `json:"digest" enum:"off,immediately,daily" doc:"How often unread notifications are emailed: off (the default), immediately (within minutes) or daily."`
	// ReadThrough: every event at or before it counts as read (mark all read).
	ReadThrough time.Time `json:"read_through,omitzero" doc:"Every notification at or before this time counts as read."`
	// DigestThrough is the time of the newest event a digest has carried;
	// the next digest carries only later ones.
	DigestThrough time.Time `json:"-"`
	// DigestSentOn is the day (UTC, YYYY-MM-DD) of the last daily digest.
	DigestSentOn string    `json:"-"`
	Version      int       `json:"version"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
}

// Validate checks the settings a user may change.
func (s *NotificationSettings) Validate() error {
	var v Validation
	if !s.Digest.Valid() {
		v.Add("digest", CodeInvalid, "follow.error.digest", "digest must be off, immediately or daily")
	}
	return v.Err()
}

// DigestDue reports whether a user's digest should be composed at now:
// never when off; immediately at every run; daily once a UTC day.
func DigestDue(s *NotificationSettings, now time.Time) bool {
	switch s.Digest {
	case DigestImmediately:
		return true
	case DigestDaily:
		return s.DigestSentOn != now.UTC().Format(DateLayout)
	}
	return false
}

// Notification is a timeline event of an account the user follows.
type Notification struct {
	TimelineItem
	AccountID   string `json:"account_id"`
	AccountName string `json:"account_name"`
	Read        bool   `json:"read"`
}

// NotificationFilter selects a user's notifications: the events of the
// accounts they follow after they started following, not their own,
// newest first.
type NotificationFilter struct {
	UserID string
	// After keeps only the events after this time (the digest's mark).
	After      time.Time
	UnreadOnly bool
	// AccountID keeps one followed account's.
	AccountID string
	Limit     int
	Cursor    string
	// CountUnread also counts the unread notifications, at most UnreadCap;
	// CountOnly reads no items at all (the bell in the top bar).
	CountUnread, CountOnly bool
}

// UnreadCap is the most unread notifications counted: the bell says "99+".
const UnreadCap = 100

// NotificationPage is a page of notifications and, when asked, the
// number of unread ones (at most UnreadCap).
type NotificationPage struct {
	Items      []*Notification
	NextCursor string
	Unread     int
}

// FollowStore keeps follows and notification state.
type FollowStore interface {
	// Follow makes the principal's user follow account accountID; a repeat
	// returns the existing follow (created false). EINVALID names a unit
	// that is not a live account; ENOTFOUND an unknown one. Audited on
	// the account (subject type follow).
	Follow(ctx context.Context, userID, accountID string) (f *Follow, created bool, err error)
	// Unfollow ends the follow; ENOTFOUND when there is none. Audited.
	Unfollow(ctx context.Context, userID, accountID string) error
	// FindFollows lists follows, oldest first.
	FindFollows(ctx context.Context, f FollowFilter) ([]*Follow, string, error)
	// FindNotifications reads a user's notifications (and counts the
	// unread ones) from the accounts' timelines: the one query of the feed.
	FindNotifications(ctx context.Context, f NotificationFilter) (*NotificationPage, error)
	// NotificationSettings returns a user's settings (defaults when none are stored).
	NotificationSettings(ctx context.Context, userID string) (*NotificationSettings, error)
	// SaveDigest stores a user's digest choice.
	SaveDigest(ctx context.Context, userID string, digest DigestFrequency) (*NotificationSettings, error)
	// MarkNotificationsRead marks events read: the given audit entry ids,
	// or with all every event up to now.
	MarkNotificationsRead(ctx context.Context, userID string, ids []string, all bool) error
	// DigestUsers lists the settings of the users whose digest is not off.
	DigestUsers(ctx context.Context) ([]*NotificationSettings, error)
	// MarkDigestSent records that a digest carried the events up to through.
	MarkDigestSent(ctx context.Context, userID string, through time.Time, day string) error
}
