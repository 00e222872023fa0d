package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Charts drawn as inline SVG on the server: no script, no CDN, and they
// print. The complaint analysis page and the report pack use them; the
// report's PDF draws the same charts as vector graphics (internal/report).

func noData(l *i18n.Localizer) template.HTML {
	return template.HTML(`<p class="muted">` + html.EscapeString(l.T("complaint.analysis.no_data")) + `</p>`)
}

// chartLabel shortens a bar's label to what the label column holds.
func chartLabel(l *i18n.Localizer, label string) string {
	if label == "" {
		label = l.T("complaint.analysis.none")
	}
	if r := []rune(label); len(r) > 26 {
		label = string(r[:25]) + "…"
	}
	return label
}

// Bar geometry, shared by barChart and stackedChart.
const barRowH, barLabelW, barW = 26, 190, 260

func openChart(b *strings.Builder, id, title string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart" id="%s" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet">`,
		id, id, w, h)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, id, html.EscapeString(title))
}

// barChart draws a breakdown as horizontal bars in inline SVG, the largest
// first (at most limit bars, 0 for all), each labelled and counted.
func barChart(l *i18n.Localizer, id, title string, items []liaison.CountBy, limit int) template.HTML {
	if len(items) == 0 {
		return noData(l)
	}
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	top := 1
	for _, it := range items {
		top = max(top, it.Count)
	}
	var b strings.Builder
	openChart(&b, id, title, barLabelW+barW+50, barRowH*len(items)+4)
	for i, it := range items {
		y := i*barRowH + 2
		w := max(barW*it.Count/top, 2)
		label := chartLabel(l, it.Label)
		fmt.Fprintf(&b, `<g><text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, barLabelW-8, y+17, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" class="chart-bar"><title>%s: %d</title></rect>`,
			barLabelW, y+4, w, barRowH-8, html.EscapeString(label), it.Count)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-value">%s</text></g>`, barLabelW+w+6, y+17, html.EscapeString(l.Number(it.Count)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// stackedBar is one bar of two parts: good (e.g. SLA met) and bad (breached).
type stackedBar struct {
	Label     string
	Good, Bad int
	Text      string // written after the bar
}

// stackedChart draws bars of two parts, good then bad, on barChart's geometry.
func stackedChart(l *i18n.Localizer, id, title string, bars []stackedBar) template.HTML {
	if len(bars) == 0 {
		return noData(l)
	}
	top := 1
	for _, s := range bars {
		top = max(top, s.Good+s.Bad)
	}
	var b strings.Builder
	openChart(&b, id, title, barLabelW+barW+170, barRowH*len(bars)+4)
	for i, s := range bars {
		y := i*barRowH + 2
		label := chartLabel(l, s.Label)
		good, bad := barW*s.Good/top, barW*s.Bad/top
		fmt.Fprintf(&b, `<g><text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, barLabelW-8, y+17, html.EscapeString(label))
		if good > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-bar chart-good"></rect>`, barLabelW, y+4, good, barRowH-8)
		}
		if bad > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-bar chart-bad"></rect>`, barLabelW+good, y+4, bad, barRowH-8)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-value">%s</text></g>`, barLabelW+good+bad+6, y+17, html.EscapeString(s.Text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// columnChart draws counts per month (keys YYYY-MM, every month present)
// as columns, the year under January and the first month.
func columnChart(l *i18n.Localizer, id, title string, months []liaison.CountBy) template.HTML {
	cols := make([]column, len(months))
	for i, it := range months {
		cols[i] = column{Key: it.Key, Title: it.Label, Value: float64(it.Count), Text: l.Number(it.Count)}
	}
	return columns(l, id, title, cols)
}

// column is one month's column: Key is YYYY-MM; a nil-like empty Text
// draws no column (no value that month); Href makes it a link.
type column struct {
	Key, Title string
	Value      float64
	Text       string
	Href       string
}

// columns draws one column per month, scaled to the largest value.
func columns(l *i18n.Localizer, id, title string, cols []column) template.HTML {
	if len(cols) == 0 {
		return noData(l)
	}
	top := 0.0
	for _, c := range cols {
		top = max(top, c.Value)
	}
	if top <= 0 {
		top = 1
	}
	const colW, h = 34, 120
	var b strings.Builder
	openChart(&b, id, title, max(len(cols), 12)*colW+10, h+56)
	for i, c := range cols {
		bh := int(float64(h) * c.Value / top)
		x := i*colW + 5
		if c.Href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, html.EscapeString(c.Href))
		}
		if c.Value > 0 && c.Text != "" {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" class="chart-bar"><title>%s: %s</title></rect>`,
				x+5, h-bh+16, colW-10, bh, html.EscapeString(c.Title), html.EscapeString(c.Text))
		}
		if c.Text != "" {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-value">%s</text>`, x+colW/2, h-bh+12, html.EscapeString(c.Text))
		}
		if c.Href != "" {
			b.WriteString(`</a>`)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label">%s</text>`, x+colW/2, h+32, c.Key[5:])
		if i == 0 || c.Key[5:] == "01" {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label">%s</text>`, x+colW/2, h+48, c.Key[:4])
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
