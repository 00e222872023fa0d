package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestServicesAndSubscriptions(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		m1, staff := e.users["manager"].ID, e.users["staff"].ID
		acc := e.org(map[string]any{"name": "Malmö stad", "budget_holder": true, "relationship_manager_id": m1})
		other := e.org(map[string]any{"name": "Other", "budget_holder": true})
		dept := e.org(map[string]any{"name": "Dept", "parent_id": acc["id"]})
		levels := []map[string]any{
			{"name": "Gold", "availability_percent": 99.9, "response_minutes": 15, "resolution_minutes": 240, "support_hours": "24/7", "price": 12.5},
			{"name": "Silver", "availability_percent": 99.5, "response_minutes": 60, "resolution_minutes": 480},
		}

		// Services are curated by admin and head.
		e.req("manager", "POST", "/api/v1/services", map[string]any{"name": "E-mail"}).problem(http.StatusForbidden)
		e.req("head", "POST", "/api/v1/services", map[string]any{"name": "E-mail", "status": "live"}).fieldError("levels", "required")
		e.req("head", "POST", "/api/v1/services", map[string]any{"name": "E-mail", "status": "beta"}).fieldError("status", "invalid")
		e.req("head", "POST", "/api/v1/services", map[string]any{"name": "E-mail", "levels": []map[string]any{{"name": "Gold", "availability_percent": 101}}}).
			fieldError("levels[0].availability_percent", "invalid")
		mail := e.create("head", "/api/v1/services", map[string]any{"name": "E-mail", "status": "live", "owner_id": staff,
			"price_model": "per_user", "currency": "sek", "levels": levels})
		if mail["currency"] != "SEK" || mail["status"] != "live" || len(mail["levels"].([]any)) != 2 || mail["owner_id"] != staff {
			t.Errorf("service: %v", mail)
		}
		lab := e.create("admin", "/api/v1/services", map[string]any{"name": "Lab systems", "status": "live", "customer_specific": true, "levels": levels})
		old := e.create("admin", "/api/v1/services", map[string]any{"name": "Fax", "status": "retired", "levels": levels})
		mailPath := "/api/v1/services/" + mail["id"].(string)

		for q, want := range map[string]int{"status=live": 2, "status=retired": 1, "owner_id=" + staff: 1, "q=mail": 1,
			"customer_specific=true": 1, "sort=-name&limit=1": 1} {
			if got := e.req("viewer", "GET", "/api/v1/services?"+q, nil).want(http.StatusOK).Items(); len(got) != want {
				t.Errorf("?%s: %d services, want %d", q, len(got), want)
			}
		}
		e.req("viewer", "GET", "/api/v1/services?status=gone", nil).problem(http.StatusUnprocessableEntity)

		// The owner (staff) may edit targets but not the status; others may not edit.
		e.patch("manager", mailPath, 1, map[string]any{"description": "x"}).problem(http.StatusForbidden)
		e.patch("staff", mailPath, 1, map[string]any{"status": "retired"}).problem(http.StatusForbidden)
		e.patch("staff", mailPath, 1, map[string]any{"description": "Mail and calendar"}).want(http.StatusOK)
		e.req("staff", "PATCH", mailPath, map[string]any{"description": "y"}, "If-Match", `"2"`, "X-Test-Scope", "read").problem(http.StatusForbidden)

		// Usages: the account's manager records them.
		sub := e.create("manager", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": mail["id"],
			"level": "gold", "users": 1200, "workload": "3 TB"})
		if sub["level"] != "Gold" || sub["service_name"] != "E-mail" || sub["organisation_name"] != "Malmö stad" || sub["contact_user_id"] != nil {
			t.Errorf("subscription: %v", sub)
		}
		e.req("manager", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": other["id"], "service_id": mail["id"], "level": "Gold"}).
			problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": mail["id"], "level": "Silver"}).
			problem(http.StatusForbidden)
		p := e.req("manager", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": mail["id"], "level": "Platinum"}).
			problem(http.StatusUnprocessableEntity)
		if errs := p["errors"].([]any); len(errs) != 1 || !strings.Contains(errs[0].(map[string]any)["message"].(string), "Gold, Silver") {
			t.Errorf("level refusal does not list the levels: %v", p)
		}
		e.req("manager", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": old["id"], "level": "Gold"}).
			fieldError("service_id", "invalid")
		e.req("manager", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": lab["id"], "level": "Gold"}).
			fieldError("contact_user_id", "required")
		e.req("manager", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": dept["id"], "service_id": mail["id"], "level": "Gold"}).
			fieldError("organisation_id", "invalid")
		e.req("manager", "POST", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": mail["id"], "level": "Gold"}).
			problem(http.StatusConflict)
		labSub := e.create("manager", "/api/v1/subscriptions", map[string]any{"organisation_id": acc["id"], "service_id": lab["id"],
			"level": "Silver", "contact_user_id": m1})

		for q, want := range map[string]int{"organisation_id=" + acc["id"].(string): 2, "service_id=" + mail["id"].(string): 1,
			"no_contact=true": 1, "contact_user_id=" + m1: 1, "q=lab": 1, "q=malmo": 2, "level=Gold": 1} {
			if got := e.req("viewer", "GET", "/api/v1/subscriptions?"+q, nil).want(http.StatusOK).Items(); len(got) != want {
				t.Errorf("?%s: %d usages, want %d", q, len(got), want)
			}
		}
		cov := e.req("viewer", "GET", "/api/v1/subscriptions/coverage", nil).want(http.StatusOK).JSON()
		if cov["usages"].(float64) != 2 || cov["with_contact"].(float64) != 1 || cov["percent"].(float64) != 50 {
			t.Errorf("coverage: %v", cov)
		}

		// Update: level and contact; derived names are read-only; stale versions refused.
		subPath := "/api/v1/subscriptions/" + sub["id"].(string)
		e.patch("manager", subPath, 1, map[string]any{"service_name": "Other"}).fieldError("service_name", "read_only")
		u := e.patch("manager", subPath, 1, map[string]any{"level": "Silver", "contact_user_id": m1}).want(http.StatusOK).JSON()
		if u["level"] != "Silver" || u["contact_name"] != "Test manager" || u["version"].(float64) != 2 {
			t.Errorf("updated usage: %v", u)
		}
		e.patch("manager", subPath, 1, map[string]any{"level": "Gold"}).problem(http.StatusPreconditionFailed)
		e.patch("manager", subPath, 2, map[string]any{"level": "Bronze"}).fieldError("level", "invalid")

		// A level in use cannot be dropped; the service cannot be deleted while used.
		e.patch("head", mailPath, 2, map[string]any{"levels": levels[:1]}).problem(http.StatusConflict)
		e.req("head", "DELETE", mailPath, nil, "If-Match", `"2"`).problem(http.StatusConflict)

		// Delete a usage: 428 without If-Match, then gone; its history remains.
		e.req("manager", "DELETE", subPath, nil).problem(http.StatusPreconditionRequired)
		e.req("manager2", "DELETE", subPath, nil, "If-Match", `"2"`).problem(http.StatusForbidden)
		e.req("manager", "DELETE", subPath, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		e.req("viewer", "GET", subPath, nil).problem(http.StatusNotFound)
		if h := e.req("viewer", "GET", subPath+"/history", nil).want(http.StatusOK).Items(); len(h) != 3 {
			t.Errorf("usage history: %d entries", len(h))
		}
		e.req("manager", "DELETE", "/api/v1/subscriptions/"+labSub["id"].(string), nil, "If-Match", `"1"`).want(http.StatusNoContent)
		e.req("head", "DELETE", mailPath, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		if h := e.req("viewer", "GET", mailPath+"/history", nil).want(http.StatusOK).Items(); len(h) != 3 {
			t.Errorf("service history: %d entries", len(h))
		}

		// Idempotent create.
		body := map[string]any{"name": "Backup", "levels": levels}
		a := e.req("head", "POST", "/api/v1/services", body, "Idempotency-Key", "svc-1").want(http.StatusCreated).JSON()
		b := e.req("head", "POST", "/api/v1/services", body, "Idempotency-Key", "svc-1").want(http.StatusCreated).JSON()
		if a["id"] != b["id"] {
			t.Errorf("replayed create made another service: %v, %v", a["id"], b["id"])
		}
	})
}
