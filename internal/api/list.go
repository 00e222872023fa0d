package api

import (
	"context"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// PageParams page through a list.
type PageParams struct {
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"500" doc:"Items per page: 1 to 500 (more answers 422)."`
	Cursor string `query:"cursor" maxLength:"1000" doc:"next_cursor of the previous page, unchanged."`
}

// ListParams page, search and order a list.
type ListParams struct {
	PageParams
	Q    string `query:"q" maxLength:"200" doc:"Words that must each begin a word of the record's text; case and diacritics do not matter (malmo finds Malmö)."`
	Sort string `query:"sort" enum:"name,-name,created_at,-created_at,updated_at,-updated_at" doc:"Order; - for descending. Default name."`
}

// Page is one page of a list. NextCursor is "" on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor" doc:"Pass as cursor for the next page; empty on the last page."`
}

// listed is the answer to a list.
type listed[T any] struct {
	Body Page[T]
}

func page[T any](items []T, next string) *listed[T] {
	if items == nil {
		items = []T{}
	}
	return &listed[T]{Body: Page[T]{Items: items, NextCursor: next}}
}

// pageInMemory pages a short list the store returns whole (segments): it
// filters by q, orders, and cuts at an offset cursor.
func pageInMemory[T any](all []T, lp ListParams, name func(T) string, created, updated func(T) time.Time) (*listed[T], error) {
	terms := liaison.SearchTerms(lp.Q)
	var items []T
	for _, v := range all {
		if matchTerms(terms, name(v)) {
			items = append(items, v)
		}
	}
	key, desc := strings.CutPrefix(lp.Sort, "-")
	less := func(a, b T) bool { return strings.ToLower(name(a)) < strings.ToLower(name(b)) }
	switch key {
	case "created_at":
		less = func(a, b T) bool { return created(a).Before(created(b)) }
	case "updated_at":
		less = func(a, b T) bool { return updated(a).Before(updated(b)) }
	}
	sort.SliceStable(items, func(i, j int) bool {
		if desc {
			return less(items[j], items[i])
		}
		return less(items[i], items[j])
	})
	off := 0
	if lp.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(lp.Cursor)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "o:"))
		if err != nil || err2 != nil || n < 0 || !strings.HasPrefix(string(b), "o:") {
			return nil, badRequest("invalid cursor: pass next_cursor from the previous page unchanged")
		}
		off = min(n, len(items))
	}
	limit := lp.Limit
	if limit <= 0 {
		limit = 50
	}
	end := min(off+limit, len(items))
	next := ""
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end)))
	}
	return page(items[off:end], next), nil
}

// matchTerms reports whether every term begins a word of text.
func matchTerms(terms []string, text string) bool {
	if len(terms) == 0 {
		return true
	}
	words := liaison.SearchTerms(text)
	for _, t := range terms {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// boolParam reads an optional "true"/"false" filter.
func boolParam(s string) *bool {
	switch s {
	case "true":
		return liaison.Ptr(true)
	case "false":
		return liaison.Ptr(false)
	}
	return nil
}

// historyInput pages a record's audit trail.
type historyInput struct {
	ID     string `path:"id"`
	Cursor string `query:"cursor" maxLength:"1000" doc:"next_cursor of the previous page, unchanged."`
}

// idInput names a record.
type idInput struct {
	ID string `path:"id"`
}

// deleteInput names a record and the version the caller read.
type deleteInput struct {
	ID      string `path:"id"`
	IfMatch string `header:"If-Match" doc:"The ETag you read; * for any version. Required."`
}

// one is the answer to a read or update: the resource and its ETag.
type one[T any] struct {
	ETag string `header:"ETag"`
	Body *T
}

// history lists a record's audit entries, newest first, 50 a page.
func (api *API) history(subjectType string) func(ctx context.Context, in *historyInput) (*listed[*liaison.AuditEntry], error) {
	return func(ctx context.Context, in *historyInput) (*listed[*liaison.AuditEntry], error) {
		items, next, err := api.app.Audit(ctx, subjectType, in.ID, in.Cursor)
		if err != nil {
			return nil, err
		}
		for _, e := range items {
			e.At = e.At.UTC()
		}
		return page(items, next), nil
	}
}
