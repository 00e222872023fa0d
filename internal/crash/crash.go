// Package crash is the kill -9 test of SPEC §7, "acknowledged means
// durable": it runs concurrent writes through the HTTP API against a real
// `liaison serve` process, kills the process with SIGKILL at a random
// moment, checks the database on disk with a fresh connection, restarts the
// server on the same database and goes on, many times over. After every
// kill it checks that
//
//   - every acknowledged write (201 for a create, 200 for a PATCH, 204 for
//     a DELETE) is there with the acknowledged version and content, or was
//     superseded only by a later write of the same record that was itself
//     acknowledged or still unanswered at the kill;
//   - every write the kill left unanswered was applied whole or not at all;
//   - the audit trail holds exactly one entry per applied write of every
//     record the run made (the entry commits in the write's transaction);
//   - every acknowledged create kept its Idempotency-Key;
//   - the database passes its integrity checks: on SQLite PRAGMA
//     integrity_check and foreign_key_check; on PostgreSQL amcheck's
//     bt_index_check (with heapallindexed) on every B-tree index and
//     verify_heapam on every table when the extension can be installed;
//     on both, the consistency checks of consistency(): no orphans, unit
//     paths and depths that match the tree, audit rows whose subject exists
//     or was deleted.
//
// Each writer owns the records it creates, so at most one of its writes is
// unanswered at a kill and the expected state of every record is exact.
// The harness is used by the short test in this package (CI) and by the
// long run of cmd/liaison-crash; docs/reliability.md has the figures.
package crash

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is what a run needs. Binary and DB are required.
type Config struct {
	// Binary is a built liaison command (see Build).
	Binary string
	// DB is the database: a SQLite file path or a postgres:// URL. It may
	// hold other data; the run makes its own user and records and checks
	// the integrity of the whole database.
	DB string
	// Kills is how many times the server is killed; default 20.
	Kills int
	// Writers is the number of concurrent API clients; default 8.
	Writers int
	// MinUp and MaxUp bound how long the writers run after the first
	// write of a server life was acknowledged before the server is
	// killed; default 50 ms to 400 ms. Counting from the first
	// acknowledgement rather than from /readyz keeps a slow first write
	// (a busy machine, a cold connection pool) from eating the whole
	// window, so every life both acknowledges writes and is killed with
	// writes in flight.
	MinUp, MaxUp time.Duration
	// ReadBacks is how many acknowledged records are read back through
	// the API after each restart; default 8.
	ReadBacks int
	// Seed makes the choice of operations and kill times repeatable
	// (timing still varies); 0 picks one at random.
	Seed uint64
	// Progress, when set, gets one line per kill.
	Progress io.Writer
	// ServerLog, when set, gets the servers' standard error.
	ServerLog io.Writer
}

func (c *Config) defaults() {
	if c.Kills <= 0 {
		c.Kills = 20
	}
	if c.Writers <= 0 {
		c.Writers = 8
	}
	if c.MinUp <= 0 {
		c.MinUp = 50 * time.Millisecond
	}
	if c.MaxUp < c.MinUp {
		c.MaxUp = max(c.MinUp, 400*time.Millisecond)
	}
	if c.ReadBacks < 0 {
		c.ReadBacks = 0
	} else if c.ReadBacks == 0 {
		c.ReadBacks = 8
	}
	if c.Seed == 0 {
		c.Seed = mrand.Uint64()
	}
}

