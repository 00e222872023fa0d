package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestContactAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		staff := e.users["staff"].ID
		body := map[string]any{"organisation_id": w.acct, "channel": "service_desk", "kind": "request",
			"subject": "Fler licenser till skolkontoret", "person_id": w.orderer}
		e.req("viewer", "POST", "/api/v1/contacts", body).problem(http.StatusForbidden)
		e.req("staff", "POST", "/api/v1/contacts", map[string]any{"organisation_id": w.acct, "channel": "pigeon", "subject": "x"}).
			problem(http.StatusUnprocessableEntity)
		r := e.req("staff", "POST", "/api/v1/contacts", body, "Idempotency-Key", "ct-1").want(http.StatusCreated)
		c := r.JSON()
		id := c["id"].(string)
		if c["status"] != "new" || c["account_id"] != w.acct || c["received_by_id"] != staff || r.Header.Get("Location") != "/api/v1/contacts/"+id {
			t.Fatalf("logged %v", c)
		}
		// The relationship manager is told, once.
		if again := e.req("staff", "POST", "/api/v1/contacts", body, "Idempotency-Key", "ct-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("a retried log made another contact")
		}
		if msgs := e.mailTo("manager@example.com"); len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Fler licenser") {
			t.Fatalf("manager mail: %v", msgs)
		}
		// PATCH needs If-Match; a bad move names the allowed ones.
		e.req("staff", "PATCH", "/api/v1/contacts/"+id, map[string]any{"status": "routed"}).problem(http.StatusPreconditionRequired)
		e.patch("staff", "/api/v1/contacts/"+id, 1, map[string]any{"status": "routed"}).want(http.StatusUnprocessableEntity).
			fieldError("responsible_id", "required")
		routed := e.patch("staff", "/api/v1/contacts/"+id, 1, map[string]any{"status": "routed", "responsible_id": e.users["head"].ID}).
			want(http.StatusOK).JSON()
		if routed["action_id"] == nil || routed["responsible_id"] != e.users["head"].ID {
			t.Fatalf("routed %v", routed)
		}
		task := e.req("viewer", "GET", "/api/v1/actions/"+routed["action_id"].(string), nil).want(http.StatusOK).JSON()
		if task["owner_id"] != e.users["head"].ID || task["organisation_id"] != w.acct {
			t.Fatalf("task %v", task)
		}
		e.patch("staff", "/api/v1/contacts/"+id, 1, map[string]any{"status": "closed"}).problem(http.StatusPreconditionFailed)
		e.patch("staff", "/api/v1/contacts/"+id, 2, map[string]any{"status": "closed", "resolution": "Fem licenser beställda."}).want(http.StatusOK)
		p := e.patch("staff", "/api/v1/contacts/"+id, 3, map[string]any{"status": "new"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(e.history("/api/v1/contacts/"+id), "contact.update") && p == nil {
			t.Fatal("no history")
		}
		// On the account's timeline.
		tl := e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/timeline", nil).want(http.StatusOK).Items()
		found := false
		for _, it := range tl {
			found = found || it["subject_type"] == "contact"
		}
		if !found {
			t.Fatalf("timeline has no contact: %v", tl)
		}
		// A development need becomes a project in one step, by the account's manager.
		dev := e.create("staff", "/api/v1/contacts", map[string]any{"organisation_id": w.acct, "channel": "meeting",
			"kind": "development_need", "subject": "Digital elevportfolio"})
		devID := dev["id"].(string)
		e.req("staff", "POST", "/api/v1/contacts/"+devID+"/project", map[string]any{}, "If-Match", `"1"`).problem(http.StatusForbidden)
		out := e.req("manager", "POST", "/api/v1/contacts/"+devID+"/project", map[string]any{}, "If-Match", `"1"`).want(http.StatusOK).JSON()
		proj := out["project"].(map[string]any)
		if proj["name"] != "Digital elevportfolio" || proj["organisation_id"] != w.acct || out["contact"].(map[string]any)["status"] != "closed" {
			t.Fatalf("to project %v", out)
		}
	})
}

func TestDataSourceAndAnnouncementAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		body := map[string]any{"name": "SAP ekonomi", "data": "Fakturaadresser, kostnadsställen", "maintainer_unit": "Ekonomi",
			"refresh_days": 30, "last_updated_on": "2020-01-01",
			"needs": []any{map[string]any{"unit": "Servicedesk", "data": "Kostnadsställe"}},
			"flows": []any{map[string]any{"direction": "out", "system": "Dokumentportalen", "data": "Fakturor", "mode": "manual"}}}
		e.req("viewer", "POST", "/api/v1/data-sources", body).problem(http.StatusForbidden)
		d := e.create("staff", "/api/v1/data-sources", body)
		if d["stale"] != true {
			t.Fatalf("stale %v", d)
		}
		e.req("staff", "POST", "/api/v1/data-sources", body).problem(http.StatusConflict)
		e.req("staff", "POST", "/api/v1/data-sources", map[string]any{"name": "X", "data": "Y", "refresh_days": 4000}).
			problem(http.StatusUnprocessableEntity)
		id := d["id"].(string)
		e.patch("staff", "/api/v1/data-sources/"+id, 1, map[string]any{"last_updated_on": "2099-01-01"}).want(http.StatusUnprocessableEntity).
			fieldError("last_updated_on", "invalid")
		e.req("staff", "DELETE", "/api/v1/data-sources/"+id, nil, "If-Match", `"1"`).problem(http.StatusForbidden)
		e.req("head", "DELETE", "/api/v1/data-sources/"+id, nil, "If-Match", `"1"`).want(http.StatusNoContent)

		// An announcement targeted at the account reaches its customer and orderer with an email.
		e.patch("admin", "/api/v1/people/"+w.customer, 1, map[string]any{"email": "karin@malmo.example", "language": "sv"}).want(http.StatusOK)
		a := e.create("manager", "/api/v1/announcements", map[string]any{"kind": "critical_window", "title": "Uppdateringsfönster",
			"body": "Servrarna patchas lördag natt.", "starts_on": "2026-12-12", "organisation_ids": []any{w.acct}})
		e.req("staff", "POST", "/api/v1/announcements", map[string]any{"kind": "update", "title": "x", "body": "y"}).problem(http.StatusForbidden)
		aid := a["id"].(string)
		pub := e.req("manager", "POST", "/api/v1/announcements/"+aid+"/publish", nil, "If-Match", `"1"`).want(http.StatusOK).JSON()
		if pub["status"] != "published" || pub["recipients"] != float64(1) {
			t.Fatalf("published %v", pub)
		}
		if msgs := e.mailTo("karin@malmo.example"); len(msgs) != 1 || msgs[0].Language != "sv" {
			t.Fatalf("announcement mail %v", msgs)
		}
		e.patch("manager", "/api/v1/announcements/"+aid, 2, map[string]any{"title": "Ändrad"}).problem(http.StatusConflict)
	})
}
