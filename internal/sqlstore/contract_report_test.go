package sqlstore_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	contract["Report/DataOfAccountAndPeriod"] = testReportData
	contract["Report/CopiesWithMeeting"] = testReportCopies
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// mkMeeting writes a meeting row directly: the meetings store is another
// capability's; the report only reads the table.
func mkMeeting(t *testing.T, db *sqlstore.DB, id string, acct *liaison.Organisation, typ, status, startsAt string, trashed bool) {
	t.Helper()
	now := sqlstore.TimeArg(db, time.Now())
	var deleted any
	if trashed {
		deleted = now
	}
	ok(t, sqlstore.ExecRaw(ctx, db, `INSERT INTO meetings (id, organisation_id, type, form, title, starts_at, ends_at, status, version, created_at, updated_at, deleted_at)
		VALUES ($1, $2, $3, 'in_person', $4, $5, $5, $6, 1, $7, $7, $8)`, id, acct.ID, typ, "Möte "+id, sqlstore.TimeArg(db, at(startsAt)), status, now, deleted))
}

func mkAction(t *testing.T, db *sqlstore.DB, id string, acct *liaison.Organisation, owner *liaison.User, status string, due any) {
	t.Helper()
	now := sqlstore.TimeArg(db, time.Now())
	ok(t, sqlstore.ExecRaw(ctx, db, `INSERT INTO actions (id, title, organisation_id, owner_id, due_date, status, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)`, id, "Åtgärd "+id, acct.ID, owner.ID, due, status, now))
}

func testReportData(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	other := mkUnit(t, db, "Malmö stad", nil, account)
	owner := mkUser(t, db, "Otto Owner")
	// Complaints: two in the period under the account (one on a sub-unit),
	// one before it, one of another account.
	in1 := mkComplaint(t, db, f, "Skrivaren", func(c *liaison.Complaint) { c.ServiceID = &f.print.ID; c.ReceivedAt = at("2026-02-10T09:00:00Z") })
	mkComplaint(t, db, f, "Förslag", func(c *liaison.Complaint) {
		c.OrganisationID, c.Classification, c.ReceivedAt = f.acct.ID, liaison.ClassSuggestion, at("2026-06-30T23:59:00Z")
	})
	mkComplaint(t, db, f, "Gammalt", func(c *liaison.Complaint) { c.ReceivedAt = at("2025-12-31T23:59:00Z") })
	mkComplaint(t, db, f, "Annan kund", func(c *liaison.Complaint) { c.OrganisationID, c.ReceivedAt = other.ID, at("2026-03-01T00:00:00Z") })
	// SLA: results of the account's agreement, in and out of the months.
	ag := mkAgreement(t, db, f, f.acct, "Avtal")
	for _, r := range []*liaison.SLAResult{
		{AgreementID: ag.ID, ServiceID: f.mail.ID, Period: "2026-01", Metric: liaison.MetricAvailability, Target: 99.5, Actual: 98},
		{AgreementID: ag.ID, ServiceID: f.mail.ID, Period: "2026-06", Metric: liaison.MetricAvailability, Target: 99.5, Actual: 99.9},
		{AgreementID: ag.ID, ServiceID: f.mail.ID, Period: "2026-07", Metric: liaison.MetricAvailability, Target: 99.5, Actual: 90},
	} {
		ok(t, db.CreateSLAResult(ctx, r))
	}
	// Improvements: one naming the account as affected, one raised by it, one of another account.
	affected := &liaison.Improvement{Title: "Bättre skrivare", Origin: liaison.OriginComplaint, OrganisationIDs: []string{f.acct.ID}}
	ok(t, db.CreateImprovement(ctx, affected))
	raised := &liaison.Improvement{Title: "Självservice", Origin: liaison.OriginCustomer}
	ok(t, db.CreateImprovement(ctx, raised))
	ok(t, db.AddImprovementRaiser(ctx, &liaison.ImprovementRaiser{ImprovementID: raised.ID, OrganisationID: f.acct.ID, RaisedOn: "2026-01-05"}))
	ok(t, db.CreateImprovement(ctx, &liaison.Improvement{Title: "Annat", Origin: liaison.OriginManager, OrganisationIDs: []string{other.ID}}))
	// Actions: open ones of the account (dated and not), a done one, another account's.
	mkAction(t, db, "a1", f.acct, owner, "open", "2026-08-01")
	mkAction(t, db, "a2", f.acct, owner, "open", nil)
	mkAction(t, db, "a3", f.acct, owner, "open", "2026-05-01")
	mkAction(t, db, "a4", f.acct, owner, "done", "2026-05-01")
	mkAction(t, db, "a5", other, owner, "open", "2026-05-01")
	// Meetings: held in the period, planned, trashed, after it.
	mkMeeting(t, db, "m1", f.acct, "service_review", "held", "2026-03-01T10:00:00Z", false)
	mkMeeting(t, db, "m2", f.acct, "planning", "planned", "2026-04-01T10:00:00Z", false)
	mkMeeting(t, db, "m3", f.acct, "budget", "held", "2026-04-02T10:00:00Z", true)
	mkMeeting(t, db, "m4", f.acct, "budget", "held", "2026-07-01T00:00:00Z", false)

	d, err := db.ReportData(ctx, f.acct.ID, at("2026-01-01T00:00:00Z"), at("2026-07-01T00:00:00Z"))
	ok(t, err)
	if d.Account.ID != f.acct.ID || len(d.Complaints) != 2 || d.Complaints[0].ID != in1.ID || d.Complaints[0].ServiceName != "Print" {
		t.Errorf("complaints %+v", d.Complaints)
	}
	if len(d.SLA) != 2 || d.SLA[0].Period != "2026-01" || !d.SLA[0].Breached || d.SLA[1].Breached || d.SLA[0].ServiceName != "Mail" {
		t.Errorf("sla %+v", d.SLA)
	}
	if len(d.Improvements) != 2 {
		t.Errorf("improvements %+v", d.Improvements)
	}
	if len(d.Actions) != 3 || d.Actions[0].ID != "a3" || d.Actions[1].ID != "a1" || d.Actions[2].ID != "a2" ||
		d.Actions[0].OwnerName != "Otto Owner" || d.Actions[2].DueDate != "" {
		t.Errorf("actions %+v", d.Actions)
	}
	if len(d.Meetings) != 1 || d.Meetings[0].ID != "m1" || d.Meetings[0].Type != "service_review" ||
		!d.Meetings[0].StartsAt.Equal(at("2026-03-01T10:00:00Z")) {
		t.Errorf("meetings %+v", d.Meetings)
	}
	if _, err := db.ReportData(ctx, "nope", at("2026-01-01T00:00:00Z"), at("2026-07-01T00:00:00Z")); liaison.ErrorCode(err) != liaison.ENOTFOUND {
		t.Errorf("unknown account: %v", err)
	}
}

