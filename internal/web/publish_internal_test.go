package web

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// TestCampaignPublishPartial renders the campaign page's publish control
// for each status, published or not, with and without write access.
func TestCampaignPublishPartial(t *testing.T) {
	e := newEngine()
	at := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		c         liaison.Campaign
		write     bool
		want, not []string
	}{
		{"open", liaison.Campaign{ID: "c1", Status: liaison.CampaignOpen, Version: 3}, true,
			[]string{`id="campaign-publish"`}, []string{`action="/campaigns/c1/publish"`, `id="published-link"`}},
		{"closed", liaison.Campaign{ID: "c1", Status: liaison.CampaignClosed, Version: 4}, true,
			[]string{`action="/campaigns/c1/publish"`, `name="version" value="4"`}, []string{`id="published-link"`, "/unpublish"}},
		{"closed, read only", liaison.Campaign{ID: "c1", Status: liaison.CampaignClosed, Version: 4}, false,
			nil, []string{`action="/campaigns/c1/publish"`}},
		{"published", liaison.Campaign{ID: "c1", Status: liaison.CampaignClosed, Version: 5, PublishedAt: &at}, true,
			[]string{`action="/campaigns/c1/unpublish"`, `name="version" value="5"`, `href="/campaigns/c1/published"`, `/campaigns/c1/published.pdf?lang=`, `id="published-badge"`},
			[]string{`action="/campaigns/c1/publish"`}},
	} {
		for _, lang := range liaison.Languages {
			var b bytes.Buffer
			c := tc.c
			if err := e.sets["campaign_published"].ExecuteTemplate(&b, "campaign-publish", map[string]any{"L": i18n.For(lang), "C": &c, "Write": tc.write}); err != nil {
				t.Fatalf("%s %s: %v", tc.name, lang, err)
			}
			out := b.String()
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s: lacks %s:\n%s", tc.name, lang, w, out)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("%s %s: has %s", tc.name, lang, w)
				}
			}
			if strings.Contains(out, "publish.") || strings.Contains(out, "%!") {
				t.Errorf("%s %s: untranslated:\n%s", tc.name, lang, out)
			}
		}
	}
}
