package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Survey/CreateVersionsTrash":          testSurveyVersions,
		"Campaign/CreateUpdateOpenClose":      testCampaignLifecycle,
		"Campaign/AudienceByRoleAndScope":     testCampaignAudience,
		"Campaign/LinkIsUsedOnce":             testCampaignSubmitOnce,
		"Campaign/ExpiredAndClosedLinks":      testCampaignLinkRefusals,
		"Campaign/AnonymousKeepsNoLink":       testCampaignAnonymous,
		"Campaign/RemindersReplaceTheLink":    testCampaignReminders,
		"Campaign/ResultsByAccountAndService": testCampaignResults,
	} {
		contract[name] = fn
	}
}

func surveyQuestions() []liaison.Question {
	return []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Text: liaison.LocalText{"en": "How satisfied are you?", "sv": "Hur nöjd är du?"}, Required: true},
		{ID: "recommend", Type: liaison.QuestionNPS, Text: liaison.LocalText{"en": "Would you recommend us?", "zh": "您会推荐我们吗？"}},
		{ID: "comment", Type: liaison.QuestionText, Text: liaison.LocalText{"fi": "Muuta?"}},
	}
}

// surveyFixture is two accounts (one with a sub-unit), people in roles
// with email addresses, a survey and an acting user.
type surveyFixture struct {
	agreementFixture
	other   *liaison.Organisation
	seg     *liaison.Segment
	survey  *liaison.Survey
	manager *liaison.User
	ctx     context.Context
	people  map[string]*liaison.Person
}

func mkSurveyFixture(t *testing.T, db *sqlstore.DB) surveyFixture {
	t.Helper()
	f := surveyFixture{agreementFixture: mkAgreementFixture(t, db), people: map[string]*liaison.Person{}}
	f.manager = mkUser(t, db, "Maja Manager")
	f.ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.manager, Scope: liaison.ScopeWrite})
	f.seg = &liaison.Segment{Name: "Schools"}
	ok(t, db.CreateSegment(f.ctx, f.seg))
	f.other = mkUnit(t, db, "Malmö stad", nil, account, func(o *liaison.Organisation) { o.Segment = f.seg.ID })
	email := func(name string, lang liaison.Language) func(*liaison.Person) {
		return func(p *liaison.Person) { p.Email, p.Language = name+"@example.com", lang }
	}
	// The agreement fixture's customer and orderer get addresses.
	for _, p := range []*liaison.Person{f.customer, f.orderer} {
		p.Email = p.Name[:4] + "@example.com"
		ok(t, db.UpdatePerson(f.ctx, p, p.Version))
	}
	f.people["customer"], f.people["orderer"] = f.customer, f.orderer
	for _, x := range []struct {
		name string
		unit *liaison.Organisation
		role liaison.RoleKind
		lang liaison.Language
	}{
		{"ulla", f.unit, liaison.RoleUser, liaison.Swedish},
		{"mats", f.other, liaison.RoleCustomer, liaison.Chinese},
		{"mia", f.other, liaison.RoleUser, liaison.Finnish},
	} {
		p := mkPerson(t, db, x.name, x.unit, email(x.name, x.lang))
		mkRole(t, db, p, x.unit, x.role)
		f.people[x.name] = p
	}
	// Mia also orders at Malmö: she is sent one survey, as orderer.
	mkRole(t, db, f.people["mia"], f.other, liaison.RoleOrderer)
	// No address: never a recipient.
	mkRole(t, db, mkPerson(t, db, "Nils Nomail", f.acct), f.acct, liaison.RoleUser)
	mkSubscription(t, db, f.other, f.erp, "Gold")
	f.survey = &liaison.Survey{Name: "Customer satisfaction", Questions: surveyQuestions()}
	ok(t, db.CreateSurvey(f.ctx, f.survey))
	return f
}

func (f surveyFixture) campaign(mods ...func(*liaison.Campaign)) *liaison.Campaign {
	c := &liaison.Campaign{Title: "Spring 2026", SurveyID: f.survey.ID, Roles: []liaison.RoleKind{liaison.RoleCustomer, liaison.RoleOrderer, liaison.RoleUser},
		ClosesOn: "2026-04-30"}
	for _, m := range mods {
		m(c)
	}
	return c
}

