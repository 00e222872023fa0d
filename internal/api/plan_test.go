package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestAccountPlanAPIFlow(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		w := mkAgreementWorld(t, e)
		pipe := &liaison.Service{Name: "AI-assistent", Status: liaison.ServicePipeline}
		if err := e.db.CreateService(context.Background(), pipe); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/organisations/" + w.acct + "/plan"
		// Never saved: version 0, empty sections.
		r := e.req("viewer", "GET", path, nil).want(http.StatusOK)
		p := r.JSON()
		if r.Header.Get("ETag") != `"0"` || p["version"] != 0.0 || len(p["sections"].(map[string]any)["basic_info"].([]any)) != 0 {
			t.Fatalf("empty plan %s %v", r.Header.Get("ETag"), p)
		}
		// Writers: the account's manager, head, admin; not another manager, staff, viewer, read tokens.
		add := map[string]any{"sections": map[string]any{"development_initiatives": []any{
			map[string]any{"title": "E-arkiv för bygglov", "date": "2027-03-01", "note": "Förstudie klar"}}}}
		e.patch("manager2", path, 0, add).problem(http.StatusForbidden)
		e.patch("staff", path, 0, add).problem(http.StatusForbidden)
		e.patch("viewer", path, 0, add).problem(http.StatusForbidden)
		e.req("manager", "PATCH", path, add, "Content-Type", "application/merge-patch+json").problem(http.StatusPreconditionRequired)
		p = e.patch("manager", path, 0, add).want(http.StatusOK).JSON()
		items := p["sections"].(map[string]any)["development_initiatives"].([]any)
		item := items[0].(map[string]any)
		if p["version"] != 1.0 || item["id"] == "" || p["updated_by_id"] != e.users["manager"].ID {
			t.Fatalf("saved %v", p)
		}
		e.patch("manager", path, 0, add).problem(http.StatusPreconditionFailed)
		// A date in an undated section; a read-only member.
		e.patch("manager", path, 1, map[string]any{"sections": map[string]any{"basic_info": []any{map[string]any{"title": "x", "date": "2027-01-01"}}}}).
			fieldError("sections.basic_info[0].date", "invalid")
		// The merge patch keeps the other sections; changing the item's date keeps its id.
		item["date"] = "2027-04-15"
		p = e.patch("head", path, 1, map[string]any{"sections": map[string]any{
			"development_initiatives": []any{item},
			"basic_info":              []any{map[string]any{"title": "Budgetansvarig: Karin Berg"}}}}).want(http.StatusOK).JSON()
		if p["version"] != 2.0 {
			t.Fatalf("v2 %v", p)
		}
		// Marketing a service in the pipeline is refused, naming the service and its status, unless overridden.
		mkt := map[string]any{"title": "Demo för skolorna", "service_id": pipe.ID}
		pr := e.patch("manager", path, 2, map[string]any{"sections": map[string]any{"marketing_actions": []any{mkt}}}).problem(http.StatusUnprocessableEntity)
		if s := fmt.Sprint(pr["errors"]); !strings.Contains(s, "sections.marketing_actions[0].service_id") || !strings.Contains(s, "AI-assistent") ||
			!strings.Contains(s, "pipeline") || !strings.Contains(s, "service_not_live") {
			t.Fatalf("refusal %v", pr)
		}
		mkt["override_reason"] = "Kunden vill vara pilot"
		p = e.patch("manager", path, 2, map[string]any{"sections": map[string]any{"marketing_actions": []any{mkt}}}).want(http.StatusOK).JSON()
		got := p["sections"].(map[string]any)["marketing_actions"].([]any)[0].(map[string]any)
		if got["override_reason"] != "Kunden vill vara pilot" || len(p["sections"].(map[string]any)["basic_info"].([]any)) != 1 {
			t.Fatalf("v3 %v", p)
		}
		// Versions, newest first, paged.
		vs, pages := e.pages("viewer", path+"/versions?limit=2")
		if len(vs) != 3 || pages != 2 || vs[0]["number"] != 3.0 || vs[2]["number"] != 1.0 || vs[2]["added"] != 1.0 || vs[2]["author_id"] != e.users["manager"].ID {
			t.Fatalf("versions (%d pages) %v", pages, vs)
		}
		v1 := e.req("viewer", "GET", path+"/versions/1", nil).want(http.StatusOK).JSON()
		if len(v1["sections"].(map[string]any)["development_initiatives"].([]any)) != 1 {
			t.Fatalf("v1 %v", v1)
		}
		e.req("viewer", "GET", path+"/versions/9", nil).problem(http.StatusNotFound)
		// The diff between 1 and 2 shows the changed date and the added item, nothing else.
		d := e.req("viewer", "GET", path+"/diff?from=1&to=2", nil).want(http.StatusOK).JSON()
		ch := d["changes"].([]any)
		if len(ch) != 2 {
			t.Fatalf("diff %v", d)
		}
		added, changed := ch[0].(map[string]any), ch[1].(map[string]any)
		f := changed["fields"].([]any)[0].(map[string]any)
		if added["kind"] != "added" || added["section"] != "basic_info" || changed["kind"] != "changed" || changed["item_id"] != item["id"] ||
			f["field"] != "date" || f["before"] != "2027-03-01" || f["after"] != "2027-04-15" || len(changed["fields"].([]any)) != 1 {
			t.Fatalf("diff %v", d)
		}
		if d0 := e.req("viewer", "GET", path+"/diff?from=0&to=1", nil).want(http.StatusOK).JSON(); len(d0["changes"].([]any)) != 1 || d0["from"] != nil {
			t.Fatalf("diff from 0 %v", d0)
		}
		e.req("viewer", "GET", path+"/diff?from=1&to=7", nil).problem(http.StatusNotFound)
		// The analysis: the initiative due 2027-04-15.
		rows := e.req("viewer", "GET", "/api/v1/account-plans/items?from=2027-04-01&to=2027-06-30&section=development_initiatives", nil).want(http.StatusOK).Items()
		if len(rows) != 1 || rows[0]["organisation_id"] != w.acct || rows[0]["item"].(map[string]any)["title"] != "E-arkiv för bygglov" {
			t.Fatalf("analysis %v", rows)
		}
		if rows := e.req("viewer", "GET", "/api/v1/account-plans/items?from=2027-04-01&to=2027-06-30&manager_id="+e.users["manager2"].ID, nil).want(http.StatusOK).Items(); len(rows) != 0 {
			t.Fatalf("other manager's analysis %v", rows)
		}
		// A unit that is not an account has no plan.
		unit := e.org(map[string]any{"name": "Förskolor", "parent_id": w.acct})["id"].(string)
		e.req("viewer", "GET", "/api/v1/organisations/"+unit+"/plan", nil).problem(http.StatusUnprocessableEntity)
		// Internal only: a customer-scoped token of the very account is refused everything of the plan.
		for _, u := range []string{path, path + "/versions", path + "/versions/1", path + "/diff?from=1&to=2", "/api/v1/account-plans/items"} {
			if b := e.req("admin", "GET", u, nil, "X-Test-Customer", w.acct).problem(http.StatusForbidden); strings.Contains(fmt.Sprint(b), "bygglov") {
				t.Fatalf("%s leaks to a customer token: %v", u, b)
			}
		}
		e.req("admin", "PATCH", path, add, "X-Test-Customer", w.acct, "If-Match", `"3"`, "Content-Type", "application/merge-patch+json").problem(http.StatusForbidden)
		// The audit trail names the account.
		hist := e.req("viewer", "GET", "/api/v1/organisations/"+w.acct+"/timeline", nil).want(http.StatusOK).Items()
		found := false
		for _, h := range hist {
			if h["subject_type"] == "account_plan" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no plan entry on the account's timeline: %v", hist)
		}
	})
}

