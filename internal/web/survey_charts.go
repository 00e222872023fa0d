package web

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Survey result charts, in charts.go's style: inline SVG drawn on the
// server, coloured by CSS classes so that dark mode follows the theme.
// A suppressed group (an anonymous campaign's group under the anonymity
// threshold) is drawn as a labelled row without a bar or a number.

// openSurveyChart opens an SVG drawn at its natural width (never wider
// than its container), so that small charts keep readable text instead of
// growing to the width of the card.
func openSurveyChart(b *strings.Builder, id, title string, w, h int) {
	fmt.Fprintf(b, `<svg class="chart chart-fit" id="%s" role="img" aria-labelledby="%s-title" viewBox="0 0 %d %d" width="%d" preserveAspectRatio="xMinYMin meet">`,
		id, id, w, h, w)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, id, html.EscapeString(title))
}

// Score bars are narrower than charts.go's, so that two sit side by side.
const scoreLabelW, scoreBarW = 160, 200

// scoreLabel shortens a group's name to what scoreChart's label column holds.
// A wide (CJK) character counts twice.
func scoreLabel(l *i18n.Localizer, label string) string {
	const room = 21
	width, cut := 0, -1
	for i, r := range label {
		w := 1
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 || r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60) {
			w = 2
		}
		if width+w > room-1 && cut < 0 {
			cut = i
		}
		if width += w; width > room {
			return chartLabel(l, label[:cut]+"…")
		}
	}
	return chartLabel(l, label)
}

// scoreBar is one group's score: CSAT (0–100) or NPS (−100…100).
type scoreBar struct {
	Label      string
	Value      *float64
	Suppressed bool
	Text       string // the value as written after the bar
}

