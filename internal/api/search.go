package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// SearchResult is one record the search found.
type SearchResult struct {
	Kind             liaison.SearchKind `json:"kind" enum:"organisation,person,agreement,complaint,meeting,minutes,improvement,watch"`
	ID               string             `json:"id"`
	Title            string             `json:"title"`
	Excerpt          string             `json:"excerpt" doc:"About 160 characters of the record's text around the first word the query matched."`
	OrganisationID   string             `json:"organisation_id,omitempty" doc:"The unit (or account) the record belongs to."`
	OrganisationName string             `json:"organisation_name,omitempty"`
	Link             string             `json:"link" doc:"The record in the API."`
	WebLink          string             `json:"web_link" doc:"The record's page in the web UI."`
	UpdatedAt        time.Time          `json:"updated_at"`
}

type searchInput struct {
	PageParams
	Q    string             `query:"q" maxLength:"200" doc:"Words that must each match a word of the record, the last one as its start; case and diacritics do not matter (jyvaskyla finds Jyväskylä) and each Chinese character is a word."`
	Kind liaison.SearchKind `query:"kind" enum:"organisation,person,agreement,complaint,meeting,minutes,improvement,watch" doc:"Only records of this kind."`
}

// apiPaths are the API collections of the kinds: minutes are a meeting's.
var apiPaths = map[liaison.SearchKind]string{
	liaison.SearchOrganisation: "/organisations/", liaison.SearchPerson: "/people/", liaison.SearchAgreement: "/agreements/",
	liaison.SearchComplaint: "/complaints/", liaison.SearchMeeting: "/meetings/", liaison.SearchMinutes: "/meetings/",
	liaison.SearchImprovement: "/improvements/", liaison.SearchWatch: "/watch/",
}

func (api *API) registerSearch() {
	register(api, huma.Operation{OperationID: "search", Method: http.MethodGet, Path: "/search", Tags: []string{"search"},
		Summary: "Search every kind of record",
		Description: "Accounts and other organisation units, people, agreements, complaints, meetings, meeting minutes, improvements " +
			"and technology watch notes, best match first (a word of the title counts more than one of the text). Records in the " +
			"trash are not found. Every internal user; never a customer-scoped token. The cursor is the offset of the next page."},
		liaison.AccessRead, func(ctx context.Context, in *searchInput) (*listed[SearchResult], error) {
			hits, next, err := api.app.Search(ctx, liaison.SearchQuery{Q: in.Q, Kind: in.Kind, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			out := make([]SearchResult, len(hits))
			for i, h := range hits {
				var excerpt string
				for _, f := range liaison.SearchExcerpt(h.Text, in.Q, 160) {
					excerpt += f.Text
				}
				out[i] = SearchResult{Kind: h.Kind, ID: h.ID, Title: h.Title, Excerpt: excerpt, OrganisationID: h.OrganisationID,
					OrganisationName: h.OrganisationName, Link: BasePath + apiPaths[h.Kind] + h.ID, WebLink: h.Kind.Path(h.ID),
					UpdatedAt: h.UpdatedAt}
			}
			return page(out, next), nil
		})
}
