package liaison

import (
	"strings"
	"testing"
	"time"
)

func TestCycleDates(t *testing.T) {
	d := func(s string) time.Time { t, _ := ParseDate(s); return t }
	cases := []struct {
		name     string
		a        CycleActivity
		from, to string
		want     string
	}{
		{"yearly in the horizon", CycleActivity{Recurrence: RecurYearly, Month: 10, Day: 15}, "2026-12-02", "2027-12-02", "2027-10-15"},
		{"yearly twice across two years", CycleActivity{Recurrence: RecurYearly, Month: 3, Day: 1}, "2026-01-01", "2027-12-31", "2026-03-01 2027-03-01"},
		{"yearly on the horizon's first day", CycleActivity{Recurrence: RecurYearly, Month: 12, Day: 2}, "2026-12-02", "2027-12-01", "2026-12-02"},
		{"29 February in a common year falls on the 28th", CycleActivity{Recurrence: RecurYearly, Month: 2, Day: 29}, "2027-01-01", "2028-12-31", "2027-02-28 2028-02-29"},
		{"quarterly, first month", CycleActivity{Recurrence: RecurQuarterly, Month: 1, Day: 10}, "2027-01-01", "2027-12-31", "2027-01-10 2027-04-10 2027-07-10 2027-10-10"},
		{"quarterly, last month, day past month end", CycleActivity{Recurrence: RecurQuarterly, Month: 2, Day: 31}, "2027-01-01", "2027-12-31", "2027-02-28 2027-05-31 2027-08-31 2027-11-30"},
		{"quarterly across a year end", CycleActivity{Recurrence: RecurQuarterly, Month: 3, Day: 1}, "2026-12-02", "2027-06-30", "2027-03-01 2027-06-01"},
		{"fixed date inside", CycleActivity{Recurrence: RecurDate, OnDate: Ptr("2027-05-20")}, "2026-12-02", "2027-12-02", "2027-05-20"},
		{"fixed date past", CycleActivity{Recurrence: RecurDate, OnDate: Ptr("2026-05-20")}, "2026-12-02", "2027-12-02", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, x := range c.a.Dates(d(c.from), d(c.to)) {
				got = append(got, FormatDate(x))
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got %q, want %q", g, c.want)
			}
		})
	}
}

func TestCycleActivityValidate(t *testing.T) {
	ok := func() CycleActivity {
		return CycleActivity{Title: "Budget meeting", Kind: CycleBudgetMeeting, Recurrence: RecurYearly, Month: 9, Scope: ScopeAllAccounts}
	}
	cases := []struct {
		name  string
		edit  func(*CycleActivity)
		field string // "" when valid
		key   string
	}{
		{"valid, day defaults to 1", func(*CycleActivity) {}, "", ""},
		{"title required", func(a *CycleActivity) { a.Title = " " }, "title", "error.required"},
		{"unknown kind", func(a *CycleActivity) { a.Kind = "party" }, "kind", "cycle.error.kind_invalid"},
		{"unknown recurrence", func(a *CycleActivity) { a.Recurrence = "weekly" }, "recurrence", "cycle.error.recurrence_invalid"},
		{"month 13", func(a *CycleActivity) { a.Month = 13 }, "month", "cycle.error.month_invalid"},
		{"30 February", func(a *CycleActivity) { a.Month, a.Day = 2, 30 }, "day", "cycle.error.day_in_month"},
		{"29 February is fine", func(a *CycleActivity) { a.Month, a.Day = 2, 29 }, "", ""},
		{"31 April", func(a *CycleActivity) { a.Month, a.Day = 4, 31 }, "day", "cycle.error.day_in_month"},
		{"quarterly month 4", func(a *CycleActivity) { a.Recurrence, a.Month = RecurQuarterly, 4 }, "month", "cycle.error.quarter_month_invalid"},
		{"quarterly day 32", func(a *CycleActivity) { a.Recurrence, a.Month, a.Day = RecurQuarterly, 1, 32 }, "day", "cycle.error.day_invalid"},
		{"date without a date", func(a *CycleActivity) { a.Recurrence = RecurDate }, "on_date", "cycle.error.date_required"},
		{"date malformed", func(a *CycleActivity) { a.Recurrence, a.OnDate = RecurDate, Ptr("2027-02-30") }, "on_date", "error.date_invalid"},
		{"segment scope without segment", func(a *CycleActivity) { a.Scope = ScopeSegment }, "segment_id", "cycle.error.segment_required"},
		{"accounts scope without accounts", func(a *CycleActivity) { a.Scope = ScopeAccounts }, "organisation_ids", "cycle.error.accounts_required"},
		{"unknown scope", func(a *CycleActivity) { a.Scope = "world" }, "scope", "cycle.error.scope_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := ok()
			c.edit(&a)
			a.Normalize()
			err := a.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if a.Day < 1 {
					t.Errorf("day = %d, want a default of 1", a.Day)
				}
				return
			}
			e, isErr := err.(*Error)
			if !isErr || len(e.Fields) == 0 {
				t.Fatalf("got %v, want a field error on %s", err, c.field)
			}
			if e.Fields[0].Field != c.field || e.Fields[0].Key != c.key {
				t.Errorf("got %s/%s (%s), want %s/%s", e.Fields[0].Field, e.Fields[0].Key, e.Fields[0].Message, c.field, c.key)
			}
		})
	}
}

func TestCycleNormalizeClearsUnusedFields(t *testing.T) {
	a := CycleActivity{Title: "x", Recurrence: RecurDate, Month: 5, Day: 3, OnDate: Ptr("2027-01-01"),
		Scope: ScopeAllAccounts, SegmentID: Ptr("s"), OrganisationIDs: []string{"a"}}
	a.Normalize()
	if a.Month != 0 || a.Day != 0 || a.SegmentID != nil || len(a.OrganisationIDs) != 0 {
		t.Errorf("normalised %+v keeps fields its recurrence and scope do not use", a)
	}
	y := CycleActivity{Title: "x", Recurrence: RecurYearly, Month: 5, OnDate: Ptr("2027-01-01")}
	y.Normalize()
	if y.OnDate != nil || y.Day != 1 || y.Scope != ScopeAllAccounts || y.Kind != CycleOther {
		t.Errorf("normalised %+v: want no on_date, day 1, scope all, kind other", y)
	}
}
