package app

import (
	"context"
	"fmt"
	"slices"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// Published survey results (SPEC C8): a closed campaign's results are
// published for the customers by whoever may run the campaign (head and
// admin; a relationship manager for a campaign of their accounts). Once
// published, the customer's view of them — response rate, CSAT, NPS and
// the distributions, never a free-text answer or anything per person, an
// anonymous campaign's group under 5 responses suppressed — is readable by
// every internal user, as it is meant to be shown outside: the report
// pack and the account overview carry it.

// PublishCampaign publishes a closed campaign's results; the store audits it.
func (a *App) PublishCampaign(ctx context.Context, id string, ifVersion int) (*liaison.Campaign, error) {
	if _, err := a.campaignToRun(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.PublishCampaign(ctx, id, ifVersion, true)
}

// UnpublishCampaign withdraws a campaign's published results.
func (a *App) UnpublishCampaign(ctx context.Context, id string, ifVersion int) (*liaison.Campaign, error) {
	if _, err := a.campaignToRun(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.PublishCampaign(ctx, id, ifVersion, false)
}

// notPublished is the answer for a campaign whose results are not published.
func notPublished(id string) error {
	return &liaison.Error{Code: liaison.ENOTFOUND, Key: "publish.error.not_published", Args: []any{id},
		Message: fmt.Sprintf("The results of campaign %s are not published.", id)}
}

// PublishedResults returns a published campaign's results for the
// account accountID (the whole campaign when "") in lang, with the trend
// of the survey's published campaigns for the same account. An
// unpublished campaign answers ENOTFOUND (publish.error.not_published).
//
// Published results are customer-facing: an external principal (a
// customer-scoped token) reads them for its own account only.
func (a *App) PublishedResults(ctx context.Context, id, accountID string, lang liaison.Language) (*report.Published, error) {
	p, err := require(ctx, liaison.AccessCustomer)
	if err != nil {
		return nil, err
	}
	if !p.MaySeeAccount(accountID) {
		return nil, forbidden("This token may read only its own account's results.")
	}
	if !lang.Valid() {
		lang = liaison.English
	}
	c, err := a.Store.FindCampaignByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !c.Published() {
		return nil, notPublished(id)
	}
	name := ""
	if accountID != "" {
		o, err := a.Store.FindOrganisationByID(ctx, accountID)
		if err != nil {
			return nil, err
		}
		name = o.Name
	}
	f := liaison.ResultFilter{OrganisationID: accountID}
	d, err := a.Store.CampaignResultData(ctx, id)
	if err != nil {
		return nil, err
	}
	g := liaison.Aggregate(d, liaison.ByTotal, f).Total
	trend, err := a.publishedTrend(ctx, c.SurveyID, f)
	if err != nil {
		return nil, err
	}
	v, err := a.Store.FindSurveyVersion(ctx, c.SurveyID, c.SurveyVersion)
	if err != nil {
		return nil, err
	}
	return report.BuildPublished(c, v.Questions, g, accountID, name, trend, i18n.For(lang), a.Now()), nil
}

// PublishedResultsPDF writes PublishedResults as PDF.
func (a *App) PublishedResultsPDF(ctx context.Context, id, accountID string, lang liaison.Language) ([]byte, *report.Published, error) {
	p, err := a.PublishedResults(ctx, id, accountID, lang)
	if err != nil {
		return nil, nil, err
	}
	pdf, err := report.PublishedPDF(p, i18n.For(liaison.Language(p.Language)))
	if err != nil {
		return nil, nil, fmt.Errorf("published results %s: %w", id, err)
	}
	return pdf, p, nil
}

// PublishedTrend is the trend of the published campaigns (of surveyID, or
// all when "") kept by f, by closing date. With f.OrganisationID only the
// campaigns the account took part in (it had recipients) count.
func (a *App) PublishedTrend(ctx context.Context, surveyID string, f liaison.ResultFilter) ([]report.TrendItem, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.publishedTrend(ctx, surveyID, f)
}

func (a *App) publishedTrend(ctx context.Context, surveyID string, f liaison.ResultFilter) ([]report.TrendItem, error) {
	out := []report.TrendItem{}
	cursor := ""
	for {
		cs, next, err := a.Store.FindCampaigns(ctx, liaison.CampaignFilter{SurveyID: surveyID, Published: true, Sort: "closes_on", Limit: 500, Cursor: cursor})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			d, err := a.Store.CampaignResultData(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			if f.OrganisationID != "" && !slices.Contains(accountIDs(d), f.OrganisationID) {
				continue
			}
			out = append(out, report.Trend(c, liaison.Aggregate(d, liaison.ByTotal, f).Total))
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// addSatisfaction adds the report pack's satisfaction section: the
// account's published campaign results and its ticket satisfaction.
func (a *App) addSatisfaction(ctx context.Context, p *report.Pack, l *i18n.Localizer) error {
	campaigns, err := a.publishedTrend(ctx, "", liaison.ResultFilter{OrganisationID: p.AccountID})
	if err != nil {
		return err
	}
	now := a.Now()
	from, to := liaison.TicketSummaryWindow(now)
	totals, err := a.Store.TicketMonthTotals(ctx, p.AccountID, from, to)
	if err != nil {
		return err
	}
	t := liaison.SummariseTickets(p.AccountID, totals, now)
	report.AddSatisfaction(p, l, campaigns, &t)
	return nil
}
