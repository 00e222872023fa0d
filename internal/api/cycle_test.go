package api_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

// cycleToday is the date the annual-cycle tests run on: the horizon is
// 2026-01-15 to 2027-01-15.
var cycleToday = time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)

// cycleWorld is the meeting world (Malmö stad managed by "manager", Lunds
// kommun by "manager2", and a unit below Malmö that is no account) on
// cycleToday.
func cycleWorld(t *testing.T, e *env) meetingWorld {
	t.Helper()
	e.app.Now = func() time.Time { return cycleToday }
	return mkMeetingWorld(t, e)
}

// tasks lists the live actions whose title begins with the word q, by due
// date, through the actions API.
func (e *env) tasks(q string) []map[string]any {
	e.t.Helper()
	items, _ := e.pages("viewer", "/api/v1/actions?limit=500&q="+urlQuery(q))
	return items
}

func TestCycleActivityKinds(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := cycleWorld(t, e)
		manager, manager2, staff := e.users["manager"].ID, e.users["manager2"].ID, e.users["staff"].ID
		tests := []struct {
			name string
			body map[string]any
			// want is the normalised activity's month, day and on_date.
			month, day float64
			onDate     any
			// due is each generated task as account:due date:owner, by due date then account.
			due []string
		}{
			{"yearly in a month", map[string]any{"title": "Avtalsgenomgång", "kind": "agreement_review", "recurrence": "yearly", "month": 3, "day": 15,
				"scope": "accounts", "organisation_ids": []string{w.acct}}, 3, 15, nil,
				[]string{w.acct + ":2026-03-15:" + manager}},
			{"yearly, day 1 by default, before today: next year's", map[string]any{"title": "Nöjdhetsenkät", "kind": "satisfaction_survey",
				"recurrence": "yearly", "month": 1, "owner_id": staff}, 1, 1, nil,
				[]string{w.acct + ":2027-01-01:" + staff, w.acct2 + ":2027-01-01:" + staff}},
			{"quarterly, the day past a month's end on its last", map[string]any{"title": "Kostnadsuppföljning", "kind": "cost_follow_up",
				"recurrence": "quarterly", "month": 2, "day": 31, "scope": "accounts", "organisation_ids": []string{w.acct2}}, 2, 31, nil,
				[]string{w.acct2 + ":2026-02-28:" + manager2, w.acct2 + ":2026-05-31:" + manager2, w.acct2 + ":2026-08-31:" + manager2,
					w.acct2 + ":2026-11-30:" + manager2}},
			{"on a date", map[string]any{"title": "Uppdateringsfönster", "kind": "critical_update_window", "recurrence": "date",
				"on_date": "2026-06-10", "month": 5, "day": 7}, 0, 0, "2026-06-10",
				[]string{w.acct + ":2026-06-10:" + manager, w.acct2 + ":2026-06-10:" + manager2}},
			{"on a date past", map[string]any{"title": "Engångsgenomgång", "recurrence": "date", "on_date": "2025-12-01"}, 0, 0, "2025-12-01", nil},
			{"on a date past the horizon", map[string]any{"title": "Framtidsgenomgång", "recurrence": "date", "on_date": "2027-01-16"}, 0, 0, "2027-01-16", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				defer func() { e.t = t }()
				a := e.createdAt("head", "/api/v1/cycle-activities", tt.body)
				if a["month"] != tt.month || a["day"] != tt.day || a["on_date"] != tt.onDate || a["recurrence"] != tt.body["recurrence"] {
					t.Fatalf("created %v", a)
				}
				title := tt.body["title"].(string)
				var got []string
				for _, task := range e.tasks(title) {
					if task["title"] != title || task["status"] != "open" {
						t.Fatalf("task %v", task)
					}
					got = append(got, fmt.Sprint(task["organisation_id"], ":", task["due_date"], ":", task["owner_id"]))
				}
				// Tasks due the same day come in no set order of accounts.
				sort.Strings(got)
				sort.Strings(tt.due)
				if fmt.Sprint(got) != fmt.Sprint(tt.due) {
					t.Fatalf("tasks %v, want %v", got, tt.due)
				}
				// Generating again creates nothing: the tasks are there.
				gen := "/api/v1/cycle-activities/" + a["id"].(string) + "/generate"
				for range 2 {
					if n := e.req("head", "POST", gen, nil).want(http.StatusOK).JSON()["created"]; n != 0.0 {
						t.Fatalf("generating again created %v", n)
					}
				}
				if n := len(e.tasks(title)); n != len(tt.due) {
					t.Fatalf("%d tasks after generating again, want %d", n, len(tt.due))
				}
			})
		}
		e.t = t
		// The unit below Malmö is no account: no task of the all-accounts activities is its.
		if n := len(e.req("viewer", "GET", "/api/v1/organisations/"+w.customerUnit(e)+"/actions", nil).want(http.StatusOK).Items()); n != 0 {
			t.Fatalf("a unit got %d tasks", n)
		}
	})
}

