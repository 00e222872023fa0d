package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var campaignLeak = regexp.MustCompile(`(?:^|[\s>"(])((?:campaign|survey)\.[a-z_]+(?:\.[a-z_0-9]+)*)(?:$|[\s<"),.])`)

func adminOf(t *testing.T, e *env) context.Context {
	t.Helper()
	admin, err := e.db.FindUserByEmail(context.Background(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	return liaison.WithPrincipal(context.Background(), &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})
}

func demoCampaigns(t *testing.T, e *env) []*liaison.Campaign {
	t.Helper()
	cs, _, err := e.app.Campaigns(adminOf(t, e), liaison.CampaignFilter{Limit: 100})
	if err != nil || len(cs) == 0 {
		t.Fatalf("demo campaigns: %v %d", err, len(cs))
	}
	return cs
}

// TestCampaignPagesInEveryLanguage renders the campaign pages of the demo
// in each language on every engine.
func TestCampaignPagesInEveryLanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		pages := []string{"/campaigns", "/campaigns?status=open", "/campaigns?q=zzzz", "/campaigns?sort=closes_on", "/campaigns/new"}
		for _, c := range demoCampaigns(t, e) {
			base := "/campaigns/" + c.ID
			pages = append(pages, base, base+"/history", base+"/edit")
			if c.Status != liaison.CampaignDraft {
				pages = append(pages, base+"/results")
				for _, by := range liaison.ResultDimensions[1:] {
					pages = append(pages, base+"/results?by="+string(by))
				}
				pages = append(pages, base+"/results?by=account&role=user")
			}
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
				if m := campaignLeak.FindStringSubmatch(body); m != nil {
					t.Errorf("%s (%s): leaked %q", p, lang, m[1])
				}
			}
		}
	})
}

// TestCampaignNav: the Surveys nav item leads to the campaigns and is
// current there.
func TestCampaignNav(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	c := e.signedIn(demo.AdminEmail, demo.AdminPassword)
	c.setLanguage(liaison.English)
	_, body := c.get("/campaigns")
	if !strings.Contains(body, `<a href="/campaigns" aria-current="page">`) || !strings.Contains(body, `href="/surveys"`) {
		t.Error("the Surveys nav item is not the current link to /campaigns, or the list lacks the link to the templates")
	}
	_, body = c.get("/")
	if !strings.Contains(body, `<a href="/campaigns">`) {
		t.Error("the home page's nav has no link to /campaigns")
	}
}

// segmentWithAudience finds a demo segment whose accounts hold people who
// would receive a campaign.
func segmentWithAudience(t *testing.T, e *env, surveyID string) *liaison.Segment {
	t.Helper()
	ctx := adminOf(t, e)
	segs, err := e.app.Segments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range segs {
		n, err := e.app.CampaignAudienceSize(ctx, &liaison.Campaign{SurveyID: surveyID, Roles: liaison.SurveyRoles, Segment: s.ID})
		if err == nil && n > 0 {
			return s
		}
	}
	t.Fatal("no demo segment has recipients")
	return nil
}

