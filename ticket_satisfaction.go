package liaison

import (
	"context"
	"math"
	"strings"
	"time"
)

// Ticket satisfaction (SPEC C8, last point): the rating a customer gave a
// closed service desk ticket, imported from the service desk tool (CSV or
// API) and shown per account beside the relationship-level surveys. A
// rating is identified by its tool (Source) and the tool's ticket id, so
// importing the same export again updates rather than duplicates.

// TicketScale is the scale the service desk tool rated on.
type TicketScale string

const (
	Scale1to5    TicketScale = "1-5"     // 1 (very dissatisfied) to 5 (very satisfied)
	Scale0to10   TicketScale = "0-10"    // 0 to 10, as NPS-style tools ask
	ScalePercent TicketScale = "percent" // 0 to 100
)

// TicketScales lists the scales a rating may be given on.
var TicketScales = []TicketScale{Scale1to5, Scale0to10, ScalePercent}

// MaxTicketBatch caps the ratings of one API batch.
const MaxTicketBatch = 1000

// TicketRating is one rated service desk ticket (API resource
// "ticket-satisfaction").
type TicketRating struct {
	ID         string `json:"id" readOnly:"true"`
	Source     string `json:"source" maxLength:"200" doc:"The service desk tool, e.g. servicenow or topdesk; external_ticket_id is unique within it."`
	ExternalID string `json:"external_ticket_id" maxLength:"200" doc:"The ticket's id in the tool."`
	// OrganisationID is the account the ticket belongs to; the import
	// resolves it from AccountExternalID when not given.
	OrganisationID    string      `json:"organisation_id" doc:"The account (a unit that is an account); or give account_external_id."`
	AccountExternalID string      `json:"account_external_id,omitempty" maxLength:"200" doc:"The account's external_id, resolved to organisation_id when that is not given."`
	ServiceID         *string     `json:"service_id" doc:"The service the ticket was about, if known."`
	PersonEmail       string      `json:"person_email" maxLength:"200" doc:"Who rated, if the tool says."`
	Score             float64     `json:"score" doc:"The rating as the tool gave it, on scale."`
	Scale             TicketScale `json:"scale" enum:"1-5,0-10,percent" doc:"The tool's scale; default 1-5."`
	Rating            float64     `json:"rating" readOnly:"true" doc:"The score normalised to 1–5 (two decimals)."`
	Comment           string      `json:"comment" maxLength:"20000"`
	ClosedOn          string      `json:"closed_on" doc:"When the ticket was closed or the rating answered, YYYY-MM-DD."`
	OrganisationName  string      `json:"organisation_name" readOnly:"true"`
	ServiceName       string      `json:"service_name" readOnly:"true"`
	CreatedAt         time.Time   `json:"created_at" readOnly:"true"`
	UpdatedAt         time.Time   `json:"updated_at" readOnly:"true"`
}

// Normalize trims input, fills the default scale and computes Rating from
// Score (Rating is left 0 when the score is off its scale; Validate says so).
func (r *TicketRating) Normalize() {
	r.Source, r.ExternalID = lowerTrim(r.Source), trim(r.ExternalID)
	r.OrganisationID, r.AccountExternalID = trim(r.OrganisationID), trim(r.AccountExternalID)
	r.PersonEmail, r.Comment, r.ClosedOn = lowerTrim(r.PersonEmail), strings.TrimSpace(r.Comment), trim(r.ClosedOn)
	r.ServiceID = emptyToNil(r.ServiceID)
	if r.Scale == "" {
		r.Scale = Scale1to5
	}
	r.Rating, _ = NormaliseTicketScore(r.Score, r.Scale)
}

// NormaliseTicketScore maps a score on scale linearly onto 1–5, rounded to
// two decimals: 0–10 maps 0 to 1 and 10 to 5, percent maps 0 to 1 and 100
// to 5. ok is false for an unknown scale or a score off it (a 1–5 score
// must be a whole number).
func NormaliseTicketScore(score float64, scale TicketScale) (rating float64, ok bool) {
	if math.IsNaN(score) || math.IsInf(score, 0) {
		return 0, false
	}
	switch scale {
	case Scale1to5:
		if score < 1 || score > 5 || score != math.Trunc(score) {
			return 0, false
		}
		return score, true
	case Scale0to10:
		if score < 0 || score > 10 {
			return 0, false
		}
		return math.Round((1+score*0.4)*100) / 100, true
	case ScalePercent:
		if score < 0 || score > 100 {
			return 0, false
		}
		return math.Round((1+score*0.04)*100) / 100, true
	}
	return 0, false
}

// Satisfied reports whether a normalised rating counts towards CSAT: 4 or
// more on the 1–5 scale.
func Satisfied(rating float64) bool { return rating >= 4 }