func TestPlanTemplateAPI(t *testing.T) {
	run(t, func(t *testing.T, e *env) {
		seg := e.create("admin", "/api/v1/segments", map[string]any{"name": "Kommunala förvaltningar"})["id"].(string)
		r := e.req("viewer", "GET", "/api/v1/account-plans/template", nil).want(http.StatusOK)
		if tpl := r.JSON(); r.Header.Get("ETag") != `"0"` || len(tpl["sections"].([]any)) != 6 {
			t.Fatalf("built-in %v", tpl)
		}
		body := map[string]any{"sections": []any{map[string]any{"section": "marketing_actions", "shown": false,
			"heading": map[string]any{"sv": "Marknadsföring"}, "guidance": map[string]any{"en": "Only live services."}}}}
		e.req("manager", "PUT", "/api/v1/account-plans/template", body, "If-Match", `"0"`).problem(http.StatusForbidden)
		e.req("head", "PUT", "/api/v1/account-plans/template", body).problem(http.StatusPreconditionRequired)
		tpl := e.req("head", "PUT", "/api/v1/account-plans/template?segment_id="+seg, body, "If-Match", `"0"`).want(http.StatusOK).JSON()
		secs := tpl["sections"].([]any)
		if tpl["version"] != 1.0 || tpl["segment_id"] != seg || len(secs) != 6 || secs[5].(map[string]any)["shown"] != false {
			t.Fatalf("saved %v", tpl)
		}
		e.req("head", "PUT", "/api/v1/account-plans/template?segment_id="+seg, body, "If-Match", `"0"`).problem(http.StatusPreconditionFailed)
		e.req("viewer", "GET", "/api/v1/account-plans/template?segment_id="+seg, nil).want(http.StatusOK)
		e.req("head", "PUT", "/api/v1/account-plans/template?segment_id=nope", body, "If-Match", `"0"`).fieldError("segment_id", "unknown")
		e.req("admin", "DELETE", "/api/v1/account-plans/template?segment_id="+seg, nil).want(http.StatusNoContent)
		e.req("viewer", "GET", "/api/v1/account-plans/template?segment_id="+seg, nil).problem(http.StatusNotFound)
	})
}
