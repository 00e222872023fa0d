package liaison

import (
	"context"
	"time"
)

// Job run statuses.
const (
	JobRunning   = "running"
	JobOK        = "ok"
	JobFailed    = "failed"
	JobAbandoned = "abandoned" // its instance stopped (or lost the lease) before the run ended
)

// JobState is a background job's row: when it is due next, who holds it
// now, and how its last run went.
type JobState struct {
	Name          string     `json:"name"`
	NextRunAt     time.Time  `json:"next_run_at"`
	LeaseOwner    string     `json:"lease_owner"`
	LeaseUntil    *time.Time `json:"lease_until"`
	Failures      int        `json:"failures"` // failed runs since the last success
	LastStartedAt *time.Time `json:"last_started_at"`
	LastEndedAt   *time.Time `json:"last_ended_at"`
	LastStatus    string     `json:"last_status"`
	LastError     string     `json:"last_error"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// JobRun is one run of a job by one instance.
type JobRun struct {
	ID        string     `json:"id"`
	Job       string     `json:"job"`
	Instance  string     `json:"instance"`
	Attempt   int        `json:"attempt"` // 1 for a run after a success; n for the n-th try in a row
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at"`
	Status    string     `json:"status"`
	Error     string     `json:"error"`
}

// JobRunFilter selects job runs, newest first.
type JobRunFilter struct {
	Job        string
	FailedOnly bool
	Limit      int
}

// JobStore keeps the state of background jobs, shared by every instance
// on the database. Times are passed in by the scheduler, whose clock rules.
type JobStore interface {
	// EnsureJob creates the job's row, due at next, unless it exists.
	EnsureJob(ctx context.Context, name string, next time.Time) error
	// ClaimJob takes the job's lease for instance until leaseUntil when the
	// job is due at now and no live lease is held, and records the run it
	// starts. It returns nil, nil when the job is not due or another
	// instance holds it: exactly one of several concurrent claims wins.
	// Runs that a lost lease left running are marked abandoned.
	ClaimJob(ctx context.Context, name, instance string, now, leaseUntil time.Time) (*JobRun, error)
	// FinishJob records how the run ended (run.Status, run.Error, run.EndedAt)
	// and, while the run's instance still holds the lease, releases it and
	// makes the job due at next. It returns false when the lease was lost.
	FinishJob(ctx context.Context, run *JobRun, next time.Time) (bool, error)
	// FindJobs returns every job, by name.
	FindJobs(ctx context.Context) ([]*JobState, error)
	// FindJobRuns returns runs, newest first.
	FindJobRuns(ctx context.Context, f JobRunFilter) ([]*JobRun, error)
	// PruneJobRuns deletes the ended runs that started before before.
	PruneJobRuns(ctx context.Context, before time.Time) (int, error)
}

// Mail statuses in the outbox.
const (
	MailPending = "pending" // waiting for (another) delivery attempt
	MailSent    = "sent"
	MailFailed  = "failed" // gave up after too many attempts; kept for the admin to see
)

// MailMessage is an email in the outbox, composed in its recipient's language.
type MailMessage struct {
	ID string `json:"id"`
	// DedupeKey, when set, makes the message unique: queuing another
	// message with the same key does nothing.
	DedupeKey     string     `json:"dedupe_key"`
	To            string     `json:"to"`
	ToName        string     `json:"to_name"`
	UserID        string     `json:"user_id"`
	Language      Language   `json:"language"`
	Subject       string     `json:"subject"`
	Text          string     `json:"text"`
	HTML          string     `json:"html"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
	// Attachments go out with the message in order (an invite.ics).
	Attachments []MailAttachment `json:"attachments,omitempty"`
}

// MailAttachment is a file sent with a message.
type MailAttachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"` // e.g. text/calendar; method=REQUEST; charset=utf-8
	Data        []byte `json:"data"`
}

// MailFilter selects outbox messages, newest first.
type MailFilter struct {
	Status string
	To     string
	Limit  int
}

// MailStore is the outbox: mail is written here first, so a message is
// never lost while the SMTP server is away, and delivered by a job.
type MailStore interface {
	// EnqueueMail stores m as pending, due at once. When m.DedupeKey is
	// taken it stores nothing and returns false.
	EnqueueMail(ctx context.Context, m *MailMessage) (bool, error)
	// ClaimMail returns up to limit pending messages due at now, and makes
	// them due again only at leaseUntil, so that no other delivery run
	// takes them meanwhile.
	ClaimMail(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*MailMessage, error)
	// MarkMailSent records a delivery.
	MarkMailSent(ctx context.Context, id string, at time.Time) error
	// MarkMailFailed records a failed attempt: the message is due again at
	// next, or, when giveUp, failed for good.
	MarkMailFailed(ctx context.Context, id, reason string, next time.Time, giveUp bool) error
	// FindMail returns outbox messages, newest first.
	FindMail(ctx context.Context, f MailFilter) ([]*MailMessage, error)
	// CountMail counts the outbox's messages by status.
	CountMail(ctx context.Context) (map[string]int, error)
}
