package sqlstore_test

import (
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	contract["Import/CatalogueIdempotent"] = testImportCatalogueIdempotent
	contract["Import/CatalogueRejectedRowCommitsNothing"] = testImportCatalogueRejects
}

// importRound applies rows and checks the counts of what it did.
func importRound(t *testing.T, db *sqlstore.DB, kind liaison.ImportKind, rows []liaison.ImportRow, created, updated, unchanged int) *liaison.ImportPlan {
	t.Helper()
	p, err := db.ApplyImport(ctx, kind, rows, false)
	ok(t, err)
	if len(p.Rejected) > 0 || p.Created() != created || p.Updated() != updated || p.Unchanged != unchanged {
		t.Fatalf("%s: %d created, %d updated, %d unchanged (want %d, %d, %d); rejected %+v", kind,
			p.Created(), p.Updated(), p.Unchanged, created, updated, unchanged, p.Rejected)
	}
	return p
}

func testImportCatalogueIdempotent(t *testing.T, db *sqlstore.DB) {
	acct := mkUnit(t, db, "Lunds kommun", nil, account)
	karin := mkPerson(t, db, "Karin Berg", acct, func(p *liaison.Person) { p.Email = "karin@lund.se" })
	mkRole(t, db, karin, acct, liaison.RoleCustomer)
	owner := mkUser(t, db, "Tjänste Ägare")

	services := importRows("external_id;name;status;price_model;levels;customer_specific;owner;description",
		"S1;E-post;live;per user;Guld|Silver;nej;"+owner.Email+";",
		";Utskrift;live;fixed;Silver;ja;;Skrivare")
	for round := range 2 { // the second round finds every service unchanged
		importRound(t, db, liaison.ImportServices, services, 2*(1-round), 0, 2*round)
	}
	// A changed description and a new level update; the stored levels stay.
	services = importRows("external_id;name;levels;description", "S1;E-post;Brons;Mejl för alla")
	importRound(t, db, liaison.ImportServices, services, 0, 1, 0)
	found, _, err := db.FindServices(ctx, liaison.ServiceFilter{ExternalID: "S1"})
	ok(t, err)
	if len(found) != 1 {
		t.Fatalf("%d services S1", len(found))
	}
	mail := found[0]
	if mail.Description != "Mejl för alla" || len(mail.Levels) != 3 || mail.Levels[2].Name != "Brons" || mail.Version != 2 ||
		mail.PriceModel != liaison.PricePerUser || mail.OwnerID == nil || *mail.OwnerID != owner.ID {
		t.Fatalf("service %+v", mail)
	}

	agreements := importRows("external_id;title;type;status;organisation;signed_by;start_date;end_date;services;annual_amount;currency",
		"A1;Avtal IT 2026;service level;active;Lunds kommun;karin@lund.se;2026-01-01;2026-12-31;E-post: Guld|Utskrift;1 250 000,50;sek",
		";Ramavtal;financial;;Lunds kommun;;;;;;")
	for round := range 2 {
		importRound(t, db, liaison.ImportAgreements, agreements, 2*(1-round), 0, 2*round)
	}
	as, _, err := db.FindAgreements(ctx, liaison.AgreementFilter{ExternalID: "A1"})
	ok(t, err)
	if len(as) != 1 {
		t.Fatalf("%d agreements A1", len(as))
	}
	a := as[0]
	if a.Status != liaison.StatusActive || a.OrganisationID != acct.ID || a.SignedByPersonID == nil || *a.SignedByPersonID != karin.ID ||
		a.AnnualAmount == nil || *a.AnnualAmount != 1250000.5 || a.Currency != "SEK" || len(a.Services) != 2 ||
		a.Services[0].ServiceID != mail.ID || a.Services[0].Level != "Guld" {
		t.Fatalf("agreement %+v", a)
	}
	// Terminated now: a new version and revision; the covers stay.
	importRound(t, db, liaison.ImportAgreements, importRows("external_id;title;type;status;organisation", "A1;Avtal IT 2026;service_level;terminated;Lunds kommun"), 0, 1, 0)
	revs, err := db.FindAgreementRevisions(ctx, a.ID)
	ok(t, err)
	if len(revs) != 2 {
		t.Fatalf("%d revisions", len(revs))
	}
	a, err = db.FindAgreementByID(ctx, a.ID)
	ok(t, err)
	if a.Status != liaison.StatusTerminated || a.Version != 2 || len(a.Services) != 2 {
		t.Fatalf("updated agreement %+v", a)
	}

	results := importRows("agreement_external_id;agreement;service;period;metric;target;actual",
		"A1;;E-post;2026-03;availability;99,5;99.9",
		"A1;;E-post;2026-03-01;response time;60;75",
		";avtal it 2026;Utskrift;2026-03;other;10;4") // by title
	for round := range 2 {
		importRound(t, db, liaison.ImportSLAResults, results, 3*(1-round), 0, 3*round)
	}
	results = importRows("agreement_external_id;service;period;metric;target;actual", "A1;E-post;2026-03;response_time;60;45")
	importRound(t, db, liaison.ImportSLAResults, results, 0, 1, 0)
	rs, _, err := db.FindSLAResults(ctx, liaison.SLAResultFilter{AgreementID: a.ID, Limit: 50})
	ok(t, err)
	if len(rs) != 3 {
		t.Fatalf("%d SLA results", len(rs))
	}
	for _, r := range rs {
		if r.Metric == liaison.MetricResponse && (r.Actual != 45 || r.Breached || r.Version != 2 || r.Period != "2026-03") {
			t.Fatalf("response result %+v", r)
		}
	}

	entries, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: "import", Limit: 50})
	ok(t, err)
	if len(entries) != 9 {
		t.Fatalf("%d import audit entries, want 9", len(entries))
	}
	for _, c := range []struct {
		subject, id, account string
		n                    int
	}{{"service", mail.ID, "", 2}, {"agreement", a.ID, acct.ID, 2}, {"sla_result", rs[0].ID, acct.ID, 0}} {
		entries, _, err = db.FindAuditEntries(ctx, liaison.AuditFilter{SubjectType: c.subject, SubjectID: c.id})
		ok(t, err)
		if len(entries) == 0 || c.n > 0 && len(entries) != c.n || entries[0].AccountID != c.account {
			t.Fatalf("%s audit %+v", c.subject, entries)
		}
	}
}

