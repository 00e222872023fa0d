package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
)

// The global search (docs/search.md). search_entries holds one row per
// live searchable record: its title and text as written (for the results
// and their excerpts) and both folded by liaison.SearchText, which the
// engines index: FTS5 on SQLite, a tsvector in the 'simple' configuration
// on PostgreSQL (migrations 0025). The store writes the row in the
// transaction of every audited write of the record (audit calls reindex),
// so the index commits or fails with the change; bulk loads and Migrate
// rebuild it whole (rebuildSearch).

// searchIndexTable reports whether table belongs to the search index:
// derived from the records, so backups leave it out and a restore builds
// it again (search_fts and its shadow tables are SQLite's FTS5).
func searchIndexTable(table string) bool {
	return table == "search_entries" || strings.HasPrefix(table, "search_fts")
}

// searchSource reads the records of one kind in the shape scanSearchSource
// takes: id, unit, title, four texts, updated_at, trashed.
type searchSource struct {
	kind  liaison.SearchKind
	table string
	query string // ends in a FROM clause whose table is x
}

var searchSources = []searchSource{
	{liaison.SearchOrganisation, "organisations", `SELECT x.id, x.id, x.name, x.description, x.external_id, '', '',
		x.updated_at, x.deleted_at IS NOT NULL FROM organisations x`},
	{liaison.SearchPerson, "people", `SELECT x.id, x.organisation_id, x.name, x.title, x.email, x.phone, x.notes,
		x.updated_at, x.deleted_at IS NOT NULL FROM people x`},
	{liaison.SearchAgreement, "agreements", `SELECT x.id, x.organisation_id, x.title, x.notes, x.business_value, x.external_id, '',
		x.updated_at, x.deleted_at IS NOT NULL FROM agreements x`},
	{liaison.SearchComplaint, "complaints", `SELECT x.id, x.organisation_id, x.title, x.description, x.category, x.root_cause,
		x.external_ticket, x.updated_at, x.deleted_at IS NOT NULL FROM complaints x`},
	{liaison.SearchMeeting, "meetings", `SELECT x.id, x.organisation_id, x.title, x.location, x.agenda, '', '',
		x.updated_at, x.deleted_at IS NOT NULL FROM meetings x`},
	// Minutes are found on their own: a meeting without minutes has none.
	{liaison.SearchMinutes, "meetings", `SELECT x.id, x.organisation_id, x.title, x.minutes, '', '', '',
		x.updated_at, x.deleted_at IS NOT NULL OR x.minutes = '' FROM meetings x`},
	{liaison.SearchImprovement, "improvements", `SELECT x.id,
		COALESCE((SELECT MIN(a.organisation_id) FROM improvement_accounts a WHERE a.improvement_id = x.id), ''),
		x.title, x.description, x.expected_benefit, x.realised_effect, x.decision_note,
		x.updated_at, x.deleted_at IS NOT NULL FROM improvements x`},
	{liaison.SearchWatch, "watch_notes", `SELECT x.id,
		COALESCE((SELECT a.organisation_id FROM watch_note_accounts a WHERE a.note_id = x.id ORDER BY a.position LIMIT 1), ''),
		x.title, x.summary, x.relevance_note, x.source_url, '',
		x.updated_at, x.deleted_at IS NOT NULL FROM watch_notes x`},
}

// searchSubjects are the kinds of index row an audited subject type feeds.
var searchSubjects = map[string][]liaison.SearchKind{
	subjectOrganisation:      {liaison.SearchOrganisation},
	subjectPerson:            {liaison.SearchPerson},
	subjectAgreement:         {liaison.SearchAgreement},
	subjectComplaint:         {liaison.SearchComplaint},
	subjectMeeting:           {liaison.SearchMeeting, liaison.SearchMinutes},
	subjectImprovement:       {liaison.SearchImprovement},
	subjectImprovementRaiser: {liaison.SearchImprovement}, // its accounts
	subjectWatch:             {liaison.SearchWatch},
}

func sourceOf(kind liaison.SearchKind) searchSource {
	for _, s := range searchSources {
		if s.kind == kind {
			return s
		}
	}
	panic("search: no source for " + string(kind))
}

