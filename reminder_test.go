package liaison_test

import (
	"fmt"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestAgreementReminders(t *testing.T) {
	today := time.Date(2026, 6, 1, 15, 4, 5, 0, time.FixedZone("CEST", 2*3600))
	day := func(n int) *string { return liaison.Ptr(today.AddDate(0, 0, n).Format(liaison.DateLayout)) }
	active := func(mods ...func(*liaison.Agreement)) *liaison.Agreement {
		a := &liaison.Agreement{ID: "a1", Status: liaison.StatusActive, Renewal: liaison.RenewalNone}
		for _, m := range mods {
			m(a)
		}
		return a
	}
	days := []int{90, 30, 7}
	for _, tc := range []struct {
		name string
		a    *liaison.Agreement
		days []int
		want []string // kind:stage:daysLeft
	}{
		{"ends in 30 days: the 30-day stage", active(func(a *liaison.Agreement) { a.EndDate = day(30) }), days, []string{"end:30:30"}},
		{"ends in 31 days: still the 90-day stage", active(func(a *liaison.Agreement) { a.EndDate = day(31) }), days, []string{"end:90:31"}},
		{"ends in 91 days: nothing yet", active(func(a *liaison.Agreement) { a.EndDate = day(91) }), days, nil},
		{"ends in 25 days: a missed 30-day stage goes out late", active(func(a *liaison.Agreement) { a.EndDate = day(25) }), days, []string{"end:30:25"}},
		{"ends today: the 7-day stage", active(func(a *liaison.Agreement) { a.EndDate = day(0) }), days, []string{"end:7:0"}},
		{"ended yesterday: nothing", active(func(a *liaison.Agreement) { a.EndDate = day(-1) }), days, nil},
		{"stages in any order", active(func(a *liaison.Agreement) { a.EndDate = day(6) }), []int{7, 90, 30}, []string{"end:7:6"}},
		{"no stages: off", active(func(a *liaison.Agreement) { a.EndDate = day(6) }), []int{}, nil},
		{"open-ended with a review", active(func(a *liaison.Agreement) { a.NextReviewDate = day(7) }), days, []string{"review:7:7"}},
		{"draft: nothing", &liaison.Agreement{ID: "a1", Status: liaison.StatusDraft, EndDate: day(7)}, days, nil},
		{"terminated: nothing", &liaison.Agreement{ID: "a1", Status: liaison.StatusTerminated, EndDate: day(7)}, days, nil},
		{"express renewal: no notice reminder", active(func(a *liaison.Agreement) {
			a.EndDate, a.Renewal, a.NoticeMonths = day(60), liaison.RenewalExpress, 1
		}), days, []string{"end:90:60"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, r := range liaison.AgreementReminders(tc.a, today, tc.days) {
				got = append(got, fmt.Sprintf("%s:%d:%d", r.Kind, r.Stage, r.DaysLeft))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("reminders = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTacitNoticeReminder: a tacit agreement ending 31 August with one
// month's notice must be cancelled by 31 July; on 1 July both the end
// (61 days: 90-day stage) and the notice deadline (30 days) are reminded.
func TestTacitNoticeReminder(t *testing.T) {
	a := &liaison.Agreement{ID: "t", Status: liaison.StatusActive, Renewal: liaison.RenewalTacit, RenewalMonths: 12,
		NoticeMonths: 1, EndDate: liaison.Ptr("2026-08-31")}
	got := liaison.AgreementReminders(a, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), []int{90, 30, 7})
	if len(got) != 2 || got[0].Kind != liaison.ReminderEnd || got[0].Stage != 90 ||
		got[1].Kind != liaison.ReminderNotice || got[1].Date.Format(liaison.DateLayout) != "2026-07-31" || got[1].Stage != 30 {
		t.Fatalf("reminders = %+v", got)
	}
	if k := got[1].DedupeKey("u1"); k != "reminder:agreement:t:notice:2026-07-31:30:u1" {
		t.Fatalf("dedupe key = %q", k)
	}
	// After the notice deadline passed the agreement renewed: the end
	// reminded of is the renewed term's.
	got = liaison.AgreementReminders(a, time.Date(2026, 8, 10, 0, 0, 0, 0, time.UTC), []int{90, 30, 7})
	if len(got) != 0 {
		t.Fatalf("after renewal reminders = %+v, want none (next end 2027-08-31)", got)
	}
}

func TestCheckReminderDays(t *testing.T) {
	for _, tc := range []struct {
		days []int
		ok   bool
	}{
		{[]int{90, 30, 7}, true}, {nil, true}, {[]int{}, true}, {[]int{366}, true},
		{[]int{0}, false}, {[]int{367}, false}, {[]int{30, 30}, false}, {[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, false},
	} {
		err := liaison.CheckReminderDays(tc.days)
		if (err == nil) != tc.ok {
			t.Errorf("CheckReminderDays(%v) = %v", tc.days, err)
		}
		if err != nil && liaison.ErrorCode(err) != liaison.EINVALID {
			t.Errorf("CheckReminderDays(%v) code %s", tc.days, liaison.ErrorCode(err))
		}
	}
}
