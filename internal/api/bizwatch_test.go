package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestBusinessPlanAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		body := map[string]any{"organisation_id": w.acct, "title": "Digital skola 2028", "horizon": "medium", "target_date": "2028-08-15",
			"it_effect": "En dator per elev och en gemensam lärplattform.", "service_ids": []any{w.svc},
			"source_url": "https://malmo.example.se/verksamhetsplan.pdf", "owner_person_id": w.customer}
		// Account data: staff, viewers and another manager may not write it.
		e.req("staff", "POST", "/api/v1/business-plans", body).problem(http.StatusForbidden)
		e.req("viewer", "POST", "/api/v1/business-plans", body).problem(http.StatusForbidden)
		e.req("manager2", "POST", "/api/v1/business-plans", body).problem(http.StatusForbidden)
		bad := map[string]any{"organisation_id": w.acct, "title": "x", "horizon": "medium", "source_url": "malmo.se/plan"}
		e.req("manager", "POST", "/api/v1/business-plans", bad).want(http.StatusUnprocessableEntity).fieldError("source_url", "invalid")
		r := e.req("manager", "POST", "/api/v1/business-plans", body, "Idempotency-Key", "bp-1").want(http.StatusCreated)
		b := r.JSON()
		id := b["id"].(string)
		if r.Header.Get("Location") != "/api/v1/business-plans/"+id || b["status"] != "active" || b["review_date"] == "" ||
			b["review_overdue"] != false || b["organisation_name"] != "Malmö stad" || b["owner_person_name"] != "Karin Berg" {
			t.Fatalf("created %s %v", r.Header.Get("Location"), b)
		}
		if again := e.req("manager", "POST", "/api/v1/business-plans", body, "Idempotency-Key", "bp-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("a retried create made another item")
		}
		path := "/api/v1/business-plans/" + id
		e.req("manager", "PATCH", path, map[string]any{"review_date": "2020-01-01"}).problem(http.StatusPreconditionRequired)
		e.patch("manager", path, 2, map[string]any{"review_date": "2020-01-01"}).problem(http.StatusPreconditionFailed)
		e.patch("manager", path, 1, map[string]any{"last_reviewed_on": "2020-01-01"}).want(http.StatusUnprocessableEntity).fieldError("last_reviewed_on", "read_only")
		e.patch("staff", path, 1, map[string]any{"review_date": "2020-01-01"}).problem(http.StatusForbidden)
		b = e.patch("manager", path, 1, map[string]any{"review_date": "2020-01-01"}).want(http.StatusOK).JSON()
		if b["review_overdue"] != true || b["version"] != 2.0 {
			t.Fatalf("patched %v", b)
		}
		// Overdue across accounts, and by manager.
		if got := column(e.req("viewer", "GET", "/api/v1/business-plans?review_overdue=true", nil).want(http.StatusOK).Items(), "id"); got != id {
			t.Fatalf("overdue = %s", got)
		}
		if got := e.req("viewer", "GET", "/api/v1/business-plans?review_overdue=true&manager_id="+e.users["manager2"].ID, nil).want(http.StatusOK).Items(); len(got) != 0 {
			t.Fatalf("overdue of another manager = %v", got)
		}
		for _, q := range []string{"organisation_id=" + w.acct, "service_id=" + w.svc, "status=active", "q=lärplattform", "q=malmo", "sort=-review_date"} {
			if got := e.req("viewer", "GET", "/api/v1/business-plans?"+q, nil).want(http.StatusOK).Items(); len(got) != 1 {
				t.Errorf("?%s: %d items", q, len(got))
			}
		}
		e.req("viewer", "GET", "/api/v1/business-plans?status=paused", nil).problem(http.StatusUnprocessableEntity)
		// Marking reviewed: If-Match, next date a year ahead by default or chosen, audited.
		e.req("manager", "POST", path+"/reviewed", map[string]any{}).problem(http.StatusPreconditionRequired)
		e.req("manager", "POST", path+"/reviewed", map[string]any{"next_review_date": "2020-02-01"}, "If-Match", etagOf(2)).
			want(http.StatusUnprocessableEntity).fieldError("next_review_date", "invalid")
		e.req("manager2", "POST", path+"/reviewed", map[string]any{}, "If-Match", etagOf(2)).problem(http.StatusForbidden)
		b = e.req("manager", "POST", path+"/reviewed", map[string]any{}, "If-Match", etagOf(2)).want(http.StatusOK).JSON()
		if b["review_overdue"] != false || b["last_reviewed_on"] == nil || b["last_reviewed_by_name"] == "" || b["review_date"].(string) <= b["last_reviewed_on"].(string) {
			t.Fatalf("reviewed %v", b)
		}
		if got := e.req("viewer", "GET", "/api/v1/business-plans?review_overdue=true", nil).want(http.StatusOK).Items(); len(got) != 0 {
			t.Fatalf("still overdue: %v", got)
		}
		e.trash("manager", path, 3)
		if got := e.req("head", "GET", "/api/v1/business-plans?trashed=true", nil).want(http.StatusOK).Items(); len(got) != 1 {
			t.Fatalf("trash = %v", got)
		}
		e.req("manager", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		e.req("head", "POST", path+"/restore", nil).want(http.StatusOK)
		if h := e.history(path); h != "restore,delete,update,update,create" {
			t.Fatalf("history = %s", h)
		}
	})
}

func TestWatchAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		body := map[string]any{"title": "Passkeys i stället för lösenord", "summary": "FIDO2-nycklar på hanterade enheter.",
			"relevance": "high", "relevance_note": "Färre lösenordsärenden", "source_url": "https://fidoalliance.org/passkeys/",
			"organisation_ids": []any{w.acct}, "service_ids": []any{w.svc}, "owner_id": e.users["staff"].ID}
		e.req("viewer", "POST", "/api/v1/watch", body).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/watch", body, "X-Test-Scope", "read").problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/watch", map[string]any{"title": "x", "status": "parked"}).problem(http.StatusUnprocessableEntity)
		r := e.req("staff", "POST", "/api/v1/watch", body, "Idempotency-Key", "w-1").want(http.StatusCreated)
		n := r.JSON()
		id := n["id"].(string)
		if r.Header.Get("Location") != "/api/v1/watch/"+id || n["status"] != "noted" || n["improvement_id"] != nil || n["created_by_id"] != e.users["staff"].ID {
			t.Fatalf("created %s %v", r.Header.Get("Location"), n)
		}
		path := "/api/v1/watch/" + id
		p := e.patch("manager2", path, 1, map[string]any{"status": "adopted"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "allowed: evaluating, proposed, rejected") {
			t.Fatalf("invalid transition: %v", p)
		}
		e.patch("manager2", path, 1, map[string]any{"improvement_id": "x"}).want(http.StatusUnprocessableEntity).fieldError("improvement_id", "read_only")
		e.patch("manager2", path, 1, map[string]any{"status": "evaluating"}).want(http.StatusOK)
		for _, q := range []string{"status=evaluating", "organisation_id=" + w.acct, "service_id=" + w.svc, "q=losenord"} {
			if got := e.req("viewer", "GET", "/api/v1/watch?"+q, nil).want(http.StatusOK).Items(); len(got) != 1 {
				t.Errorf("?%s: %d items", q, len(got))
			}
		}
		if got := e.req("viewer", "GET", "/api/v1/watch?status=noted", nil).want(http.StatusOK).Items(); len(got) != 0 {
			t.Errorf("noted = %v", got)
		}
		// One step to an improvement suggestion; twice answers 409.
		e.req("viewer", "POST", path+"/improvement", nil).problem(http.StatusForbidden)
		r = e.req("manager", "POST", path+"/improvement", nil).want(http.StatusCreated)
		res := r.JSON()
		imp, note := res["improvement"].(map[string]any), res["note"].(map[string]any)
		if r.Header.Get("Location") != "/api/v1/improvements/"+imp["id"].(string) || imp["origin"] != "watch" || imp["status"] != "proposed" ||
			imp["title"] != body["title"] || imp["description"] != body["summary"] || note["status"] != "proposed" || note["improvement_id"] != imp["id"] {
			t.Fatalf("proposal %s %v", r.Header.Get("Location"), res)
		}
		p = e.req("head", "POST", path+"/improvement", nil).problem(http.StatusConflict)
		if !strings.Contains(fmt.Sprint(p["detail"]), imp["id"].(string)) {
			t.Fatalf("conflict does not name the improvement: %v", p)
		}
		if got := e.req("viewer", "GET", "/api/v1/improvements?origin=watch", nil).want(http.StatusOK).Items(); len(got) != 1 {
			t.Fatalf("improvements of origin watch = %d", len(got))
		}
		e.req("manager2", "DELETE", path, nil, "If-Match", etagOf(3)).problem(http.StatusForbidden)
		e.trash("staff", path, 3)
		e.req("head", "POST", path+"/restore", nil).want(http.StatusOK)
		if h := e.history(path); h != "restore,delete,update,update,create" {
			t.Fatalf("history = %s", h)
		}
	})
}
