package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// surveySetup adds, to the app fixture, n people with addresses at the
// account (the first a customer, the others users, alternating sv and
// zh), a second account managed by oth with its customer, and a survey.
type surveyFix struct {
	*fixture
	other  *liaison.Organisation
	survey *liaison.Survey
	now    time.Time
}

func surveySetup(t *testing.T, n int) *surveyFix {
	t.Helper()
	f := &surveyFix{fixture: setup(t), now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	f.a.Now = func() time.Time { return f.now }
	f.db.Now = f.a.Now // the store checks closing dates on its clock
	f.a.BaseURL = "https://liaison.example/"
	ctx := as(f.admin, liaison.ScopeWrite)
	f.other = &liaison.Organisation{Name: "Other", ParentID: &f.division.ID, BudgetHolder: true, RelationshipManagerID: &f.oth.ID}
	must(t, f.a.CreateOrganisation(ctx, f.other))
	person := func(name string, unit *liaison.Organisation, lang liaison.Language, role liaison.RoleKind) {
		p := &liaison.Person{Name: name, OrganisationID: unit.ID, Email: strings.ToLower(name) + "@customer.test", Language: lang}
		must(t, f.a.CreatePerson(ctx, p))
		must(t, f.a.CreateRole(ctx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: role, Active: true}))
	}
	for i := range n {
		lang, role := liaison.Swedish, liaison.RoleUser
		if i%2 == 1 {
			lang = liaison.Chinese
		}
		if i == 0 {
			role = liaison.RoleCustomer
		}
		person("P"+string(rune('a'+i)), f.account, lang, role)
	}
	person("Otto", f.other, liaison.Finnish, liaison.RoleCustomer)
	f.survey = &liaison.Survey{Name: "Satisfaction", Questions: []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Required: true, Text: liaison.LocalText{"en": "How satisfied are you?", "sv": "Hur nöjd är du?", "zh": "您满意吗？"}},
		{ID: "recommend", Type: liaison.QuestionNPS, Text: liaison.LocalText{"en": "Would you recommend us?"}},
		{ID: "channel", Type: liaison.QuestionSingleChoice, Text: liaison.LocalText{"en": "Channel"},
			Choices: []liaison.SurveyChoice{{ID: "desk", Label: liaison.LocalText{"en": "Desk", "sv": "Servicedesk"}}, {ID: "web", Label: liaison.LocalText{"en": "Web"}}}},
	}}
	must(t, f.a.CreateSurvey(as(f.head, liaison.ScopeWrite), f.survey))
	return f
}

var linkRE = regexp.MustCompile(`https://liaison\.example/s/([A-Za-z0-9_-]{43})\b`)

// links returns the personal link tokens queued in the outbox, by address.
func (f *surveyFix) links(t *testing.T) map[string]string {
	t.Helper()
	ms, err := f.db.FindMail(context.Background(), liaison.MailFilter{Limit: 500})
	must(t, err)
	out := map[string]string{}
	for _, m := range ms { // newest first: the first link of an address is its current one
		if sub := linkRE.FindStringSubmatch(m.Text); sub != nil && out[m.To] == "" {
			out[m.To] = sub[1]
		}
	}
	return out
}

func (f *surveyFix) open(t *testing.T, c *liaison.Campaign) *liaison.Campaign {
	t.Helper()
	ctx := as(f.head, liaison.ScopeWrite)
	if c.SurveyID == "" {
		c.SurveyID = f.survey.ID
	}
	if c.Title == "" {
		c.Title = "Spring"
	}
	if c.ClosesOn == "" {
		c.ClosesOn = "2026-04-30"
	}
	if c.Roles == nil {
		c.Roles = []liaison.RoleKind{liaison.RoleCustomer, liaison.RoleUser}
	}
	must(t, f.a.CreateCampaign(ctx, c))
	opened, err := f.a.OpenCampaign(ctx, c.ID, c.Version)
	must(t, err)
	return opened
}

func rating(v int) []liaison.Answer {
	return []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(v)}, {QuestionID: "recommend", Value: liaison.Ptr(10)}}
}

