package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// TestComplaintRecurrenceEscalation is issue 5's must-show: three
// complaints about one service within 90 days raise exactly one escalation
// to head; a fourth adds to it; a service request does not count.
func TestComplaintRecurrenceEscalation(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		now := time.Now().UTC()
		complaint := func(title, class string, daysAgo int) map[string]any {
			body := map[string]any{"organisation_id": w.acct, "service_id": w.svc, "reporter_person_id": w.customer,
				"channel": "phone", "classification": class, "title": title, "severity": "high",
				"received_at": now.AddDate(0, 0, -daysAgo).Format(time.RFC3339)}
			if class == "service_request" {
				body["external_ticket"] = "SD-4711"
			}
			r := e.req("staff", "POST", "/api/v1/complaints", body)
			if r.Code != http.StatusCreated {
				t.Log(e.logs.String())
			}
			return r.want(http.StatusCreated).JSON()
		}
		escalations := func() []any {
			return e.req("viewer", "GET", "/api/v1/escalations?service_id="+w.svc, nil).want(http.StatusOK).JSON()["items"].([]any)
		}
		old := complaint("E-posten låg nere i våras", "complaint", 200) // outside the window
		c1 := complaint("E-posten går inte att nå", "complaint", 40)
		sr := complaint("Ny brevlåda till kansliet", "service_request", 30)
		c2 := complaint("E-post försenad igen", "complaint", 10)
		if n := len(escalations()); n != 0 {
			t.Fatalf("two complaints and a service request raised %d escalations", n)
		}
		if sr["classification"] != "service_request" || c2["recurring"] != false {
			t.Fatalf("service request %v, second complaint %v", sr, c2)
		}
		c3 := complaint("E-posten borta hela förmiddagen", "complaint", 0)
		if c3["recurring"] != true {
			t.Fatalf("the third complaint is not flagged: %v", c3)
		}
		es := escalations()
		if len(es) != 1 {
			t.Fatalf("three complaints raised %d escalations, want 1", len(es))
		}
		esc := es[0].(map[string]any)
		ids := fmt.Sprint(esc["complaint_ids"])
		if esc["target"] != "head" || esc["status"] != "open" || esc["kind"] != "recurrence" ||
			!strings.Contains(ids, c1["id"].(string)) || !strings.Contains(ids, c2["id"].(string)) ||
			!strings.Contains(ids, c3["id"].(string)) || strings.Contains(ids, sr["id"].(string)) ||
			strings.Contains(ids, old["id"].(string)) || esc["organisation_id"] != w.acct {
			t.Fatalf("escalation %v", esc)
		}
		for _, c := range []map[string]any{c1, c2} {
			if got := e.req("viewer", "GET", "/api/v1/complaints/"+c["id"].(string), nil).want(http.StatusOK).JSON(); got["recurring"] != true {
				t.Fatalf("cluster member not flagged: %v", got)
			}
		}
		if got := e.req("viewer", "GET", "/api/v1/complaints/"+sr["id"].(string), nil).JSON(); got["recurring"] != false {
			t.Fatalf("the service request is flagged: %v", got)
		}
		// A fourth adds to the same escalation.
		c4 := complaint("Fjärde gången e-posten strular", "complaint", 0)
		es = escalations()
		if len(es) != 1 {
			t.Fatalf("four complaints: %d escalations, want 1", len(es))
		}
		ids4 := es[0].(map[string]any)["complaint_ids"].([]any)
		if len(ids4) != 4 || !strings.Contains(fmt.Sprint(ids4), c4["id"].(string)) {
			t.Fatalf("after the fourth the escalation links %v", ids4)
		}
		// Suggestions do not count either: still one escalation, four links.
		complaint("Förslag: större brevlådor", "suggestion", 0)
		if es = escalations(); len(es) != 1 || len(es[0].(map[string]any)["complaint_ids"].([]any)) != 4 {
			t.Fatalf("a suggestion changed the escalations: %v", es)
		}
		// KPIs count complaints only: five complaints, no requests or suggestions, all open.
		k := e.req("viewer", "GET", "/api/v1/kpis", nil).want(http.StatusOK).JSON()
		if k["complaints_in_period"] != 5.0 || k["complaints_open"] != 5.0 {
			t.Fatalf("kpis %v", k)
		}
		// Head decides and closes the escalation; a manager may not.
		escID := es[0].(map[string]any)["id"].(string)
		v := es[0].(map[string]any)["version"]
		e.patch("manager", "/api/v1/escalations/"+escID, v, map[string]any{"status": "decided", "decision": "x"}).problem(http.StatusForbidden)
		e.patch("head", "/api/v1/escalations/"+escID, v, map[string]any{"status": "decided"}).want(http.StatusUnprocessableEntity).fieldError("decision", "required")
		d := e.patch("head", "/api/v1/escalations/"+escID, v, map[string]any{"status": "decided", "decision": "Byt e-postleverantör före sommaren"}).want(http.StatusOK).JSON()
		if d["decided_by_name"] == "" || d["decided_at"] == nil || len(d["complaint_ids"].([]any)) != 4 {
			t.Fatalf("decided %v", d)
		}
		d = e.patch("head", "/api/v1/escalations/"+escID, d["version"], map[string]any{"status": "closed"}).want(http.StatusOK).JSON()
		if d["closed_at"] == nil {
			t.Fatalf("closed %v", d)
		}
	})
}

