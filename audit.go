package liaison

import (
	"encoding/json"
	"time"
)

// Audit actions.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionDelete  = "delete" // moved to the trash
	ActionRestore = "restore"
)

// AuditEntry records one change: who, when, what, and the record before and
// after. The trail is append-only.
type AuditEntry struct {
	ID             string          `json:"id"`
	At             time.Time       `json:"at"`
	ActorID        string          `json:"actor_id"`
	ActorName      string          `json:"actor_name"`
	Action         string          `json:"action" enum:"create,update,delete,restore"`
	SubjectType    string          `json:"subject_type"`
	SubjectID      string          `json:"subject_id"`
	OrganisationID string          `json:"organisation_id,omitempty" doc:"The unit the subject belongs to, for timelines."`
	AccountID      string          `json:"account_id,omitempty" doc:"The account the change happened in: the nearest budget-holding unit at or above organisation_id when it was written."`
	Summary        string          `json:"summary"`
	Before         json.RawMessage `json:"before,omitempty"`
	After          json.RawMessage `json:"after,omitempty"`
	// LinkID is the id the subject's page is found by (see LinkID), when
	// the entry was read from the account timeline without its records.
	LinkID string `json:"-"`
}

// AuditFilter selects audit entries. The conditions combine with AND.
type AuditFilter struct {
	SubjectType string
	SubjectID   string
	// OrganisationID with Subtree selects the entries of a unit and every unit below it.
	OrganisationID string
	Subtree        bool
	// AccountID selects an account's timeline: the entries written while
	// their unit was in the account (see AuditEntry.AccountID).
	AccountID string
	// SubjectTypes keeps the entries of these subject types.
	SubjectTypes []string
	// Category keeps the entries of one timeline category (see
	// TimelineCategories); set it with CategoryFilter.
	Category string
	// Kinds keeps the entries of these kinds ("complaint.create").
	Kinds   []string
	ActorID string
	// From and To bound the entries' time: From <= at < To; zero for no bound.
	From, To time.Time
	// Brief leaves out the records' before and after JSON: an account's
	// entries carry their LinkID instead, others keep the JSON only where
	// a timeline link needs a field of it (LinkFieldSubjects). Creations
	// carry the whole record, and a timeline page shows only summaries.
	Brief  bool
	Limit  int
	Cursor string
}
