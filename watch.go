package liaison

import (
	"context"
	"strings"
	"time"
)

// Technology watch (SPEC C11, seed 000 "Omvärldsbevaka"): notes on new
// services and technology that could make the business more efficient,
// linked to the accounts and services they concern, evaluated, and — when
// worth it — turned into an improvement suggestion in one step.

// WatchStatus is where a watch note is in its lifecycle.
type WatchStatus string

const (
	WatchNoted      WatchStatus = "noted"      // seen, not yet looked into
	WatchEvaluating WatchStatus = "evaluating" // being looked into
	WatchProposed   WatchStatus = "proposed"   // proposed for use (usually as an improvement suggestion)
	WatchAdopted    WatchStatus = "adopted"    // taken into use
	WatchRejected   WatchStatus = "rejected"   // not for us (now)
)

// WatchStatuses lists the statuses in lifecycle order.
var WatchStatuses = []WatchStatus{WatchNoted, WatchEvaluating, WatchProposed, WatchAdopted, WatchRejected}

// watchTransitions: the main road noted → evaluating → proposed → adopted,
// rejection from any open state, and the shortcuts people take: a note
// proposed straight from noted (the one-step improvement), an evaluation
// put back on the shelf (→ noted), a proposal sent back for more
// evaluation, and a rejected note reconsidered (→ noted). Adopted is final.
var watchTransitions = map[WatchStatus][]WatchStatus{
	WatchNoted:      {WatchEvaluating, WatchProposed, WatchRejected},
	WatchEvaluating: {WatchProposed, WatchRejected, WatchNoted},
	WatchProposed:   {WatchAdopted, WatchRejected, WatchEvaluating},
	WatchRejected:   {WatchNoted},
	WatchAdopted:    {},
}

// NextWatchStatuses lists the statuses a note in status s may move to.
func NextWatchStatuses(s WatchStatus) []WatchStatus { return watchTransitions[s] }

// CheckWatchTransition refuses a status change the lifecycle does not
// allow, naming the allowed ones.
func CheckWatchTransition(from, to WatchStatus) error {
	return checkLifecycle(watchTransitions, from, to, "a watch note", "watch.error.transition", "final")
}

// CanProposeWatch reports whether a note in status s may be turned into an
// improvement suggestion (which moves it to proposed).
func CanProposeWatch(s WatchStatus) bool {
	return s == WatchNoted || s == WatchEvaluating
}

// WatchRelevance is how much a note matters to the customers, in short.
type WatchRelevance string

const (
	RelevanceLow    WatchRelevance = "low"
	RelevanceMedium WatchRelevance = "medium"
	RelevanceHigh   WatchRelevance = "high"
)

// WatchRelevances lists the levels, lowest first.
var WatchRelevances = []WatchRelevance{RelevanceLow, RelevanceMedium, RelevanceHigh}

