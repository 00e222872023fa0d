package web

import (
	"net/http"
	"net/url"

	"github.com/liaisonhq/liaison"
)

// The global search (docs/search.md): the box in the top bar ("/" focuses
// it) leads here. Without a kind the first page is grouped by kind; a kind
// tab lists that kind alone, page by page. Matched words are marked in
// titles and excerpts as the index matched them (diacritics folded).

type searchHit struct {
	*liaison.SearchHit
	Title   []liaison.SearchFragment
	Excerpt []liaison.SearchFragment
	Link    string
}

type searchGroup struct {
	Kind  liaison.SearchKind
	Label string
	Icon  string
	Hits  []searchHit
}

type searchTab struct {
	URL, Label string
	Current    bool
}

type searchPage struct {
	Page
	Q       string
	Kind    liaison.SearchKind
	Tabs    []searchTab
	Groups  []searchGroup
	Found   int
	NextURL string
}

// searchIcons are the icons of the kinds.
var searchIcons = map[liaison.SearchKind]string{
	liaison.SearchOrganisation: "building", liaison.SearchPerson: "user", liaison.SearchAgreement: "file",
	liaison.SearchComplaint: "message", liaison.SearchMeeting: "calendar", liaison.SearchMinutes: "edit",
	liaison.SearchImprovement: "bulb", liaison.SearchWatch: "radar",
}

func (h *Handler) showSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in := r.URL.Query()
	q := in.Get("q")
	p := h.page(w, r, "", "")
	p.Title = p.L.T("search.title")
	p.Search = q
	data := &searchPage{Page: p, Q: q, Kind: liaison.SearchKind(in.Get("kind"))}
	if !data.Kind.Valid() {
		data.Kind = ""
	}
	link := func(kind liaison.SearchKind, cursor string) string {
		v := url.Values{"q": {q}}
		if kind != "" {
			v.Set("kind", string(kind))
		}
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		return "/search?" + v.Encode()
	}
	data.Tabs = append(data.Tabs, searchTab{link("", ""), p.L.T("search.kind.all"), data.Kind == ""})
	for _, k := range liaison.SearchKinds {
		data.Tabs = append(data.Tabs, searchTab{link(k, ""), p.L.T("search.kind." + string(k)), data.Kind == k})
	}
	if len(liaison.SearchTerms(q)) > 0 {
		hits, next, err := h.app.Search(ctx, liaison.SearchQuery{Q: q, Kind: data.Kind, Cursor: in.Get("cursor"), Limit: 50})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Found = len(hits)
		if next != "" {
			data.NextURL = link(data.Kind, next)
		}
		groups := map[liaison.SearchKind]*searchGroup{}
		for _, k := range liaison.SearchKinds {
			groups[k] = &searchGroup{Kind: k, Label: p.L.T("search.kind." + string(k)), Icon: searchIcons[k]}
		}
		for _, hit := range hits {
			g := groups[hit.Kind]
			g.Hits = append(g.Hits, searchHit{SearchHit: hit, Link: hit.Kind.Path(hit.ID),
				Title: liaison.SearchExcerpt(hit.Title, q, 200), Excerpt: liaison.SearchExcerpt(hit.Text, q, 160)})
		}
		for _, k := range liaison.SearchKinds {
			if len(groups[k].Hits) > 0 {
				data.Groups = append(data.Groups, *groups[k])
			}
		}
	}
	h.render(w, r, http.StatusOK, "search", data)
}
