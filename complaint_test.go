package liaison_test

import (
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestComplaintValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Complaint)) liaison.Complaint {
		c := liaison.Complaint{OrganisationID: "unit", Channel: liaison.ChannelPhone, Title: " E-posten går inte "}
		for _, m := range mods {
			m(&c)
		}
		return c
	}
	for _, tc := range []struct {
		name string
		c    liaison.Complaint
		want map[string]string
	}{
		{"minimal", ok(), nil},
		{"customer reporter", ok(func(c *liaison.Complaint) { c.ReporterPersonID = liaison.Ptr("p") }), nil},
		{"both reporters", ok(func(c *liaison.Complaint) { c.ReporterPersonID, c.ReporterUserID = liaison.Ptr("p"), liaison.Ptr("u") }),
			map[string]string{"reporter_user_id": "invalid"}},
		{"no unit", ok(func(c *liaison.Complaint) { c.OrganisationID = " " }), map[string]string{"organisation_id": "required"}},
		{"unknown channel", ok(func(c *liaison.Complaint) { c.Channel = "fax" }), map[string]string{"channel": "invalid"}},
		{"no channel", ok(func(c *liaison.Complaint) { c.Channel = "" }), map[string]string{"channel": "invalid"}},
		{"unknown class", ok(func(c *liaison.Complaint) { c.Classification = "praise" }), map[string]string{"classification": "invalid"}},
		{"service request without ticket", ok(func(c *liaison.Complaint) { c.Classification = liaison.ClassServiceRequest }),
			map[string]string{"external_ticket": "required"}},
		{"service request with ticket", ok(func(c *liaison.Complaint) {
			c.Classification, c.ExternalTicket = liaison.ClassServiceRequest, "https://sd.example/INC-4711"
		}), nil},
		{"unknown severity", ok(func(c *liaison.Complaint) { c.Severity = "critical" }), map[string]string{"severity": "invalid"}},
		{"unknown status", ok(func(c *liaison.Complaint) { c.Status = "open" }), map[string]string{"status": "invalid"}},
		{"no title", ok(func(c *liaison.Complaint) { c.Title = "  " }), map[string]string{"title": "required"}},
		{"long title", ok(func(c *liaison.Complaint) { c.Title = strings.Repeat("x", 201) }), map[string]string{"title": "too_long"}},
		{"long description", ok(func(c *liaison.Complaint) { c.Description = strings.Repeat("x", 20001) }), map[string]string{"description": "too_long"}},
		{"long category", ok(func(c *liaison.Complaint) { c.Category = strings.Repeat("x", 201) }), map[string]string{"category": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			c.Normalize()
			if got := fieldCodes(c.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
	c := ok()
	c.Normalize()
	if c.Status != liaison.ComplaintReceived || c.Classification != liaison.ClassComplaint || c.Severity != liaison.SeverityMedium || c.Title != "E-posten går inte" {
		t.Fatalf("defaults %+v", c)
	}
	if !c.Counts() {
		t.Fatal("a complaint does not count")
	}
	c.Classification = liaison.ClassServiceRequest
	if c.Counts() {
		t.Fatal("a service request counts as a complaint")
	}
}

func TestComplaintTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to liaison.ComplaintStatus
		skip     string
		want     string // "" ok, else a part of the message or the field code
	}{
		{"received", "confirmed", "", ""},
		{"received", "investigating", "", "skip_reason"},
		{"received", "investigating", "Nothing to confirm: the email was clear", ""},
		{"received", "closed", "", "allowed: confirmed, investigating"},
		{"received", "resolved", "", "allowed: confirmed, investigating"},
		{"confirmed", "investigating", "", ""},
		{"confirmed", "action", "", "allowed: investigating"},
		{"investigating", "action", "", ""},
		{"investigating", "resolved", "", ""},
		{"action", "resolved", "", ""},
		{"action", "closed", "", "allowed: resolved"},
		{"resolved", "closed", "", ""},
		{"resolved", "investigating", "", ""},
		{"closed", "investigating", "", "closed is final"},
		{"action", "action", "", ""},
	} {
		err := liaison.CheckComplaintTransition(tc.from, tc.to, tc.skip)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s → %s: %v", tc.from, tc.to, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s → %s = %v, want %q", tc.from, tc.to, err, tc.want)
		}
	}
	err := liaison.CheckComplaintTransition("received", "closed", "")
	if fc := fieldCodes(err); fc["status"] != "transition" {
		t.Fatalf("field codes %v", fc)
	}
}

func TestEscalationRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    liaison.Escalation
		want map[string]string
	}{
		{"open", liaison.Escalation{Target: liaison.TargetHead, Reason: "Recurring"}, nil},
		{"no reason", liaison.Escalation{Target: liaison.TargetHead, Reason: " "}, map[string]string{"reason": "required"}},
		{"unknown target", liaison.Escalation{Target: "board", Reason: "x"}, map[string]string{"target": "invalid"}},
		{"decided without decision", liaison.Escalation{Target: liaison.TargetSteeringGroup, Reason: "x", Status: liaison.EscalationDecided},
			map[string]string{"decision": "required"}},
		{"decided", liaison.Escalation{Target: liaison.TargetSteeringGroup, Reason: "x", Status: liaison.EscalationDecided, Decision: "Fund it"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.e
			e.Normalize()
			if got := fieldCodes(e.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
	if err := liaison.CheckEscalationTransition(liaison.EscalationClosed, liaison.EscalationOpen); err == nil {
		t.Fatal("a closed escalation reopened")
	}
	if err := liaison.CheckEscalationTransition(liaison.EscalationOpen, liaison.EscalationClosed); err != nil {
		t.Fatal(err)
	}
	if err := liaison.CheckBeyondLevel(" \n"); fieldCodes(err)["explanation"] != "required" {
		t.Fatalf("empty explanation: %v", err)
	}
	if m := liaison.Median([]float64{5, 1, 3, 10}); m != 4 {
		t.Fatalf("median = %v", m)
	}
}