// tokenFor is the test's token of a person in a campaign; the store sees
// only its hash.
func tokenFor(campaignID, personID string) []byte {
	h := sha256.Sum256([]byte(campaignID + "/" + personID))
	return h[:]
}

// openCampaign creates (unless stored) and opens a campaign for its
// audience and returns the recipients.
func openCampaign(t *testing.T, db *sqlstore.DB, f surveyFixture, c *liaison.Campaign) []liaison.Recipient {
	t.Helper()
	if c.ID == "" {
		ok(t, db.CreateCampaign(f.ctx, c))
	}
	aud, err := db.CampaignAudience(ctx, c)
	ok(t, err)
	nr := make([]liaison.NewRecipient, len(aud))
	for i, r := range aud {
		nr[i] = liaison.NewRecipient{Recipient: r, TokenHash: tokenFor(c.ID, r.PersonID)}
	}
	opened, err := db.OpenCampaign(f.ctx, c.ID, c.Version, nr)
	ok(t, err)
	*c = *opened
	return aud
}

func testSurveyVersions(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	s := f.survey
	if s.ID == "" || s.Version != 1 || s.SurveyVersion != 1 {
		t.Fatalf("created = %+v", s)
	}
	got, err := db.FindSurveyByID(ctx, s.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, s); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Name = "Customer satisfaction survey"
	ok(t, db.UpdateSurvey(f.ctx, &u, 1))
	if u.Version != 2 || u.SurveyVersion != 1 {
		t.Fatalf("renamed: version %d, survey_version %d; want 2, 1 (same questions, no new version)", u.Version, u.SurveyVersion)
	}
	u.Questions = append(u.Questions[:1:1], liaison.Question{ID: "speed", Type: liaison.QuestionRating, Text: liaison.LocalText{"en": "Speed?"}})
	ok(t, db.UpdateSurvey(f.ctx, &u, 2))
	if u.Version != 3 || u.SurveyVersion != 2 {
		t.Fatalf("changed questions: version %d, survey_version %d; want 3, 2", u.Version, u.SurveyVersion)
	}
	v1, err := db.FindSurveyVersion(ctx, s.ID, 1)
	ok(t, err)
	if mustJSON(t, v1.Questions) != mustJSON(t, surveyQuestions()) || v1.Name != "Customer satisfaction" || v1.CreatedByID == nil || *v1.CreatedByID != f.manager.ID {
		t.Fatalf("version 1 changed: %+v", v1)
	}
	vs, err := db.FindSurveyVersions(ctx, s.ID)
	ok(t, err)
	if len(vs) != 2 || vs[0].Number != 2 || vs[1].Number != 1 || len(vs[0].Questions) != 2 {
		t.Fatalf("versions = %+v", vs)
	}
	_, err = db.FindSurveyVersion(ctx, s.ID, 3)
	wantCode(t, err, liaison.ENOTFOUND)
	bad := u
	bad.Questions = nil
	wantField(t, db.UpdateSurvey(f.ctx, &bad, 3), "questions", "required")
	wantCode(t, db.UpdateSurvey(f.ctx, &u, 2), liaison.ESTALE)
	list, next, err := db.FindSurveys(ctx, liaison.SurveyFilter{Q: "satisf"})
	ok(t, err)
	if len(list) != 1 || next != "" || list[0].ID != s.ID {
		t.Fatalf("list = %+v", list)
	}
	ok(t, db.DeleteSurvey(f.ctx, s.ID, 3))
	_, err = db.FindSurveyByID(ctx, s.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindSurveys(ctx, liaison.SurveyFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 {
		t.Fatalf("trash = %+v", trash)
	}
	audit, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectID: s.ID})
	ok(t, err)
	if len(audit) != 4 {
		t.Fatalf("%d audit entries, want 4 (create, 2 updates, delete)", len(audit))
	}
}

func testCampaignLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	wantField(t, db.CreateCampaign(f.ctx, f.campaign(func(c *liaison.Campaign) { c.SurveyID = "nope" })), "survey_id", "unknown")
	wantField(t, db.CreateCampaign(f.ctx, f.campaign(func(c *liaison.Campaign) { c.SurveyVersion = 2 })), "survey_version", "unknown")
	wantField(t, db.CreateCampaign(f.ctx, f.campaign(func(c *liaison.Campaign) { c.OrganisationIDs = []string{f.unit.ID} })), "organisation_ids", "invalid")
	wantField(t, db.CreateCampaign(f.ctx, f.campaign(func(c *liaison.Campaign) { c.Status = liaison.CampaignOpen })), "status", "invalid")
	wantField(t, db.CreateCampaign(f.ctx, f.campaign(func(c *liaison.Campaign) { c.Roles = []liaison.RoleKind{"other"} })), "roles", "invalid")
	c := f.campaign(func(c *liaison.Campaign) { c.OrganisationIDs = []string{f.acct.ID} })
	ok(t, db.CreateCampaign(f.ctx, c))
	if c.Version != 1 || c.SurveyVersion != 1 || c.Status != liaison.CampaignDraft || c.SurveyName != "Customer satisfaction" || c.CreatedByID == nil {
		t.Fatalf("created = %+v", c)
	}
	got, err := db.FindCampaignByID(ctx, c.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, c); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	// The survey changes after the campaign was made: the campaign keeps its version.
	s := *f.survey
	s.Questions = s.Questions[:1]
	ok(t, db.UpdateSurvey(f.ctx, &s, s.Version))
	u := *got
	u.OrganisationIDs, u.Anonymous = nil, true
	ok(t, db.UpdateCampaign(f.ctx, &u, 1))
	if u.Version != 2 || len(u.OrganisationIDs) != 0 || !u.Anonymous || u.SurveyVersion != 1 {
		t.Fatalf("updated = %+v", u)
	}
	u.Status = liaison.CampaignOpen
	wantField(t, db.UpdateCampaign(f.ctx, &u, 2), "status", "transition")
	_, err = db.CloseCampaign(f.ctx, c.ID, 2)
	e := wantCode(t, err, liaison.EINVALID)
	if e.Fields[0].Message != "a campaign cannot go from draft to closed; allowed: open" {
		t.Fatalf("close a draft: %v", err)
	}
	_, err = db.OpenCampaign(f.ctx, c.ID, 1, nil)
	wantCode(t, err, liaison.ESTALE)
	_, err = db.OpenCampaign(f.ctx, c.ID, 2, nil)
	wantField(t, err, "recipients", "required")
	u.Status = liaison.CampaignDraft
	c = &u
	aud := openCampaign(t, db, f, c)
	if c.Status != liaison.CampaignOpen || c.Version != 3 || c.Recipients != len(aud) || c.Recipients != 5 || c.OpenedAt == nil {
		t.Fatalf("opened = %+v (%d in audience)", c, len(aud))
	}
	_, err = db.OpenCampaign(f.ctx, c.ID, 3, nil)
	wantCode(t, err, liaison.EINVALID)
	// Once opened, only the title and the closing date change.
	u = *c
	u.Title, u.ClosesOn = "Spring 2026 (extended)", "2026-05-15"
	ok(t, db.UpdateCampaign(f.ctx, &u, 3))
	u.Roles = []liaison.RoleKind{liaison.RoleCustomer}
	wantField(t, db.UpdateCampaign(f.ctx, &u, 4), "roles", "invalid")
	u.Roles, u.SurveyVersion = c.Roles, 2
	wantField(t, db.UpdateCampaign(f.ctx, &u, 4), "survey_version", "invalid")
	wantCode(t, db.DeleteCampaign(f.ctx, c.ID, 4), liaison.ECONFLICT)
	closed, err := db.CloseCampaign(f.ctx, c.ID, 4)
	ok(t, err)
	if closed.Status != liaison.CampaignClosed || closed.ClosedAt == nil || closed.Version != 5 {
		t.Fatalf("closed = %+v", closed)
	}
	_, err = db.OpenCampaign(f.ctx, c.ID, 5, nil)
	e = wantCode(t, err, liaison.EINVALID)
	if e.Fields[0].Message != "a campaign cannot go from closed to open: closed is final" {
		t.Fatalf("reopen: %v", err)
	}
	list, _, err := db.FindCampaigns(ctx, liaison.CampaignFilter{Status: liaison.CampaignClosed, SurveyID: f.survey.ID})
	ok(t, err)
	if len(list) != 1 || list[0].Title != "Spring 2026 (extended)" || list[0].Recipients != 5 {
		t.Fatalf("list = %+v", list)
	}
	ok(t, db.DeleteCampaign(f.ctx, c.ID, 5))
	_, err = db.FindCampaignByID(ctx, c.ID)
	wantCode(t, err, liaison.ENOTFOUND)
}

