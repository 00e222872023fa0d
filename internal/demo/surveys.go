package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
)

// Satisfaction surveys (SPEC C8): the customer satisfaction survey, three
// past campaigns half a year apart (the middle one anonymous) and one open
// campaign that some recipients have not answered yet. The hospital
// improves from campaign to campaign, the energy company dips, so the
// trend across campaigns differs by account.
//
// The campaigns are opened through the store with links made here: the
// app would mail an invitation with each link, and the demo neither sends
// invitations for campaigns of the past nor can read a link back from a
// mail. Responses go through the app (App.SubmitResponse) with those links.
// A past campaign is run with a closing date ahead, closed, and then given
// its real closing date (an update a closed campaign allows).

func lt(en, sv, fi, zh string) liaison.LocalText {
	return liaison.LocalText{liaison.English: en, liaison.Swedish: sv, liaison.Finnish: fi, liaison.Chinese: zh}
}

// satisfactionSurvey is the demo's survey template.
var satisfactionSurvey = liaison.Survey{
	Name:        "Kundnöjdhetsenkät",
	Description: "Halvårsvis enkät till beställare, kunder och användare om IT-tjänsterna. Resultaten följs upp i verksamhetsdialogerna.",
	Questions: []liaison.Question{
		{ID: "overall", Type: liaison.QuestionRating, Required: true, Text: lt(
			"Overall, how satisfied are you with the IT services we deliver to your organisation?",
			"Hur nöjd är du sammantaget med de IT-tjänster vi levererar till er verksamhet?",
			"Kuinka tyytyväinen olet kaiken kaikkiaan organisaatiollenne toimittamiimme IT-palveluihin?",
			"总体而言，您对我们为贵单位提供的 IT 服务满意吗？")},
		{ID: "servicedesk", Type: liaison.QuestionRating, Text: lt(
			"How satisfied are you with the help you get from the service desk?",
			"Hur nöjd är du med den hjälp du får av servicedesken?",
			"Kuinka tyytyväinen olet palvelupisteeltä saamaasi apuun?",
			"您对服务台提供的帮助满意吗？")},
		{ID: "information", Type: liaison.QuestionRating, Text: lt(
			"How well do we inform you about planned changes and disruptions?",
			"Hur väl informerar vi om planerade förändringar och driftstörningar?",
			"Kuinka hyvin tiedotamme suunnitelluista muutoksista ja häiriöistä?",
			"我们在计划变更和服务中断方面的通知是否及时充分？")},
		{ID: "understanding", Type: liaison.QuestionRating, Text: lt(
			"How well do we understand your organisation's needs?",
			"Hur väl förstår vi er verksamhets behov?",
			"Kuinka hyvin ymmärrämme organisaationne tarpeet?",
			"我们对贵单位业务需求的理解程度如何？")},
		{ID: "recommend", Type: liaison.QuestionNPS, Required: true, Text: lt(
			"How likely is it that you would recommend our IT services to a colleague in another organisation?",
			"Hur troligt är det att du skulle rekommendera våra IT-tjänster till en kollega i en annan verksamhet?",
			"Kuinka todennäköisesti suosittelisit IT-palvelujamme kollegalle toisessa organisaatiossa?",
			"您向其他单位的同事推荐我们 IT 服务的可能性有多大？")},
		{ID: "priority", Type: liaison.QuestionSingleChoice, Text: lt(
			"What should we improve first?",
			"Vad bör vi förbättra först?",
			"Mitä meidän pitäisi parantaa ensimmäiseksi?",
			"您认为我们最应该优先改进哪一方面？"),
			Choices: []liaison.SurveyChoice{
				{ID: "stability", Label: lt("Stability of the systems", "Systemens stabilitet", "Järjestelmien vakaus", "系统稳定性")},
				{ID: "response", Label: lt("Response times of support", "Svarstider i supporten", "Tuen vasteajat", "支持响应时间")},
				{ID: "communication", Label: lt("Communication and information", "Kommunikation och information", "Viestintä ja tiedotus", "沟通与信息")},
				{ID: "digital", Label: lt("New digital services", "Nya digitala tjänster", "Uudet digitaaliset palvelut", "新的数字化服务")},
			}},
		{ID: "comment", Type: liaison.QuestionText, Text: lt(
			"Is there anything else you would like to tell us?",
			"Är det något mer du vill berätta för oss?",
			"Haluatko kertoa meille vielä jotain muuta?",
			"您还有其他意见或建议吗？")},
	},
}

