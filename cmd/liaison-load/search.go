package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

// addSearchScenarios adds the global search (SPEC §6: p99 ≤ 30 ms at L):
// search asks the API what a user types into the top bar, without the
// diacritics: half the time a person's full name, half the time the first
// three to five letters of an account's word (a prefix, which matches
// far more records); search-page is the same through the HTML results
// page. A database without accounts gets none.
func addSearchScenarios(ctx context.Context, srv *cli.Running, auth http.Header, all map[string]load.Scenario) error {
	accounts, err := srv.Store.AccountNames(ctx)
	if err != nil || len(accounts) == 0 {
		return err
	}
	people, _, err := srv.Store.FindPeople(ctx, liaison.PersonFilter{Limit: 500})
	if err != nil {
		return err
	}
	var queries []string
	for _, p := range people {
		queries = append(queries, liaison.SearchText(p.Name))
	}
	for _, a := range accounts {
		for _, w := range liaison.SearchTerms(a.Name) {
			if n := len(w); n >= 3 && isLetters(w) {
				queries = append(queries, w[:min(n, 3+len(queries)%3)])
				break
			}
		}
	}
	if len(queries) == 0 {
		return nil
	}
	pick := func() string { return url.QueryEscape(queries[rand.IntN(len(queries))]) }
	all["search"] = load.Scenario{Name: "GET /api/v1/search?q=", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/api/v1/search?limit=20&q=" + pick(), Header: auth}
	}}
	page := http.Header{"Authorization": auth["Authorization"], "Accept": {"text/html"}}
	all["search-page"] = load.Scenario{Name: "GET /search?q= (HTML)", Next: func(c, i int) load.Request {
		return load.Request{Method: "GET", URL: srv.URL + "/search?q=" + pick(), Header: page}
	}}
	return nil
}

// isLetters reports whether w is ASCII letters only, so that a prefix cut by bytes is a word.
func isLetters(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0
}
