package liaison

import (
	"context"
	"slices"
	"time"
)

// Store is everything Liaison keeps. One implementation (internal/sqlstore)
// serves SQLite and PostgreSQL; the contract tests run on both.
//
// Conventions of every method:
//   - A missing (or trashed, unless asked for) record returns ENOTFOUND.
//   - Create fills ID, Version (1), CreatedAt and UpdatedAt.
//   - Update and Delete take the version the caller read; when the record
//     has moved on they return ESTALE and change nothing.
//   - Every change writes an audit entry in the same transaction, naming
//     the actor of ctx (see WithPrincipal).
//   - Lists return at most Limit items (default 50, at most 500) and an
//     opaque cursor for the next page, "" on the last one.
type Store interface {
	OrganisationStore
	PersonStore
	RoleStore
	SegmentStore
	ServiceStore
	UserStore
	AuthStore
	AuditStore
	SettingsStore
	IdempotencyStore
	AgreementStore
	DecisionStore
	SupplierStore
	ComplaintStore
	TicketSatisfactionStore
	EscalationStore
	ImprovementStore
	MeetingStore
	ActionStore
	ReviewStore
	CycleStore
	CalendarStore
	JobStore
	MailStore
	ReportStore
	SurveyStore
	CampaignStore
	TriggerStore
	FollowStore
	BusinessPlanStore
	WatchStore
	ProjectStore
	PlanStore
	DataSourceStore
	ContactStore
	DashboardStore
	ImportStore
	SearchStore

	// Ping checks the database is reachable and its schema current.
	Ping(ctx context.Context) error
	Close() error
}

// OrganisationStore keeps the organisation tree.
type OrganisationStore interface {
	// CreateOrganisation stores o. EINVALID names a parent, manager, deputy or segment that does not exist.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	FindOrganisationByID(ctx context.Context, id string) (*Organisation, error)
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]*Organisation, string, error)
	// UpdateOrganisation replaces the unit's fields with o's. A move below
	// itself returns EINVALID (field parent_id, code cycle); clearing
	// budget_holder while an active customer is named returns ECONFLICT.
	UpdateOrganisation(ctx context.Context, o *Organisation, ifVersion int) error
	// DeleteOrganisation moves the unit to the trash; ECONFLICT while live units lie below it.
	DeleteOrganisation(ctx context.Context, id string, ifVersion int) error
	// RestoreOrganisation brings a unit back from the trash; ECONFLICT when its parent is trashed.
	RestoreOrganisation(ctx context.Context, id string) (*Organisation, error)
	// OrganisationChain returns the unit and its ancestors, the unit first.
	OrganisationChain(ctx context.Context, id string) ([]*Organisation, error)
	// OrganisationTree returns every live unit, parents before children, siblings by name.
	OrganisationTree(ctx context.Context) ([]*Organisation, error)
	// WhoDecides returns the nearest account at or above the unit and its active customer (nil when none is named).
	WhoDecides(ctx context.Context, id string) (*Decision, error)
	// AccountNames returns every live account (budget holder) by name: the
	// id and name only, for pickers and list columns that need no more.
	AccountNames(ctx context.Context) ([]Ref, error)
}

// Ref names a record: its id and display name.
type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PersonStore keeps business contacts.
type PersonStore interface {
	// CreatePerson stores p. EINVALID names an unknown unit; ECONFLICT a taken email or external id.
	CreatePerson(ctx context.Context, p *Person) error
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, string, error)
	UpdatePerson(ctx context.Context, p *Person, ifVersion int) error
	DeletePerson(ctx context.Context, id string, ifVersion int) error
	RestorePerson(ctx context.Context, id string) (*Person, error)
}

// RoleStore keeps people's roles toward IT at units.
type RoleStore interface {
	// CreateRole stores r. A customer role on a unit that is not a budget
	// holder returns EINVALID; a second active customer on one account
	// returns ECONFLICT naming the current customer.
	CreateRole(ctx context.Context, r *ContactRole) error
	FindRoleByID(ctx context.Context, id string) (*ContactRole, error)
	FindRoles(ctx context.Context, f RoleFilter) ([]*ContactRole, string, error)
	UpdateRole(ctx context.Context, r *ContactRole, ifVersion int) error
	// DeleteRole removes the role for good (the audit trail keeps it).
	DeleteRole(ctx context.Context, id string, ifVersion int) error
	// UnitsWithCustomer returns the ids of the units that name an active customer.
	UnitsWithCustomer(ctx context.Context) ([]string, error)
}

