package cli_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestBackupRestoreCommands runs backup and restore through Main on each
// engine: the round trip, the refusals, and their exit codes and messages.
func TestBackupRestoreCommands(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := sqlstoretest.DSN(t, engine)
			if _, errOut, code := run(t, "pw-for-eva-123\n", "users", "create", "--db", src, "--email", "eva@example.se",
				"--name", "Eva Ek", "--role", "admin", "--password-stdin"); code != 0 {
				t.Fatalf("users create: %d %s", code, errOut)
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "liaison.backup.gz")

			out, errOut, code := run(t, "", "backup", "--db", src, "--to", file)
			if code != 0 || !strings.Contains(out, "backup written to "+file) || !strings.Contains(out, "sha256 ") {
				t.Fatalf("backup: %d %q %q", code, out, errOut)
			}
			if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("backup file: %v, %v; want mode 0600", st, err)
			}
			if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
			if out, errOut, code := run(t, "", "restore", "--check", "--from", file); code != 0 || !strings.Contains(out, "is intact") {
				t.Fatalf("restore --check: %d %q %q", code, out, errOut)
			}

			dst := sqlstoretest.DSN(t, engine)
			out, errOut, code = run(t, "", "restore", "--db", dst, "--from", file)
			if code != 0 || !strings.Contains(out, "restored ") || !strings.Contains(out, "a "+engine+" backup") {
				t.Fatalf("restore: %d %q %q", code, out, errOut)
			}
			wantUser(t, dst, "eva@example.se")

			// Through a pipe: standard output to standard input.
			piped, errOut, code := run(t, "", "backup", "--db", src, "--to", "-")
			if code != 0 || !strings.HasPrefix(piped, "\x1f\x8b") {
				t.Fatalf("backup --to -: %d %q", code, errOut)
			}
			if out, errOut, code := run(t, piped, "restore", "--db", sqlstoretest.DSN(t, engine), "--from", "-"); code != 0 || !strings.Contains(out, "restored ") {
				t.Fatalf("restore --from -: %d %q %q", code, out, errOut)
			}

			// Again into the now full database: refused, then forced.
			out, errOut, code = run(t, "", "restore", "--db", dst, "--from", file)
			if code != 1 || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, "--force") || out != "" {
				t.Fatalf("restore into a full database: %d %q %q", code, out, errOut)
			}
			if out, errOut, code := run(t, "", "restore", "--db", dst, "--from", file, "--force"); code != 0 {
				t.Fatalf("restore --force: %d %q %q", code, out, errOut)
			}
			wantUser(t, dst, "eva@example.se")

			// A damaged file: refused, nothing written.
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0x01
			bad := filepath.Join(dir, "bad.gz")
			if err := os.WriteFile(bad, b, 0o600); err != nil {
				t.Fatal(err)
			}
			empty := sqlstoretest.DSN(t, engine)
			if _, errOut, code := run(t, "", "restore", "--db", empty, "--from", bad); code != 1 || !strings.Contains(errOut, "damaged") {
				t.Fatalf("restore of a damaged file: %d %q", code, errOut)
			}
			if _, errOut, code := run(t, "", "restore", "--check", "--from", bad); code != 1 || !strings.Contains(errOut, "damaged") {
				t.Fatalf("restore --check of a damaged file: %d %q", code, errOut)
			}
			db, err := sqlstore.Open(context.Background(), empty)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), "not migrated") {
				t.Errorf("after a refused restore, Ping = %v; want an untouched database", err)
			}
			db.Close()

			// Usage mistakes.
			for _, args := range [][]string{
				{"backup", "--db", src},
				{"backup", "--db", src, "--to", file, "extra"},
				{"restore", "--db", dst},
			} {
				if _, errOut, code := run(t, "", args...); code != 1 || !strings.Contains(errOut, "usage: liaison "+args[0]) {
					t.Errorf("%q: %d %q; want exit 1 with the usage", args, code, errOut)
				}
			}
			if _, errOut, code := run(t, "", "restore", "--db", dst, "--from", filepath.Join(dir, "missing.gz")); code != 1 || !strings.Contains(errOut, "no such file") {
				t.Errorf("restore of a missing file: %d %q", code, errOut)
			}
			if _, errOut, code := run(t, "", "backup", "--db", src, "--to", filepath.Join(dir, "x"), "--format", "tar"); code != 1 || !strings.Contains(errOut, "portable or sqlite") {
				t.Errorf("backup --format tar: %d %q", code, errOut)
			}
		})
	}
}

// TestBackupRestoreCommandsAcrossEngines moves a database from SQLite to
// PostgreSQL with the two commands, as an organisation outgrowing one
// machine would.
func TestBackupRestoreCommandsAcrossEngines(t *testing.T) {
	sqlstoretest.Require(t, sqlstoretest.Postgres)
	src := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	if _, errOut, code := run(t, "", "users", "create", "--db", src, "--email", "ada@example.com", "--name", "Ada", "--role", "head"); code != 0 {
		t.Fatalf("users create: %d %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "move.gz")
	if _, errOut, code := run(t, "", "backup", "--db", src, "--to", file); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut)
	}
	dst := sqlstoretest.DSN(t, sqlstoretest.Postgres)
	if out, errOut, code := run(t, "", "restore", "--db", dst, "--from", file); code != 0 || !strings.Contains(out, "a sqlite backup") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	wantUser(t, dst, "ada@example.com")
}

