package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

// newEnvAt is newEnv with the clock stopped at now: the demo's dates, set
// relative to the clock, and the pages' "days left" are then fixed.
func newEnvAt(t *testing.T, db *sqlstore.DB, now time.Time) *env {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, log)
	a.Now = func() time.Time { return now }
	db.Now = a.Now // the store stamps and checks the sessions
	if _, err := demo.Load(context.Background(), a); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	h := server.New(a, server.Options{Log: log}, web.New(a, web.Options{Log: log, Now: a.Now}))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, app: a, db: db}
}

// upcomingRows returns the "Coming up" panel's rows as "title | days".
func upcomingRows(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, `id="upcoming"`)
	if i < 0 {
		t.Fatalf("no Coming up panel: %.3000s", body)
	}
	panel := body[i:]
	panel = panel[:strings.Index(panel, "</section>")]
	re := regexp.MustCompile(`(?s)<a class="title" href="/agreements/[^"]+">([^<]+)</a>.*?<span class="badge[^"]*">([^<]+)</span>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(panel, -1) {
		out = append(out, m[1]+" | "+m[2])
	}
	return out
}

// TestHomeUpcoming: the home page lists the agreement dates within the
// largest reminder window, nearest first with the days left: the user's
// own accounts for a relationship manager, every account for a head or a
// viewer, an empty state when nothing is due.
func TestHomeUpcoming(t *testing.T) {
	// The demo's terms start on the 1st: on 10 March 2026 Socialförvaltningen's
	// agreement ends on 31 March and is reviewed on 1 April, and Hälso- och
	// sjukvård's is reviewed on 1 May. Both accounts are Anna's.
	e := newEnvAt(t, sqlstoretest.Open(t, sqlstoretest.SQLite), time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	const social, hs = "Tjänsteöverenskommelse Socialförvaltningen", "Tjänsteöverenskommelse Hälso- och sjukvård 2026"
	want := []string{social + " | 21 days", social + " | 22 days", hs + " | 52 days"}

	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	_, body := anna.get("/")
	if got := upcomingRows(t, body); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Anna's dates:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{"Agreement dates of your accounts in the next 90 days", "Ends · ", "Review due · ", `datetime="2026-03-31"`, "Socialförvaltningen</div>"} {
		if !strings.Contains(body, s) {
			t.Errorf("Anna's home page lacks %q", s)
		}
	}
	// The same in Swedish.
	anna.setLanguage(liaison.Swedish)
	if _, body = anna.get("/"); !strings.Contains(body, "På gång") || !strings.Contains(body, "21 dagar") || !strings.Contains(body, "Löper ut") {
		t.Error("the Swedish panel is not translated")
	}

	// Johan deputises for Hälso- och sjukvård only.
	johan := e.signedIn("johan.bergstrom@liaison.demo", demo.Password)
	johan.setLanguage(liaison.English)
	_, body = johan.get("/")
	if got := upcomingRows(t, body); len(got) != 1 || got[0] != hs+" | 52 days" {
		t.Errorf("Johan's dates: %q", got)
	}
	// A head sees every account's dates.
	head := e.signedIn("karin.holmberg@liaison.demo", demo.Password)
	head.setLanguage(liaison.English)
	_, body = head.get("/")
	if got := upcomingRows(t, body); len(got) != 3 || !strings.Contains(body, "Agreement dates of all accounts") {
		t.Errorf("the head's dates: %q", got)
	}
	// A viewer holds no account: like the account list beside it, the
	// panel shows every account's dates.
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	viewer.setLanguage(liaison.English)
	_, body = viewer.get("/")
	if got := upcomingRows(t, body); len(got) != 3 || !strings.Contains(body, "Agreement dates of all accounts") {
		t.Errorf("the viewer's dates: %q", got)
	}
	// The window follows the setting: within 7 days nothing is due.
	s, err := e.app.Settings(adminCtx())
	if err != nil {
		t.Fatal(err)
	}
	s.ReminderDays = []int{7}
	if err := e.app.SaveSettings(adminCtx(), s); err != nil {
		t.Fatal(err)
	}
	_, body = anna.get("/")
	if got := upcomingRows(t, body); len(got) != 0 || !strings.Contains(body, "de närmaste 7 dagarna") {
		t.Errorf("with a 7-day window: %q", got)
	}
}

// TestHomeCoverage: the coverage figure sits beside the agreement KPI and
// matches the coverage page's.
func TestHomeCoverage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	cov, err := e.app.SubscriptionCoverage(adminCtx())
	if err != nil {
		t.Fatal(err)
	}
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	res, body := c.get("/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", res.StatusCode)
	}
	i := strings.Index(body, `id="kpi-coverage"`)
	if i < 0 || !strings.Contains(body, `id="kpi-agreements"`) {
		t.Fatal("no coverage figure beside the agreement KPI")
	}
	card := body[i : i+800]
	want := regexp.MustCompile(`href="/services/coverage">(\d+) %</a>`).FindStringSubmatch(card)
	if want == nil || want[1] != strconv.Itoa(int(cov.Percent())) {
		t.Errorf("coverage figure %q, want %d %%", want, int(cov.Percent()))
	}
}

// TestSettingsPage: an admin changes the reminder days (and the review
// interval) through the form; wrong input comes back with the typed value
// and the domain's message next to the field; a stale form is refused;
// other roles may not open it.
func TestSettingsPage(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	res, body := c.get("/admin/settings")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `value="90, 30, 7"`) || !strings.Contains(body, `value="12"`) {
		t.Fatalf("settings page: %d", res.StatusCode)
	}
	version := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if version == nil {
		t.Fatal("no version")
	}
	form := func(months, days, v string) url.Values {
		return url.Values{"stale_review_months": {months}, "reminder_days": {days}, "version": {v}}
	}
	for _, tc := range []struct{ days, want string }{
		{"0, 30", "Give at most 10 days, each from 1 to 366, none twice."},
		{"30, 30", "none twice"},
		{"90 days", "Give at most 10 days"},
	} {
		res, body = c.post("/admin/settings", form("12", tc.days, version[1]))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) ||
			!strings.Contains(body, `value="`+tc.days+`"`) || !strings.Contains(body, `id="f-reminder_days-error"`) {
			t.Errorf("%q: %d", tc.days, res.StatusCode)
		}
	}
	if res, _ = c.post("/admin/settings", form("0", "30", version[1])); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("0 months: %d", res.StatusCode)
	}
	res, _ = c.post("/admin/settings", form("18", "60; 14 ,3", version[1]))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	s, err := e.app.Settings(adminCtx())
	if err != nil || s.StaleReviewMonths != 18 || fmt.Sprint(s.ReminderDays) != "[60 14 3]" {
		t.Fatalf("stored %+v, %v", s, err)
	}
	if _, body = c.get("/admin/settings"); !strings.Contains(body, `value="60, 14, 3"`) || !strings.Contains(body, "Changes saved.") {
		t.Error("the saved days are not shown")
	}
	// The form read before that save is stale now.
	if res, body = c.post("/admin/settings", form("12", "7", version[1])); res.StatusCode != http.StatusPreconditionFailed || !strings.Contains(body, `value="7"`) {
		t.Errorf("stale form: %d", res.StatusCode)
	}
	// Empty turns reminders off.
	_, body = c.get("/admin/settings")
	version = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if res, _ = c.post("/admin/settings", form("12", "", version[1])); res.StatusCode != http.StatusSeeOther {
		t.Errorf("no reminders: %d", res.StatusCode)
	}
	if s, _ = e.app.Settings(adminCtx()); len(s.ReminderDays) != 0 {
		t.Errorf("reminder days %v, want none", s.ReminderDays)
	}
	for _, lang := range liaison.Languages {
		c.setLanguage(lang)
		_, body = c.get("/admin/settings")
		checkPage(t, "/admin/settings", body, lang)
	}
	// A relationship manager may not.
	if res, _ = e.signedIn(demo.ManagerEmail, demo.Password).get("/admin/settings"); res.StatusCode != http.StatusForbidden {
		t.Errorf("manager: %d", res.StatusCode)
	}
}

// TestUnitAgreementsTab: an account's agreements tab lists its agreements,
// those in force first, with status, end of term and next review, and
// offers to draft one for the account to those who may.
func TestUnitAgreementsTab(t *testing.T) {
	e := newEnvAt(t, sqlstoretest.Open(t, sqlstoretest.SQLite), time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	yes := true
	hs, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{Q: "Hälso- och sjukvård", BudgetHolder: &yes, Limit: 1})
	if err != nil || len(hs) == 0 {
		t.Fatalf("account: %v", err)
	}
	id := hs[0].ID
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	res, body := anna.get("/organisations/" + id + "/agreements")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("tab: %d", res.StatusCode)
	}
	checkPage(t, "agreements tab", body, liaison.English)
	active := strings.Index(body, "Tjänsteöverenskommelse Hälso- och sjukvård 2026")
	draft := strings.Index(body, "Rutiner för förändringsfönster")
	if active < 0 || draft < 0 || active > draft {
		t.Errorf("the agreement in force should come first: %d, %d", active, draft)
	}
	// Started 1 May 2025 for 24 months; reviewed a year after the start.
	for _, s := range []string{`aria-current="page">Agreements`, "Active", "Draft", "30 Apr 2027", "1 May 2026",
		`href="/agreements/new?organisation_id=` + id + `"`} {
		if !strings.Contains(body, s) {
			t.Errorf("tab lacks %q", s)
		}
	}
	// A viewer reads the tab but is not offered the draft.
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, body = viewer.get("/organisations/" + id + "/agreements"); res.StatusCode != http.StatusOK || strings.Contains(body, "/agreements/new") {
		t.Errorf("viewer: %d", res.StatusCode)
	}
	// An account without agreements: the empty state.
	kultur, _, _ := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{Q: "Kultur och fritid", BudgetHolder: &yes, Limit: 1})
	if len(kultur) == 0 {
		t.Fatal("no Kultur och fritid")
	}
	if _, body = anna.get("/organisations/" + kultur[0].ID + "/agreements"); !strings.Contains(body, "No agreements yet") {
		t.Error("no empty state")
	}
	for _, lang := range liaison.Languages {
		anna.setLanguage(lang)
		_, body = anna.get("/organisations/" + id + "/agreements")
		checkPage(t, "agreements tab", body, lang)
	}
}