// scoreChart draws one horizontal bar per group on a scale from lo to hi
// (lo < 0 draws from a zero line, negative to the left).
func scoreChart(l *i18n.Localizer, id, title string, bars []scoreBar, lo, hi float64) template.HTML {
	if len(bars) == 0 {
		return noData(l)
	}
	const valueW = 64
	var b strings.Builder
	openSurveyChart(&b, id, title, scoreLabelW+scoreBarW+valueW, barRowH*len(bars)+22)
	scale := func(v float64) int { return scoreLabelW + int(float64(scoreBarW)*(v-lo)/(hi-lo)) }
	zero := scale(max(lo, 0))
	// The axis: its ends and zero.
	top, bottom := 2, barRowH*len(bars)+2
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="chart-axis"></line>`, zero, top, zero, bottom)
	for _, v := range []float64{lo, 0, hi} {
		if v < lo {
			continue
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-tick">%s</text>`, scale(v), bottom+14, l.Decimal(v, 0))
	}
	for i, s := range bars {
		y := i*barRowH + 2
		label := scoreLabel(l, s.Label)
		fmt.Fprintf(&b, `<g><text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, scoreLabelW-8, y+17, html.EscapeString(label))
		switch {
		case s.Suppressed:
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-muted">%s</text>`, scoreLabelW+6, y+17, html.EscapeString(l.T("campaign.results.suppressed_short")))
		case s.Value == nil:
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-muted">—</text>`, zero+6, y+17)
		default:
			x := scale(*s.Value)
			x0, w := zero, x-zero
			class := "chart-bar"
			if w < 0 {
				x0, w, class = x, -w, "chart-bar chart-bad"
			}
			w = max(w, 2)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" class="%s"><title>%s: %s</title></rect>`,
				x0, y+4, w, barRowH-8, class, html.EscapeString(label), html.EscapeString(s.Text))
			tx := max(x, zero) + 6
			if *s.Value < 0 {
				tx = zero + 6
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-value">%s</text>`, tx, y+17, html.EscapeString(s.Text))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// distributionChart draws the answers per value of a rating (1–5) or NPS
// (0–10) question as columns; NPS columns are coloured detractor,
// passive, promoter, ratings low (1–2) and high (4–5).
func distributionChart(l *i18n.Localizer, id, title string, dist map[string]int, lo, hi int, t liaison.QuestionType) template.HTML {
	total, top := 0, 1
	for v := lo; v <= hi; v++ {
		n := dist[strconv.Itoa(v)]
		total += n
		top = max(top, n)
	}
	if total == 0 {
		return noData(l)
	}
	const colW, h = 44, 110
	n := hi - lo + 1
	var b strings.Builder
	openSurveyChart(&b, id, title, n*colW+10, h+44)
	for i := 0; i < n; i++ {
		v := lo + i
		c := dist[strconv.Itoa(v)]
		bh := h * c / top
		x := i*colW + 5
		class := "chart-bar"
		switch {
		case t == liaison.QuestionNPS && v <= 6, t == liaison.QuestionRating && v <= 2:
			class += " chart-bad"
		case t == liaison.QuestionNPS && v <= 8, t == liaison.QuestionRating && v == 3:
			class += " chart-mid"
		default:
			class += " chart-good"
		}
		share := c * 100 / total
		if c > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" class="%s"><title>%d: %s (%d %%)</title></rect>`,
				x+5, h-bh+16, colW-10, max(bh, 2), class, v, l.Number(c), share)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-value">%s</text>`, x+colW/2, h-bh+12, l.Number(c))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label">%d</text>`, x+colW/2, h+32, v)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// choiceChart draws the answers per choice as horizontal bars in the
// survey's order, each with its count and share.
func choiceChart(l *i18n.Localizer, id, title string, items []liaison.CountBy) template.HTML {
	total, top := 0, 1
	for _, it := range items {
		total += it.Count
		top = max(top, it.Count)
	}
	if total == 0 {
		return noData(l)
	}
	var b strings.Builder
	openSurveyChart(&b, id, title, barLabelW+barW+90, barRowH*len(items)+4)
	for i, it := range items {
		y := i*barRowH + 2
		w := max(barW*it.Count/top, 2)
		label := chartLabel(l, it.Label)
		text := fmt.Sprintf("%s (%d %%)", l.Number(it.Count), it.Count*100/total)
		fmt.Fprintf(&b, `<g><text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, barLabelW-8, y+17, html.EscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" class="chart-bar"><title>%s: %s</title></rect>`,
			barLabelW, y+4, w, barRowH-8, html.EscapeString(it.Label), html.EscapeString(text))
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="chart-value">%s</text></g>`, barLabelW+w+6, y+17, html.EscapeString(text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// trendPoint is one campaign of the trend: nil scores are not shown (none
// answered, or suppressed).
type trendPoint struct {
	Label     string // the closing date
	Title     string
	CSAT, NPS *float64
	Current   bool
}

// trendChart draws CSAT and NPS per campaign as two lines on one scale
// from −100 to 100, with a legend; the campaign on show is marked.
func trendChart(l *i18n.Localizer, id, title string, points []trendPoint) template.HTML {
	if len(points) == 0 {
		return noData(l)
	}
	const left, colW, top, h = 44, 110, 26, 160
	w := left + colW*len(points) + 10
	var b strings.Builder
	openSurveyChart(&b, id, title, max(w, 360), top+h+44)
	y := func(v float64) float64 { return float64(top) + float64(h)*(100-v)/200 }
	for _, v := range []float64{-100, -50, 0, 50, 100} {
		class := "chart-grid"
		if v == 0 {
			class = "chart-axis"
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="%s"></line>`, left, y(v), w-10, y(v), class)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" class="chart-tick">%s</text>`, left-6, y(v)+4, l.Decimal(v, 0))
	}
	// The legend.
	fmt.Fprintf(&b, `<g><rect x="%d" y="6" width="12" height="4" class="chart-line-csat-key"></rect><text x="%d" y="12" class="chart-label">%s</text>`,
		left, left+16, html.EscapeString(l.T("campaign.results.csat")))
	fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="4" class="chart-line-nps-key"></rect><text x="%d" y="12" class="chart-label">%s</text></g>`,
		left+110, left+126, html.EscapeString(l.T("campaign.results.nps")))
	x := func(i int) int { return left + colW*i + colW/2 }
	for i, p := range points {
		if p.Current {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-current"></rect>`, x(i)-colW/2+4, top, colW-8, h)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-label"><title>%s</title>%s</text>`,
			x(i), top+h+18, html.EscapeString(p.Title), html.EscapeString(p.Label))
		if r := []rune(p.Title); len(r) > 16 {
			p.Title = string(r[:15]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" class="chart-tick">%s</text>`, x(i), top+h+34, html.EscapeString(p.Title))
	}
	line := func(get func(trendPoint) *float64, class string, format func(float64) string) {
		var path []string
		for i, p := range points {
			v := get(p)
			if v == nil {
				if len(path) > 1 {
					fmt.Fprintf(&b, `<polyline points="%s" class="%s"></polyline>`, strings.Join(path, " "), class)
				}
				path = nil
				continue
			}
			path = append(path, fmt.Sprintf("%d,%.1f", x(i), y(*v)))
		}
		if len(path) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" class="%s"></polyline>`, strings.Join(path, " "), class)
		}
		for i, p := range points {
			if v := get(p); v != nil {
				fmt.Fprintf(&b, `<circle cx="%d" cy="%.1f" r="4" class="%s-dot"><title>%s: %s</title></circle>`, x(i), y(*v), class, html.EscapeString(p.Title), format(*v))
				fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="middle" class="chart-value">%s</text>`, x(i), y(*v)-8, format(*v))
			}
		}
	}
	line(func(p trendPoint) *float64 { return p.CSAT }, "chart-line-csat", func(v float64) string { return l.Decimal(v, 0) + " %" })
	line(func(p trendPoint) *float64 { return p.NPS }, "chart-line-nps", func(v float64) string {
		s := l.Decimal(v, 0)
		if v >= 0.5 {
			s = "+" + s
		}
		return s
	})
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
