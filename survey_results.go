package liaison

import (
	"slices"
	"strconv"
)

// ResultDimension is what campaign results are grouped by.
type ResultDimension string

const (
	ByTotal   ResultDimension = ""
	ByAccount ResultDimension = "account"
	ByService ResultDimension = "service"
	BySegment ResultDimension = "segment"
	ByRole    ResultDimension = "role"
)

// ResultDimensions lists the groupings.
var ResultDimensions = []ResultDimension{ByTotal, ByAccount, ByService, BySegment, ByRole}

// ResultUnit is where a recipient or a response belongs: the account, its
// segment and subscribed services, the respondent's role. It names no
// person.
type ResultUnit struct {
	OrganisationID string
	Segment        string
	Role           RoleKind
	ServiceIDs     []string
}

// ResultResponse is one response's answers with its unit.
type ResultResponse struct {
	ResultUnit
	Answers []Answer
}

// ResultData is what the store gives the aggregation of one campaign.
type ResultData struct {
	CampaignID string
	Anonymous  bool
	Questions  []Question
	Recipients []ResultUnit
	Responses  []ResultResponse
}

// ResultFilter keeps the recipients and responses of one account, service,
// segment or role. Zero fields do not filter.
type ResultFilter struct {
	OrganisationID string
	ServiceID      string
	Segment        string
	Role           RoleKind
}

func (f ResultFilter) keep(u ResultUnit) bool {
	return (f.OrganisationID == "" || u.OrganisationID == f.OrganisationID) &&
		(f.ServiceID == "" || slices.Contains(u.ServiceIDs, f.ServiceID)) &&
		(f.Segment == "" || u.Segment == f.Segment) &&
		(f.Role == "" || u.Role == f.Role)
}

// keys returns the groups of dimension by that u belongs to.
func (u ResultUnit) keys(by ResultDimension) []string {
	switch by {
	case ByAccount:
		return []string{u.OrganisationID}
	case ByService:
		return u.ServiceIDs
	case BySegment:
		return []string{u.Segment}
	case ByRole:
		return []string{string(u.Role)}
	}
	return []string{""}
}

// QuestionResult sums up the answers to one question.
type QuestionResult struct {
	QuestionID string       `json:"question_id"`
	Type       QuestionType `json:"type"`
	Answers    int          `json:"answers"`
	// Distribution counts the answers per value ("1".."5", "0".."10") or per
	// choice key; every possible value is present.
	Distribution map[string]int `json:"distribution,omitempty"`
	Mean         *float64       `json:"mean,omitempty"`
	Texts        []string       `json:"texts,omitempty" doc:"The free-text answers."`
}

// ResultGroup is the results of one group. A suppressed group (an anonymous
// campaign's group of fewer than AnonymityThreshold responses) shows none
// of its numbers, not even its response count.
type ResultGroup struct {
	Key          string           `json:"key" doc:"The account, service or segment id or the role; empty for the total."`
	Suppressed   bool             `json:"suppressed" doc:"Anonymous campaign, fewer than 5 responses: no result is shown."`
	Recipients   int              `json:"recipients"`
	Responses    int              `json:"responses"`
	ResponseRate *float64         `json:"response_rate" doc:"Responses per recipient, in %."`
	CSAT         *float64         `json:"csat" doc:"Share of ratings 4–5 among all ratings, in %."`
	NPS          *float64         `json:"nps" doc:"Promoters (9–10) minus detractors (0–6), in % of NPS answers."`
	Questions    []QuestionResult `json:"questions,omitempty"`
}

// Results are one campaign's results, in total and by a dimension.
type Results struct {
	CampaignID string          `json:"campaign_id"`
	Anonymous  bool            `json:"anonymous"`
	By         ResultDimension `json:"by" enum:",account,service,segment,role"`
	Total      ResultGroup     `json:"total"`
	Groups     []ResultGroup   `json:"groups" doc:"One per group, by key; empty without a dimension."`
}

// Aggregate computes the results of d, kept by f and grouped by by. In an
// anonymous campaign every group (the total included) with fewer than
// AnonymityThreshold responses is suppressed.
func Aggregate(d *ResultData, by ResultDimension, f ResultFilter) *Results {
	r := &Results{CampaignID: d.CampaignID, Anonymous: d.Anonymous, By: by, Groups: []ResultGroup{}}
	type acc struct {
		recipients int
		responses  []ResultResponse
	}
	total, groups := &acc{}, map[string]*acc{}
	group := func(k string) *acc {
		if groups[k] == nil {
			groups[k] = &acc{}
		}
		return groups[k]
	}
	for _, u := range d.Recipients {
		if !f.keep(u) {
			continue
		}
		total.recipients++
		if by != ByTotal {
			for _, k := range u.keys(by) {
				group(k).recipients++
			}
		}
	}
	for _, resp := range d.Responses {
		if !f.keep(resp.ResultUnit) {
			continue
		}
		total.responses = append(total.responses, resp)
		if by != ByTotal {
			for _, k := range resp.keys(by) {
				group(k).responses = append(group(k).responses, resp)
			}
		}
	}
	r.Total = summarise(d, "", total.recipients, total.responses)
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.Groups = append(r.Groups, summarise(d, k, groups[k].recipients, groups[k].responses))
	}
	return r
}

