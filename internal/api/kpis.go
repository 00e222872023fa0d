package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// KPIs answers GET /kpis (SPEC §4): the dashboard's figures (docs/dashboard.md
// defines them) for one period and scope. A flow counts over the period, a
// state on its last day.
type KPIs struct {
	From      string `json:"from,omitempty" format:"date" doc:"The period's first day; absent for no beginning."`
	To        string `json:"to" format:"date" doc:"The period's last day (today unless to was given): every state is counted on it."`
	ManagerID string `json:"manager_id,omitempty" doc:"The scope: the accounts this user manages or deputises; absent for all."`
	Segment   string `json:"segment,omitempty" doc:"The scope: the accounts of this segment; absent for all."`

	CustomersTotal         int `json:"customers_total" doc:"Active customer roles of live people on the accounts in scope, on the last day."`
	CustomersWithITContact int `json:"customers_with_it_contact" doc:"Of customers_total, those with a designated IT contact: named on the role, else the account's relationship manager."`
	OrderersTotal          int `json:"orderers_total" doc:"Active orderer roles of live people on the accounts in scope, on the last day."`
	OrderersWithITContact  int `json:"orderers_with_it_contact" doc:"Of orderers_total, those with a designated IT contact (as customers_with_it_contact)."`

	AccountsTotal               int      `json:"accounts_total" doc:"Live accounts (budget-holding units) in scope."`
	AccountsWithActiveAgreement int      `json:"accounts_with_active_agreement" doc:"Accounts with a written agreement in force on the last day: active or expired, begun and not ended (the dashboard's written_agreements)."`
	AgreementSharePercent       float64  `json:"agreement_share_percent" doc:"accounts_with_active_agreement as a percentage of accounts_total (one decimal); 0 without accounts."`
	AgreementsEnding            int      `json:"agreements_ending" doc:"Agreements in force on the last day that end within 90 days after it."`
	SatisfactionCSAT            *float64 `json:"satisfaction_csat" doc:"Survey CSAT of the period: ratings 4–5 among all rating answers of the responses submitted in it, in % (one decimal). null without answers, or when made of 1–4 responses of anonymous campaigns."`
	SatisfactionNPS             *float64 `json:"satisfaction_nps" doc:"Survey NPS of the period: promoters (9–10) minus detractors (0–6) in % of the NPS answers of the responses submitted in it, −100 to 100. null as satisfaction_csat."`
	SurveyRatings               int      `json:"survey_ratings" doc:"The rating answers satisfaction_csat is made of (0 when suppressed)."`
	SurveyNPSAnswers            int      `json:"survey_nps_answers" doc:"The NPS answers satisfaction_nps is made of (0 when suppressed)."`
	TicketRating                *float64 `json:"ticket_rating" doc:"Mean ticket rating (1–5) of the tickets closed in the period; null without any."`
	TicketRatings               int      `json:"ticket_ratings" doc:"The ticket ratings ticket_rating is the mean of."`
	ComplaintsInPeriod          int      `json:"complaints_in_period" doc:"Complaints (not suggestions or service requests) on the accounts in scope received in the period."`
	ComplaintsOpen              int      `json:"complaints_open" doc:"Complaints on the accounts in scope open on the last day (received, not yet resolved or closed)."`
	OpenComplaintAgeDays        *float64 `json:"open_complaint_age_days" doc:"Mean age in days of the complaints_open on the last day; null without any."`
	ReviewsOverdue              int      `json:"reviews_overdue" doc:"Agreement customers whose service review is overdue on the last day."`
	ActionsOverdue              int      `json:"actions_overdue" doc:"Open actions on the accounts in scope due before the last day."`
}

