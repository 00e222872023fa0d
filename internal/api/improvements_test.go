package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestImprovementAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		staff, manager := e.users["staff"].ID, e.users["manager"].ID
		body := map[string]any{"title": "Lösenordsåterställning via självservice", "origin": "complaint", "complaint_id": "c-17",
			"description": "Användare väntar på servicedesken.", "expected_benefit": "Färre samtal",
			"service_ids": []any{w.svc}, "organisation_ids": []any{w.acct}}
		// Viewers and read-only tokens may not propose; staff may.
		e.req("viewer", "POST", "/api/v1/improvements", body).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/improvements", body, "X-Test-Scope", "read").problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/improvements", map[string]any{"title": "x", "origin": "rumour"}).problem(http.StatusUnprocessableEntity)
		r := e.req("staff", "POST", "/api/v1/improvements", body, "Idempotency-Key", "imp-1").want(http.StatusCreated)
		i := r.JSON()
		id := i["id"].(string)
		if r.Header.Get("Location") != "/api/v1/improvements/"+id || i["status"] != "proposed" || i["proposed_by_id"] != staff ||
			i["complaint_id"] != "c-17" || i["flagged"] != false {
			t.Fatalf("created %s %v", r.Header.Get("Location"), i)
		}
		if again := e.req("staff", "POST", "/api/v1/improvements", body, "Idempotency-Key", "imp-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another improvement")
		}
		path := "/api/v1/improvements/" + id
		// The proposer edits while proposed; a manager who is not its owner may not.
		e.patch("manager2", path, 1, map[string]any{"description": "x"}).problem(http.StatusForbidden)
		e.patch("staff", path, 1, map[string]any{"owner_id": manager}).want(http.StatusOK)
		e.patch("staff", path, 2, map[string]any{"decided_at": "2026-01-01T00:00:00Z"}).want(http.StatusUnprocessableEntity).fieldError("decided_at", "read_only")
		// Skipping the decision answers 422 naming the allowed next states.
		p := e.patch("head", path, 2, map[string]any{"status": "done", "realised_effect": "x"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "allowed: approved, rejected") {
			t.Fatalf("invalid transition: %v", p)
		}
		// Only the head (or admin) decides: not the owner, not the proposer.
		e.patch("manager", path, 2, map[string]any{"status": "approved"}).problem(http.StatusForbidden)
		e.patch("staff", path, 2, map[string]any{"status": "approved"}).problem(http.StatusForbidden)
		e.patch("head", path, 2, map[string]any{"status": "rejected"}).want(http.StatusUnprocessableEntity).fieldError("decision_note", "required")
		i = e.patch("head", path, 2, map[string]any{"status": "approved", "decision_note": "Fits the service plan"}).want(http.StatusOK).JSON()
		if i["decided_by_id"] != e.users["head"].ID || i["decided_at"] == nil || i["version"] != 3.0 {
			t.Fatalf("approved %v", i)
		}
		// The proposer may no longer edit; the owner carries it out.
		e.patch("staff", path, 3, map[string]any{"title": "Changed"}).problem(http.StatusForbidden)
		e.patch("manager", path, 3, map[string]any{"status": "in_progress"}).want(http.StatusOK)
		// Progress updates: the owner records them, visible or not to the customer.
		e.req("staff", "POST", path+"/updates", map[string]any{"note": "x"}).problem(http.StatusForbidden)
		u := e.req("manager", "POST", path+"/updates", map[string]any{"note": "Pilot i skolförvaltningen", "customer_visible": true}).want(http.StatusCreated)
		uid := u.JSON()["id"].(string)
		if u.Header.Get("Location") != path+"/updates/"+uid || u.JSON()["on"] == "" {
			t.Fatalf("update %s %v", u.Header.Get("Location"), u.JSON())
		}
		e.req("manager", "POST", path+"/updates", map[string]any{"note": "Internt: budget klar", "on": "2026-02-01"}).want(http.StatusCreated)
		if n := len(listOf(e.req("viewer", "GET", path+"/updates", nil).want(http.StatusOK))); n != 2 {
			t.Fatalf("updates = %d", n)
		}
		visible := listOf(e.req("viewer", "GET", path+"/updates?customer_visible=true", nil).want(http.StatusOK))
		if len(visible) != 1 || visible[0]["note"] != "Pilot i skolförvaltningen" {
			t.Fatalf("visible = %v", visible)
		}
		// The customer's view of the account.
		cv := listOf(e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/improvements", nil).want(http.StatusOK))
		if len(cv) != 1 || len(cv[0]["updates"].([]any)) != 1 || cv[0]["realised_effect"] != "" {
			t.Fatalf("customer view = %v", cv)
		}
		// Done needs the realised effect.
		e.patch("manager", path, 4, map[string]any{"status": "done"}).want(http.StatusUnprocessableEntity).fieldError("realised_effect", "required")
		i = e.patch("manager", path, 4, map[string]any{"status": "done", "realised_effect": "Samtalen om lösenord minskade med 60 %"}).want(http.StatusOK).JSON()
		if i["done_at"] == nil {
			t.Fatalf("done %v", i)
		}
		report := e.req("viewer", "GET", "/api/v1/improvements?status=done", nil).want(http.StatusOK).Items()
		if len(report) != 1 || report[0]["realised_effect"] != "Samtalen om lösenord minskade med 60 %" {
			t.Fatalf("report = %v", report)
		}
		items := e.req("viewer", "GET", "/api/v1/improvements?origin=complaint&service_id="+w.svc+"&organisation_id="+w.acct+"&q=losenordsaterstallning", nil).want(http.StatusOK).Items()
		if len(items) != 1 {
			t.Fatalf("filtered = %v", items)
		}
		e.req("viewer", "GET", "/api/v1/improvements?origin=rumour", nil).problem(http.StatusUnprocessableEntity)
		hist := e.req("viewer", "GET", path+"/history", nil).want(http.StatusOK).Items()
		if len(hist) != 5 {
			t.Fatalf("history = %d", len(hist))
		}
		// Only head and admin, or the proposer while proposed, delete.
		e.req("manager", "DELETE", path, nil, "If-Match", `"5"`).problem(http.StatusForbidden)
		e.req("head", "DELETE", path, nil).problem(http.StatusPreconditionRequired)
		e.req("head", "DELETE", path, nil, "If-Match", `"5"`).want(http.StatusNoContent)
		e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
		e.req("head", "POST", path+"/restore", nil).want(http.StatusOK)
	})
}

