package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestActionAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e) // Malmö stad, managed by "manager"
		manager, staff := e.users["manager"].ID, e.users["staff"].ID
		body := map[string]any{"title": "Skicka SLA-rapporten", "organisation_id": w.acct, "owner_id": staff, "due_date": "2026-01-15"}
		// Viewers and read-only tokens may not create; a manager of other accounts may not create on this one.
		e.req("viewer", "POST", "/api/v1/actions", body).problem(http.StatusForbidden)
		e.req("manager", "POST", "/api/v1/actions", body, "X-Test-Scope", "read").problem(http.StatusForbidden)
		e.req("manager2", "POST", "/api/v1/actions", body).problem(http.StatusForbidden)
		e.req("manager", "POST", "/api/v1/actions", map[string]any{"title": "x", "due_date": "15.1.2026"}).problem(http.StatusUnprocessableEntity)
		e.req("manager", "POST", "/api/v1/actions", map[string]any{"title": "x", "meeting_id": "nope"}).want(http.StatusUnprocessableEntity).fieldError("meeting_id", "unknown")
		r := e.req("manager", "POST", "/api/v1/actions", body, "Idempotency-Key", "act-1").want(http.StatusCreated)
		a := r.JSON()
		id := a["id"].(string)
		if r.Header.Get("Location") != "/api/v1/actions/"+id || a["status"] != "open" || a["owner_id"] != staff || a["created_by_id"] != manager ||
			a["organisation_name"] != "Malmö stad" {
			t.Fatalf("created %s %v", r.Header.Get("Location"), a)
		}
		if again := e.req("manager", "POST", "/api/v1/actions", body, "Idempotency-Key", "act-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another action")
		}
		e.req("manager", "POST", "/api/v1/actions", map[string]any{"title": "other"}, "Idempotency-Key", "act-1").problem(http.StatusConflict)
		path := "/api/v1/actions/" + id
		if g := e.req("viewer", "GET", path, nil).want(http.StatusOK); g.Header.Get("ETag") != `"1"` {
			t.Fatalf("ETag %q", g.Header.Get("ETag"))
		}
		// If-Match is required and checked.
		e.req("manager", "PATCH", path, map[string]any{"title": "x"}, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		e.patch("manager", path, 7, map[string]any{"title": "x"}).problem(http.StatusPreconditionFailed)
		// Staff update the items assigned to them; others' not; viewers never.
		e.patch("staff", path, 1, map[string]any{"description": "Kvartalssiffror"}).want(http.StatusOK)
		e.patch("viewer", path, 2, map[string]any{"status": "done"}).problem(http.StatusForbidden)
		e.patch("manager2", path, 2, map[string]any{"status": "done"}).problem(http.StatusForbidden)
		e.patch("staff", path, 2, map[string]any{"done_at": "2026-01-01T00:00:00Z"}).want(http.StatusUnprocessableEntity).fieldError("done_at", "read_only")
		a = e.patch("staff", path, 2, map[string]any{"status": "done"}).want(http.StatusOK).JSON()
		if a["status"] != "done" || a["done_at"] == nil {
			t.Fatalf("done %v", a)
		}
		p := e.patch("manager", path, 3, map[string]any{"status": "cancelled"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "allowed: open") {
			t.Fatalf("invalid transition: %v", p)
		}
		a = e.patch("manager", path, 3, map[string]any{"status": "open", "owner_id": manager}).want(http.StatusOK).JSON()
		if a["done_at"] != nil || a["owner_id"] != manager {
			t.Fatalf("reopened %v", a)
		}
		// An owner who may not edit the action may still change its status.
		e.patch("manager", path, 4, map[string]any{"owner_id": e.users["manager2"].ID}).want(http.StatusOK)
		e.patch("manager2", path, 5, map[string]any{"title": "Mitt nu"}).problem(http.StatusForbidden)
		e.patch("manager2", path, 5, map[string]any{"status": "done"}).want(http.StatusOK)

		// Lists: mine, overdue, the account's, the meeting's.
		e.create("manager", "/api/v1/actions", map[string]any{"title": "Boka lokal", "organisation_id": w.acct, "due_date": "2999-01-01"})
		// Staff create on any account; the owner defaults to the creator.
		late := e.create("staff", "/api/v1/actions", map[string]any{"title": "Ring Karin", "organisation_id": w.acct, "due_date": "2020-01-01"})
		if late["owner_id"] != staff {
			t.Fatalf("staff's action %v", late)
		}
		for q, want := range map[string]int{
			"?owner_id=" + manager:                  1,
			"?owner_id=" + manager + "&status=done": 0,
			"?overdue=true":                         1,
			"?due_before=2030-01-01":                2,
			"?meeting_id=nope":                      0,
			"?q=karin":                              1,
			"?sort=-due_date&limit=1":               1,
		} {
			if got := len(e.req("viewer", "GET", "/api/v1/actions"+q, nil).want(http.StatusOK).Items()); got != want {
				t.Errorf("actions%s: %d items, want %d", q, got, want)
			}
		}
		e.req("viewer", "GET", "/api/v1/actions?sort=due", nil).problem(http.StatusUnprocessableEntity)
		if got := len(e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/actions?status=open", nil).want(http.StatusOK).Items()); got != 2 {
			t.Errorf("account's open actions: %d", got)
		}
		e.req("viewer", "GET", "/api/v1/organisations/nope/actions", nil).problem(http.StatusNotFound)

		// Trash and restore; history.
		e.req("manager", "DELETE", path, nil).problem(http.StatusPreconditionRequired)
		e.req("staff", "DELETE", path, nil, "If-Match", `"6"`).problem(http.StatusForbidden)
		e.req("manager", "DELETE", path, nil, "If-Match", `"6"`).want(http.StatusNoContent)
		e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
		e.req("manager", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		e.req("head", "POST", path+"/restore", nil).want(http.StatusOK)
		if h := e.req("viewer", "GET", path+"/history", nil).want(http.StatusOK).Items(); len(h) != 8 {
			t.Fatalf("history has %d entries", len(h))
		}
	})
}

func TestReviewsDueAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		e.create("manager", "/api/v1/agreements", map[string]any{"organisation_id": w.acct, "title": "Avtal", "type": "service_level",
			"status": "active", "signed_by_person_id": w.customer, "start_date": "2026-01-01", "service_review_months": 6})
		e.req("manager", "POST", "/api/v1/agreements", map[string]any{"organisation_id": w.acct, "title": "x", "type": "service_level",
			"service_review_months": 37}).problem(http.StatusUnprocessableEntity)
		items := e.req("viewer", "GET", "/api/v1/reviews-due?state=overdue&manager_id="+e.users["manager"].ID, nil).want(http.StatusOK).Items()
		if len(items) != 1 || items[0]["organisation_id"] != w.acct || items[0]["state"] != "overdue" || items[0]["interval_months"] != 6.0 ||
			items[0]["manager_name"] != "Test manager" || items[0]["last_review"] != nil {
			t.Fatalf("overdue %v", items)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/reviews-due?manager_id="+e.users["manager2"].ID, nil).want(http.StatusOK).Items()); n != 0 {
			t.Fatalf("manager2 has %d reviews due", n)
		}
		// Leaving the list once a review is held is the store's contract case (Review/OverdueUntilAReviewIsHeld).
		if n := len(e.req("viewer", "GET", "/api/v1/reviews-due?state=due", nil).want(http.StatusOK).Items()); n != 0 {
			t.Fatalf("due soon: %d", n)
		}
		e.req("viewer", "GET", "/api/v1/reviews-due?state=ok", nil).problem(http.StatusUnprocessableEntity)
	})
}
