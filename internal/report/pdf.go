package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// font is WenQuanYi Micro Hei: one TrueType (glyf) font covering Latin,
// åäö and CJK, so Swedish, Finnish and Chinese text render in the one
// face without per-glyph fallback. fpdf embeds only the glyphs a pack
// uses. See fonts/README.md for where it came from and how it was cut.
//
//go:embed fonts/wqy-microhei.ttf
var font []byte

const fontName = "wqy"

// Page geometry in millimetres (A4 portrait).
const (
	pageW, margin = 210.0, 16.0
	bodyW         = pageW - 2*margin
	lineH         = 5.2
)

// Colours as RGB.
var (
	colInk    = [3]int{31, 41, 55}
	colMuted  = [3]int{107, 114, 128}
	colAccent = [3]int{37, 99, 235}
	colBad    = [3]int{220, 38, 38}
	colGood   = [3]int{22, 163, 74}
	colRule   = [3]int{209, 213, 219}
)

// WritePDF writes the pack as a PDF in its language, charts as vector
// graphics. l must be the pack's language.
func WritePDF(w io.Writer, p *Pack, l *i18n.Localizer) error {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCreationDate(p.GeneratedAt)
	doc.SetModificationDate(p.GeneratedAt)
	doc.SetTitle(p.Title, true)
	doc.SetLang(p.Language)
	doc.SetCreator("Liaison", true)
	doc.AddUTF8FontFromBytes(fontName, "", font)
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(true, margin)
	doc.AliasNbPages("{nb}")
	r := &pdfWriter{doc: doc, l: l}
	doc.SetFooterFunc(func() {
		doc.SetY(-11)
		r.font(8, colMuted)
		doc.CellFormat(bodyW/2, 5, p.AccountName+" · "+p.Period, "", 0, "L", false, 0, "")
		doc.CellFormat(bodyW/2, 5, l.T("report.pdf.page", doc.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	})
	doc.AddPage()
	r.cover(p)
	for i := range p.Sections {
		r.section(&p.Sections[i])
	}
	if err := doc.Error(); err != nil {
		return fmt.Errorf("report pdf: %w", err)
	}
	return doc.Output(w)
}

// PDF returns the pack as PDF bytes.
func PDF(p *Pack, l *i18n.Localizer) ([]byte, error) {
	var b bytes.Buffer
	if err := WritePDF(&b, p, l); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type pdfWriter struct {
	doc *fpdf.Fpdf
	l   *i18n.Localizer
}

func (r *pdfWriter) font(size float64, c [3]int) {
	r.doc.SetFont(fontName, "", size)
	r.doc.SetTextColor(c[0], c[1], c[2])
}

func (r *pdfWriter) fill(c [3]int) { r.doc.SetFillColor(c[0], c[1], c[2]) }

// fit shortens s with an ellipsis until it fits w millimetres.
func (r *pdfWriter) fit(s string, w float64) string {
	if r.doc.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 && r.doc.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// need starts a new page unless h millimetres fit on this one, so a chart
// or a heading with its first lines is never split.
func (r *pdfWriter) need(h float64) {
	_, ph := r.doc.GetPageSize()
	if r.doc.GetY()+h > ph-margin-6 {
		r.doc.AddPage()
	}
}

func (r *pdfWriter) cover(p *Pack) {
	d := r.doc
	r.font(9, colAccent)
	d.CellFormat(bodyW, 5, r.l.T("report.pdf.kicker"), "", 1, "L", false, 0, "")
	r.font(20, colInk)
	d.MultiCell(bodyW, 9, p.Title, "", "L", false)
	r.font(11, colMuted)
	d.CellFormat(bodyW, 6, r.l.T("report.period", p.Period), "", 1, "L", false, 0, "")
	d.CellFormat(bodyW, 6, r.l.T("report.generated", r.l.Date(p.GeneratedAt)), "", 1, "L", false, 0, "")
	d.Ln(2)
}

func (r *pdfWriter) heading(title string) {
	d := r.doc
	r.need(40)
	d.Ln(4)
	r.font(14, colInk)
	d.CellFormat(bodyW, 8, title, "", 1, "L", false, 0, "")
	d.SetDrawColor(colAccent[0], colAccent[1], colAccent[2])
	d.SetLineWidth(0.6)
	y := d.GetY()
	d.Line(margin, y, margin+24, y)
	d.SetDrawColor(colRule[0], colRule[1], colRule[2])
	d.SetLineWidth(0.2)
	d.Line(margin+24, y, margin+bodyW, y)
	d.Ln(3)
}

func (r *pdfWriter) sub(title string) {
	r.need(18)
	r.doc.Ln(1)
	r.font(10.5, colInk)
	r.doc.CellFormat(bodyW, 6, title, "", 1, "L", false, 0, "")
}

func (r *pdfWriter) note(text string) {
	r.font(9.5, colMuted)
	r.doc.MultiCell(bodyW, lineH, text, "", "L", false)
}

// figures writes a row of key figures: a big number over its label.
func (r *pdfWriter) figures(items ...liaison.CountBy) {
	d := r.doc
	r.need(16)
	w := bodyW / float64(len(items))
	x0, y0 := d.GetX(), d.GetY()
	for i, it := range items {
		x := x0 + float64(i)*w
		c := colInk
		if it.Key == "bad" && it.Count > 0 {
			c = colBad
		}
		d.SetXY(x, y0)
		r.font(16, c)
		d.CellFormat(w, 8, r.l.Number(it.Count), "", 2, "L", false, 0, "")
		d.SetX(x)
		r.font(8.5, colMuted)
		d.CellFormat(w-2, 4.5, r.fit(it.Label, w-2), "", 0, "L", false, 0, "")
	}
	d.SetXY(x0, y0+15)
}

// bars draws a breakdown as horizontal bars, the same chart as the HTML
// page's SVG: label, bar scaled to the largest count, the count.
func (r *pdfWriter) bars(items []liaison.CountBy, limit int) {
	if len(items) == 0 {
		return
	}
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	top := 1
	for _, it := range items {
		top = max(top, it.Count)
	}
	const rowH, labelW, barW = 6.0, 52.0, 100.0
	d := r.doc
	r.need(rowH*float64(len(items)) + 2)
	y := d.GetY()
	for i, it := range items {
		yy := y + float64(i)*rowH
		r.font(8.5, colInk)
		d.SetXY(margin, yy)
		d.CellFormat(labelW-2, rowH, r.fit(it.Label, labelW-3), "", 0, "R", false, 0, "")
		w := barW * float64(it.Count) / float64(top)
		if w < 0.6 {
			w = 0.6
		}
		r.fill(colAccent)
		d.RoundedRect(margin+labelW, yy+1, w, rowH-2, 0.8, "1234", "F")
		d.SetXY(margin+labelW+w+1.5, yy)
		r.font(8.5, colMuted)
		d.CellFormat(20, rowH, r.l.Number(it.Count), "", 0, "L", false, 0, "")
	}
	d.SetXY(margin, y+float64(len(items))*rowH+2)
}

// columns draws counts per month as columns, months without any included,
// the same chart as the HTML page's SVG.
func (r *pdfWriter) columns(months []liaison.CountBy) {
	if len(months) == 0 {
		return
	}
	const h = 32.0
	d := r.doc
	r.need(h + 16)
	top := 1
	for _, it := range months {
		top = max(top, it.Count)
	}
	colW := bodyW / float64(max(len(months), 12))
	x0, y0 := margin, d.GetY()+4
	d.SetDrawColor(colRule[0], colRule[1], colRule[2])
	d.Line(x0, y0+h, x0+colW*float64(len(months)), y0+h)
	for i, it := range months {
		x := x0 + float64(i)*colW
		if it.Count > 0 {
			bh := h * float64(it.Count) / float64(top)
			r.fill(colAccent)
			d.RoundedRect(x+colW*0.18, y0+h-bh, colW*0.64, bh, 0.6, "12", "F")
			r.font(7.5, colInk)
			d.SetXY(x, y0+h-bh-4)
			d.CellFormat(colW, 4, r.l.Number(it.Count), "", 0, "C", false, 0, "")
		}
		r.font(7.5, colMuted)
		d.SetXY(x, y0+h+0.5)
		d.CellFormat(colW, 4, it.Key[5:], "", 0, "C", false, 0, "")
		if i == 0 || it.Key[5:] == "01" {
			d.SetXY(x, y0+h+4)
			d.CellFormat(colW, 4, it.Key[:4], "", 0, "C", false, 0, "")
		}
	}
	d.SetXY(margin, y0+h+10)
}

// column of a table: its heading and share of the body width.
type column struct {
	title string
	share float64
}

// table writes rows under a heading row; a cell starting with "!" is
// drawn in the warning colour (without the mark).
func (r *pdfWriter) table(cols []column, rows [][]string) {
	d := r.doc
	r.need(lineH * 3)
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = bodyW * c.share
	}
	header := func() {
		r.font(8, colMuted)
		for i, c := range cols {
			d.CellFormat(widths[i], lineH, r.fit(c.title, widths[i]-1), "B", 0, "L", false, 0, "")
		}
		d.Ln(-1)
	}
	d.SetDrawColor(colRule[0], colRule[1], colRule[2])
	header()
	_, ph := d.GetPageSize()
	for _, row := range rows {
		if d.GetY()+lineH > ph-margin-6 {
			d.AddPage()
			header()
		}
		for i, cell := range row {
			c := colInk
			if strings.HasPrefix(cell, "!") {
				cell, c = cell[1:], colBad
			}
			r.font(9, c)
			d.CellFormat(widths[i], lineH+0.6, r.fit(cell, widths[i]-1.5), "", 0, "L", false, 0, "")
		}
		d.Ln(-1)
	}
	d.Ln(1)
}

func (r *pdfWriter) section(s *Section) {
	r.heading(s.Title)
	switch s.Kind {
	case KindComplaints:
		r.complaints(s.Complaints)
	case KindSLA:
		r.sla(s.SLA)
	case KindImprovements:
		r.improvements(s.Improvements)
	case KindActions:
		r.actions(s.Actions)
	case KindMeetings:
		r.meetings(s.Meetings)
	case KindSatisfaction:
		r.satisfaction(s.Satisfaction)
	case KindProjects:
		r.projects(s.Projects)
	}
}

func (r *pdfWriter) complaints(c *Complaints) {
	l := r.l
	r.figures(liaison.CountBy{Label: l.T("report.complaints.registered"), Count: c.Registered},
		liaison.CountBy{Label: l.T("report.complaints.complaints"), Count: c.Complaints},
		liaison.CountBy{Key: "bad", Label: l.T("report.complaints.open"), Count: c.Open},
		liaison.CountBy{Key: "bad", Label: l.T("report.complaints.serious"), Count: len(c.Serious)})
	if c.Registered == 0 {
		r.note(l.T("report.complaints.none"))
		return
	}
	r.sub(l.T("report.complaints.by_month"))
	r.columns(c.ByMonth)
	for _, b := range []struct {
		key   string
		items []liaison.CountBy
	}{{"report.complaints.by_status", c.ByStatus}, {"report.complaints.by_classification", c.ByClassification},
		{"report.complaints.by_service", c.ByService}} {
		if len(b.items) > 0 {
			r.sub(l.T(b.key))
			r.bars(b.items, 10)
		}
	}
	r.complaintList(l.T("report.complaints.serious_list"), c.Serious)
	r.complaintList(l.T("report.complaints.unresolved"), c.Unresolved)
}

func (r *pdfWriter) complaintList(title string, items []ComplaintItem) {
	r.sub(title)
	if len(items) == 0 {
		r.note(r.l.T("report.none_listed"))
		return
	}
	rows := make([][]string, len(items))
	for i, x := range items {
		sev := x.SeverityLabel
		if x.Severity == liaison.SeveritySerious {
			sev = "!" + sev
		}
		rows[i] = []string{x.Title, x.ServiceName, x.StatusLabel, sev, x.Received}
	}
	l := r.l
	r.table([]column{{l.T("report.col.title"), 0.38}, {l.T("report.col.service"), 0.2}, {l.T("report.col.status"), 0.15},
		{l.T("report.col.severity"), 0.12}, {l.T("report.col.received"), 0.15}}, rows)
}

func (r *pdfWriter) sla(s *SLA) {
	l := r.l
	r.figures(liaison.CountBy{Label: l.T("report.sla.results"), Count: s.Results},
		liaison.CountBy{Label: l.T("report.sla.met"), Count: s.Met},
		liaison.CountBy{Key: "bad", Label: l.T("report.sla.breached"), Count: s.Breached})
	if s.Results == 0 {
		r.note(l.T("report.sla.none"))
		return
	}
	r.sub(l.T("report.sla.by_service"))
	r.metBreached(s.ByService)
	r.sub(l.T("report.sla.breaches"))
	if len(s.Breaches) == 0 {
		r.note(l.T("report.none_listed"))
		return
	}
	rows := make([][]string, len(s.Breaches))
	for i, b := range s.Breaches {
		rows[i] = []string{b.ServiceName, b.Period, b.MetricLabel, b.TargetText, "!" + b.ActualText}
	}
	r.table([]column{{l.T("report.col.service"), 0.32}, {l.T("report.col.period"), 0.13}, {l.T("report.col.metric"), 0.23},
		{l.T("report.col.target"), 0.16}, {l.T("report.col.actual"), 0.16}}, rows)
}

// metBreached draws each service's results as a stacked bar: met in green,
// breached in red, the same chart as the HTML page.
func (r *pdfWriter) metBreached(services []SLAService) {
	const rowH, labelW, barW = 6.0, 52.0, 100.0
	d := r.doc
	top := 1
	for _, s := range services {
		top = max(top, s.Met+s.Breached)
	}
	for _, s := range services {
		r.need(rowH)
		y := d.GetY()
		r.font(8.5, colInk)
		d.SetXY(margin, y)
		d.CellFormat(labelW-2, rowH, r.fit(s.ServiceName, labelW-3), "", 0, "R", false, 0, "")
		met := barW * float64(s.Met) / float64(top)
		bad := barW * float64(s.Breached) / float64(top)
		if met > 0 {
			r.fill(colGood)
			d.Rect(margin+labelW, y+1, met, rowH-2, "F")
		}
		if bad > 0 {
			r.fill(colBad)
			d.Rect(margin+labelW+met, y+1, bad, rowH-2, "F")
		}
		d.SetXY(margin+labelW+met+bad+1.5, y)
		r.font(8.5, colMuted)
		d.CellFormat(40, rowH, r.l.T("report.sla.met_breached", r.l.Number(s.Met), r.l.Number(s.Breached)), "", 0, "L", false, 0, "")
		d.SetXY(margin, y+rowH)
	}
	d.Ln(2)
}

func (r *pdfWriter) improvements(im *Improvements) {
	l := r.l
	if len(im.Items) == 0 {
		r.note(l.T("report.improvements.none"))
		return
	}
	r.bars(im.ByStatus, 0)
	rows := make([][]string, len(im.Items))
	for i, x := range im.Items {
		rows[i] = []string{x.Title, x.StatusLabel, l.Date(x.UpdatedAt)}
	}
	r.table([]column{{l.T("report.col.title"), 0.6}, {l.T("report.col.status"), 0.2}, {l.T("report.col.updated"), 0.2}}, rows)
}

func (r *pdfWriter) actions(a *Actions) {
	l := r.l
	r.figures(liaison.CountBy{Label: l.T("report.actions.open"), Count: a.Open},
		liaison.CountBy{Key: "bad", Label: l.T("report.actions.overdue"), Count: a.Overdue})
	if len(a.Items) == 0 {
		r.note(l.T("report.actions.none"))
		return
	}
	rows := make([][]string, len(a.Items))
	for i, x := range a.Items {
		due := x.Due
		if x.Overdue {
			due = "!" + due + " · " + l.T("report.actions.overdue_mark")
		}
		rows[i] = []string{x.Title, x.OwnerName, due}
	}
	r.table([]column{{l.T("report.col.title"), 0.55}, {l.T("report.col.owner"), 0.22}, {l.T("report.col.due"), 0.23}}, rows)
}

func (r *pdfWriter) meetings(m *Meetings) {
	l := r.l
	if len(m.Items) == 0 {
		r.note(l.T("report.meetings.none"))
		return
	}
	r.bars(m.ByType, 0)
	rows := make([][]string, len(m.Items))
	for i, x := range m.Items {
		rows[i] = []string{x.Date, x.TypeLabel, x.Title}
	}
	r.table([]column{{l.T("report.col.date"), 0.2}, {l.T("report.col.type"), 0.25}, {l.T("report.col.title"), 0.55}}, rows)
}
