package api

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzIfMatch checks the If-Match parser against RFC 9110 §13.1.1 with
// the strong comparison: the header allows a change of version current
// exactly when one of its members is * or the tag "<current>" itself,
// character for character (not W/"1", not 1, not "01").
func FuzzIfMatch(f *testing.F) {
	f.Fuzz(func(t *testing.T, header string, current int) {
		m, ok := parseIfMatch(header)
		if ok != (strings.TrimSpace(header) != "") {
			t.Fatalf("parseIfMatch(%q) present = %v", header, ok)
		}
		want, strong := false, 0
		for _, el := range strings.Split(header, ",") {
			el = strings.TrimSpace(el)
			if el == "*" || el == etag(current) {
				want = true
			}
			if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(el, `"`), `"`)); err == nil && el == etag(n) {
				strong++
			}
		}
		if ok && m.matches(current) != want {
			t.Fatalf("If-Match %q allows version %d: %v, want %v", header, current, m.matches(current), want)
		}
		if v, single := m.single(); single {
			if strong != 1 || strings.Contains(header, "*") && m.any {
				t.Fatalf("If-Match %q: single version %d from %d tags", header, v, strong)
			}
			if !m.matches(v) {
				t.Fatalf("If-Match %q names %d but does not allow it", header, v)
			}
		}
	})
}
