package api_test

import (
	"net/http"
	"testing"
)

func TestSupplierAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		body := map[string]any{"name": "Nordlys Hosting AB", "registration_id": "556677-8899", "contact_email": "drift@nordlys.example",
			"website": "https://nordlys.example", "contract_end_date": "2027-06-30",
			"services": []any{map[string]any{"service_id": w.svc, "note": "Hosting"}}}
		e.req("manager", "POST", "/api/v1/suppliers", body).problem(http.StatusForbidden)
		bad := map[string]any{"name": "X", "website": "nordlys.example", "contact_email": "nope", "contract_end_date": "2027-02-30"}
		r := e.req("head", "POST", "/api/v1/suppliers", bad).want(http.StatusUnprocessableEntity)
		r.fieldError("website", "invalid")
		r.fieldError("contact_email", "invalid")
		e.req("head", "POST", "/api/v1/suppliers", map[string]any{"name": "X", "services": []any{map[string]any{"service_id": "nope"}}}).
			want(http.StatusUnprocessableEntity).fieldError("services[0].service_id", "unknown")

		r = e.req("head", "POST", "/api/v1/suppliers", body, "Idempotency-Key", "sup-1").want(http.StatusCreated)
		s := r.JSON()
		id := s["id"].(string)
		if r.Header.Get("Location") != "/api/v1/suppliers/"+id || s["status"] != "active" || s["version"] != 1.0 {
			t.Fatalf("created %s %v", r.Header.Get("Location"), s)
		}
		links := s["services"].([]any)
		if len(links) != 1 || links[0].(map[string]any)["service_name"] != "E-post" {
			t.Fatalf("links %v", links)
		}
		if again := e.req("head", "POST", "/api/v1/suppliers", body, "Idempotency-Key", "sup-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another supplier")
		}
		e.req("admin", "POST", "/api/v1/suppliers", map[string]any{"name": "nordlys hosting ab"}).problem(http.StatusConflict)

		// The service shows its supplier; its suppliers are read-only there.
		svc := e.req("viewer", "GET", "/api/v1/services/"+w.svc, nil).want(http.StatusOK).JSON()
		sups := svc["suppliers"].([]any)
		if len(sups) != 1 || sups[0].(map[string]any)["name"] != "Nordlys Hosting AB" || sups[0].(map[string]any)["note"] != "Hosting" {
			t.Fatalf("service suppliers %v", sups)
		}
		e.patch("admin", "/api/v1/services/"+w.svc, svc["version"], map[string]any{"suppliers": []any{}}).fieldError("suppliers", "read_only")

		items := e.req("viewer", "GET", "/api/v1/suppliers?service_id="+w.svc+"&q=nordlys&status=active", nil).want(http.StatusOK).Items()
		if len(items) != 1 {
			t.Fatalf("list %v", items)
		}
		e.req("viewer", "GET", "/api/v1/suppliers?status=paused", nil).problem(http.StatusUnprocessableEntity)
		e.req("viewer", "GET", "/api/v1/suppliers?trashed=true", nil).problem(http.StatusForbidden)

		e.patch("manager", "/api/v1/suppliers/"+id, 1, map[string]any{"notes": "x"}).problem(http.StatusForbidden)
		e.patch("head", "/api/v1/suppliers/"+id, 0, map[string]any{"notes": "x"}).problem(http.StatusPreconditionFailed)
		s = e.patch("head", "/api/v1/suppliers/"+id, 1, map[string]any{"status": "inactive", "services": []any{}}).want(http.StatusOK).JSON()
		if s["status"] != "inactive" || len(s["services"].([]any)) != 0 || s["version"] != 2.0 {
			t.Fatalf("patched %v", s)
		}
		// A link as read (with its service_name) may be sent back as it is.
		s = e.patch("head", "/api/v1/suppliers/"+id, 2, map[string]any{"services": []any{map[string]any{"service_id": w.svc, "note": "Drift", "service_name": "stale"}}}).want(http.StatusOK).JSON()
		if l := s["services"].([]any); len(l) != 1 || l[0].(map[string]any)["service_name"] != "E-post" {
			t.Fatalf("relinked %v", s)
		}

		// SLA results attributed to the supplier.
		ag := e.create("manager", "/api/v1/agreements", map[string]any{"organisation_id": w.acct, "title": "SLA 2026", "type": "service_level",
			"services": []any{map[string]any{"service_id": w.svc, "level": "Guld"}}})
		res := e.create("manager", "/api/v1/sla-results", map[string]any{"agreement_id": ag["id"], "service_id": w.svc, "period": "2026-04",
			"metric": "availability", "target": 99.9, "actual": 98.1, "supplier_id": id})
		if res["supplier_name"] != "Nordlys Hosting AB" || res["breached"] != true {
			t.Fatalf("sla %v", res)
		}
		e.req("manager", "POST", "/api/v1/sla-results", map[string]any{"agreement_id": ag["id"], "service_id": w.svc, "period": "2026-05",
			"metric": "availability", "target": 99.9, "actual": 99.95, "supplier_id": "nope"}).want(http.StatusUnprocessableEntity).fieldError("supplier_id", "unknown")
		e.create("manager", "/api/v1/sla-results", map[string]any{"agreement_id": ag["id"], "service_id": w.svc, "period": "2026-05",
			"metric": "availability", "target": 99.9, "actual": 99.95})
		got := e.req("viewer", "GET", "/api/v1/sla-results?supplier_id="+id, nil).want(http.StatusOK).Items()
		if len(got) != 1 || got[0]["id"] != res["id"] {
			t.Fatalf("by supplier %v", got)
		}
		e.patch("manager", "/api/v1/sla-results/"+res["id"].(string), 1, map[string]any{"supplier_name": "x"}).fieldError("supplier_name", "read_only")
		csv := "service;period;metric;target;actual;supplier\nE-post;2026-06;availability;99,9;99,1;Nordlys Hosting AB\n"
		imp := e.req("manager", "POST", "/api/v1/sla-results/import?agreement_id="+ag["id"].(string), csv, "Content-Type", "text/csv").want(http.StatusOK).JSON()
		if imp["imported"] != 1.0 {
			t.Fatalf("import %v", imp)
		}
		if got := e.req("viewer", "GET", "/api/v1/sla-results?supplier_id="+id+"&breached=true", nil).want(http.StatusOK).Items(); len(got) != 2 {
			t.Fatalf("breaches by supplier %v", got)
		}

		hist := e.req("viewer", "GET", "/api/v1/suppliers/"+id+"/history", nil).want(http.StatusOK).JSON()["items"].([]any)
		if len(hist) != 3 {
			t.Fatalf("history %v", hist)
		}
		e.req("head", "DELETE", "/api/v1/suppliers/"+id, nil).problem(http.StatusPreconditionRequired)
		e.req("manager", "DELETE", "/api/v1/suppliers/"+id, nil, "If-Match", `"3"`).problem(http.StatusForbidden)
		e.req("head", "DELETE", "/api/v1/suppliers/"+id, nil, "If-Match", `"3"`).want(http.StatusNoContent)
		e.req("viewer", "GET", "/api/v1/suppliers/"+id, nil).problem(http.StatusNotFound)
		if trash := e.req("head", "GET", "/api/v1/suppliers?trashed=true", nil).want(http.StatusOK).Items(); len(trash) != 1 {
			t.Fatalf("trash %v", trash)
		}
		if res := e.req("viewer", "GET", "/api/v1/sla-results/"+res["id"].(string), nil).want(http.StatusOK).JSON(); res["supplier_name"] != "Nordlys Hosting AB" {
			t.Fatalf("result after trash %v", res)
		}
		e.req("manager", "POST", "/api/v1/suppliers/"+id+"/restore", nil).problem(http.StatusForbidden)
		if s := e.req("head", "POST", "/api/v1/suppliers/"+id+"/restore", nil).want(http.StatusOK).JSON(); s["version"] != 5.0 {
			t.Fatalf("restored %v", s)
		}
	})
}
