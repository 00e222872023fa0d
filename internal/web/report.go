package web

import (
	"html/template"
	"mime"
	"net/http"
	"net/url"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
)

// The customer report pack (SPEC C7): a printable page per account and
// period in a chosen language, its PDF, and storing the PDF with a meeting.

func init() {
	pages = append(pages, "report")
}

func (h *Handler) reportRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/organisations/{id}/report", liaison.AccessRead, h.showReport),
		r("GET", "/organisations/{id}/report.pdf", liaison.AccessRead, h.downloadReportPDF),
		// The meeting page's "store the report pack" button posts here.
		r("POST", "/meetings/{id}/report-pack", liaison.AccessWrite, h.storeReportCopy),
	}
}

type reportPage struct {
	Page
	PL        *i18n.Localizer // the pack's language
	P         *report.Pack
	Form      *Form
	Languages []Option
	PDFHref   string
}

// reportRequest reads the period and language from the query; the
// language defaults to the page's.
func reportRequest(q url.Values, l *i18n.Localizer) app.ReportRequest {
	lang := liaison.Language(q.Get("lang"))
	if lang == "" {
		lang = l.Lang()
	}
	return app.ReportRequest{From: q.Get("from"), To: q.Get("to"), Language: lang}
}

func (h *Handler) showReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	acc, err := h.app.Organisation(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, "", "accounts")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.accounts"), Href: "/accounts"}, {Label: acc.Name, Href: "/organisations/" + id},
		{Label: p.L.T("report.link")}}
	req := reportRequest(r.URL.Query(), p.L)
	data := &reportPage{Page: p, Form: newForm()}
	for _, lang := range liaison.Languages {
		data.Languages = append(data.Languages, Option{Value: string(lang), Label: langName(lang)})
	}
	pack, err := h.app.Report(ctx, id, req)
	if err != nil && httpx.Status(err) != http.StatusUnprocessableEntity {
		h.fail(w, r, err)
		return
	}
	code := http.StatusOK
	if err != nil {
		code = http.StatusUnprocessableEntity
		data.Form.Errors, data.Form.Error = p.L.FieldErrors(err), p.L.Error(err)
		data.Form.Set("from", req.From)
		data.Form.Set("to", req.To)
		data.Form.Set("lang", string(req.Language))
		data.Title = p.L.T("report.link") + " · " + acc.Name
	} else {
		data.P, data.PL, data.Title = pack, i18n.For(liaison.Language(pack.Language)), pack.Title
		data.Form.Set("from", pack.From)
		data.Form.Set("to", pack.To)
		data.Form.Set("lang", pack.Language)
		data.PDFHref = "/organisations/" + id + "/report.pdf?" + url.Values{"from": {pack.From}, "to": {pack.To}, "lang": {pack.Language}}.Encode()
	}
	h.render(w, r, code, "report", data)
}

func (h *Handler) downloadReportPDF(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pdf, p, err := h.app.ReportPDF(r.Context(), id, reportRequest(r.URL.Query(), h.localizer(r)))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePDF(w, pdf, p.AccountName+" "+p.From+" "+p.To+" "+p.Language+".pdf")
}

func writePDF(w http.ResponseWriter, pdf []byte, name string) {
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("Cache-Control", "private, no-store")
	w.Write(pdf)
}

// storeReportCopy stores the pack of the meeting's account with the
// meeting (form fields from, to, language) and returns to the meeting.
func (h *Handler) storeReportCopy(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, &liaison.Error{Code: liaison.EINVALID, Message: "Unreadable form."})
		return
	}
	req := app.ReportRequest{From: r.PostForm.Get("from"), To: r.PostForm.Get("to"), Language: liaison.Language(r.PostForm.Get("language"))}
	if req.Language == "" {
		req.Language = h.localizer(r).Lang()
	}
	if _, err := h.app.StoreReportCopy(r.Context(), id, req); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "report.flash.stored")
	redirect(w, r, "/meetings/"+id)
}

// Chart helpers for the template, labelled in the pack's language.

// Bars draws a breakdown as horizontal bars.
func (p *reportPage) Bars(id, title string, items []liaison.CountBy) template.HTML {
	return barChart(p.PL, id, title, items, 10)
}

// Columns draws counts per month.
func (p *reportPage) Columns(id, title string, months []liaison.CountBy) template.HTML {
	return columnChart(p.PL, id, title, months)
}

// SLAChart draws each service's met and breached results.
func (p *reportPage) SLAChart(s *report.SLA) template.HTML {
	bars := make([]stackedBar, len(s.ByService))
	for i, x := range s.ByService {
		bars[i] = stackedBar{Label: x.ServiceName, Good: x.Met, Bad: x.Breached,
			Text: p.PL.T("report.sla.met_breached", p.PL.Number(x.Met), p.PL.Number(x.Breached))}
	}
	return stackedChart(p.PL, "chart-sla", p.PL.T("report.sla.by_service"), bars)
}
