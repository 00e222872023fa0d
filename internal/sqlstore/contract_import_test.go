package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	contract["Import/UnitsPeopleRolesIdempotent"] = testImportIdempotent
	contract["Import/RejectedRowCommitsNothing"] = testImportRejects
	contract["Import/Jobs"] = testImportJobs
}

func importRows(header string, lines ...string) []liaison.ImportRow {
	h := strings.Split(header, ";")
	var out []liaison.ImportRow
	for i, l := range lines {
		out = append(out, liaison.MapRow(i+2, strings.Split(l, ";"), h))
	}
	return out
}

func testImportIdempotent(t *testing.T, db *sqlstore.DB) {
	units := importRows("external_id;name;parent_external_id;parent;budget_holder",
		"K2;Kundtjänst;K1;;nej", // before its parent
		"K1;Försäljning;;Region Nord;ja",
		"R1;Region Nord;;;",
	)
	for round := range 2 {
		p, err := db.ApplyImport(ctx, liaison.ImportUnits, units, false)
		ok(t, err)
		if len(p.Rejected) > 0 {
			t.Fatalf("round %d rejected %+v", round, p.Rejected)
		}
		if round == 0 && p.Created() != 3 || round == 1 && (p.Created() != 0 || p.Unchanged != 3) {
			t.Fatalf("round %d: %d created, %d unchanged", round, p.Created(), p.Unchanged)
		}
	}
	found, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{ExternalID: "K2"})
	ok(t, err)
	chain, err := db.OrganisationChain(ctx, found[0].ID)
	ok(t, err)
	if len(chain) != 3 || chain[1].Name != "Försäljning" || chain[2].Name != "Region Nord" || !chain[1].BudgetHolder {
		t.Fatalf("chain %+v", chain)
	}
	people := importRows("external_id;name;email;organisation",
		"P1;Åsa Öberg;asa@example.se;Region Nord/Försäljning",
		";Pär Ängström;par@example.se;Region Nord/Försäljning/Kundtjänst")
	p, err := db.ApplyImport(ctx, liaison.ImportPeople, people, false)
	ok(t, err)
	if p.Created() != 2 {
		t.Fatalf("people: %+v", p.Rejected)
	}
	// Again, with a changed title and Pär now known by email: no duplicates.
	people = importRows("external_id;name;email;organisation;title",
		"P1;Åsa Öberg;asa@example.se;Region Nord/Försäljning;Chef",
		"P2;Pär Ängström;PAR@example.se;Region Nord/Försäljning/Kundtjänst;")
	p, err = db.ApplyImport(ctx, liaison.ImportPeople, people, false)
	ok(t, err)
	if p.Created() != 0 || p.Updated() != 2 {
		t.Fatalf("re-import: %d created, %d updated, %+v", p.Created(), p.Updated(), p.Rejected)
	}
	all, _, err := db.FindPeople(ctx, liaison.PersonFilter{Q: "asa oberg"})
	ok(t, err)
	if len(all) != 1 || all[0].Title != "Chef" || all[0].Version != 2 {
		t.Fatalf("people %+v", all)
	}
	roles := importRows("person_email;organisation_external_id;role", "asa@example.se;K1;customer", "par@example.se;K2;orderer")
	p, err = db.ApplyImport(ctx, liaison.ImportRoles, roles, false)
	ok(t, err)
	if p.Created() != 2 {
		t.Fatalf("roles: %+v", p.Rejected)
	}
	p, err = db.ApplyImport(ctx, liaison.ImportRoles, roles, false)
	ok(t, err)
	if p.Created() != 0 || p.Unchanged != 2 {
		t.Fatalf("roles again: %d created", p.Created())
	}
	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "import", Limit: 50})
	ok(t, err)
	if len(entries) != 6 {
		t.Fatalf("%d import audit entries, want 6", len(entries))
	}
	entries, _, err = db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "person", SubjectID: all[0].ID})
	ok(t, err)
	if len(entries) != 2 || entries[0].AccountID != chain[1].ID {
		t.Fatalf("person's audit %+v", entries)
	}
}

func testImportRejects(t *testing.T, db *sqlstore.DB) {
	mkUnit(t, db, "Malmö", nil)
	rows := importRows("name;email;organisation", "Ann;ann@example.se;Malmö", "Bo;not an email;Malmö", "Cid;cid@example.se;Lund")
	p, err := db.ApplyImport(ctx, liaison.ImportPeople, rows, false)
	ok(t, err)
	if len(p.Rejected) != 2 || p.Rejected[0].Line != 3 || p.Rejected[1].Line != 4 || p.Rejected[1].Field != "organisation" {
		t.Fatalf("rejected %+v", p.Rejected)
	}
	// A dry run of good rows writes nothing either.
	p, err = db.ApplyImport(ctx, liaison.ImportPeople, rows[:1], true)
	ok(t, err)
	if p.Created() != 1 {
		t.Fatalf("dry run %+v", p)
	}
	found, _, err := db.FindPeople(ctx, liaison.PersonFilter{})
	ok(t, err)
	if len(found) != 0 {
		t.Fatalf("%d people stored", len(found))
	}
}

func testImportJobs(t *testing.T, db *sqlstore.DB) {
	u := mkUser(t, db, "Head Person")
	j := &liaison.ImportJob{Kind: liaison.ImportPeople, FileName: "p.csv", Data: []byte("name\nÅsa\n"), Mapping: []string{"name"},
		Status: liaison.ImportUploaded, Total: 1, CreatedBy: u.ID}
	ok(t, db.CreateImportJob(ctx, j))
	j.Status, j.Done = liaison.ImportChecked, 1
	j.Report = &liaison.ImportSummary{Rows: 1, Rejected: []liaison.ImportRowError{{Line: 2, Field: "organisation", Key: "import.error_no_unit", Args: []any{"X"}, Message: "no"}}}
	ok(t, db.SaveImportJob(ctx, j))
	got, err := db.FindImportJob(ctx, j.ID)
	ok(t, err)
	if string(got.Data) != "name\nÅsa\n" || got.Status != liaison.ImportChecked || got.Report == nil || got.Report.Rejected[0].Key != "import.error_no_unit" ||
		fmt.Sprint(got.Mapping) != "[name]" || got.Version != 2 {
		t.Fatalf("job %+v", got)
	}
	_, err = db.FindImportJob(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
}
