package liaison_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestImprovementValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Improvement)) liaison.Improvement {
		i := liaison.Improvement{Title: " Self-service password reset ", Origin: liaison.OriginCustomer}
		for _, m := range mods {
			m(&i)
		}
		return i
	}
	for _, tc := range []struct {
		name string
		i    liaison.Improvement
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"from a complaint with its id", ok(func(i *liaison.Improvement) {
			i.Origin, i.ComplaintID = liaison.OriginComplaint, liaison.Ptr("c-1")
		}), nil},
		{"no title", ok(func(i *liaison.Improvement) { i.Title = " " }), map[string]string{"title": "required"}},
		{"long title", ok(func(i *liaison.Improvement) { i.Title = strings.Repeat("x", 201) }), map[string]string{"title": "too_long"}},
		{"long description", ok(func(i *liaison.Improvement) { i.Description = strings.Repeat("x", 20001) }), map[string]string{"description": "too_long"}},
		{"unknown origin", ok(func(i *liaison.Improvement) { i.Origin = "rumour" }), map[string]string{"origin": "invalid"}},
		{"no origin", ok(func(i *liaison.Improvement) { i.Origin = "" }), map[string]string{"origin": "invalid"}},
		{"unknown status", ok(func(i *liaison.Improvement) { i.Status = "parked" }), map[string]string{"status": "invalid"}},
		{"a complaint id with another origin", ok(func(i *liaison.Improvement) { i.ComplaintID = liaison.Ptr("c-1") }),
			map[string]string{"complaint_id": "invalid"}},
		{"done without its effect", ok(func(i *liaison.Improvement) { i.Status = liaison.ImprovementDone }),
			map[string]string{"realised_effect": "required"}},
		{"done with its effect", ok(func(i *liaison.Improvement) {
			i.Status, i.RealisedEffect = liaison.ImprovementDone, "Calls about passwords fell by 40 %"
		}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := tc.i
			i.Normalize()
			if got := fieldCodes(i.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestImprovementNormalize(t *testing.T) {
	i := liaison.Improvement{Title: " T ", ServiceIDs: []string{" a", "b", "a", ""}, OrganisationIDs: nil, OwnerID: liaison.Ptr(" ")}
	i.Normalize()
	if i.Status != liaison.ImprovementProposed || i.Title != "T" || !reflect.DeepEqual(i.ServiceIDs, []string{"a", "b"}) ||
		i.OrganisationIDs == nil || len(i.OrganisationIDs) != 0 || i.OwnerID != nil {
		t.Fatalf("normalized = %+v", i)
	}
}

func TestCheckImprovementTransition(t *testing.T) {
	for _, tc := range []struct {
		from, to liaison.ImprovementStatus
		want     string // "" when allowed, else a part of the message
	}{
		{"proposed", "approved", ""},
		{"proposed", "rejected", ""},
		{"approved", "in_progress", ""},
		{"in_progress", "done", ""},
		{"rejected", "proposed", ""},
		{"done", "in_progress", ""},
		{"done", "done", ""},
		{"proposed", "done", "cannot go from proposed to done; allowed: approved, rejected"},
		{"proposed", "in_progress", "allowed: approved, rejected"},
		{"approved", "done", "allowed: in_progress"},
		{"rejected", "approved", "allowed: proposed"},
		{"in_progress", "proposed", "allowed: done"},
	} {
		t.Run(string(tc.from)+"→"+string(tc.to), func(t *testing.T) {
			err := liaison.CheckImprovementTransition(tc.from, tc.to)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *liaison.Error
			if !errors.As(err, &e) || e.Code != liaison.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "status" ||
				e.Fields[0].Key != "improvement.error.transition" || !strings.Contains(e.Fields[0].Message, tc.want) {
				t.Fatalf("err = %#v, want a status field error containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckImprovementChange(t *testing.T) {
	owner := liaison.Ptr("u1")
	for _, tc := range []struct {
		name string
		from liaison.ImprovementStatus
		i    liaison.Improvement
		want map[string]string
	}{
		{"approve without a note", "proposed", liaison.Improvement{Status: "approved"}, nil},
		{"reject says why", "proposed", liaison.Improvement{Status: "rejected", DecisionNote: "Not in this year's budget"}, nil},
		{"reject without a note", "proposed", liaison.Improvement{Status: "rejected"}, map[string]string{"decision_note": "required"}},
		{"start with an owner", "approved", liaison.Improvement{Status: "in_progress", OwnerID: owner}, nil},
		{"start without an owner", "approved", liaison.Improvement{Status: "in_progress"}, map[string]string{"owner_id": "required"}},
		{"done with the effect", "in_progress", liaison.Improvement{Status: "done", OwnerID: owner, RealisedEffect: "Faster"}, nil},
		{"done without the effect", "in_progress", liaison.Improvement{Status: "done", OwnerID: owner}, map[string]string{"realised_effect": "required"}},
		{"reopen", "done", liaison.Improvement{Status: "in_progress", OwnerID: owner, RealisedEffect: "Faster"}, nil},
		{"skip the decision", "proposed", liaison.Improvement{Status: "done", RealisedEffect: "x"}, map[string]string{"status": "transition"}},
		{"no change needs nothing", "in_progress", liaison.Improvement{Status: "in_progress"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fieldCodes(liaison.CheckImprovementChange(tc.from, &tc.i)); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestImprovementUpdateAndRaiserValidate(t *testing.T) {
	u := liaison.ImprovementUpdate{Note: " ", On: "2026-13-01"}
	u.Normalize()
	if got, want := fieldCodes(u.Validate()), map[string]string{"note": "required", "on": "invalid"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("update fields = %v, want %v", got, want)
	}
	u = liaison.ImprovementUpdate{Note: "Pilot started", On: "2026-03-01"}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	r := liaison.ImprovementRaiser{RaisedOn: "yesterday", Note: strings.Repeat("x", 2001)}
	if got, want := fieldCodes(r.Validate()), map[string]string{"organisation_id": "required", "raised_on": "invalid", "note": "too_long"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("raiser fields = %v, want %v", got, want)
	}
	for n, want := range map[int]bool{1: false, 2: true, 3: true, 100: true, 101: false} {
		if got := liaison.CheckDemandAccounts(n) == nil; got != want {
			t.Errorf("CheckDemandAccounts(%d) accepted = %v, want %v", n, got, want)
		}
	}
	if liaison.DefaultSettings().DemandAccounts != 3 {
		t.Fatal("the default demand threshold is 3 accounts")
	}
}
