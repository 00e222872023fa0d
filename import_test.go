package liaison_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func seqIDs() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("new%d", n) }
}

func rowsOf(header string, lines ...string) []liaison.ImportRow {
	h := strings.Split(header, ";")
	var out []liaison.ImportRow
	for i, l := range lines {
		out = append(out, liaison.MapRow(i+2, strings.Split(l, ";"), h))
	}
	return out
}

func TestSuggestMapping(t *testing.T) {
	got := liaison.SuggestMapping(liaison.ImportPeople, []string{"Namn", "Sähköposti", "姓名", "Enhet", "Puhelin", "whatever", "E-mail"})
	want := []string{"name", "email", "", "organisation", "phone", "", ""}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestCheckMapping(t *testing.T) {
	for _, tc := range []struct {
		name    string
		kind    liaison.ImportKind
		mapping []string
		ok      bool
	}{
		{"people ok", liaison.ImportPeople, []string{"name", "organisation", ""}, true},
		{"people without unit", liaison.ImportPeople, []string{"name", "email"}, false},
		{"people without name", liaison.ImportPeople, []string{"email", "organisation"}, false},
		{"twice", liaison.ImportUnits, []string{"name", "name"}, false},
		{"unknown field", liaison.ImportUnits, []string{"name", "colour"}, false},
		{"roles ok", liaison.ImportRoles, []string{"person_email", "organisation_external_id", "role"}, true},
		{"roles without person", liaison.ImportRoles, []string{"organisation", "role"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := liaison.CheckMapping(tc.kind, tc.mapping); (err == nil) != tc.ok {
				t.Fatalf("CheckMapping = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestPlanUnits(t *testing.T) {
	root := "r1"
	snap := &liaison.ImportSnapshot{Units: []*liaison.Organisation{
		{ID: "r1", Name: "Region", ExternalID: "R", Version: 1},
		{ID: "d1", Name: "Sales", ParentID: &root, Version: 1},
	}}
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	t.Run("children before parents, paths and external ids", func(t *testing.T) {
		rows := rowsOf("external_id;name;parent_external_id;parent",
			"U2;Desk;U1;", // its parent comes later in the file
			"U1;Support;;Region/Sales",
			"U3;Field;;Region/Sales/Support",
			";Sales;R;", // the stored unit by name within its parent
		)
		p := liaison.PlanImport(liaison.ImportUnits, snap, rows, seqIDs(), now)
		if len(p.Rejected) > 0 {
			t.Fatalf("rejected: %+v", p.Rejected)
		}
		if len(p.Units) != 3 || p.Unchanged != 1 || len(p.UnitsUpd) != 0 {
			t.Fatalf("plan: %d created, %d updated, %d unchanged", len(p.Units), len(p.UnitsUpd), p.Unchanged)
		}
		pos := map[string]int{}
		for i, u := range p.Units {
			pos[u.Name] = i
		}
		if pos["Support"] > pos["Desk"] || pos["Support"] > pos["Field"] {
			t.Fatalf("a child precedes its parent: %v", pos)
		}
		if *p.Units[pos["Support"]].ParentID != "d1" {
			t.Fatalf("Support's parent = %v", *p.Units[pos["Support"]].ParentID)
		}
	})
	for _, tc := range []struct {
		name  string
		rows  []liaison.ImportRow
		line  int
		field string
	}{
		{"no name", rowsOf("name;parent", ";Region"), 2, "name"},
		{"unknown parent path", rowsOf("name;parent", "X;Region/Nowhere"), 2, "parent"},
		{"unknown parent id", rowsOf("name;parent_external_id", "X;NOPE"), 2, "parent_external_id"},
		{"cycle", rowsOf("external_id;name;parent_external_id", "A;A;B", "B;B;A"), 2, "parent"},
		{"twice in the file", rowsOf("name;parent", "X;Region", "x;Region"), 3, "name"},
		{"bad yes/no", rowsOf("name;budget_holder", "X;maybe"), 2, "budget_holder"},
		{"stored unit by external id: unchanged", rowsOf("external_id;name", "R;Region"), 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := liaison.PlanImport(liaison.ImportUnits, snap, tc.rows, seqIDs(), now)
			if tc.line == 0 {
				if len(p.Rejected) != 0 {
					t.Fatalf("rejected: %+v", p.Rejected)
				}
				return
			}
			if len(p.Rejected) == 0 || p.Rejected[0].Line != tc.line || p.Rejected[0].Field != tc.field {
				t.Fatalf("rejected %+v, want line %d field %s", p.Rejected, tc.line, tc.field)
			}
		})
	}
}

func TestPlanPeople(t *testing.T) {
	snap := &liaison.ImportSnapshot{
		Units:  []*liaison.Organisation{{ID: "u1", Name: "Malmö", ExternalID: "M"}},
		People: []*liaison.Person{{ID: "p1", Name: "Åsa", Email: "asa@x.se", OrganisationID: "u1", Language: "sv", Version: 3}},
	}
	now := time.Now()
	p := liaison.PlanImport(liaison.ImportPeople, snap, rowsOf("name;email;organisation;external_id",
		"Åsa Öberg;ASA@x.se;Malmö;P1", // matches by email, gains an external id
		"Pär;par@x.se;Malmö;P2",
	), seqIDs(), now)
	if len(p.Rejected) > 0 || len(p.People) != 1 || len(p.PeopleUpd) != 1 {
		t.Fatalf("plan %+v", p)
	}
	if u := p.PeopleUpd[0]; u.ID != "p1" || u.Name != "Åsa Öberg" || u.ExternalID != "P1" || u.Version != 3 {
		t.Fatalf("update %+v", u)
	}
	for _, tc := range []struct {
		name  string
		rows  []liaison.ImportRow
		line  int
		field string
	}{
		{"bad email", rowsOf("name;email;organisation", "X;nope;Malmö"), 2, "email"},
		{"no unit", rowsOf("name;email;organisation", "X;x@x.se;"), 2, "organisation"},
		{"unknown unit", rowsOf("name;email;organisation_external_id", "X;x@x.se;Q"), 2, "organisation_external_id"},
		{"email twice", rowsOf("name;email;organisation", "X;x@x.se;Malmö", "Y;X@x.se;Malmö"), 3, "email"},
		{"bad language", rowsOf("name;organisation;language", "X;Malmö;de"), 2, "language"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := liaison.PlanImport(liaison.ImportPeople, snap, tc.rows, seqIDs(), now)
			if len(p.Rejected) == 0 || p.Rejected[0].Line != tc.line || p.Rejected[0].Field != tc.field {
				t.Fatalf("rejected %+v, want line %d field %s", p.Rejected, tc.line, tc.field)
			}
		})
	}
}

func TestPlanRoles(t *testing.T) {
	snap := &liaison.ImportSnapshot{
		Units:  []*liaison.Organisation{{ID: "u1", Name: "Acc", BudgetHolder: true}, {ID: "u2", Name: "Team"}},
		People: []*liaison.Person{{ID: "p1", Email: "a@x.se"}, {ID: "p2", Email: "b@x.se"}},
		Roles:  []*liaison.ContactRole{{ID: "r1", PersonID: "p1", OrganisationID: "u1", Role: liaison.RoleCustomer, Active: true}},
	}
	now := time.Now()
	p := liaison.PlanImport(liaison.ImportRoles, snap, rowsOf("person_email;organisation;role",
		"a@x.se;Acc;customer", "b@x.se;Team;orderer"), seqIDs(), now)
	if len(p.Rejected) > 0 || len(p.Roles) != 1 || p.Unchanged != 1 {
		t.Fatalf("plan %+v", p)
	}
	for _, tc := range []struct {
		name, line string
		field      string
	}{
		{"second customer", "b@x.se;Acc;customer", "role"},
		{"customer of a non-account", "b@x.se;Team;customer", "role"},
		{"unknown person", "c@x.se;Team;user", "person"},
		{"bad role", "b@x.se;Team;boss", "role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := liaison.PlanImport(liaison.ImportRoles, snap, rowsOf("person_email;organisation;role", tc.line), seqIDs(), now)
			if len(p.Rejected) == 0 || p.Rejected[0].Field != tc.field {
				t.Fatalf("rejected %+v, want field %s", p.Rejected, tc.field)
			}
		})
	}
}

// fuzzSnapshot holds a record of every kind for the rows to match and name.
func fuzzSnapshot() *liaison.ImportSnapshot {
	mail := &liaison.Service{ID: "s", Name: "Mail", ExternalID: "S1", Status: liaison.ServiceLive, PriceModel: liaison.PricePerUser,
		Currency: "EUR", Levels: []liaison.ServiceLevel{{Name: "Gold"}}}
	ag := &liaison.Agreement{ID: "a", OrganisationID: "r", Title: "Avtal", ExternalID: "A1", Type: liaison.AgreementServiceLevel,
		Status: liaison.StatusDraft, Services: []liaison.ServiceCover{{ServiceID: "s", Level: "Gold"}}}
	mail.Normalize() // as stored
	ag.Normalize()
	return &liaison.ImportSnapshot{Units: []*liaison.Organisation{{ID: "r", Name: "Region", BudgetHolder: true}},
		People:     []*liaison.Person{{ID: "p", Email: "a@x.se"}},
		Roles:      []*liaison.ContactRole{{ID: "c", PersonID: "p", OrganisationID: "r", Role: liaison.RoleCustomer, Active: true}},
		Users:      []*liaison.User{{ID: "u", Email: "u@x.se", Name: "Owner"}},
		Services:   []*liaison.Service{mail},
		Agreements: []*liaison.Agreement{ag},
		SLAResults: []*liaison.SLAResult{{ID: "x", AgreementID: "a", ServiceID: "s", Period: "2026-03", Metric: liaison.MetricAvailability}},
	}
}

// FuzzPlanImport: mapping and checking any rows of any kind never panics,
// every rejection names a line of the file (or 0 for the file), and a row
// is planned (created, updated or unchanged) or rejected, never both.
func FuzzPlanImport(f *testing.F) {
	f.Add("units", "external_id;name;parent_external_id;parent", "A;Region;;\nB;Sales;A;\nC;x;;Region/Sales/x")
	f.Add("people", "name;email;organisation;language", "Åsa;a@x.se;Region;sv\n;bad;;zz")
	f.Add("roles", "person_email;organisation;role;active", "a@x.se;Region;customer;ja")
	f.Add("services", "external_id;name;status;levels;price_model;owner;customer_specific", "S1;Mail;live;Gold|Silver;per user;u@x.se;nej\nS1;Print;live;;fixed;nobody;maybe")
	f.Add("agreements", "external_id;title;type;status;organisation;signed_by;services;annual_amount;start_date;notice_months",
		"A1;Avtal;service level;active;Region;a@x.se;Mail: Gold, Fax;1 000,5;2026-01-01;3\n;Ram;financial;;Region;;;x;2026-13-01;1.5")
	f.Add("sla-results", "agreement_external_id;agreement;service;period;metric;target;actual",
		"A1;;Mail;2026-03;availability;99,5;99.9\n;Avtal;Mail;2026-03-01;response time;60;x\nA9;;Fax;13;other;;")
	f.Fuzz(func(t *testing.T, kind, header, body string) {
		k, ok := liaison.ParseImportKind(kind)
		if !ok {
			k = liaison.ImportUnits
		}
		cols := strings.Split(header, ";")
		mapping := liaison.SuggestMapping(k, cols)
		_ = liaison.CheckMapping(k, mapping)
		var rows []liaison.ImportRow
		for i, l := range strings.Split(body, "\n") {
			rows = append(rows, liaison.MapRow(i+2, strings.Split(l, ";"), mapping))
		}
		snap := fuzzSnapshot()
		p := liaison.PlanImport(k, snap, rows, seqIDs(), time.Now())
		lines := map[int]bool{}
		for _, r := range p.Rejected {
			if r.Line < 0 || r.Line > len(rows)+1 {
				t.Fatalf("rejection names line %d of %d rows", r.Line, len(rows))
			}
			lines[r.Line] = true
		}
		if n := p.Created() + p.Updated() + p.Unchanged + len(lines); k != liaison.ImportUnits && n != len(rows) {
			t.Fatalf("%d rows, %d planned and %d rejected", len(rows), p.Created()+p.Updated()+p.Unchanged, len(lines))
		}
	})
}