// TestBackupSQLiteFormat: --format sqlite writes a SQLite file on SQLite
// only, and restore explains what to do with one.
func TestBackupSQLiteFormat(t *testing.T) {
	src := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	if _, errOut, code := run(t, "", "users", "create", "--db", src, "--email", "bo@example.com", "--name", "Bo", "--role", "staff"); code != 0 {
		t.Fatalf("users create: %d %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "copy.db")
	if out, errOut, code := run(t, "", "backup", "--db", src, "--to", file, "--format", "sqlite"); code != 0 || !strings.Contains(out, "SQLite file") {
		t.Fatalf("backup --format sqlite: %d %q %q", code, out, errOut)
	}
	wantUser(t, file, "bo@example.com")
	dst := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	if _, errOut, code := run(t, "", "restore", "--db", dst, "--from", file); code != 1 || !strings.Contains(errOut, "copy it into place") {
		t.Errorf("restore of a SQLite file: %d %q", code, errOut)
	}
	if _, errOut, code := run(t, "", "backup", "--db", filepath.Join(t.TempDir(), "none.db"), "--to", file+".gz"); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("backup of a missing SQLite file: %d %q", code, errOut)
	}

	sqlstoretest.Require(t, sqlstoretest.Postgres)
	pg := sqlstoretest.DSN(t, sqlstoretest.Postgres)
	run(t, "", "migrate", "--db", pg)
	if _, errOut, code := run(t, "", "backup", "--db", pg, "--to", file+"2", "--format", "sqlite"); code != 1 || !strings.Contains(errOut, "needs a SQLite database") {
		t.Errorf("backup --format sqlite of PostgreSQL: %d %q", code, errOut)
	}
}

func TestHelpListsBackup(t *testing.T) {
	out, _, code := run(t, "", "help")
	if code != 0 || !strings.Contains(out, "liaison backup") || !strings.Contains(out, "liaison restore") {
		t.Fatalf("help: %d %q", code, out)
	}
}

func wantUser(t *testing.T, dsn, email string) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(context.Background()); err != nil {
		t.Fatalf("restored database: %v", err)
	}
	if _, err := db.FindUserByEmail(context.Background(), email); err != nil {
		t.Fatalf("restored database lacks %s: %v", email, err)
	}
}

// TestBackupWhileServing takes backups with the command while the server
// answers API creates on the same database, and restores each: every unit
// in a restored database comes with its audit row and the reverse, and
// what finished before a backup began is in it.
func TestBackupWhileServing(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine)
			run(t, "", "users", "create", "--db", dsn, "--email", "w@example.com", "--name", "Writer", "--role", "admin")
			token, errOut, code := run(t, "", "tokens", "create", "--db", dsn, "--email", "w@example.com", "--scope", "write")
			if code != 0 {
				t.Fatalf("tokens create: %s", errOut)
			}
			r, err := cli.Start(context.Background(), cli.Config{DB: dsn, Addr: "127.0.0.1:0", Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Stop()

			var created atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 3 {
				wg.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						body := strings.NewReader(fmt.Sprintf(`{"name":"Unit %d-%d"}`, w, i))
						req, _ := http.NewRequest("POST", r.URL+"/api/v1/organisations", body)
						req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
						req.Header.Set("Content-Type", "application/json")
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusCreated {
							t.Errorf("POST organisations: %d", resp.StatusCode)
							return
						}
						created.Add(1)
					}
				})
			}
			dir := t.TempDir()
			for b := range 3 {
				for created.Load() < int64(20*(b+1)) && !t.Failed() {
					time.Sleep(time.Millisecond)
				}
				before := created.Load()
				file := filepath.Join(dir, fmt.Sprintf("b%d.gz", b))
				if out, errOut, code := run(t, "", "backup", "--db", dsn, "--to", file); code != 0 {
					t.Fatalf("backup %d while serving: %d %q %q", b, code, out, errOut)
				}
				dst := sqlstoretest.DSN(t, engine)
				if out, errOut, code := run(t, "", "restore", "--db", dst, "--from", file); code != 0 {
					t.Fatalf("restore %d: %d %q %q", b, code, out, errOut)
				}
				db, err := sqlstore.Open(context.Background(), dst)
				if err != nil {
					t.Fatal(err)
				}
				units := countPages(t, func(cursor string) (int, string, error) {
					page, next, err := db.FindOrganisations(context.Background(), liaison.OrganisationFilter{Limit: 100, Cursor: cursor})
					return len(page), next, err
				})
				audit := countPages(t, func(cursor string) (int, string, error) {
					page, next, err := db.FindAuditEntries(context.Background(), liaison.AuditFilter{SubjectType: "organisation", Limit: 100, Cursor: cursor})
					return len(page), next, err
				})
				db.Close()
				if units < before || units != audit {
					t.Errorf("backup %d: %d units and %d audit rows; %d units were created before it began", b, units, audit, before)
				}
			}
			close(stop)
			wg.Wait()
		})
	}
}

// countPages counts the items of a paged list.
func countPages(t *testing.T, page func(cursor string) (int, string, error)) int64 {
	t.Helper()
	var total int64
	cursor := ""
	for {
		n, next, err := page(cursor)
		if err != nil {
			t.Fatal(err)
		}
		total += int64(n)
		if next == "" {
			return total
		}
		cursor = next
	}
}
