package sqlstore_test

import (
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Supplier/CreateFindUpdate":     testSupplierCRUD,
		"Supplier/NameUniqueAmongLive":  testSupplierNameUnique,
		"Supplier/TrashRestore":         testSupplierTrash,
		"Supplier/FiltersSearchPages":   testSupplierFilters,
		"Supplier/ServiceReadModel":     testSupplierServiceReadModel,
		"Supplier/SLAResultAttribution": testSupplierSLA,
	} {
		contract[name] = fn
	}
}

func mkSupplier(t *testing.T, db *sqlstore.DB, name string, mods ...func(*liaison.Supplier)) *liaison.Supplier {
	t.Helper()
	s := &liaison.Supplier{Name: name}
	for _, m := range mods {
		m(s)
	}
	ok(t, db.CreateSupplier(ctx, s))
	return s
}

func testSupplierCRUD(t *testing.T, db *sqlstore.DB) {
	mail, erp := mkService(t, db, "Mail"), mkService(t, db, "ERP")
	s := mkSupplier(t, db, "  Nordlys Hosting AB ", func(s *liaison.Supplier) {
		s.RegistrationID, s.ContactName, s.ContactEmail = "556677-8899", "Sara Lind", " Sara.Lind@Nordlys.example "
		s.Website, s.ContractReference, s.ContractEndDate = "https://nordlys.example", "UH-2024-17", liaison.Ptr("2027-06-30")
		s.Services = []liaison.SupplierService{{ServiceID: mail.ID, Note: " Hosting "}, {ServiceID: erp.ID}}
	})
	if s.ID == "" || s.Version != 1 || s.Name != "Nordlys Hosting AB" || s.Status != liaison.SupplierActive ||
		s.ContactEmail != "sara.lind@nordlys.example" || len(s.Services) != 2 || s.Services[0].Note != "Hosting" ||
		s.Services[0].ServiceName != "Mail" || s.Services[1].ServiceName != "ERP" {
		t.Fatalf("created = %+v", s)
	}
	got, err := db.FindSupplierByID(ctx, s.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, s); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Status, u.ContractEndDate = liaison.SupplierInactive, nil
	u.Services = []liaison.SupplierService{{ServiceID: erp.ID, Note: "Operations"}}
	ok(t, db.UpdateSupplier(ctx, &u, 1))
	got, err = db.FindSupplierByID(ctx, s.ID)
	ok(t, err)
	if got.Version != 2 || got.Status != liaison.SupplierInactive || got.ContractEndDate != nil ||
		len(got.Services) != 1 || got.Services[0].ServiceID != erp.ID || got.Services[0].Note != "Operations" {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateSupplier(ctx, &u, 1), liaison.ESTALE)
	bad := *got
	bad.Services = []liaison.SupplierService{{ServiceID: "nope"}}
	wantField(t, db.UpdateSupplier(ctx, &bad, 2), "services[0].service_id", liaison.CodeUnknown)
	bad.Services, bad.Website, bad.ContactEmail = nil, "ftp://x", "not-mail"
	err = db.UpdateSupplier(ctx, &bad, 2)
	wantField(t, err, "website", liaison.CodeInvalid)
	wantField(t, err, "contact_email", liaison.CodeInvalid)
	entries := auditOf(t, db, "supplier", s.ID)
	if len(entries) != 2 || entries[0].Action != "update" || entries[1].Action != "create" || entries[0].Summary != "Nordlys Hosting AB" {
		t.Fatalf("audit = %+v", entries)
	}
}

func testSupplierNameUnique(t *testing.T, db *sqlstore.DB) {
	a := mkSupplier(t, db, "Telia Finland Oyj")
	err := db.CreateSupplier(ctx, &liaison.Supplier{Name: "TELIA finland oyj"})
	if e := wantCode(t, err, liaison.ECONFLICT); len(e.Fields) != 1 || e.Fields[0].Field != "name" || e.Fields[0].Key != "supplier.error.name_taken" {
		t.Fatalf("err = %+v", e)
	}
	b := mkSupplier(t, db, "Elisa Oyj")
	b.Name = "telia Finland OYJ"
	wantCode(t, db.UpdateSupplier(ctx, b, 1), liaison.ECONFLICT)
	// A supplier keeps its own name in another case.
	a.Name = "TELIA Finland Oyj"
	ok(t, db.UpdateSupplier(ctx, a, 1))
}

