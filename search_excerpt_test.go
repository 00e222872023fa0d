package liaison

import (
	"strings"
	"testing"
)

func TestSearchExcerpt(t *testing.T) {
	marked := func(fs []SearchFragment) string {
		var b strings.Builder
		for _, f := range fs {
			if f.Match {
				b.WriteString("[" + f.Text + "]")
			} else {
				b.WriteString(f.Text)
			}
		}
		return b.String()
	}
	for _, tc := range []struct {
		text, q string
		width   int
		want    string
	}{
		{"Kontoret i Jyväskylä flyttar", "jyvaskyla", 80, "Kontoret i [Jyväskylä] flyttar"},
		{"Möte i Malmö och Malmberget", "malm", 80, "Möte i [Malmö] och [Malmberget]"},
		{"客户服务中心在北京", "服务", 80, "客户[服务]中心在北京"},
		{"nothing here", "zebra", 80, "nothing here"},
		{"", "x", 80, ""},
		{"line one\n\n  line two", "two", 80, "line one line [two]"},
		{strings.Repeat("word ", 40) + "target end", "target", 20, "…word [target] end"},
		{strings.Repeat("alpha ", 40), "alpha", 10, "[alpha] [alpha]…"},
	} {
		if got := marked(SearchExcerpt(tc.text, tc.q, tc.width)); got != tc.want {
			t.Errorf("SearchExcerpt(%q, %q) = %q, want %q", tc.text, tc.q, got, tc.want)
		}
	}
}

func TestSearchQueryValidate(t *testing.T) {
	for _, tc := range []struct {
		q  SearchQuery
		ok bool
	}{
		{SearchQuery{Q: "malmö"}, true},
		{SearchQuery{Q: "x", Kind: SearchPerson}, true},
		{SearchQuery{Q: "x", Kind: "user"}, false},
		{SearchQuery{Q: strings.Repeat("a", MaxSearchQuery+1)}, false},
	} {
		if err := tc.q.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: err %v, want ok %v", tc.q, err, tc.ok)
		}
	}
	for _, k := range SearchKinds {
		if k.Path("x") == "" {
			t.Errorf("kind %s has no page", k)
		}
	}
}
