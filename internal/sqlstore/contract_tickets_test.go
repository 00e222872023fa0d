package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Tickets/UpsertIsIdempotent":    testTicketUpsert,
		"Tickets/RejectsBadRowsAtomic":  testTicketRejects,
		"Tickets/ListPagesByAccount":    testTicketList,
		"Tickets/MonthTotalsAndSummary": testTicketTotals,
	} {
		contract[name] = fn
	}
}

func mkTicket(acct, ext, closed string, score float64, mods ...func(*liaison.TicketRating)) *liaison.TicketRating {
	r := &liaison.TicketRating{Source: "topdesk", ExternalID: ext, OrganisationID: acct, Score: score, ClosedOn: closed}
	for _, m := range mods {
		m(r)
	}
	return r
}

func testTicketUpsert(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	batch := func() []*liaison.TicketRating {
		return []*liaison.TicketRating{
			mkTicket(f.acct.ID, "INC-1", "2026-03-01", 5, func(r *liaison.TicketRating) { r.ServiceID = &f.mail.ID; r.Comment = "Quick" }),
			mkTicket(f.acct.ID, "INC-2", "2026-03-02", 7, func(r *liaison.TicketRating) { r.Scale = liaison.Scale0to10 }),
		}
	}
	first := batch()
	res, err := db.UpsertTicketRatings(ctx, first)
	ok(t, err)
	if res != (liaison.TicketImportResult{Created: 2}) {
		t.Fatalf("first import %+v", res)
	}
	if first[0].ID == "" || first[1].Rating != 3.8 || first[0].OrganisationName != "Lunds kommun" {
		t.Fatalf("stored %+v %+v", first[0], first[1])
	}
	// The same file again changes nothing but what changed: no duplicates.
	again := batch()
	again[1].Score = 10
	res, err = db.UpsertTicketRatings(ctx, again)
	ok(t, err)
	if res != (liaison.TicketImportResult{Updated: 2}) || again[0].ID != first[0].ID || again[1].ID != first[1].ID {
		t.Fatalf("second import %+v, ids %s %s", res, again[0].ID, again[1].ID)
	}
	items, _, err := db.FindTicketRatings(ctx, liaison.TicketRatingFilter{OrganisationID: f.acct.ID})
	ok(t, err)
	if len(items) != 2 || items[0].ExternalID != "INC-2" || items[0].Rating != 5 || items[1].ServiceName != "Mail" || items[1].Comment != "Quick" {
		t.Fatalf("after re-import %+v", items)
	}
	// The same ticket id in another tool is another ticket.
	res, err = db.UpsertTicketRatings(ctx, []*liaison.TicketRating{mkTicket(f.acct.ID, "INC-1", "2026-03-03", 2, func(r *liaison.TicketRating) { r.Source = "ServiceNow" })})
	ok(t, err)
	if res.Created != 1 {
		t.Fatalf("other source %+v", res)
	}
	// One audit entry per batch, on the account's timeline.
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID})
	ok(t, err)
	n := 0
	for _, e := range entries {
		if e.SubjectType == "ticket_satisfaction_import" {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%d import audit entries, want 3 (one per batch)", n)
	}
}

func testTicketRejects(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	_, err := db.UpsertTicketRatings(ctx, []*liaison.TicketRating{
		mkTicket(f.acct.ID, "INC-1", "2026-03-01", 5),
		mkTicket(f.unit.ID, "INC-2", "2026-03-01", 5), // a unit, not an account
	})
	wantField(t, err, "row 2: organisation_id", liaison.CodeUnknown)
	_, err = db.UpsertTicketRatings(ctx, []*liaison.TicketRating{mkTicket(f.acct.ID, "INC-3", "2026-03-01", 5, func(r *liaison.TicketRating) { r.ServiceID = liaison.Ptr("nope") })})
	wantField(t, err, "row 1: service_id", liaison.CodeUnknown)
	_, err = db.UpsertTicketRatings(ctx, []*liaison.TicketRating{mkTicket(f.acct.ID, "INC-4", "2026-03-01", 9)})
	wantField(t, err, "row 1: score", liaison.CodeInvalid)
	_, err = db.UpsertTicketRatings(ctx, []*liaison.TicketRating{mkTicket(f.acct.ID, "INC-5", "2026-03-01", 4), mkTicket(f.acct.ID, "INC-5", "2026-03-02", 3)})
	wantField(t, err, "row 2: external_ticket_id", liaison.CodeInvalid)
	_, err = db.UpsertTicketRatings(ctx, []*liaison.TicketRating{mkTicket("", "INC-6", "2026-03-01", 4, func(r *liaison.TicketRating) { r.AccountExternalID = "K-1" })})
	wantField(t, err, "row 1: organisation_id", liaison.CodeRequired)
	// Nothing of a refused batch is stored.
	items, _, err := db.FindTicketRatings(ctx, liaison.TicketRatingFilter{})
	ok(t, err)
	if len(items) != 0 {
		t.Fatalf("a refused batch stored %d ratings", len(items))
	}
}