func testCampaignAudience(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	for _, tc := range []struct {
		name string
		mod  func(*liaison.Campaign)
		want []string // name:role@account
	}{
		{"everyone", nil, []string{"customer:customer@Lund", "orderer:orderer@Lund", "ulla:user@Lund", "mats:customer@Malmö", "mia:orderer@Malmö"}},
		{"customers", func(c *liaison.Campaign) { c.Roles = []liaison.RoleKind{liaison.RoleCustomer} }, []string{"customer:customer@Lund", "mats:customer@Malmö"}},
		{"users", func(c *liaison.Campaign) { c.Roles = []liaison.RoleKind{liaison.RoleUser} }, []string{"ulla:user@Lund", "mia:user@Malmö"}},
		{"one account", func(c *liaison.Campaign) { c.OrganisationIDs = []string{f.other.ID} }, []string{"mats:customer@Malmö", "mia:orderer@Malmö"}},
		{"segment", func(c *liaison.Campaign) { c.Segment = f.seg.ID }, []string{"mats:customer@Malmö", "mia:orderer@Malmö"}},
		{"service", func(c *liaison.Campaign) { c.ServiceID = &f.erp.ID }, []string{"mats:customer@Malmö", "mia:orderer@Malmö"}},
		{"unused service", func(c *liaison.Campaign) { c.ServiceID = &f.print.ID }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.campaign()
			if tc.mod != nil {
				tc.mod(c)
			}
			aud, err := db.CampaignAudience(ctx, c)
			ok(t, err)
			names := map[string]string{}
			for k, p := range f.people {
				names[p.ID] = k
			}
			accts := map[string]string{f.acct.ID: "Lund", f.other.ID: "Malmö"}
			got := map[string]bool{}
			for _, r := range aud {
				got[fmt.Sprintf("%s:%s@%s", names[r.PersonID], r.Role, accts[r.OrganisationID])] = true
				if r.Email == "" || !r.Language.Valid() {
					t.Errorf("recipient %+v", r)
				}
			}
			if len(got) != len(tc.want) || len(aud) != len(tc.want) {
				t.Fatalf("audience = %v, want %v", got, tc.want)
			}
			for _, w := range tc.want {
				if !got[w] {
					t.Fatalf("audience = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func answers(rating int) []liaison.Answer {
	return []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(rating)}, {QuestionID: "comment", Text: "Thanks"}}
}

func testCampaignSubmitOnce(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	c := f.campaign()
	aud := openCampaign(t, db, f, c)
	tok := tokenFor(c.ID, aud[0].PersonID)

	l, err := db.FindLink(ctx, tok)
	ok(t, err)
	if l.Campaign.ID != c.ID || l.Recipient.PersonID != aud[0].PersonID || len(l.Questions) != 3 || db.LinkRefusal(l) != nil {
		t.Fatalf("link = %+v", l)
	}
	_, err = db.FindLink(ctx, tokenFor(c.ID, "someone else"))
	if liaison.LinkRefusalKey(err) != liaison.LinkUnknown {
		t.Fatalf("unknown link: %v", err)
	}
	// Invalid answers are refused and use up nothing.
	_, _, err = db.SubmitResponse(ctx, tok, []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(9)}})
	wantField(t, err, "answers[0].value", "invalid")
	r, l, err := db.SubmitResponse(ctx, tok, answers(4))
	ok(t, err)
	if r.RecipientID == nil || *r.RecipientID != l.Recipient.ID || r.OrganisationID != aud[0].OrganisationID || len(r.Answers) != 2 || l.Recipient.RespondedAt == nil {
		t.Fatalf("response = %+v", r)
	}
	// A second submission through the same link: a clear refusal, nothing stored.
	_, _, err = db.SubmitResponse(ctx, tok, answers(1))
	e := wantCode(t, err, liaison.ECONFLICT)
	if e.Key != liaison.LinkUsed || e.Message != "This survey link has already been used: a response was received." {
		t.Fatalf("second submission: %+v", e)
	}
	_, _, err = db.SubmitResponse(ctx, tokenFor(c.ID, "x"), answers(1))
	wantCode(t, err, liaison.ENOTFOUND)
	stored, err := sqlstore.StoredResponses(ctx, db, c.ID)
	ok(t, err)
	if len(stored) != 1 || stored[0].ID != r.ID {
		t.Fatalf("stored = %+v", stored)
	}
	got, err := db.FindCampaignByID(ctx, c.ID)
	ok(t, err)
	if got.Responses != 1 {
		t.Fatalf("responses = %d", got.Responses)
	}
	l, err = db.FindLink(ctx, tok)
	ok(t, err)
	if liaison.LinkRefusalKey(db.LinkRefusal(l)) != liaison.LinkUsed {
		t.Fatalf("used link: %v", db.LinkRefusal(l))
	}
}

func testCampaignLinkRefusals(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	c := f.campaign()
	aud := openCampaign(t, db, f, c)
	clk := useClock(db, time.Date(2026, 4, 30, 23, 59, 0, 0, time.UTC))
	_, _, err := db.SubmitResponse(ctx, tokenFor(c.ID, aud[0].PersonID), answers(5))
	ok(t, err) // the closing day still takes responses
	clk.Set(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	_, _, err = db.SubmitResponse(ctx, tokenFor(c.ID, aud[1].PersonID), answers(5))
	if e := wantCode(t, err, liaison.ECONFLICT); e.Key != liaison.LinkExpired {
		t.Fatalf("expired: %+v", e)
	}
	clk.Set(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	_, err = db.CloseCampaign(f.ctx, c.ID, c.Version)
	ok(t, err)
	_, _, err = db.SubmitResponse(ctx, tokenFor(c.ID, aud[2].PersonID), answers(5))
	if e := wantCode(t, err, liaison.ECONFLICT); e.Key != liaison.LinkClosed {
		t.Fatalf("closed: %+v", e)
	}
	stored, err := sqlstore.StoredResponses(ctx, db, c.ID)
	ok(t, err)
	if len(stored) != 1 {
		t.Fatalf("stored %d responses, want 1", len(stored))
	}
}

func testCampaignAnonymous(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	c := f.campaign(func(c *liaison.Campaign) { c.Anonymous = true })
	aud := openCampaign(t, db, f, c)
	lund := 0
	for _, r := range aud {
		if r.OrganisationID != f.acct.ID {
			continue
		}
		lund++
		resp, _, err := db.SubmitResponse(ctx, tokenFor(c.ID, r.PersonID), answers(2))
		ok(t, err)
		if resp.RecipientID != nil || !resp.SubmittedAt.Equal(liaison.DateOf(resp.SubmittedAt)) {
			t.Fatalf("anonymous response = %+v", resp)
		}
		_, _, err = db.SubmitResponse(ctx, tokenFor(c.ID, r.PersonID), answers(2))
		if liaison.LinkRefusalKey(err) != liaison.LinkUsed {
			t.Fatalf("anonymous resubmission: %v", err)
		}
	}
	stored, err := sqlstore.StoredResponses(ctx, db, c.ID)
	ok(t, err)
	if len(stored) != lund || lund != 3 {
		t.Fatalf("stored = %+v, want %d", stored, lund)
	}
	for _, s := range stored {
		if s.RecipientID != nil {
			t.Fatalf("anonymous response %s names recipient %s", s.ID, *s.RecipientID)
		}
	}
	pending, err := db.PendingRecipients(ctx, c.ID)
	ok(t, err)
	if len(pending) != 2 {
		t.Fatalf("pending = %+v, want Malmö's two", pending)
	}
	audit, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectID: c.ID})
	ok(t, err)
	n := 0
	for _, a := range audit {
		if a.Summary == c.Title+": anonymous response received" {
			n++
			if a.OrganisationID != "" || len(a.After) > 0 || len(a.Before) > 0 {
				t.Fatalf("audit entry reveals a respondent: %+v", a)
			}
		}
	}
	if n != lund {
		t.Fatalf("%d audit entries of anonymous responses, want %d", n, lund)
	}
	d, err := db.CampaignResultData(ctx, c.ID)
	ok(t, err)
	r := liaison.Aggregate(d, liaison.ByAccount, liaison.ResultFilter{})
	if len(r.Groups) != 2 || !r.Groups[0].Suppressed && !r.Groups[1].Suppressed || !r.Total.Suppressed {
		t.Fatalf("anonymous results with 3 responses show numbers: %+v", r)
	}
}

func testCampaignReminders(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	c := f.campaign()
	aud := openCampaign(t, db, f, c)
	_, _, err := db.SubmitResponse(ctx, tokenFor(c.ID, aud[0].PersonID), answers(5))
	ok(t, err)
	pending, err := db.PendingRecipients(ctx, c.ID)
	ok(t, err)
	if len(pending) != len(aud)-1 || pending[0].Email == "" || pending[0].PersonName == "" {
		t.Fatalf("pending = %+v", pending)
	}
	hashes := map[string][]byte{}
	for _, r := range pending {
		h := sha256.Sum256([]byte("reminder " + r.ID))
		hashes[r.ID] = h[:]
	}
	ok(t, db.RemindRecipients(f.ctx, c.ID, hashes))
	got, err := db.FindCampaignByID(ctx, c.ID)
	ok(t, err)
	if got.RemindedAt == nil {
		t.Fatal("campaign not marked reminded")
	}
	// The earlier link stops working; the reminder's works.
	_, _, err = db.SubmitResponse(ctx, tokenFor(c.ID, pending[0].PersonID), answers(3))
	wantCode(t, err, liaison.ENOTFOUND)
	_, _, err = db.SubmitResponse(ctx, hashes[pending[0].ID], answers(3))
	ok(t, err)
	pending2, err := db.PendingRecipients(ctx, c.ID)
	ok(t, err)
	if len(pending2) != len(pending)-1 || pending2[0].RemindedAt == nil {
		t.Fatalf("pending after reminder = %+v", pending2)
	}
	_, err = db.CloseCampaign(f.ctx, c.ID, got.Version)
	ok(t, err)
	wantCode(t, db.RemindRecipients(f.ctx, c.ID, hashes), liaison.ECONFLICT)
}

func testCampaignResults(t *testing.T, db *sqlstore.DB) {
	f := mkSurveyFixture(t, db)
	c := f.campaign()
	aud := openCampaign(t, db, f, c)
	for i, r := range aud {
		if i == len(aud)-1 {
			break // one does not answer
		}
		_, _, err := db.SubmitResponse(ctx, tokenFor(c.ID, r.PersonID), answers(5-i))
		ok(t, err)
	}
	d, err := db.CampaignResultData(ctx, c.ID)
	ok(t, err)
	if len(d.Recipients) != 5 || len(d.Responses) != 4 || len(d.Questions) != 3 || d.Anonymous {
		t.Fatalf("data = %+v", d)
	}
	all := liaison.Aggregate(d, liaison.ByService, liaison.ResultFilter{})
	if all.Total.Responses != 4 || all.Total.Recipients != 5 || *all.Total.ResponseRate != 80 || all.Total.Suppressed {
		t.Fatalf("total = %+v", all.Total)
	}
	if len(all.Groups) != 1 || all.Groups[0].Key != f.erp.ID || all.Groups[0].Recipients != 2 {
		t.Fatalf("by service = %+v", all.Groups)
	}
	seg := liaison.Aggregate(d, liaison.BySegment, liaison.ResultFilter{Segment: f.seg.ID})
	if len(seg.Groups) != 1 || seg.Groups[0].Key != f.seg.ID || seg.Total.Recipients != 2 {
		t.Fatalf("by segment = %+v", seg)
	}
}