// SegmentStore keeps the configurable list of segments.
type SegmentStore interface {
	CreateSegment(ctx context.Context, s *Segment) error
	FindSegmentByID(ctx context.Context, id string) (*Segment, error)
	// FindSegments returns every segment, by name.
	FindSegments(ctx context.Context) ([]*Segment, error)
	UpdateSegment(ctx context.Context, s *Segment, ifVersion int) error
	// DeleteSegment removes a segment; ECONFLICT while accounts use it.
	DeleteSegment(ctx context.Context, id string, ifVersion int) error
}

// UserStore keeps internal users.
type UserStore interface {
	// CreateUser stores u; ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, string, error)
	// UpdateUser replaces the user's fields, the password hash included.
	UpdateUser(ctx context.Context, u *User, ifVersion int) error
}

// Session is a signed-in browser. The cookie carries a secret; the store
// keeps only its SHA-256, so a leaked database signs nobody in.
type Session struct {
	Hash      []byte
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token is an API token. The secret is shown once; the store keeps its SHA-256.
type Token struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Scope  Scope  `json:"scope" enum:"read,write"`
	// CustomerID, when set, restricts the token to one customer account:
	// its principal is external (Principal.External) and reads only
	// customer-facing routes of that account.
	CustomerID *string    `json:"customer_id,omitempty" readOnly:"true"`
	Hash       []byte     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// AuthStore keeps sessions, tokens and the counts that throttle sign-in.
// All of it lives in the database so several instances share it.
type AuthStore interface {
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with the hash; ENOTFOUND when unknown or expired.
	FindSession(ctx context.Context, hash []byte) (*Session, error)
	// FindSessionUser is FindSession and the session's user in one lookup.
	FindSessionUser(ctx context.Context, hash []byte) (*Session, *User, error)
	DeleteSession(ctx context.Context, hash []byte) error
	DeleteUserSessions(ctx context.Context, userID string) error

	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns a live token; ENOTFOUND when unknown or revoked.
	FindTokenByHash(ctx context.Context, hash []byte) (*Token, error)
	// FindTokenUser is FindTokenByHash and the token's user in one lookup.
	FindTokenUser(ctx context.Context, hash []byte) (*Token, *User, error)
	FindTokens(ctx context.Context, userID string) ([]*Token, error)
	RevokeToken(ctx context.Context, userID, id string) error

	// RecordLoginFailure counts a failed sign-in for key and returns the
	// number of failures for key since since.
	RecordLoginFailure(ctx context.Context, key string, since time.Time) (int, error)
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
}

// AuditStore reads the audit trail (writes happen inside every change).
type AuditStore interface {
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, string, error)
}

