package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// The demo's data map answers the five questions with something to see in
// each, and its contacts cover the lifecycle.
func TestDataMapAndContacts(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	if _, err := demo.Load(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	m, err := a.DataMap(ctx, a.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sources) < 5 || len(m.StaleSources) < 2 || len(m.Unmaintained) < 1 || len(m.NeedsByUnit) < 4 ||
		len(m.UnknownNeeds) < 1 || len(m.Unexplained) < 1 || len(m.ManualFlows) < 1 {
		t.Fatalf("data map: %d sources, %d stale, %d unmaintained, %d units, %d unknown, %d unexplained, %d manual",
			len(m.Sources), len(m.StaleSources), len(m.Unmaintained), len(m.NeedsByUnit), len(m.UnknownNeeds), len(m.Unexplained), len(m.ManualFlows))
	}
	contacts, _, err := a.Contacts(ctx, liaison.ContactFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[liaison.ContactStatus]int{}
	for _, c := range contacts {
		statuses[c.Status]++
	}
	for _, s := range liaison.ContactStatuses {
		if statuses[s] == 0 {
			t.Errorf("no demo contact is %s: %v", s, statuses)
		}
	}
	pub, _, err := a.Announcements(ctx, liaison.AnnouncementFilter{Status: liaison.AnnouncementPublished})
	if err != nil || len(pub) != 1 || pub[0].Recipients == 0 {
		t.Fatalf("published announcements %v (%v)", pub, err)
	}
}
