// Package load drives HTTP load against a server and summarises it:
// throughput, latency percentiles and errors by status. It is the engine
// of the liaison-load command and of the benchmark figures in
// docs/benchmarks.md.
package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Request is one request a scenario makes.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// OK reports whether the status counts as success; nil means 2xx.
	OK func(status int) bool
}

// Scenario produces the requests of one client. next is called with the
// client's number and a running counter and must be safe for concurrent use.
type Scenario struct {
	Name string
	Next func(client, i int) Request
}

// Options bound a run: it stops after Duration or after Requests requests
// in all, whichever comes first (zero means no bound of that kind; at
// least one must be set).
type Options struct {
	Clients  int
	Duration time.Duration
	Requests int
	Warmup   time.Duration
	Client   *http.Client
}

// Result summarises a run.
type Result struct {
	Scenario   string         `json:"scenario"`
	Clients    int            `json:"clients"`
	Requests   int            `json:"requests"`
	Errors     int            `json:"errors"`
	ByStatus   map[string]int `json:"by_status"`
	Seconds    float64        `json:"seconds"`
	Throughput float64        `json:"requests_per_second"`
	P50        Millis         `json:"p50_ms"`
	P90        Millis         `json:"p90_ms"`
	P99        Millis         `json:"p99_ms"`
	Max        Millis         `json:"max_ms"`
}

// Millis is a duration that reads and prints as milliseconds.
type Millis float64

func ms(d time.Duration) Millis { return Millis(float64(d.Microseconds()) / 1000) }

// String renders the result as one line for a terminal.
func (r Result) String() string {
	var st []string
	for k, v := range r.ByStatus {
		st = append(st, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Strings(st)
	return fmt.Sprintf("%-28s clients=%-3d req=%-7d err=%-4d rps=%8.0f p50=%6.2fms p90=%6.2fms p99=%6.2fms max=%7.2fms [%s]",
		r.Scenario, r.Clients, r.Requests, r.Errors, r.Throughput, r.P50, r.P90, r.P99, r.Max, strings.Join(st, " "))
}

// Run runs the scenario with opts.Clients concurrent clients. Requests
// made during the warm-up are not counted. Loopback only: the tool is for
// servers on this machine.
func Run(ctx context.Context, sc Scenario, opts Options) (Result, error) {
	if opts.Clients < 1 {
		opts.Clients = 1
	}
	if opts.Duration <= 0 && opts.Requests <= 0 {
		return Result{}, fmt.Errorf("load: set a duration or a request count")
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: opts.Clients * 2, MaxIdleConnsPerHost: opts.Clients * 2, IdleConnTimeout: time.Minute,
		}}
	}
	if opts.Warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, opts.Warmup)
		runClients(wctx, client, sc, opts.Clients, 0, nil)
		cancel()
	}
	runCtx := ctx
	if opts.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, opts.Duration)
		defer cancel()
	}
	rec := &recorder{byStatus: map[string]int{}}
	start := time.Now()
	runClients(runCtx, client, sc, opts.Clients, opts.Requests, rec)
	elapsed := time.Since(start)
	return rec.result(sc.Name, opts.Clients, elapsed), nil
}

type recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	byStatus  map[string]int
}

func (r *recorder) add(status string, d time.Duration, ok bool) {
	r.mu.Lock()
	r.latencies = append(r.latencies, d)
	r.byStatus[status]++
	if !ok {
		r.errors++
	}
	r.mu.Unlock()
}

func (r *recorder) result(name string, clients int, elapsed time.Duration) Result {
	slices.Sort(r.latencies)
	res := Result{Scenario: name, Clients: clients, Requests: len(r.latencies), Errors: r.errors, ByStatus: r.byStatus, Seconds: elapsed.Seconds()}
	if n := len(r.latencies); n > 0 {
		res.Throughput = float64(n) / elapsed.Seconds()
		res.P50, res.P90, res.P99 = ms(pct(r.latencies, 50)), ms(pct(r.latencies, 90)), ms(pct(r.latencies, 99))
		res.Max = ms(r.latencies[n-1])
	}
	return res
}

// pct returns the p-th percentile of sorted by the nearest-rank method.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return sorted[rank]
}

func runClients(ctx context.Context, client *http.Client, sc Scenario, clients, total int, rec *recorder) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	issued := 0
	take := func() bool {
		if total <= 0 {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		if issued >= total {
			return false
		}
		issued++
		return true
	}
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && take(); i++ {
				req := sc.Next(c, i)
				status, d, ok := do(ctx, client, req)
				if ctx.Err() != nil && status == "error" {
					return // cut off by the deadline: not a failure of the server
				}
				if rec != nil {
					rec.add(status, d, ok)
				}
			}
		}()
	}
	wg.Wait()
}

func do(ctx context.Context, client *http.Client, r Request) (string, time.Duration, bool) {
	var body io.Reader
	if r.Body != nil {
		body = strings.NewReader(string(r.Body))
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return "error", 0, false
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return "error", time.Since(start), false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if r.OK != nil {
		ok = r.OK(resp.StatusCode)
	}
	return fmt.Sprint(resp.StatusCode), d, ok
}

// JSON renders results as indented JSON.
func JSON(results []Result) ([]byte, error) { return json.MarshalIndent(results, "", "  ") }

// Median returns the result with the median throughput of several runs of
// one scenario, so that a noisy machine reports a representative run.
func Median(runs []Result) Result {
	s := slices.Clone(runs)
	slices.SortFunc(s, func(a, b Result) int {
		switch {
		case a.Throughput < b.Throughput:
			return -1
		case a.Throughput > b.Throughput:
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}
