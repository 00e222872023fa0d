package demo_test

import (
	"context"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestComplaints: the demo's complaints come from several channels and
// languages; three about the mail service form a recurrence cluster with
// one escalation to head; notifications went to the outbox and are logged.
func TestComplaints(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	res, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	cs, _, err := a.Complaints(ctx, liaison.ComplaintFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != res.Complaints || len(cs) < 8 {
		t.Fatalf("%d complaints, result says %d", len(cs), res.Complaints)
	}
	channels, statuses, recurring := map[liaison.ComplaintChannel]bool{}, map[liaison.ComplaintStatus]bool{}, 0
	for _, c := range cs {
		channels[c.Channel], statuses[c.Status] = true, true
		if c.Recurring {
			recurring++
		}
		if c.CoordinatorName != "Lena Pettersson" || c.AccountID == "" {
			t.Errorf("%s: coordinator %q, account %q", c.Title, c.CoordinatorName, c.AccountID)
		}
	}
	if len(channels) < 5 || !statuses[liaison.ComplaintClosed] || !statuses[liaison.ComplaintReceived] || recurring != 3 {
		t.Fatalf("channels %v, statuses %v, recurring %d", channels, statuses, recurring)
	}
	es, _, err := a.Escalations(ctx, liaison.EscalationFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	heads := 0
	for _, e := range es {
		if e.Target == liaison.TargetHead && e.Kind == "recurrence" && len(e.ComplaintIDs) == 3 {
			heads++
		}
	}
	if heads != 1 || len(es) != res.Escalations || len(es) != 2 {
		t.Fatalf("escalations %+v", es)
	}
	all, err := db.FindMail(ctx, liaison.MailFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*liaison.MailMessage // the complaints' messages: not the projects' guides, the contacts' or the announcements'
	for _, m := range all {
		if !strings.HasPrefix(m.DedupeKey, "project-guide:") && !strings.HasPrefix(m.DedupeKey, "contact:") &&
			!strings.HasPrefix(m.DedupeKey, "announcement:") {
			msgs = append(msgs, m)
		}
	}
	langs := map[liaison.Language]bool{}
	for _, m := range msgs {
		langs[m.Language] = true
	}
	if len(msgs) < 10 || !langs[liaison.Finnish] || !langs[liaison.Chinese] || !langs[liaison.Swedish] {
		t.Fatalf("%d messages in %v", len(msgs), langs)
	}
	kinds := map[liaison.CommunicationKind]int{}
	for _, c := range cs {
		comms, err := a.Communications(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range comms {
			kinds[m.Kind]++
		}
	}
	if kinds[liaison.CommNotification] != len(msgs) || kinds[liaison.CommCall] < 2 {
		t.Fatalf("communications %v for %d messages", kinds, len(msgs))
	}
	st, err := a.ComplaintStats(ctx, liaison.DateOf(a.Now()).AddDate(-1, 0, 0), liaison.DateOf(a.Now()).AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if st.InPeriod < 7 || st.Resolved < 2 || st.MedianResolveHours <= 0 || len(st.Serious) < 1 {
		t.Fatalf("stats %+v", st)
	}
}
