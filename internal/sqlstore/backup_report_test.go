package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillReportCopies gives meeting_report_copies a row for the backup round
// trip: a PDF (binary, with NUL and high bytes) stored with a meeting of
// the account. The meeting row is written directly; the meetings helper's
// fill adds meetings of its own.
func fillReportCopies(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation) {
	t.Helper()
	mkMeeting(t, db, "m-report-pack", acct, "service_review", "held", "2026-03-01T10:00:00Z", false)
	ok(t, db.CreateReportCopy(actx, &liaison.ReportCopy{MeetingID: "m-report-pack", From: "2025-03-01", To: "2026-02-28",
		Language: "zh", PDF: []byte("%PDF-1.4\n\x00\xff\xfe 客户报告 %%EOF")}))
}
