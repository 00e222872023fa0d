package cli_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestCommands(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine)
			if out, errOut, code := run(t, "", "migrate", "--db", dsn); code != 0 || !strings.Contains(out, "up to date") {
				t.Fatalf("migrate: %d %q %q", code, out, errOut)
			}
			out, errOut, code := run(t, "s3cret-password\n", "users", "create", "--db", dsn, "--email", "Eva@Example.se", "--name", "Eva Ek", "--role", "admin", "--password-stdin")
			if code != 0 || !regexp.MustCompile(`^[0-9a-z]{8,}\n$`).MatchString(out) {
				t.Fatalf("users create: %d %q %q; want the new id alone", code, out, errOut)
			}
			if _, errOut, code := run(t, "x\n", "users", "create", "--db", dsn, "--email", "eva@example.se", "--name", "Eva again", "--role", "admin"); code == 0 || !strings.Contains(errOut, "already exists") {
				t.Errorf("duplicate user: %d %q", code, errOut)
			}
			if _, errOut, code := run(t, "", "users", "create", "--db", dsn, "--email", "x@y.se", "--name", "", "--role", "boss"); code == 0 || !strings.Contains(errOut, "name:") || !strings.Contains(errOut, "role:") {
				t.Errorf("invalid user: %d %q; want field errors", code, errOut)
			}
			token, errOut, code := run(t, "", "tokens", "create", "--db", dsn, "--email", "eva@example.se", "--scope", "write")
			if code != 0 || !regexp.MustCompile(`^lia_[A-Za-z0-9_-]{40,}\n$`).MatchString(token) {
				t.Fatalf("tokens create: %d %q %q; want the token alone", code, token, errOut)
			}

			// The token opens the API of a server started as serve starts it.
			r, err := cli.Start(context.Background(), cli.Config{DB: dsn, Addr: "127.0.0.1:0", Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Stop()
			req, _ := http.NewRequest("GET", r.URL+"/api/v1/users/me", nil)
			req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), "eva@example.se") {
				t.Errorf("GET /api/v1/users/me with the token = %d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestServeDemoPrintsSignIn(t *testing.T) {
	dsn := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	var out bytes.Buffer
	r, err := cli.Start(context.Background(), cli.Config{DB: dsn, Addr: "127.0.0.1:0", Demo: true, Out: &out, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Liaison is running at http://127.0.0.1:", "admin@liaison.demo", "demo-admin-2026", "/login"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner %q lacks %q", out.String(), want)
		}
	}
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	// A second start on the same database keeps the data and says nothing of sign-ins.
	out.Reset()
	r, err = cli.Start(context.Background(), cli.Config{DB: dsn, Addr: "127.0.0.1:0", Demo: true, Out: &out, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	if strings.Contains(out.String(), "demo-admin-2026") {
		t.Errorf("demo loaded twice: %q", out.String())
	}
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("database not migrated after serve: %v", err)
	}
}

func TestUsage(t *testing.T) {
	if _, errOut, code := run(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if out, _, code := run(t, "", "help"); code != 0 || !strings.Contains(out, "liaison serve") {
		t.Errorf("help: %d %q", code, out)
	}
}