// Report is the outcome of a run. A run passed when Problems is empty.
type Report struct {
	Engine  string
	Seed    uint64
	Writers int
	Kills   int
	// Acked counts acknowledged writes by operation (create-unit,
	// update-person, move-unit, delete-role…).
	Acked map[string]int
	// InFlight counts the writes unanswered at a kill (sent, or about to
	// be, when the server died); InFlightApplied those of them the
	// database shows applied.
	InFlight, InFlightApplied int
	// Lost counts acknowledged writes missing or altered after a kill;
	// AuditMissing acknowledged writes without their audit entry. Both
	// must be 0.
	Lost, AuditMissing int
	// ReadBacks counts records read back through the API after restarts.
	ReadBacks int
	// IdempotencyGaps counts creates left unanswered at a kill that the
	// database holds without their Idempotency-Key: a client retrying
	// them with the same key would create them twice.
	IdempotencyGaps int
	// Checks counts passed checks by name; each runs once per kill.
	Checks map[string]int
	// Skipped names checks that could not run, with why.
	Skipped []string
	// Problems lists every violation found, the first ones in full.
	Problems []string
	// ProblemCount is the number of violations (Problems keeps the first
	// maxProblems).
	ProblemCount int
	// Ready is the time from starting a server to its first 200 on
	// /readyz, per start; Up the time it then ran before the kill.
	Ready, Up []time.Duration
	// Records counts the records the run made that exist at the end, by
	// kind; Rows the rows in the main tables at the end.
	Records map[string]int
	Rows    map[string]int
	// ServerWarnings counts the lines at WARN or above the servers logged,
	// by message; a sample of each is in ServerWarningSamples.
	ServerWarnings       map[string]int
	ServerWarningSamples map[string]string
	Elapsed              time.Duration
}

const maxProblems = 50

// Failed reports whether the run found a violation.
func (r *Report) Failed() bool { return r.ProblemCount > 0 }

// AckedTotal is the number of acknowledged writes.
func (r *Report) AckedTotal() int {
	n := 0
	for _, v := range r.Acked {
		n += v
	}
	return n
}

func (r *Report) problem(format string, args ...any) {
	r.ProblemCount++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

func (r *Report) pass(check string) { r.Checks[check]++ }

// String renders the report for a terminal and for docs/reliability.md.
func (r *Report) String() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("engine                    %s", r.Engine)
	p("seed                      %d", r.Seed)
	p("writers                   %d", r.Writers)
	p("kills                     %d (SIGKILL)", r.Kills)
	p("elapsed                   %s", r.Elapsed.Round(100*time.Millisecond))
	if len(r.Ready) > 0 {
		p("server ready after        median %s, max %s", median(r.Ready), slices.Max(r.Ready))
		p("killed after              median %s of writes (min %s, max %s)", median(r.Up), slices.Min(r.Up), slices.Max(r.Up))
	}
	p("acknowledged writes       %d", r.AckedTotal())
	p("  by operation            %s", counts(r.Acked))
	p("in flight at the kills    %d (applied %d, not applied %d)", r.InFlight, r.InFlightApplied, r.InFlight-r.InFlightApplied)
	p("lost acknowledged writes  %d", r.Lost)
	p("audit entries missing     %d", r.AuditMissing)
	p("API read-backs            %d", r.ReadBacks)
	p("idempotency gaps          %d (unanswered creates stored without their Idempotency-Key)", r.IdempotencyGaps)
	p("records at the end        %s", counts(r.Records))
	p("rows at the end           %s", counts(r.Rows))
	p("checks passed:")
	names := make([]string, 0, len(r.Checks))
	for k := range r.Checks {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p("  %-46s %d/%d", k, r.Checks[k], r.Kills)
	}
	for _, s := range r.Skipped {
		p("  skipped: %s", s)
	}
	if len(r.ServerWarnings) > 0 {
		p("server log lines at WARN or above:")
		for _, k := range sortedKeys(r.ServerWarnings) {
			p("  %5d × %s", r.ServerWarnings[k], r.ServerWarningSamples[k])
		}
	}
	if r.ProblemCount == 0 {
		p("problems                  none")
	} else {
		p("problems                  %d", r.ProblemCount)
		for _, s := range r.Problems {
			p("  - %s", s)
		}
		if r.ProblemCount > len(r.Problems) {
			p("  … and %d more", r.ProblemCount-len(r.Problems))
		}
	}
	return b.String()
}

func counts(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2].Round(time.Millisecond)
}

// Build compiles the liaison command into dir with the go tool and
// returns the binary's path. It must run inside the module (a test of this
// package, or go run ./cmd/liaison-crash from the repository).
func Build(ctx context.Context, dir string) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("build liaison: the go tool is not on PATH: %w", err)
	}
	name := "liaison"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	out := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", out, "github.com/liaisonhq/liaison/cmd/liaison")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/liaison: %w\n%s", err, msg)
	}
	return out, nil
}

