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
	Summary        string          `json:"summary"`
	Before         json.RawMessage `json:"before,omitempty"`
	After          json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	SubjectType string
	SubjectID   string
	// OrganisationID with Subtree selects the entries of a unit and every unit below it: an account's timeline.
	OrganisationID string
	Subtree        bool
	Limit          int
	Cursor         string
}

// TimelineItem is one event on an account's timeline (SPEC §4).
type TimelineItem struct {
	ID          string    `json:"id"`
	At          time.Time `json:"at"`
	Kind        string    `json:"kind"`
	Actor       string    `json:"actor"`
	SubjectType string    `json:"subject_type"`
	SubjectID   string    `json:"subject_id"`
	Summary     string    `json:"summary"`
}

// Timeline turns audit entries into timeline items: kind is
// "<subject_type>.<action>", e.g. "person.create".
func Timeline(entries []*AuditEntry) []TimelineItem {
	items := make([]TimelineItem, len(entries))
	for i, e := range entries {
		actor := e.ActorName
		if actor == "" {
			actor = "system"
		}
		items[i] = TimelineItem{ID: e.ID, At: e.At, Kind: e.SubjectType + "." + e.Action, Actor: actor,
			SubjectType: e.SubjectType, SubjectID: e.SubjectID, Summary: e.Summary}
	}
	return items
}