func testImportCatalogueRejects(t *testing.T, db *sqlstore.DB) {
	acct := mkUnit(t, db, "Lunds kommun", nil, account)
	mkUnit(t, db, "Skolan", acct)
	mail := mkService(t, db, "Mail")
	mkService(t, db, "Print")
	ag := &liaison.Agreement{OrganisationID: acct.ID, Title: "Avtal", ExternalID: "A1", Type: liaison.AgreementServiceLevel,
		Services: []liaison.ServiceCover{{ServiceID: mail.ID}}}
	ok(t, db.CreateAgreement(ctx, ag))
	count := map[liaison.ImportKind]func() int{
		liaison.ImportServices: func() int {
			ss, _, err := db.FindServices(ctx, liaison.ServiceFilter{})
			ok(t, err)
			return len(ss)
		},
		liaison.ImportAgreements: func() int {
			as, _, err := db.FindAgreements(ctx, liaison.AgreementFilter{})
			ok(t, err)
			return len(as)
		},
		liaison.ImportSLAResults: func() int {
			rs, _, err := db.FindSLAResults(ctx, liaison.SLAResultFilter{Limit: 50})
			ok(t, err)
			return len(rs)
		},
	}
	for _, tc := range []struct {
		name  string
		kind  liaison.ImportKind
		rows  []liaison.ImportRow
		line  int
		field string
	}{
		{"live service without levels", liaison.ImportServices, importRows("name;status;levels", "Backup;live;Gold", "Hosting;live;"), 3, "levels"},
		{"bad price model", liaison.ImportServices, importRows("name;price_model", "Backup;fixed", "Hosting;free"), 3, "price_model"},
		{"agreement of a unit that is no account", liaison.ImportAgreements, importRows("title;type;organisation", "Nytt;financial;Lunds kommun", "Skolavtal;financial;Lunds kommun/Skolan"), 3, "organisation"},
		{"active agreement without the customer's signature", liaison.ImportAgreements, importRows("title;type;organisation;status;start_date", "Nytt;financial;Lunds kommun;;", "Aktivt;routines;Lunds kommun;active;2026-01-01"), 3, "signed_by_person_id"},
		{"agreement covering an unknown service", liaison.ImportAgreements, importRows("title;type;organisation;services", "Nytt;financial;Lunds kommun;Mail", "Annat;financial;Lunds kommun;Mail, Fax"), 3, "services"},
		{"SLA result of a service not covered", liaison.ImportSLAResults, importRows("agreement;service;period;metric;target;actual", "Avtal;Mail;2026-04;availability;99;99.5", "Avtal;Print;2026-04;availability;99;98"), 3, "service"},
		{"SLA result with a bad number", liaison.ImportSLAResults, importRows("agreement_external_id;service;period;metric;target;actual", "A1;Mail;2026-04;availability;99;99.5", "A1;Mail;2026-05;availability;99;lots"), 3, "actual"},
		{"SLA result of an unknown agreement", liaison.ImportSLAResults, importRows("agreement_external_id;service;period;metric;target;actual", "A1;Mail;2026-04;availability;99;99.5", "A9;Mail;2026-05;availability;99;98"), 3, "agreement_external_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := count[tc.kind]()
			p, err := db.ApplyImport(ctx, tc.kind, tc.rows, false)
			ok(t, err)
			if len(p.Rejected) != 1 || p.Rejected[0].Line != tc.line || p.Rejected[0].Field != tc.field {
				t.Fatalf("rejected %+v, want line %d field %s", p.Rejected, tc.line, tc.field)
			}
			if n := count[tc.kind](); n != before {
				t.Fatalf("%d records stored, %d before: the good row was written", n, before)
			}
		})
	}
}