func testTicketList(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	other := mkUnit(t, db, "Malmö stad", nil, account)
	var batch []*liaison.TicketRating
	for i := range 7 {
		batch = append(batch, mkTicket(f.acct.ID, fmt.Sprintf("INC-%d", i), fmt.Sprintf("2026-02-%02d", 1+i%3), 4))
	}
	batch = append(batch, mkTicket(other.ID, "INC-X", "2026-02-01", 1))
	_, err := db.UpsertTicketRatings(ctx, batch)
	ok(t, err)
	var got []string
	cursor := ""
	for {
		items, next, err := db.FindTicketRatings(ctx, liaison.TicketRatingFilter{OrganisationID: f.acct.ID, Limit: 3, Cursor: cursor})
		ok(t, err)
		for i, r := range items {
			if r.OrganisationID != f.acct.ID {
				t.Fatalf("another account's rating %+v", r)
			}
			if i > 0 && items[i-1].ClosedOn < r.ClosedOn {
				t.Fatalf("not newest first: %s before %s", items[i-1].ClosedOn, r.ClosedOn)
			}
			got = append(got, r.ExternalID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(got) != 7 {
		t.Fatalf("paged %d ratings %v, want 7", len(got), got)
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("%s twice in %v", id, got)
		}
		seen[id] = true
	}
	_, _, err = db.FindTicketRatings(ctx, liaison.TicketRatingFilter{Cursor: "garbage"})
	wantCode(t, err, liaison.EBADREQUEST)
}

func testTicketTotals(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	other := mkUnit(t, db, "Malmö stad", nil, account)
	_, err := db.UpsertTicketRatings(ctx, []*liaison.TicketRating{
		mkTicket(f.acct.ID, "A", "2025-02-28", 1), // before the window
		mkTicket(f.acct.ID, "B", "2025-03-01", 5),
		mkTicket(f.acct.ID, "C", "2025-03-31", 2),
		mkTicket(f.acct.ID, "D", "2026-02-10", 100, func(r *liaison.TicketRating) { r.Scale = liaison.ScalePercent }),
		mkTicket(f.acct.ID, "E", "2026-02-11", 3),
		mkTicket(f.acct.ID, "F", "2026-02-12", 4),
		mkTicket(other.ID, "G", "2026-02-12", 1),
	})
	ok(t, err)
	now := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	from, to := liaison.TicketSummaryWindow(now)
	totals, err := db.TicketMonthTotals(ctx, f.acct.ID, from, to)
	ok(t, err)
	want := []liaison.TicketMonthTotal{{Month: "2025-03", Count: 2, Sum: 7, Satisfied: 1}, {Month: "2026-02", Count: 3, Sum: 12, Satisfied: 2}}
	if fmt.Sprint(totals) != fmt.Sprint(want) {
		t.Fatalf("totals %+v, want %+v", totals, want)
	}
	s := liaison.SummariseTickets(f.acct.ID, totals, now)
	if s.Count != 5 || s.Average != 3.8 || s.CSAT != 60 || s.Months[0].Month != "2025-03" || s.Months[0].Count != 2 || s.Months[11].CSAT != 66.7 {
		t.Fatalf("summary %+v", s)
	}
}
