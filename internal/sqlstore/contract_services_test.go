package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Service/CreateFindUpdate":                 testServiceCreateFindUpdate,
		"Service/Validates":                        testServiceValidates,
		"Service/FiltersSearchPagination":          testServiceFiltersSearchPagination,
		"Service/LevelInUseKept":                   testServiceLevelInUseKept,
		"Service/DeleteInUse":                      testServiceDeleteInUse,
		"Subscription/CreateFindUpdateDelete":      testSubscriptionCRUD,
		"Subscription/Rules":                       testSubscriptionRules,
		"Subscription/OneUsagePerLevel":            testSubscriptionOneUsagePerLevel,
		"Subscription/FiltersCoverageTrashedUnits": testSubscriptionFiltersCoverage,
		"Subscription/Pagination":                  testSubscriptionPagination,
	} {
		contract[name] = fn
	}
}

func gold() liaison.ServiceLevel {
	return liaison.ServiceLevel{Name: "Gold", AvailabilityPercent: liaison.Ptr(99.9), ResponseMinutes: liaison.Ptr(15),
		ResolutionMinutes: liaison.Ptr(240), SupportHours: "24/7", Price: liaison.Ptr(12.5)}
}

func silver() liaison.ServiceLevel {
	return liaison.ServiceLevel{Name: "Silver", AvailabilityPercent: liaison.Ptr(99.5), ResponseMinutes: liaison.Ptr(60),
		ResolutionMinutes: liaison.Ptr(480), SupportHours: "Mon–Fri 7–19", Price: liaison.Ptr(8.0)}
}

func mkService(t *testing.T, db *sqlstore.DB, name string, mods ...func(*liaison.Service)) *liaison.Service {
	t.Helper()
	s := &liaison.Service{Name: name, Status: liaison.ServiceLive, PriceModel: liaison.PricePerUser,
		Levels: []liaison.ServiceLevel{gold(), silver()}}
	for _, m := range mods {
		m(s)
	}
	ok(t, db.CreateService(ctx, s))
	return s
}

func mkSubscription(t *testing.T, db *sqlstore.DB, unit *liaison.Organisation, svc *liaison.Service, level string, mods ...func(*liaison.Subscription)) *liaison.Subscription {
	t.Helper()
	s := &liaison.Subscription{OrganisationID: unit.ID, ServiceID: svc.ID, Level: level}
	for _, m := range mods {
		m(s)
	}
	ok(t, db.CreateSubscription(ctx, s))
	return s
}

