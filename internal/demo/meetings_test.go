package demo_test

import (
	"context"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestMeetings: the demo has held and published service reviews with
// minutes and decisions, upcoming planned meetings, a steering group, a
// budget meeting and a cancelled one; service reviews planned without an
// agenda got the built-in one in the organiser's language.
func TestMeetings(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	ms, _, err := a.Meetings(ctx, liaison.MeetingFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != res.Meetings || len(ms) < 10 {
		t.Fatalf("%d meetings, result says %d", len(ms), res.Meetings)
	}
	types, statuses := map[liaison.MeetingType]int{}, map[liaison.MeetingStatus]int{}
	published, upcoming := 0, 0
	for _, m := range ms {
		types[m.Type]++
		statuses[m.Status]++
		if m.PublishedAt != nil {
			published++
			ds, err := a.MeetingDecisions(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if m.Minutes == "" || len(ds) == 0 {
				t.Errorf("%q is published without minutes or decisions", m.Title)
			}
		}
		if m.Upcoming(a.Now()) {
			upcoming++
		}
		contacts := 0
		for _, p := range m.Participants {
			if p.PersonID != nil {
				contacts++
			}
		}
		if contacts == 0 {
			t.Errorf("%q has no customer contact", m.Title)
		}
		if m.Type == liaison.MeetingServiceReview && m.Agenda == "" {
			t.Errorf("service review %q has no agenda", m.Title)
		}
		if m.Title == "Palvelukatselmus Norrsken Suomi" && !strings.Contains(m.Agenda, "Palvelutasosopimus") {
			t.Errorf("the Finnish review's agenda is not in Finnish: %q", m.Agenda)
		}
	}
	if types[liaison.MeetingSteeringGroup] == 0 || types[liaison.MeetingBudget] == 0 || statuses[liaison.MeetingCancelled] == 0 ||
		published < 3 || upcoming < 3 {
		t.Fatalf("types %v, statuses %v, published %d, upcoming %d", types, statuses, published, upcoming)
	}
}
