package server_test

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison/internal/server"
)

// TestHTTPServerSettings: the server serve runs has every timeout set, so
// that slow or idle clients cannot hold connections open for ever.
func TestHTTPServerSettings(t *testing.T) {
	s := server.HTTPServer(http.NotFoundHandler(), nil)
	for name, got := range map[string]time.Duration{
		"ReadHeaderTimeout": s.ReadHeaderTimeout, "ReadTimeout": s.ReadTimeout,
		"WriteTimeout": s.WriteTimeout, "IdleTimeout": s.IdleTimeout,
	} {
		if got <= 0 || got > 2*time.Minute {
			t.Errorf("%s = %v, want set and at most 2m", name, got)
		}
	}
	if s.ReadHeaderTimeout != server.ReadHeaderTimeout || s.ReadHeaderTimeout > s.ReadTimeout || s.ReadTimeout > s.WriteTimeout {
		t.Errorf("timeouts: header %v, read %v, write %v", s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout)
	}
	if s.MaxHeaderBytes != 64<<10 {
		t.Errorf("MaxHeaderBytes = %d, want 64 KiB", s.MaxHeaderBytes)
	}
	if s.ErrorLog == nil {
		t.Error("no ErrorLog: the server's own errors would go to stderr unstructured")
	}
}

// limitServer serves a trivial handler with Liaison's settings on a
// loopback port; the limits under test are the http.Server's, before any
// handler runs.
func limitServer(t *testing.T) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	ts := httptest.NewUnstartedServer(h)
	ts.Config = server.HTTPServer(h, slog.New(slog.DiscardHandler))
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// TestHeaderLimit: request line and headers over MaxHeaderBytes answer
// 431 Request Header Fields Too Large; a request just under passes.
func TestHeaderLimit(t *testing.T) {
	ts := limitServer(t)
	for _, tc := range []struct {
		name  string
		query string
		hdr   string
		want  int
	}{
		{"headers under the limit", "", strings.Repeat("h", 60<<10), http.StatusOK},
		{"query under the limit", strings.Repeat("q", 60<<10), "", http.StatusOK},
		{"long header", "", strings.Repeat("h", 100<<10), http.StatusRequestHeaderFieldsTooLarge},
		{"long query string", strings.Repeat("q", 100<<10), "", http.StatusRequestHeaderFieldsTooLarge},
		{"many headers", "", "many", http.StatusRequestHeaderFieldsTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ts.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			var b strings.Builder
			b.WriteString("GET /?q=" + tc.query + " HTTP/1.1\r\nHost: liaison.test\r\n")
			switch {
			case tc.hdr == "many":
				for i := range 3000 {
					b.WriteString("X-Many-" + strings.Repeat("m", 10) + string(rune('a'+i%26)) + ": 0123456789012345678901234567890123456789\r\n")
				}
			case tc.hdr != "":
				b.WriteString("X-Big: " + tc.hdr + "\r\n")
			}
			b.WriteString("\r\n")
			go io.WriteString(conn, b.String()) // the server may answer before reading it all
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.want {
				t.Errorf("%d, want %d", res.StatusCode, tc.want)
			}
		})
	}
}

// TestSlowHeaders: a client that sends its headers slowly (a slowloris) is
// cut off once ReadHeaderTimeout has passed, however steadily it trickles;
// meanwhile the server goes on answering others.
func TestSlowHeaders(t *testing.T) {
	t.Parallel()
	ts := limitServer(t)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: liaison.test\r\n"); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := io.WriteString(conn, "X-Slow: 1\r\n"); err != nil {
					return
				}
			}
		}
	}()
	// Others are served meanwhile.
	res, err := ts.Client().Get(ts.URL)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("another client: %v", err)
	}
	res.Body.Close()

	conn.SetReadDeadline(time.Now().Add(server.ReadHeaderTimeout + 5*time.Second))
	n, err := conn.Read(make([]byte, 1024))
	elapsed := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("still connected after %v", elapsed)
	}
	if elapsed < server.ReadHeaderTimeout-time.Second || elapsed > server.ReadHeaderTimeout+3*time.Second {
		t.Errorf("cut off after %v (read %d bytes, %v), want about %v", elapsed, n, err, server.ReadHeaderTimeout)
	}
}
