package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var planLeak = regexp.MustCompile(`(?:^|[\s>"(])(plan\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

func demoOrg(t *testing.T, e *env, name string) *liaison.Organisation {
	t.Helper()
	os, _, err := e.app.Organisations(adminCtx(), liaison.OrganisationFilter{Q: name, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range os {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("no demo unit %q", name)
	return nil
}

// TestPlanPagesInEveryLanguage renders the plan pages in each language.
func TestPlanPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		h := demoOrg(t, e, "Norrskenssjukhuset")
		base := "/organisations/" + h.ID + "/plan"
		pages := []string{base, base + "/edit?section=marketing_actions", base + "/edit?section=development_initiatives",
			base + "/versions", base + "/diff?from=1&to=3", base + "/diff?from=0&to=2", "/account-plans",
			"/account-plans?section=&from=2000-01-01&to=2100-12-31", "/account-plans/template", "/account-plans/template?segment_id=" + h.Segment}
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		for _, lang := range liaison.Languages {
			c.setLanguage(lang)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s (%s): status %d\n%.2000s", p, lang, res.StatusCode, body)
				}
				checkPage(t, p, body, lang)
				if m := planLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): untranslated %q", p, lang, m[1])
				}
			}
		}
		// The hospital's plan shows the override flagged and the live data beside the dated sections.
		c.setLanguage(liaison.English)
		_, body := c.get(base)
		for _, want := range []string{"Marketed before the service is live:", "Sjukhusledningen har bett om en förhandsvisning",
			`id="live-windows"`, `id="live-meetings"`, "Critical update windows (annual cycle)"} {
			if !strings.Contains(body, want) {
				t.Errorf("the plan page lacks %q", want)
			}
		}
		// A unit that is not an account has no plan.
		unit := demoOrg(t, e, "Akutkliniken")
		if res, _ := c.get("/organisations/" + unit.ID + "/plan"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a unit's plan: %d", res.StatusCode)
		}
	})
}

// TestPlanSectionEditor: the section editor works without JavaScript:
// add a row, save, a marketing action for a pipeline service comes back
// with the error on its row and everything typed kept, and saves with an
// override reason; another manager may not edit.
func TestPlanSectionEditor(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	h := demoOrg(t, e, "Norrskenssjukhuset")
	cur, err := e.app.AccountPlan(adminCtx(), h.ID)
	if err != nil {
		t.Fatal(err)
	}
	var pipe string
	svcs, _, err := e.app.Services(adminCtx(), liaison.ServiceFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range svcs {
		if s.Status == liaison.ServicePipeline {
			pipe = s.ID
		}
	}
	c := e.signedIn("johan.bergstrom@liaison.demo", demo.Password) // the hospital's manager
	c.setLanguage(liaison.English)
	path := "/organisations/" + h.ID + "/plan"
	form := url.Values{"section": {"marketing_actions"}, "version": {strconv.Itoa(cur.Version)}, "rows": {"2"}}
	for i, it := range cur.Sections.MarketingActions {
		k := "item." + strconv.Itoa(i) + "."
		form.Set(k+"id", it.ID)
		form.Set(k+"title", it.Title)
		form.Set(k+"service_id", deref(it.ServiceID))
		form.Set(k+"override_reason", it.OverrideReason)
	}
	n := strconv.Itoa(len(cur.Sections.MarketingActions))
	form.Set("rows", strconv.Itoa(len(cur.Sections.MarketingActions)+1))
	form.Set("item."+n+".title", "Erbjud AI-assistenten till akuten")
	form.Set("item."+n+".service_id", pipe)
	// Add a row: nothing saved, one more blank row.
	add := url.Values{}
	for k, v := range form {
		add[k] = v
	}
	add.Set("add", "1")
	res, body := c.post(path, add)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="item.`+strconv.Itoa(len(cur.Sections.MarketingActions)+1)+`.title"`) ||
		!strings.Contains(body, "Erbjud AI-assistenten till akuten") {
		t.Fatalf("add a row: %d", res.StatusCode)
	}
	// Save: refused on the row, naming the service and its status; the typed title kept.
	res, body = c.post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "which is pipeline, not live") && !strings.Contains(body, "is pipeline, not live") ||
		!strings.Contains(body, `value="Erbjud AI-assistenten till akuten"`) {
		t.Fatalf("pipeline marketing: %d\n%s", res.StatusCode, body)
	}
	form.Set("item."+n+".override_reason", "Akuten pilotar tjänsten")
	if res, body = c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with override: %d\n%.1500s", res.StatusCode, body)
	}
	got, err := e.app.AccountPlan(adminCtx(), h.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := got.Sections.MarketingActions[len(got.Sections.MarketingActions)-1]
	if got.Version != cur.Version+1 || last.OverrideReason != "Akuten pilotar tjänsten" || got.Sections.BasicInfo[0].Title != cur.Sections.BasicInfo[0].Title {
		t.Fatalf("saved %+v", got)
	}
	// A stale version comes back with the warning; another manager is refused.
	if res, _ := c.post(path, form); res.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("stale save: %d", res.StatusCode)
	}
	other := e.signedIn("mikko.heikkinen@liaison.demo", demo.Password)
	if res, _ := other.get(path + "/edit?section=basic_info"); res.StatusCode != http.StatusForbidden {
		t.Errorf("another manager's editor: %d", res.StatusCode)
	}
	if res, _ := other.post(path, form); res.StatusCode != http.StatusForbidden {
		t.Errorf("another manager's save: %d", res.StatusCode)
	}
	// Remove the row: the diff shows one removal.
	form = url.Values{"section": {"marketing_actions"}, "version": {strconv.Itoa(got.Version)}, "rows": {"1"},
		"item.0.id": {last.ID}, "item.0.title": {last.Title}, "item.0.remove": {"1"}}
	if res, _ := c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if _, err := e.app.DiffPlanVersions(context.Background(), h.ID, got.Version, got.Version+1); err == nil {
		t.Fatal("the diff is read without a principal")
	}
	d, err := e.app.DiffPlanVersions(adminCtx(), h.ID, got.Version, got.Version+1)
	if err != nil || len(d.Changes) != len(got.Sections.MarketingActions) {
		t.Fatalf("diff %+v %v", d, err)
	}
}