// WatchNote is a technology watch note (API resource "watch").
type WatchNote struct {
	ID              string         `json:"id"`
	Title           string         `json:"title" maxLength:"200"`
	Summary         string         `json:"summary" maxLength:"20000" doc:"What it is and what it could do for the business."`
	Relevance       WatchRelevance `json:"relevance" enum:"low,medium,high" doc:"How much it matters to the customers."`
	RelevanceNote   string         `json:"relevance_note" maxLength:"20000" doc:"Why it matters, and to whom."`
	Status          WatchStatus    `json:"status" enum:"noted,evaluating,proposed,adopted,rejected" doc:"noted → evaluating | proposed | rejected; evaluating → proposed | rejected | noted; proposed → adopted | rejected | evaluating; rejected → noted; adopted is final."`
	SourceURL       string         `json:"source_url" maxLength:"2000" doc:"Where it was seen (http or https)."`
	OrganisationIDs []string       `json:"organisation_ids" maxItems:"500" doc:"The customer accounts it concerns."`
	ServiceIDs      []string       `json:"service_ids" maxItems:"100" doc:"The services it concerns."`
	OwnerID         *string        `json:"owner_id" doc:"The IT user who follows it up."`

	OwnerName     string     `json:"owner_name" readOnly:"true"`
	ImprovementID *string    `json:"improvement_id" readOnly:"true" doc:"The improvement suggestion made of it."`
	CreatedByID   *string    `json:"created_by_id" readOnly:"true"`
	CreatedByName string     `json:"created_by_name" readOnly:"true"`
	Version       int        `json:"version"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	DeletedAt     *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults before validation.
func (w *WatchNote) Normalize() {
	w.Title, w.SourceURL = trim(w.Title), trim(w.SourceURL)
	w.Summary, w.RelevanceNote = strings.TrimSpace(w.Summary), strings.TrimSpace(w.RelevanceNote)
	w.OwnerID = emptyToNil(w.OwnerID)
	if w.Status == "" {
		w.Status = WatchNoted
	}
	if w.Relevance == "" {
		w.Relevance = RelevanceMedium
	}
	w.OrganisationIDs, w.ServiceIDs = uniqueIDs(w.OrganisationIDs), uniqueIDs(w.ServiceIDs)
}

// Validate checks the note's own fields; accounts, services and owner are
// checked against the store, a status change by CheckWatchTransition.
func (w *WatchNote) Validate() error {
	var v Validation
	v.RequireName("title", w.Title)
	v.Text("summary", w.Summary)
	v.Text("relevance_note", w.RelevanceNote)
	if !oneOf(w.Status, WatchStatuses) {
		v.Add("status", CodeInvalid, "watch.error.status_invalid", "must be one of noted, evaluating, proposed, adopted, rejected")
	}
	if !oneOf(w.Relevance, WatchRelevances) {
		v.Add("relevance", CodeInvalid, "watch.error.relevance_invalid", "must be one of low, medium, high")
	}
	checkWebAddress(&v, "source_url", w.SourceURL)
	if len(w.ServiceIDs) > 100 {
		v.Add("service_ids", CodeTooLong, "error.too_many", "must hold at most %d items", 100)
	}
	if len(w.OrganisationIDs) > 500 {
		v.Add("organisation_ids", CodeTooLong, "error.too_many", "must hold at most %d items", 500)
	}
	return v.Err()
}

// ImprovementFromWatch is the improvement suggestion a note becomes: its
// title, its summary as description, its relevance as expected benefit,
// its services and accounts, origin watch, owned by the note's owner.
func ImprovementFromWatch(w *WatchNote) *Improvement {
	return &Improvement{Title: w.Title, Description: w.Summary, ExpectedBenefit: w.RelevanceNote, Origin: OriginWatch,
		ServiceIDs: append([]string{}, w.ServiceIDs...), OrganisationIDs: append([]string{}, w.OrganisationIDs...),
		OwnerID: w.OwnerID}
}

// WatchFilter selects watch notes. Zero fields do not filter.
type WatchFilter struct {
	Q              string
	Status         WatchStatus
	OrganisationID string
	ServiceID      string
	OwnerID        string
	Trashed        bool
	Sort           string // name (title), created_at, updated_at, each with - for descending
	Limit          int
	Cursor         string
}

// WatchStore keeps technology watch notes.
type WatchStore interface {
	// CreateWatchNote stores w, created by the principal of ctx.
	CreateWatchNote(ctx context.Context, w *WatchNote) error
	FindWatchNoteByID(ctx context.Context, id string) (*WatchNote, error)
	FindWatchNotes(ctx context.Context, f WatchFilter) ([]*WatchNote, string, error)
	// UpdateWatchNote replaces the note's fields, its status included
	// (EINVALID for a transition the lifecycle refuses).
	UpdateWatchNote(ctx context.Context, w *WatchNote, ifVersion int) error
	DeleteWatchNote(ctx context.Context, id string, ifVersion int) error
	RestoreWatchNote(ctx context.Context, id string) (*WatchNote, error)
	// ProposeWatchNote turns the note into the improvement i (origin
	// watch, proposed by the principal of ctx), links it to the note and
	// moves the note to proposed, in one transaction. ECONFLICT when the
	// note already has an improvement; EINVALID when its status does not
	// allow a proposal.
	ProposeWatchNote(ctx context.Context, noteID string, i *Improvement) (*WatchNote, error)
}