// kpiInput is the period and scope of GET /kpis.
type kpiInput struct {
	From      string `query:"from" format:"date" doc:"First day of the period (YYYY-MM-DD); without it the period has no beginning."`
	To        string `query:"to" format:"date" doc:"Last day of the period (YYYY-MM-DD), included; today without it."`
	ManagerID string `query:"manager_id" maxLength:"64" doc:"Keep the accounts this user manages or deputises; \"me\" for the caller. 422 when it names no user."`
	Segment   string `query:"segment" maxLength:"64" doc:"Keep the accounts of this segment (its id). 422 when it names no segment."`
}

// kpiFigures are the dashboard figures GET /kpis reads.
var kpiFigures = []liaison.KPI{liaison.KPICustomerITContact, liaison.KPIOrdererITContact, liaison.KPIAgreements, liaison.KPIEndingSoon,
	liaison.KPISurveyCSAT, liaison.KPISurveyNPS, liaison.KPISatisfaction, liaison.KPIComplaints, liaison.KPIOpenComplaintAge,
	liaison.KPIOverdueReviews, liaison.KPIOverdueActions}

func (api *API) registerKPIs() {
	register(api, huma.Operation{OperationID: "get-kpis", Method: http.MethodGet, Path: "/kpis", Tags: []string{"kpis"},
		Summary: "Key figures of a period",
		Description: "The dashboard's figures (docs/dashboard.md) for one period and scope: customers and orderers with a designated IT contact, " +
			"accounts with a written agreement, survey CSAT and NPS, ticket rating, complaints, overdue reviews and actions. " +
			"A flow counts over the period, a state on its last day."},
		liaison.AccessRead, func(ctx context.Context, in *kpiInput) (*struct{ Body KPIs }, error) {
			scope := (&dashboardInput{ManagerID: in.ManagerID, SegmentID: in.Segment}).scope(ctx)
			d, err := api.app.PeriodKPIs(ctx, app.KPIPeriod{From: in.From, To: in.To, DashboardScope: scope}, kpiFigures...)
			if err != nil {
				return nil, err
			}
			return &struct{ Body KPIs }{kpisOf(d, in.From, in.To)}, nil
		})
}

// kpisOf reads the answer off the period's figures.
func kpisOf(d *liaison.Dashboard, from, to string) KPIs {
	fig := func(k liaison.KPI) liaison.KPIValue { return d.Figure(k).Current }
	n := func(x float64) int { return int(x) }
	k := KPIs{From: from, To: to, ManagerID: d.ManagerID, Segment: d.SegmentID, AccountsTotal: d.Accounts}
	if to == "" {
		k.To = d.Today
	}
	c, o := fig(liaison.KPICustomerITContact), fig(liaison.KPIOrdererITContact)
	k.CustomersTotal, k.CustomersWithITContact = n(c.Denominator), n(c.Numerator)
	k.OrderersTotal, k.OrderersWithITContact = n(o.Denominator), n(o.Numerator)
	ag := fig(liaison.KPIAgreements)
	k.AccountsWithActiveAgreement = n(ag.Numerator)
	if ag.Value != nil {
		k.AgreementSharePercent = *ag.Value
	}
	k.AgreementsEnding = n(fig(liaison.KPIEndingSoon).Numerator)
	csat, nps := fig(liaison.KPISurveyCSAT), fig(liaison.KPISurveyNPS)
	k.SatisfactionCSAT, k.SurveyRatings = csat.Value, n(csat.Denominator)
	k.SatisfactionNPS, k.SurveyNPSAnswers = nps.Value, n(nps.Denominator)
	tr := fig(liaison.KPISatisfaction)
	k.TicketRating, k.TicketRatings = tr.Value, n(tr.Denominator)
	k.ComplaintsInPeriod = n(fig(liaison.KPIComplaints).Numerator)
	age := fig(liaison.KPIOpenComplaintAge)
	k.ComplaintsOpen, k.OpenComplaintAgeDays = n(age.Denominator), age.Value
	k.ReviewsOverdue = n(fig(liaison.KPIOverdueReviews).Numerator)
	k.ActionsOverdue = n(fig(liaison.KPIOverdueActions).Numerator)
	return k
}
