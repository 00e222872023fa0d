package e2e

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	goical "github.com/emersion/go-ical"

	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestCycleAndCalendarFlow defines an annual-cycle activity as the
// administrator, sees its generated task in an account's year view and the
// portfolio's, makes a private calendar feed from the user menu and fetches
// it over HTTP as a calendar app would: it holds a meeting with its time
// in UTC and parses with an independent iCalendar parser; revoked, the URL
// answers 404.
func TestCycleAndCalendarFlow(t *testing.T) {
	ctx := Browser(t)
	dsn := demoDSN(t)
	srv, err := cli.Start(context.Background(), cli.Config{DB: dsn, Addr: "127.0.0.1:0", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	bg := context.Background()
	admin, err := srv.Store.FindUserByEmail(bg, demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := srv.Store.AccountNames(bg)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("demo accounts: %v", err)
	}
	acct := accounts[0]
	year := srv.App.Now().Year() + 1 // a quarterly activity always falls in next year's year view
	const title = "Steering group check-in"

	step := stepper(t, ctx, "fail-cycle-")
	text := textOf(t, ctx)
	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.AdminEmail),
		chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/cycle"]`),
	)
	step("open the annual cycle and the new-activity form",
		chromedp.Click(`nav a[href="/cycle"]`),
		chromedp.WaitVisible(`#h-year`),
		chromedp.Click(`.page-header a[href="/cycle/activities/new"]`),
		chromedp.WaitVisible(`#f-title`),
	)
	step("define a quarterly activity for every account",
		chromedp.SendKeys(`#f-title`, title),
		chromedp.SetValue(`#f-kind`, "other"),
		chromedp.Click(`input[name=recurrence][value=quarterly]`),
		chromedp.SetValue(`#f-quarter_month`, "2"),
		chromedp.SetValue(`#f-day`, "15"),
		chromedp.Click(`input[name=scope][value=all]`),
	)
	shot(t, ctx, "cycle-form")
	step("save: the tasks are generated",
		chromedp.Click(`#form-main button[type=submit].btn-primary`),
		waitPath("/cycle/activities", "/cycle/activities/new"),
		chromedp.WaitVisible(`.alert, [role=status]`),
	)
	if got := text("body"); !strings.Contains(got, title) || !strings.Contains(got, "tasks generated") {
		t.Fatalf("after saving, the list says:\n%s", got)
	}
	step("open the account's year view",
		chromedp.Navigate(srv.URL+"/organisations/"+acct.ID+"/cycle?year="+strconv.Itoa(year)),
		chromedp.WaitVisible(`#account-cycle`),
	)
	shot(t, ctx, "cycle-account")
	if got := text("#account-cycle"); !strings.Contains(got, title) || !strings.Contains(got, "15") || !strings.Contains(got, "Open") {
		t.Fatalf("the account's year %d shows:\n%s", year, got)
	}
	step("the portfolio's year view counts it and lists the accounts",
		chromedp.Navigate(srv.URL+"/cycle?year="+strconv.Itoa(year)),
		chromedp.WaitVisible(`#portfolio-cycle`),
		clickText(`#portfolio-cycle th[scope=row]`, title+"Other"),
		evalJS(`[...document.querySelectorAll('#portfolio-cycle tr')].find(r => r.textContent.includes(`+jsString(title)+`)).querySelector('a.cycle-count').click() || true`),
		chromedp.WaitVisible(`#cell-tasks`),
	)
	shot(t, ctx, "cycle-portfolio")
	if got := text("#cell-tasks"); !strings.Contains(got, acct.Name) {
		t.Fatalf("the month's cell lists:\n%s\nwant %s among them", got, acct.Name)
	}

	// A meeting the administrator organises, as the meetings capability
	// stores it (its store is on another branch): 10:00 at +01:00.
	raw, err := sql.Open("sqlite", dsn+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	start := time.Date(srv.App.Now().Year()+1, 2, 10, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	if _, err := raw.Exec(`INSERT INTO meetings (id, organisation_id, type, form, title, organiser_id, starts_at, ends_at, location,
		status, agenda, version, created_at, updated_at) VALUES ('e2e-meeting', $1, 'service_review', 'in_person', 'Service review with the customer',
		$2, $3, $4, 'Town hall', 'planned', 'Changes in business needs', 1, $5, $5)`,
		acct.ID, admin.ID, start.UTC().Format("2006-01-02T15:04:05.000000Z"), start.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z"), now); err != nil {
		t.Fatal(err)
	}

	step("make the calendar feed from the user menu",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`nav a[href="/cycle"]`),
		evalJS(`(() => { document.querySelector('a[href="/settings/calendar"]').click(); return true })()`),
		chromedp.WaitVisible(`#create-feed`),
		chromedp.Click(`#create-feed`),
		chromedp.WaitVisible(`#feed-url`),
	)
	shot(t, ctx, "calendar-created")
	feedURL := strings.TrimSpace(text("#feed-url"))
	if !strings.HasPrefix(feedURL, srv.URL+"/calendar/lcal_") || !strings.HasSuffix(feedURL, ".ics") {
		t.Fatalf("feed URL %q", feedURL)
	}
	res, err := http.Get(feedURL) // no session: the secret is the credential
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cal, err := goical.NewDecoder(strings.NewReader(string(body))).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, body)
	}
	found := false
	for _, e := range cal.Events() {
		if e.Props.Get(goical.PropUID).Value == "meeting-e2e-meeting@liaison" {
			found = true
			want := strconv.Itoa(start.Year()) + "0210T090000Z"
			if got := e.Props.Get(goical.PropDateTimeStart).Value; got != want {
				t.Errorf("DTSTART = %s, want %s", got, want)
			}
		}
	}
	if !found {
		t.Fatalf("the feed lacks the meeting:\n%s", body)
	}

	step("revoke the feed",
		chromedp.Navigate(srv.URL+"/settings/calendar"),
		chromedp.WaitVisible(`form[action="/settings/calendar/revoke"]`),
		evalJS(`(() => { document.querySelector('form[action="/settings/calendar/revoke"]').submit(); return true })()`),
		chromedp.WaitVisible(`#create-feed`),
	)
	res, err = http.Get(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("a revoked feed answers %d, want 404", res.StatusCode)
	}
}
