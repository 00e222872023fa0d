package liaison

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestParseKind(t *testing.T) {
	for _, c := range []struct {
		kind, st, action string
		ok               bool
	}{
		{"complaint.create", "complaint", ActionCreate, true},
		{"survey_response.create", "survey_response", ActionCreate, true},
		{"person.restore", "person", ActionRestore, true},
		{"person", "", "", false},
		{"person.eat", "", "", false},
		{".create", "", "", false},
		{"", "", "", false},
	} {
		st, action, ok := ParseKind(c.kind)
		if st != c.st || action != c.action || ok != c.ok {
			t.Errorf("ParseKind(%q) = %q, %q, %v", c.kind, st, action, ok)
		}
	}
}

func TestTimelineCategories(t *testing.T) {
	for st, want := range map[string]string{
		"organisation": CategoryStructure, "role": CategoryPeople, "complaint": CategoryComplaints, "escalation": CategoryComplaints,
		"meeting_decision": CategoryMeetings, "survey_response": CategorySurveys, "trigger": CategoryActions,
		"project": CategoryPlans, "brand_new_thing": CategoryOther,
	} {
		if got := TimelineCategory(st); got != want {
			t.Errorf("category of %s = %s, want %s", st, got, want)
		}
	}
	// No subject type is in two categories, and every category has a name.
	seen := map[string]string{}
	for _, c := range TimelineCategories {
		for _, st := range c.SubjectTypes {
			if prev, dup := seen[st]; dup {
				t.Errorf("%s in %s and %s", st, prev, c.Name)
			}
			seen[st] = c.Name
		}
	}
	var people AuditFilter
	if !CategoryFilter(&people, CategoryPeople) || people.Category != CategoryPeople {
		t.Errorf("people filter = %+v", people)
	}
	if in, notIn := CategorySubjectTypes(CategoryPeople); !slices.Equal(in, []string{"person", "role"}) || len(notIn) > 0 {
		t.Errorf("people = %v, not %v", in, notIn)
	}
	if in, notIn := CategorySubjectTypes(CategoryOther); len(in) > 0 || len(notIn) != len(seen) {
		t.Errorf("other = %v, not %v", in, notIn)
	}
	var bad AuditFilter
	if CategoryFilter(&bad, "gossip") || bad.Category != "" {
		t.Errorf("an unknown category filters: %+v", bad)
	}
}

func TestTimelineItemsAndLinks(t *testing.T) {
	raw := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	entries := []*AuditEntry{
		{ID: "1", At: at, ActorID: "u1", ActorName: "Åsa", Action: ActionCreate, SubjectType: "person", SubjectID: "p1", OrganisationID: "o1"},
		{ID: "2", At: at, Action: ActionCreate, SubjectType: "survey_response", SubjectID: "r1", Summary: "Pulse",
			After: raw(map[string]any{"id": "r1", "campaign_id": "c1"})},
		{ID: "3", At: at, Action: ActionDelete, SubjectType: "role", SubjectID: "r2", Before: raw(map[string]any{"person_id": "p9"})},
		{ID: "4", At: at, Action: ActionUpdate, SubjectType: "meeting_decision", SubjectID: "d1"},
		{ID: "5", At: at, Action: ActionUpdate, SubjectType: "watch_thing", SubjectID: "w1"},
	}
	items := Timeline(entries)
	for i, want := range []struct{ kind, actor, category, link string }{
		{"person.create", "Åsa", CategoryPeople, "/people/p1"},
		{"survey_response.create", "system", CategorySurveys, "/campaigns/c1/results"},
		{"role.delete", "system", CategoryPeople, "/people/p9"},
		{"meeting_decision.update", "system", CategoryMeetings, ""}, // no meeting_id in the record
		{"watch_thing.update", "system", CategoryOther, ""},
	} {
		it := items[i]
		if it.Kind != want.kind || it.Actor != want.actor || it.Category != want.category || it.Link != want.link {
			t.Errorf("item %d = %+v, want %+v", i, it, want)
		}
	}
	if items[0].ActorID != "u1" || items[0].OrganisationID != "o1" {
		t.Errorf("item 0 = %+v", items[0])
	}
}