func TestCycleActivityValidation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := cycleWorld(t, e)
		unit := w.customerUnit(e)
		yearly := func(more map[string]any) map[string]any {
			b := map[string]any{"title": "Budgetmöte", "recurrence": "yearly", "month": 9}
			for k, v := range more {
				b[k] = v
			}
			return b
		}
		for _, tt := range []struct {
			name        string
			body        map[string]any
			field, code string
			message     string
		}{
			{"no title", map[string]any{"recurrence": "yearly", "month": 9}, "title", "required", ""},
			{"a blank title", yearly(map[string]any{"title": " "}), "title", "required", ""},
			{"no recurrence", map[string]any{"title": "x", "month": 9}, "recurrence", "required", ""},
			{"an unknown recurrence", yearly(map[string]any{"recurrence": "monthly"}), "recurrence", "invalid", ""},
			{"an unknown kind", yearly(map[string]any{"kind": "party"}), "kind", "invalid", ""},
			{"an unknown scope", yearly(map[string]any{"scope": "some"}), "scope", "invalid", ""},
			{"yearly without a month", yearly(map[string]any{"month": 0}), "month", "invalid", "from 1 to 12"},
			{"yearly in month 13", yearly(map[string]any{"month": 13}), "month", "invalid", ""},
			{"yearly on 30 February", yearly(map[string]any{"month": 2, "day": 30}), "day", "invalid", "month 2 has no day 30"},
			{"yearly on 31 April", yearly(map[string]any{"month": 4, "day": 31}), "day", "invalid", "month 4 has no day 31"},
			{"quarterly in month 4", yearly(map[string]any{"recurrence": "quarterly", "month": 4}), "month", "invalid", "1, 2 or 3"},
			{"on a date without one", map[string]any{"title": "x", "recurrence": "date"}, "on_date", "required", "fixed date"},
			{"on a date that is none", map[string]any{"title": "x", "recurrence": "date", "on_date": "10.6.2026"}, "on_date", "invalid", "YYYY-MM-DD"},
			{"a segment's without the segment", yearly(map[string]any{"scope": "segment"}), "segment_id", "required", ""},
			{"an unknown segment", yearly(map[string]any{"scope": "segment", "segment_id": "nope"}), "segment_id", "unknown", "segment"},
			{"listed accounts without any", yearly(map[string]any{"scope": "accounts"}), "organisation_ids", "required", ""},
			{"an unknown account", yearly(map[string]any{"scope": "accounts", "organisation_ids": []string{w.acct, "nope"}}),
				"organisation_ids[1]", "unknown", "unit"},
			{"a unit that is no account", yearly(map[string]any{"scope": "accounts", "organisation_ids": []string{unit}}),
				"organisation_ids[0]", "invalid", "customer account"},
			{"an unknown owner", yearly(map[string]any{"owner_id": "nope"}), "owner_id", "unknown", "user"},
			{"a field activities do not have", yearly(map[string]any{"colour": "red"}), "colour", "unknown_field", ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				e.t = t
				defer func() { e.t = t }()
				r := e.req("head", "POST", "/api/v1/cycle-activities", tt.body)
				r.fieldError(tt.field, tt.code)
				if p := r.JSON(); p["instance"] != "/api/v1/cycle-activities" || !strings.Contains(fmt.Sprint(p["errors"]), tt.message) {
					t.Fatalf("problem %v, want a message with %q", p, tt.message)
				}
			})
		}
		e.t = t
		if items := e.req("viewer", "GET", "/api/v1/cycle-activities", nil).want(http.StatusOK).Items(); len(items) != 0 {
			t.Fatalf("a refused activity was stored: %v", items)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/actions", nil).want(http.StatusOK).Items()); n != 0 {
			t.Fatalf("refused activities generated %d tasks", n)
		}
	})
}

func TestCycleActivityAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := cycleWorld(t, e)
		a := e.createdAt("head", "/api/v1/cycle-activities", map[string]any{"title": "Avtalsgenomgång", "kind": "agreement_review",
			"recurrence": "yearly", "month": 3, "day": 15, "scope": "accounts", "organisation_ids": []string{w.acct}}, "Idempotency-Key", "cyc-1")
		id := a["id"].(string)
		path := "/api/v1/cycle-activities/" + id
		// Created with an Idempotency-Key, its tasks are laid all the same (the
		// key's claim once failed their generation); a retry lays no more.
		if n := len(e.tasks("Avtalsgenomgång")); n != 1 {
			t.Fatalf("created with an Idempotency-Key: %d tasks, want 1", n)
		}
		if again := e.req("head", "POST", "/api/v1/cycle-activities", map[string]any{"title": "Avtalsgenomgång", "kind": "agreement_review",
			"recurrence": "yearly", "month": 3, "day": 15, "scope": "accounts", "organisation_ids": []string{w.acct}},
			"Idempotency-Key", "cyc-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another activity")
		}
		if n := len(e.tasks("Avtalsgenomgång")); n != 1 {
			t.Fatalf("a retried create: %d tasks, want 1", n)
		}
		if g := e.req("viewer", "GET", path, nil).want(http.StatusOK); g.Header.Get("ETag") != `"1"` ||
			fmt.Sprint(g.JSON()["organisation_ids"]) != "["+w.acct+"]" {
			t.Fatalf("get %s %s", g.Header.Get("ETag"), g.Body)
		}
		e.req("viewer", "GET", "/api/v1/cycle-activities/nope", nil).problem(http.StatusNotFound)

		// PATCH needs a fresh If-Match.
		e.req("head", "PATCH", path, map[string]any{"month": 4}, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		e.patch("head", path, 2, map[string]any{"month": 4}).problem(http.StatusPreconditionFailed)
		e.patch("head", path, 1, map[string]any{"owner_name": "x"}).fieldError("owner_name", "read_only")
		e.patch("head", path, 1, map[string]any{"day": 31, "month": 4}).fieldError("day", "invalid")
		// A change of kind only leaves the tasks as they are.
		before := column(e.tasks("Avtalsgenomgång"), "id")
		if r := e.patch("head", path, 1, map[string]any{"kind": "other"}).want(http.StatusOK); r.Header.Get("ETag") != `"2"` {
			t.Fatalf("patched %s", r.Body)
		}
		if after := column(e.tasks("Avtalsgenomgång"), "id"); after != before {
			t.Fatalf("a change of kind replaced the tasks: %s → %s", before, after)
		}
		// A new schedule replaces the untouched future task; one someone edited stays.
		e.patch("head", path, 2, map[string]any{"month": 4}).want(http.StatusOK)
		if got := column(e.tasks("Avtalsgenomgång"), "due_date"); got != "2026-04-15" {
			t.Fatalf("after moving to April: %s", got)
		}
		edited := e.tasks("Avtalsgenomgång")[0]
		e.patch("manager", "/api/v1/actions/"+edited["id"].(string), 1, map[string]any{"description": "Karin vill ses i Lund"}).want(http.StatusOK)
		e.patch("head", path, 3, map[string]any{"month": 5, "scope": "all"}).want(http.StatusOK)
		tasks := e.tasks("Avtalsgenomgång")
		var got []string
		for _, task := range tasks {
			got = append(got, fmt.Sprint(task["organisation_id"], ":", task["due_date"]))
		}
		sort.Strings(got[1:]) // the two May tasks in no set order
		want := []string{w.acct + ":2026-04-15", w.acct + ":2026-05-15", w.acct2 + ":2026-05-15"}
		sort.Strings(want[1:])
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after moving to May for all accounts: %v, want %v", got, want)
		}
		if tasks[0]["id"] != edited["id"] {
			t.Fatalf("the edited task was replaced: %v", tasks[0])
		}

		// A trashed generated task is not laid again.
		var may map[string]any
		for _, task := range tasks {
			if task["organisation_id"] == w.acct2 {
				may = task
			}
		}
		e.req("manager2", "DELETE", "/api/v1/actions/"+may["id"].(string), nil, "If-Match", `"1"`).want(http.StatusNoContent)
		if n := e.req("admin", "POST", path+"/generate", nil).want(http.StatusOK).JSON()["created"]; n != 0.0 {
			t.Fatalf("generation laid %v tasks again", n)
		}
		if n := len(e.tasks("Avtalsgenomgång")); n != 2 {
			t.Fatalf("%d live tasks", n)
		}

		// The account's year.
		year := e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/cycle?year=2026", nil).want(http.StatusOK).JSON()
		if year["from"] != "2026-01-01" || year["to"] != "2026-12-31" || year["organisation_id"] != w.acct {
			t.Fatalf("year %v", year)
		}
		var days []string
		for _, task := range anys(year["tasks"]) {
			if task["activity_id"] != id || task["activity_title"] != "Avtalsgenomgång" || task["kind"] != "other" || task["organisation_name"] != "Malmö stad" {
				t.Fatalf("year task %v", task)
			}
			days = append(days, task["due_date"].(string))
		}
		if strings.Join(days, ",") != "2026-04-15,2026-05-15" {
			t.Fatalf("Malmö's 2026: %v", days)
		}
		if def := e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/cycle", nil).want(http.StatusOK).JSON(); fmt.Sprint(def) != fmt.Sprint(year) {
			t.Fatalf("the default year is not today's: %v", def)
		}
		if y := e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/cycle?year=2027", nil).want(http.StatusOK).JSON(); len(y["tasks"].([]any)) != 0 {
			t.Fatalf("2027: %v", y)
		}
		e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/cycle?year=1999", nil).fieldError("year", "invalid")
		e.req("viewer", "GET", "/api/v1/organisations/nope/cycle", nil).problem(http.StatusNotFound)

		// Trash: the untouched future tasks go, the edited one stays; restore lays them again.
		e.req("head", "DELETE", path, nil, "If-Match", `"3"`).problem(http.StatusPreconditionFailed)
		e.trash("head", path, 4)
		e.req("head", "POST", path+"/generate", nil).problem(http.StatusNotFound)
		if left := e.tasks("Avtalsgenomgång"); column(left, "id") != edited["id"] {
			t.Fatalf("after trashing: %v", left)
		}
		if tr := e.req("head", "GET", "/api/v1/cycle-activities?trashed=true", nil).want(http.StatusOK).Items(); column(tr, "id") != id {
			t.Fatalf("trash %v", tr)
		}
		for _, as := range []string{"manager", "staff", "viewer"} {
			e.req(as, "GET", "/api/v1/cycle-activities?trashed=true", nil).problem(http.StatusForbidden)
		}
		if r := e.req("admin", "POST", path+"/restore", nil).want(http.StatusOK); r.Header.Get("ETag") != `"6"` || r.JSON()["deleted_at"] != nil {
			t.Fatalf("restored %s %s", r.Header.Get("ETag"), r.Body)
		}
		if n := len(e.tasks("Avtalsgenomgång")); n != 2 { // the edited April task and Malmö's May task; Lund's trashed one stays trashed
			t.Fatalf("after restoring: %d tasks", n)
		}
		e.req("head", "POST", "/api/v1/cycle-activities/nope/restore", nil).problem(http.StatusNotFound)

		if got := e.history(path); got != "restore,delete,update,update,update,create" {
			t.Fatalf("history %s", got)
		}
	})
}

