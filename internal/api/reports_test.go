package api_test

import (
	"bytes"
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// runRaw is run with a plain connection to the same database, to write
// meeting rows: the meetings API is another capability's, and the report
// only reads that table.
func runRaw(t *testing.T, fn func(t *testing.T, e *env, raw *sql.DB)) {
	t.Helper()
	run(t, func(t *testing.T, e *env) { fn(t, e, sqlstoretest.Raw(t, e.db)) })
}

func rawMeeting(t *testing.T, raw *sql.DB, id, acct string) {
	t.Helper()
	ts := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	if _, err := raw.Exec(`INSERT INTO meetings (id, organisation_id, type, form, title, starts_at, ends_at, status, version, created_at, updated_at)
		VALUES ($1, $2, 'service_review', 'video', 'Tjänstegenomgång', $3, $3, 'held', 1, $3, $3)`, id, acct, ts); err != nil {
		t.Fatal(err)
	}
}

func TestReportAPI(t *testing.T) {
	runRaw(t, func(t *testing.T, e *env, raw *sql.DB) {
		w := mkAgreementWorld(t, e)
		e.create("staff", "/api/v1/complaints", map[string]any{"organisation_id": w.acct, "service_id": w.svc,
			"reporter_person_id": w.customer, "channel": "phone", "title": "E-posten är nere", "severity": "serious"})
		path := "/api/v1/organisations/" + w.acct + "/report"

		// JSON: the sections in order, labels in the chosen language.
		r := e.req("viewer", "GET", path+"?lang=sv", nil).want(http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("content type %q", ct)
		}
		p := r.JSON()
		secs := p["sections"].([]any)
		var kinds []string
		for _, s := range secs {
			kinds = append(kinds, s.(map[string]any)["kind"].(string))
		}
		if strings.Join(kinds, ",") != "complaints,sla,improvements,actions,meetings" || p["language"] != "sv" || p["account_name"] != "Malmö stad" {
			t.Fatalf("pack %v", p)
		}
		c := secs[0].(map[string]any)
		cs := c["complaints"].(map[string]any)
		if c["title"] != "Klagomål" || cs["complaints"] != 1.0 || cs["open"] != 1.0 || len(cs["serious"].([]any)) != 1 ||
			len(cs["by_month"].([]any)) < 12 {
			t.Fatalf("complaints section %v", c)
		}
		// The period defaults to the 12 months ending today.
		if p["to"] != time.Now().UTC().Format("2006-01-02") {
			t.Errorf("default period %v–%v", p["from"], p["to"])
		}

		// PDF, the same pack: a PDF named after the account.
		r = e.req("viewer", "GET", path+"?lang=zh&format=pdf&from=2026-01-01&to=2026-12-31", nil).want(http.StatusOK)
		if r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.Body, []byte("%PDF-")) ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "2026-01-01") {
			t.Fatalf("pdf %s %q", r.Header, r.Body[:min(len(r.Body), 20)])
		}

		// Rejections name the field.
		e.req("viewer", "GET", path+"?from=2026-05-01&to=2026-04-01", nil).want(http.StatusUnprocessableEntity).fieldError("to", "invalid")
		e.req("viewer", "GET", path+"?from=2000-01-01&to=2026-04-01", nil).want(http.StatusUnprocessableEntity).fieldError("from", "invalid")
		e.req("viewer", "GET", path+"?lang=de", nil).problem(http.StatusUnprocessableEntity)
		e.req("viewer", "GET", path+"?format=docx", nil).problem(http.StatusUnprocessableEntity)
		unit := e.org(map[string]any{"name": "Skolor 2", "parent_id": w.acct})["id"].(string)
		e.req("viewer", "GET", "/api/v1/organisations/"+unit+"/report", nil).problem(http.StatusUnprocessableEntity)
		e.req("viewer", "GET", "/api/v1/organisations/nope/report", nil).problem(http.StatusNotFound)
		e.req("", "GET", path, nil).problem(http.StatusUnauthorized)
	})
}

func TestMeetingReportPackAPI(t *testing.T) {
	runRaw(t, func(t *testing.T, e *env, raw *sql.DB) {
		w := mkAgreementWorld(t, e)
		rawMeeting(t, raw, "m1", w.acct)
		path := "/api/v1/meetings/m1/report-pack"
		body := map[string]any{"from": "2026-01-01", "to": "2026-06-30", "language": "fi"}

		// Storing needs write access to the account: its manager, not another manager, staff or a read token.
		e.req("manager2", "POST", path, body).problem(http.StatusForbidden)
		e.req("staff", "POST", path, body).problem(http.StatusForbidden)
		e.req("manager", "POST", path, body, "X-Test-Scope", "read").problem(http.StatusForbidden)
		e.req("manager", "POST", path, map[string]any{"from": "2026-07-01", "to": "2026-06-30"}).want(http.StatusUnprocessableEntity).fieldError("to", "invalid")
		e.req("manager", "POST", "/api/v1/meetings/nope/report-pack", body).problem(http.StatusNotFound)

		r := e.req("manager", "POST", path, body, "Idempotency-Key", "pack-1").want(http.StatusCreated)
		c := r.JSON()
		id := c["id"].(string)
		if r.Header.Get("Location") != path+"/"+id || c["language"] != "fi" || c["organisation_id"] != w.acct ||
			c["created_by_id"] != e.users["manager"].ID || c["size"].(float64) < 1000 {
			t.Fatalf("created %s %v", r.Header.Get("Location"), c)
		}
		if again := e.req("manager", "POST", path, body, "Idempotency-Key", "pack-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried store made another copy")
		}
		e.req("head", "POST", path, map[string]any{"language": "zh"}).want(http.StatusCreated)

		list := listOf(e.req("viewer", "GET", path, nil).want(http.StatusOK))
		if len(list) != 2 || list[1]["id"] != id || list[0]["language"] != "zh" {
			t.Fatalf("copies %v", list)
		}
		d := e.req("viewer", "GET", path+"/"+id, nil).want(http.StatusOK)
		if d.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(d.Body, []byte("%PDF-")) || len(d.Body) != int(c["size"].(float64)) {
			t.Fatalf("download %s %d bytes", d.Header, len(d.Body))
		}
		e.req("viewer", "GET", path+"/nope", nil).problem(http.StatusNotFound)
		e.req("viewer", "GET", "/api/v1/meetings/nope/report-pack", nil).problem(http.StatusNotFound)
	})
}
