package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// mapFlags collects repeated --map column=field flags.
type mapFlags map[string]string

func (m mapFlags) String() string { return fmt.Sprint(map[string]string(m)) }
func (m mapFlags) Set(s string) error {
	col, field, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(col) == "" {
		return errors.New("want column=field (field empty to ignore the column)")
	}
	m[strings.TrimSpace(col)] = strings.TrimSpace(field)
	return nil
}

// importRecordsCmd runs `liaison import KIND FILE` (or the contract's
// `liaison import --kind KIND FILE`) for units (organisations), people,
// roles, services, agreements and SLA results, CSV or XLSX. The columns map to fields by their names (in any of
// the four languages); --map changes that. A file with any rejected row
// imports nothing: each rejected row is listed with its line and reason
// and the command fails. Progress goes to stderr.
func importRecordsCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	kindArg := ""
	if !strings.HasPrefix(args[0], "-") {
		kindArg, args = args[0], args[1:]
	}
	fs, dsn := newFlags("import")
	kindFlag := fs.String("kind", "", "organisations (or units), people, roles, services, agreements or sla-results")
	as := fs.String("as", env("LIAISON_AS", ""), "email of the user the import acts as: head or admin (env LIAISON_AS; default the first administrator)")
	dryRun := fs.Bool("dry-run", false, "check the file and report, import nothing")
	maps := mapFlags{}
	fs.Var(maps, "map", "column=field: map a column to a field (repeatable; field empty ignores the column)")
	// Flags may follow the file: parse, take the file, parse the rest.
	if err := fs.Parse(args); err != nil {
		return err
	}
	var files []string
	for fs.NArg() > 0 {
		files = append(files, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if kindArg == "" {
		kindArg = *kindFlag
	}
	kind, ok := liaison.ParseImportKind(kindArg)
	if !ok || len(files) != 1 {
		return errors.New(importUsage)
	}
	var data []byte
	var err error
	if files[0] == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(files[0])
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", files[0], err)
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var u *liaison.User
	if *as != "" {
		if u, err = db.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(*as))); err != nil {
			return fmt.Errorf("--as %s: %w", *as, err)
		}
	} else {
		admins, _, err := db.FindUsers(ctx, liaison.UserFilter{Role: liaison.RoleAdmin, Sort: "created_at", Limit: 1})
		if err != nil {
			return err
		}
		if len(admins) == 0 {
			return errors.New("no administrator to act as: create one (liaison users create) or give --as")
		}
		u = admins[0]
	}
	ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "cli"})
	progress := func(pct int) {
		bar := strings.Repeat("#", pct/5) + strings.Repeat(".", 20-pct/5)
		fmt.Fprintf(os.Stderr, "\r[%s] %3d%%", bar, pct)
	}
	j, err := app.New(db, slog.New(slog.DiscardHandler)).ImportFile(ctx, kind, filepath.Base(files[0]), data, maps, *dryRun, progress)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	rep := j.Report
	for _, r := range rep.Rejected {
		if r.Field != "" && !strings.HasPrefix(r.Message, r.Field) {
			fmt.Fprintf(stdout, "line %d: %s: %s\n", r.Line, r.Field, r.Message)
		} else {
			fmt.Fprintf(stdout, "line %d: %s\n", r.Line, r.Message)
		}
	}
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("%d of %d rows rejected; nothing imported", len(rep.Rejected), rep.Rows)
	}
	verb := "imported"
	if rep.DryRun {
		verb = "dry run, would import"
	}
	fmt.Fprintf(stdout, "%s %d rows of %s: %d created, %d updated, %d unchanged\n", verb, rep.Rows, kind, rep.Created, rep.Updated, rep.Unchanged)
	return nil
}