func TestSurveyTemplateRights(t *testing.T) {
	f := surveySetup(t, 1)
	for _, u := range []*liaison.User{f.mgr, f.staff} {
		s := &liaison.Survey{Name: "Mine", Questions: f.survey.Questions}
		wantCode(t, u.Name+" creates a template", f.a.CreateSurvey(as(u, liaison.ScopeWrite), s), liaison.EFORBIDDEN)
	}
	got, err := f.a.Survey(as(f.staff, liaison.ScopeRead), f.survey.ID)
	must(t, err)
	got.Questions = got.Questions[:1]
	must(t, f.a.UpdateSurvey(as(f.admin, liaison.ScopeWrite), got, got.Version))
	vs, err := f.a.SurveyVersions(as(f.staff, liaison.ScopeRead), f.survey.ID)
	must(t, err)
	if len(vs) != 2 || len(vs[1].Questions) != 3 {
		t.Fatalf("versions = %+v", vs)
	}
}

func TestCampaignRights(t *testing.T) {
	f := surveySetup(t, 1)
	base := func(orgs ...string) *liaison.Campaign {
		return &liaison.Campaign{Title: "Mine", SurveyID: f.survey.ID, Roles: []liaison.RoleKind{liaison.RoleCustomer}, ClosesOn: "2026-04-30", OrganisationIDs: orgs}
	}
	mgr := as(f.mgr, liaison.ScopeWrite)
	wantCode(t, "manager, all accounts", f.a.CreateCampaign(mgr, base()), liaison.EFORBIDDEN)
	wantCode(t, "manager, another's account", f.a.CreateCampaign(mgr, base(f.account.ID, f.other.ID)), liaison.EFORBIDDEN)
	wantCode(t, "staff", f.a.CreateCampaign(as(f.staff, liaison.ScopeWrite), base(f.account.ID)), liaison.EFORBIDDEN)
	wantCode(t, "read-only token", f.a.CreateCampaign(as(f.head, liaison.ScopeRead), base()), liaison.EFORBIDDEN)
	c := base(f.account.ID)
	must(t, f.a.CreateCampaign(mgr, c))
	wantCode(t, "other manager opens", func() error { _, err := f.a.OpenCampaign(as(f.oth, liaison.ScopeWrite), c.ID, c.Version); return err }(), liaison.EFORBIDDEN)
	c.OrganisationIDs = nil
	wantCode(t, "manager widens the scope", f.a.UpdateCampaign(mgr, c, c.Version), liaison.EFORBIDDEN)
	opened, err := f.a.OpenCampaign(mgr, c.ID, c.Version)
	must(t, err)
	if opened.Recipients != 1 {
		t.Fatalf("recipients = %d", opened.Recipients)
	}
}

