package liaison_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestTicketRatingValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.TicketRating)) liaison.TicketRating {
		r := liaison.TicketRating{Source: " TopDesk ", ExternalID: " INC-4711 ", OrganisationID: "acc", Score: 4, ClosedOn: "2026-11-03"}
		for _, m := range mods {
			m(&r)
		}
		return r
	}
	for _, tc := range []struct {
		name string
		r    liaison.TicketRating
		want map[string]string
	}{
		{"minimal", ok(), nil},
		{"by external account id", ok(func(r *liaison.TicketRating) { r.OrganisationID, r.AccountExternalID = "", "K-100" }), nil},
		{"no account", ok(func(r *liaison.TicketRating) { r.OrganisationID = " " }), map[string]string{"organisation_id": "required"}},
		{"no source", ok(func(r *liaison.TicketRating) { r.Source = "" }), map[string]string{"source": "required"}},
		{"no ticket", ok(func(r *liaison.TicketRating) { r.ExternalID = " " }), map[string]string{"external_ticket_id": "required"}},
		{"long ticket", ok(func(r *liaison.TicketRating) { r.ExternalID = strings.Repeat("x", 201) }), map[string]string{"external_ticket_id": "too_long"}},
		{"score 0 on 1-5", ok(func(r *liaison.TicketRating) { r.Score = 0 }), map[string]string{"score": "invalid"}},
		{"score 6 on 1-5", ok(func(r *liaison.TicketRating) { r.Score = 6 }), map[string]string{"score": "invalid"}},
		{"fraction on 1-5", ok(func(r *liaison.TicketRating) { r.Score = 3.5 }), map[string]string{"score": "invalid"}},
		{"0 on 0-10", ok(func(r *liaison.TicketRating) { r.Score, r.Scale = 0, liaison.Scale0to10 }), nil},
		{"11 on 0-10", ok(func(r *liaison.TicketRating) { r.Score, r.Scale = 11, liaison.Scale0to10 }), map[string]string{"score": "invalid"}},
		{"100 percent", ok(func(r *liaison.TicketRating) { r.Score, r.Scale = 100, liaison.ScalePercent }), nil},
		{"-1 percent", ok(func(r *liaison.TicketRating) { r.Score, r.Scale = -1, liaison.ScalePercent }), map[string]string{"score": "invalid"}},
		{"unknown scale", ok(func(r *liaison.TicketRating) { r.Scale = "stars" }), map[string]string{"scale": "invalid"}},
		{"no date", ok(func(r *liaison.TicketRating) { r.ClosedOn = "" }), map[string]string{"closed_on": "required"}},
		{"bad date", ok(func(r *liaison.TicketRating) { r.ClosedOn = "3.11.2026" }), map[string]string{"closed_on": "invalid"}},
		{"bad email", ok(func(r *liaison.TicketRating) { r.PersonEmail = "anna" }), map[string]string{"person_email": "invalid"}},
		{"long comment", ok(func(r *liaison.TicketRating) { r.Comment = strings.Repeat("x", 20001) }), map[string]string{"comment": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.Normalize()
			if got := fieldCodes(r.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
	r := ok()
	r.Normalize()
	if r.Source != "topdesk" || r.ExternalID != "INC-4711" || r.Scale != liaison.Scale1to5 || r.Rating != 4 {
		t.Fatalf("normalised %+v", r)
	}
	r = ok(func(r *liaison.TicketRating) { r.Score = 3.5 })
	r.Normalize()
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "whole number from 1 to 5") {
		t.Fatalf("err = %v, want the 1-5 rule explained", err)
	}
}

func TestNormaliseTicketScore(t *testing.T) {
	for _, tc := range []struct {
		score float64
		scale liaison.TicketScale
		want  float64
		ok    bool
	}{
		{1, liaison.Scale1to5, 1, true},
		{5, liaison.Scale1to5, 5, true},
		{0, liaison.Scale0to10, 1, true},
		{10, liaison.Scale0to10, 5, true},
		{7, liaison.Scale0to10, 3.8, true},
		{0, liaison.ScalePercent, 1, true},
		{75, liaison.ScalePercent, 4, true},
		{100, liaison.ScalePercent, 5, true},
		{101, liaison.ScalePercent, 0, false},
		{3, "stars", 0, false},
	} {
		got, ok := liaison.NormaliseTicketScore(tc.score, tc.scale)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormaliseTicketScore(%v, %s) = %v, %v, want %v, %v", tc.score, tc.scale, got, ok, tc.want, tc.ok)
		}
	}
	if liaison.Satisfied(3.99) || !liaison.Satisfied(4) {
		t.Fatal("CSAT counts ratings of 4 and more")
	}
}

func TestSummariseTickets(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	from, to := liaison.TicketSummaryWindow(now)
	if liaison.FormatDate(from) != "2026-01-01" || liaison.FormatDate(to) != "2026-12-31" {
		t.Fatalf("window %s..%s", from, to)
	}
	s := liaison.SummariseTickets("acc", []liaison.TicketMonthTotal{
		{Month: "2025-12", Count: 9, Sum: 9, Satisfied: 0}, // outside the window
		{Month: "2026-01", Count: 2, Sum: 9, Satisfied: 2},
		{Month: "2026-12", Count: 3, Sum: 10, Satisfied: 1},
	}, now)
	if len(s.Months) != 12 || s.Months[0].Month != "2026-01" || s.Months[11].Month != "2026-12" {
		t.Fatalf("months %+v", s.Months)
	}
	if got, want := s.Months[0], (liaison.TicketMonth{Month: "2026-01", Count: 2, Average: 4.5, CSAT: 100}); got != want {
		t.Errorf("January = %+v, want %+v", got, want)
	}
	if got, want := s.Months[5], (liaison.TicketMonth{Month: "2026-06"}); got != want {
		t.Errorf("June = %+v, want %+v", got, want)
	}
	if got, want := s.Months[11], (liaison.TicketMonth{Month: "2026-12", Count: 3, Average: 3.33, CSAT: 33.3}); got != want {
		t.Errorf("December = %+v, want %+v", got, want)
	}
	if s.Count != 5 || s.Average != 3.8 || s.CSAT != 60 {
		t.Errorf("total count %d average %v csat %v, want 5, 3.8, 60", s.Count, s.Average, s.CSAT)
	}
	empty := liaison.SummariseTickets("acc", nil, now)
	if empty.Count != 0 || empty.Average != 0 || empty.CSAT != 0 || len(empty.Months) != 12 {
		t.Fatalf("empty summary %+v", empty)
	}
}
