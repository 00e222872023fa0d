package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// Published survey results (SPEC C8, "a publishable results page/PDF for
// customers"): staff publish a closed campaign's results (the campaign
// page includes the "campaign-publish" partial, templates/partials/
// survey_publish.html), and a clean printable page and its PDF show them
// for one account or the whole campaign, in a chosen language: response
// rate, CSAT, NPS, the distributions and the trend across the survey's
// published campaigns. No free-text answer and nothing per person.

func init() {
	pages = append(pages, "campaign_published")
}

func (h *Handler) publishRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/campaigns/{id}/published", liaison.AccessRead, h.showPublished),
		r("GET", "/campaigns/{id}/published.pdf", liaison.AccessRead, h.downloadPublishedPDF),
		r("POST", "/campaigns/{id}/publish", liaison.AccessWrite, h.publishCampaign(true)),
		r("POST", "/campaigns/{id}/unpublish", liaison.AccessWrite, h.publishCampaign(false)),
	}
}

type publishedPage struct {
	Page
	PL        *i18n.Localizer // the results' language
	P         *report.Published
	Campaign  *liaison.Campaign
	Refusal   string // why nothing is shown
	Account   string
	Lang      string
	Languages []Option
	PDFHref   string
}

// publishedQuery reads the account and the language (default the page's).
func publishedQuery(q url.Values, l *i18n.Localizer) (account string, lang liaison.Language) {
	lang = liaison.Language(q.Get("lang"))
	if !lang.Valid() {
		lang = l.Lang()
	}
	return q.Get("account"), lang
}

func (h *Handler) showPublished(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	c, err := h.app.Campaign(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, "", "surveys")
	account, lang := publishedQuery(r.URL.Query(), p.L)
	p.Crumbs = []Crumb{{Label: c.Title, Href: "/campaigns/" + id}, {Label: p.L.T("publish.link")}}
	data := &publishedPage{Page: p, Campaign: c, Account: account, Lang: string(lang), PL: i18n.For(lang)}
	for _, x := range liaison.Languages {
		data.Languages = append(data.Languages, Option{Value: string(x), Label: langName(x)})
	}
	data.Title = data.PL.T("publish.title", c.Title)
	res, err := h.app.PublishedResults(ctx, id, account, lang)
	if e, ok := err.(*liaison.Error); ok && e.Key == "publish.error.not_published" {
		data.Refusal = p.L.T("publish.not_published")
		h.render(w, r, http.StatusNotFound, "campaign_published", data)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	data.P = res
	data.PDFHref = "/campaigns/" + id + "/published.pdf?" + url.Values{"account": {account}, "lang": {string(lang)}}.Encode()
	h.render(w, r, http.StatusOK, "campaign_published", data)
}

func (h *Handler) downloadPublishedPDF(w http.ResponseWriter, r *http.Request) {
	account, lang := publishedQuery(r.URL.Query(), h.localizer(r))
	pdf, p, err := h.app.PublishedResultsPDF(r.Context(), r.PathValue("id"), account, lang)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	name := p.Title
	if p.AccountName != "" {
		name += " " + p.AccountName
	}
	writePDF(w, pdf, name+" "+p.Language+".pdf")
}

// publishCampaign publishes or unpublishes (form field version) and
// returns to the campaign's page.
func (h *Handler) publishCampaign(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := r.PathValue("id")
		var err error
		if on {
			_, err = h.app.PublishCampaign(ctx, id, atoi(r.PostFormValue("version")))
		} else {
			_, err = h.app.UnpublishCampaign(ctx, id, atoi(r.PostFormValue("version")))
		}
		if err != nil {
			if httpx.Status(err) == http.StatusPreconditionFailed {
				h.flash(w, r, "danger", h.localizer(r).T("publish.flash.stale"))
				redirect(w, r, "/campaigns/"+id)
				return
			}
			h.fail(w, r, err)
			return
		}
		if on {
			h.flashT(w, r, "publish.flash.published")
		} else {
			h.flashT(w, r, "publish.flash.unpublished")
		}
		redirect(w, r, "/campaigns/"+id)
	}
}

// Figures and charts for the template, in the results' language.

// Pct writes a share in percent, or "–".
func (p *publishedPage) Pct(x *float64) string { return report.Percent(p.PL, x) }

// NPS writes an NPS, or "–".
func (p *publishedPage) NPS(x *float64) string { return report.Score(p.PL, x) }

// Distribution draws a question's answers per value or option.
func (p *publishedPage) Distribution(q report.PublishedQuestion) template.HTML {
	return barChart(p.PL, "chart-q-"+q.ID, q.Text, q.Distribution, 0)
}

// Trend draws CSAT and NPS across the published campaigns.
func (p *publishedPage) Trend() template.HTML {
	return publishedTrendChart(p.PL, "published-trend", p.PL.T("publish.trend"), p.P.Trend, false)
}
