package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestDecisionAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		lab := &liaison.Service{Name: "Labbsystem", Status: liaison.ServiceLive, CustomerSpecific: true,
			Levels: []liaison.ServiceLevel{{Name: "Guld"}}}
		if err := e.db.CreateService(context.Background(), lab); err != nil {
			t.Fatal(err)
		}
		body := map[string]any{"organisation_id": w.acct, "service_id": lab.ID, "kind": "new_service",
			"summary": "Införa labbsystemet", "prepared_with_person_id": w.orderer, "decided_by_person_id": w.orderer,
			"decided_on": "2026-03-01"}
		// Decided by the orderer it was prepared with: refused, naming the customer.
		e.req("manager", "POST", "/api/v1/decisions", body).want(http.StatusUnprocessableEntity).fieldError("decided_by_person_id", "not_customer")
		p := e.req("manager", "POST", "/api/v1/decisions", body).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "Karin Berg") {
			t.Fatalf("decided by an orderer: %v", p)
		}
		// A service that is not customer-specific is refused.
		common := map[string]any{}
		for k, v := range body {
			common[k] = v
		}
		common["service_id"], common["decided_by_person_id"] = w.svc, w.customer
		e.req("manager", "POST", "/api/v1/decisions", common).want(http.StatusUnprocessableEntity).fieldError("service_id", "invalid")

		body["decided_by_person_id"] = w.customer
		e.req("manager2", "POST", "/api/v1/decisions", body).problem(http.StatusForbidden)
		r := e.req("manager", "POST", "/api/v1/decisions", body, "Idempotency-Key", "dec-1").want(http.StatusCreated)
		d := r.JSON()
		id := d["id"].(string)
		if r.Header.Get("Location") != "/api/v1/decisions/"+id || d["decided_by_name"] != "Karin Berg" || d["prepared_with_name"] != "Olle Ek" {
			t.Fatalf("created %s %v", r.Header.Get("Location"), d)
		}
		if again := e.req("manager", "POST", "/api/v1/decisions", body, "Idempotency-Key", "dec-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another decision")
		}
		// Changing the decider to the orderer is refused; a stale If-Match answers 412.
		e.patch("manager", "/api/v1/decisions/"+id, 1, map[string]any{"decided_by_person_id": w.orderer}).problem(http.StatusUnprocessableEntity)
		e.patch("manager", "/api/v1/decisions/"+id, 0, map[string]any{"notes": "x"}).problem(http.StatusPreconditionFailed)
		d = e.patch("manager", "/api/v1/decisions/"+id, 1, map[string]any{"kind": "change", "notes": "Protokoll bifogat"}).want(http.StatusOK).JSON()
		if d["kind"] != "change" || d["version"] != 2.0 {
			t.Fatalf("patched %v", d)
		}
		items := e.req("viewer", "GET", "/api/v1/decisions?organisation_id="+w.acct+"&service_id="+lab.ID+"&q=labbsystemet", nil).want(http.StatusOK).JSON()["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("list = %v", items)
		}
		e.req("viewer", "GET", "/api/v1/decisions?kind=renewal", nil).problem(http.StatusUnprocessableEntity)
		hist := e.req("viewer", "GET", "/api/v1/decisions/"+id+"/history", nil).want(http.StatusOK).JSON()["items"].([]any)
		if len(hist) != 2 {
			t.Fatalf("history = %v", hist)
		}
		e.req("manager", "DELETE", "/api/v1/decisions/"+id, nil).problem(http.StatusPreconditionRequired)
		e.req("manager", "DELETE", "/api/v1/decisions/"+id, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		e.req("viewer", "GET", "/api/v1/decisions/"+id, nil).problem(http.StatusNotFound)
	})
}
