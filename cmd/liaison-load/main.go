// Command liaison-load measures Liaison under concurrent load on this
// machine. It starts the real server in-process on a loopback port (or uses
// -server), and beside it a bare net/http handler that runs the same
// primary-key query on the same database: the floor that SPEC §6 compares
// the product against. Each scenario runs -runs times, interleaved, and the
// median run is reported, with the ratio to the floor.
//
//	liaison seed --demo --db /tmp/bench.db
//	liaison-load --db /tmp/bench.db --clients 16 --duration 10s --runs 3
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "liaison-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("liaison-load", flag.ContinueOnError)
	dsn := fs.String("db", os.Getenv("LIAISON_DB"), "database with data (SQLite path or postgres:// URL)")
	clients := fs.Int("clients", 16, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "length of each measured run")
	warmup := fs.Duration("warmup", 2*time.Second, "unmeasured warm-up before each run")
	runs := fs.Int("runs", 3, "runs per scenario; the median is reported")
	scenarios := fs.String("scenarios", "org-get,bare-org-get", "comma-separated scenarios: org-get, bare-org-get, org-list, org-search, account-page, service-list, service-search, subscription-list, agreement-list, agreement-get, agreement-page, agreement-list-page, home-page, complaint-create, complaint-list, my-actions, reviews-due, meetings-list, account-overview, report-pdf, survey-submit, timeline, timeline-filtered, timeline-page, dashboard, dashboard-manager, dashboard-page, search, search-page")
	seed := fs.Uint64("seed", 1, "the seed the dataset was generated with (liaison seed --seed): survey-submit makes its links again from it")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured runs (server and clients share the process) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		return errors.New("--db is required")
	}

	srv, err := cli.Start(ctx, cli.Config{DB: *dsn, Addr: "127.0.0.1:0", Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	defer srv.Stop()

	// A user and token for the API, and the ids the requests pick from.
	email := fmt.Sprintf("load-%d@liaison.invalid", time.Now().UnixNano())
	u := &liaison.User{Email: email, Name: "Load generator", Role: liaison.RoleAdmin}
	if err := srv.App.CreateUserAsSystem(ctx, u, ""); err != nil {
		return fmt.Errorf("create load user: %w", err)
	}
	token, _, err := srv.App.CreateTokenFor(ctx, email, "liaison-load", liaison.ScopeRead)
	if err != nil {
		return err
	}
	ids, err := orgIDs(ctx, srv.Store.Engine(), *dsn)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errors.New("the database has no organisations: seed it first (liaison seed --demo)")
	}
	bare, err := startBare(ctx, *dsn)
	if err != nil {
		return err
	}
	defer bare.Close()

	auth := http.Header{"Authorization": {"Bearer " + token}, "Accept": {"application/json"}}
	pick := func(i int) string { return ids[rand.IntN(len(ids))] }
	all := map[string]load.Scenario{
		"org-get": {Name: "GET /api/v1/organisations/{id}", Next: func(c, i int) load.Request {
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/organisations/" + pick(i), Header: auth}
		}},
		"bare-org-get": {Name: "bare net/http, same query", Next: func(c, i int) load.Request {
			return load.Request{Method: "GET", URL: bare.URL + "/organisations/" + pick(i)}
		}},
		"org-list": {Name: "GET /api/v1/organisations", Next: func(c, i int) load.Request {
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/organisations?limit=50", Header: auth}
		}},
		"org-search": {Name: "GET /api/v1/organisations?q=", Next: func(c, i int) load.Request {
			q := []string{"hal", "skol", "teknik", "malmo", "上海", "kunta", "vard"}[i%7]
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/organisations?q=" + q, Header: auth}
		}},
		"service-list": {Name: "GET /api/v1/services", Next: func(c, i int) load.Request {
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/services?limit=50", Header: auth}
		}},
		"service-search": {Name: "GET /api/v1/services?q=", Next: func(c, i int) load.Request {
			q := []string{"mail", "backup", "erp", "netw", "arbets", "网络", "secure"}[i%7]
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/services?q=" + q, Header: auth}
		}},
		"subscription-list": {Name: "GET /api/v1/subscriptions?organisation_id=", Next: func(c, i int) load.Request {
			return load.Request{Method: "GET", URL: srv.URL + "/api/v1/subscriptions?organisation_id=" + pick(i), Header: auth}
		}},
	}
	if err := addAgreementScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	if err := addComplaintScenarios(ctx, srv, email, auth, ids, all); err != nil {
		return err
	}
	if err := addMeetingScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	if err := addActionScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	if err := addReportScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	if err := addSurveyScenarios(ctx, srv, *dsn, *seed, all); err != nil {
		return err
	}
	if err := addTimelineScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	if err := addDashboardScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	if err := addSearchScenarios(ctx, srv, auth, all); err != nil {
		return err
	}
	stop, err := cli.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	names := strings.Split(*scenarios, ",")
	medians := map[string]load.Result{}
	var collected = map[string][]load.Result{}
	for r := 0; r < *runs; r++ {
		for _, n := range names {
			sc, ok := all[strings.TrimSpace(n)]
			if !ok {
				return fmt.Errorf("unknown scenario %q", n)
			}
			res, err := load.Run(ctx, sc, load.Options{Clients: *clients, Duration: *duration, Warmup: *warmup})
			if err != nil {
				return err
			}
			collected[n] = append(collected[n], res)
			if !*asJSON {
				fmt.Fprintf(out, "run %d  %s\n", r+1, res)
			}
		}
	}
	var results []load.Result
	for _, n := range names {
		medians[n] = load.Median(collected[n])
		results = append(results, medians[n])
	}
	if *asJSON {
		b, err := load.JSON(results)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, string(b))
		return nil
	}
	fmt.Fprintf(out, "\nmedians of %d runs (engine %s, %d clients, %s each, GOMAXPROCS %d):\n", *runs, srv.Store.Engine(), *clients, *duration, runtime.GOMAXPROCS(0))
	for _, r := range results {
		fmt.Fprintln(out, " ", r)
	}
	if p, b := medians["org-get"], medians["bare-org-get"]; p.Throughput > 0 && b.Throughput > 0 {
		fmt.Fprintf(out, "ratio liaison/bare throughput: %.2f (budget ≥ 0.5)\n", p.Throughput/b.Throughput)
	}
	return nil
}

