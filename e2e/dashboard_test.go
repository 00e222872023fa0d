package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDashboardFlow: Karin Holmberg, head of service management, opens
// the dashboard from the navigation and sees every account's figures; she
// clicks the age of open complaints and lands on the list of open
// complaints, as many as the figure counts. Anna Lindqvist, a relationship
// manager, sees her own accounts by default.
func TestDashboardFlow(t *testing.T) {
	ctx := Browser(t)
	srv := startDemo(t)
	signIn(t, ctx, srv.URL, "karin.holmberg@liaison.demo", "demo-2026")
	english(t, ctx)
	step := stepper(t, ctx, "fail-dashboard-")
	text := textOf(t, ctx)
	step("open the dashboard from the navigation",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`nav a[href="/dashboard"]`),
		chromedp.Click(`nav a[href="/dashboard"]`),
		waitPath("/dashboard", "x"),
		chromedp.WaitVisible(`#kpis`),
	)
	if s := selected(t, ctx); s != "All managers" {
		t.Fatalf("the head's dashboard is scoped to %q", s)
	}
	shot(t, ctx, "dashboard-head")
	detail := text(`#kpi-open_complaint_age .kpi-value .muted`) // "5 open complaints"
	open, err := strconv.Atoi(strings.Fields(detail)[0])
	if err != nil || open == 0 {
		t.Fatalf("open complaints on the dashboard: %q", detail)
	}
	step("click the figure",
		chromedp.Click(`a[data-kpi="open_complaint_age"]`),
		waitPath("/complaints", "/dashboard"),
		chromedp.WaitVisible(`#results`),
	)
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#results tbody tr').length`))
	if err != nil {
		t.Fatal(err)
	}
	if rows != open {
		t.Fatalf("the dashboard counts %d open complaints, the list behind it shows %d", open, rows)
	}
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil || !strings.Contains(loc, "open=1") || !strings.Contains(loc, "classification=complaint") {
		t.Fatalf("landed on %q (%v)", loc, err)
	}

	manager := Browser(t)
	signIn(t, manager, srv.URL, "anna.lindqvist@liaison.demo", "demo-2026")
	english(t, manager)
	mstep := stepper(t, manager, "fail-dashboard-manager-")
	mstep("a manager's dashboard", chromedp.Navigate(srv.URL+"/dashboard"), chromedp.WaitVisible(`#kpis`))
	if s := selected(t, manager); s != "Anna Lindqvist" {
		t.Fatalf("the manager's dashboard is scoped to %q", s)
	}
}

// selected returns the label of the dashboard's chosen manager.
func selected(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#f-manager').selectedOptions[0].textContent.trim()`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
