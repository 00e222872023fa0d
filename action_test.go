package liaison_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestActionValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Action)) liaison.Action {
		a := liaison.Action{Title: " Send the SLA report ", OwnerID: "u-1", DueDate: liaison.Ptr("2026-03-31")}
		for _, m := range mods {
			m(&a)
		}
		return a
	}
	for _, tc := range []struct {
		name string
		a    liaison.Action
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"no due date", ok(func(a *liaison.Action) { a.DueDate = liaison.Ptr(" ") }), nil},
		{"no title", ok(func(a *liaison.Action) { a.Title = "" }), map[string]string{"title": "required"}},
		{"long title", ok(func(a *liaison.Action) { a.Title = strings.Repeat("x", 201) }), map[string]string{"title": "too_long"}},
		{"long description", ok(func(a *liaison.Action) { a.Description = strings.Repeat("x", 20001) }), map[string]string{"description": "too_long"}},
		{"no owner", ok(func(a *liaison.Action) { a.OwnerID = " " }), map[string]string{"owner_id": "required"}},
		{"bad due date", ok(func(a *liaison.Action) { a.DueDate = liaison.Ptr("31.3.2026") }), map[string]string{"due_date": "invalid"}},
		{"impossible due date", ok(func(a *liaison.Action) { a.DueDate = liaison.Ptr("2026-02-30") }), map[string]string{"due_date": "invalid"}},
		{"unknown status", ok(func(a *liaison.Action) { a.Status = "parked" }), map[string]string{"status": "invalid"}},
		{"long meeting id", ok(func(a *liaison.Action) { a.MeetingID = liaison.Ptr(strings.Repeat("m", 201)) }), map[string]string{"meeting_id": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Normalize()
			if got := fieldCodes(a.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestActionNormalize(t *testing.T) {
	a := liaison.Action{Title: " T ", OwnerID: " u ", OrganisationID: liaison.Ptr(""), MeetingID: liaison.Ptr(" "), DueDate: liaison.Ptr("")}
	a.Normalize()
	if a.Status != liaison.ActionOpen || a.Title != "T" || a.OwnerID != "u" || a.OrganisationID != nil || a.MeetingID != nil || a.DueDate != nil {
		t.Fatalf("normalized = %+v", a)
	}
}

func TestCheckActionTransition(t *testing.T) {
	for _, tc := range []struct {
		from, to liaison.ActionStatus
		want     string // "" when allowed, else a part of the message
	}{
		{"open", "done", ""},
		{"open", "cancelled", ""},
		{"done", "open", ""},
		{"cancelled", "open", ""},
		{"done", "done", ""},
		{"done", "cancelled", "an action cannot go from done to cancelled; allowed: open"},
		{"cancelled", "done", "cannot go from cancelled to done; allowed: open"},
	} {
		t.Run(string(tc.from)+"→"+string(tc.to), func(t *testing.T) {
			err := liaison.CheckActionTransition(tc.from, tc.to)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, _ := err.(*liaison.Error)
			if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "status" || e.Fields[0].Code != "transition" ||
				!strings.Contains(e.Fields[0].Message, tc.want) || liaison.ErrorCode(err) != liaison.EINVALID {
				t.Fatalf("err = %#v, want a status transition error containing %q", err, tc.want)
			}
		})
	}
}

func TestActionOverdue(t *testing.T) {
	today := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		status liaison.ActionStatus
		due    string
		want   bool
	}{
		{"open", "2026-03-09", true},
		{"open", "2026-03-10", false}, // due today is not late yet
		{"open", "2026-03-11", false},
		{"open", "", false},
		{"done", "2026-01-01", false},
		{"cancelled", "2026-01-01", false},
	} {
		a := liaison.Action{Status: tc.status, DueDate: liaison.Ptr(tc.due)}
		a.Normalize()
		if got := a.Overdue(today); got != tc.want {
			t.Errorf("%s due %q: overdue = %v, want %v", tc.status, tc.due, got, tc.want)
		}
	}
}

func TestReviewCadence(t *testing.T) {
	d := func(s string) *time.Time {
		t, err := liaison.ParseDate(s)
		if err != nil {
			panic(err)
		}
		return &t
	}
	today := time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		last     *time.Time
		interval int
		want     liaison.ReviewState
		due      string // "" for none
	}{
		{"never reviewed", nil, 12, liaison.ReviewOverdue, ""},
		{"a year and a day ago", d("2025-06-14"), 12, liaison.ReviewOverdue, "2026-06-14"},
		{"due today", d("2025-06-15"), 12, liaison.ReviewDueSoon, "2026-06-15"},
		{"due in 30 days", d("2025-07-15"), 12, liaison.ReviewDueSoon, "2026-07-15"},
		{"due in 31 days", d("2025-07-16"), 12, liaison.ReviewOK, "2026-07-16"},
		{"recent", d("2026-05-01"), 12, liaison.ReviewOK, "2027-05-01"},
		{"a six-month interval passed", d("2025-12-01"), 6, liaison.ReviewOverdue, "2026-06-01"},
		{"month end clamps", d("2025-08-31"), 6, liaison.ReviewOverdue, "2026-02-28"},
		{"a review in the future counts as recent", d("2026-07-01"), 1, liaison.ReviewOK, "2026-08-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, due := liaison.ReviewCadence(tc.last, tc.interval, today)
			got := ""
			if due != nil {
				got = liaison.FormatDate(*due)
			}
			if state != tc.want || got != tc.due {
				t.Fatalf("= %s due %q, want %s due %q", state, got, tc.want, tc.due)
			}
		})
	}
}

func TestReviewDueApply(t *testing.T) {
	today := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	r := liaison.ReviewDue{LastReview: liaison.Ptr("2025-06-05"), IntervalMonths: 12}
	r.Apply(today)
	if r.State != liaison.ReviewOverdue || r.DueDate == nil || *r.DueDate != "2026-06-05" || r.OverdueDays != 10 {
		t.Fatalf("applied = %+v", r)
	}
	r = liaison.ReviewDue{IntervalMonths: 12}
	r.Apply(today)
	if r.State != liaison.ReviewOverdue || r.DueDate != nil || r.OverdueDays != 0 {
		t.Fatalf("never reviewed = %+v", r)
	}
}

func TestCheckServiceReviewMonths(t *testing.T) {
	for months, want := range map[int]bool{0: false, 1: true, 12: true, 36: true, 37: false, -1: false} {
		var v liaison.Validation
		liaison.CheckServiceReviewMonths(&v, months)
		if (v.Err() == nil) != want {
			t.Errorf("%d months: err = %v", months, v.Err())
		}
	}
}