// searchEntry is a row of search_entries.
type searchEntry struct {
	kind                  liaison.SearchKind
	id, organisationID    string
	title, body           string
	titleTerms, bodyTerms string
	updatedAt             time.Time
	gone                  bool // trashed, or nothing to find: no row
}

// maxSearchBody caps the text kept for excerpts (the words are all indexed).
const maxSearchBody = 2000

func scanSearchSource(kind liaison.SearchKind, s scanner) (searchEntry, error) {
	e := searchEntry{kind: kind}
	var t [4]string
	if err := s.Scan(&e.id, &e.organisationID, &e.title, &t[0], &t[1], &t[2], &t[3], timeCol{&e.updatedAt}, &e.gone); err != nil {
		return e, err
	}
	var texts []string
	for _, x := range t {
		if x = strings.TrimSpace(x); x != "" {
			texts = append(texts, x)
		}
	}
	e.titleTerms = liaison.SearchText(e.title)
	e.bodyTerms = liaison.SearchText(texts...)
	e.body = strings.Join(texts, " · ")
	if len(e.body) > maxSearchBody {
		cut := maxSearchBody
		for cut > 0 && !utf8RuneStart(e.body[cut]) {
			cut--
		}
		e.body = e.body[:cut]
	}
	return e, nil
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

const searchEntryColumns = "kind, id, organisation_id, title, body, title_terms, body_terms, updated_at"

// reindex writes the index rows of record id for kinds, as the record now
// is in tx: the row when live, none when trashed or gone.
func (tx *writeTx) reindex(ctx context.Context, kinds []liaison.SearchKind, id string) error {
	for _, kind := range kinds {
		src := sourceOf(kind)
		e, err := scanSearchSource(kind, tx.QueryRowContext(ctx, src.query+` WHERE x.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			e.kind, e.id, e.gone = kind, id, true
		} else if err != nil {
			return fmt.Errorf("search: read %s %s: %w", kind, id, err)
		}
		if e.gone {
			if _, err := tx.ExecContext(ctx, `DELETE FROM search_entries WHERE kind = $1 AND id = $2`, string(kind), id); err != nil {
				return fmt.Errorf("search: remove %s %s: %w", kind, id, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_entries (`+searchEntryColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (kind, id) DO UPDATE SET organisation_id = excluded.organisation_id, title = excluded.title,
				body = excluded.body, title_terms = excluded.title_terms, body_terms = excluded.body_terms,
				updated_at = excluded.updated_at`,
			string(kind), e.id, e.organisationID, e.title, e.body, e.titleTerms, e.bodyTerms, tx.t(e.updatedAt)); err != nil {
			return fmt.Errorf("search: index %s %s: %w", kind, id, err)
		}
	}
	return nil
}

// searchChunk is how many records a rebuild reads before writing them.
const searchChunk = 5000

// rebuildSearch writes the index rows of every live record of the kinds
// whose tables pass want, replacing the rows there were. It reads a chunk
// at a time by id and writes it before reading on, since on SQLite the
// reads and writes share the one connection.
func rebuildSearch(ctx context.Context, want func(table string) bool,
	exec func(query string, args ...any) error,
	query func(row func(scanner) error, query string, args ...any) error,
	put func(es []searchEntry) error) error {
	for _, src := range searchSources {
		if !want(src.table) {
			continue
		}
		if err := exec(`DELETE FROM search_entries WHERE kind = $1`, string(src.kind)); err != nil {
			return fmt.Errorf("search: clear %s: %w", src.kind, err)
		}
		after := ""
		for {
			var es []searchEntry
			n := 0
			err := query(func(s scanner) error {
				e, err := scanSearchSource(src.kind, s)
				if err != nil {
					return err
				}
				n++
				after = e.id
				if !e.gone {
					es = append(es, e)
				}
				return nil
			}, src.query+` WHERE x.id > $1 ORDER BY x.id LIMIT `+strconv.Itoa(searchChunk), after)
			if err != nil {
				return fmt.Errorf("search: read %s: %w", src.kind, err)
			}
			if err := put(es); err != nil {
				return fmt.Errorf("search: write %s: %w", src.kind, err)
			}
			if n < searchChunk {
				break
			}
		}
	}
	return nil
}

// rebuildSearch rebuilds the whole index in tx (Migrate, on the version
// that brings the index, for the records written before it).
func (tx *writeTx) rebuildSearch(ctx context.Context) error {
	return rebuildSearch(ctx, func(string) bool { return true },
		func(q string, args ...any) error { _, err := tx.ExecContext(ctx, q, args...); return err },
		func(row func(scanner) error, q string, args ...any) error {
			rows, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if err := row(rows); err != nil {
					return err
				}
			}
			return rows.Err()
		},
		func(es []searchEntry) error {
			for _, e := range es {
				if _, err := tx.ExecContext(ctx, `INSERT INTO search_entries (`+searchEntryColumns+`)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
					string(e.kind), e.id, e.organisationID, e.title, e.body, e.titleTerms, e.bodyTerms, tx.t(e.updatedAt)); err != nil {
					return err
				}
			}
			return nil
		})
}