// surveyComments are free-text answers, low ones first.
var surveyComments = [][]string{
	{"Driftstörningarna i journalsystemet har påverkat vården.", "Support response times are far too long.", "Tiedotus katkoista tulee liian myöhään.", "VPN 经常断线，影响工作。"},
	{"Fungerar i stort, men informationen om ändringar kommer sent.", "Mostly fine, but changes come as a surprise."},
	{"Bra samarbete med vår kundansvarige!", "Quick and competent service desk, thank you.", "Hyvää yhteistyötä, kiitos.", "服务很专业，谢谢！"},
}

// campaignSpec is a demo campaign: months before today it closed, whether
// it is anonymous, and each account's level of ratings by key.
type campaignSpec struct {
	monthsAgo int // 0: still open
	anonymous bool
	answered  float64 // share of recipients who respond
}

var campaignSpecs = []campaignSpec{
	{monthsAgo: 13, answered: 0.8},
	{monthsAgo: 7, anonymous: true, answered: 0.75},
	{monthsAgo: 1, answered: 0.8},
	{monthsAgo: 0, answered: 0.4},
}

// surveyMood is an account's rating level (1–5) in the campaign of index
// i: the hospital improves, the energy company dips, the rest drift.
func surveyMood(acct string, l *loader, i int) float64 {
	switch acct {
	case l.units["hospital"].ID:
		return []float64{2.4, 3.2, 4.1, 4.3}[i]
	case l.units["energy"].ID:
		return []float64{4.3, 3.6, 2.6, 2.5}[i]
	}
	return []float64{3.5, 3.7, 3.8, 3.9}[i]
}

func seasonTitle(d time.Time) string {
	if d.Month() >= time.July {
		return fmt.Sprintf("Kundnöjdhet hösten %d", d.Year())
	}
	return fmt.Sprintf("Kundnöjdhet våren %d", d.Year())
}

var swedishMonths = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

func pulseTitle(d time.Time) string {
	return fmt.Sprintf("Kundpuls %s %d", swedishMonths[d.Month()-1], d.Year())
}

