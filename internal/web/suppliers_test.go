package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var supplierLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:supplier|sla)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

func demoHosting(t *testing.T, e *env) *liaison.Supplier {
	t.Helper()
	ss, _, err := e.app.Suppliers(adminCtx(), liaison.SupplierFilter{Q: demo.DemoHostingSupplier})
	if err != nil || len(ss) != 1 {
		t.Fatalf("demo hosting supplier: %v %d", err, len(ss))
	}
	return ss[0]
}

// TestSupplierPagesInEveryLanguage renders the supplier pages, the service
// page with its suppliers and the agreement page's SLA form in each
// language on every engine.
func TestSupplierPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		s := demoHosting(t, e)
		rs, _, err := e.app.SLAResults(adminCtx(), liaison.SLAResultFilter{SupplierID: s.ID, Limit: 1})
		if err != nil || len(rs) == 0 {
			t.Fatalf("demo SLA results: %v", err)
		}
		svc := s.Services[0]
		pages := []string{"/suppliers", "/suppliers?status=inactive", "/suppliers?trashed=1", "/suppliers/new", "/suppliers/new?service_id=" + svc.ServiceID,
			"/suppliers/" + s.ID, "/suppliers/" + s.ID + "/history", "/suppliers/" + s.ID + "/edit", "/services/" + svc.ServiceID,
			"/agreements/" + rs[0].AgreementID}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
					continue
				}
				checkPage(t, p, body, lang)
				if m := supplierLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
				if (strings.HasPrefix(p, "/services/") || p == "/suppliers") && !strings.Contains(body, `href="/suppliers/`+s.ID+`"`) {
					t.Errorf("%s (%s): the supplier is not linked", p, lang)
				}
			}
		}
	})
}

// TestSupplierFlow: the form refuses a bad website and a taken name next
// to their fields, saves a supplier linked to a service with a note, which
// the service page then shows; the supplier page marks a breach of an SLA
// result attributed to it; a manager cannot open the form.
func TestSupplierFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	hosting := demoHosting(t, e)
	svcID := hosting.Services[0].ServiceID
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	form := url.Values{"name": {"Fjällnät AB"}, "status": {"active"}, "website": {"fjallnat.example"},
		"contact_email": {"drift@fjallnat.example"}, "service": {svcID}, "note_" + svcID: {"Fibre to the data centre"}}
	res, body := c.post("/suppliers", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "must be a web address starting with http:// or https://") ||
		!strings.Contains(body, `value="Fibre to the data centre"`) {
		t.Fatalf("bad website: %d", res.StatusCode)
	}
	form.Set("website", "https://fjallnat.example")
	form.Set("name", strings.ToUpper(demo.DemoHostingSupplier))
	res, body = c.post("/suppliers", form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "another supplier is called") {
		t.Fatalf("taken name: %d", res.StatusCode)
	}
	form.Set("name", "Fjällnät AB")
	res, _ = c.post("/suppliers", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/suppliers/") {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	id := strings.TrimPrefix(res.Header.Get("Location"), "/suppliers/")
	_, body = c.get("/services/" + svcID)
	if !strings.Contains(body, `href="/suppliers/`+id+`"`) || !strings.Contains(body, "Fibre to the data centre") {
		t.Fatal("the service page does not show the new supplier")
	}
	// An SLA result recorded on an agreement, attributed to the new supplier.
	rs, _, err := e.app.SLAResults(adminCtx(), liaison.SLAResultFilter{SupplierID: hosting.ID, Limit: 1})
	if err != nil || len(rs) == 0 {
		t.Fatalf("demo SLA results: %v", err)
	}
	agID := rs[0].AgreementID
	if _, body = c.get("/agreements/" + agID); !strings.Contains(body, `<option value="`+id+`">Fjällnät AB (`) {
		t.Fatal("the SLA form does not offer the supplier behind the covered service")
	}
	res, body = c.post("/agreements/"+agID+"/sla-results", url.Values{"service_id": {svcID}, "period": {"2026-01"},
		"metric": {"availability"}, "target": {"99,9"}, "actual": {"97,5"}, "supplier_id": {id}, "note": {"Fibre cut at Boden"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("SLA result: %d %s", res.StatusCode, body)
	}
	_, body = c.get("/suppliers/" + id)
	if !strings.Contains(body, `class="breach"`) || !strings.Contains(body, "Fibre cut at Boden") {
		t.Fatal("the new supplier's page does not show its breach")
	}
	_, body = c.get("/suppliers/" + hosting.ID)
	if !strings.Contains(body, `class="breach"`) || !strings.Contains(body, html.EscapeString("Mail cluster failover")) {
		t.Fatal("the hosting supplier's page shows no breach")
	}
	res, body = c.post("/suppliers/"+id+"/delete", url.Values{"version": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", res.StatusCode, body)
	}
	if _, body = c.get("/suppliers?trashed=1"); !strings.Contains(body, "/suppliers/"+id+"/restore") {
		t.Fatal("the trash does not list the supplier")
	}
	if res, _ = c.post("/suppliers/"+id+"/restore", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.StatusCode)
	}
	m := e.signedIn(demo.ManagerEmail, demo.Password)
	if res, _ := m.get("/suppliers/new"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("manager opens the form: %d", res.StatusCode)
	}
	if res, body := m.get("/suppliers/" + id); res.StatusCode != http.StatusOK || strings.Contains(body, "/suppliers/"+id+"/edit") {
		t.Fatalf("manager reads: %d, edit link shown %v", res.StatusCode, strings.Contains(body, "/edit"))
	}
}

// TestSupplierComplaints: the supplier page lists the complaints that name
// it (the demo's bounced mail names the hosting provider) and the complaint
// form offers the suppliers by name.
func TestSupplierComplaints(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	hosting := demoHosting(t, e)
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	_, body := c.get("/suppliers/" + hosting.ID)
	if !strings.Contains(body, `id="complaints"`) || !strings.Contains(body, "E-post till externa mottagare studsar") {
		t.Fatal("the supplier page does not list the complaint that names it")
	}
	if _, body = c.get("/complaints?supplier_id=" + hosting.ID); !strings.Contains(body, "E-post till externa mottagare studsar") ||
		strings.Contains(body, "Önskar mörkt läge i skolplattformen") {
		t.Fatal("the complaints list does not filter by supplier")
	}
	if _, body = c.get("/complaints/new"); !strings.Contains(body, `<option value="`+hosting.ID+`">`+demo.DemoHostingSupplier+`</option>`) {
		t.Fatal("the complaint form does not offer the suppliers")
	}
}
