package report

import (
	"math"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Satisfaction is the pack's satisfaction section (SPEC C8): the
// account's published survey results per campaign, oldest first (the
// trend), and its ticket satisfaction over the last twelve months. Only
// published results appear: the pack is shown to the customer.
type Satisfaction struct {
	Campaigns []TrendItem            `json:"campaigns" doc:"The account's published campaigns closed by the end of the period, by closing date."`
	Tickets   *liaison.TicketSummary `json:"tickets,omitempty" doc:"Ticket satisfaction over the last twelve months; absent without ratings."`
}

// AddSatisfaction appends the satisfaction section to p when the account
// has published campaign results closed by the end of the period or rated
// tickets; otherwise the pack has no such section.
func AddSatisfaction(p *Pack, l *i18n.Localizer, campaigns []TrendItem, tickets *liaison.TicketSummary) {
	s := &Satisfaction{Campaigns: []TrendItem{}}
	for _, c := range campaigns {
		if c.ClosesOn <= p.To {
			s.Campaigns = append(s.Campaigns, c)
		}
	}
	if tickets != nil && tickets.Count > 0 {
		s.Tickets = tickets
	}
	if len(s.Campaigns) == 0 && s.Tickets == nil {
		return
	}
	p.Sections = append(p.Sections, Section{Kind: KindSatisfaction, Title: l.T("report.satisfaction.title"), Satisfaction: s})
}

// TicketMonths lists the summary's CSAT (whole percent) by month for a
// column chart; a month without ratings counts 0.
func TicketMonths(t *liaison.TicketSummary) []liaison.CountBy {
	out := make([]liaison.CountBy, len(t.Months))
	for i, m := range t.Months {
		out[i] = liaison.CountBy{Key: m.Month, Label: m.Month, Count: int(math.Round(m.CSAT))}
	}
	return out
}

func (r *pdfWriter) satisfaction(s *Satisfaction) {
	l := r.l
	r.sub(l.T("report.satisfaction.surveys"))
	if len(s.Campaigns) == 0 {
		r.note(l.T("report.satisfaction.no_surveys"))
	} else {
		r.trendBody(s.Campaigns)
	}
	r.sub(l.T("report.satisfaction.tickets"))
	if s.Tickets == nil {
		r.note(l.T("report.satisfaction.no_tickets"))
		return
	}
	t := s.Tickets
	r.textFigures([][2]string{
		{l.Decimal(t.Average, 1) + " / 5", l.T("ticket.average")},
		{l.Decimal(t.CSAT, 0) + " %", l.T("ticket.csat")},
		{l.Number(t.Count), l.T("ticket.count")},
	})
	r.note(l.T("report.satisfaction.tickets_period", l.DateString(t.From), l.DateString(t.To)))
	r.columns(TicketMonths(t))
}