func driverOf(dsn string) (driver, conn string) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "pgx", dsn
	}
	return "sqlite", "file:" + dsn + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)"
}

func orgIDs(ctx context.Context, engine, dsn string) ([]string, error) {
	driver, conn := driverOf(dsn)
	db, err := sql.Open(driver, conn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT id FROM organisations WHERE deleted_at IS NULL LIMIT 5000`)
	if err != nil {
		return nil, fmt.Errorf("list organisation ids: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// bareServer is the floor: net/http and database/sql with nothing else,
// one primary-key query per request, the row written as JSON.
type bareServer struct {
	URL string
	srv *http.Server
	db  *sql.DB
}

func (b *bareServer) Close() { b.srv.Close(); b.db.Close() }

func startBare(ctx context.Context, dsn string) (*bareServer, error) {
	driver, conn := driverOf(dsn)
	db, err := sql.Open(driver, conn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2*runtime.GOMAXPROCS(0) + 2)
	db.SetMaxIdleConns(2*runtime.GOMAXPROCS(0) + 2)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /organisations/{id}", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.QueryContext(r.Context(), `SELECT * FROM organisations WHERE id = $1 AND deleted_at IS NULL`, r.PathValue("id"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		if !rows.Next() {
			http.NotFound(w, r)
			return
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			m[c] = vals[i]
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(m)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		return nil, err
	}
	b := &bareServer{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: mux}, db: db}
	go b.srv.Serve(ln)
	return b, nil
}
