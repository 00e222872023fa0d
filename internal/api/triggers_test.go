package api_test

import (
	"net/http"
	"testing"
)

func TestTriggerAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		manager, staff := e.users["manager"].ID, e.users["staff"].ID
		school := e.org(map[string]any{"name": "Rektorsområde Väst", "parent_id": w.acct})["id"].(string)
		body := map[string]any{"organisation_id": w.acct, "kind": "service_change", "title": "Ny e-postplattform",
			"description": "Skolorna byter plattform i augusti.", "service_id": w.svc, "occurred_on": "2026-11-30"}
		// Viewers and read-only tokens may not log; staff may, on any account.
		e.req("viewer", "POST", "/api/v1/triggers", body).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/triggers", body, "X-Test-Scope", "read").problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/triggers", map[string]any{"organisation_id": w.acct, "title": "x", "kind": "rumour"}).
			problem(http.StatusUnprocessableEntity)
		e.req("staff", "POST", "/api/v1/triggers", map[string]any{"organisation_id": "nope", "title": "x", "kind": "complaint"}).
			want(http.StatusUnprocessableEntity).fieldError("organisation_id", "unknown")
		r := e.req("staff", "POST", "/api/v1/triggers", body, "Idempotency-Key", "trg-1").want(http.StatusCreated)
		tr := r.JSON()
		id := tr["id"].(string)
		if r.Header.Get("Location") != "/api/v1/triggers/"+id || tr["source"] != "api" || tr["account_id"] != w.acct ||
			tr["owner_id"] != manager || tr["status"] != "open" || tr["reported_by_id"] != staff || tr["action_id"] == "" ||
			tr["assigned_to"] != "relationship_manager" || tr["due_date"] == nil || tr["service_name"] != "E-post" {
			t.Fatalf("created %s %v", r.Header.Get("Location"), tr)
		}
		if again := e.req("staff", "POST", "/api/v1/triggers", body, "Idempotency-Key", "trg-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another trigger")
		}
		// The task is an action on the account owned by its manager, naming the trigger.
		task := e.req("viewer", "GET", "/api/v1/actions/"+tr["action_id"].(string), nil).want(http.StatusOK).JSON()
		if task["trigger_id"] != id || task["owner_id"] != manager || task["organisation_id"] != w.acct || task["title"] != "Ny e-postplattform" {
			t.Fatalf("task %v", task)
		}
		// Another system posts the same change twice: one trigger, the second answer 200.
		posted := map[string]any{"organisation_id": w.acct, "kind": "process_activity", "title": "CHG0042 e-postmigrering", "external_ref": "CHG0042"}
		first := e.req("staff", "POST", "/api/v1/triggers", posted).want(http.StatusCreated).JSON()
		second := e.req("staff", "POST", "/api/v1/triggers", posted).want(http.StatusOK)
		if second.JSON()["id"] != first["id"] || second.Header.Get("Location") != "/api/v1/triggers/"+first["id"].(string) {
			t.Fatalf("second post %v", second.JSON())
		}
		// Lists and filters.
		items := e.req("viewer", "GET", "/api/v1/triggers?organisation_id="+w.acct, nil).want(http.StatusOK).Items()
		if len(items) != 2 {
			t.Fatalf("account's triggers = %v", items)
		}
		if got := column(e.req("viewer", "GET", "/api/v1/triggers?kind=process_activity", nil).want(http.StatusOK).Items(), "external_ref"); got != "CHG0042" {
			t.Fatalf("kind filter: %s", got)
		}
		if got := column(e.req("viewer", "GET", "/api/v1/triggers?q=plattform", nil).want(http.StatusOK).Items(), "id"); got != id {
			t.Fatalf("q: %s", got)
		}
		e.req("viewer", "GET", "/api/v1/triggers?kind=rumour", nil).problem(http.StatusUnprocessableEntity)
		// The task done: the trigger is done.
		e.patch("manager", "/api/v1/actions/"+tr["action_id"].(string), 1, map[string]any{"status": "done"}).want(http.StatusOK)
		if got := column(e.req("viewer", "GET", "/api/v1/triggers?status=done", nil).want(http.StatusOK).Items(), "id"); got != id {
			t.Fatalf("done: %s", got)
		}
		// Editing: If-Match, read-only fields, the unit stays; the reporter and the manager may, another manager not.
		path := "/api/v1/triggers/" + id
		e.req("staff", "PATCH", path, map[string]any{"title": "x"}, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		e.patch("staff", path, 2, map[string]any{"title": "x"}).problem(http.StatusPreconditionFailed)
		e.patch("manager2", path, 1, map[string]any{"title": "x"}).problem(http.StatusForbidden)
		e.patch("staff", path, 1, map[string]any{"source": "manual"}).want(http.StatusUnprocessableEntity).fieldError("source", "read_only")
		e.patch("staff", path, 1, map[string]any{"organisation_id": school}).want(http.StatusUnprocessableEntity).fieldError("organisation_id", "invalid")
		up := e.patch("manager", path, 1, map[string]any{"title": "Ny e-postplattform för eleverna"}).want(http.StatusOK).JSON()
		if up["version"] != 2.0 || up["title"] != "Ny e-postplattform för eleverna" || up["source"] != "api" {
			t.Fatalf("updated %v", up)
		}
		e.trash("staff", path, 2)
		if got := e.history(path); got != "delete,update,create" {
			t.Fatalf("history %s", got)
		}
		e.req("staff", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		e.req("head", "POST", path+"/restore", nil).want(http.StatusOK)
	})
}
