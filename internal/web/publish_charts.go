package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// Charts of published survey results and of an account's survey
// satisfaction: the trend of CSAT and NPS across campaigns as two lines
// on one scale (−100 to 100, CSAT being 0 to 100), in charts.go's inline
// SVG style. A campaign without a figure (suppressed, or no answers)
// breaks its line.

// publishedTrendChart draws CSAT and NPS per campaign, oldest first, with a
// legend. A compact chart (a side panel's) labels the campaigns by their
// closing dates only.
func publishedTrendChart(l *i18n.Localizer, id, title string, items []report.TrendItem, compact bool) template.HTML {
	if len(items) == 0 {
		return noData(l)
	}
	const left, top, plotH = 44, 22, 160
	step := 170
	if compact {
		step = 84
	}
	w := left + max(len(items), 3)*step + 10
	h := top + plotH + 72
	y := func(v float64) float64 { return top + plotH*(100-v)/200 }
	x := func(i int) int { return left + i*step + step/2 }
	var b strings.Builder
	openChart(&b, id, title, w, h)
	for _, v := range []float64{-100, -50, 0, 50, 100} {
		cls := "chart-grid"
		if v == 0 {
			cls += " chart-axis"
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="%s"></line>`, left, y(v), w-10, y(v), cls)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" class="chart-label">%s</text>`, left-6, y(v)+4, l.Decimal(v, 0))
	}
	series := []struct {
		cls, key string
		get      func(report.TrendItem) *float64
	}{
		{"csat", "publish.csat", func(t report.TrendItem) *float64 { return t.CSAT }},
		{"nps", "publish.nps", func(t report.TrendItem) *float64 { return t.NPS }},
	}
	for _, s := range series {
		var path []string
		for i, t := range items {
			v := s.get(t)
			if t.Suppressed || v == nil {
				if len(path) > 1 {
					fmt.Fprintf(&b, `<polyline points="%s" class="chart-line chart-line-%s"></polyline>`, strings.Join(path, " "), s.cls)
				}
				path = nil
				continue
			}
			path = append(path, fmt.Sprintf("%d,%.1f", x(i), y(*v)))
		}
		if len(path) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" class="chart-line chart-line-%s"></polyline>`, strings.Join(path, " "), s.cls)
		}
		for i, t := range items {
			if v := s.get(t); !t.Suppressed && v != nil {
				text := l.T(s.key) + " " + t.Title + ": " + l.Decimal(*v, 0)
				fmt.Fprintf(&b, `<circle cx="%d" cy="%.1f" r="4" class="chart-dot chart-dot-%s"><title>%s</title></circle>`,
					x(i), y(*v), s.cls, html.EscapeString(text))
				// CSAT's figure above its dot, NPS's below, unless at the edge.
				dy := -9.0
				if s.cls == "nps" && *v > -80 || s.cls == "csat" && *v > 90 {
					dy = 18
				}
				fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="middle" class="chart-value">%s</text>`, x(i), y(*v)+dy, l.Decimal(*v, 0))
			}
		}
	}
	for i, t := range items {
		if compact {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label"><title>%s</title>%s</text>`,
				x(i), top+plotH+24, html.EscapeString(t.Title), l.DateString(t.ClosesOn))
			continue
		}
		label := t.Title
		if r := []rune(label); len(r) > 24 {
			label = string(r[:23]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label"><title>%s</title>%s</text>`,
			x(i), top+plotH+24, html.EscapeString(t.Title), html.EscapeString(label))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label">%s</text>`, x(i), top+plotH+40, l.DateString(t.ClosesOn))
	}
	lx := left
	for _, s := range series {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="4" class="chart-key-%s"></rect>`, lx, top+plotH+58, s.cls)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-label">%s</text>`, lx+20, top+plotH+64, html.EscapeString(l.T(s.key)))
		lx += 90
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// surveyTrend is the account's survey satisfaction across campaigns as
// the user may see it (app.CampaignTrend): the campaigns the account took
// part in (it had recipients, or an anonymous campaign's group too small
// to show), oldest first.
func (h *Handler) surveyTrend(ctx context.Context, accountID string) ([]report.TrendItem, error) {
	ps, err := h.app.CampaignTrend(ctx, "", liaison.ResultFilter{OrganisationID: accountID})
	if err != nil {
		return nil, err
	}
	var out []report.TrendItem
	for _, p := range ps {
		if p.Total.Recipients == 0 && !p.Total.Suppressed {
			continue
		}
		out = append(out, report.Trend(&liaison.Campaign{ID: p.CampaignID, Title: p.Title, ClosesOn: p.ClosesOn}, p.Total))
	}
	return out, nil
}

// SurveyChart draws the account's CSAT and NPS across campaigns.
func (p *unitPage) SurveyChart() template.HTML {
	return publishedTrendChart(p.L, "survey-trend", p.L.T("publish.account_chart"), p.Surveys, true)
}

// SurveyLatest is the latest campaign with figures, or nil.
func (p *unitPage) SurveyLatest() *report.TrendItem {
	for i := len(p.Surveys) - 1; i >= 0; i-- {
		if t := p.Surveys[i]; !t.Suppressed && (t.CSAT != nil || t.NPS != nil) {
			return &p.Surveys[i]
		}
	}
	return nil
}

// Pct and NPS write a survey figure in the page's language, or "–".
func (p *unitPage) Pct(x *float64) string { return report.Percent(p.L, x) }
func (p *unitPage) NPS(x *float64) string { return report.Score(p.L, x) }

// The report pack's satisfaction section (report.html), in the pack's language.

// SurveyTrend draws the account's published campaigns' CSAT and NPS.
func (p *reportPage) SurveyTrend(items []report.TrendItem) template.HTML {
	return publishedTrendChart(p.PL, "chart-survey-trend", p.PL.T("report.satisfaction.surveys"), items, false)
}

// TicketColumns draws the ticket CSAT by month.
func (p *reportPage) TicketColumns(t *liaison.TicketSummary) template.HTML {
	return columnChart(p.PL, "chart-ticket-csat", p.PL.T("ticket.chart_title"), report.TicketMonths(t))
}

// Pct and NPS write a survey figure in the pack's language, or "–".
func (p *reportPage) Pct(x *float64) string { return report.Percent(p.PL, x) }
func (p *reportPage) NPS(x *float64) string { return report.Score(p.PL, x) }