// TestCampaignFlow: the wizard refuses bad input and keeps what was typed,
// makes a draft scoped to a segment, edits it with the version check,
// opens it (recipients counted), closes it, and the history tells.
func TestCampaignFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := adminOf(t, e)
		survey := demoCampaigns(t, e)[0].SurveyID
		seg := segmentWithAudience(t, e, survey)
		head := e.signedIn("karin.holmberg@liaison.demo", demo.Password)
		head.setLanguage(liaison.English)
		future := liaison.FormatDate(time.Now().AddDate(0, 0, 30))
		good := url.Values{"title": {"Autumn pulse"}, "survey_id": {survey}, "roles": {"customer", "orderer"}, "scope": {"segment"},
			"segment": {seg.ID}, "closes_on": {future}, "anonymous": {"1"}}
		with := func(k string, v ...string) url.Values {
			f := url.Values{}
			for kk, vv := range good {
				f[kk] = vv
			}
			if v == nil {
				f.Del(k)
			} else {
				f[k] = v
			}
			return f
		}
		for _, tc := range []struct {
			name string
			form url.Values
			want string
		}{
			{"no roles", with("roles"), "Choose at least one of customer, orderer, user."},
			{"past closing date", with("closes_on", "2020-01-31"), "The closing date has passed"},
			{"no closing date", with("closes_on", ""), "Give the last day responses are taken."},
			{"no title", with("title", ""), `id="f-title-error"`},
			{"no survey", with("survey_id", ""), "Name the survey to send."},
			{"segment scope without a segment", with("segment", ""), "Choose the segment."},
			{"accounts scope without accounts", with("scope", "accounts"), "Choose at least one account"},
			{"a role that takes no surveys", with("roles", "other"), "cannot receive surveys"},
		} {
			res, body := head.post("/campaigns", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("%s: %d, want 422 saying %q", tc.name, res.StatusCode, tc.want)
				continue
			}
			if tc.form.Get("title") != "" && !strings.Contains(body, `value="Autumn pulse"`) {
				t.Errorf("%s: the form lost the title", tc.name)
			}
		}
		res, _ := head.post("/campaigns", good)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/campaigns/") {
			t.Fatalf("create: %d %s", res.StatusCode, loc)
		}
		id := strings.TrimPrefix(loc, "/campaigns/")
		c, err := e.app.Campaign(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Segment != seg.ID || len(c.OrganisationIDs) != 0 || c.ServiceID != nil || !c.Anonymous || c.Status != liaison.CampaignDraft || c.SurveyVersion == 0 {
			t.Fatalf("draft: %+v", c)
		}
		_, body := head.get(loc)
		if !strings.Contains(body, seg.Name) || !strings.Contains(body, `id="audience"`) || !strings.Contains(body, `action="/campaigns/`+id+`/open"`) {
			t.Error("the draft's page lacks its segment, audience preview or open button")
		}
		// A stale edit is refused and keeps what was typed.
		res, body = head.post(loc, with("title", "Autumn pulse 2"))
		if res.StatusCode != http.StatusPreconditionFailed || !strings.Contains(body, "Autumn pulse 2") {
			t.Errorf("edit without the version: %d", res.StatusCode)
		}
		edit := with("title", "Autumn pulse 2")
		edit.Set("version", fmt.Sprint(c.Version))
		edit.Set("scope", "all")
		if res, _ := head.post(loc, edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}
		if c, _ = e.app.Campaign(ctx, id); c.Title != "Autumn pulse 2" || c.Segment != "" {
			t.Fatalf("edited: %+v", c)
		}
		edit.Set("scope", "segment")
		edit.Set("version", fmt.Sprint(c.Version))
		if res, _ := head.post(loc, edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit back: %d", res.StatusCode)
		}
		c, _ = e.app.Campaign(ctx, id)
		want, err := e.app.CampaignAudienceSize(ctx, c)
		if err != nil || want == 0 {
			t.Fatalf("audience: %d %v", want, err)
		}
		// Opening sends the invitations and counts the recipients.
		if res, _ := head.post(loc+"/open", url.Values{"version": {fmt.Sprint(c.Version)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("open: %d", res.StatusCode)
		}
		if c, _ = e.app.Campaign(ctx, id); c.Status != liaison.CampaignOpen || c.Recipients != want {
			t.Fatalf("opened: %s with %d recipients, want %d", c.Status, c.Recipients, want)
		}
		_, body = head.get(loc)
		for _, s := range []string{`id="kpi-recipients">` + fmt.Sprint(want) + "<", `action="/campaigns/` + id + `/close"`, `action="/campaigns/` + id + `/remind"`,
			"invitations are on their way"} {
			if !strings.Contains(body, s) {
				t.Errorf("the open campaign's page lacks %q", s)
			}
		}
		// An opened campaign's form shows only the title and the closing date.
		_, body = head.get(loc + "/edit")
		if strings.Contains(body, `name="roles"`) || !strings.Contains(body, `name="closes_on"`) {
			t.Error("the opened campaign's form offers the recipients")
		}
		if res, _ := head.post(loc+"/close", url.Values{"version": {fmt.Sprint(c.Version)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", res.StatusCode)
		}
		if c, _ = e.app.Campaign(ctx, id); c.Status != liaison.CampaignClosed {
			t.Fatalf("closed: %s", c.Status)
		}
		_, body = head.get(loc + "/history")
		for _, s := range []string{"Autumn pulse 2", "Closed", seg.Name} {
			if !strings.Contains(body, s) {
				t.Errorf("the history lacks %q", s)
			}
		}
	})
}

// TestCampaignRights: a viewer sees the list but no wizard; a manager
// sends only to their own accounts; staff get a clear 403 on results.
func TestCampaignRights(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite)
	cs := demoCampaigns(t, e)
	var closed *liaison.Campaign
	for _, c := range cs {
		if c.Status == liaison.CampaignClosed {
			closed = c
		}
	}
	viewer := e.signedIn("olivia.grant@liaison.demo", demo.Password)
	viewer.setLanguage(liaison.English)
	if res, body := viewer.get("/campaigns"); res.StatusCode != http.StatusOK || strings.Contains(body, `href="/campaigns/new"`) {
		t.Errorf("viewer's list: %d", res.StatusCode)
	}
	if res, _ := viewer.get("/campaigns/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer's wizard: %d", res.StatusCode)
	}
	for _, who := range []*client{viewer, e.signedIn("lena.pettersson@liaison.demo", demo.Password)} {
		who.setLanguage(liaison.English)
		res, body := who.get("/campaigns/" + closed.ID + "/results")
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, `id="results-forbidden"`) || !strings.Contains(body, "You may not see these results") {
			t.Errorf("results without the right: %d", res.StatusCode)
		}
		if strings.Contains(body, `id="kpi-csat"`) || strings.Contains(body, "<svg class=\"chart\"") {
			t.Error("the refusal shows results")
		}
	}
	// A manager's wizard offers their accounts only, and no segment or service.
	mgr := e.signedIn(demo.ManagerEmail, demo.Password)
	mgr.setLanguage(liaison.English)
	res, body := mgr.get("/campaigns/new")
	if res.StatusCode != http.StatusOK || strings.Contains(body, `value="segment"`) || !strings.Contains(body, `value="accounts" checked`) {
		t.Errorf("manager's wizard: %d", res.StatusCode)
	}
	res, _ = mgr.post("/campaigns", url.Values{"title": {"Mine"}, "survey_id": {closed.SurveyID}, "roles": {"user"}, "scope": {"all"},
		"closes_on": {liaison.FormatDate(time.Now().AddDate(0, 0, 9))}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a manager sending to all accounts: %d", res.StatusCode)
	}
}

