package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

const importUsage = "usage: liaison import units|people|roles|services|agreements|sla-results FILE [--dry-run] [--map column=field ...] [--as EMAIL] [--db DB]\n" +
	"       liaison import --kind organisations|people|roles|services|agreements|sla-results [--dry-run] [--db DB] FILE\n" +
	"       liaison import ticket-satisfaction --as EMAIL [--source TOOL] [--scale 1-5|0-10|percent] [--dry-run] [--db DB] FILE|-"

// importCmd runs `liaison import KIND FILE`: for now ticket-satisfaction,
// a CSV export of the service desk tool. The import acts as the user named
// by --as (the head of service management or an administrator), whose
// name the audit trail records; a file with any rejected row imports
// nothing and the command fails, listing each row's line and reason.
func importCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(importUsage)
	}
	if args[0] != "ticket-satisfaction" {
		return importRecordsCmd(ctx, args, stdin, stdout)
	}
	fs, dsn := newFlags("import ticket-satisfaction")
	as := fs.String("as", env("LIAISON_AS", ""), "email of the user the import acts as: head or admin (env LIAISON_AS)")
	source := fs.String("source", "", "the service desk tool, for rows without a source column")
	scale := fs.String("scale", string(liaison.Scale1to5), "the tool's scale for rows without a scale column: 1-5, 0-10 or percent")
	dryRun := fs.Bool("dry-run", false, "check the file and report, import nothing")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 || *as == "" {
		return errors.New(importUsage)
	}
	var data []byte
	var err error
	if name := fs.Arg(0); name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", fs.Arg(0), err)
	}
	db, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(*as)))
	if err != nil {
		return fmt.Errorf("--as %s: %w", *as, err)
	}
	ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "cli"})
	rep, err := app.New(db, slog.New(slog.DiscardHandler)).ImportTicketRatingsCSV(ctx, data, *source, liaison.TicketScale(*scale), *dryRun)
	if err != nil {
		return err
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(stdout, "line %d: %s\n", r.Line, r.Reason)
	}
	if len(rep.Rejected) > 0 {
		return fmt.Errorf("%d of %d rows rejected; nothing imported", len(rep.Rejected), rep.Rows)
	}
	if rep.DryRun {
		fmt.Fprintf(stdout, "dry run: %d of %d rows would be imported\n", rep.Imported, rep.Rows)
		return nil
	}
	fmt.Fprintf(stdout, "imported %d ticket ratings (%d rows)\n", rep.Imported, rep.Rows)
	return nil
}
