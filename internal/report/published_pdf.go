package report

import (
	"bytes"
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"github.com/liaisonhq/liaison/internal/i18n"
)

// PublishedPDF writes a campaign's published results as PDF in l's
// language (the page's content: figures, distributions as bars, the trend
// as a chart and a table).
func PublishedPDF(p *Published, l *i18n.Localizer) ([]byte, error) {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCreationDate(p.GeneratedAt)
	doc.SetModificationDate(p.GeneratedAt)
	title := l.T("publish.title", p.Title)
	doc.SetTitle(title, true)
	doc.SetLang(p.Language)
	doc.SetCreator("Liaison", true)
	doc.AddUTF8FontFromBytes(fontName, "", font)
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(true, margin)
	doc.AliasNbPages("{nb}")
	r := &pdfWriter{doc: doc, l: l}
	who := p.AccountName
	if who == "" {
		who = l.T("publish.all_accounts")
	}
	doc.SetFooterFunc(func() {
		doc.SetY(-11)
		r.font(8, colMuted)
		doc.CellFormat(bodyW/2, 5, r.fit(p.Title+" · "+who, bodyW/2), "", 0, "L", false, 0, "")
		doc.CellFormat(bodyW/2, 5, l.T("report.pdf.page", doc.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	})
	doc.AddPage()
	r.font(9, colAccent)
	doc.CellFormat(bodyW, 5, l.T("publish.kicker"), "", 1, "L", false, 0, "")
	r.font(20, colInk)
	doc.MultiCell(bodyW, 9, title, "", "L", false)
	r.font(11, colMuted)
	doc.CellFormat(bodyW, 6, who, "", 1, "L", false, 0, "")
	doc.CellFormat(bodyW, 6, l.T("publish.closed_on", l.DateString(p.ClosesOn)), "", 1, "L", false, 0, "")
	doc.Ln(2)
	r.publishedBody(p)
	if err := doc.Error(); err != nil {
		return nil, fmt.Errorf("published pdf: %w", err)
	}
	var b bytes.Buffer
	if err := doc.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (r *pdfWriter) publishedBody(p *Published) {
	l := r.l
	r.heading(l.T("publish.summary"))
	if p.Suppressed {
		r.note(l.T("publish.suppressed"))
	} else {
		r.textFigures([][2]string{
			{Percent(l, p.ResponseRate), l.T("publish.response_rate")},
			{l.Number(p.Responses) + " / " + l.Number(p.Recipients), l.T("publish.responses")},
			{Percent(l, p.CSAT), l.T("publish.csat")},
			{Score(l, p.NPS), l.T("publish.nps")},
		})
		r.note(l.T("publish.explain"))
		for _, q := range p.Questions {
			r.sub(q.Text)
			mean := ""
			if q.Mean != nil {
				mean = " · " + l.T("publish.mean", l.Decimal(*q.Mean, 1))
			}
			r.font(8.5, colMuted)
			r.doc.CellFormat(bodyW, 5, l.N("publish.answers", q.Answers)+mean, "", 1, "L", false, 0, "")
			r.bars(q.Distribution, 0)
		}
	}
	r.trend(p.Trend)
}

// textFigures writes a row of key figures already written as text.
func (r *pdfWriter) textFigures(items [][2]string) {
	d := r.doc
	r.need(16)
	w := bodyW / float64(len(items))
	x0, y0 := d.GetX(), d.GetY()
	for i, it := range items {
		x := x0 + float64(i)*w
		d.SetXY(x, y0)
		r.font(16, colInk)
		d.CellFormat(w, 8, it[0], "", 2, "L", false, 0, "")
		d.SetX(x)
		r.font(8.5, colMuted)
		d.CellFormat(w-2, 4.5, r.fit(it[1], w-2), "", 0, "L", false, 0, "")
	}
	d.SetXY(x0, y0+15)
}

// trend draws CSAT and NPS per campaign as two lines on −100…100 and
// lists the campaigns' figures.
func (r *pdfWriter) trend(items []TrendItem) {
	r.heading(r.l.T("publish.trend"))
	r.trendBody(items)
}

func (r *pdfWriter) trendBody(items []TrendItem) {
	l := r.l
	if len(items) == 0 {
		r.note(l.T("publish.trend_none"))
		return
	}
	if len(items) > 1 {
		r.trendChart(items)
	}
	rows := make([][]string, len(items))
	suppressed := false
	for i, t := range items {
		if t.Suppressed {
			rows[i] = []string{t.Title + " *", l.DateString(t.ClosesOn), "–", "–", "–", "–"}
			suppressed = true
			continue
		}
		rows[i] = []string{t.Title, l.DateString(t.ClosesOn), l.Number(t.Responses), Percent(l, t.ResponseRate), Percent(l, t.CSAT), Score(l, t.NPS)}
	}
	r.table([]column{{l.T("publish.campaign"), 0.34}, {l.T("publish.closes"), 0.16}, {l.T("publish.responses"), 0.14},
		{l.T("publish.response_rate"), 0.14}, {l.T("publish.csat"), 0.11}, {l.T("publish.nps"), 0.11}}, rows)
	if suppressed {
		r.note("* " + l.T("publish.suppressed_short"))
	}
}

func (r *pdfWriter) trendChart(items []TrendItem) {
	const h, labelW = 44.0, 10.0
	d := r.doc
	r.need(h + 16)
	x0, y0 := margin+labelW, d.GetY()+3
	w := bodyW - labelW
	y := func(v float64) float64 { return y0 + h*(100-v)/200 }
	d.SetLineWidth(0.2)
	for _, v := range []float64{-100, -50, 0, 50, 100} {
		d.SetDrawColor(colRule[0], colRule[1], colRule[2])
		d.Line(x0, y(v), x0+w, y(v))
		r.font(7, colMuted)
		d.SetXY(margin, y(v)-2)
		d.CellFormat(labelW-1.5, 4, r.l.Decimal(v, 0), "", 0, "R", false, 0, "")
	}
	step := w / float64(len(items))
	x := func(i int) float64 { return x0 + step*(float64(i)+0.5) }
	series := []struct {
		col [3]int
		get func(TrendItem) *float64
		key string
	}{
		{colAccent, func(t TrendItem) *float64 { return t.CSAT }, "publish.csat"},
		{colGood, func(t TrendItem) *float64 { return t.NPS }, "publish.nps"},
	}
	for _, s := range series {
		d.SetDrawColor(s.col[0], s.col[1], s.col[2])
		d.SetLineWidth(0.6)
		prev := -1
		for i, t := range items {
			v := s.get(t)
			if t.Suppressed || v == nil {
				prev = -1
				continue
			}
			if prev >= 0 {
				d.Line(x(prev), y(*s.get(items[prev])), x(i), y(*v))
			}
			r.fill(s.col)
			d.Circle(x(i), y(*v), 0.9, "F")
			prev = i
		}
	}
	d.SetLineWidth(0.2)
	r.font(7, colMuted)
	for i, t := range items {
		d.SetXY(x(i)-step/2, y0+h+1)
		d.CellFormat(step, 4, r.fit(t.Title, step-1), "", 0, "C", false, 0, "")
	}
	ly := y0 + h + 6
	lx := x0
	for _, s := range series {
		r.fill(s.col)
		d.Rect(lx, ly+1, 3, 2, "F")
		r.font(7.5, colInk)
		d.SetXY(lx+4, ly)
		d.CellFormat(30, 4, r.l.T(s.key), "", 0, "L", false, 0, "")
		lx += 34
	}
	d.SetXY(margin, ly+7)
}
