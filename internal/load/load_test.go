package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsStatusesAndStopsAtCount(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%4 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	sc := Scenario{Name: "t", Next: func(c, i int) Request { return Request{Method: "GET", URL: srv.URL} }}
	res, err := Run(context.Background(), sc, Options{Clients: 4, Requests: 200})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 200 {
		t.Errorf("requests = %d, want 200", res.Requests)
	}
	if res.Errors != 50 || res.ByStatus["503"] != 50 || res.ByStatus["200"] != 150 {
		t.Errorf("errors = %d, by status %v; want 50 errors of 503 and 150 of 200", res.Errors, res.ByStatus)
	}
	if !(res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max) {
		t.Errorf("percentiles out of order: %v", res)
	}
}

func TestRunStopsAtDuration(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	sc := Scenario{Name: "t", Next: func(c, i int) Request { return Request{Method: "GET", URL: srv.URL} }}
	start := time.Now()
	res, err := Run(context.Background(), sc, Options{Clients: 2, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second || res.Requests == 0 || res.Errors != 0 {
		t.Errorf("run took %v with %d requests and %d errors", el, res.Requests, res.Errors)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 50}, {90, 90}, {99, 99}, {100, 100}} {
		if got := pct(d, tc.p); got != tc.want {
			t.Errorf("pct(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
}
