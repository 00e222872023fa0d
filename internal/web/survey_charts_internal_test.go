package web

import (
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

func TestScoreLabel(t *testing.T) {
	l := i18n.For(liaison.English)
	for in, want := range map[string]string{
		"Primärvård":             "Primärvård",
		"Gymnasieskolan Polaris": "Gymnasieskolan Polar…",
		"北极光（苏州）信息技术有限公司":            "北极光（苏州）信息技…",
		"Stiftelsen Norrskensmuseet": "Stiftelsen Norrskens…",
	} {
		if got := scoreLabel(l, in); got != want {
			t.Errorf("scoreLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// A suppressed group is a row without a bar or a number.
func TestScoreChartSuppressed(t *testing.T) {
	l := i18n.For(liaison.English)
	v := 80.0
	svg := string(scoreChart(l, "c", "CSAT", []scoreBar{{Label: "Shown", Value: &v, Text: "80 %"}, {Label: "Hidden", Suppressed: true, Text: "99 %"}}, 0, 100))
	if strings.Count(svg, "<rect") != 1 || strings.Contains(svg, "99 %") || !strings.Contains(svg, "Hidden (too few responses)") {
		t.Errorf("suppressed row drawn: %s", svg)
	}
	neg := -40.0
	svg = string(scoreChart(l, "n", "NPS", []scoreBar{{Label: "Low", Value: &neg, Text: "-40"}}, -100, 100))
	if !strings.Contains(svg, `class="chart-bar chart-bad"`) {
		t.Errorf("a negative NPS is not drawn left of zero: %s", svg)
	}
}
