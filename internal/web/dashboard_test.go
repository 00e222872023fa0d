package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

// TestDashboardPages renders the dashboard (all, one manager, one segment,
// each sort of the health list) and an account's health tab in every
// language: every KPI is there and links to its records.
func TestDashboardPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := e.ids()
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		pages := []string{"/dashboard", "/dashboard?manager=" + r.manager, "/dashboard?segment=" + r.segment,
			"/dashboard?manager=&sort=-health", "/dashboard?sort=name", "/organisations/" + r.account + "/health"}
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s (%s): status %d", p, lang, res.StatusCode)
					continue
				}
				checkPage(t, p, body, lang)
				if strings.HasPrefix(p, "/dashboard") {
					for _, k := range liaison.KPIs {
						if !strings.Contains(body, `data-kpi="`+string(k)+`"`) {
							t.Errorf("%s (%s): no figure %s", p, lang, k)
						}
					}
				} else if !strings.Contains(body, `id="health-parts"`) {
					t.Errorf("%s (%s): no health parts", p, lang)
				}
			}
		}
		// Figures link to the records behind them.
		_, body := c.get("/dashboard")
		for _, href := range []string{`href="/complaints?classification=complaint"`, `href="/reviews-due?state=overdue"`, `href="/actions?view=overdue"`} {
			if !strings.Contains(body, href) {
				t.Errorf("dashboard lacks the link %s", href)
			}
		}
	})
}
