package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestImportWizardCatalogue walks the wizard of /admin/import in Swedish
// for SLA results: the kind is offered with its label; the mapping is
// suggested from the Swedish headers; the dry run names the rejected row,
// its field and the translated reason, and stores nothing; the fixed file
// commits in the background and the page shows it done.
func TestImportWizardCatalogue(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	admin, err := e.db.FindUserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ctx := liaison.WithPrincipal(context.Background(), &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	acct := &liaison.Organisation{Name: "Importkommunen", BudgetHolder: true}
	if err := e.app.CreateOrganisation(ctx, acct); err != nil {
		t.Fatal(err)
	}
	svc := &liaison.Service{Name: "Importtjänst", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{{Name: "Bas"}}}
	other := &liaison.Service{Name: "Annan tjänst", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{{Name: "Bas"}}}
	for _, s := range []*liaison.Service{svc, other} {
		if err := e.app.CreateService(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	ag := &liaison.Agreement{OrganisationID: acct.ID, Title: "Importavtalet", ExternalID: "IMP-1", Type: liaison.AgreementServiceLevel,
		Services: []liaison.ServiceCover{{ServiceID: svc.ID}}}
	if err := e.app.CreateAgreement(ctx, ag); err != nil {
		t.Fatal(err)
	}
	stored := func() int {
		rs, _, err := e.app.SLAResults(ctx, liaison.SLAResultFilter{AgreementID: ag.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.Swedish)
	res, body := c.get("/admin/import")
	checkPage(t, "/admin/import", body, liaison.Swedish)
	for _, want := range []string{`value="services"`, `value="agreements"`, `value="sla-results"`, ">SLA-utfall<", ">Avtal<", ">Tjänster<"} {
		if res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("upload page: %d, lacks %s", res.StatusCode, want)
		}
	}
	header := "Avtalets externa id;Tjänst;Månad;Mått;Mål;Utfall\n"
	upload := func(content string) string {
		t.Helper()
		res, body := c.upload("/admin/import", "sla.csv", content, url.Values{"kind": {"sla-results"}})
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/import/") {
			t.Fatalf("upload: %d %s\n%s", res.StatusCode, loc, body)
		}
		return loc
	}
	check := func(job string) string {
		t.Helper()
		res, body := c.get(job)
		checkPage(t, job, body, liaison.Swedish)
		form := url.Values{}
		for i, want := range []string{"agreement_external_id", "service", "period", "metric", "target", "actual"} {
			if !strings.Contains(body, `<option value="`+want+`" selected>`) {
				t.Fatalf("column %d is not mapped to %s: %d", i, want, res.StatusCode)
			}
			form.Set("col"+string(rune('0'+i)), want)
		}
		if res, body := c.post(job+"/check", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("check: %d\n%s", res.StatusCode, body)
		}
		_, body = c.get(job)
		checkPage(t, job, body, liaison.Swedish)
		return body
	}
	job := upload(header + "IMP-1;Importtjänst;2026-05;availability;99,5;99,9\nIMP-1;Annan tjänst;2026-05;availability;99,5;98\n")
	body = check(job)
	for _, want := range []string{`id="import-rejected"`, `<td class="num">3</td>`, `<td class="mono">service</td>`, "Det här är inte en tjänst som överenskommelsen omfattar."} {
		if !strings.Contains(body, want) {
			t.Fatalf("dry run lacks %s", want)
		}
	}
	if n := stored(); n != 0 {
		t.Fatalf("the dry run stored %d results", n)
	}

	job = upload(header + "IMP-1;Importtjänst;2026-05;availability;99,5;99,9\nIMP-1;Importtjänst;2026-05;response_time;30;45\n")
	if body = check(job); strings.Contains(body, `id="import-rejected"`) {
		t.Fatal("the fixed file is rejected")
	}
	if res, body := c.post(job+"/commit", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("commit: %d\n%s", res.StatusCode, body)
	}
	for deadline := time.Now().Add(10 * time.Second); stored() != 2; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d results stored after the commit, want 2", stored())
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		j, err := e.app.ImportJob(ctx, strings.TrimPrefix(job, "/admin/import/"))
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == liaison.ImportDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s after the commit", j.Status)
		}
	}
	_, body = c.get(job)
	checkPage(t, job, body, liaison.Swedish)
	if !strings.Contains(body, `id="import-done"`) {
		t.Fatal("the page does not show the import done")
	}
}