// anonymousCampaign is an anonymous campaign at two new accounts: four
// responses at the first (under the threshold), five at the second.
func anonymousCampaign(t *testing.T, e *env) (c *liaison.Campaign, small, large *liaison.Organisation) {
	t.Helper()
	ctx := adminOf(t, e)
	small = &liaison.Organisation{Name: "Small Anonymous Account", BudgetHolder: true}
	large = &liaison.Organisation{Name: "Large Anonymous Account", BudgetHolder: true}
	var emails []string
	for _, o := range []*liaison.Organisation{small, large} {
		if err := e.app.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		n := 4
		if o == large {
			n = 5
		}
		for i := range n {
			p := &liaison.Person{Name: fmt.Sprintf("%s person %d", o.Name, i), OrganisationID: o.ID,
				Email: fmt.Sprintf("p%d-%s@anon.test", i, strings.ToLower(strings.Fields(o.Name)[0]))}
			if err := e.app.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := e.app.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: o.ID, Role: liaison.RoleUser, Active: true}); err != nil {
				t.Fatal(err)
			}
			emails = append(emails, p.Email)
		}
	}
	s := &liaison.Survey{Name: "Anonymous pulse", Questions: []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Required: true, Text: liaison.LocalText{"en": "How satisfied are you?"}},
		{ID: "recommend", Type: liaison.QuestionNPS, Text: liaison.LocalText{"en": "Would you recommend us?"}},
		{ID: "comment", Type: liaison.QuestionText, Text: liaison.LocalText{"en": "Anything else?"}}}}
	if err := e.app.CreateSurvey(ctx, s); err != nil {
		t.Fatal(err)
	}
	c = &liaison.Campaign{Title: "Anonymous pulse 2026", SurveyID: s.ID, Roles: []liaison.RoleKind{liaison.RoleUser}, Anonymous: true,
		OrganisationIDs: []string{small.ID, large.ID}, ClosesOn: liaison.FormatDate(time.Now().AddDate(0, 1, 0))}
	if err := e.app.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.OpenCampaign(ctx, c.ID, c.Version); err != nil {
		t.Fatal(err)
	}
	for i, to := range emails {
		ms, err := e.db.FindMail(context.Background(), liaison.MailFilter{To: to})
		if err != nil || len(ms) != 1 {
			t.Fatalf("mail to %s: %v %d", to, err, len(ms))
		}
		m := surveyLinkRE.FindStringSubmatch(ms[0].Text)
		if m == nil {
			t.Fatalf("no link in %q", ms[0].Text)
		}
		rating, nps := 4+i%2, 7+i%4
		if err := e.app.SubmitResponse(context.Background(), m[1], []liaison.Answer{{QuestionID: "overall", Value: &rating},
			{QuestionID: "recommend", Value: &nps}, {QuestionID: "comment", Text: fmt.Sprintf("Comment number %d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	return c, small, large
}

// TestCampaignResults: the results page draws its charts; in an anonymous
// campaign a group of four shows no numbers, grouped or filtered.
func TestCampaignResults(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.signedIn(demo.AdminEmail, demo.AdminPassword)
		admin.setLanguage(liaison.English)
		var closed *liaison.Campaign
		for _, c := range demoCampaigns(t, e) {
			if c.Status == liaison.CampaignClosed && !c.Anonymous {
				closed = c
			}
		}
		res, body := admin.get("/campaigns/" + closed.ID + "/results?by=account")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("results: %d", res.StatusCode)
		}
		for _, s := range []string{`id="kpi-rate"`, `id="kpi-csat"`, `id="kpi-nps"`, `<svg class="chart chart-fit" id="chart-csat"`, `<svg class="chart chart-fit" id="chart-nps"`,
			`id="chart-q-overall"`, `id="chart-q-recommend"`, `id="chart-q-priority"`, `<svg class="chart chart-fit" id="chart-trend"`, `class="answer-list"`,
			"Norrskenssjukhuset"} {
			if !strings.Contains(body, s) {
				t.Errorf("the results lack %q", s)
			}
		}
		for _, by := range []string{"service", "segment", "role"} {
			if _, body := admin.get("/campaigns/" + closed.ID + "/results?by=" + by); !strings.Contains(body, `id="chart-csat"`) {
				t.Errorf("by %s: no comparison chart", by)
			}
		}
		_, body = admin.get("/campaigns/" + closed.ID + "/results?by=role")
		if !strings.Contains(body, ">Customer<") {
			t.Error("the roles are not named")
		}

		c, small, large := anonymousCampaign(t, e)
		path := "/campaigns/" + c.ID + "/results"
		_, body = admin.get(path + "?by=account")
		row := func(name string) string {
			i := strings.Index(body, `<th scope="row" class="fw-normal">`+name+`</th>`)
			if i < 0 {
				t.Fatalf("no row for %s", name)
			}
			j := strings.Index(body[i:], "</tr>")
			return body[i : i+j]
		}
		if r := row(small.Name); !strings.Contains(r, "Hidden: fewer than 5 responses") || regexp.MustCompile(`\d+ / \d+|\d+ %`).MatchString(r) {
			t.Errorf("the group of four shows numbers: %s", r)
		}
		if r := row(large.Name); !strings.Contains(r, "5 / 5") {
			t.Errorf("the group of five shows no numbers: %s", r)
		}
		if !strings.Contains(body, `id="kpi-csat">100 %<`) {
			t.Error("the total of nine lacks its CSAT")
		}
		csat := body[strings.Index(body, `id="chart-csat"`):]
		csat = csat[:strings.Index(csat, "</svg>")]
		if !strings.Contains(csat, "Hidden (too few responses)") {
			t.Error("the chart does not say the small group is hidden")
		}
		if strings.Count(csat, "<rect") != 1 {
			t.Errorf("the chart draws %d bars, want the large group's only", strings.Count(csat, "<rect"))
		}
		// Filtered to the small account, even the total is hidden.
		_, body = admin.get(path + "?organisation_id=" + small.ID)
		if !strings.Contains(body, `id="total-suppressed"`) || strings.Contains(body, `id="kpi-csat"`) || strings.Contains(body, "Comment number") {
			t.Error("the filtered total of four is shown")
		}
		// In Finnish too the explanation is translated.
		admin.setLanguage(liaison.Finnish)
		_, body = admin.get(path + "?organisation_id=" + small.ID)
		if !strings.Contains(body, "anonymiteetin suojaamiseksi") {
			t.Error("the explanation is not in Finnish")
		}
	})
}
