package app_test

import (
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestImportTicketRatingsCSV(t *testing.T) {
	f := setup(t)
	head := as(f.head, liaison.ScopeWrite)
	acc := *f.account
	acc.ExternalID = "K-100"
	must(t, f.a.UpdateOrganisation(as(f.admin, liaison.ScopeWrite), &acc, acc.Version))
	f.a.Now = func() time.Time { return time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC) }

	// A semicolon file from a Nordic spreadsheet, with a BOM and a decimal comma.
	file := "\ufeffTicket_ID;Account_External_ID;Score;Scale;Closed;Comment\n" +
		"INC-1;K-100;5;;2026-11-03T10:15:00Z;Snabbt\n" +
		"INC-2;K-100;7,5;0-10;2026-12-01;\n" +
		"INC-3;K-100;2;;2026-12-02;Slow\n"

	rep, err := f.a.ImportTicketRatingsCSV(head, []byte(file), "TopDesk", "", true)
	must(t, err)
	if !rep.DryRun || rep.Imported != 3 || len(rep.Rejected) != 0 {
		t.Fatalf("dry run %+v", rep)
	}
	if items, _, _ := f.a.TicketRatings(head, liaison.TicketRatingFilter{}); len(items) != 0 {
		t.Fatalf("a dry run stored %d ratings", len(items))
	}
	for range 2 { // importing the same file twice stores it once
		rep, err = f.a.ImportTicketRatingsCSV(head, []byte(file), "TopDesk", "", false)
		must(t, err)
		if rep.Imported != 3 || len(rep.Rejected) != 0 {
			t.Fatalf("import %+v", rep)
		}
	}
	items, _, err := f.a.TicketRatings(as(f.staff, liaison.ScopeRead), liaison.TicketRatingFilter{OrganisationID: f.account.ID})
	must(t, err)
	if len(items) != 3 || items[2].ClosedOn != "2026-11-03" || items[2].Source != "topdesk" || items[1].Rating != 4 {
		t.Fatalf("stored %+v", items)
	}
	s, err := f.a.TicketSummary(as(f.mgr, liaison.ScopeRead), f.account.ID)
	must(t, err)
	if s.Count != 3 || s.CSAT != 66.7 || s.Months[11].Count != 2 || s.Months[10].Count != 1 {
		t.Fatalf("summary %+v", s)
	}

	// Rejected rows name their lines and import nothing.
	bad := "ticket_id,account_external_id,score,closed_on\n" +
		"INC-9,K-100,4,2026-12-01\n" +
		"INC-10,K-999,4,2026-12-01\n" +
		"INC-11,K-100,six,2026-12-01\n" +
		"INC-12,K-100,6,2026-12-01\n" +
		"INC-13,K-100,4,1.12.2026\n"
	rep, err = f.a.ImportTicketRatingsCSV(head, []byte(bad), "topdesk", liaison.Scale1to5, false)
	must(t, err)
	got := map[int]string{}
	for _, r := range rep.Rejected {
		got[r.Line] = r.Field
	}
	if want := map[int]string{3: "account_external_id", 4: "score", 5: "score", 6: "closed_on"}; len(got) != len(want) || got[3] != want[3] || got[4] != want[4] || got[5] != want[5] || got[6] != want[6] {
		t.Fatalf("rejections %+v, want lines %v", rep.Rejected, want)
	}
	if items, _, _ := f.a.TicketRatings(head, liaison.TicketRatingFilter{}); len(items) != 3 {
		t.Fatalf("a rejected file stored ratings: %d", len(items))
	}
	// A header without the needed columns is refused at line 1.
	rep, err = f.a.ImportTicketRatingsCSV(head, []byte("id,score\n1,4\n"), "topdesk", "", false)
	must(t, err)
	if len(rep.Rejected) != 3 || rep.Rejected[0].Line != 1 {
		t.Fatalf("header check %+v", rep.Rejected)
	}

	// Only admin and head import, and never with a read-only token.
	_, err = f.a.ImportTicketRatingsCSV(as(f.mgr, liaison.ScopeWrite), []byte(file), "topdesk", "", false)
	wantCode(t, "manager imports", err, liaison.EFORBIDDEN)
	_, err = f.a.ImportTicketRatingsCSV(as(f.admin, liaison.ScopeRead), []byte(file), "topdesk", "", false)
	wantCode(t, "read-only token imports", err, liaison.EFORBIDDEN)
}

func TestImportTicketRatingsBatch(t *testing.T) {
	f := setup(t)
	admin := as(f.admin, liaison.ScopeWrite)
	rep, err := f.a.ImportTicketRatings(admin, []*liaison.TicketRating{
		{Source: "servicenow", ExternalID: "1", OrganisationID: f.account.ID, Score: 90, Scale: liaison.ScalePercent, ClosedOn: "2026-11-01"},
		{Source: "servicenow", ExternalID: "2", AccountExternalID: "nope", Score: 3, ClosedOn: "2026-11-01"},
		{Source: "servicenow", ExternalID: "3", OrganisationID: f.division.ID, Score: 3, ClosedOn: "2026-11-01"},
		{Source: "servicenow", ExternalID: "4", OrganisationID: f.account.ID, Score: 0, ClosedOn: "2026-11-01"},
	})
	must(t, err)
	if len(rep.Rejected) != 2 || rep.Rejected[0].Item != 2 || rep.Rejected[1].Item != 4 {
		t.Fatalf("first pass rejections %+v", rep.Rejected)
	}
	// Past the domain checks, the store refuses a unit that is not an account, naming the item.
	rep, err = f.a.ImportTicketRatings(admin, []*liaison.TicketRating{
		{Source: "servicenow", ExternalID: "1", OrganisationID: f.account.ID, Score: 4, ClosedOn: "2026-11-01"},
		{Source: "servicenow", ExternalID: "3", OrganisationID: f.division.ID, Score: 3, ClosedOn: "2026-11-01"},
	})
	must(t, err)
	if len(rep.Rejected) != 1 || rep.Rejected[0].Item != 2 || rep.Rejected[0].Field != "organisation_id" || rep.Created != 0 {
		t.Fatalf("store rejections %+v", rep)
	}
	rep, err = f.a.ImportTicketRatings(admin, []*liaison.TicketRating{
		{Source: "servicenow", ExternalID: "1", OrganisationID: f.account.ID, Score: 4, ClosedOn: "2026-11-01"},
	})
	must(t, err)
	if rep.Created != 1 || len(rep.Rejected) != 0 {
		t.Fatalf("batch %+v", rep)
	}
	_, err = f.a.ImportTicketRatings(admin, nil)
	wantCode(t, "empty batch", err, liaison.EINVALID)
	_, err = f.a.TicketSummary(admin, f.division.ID)
	wantCode(t, "summary of a unit outside accounts", err, liaison.ENOTFOUND)
}
