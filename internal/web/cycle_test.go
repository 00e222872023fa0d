package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var cycleLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:cycle|calendar)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestCyclePagesInEveryLanguage renders the annual cycle's pages and the
// calendar page in each language on every engine.
func TestCyclePagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		acts, err := e.app.AllCycleActivities(adminCtx())
		if err != nil || len(acts) == 0 {
			t.Fatalf("demo activities: %v", err)
		}
		tasks, err := e.app.CycleTasks(adminCtx(), liaison.CycleTaskFilter{Limit: 1})
		if err != nil || len(tasks) == 0 {
			t.Fatalf("demo cycle tasks: %v", err)
		}
		year := tasks[0].DueDate[:4]
		cell := "/cycle?" + url.Values{"year": {year}, "activity": {tasks[0].ActivityID}, "month": {strconv.Itoa(atoiMonth(tasks[0].DueDate))}}.Encode()
		pages := []string{"/cycle", "/cycle?year=" + year, cell, "/cycle/activities", "/cycle/activities?trashed=1", "/cycle/activities/new",
			"/cycle/activities/" + acts[0].ID + "/edit", "/organisations/" + tasks[0].OrganisationID + "/cycle?year=" + year, "/settings/calendar"}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
					continue
				}
				checkPage(t, p, body, lang)
				if m := cycleLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
			if _, body := c.get(cell); !strings.Contains(body, `id="cell-tasks"`) || !strings.Contains(body, tasks[0].OrganisationName) {
				t.Errorf("%s (%s): the cell does not list its accounts", cell, lang)
			}
		}
	})
}

func atoiMonth(date string) int { n, _ := strconv.Atoi(date[5:7]); return n }

// TestCycleFormAndFeed: the form refuses a quarterly activity without its
// month and 31 April next to their fields; a saved one says how many tasks
// it generated; a manager may not open the form; the calendar page shows
// the feed URL once, which then answers without a session.
func TestCycleFormAndFeed(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	res, body := c.post("/cycle/activities", url.Values{"title": {"Check-in"}, "kind": {"other"}, "recurrence": {"quarterly"}, "scope": {"all"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "choose the month within each quarter") {
		t.Fatalf("quarterly without month: %d", res.StatusCode)
	}
	res, body = c.post("/cycle/activities", url.Values{"title": {"Check-in"}, "kind": {"other"}, "recurrence": {"yearly"},
		"month": {"4"}, "day": {"31"}, "scope": {"all"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a day from 1 to 30: month 4 has no day 31") ||
		!strings.Contains(body, `value="Check-in"`) {
		t.Fatalf("31 April: %d", res.StatusCode)
	}
	res, _ = c.post("/cycle/activities", url.Values{"title": {"Check-in"}, "kind": {"other"}, "recurrence": {"quarterly"},
		"quarter_month": {"3"}, "day": {"1"}, "scope": {"all"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if _, body = c.get("/cycle/activities"); !strings.Contains(body, "tasks generated") || !strings.Contains(body, "Check-in") {
		t.Fatal("the list does not show the new activity and its generated tasks")
	}
	m := e.signedIn(demo.ManagerEmail, demo.Password)
	if res, _ := m.get("/cycle/activities/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a manager opens the form: %d", res.StatusCode)
	}

	res, body = c.post("/settings/calendar", url.Values{})
	found := regexp.MustCompile(`id="feed-url">([^<]+)<`).FindStringSubmatch(body)
	if res.StatusCode != http.StatusCreated || found == nil {
		t.Fatalf("create feed: %d", res.StatusCode)
	}
	u, err := url.Parse(found[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, again := c.get("/settings/calendar"); strings.Contains(again, u.Path) {
		t.Error("the feed URL is shown again after it was made")
	}
	anon := e.client()
	res, body = anon.get(u.Path)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") || !strings.Contains(body, "BEGIN:VCALENDAR") {
		t.Fatalf("feed without a session: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/calendar/lcal_nope.ics", "/calendar/" + strings.TrimSuffix(strings.TrimPrefix(u.Path, "/calendar/"), ".ics"), "/calendar/x"} {
		if res, _ := anon.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}

// TestCycleOpensOnTheYearWithTasks: tasks are laid twelve months ahead, so
// in late December the current year holds none of the demo's tasks and
// the year view opens on the next year; in March it opens on the current
// one. An explicit ?year= is kept even when that year is empty.
func TestCycleOpensOnTheYearWithTasks(t *testing.T) {
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), "2026"},
		{time.Date(2026, 12, 30, 9, 0, 0, 0, time.UTC), "2027"},
	} {
		e := newEnvAt(t, sqlstoretest.Open(t, sqlstoretest.SQLite), tc.now)
		if n, err := e.app.CycleTasks(adminCtx(), liaison.CycleTaskFilter{From: "2026-12-30", To: "2026-12-31"}); err != nil || len(n) != 0 {
			t.Fatalf("%s: the demo has tasks at the year's end (%d, %v); the case needs another date", tc.now, len(n), err)
		}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		c.setLanguage(liaison.English)
		tasks, err := e.app.CycleTasks(adminCtx(), liaison.CycleTaskFilter{Limit: 1})
		if err != nil || len(tasks) == 0 {
			t.Fatal(err)
		}
		for _, base := range []string{"/cycle", "/organisations/" + tasks[0].OrganisationID + "/cycle"} {
			if _, body := c.get(base); !strings.Contains(body, `<strong class="cycle-year">`+tc.want+`</strong>`) {
				t.Errorf("%s on %s: does not open on %s", base, tc.now.Format(time.DateOnly), tc.want)
			}
			if _, body := c.get(base + "?year=2026"); !strings.Contains(body, `<strong class="cycle-year">2026</strong>`) {
				t.Errorf("%s?year=2026 on %s: another year", base, tc.now.Format(time.DateOnly))
			}
		}
	}
}
