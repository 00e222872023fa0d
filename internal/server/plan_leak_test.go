package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
	"github.com/liaisonhq/liaison/internal/web"
)

// planMarker is in every section of account A's plan (title, note and
// override reason), so that any leak of the plan shows.
const planMarker = "PLANLEAK7Q"

var surveyLink = regexp.MustCompile(`/s/([A-Za-z0-9_-]{43})\b`)

// TestAccountPlanNeverLeaks: the account plan is INTERNAL ONLY (SPEC C3,
// §7). Every route of the server's route table — API and web, so routes
// added later are covered without anyone listing them — is called as each
// external principal: a customer-scoped token of the very account, an
// anonymous survey respondent holding a valid personal link, and an
// anonymous visitor; with real ids of that account and valid inputs. No
// response may contain the marker written into every section of the
// account's plan; PDFs are read as text. The customer-facing routes (the
// account's report pack and published survey results) must answer the
// token, so the test cannot pass by refusing everything.
func TestAccountPlanNeverLeaks(t *testing.T) {
	db, raw := sqlstoretest.OpenRaw(t, sqlstoretest.SQLite)
	w := newWorld(t, db)
	w.raw = raw
	srv := server.New(w.a, server.Options{Log: slog.New(slog.DiscardHandler)},
		api.New(w.a, api.Options{}), web.New(w.a, web.Options{Log: slog.New(slog.DiscardHandler)}))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx := context.Background()

	// Account A's fixtures; the first survey's campaign is closed and
	// published (customer-facing), the second's stays open for the respondent.
	f := w.fresh("admin")
	published := f.surveys.open
	c, err := w.a.Campaign(w.sys, published)
	w.must(err)
	c, err = w.a.CloseCampaign(w.sys, published, c.Version)
	w.must(err)
	_, err = w.a.PublishCampaign(w.sys, published, c.Version)
	w.must(err)
	f2 := w.fresh("admin")

	// The plan: the marker in every section, two versions.
	pipe := &liaison.Service{Name: "Pipeline " + planMarker, Status: liaison.ServicePipeline}
	w.must(w.a.CreateService(w.sys, pipe))
	var sections liaison.PlanSections
	for _, s := range liaison.PlanSectionList {
		it := liaison.PlanItem{Title: planMarker + " " + string(s), Note: "note " + planMarker}
		if s.Dated() {
			it.Date = liaison.Ptr("2027-02-01")
		}
		if s == liaison.PlanMarketingActions {
			it.ServiceID, it.OverrideReason = &pipe.ID, "reason "+planMarker
		}
		*sections.Items(s) = []liaison.PlanItem{it}
	}
	plan, err := w.a.SaveAccountPlan(w.sys, w.accA, sections, 0)
	w.must(err)
	plan.Sections.DevelopmentNeeds = append(plan.Sections.DevelopmentNeeds, liaison.PlanItem{Title: "second " + planMarker})
	_, err = w.a.SaveAccountPlan(w.sys, w.accA, plan.Sections, 1)
	w.must(err)

	// The respondent's valid personal link: the newest survey mail.
	mail, err := db.FindMail(ctx, liaison.MailFilter{To: "respondent@matrix.test", Limit: 10})
	w.must(err)
	link := ""
	for _, m := range mail {
		if mm := surveyLink.FindStringSubmatch(m.Text + m.HTML); mm != nil {
			link = mm[1]
			break
		}
	}
	if link == "" {
		t.Fatal("no survey link in the respondent's mail")
	}
	customer, _, err := w.a.CreateCustomerTokenFor(ctx, "admin@matrix.test", "customer A", w.accA)
	w.must(err)

	leakPath := func(pattern, token string) string {
		p := pattern
		switch {
		case strings.HasPrefix(p, "/s/{token}"):
			return "/s/" + token
		case strings.Contains(p, "/campaigns/{id}/published"):
			return strings.Replace(p, "{id}", published, 1) + "?organisation_id=" + w.accA
		case strings.Contains(p, "/organisations/{id}"):
			p = strings.Replace(p, "/organisations/{id}", "/organisations/"+w.accA, 1)
			p = strings.Replace(p, "{n}", "2", 1)
			if strings.HasSuffix(p, "/plan/diff") {
				p += "?from=1&to=2"
			}
		}
		p = f2.path(p)
		if strings.Contains(pattern, "/account-plans") {
			p += "?from=2027-01-01&to=2027-12-31"
		}
		return p
	}
	body := func(resp *http.Response) string {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/pdf") && resp.StatusCode == http.StatusOK {
			return string(b) + pdfPlainText(t, b)
		}
		return string(b)
	}
	do := func(method, path, b, ctype, bearer string) *http.Response {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(b))
		if b != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if method == "PATCH" || method == "DELETE" || method == "PUT" {
			req.Header.Set("If-Match", "*")
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return resp
	}

	// The control: an internal reader does see the marker, so the test can fail.
	if resp := do("GET", "/api/v1/organisations/"+w.accA+"/plan", "", "", w.roToken); !strings.Contains(body(resp), planMarker) {
		t.Fatal("the marker is not in the plan an internal user reads: the test proves nothing")
	}

	externals := []struct{ name, bearer, link string }{
		{"customer-token", customer, link},
		{"respondent", "", link},
		{"anonymous", "", "unknown-token"},
	}
	routes := 0
	for _, route := range srv.Routes() {
		method := route.Method
		if method == "" {
			method = "GET"
		}
		for _, who := range externals {
			path := leakPath(route.Pattern, who.link)
			n := w.seq.Add(1)
			b, ctype := f2.body(method, route.Pattern, n)
			resp := do(method, path, b, ctype, who.bearer)
			got := body(resp)
			if strings.Contains(got, planMarker) {
				t.Errorf("%s %s as %s (%d) shows the account plan: %.300s", method, path, who.name, resp.StatusCode, got)
			}
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s as %s: %d", method, path, who.name, resp.StatusCode)
			}
			if who.name == "customer-token" && route.Access != liaison.AccessPublic && route.Access != liaison.AccessCustomer &&
				resp.StatusCode != http.StatusForbidden && route.Pattern != "/api/v1/" { // the API's not-found catch-all answers 404
				t.Errorf("%s %s (%s) as a customer token: %d, want 403", method, path, route.Access, resp.StatusCode)
			}
		}
		routes++
	}
	if routes < 100 {
		t.Fatalf("only %d routes in the route table", routes)
	}

	// The customer-facing routes answer the account's token, without the plan.
	for _, p := range []string{
		"/api/v1/organisations/" + w.accA + "/report", "/api/v1/organisations/" + w.accA + "/report?format=pdf",
		"/api/v1/campaigns/" + published + "/published?organisation_id=" + w.accA,
		"/api/v1/campaigns/" + published + "/published?organisation_id=" + w.accA + "&format=pdf",
	} {
		resp := do("GET", p, "", "", customer)
		got := body(resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s as the account's customer token: %d %.200s", p, resp.StatusCode, got)
		}
		if strings.Contains(got, planMarker) {
			t.Errorf("GET %s shows the account plan", p)
		}
	}
	// ...and only for its own account.
	other := &liaison.Organisation{Name: "Account C", BudgetHolder: true}
	w.must(w.a.CreateOrganisation(w.sys, other))
	for _, p := range []string{"/api/v1/organisations/" + other.ID + "/report", "/api/v1/campaigns/" + published + "/published",
		"/api/v1/campaigns/" + published + "/published?organisation_id=" + other.ID} {
		if resp := do("GET", p, "", "", customer); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as account A's customer token: %d, want 403", p, resp.StatusCode)
		}
	}
}

// pdfPlainText is a PDF's text by poppler's pdftotext; "" when it is
// missing outside CI (the raw bytes are still searched).
func pdfPlainText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing in CI: install poppler-utils")
		}
		return ""
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("pdftotext: %v (%.40q)", err, pdf)
	}
	return string(out)
}
