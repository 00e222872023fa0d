package liaison_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestTriggerValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Trigger)) liaison.Trigger {
		tr := liaison.Trigger{OrganisationID: " org-1 ", Kind: liaison.TriggerServiceChange, Title: " New e-mail platform "}
		for _, m := range mods {
			m(&tr)
		}
		return tr
	}
	for _, tc := range []struct {
		name string
		tr   liaison.Trigger
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"posted with an external ref and a date", ok(func(tr *liaison.Trigger) {
			tr.Source, tr.ExternalRef, tr.OccurredOn = liaison.TriggerAPI, liaison.Ptr("CHG0042"), "2026-11-30"
		}), nil},
		{"no unit", ok(func(tr *liaison.Trigger) { tr.OrganisationID = " " }), map[string]string{"organisation_id": "required"}},
		{"no title", ok(func(tr *liaison.Trigger) { tr.Title = "" }), map[string]string{"title": "required"}},
		{"long title", ok(func(tr *liaison.Trigger) { tr.Title = strings.Repeat("x", 201) }), map[string]string{"title": "too_long"}},
		{"long description", ok(func(tr *liaison.Trigger) { tr.Description = strings.Repeat("x", 20001) }), map[string]string{"description": "too_long"}},
		{"no kind", ok(func(tr *liaison.Trigger) { tr.Kind = "" }), map[string]string{"kind": "invalid"}},
		{"unknown kind", ok(func(tr *liaison.Trigger) { tr.Kind = "rumour" }), map[string]string{"kind": "invalid"}},
		{"unknown source", ok(func(tr *liaison.Trigger) { tr.Source = "email" }), map[string]string{"source": "invalid"}},
		{"bad date", ok(func(tr *liaison.Trigger) { tr.OccurredOn = "30.11.2026" }), map[string]string{"occurred_on": "invalid"}},
		{"long external ref", ok(func(tr *liaison.Trigger) { tr.ExternalRef = liaison.Ptr(strings.Repeat("r", 201)) }),
			map[string]string{"external_ref": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := tc.tr
			tr.Normalize()
			if got := fieldCodes(tr.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTriggerNormalize(t *testing.T) {
	tr := liaison.Trigger{OrganisationID: " o ", Title: " T ", Description: " d \n", ExternalRef: liaison.Ptr(" "), ServiceID: liaison.Ptr("")}
	tr.Normalize()
	if tr.OrganisationID != "o" || tr.Title != "T" || tr.Description != "d" || tr.ExternalRef != nil || tr.ServiceID != nil ||
		tr.Source != liaison.TriggerManual {
		t.Fatalf("normalized = %+v", tr)
	}
}

func TestTriggerKindMessageNamesAll(t *testing.T) {
	tr := liaison.Trigger{OrganisationID: "o", Title: "T", Kind: "x"}
	tr.Normalize()
	var e *liaison.Error
	if err := tr.Validate(); !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	msg := e.Error()
	for _, k := range liaison.TriggerKinds {
		if !strings.Contains(msg, string(k)) {
			t.Errorf("the message %q does not name %s", msg, k)
		}
	}
	if len(liaison.TriggerKinds) != 9 {
		t.Errorf("%d kinds, the process has nine", len(liaison.TriggerKinds))
	}
}

func TestAddWorkingDays(t *testing.T) {
	day := func(s string) time.Time {
		d, err := liaison.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-12-01", 0, "2026-12-01"}, // Tuesday
		{"2026-12-01", 1, "2026-12-02"},
		{"2026-12-04", 1, "2026-12-07"},  // Friday → Monday
		{"2026-12-05", 1, "2026-12-07"},  // Saturday → Monday
		{"2026-12-06", 1, "2026-12-07"},  // Sunday → Monday
		{"2026-12-01", 5, "2026-12-08"},  // a week
		{"2026-12-01", 10, "2026-12-15"}, // two weeks
		{"2026-12-30", 2, "2027-01-01"},  // across the year
		{"2028-02-28", 1, "2028-02-29"},  // leap day, a Tuesday
	} {
		if got := liaison.FormatDate(liaison.AddWorkingDays(day(tc.from), tc.n)); got != tc.want {
			t.Errorf("%s + %d working days = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	// The time of day does not matter: it is a date.
	if got := liaison.FormatDate(liaison.AddWorkingDays(time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC), 1)); got != "2026-12-07" {
		t.Errorf("late Friday + 1 = %s", got)
	}
}

func TestTriggerDueDate(t *testing.T) {
	monday, _ := liaison.ParseDate("2026-11-30")
	for _, tc := range []struct {
		kind liaison.TriggerKind
		want string
	}{
		{liaison.TriggerComplaint, "2026-12-02"},
		{liaison.TriggerCustomerMeeting, "2026-12-03"},
		{liaison.TriggerServiceChange, "2026-12-07"},
		{liaison.TriggerChangeProposal, "2026-12-07"},
		{liaison.TriggerProcessActivity, "2026-12-07"},
		{liaison.TriggerStrategicInitiative, "2026-12-14"},
		{liaison.TriggerEfficiencyOpportunity, "2026-12-14"},
		{liaison.TriggerSurveyDue, "2026-12-14"},
		{liaison.TriggerAgreementDue, "2026-12-14"},
	} {
		if got := liaison.TriggerDueDate(tc.kind, monday); got != tc.want {
			t.Errorf("%s logged on Monday 30 November: due %s, want %s", tc.kind, got, tc.want)
		}
	}
	for _, k := range liaison.TriggerKinds {
		if liaison.TriggerDueDays(k) <= 0 {
			t.Errorf("%s has no due days", k)
		}
	}
}

func TestTriggerTaskOwner(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      liaison.TriggerOwnerCandidates
		owner  string
		assign liaison.TriggerAssignment
	}{
		{"the manager", liaison.TriggerOwnerCandidates{Manager: "m", Deputy: "d", Head: "h", Reporter: "r"}, "m", liaison.AssignedManager},
		{"no manager: the deputy", liaison.TriggerOwnerCandidates{Deputy: "d", Head: "h", Reporter: "r"}, "d", liaison.AssignedDeputy},
		{"neither: the head", liaison.TriggerOwnerCandidates{Head: "h", Reporter: "r"}, "h", liaison.AssignedHead},
		{"no head: the reporter", liaison.TriggerOwnerCandidates{Reporter: "r"}, "r", liaison.AssignedReporter},
	} {
		owner, assign := liaison.TriggerTaskOwner(tc.c)
		if owner != tc.owner || assign != tc.assign {
			t.Errorf("%s: %s (%s), want %s (%s)", tc.name, owner, assign, tc.owner, tc.assign)
		}
	}
}