func percent(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	p := float64(part) * 100 / float64(whole)
	return &p
}

func summarise(d *ResultData, key string, recipients int, rs []ResultResponse) ResultGroup {
	g := ResultGroup{Key: key}
	if d.Anonymous && len(rs) < AnonymityThreshold {
		g.Suppressed = true
		return g
	}
	g.Recipients, g.Responses, g.ResponseRate = recipients, len(rs), percent(len(rs), recipients)
	var score SurveyScore
	for _, q := range d.Questions {
		qr := QuestionResult{QuestionID: q.ID, Type: q.Type}
		switch {
		case q.Type == QuestionRating:
			qr.Distribution = scale(RatingMin, RatingMax)
		case q.Type == QuestionNPS:
			qr.Distribution = scale(NPSMin, NPSMax)
		case q.Type.Choice():
			qr.Distribution = map[string]int{}
			for _, c := range q.Choices {
				qr.Distribution[c.ID] = 0
			}
		}
		sum := 0
		for _, resp := range rs {
			i := slices.IndexFunc(resp.Answers, func(a Answer) bool { return a.QuestionID == q.ID })
			if i < 0 {
				continue
			}
			a := resp.Answers[i]
			switch {
			case q.Type.Scored() && a.Value != nil:
				v := *a.Value
				qr.Answers++
				qr.Distribution[strconv.Itoa(v)]++
				sum += v
				score.Add(q.Type, v)
			case q.Type.Choice() && len(a.Choices) > 0:
				qr.Answers++
				for _, c := range a.Choices {
					if _, ok := qr.Distribution[c]; ok {
						qr.Distribution[c]++
					}
				}
			case q.Type == QuestionText && a.Text != "":
				qr.Answers++
				qr.Texts = append(qr.Texts, a.Text)
			}
		}
		if q.Type.Scored() && qr.Answers > 0 {
			m := float64(sum) / float64(qr.Answers)
			qr.Mean = &m
		}
		g.Questions = append(g.Questions, qr)
	}
	g.CSAT, g.NPS = score.CSAT(), score.NPS()
	return g
}

// SurveyScore counts the scored answers that CSAT and NPS are made of:
// campaign results (per group) and the dashboard (per account and month)
// add them up alike.
type SurveyScore struct {
	Ratings    int // rating answers (1–5)
	Satisfied  int // of which 4 or 5
	NPSAnswers int // NPS answers (0–10)
	Promoters  int // of which 9 or 10
	Detractors int // of which 0 to 6
}

// Add counts one answer v to a question of type t; other types do not count.
func (s *SurveyScore) Add(t QuestionType, v int) {
	switch t {
	case QuestionRating:
		s.Ratings++
		if v >= 4 {
			s.Satisfied++
		}
	case QuestionNPS:
		s.NPSAnswers++
		if v >= 9 {
			s.Promoters++
		} else if v <= 6 {
			s.Detractors++
		}
	}
}

// CSAT is the share of ratings 4–5 among all ratings, in %; nil without ratings.
func (s SurveyScore) CSAT() *float64 { return percent(s.Satisfied, s.Ratings) }

// NPS is promoters minus detractors in % of NPS answers; nil without any.
func (s SurveyScore) NPS() *float64 { return percent(s.Promoters-s.Detractors, s.NPSAnswers) }

// ScoreResponse counts one response's scored answers to qs.
func ScoreResponse(qs []Question, answers []Answer) SurveyScore {
	var s SurveyScore
	for _, a := range answers {
		if a.Value == nil {
			continue
		}
		i := slices.IndexFunc(qs, func(q Question) bool { return q.ID == a.QuestionID })
		if i >= 0 {
			s.Add(qs[i].Type, *a.Value)
		}
	}
	return s
}

func scale(lo, hi int) map[string]int {
	m := make(map[string]int, hi-lo+1)
	for v := lo; v <= hi; v++ {
		m[strconv.Itoa(v)] = 0
	}
	return m
}

// TrendPoint is one campaign's total in the trend across campaigns.
type TrendPoint struct {
	CampaignID string      `json:"campaign_id"`
	Title      string      `json:"title"`
	ClosesOn   string      `json:"closes_on"`
	Total      ResultGroup `json:"total"`
}
