package liaison

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// SearchText folds texts into the form that list filters match against:
// lower case, diacritics removed (Malmö → malmo, Jyväskylä → jyvaskyla),
// punctuation turned into spaces, and every Han character a word of its
// own so that Chinese text is found by any of its characters. Both engines
// store this text and match `q` against it the same way.
func SearchText(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range SearchTerms(p) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// SearchTerms splits a query or a text into folded words. A query matches
// a text when each of its terms is a prefix of one of the text's words.
//
// It runs on every write of a searchable record and on every row of a
// bulk load, so ASCII (most of every text) skips the Unicode folding and
// the folding chain is pooled rather than built per call.
func SearchTerms(s string) []string {
	folded := s
	if !isASCII(s) {
		f := foldPool.Get().(transform.Transformer)
		var err error
		if folded, _, err = transform.String(f, s); err != nil {
			folded = s
		}
		foldPool.Put(f)
	}
	folded = strings.ToLower(folded)
	var terms []string
	start := -1 // the start of an ASCII word being read, or -1
	var cur strings.Builder
	flush := func(end int) {
		if start >= 0 {
			terms = append(terms, folded[start:end])
			start = -1
		}
		if cur.Len() > 0 {
			terms = append(terms, cur.String())
			cur.Reset()
		}
	}
	for i, r := range folded {
		if r < utf8.RuneSelf {
			if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
				if cur.Len() > 0 {
					cur.WriteByte(byte(r))
				} else if start < 0 {
					start = i
				}
			} else {
				flush(i)
			}
			continue
		}
		if start >= 0 { // a word of ASCII so far goes on with other letters
			cur.WriteString(folded[start:i])
			start = -1
		}
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			flush(i)
			terms = append(terms, string(r))
		case r == 'ø':
			cur.WriteRune('o')
		case r == 'æ':
			cur.WriteString("ae")
		case r == 'ß':
			cur.WriteString("ss")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		default:
			flush(i)
		}
	}
	flush(len(folded))
	return terms
}

// foldPool holds the chains that take diacritics off: a chain keeps state
// and may not be shared by two calls at once.
var foldPool = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// SearchKind is a kind of record the global search finds.
type SearchKind string

const (
	SearchOrganisation SearchKind = "organisation" // accounts and other organisation units
	SearchPerson       SearchKind = "person"
	SearchAgreement    SearchKind = "agreement"
	SearchComplaint    SearchKind = "complaint"
	SearchMeeting      SearchKind = "meeting" // title, place and agenda
	SearchMinutes      SearchKind = "minutes" // a meeting's minutes, found on their own
	SearchImprovement  SearchKind = "improvement"
	SearchWatch        SearchKind = "watch" // technology watch notes
)

// SearchKinds are the kinds in the order the results page groups them.
var SearchKinds = []SearchKind{SearchOrganisation, SearchPerson, SearchAgreement, SearchComplaint,
	SearchMeeting, SearchMinutes, SearchImprovement, SearchWatch}

// Valid reports whether k is a known kind.
func (k SearchKind) Valid() bool { return slices.Contains(SearchKinds, k) }

// Path is the page of the record id of kind k.
func (k SearchKind) Path(id string) string {
	switch k {
	case SearchOrganisation:
		return "/organisations/" + id
	case SearchPerson:
		return "/people/" + id
	case SearchAgreement:
		return "/agreements/" + id
	case SearchComplaint:
		return "/complaints/" + id
	case SearchMeeting, SearchMinutes:
		return "/meetings/" + id
	case SearchImprovement:
		return "/improvements/" + id
	case SearchWatch:
		return "/watch/" + id
	}
	return ""
}

// SearchQuery asks the store for records matching Q: every folded term
// of Q (SearchTerms) must match a word of the record, the last one as a
// prefix ("malm" finds "Malmö"). Kind, when set, keeps one kind only.
type SearchQuery struct {
	Q      string
	Kind   SearchKind
	Cursor string
	Limit  int
}

