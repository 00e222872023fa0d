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

var publishLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:publish|campaign|report)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestPublishedResults: the demo's closed campaigns are published; their
// results page shows an account's figures, distributions and trend in
// every language, with no free-text answer; unpublishing hides it, and an
// open campaign cannot be published. The account overview shows the
// survey trend panel and the report pack its satisfaction section.
func TestPublishedResults(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	ctx := context.Background()
	admin, err := e.db.FindUserByEmail(ctx, demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	actx := liaison.WithPrincipal(ctx, &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
	cs, _, err := e.db.FindCampaigns(ctx, liaison.CampaignFilter{Published: true, Sort: "closes_on"})
	if err != nil || len(cs) < 2 {
		t.Fatalf("published demo campaigns: %d, %v", len(cs), err)
	}
	open, _, err := e.db.FindCampaigns(ctx, liaison.CampaignFilter{Status: liaison.CampaignOpen})
	if err != nil || len(open) == 0 {
		t.Fatalf("open demo campaign: %v", err)
	}
	accs, _, err := e.db.FindOrganisations(ctx, liaison.OrganisationFilter{Q: "Norrskenssjukhuset"})
	if err != nil || len(accs) == 0 {
		t.Fatalf("demo account: %v", err)
	}
	acct := accs[0].ID
	// The latest published campaign that is not anonymous, so figures show.
	var c *liaison.Campaign
	for _, x := range cs {
		if !x.Anonymous {
			c = x
		}
	}
	if c == nil {
		t.Fatal("no named demo campaign")
	}
	full, err := e.app.CampaignResults(actx, c.ID, liaison.ByTotal, liaison.ResultFilter{OrganisationID: acct})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, q := range full.Total.Questions {
		texts = append(texts, q.Texts...)
	}
	if len(texts) == 0 || full.Total.CSAT == nil {
		t.Fatalf("demo results lack free text or CSAT: %+v", full.Total)
	}

	h := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	want := map[liaison.Language]string{liaison.English: "Response rate", liaison.Swedish: "Svarsfrekvens",
		liaison.Finnish: "Vastausprosentti", liaison.Chinese: "回复率"}
	for _, lang := range liaison.Languages {
		h.setLanguage(lang)
		p := "/campaigns/" + c.ID + "/published?" + url.Values{"account": {acct}, "lang": {string(lang)}}.Encode()
		res, body := h.get(p)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", p, res.StatusCode)
		}
		checkPage(t, p, body, lang)
		if m := publishLeak.FindStringSubmatch(body); m != nil {
			t.Errorf("%s: leaked %q", p, m[1])
		}
		for _, s := range []string{want[lang], `id="fig-csat"`, `id="chart-q-overall"`, `id="published-trend"`, `id="published-trend-table"`,
			"Norrskenssjukhuset", `id="published-pdf"`} {
			if !strings.Contains(body, s) {
				t.Errorf("%s: lacks %q", p, s)
			}
		}
		for _, x := range texts {
			if strings.Contains(body, x) {
				t.Errorf("%s: shows the free-text answer %q", p, x)
			}
		}
	}
	h.setLanguage(liaison.English)

	// The account overview: the survey satisfaction panel with its trend.
	res, body := h.get("/organisations/" + acct)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("account: %d", res.StatusCode)
	}
	for _, s := range []string{`id="account-surveys"`, `id="survey-trend"`, "Survey satisfaction", "data-survey-csat"} {
		if !strings.Contains(body, s) {
			t.Errorf("account overview lacks %q", s)
		}
	}
	// Staff do not see survey results (the survey_results setting): no panel.
	staff := e.signedIn("lena.pettersson@liaison.demo", demo.Password)
	if _, body := staff.get("/organisations/" + acct); strings.Contains(body, `id="survey-trend"`) {
		t.Error("staff see the survey trend")
	}
	// The report pack's satisfaction section.
	if res, body := h.get("/organisations/" + acct + "/report"); res.StatusCode != http.StatusOK || !strings.Contains(body, `id="report-satisfaction"`) ||
		!strings.Contains(body, `id="report-surveys"`) {
		t.Errorf("report pack: %d, no satisfaction section", res.StatusCode)
	}
	// The PDF of the published page.
	if res, body := h.get("/campaigns/" + c.ID + "/published.pdf?account=" + acct); res.StatusCode != http.StatusOK ||
		res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("published PDF: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// An open campaign cannot be published: back with a message.
	res, _ = h.post("/campaigns/"+open[0].ID+"/publish", url.Values{"version": {strconv.Itoa(open[0].Version)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("publish open: %d", res.StatusCode)
	}
	if got, _ := e.db.FindCampaignByID(ctx, open[0].ID); got.Published() {
		t.Error("an open campaign was published")
	}
	// A stale version is refused.
	res, _ = h.post("/campaigns/"+c.ID+"/unpublish", url.Values{"version": {strconv.Itoa(c.Version - 1)}})
	if got, _ := e.db.FindCampaignByID(ctx, c.ID); res.StatusCode != http.StatusSeeOther || !got.Published() {
		t.Errorf("stale unpublish: %d, published %v", res.StatusCode, got.Published())
	}
	// Unpublish: the page says the results are not published.
	res, _ = h.post("/campaigns/"+c.ID+"/unpublish", url.Values{"version": {strconv.Itoa(c.Version)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/campaigns/"+c.ID {
		t.Fatalf("unpublish: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = h.get("/campaigns/" + c.ID + "/published")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, `id="published-refusal"`) || strings.Contains(body, `id="fig-csat"`) {
		t.Errorf("unpublished page: %d", res.StatusCode)
	}
	if res, _ := h.get("/campaigns/" + c.ID + "/published.pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished PDF: %d", res.StatusCode)
	}
	// And publish again.
	got, _ := e.db.FindCampaignByID(ctx, c.ID)
	res, _ = h.post("/campaigns/"+c.ID+"/publish", url.Values{"version": {strconv.Itoa(got.Version)}})
	if got, _ := e.db.FindCampaignByID(ctx, c.ID); res.StatusCode != http.StatusSeeOther || !got.Published() {
		t.Errorf("publish: %d", res.StatusCode)
	}
	// A viewer may not publish.
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.post("/campaigns/"+c.ID+"/unpublish", url.Values{"version": {strconv.Itoa(got.Version + 1)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer unpublish: %d", res.StatusCode)
	}
}