// rebuildSearch fills the index rows of the kinds whose tables the load wrote.
func (b *BulkTx) rebuildSearch(ctx context.Context) error {
	return rebuildSearch(ctx, func(table string) bool { return b.loaded[table] },
		func(q string, args ...any) error { return b.exec(ctx, q, args...) },
		func(row func(scanner) error, q string, args ...any) error { return b.query(ctx, row, q, args...) },
		func(es []searchEntry) error {
			return b.insert(ctx, "search_entries", strings.Split(searchEntryColumns, ", "), len(es), func(i int, row []any) {
				e := es[i]
				row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = string(e.kind), e.id, e.organisationID,
					e.title, e.body, e.titleTerms, e.bodyTerms, b.db.dialect.timeArg(e.updatedAt)
			})
		})
}

// searchMatch turns a query into the engine's match expression: every
// folded term must match a word, the last as a prefix. "" when the query
// has no terms.
func (db *DB) searchMatch(q string) string {
	terms := liaison.SearchTerms(q)
	if len(terms) == 0 {
		return ""
	}
	parts := make([]string, len(terms))
	for i, t := range terms { // letters and digits only: nothing to escape
		last := i == len(terms)-1
		if db.dialect.name == "postgres" {
			parts[i] = "'" + t + "'"
			if last {
				parts[i] += ":*"
			}
		} else {
			parts[i] = `"` + t + `"`
			if last {
				parts[i] += "*"
			}
		}
	}
	if db.dialect.name == "postgres" {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " ")
}

