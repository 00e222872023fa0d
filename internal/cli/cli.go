// Package cli implements the liaison command: flags with LIAISON_*
// environment fallbacks, and one function per subcommand. The server
// start-up lives here too (Start), so that end-to-end tests run the very
// same code on a free port.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

const usage = `liaison — business relationship management for IT service organisations

Usage:
  liaison serve   [--db DB] [--addr HOST:PORT] [--demo]   run the server (migrates on start)
                  [--jobs=false] [--instance-id ID]        background jobs (on by default)
                  [--smtp-addr HOST:PORT --smtp-from ADDR --smtp-user U --smtp-tls none|starttls|tls]
                                                           email (password: LIAISON_SMTP_PASSWORD)
  liaison migrate [--db DB]                                apply database migrations
  liaison users create --email E --name N --role ROLE [--language L] [--password-stdin]
  liaison tokens create --email E --scope read|write [--name NAME] [--customer ORG_ID]
                                                           --customer: a read token restricted to one customer account
                                                           (external: customer-facing routes of that account only)
  liaison seed --demo [--db DB]                            load the demo organisation
  liaison seed --size S|M|L [--seed N] [--end DATE] [--db DB]
                                                           generate a benchmark dataset (SPEC §6)
  liaison backup  [--db DB] --to FILE [--format portable|sqlite]   consistent backup of a live database
  liaison restore [--db DB] --from FILE [--force] [--check]        load a backup into an empty database (- reads stdin)
  liaison import ticket-satisfaction --as EMAIL [--source TOOL] [--scale 1-5|0-10|percent] [--dry-run] [--db DB] FILE
                                                           import service desk ticket ratings from CSV (- reads stdin)

DB is a SQLite file path or a postgres:// URL (environment LIAISON_DB, default ./liaison.db).
`

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = serve(ctx, rest, stdout, stderr)
	case "migrate":
		err = migrate(ctx, rest, stdout)
	case "users":
		err = users(ctx, rest, stdin, stdout)
	case "tokens":
		err = tokens(ctx, rest, stdout)
	case "seed":
		err = seed(ctx, rest, stdout)
	case "backup":
		err = backup(ctx, rest, stdout)
	case "restore":
		err = restore(ctx, rest, stdin, stdout)
	case "import":
		err = importCmd(ctx, rest, stdin, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "liaison: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "liaison:", describe(err))
		return 1
	}
	return 0
}

// describe renders an error for a terminal, field errors included.
func describe(err error) string {
	var e *liaison.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		var b strings.Builder
		b.WriteString(e.Message)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
		}
		return b.String()
	}
	return err.Error()
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("liaison "+name, flag.ContinueOnError)
	db := fs.String("db", env("LIAISON_DB", "./liaison.db"), "SQLite file path or postgres:// URL (env LIAISON_DB)")
	return fs, db
}

// openStore opens and migrates the database.
func openStore(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return db, nil
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := newFlags("migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "database is up to date")
	return nil
}

func users(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: liaison users create --email E --name N --role ROLE [--language L] [--password-stdin]")
	}
	fs, dsn := newFlags("users create")
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "", "admin, head, manager, staff or viewer (required)")
	lang := fs.String("language", "en", "en, sv, fi or zh")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var password string
	if *pwStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return errors.New("--password-stdin: standard input held no password")
		}
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &liaison.User{Email: *email, Name: *name, Role: liaison.UserRole(*role), Language: liaison.Language(*lang)}
	if err := app.New(db, nil).CreateUserAsSystem(ctx, u, password); err != nil {
		return err
	}
	fmt.Fprintln(stdout, u.ID)
	return nil
}

func tokens(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: liaison tokens create --email E --scope read|write [--name NAME] [--customer ORG_ID]")
	}
	fs, dsn := newFlags("tokens create")
	email := fs.String("email", "", "the user the token acts as (required)")
	scope := fs.String("scope", "read", "read or write")
	name := fs.String("name", "command line", "a name to recognise the token by")
	customer := fs.String("customer", "", "restrict the token to this customer account (id): an external, read-only token")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *customer != "" && *scope != string(liaison.ScopeRead) {
		return errors.New("a customer-scoped token may only read: use --scope read")
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	a, who := app.New(db, nil), strings.ToLower(strings.TrimSpace(*email))
	var secret string
	if *customer != "" {
		secret, _, err = a.CreateCustomerTokenFor(ctx, who, *name, *customer)
	} else {
		secret, _, err = a.CreateTokenFor(ctx, who, *name, liaison.Scope(*scope))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// StartCPUProfile writes a CPU profile to path until stop is called; with
// path "" it does nothing.
func StartCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func seed(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := newFlags("seed")
	withDemo := fs.Bool("demo", false, "load the demo organisation into an empty database")
	size := fs.String("size", "", "generate benchmark dataset S, M or L (SPEC §6) into an empty database")
	seedN := fs.Uint64("seed", 1, "with --size: the generator's seed; the same seed and --end give the same data")
	end := fs.String("end", "", "with --size: the day the generated history ends, YYYY-MM-DD (default today, UTC)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the seeding to this file (go tool pprof reads it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stop, err := StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	if *withDemo == (*size != "") {
		return errors.New("usage: liaison seed --demo [--db DB] | liaison seed --size S|M|L [--seed N] [--end YYYY-MM-DD] [--db DB]")
	}
	opts := dataset.Options{Size: dataset.Size(*size), Seed: *seedN}
	if *size != "" {
		if _, err := dataset.PlanFor(opts.Size); err != nil {
			return err
		}
		if *end != "" {
			d, err := liaison.ParseDate(*end)
			if err != nil {
				return fmt.Errorf("--end %q: want a date as YYYY-MM-DD", *end)
			}
			opts.End = d
		}
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		res, err := demo.Load(ctx, app.New(db, slog.New(slog.DiscardHandler)))
		if err != nil {
			return err
		}
		printSignIns(stdout, "", res)
		return nil
	}
	res, err := dataset.Generate(ctx, db, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dataset %s (seed %d, history %s to %s) on %s in %.1fs (built %.1fs, written %.1fs):\n",
		res.Plan.Size, res.Seed, res.Start.Format(liaison.DateLayout), res.End.Format(liaison.DateLayout), db.Engine(),
		(res.Build + res.Load).Seconds(), res.Build.Seconds(), res.Load.Seconds())
	fmt.Fprintf(stdout, "  %d units (%d accounts, depth up to %d), %d people (%d in the trash), %d roles, %d users, %d segments, %d audit entries\n",
		res.Units, res.Accounts, res.MaxDepth, res.People, res.TrashedPeople, res.Roles, res.Users, res.Segments, res.AuditEntries)
	fmt.Fprintf(stdout, "  %d meetings, %d actions\n", res.Meetings, res.Actions)
	fmt.Fprintf(stdout, "  %d survey campaigns (%d open), %d recipients, %d survey responses\n", res.Campaigns, res.Plan.OpenCampaigns(), res.Recipients, res.SurveyResponses)
	fmt.Fprintf(stdout, "  sign in as %s with password %s (every seeded user has it)\n", res.AdminEmail, res.Password)
	return nil
}