// A link can be used once: a second submission answers a clear refusal and
// stores nothing.
func TestSurveyLinkUsedOnce(t *testing.T) {
	f := surveySetup(t, 2)
	c := f.open(t, &liaison.Campaign{})
	if c.Status != liaison.CampaignOpen || c.Recipients != 3 {
		t.Fatalf("opened = %+v", c)
	}
	ms, err := f.db.FindMail(context.Background(), liaison.MailFilter{To: "pb@customer.test"})
	must(t, err)
	if len(ms) != 1 || ms[0].Language != liaison.Chinese || !strings.Contains(ms[0].Subject, "请提供您的意见") || !linkRE.MatchString(ms[0].Text) {
		t.Fatalf("invitation = %+v", ms)
	}
	links := f.links(t)
	if len(links) != 3 {
		t.Fatalf("links = %v", links)
	}
	tok := links["pa@customer.test"]
	form, err := f.a.RespondentForm(context.Background(), tok, "")
	must(t, err)
	if form.Language != liaison.Swedish || form.Questions[0].Text["sv"] != "Hur nöjd är du?" || len(form.Questions[0].Text) != 1 ||
		form.Questions[1].Text["en"] != "Would you recommend us?" || form.Questions[2].Choices[0].Label["sv"] != "Servicedesk" {
		t.Fatalf("form = %+v (a fallback is keyed by the language it is in)", form)
	}
	// The respondent's language switcher asks for Chinese: what has Chinese
	// comes in Chinese, the rest falls back to English.
	zh, err := f.a.RespondentForm(context.Background(), tok, liaison.Chinese)
	must(t, err)
	if zh.Language != liaison.Chinese || zh.Questions[0].Text["zh"] != "您满意吗？" || zh.Questions[2].Choices[0].Label["en"] != "Desk" {
		t.Fatalf("form in Chinese = %+v", zh)
	}
	err = f.a.SubmitResponse(context.Background(), tok, []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(7)}})
	wantCode(t, "out of range", err, liaison.EINVALID)
	must(t, f.a.SubmitResponse(context.Background(), tok, rating(5)))
	err = f.a.SubmitResponse(context.Background(), tok, rating(1))
	wantCode(t, "second submission", err, liaison.ECONFLICT)
	if liaison.LinkRefusalKey(err) != liaison.LinkUsed || liaison.ErrorMessage(err) != "This survey link has already been used: a response was received." {
		t.Fatalf("second submission: %v", err)
	}
	_, err = f.a.RespondentForm(context.Background(), tok, "")
	if liaison.LinkRefusalKey(err) != liaison.LinkUsed {
		t.Fatalf("form of a used link: %v", err)
	}
	got, err := f.a.Campaign(as(f.staff, liaison.ScopeRead), c.ID)
	must(t, err)
	if got.Responses != 1 {
		t.Fatalf("responses = %d, want 1: the refused submission stored something", got.Responses)
	}
	_, err = f.a.RespondentForm(context.Background(), "not-a-token", "")
	if liaison.ErrorCode(err) != liaison.ENOTFOUND || liaison.LinkRefusalKey(err) != liaison.LinkUnknown {
		t.Fatalf("unknown link: %v", err)
	}
	f.now = time.Date(2026, 5, 1, 0, 0, 1, 0, time.UTC)
	_, err = f.a.RespondentForm(context.Background(), links["pb@customer.test"], "")
	if liaison.LinkRefusalKey(err) != liaison.LinkExpired {
		t.Fatalf("expired link form: %v", err)
	}
	f.now = time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	_, err = f.a.CloseCampaign(as(f.head, liaison.ScopeWrite), c.ID, c.Version)
	must(t, err)
	_, err = f.a.RespondentForm(context.Background(), links["pb@customer.test"], "")
	if liaison.LinkRefusalKey(err) != liaison.LinkClosed {
		t.Fatalf("closed link form: %v", err)
	}
}

func TestSurveyFollowUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rule    liaison.FollowUpRule
		score   int
		actions int
	}{
		{"off: never", liaison.FollowUpRule{Enabled: false, RatingAtMost: 2, NPSAtMost: 6}, 1, 0},
		{"on, low", liaison.FollowUpRule{Enabled: true, RatingAtMost: 2, NPSAtMost: 6}, 2, 1},
		{"on, fine", liaison.FollowUpRule{Enabled: true, RatingAtMost: 2, NPSAtMost: 6}, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := surveySetup(t, 1)
			s := liaison.DefaultSettings()
			s.SurveyFollowUp = tc.rule
			must(t, f.a.SaveSettings(as(f.admin, liaison.ScopeWrite), s))
			c := f.open(t, &liaison.Campaign{Roles: []liaison.RoleKind{liaison.RoleCustomer}})
			must(t, f.a.SubmitResponse(context.Background(), f.links(t)["pa@customer.test"], rating(tc.score)))
			acts, _, err := f.db.FindActions(context.Background(), liaison.ActionFilter{OwnerID: f.mgr.ID})
			must(t, err)
			if len(acts) != tc.actions {
				t.Fatalf("%d actions for the relationship manager, want %d", len(acts), tc.actions)
			}
			if tc.actions > 0 && (acts[0].OrganisationID == nil || *acts[0].OrganisationID != f.account.ID ||
				!strings.Contains(acts[0].Title, c.Title) || !strings.Contains(acts[0].Description, "How satisfied are you?: 2")) {
				t.Fatalf("action = %+v", acts[0])
			}
		})
	}
}

