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
		"Decision/CreateFindUpdateDelete": testDecisionCRUD,
		"Decision/OnlyTheCustomerDecides": testDecisionOnlyCustomer,
		"Decision/References":             testDecisionReferences,
		"Decision/FiltersSearchPages":     testDecisionFilters,
	} {
		contract[name] = fn
	}
}

// decisionFixture is an account with a customer, an orderer below it, and a
// customer-specific service the account uses.
type decisionFixture struct {
	agreementFixture
	lab *liaison.Service
	use *liaison.Subscription
}

func mkDecisionFixture(t *testing.T, db *sqlstore.DB) decisionFixture {
	t.Helper()
	f := decisionFixture{agreementFixture: mkAgreementFixture(t, db)}
	it := mkUser(t, db, "Ivan IT")
	f.lab = mkService(t, db, "Lab systems", func(s *liaison.Service) { s.CustomerSpecific = true })
	f.use = mkSubscription(t, db, f.acct, f.lab, "Gold", func(s *liaison.Subscription) { s.ContactUserID = &it.ID })
	return f
}

func (f decisionFixture) decision(mods ...func(*liaison.ServiceDecision)) *liaison.ServiceDecision {
	d := &liaison.ServiceDecision{OrganisationID: f.acct.ID, ServiceID: f.lab.ID, Kind: liaison.DecisionNewService,
		Summary: "Take the lab system", PreparedWithID: &f.orderer.ID, DecidedByPersonID: f.customer.ID, DecidedOn: "2026-03-01"}
	for _, m := range mods {
		m(d)
	}
	return d
}

func testDecisionCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkDecisionFixture(t, db)
	d := f.decision(func(d *liaison.ServiceDecision) {
		d.SubscriptionID = &f.use.ID
		d.Notes = "Prepared at the autumn meeting"
	})
	ok(t, db.CreateDecision(ctx, d))
	if d.ID == "" || d.Version != 1 || d.OrganisationName != "Lunds kommun" || d.ServiceName != "Lab systems" ||
		d.DecidedByName != "Karin Berg" || d.PreparedWithName != "Olle Ek" {
		t.Fatalf("created = %+v", d)
	}
	got, err := db.FindDecisionByID(ctx, d.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, d); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Kind, u.Summary, u.PreparedWithID, u.SubscriptionID = liaison.DecisionChange, "Move to Silver", nil, nil
	ok(t, db.UpdateDecision(ctx, &u, 1))
	got, err = db.FindDecisionByID(ctx, d.ID)
	ok(t, err)
	if got.Kind != liaison.DecisionChange || got.PreparedWithID != nil || got.PreparedWithName != "" || got.Version != 2 {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateDecision(ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteDecision(ctx, d.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteDecision(ctx, d.ID, 2))
	_, err = db.FindDecisionByID(ctx, d.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	entries := auditOf(t, db, "decision", d.ID)
	if len(entries) != 3 || entries[0].Action != "delete" || entries[0].OrganisationID != f.acct.ID ||
		entries[0].Summary != "Lunds kommun – Lab systems: Move to Silver" || entries[2].Action != "create" {
		t.Fatalf("audit = %+v", entries)
	}
}

func testDecisionOnlyCustomer(t *testing.T, db *sqlstore.DB) {
	f := mkDecisionFixture(t, db)
	// Decided by the orderer it was prepared with: refused, naming the customer.
	e := wantCode(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.DecidedByPersonID = f.orderer.ID })), liaison.EINVALID)
	if len(e.Fields) != 1 || e.Fields[0].Field != "decided_by_person_id" || !strings.Contains(e.Error(), "Karin Berg") {
		t.Fatalf("decided by an orderer: %v", e)
	}
	d := f.decision()
	ok(t, db.CreateDecision(ctx, d))
	// Changing the decider to someone else is refused too.
	u := *d
	u.DecidedByPersonID = f.orderer.ID
	wantField(t, db.UpdateDecision(ctx, &u, d.Version), "decided_by_person_id", "not_customer")
	// When the account's customer changes, past decisions stay editable.
	roles, _, err := db.FindRoles(ctx, liaison.RoleFilter{OrganisationID: f.acct.ID, Role: liaison.RoleCustomer})
	ok(t, err)
	r := *roles[0]
	r.Active = false
	ok(t, db.UpdateRole(ctx, &r, r.Version))
	d.Notes = "Minutes attached"
	ok(t, db.UpdateDecision(ctx, d, d.Version))
	// A new decision on an account without a customer says so.
	e = wantCode(t, db.CreateDecision(ctx, f.decision()), liaison.EINVALID)
	if !strings.Contains(e.Error(), "no customer named") {
		t.Fatalf("no customer: %v", e)
	}
}

