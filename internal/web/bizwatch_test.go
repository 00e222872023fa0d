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

var bizWatchLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:bizplan|watch)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

// TestBizWatchPagesInEveryLanguage renders the business plan and watch
// pages in each language on every engine.
func TestBizWatchPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		items, _, err := e.app.BusinessPlanItems(adminCtx(), liaison.BusinessPlanFilter{Limit: 100})
		if err != nil || len(items) == 0 {
			t.Fatalf("demo plan items: %v", err)
		}
		notes, _, err := e.app.WatchNotes(adminCtx(), liaison.WatchFilter{Limit: 100})
		if err != nil || len(notes) == 0 {
			t.Fatalf("demo watch notes: %v", err)
		}
		pages := []string{"/business-plans/overdue", "/business-plans/overdue?q=zzzz", "/watch", "/watch?status=adopted", "/watch?q=zzzz",
			"/watch/new", "/business-plans/new", "/business-plans/new?organisation_id=" + items[0].OrganisationID,
			"/organisations/" + items[0].OrganisationID + "/business-plans"}
		for _, b := range items[:3] {
			pages = append(pages, "/business-plans/"+b.ID, "/business-plans/"+b.ID+"/edit")
		}
		for _, n := range notes {
			pages = append(pages, "/watch/"+n.ID, "/watch/"+n.ID+"/edit")
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
				if m := bizWatchLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestBusinessPlanForms: a manager's form keeps what was typed on a bad
// link, saves, marks reviewed with a chosen date; another manager and
// staff are refused.
func TestBusinessPlanForms(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	anna := e.signedIn(demo.ManagerEmail, demo.Password)
	anna.setLanguage(liaison.English)
	accs, _, err := e.db.FindOrganisations(adminCtx(), liaison.OrganisationFilter{Q: "Socialförvaltningen", Limit: 1})
	if err != nil || len(accs) == 0 {
		t.Fatalf("anna's account: %v", err)
	}
	acc := accs[0].ID
	form := url.Values{"organisation_id": {acc}, "title": {"Digital signing"}, "horizon": {"short"}, "status": {"active"},
		"review_date": {"2020-01-01"}, "it_effect": {"Keep this text"}, "source_url": {"intranet/plan.docx"}}
	res, body := anna.post("/business-plans", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Keep this text") || !strings.Contains(body, "http://") {
		t.Fatalf("bad link: %d", res.StatusCode)
	}
	form.Set("source_url", "https://intra.example.se/plan.pdf")
	res, _ = anna.post("/business-plans", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/organisations/"+acc+"/business-plans" {
		t.Fatalf("create: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	items, _, err := e.app.BusinessPlanItems(adminCtx(), liaison.BusinessPlanFilter{Q: "digital signing"})
	if err != nil || len(items) != 1 || !items[0].ReviewOverdue {
		t.Fatalf("stored: %+v %v", items, err)
	}
	b := items[0]
	_, body = anna.get("/organisations/" + acc + "/business-plans")
	if !strings.Contains(body, `id="plans-overdue"`) || !strings.Contains(body, "Digital signing") {
		t.Fatal("the account tab does not flag the overdue item")
	}
	_, body = anna.get("/business-plans/overdue")
	if !strings.Contains(body, "/business-plans/"+b.ID) {
		t.Fatal("the overdue list lacks the item")
	}
	res, body = anna.post("/business-plans/"+b.ID+"/reviewed", url.Values{"version": {"1"}, "next_review_date": {"2019-01-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "today or later") {
		t.Fatalf("a past next review: %d", res.StatusCode)
	}
	res, _ = anna.post("/business-plans/"+b.ID+"/reviewed", url.Values{"version": {"1"}, "next_review_date": {"2099-06-30"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reviewed: %d", res.StatusCode)
	}
	got, err := e.app.BusinessPlanItem(adminCtx(), b.ID)
	if err != nil || got.ReviewDate != "2099-06-30" || got.ReviewOverdue || got.LastReviewedBy != "Anna Lindqvist" {
		t.Fatalf("after the review: %+v %v", got, err)
	}
	staff := e.signedIn("lena.pettersson@liaison.demo", demo.Password)
	if res, _ := staff.get("/business-plans/new?organisation_id=" + acc); res.StatusCode != http.StatusForbidden {
		t.Fatalf("staff's form: %d", res.StatusCode)
	}
	if res, _ := staff.post("/business-plans/"+b.ID+"/reviewed", url.Values{"version": {"2"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("staff reviews: %d", res.StatusCode)
	}
}

// TestWatchPropose: staff turn a note into an improvement once; pressing
// the button again leads to the same improvement.
func TestWatchPropose(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	lena := e.signedIn("lena.pettersson@liaison.demo", demo.Password)
	lena.setLanguage(liaison.English)
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	if res, _ := viewer.get("/watch/new"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer's form: %d", res.StatusCode)
	}
	res, body := lena.post("/watch", url.Values{"title": {"Kvantsäker VPN"}, "relevance": {"high"}, "status": {"noted"}, "source_url": {"fido.org"},
		"summary": {"Keep this summary"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Keep this summary") {
		t.Fatalf("bad link: %d", res.StatusCode)
	}
	res, _ = lena.post("/watch", url.Values{"title": {"Kvantsäker VPN"}, "relevance": {"high"}, "status": {"noted"}, "summary": {"Passwordless"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/watch/") {
		t.Fatalf("create: %d %s", res.StatusCode, loc)
	}
	res, body = lena.post(loc+"/status", url.Values{"version": {"1"}, "status": {"adopted"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="refusal"`) {
		t.Fatalf("noted → adopted: %d", res.StatusCode)
	}
	res, _ = lena.post(loc+"/improvement", nil)
	imp := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(imp, "/improvements/") {
		t.Fatalf("propose: %d %s", res.StatusCode, imp)
	}
	res, _ = lena.post(loc+"/improvement", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != imp {
		t.Fatalf("proposed twice: %d %s, want %s", res.StatusCode, res.Header.Get("Location"), imp)
	}
	is, _, err := e.app.Improvements(adminCtx(), liaison.ImprovementFilter{Q: "kvantsaker", Origin: liaison.OriginWatch}, false)
	if err != nil || len(is) != 1 {
		t.Fatalf("improvements: %d %v", len(is), err)
	}
}
