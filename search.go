package liaison

import (
	"strings"
	"unicode"

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
func SearchTerms(s string) []string {
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		folded = s
	}
	folded = strings.ToLower(folded)
	var terms []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			terms = append(terms, cur.String())
			cur.Reset()
		}
	}
	for _, r := range folded {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			flush()
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
			flush()
		}
	}
	flush()
	return terms
}
