package liaison_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func en(s string) liaison.LocalText { return liaison.LocalText{liaison.English: s} }

func sampleQuestions() []liaison.Question {
	return []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Text: liaison.LocalText{"en": "How satisfied are you?", "sv": "Hur nöjd är du?", "zh": "您满意吗？"}, Required: true},
		{ID: "recommend", Type: liaison.QuestionNPS, Text: en("Would you recommend us?")},
		{ID: "channel", Type: liaison.QuestionSingleChoice, Text: en("Main channel"), Choices: []liaison.SurveyChoice{{ID: "desk", Label: en("Service desk")}, {ID: "portal", Label: liaison.LocalText{"fi": "Portaali"}}}},
		{ID: "services", Type: liaison.QuestionMultipleChoice, Text: en("Services used"), Choices: []liaison.SurveyChoice{{ID: "mail", Label: en("Mail")}, {ID: "erp", Label: en("ERP")}, {ID: "print", Label: en("Print")}}},
		{ID: "comment", Type: liaison.QuestionText, Text: en("Anything else?")},
	}
}

func TestSurveyValidate(t *testing.T) {
	base := func(mod func(*liaison.Survey)) liaison.Survey {
		s := liaison.Survey{Name: "Customer satisfaction 2026", Questions: sampleQuestions()}
		if mod != nil {
			mod(&s)
		}
		s.Normalize()
		return s
	}
	for _, tc := range []struct {
		name string
		s    liaison.Survey
		want map[string]string
	}{
		{"ok", base(nil), nil},
		{"no name", base(func(s *liaison.Survey) { s.Name = " " }), map[string]string{"name": "required"}},
		{"no questions", base(func(s *liaison.Survey) { s.Questions = nil }), map[string]string{"questions": "required"}},
		{"bad type", base(func(s *liaison.Survey) { s.Questions[0].Type = "stars" }), map[string]string{"questions[0].type": "invalid"}},
		{"no text", base(func(s *liaison.Survey) { s.Questions[1].Text = liaison.LocalText{"en": "  "} }), map[string]string{"questions[1].text": "required"}},
		{"unknown language", base(func(s *liaison.Survey) { s.Questions[1].Text["de"] = "Empfehlen?" }), map[string]string{"questions[1].text.de": "invalid"}},
		{"duplicate key", base(func(s *liaison.Survey) { s.Questions[1].ID = "overall" }), map[string]string{"questions[1].id": "invalid"}},
		{"missing key", base(func(s *liaison.Survey) { s.Questions[4].ID = "" }), map[string]string{"questions[4].id": "required"}},
		{"choices on rating", base(func(s *liaison.Survey) { s.Questions[0].Choices = s.Questions[2].Choices }), map[string]string{"questions[0].choices": "invalid"}},
		{"one choice", base(func(s *liaison.Survey) { s.Questions[2].Choices = s.Questions[2].Choices[:1] }), map[string]string{"questions[2].choices": "invalid"}},
		{"choice without label", base(func(s *liaison.Survey) { s.Questions[3].Choices[1].Label = nil }), map[string]string{"questions[3].choices[1].label": "required"}},
		{"duplicate choice", base(func(s *liaison.Survey) { s.Questions[3].Choices[2].ID = "mail" }), map[string]string{"questions[3].choices[2].id": "invalid"}},
		{"long text", base(func(s *liaison.Survey) { s.Questions[0].Text["fi"] = strings.Repeat("x", 20001) }), map[string]string{"questions[0].text.fi": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fieldCodes(tc.s.Validate())
			if len(tc.want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLocalTextIn(t *testing.T) {
	txt := liaison.LocalText{"sv": "Hej", "fi": "Hei"}
	for _, tc := range []struct {
		lang liaison.Language
		want string
	}{{"sv", "Hej"}, {"fi", "Hei"}, {"zh", "Hej"}, {"en", "Hej"}} {
		if got := txt.In(tc.lang); got != tc.want {
			t.Errorf("In(%s) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := (liaison.LocalText{"en": "Hi", "sv": "Hej"}).In("zh"); got != "Hi" {
		t.Errorf("fallback = %q, want English", got)
	}
}

func TestValidateAnswers(t *testing.T) {
	qs := sampleQuestions()
	for _, tc := range []struct {
		name    string
		answers []liaison.Answer
		want    map[string]string
		kept    int
	}{
		{"all", []liaison.Answer{{QuestionID: "comment", Text: " Fine "}, {QuestionID: "overall", Value: liaison.Ptr(4)}, {QuestionID: "recommend", Value: liaison.Ptr(0)},
			{QuestionID: "channel", Choices: []string{"desk"}}, {QuestionID: "services", Choices: []string{"mail", "erp"}}}, nil, 5},
		{"only required", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(1)}, {QuestionID: "comment"}}, nil, 1},
		{"required missing", []liaison.Answer{{QuestionID: "recommend", Value: liaison.Ptr(10)}}, map[string]string{"answers.overall": "required"}, 0},
		{"rating out of range", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(6)}}, map[string]string{"answers[0].value": "invalid", "answers.overall": "required"}, 0},
		{"rating zero", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(0)}}, map[string]string{"answers[0].value": "invalid", "answers.overall": "required"}, 0},
		{"nps out of range", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "recommend", Value: liaison.Ptr(11)}}, map[string]string{"answers[1].value": "invalid"}, 0},
		{"unknown question", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "salary", Text: "x"}}, map[string]string{"answers[1].question_id": "unknown"}, 0},
		{"twice", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "overall", Value: liaison.Ptr(2)}}, map[string]string{"answers[1].question_id": "invalid"}, 0},
		{"two single choices", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "channel", Choices: []string{"desk", "portal"}}}, map[string]string{"answers[1].choices": "invalid"}, 0},
		{"unknown choice", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "services", Choices: []string{"fax"}}}, map[string]string{"answers[1].choices": "unknown"}, 0},
		{"text on rating", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3), Text: "good"}}, map[string]string{"answers[0].text": "invalid", "answers.overall": "required"}, 0},
		{"value on text", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "comment", Value: liaison.Ptr(3)}}, map[string]string{"answers[1].value": "invalid"}, 0},
		{"choices on nps", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "recommend", Choices: []string{"desk"}}}, map[string]string{"answers[1].choices": "invalid"}, 0},
		{"long text", []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(3)}, {QuestionID: "comment", Text: strings.Repeat("y", 20001)}}, map[string]string{"answers[1].text": "too_long"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, err := liaison.ValidateAnswers(qs, tc.answers)
			got := fieldCodes(err)
			if len(tc.want) == 0 && len(got) == 0 {
				if len(kept) != tc.kept {
					t.Fatalf("kept %d answers, want %d: %+v", len(kept), tc.kept, kept)
				}
				if kept[0].QuestionID != "overall" {
					t.Fatalf("answers not in question order: %+v", kept)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ValidateAnswers = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCampaignValidate(t *testing.T) {
	base := func(mod func(*liaison.Campaign)) liaison.Campaign {
		c := liaison.Campaign{Title: "Spring 2026", SurveyID: "s1", Roles: []liaison.RoleKind{"customer", " Orderer", "customer"}, ClosesOn: "2026-05-31"}
		if mod != nil {
			mod(&c)
		}
		c.Normalize()
		return c
	}
	if c := base(nil); c.Status != liaison.CampaignDraft || !reflect.DeepEqual(c.Roles, []liaison.RoleKind{"customer", "orderer"}) {
		t.Fatalf("normalized = %+v", c)
	}
	for _, tc := range []struct {
		name string
		c    liaison.Campaign
		want map[string]string
	}{
		{"ok", base(nil), nil},
		{"ok by segment", base(func(c *liaison.Campaign) { c.Segment = "municipal" }), nil},
		{"no title", base(func(c *liaison.Campaign) { c.Title = "" }), map[string]string{"title": "required"}},
		{"no survey", base(func(c *liaison.Campaign) { c.SurveyID = "" }), map[string]string{"survey_id": "required"}},
		{"no roles", base(func(c *liaison.Campaign) { c.Roles = nil }), map[string]string{"roles": "required"}},
		{"other role", base(func(c *liaison.Campaign) { c.Roles = []liaison.RoleKind{"other"} }), map[string]string{"roles": "invalid"}},
		{"two scopes", base(func(c *liaison.Campaign) { c.Segment, c.OrganisationIDs = "municipal", []string{"o1"} }), map[string]string{"organisation_ids": "invalid"}},
		{"no closing date", base(func(c *liaison.Campaign) { c.ClosesOn = "" }), map[string]string{"closes_on": "required"}},
		{"bad closing date", base(func(c *liaison.Campaign) { c.ClosesOn = "2026-02-30" }), map[string]string{"closes_on": "invalid"}},
		{"bad status", base(func(c *liaison.Campaign) { c.Status = "sent" }), map[string]string{"status": "invalid"}},
		{"negative version", base(func(c *liaison.Campaign) { c.SurveyVersion = -1 }), map[string]string{"survey_version": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fieldCodes(tc.c.Validate())
			if len(tc.want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckCampaignTransition(t *testing.T) {
	for _, tc := range []struct {
		from, to liaison.CampaignStatus
		ok       bool
		msg      string
	}{
		{"draft", "open", true, ""},
		{"open", "closed", true, ""},
		{"open", "open", true, ""},
		{"draft", "closed", false, "a campaign cannot go from draft to closed; allowed: open"},
		{"open", "draft", false, "a campaign cannot go from open to draft; allowed: closed"},
		{"closed", "open", false, "a campaign cannot go from closed to open: closed is final"},
	} {
		err := liaison.CheckCampaignTransition(tc.from, tc.to)
		if (err == nil) != tc.ok {
			t.Fatalf("%s→%s: err = %v", tc.from, tc.to, err)
		}
		var e *liaison.Error
		if !tc.ok && (!errors.As(err, &e) || e.Fields[0].Message != tc.msg || e.Fields[0].Key != "campaign.error.transition") {
			t.Fatalf("%s→%s: err = %+v, want message %q", tc.from, tc.to, err, tc.msg)
		}
	}
}

func TestCampaignExpired(t *testing.T) {
	c := liaison.Campaign{ClosesOn: "2026-05-31"}
	for _, tc := range []struct {
		now  string
		want bool
	}{{"2026-05-31T23:59:59Z", false}, {"2026-06-01T00:00:00Z", true}, {"2026-01-01T08:00:00Z", false}} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if got := c.Expired(now); got != tc.want {
			t.Errorf("Expired(%s) = %v, want %v", tc.now, got, tc.want)
		}
	}
}

func TestLinkRefusal(t *testing.T) {
	for _, tc := range []struct{ key, code string }{
		{liaison.LinkUsed, liaison.ECONFLICT}, {liaison.LinkExpired, liaison.ECONFLICT}, {liaison.LinkClosed, liaison.ECONFLICT},
		{liaison.LinkUnknown, liaison.ENOTFOUND}, {"anything", liaison.ENOTFOUND},
	} {
		err := liaison.LinkRefusal(tc.key)
		if liaison.ErrorCode(err) != tc.code || liaison.LinkRefusalKey(err) == "" {
			t.Errorf("%s: %v (%s)", tc.key, err, liaison.ErrorCode(err))
		}
	}
	if liaison.LinkRefusalKey(errors.New("x")) != "" || liaison.LinkRefusalKey(liaison.Errorf(liaison.ECONFLICT, "x")) != "" {
		t.Error("LinkRefusalKey finds a refusal in another error")
	}
}

func TestFollowUpRule(t *testing.T) {
	qs := sampleQuestions()
	answers := func(rating, nps int) []liaison.Answer {
		return []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(rating)}, {QuestionID: "recommend", Value: liaison.Ptr(nps)}, {QuestionID: "comment", Text: "1"}}
	}
	on := liaison.FollowUpRule{Enabled: true, RatingAtMost: 2, NPSAtMost: 6}
	for _, tc := range []struct {
		name        string
		rule        liaison.FollowUpRule
		rating, nps int
		want        []string
	}{
		{"off never", liaison.DefaultFollowUpRule, 1, 0, nil},
		{"high", on, 4, 9, nil},
		{"low rating", on, 2, 7, []string{"overall"}},
		{"low nps", on, 3, 6, []string{"recommend"}},
		{"both", on, 1, 0, []string{"overall", "recommend"}},
		{"nps disabled", liaison.FollowUpRule{Enabled: true, RatingAtMost: 2, NPSAtMost: -1}, 3, 0, nil},
		{"rating disabled", liaison.FollowUpRule{Enabled: true, RatingAtMost: 0, NPSAtMost: 6}, 1, 8, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range tc.rule.LowScores(qs, answers(tc.rating, tc.nps)) {
				got = append(got, a.QuestionID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("LowScores = %v, want %v", got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		rule liaison.FollowUpRule
		want map[string]string
	}{
		{on, nil},
		{liaison.FollowUpRule{RatingAtMost: 6, NPSAtMost: 6}, map[string]string{"rating_at_most": "invalid"}},
		{liaison.FollowUpRule{RatingAtMost: 2, NPSAtMost: 11}, map[string]string{"nps_at_most": "invalid"}},
	} {
		if got := fieldCodes(tc.rule.Validate()); len(tc.want)+len(got) > 0 && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Validate(%+v) = %v, want %v", tc.rule, got, tc.want)
		}
	}
}

func resp(org, seg string, role liaison.RoleKind, services []string, rating, nps int, text string) liaison.ResultResponse {
	a := []liaison.Answer{{QuestionID: "overall", Value: liaison.Ptr(rating)}, {QuestionID: "recommend", Value: liaison.Ptr(nps)},
		{QuestionID: "services", Choices: []string{"mail"}}}
	if text != "" {
		a = append(a, liaison.Answer{QuestionID: "comment", Text: text})
	}
	return liaison.ResultResponse{ResultUnit: liaison.ResultUnit{OrganisationID: org, Segment: seg, Role: role, ServiceIDs: services}, Answers: a}
}

func resultData(anonymous bool) *liaison.ResultData {
	d := &liaison.ResultData{CampaignID: "c1", Anonymous: anonymous, Questions: sampleQuestions()}
	// Account A: 6 recipients, 5 responses (ratings 5..1: CSAT 2/5; NPS 2
	// promoters, 2 detractors: 0); account B: 5 recipients, 4 responses
	// (CSAT 3/4; NPS 2 promoters, 1 detractor of 4: 25); total NPS 1/9.
	for range 6 {
		d.Recipients = append(d.Recipients, liaison.ResultUnit{OrganisationID: "A", Segment: "municipal", Role: "user", ServiceIDs: []string{"mail"}})
	}
	for range 5 {
		d.Recipients = append(d.Recipients, liaison.ResultUnit{OrganisationID: "B", Segment: "school", Role: "customer", ServiceIDs: []string{"mail", "erp"}})
	}
	d.Responses = []liaison.ResultResponse{
		resp("A", "municipal", "user", []string{"mail"}, 5, 10, "Great"),
		resp("A", "municipal", "user", []string{"mail"}, 4, 9, ""),
		resp("A", "municipal", "user", []string{"mail"}, 3, 8, ""),
		resp("A", "municipal", "user", []string{"mail"}, 2, 5, "Slow desk"),
		resp("A", "municipal", "user", []string{"mail"}, 1, 0, ""),
		resp("B", "school", "customer", []string{"mail", "erp"}, 5, 10, ""),
		resp("B", "school", "customer", []string{"mail", "erp"}, 5, 10, ""),
		resp("B", "school", "customer", []string{"mail", "erp"}, 4, 7, ""),
		resp("B", "school", "customer", []string{"mail", "erp"}, 1, 2, ""),
	}
	return d
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

func TestAggregate(t *testing.T) {
	type row struct {
		key              string
		suppressed       bool
		recipients, resp int
		rate, csat, nps  string
	}
	for _, tc := range []struct {
		name      string
		anonymous bool
		by        liaison.ResultDimension
		filter    liaison.ResultFilter
		total     row
		groups    []row
	}{
		{"total", false, liaison.ByTotal, liaison.ResultFilter{}, row{"", false, 11, 9, "81.82", "55.56", "11.11"}, nil},
		{"by account", false, liaison.ByAccount, liaison.ResultFilter{}, row{"", false, 11, 9, "81.82", "55.56", "11.11"}, []row{
			{"A", false, 6, 5, "83.33", "40.00", "0.00"}, {"B", false, 5, 4, "80.00", "75.00", "25.00"}}},
		{"anonymous: 4 responses of B suppressed", true, liaison.ByAccount, liaison.ResultFilter{}, row{"", false, 11, 9, "81.82", "55.56", "11.11"}, []row{
			{"A", false, 6, 5, "83.33", "40.00", "0.00"}, {"B", true, 0, 0, "-", "-", "-"}}},
		{"anonymous filtered to B", true, liaison.ByTotal, liaison.ResultFilter{OrganisationID: "B"}, row{"", true, 0, 0, "-", "-", "-"}, nil},
		{"by service", false, liaison.ByService, liaison.ResultFilter{}, row{"", false, 11, 9, "81.82", "55.56", "11.11"}, []row{
			{"erp", false, 5, 4, "80.00", "75.00", "25.00"}, {"mail", false, 11, 9, "81.82", "55.56", "11.11"}}},
		{"by segment", false, liaison.BySegment, liaison.ResultFilter{}, row{"", false, 11, 9, "81.82", "55.56", "11.11"}, []row{
			{"municipal", false, 6, 5, "83.33", "40.00", "0.00"}, {"school", false, 5, 4, "80.00", "75.00", "25.00"}}},
		{"by role, filtered to service erp", false, liaison.ByRole, liaison.ResultFilter{ServiceID: "erp"}, row{"", false, 5, 4, "80.00", "75.00", "25.00"}, []row{
			{"customer", false, 5, 4, "80.00", "75.00", "25.00"}}},
		{"filter to nothing", false, liaison.ByTotal, liaison.ResultFilter{Role: "orderer"}, row{"", false, 0, 0, "-", "-", "-"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := liaison.Aggregate(resultData(tc.anonymous), tc.by, tc.filter)
			toRow := func(g liaison.ResultGroup) row {
				return row{g.Key, g.Suppressed, g.Recipients, g.Responses, pct(g.ResponseRate), pct(g.CSAT), pct(g.NPS)}
			}
			if got := toRow(r.Total); got != tc.total {
				t.Errorf("total = %+v, want %+v", got, tc.total)
			}
			var got []row
			for _, g := range r.Groups {
				got = append(got, toRow(g))
				if g.Suppressed && len(g.Questions) > 0 {
					t.Errorf("suppressed group %s shows questions", g.Key)
				}
			}
			if !reflect.DeepEqual(got, tc.groups) {
				t.Errorf("groups = %+v\nwant %+v", got, tc.groups)
			}
		})
	}
}

func TestAggregateQuestions(t *testing.T) {
	r := liaison.Aggregate(resultData(false), liaison.ByAccount, liaison.ResultFilter{})
	a := r.Groups[0]
	byID := map[string]liaison.QuestionResult{}
	for _, q := range a.Questions {
		byID[q.QuestionID] = q
	}
	if got := byID["overall"].Distribution; !reflect.DeepEqual(got, map[string]int{"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}) {
		t.Errorf("rating distribution = %v", got)
	}
	if m := byID["overall"].Mean; m == nil || *m != 3 {
		t.Errorf("mean = %v", m)
	}
	if got := byID["recommend"].Distribution; len(got) != 11 || got["10"] != 1 || got["0"] != 1 || got["7"] != 0 {
		t.Errorf("nps distribution = %v", got)
	}
	if got := byID["services"].Distribution; !reflect.DeepEqual(got, map[string]int{"mail": 5, "erp": 0, "print": 0}) {
		t.Errorf("choice distribution = %v", got)
	}
	if got := byID["channel"]; got.Answers != 0 || !reflect.DeepEqual(got.Distribution, map[string]int{"desk": 0, "portal": 0}) {
		t.Errorf("unanswered choice = %+v", got)
	}
	if got := byID["comment"].Texts; !reflect.DeepEqual(got, []string{"Great", "Slow desk"}) {
		t.Errorf("texts = %v", got)
	}
}
