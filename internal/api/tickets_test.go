package api_test

import (
	"net/http"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestTicketSatisfactionAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		e.req("admin", "PATCH", "/api/v1/organisations/"+w.acct, map[string]any{"external_id": "K-7"}, "If-Match", `"1"`).want(http.StatusOK)
		today := liaison.FormatDate(time.Now().UTC())
		batch := map[string]any{"items": []any{
			map[string]any{"source": "servicenow", "external_ticket_id": "INC-1", "account_external_id": "K-7", "score": 5, "closed_on": today, "service_id": w.svc},
			map[string]any{"source": "servicenow", "external_ticket_id": "INC-2", "organisation_id": w.acct, "score": 40, "scale": "percent", "closed_on": today, "comment": "Slow"},
		}}
		rep := e.req("head", "POST", "/api/v1/ticket-satisfaction", batch).want(http.StatusOK).JSON()
		if rep["created"] != 2.0 || rep["updated"] != 0.0 || len(rep["rejected"].([]any)) != 0 {
			t.Fatalf("first batch %v", rep)
		}
		// Resending the batch updates; nothing is duplicated.
		rep = e.req("admin", "POST", "/api/v1/ticket-satisfaction", batch).want(http.StatusOK).JSON()
		if rep["created"] != 0.0 || rep["updated"] != 2.0 {
			t.Fatalf("resent batch %v", rep)
		}
		list := e.req("viewer", "GET", "/api/v1/ticket-satisfaction?organisation_id="+w.acct+"&limit=1", nil).want(http.StatusOK).JSON()
		if items := list["items"].([]any); len(items) != 1 || list["next_cursor"] == "" {
			t.Fatalf("first page %v", list)
		}
		sum := e.req("staff", "GET", "/api/v1/organisations/"+w.acct+"/ticket-satisfaction", nil).want(http.StatusOK).JSON()
		if sum["count"] != 2.0 || sum["average"] != 3.8 || sum["csat"] != 50.0 || len(sum["months"].([]any)) != 12 {
			t.Fatalf("summary %v", sum)
		}
		// Per-item errors, nothing stored; the answer is 422.
		bad := map[string]any{"items": []any{
			map[string]any{"source": "servicenow", "external_ticket_id": "INC-3", "account_external_id": "K-7", "score": 4, "closed_on": today},
			map[string]any{"source": "servicenow", "external_ticket_id": "INC-4", "account_external_id": "nope", "score": 4, "closed_on": today},
			map[string]any{"source": "servicenow", "external_ticket_id": "INC-5", "organisation_id": w.acct, "score": 9, "closed_on": "yesterday"},
		}}
		rep = e.req("head", "POST", "/api/v1/ticket-satisfaction", bad).want(http.StatusUnprocessableEntity).JSON()
		rej := rep["rejected"].([]any)
		if len(rej) != 3 || rej[0].(map[string]any)["item"] != 2.0 || rej[1].(map[string]any)["item"] != 3.0 {
			t.Fatalf("rejections %v", rep)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/ticket-satisfaction", nil).want(http.StatusOK).JSON()["items"].([]any)); n != 2 {
			t.Fatalf("%d ratings after a rejected batch, want 2", n)
		}
		// Too large a batch is refused by the schema.
		many := make([]any, 1001)
		for i := range many {
			many[i] = map[string]any{"source": "s", "external_ticket_id": "x", "organisation_id": w.acct, "score": 4, "closed_on": today}
		}
		e.req("admin", "POST", "/api/v1/ticket-satisfaction", map[string]any{"items": many}).want(http.StatusUnprocessableEntity)
		// Managers and read tokens do not import.
		e.req("manager", "POST", "/api/v1/ticket-satisfaction", batch).want(http.StatusForbidden)
		e.req("admin", "POST", "/api/v1/ticket-satisfaction", batch, "X-Test-Scope", "read").want(http.StatusForbidden)
		e.req("viewer", "GET", "/api/v1/organisations/nope/ticket-satisfaction", nil).want(http.StatusNotFound)
	})
}