func testReportCopies(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	u := mkUser(t, db, "Maja Manager")
	uctx := liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite})
	mkMeeting(t, db, "m1", f.acct, "service_review", "held", "2026-03-01T10:00:00Z", false)
	mkMeeting(t, db, "gone", f.acct, "service_review", "held", "2026-03-01T10:00:00Z", true)

	m, err := db.FindReportMeeting(ctx, "m1")
	ok(t, err)
	if m.OrganisationID != f.acct.ID || m.Title != "Möte m1" {
		t.Errorf("meeting %+v", m)
	}
	if _, err := db.FindReportMeeting(ctx, "gone"); liaison.ErrorCode(err) != liaison.ENOTFOUND {
		t.Errorf("trashed meeting: %v", err)
	}
	pdf := []byte("%PDF-1.4 test")
	c := &liaison.ReportCopy{MeetingID: "m1", From: "2026-01-01", To: "2026-06-30", Language: "sv", PDF: pdf}
	ok(t, db.CreateReportCopy(uctx, c))
	if c.ID == "" || c.OrganisationID != f.acct.ID || c.Size != len(pdf) || c.CreatedByID != u.ID || c.CreatedAt.IsZero() {
		t.Errorf("created %+v", c)
	}
	second := &liaison.ReportCopy{MeetingID: "m1", From: "2026-01-01", To: "2026-06-30", Language: "zh", PDF: []byte("%PDF-2")}
	ok(t, db.CreateReportCopy(uctx, second))
	if err := db.CreateReportCopy(uctx, &liaison.ReportCopy{MeetingID: "gone", PDF: pdf}); liaison.ErrorCode(err) != liaison.ENOTFOUND {
		t.Errorf("copy on a trashed meeting: %v", err)
	}
	list, err := db.FindReportCopies(ctx, "m1")
	ok(t, err)
	if len(list) != 2 || list[0].ID != second.ID || list[1].Size != len(pdf) || list[1].PDF != nil || list[1].CreatedByName != "Maja Manager" {
		t.Errorf("copies %+v", list)
	}
	got, err := db.FindReportCopy(ctx, "m1", c.ID)
	ok(t, err)
	if !bytes.Equal(got.PDF, pdf) || got.Language != "sv" || got.From != "2026-01-01" {
		t.Errorf("copy %+v", got)
	}
	if _, err := db.FindReportCopy(ctx, "gone", c.ID); liaison.ErrorCode(err) != liaison.ENOTFOUND {
		t.Errorf("copy through another meeting: %v", err)
	}
	// Storing a copy is audited against the account.
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID, Limit: 50})
	ok(t, err)
	found := false
	for _, e := range entries {
		found = found || (e.SubjectID == c.ID && e.ActorID == u.ID)
	}
	if !found {
		t.Error("no audit entry for the stored copy")
	}
}
