package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

// agreementWorld is an account managed by "manager" with a customer, an
// orderer below it and a service.
type agreementWorld struct {
	acct, customer, orderer, svc string
}

func mkAgreementWorld(t *testing.T, e *env) agreementWorld {
	t.Helper()
	var w agreementWorld
	w.acct = e.org(map[string]any{"name": "Malmö stad", "budget_holder": true, "relationship_manager_id": e.users["manager"].ID})["id"].(string)
	unit := e.org(map[string]any{"name": "Skolor", "parent_id": w.acct})["id"].(string)
	w.customer = e.create("admin", "/api/v1/people", map[string]any{"name": "Karin Berg", "organisation_id": w.acct})["id"].(string)
	w.orderer = e.create("admin", "/api/v1/people", map[string]any{"name": "Olle Ek", "organisation_id": unit})["id"].(string)
	e.create("admin", "/api/v1/roles", map[string]any{"person_id": w.customer, "organisation_id": w.acct, "role": "customer", "active": true})
	e.create("admin", "/api/v1/roles", map[string]any{"person_id": w.orderer, "organisation_id": unit, "role": "orderer", "active": true})
	s := &liaison.Service{Name: "E-post", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{{Name: "Guld", AvailabilityPercent: liaison.Ptr(99.9)}}}
	if err := e.db.CreateService(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	w.svc = s.ID
	return w
}

func TestAgreementAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		body := map[string]any{"organisation_id": w.acct, "title": "Avtal 2026", "type": "service_level",
			"signed_by_person_id": w.orderer, "start_date": "2026-01-01", "end_date": "2026-12-31", "renewal": "tacit",
			"notice_months": 3, "annual_amount": 120000, "currency": "SEK", "business_value": "Skolorna kan undervisa digitalt",
			"services": []any{map[string]any{"service_id": w.svc, "level": "Guld"}}}
		r := e.req("manager", "POST", "/api/v1/agreements", body, "Idempotency-Key", "agr-1").want(http.StatusCreated)
		a := r.JSON()
		id := a["id"].(string)
		if r.Header.Get("Location") != "/api/v1/agreements/"+id || a["status"] != "draft" || a["review_interval_months"] != 12.0 {
			t.Fatalf("created %s %v", r.Header.Get("Location"), a)
		}
		if again := e.req("manager", "POST", "/api/v1/agreements", body, "Idempotency-Key", "agr-1").want(http.StatusCreated).JSON(); again["id"] != id {
			t.Fatal("retried create made another agreement")
		}
		e.req("manager2", "POST", "/api/v1/agreements", body).problem(http.StatusForbidden)

		// draft → active is not a transition.
		p := e.patch("manager", "/api/v1/agreements/"+id, 1, map[string]any{"status": "active"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "allowed: negotiation, terminated") {
			t.Fatalf("draft → active: %v", p)
		}
		e.patch("manager", "/api/v1/agreements/"+id, 1, map[string]any{"status": "negotiation"}).want(http.StatusOK)
		// Signed by an orderer it cannot become active: the problem names the customer.
		p = e.patch("manager", "/api/v1/agreements/"+id, 2, map[string]any{"status": "active"}).problem(http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(p["errors"]), "Karin Berg") {
			t.Fatalf("activation by orderer: %v", p)
		}
		e.req("manager", "PATCH", "/api/v1/agreements/"+id, map[string]any{"status": "active"}, "If-Match", `"2"`,
			"Content-Type", "application/merge-patch+json").want(http.StatusUnprocessableEntity).fieldError("signed_by_person_id", "not_customer")
		// A stale If-Match answers 412.
		e.patch("manager", "/api/v1/agreements/"+id, 1, map[string]any{"title": "x"}).problem(http.StatusPreconditionFailed)
		// Signed by the customer it can.
		r = e.patch("manager", "/api/v1/agreements/"+id, 2, map[string]any{"status": "active", "signed_by_person_id": w.customer}).want(http.StatusOK)
		a = r.JSON()
		if a["status"] != "active" || a["version"] != 3.0 || r.Header.Get("ETag") != `"3"` || a["signed_on"] == nil || a["next_review_date"] == nil {
			t.Fatalf("activated: %v", a)
		}
		// The revision history lists every version with its changed fields.
		revs := e.req("viewer", "GET", "/api/v1/agreements/"+id+"/revisions", nil).want(http.StatusOK).JSON()["items"].([]any)
		if len(revs) != 3 {
			t.Fatalf("%d revisions", len(revs))
		}
		var changed []string
		for _, c := range revs[0].(map[string]any)["changes"].([]any) {
			changed = append(changed, c.(map[string]any)["field"].(string))
		}
		if got := strings.Join(changed, ","); got != "next_review_date,signed_by_person_id,signed_on,status" {
			t.Fatalf("version 3 changed %s", got)
		}
		d := e.req("viewer", "GET", "/api/v1/agreements/"+id+"/diff?from=1&to=3", nil).want(http.StatusOK).JSON()
		if len(d["changes"].([]any)) != 4 {
			t.Fatalf("diff %v", d)
		}
		e.req("viewer", "GET", "/api/v1/agreements/"+id+"/revisions/1", nil).want(http.StatusOK)
		e.req("viewer", "GET", "/api/v1/agreements/"+id+"/revisions/7", nil).problem(http.StatusNotFound)
		// active → draft is refused; → expired is allowed.
		e.patch("admin", "/api/v1/agreements/"+id, 3, map[string]any{"status": "draft"}).problem(http.StatusUnprocessableEntity)

		// The KPI counts the account.
		k := e.req("viewer", "GET", "/api/v1/kpis", nil).want(http.StatusOK).JSON()
		if k["accounts_total"] != 1.0 || k["accounts_with_active_agreement"] != 1.0 || k["agreement_share_percent"] != 100.0 {
			t.Fatalf("kpis %v", k)
		}

		// Lists and filters.
		if n := len(e.req("viewer", "GET", "/api/v1/agreements?status=active&organisation_id="+w.acct, nil).want(200).Items()); n != 1 {
			t.Fatalf("list %d", n)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/agreements?q=avtal&service_id="+w.svc+"&manager_id="+e.users["manager"].ID, nil).want(200).Items()); n != 1 {
			t.Fatalf("filtered list %d", n)
		}
		e.req("viewer", "GET", "/api/v1/agreements?status=signed", nil).problem(http.StatusUnprocessableEntity)
		e.req("viewer", "GET", "/api/v1/agreements?colour=red", nil).problem(http.StatusUnprocessableEntity)
		hist := e.req("viewer", "GET", "/api/v1/agreements/"+id+"/history", nil).want(200).Items()
		if len(hist) != 3 {
			t.Fatalf("history %d", len(hist))
		}
	})
}

func TestAgreementAttachmentsAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		id := e.create("manager", "/api/v1/agreements", map[string]any{"organisation_id": w.acct, "title": "Filer", "type": "routines"})["id"].(string)
		base := "/api/v1/agreements/" + id + "/attachments"
		r := e.req("manager", "POST", base+"?name=avtal.pdf", []byte("%PDF-1.7 signed"), "Content-Type", "application/pdf").want(http.StatusCreated)
		at := r.JSON()
		if at["size"] != 15.0 || at["content_type"] != "application/pdf" || at["created_by"] != "Test manager" {
			t.Fatalf("attachment %v", at)
		}
		got := e.req("viewer", "GET", base+"/"+at["id"].(string), nil).want(http.StatusOK)
		if string(got.Body) != "%PDF-1.7 signed" || got.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(got.Header.Get("Content-Disposition"), `filename=avtal.pdf`) || got.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download %v %q", got.Header, got.Body)
		}
		e.req("manager", "POST", base+"?name=x.html", "<script>", "Content-Type", "text/html").fieldError("content_type", "invalid")
		e.req("manager", "POST", base+"?name=fake.pdf", "<html>", "Content-Type", "application/pdf").fieldError("content_type", "invalid")
		big := append([]byte("%PDF-"), make([]byte, liaison.MaxAttachmentBytes)...)
		if c := e.req("manager", "POST", base+"?name=big.pdf", big, "Content-Type", "application/pdf").Code; c != http.StatusRequestEntityTooLarge {
			t.Fatalf("oversized file: %d", c)
		}
		e.req("manager2", "POST", base+"?name=a.pdf", "%PDF-", "Content-Type", "application/pdf").problem(http.StatusForbidden)
		if n := len(e.req("viewer", "GET", base, nil).want(200).JSON()["items"].([]any)); n != 1 {
			t.Fatalf("%d attachments", n)
		}
		e.req("manager", "DELETE", base+"/"+at["id"].(string), nil).want(http.StatusNoContent)
	})
}

func TestSLAResultsAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		id := e.create("manager", "/api/v1/agreements", map[string]any{"organisation_id": w.acct, "title": "SLA", "type": "service_level",
			"services": []any{map[string]any{"service_id": w.svc}}})["id"].(string)
		r := e.create("manager", "/api/v1/sla-results", map[string]any{"agreement_id": id, "service_id": w.svc, "period": "2026-04",
			"metric": "availability", "target": 99.9, "actual": 99.2})
		if r["breached"] != true || r["unit"] != "%" {
			t.Fatalf("result %v", r)
		}
		e.req("manager", "POST", "/api/v1/sla-results", map[string]any{"agreement_id": id, "service_id": w.svc, "period": "2026-4",
			"metric": "availability", "target": 99.9, "actual": 99.2}).problem(http.StatusUnprocessableEntity)
		e.patch("manager", "/api/v1/sla-results/"+r["id"].(string), 1, map[string]any{"actual": 99.95}).want(http.StatusOK)
		e.patch("manager", "/api/v1/sla-results/"+r["id"].(string), 2, map[string]any{"breached": true}).fieldError("breached", "read_only")

		csv := "service;period;metric;target;actual\nE-post;2026-05;availability;99,9;99,1\nE-post;2026-06;response_time;30;12\n"
		imp := e.req("manager", "POST", "/api/v1/sla-results/import?dry_run=true&agreement_id="+id, csv, "Content-Type", "text/csv").want(http.StatusOK).JSON()
		if imp["imported"] != 2.0 || imp["dry_run"] != true {
			t.Fatalf("dry run %v", imp)
		}
		bad := "service;period;metric;target;actual\nE-post;2026-05;availability;99,9;99,1\nNope;2026-06;availability;99;99\n"
		imp = e.req("manager", "POST", "/api/v1/sla-results/import?agreement_id="+id, bad, "Content-Type", "text/csv").want(http.StatusUnprocessableEntity).JSON()
		if rej := imp["rejected"].([]any); len(rej) != 1 || rej[0].(map[string]any)["line"] != 3.0 {
			t.Fatalf("rejected %v", imp)
		}
		e.req("manager", "POST", "/api/v1/sla-results/import?agreement_id="+id, csv, "Content-Type", "text/csv").want(http.StatusOK)
		if n := len(e.req("viewer", "GET", "/api/v1/sla-results?breached=true&agreement_id="+id, nil).want(200).Items()); n != 1 {
			t.Fatalf("%d breaches", n)
		}
		if n := len(e.req("viewer", "GET", "/api/v1/sla-results?organisation_id="+w.acct, nil).want(200).Items()); n != 3 {
			t.Fatalf("%d results", n)
		}
		e.req("manager", "DELETE", "/api/v1/sla-results/"+r["id"].(string), nil).problem(http.StatusPreconditionRequired)
		e.req("manager", "DELETE", "/api/v1/sla-results/"+r["id"].(string), nil, "If-Match", `"2"`).want(http.StatusNoContent)
	})
}