func testSupplierTrash(t *testing.T, db *sqlstore.DB) {
	svc := mkService(t, db, "Mail")
	s := mkSupplier(t, db, "Atea", func(s *liaison.Supplier) {
		s.Services = []liaison.SupplierService{{ServiceID: svc.ID, Note: "Hardware"}}
	})
	wantCode(t, db.DeleteSupplier(ctx, s.ID, 7), liaison.ESTALE)
	ok(t, db.DeleteSupplier(ctx, s.ID, 1))
	_, err := db.FindSupplierByID(ctx, s.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	live, _, err := db.FindSuppliers(ctx, liaison.SupplierFilter{})
	ok(t, err)
	trash, _, err := db.FindSuppliers(ctx, liaison.SupplierFilter{Trashed: true})
	ok(t, err)
	if len(live) != 0 || len(trash) != 1 || trash[0].DeletedAt == nil || len(trash[0].Services) != 1 {
		t.Fatalf("live %d, trash %+v", len(live), trash)
	}
	// The trashed supplier is not behind the service any more.
	got, err := db.FindServiceByID(ctx, svc.ID)
	ok(t, err)
	if len(got.Suppliers) != 0 {
		t.Fatalf("service suppliers = %+v", got.Suppliers)
	}
	// Its name is free while it is in the trash; the restore then conflicts.
	other := mkSupplier(t, db, "ATEA")
	_, err = db.RestoreSupplier(ctx, s.ID)
	wantCode(t, err, liaison.ECONFLICT)
	ok(t, db.DeleteSupplier(ctx, other.ID, 1))
	r, err := db.RestoreSupplier(ctx, s.ID)
	ok(t, err)
	if r.DeletedAt != nil || r.Version != 3 || len(r.Services) != 1 {
		t.Fatalf("restored = %+v", r)
	}
	entries := auditOf(t, db, "supplier", s.ID)
	if len(entries) != 3 || entries[0].Action != "restore" || entries[1].Action != "delete" {
		t.Fatalf("audit = %+v", entries)
	}
	// A service a supplier is behind is in use: it is retired, not removed.
	wantCode(t, db.DeleteService(ctx, svc.ID, svc.Version), liaison.ECONFLICT)
}

func testSupplierFilters(t *testing.T, db *sqlstore.DB) {
	mail, erp := mkService(t, db, "Mail"), mkService(t, db, "ERP")
	for _, n := range []string{"Cgi Sverige", "Tieto Finland", "Huawei Nordic", "Cambio Healthcare", "Nordlys Hosting"} {
		mkSupplier(t, db, n, func(s *liaison.Supplier) {
			switch n {
			case "Cgi Sverige", "Cambio Healthcare":
				s.Services = []liaison.SupplierService{{ServiceID: erp.ID}}
			case "Nordlys Hosting":
				s.Services = []liaison.SupplierService{{ServiceID: mail.ID}, {ServiceID: erp.ID}}
				s.Status = liaison.SupplierInactive
			}
			if n == "Huawei Nordic" {
				s.Description = "Network equipment (华为)"
			}
		})
	}
	names := func(f liaison.SupplierFilter) []string {
		ss, _, err := db.FindSuppliers(ctx, f)
		ok(t, err)
		return ids(ss, func(s *liaison.Supplier) string { return s.Name })
	}
	sameStrings(t, "all", names(liaison.SupplierFilter{}), []string{"Cambio Healthcare", "Cgi Sverige", "Huawei Nordic", "Nordlys Hosting", "Tieto Finland"})
	sameStrings(t, "erp", names(liaison.SupplierFilter{ServiceID: erp.ID}), []string{"Cambio Healthcare", "Cgi Sverige", "Nordlys Hosting"})
	sameStrings(t, "inactive", names(liaison.SupplierFilter{Status: liaison.SupplierInactive}), []string{"Nordlys Hosting"})
	sameStrings(t, "q", names(liaison.SupplierFilter{Q: "network"}), []string{"Huawei Nordic"})
	sameStrings(t, "-name", names(liaison.SupplierFilter{Sort: "-name", Limit: 2}), []string{"Tieto Finland", "Nordlys Hosting"})
	var all []string
	f := liaison.SupplierFilter{Limit: 2}
	for {
		ss, next, err := db.FindSuppliers(ctx, f)
		ok(t, err)
		all = append(all, ids(ss, func(s *liaison.Supplier) string { return s.Name })...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	sameStrings(t, "pages", all, names(liaison.SupplierFilter{}))
}

func testSupplierServiceReadModel(t *testing.T, db *sqlstore.DB) {
	mail := mkService(t, db, "Mail")
	mkSupplier(t, db, "Zeta Cloud", func(s *liaison.Supplier) {
		s.Services = []liaison.SupplierService{{ServiceID: mail.ID, Note: "Spam filter"}}
	})
	mkSupplier(t, db, "Alfa Net", func(s *liaison.Supplier) {
		s.Services = []liaison.SupplierService{{ServiceID: mail.ID, Note: "Network"}}
	})
	got, err := db.FindServiceByID(ctx, mail.ID)
	ok(t, err)
	if len(got.Suppliers) != 2 || got.Suppliers[0].Name != "Alfa Net" || got.Suppliers[0].Note != "Network" || got.Suppliers[1].Name != "Zeta Cloud" {
		t.Fatalf("suppliers = %+v", got.Suppliers)
	}
	list, _, err := db.FindServices(ctx, liaison.ServiceFilter{})
	ok(t, err)
	if len(list) != 1 || len(list[0].Suppliers) != 2 {
		t.Fatalf("listed = %+v", list)
	}
	refs, err := db.ServiceSuppliers(ctx, mail.ID)
	ok(t, err)
	if len(refs) != 2 || refs[1].Note != "Spam filter" {
		t.Fatalf("refs = %+v", refs)
	}
	// Editing the service leaves its suppliers alone.
	got.Description = "Mail for everyone"
	ok(t, db.UpdateService(ctx, got, got.Version))
	again, err := db.FindServiceByID(ctx, mail.ID)
	ok(t, err)
	if len(again.Suppliers) != 2 {
		t.Fatalf("after update = %+v", again.Suppliers)
	}
}

func testSupplierSLA(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	a := mkAgreement(t, db, f, f.acct, "SLA 2026")
	sup := mkSupplier(t, db, "Nordlys Hosting", func(s *liaison.Supplier) {
		s.Services = []liaison.SupplierService{{ServiceID: f.mail.ID}}
	})
	r := &liaison.SLAResult{AgreementID: a.ID, ServiceID: f.mail.ID, Period: "2026-04", Metric: liaison.MetricAvailability,
		Target: 99.9, Actual: 99.2, SupplierID: &sup.ID}
	ok(t, db.CreateSLAResult(ctx, r))
	if r.SupplierName != "Nordlys Hosting" || !r.Breached {
		t.Fatalf("created = %+v", r)
	}
	plain := &liaison.SLAResult{AgreementID: a.ID, ServiceID: f.mail.ID, Period: "2026-05", Metric: liaison.MetricAvailability,
		Target: 99.9, Actual: 99.95}
	ok(t, db.CreateSLAResult(ctx, plain))
	got, err := db.FindSLAResultByID(ctx, r.ID)
	ok(t, err)
	if got.SupplierID == nil || *got.SupplierID != sup.ID || got.SupplierName != "Nordlys Hosting" {
		t.Fatalf("found = %+v", got)
	}
	list, _, err := db.FindSLAResults(ctx, liaison.SLAResultFilter{SupplierID: sup.ID})
	ok(t, err)
	if len(list) != 1 || list[0].ID != r.ID {
		t.Fatalf("by supplier = %+v", list)
	}
	bad := &liaison.SLAResult{AgreementID: a.ID, ServiceID: f.mail.ID, Period: "2026-06", Metric: liaison.MetricAvailability,
		Target: 99.9, Actual: 99.95, SupplierID: liaison.Ptr("nope")}
	wantField(t, db.CreateSLAResult(ctx, bad), "supplier_id", liaison.CodeUnknown)
	err = db.ImportSLAResults(ctx, []*liaison.SLAResult{plain, bad})
	wantField(t, err, "row 2: supplier_id", liaison.CodeUnknown)

	// A result keeps a supplier trashed later; a new one cannot name it.
	ok(t, db.DeleteSupplier(ctx, sup.ID, 1))
	got.Note = "Storage outage"
	ok(t, db.UpdateSLAResult(ctx, got, got.Version))
	again, err := db.FindSLAResultByID(ctx, r.ID)
	ok(t, err)
	if again.SupplierName != "Nordlys Hosting" || again.Note != "Storage outage" {
		t.Fatalf("kept = %+v", again)
	}
	later := *bad
	later.SupplierID = &sup.ID
	wantField(t, db.CreateSLAResult(ctx, &later), "supplier_id", liaison.CodeUnknown)
	// Clearing the supplier is a change like any other.
	again.SupplierID = nil
	ok(t, db.UpdateSLAResult(ctx, again, again.Version))
	cleared, err := db.FindSLAResultByID(ctx, r.ID)
	ok(t, err)
	if cleared.SupplierID != nil || cleared.SupplierName != "" {
		t.Fatalf("cleared = %+v", cleared)
	}
}