func testDecisionReferences(t *testing.T, db *sqlstore.DB) {
	f := mkDecisionFixture(t, db)
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.OrganisationID = f.unit.ID })),
		"organisation_id", liaison.CodeInvalid)
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.OrganisationID = "nope" })),
		"organisation_id", liaison.CodeUnknown)
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.ServiceID = "nope" })),
		"service_id", liaison.CodeUnknown)
	e := wantCode(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.ServiceID = f.mail.ID })), liaison.EINVALID)
	if e.Fields[0].Field != "service_id" || !strings.Contains(e.Error(), "Mail is not customer-specific") {
		t.Fatalf("common service: %v", e)
	}
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.DecidedByPersonID = "nope" })),
		"decided_by_person_id", liaison.CodeUnknown)
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.PreparedWithID = liaison.Ptr("nope") })),
		"prepared_with_person_id", liaison.CodeUnknown)
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.SubscriptionID = liaison.Ptr("nope") })),
		"subscription_id", liaison.CodeUnknown)
	other := mkUnit(t, db, "Stiftelsen", nil, account)
	it := mkUser(t, db, "Iris IT")
	foreign := mkSubscription(t, db, other, f.lab, "Gold", func(s *liaison.Subscription) { s.ContactUserID = &it.ID })
	wantField(t, db.CreateDecision(ctx, f.decision(func(d *liaison.ServiceDecision) { d.SubscriptionID = &foreign.ID })),
		"subscription_id", liaison.CodeInvalid)
	// A service with decisions is not removed.
	ok(t, db.CreateDecision(ctx, f.decision()))
	lab, err := db.FindServiceByID(ctx, f.lab.ID)
	ok(t, err)
	ok(t, db.DeleteSubscription(ctx, f.use.ID, f.use.Version))
	ok(t, db.DeleteSubscription(ctx, foreign.ID, foreign.Version))
	wantCode(t, db.DeleteService(ctx, lab.ID, lab.Version), liaison.ECONFLICT)
}

func testDecisionFilters(t *testing.T, db *sqlstore.DB) {
	f := mkDecisionFixture(t, db)
	crm := mkService(t, db, "Customer portal", func(s *liaison.Service) { s.CustomerSpecific = true })
	for i, s := range []string{"Take the lab system", "Malmö pilot extended", "Terminate the portal"} {
		d := f.decision(func(d *liaison.ServiceDecision) {
			d.Summary, d.DecidedOn = s, "2026-0"+string(rune('1'+i))+"-15"
			if i == 2 {
				d.ServiceID, d.Kind = crm.ID, liaison.DecisionTermination
			}
		})
		ok(t, db.CreateDecision(ctx, d))
	}
	list := func(f liaison.DecisionFilter) []string {
		t.Helper()
		ds, _, err := db.FindDecisions(ctx, f)
		ok(t, err)
		var out []string
		for _, d := range ds {
			out = append(out, d.Summary)
		}
		return out
	}
	if got := list(liaison.DecisionFilter{Sort: "-name"}); strings.Join(got, "|") != "Terminate the portal|Malmö pilot extended|Take the lab system" {
		t.Fatalf("newest first = %v", got)
	}
	if got := list(liaison.DecisionFilter{ServiceID: crm.ID}); len(got) != 1 || got[0] != "Terminate the portal" {
		t.Fatalf("by service = %v", got)
	}
	if got := list(liaison.DecisionFilter{OrganisationID: f.unit.ID}); len(got) != 0 {
		t.Fatalf("by other unit = %v", got)
	}
	if got := list(liaison.DecisionFilter{Kind: liaison.DecisionTermination}); len(got) != 1 {
		t.Fatalf("by kind = %v", got)
	}
	if got := list(liaison.DecisionFilter{Q: "malmo"}); len(got) != 1 || got[0] != "Malmö pilot extended" {
		t.Fatalf("q malmo = %v", got)
	}
	if got := list(liaison.DecisionFilter{Q: "karin"}); len(got) != 3 {
		t.Fatalf("q by decider = %v", got)
	}
	// Pages of one, in date order.
	var seen []string
	cur := ""
	for {
		ds, next, err := db.FindDecisions(ctx, liaison.DecisionFilter{Limit: 1, Cursor: cur})
		ok(t, err)
		for _, d := range ds {
			seen = append(seen, d.DecidedOn)
		}
		if next == "" {
			break
		}
		cur = next
	}
	if strings.Join(seen, ",") != "2026-01-15,2026-02-15,2026-03-15" {
		t.Fatalf("pages = %v", seen)
	}
}

// fillDecisions gives the decisions table rows for the backup round trip.
func fillDecisions(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, contact *liaison.User) {
	t.Helper()
	svc := &liaison.Service{Name: "Labbsystem", Status: liaison.ServiceLive, CustomerSpecific: true,
		Levels: []liaison.ServiceLevel{gold()}}
	ok(t, db.CreateService(actx, svc))
	use := &liaison.Subscription{OrganisationID: acct.ID, ServiceID: svc.ID, Level: "Gold", ContactUserID: &contact.ID}
	ok(t, db.CreateSubscription(actx, use))
	roles, _, err := db.FindRoles(actx, liaison.RoleFilter{OrganisationID: acct.ID, Role: liaison.RoleCustomer, Active: liaison.Ptr(true)})
	ok(t, err)
	var customer string
	if len(roles) > 0 {
		customer = roles[0].PersonID
	} else {
		p := &liaison.Person{Name: "Kajsa Kund", OrganisationID: acct.ID}
		ok(t, db.CreatePerson(actx, p))
		ok(t, db.CreateRole(actx, &liaison.ContactRole{PersonID: p.ID, OrganisationID: acct.ID, Role: liaison.RoleCustomer, Active: true}))
		customer = p.ID
	}
	ok(t, db.CreateDecision(actx, &liaison.ServiceDecision{OrganisationID: acct.ID, ServiceID: svc.ID, SubscriptionID: &use.ID,
		Kind: liaison.DecisionChange, Summary: "Utökning «Gold»", DecidedByPersonID: customer, DecidedOn: "2024-02-29",
		Notes: "Beredd med beställaren\n"}))
}