// TestComplaintLifecycleAPI: invalid transitions name the allowed next
// states; every transition is recorded; a notification goes to the
// reporter in their language and is logged.
func TestComplaintLifecycleAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		fi := e.create("admin", "/api/v1/people", map[string]any{"name": "Aino Virtanen", "organisation_id": w.acct,
			"email": "aino.virtanen@example.fi", "language": "fi"})["id"].(string)
		body := map[string]any{"organisation_id": w.acct, "reporter_person_id": fi, "channel": "phone",
			"title": "Laskut myöhässä", "category": "billing"}
		e.req("viewer", "POST", "/api/v1/complaints", body).problem(http.StatusForbidden)
		r := e.req("staff", "POST", "/api/v1/complaints", body, "Idempotency-Key", "cmp-1").want(http.StatusCreated)
		c := r.JSON()
		id := c["id"].(string)
		if r.Header.Get("Location") != "/api/v1/complaints/"+id || c["status"] != "received" || c["account_id"] != w.acct ||
			c["responsible_id"] != e.users["manager"].ID || c["severity"] != "medium" {
			t.Fatalf("created %v", c)
		}
		if again := e.req("staff", "POST", "/api/v1/complaints", body, "Idempotency-Key", "cmp-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another complaint")
		}
		path := "/api/v1/complaints/" + id
		tr := func(as string, version any, b map[string]any) *resp {
			return e.req(as, "POST", path+"/transitions", b, "If-Match", etagOf(version))
		}
		// received → closed is refused, naming the allowed next states.
		p := tr("manager", 1, map[string]any{"status": "closed"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "allowed: confirmed, investigating") {
			t.Fatalf("received → closed: %v", p)
		}
		e.patch("manager", path, 1, map[string]any{"status": "closed"}).want(http.StatusUnprocessableEntity).fieldError("status", "transition")
		// Skipping the confirmation needs a reason.
		tr("manager", 1, map[string]any{"status": "investigating"}).want(http.StatusUnprocessableEntity).fieldError("skip_reason", "required")
		tr("manager2", 1, map[string]any{"status": "confirmed"}).problem(http.StatusForbidden)
		tr("manager", 1, map[string]any{}).problem(http.StatusUnprocessableEntity)
		tr("manager", 0, map[string]any{"status": "confirmed"}).problem(http.StatusPreconditionFailed)
		c = tr("manager", 1, map[string]any{"status": "confirmed", "note": "Soitettu asiakkaalle", "notify": true}).want(http.StatusOK).JSON()
		for _, s := range []string{"investigating", "action", "resolved", "closed"} {
			c = tr("manager", c["version"], map[string]any{"status": s, "notify": s == "closed"}).want(http.StatusOK).JSON()
		}
		if c["status"] != "closed" || c["resolved_at"] == nil || c["closed_at"] == nil {
			t.Fatalf("closed %v", c)
		}
		events := e.req("viewer", "GET", path+"/events", nil).want(http.StatusOK).JSON()["items"].([]any)
		var steps []string
		for _, x := range events {
			ev := x.(map[string]any)
			steps = append(steps, fmt.Sprint(ev["kind"], ":", ev["to"]))
			if ev["actor_name"] == "" {
				t.Fatalf("event without actor %v", ev)
			}
		}
		if got := strings.Join(steps, " "); got != "created:received status:confirmed status:investigating status:action status:resolved status:closed" {
			t.Fatalf("history %s", got)
		}
		// Two notifications in Finnish went to the outbox and are logged.
		msgs, err := e.db.FindMail(context.Background(), liaison.MailFilter{To: "aino.virtanen@example.fi"})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].Language != liaison.Finnish || !strings.Contains(msgs[0].Subject, "Laskut myöhässä") {
			t.Fatalf("outbox %v", msgs)
		}
		comms := e.req("viewer", "GET", path+"/communications", nil).want(http.StatusOK).JSON()["items"].([]any)
		if len(comms) != 2 || comms[0].(map[string]any)["kind"] != "notification" || comms[0].(map[string]any)["mail_id"] == nil {
			t.Fatalf("communications %v", comms)
		}
		e.create("manager", path+"/communications", map[string]any{"kind": "call", "direction": "in", "person_id": fi,
			"summary": "Asiakas kiitti nopeasta korjauksesta"})
		e.req("manager", "POST", path+"/communications", map[string]any{"kind": "call", "summary": ""}).problem(http.StatusUnprocessableEntity)
		// A service request needs the ticket it was handed off to.
		sr := map[string]any{"organisation_id": w.acct, "channel": "email", "classification": "service_request", "title": "Ny skrivare"}
		e.req("staff", "POST", "/api/v1/complaints", sr).want(http.StatusUnprocessableEntity).fieldError("external_ticket", "required")
		// Reclassification is recorded.
		c2 := e.create("staff", "/api/v1/complaints", map[string]any{"organisation_id": w.acct, "service_id": w.svc, "channel": "portal", "title": "Önskar mörkt läge"})
		if c2["responsible_id"] != nil { // the service has no owner and is not the account's; the manager answers
			if c2["responsible_id"] != e.users["manager"].ID {
				t.Fatalf("responsible %v", c2)
			}
		}
		e.patch("manager", "/api/v1/complaints/"+c2["id"].(string), 1, map[string]any{"classification": "suggestion"}).want(http.StatusOK)
		ev := e.req("viewer", "GET", "/api/v1/complaints/"+c2["id"].(string)+"/events", nil).JSON()["items"].([]any)
		if last := ev[len(ev)-1].(map[string]any); last["kind"] != "classification" || last["from"] != "complaint" || last["to"] != "suggestion" {
			t.Fatalf("reclassification %v", ev)
		}
		// Beyond the service level: the explanation is required.
		bl := "/api/v1/complaints/" + c2["id"].(string) + "/beyond-level"
		e.req("manager", "POST", bl, map[string]any{"explanation": " "}, "If-Match", `"2"`).want(http.StatusUnprocessableEntity).fieldError("explanation", "required")
		got := e.req("manager", "POST", bl, map[string]any{"explanation": "Mörkt läge kräver en ny version av tjänsten"}, "If-Match", `"2"`).want(http.StatusOK).JSON()
		impID, _ := got["improvement_id"].(string)
		if got["beyond_level_explanation"] == "" || impID == "" {
			t.Fatalf("beyond level %v", got)
		}
		// The improvement suggestion made from it links back.
		imp := e.req("viewer", "GET", "/api/v1/improvements/"+impID, nil).want(http.StatusOK).JSON()
		if imp["complaint_id"] != c2["id"] || imp["origin"] != "complaint" || imp["status"] != "proposed" ||
			imp["description"] != "Mörkt läge kräver en ny version av tjänsten" {
			t.Fatalf("improvement from the complaint %v", imp)
		}
		// A steering-group escalation raised from a complaint by hand.
		esc := e.create("manager", "/api/v1/escalations", map[string]any{"target": "steering_group", "reason": "Faktureringen brister upprepade gånger",
			"organisation_id": w.acct, "complaint_ids": []string{id}})
		if esc["kind"] != "manual" || esc["raised_by_name"] == "" {
			t.Fatalf("escalation %v", esc)
		}
		e.req("staff", "POST", "/api/v1/escalations", map[string]any{"target": "head", "reason": "x"}).problem(http.StatusForbidden)
		if items := e.req("viewer", "GET", "/api/v1/escalations?complaint_id="+id, nil).JSON()["items"].([]any); len(items) != 1 {
			t.Fatalf("escalations of the complaint %v", items)
		}
		// Lists filter by key fields; delete needs If-Match and goes to the trash.
		if items := e.req("viewer", "GET", "/api/v1/complaints?organisation_id="+w.acct+"&classification=complaint&status=closed&q=laskut", nil).JSON()["items"].([]any); len(items) != 1 {
			t.Fatalf("filtered list %v", items)
		}
		e.req("manager", "DELETE", path, nil).problem(http.StatusPreconditionRequired)
		e.req("manager", "DELETE", path, nil, "If-Match", etagOf(c["version"])).want(http.StatusNoContent)
		e.req("viewer", "GET", path, nil).problem(http.StatusNotFound)
		// The trash is restorable by head and admin.
		e.req("manager", "POST", path+"/restore", nil).problem(http.StatusForbidden)
		if got := e.req("admin", "POST", path+"/restore", nil).want(http.StatusOK).JSON(); got["id"] != c["id"] || got["deleted_at"] != nil {
			t.Fatalf("restored %v", got)
		}
		e.req("viewer", "GET", path, nil).want(http.StatusOK)
	})
}