func testServiceCreateFindUpdate(t *testing.T, db *sqlstore.DB) {
	owner := mkUser(t, db, "Olle Owner")
	s := &liaison.Service{Name: " Workplace ", Description: "Laptops and desktop support", OwnerID: &owner.ID,
		PriceModel: liaison.PricePerUser, Currency: "sek", ExternalID: "SVC-1",
		Levels: []liaison.ServiceLevel{gold(), silver(), {Name: "Bronze"}}}
	ok(t, db.CreateService(ctx, s))
	if s.ID == "" || s.Version != 1 || s.Name != "Workplace" || s.Status != liaison.ServicePipeline || s.Currency != "SEK" {
		t.Fatalf("created = %+v", s)
	}
	got, err := db.FindServiceByID(ctx, s.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, s); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	sameStrings(t, "levels", got.LevelNames(), []string{"Gold", "Silver", "Bronze"})
	// Reorder, change a target, drop an unused level, add one.
	u := *got
	g := gold()
	g.AvailabilityPercent = liaison.Ptr(99.95)
	u.Levels = []liaison.ServiceLevel{{Name: "Platinum", ResponseMinutes: liaison.Ptr(5)}, silver(), g}
	u.Status = liaison.ServiceLive
	ok(t, db.UpdateService(ctx, &u, 1))
	got, err = db.FindServiceByID(ctx, s.ID)
	ok(t, err)
	sameStrings(t, "levels", got.LevelNames(), []string{"Platinum", "Silver", "Gold"})
	if got.Version != 2 || got.Status != liaison.ServiceLive || *got.Level("gold").AvailabilityPercent != 99.95 ||
		got.Levels[0].AvailabilityPercent != nil || *got.Levels[0].ResponseMinutes != 5 {
		t.Fatalf("updated = %s", mustJSON(t, got))
	}
	wantCode(t, db.UpdateService(ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.UpdateService(ctx, &liaison.Service{ID: "nope", Name: "X"}, 1), liaison.ENOTFOUND)
	_, err = db.FindServiceByID(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
	actions := ids(auditOf(t, db, "service", s.ID), func(e *liaison.AuditEntry) string { return e.Action })
	sameStrings(t, "actions", actions, []string{"update", "create"})
}

func testServiceValidates(t *testing.T, db *sqlstore.DB) {
	wantField(t, db.CreateService(ctx, &liaison.Service{}), "name", liaison.CodeRequired)
	wantField(t, db.CreateService(ctx, &liaison.Service{Name: "X", Status: "beta"}), "status", liaison.CodeInvalid)
	wantField(t, db.CreateService(ctx, &liaison.Service{Name: "X", Status: liaison.ServiceLive}), "levels", liaison.CodeRequired)
	wantField(t, db.CreateService(ctx, &liaison.Service{Name: "X", OwnerID: liaison.Ptr("nobody")}), "owner_id", liaison.CodeUnknown)
	wantField(t, db.CreateService(ctx, &liaison.Service{Name: "X", Levels: []liaison.ServiceLevel{gold(), {Name: "GOLD"}}}),
		"levels[1].name", liaison.CodeInvalid)
	mkService(t, db, "A", func(s *liaison.Service) { s.ExternalID = "E1" })
	err := db.CreateService(ctx, &liaison.Service{Name: "B", ExternalID: "E1"})
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "A") {
		t.Fatalf("message = %q", e.Message)
	}
}

func testServiceFiltersSearchPagination(t *testing.T, db *sqlstore.DB) {
	owner := mkUser(t, db, "Owner One")
	mkService(t, db, "E-post och kalender", func(s *liaison.Service) { s.OwnerID = &owner.ID })
	mkService(t, db, "ERP-drift")
	mkService(t, db, "Nätverk", func(s *liaison.Service) { s.Status = liaison.ServiceRetired })
	mkService(t, db, "Säker fillagring", func(s *liaison.Service) { s.Status = liaison.ServicePipeline; s.CustomerSpecific = true })
	mkService(t, db, "企业邮箱")
	names := func(ss []*liaison.Service) []string {
		return ids(ss, func(s *liaison.Service) string { return s.Name })
	}
	for _, tc := range []struct {
		name string
		f    liaison.ServiceFilter
		want []string
	}{
		{"all by name", liaison.ServiceFilter{}, []string{"E-post och kalender", "ERP-drift", "Nätverk", "Säker fillagring", "企业邮箱"}},
		{"live", liaison.ServiceFilter{Status: liaison.ServiceLive}, []string{"E-post och kalender", "ERP-drift", "企业邮箱"}},
		{"owner", liaison.ServiceFilter{OwnerID: owner.ID}, []string{"E-post och kalender"}},
		{"customer specific", liaison.ServiceFilter{CustomerSpecific: liaison.Ptr(true)}, []string{"Säker fillagring"}},
		{"diacritics", liaison.ServiceFilter{Q: "natverk"}, []string{"Nätverk"}},
		{"prefix", liaison.ServiceFilter{Q: "kal"}, []string{"E-post och kalender"}},
		{"chinese", liaison.ServiceFilter{Q: "邮箱"}, []string{"企业邮箱"}},
		{"newest first", liaison.ServiceFilter{Sort: "-created_at", Limit: 2}, []string{"企业邮箱", "Säker fillagring"}},
	} {
		got, _, err := db.FindServices(ctx, tc.f)
		ok(t, err)
		sameStrings(t, tc.name, names(got), tc.want)
	}
	all, _, err := db.FindServices(ctx, liaison.ServiceFilter{})
	ok(t, err)
	if len(all[0].Levels) != 2 {
		t.Fatalf("list lacks levels: %+v", all[0])
	}
	var paged []string
	cursor := ""
	for range 10 {
		page, next, err := db.FindServices(ctx, liaison.ServiceFilter{Limit: 2, Cursor: cursor, Sort: "-name"})
		ok(t, err)
		paged = append(paged, names(page)...)
		if cursor = next; cursor == "" {
			break
		}
	}
	sameStrings(t, "paged", paged, []string{"企业邮箱", "Säker fillagring", "Nätverk", "ERP-drift", "E-post och kalender"})
}

func testServiceLevelInUseKept(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	svc := mkService(t, db, "E-mail")
	mkSubscription(t, db, acc, svc, "Gold")
	u := *svc
	u.Levels = []liaison.ServiceLevel{silver()}
	err := db.UpdateService(ctx, &u, svc.Version)
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "Gold") {
		t.Fatalf("message = %q", e.Message)
	}
	// Renaming is removing too.
	r := gold()
	r.Name = "Guld"
	u.Levels = []liaison.ServiceLevel{r, silver()}
	wantCode(t, db.UpdateService(ctx, &u, svc.Version), liaison.ECONFLICT)
	// The level in use may change its targets; the case of its key stays.
	g := gold()
	g.Name, g.ResponseMinutes = "GOLD", liaison.Ptr(10)
	u.Levels = []liaison.ServiceLevel{silver(), g}
	ok(t, db.UpdateService(ctx, &u, svc.Version))
	sameStrings(t, "levels", u.LevelNames(), []string{"Silver", "Gold"})
}

