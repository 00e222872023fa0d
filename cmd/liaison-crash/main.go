// Command liaison-crash is the long kill -9 test of SPEC §7: "acknowledged
// means durable: kill -9 during concurrent writes loses no acknowledged
// write, on both engines; the database passes its integrity check after
// restart".
//
// It builds the liaison command (or takes --binary), makes an admin user
// and a write token in the database with `liaison users create` and
// `liaison tokens create`, and then, --kills times over:
//
//  1. starts `liaison serve --db DB --addr 127.0.0.1:0 --log-level warn`
//     as a separate process (the port is read from its start-up banner) and
//     waits for 200 on /readyz;
//  2. reads --readbacks random acknowledged records back through the API
//     and compares version (ETag) and content with what was acknowledged;
//  3. lets --writers concurrent API clients write for a random time between
//     --min-up and --max-up after the first acknowledged write: they create organisation units, people, roles
//     and segments (POST with an Idempotency-Key), update them (PATCH with
//     If-Match, a merge patch of some fields; moving a unit rewrites the
//     paths of its whole subtree), and delete them (DELETE with If-Match:
//     units and people go to the trash, roles and segments are removed).
//     Each writer owns the records it creates and remembers, per record,
//     the last acknowledged state: a 201, 200 or 204 it received;
//  4. kills the server with SIGKILL in the middle of those writes;
//  5. opens the database with a fresh connection (on PostgreSQL, after
//     every session of the killed server has ended, so that a COMMIT sent
//     just before the kill has landed or not for good) and checks:
//     - integrity: SQLite PRAGMA integrity_check and foreign_key_check;
//     PostgreSQL amcheck bt_index_check(heapallindexed) on every B-tree
//     index and verify_heapam on every table (the extension is installed
//     when the server offers it; the report says when it was skipped);
//     - consistency on both engines: no orphans (a person's unit, a
//     role's person and unit, a unit's parent and segment exist), every
//     unit's path and depth follow from its parent's, every audit entry's
//     subject exists or was deleted;
//     - each write left unanswered by the kill was applied whole or not
//     at all (the record is exactly as acknowledged before, or exactly as
//     that write would leave it; a create is found by its unique tag);
//     - every acknowledged write is there: each record the run made has the
//     acknowledged version and content (a later write may have superseded
//     it only if that write was acknowledged too or unanswered at the kill
//     and found applied);
//     - the audit trail holds exactly one entry per applied write of every
//     record, made by the run's user (it commits in the write's
//     transaction), so versions equal the applied writes;
//     - the Idempotency-Key of every acknowledged create is still stored.
//
// A report follows: kills, acknowledged writes by operation, writes in
// flight at the kills and how many of them were applied, lost writes (must
// be 0), missing audit entries (must be 0), API read-backs, idempotency
// gaps (unanswered creates stored without their key, each also a
// problem), and each check with the
// number of kills after which it passed. The exit status is 1 when any
// problem was found.
//
// The database gets the run's records and keeps them: use a scratch one.
// A SQLite file is created when missing. For PostgreSQL make a database:
//
//	createdb -h 127.0.0.1 -U postgres liaison_crash
//	go run ./cmd/liaison-crash --db 'postgres://postgres@127.0.0.1:5432/liaison_crash?sslmode=disable' --kills 200 --writers 16
//	go run ./cmd/liaison-crash --db /tmp/crash.db --kills 200 --writers 16
//
// Only loopback addresses are used. docs/reliability.md has the figures;
// the short version runs in CI as `go test ./internal/crash -run Crash`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/liaisonhq/liaison/internal/crash"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("liaison-crash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", "", "scratch database: a SQLite file path or a postgres:// URL (required)")
	kills := fs.Int("kills", 200, "how many times to kill the server")
	writers := fs.Int("writers", 16, "concurrent API clients")
	minUp := fs.Duration("min-up", 50*time.Millisecond, "shortest time of writes before a kill, counted from the first acknowledged write")
	maxUp := fs.Duration("max-up", 400*time.Millisecond, "longest time of writes before a kill")
	readBacks := fs.Int("readbacks", 8, "acknowledged records read back through the API after each restart")
	seed := fs.Uint64("seed", 0, "seed of the operations and kill times; 0 picks one")
	binary := fs.String("binary", "", "a built liaison command; default: go build ./cmd/liaison into a temporary directory")
	serverLog := fs.String("server-log", "", "append the servers' standard error to this file")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	quiet := fs.Bool("quiet", false, "no line per kill")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *dsn == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: liaison-crash --db DB [--kills 200] [--writers 16] [flags]; --help lists the flags")
		return 2
	}
	if *binary == "" {
		dir, err := os.MkdirTemp("", "liaison-crash-*")
		if err != nil {
			fmt.Fprintln(stderr, "liaison-crash:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		if *binary, err = crash.Build(ctx, dir); err != nil {
			fmt.Fprintln(stderr, "liaison-crash:", err)
			return 1
		}
	}
	cfg := crash.Config{Binary: *binary, DB: *dsn, Kills: *kills, Writers: *writers, MinUp: *minUp, MaxUp: *maxUp,
		ReadBacks: *readBacks, Seed: *seed}
	if !*quiet {
		cfg.Progress = stdout
	}
	if *serverLog != "" {
		f, err := os.OpenFile(*serverLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintln(stderr, "liaison-crash:", err)
			return 1
		}
		defer f.Close()
		cfg.ServerLog = f
	}
	rep, err := crash.Run(ctx, cfg)
	if rep != nil {
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.Encode(rep)
		} else {
			fmt.Fprint(stdout, "\n", rep)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "liaison-crash:", err)
		return 1
	}
	if rep.Failed() {
		return 1
	}
	return 0
}