// Validate checks the rating's own fields; the account and service are
// checked by the store. Call Normalize first.
func (r *TicketRating) Validate() error {
	var v Validation
	v.RequireName("source", r.Source)
	v.RequireName("external_ticket_id", r.ExternalID)
	if r.OrganisationID == "" && r.AccountExternalID == "" {
		v.Add("organisation_id", CodeRequired, "ticket.error_account_required", "is required: give organisation_id or account_external_id")
	}
	v.MaxLen("account_external_id", r.AccountExternalID, MaxNameLen)
	v.MaxLen("person_email", r.PersonEmail, MaxNameLen)
	if r.PersonEmail != "" && !strings.Contains(r.PersonEmail, "@") {
		v.Add("person_email", CodeInvalid, "ticket.error_email_invalid", "must be an email address")
	}
	switch _, ok := NormaliseTicketScore(r.Score, r.Scale); {
	case !oneOf(r.Scale, TicketScales):
		v.Add("scale", CodeInvalid, "ticket.error_scale_invalid", "must be one of 1-5, 0-10, percent")
	case !ok && r.Scale == Scale1to5:
		v.Add("score", CodeInvalid, "ticket.error_score_1_5", "must be a whole number from 1 to 5 on scale 1-5 (declare scale 0-10 or percent for other scales)")
	case !ok && r.Scale == Scale0to10:
		v.Add("score", CodeInvalid, "ticket.error_score_0_10", "must be from 0 to 10 on scale 0-10")
	case !ok:
		v.Add("score", CodeInvalid, "ticket.error_score_percent", "must be from 0 to 100 on scale percent")
	}
	v.Text("comment", r.Comment)
	if r.ClosedOn == "" {
		v.Add("closed_on", CodeRequired, "error.required", "is required")
	} else if _, err := ParseDate(r.ClosedOn); err != nil {
		v.Add("closed_on", CodeInvalid, "ticket.error_date_invalid", "must be a date as YYYY-MM-DD")
	}
	return v.Err()
}

// TicketRatingFilter selects ticket ratings.
type TicketRatingFilter struct {
	OrganisationID string // the account
	Source         string
	Limit          int
	Cursor         string
}

// TicketImportResult says what an upsert of a batch did.
type TicketImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// TicketMonthTotal is the raw tally of one month's ratings of an account,
// as the store counts them.
type TicketMonthTotal struct {
	Month     string  // YYYY-MM
	Count     int     // ratings
	Sum       float64 // of normalised ratings
	Satisfied int     // ratings of 4 or more
}

// TicketMonth is one month of a ticket satisfaction summary.
type TicketMonth struct {
	Month   string  `json:"month" doc:"YYYY-MM"`
	Count   int     `json:"count"`
	Average float64 `json:"average" doc:"Mean normalised rating (1–5), two decimals; 0 without ratings."`
	CSAT    float64 `json:"csat" doc:"Share of ratings of 4 or 5, in percent (one decimal); 0 without ratings."`
}

// TicketSummary is an account's ticket satisfaction over the last twelve
// months, this month included.
type TicketSummary struct {
	OrganisationID string        `json:"organisation_id"`
	From           string        `json:"from" doc:"First day counted, YYYY-MM-DD."`
	To             string        `json:"to" doc:"Last day counted, YYYY-MM-DD."`
	Count          int           `json:"count"`
	Average        float64       `json:"average"`
	CSAT           float64       `json:"csat"`
	Months         []TicketMonth `json:"months" doc:"Twelve months, oldest first; months without ratings have count 0."`
}

// TicketSummaryWindow returns the first and last day of the twelve months
// ending with the month of now.
func TicketSummaryWindow(now time.Time) (from, to time.Time) {
	y, m, _ := now.UTC().Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, -11, 0), first.AddDate(0, 1, -1)
}

// SummariseTickets builds the twelve-month summary ending with the month of
// now from monthly totals; totals outside the window are ignored.
func SummariseTickets(orgID string, totals []TicketMonthTotal, now time.Time) TicketSummary {
	from, to := TicketSummaryWindow(now)
	s := TicketSummary{OrganisationID: orgID, From: FormatDate(from), To: FormatDate(to), Months: make([]TicketMonth, 12)}
	byMonth := map[string]TicketMonthTotal{}
	for _, t := range totals {
		cur := byMonth[t.Month]
		cur.Count, cur.Sum, cur.Satisfied = cur.Count+t.Count, cur.Sum+t.Sum, cur.Satisfied+t.Satisfied
		byMonth[t.Month] = cur
	}
	var all TicketMonthTotal
	for i := range s.Months {
		month := from.AddDate(0, i, 0).Format("2006-01")
		t := byMonth[month]
		s.Months[i] = TicketMonth{Month: month, Count: t.Count, Average: ticketAverage(t), CSAT: ticketCSAT(t)}
		all.Count, all.Sum, all.Satisfied = all.Count+t.Count, all.Sum+t.Sum, all.Satisfied+t.Satisfied
	}
	s.Count, s.Average, s.CSAT = all.Count, ticketAverage(all), ticketCSAT(all)
	return s
}

func ticketAverage(t TicketMonthTotal) float64 {
	if t.Count == 0 {
		return 0
	}
	return math.Round(t.Sum/float64(t.Count)*100) / 100
}

func ticketCSAT(t TicketMonthTotal) float64 {
	if t.Count == 0 {
		return 0
	}
	return math.Round(float64(t.Satisfied)*1000/float64(t.Count)) / 10
}

// TicketSatisfactionStore keeps imported ticket ratings.
type TicketSatisfactionStore interface {
	// UpsertTicketRatings stores a batch in one transaction: a rating whose
	// (source, external_ticket_id) exists replaces it, others are created.
	// Each rating must name its account by OrganisationID (an account,
	// live); EINVALID names the rows ("row N: field") at fault and stores
	// nothing. The batch writes one audit entry, not one per rating.
	UpsertTicketRatings(ctx context.Context, rs []*TicketRating) (TicketImportResult, error)
	// FindTicketRatings lists ratings newest closed first.
	FindTicketRatings(ctx context.Context, f TicketRatingFilter) ([]*TicketRating, string, error)
	// TicketMonthTotals tallies an account's ratings closed in [from, to] by month.
	TicketMonthTotals(ctx context.Context, accountID string, from, to time.Time) ([]TicketMonthTotal, error)
}
