package web

import (
	"io"
	"testing"
)

func TestUndeclaredPagePanics(t *testing.T) {
	e := newEngine()
	defer func() {
		if recover() == nil {
			t.Fatal("rendering an undeclared page did not panic")
		}
	}()
	e.render(io.Discard, "no-such-page", nil)
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"": "/", "/accounts?q=x": "/accounts?q=x", "//evil.example": "/", "/\\evil": "/",
		"https://evil.example/": "/", "/login?next=/x": "/", "/a\r\nSet-Cookie: x": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeat(t *testing.T) {
	for _, tt := range []struct {
		n, max int
		want   string
	}{{0, 5, "h0"}, {1, 1, "h2"}, {1, 8, "h1"}, {8, 8, "h4"}, {4, 8, "h2"}} {
		if got := heat(tt.n, tt.max); got != tt.want {
			t.Errorf("heat(%d, %d) = %s, want %s", tt.n, tt.max, got, tt.want)
		}
	}
}
