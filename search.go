package liaison

import (
	"strings"
	"sync"
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
