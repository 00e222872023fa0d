package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// TestReportPackForm renders the meeting page's form in every language: it
// posts to the handler that stores the pack, with the fields it reads.
func TestReportPackForm(t *testing.T) {
	e := newEngine()
	for _, lang := range liaison.Languages {
		var b bytes.Buffer
		err := e.sets["report"].ExecuteTemplate(&b, "report-pack-form", map[string]any{"L": i18n.For(lang), "MeetingID": "m1", "From": "2026-01-01", "To": ""})
		if err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, want := range []string{`action="/meetings/m1/report-pack"`, `name="from"`, `value="2026-01-01"`, `name="to"`, `name="language"`,
			`<option value="` + string(lang) + `" lang="` + string(lang) + `" selected>`, i18n.For(lang).T("report.store")} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the form lacks %s:\n%s", lang, want, out)
			}
		}
	}
}
