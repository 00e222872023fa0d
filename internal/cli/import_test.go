package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

func TestImportTicketSatisfaction(t *testing.T) {
	dsn := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	for _, u := range [][2]string{{"head@example.se", "head"}, {"mgr@example.se", "manager"}} {
		if _, errOut, code := run(t, "", "users", "create", "--db", dsn, "--email", u[0], "--name", u[1], "--role", u[1]); code != 0 {
			t.Fatalf("users create: %q", errOut)
		}
	}
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acc := &liaison.Organisation{Name: "Lunds kommun", BudgetHolder: true, ExternalID: "K-100"}
	if err := db.CreateOrganisation(context.Background(), acc); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "csat.csv")
	os.WriteFile(file, []byte("ticket_id;account_external_id;score;closed_on\nINC-1;K-100;9;2026-11-02\nINC-2;K-100;3;2026-11-03\n"), 0o600)

	out, errOut, code := run(t, "", "import", "ticket-satisfaction", "--db", dsn, "--as", "head@example.se", "--source", "topdesk", "--scale", "0-10", "--dry-run", file)
	if code != 0 || !strings.Contains(out, "dry run: 2 of 2 rows") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	for range 2 {
		out, errOut, code = run(t, "", "import", "ticket-satisfaction", "--db", dsn, "--as", "head@example.se", "--source", "topdesk", "--scale", "0-10", file)
		if code != 0 || !strings.Contains(out, "imported 2 ticket ratings") {
			t.Fatalf("import: %d %q %q", code, out, errOut)
		}
	}
	items, _, err := db.FindTicketRatings(context.Background(), liaison.TicketRatingFilter{OrganisationID: acc.ID})
	if err != nil || len(items) != 2 {
		t.Fatalf("stored %d ratings (%v), want 2 after importing twice", len(items), err)
	}
	// A rejected row is named by its line, and the command fails.
	os.WriteFile(file, []byte("ticket_id,account_external_id,score,closed_on\nINC-3,K-100,4,2026-11-02\nINC-4,K-404,4,2026-11-02\n"), 0o600)
	out, errOut, code = run(t, "", "import", "ticket-satisfaction", "--db", dsn, "--as", "head@example.se", "--source", "topdesk", file)
	if code != 1 || !strings.Contains(out, `line 3: account_external_id "K-404" names no account`) || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("rejected file: %d %q %q", code, out, errOut)
	}
	// Standard input, and a manager may not import.
	_, errOut, code = run(t, "ticket_id,account_external_id,score,closed_on\nINC-5,K-100,4,2026-11-02\n", "import", "ticket-satisfaction", "--db", dsn, "--as", "mgr@example.se", "--source", "topdesk", "-")
	if code != 1 || !strings.Contains(errOut, "role does not allow") {
		t.Fatalf("manager import: %d %q", code, errOut)
	}
	if _, errOut, code := run(t, "", "import", "ticket-satisfaction", "--db", dsn, file); code != 1 || !strings.Contains(errOut, "usage:") {
		t.Fatalf("without --as: %d %q", code, errOut)
	}
}
