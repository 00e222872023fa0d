package liaison_test

import (
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestServiceDecisionValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.ServiceDecision)) liaison.ServiceDecision {
		d := liaison.ServiceDecision{OrganisationID: "acct", ServiceID: "svc", Kind: liaison.DecisionNewService,
			Summary: " Take the lab system ", DecidedByPersonID: "karin", DecidedOn: "2026-03-01"}
		for _, m := range mods {
			m(&d)
		}
		return d
	}
	for _, tc := range []struct {
		name string
		d    liaison.ServiceDecision
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"prepared with an orderer", ok(func(d *liaison.ServiceDecision) { d.PreparedWithID = liaison.Ptr("olle") }), nil},
		{"no account", ok(func(d *liaison.ServiceDecision) { d.OrganisationID = " " }), map[string]string{"organisation_id": "required"}},
		{"no service", ok(func(d *liaison.ServiceDecision) { d.ServiceID = "" }), map[string]string{"service_id": "required"}},
		{"unknown kind", ok(func(d *liaison.ServiceDecision) { d.Kind = "renewal" }), map[string]string{"kind": "invalid"}},
		{"no kind", ok(func(d *liaison.ServiceDecision) { d.Kind = "" }), map[string]string{"kind": "invalid"}},
		{"no summary", ok(func(d *liaison.ServiceDecision) { d.Summary = "  " }), map[string]string{"summary": "required"}},
		{"long summary", ok(func(d *liaison.ServiceDecision) { d.Summary = strings.Repeat("x", 201) }), map[string]string{"summary": "too_long"}},
		{"long notes", ok(func(d *liaison.ServiceDecision) { d.Notes = strings.Repeat("x", 20001) }), map[string]string{"notes": "too_long"}},
		{"no decider", ok(func(d *liaison.ServiceDecision) { d.DecidedByPersonID = "" }), map[string]string{"decided_by_person_id": "required"}},
		{"no date", ok(func(d *liaison.ServiceDecision) { d.DecidedOn = "" }), map[string]string{"decided_on": "required"}},
		{"bad date", ok(func(d *liaison.ServiceDecision) { d.DecidedOn = "2026-02-30" }), map[string]string{"decided_on": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d
			d.Normalize()
			if got := fieldCodes(d.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckDecider(t *testing.T) {
	karin := &liaison.Person{ID: "karin", Name: "Karin Berg"}
	for _, tc := range []struct {
		name     string
		decider  string
		customer *liaison.Person
		want     string // "" when accepted, else a part of the message
	}{
		{"the customer decides", "karin", karin, ""},
		{"an orderer is refused, naming the customer", "olle", karin, "only the account's customer, Karin Berg, can decide"},
		{"no customer named", "olle", nil, "has no customer named"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := liaison.CheckDecider(&liaison.ServiceDecision{DecidedByPersonID: tc.decider}, tc.customer)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := fieldCodes(err); got["decided_by_person_id"] != "not_customer" || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (%v), want %q", err, got, tc.want)
			}
		})
	}
}

func TestCheckDecisionService(t *testing.T) {
	special := &liaison.Service{ID: "lab", Name: "Lab systems", CustomerSpecific: true}
	common := &liaison.Service{ID: "mail", Name: "E-mail"}
	for _, tc := range []struct {
		name   string
		svc    *liaison.Service
		before *liaison.ServiceDecision
		ok     bool
	}{
		{"customer-specific", special, nil, true},
		{"common service refused", common, nil, false},
		{"kept after the service stopped being customer-specific", common, &liaison.ServiceDecision{ServiceID: "mail"}, true},
		{"moved to a common service refused", common, &liaison.ServiceDecision{ServiceID: "lab"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := liaison.CheckDecisionService(&liaison.ServiceDecision{ServiceID: tc.svc.ID}, tc.svc, tc.before)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "E-mail is not customer-specific") {
				t.Fatalf("message %q does not name the service", err)
			}
		})
	}
}
