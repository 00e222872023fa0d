package report

import (
	"strconv"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Published survey results (SPEC C8, "a publishable results page/PDF for
// customers"): a published campaign's results for one account (or the
// whole campaign), as the customer may see them. It carries no free-text
// answer and nothing per person; an anonymous campaign's group under 5
// responses is Suppressed and shows no number at all. The web page, the
// PDF and the report pack's satisfaction section render it.

// Published is one published campaign's results as customers see them.
type Published struct {
	CampaignID   string              `json:"campaign_id"`
	Title        string              `json:"title"`
	SurveyName   string              `json:"survey_name"`
	ClosesOn     string              `json:"closes_on"`
	AccountID    string              `json:"account_id" doc:"The account the results are of; empty for the whole campaign."`
	AccountName  string              `json:"account_name"`
	Language     string              `json:"language"`
	Anonymous    bool                `json:"anonymous"`
	Suppressed   bool                `json:"suppressed" doc:"Anonymous and under 5 responses: no figures are shown."`
	Recipients   int                 `json:"recipients"`
	Responses    int                 `json:"responses"`
	ResponseRate *float64            `json:"response_rate"`
	CSAT         *float64            `json:"csat"`
	NPS          *float64            `json:"nps"`
	Questions    []PublishedQuestion `json:"questions"`
	Trend        []TrendItem         `json:"trend" doc:"The published campaigns of the survey, by closing date, for the same account."`
	GeneratedAt  time.Time           `json:"generated_at"`
}

// PublishedQuestion is one scored or choice question's answers: the
// count per value (every value of the scale, in order) or per option.
type PublishedQuestion struct {
	ID           string            `json:"id"`
	Type         string            `json:"type"`
	Text         string            `json:"text"`
	Answers      int               `json:"answers"`
	Mean         *float64          `json:"mean,omitempty"`
	Distribution []liaison.CountBy `json:"distribution"`
}

// TrendItem is one campaign's totals in a trend.
type TrendItem struct {
	CampaignID   string   `json:"campaign_id"`
	Title        string   `json:"title"`
	ClosesOn     string   `json:"closes_on"`
	Suppressed   bool     `json:"suppressed"`
	Responses    int      `json:"responses"`
	ResponseRate *float64 `json:"response_rate"`
	CSAT         *float64 `json:"csat"`
	NPS          *float64 `json:"nps"`
}

// Trend returns the item of one campaign's total.
func Trend(c *liaison.Campaign, g liaison.ResultGroup) TrendItem {
	return TrendItem{CampaignID: c.ID, Title: c.Title, ClosesOn: c.ClosesOn, Suppressed: g.Suppressed, Responses: g.Responses,
		ResponseRate: g.ResponseRate, CSAT: g.CSAT, NPS: g.NPS}
}

// BuildPublished assembles the customer's view of a campaign's total g
// (already kept to the account) in l's language. Free-text questions and
// their answers are left out.
func BuildPublished(c *liaison.Campaign, qs []liaison.Question, g liaison.ResultGroup, accountID, accountName string,
	trend []TrendItem, l *i18n.Localizer, now time.Time) *Published {
	p := &Published{CampaignID: c.ID, Title: c.Title, SurveyName: c.SurveyName, ClosesOn: c.ClosesOn, AccountID: accountID,
		AccountName: accountName, Language: string(l.Lang()), Anonymous: c.Anonymous, Suppressed: g.Suppressed,
		Questions: []PublishedQuestion{}, Trend: trend, GeneratedAt: now.UTC()}
	if p.Trend == nil {
		p.Trend = []TrendItem{}
	}
	if g.Suppressed {
		return p
	}
	p.Recipients, p.Responses, p.ResponseRate, p.CSAT, p.NPS = g.Recipients, g.Responses, g.ResponseRate, g.CSAT, g.NPS
	for _, q := range qs {
		if q.Type == liaison.QuestionText {
			continue
		}
		var r *liaison.QuestionResult
		for i := range g.Questions {
			if g.Questions[i].QuestionID == q.ID {
				r = &g.Questions[i]
			}
		}
		if r == nil {
			continue
		}
		pq := PublishedQuestion{ID: q.ID, Type: string(q.Type), Text: q.Text.In(l.Lang()), Answers: r.Answers, Mean: r.Mean,
			Distribution: []liaison.CountBy{}}
		switch q.Type {
		case liaison.QuestionRating:
			pq.Distribution = scaleCounts(r.Distribution, liaison.RatingMin, liaison.RatingMax)
		case liaison.QuestionNPS:
			pq.Distribution = scaleCounts(r.Distribution, liaison.NPSMin, liaison.NPSMax)
		default:
			for _, ch := range q.Choices {
				pq.Distribution = append(pq.Distribution, liaison.CountBy{Key: ch.ID, Label: ch.Label.In(l.Lang()), Count: r.Distribution[ch.ID]})
			}
		}
		p.Questions = append(p.Questions, pq)
	}
	return p
}

func scaleCounts(dist map[string]int, lo, hi int) []liaison.CountBy {
	out := make([]liaison.CountBy, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		k := strconv.Itoa(v)
		out = append(out, liaison.CountBy{Key: k, Label: k, Count: dist[k]})
	}
	return out
}

// Percent writes a share in percent without decimals, or "–" for none.
func Percent(l *i18n.Localizer, x *float64) string {
	if x == nil {
		return "–"
	}
	return l.Decimal(*x, 0) + " %"
}

// Score writes an NPS (−100 to 100) without decimals, or "–" for none.
func Score(l *i18n.Localizer, x *float64) string {
	if x == nil {
		return "–"
	}
	return l.Decimal(*x, 0)
}
