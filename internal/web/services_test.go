package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// serviceLeak finds untranslated keys of the catalogue's areas.
var serviceLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:service|subscription|coverage|field|flash|timeline)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestServicePagesInEveryLanguage renders the catalogue's pages in each
// language on every engine: 200, the right <html lang>, no leaked key.
func TestServicePagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := e.ids()
		ctx := adminCtx()
		subs, _, err := e.app.Subscriptions(ctx, liaison.SubscriptionFilter{Limit: 1})
		if err != nil || len(subs) == 0 {
			t.Fatalf("usages: %v", err)
		}
		sub := subs[0]
		pages := []string{"/services", "/services?status=live&q=e", "/services?q=zzzz", "/services?sort=-name", "/services/coverage",
			"/services/new", "/services/" + sub.ServiceID, "/services/" + sub.ServiceID + "/history", "/services/" + sub.ServiceID + "/edit",
			"/organisations/" + sub.OrganisationID + "/services", "/organisations/" + r.account + "/services",
			"/subscriptions/new?organisation=" + sub.OrganisationID, "/subscriptions/new?service=" + sub.ServiceID,
			"/subscriptions/" + sub.ID + "/edit", "/organisations/" + sub.OrganisationID + "/timeline"}
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
				if m := serviceLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestServiceFlow: create a service with levels through the form, record
// a usage with a named contact, see the refusals, and the coverage.
func TestServiceFlow(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	r := e.ids()
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)

	// A bad number comes back with the typed values and the message next to the field.
	form := url.Values{"name": {"Backup"}, "status": {"live"}, "price_model": {"per_unit"}, "currency": {"sek"},
		"level_name": {"Gold", "Silver", ""}, "level_availability": {"99,9", "lots", ""}, "level_response": {"15", "60", ""},
		"level_resolution": {"240", "480", ""}, "level_support_hours": {"24/7", "", ""}, "level_price": {"10", "", ""}, "level_description": {"", "", ""}}
	res, body := c.post("/services", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter a number.") || !strings.Contains(body, `value="lots"`) {
		t.Fatalf("bad number: %d", res.StatusCode)
	}
	// Adding a level row keeps what was typed and saves nothing.
	form.Set("level_availability", "99,9")
	form["level_availability"] = []string{"99,9", "99.5", ""}
	res, body = c.post("/services", url.Values(cloneWith(form, "add_level", "1")))
	if res.StatusCode != http.StatusOK || strings.Count(body, `name="level_name"`) != 3 {
		t.Fatalf("add level: %d, %d rows", res.StatusCode, strings.Count(body, `name="level_name"`))
	}
	res, _ = c.post("/services", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create service: %d", res.StatusCode)
	}
	svcPath := res.Header.Get("Location")
	_, body = c.get(svcPath)
	for _, want := range []string{"Backup", "99.9 %", "15 min", "4 h", "10 SEK / unit / month", "Silver"} {
		if !strings.Contains(body, want) {
			t.Errorf("service page lacks %q", want)
		}
	}
	svcID := strings.TrimPrefix(svcPath, "/services/")

	// A level the service does not offer is refused with the offered ones named.
	res, body = c.post("/subscriptions", url.Values{"organisation_id": {r.account}, "service_id": {svcID}, "level": {"Platinum"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Gold, Silver") {
		t.Fatalf("level not offered: %d", res.StatusCode)
	}
	// "Show the service's levels" offers them in a select.
	res, body = c.post("/subscriptions", url.Values{"organisation_id": {r.account}, "service_id": {svcID}, "pick_service": {"1"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `<option value="Silver"`) {
		t.Fatalf("pick service: %d", res.StatusCode)
	}
	res, _ = c.post("/subscriptions", url.Values{"organisation_id": {r.account}, "service_id": {svcID}, "level": {"Silver"},
		"users": {"25"}, "contact_user_id": {r.manager}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/organisations/"+r.account+"/services" {
		t.Fatalf("create usage: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = c.get("/organisations/" + r.account + "/services")
	if !strings.Contains(body, "Backup") || !strings.Contains(body, "25 users") {
		t.Errorf("account tab lacks the usage")
	}
	// A level in use cannot be removed: the form says why.
	svc, err := e.app.Service(adminCtx(), svcID)
	if err != nil {
		t.Fatal(err)
	}
	res, body = c.post(svcPath, url.Values{"version": {"1"}, "name": {"Backup"}, "status": {"live"}, "price_model": {"per_unit"},
		"currency": {"SEK"}, "level_name": {"Gold"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Silver") || svc.Version != 1 {
		t.Fatalf("drop a level in use: %d", res.StatusCode)
	}
	// The history shows the levels with their targets and the status translated.
	u := *svc
	u.Levels = append([]liaison.ServiceLevel(nil), svc.Levels...)
	u.Levels[0].AvailabilityPercent = liaison.Ptr(99.95)
	if err := e.app.UpdateService(adminCtx(), &u, svc.Version); err != nil {
		t.Fatal(err)
	}
	_, body = c.get(svcPath + "/history")
	for _, want := range []string{"Gold (99.9 %, 15 min, 4 h, 10, 24/7)", "Gold (99.95 %, 15 min, 4 h, 10, 24/7)", "Per unit", ">Live<"} {
		if !strings.Contains(body, want) {
			i := strings.Index(body, "Gold (")
			t.Errorf("history lacks %q: %s", want, body[max(0, i-10):min(len(body), i+200)])
		}
	}
	_, body = c.get("/services/coverage")
	if !strings.Contains(body, "IT contact coverage") || !strings.Contains(body, "Name contact") {
		t.Errorf("coverage page")
	}
}

func cloneWith(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = append([]string(nil), vs...)
	}
	out.Set(k, val)
	return out
}

// TestServiceOwnerEdits: the owner (staff) may edit the service but not
// its status; a manager who is not the owner may not.
func TestServiceOwnerEdits(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := adminCtx()
	services, _, _ := e.app.Services(ctx, liaison.ServiceFilter{Limit: 100})
	var owned *liaison.Service
	for _, s := range services {
		if s.OwnerID != nil && s.Status == liaison.ServiceLive {
			owned = s
			break
		}
	}
	owner, err := e.app.User(ctx, *owned.OwnerID)
	if err != nil {
		t.Fatal(err)
	}
	// Demo users share one password.
	c := e.signedIn(owner.Email, demo.Password)
	if res, _ := c.get("/services/" + owned.ID + "/edit"); res.StatusCode != http.StatusOK {
		t.Fatalf("owner's edit form: %d", res.StatusCode)
	}
	m := e.signedIn(demo.ManagerEmail, demo.Password)
	if res, _ := m.get("/services/" + owned.ID + "/edit"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("non-owner's edit form: %d", res.StatusCode)
	}
}
