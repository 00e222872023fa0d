package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestSupplierFlow adds a supplier behind the mail service from the
// suppliers list, sees it on the service page, records an SLA result on an
// agreement attributed to it that misses its target, and sees the breach
// on the supplier's page.
func TestSupplierFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	bg := context.Background()
	hosting, _, err := srv.Store.FindSuppliers(bg, liaison.SupplierFilter{Q: demo.DemoHostingSupplier, Limit: 1})
	if err != nil || len(hosting) != 1 {
		t.Fatalf("demo hosting supplier: %v", err)
	}
	mail := hosting[0].Services[0].ServiceID
	rs, _, err := srv.Store.FindSLAResults(bg, liaison.SLAResultFilter{SupplierID: hosting[0].ID, Limit: 1})
	if err != nil || len(rs) == 0 {
		t.Fatalf("demo SLA results: %v", err)
	}
	agreement := rs[0].AgreementID
	const name, note = "Fjällnät Fiber AB", "Fibre between the data centres"

	step := stepper(t, ctx, "fail-supplier-")
	text := textOf(t, ctx)

	step("sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible("#f-email"),
		chromedp.SendKeys("#f-email", demo.AdminEmail),
		chromedp.SendKeys("#f-password", demo.AdminPassword),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`nav a[href="/suppliers"]`),
	)
	step("open the form from the suppliers list",
		chromedp.Click(`nav a[href="/suppliers"]`),
		chromedp.WaitVisible(`#suppliers`),
		chromedp.Click(`a[href="/suppliers/new"]`),
		chromedp.WaitVisible(`#f-name`),
	)
	step("fill in the supplier and link the mail service",
		chromedp.SendKeys(`#f-name`, name),
		chromedp.SendKeys(`#f-website`, "https://fjallnat.example"),
		chromedp.SetValue(`#f-contract_end_date`, "2028-12-31"),
		chromedp.Click(`input[name=service][value="`+mail+`"]`),
		chromedp.SendKeys(`#f-note-`+mail, note),
	)
	shot(t, ctx, "supplier-form")
	step("save",
		chromedp.Click(`#form-main button.btn-primary[type=submit]`),
		chromedp.WaitVisible(`#services`),
	)
	if s := text(`#services`); !strings.Contains(s, note) {
		t.Fatalf("the supplier page lacks the link: %q", s)
	}
	list, _, err := srv.Store.FindSuppliers(bg, liaison.SupplierFilter{Q: "Fjällnät", Limit: 2})
	if err != nil || len(list) != 1 || len(list[0].Services) != 1 || list[0].Services[0].ServiceID != mail {
		t.Fatalf("stored suppliers %v, %v", list, err)
	}
	id := list[0].ID
	step("the service page shows it",
		chromedp.Navigate(srv.URL+"/services/"+mail),
		chromedp.WaitVisible(`#suppliers a[href="/suppliers/`+id+`"]`),
	)
	if s := text(`#suppliers`); !strings.Contains(s, name) || !strings.Contains(s, note) {
		t.Fatalf("the service's suppliers: %q", s)
	}
	step("record an SLA result attributed to it",
		chromedp.Navigate(srv.URL+"/agreements/"+agreement),
		chromedp.WaitVisible(`#sla`),
		chromedp.Click(`#sla details summary`),
		chromedp.WaitVisible(`#f-supplier_id`),
		chromedp.SetValue(`#f-service_id`, mail),
		chromedp.SetValue(`#f-period`, "2026-02"),
		chromedp.SetValue(`#f-metric`, string(liaison.MetricAvailability)),
		chromedp.SendKeys(`#f-target`, "99,9"),
		chromedp.SendKeys(`#f-actual`, "97,8"),
		chromedp.SendKeys(`#f-note`, "Fibre cut near Boden"),
		chromedp.SetValue(`#f-supplier_id`, id),
		chromedp.Click(`form[action$="/sla-results"] button[type=submit]`),
		chromedp.WaitVisible(`#sla`),
	)
	step("the supplier page shows the breach",
		chromedp.Navigate(srv.URL+"/suppliers/"+id),
		chromedp.WaitVisible(`#sla tr.breach`),
	)
	shot(t, ctx, "supplier-breach")
	if s := text(`#sla tr.breach`); !strings.Contains(s, "Fibre cut near Boden") || !strings.Contains(s, "97.8") {
		t.Fatalf("the breach row: %q", s)
	}
	if s := text(`.page-header .badges`); !strings.Contains(s, "1") {
		t.Fatalf("the header does not count the breach: %q", s)
	}
}

func mustSupplierID(t *testing.T, r *cli.Running, name string) string {
	t.Helper()
	ss, _, err := r.Store.FindSuppliers(context.Background(), liaison.SupplierFilter{Q: name, Limit: 1})
	if err != nil || len(ss) == 0 {
		t.Fatalf("find supplier %q: %v", name, err)
	}
	return ss[0].ID
}
