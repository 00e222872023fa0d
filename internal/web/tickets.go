package web

import (
	"context"
	"html/template"
	"math"

	"github.com/liaisonhq/liaison"
)

// Ticket satisfaction (SPEC C8): the account overview's panel of ratings
// imported from the service desk tool, beside the relationship-level
// surveys: average, CSAT and count over twelve months, and CSAT by month
// as columns (columnChart).

// TicketChart draws the account's CSAT (percent) by month; a month
// without ratings has no column.
func (p *unitPage) TicketChart() template.HTML {
	if p.Tickets == nil || p.Tickets.Count == 0 {
		return ""
	}
	months := make([]liaison.CountBy, len(p.Tickets.Months))
	for i, m := range p.Tickets.Months {
		months[i] = liaison.CountBy{Key: m.Month, Label: m.Month + " (" + p.L.N("ticket.ratings", m.Count) + ")", Count: int(math.Round(m.CSAT))}
	}
	return columnChart(p.L, "chart-tickets", p.L.T("ticket.chart_title"), months)
}

// TicketAverage and TicketCSAT write the summary's figures in the page's language.
func (p *unitPage) TicketAverage() string { return p.L.Decimal(p.Tickets.Average, 1) }
func (p *unitPage) TicketCSAT() string    { return p.L.Decimal(p.Tickets.CSAT, 0) + " %" }

// ticketComments returns the account's latest ratings that carry a
// comment (at most three, from its latest 20 ratings).
func (h *Handler) ticketComments(ctx context.Context, accountID string) ([]*liaison.TicketRating, error) {
	latest, _, err := h.app.TicketRatings(ctx, liaison.TicketRatingFilter{OrganisationID: accountID, Limit: 20})
	if err != nil {
		return nil, err
	}
	var out []*liaison.TicketRating
	for _, r := range latest {
		if r.Comment != "" && len(out) < 3 {
			out = append(out, r)
		}
	}
	return out, nil
}
