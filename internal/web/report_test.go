package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var reportLeak = regexp.MustCompile(`(?:^|[\s>"(])(report\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestReportPage renders an account's report pack in every UI language and
// every pack language, refuses a bad period next to its field, serves the
// PDF, and stores a copy with a meeting for the account's writers only.
func TestReportPage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	db := e.db
	r := e.ids()
	page := "/organisations/" + r.account + "/report"
	admin := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	headings := map[liaison.Language]string{"en": "Complaints", "sv": "Klagomål", "fi": "Valitukset", "zh": "投诉"}
	for _, ui := range liaison.Languages {
		admin.setLanguage(ui)
		for _, pack := range liaison.Languages {
			p := page + "?lang=" + string(pack)
			res, body := admin.get(p)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s (%s): status %d", p, ui, res.StatusCode)
			}
			checkPage(t, p, body, ui)
			if m := reportLeak.FindStringSubmatch(body); m != nil {
				t.Errorf("%s (%s): leaked %q", p, ui, m[1])
			}
			if !strings.Contains(body, `<h2 id="h-complaints">`+headings[pack]+`</h2>`) || !strings.Contains(body, `<svg class="chart" id="chart-month"`) {
				t.Errorf("%s (%s): no complaints section in %s with its chart", p, ui, pack)
			}
		}
	}
	admin.setLanguage(liaison.English)
	// The account page links to the report.
	if _, body := admin.get("/organisations/" + r.account); !strings.Contains(body, `href="`+page+`"`) {
		t.Error("the account page has no Report link")
	}
	// A period that ends before it starts is refused next to the field.
	res, body := admin.get(page + "?from=2026-06-01&to=2026-05-01")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The end of the period must not be before its start.") {
		t.Errorf("bad period: %d", res.StatusCode)
	}
	// The PDF.
	res, body = admin.get(page + ".pdf?lang=sv&from=2026-01-01&to=2026-06-30")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "2026-06-30 sv.pdf") {
		t.Errorf("pdf: %d %s", res.StatusCode, res.Header)
	}

	// Storing the pack with a meeting of the account.
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	if _, err := sqlstoretest.Raw(t, db).Exec(`INSERT INTO meetings (id, organisation_id, type, form, title, starts_at, ends_at, status, version, created_at, updated_at)
		VALUES ('m1', $1, 'service_review', 'in_person', 'Tjänstegenomgång', $2, $2, 'held', 1, $2, $2)`, r.account, now); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"from": {"2026-01-01"}, "to": {"2026-06-30"}, "language": {"fi"}}
	manager := e.managerClient(r.manager)
	other := e.otherManagerClient(r.manager, r.account)
	if res, _ := other.post("/meetings/m1/report-pack", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("another manager stores a copy: %d", res.StatusCode)
	}
	if res, _ := manager.post("/meetings/m1/report-pack", form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/meetings/m1" {
		t.Fatalf("store: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	copies, err := db.FindReportCopies(context.Background(), "m1")
	if err != nil || len(copies) != 1 || copies[0].Language != "fi" || copies[0].OrganisationID != r.account || copies[0].Size < 1000 {
		t.Fatalf("stored copies %+v %v", copies, err)
	}
	// The meeting page lists the stored copy, named by its period and language.
	res, body = manager.get("/meetings/m1")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="report-copies"`) || !strings.Contains(body, "/api/v1/meetings/m1/report-pack/"+copies[0].ID) || !strings.Contains(body, "Suomi") {
		t.Errorf("meeting page with a stored copy: %d %s", res.StatusCode, body)
	}
}

// managerClient signs in the user with id, a demo manager.
func (e *env) managerClient(id string) *client {
	e.t.Helper()
	u, err := e.db.FindUserByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.signedIn(u.Email, demo.Password)
}

// otherManagerClient signs in a demo manager who neither manages nor
// deputises the account.
func (e *env) otherManagerClient(notID, accountID string) *client {
	e.t.Helper()
	acc, err := e.db.FindOrganisationByID(context.Background(), accountID)
	if err != nil {
		e.t.Fatal(err)
	}
	users, _, err := e.db.FindUsers(context.Background(), liaison.UserFilter{Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, u := range users {
		if u.Role == liaison.RoleManager && u.ID != notID && !acc.ManagedBy(u.ID) {
			return e.signedIn(u.Email, demo.Password)
		}
	}
	e.t.Fatal("no other demo manager")
	return nil
}
