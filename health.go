package liaison

import "math"

// Relationship health (SPEC C14): a score from 0 to 100 per account, the
// sum of five parts. Each part scores its input from 0 to 1 and
// contributes weight × score points; the account page and the API show
// every input, weight, score and contribution, so the number can be
// checked by hand.
//
//	part          weight  score
//	satisfaction    25    no ratings in 90 days: 0.5; else (mean − 1) / 4 of the
//	                      last 90 days, +0.1 when it rose by 0.2 or more over the
//	                      90 days before, −0.1 when it fell by as much
//	complaints      20    1 − 0.25 per open complaint − 0.1 per complaint
//	                      received in the last 90 days (at least 0)
//	reviews         20    service review held in time: 1; due within 30 days:
//	                      0.75; overdue: 0; no agreement in force: 0.5
//	agreement       20    written agreement in force: 1; it ends within 90
//	                      days: 0.5; none: 0
//	actions         15    1 − 0.2 per overdue open action (at least 0)
//
// Below HealthWatch the account needs watching; below HealthAtRisk it is at risk.

// Health weights, in points.
const (
	WeightSatisfaction = 25
	WeightComplaints   = 20
	WeightReviews      = 20
	WeightAgreement    = 20
	WeightActions      = 15
)

// Health bands.
const (
	HealthWatch  = 70
	HealthAtRisk = 45
)

// HealthInputs are what an account's health is computed from.
type HealthInputs struct {
	RatingRecent      *float64    `json:"rating_recent" doc:"Mean ticket rating (1–5) of the last 90 days; null when none."`
	RatingPrevious    *float64    `json:"rating_previous" doc:"Mean ticket rating of the 90 days before; null when none."`
	RatingsRecent     int         `json:"ratings_recent" doc:"Ratings in the last 90 days."`
	ComplaintsOpen    int         `json:"complaints_open"`
	ComplaintsRecent  int         `json:"complaints_recent" doc:"Complaints received in the last 90 days."`
	AgreementCustomer bool        `json:"agreement_customer" doc:"The account has a written agreement in force."`
	Review            ReviewState `json:"review,omitempty" enum:"overdue,due,ok," doc:"The service-review cadence; empty without an agreement in force."`
	LastReview        string      `json:"last_review,omitempty" doc:"The date of the last held service review."`
	Agreement         string      `json:"agreement" enum:"active,ending,none" doc:"active, ending (within 90 days) or none."`
	OpenActions       int         `json:"open_actions"`
	OverdueActions    int         `json:"overdue_actions"`
}

// HealthPart is one part of the score.
type HealthPart struct {
	Key          string  `json:"key" enum:"satisfaction,complaints,reviews,agreement,actions"`
	Weight       int     `json:"weight" doc:"Points the part is worth."`
	Score        float64 `json:"score" doc:"0 to 1."`
	Contribution float64 `json:"contribution" doc:"weight × score, in points."`
}

// AccountHealth is an account's score with how it was made (API resource "health").
type AccountHealth struct {
	AccountID string       `json:"account_id"`
	Score     int          `json:"score" doc:"0 to 100: the sum of the contributions, rounded."`
	Band      string       `json:"band" enum:"good,watch,at_risk"`
	Inputs    HealthInputs `json:"inputs"`
	Parts     []HealthPart `json:"parts"`
}

// ComputeHealth scores the inputs.
func ComputeHealth(in HealthInputs) AccountHealth {
	clamp := func(v float64) float64 { return math.Max(0, math.Min(1, v)) }
	sat := 0.5
	if in.RatingRecent != nil {
		sat = (*in.RatingRecent - 1) / 4
		if in.RatingPrevious != nil {
			switch d := *in.RatingRecent - *in.RatingPrevious; {
			case d >= 0.2-1e-9:
				sat += 0.1
			case d <= -0.2+1e-9:
				sat -= 0.1
			}
		}
	}
	rev := 0.5
	switch in.Review {
	case ReviewOK:
		rev = 1
	case ReviewDueSoon:
		rev = 0.75
	case ReviewOverdue:
		rev = 0
	}
	agr := 0.0
	switch in.Agreement {
	case "active":
		agr = 1
	case "ending":
		agr = 0.5
	}
	parts := []HealthPart{
		{Key: "satisfaction", Weight: WeightSatisfaction, Score: clamp(sat)},
		{Key: "complaints", Weight: WeightComplaints, Score: clamp(1 - 0.25*float64(in.ComplaintsOpen) - 0.1*float64(in.ComplaintsRecent))},
		{Key: "reviews", Weight: WeightReviews, Score: rev},
		{Key: "agreement", Weight: WeightAgreement, Score: agr},
		{Key: "actions", Weight: WeightActions, Score: clamp(1 - 0.2*float64(in.OverdueActions))},
	}
	h := AccountHealth{Inputs: in}
	total := 0.0
	for i := range parts {
		parts[i].Score = round2(parts[i].Score)
		parts[i].Contribution = round2(float64(parts[i].Weight) * parts[i].Score)
		total += parts[i].Contribution
	}
	h.Parts = parts
	h.Score = int(math.Round(total))
	switch {
	case h.Score < HealthAtRisk:
		h.Band = "at_risk"
	case h.Score < HealthWatch:
		h.Band = "watch"
	default:
		h.Band = "good"
	}
	return h
}

// Health returns the health of one account of the facts, or nil.
func (f *DashboardFacts) Health(id string) *AccountHealth {
	for _, a := range f.Accounts {
		if a.ID == id {
			h := ComputeHealth(a.Health)
			h.AccountID = id
			return &h
		}
	}
	return nil
}