func TestCycleActivityList(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		cycleWorld(t, e)
		var ids []string
		for i, kind := range []string{"budget_meeting", "cost_follow_up", "budget_meeting", "other", "satisfaction_survey"} {
			ids = append(ids, e.create("head", "/api/v1/cycle-activities", map[string]any{"title": fmt.Sprintf("Aktivitet %d", i),
				"kind": kind, "recurrence": "quarterly", "month": 1 + i%3, "description": fmt.Sprintf("Moment steg%c", 'a'+i)})["id"].(string))
		}
		for _, tt := range []struct{ query, want string }{
			{"", strings.Join(ids, ",")},
			{"?sort=-name", ids[4] + "," + ids[3] + "," + ids[2] + "," + ids[1] + "," + ids[0]},
			{"?kind=budget_meeting", ids[0] + "," + ids[2]},
			{"?q=stega", ids[0]},
			{"?q=aktivitet+3", ids[3]},
			{"?kind=agreement_review", ""},
		} {
			items, _ := e.pages("viewer", "/api/v1/cycle-activities"+tt.query)
			if got := column(items, "id"); got != tt.want {
				t.Errorf("activities%s: %s, want %s", tt.query, got, tt.want)
			}
		}
		if items, n := e.pages("viewer", "/api/v1/cycle-activities?limit=2&sort=created_at"); n != 3 || column(items, "id") != strings.Join(ids, ",") {
			t.Fatalf("page by page: %d pages, %s", n, column(items, "id"))
		}
		e.req("viewer", "GET", "/api/v1/cycle-activities?kind=party", nil).fieldError("kind", "invalid")
		e.req("viewer", "GET", "/api/v1/cycle-activities?sort=due", nil).fieldError("sort", "invalid")
		e.req("viewer", "GET", "/api/v1/cycle-activities?cursor=garbage", nil).problem(http.StatusBadRequest)
	})
}