// With anonymity on and 4 responses from an account, no per-account result
// is shown; the results' visibility follows the setting.
func TestSurveyResultsAnonymityAndVisibility(t *testing.T) {
	f := surveySetup(t, 6)
	c := f.open(t, &liaison.Campaign{Anonymous: true})
	links := f.links(t)
	for _, who := range []string{"pa", "pb", "pc", "pd"} {
		must(t, f.a.SubmitResponse(context.Background(), links[who+"@customer.test"], rating(4)))
	}
	must(t, f.a.SubmitResponse(context.Background(), links["otto@customer.test"], rating(1)))
	head := as(f.head, liaison.ScopeRead)
	r, err := f.a.CampaignResults(head, c.ID, liaison.ByAccount, liaison.ResultFilter{})
	must(t, err)
	if len(r.Groups) != 2 {
		t.Fatalf("groups = %+v", r.Groups)
	}
	for _, g := range r.Groups {
		if !g.Suppressed || g.Responses != 0 || g.CSAT != nil || g.Questions != nil {
			t.Fatalf("group %s of an anonymous campaign under 5 responses shows %+v", g.Key, g)
		}
	}
	if r.Total.Suppressed || r.Total.Responses != 5 || *r.Total.CSAT != 80 {
		t.Fatalf("total = %+v", r.Total)
	}
	one, err := f.a.CampaignResults(head, c.ID, liaison.ByTotal, liaison.ResultFilter{OrganisationID: f.account.ID})
	must(t, err)
	if !one.Total.Suppressed {
		t.Fatalf("filtered to the account with 4 responses: %+v", one.Total)
	}
	must(t, f.a.SubmitResponse(context.Background(), links["pe@customer.test"], rating(2)))
	one, err = f.a.CampaignResults(head, c.ID, liaison.ByTotal, liaison.ResultFilter{OrganisationID: f.account.ID})
	must(t, err)
	if one.Total.Suppressed || one.Total.Responses != 5 || one.Total.Recipients != 6 {
		t.Fatalf("5 responses: %+v", one.Total)
	}

	for _, tc := range []struct {
		name   string
		user   *liaison.User
		filter liaison.ResultFilter
		want   string // "" or an error code
		total  int    // recipients seen
	}{
		{"admin sees all", f.admin, liaison.ResultFilter{}, "", 7},
		{"staff does not", f.staff, liaison.ResultFilter{}, liaison.EFORBIDDEN, 0},
		{"manager sees own account only", f.mgr, liaison.ResultFilter{}, "", 6},
		{"manager asks for own account", f.mgr, liaison.ResultFilter{OrganisationID: f.account.ID}, "", 6},
		{"manager asks for another's", f.mgr, liaison.ResultFilter{OrganisationID: f.other.ID}, liaison.EFORBIDDEN, 0},
		{"other manager sees theirs", f.oth, liaison.ResultFilter{}, "", 1},
	} {
		r, err := f.a.CampaignResults(as(tc.user, liaison.ScopeRead), c.ID, liaison.ByRole, tc.filter)
		if tc.want != "" {
			wantCode(t, tc.name, err, tc.want)
			continue
		}
		must(t, err)
		if r.Total.Recipients != tc.total && !r.Total.Suppressed {
			t.Errorf("%s: %d recipients seen, want %d", tc.name, r.Total.Recipients, tc.total)
		}
	}
	// The setting changes who sees: staff in, managers out.
	s := liaison.DefaultSettings()
	s.SurveyResults = liaison.SurveyResultAccess{Roles: []liaison.UserRole{liaison.RoleAdmin, liaison.RoleStaff}}
	must(t, f.a.SaveSettings(as(f.admin, liaison.ScopeWrite), s))
	_, err = f.a.CampaignResults(as(f.staff, liaison.ScopeRead), c.ID, liaison.ByTotal, liaison.ResultFilter{})
	must(t, err)
	for _, u := range []*liaison.User{f.mgr, f.head} {
		_, err = f.a.CampaignResults(as(u, liaison.ScopeRead), c.ID, liaison.ByTotal, liaison.ResultFilter{})
		wantCode(t, u.Name+" after the setting changed", err, liaison.EFORBIDDEN)
	}
	_, err = f.a.CampaignResults(as(f.admin, liaison.ScopeRead), c.ID, "colour", liaison.ResultFilter{})
	wantCode(t, "unknown grouping", err, liaison.EBADREQUEST)
}