// MaxSearchQuery is the longest query the search accepts, in bytes.
const MaxSearchQuery = 200

// Validate rejects a query the search cannot run.
func (q SearchQuery) Validate() error {
	var v Validation
	if len(q.Q) > MaxSearchQuery {
		v.Add("q", CodeTooLong, "error.too_long", "at most %d characters", MaxSearchQuery)
	}
	if q.Kind != "" && !q.Kind.Valid() {
		v.Add("kind", CodeInvalid, "error.search_kind", "unknown kind %q", string(q.Kind))
	}
	return v.Err()
}

// SearchStore finds records by their words (docs/search.md).
type SearchStore interface {
	// Search returns the live records of the searchable kinds that match
	// q, best first, and the cursor of the next page ("" on the last).
	// Trashed records are never found; a query without letters or digits
	// finds nothing. EINVALID for an unknown kind or a query too long.
	Search(ctx context.Context, q SearchQuery) ([]*SearchHit, string, error)
}

// SearchHit is one record found, best match first. Text is the record's
// text beyond its title, as written, for an excerpt (SearchExcerpt).
type SearchHit struct {
	Kind             SearchKind
	ID               string
	Title            string
	Text             string
	OrganisationID   string // the unit the record belongs to; "" for none
	OrganisationName string
	UpdatedAt        time.Time
}

// SearchFragment is a piece of an excerpt; Match marks a word the query found.
type SearchFragment struct {
	Text  string
	Match bool
}

// SearchExcerpt cuts from text about width characters around the first
// word that q matches (from the start when none does) and marks every
// matching word, folded the way the index folds them. Words are matched
// as the index matches them: a folded word starting with a query term.
func SearchExcerpt(text, q string, width int) []SearchFragment {
	terms := SearchTerms(q)
	matches := func(word string) bool {
		for _, w := range SearchTerms(word) {
			for _, t := range terms {
				if strings.HasPrefix(w, t) {
					return true
				}
			}
		}
		return false
	}
	// Split text into words (a Han character is a word) and the rest.
	type span struct {
		start, end int
		word       bool
	}
	var spans []span
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) }
	isHan := func(r rune) bool {
		return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
	}
	for i, r := range text {
		w := inWord(r)
		if n := len(spans); n > 0 && spans[n-1].word == w &&
			(!w || (!isHan(r) && !isHan(lastRune(text[spans[n-1].start:i])))) {
			spans[n-1].end = i + utf8.RuneLen(r)
			continue
		}
		spans = append(spans, span{i, i + utf8.RuneLen(r), w})
	}
	first := -1
	hit := make([]bool, len(spans))
	for i, s := range spans {
		if s.word && len(terms) > 0 && matches(text[s.start:s.end]) {
			hit[i] = true
			if first < 0 {
				first = i
			}
		}
	}
	// The window: from a little before the first match, width runes long.
	from := 0
	if first > 0 {
		back := 0
		from = first
		for from > 0 && back < width/4 {
			from--
			back += utf8.RuneCountInString(text[spans[from].start:spans[from].end])
		}
	}
	var out []SearchFragment
	if from > 0 {
		out = append(out, SearchFragment{Text: "…"})
	}
	n := 0
	for i := from; i < len(spans); i++ {
		s := spans[i]
		part := text[s.start:s.end]
		if !s.word {
			part = collapseSpace(part)
		}
		if n >= width {
			out = append(out, SearchFragment{Text: "…"})
			break
		}
		n += utf8.RuneCountInString(part)
		if k := len(out) - 1; k >= 0 && out[k].Match == hit[i] && out[k].Text != "…" {
			out[k].Text += part
		} else {
			out = append(out, SearchFragment{Text: part, Match: hit[i]})
		}
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// collapseSpace turns any run of white space (line breaks included) into one space.
func collapseSpace(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
