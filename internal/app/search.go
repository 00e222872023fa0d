package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Search (docs/search.md) finds records of every searchable kind by their
// words. Every internal user reads all of them, so every internal user
// searches all of them; a customer-scoped principal never searches, since
// the index holds internal records of every account.

// Search returns the records matching q, best first, and the next page's cursor.
func (a *App) Search(ctx context.Context, q liaison.SearchQuery) ([]*liaison.SearchHit, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.Search(ctx, q)
}