func TestImprovementRaisedBySeveralAccounts(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		acct2 := e.org(map[string]any{"name": "Lunds kommun", "budget_holder": true, "relationship_manager_id": e.users["manager2"].ID})["id"].(string)
		acct3 := e.org(map[string]any{"name": "Helsingin kaupunki", "budget_holder": true})["id"].(string)
		id := e.create("manager", "/api/v1/improvements", map[string]any{"title": "Tjänstekatalog på engelska", "origin": "customer"})["id"].(string)
		path := "/api/v1/improvements/" + id + "/raised-by"
		// An account's demand is recorded by its manager, head or admin.
		e.req("manager", "POST", path, map[string]any{"organisation_id": acct2}).problem(http.StatusForbidden)
		e.req("staff", "POST", path, map[string]any{"organisation_id": w.acct}).problem(http.StatusForbidden)
		i := e.req("manager", "POST", path, map[string]any{"organisation_id": w.acct, "note": "Vid tjänsteuppföljningen"}).want(http.StatusCreated).JSON()
		if i["raised_by_count"] != 1.0 || i["flagged"] != false {
			t.Fatalf("after one %v", i)
		}
		e.req("manager", "POST", path, map[string]any{"organisation_id": w.acct}).problem(http.StatusConflict)
		e.req("manager2", "POST", path, map[string]any{"organisation_id": acct2, "raised_on": "2026-01-10"}).want(http.StatusCreated)
		if n := len(e.req("head", "GET", "/api/v1/improvements?flagged=true", nil).want(http.StatusOK).Items()); n != 0 {
			t.Fatalf("flagged after two = %d", n)
		}
		i = e.req("head", "POST", path, map[string]any{"organisation_id": acct3}).want(http.StatusCreated).JSON()
		if i["raised_by_count"] != 3.0 || i["flagged"] != true {
			t.Fatalf("after three %v", i)
		}
		flagged := e.req("head", "GET", "/api/v1/improvements?flagged=true", nil).want(http.StatusOK).Items()
		if len(flagged) != 1 || flagged[0]["id"] != id {
			t.Fatalf("flagged = %v", flagged)
		}
		rs := listOf(e.req("viewer", "GET", path, nil).want(http.StatusOK))
		if len(rs) != 3 || rs[0]["organisation_name"] != "Lunds kommun" || rs[1]["recorded_by_name"] != "Test manager" {
			t.Fatalf("raisers = %v", rs)
		}
		// A higher threshold unflags it.
		etag := e.req("admin", "GET", "/api/v1/settings", nil).want(http.StatusOK).Header.Get("ETag")
		e.req("admin", "PATCH", "/api/v1/settings", map[string]any{"demand_accounts": 1}, "If-Match", etag, "Content-Type", "application/merge-patch+json").problem(http.StatusUnprocessableEntity)
		e.req("admin", "PATCH", "/api/v1/settings", map[string]any{"demand_accounts": 4}, "If-Match", etag, "Content-Type", "application/merge-patch+json").want(http.StatusOK)
		if f := e.req("head", "GET", "/api/v1/improvements/"+id, nil).want(http.StatusOK).JSON()["flagged"]; f != false {
			t.Fatal("still flagged above the threshold")
		}
		e.req("manager2", "DELETE", path+"/"+acct2, nil).want(http.StatusNoContent)
		e.req("manager2", "DELETE", path+"/"+acct2, nil).problem(http.StatusNotFound)
	})
}

// listOf reads an answer that is a plain list of items (no paging).
func listOf(r *resp) []map[string]any {
	var out []map[string]any
	for _, x := range r.JSON()["items"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}