// createSurveys creates the survey and its campaigns as the head of
// service management.
func (l *loader) createSurveys(ctx context.Context) error {
	rng := rand.New(rand.NewPCG(seed, 16)) // its own stream
	head := l.as(ctx, "head")
	s := satisfactionSurvey
	s.Questions = append([]liaison.Question(nil), satisfactionSurvey.Questions...)
	if err := l.a.CreateSurvey(head, &s); err != nil {
		return fmt.Errorf("survey: %w", err)
	}
	l.res.Surveys++
	// While responses are taken, the closing date lies ahead of both the
	// app's and the store's clock.
	ahead := l.today
	if now := time.Now().UTC(); now.After(ahead) {
		ahead = now
	}
	ahead = ahead.AddDate(0, 1, 0)
	for i, spec := range campaignSpecs {
		closes := l.today.AddDate(0, -spec.monthsAgo, 0)
		if spec.monthsAgo == 0 {
			closes = l.today.AddDate(0, 0, 21)
		}
		title := seasonTitle(closes)
		if spec.monthsAgo == 0 {
			// The open round is a short pulse, named by its month so that it
			// never shares the season of the round closed a month ago.
			title = pulseTitle(closes)
		}
		c := &liaison.Campaign{Title: title, SurveyID: s.ID, Roles: liaison.SurveyRoles,
			ClosesOn: liaison.FormatDate(ahead), Anonymous: spec.anonymous, Status: liaison.CampaignDraft}
		if err := l.a.CreateCampaign(head, c); err != nil {
			return fmt.Errorf("campaign %s: %w", c.Title, err)
		}
		aud, err := l.a.Store.CampaignAudience(head, c)
		if err != nil {
			return fmt.Errorf("campaign %s: %w", c.Title, err)
		}
		tokens := make([]string, len(aud))
		nr := make([]liaison.NewRecipient, len(aud))
		for j, r := range aud {
			tok, hash, err := auth.NewSecret("")
			if err != nil {
				return err
			}
			tokens[j], nr[j] = tok, liaison.NewRecipient{Recipient: r, TokenHash: hash}
		}
		opened, err := l.a.Store.OpenCampaign(head, c.ID, c.Version, nr)
		if err != nil {
			return fmt.Errorf("campaign %s: open: %w", c.Title, err)
		}
		for j, r := range aud {
			if rng.Float64() >= spec.answered {
				continue
			}
			if spec.monthsAgo > 0 {
				// A past round's responses came in over its last fortnight:
				// dated so, the dashboard's survey trend has its history.
				l.setClock(closes.AddDate(0, 0, -14+j%14))
			}
			err := l.a.SubmitResponse(ctx, tokens[j], surveyAnswers(rng, surveyMood(r.OrganisationID, l, i)))
			l.setClock(time.Time{})
			if err != nil {
				return fmt.Errorf("campaign %s: response: %w", c.Title, err)
			}
			l.res.SurveyResponses++
		}
		l.res.Campaigns++
		if spec.monthsAgo == 0 {
			opened.ClosesOn = liaison.FormatDate(closes)
			if err := l.a.UpdateCampaign(head, opened, opened.Version); err != nil {
				return fmt.Errorf("campaign %s: %w", c.Title, err)
			}
			continue
		}
		closed, err := l.a.CloseCampaign(head, c.ID, opened.Version)
		if err != nil {
			return fmt.Errorf("campaign %s: close: %w", c.Title, err)
		}
		closed.ClosesOn = liaison.FormatDate(closes)
		if err := l.a.UpdateCampaign(head, closed, closed.Version); err != nil {
			return fmt.Errorf("campaign %s: %w", c.Title, err)
		}
		// Closed rounds are published for the customers, so the
		// published results page and the report pack have content.
		if _, err := l.a.PublishCampaign(head, c.ID, closed.Version); err != nil {
			return fmt.Errorf("campaign %s: publish: %w", c.Title, err)
		}
	}
	return nil
}

// surveyAnswers draws one response around the rating level mood.
func surveyAnswers(rng *rand.Rand, mood float64) []liaison.Answer {
	rating := func() *int {
		v := min(max(int(mood+rng.NormFloat64()*0.8+0.5), liaison.RatingMin), liaison.RatingMax)
		return &v
	}
	overall := rating()
	nps := min(max(int((mood-1)*2.5+rng.NormFloat64()*1.5+0.5), liaison.NPSMin), liaison.NPSMax)
	as := []liaison.Answer{{QuestionID: "overall", Value: overall}, {QuestionID: "recommend", Value: &nps}}
	for _, q := range []string{"servicedesk", "information", "understanding"} {
		if rng.IntN(10) > 0 { // some leave a question out
			as = append(as, liaison.Answer{QuestionID: q, Value: rating()})
		}
	}
	choices := satisfactionSurvey.Questions[5].Choices
	as = append(as, liaison.Answer{QuestionID: "priority", Choices: []string{choices[rng.IntN(len(choices))].ID}})
	if rng.IntN(3) == 0 {
		band := 1
		switch {
		case *overall <= 2:
			band = 0
		case *overall >= 4:
			band = 2
		}
		cs := surveyComments[band]
		as = append(as, liaison.Answer{QuestionID: "comment", Text: cs[rng.IntN(len(cs))]})
	}
	return as
}
