package liaison

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// The account timeline (SPEC C12): every audit entry of an account, newest
// first, in user-facing categories.

// TimelineItem is one event on an account's timeline (SPEC §4).
type TimelineItem struct {
	ID          string    `json:"id"`
	At          time.Time `json:"at"`
	Kind        string    `json:"kind" doc:"What happened: <subject_type>.<action>, e.g. complaint.create or survey_response.create."`
	Actor       string    `json:"actor"`
	ActorID     string    `json:"actor_id,omitempty" doc:"The user who made the change; empty for the system."`
	SubjectType string    `json:"subject_type"`
	SubjectID   string    `json:"subject_id"`
	Summary     string    `json:"summary"`
	Category    string    `json:"category" doc:"The user-facing group of the kind" enum:"structure,people,services,agreements,complaints,contacts,meetings,improvements,actions,surveys,plans,other"`
	// OrganisationID is the unit the subject belongs to.
	OrganisationID string `json:"organisation_id,omitempty"`
	// Link is the path of the subject's page in the web UI, "" when it has none.
	Link string `json:"link,omitempty" doc:"The path of the subject's page in the web UI."`
}

// Timeline categories: what a person filters the timeline by.
const (
	CategoryStructure    = "structure"
	CategoryPeople       = "people"
	CategoryServices     = "services"
	CategoryAgreements   = "agreements"
	CategoryComplaints   = "complaints"
	CategoryContacts     = "contacts"
	CategoryMeetings     = "meetings"
	CategoryImprovements = "improvements"
	CategoryActions      = "actions"
	CategorySurveys      = "surveys"
	CategoryPlans        = "plans"
	CategoryOther        = "other" // every subject type no category names
)

// TimelineCategories lists the categories in the order they are offered,
// each with its subject types. A new capability adds its subject types
// here; until it does, its entries show under "other". The timeline stores
// each entry's category (migration 0029): moving a subject type that
// already has entries to another category needs a migration that fills
// their category again.
var TimelineCategories = []struct {
	Name         string
	SubjectTypes []string
}{
	{CategoryStructure, []string{"organisation", "segment"}},
	{CategoryPeople, []string{"person", "role"}},
	{CategoryServices, []string{"service", "subscription", "decision", "sla_result", "supplier"}},
	{CategoryAgreements, []string{"agreement", "agreement_attachment"}},
	{CategoryComplaints, []string{"complaint", "escalation"}},
	{CategoryContacts, []string{"contact", "channel"}},
	{CategoryMeetings, []string{"meeting", "meeting_decision", "meeting_report_copy", "meeting_template"}},
	{CategoryImprovements, []string{"improvement", "improvement_update", "improvement_raiser"}},
	{CategoryActions, []string{"action", "trigger", "cycle_activity", "cycle_task"}},
	{CategorySurveys, []string{"survey", "campaign", "survey_response", "ticket_satisfaction_import"}},
	{CategoryPlans, []string{"account_plan", "account_plan_goal", "business_plan", "project", "project_member",
		"project_lesson", "watch_note"}},
	{CategoryOther, nil},
}

// TimelineCategory returns the category of a subject type.
func TimelineCategory(subjectType string) string {
	for _, c := range TimelineCategories {
		if slices.Contains(c.SubjectTypes, subjectType) {
			return c.Name
		}
	}
	return CategoryOther
}

// CategoryFilter narrows f to the named category; false for an unknown name.
func CategoryFilter(f *AuditFilter, category string) bool {
	for _, c := range TimelineCategories {
		if c.Name == category {
			f.Category = category
			return true
		}
	}
	return false
}

// CategorySubjectTypes says which subject types a category holds: those in
// in, or, for "other", every type but those in notIn.
func CategorySubjectTypes(category string) (in, notIn []string) {
	for _, c := range TimelineCategories {
		switch {
		case category == CategoryOther:
			notIn = append(notIn, c.SubjectTypes...)
		case c.Name == category:
			return c.SubjectTypes, nil
		}
	}
	return nil, notIn
}