func testServiceDeleteInUse(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	svc := mkService(t, db, "ERP hosting")
	sub := mkSubscription(t, db, acc, svc, "Silver")
	err := db.DeleteService(ctx, svc.ID, svc.Version)
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "retire") {
		t.Fatalf("message = %q", e.Message)
	}
	// A trashed account's usage still counts: the account may come back.
	ok(t, db.DeleteOrganisation(ctx, acc.ID, acc.Version))
	wantCode(t, db.DeleteService(ctx, svc.ID, svc.Version), liaison.ECONFLICT)
	ok(t, db.DeleteSubscription(ctx, sub.ID, sub.Version))
	wantCode(t, db.DeleteService(ctx, svc.ID, svc.Version+1), liaison.ESTALE)
	ok(t, db.DeleteService(ctx, svc.ID, svc.Version))
	_, err = db.FindServiceByID(ctx, svc.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	entries := auditOf(t, db, "service", svc.ID)
	if len(entries) != 2 || entries[0].Action != "delete" || entries[0].Before == nil {
		t.Fatalf("audit = %+v", entries)
	}
}

func testSubscriptionCRUD(t *testing.T, db *sqlstore.DB) {
	it := mkUser(t, db, "Ivan IT")
	acc := mkUnit(t, db, "Malmö stad", nil, account)
	svc := mkService(t, db, "E-mail")
	s := &liaison.Subscription{OrganisationID: acc.ID, ServiceID: svc.ID, Level: " gold ", Users: liaison.Ptr(1200),
		Workload: "3 TB", ContactUserID: &it.ID, StartedOn: liaison.Ptr("2024-01-01"), Notes: "Migrated 2024"}
	ok(t, db.CreateSubscription(ctx, s))
	if s.ID == "" || s.Version != 1 || s.Level != "Gold" || s.ServiceName != "E-mail" || s.OrganisationName != "Malmö stad" ||
		s.ContactName != "Ivan IT" || s.ServiceStatus != liaison.ServiceLive {
		t.Fatalf("created = %+v", s)
	}
	got, err := db.FindSubscriptionByID(ctx, s.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, s); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Level, u.Users, u.ContactUserID = "Silver", nil, nil
	ok(t, db.UpdateSubscription(ctx, &u, 1))
	got, err = db.FindSubscriptionByID(ctx, s.ID)
	ok(t, err)
	if got.Level != "Silver" || got.Users != nil || got.ContactUserID != nil || got.ContactName != "" || got.Version != 2 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateSubscription(ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteSubscription(ctx, s.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteSubscription(ctx, s.ID, 2))
	_, err = db.FindSubscriptionByID(ctx, s.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.DeleteSubscription(ctx, s.ID, 2), liaison.ENOTFOUND)
	entries := auditOf(t, db, "subscription", s.ID)
	if len(entries) != 3 || entries[0].Action != "delete" || entries[0].OrganisationID != acc.ID ||
		entries[0].Summary != "Malmö stad – E-mail (Silver)" {
		t.Fatalf("audit = %+v", entries)
	}
}

func testSubscriptionRules(t *testing.T, db *sqlstore.DB) {
	it := mkUser(t, db, "Ivan IT")
	acc := mkUnit(t, db, "Account", nil, account)
	dept := mkUnit(t, db, "Dept", acc)
	svc := mkService(t, db, "E-mail")
	retired := mkService(t, db, "Old fax", func(s *liaison.Service) { s.Status = liaison.ServiceRetired })
	special := mkService(t, db, "Lab systems", func(s *liaison.Service) { s.CustomerSpecific = true })
	bare := mkService(t, db, "Idea", func(s *liaison.Service) { s.Status = liaison.ServicePipeline; s.Levels = nil })
	sub := func(unit *liaison.Organisation, svc *liaison.Service, level string) *liaison.Subscription {
		return &liaison.Subscription{OrganisationID: unit.ID, ServiceID: svc.ID, Level: level}
	}
	err := db.CreateSubscription(ctx, sub(acc, svc, "Platinum"))
	wantField(t, err, "level", liaison.CodeInvalid)
	if !strings.Contains(err.Error(), "Gold, Silver") {
		t.Fatalf("error %q does not name the offered levels", err)
	}
	wantField(t, db.CreateSubscription(ctx, sub(acc, bare, "Gold")), "level", liaison.CodeInvalid)
	err = db.CreateSubscription(ctx, sub(acc, retired, "Gold"))
	wantField(t, err, "service_id", liaison.CodeInvalid)
	if !strings.Contains(err.Error(), "retired") {
		t.Fatalf("error %q does not say retired", err)
	}
	err = db.CreateSubscription(ctx, sub(acc, special, "Gold"))
	wantField(t, err, "contact_user_id", liaison.CodeRequired)
	wantField(t, db.CreateSubscription(ctx, sub(dept, svc, "Gold")), "organisation_id", liaison.CodeInvalid)
	wantField(t, db.CreateSubscription(ctx, &liaison.Subscription{OrganisationID: "nope", ServiceID: svc.ID, Level: "Gold"}),
		"organisation_id", liaison.CodeUnknown)
	wantField(t, db.CreateSubscription(ctx, &liaison.Subscription{OrganisationID: acc.ID, ServiceID: "nope", Level: "Gold"}),
		"service_id", liaison.CodeUnknown)
	wantField(t, db.CreateSubscription(ctx, &liaison.Subscription{OrganisationID: acc.ID, ServiceID: svc.ID, Level: "Gold",
		ContactUserID: liaison.Ptr("nobody")}), "contact_user_id", liaison.CodeUnknown)
	wantField(t, db.CreateSubscription(ctx, &liaison.Subscription{OrganisationID: acc.ID, ServiceID: svc.ID}), "level", liaison.CodeRequired)
	mkSubscription(t, db, acc, special, "Gold", func(s *liaison.Subscription) { s.ContactUserID = &it.ID })

	// A usage of a service retired later may still be edited, but not moved to a retired one.
	s := mkSubscription(t, db, acc, svc, "Silver")
	r := *svc
	r.Status = liaison.ServiceRetired
	ok(t, db.UpdateService(ctx, &r, svc.Version))
	s.Users = liaison.Ptr(40)
	ok(t, db.UpdateSubscription(ctx, s, s.Version))
	live := mkService(t, db, "New mail")
	m := *s
	m.ServiceID = live.ID
	ok(t, db.UpdateSubscription(ctx, &m, s.Version))
	m.ServiceID = svc.ID
	wantField(t, db.UpdateSubscription(ctx, &m, m.Version), "service_id", liaison.CodeInvalid)
}

func testSubscriptionOneUsagePerLevel(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Region Skåne", nil, account)
	svc := mkService(t, db, "Workplace")
	mkSubscription(t, db, acc, svc, "Gold")
	mkSubscription(t, db, acc, svc, "Silver")
	err := db.CreateSubscription(ctx, &liaison.Subscription{OrganisationID: acc.ID, ServiceID: svc.ID, Level: "gold"})
	if e := wantCode(t, err, liaison.ECONFLICT); !strings.Contains(e.Message, "Region Skåne") {
		t.Fatalf("message = %q", e.Message)
	}
}

func testSubscriptionFiltersCoverage(t *testing.T, db *sqlstore.DB) {
	it := mkUser(t, db, "Ivan IT")
	a := mkUnit(t, db, "Alfa", nil, account)
	b := mkUnit(t, db, "Beta", nil, account)
	mail := mkService(t, db, "E-mail")
	erp := mkService(t, db, "ERP hosting", func(s *liaison.Service) { s.CustomerSpecific = true })
	withIT := func(s *liaison.Subscription) { s.ContactUserID = &it.ID }
	s1 := mkSubscription(t, db, a, mail, "Gold", withIT)
	s2 := mkSubscription(t, db, a, erp, "Silver", withIT)
	s3 := mkSubscription(t, db, b, mail, "Silver")
	s4 := mkSubscription(t, db, b, erp, "Gold", withIT)
	// The service becomes customer-specific after the fact: s3 now lacks a required contact.
	m := *mail
	m.CustomerSpecific = true
	ok(t, db.UpdateService(ctx, &m, mail.Version))
	idsOf := func(ss []*liaison.Subscription) []string {
		return ids(ss, func(s *liaison.Subscription) string { return s.ID })
	}
	for _, tc := range []struct {
		name string
		f    liaison.SubscriptionFilter
		want []string
	}{
		{"by account", liaison.SubscriptionFilter{OrganisationID: a.ID, Sort: "created_at"}, []string{s1.ID, s2.ID}},
		{"by service", liaison.SubscriptionFilter{ServiceID: mail.ID, Sort: "created_at"}, []string{s1.ID, s3.ID}},
		{"by level", liaison.SubscriptionFilter{Level: "Gold", Sort: "created_at"}, []string{s1.ID, s4.ID}},
		{"by contact", liaison.SubscriptionFilter{ContactUserID: it.ID, Sort: "created_at"}, []string{s1.ID, s2.ID, s4.ID}},
		{"no contact", liaison.SubscriptionFilter{NoContact: true}, []string{s3.ID}},
		{"q account", liaison.SubscriptionFilter{Q: "beta", Sort: "created_at"}, []string{s3.ID, s4.ID}},
		{"q service", liaison.SubscriptionFilter{Q: "erp", Sort: "created_at"}, []string{s2.ID, s4.ID}},
		{"by service name", liaison.SubscriptionFilter{OrganisationID: b.ID}, []string{s3.ID, s4.ID}},
	} {
		got, _, err := db.FindSubscriptions(ctx, tc.f)
		ok(t, err)
		sameStrings(t, tc.name, idsOf(got), tc.want)
	}
	c, err := db.SubscriptionCoverage(ctx)
	ok(t, err)
	if want := (liaison.Coverage{Usages: 4, WithContact: 3, CustomerSpecific: 4, CustomerSpecificNoContact: 1}); c != want {
		t.Fatalf("coverage = %+v, want %+v", c, want)
	}
	// A trashed account's usages leave the lists and the figures.
	ok(t, db.DeleteOrganisation(ctx, b.ID, b.Version))
	got, _, err := db.FindSubscriptions(ctx, liaison.SubscriptionFilter{})
	ok(t, err)
	if len(got) != 2 {
		t.Fatalf("after trash = %d usages", len(got))
	}
	c, err = db.SubscriptionCoverage(ctx)
	ok(t, err)
	if c.Usages != 2 || c.WithContact != 2 || c.Percent() != 100 {
		t.Fatalf("coverage after trash = %+v", c)
	}
}

func testSubscriptionPagination(t *testing.T, db *sqlstore.DB) {
	acc := mkUnit(t, db, "Account", nil, account)
	var want []string
	for _, n := range []string{"Backup", "Collaboration", "E-mail", "ERP", "Network", "Printing", "Workplace"} {
		svc := mkService(t, db, n)
		want = append(want, mkSubscription(t, db, acc, svc, "Gold").ID)
	}
	for _, sort := range []string{"name", "created_at", "-updated_at"} {
		var got []string
		cursor := ""
		for range 10 {
			page, next, err := db.FindSubscriptions(ctx, liaison.SubscriptionFilter{Limit: 3, Cursor: cursor, Sort: sort})
			ok(t, err)
			got = append(got, ids(page, func(s *liaison.Subscription) string { return s.ID })...)
			if cursor = next; cursor == "" {
				break
			}
		}
		w := want
		if sort == "-updated_at" {
			w = nil
			for i := len(want) - 1; i >= 0; i-- {
				w = append(w, want[i])
			}
		}
		sameStrings(t, sort, got, w)
	}
}

// fillServices gives the backup round trip a catalogue: levels with and
// without targets, usages with and without a contact.
func fillServices(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, contact *liaison.User) {
	t.Helper()
	svc := &liaison.Service{Name: "E-post 邮件", Description: "Mail & calendar <b>\n", Status: liaison.ServiceLive,
		OwnerID: &contact.ID, CustomerSpecific: true, PriceModel: liaison.PricePerUser, Currency: "SEK", ExternalID: "SVC-1",
		Levels: []liaison.ServiceLevel{gold(), {Name: "Brons", Description: "Best effort"}}}
	ok(t, db.CreateService(actx, svc))
	ok(t, db.CreateService(actx, &liaison.Service{Name: "Idea", Status: liaison.ServicePipeline}))
	ok(t, db.CreateSubscription(actx, &liaison.Subscription{OrganisationID: acct.ID, ServiceID: svc.ID, Level: "Gold",
		Users: liaison.Ptr(120), Workload: "2 TB", ContactUserID: &contact.ID, StartedOn: liaison.Ptr("2024-02-29"), Notes: "ok"}))
	u := *svc
	u.CustomerSpecific = false
	ok(t, db.UpdateService(actx, &u, svc.Version))
	ok(t, db.CreateSubscription(actx, &liaison.Subscription{OrganisationID: acct.ID, ServiceID: svc.ID, Level: "Brons"}))
}