// harness is one run.
type harness struct {
	cfg    Config
	engine string
	dsn    string // what the liaison command gets (see serverDSN)
	runID  string
	userID string
	token  string
	rng    *mrand.Rand
	rep    *Report
	logs   *serverLog
	ws     []*writer
	amc    *amcheck // PostgreSQL: how to call amcheck; nil when unavailable
}

// Run runs the crash test described by cfg. The error reports a failure
// of the harness itself (the server would not start, the database could
// not be read); violations of the guarantees go to Report.Problems.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	h, err := newHarness(cfg)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	defer h.finish(start)
	if err := h.setup(ctx); err != nil {
		return h.rep, err
	}
	for i := 1; i <= h.cfg.Kills; i++ {
		if err := ctx.Err(); err != nil {
			return h.rep, err
		}
		if err := h.cycle(ctx, i); err != nil {
			return h.rep, fmt.Errorf("kill %d of %d: %w", i, h.cfg.Kills, err)
		}
	}
	return h.rep, nil
}

func newHarness(cfg Config) (*harness, error) {
	cfg.defaults()
	if cfg.Binary == "" || cfg.DB == "" {
		return nil, errors.New("crash: Config.Binary and Config.DB are required")
	}
	h := &harness{
		cfg:    cfg,
		engine: engineOf(cfg.DB),
		runID:  randomID(),
		rng:    mrand.New(mrand.NewPCG(cfg.Seed, 0x5eed)),
		logs:   newServerLog(cfg.ServerLog),
	}
	h.dsn = serverDSN(h.engine, cfg.DB, h.runID)
	h.rep = &Report{Engine: h.engine, Seed: cfg.Seed, Writers: cfg.Writers, Acked: map[string]int{}, Checks: map[string]int{},
		Records: map[string]int{}, Rows: map[string]int{}}
	for i := range cfg.Writers {
		h.ws = append(h.ws, newWriter(i, h.runID, mrand.New(mrand.NewPCG(cfg.Seed, uint64(i)+1))))
	}
	return h, nil
}

func (h *harness) finish(start time.Time) {
	h.rep.Elapsed = time.Since(start)
	h.rep.ServerWarnings, h.rep.ServerWarningSamples = h.logs.warnings()
}

// setup makes the run's admin user and write token with the liaison
// command itself, which also migrates the database.
func (h *harness) setup(ctx context.Context) error {
	email := "crash-" + h.runID + "@liaison.invalid"
	out, err := h.command(ctx, "users", "create", "--db", h.dsn, "--email", email, "--name", "Crash test "+h.runID, "--role", "admin")
	if err != nil {
		return err
	}
	h.userID = strings.TrimSpace(out)
	if out, err = h.command(ctx, "tokens", "create", "--db", h.dsn, "--email", email, "--scope", "write", "--name", "liaison-crash"); err != nil {
		return err
	}
	h.token = strings.TrimSpace(out)
	if h.userID == "" || h.token == "" {
		return fmt.Errorf("setup: the liaison command printed no user id or token")
	}
	// The database as setup left it must already pass.
	if _, err := h.verify(ctx, false); err != nil {
		return fmt.Errorf("check the database before the first start: %w", err)
	}
	clear(h.rep.Checks)
	return nil
}

