package web

import (
	"context"
	"html/template"
	"math"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
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

// ticketImportPage uploads a CSV export of the service desk tool's ticket
// ratings (app.ImportTicketRatingsCSV): the same import as `liaison import
// ticket-satisfaction` and POST /api/v1/ticket-satisfaction, for people
// who would rather not use a terminal.
type ticketImportPage struct {
	Page
	Form    *Form
	Scales  []Option
	Columns string
	Report  *app.ImportReport
}

func init() { pages = append(pages, "ticket_import") }

func (h *Handler) ticketRoutes() []route {
	r := func(method, pattern string, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: liaison.AccessCurate}, f}
	}
	return []route{
		r("GET", "/ticket-satisfaction/import", h.showTicketImport),
		r("POST", "/ticket-satisfaction/import", h.importTickets),
	}
}

func (h *Handler) renderTicketImport(w http.ResponseWriter, r *http.Request, code int, data *ticketImportPage) {
	p := h.page(w, r, "", "surveys")
	p.Title = p.L.T("ticket.import.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.surveys")}, {Label: p.Title}}
	data.Page = p
	for _, s := range liaison.TicketScales {
		data.Scales = append(data.Scales, Option{Value: string(s), Label: p.L.T("ticket.scale." + string(s))})
	}
	data.Columns = app.TicketColumns
	h.render(w, r, code, "ticket_import", data)
}

func (h *Handler) showTicketImport(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Set("scale", string(liaison.Scale1to5))
	h.renderTicketImport(w, r, http.StatusOK, &ticketImportPage{Form: f})
}

func (h *Handler) importTickets(w http.ResponseWriter, r *http.Request) {
	l := h.localizer(r)
	f := newForm()
	_, _, body, err := readUpload(r, "file")
	for _, k := range []string{"source", "scale", "dry_run"} {
		f.Set(k, r.FormValue(k))
	}
	if err != nil {
		f.Errors["file"] = l.T("agreement.attach.none")
		h.renderTicketImport(w, r, http.StatusUnprocessableEntity, &ticketImportPage{Form: f})
		return
	}
	dry := f.Get("dry_run") != ""
	rep, err := h.app.ImportTicketRatingsCSV(r.Context(), body, f.Get("source"), liaison.TicketScale(f.Get("scale")), dry)
	if err != nil {
		if code := applyFormError(l, f, err, "file", "source", "scale"); code != 0 {
			h.renderTicketImport(w, r, code, &ticketImportPage{Form: f})
			return
		}
		h.fail(w, r, err)
		return
	}
	code := http.StatusOK
	if len(rep.Rejected) > 0 {
		code = http.StatusUnprocessableEntity
	}
	h.renderTicketImport(w, r, code, &ticketImportPage{Form: f, Report: rep})
}