func TestSurveyReminders(t *testing.T) {
	f := surveySetup(t, 2)
	c := f.open(t, &liaison.Campaign{})
	first := f.links(t)
	must(t, f.a.SubmitResponse(context.Background(), first["pa@customer.test"], rating(5)))
	n, err := f.a.RemindDueCampaigns(context.Background())
	must(t, err)
	if n != 0 {
		t.Fatalf("reminded %d on the opening day", n)
	}
	f.now = f.now.AddDate(0, 0, 7)
	n, err = f.a.RemindDueCampaigns(context.Background())
	must(t, err)
	if n != 2 {
		t.Fatalf("reminded %d, want the 2 non-respondents", n)
	}
	again := f.links(t)
	if again["pb@customer.test"] == first["pb@customer.test"] {
		t.Fatal("the reminder repeats the old link")
	}
	err = f.a.SubmitResponse(context.Background(), first["pb@customer.test"], rating(3))
	wantCode(t, "old link after a reminder", err, liaison.ENOTFOUND)
	must(t, f.a.SubmitResponse(context.Background(), again["pb@customer.test"], rating(3)))
	_, err = f.a.RemindCampaign(as(f.head, liaison.ScopeWrite), c.ID)
	wantCode(t, "remind again within the interval", err, liaison.ECONFLICT)
	f.now = f.now.AddDate(0, 0, 7)
	n, err = f.a.RemindCampaign(as(f.head, liaison.ScopeWrite), c.ID)
	must(t, err)
	if n != 1 {
		t.Fatalf("reminded %d, want 1", n)
	}
	_, err = f.a.RemindCampaign(as(f.staff, liaison.ScopeWrite), c.ID)
	wantCode(t, "staff reminds", err, liaison.EFORBIDDEN)
}

func TestCampaignTrend(t *testing.T) {
	f := surveySetup(t, 1)
	spring := f.open(t, &liaison.Campaign{Title: "Spring", ClosesOn: "2026-04-30"})
	autumn := f.open(t, &liaison.Campaign{Title: "Autumn", ClosesOn: "2026-10-31"})
	f.open(t, &liaison.Campaign{Title: "Anonymous", ClosesOn: "2026-12-31", Anonymous: true})
	draft := &liaison.Campaign{Title: "Draft", SurveyID: f.survey.ID, Roles: []liaison.RoleKind{liaison.RoleCustomer}, ClosesOn: "2026-12-31"}
	must(t, f.a.CreateCampaign(as(f.head, liaison.ScopeWrite), draft))
	// Each opening mailed pa a new link; answer spring's and autumn's.
	ms, err := f.db.FindMail(context.Background(), liaison.MailFilter{To: "pa@customer.test"})
	must(t, err)
	byTitle := map[string]string{}
	for _, m := range ms {
		for _, c := range []*liaison.Campaign{spring, autumn} {
			if strings.Contains(m.Subject, c.Title) {
				byTitle[c.Title] = linkRE.FindStringSubmatch(m.Text)[1]
			}
		}
	}
	must(t, f.a.SubmitResponse(context.Background(), byTitle["Spring"], rating(2)))
	must(t, f.a.SubmitResponse(context.Background(), byTitle["Autumn"], rating(5)))
	ps, err := f.a.CampaignTrend(as(f.head, liaison.ScopeRead), f.survey.ID, liaison.ResultFilter{OrganisationID: f.account.ID})
	must(t, err)
	if len(ps) != 3 || ps[0].Title != "Spring" || ps[1].Title != "Autumn" || *ps[0].Total.CSAT != 0 || *ps[1].Total.CSAT != 100 ||
		!ps[2].Total.Suppressed {
		t.Fatalf("trend = %+v", ps)
	}
	ps, err = f.a.CampaignTrend(as(f.staff, liaison.ScopeRead), "", liaison.ResultFilter{})
	must(t, err)
	if len(ps) != 0 {
		t.Fatalf("staff sees %d campaigns' results", len(ps))
	}
}