// subjectPages says where a subject's page is: the path with {id}
// replaced by the subject's id, or by a field of its record (before or
// after) when the subject is part of another record.
var subjectPages = map[string]struct{ path, field string }{
	"organisation":         {"/organisations/{id}", ""},
	"person":               {"/people/{id}", ""},
	"role":                 {"/people/{id}", "person_id"},
	"service":              {"/services/{id}", ""},
	"subscription":         {"/organisations/{id}/services", "organisation_id"},
	"decision":             {"/organisations/{id}/services", "organisation_id"},
	"sla_result":           {"/organisations/{id}/services", "organisation_id"},
	"supplier":             {"/suppliers/{id}", ""},
	"agreement":            {"/agreements/{id}", ""},
	"agreement_attachment": {"/agreements/{id}", "agreement_id"},
	"complaint":            {"/complaints/{id}", ""},
	"escalation":           {"/escalations/{id}", ""},
	"meeting":              {"/meetings/{id}", ""},
	"meeting_decision":     {"/meetings/{id}", "meeting_id"},
	"meeting_report_copy":  {"/meetings/{id}", "meeting_id"},
	"improvement":          {"/improvements/{id}", ""},
	"improvement_update":   {"/improvements/{id}", "improvement_id"},
	"improvement_raiser":   {"/improvements/{id}", "improvement_id"},
	"action":               {"/actions/{id}", ""},
	"trigger":              {"/triggers/{id}", ""},
	"cycle_activity":       {"/cycle/activities/{id}/edit", ""},
	"cycle_task":           {"/organisations/{id}/cycle", "organisation_id"},
	"survey":               {"/surveys/{id}", ""},
	"campaign":             {"/campaigns/{id}", ""},
	"survey_response":      {"/campaigns/{id}/results", "campaign_id"},
	"contact":              {"/contacts/{id}", ""},
	"channel":              {"/organisations/{id}/contacts", "organisation_id"},
	"data_source":          {"/data-sources/{id}", ""},
	"announcement":         {"/announcements/{id}", ""},
}

// LinkFieldSubjects lists the subject types whose timeline link is read
// from a field of the record (a minute's meeting, a response's campaign):
// the only entries a brief timeline reads the JSON of.
func LinkFieldSubjects() []string {
	var types []string
	for t, p := range subjectPages {
		if p.field != "" {
			types = append(types, t)
		}
	}
	slices.Sort(types)
	return types
}

// SubjectLink returns the path of an entry's subject page, "" for none.
func SubjectLink(e *AuditEntry) string {
	p, ok := subjectPages[e.SubjectType]
	if !ok {
		return ""
	}
	id := e.LinkID
	if id == "" {
		id = LinkID(e.SubjectType, e.SubjectID, e.Before, e.After)
	}
	if id == "" {
		return ""
	}
	return strings.Replace(p.path, "{id}", id, 1)
}

// LinkID returns the id that an entry's subject page is found by: the
// subject's own id, or for a subject that is part of another record the
// field of its record (after, else before) that names that record; ""
// when the record lacks the field. The account
// timeline stores it when the entry is written (timeline_entries.link_id),
// so that reading a page of the timeline reads no record JSON.
func LinkID(subjectType, subjectID string, before, after json.RawMessage) string {
	p, ok := subjectPages[subjectType]
	if !ok || p.field == "" {
		// A subject without a page yet keeps its own id: when it gets a
		// page of its own, its old entries link to it.
		return subjectID
	}
	for _, raw := range []json.RawMessage{after, before} {
		var rec map[string]any
		if len(raw) == 0 || json.Unmarshal(raw, &rec) != nil {
			continue
		}
		if s, ok := rec[p.field].(string); ok && s != "" {
			return s
		}
	}
	return ""
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
		items[i] = TimelineItem{ID: e.ID, At: e.At, Kind: e.SubjectType + "." + e.Action, Actor: actor, ActorID: e.ActorID,
			SubjectType: e.SubjectType, SubjectID: e.SubjectID, Summary: e.Summary,
			Category: TimelineCategory(e.SubjectType), OrganisationID: e.OrganisationID, Link: SubjectLink(e)}
	}
	return items
}

// ParseKind splits a kind into its subject type and action; false when it
// is not "<subject_type>.<action>" with a known action.
func ParseKind(kind string) (subjectType, action string, ok bool) {
	subjectType, action, found := strings.Cut(kind, ".")
	if !found || subjectType == "" {
		return "", "", false
	}
	switch action {
	case ActionCreate, ActionUpdate, ActionDelete, ActionRestore:
		return subjectType, action, true
	}
	return "", "", false
}
