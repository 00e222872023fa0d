package report

import (
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

func publishedFixture(l *i18n.Localizer) *Published {
	c := &liaison.Campaign{ID: "c2", Title: "Våren 2026", SurveyName: "Nöjdhet", ClosesOn: "2026-04-30"}
	qs := []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Text: liaison.LocalText{"en": "How satisfied are you?", "sv": "Hur nöjd är du?", "zh": "您满意吗？"}},
		{ID: "comment", Type: liaison.QuestionText, Text: liaison.LocalText{"en": "Anything else?"}},
		{ID: "channel", Type: liaison.QuestionSingleChoice, Text: liaison.LocalText{"en": "Channel"},
			Choices: []liaison.SurveyChoice{{ID: "desk", Label: liaison.LocalText{"en": "Desk", "sv": "Servicedesk"}}}},
	}
	csat, nps, rate, mean := 75.0, 25.0, 80.0, 4.0
	g := liaison.ResultGroup{Recipients: 5, Responses: 4, ResponseRate: &rate, CSAT: &csat, NPS: &nps, Questions: []liaison.QuestionResult{
		{QuestionID: "overall", Type: liaison.QuestionRating, Answers: 4, Mean: &mean, Distribution: map[string]int{"3": 1, "4": 1, "5": 2}},
		{QuestionID: "comment", Type: liaison.QuestionText, Answers: 1, Texts: []string{"Secret remark"}},
		{QuestionID: "channel", Type: liaison.QuestionSingleChoice, Answers: 2, Distribution: map[string]int{"desk": 2}},
	}}
	old := 50.0
	trend := []TrendItem{{CampaignID: "c1", Title: "Hösten 2025", ClosesOn: "2025-10-31", CSAT: &old, NPS: &old, Responses: 5},
		Trend(c, g), {CampaignID: "c0", Title: "Anonym", ClosesOn: "2025-04-30", Suppressed: true}}
	return BuildPublished(c, qs, g, "a1", "Norrskenssjukhuset", trend, l, day("2026-05-02"))
}

func TestBuildPublishedLeavesOutFreeText(t *testing.T) {
	p := publishedFixture(i18n.For(liaison.Swedish))
	if len(p.Questions) != 2 || p.Questions[0].Text != "Hur nöjd är du?" || p.Questions[1].Distribution[0].Label != "Servicedesk" {
		t.Fatalf("questions %+v", p.Questions)
	}
	if d := p.Questions[0].Distribution; len(d) != 5 || d[0].Key != "1" || d[4].Count != 2 {
		t.Fatalf("rating distribution %+v", d)
	}
	c := &liaison.Campaign{ID: "c", Title: "x"}
	s := BuildPublished(c, nil, liaison.ResultGroup{Suppressed: true}, "", "", nil, i18n.For(liaison.English), day("2026-05-02"))
	if !s.Suppressed || s.CSAT != nil || s.Trend == nil || s.Questions == nil {
		t.Fatalf("suppressed %+v", s)
	}
}

func TestPublishedPDFText(t *testing.T) {
	for _, c := range []struct {
		lang liaison.Language
		want []string
	}{
		{liaison.Swedish, []string{"Enkätresultat: Våren 2026", "Norrskenssjukhuset", "75 %", "Svarsfrekvens", "80 %", "Hur nöjd är du?", "Servicedesk", "Hösten 2025"}},
		{liaison.Chinese, []string{"调查结果", "回复率", "75 %", "您满意吗？"}},
		{liaison.English, []string{"Survey results: Våren 2026", "Response rate", "CSAT", "NPS", "Too few responses to show"}},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			l := i18n.For(c.lang)
			pdf, err := PublishedPDF(publishedFixture(l), l)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "Secret remark") {
				t.Error("free text in the PDF")
			}
		})
	}
}

func TestPackSatisfactionSection(t *testing.T) {
	l := i18n.For(liaison.Finnish)
	p := Build(fixture(), l, day("2026-07-01"))
	n := len(p.Sections)
	AddSatisfaction(p, l, nil, &liaison.TicketSummary{})
	if len(p.Sections) != n {
		t.Fatal("a satisfaction section without data")
	}
	pub := publishedFixture(l)
	tickets := &liaison.TicketSummary{Count: 3, Average: 4.33, CSAT: 66.7, From: "2025-08-01", To: "2026-07-31",
		Months: []liaison.TicketMonth{{Month: "2026-06", Count: 3, Average: 4.33, CSAT: 66.7}}}
	AddSatisfaction(p, l, pub.Trend, tickets)
	s := p.Sections[len(p.Sections)-1]
	if s.Kind != KindSatisfaction || len(s.Satisfaction.Campaigns) != 3 || s.Satisfaction.Tickets == nil {
		t.Fatalf("section %+v", s)
	}
	pdf, err := PDF(p, l)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, w := range []string{"Tyytyväisyys", "Tyytyväisyyskyselyt (julkaistut tulokset)", "Hösten 2025", "Tyytyväisyys tukipyyntöihin"} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q:\n%s", w, text)
		}
	}
}