// Settings are runtime settings stored in the database, edited by admins.
type Settings struct {
	// StaleReviewMonths is how old an account's structure review may get
	// before it is flagged (SPEC C1: 12 months).
	StaleReviewMonths int `json:"stale_review_months" minimum:"1" maximum:"120"`
	// ReminderDays are the days before an agreement's end, notice deadline
	// and next review at which its relationship manager and deputy get a
	// reminder (SPEC C5: 90, 30 and 7). Empty turns reminders off.
	ReminderDays []int `json:"reminder_days" maxItems:"10" doc:"Days before an agreement's end, notice deadline and review at which reminders go out, e.g. [90, 30, 7]; [] for none."`
	// DemandAccounts is how many accounts must raise the same demand before
	// its improvement is surfaced to the head of service management (SPEC C9: 3).
	DemandAccounts int `json:"demand_accounts" minimum:"2" maximum:"100" doc:"Accounts raising the same demand before its improvement is flagged for the head of service management; default 3."`
	// RecurrenceCount complaints about one service (or in one category)
	// within RecurrenceDays days are a recurrence cluster, escalated to
	// head (SPEC C6: 3 within 90 days).
	RecurrenceCount int `json:"complaint_recurrence_count" minimum:"2" maximum:"100" doc:"Complaints about one service or in one category within complaint_recurrence_days that make a recurrence cluster (default 3)."`
	RecurrenceDays  int `json:"complaint_recurrence_days" minimum:"1" maximum:"3650" doc:"The window of the recurrence rule in days (default 90)."`
	// ComplaintCoordinatorID is the user who coordinates complaints (seed
	// 002: the project management department); new complaints get them.
	ComplaintCoordinatorID string `json:"complaint_coordinator_id" doc:"The default complaint coordinator, a user id; \"\" for none."`
	// SurveyFollowUp turns low survey scores into follow-up actions for the
	// account's relationship manager (SPEC C8: a setting, off by default).
	SurveyFollowUp FollowUpRule `json:"survey_follow_up" doc:"Low scores that create a follow-up action for the relationship manager; off by default."`
	// SurveyResults says who sees campaign results (SPEC C8).
	SurveyResults SurveyResultAccess `json:"survey_results" doc:"Who may see survey results."`
	// SurveyReminderDays is the least number of days between two reminders
	// of one campaign's non-respondents.
	SurveyReminderDays int `json:"survey_reminder_days" minimum:"1" maximum:"90" doc:"Days at least between two reminders of a campaign (default 7)."`
}

// Recurrence returns the recurrence rule of the settings.
func (s Settings) Recurrence() Recurrence {
	return Recurrence{Count: s.RecurrenceCount, Days: s.RecurrenceDays}
}

// DefaultSettings are the settings of a new installation.
func DefaultSettings() Settings {
	return Settings{StaleReviewMonths: 12, ReminderDays: slices.Clone(DefaultReminderDays), RecurrenceCount: 3, RecurrenceDays: 90,
		DemandAccounts: DefaultDemandAccounts, SurveyFollowUp: DefaultFollowUpRule, SurveyResults: DefaultSurveyResultAccess(),
		SurveyReminderDays: DefaultSurveyReminderDays}
}

// SettingsStore keeps the runtime settings.
type SettingsStore interface {
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error
}

// IdempotentResponse is the stored answer to a create made with an Idempotency-Key.
type IdempotentResponse struct {
	Key         string
	UserID      string
	RequestHash []byte
	Status      int
	Location    string
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyStore remembers the answers to creates made with an Idempotency-Key.
type IdempotencyStore interface {
	// FindIdempotent returns the stored answer for the user's key; ENOTFOUND when none.
	// A key claimed by a create whose answer was never saved has an empty Body.
	FindIdempotent(ctx context.Context, userID, key string) (*IdempotentResponse, error)
	// SaveIdempotent stores an answer. When a create claimed the key (see
	// WithIdempotencyClaim) it fills in the claimed row's answer; otherwise it
	// inserts one, and ECONFLICT when the key was taken meanwhile.
	SaveIdempotent(ctx context.Context, r *IdempotentResponse) error
}

// IdempotencyClaim asks the store to record an Idempotency-Key in the same
// transaction as the create it belongs to. Saving the key afterwards leaves
// a window — a crash between the commit and the save — in which a retried
// create duplicates the record; a claim written with the record closes it.
// The store writes the claim with the first record the transaction
// creates, with Location = LocationPrefix + the record's id, and an empty
// body that the caller fills in once it has the answer.
type IdempotencyClaim struct {
	UserID         string
	Key            string
	RequestHash    []byte
	LocationPrefix string

	// Location is set by the store when it wrote the claim.
	Location string
}

type idempotencyClaimKey struct{}

// WithIdempotencyClaim returns a context whose next create records c.
func WithIdempotencyClaim(ctx context.Context, c *IdempotencyClaim) context.Context {
	return context.WithValue(ctx, idempotencyClaimKey{}, c)
}

// IdempotencyClaimFrom returns the context's claim, or nil.
func IdempotencyClaimFrom(ctx context.Context) *IdempotencyClaim {
	c, _ := ctx.Value(idempotencyClaimKey{}).(*IdempotencyClaim)
	return c
}
