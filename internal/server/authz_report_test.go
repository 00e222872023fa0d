package server_test

import (
	"fmt"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// The report pack: every internal user reads an account's pack; storing it
// with a meeting is the account's writers' (admin, head, its manager).
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/organisations/{id}/report":           read,
		"POST /api/v1/meetings/{id}/report-pack":          account,
		"GET /api/v1/meetings/{id}/report-pack":           read,
		"GET /api/v1/meetings/{id}/report-pack/{copy_id}": read,
		"GET /organisations/{id}/report":                  read,
		"GET /organisations/{id}/report.pdf":              read,
		"POST /meetings/{id}/report-pack":                 account,
	} {
		matrix[k] = v
	}
}

// reportFixture is a held meeting of account A with one stored copy. The
// meeting row is written directly: the meetings store is another
// capability's.
type reportFixture struct {
	account, meeting, copy string
}

func (w *world) freshReport(n int64) reportFixture {
	id := fmt.Sprintf("m-report-%d", n)
	ts := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	_, err := w.raw.Exec(`INSERT INTO meetings (id, organisation_id, type, form, title, starts_at, ends_at, status, version, created_at, updated_at)
		VALUES ($1, $2, 'service_review', 'video', 'Review', $3, $3, 'held', 1, $3, $3)`, id, w.accA, ts)
	w.must(err)
	c := &liaison.ReportCopy{MeetingID: id, From: "2026-01-01", To: "2026-06-30", Language: "en", PDF: []byte("%PDF-1.4")}
	w.must(w.db.CreateReportCopy(w.sys, c))
	return reportFixture{account: w.accA, meeting: id, copy: c.ID}
}

// path fills the report routes: the account's report, the meeting's copies.
func (rf reportFixture) path(p string) string {
	if strings.HasSuffix(p, "/organisations/{id}/report") || strings.HasSuffix(p, "/organisations/{id}/report.pdf") {
		return strings.Replace(p, "{id}", rf.account, 1)
	}
	// Runs before the meetings fixture's path (if after, {id} is its
	// meeting of account A, which the same rights apply to).
	if strings.Contains(p, "/meetings/{id}/report-pack") {
		p = strings.Replace(p, "{id}", rf.meeting, 1)
	}
	return strings.Replace(p, "{copy_id}", rf.copy, 1)
}