// Search returns the records matching q, best first, and the cursor of
// the next page (the offset of its first record).
//
// Ranking every match costs time in proportion to the matches, which a
// short prefix makes many ("ser" matches most complaints at dataset L:
// BM25 over them takes over 100 ms). So a query that matches at most
// searchRanked records is ranked by the engine (BM25 on SQLite, ts_rank on
// PostgreSQL; a title word weighs more than a text word); a broader one
// ranks the searchBroad most recently indexed (SQLite) or updated
// (PostgreSQL) matches: those whose title holds every term first, then
// those whose title holds some, then the rest, newest first within each.
// Ties break on kind and id, so pages are stable.
func (db *DB) Search(ctx context.Context, q liaison.SearchQuery) ([]*liaison.SearchHit, string, error) {
	if err := q.Validate(); err != nil {
		return nil, "", err
	}
	limit := pageLimit(q.Limit)
	offset := 0
	if q.Cursor != "" {
		n, err := strconv.Atoi(q.Cursor)
		if err != nil || n < 0 || n > 10000 {
			return nil, "", badCursor()
		}
		offset = n
	}
	match := db.searchMatch(q.Q)
	if match == "" {
		return nil, "", nil
	}
	args := []any{match}
	kind := ""
	if q.Kind != "" {
		args = append(args, string(q.Kind))
		kind = " AND e.kind = $2"
	}
	pg := db.dialect.name == "postgres"
	from, where := ` FROM search_fts f JOIN search_entries e ON e.rid = f.rowid`, ` WHERE search_fts MATCH $1`+kind
	if pg {
		from, where = ` FROM search_entries e`, ` WHERE e.doc @@ $1::tsquery`+kind
	}
	ranked, broad := db.bounds()
	var n int
	probe := from + where
	if !pg && kind == "" { // the index alone answers
		probe = ` FROM search_fts WHERE search_fts MATCH $1`
	}
	if err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1`+probe+` LIMIT `+strconv.Itoa(ranked+1)+`) m`,
		args...).Scan(&n); err != nil {
		return nil, "", fmt.Errorf("search: %w", err)
	}
	var hits []*liaison.SearchHit
	var err error
	if n <= ranked {
		order := ` ORDER BY f.rank, e.kind, e.id`
		if pg {
			order = ` ORDER BY ts_rank(e.doc, $1::tsquery) DESC, e.kind, e.id`
		}
		hits, err = db.searchRows(ctx, `SELECT `+searchHitColumns+from+searchOrganisationJoin+where+order+
			` LIMIT `+strconv.Itoa(limit+1)+` OFFSET `+strconv.Itoa(offset), args...)
	} else {
		hits, err = db.searchBroad(ctx, q.Q, from+where, args, broad, offset, limit+1)
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(hits) > limit {
		hits, next = hits[:limit], strconv.Itoa(offset+limit)
	}
	return hits, next, nil
}

// searchRanked and searchBroad bound the work of a query (see Search);
// tests lower them through DB.searchBounds.
const (
	searchRanked = 500
	searchBroad  = 250
)

// bounds returns the bounds of the work of a query.
func (db *DB) bounds() (ranked, broad int) {
	if db.searchBounds != [2]int{} {
		return db.searchBounds[0], db.searchBounds[1]
	}
	return searchRanked, searchBroad
}

const (
	searchHitColumns       = `e.kind, e.id, e.organisation_id, COALESCE(o.name, ''), e.title, e.body, e.updated_at`
	searchOrganisationJoin = ` LEFT JOIN organisations o ON o.id = e.organisation_id`
)

// searchBroad ranks the newest searchBroad matches of a broad query by
// how much of the query their titles hold, and reads the page's rows.
func (db *DB) searchBroad(ctx context.Context, q, fromWhere string, args []any, broad, offset, n int) ([]*liaison.SearchHit, error) {
	order := ` ORDER BY f.rowid DESC`
	if db.dialect.name == "postgres" {
		order = ` ORDER BY e.updated_at DESC, e.id DESC`
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT e.kind, e.id, e.title_terms`+fromWhere+order+` LIMIT `+strconv.Itoa(broad), args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	type candidate struct {
		kind, id  string
		score, at int
	}
	terms := liaison.SearchTerms(q)
	var cs []candidate
	for rows.Next() {
		var c candidate
		var title string
		if err := rows.Scan(&c.kind, &c.id, &title); err != nil {
			rows.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
		words := strings.Fields(title)
		for i, t := range terms {
			for _, w := range words {
				if w == t || i == len(terms)-1 && strings.HasPrefix(w, t) {
					c.score++
					break
				}
			}
		}
		if c.score == len(terms) {
			c.score = 2 * len(terms) // every term in the title
		}
		c.at = len(cs)
		cs = append(cs, c)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	slices.SortStableFunc(cs, func(a, b candidate) int { return b.score - a.score })
	if offset >= len(cs) {
		return nil, nil
	}
	cs = cs[offset:min(len(cs), offset+n)]
	hits := make([]*liaison.SearchHit, 0, len(cs))
	for _, c := range cs {
		hs, err := db.searchRows(ctx, `SELECT `+searchHitColumns+` FROM search_entries e`+searchOrganisationJoin+
			` WHERE e.kind = $1 AND e.id = $2`, c.kind, c.id)
		if err != nil {
			return nil, err
		}
		hits = append(hits, hs...)
	}
	return hits, nil
}

func (db *DB) searchRows(ctx context.Context, query string, args ...any) ([]*liaison.SearchHit, error) {
	rows, err := db.ro.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var hits []*liaison.SearchHit
	for rows.Next() {
		var h liaison.SearchHit
		var kind string
		if err := rows.Scan(&kind, &h.ID, &h.OrganisationID, &h.OrganisationName, &h.Title, &h.Text, timeCol{&h.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Kind = liaison.SearchKind(kind)
		hits = append(hits, &h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return hits, nil
}