func (h *harness) command(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, h.cfg.Binary, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("liaison %s %s: %w: %s", args[0], args[1], err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// firstAckWait bounds the wait for a server life's first acknowledged
// write.
const firstAckWait = 30 * time.Second

// cycle starts the server, reads some records back, writes until the
// kill, and checks the database.
func (h *harness) cycle(ctx context.Context, n int) error {
	srv, err := startServer(ctx, h.cfg.Binary, h.dsn, h.logs)
	if err != nil {
		return err
	}
	defer srv.kill() // on the error paths; a no-op once killed
	h.rep.Ready = append(h.rep.Ready, srv.ready)
	tr := &http.Transport{MaxIdleConns: 2 * h.cfg.Writers, MaxIdleConnsPerHost: 2 * h.cfg.Writers, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	api := &apiClient{http: client, base: srv.url, token: h.token}

	h.readBack(ctx, api)

	up := h.cfg.MinUp
	if span := h.cfg.MaxUp - h.cfg.MinUp; span > 0 {
		up += time.Duration(h.rng.Int64N(int64(span) + 1))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	before := h.rep.AckedTotal()
	firstAck := make(chan struct{})
	var once sync.Once
	acked := func() { once.Do(func() { close(firstAck) }) }
	for _, w := range h.ws {
		wg.Go(func() { w.run(ctx, api, &stop, acked) })
	}
	// Wait for the first acknowledgement, then let the writers run for
	// up. A server that acknowledges nothing within firstAckWait is
	// killed anyway and the run reports it.
	began := time.Now()
	wait := time.NewTimer(firstAckWait)
	select {
	case <-firstAck:
		began = time.Now()
	case <-wait.C:
		h.rep.problem("kill %d: no write acknowledged within %s of the server being ready", n, firstAckWait)
		up = 0
	case <-srv.exited:
		up = 0
	case <-ctx.Done():
		up = 0
	}
	wait.Stop()
	timer := time.NewTimer(up)
	select {
	case <-timer.C:
	case <-srv.exited:
	case <-ctx.Done():
	}
	timer.Stop()
	stop.Store(true)
	h.rep.Up = append(h.rep.Up, time.Since(began).Round(time.Millisecond))
	exitedEarly := srv.kill()
	wg.Wait()
	h.rep.Kills++
	if exitedEarly != nil {
		h.rep.problem("kill %d: the server exited by itself before the kill: %v; its log ends: %s", n, exitedEarly, h.logs.tail())
	}
	inFlight := 0
	for _, w := range h.ws {
		for op, k := range w.acked {
			h.rep.Acked[op] += k
		}
		clear(w.acked)
		for _, msg := range w.problems {
			h.rep.problem("kill %d: %s", n, msg)
		}
		w.problems = w.problems[:0]
		if w.pending != nil {
			inFlight++
		}
	}
	h.rep.InFlight += inFlight
	if err := ctx.Err(); err != nil {
		return err
	}
	applied, err := h.verify(ctx, true)
	if err != nil {
		return err
	}
	if h.cfg.Progress != nil {
		status := "ok"
		if h.rep.ProblemCount > 0 {
			status = fmt.Sprintf("%d PROBLEMS", h.rep.ProblemCount)
		}
		fmt.Fprintf(h.cfg.Progress, "kill %3d/%d  ready %4dms  killed after %4dms  acked +%-4d (total %6d)  in flight %2d (applied %2d)  lost %d  %s\n",
			n, h.cfg.Kills, srv.ready.Milliseconds(), h.rep.Up[len(h.rep.Up)-1].Milliseconds(), h.rep.AckedTotal()-before,
			h.rep.AckedTotal(), inFlight, applied, h.rep.Lost, status)
	}
	return nil
}

// readBack reads random acknowledged records through the freshly started
// server's API and compares them with what was acknowledged.
func (h *harness) readBack(ctx context.Context, api *apiClient) {
	var all []*record
	for _, w := range h.ws {
		all = append(all, w.recs...)
	}
	for range min(h.cfg.ReadBacks, len(all)) {
		r := all[h.rng.IntN(len(all))]
		got, status, err := api.get(ctx, kinds[r.kind].path+"/"+r.id)
		if err != nil {
			h.rep.problem("API read-back of %s %s: %v", kinds[r.kind].name, r.id, err)
			continue
		}
		h.rep.ReadBacks++
		want := r.acked
		if !want.Present || want.Trashed {
			if status != http.StatusNotFound {
				h.rep.Lost++
				h.rep.problem("API read-back: %s %s was deleted by an acknowledged write (%s) but GET answers %d", kinds[r.kind].name, r.id, r.lastAck, status)
			}
			continue
		}
		if status != http.StatusOK {
			h.rep.Lost++
			h.rep.problem("API read-back: %s %s acknowledged as %s (%s) answers %d", kinds[r.kind].name, r.id, want, r.lastAck, status)
			continue
		}
		if !got.equal(want) {
			h.rep.Lost++
			h.rep.problem("API read-back: %s %s acknowledged as %s (%s) reads %s", kinds[r.kind].name, r.id, want, r.lastAck, got)
		}
	}
}

func engineOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "postgres"
	}
	return "sqlite"
}

func randomID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}
