package cli_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestImportRecords: units by path (the contract's --kind form), then
// people from a Windows-1252 semicolon file with one bad row (nothing
// imported, the line named, exit 1), then fixed (imported), then again
// (nothing created). A manager may not import.
func TestImportRecords(t *testing.T) {
	dsn := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	for _, u := range [][2]string{{"admin@example.se", "admin"}, {"mgr@example.se", "manager"}} {
		if _, errOut, code := run(t, "", "users", "create", "--db", dsn, "--email", u[0], "--name", u[1], "--role", u[1]); code != 0 {
			t.Fatalf("users create: %q", errOut)
		}
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	units := write("units.csv", "name,parent\nSkåne,\nMalmö,Skåne\n")
	if out, errOut, code := run(t, "", "import", "--db", dsn, "--kind", "organisations", units); code != 0 || !strings.Contains(out, "2 created") {
		t.Fatalf("units: %q %q", out, errOut)
	}
	// "Åsa Öberg;Malmö" in Windows-1252.
	bad := write("bad.csv", "Namn;E-post;Enhet\n\xc5sa \xd6berg;asa@example.se;Sk\xe5ne/Malm\xf6\nBo;bo(at)example.se;Sk\xe5ne/Malm\xf6\n")
	out, errOut, code := run(t, "", "import", "people", bad, "--db", dsn, "--dry-run")
	if code != 1 || !strings.Contains(out, "line 3: email") || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("bad file: %d %q %q", code, out, errOut)
	}
	good := write("good.csv", "Namn;E-post;Enhet\n\xc5sa \xd6berg;asa@example.se;Sk\xe5ne/Malm\xf6\nBo;bo@example.se;Sk\xe5ne/Malm\xf6\n")
	if _, errOut, code := run(t, "", "import", "people", good, "--db", dsn, "--as", "mgr@example.se"); code != 1 || !strings.Contains(errOut, "not allow") {
		t.Fatalf("as a manager: %d %q", code, errOut)
	}
	for _, want := range []string{"2 created, 0 updated, 0 unchanged", "0 created, 0 updated, 2 unchanged"} {
		if out, errOut, code := run(t, "", "import", "people", good, "--db", dsn, "--map", "Enhet=organisation"); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("good file: %q %q, want %s", out, errOut, want)
		}
	}
}

// TestImportCatalogueRecords: services, agreements and SLA results with
// Swedish and Finnish headers (the mapping suggested from them): a file
// with a bad row imports nothing and names its line; fixed, it imports;
// again, it changes nothing.
func TestImportCatalogueRecords(t *testing.T) {
	dsn := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	if _, errOut, code := run(t, "", "users", "create", "--db", dsn, "--email", "admin@example.se", "--name", "Admin", "--role", "admin"); code != 0 {
		t.Fatalf("users create: %q", errOut)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	units := write("units.csv", "name;budget_holder\nLunds kommun;ja\n")
	if out, errOut, code := run(t, "", "import", "units", units, "--db", dsn); code != 0 || !strings.Contains(out, "1 created") {
		t.Fatalf("units: %q %q", out, errOut)
	}
	for _, tc := range []struct {
		kind      []string // the kind, as an argument or --kind
		bad, good string
		badLine   string
	}{
		{[]string{"services"},
			"Tjänst;Status;Nivåer;Prismodell\nE-post;live;Guld, Silver;per user\nUtskrift;live;;fixed\n",
			"Tjänst;Status;Nivåer;Prismodell\nE-post;live;Guld, Silver;per user\nUtskrift;live;Silver;fixed\n",
			"line 3: levels"},
		{[]string{"agreements"},
			"Otsikko;Tyyppi;Asiakas;Palvelut;Alkupäivä\nIT-avtal;service level;Lunds kommun;E-post: Guld, Utskrift;2026-01-01\nRamavtal;financial;Lunds kommun;Fax;\n",
			"Otsikko;Tyyppi;Asiakas;Palvelut;Alkupäivä\nIT-avtal;service level;Lunds kommun;E-post: Guld, Utskrift;2026-01-01\nRamavtal;financial;Lunds kommun;;\n",
			"line 3: services"},
		{[]string{"--kind", "sla-results"},
			"Avtal;Tjänst;Månad;Mått;Mål;Utfall\nIT-avtal;E-post;2026-03;availability;99,5;99,9\nIT-avtal;E-post;2026-13;availability;99,5;99\n",
			"Avtal;Tjänst;Månad;Mått;Mål;Utfall\nIT-avtal;E-post;2026-03;availability;99,5;99,9\nIT-avtal;Utskrift;2026-03;response time;60;45\n",
			"line 3: period"},
	} {
		t.Run(tc.kind[len(tc.kind)-1], func(t *testing.T) {
			args := func(file string, more ...string) []string {
				return append(append(append([]string{"import"}, tc.kind...), file, "--db", dsn), more...)
			}
			out, errOut, code := run(t, "", args(write("bad.csv", tc.bad))...)
			if code != 1 || !strings.Contains(out, tc.badLine) || !strings.Contains(errOut, "nothing imported") {
				t.Fatalf("bad file: %d %q %q", code, out, errOut)
			}
			good := write("good.csv", tc.good)
			if out, errOut, code := run(t, "", args(good, "--dry-run")...); code != 0 || !strings.Contains(out, "dry run, would import 2 rows") {
				t.Fatalf("dry run: %d %q %q", code, out, errOut)
			}
			for _, want := range []string{"2 created, 0 updated, 0 unchanged", "0 created, 0 updated, 2 unchanged"} {
				if out, errOut, code := run(t, "", args(good)...); code != 0 || !strings.Contains(out, want) {
					t.Fatalf("good file: %q %q, want %s", out, errOut, want)
				}
			}
		})
	}
}

// TestImportSamples imports the sample files of docs/samples into the demo
// organisation, as docs/import.md shows: each imports whole, and again
// changes nothing.
func TestImportSamples(t *testing.T) {
	dsn := sqlstoretest.DSN(t, sqlstoretest.SQLite)
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), app.New(db, slog.New(slog.DiscardHandler))); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tc := range []struct{ kind, file, first string }{
		{"units", "units.csv", "3 created"},
		{"people", "people-sv-cp1252.csv", "created"},
		{"services", "services.csv", "2 created, 0 updated, 0 unchanged"},
		{"agreements", "agreements.csv", "2 created, 0 updated, 0 unchanged"},
		{"sla-results", "sla-results.csv", "3 created, 0 updated, 0 unchanged"},
	} {
		file := filepath.Join("..", "..", "docs", "samples", tc.file)
		for round, want := range []string{tc.first, " 0 created, 0 updated"} {
			if out, errOut, code := run(t, "", "import", tc.kind, file, "--db", dsn); code != 0 || !strings.Contains(out, want) {
				t.Fatalf("%s, round %d: %d %q %q, want %q", tc.file, round, code, out, errOut, want)
			}
		}
	}
}
