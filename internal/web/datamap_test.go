package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
)

var dataMapLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:datamap|contact|channel|announcement)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestDataMapPagesInEveryLanguage renders the data map, contact and
// announcement pages in each language on every engine.
func TestDataMapPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := adminCtx()
		sources, _, err := e.app.DataSources(ctx, liaison.DataSourceFilter{Limit: 100})
		if err != nil || len(sources) == 0 {
			t.Fatalf("demo data sources: %v", err)
		}
		contacts, _, err := e.app.Contacts(ctx, liaison.ContactFilter{Limit: 100})
		if err != nil || len(contacts) == 0 {
			t.Fatalf("demo contacts: %v", err)
		}
		anns, _, err := e.app.Announcements(ctx, liaison.AnnouncementFilter{Limit: 10})
		if err != nil || len(anns) == 0 {
			t.Fatalf("demo announcements: %v", err)
		}
		channels, _, err := e.app.Channels(ctx, liaison.ChannelFilter{Limit: 10})
		if err != nil || len(channels) == 0 {
			t.Fatalf("demo channels: %v", err)
		}
		acct := contacts[0].AccountID
		pages := []string{"/data-map", "/data-sources/new", "/contacts", "/contacts?status=closed", "/contacts?q=zzzz", "/contacts/new",
			"/contacts/new?organisation_id=" + acct, "/organisations/" + acct + "/contacts", "/announcements", "/announcements/new",
			"/channels/new?organisation_id=" + channels[0].OrganisationID, "/channels/" + channels[0].ID + "/edit"}
		for _, d := range sources[:2] {
			pages = append(pages, "/data-sources/"+d.ID, "/data-sources/"+d.ID+"/edit")
		}
		for _, c := range contacts {
			pages = append(pages, "/contacts/"+c.ID)
		}
		pages = append(pages, "/contacts/"+contacts[0].ID+"/edit")
		for _, a := range anns {
			pages = append(pages, "/announcements/"+a.ID)
		}
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
				if m := dataMapLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestDataSourceForm: a rejected row keeps what was typed and names the
// row; a good form saves and the system shows on the map.
func TestDataSourceForm(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		c.setLanguage(liaison.English)
		v := url.Values{"name": {"Printer register"}, "data": {"Printers per site"}, "rows_needs": {"2"}, "rows_flows": {"1"},
			"needs[0].unit": {"Service desk"}, "needs[0].data": {""}, "flows[0].direction": {"out"}, "flows[0].system": {"Printer register"},
			"flows[0].data": {"Sites"}, "flows[0].mode": {"manual"}}
		res, body := c.post("/data-sources", v)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Service desk"`) ||
			!strings.Contains(body, "data does not flow from a system to itself") && !strings.Contains(body, "Name another system") {
			t.Fatalf("rejected form: %d", res.StatusCode)
		}
		v.Set("needs[0].data", "Printer locations")
		v.Set("flows[0].system", "Device management")
		res, _ = c.post("/data-sources", v)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", res.StatusCode)
		}
		_, body = c.get("/data-map")
		if !strings.Contains(body, "Printer register") {
			t.Fatal("the new system is not on the map")
		}
	})
}
