package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Plan/SaveVersionsAudit":   testPlanSave,
		"Plan/MarketingRule":       testPlanMarketing,
		"Plan/AnalysisAcross":      testPlanAnalysis,
		"Plan/Templates":           testPlanTemplates,
		"Plan/CustomerScopedToken": testCustomerToken,
	} {
		contract[name] = fn
	}
}

type planFixture struct {
	agreementFixture
	mgr    *liaison.User
	mgrCtx context.Context
}

func mkPlanFixture(t *testing.T, db *sqlstore.DB) planFixture {
	t.Helper()
	f := planFixture{agreementFixture: mkAgreementFixture(t, db)}
	f.mgr = mkUser(t, db, "Maja Manager")
	f.mgrCtx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.mgr, Scope: liaison.ScopeWrite})
	return f
}

func testPlanSave(t *testing.T, db *sqlstore.DB) {
	f := mkPlanFixture(t, db)
	p, err := db.FindAccountPlan(ctx, f.acct.ID)
	ok(t, err)
	if p.Version != 0 || p.OrganisationName != "Lunds kommun" || p.Sections.BasicInfo == nil || p.UpdatedAt != nil {
		t.Fatalf("empty plan = %+v", p)
	}
	p.Sections.DevelopmentInitiatives = []liaison.PlanItem{{Title: " E-arkiv ", Date: liaison.Ptr("2027-03-01"), ServiceID: &f.erp.ID}}
	p.Sections.BasicInfo = []liaison.PlanItem{{Title: "Budgetansvarig: Karin Berg", Note: "Beslutar om IT-budgeten"}}
	ok(t, db.SaveAccountPlan(f.mgrCtx, p, 0))
	id := p.Sections.DevelopmentInitiatives[0].ID
	if p.Version != 1 || id == "" || p.Sections.DevelopmentInitiatives[0].Title != "E-arkiv" || p.UpdatedByName != "Maja Manager" || p.UpdatedAt == nil {
		t.Fatalf("saved = %+v", p)
	}
	wantCode(t, db.SaveAccountPlan(f.mgrCtx, &liaison.AccountPlan{OrganisationID: f.acct.ID}, 0), liaison.ESTALE)
	// Edit the date, keep the id.
	p.Sections.DevelopmentInitiatives[0].Date = liaison.Ptr("2027-04-15")
	ok(t, db.SaveAccountPlan(f.mgrCtx, p, 1))
	got, err := db.FindAccountPlan(ctx, f.acct.ID)
	ok(t, err)
	if got.Version != 2 || got.Sections.DevelopmentInitiatives[0].ID != id || *got.Sections.DevelopmentInitiatives[0].Date != "2027-04-15" ||
		got.UpdatedByID == nil || *got.UpdatedByID != f.mgr.ID {
		t.Fatalf("found = %+v", got)
	}
	// Versions newest first, paged, with counts.
	vs, next, err := db.FindPlanVersions(ctx, liaison.PlanVersionFilter{OrganisationID: f.acct.ID, Limit: 1})
	ok(t, err)
	if len(vs) != 1 || vs[0].Number != 2 || vs[0].Changed != 1 || vs[0].Added != 0 || next == "" || vs[0].AuthorName != "Maja Manager" {
		t.Fatalf("page 1 = %+v %q", vs, next)
	}
	vs, next, err = db.FindPlanVersions(ctx, liaison.PlanVersionFilter{OrganisationID: f.acct.ID, Limit: 1, Cursor: next})
	ok(t, err)
	if len(vs) != 1 || vs[0].Number != 1 || vs[0].Added != 2 || next != "" || *vs[0].Sections.DevelopmentInitiatives[0].Date != "2027-03-01" {
		t.Fatalf("page 2 = %+v %q", vs, next)
	}
	_, _, err = db.FindPlanVersions(ctx, liaison.PlanVersionFilter{OrganisationID: f.acct.ID, Cursor: "nonsense"})
	wantCode(t, err, liaison.EBADREQUEST)
	v1, err := db.FindPlanVersion(ctx, f.acct.ID, 1)
	ok(t, err)
	if ch := liaison.DiffPlans(&v1.Sections, &got.Sections); len(ch) != 1 || ch[0].Fields[0].Field != "date" {
		t.Fatalf("diff = %+v", ch)
	}
	_, err = db.FindPlanVersion(ctx, f.acct.ID, 3)
	wantCode(t, err, liaison.ENOTFOUND)
	// Only accounts have plans; rejected input changes nothing.
	_, err = db.FindAccountPlan(ctx, f.unit.ID)
	wantCode(t, err, liaison.EINVALID)
	_, err = db.FindAccountPlan(ctx, "nope")
	wantCode(t, err, liaison.ENOTFOUND)
	bad := *got
	bad.Sections.BasicInfo = []liaison.PlanItem{{Title: ""}}
	wantCode(t, db.SaveAccountPlan(f.mgrCtx, &bad, 2), liaison.EINVALID)
	// Every save is on the account's timeline.
	es, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID, Subtree: true})
	ok(t, err)
	n := 0
	for _, e := range es {
		if e.SubjectType == "account_plan" && e.SubjectID == f.acct.ID {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d plan entries on the timeline, want 2", n)
	}
}

func testPlanMarketing(t *testing.T, db *sqlstore.DB) {
	f := mkPlanFixture(t, db)
	pipe := &liaison.Service{Name: "AI-assistent", Status: liaison.ServicePipeline}
	ok(t, db.CreateService(ctx, pipe))
	p := &liaison.AccountPlan{OrganisationID: f.acct.ID}
	p.Sections.MarketingActions = []liaison.PlanItem{{Title: "Visa assistenten", ServiceID: &pipe.ID}}
	e := wantCode(t, db.SaveAccountPlan(f.mgrCtx, p, 0), liaison.EINVALID)
	if len(e.Fields) != 1 || e.Fields[0].Field != "sections.marketing_actions[0].service_id" || e.Fields[0].Code != liaison.CodeServiceNotLive {
		t.Fatalf("refusal = %+v", e)
	}
	if cur, _ := db.FindAccountPlan(ctx, f.acct.ID); cur.Version != 0 {
		t.Fatal("a refused save wrote a version")
	}
	p.Sections.MarketingActions[0].OverrideReason = "Kunden vill vara pilot"
	ok(t, db.SaveAccountPlan(f.mgrCtx, p, 0))
	got, err := db.FindAccountPlan(ctx, f.acct.ID)
	ok(t, err)
	if got.Sections.MarketingActions[0].OverrideReason != "Kunden vill vara pilot" {
		t.Fatalf("override = %+v", got.Sections.MarketingActions)
	}
	// Unchanged, the action is not checked again; an unknown service is refused.
	got.Sections.MarketingActions[0].OverrideReason = ""
	got.Sections.MarketingActions[0].Title = "Visa assistenten för skolorna"
	ok(t, db.SaveAccountPlan(f.mgrCtx, got, 1))
	got.Sections.DevelopmentNeeds = []liaison.PlanItem{{Title: "X", ServiceID: liaison.Ptr("nope")}}
	wantCode(t, db.SaveAccountPlan(f.mgrCtx, got, 2), liaison.EINVALID)
}

func testPlanAnalysis(t *testing.T, db *sqlstore.DB) {
	f := mkPlanFixture(t, db)
	seg := &liaison.Segment{Name: "Kommuner"}
	ok(t, db.CreateSegment(ctx, seg))
	other := mkUnit(t, db, "Malmö stad", nil, account, func(o *liaison.Organisation) { o.RelationshipManagerID = &f.mgr.ID; o.Segment = seg.ID })
	save := func(acct *liaison.Organisation, s liaison.PlanSections) {
		ok(t, db.SaveAccountPlan(f.mgrCtx, &liaison.AccountPlan{OrganisationID: acct.ID, Sections: s}, 0))
	}
	save(f.acct, liaison.PlanSections{
		DevelopmentInitiatives: []liaison.PlanItem{{Title: "E-arkiv", Date: liaison.Ptr("2027-04-15")}, {Title: "Later", Date: liaison.Ptr("2027-08-01")}},
		FinanceMeetings:        []liaison.PlanItem{{Title: "Budget 2028", Date: liaison.Ptr("2027-05-20")}},
		BasicInfo:              []liaison.PlanItem{{Title: "Undated"}},
	})
	save(other, liaison.PlanSections{DevelopmentInitiatives: []liaison.PlanItem{{Title: "Mobile permits", Date: liaison.Ptr("2027-04-01")}}})
	q2 := liaison.PlanItemFilter{From: "2027-04-01", To: "2027-06-30"}
	titles := func(f liaison.PlanItemFilter) []string {
		rows, err := db.FindPlanItems(ctx, f)
		ok(t, err)
		var out []string
		for _, r := range rows {
			out = append(out, r.Item.Title)
		}
		return out
	}
	if got := titles(q2); len(got) != 3 || got[0] != "Mobile permits" || got[1] != "E-arkiv" || got[2] != "Budget 2028" {
		t.Fatalf("quarter = %v", got)
	}
	q2.Section = liaison.PlanDevelopmentInitiatives
	if got := titles(q2); len(got) != 2 {
		t.Fatalf("initiatives = %v", got)
	}
	q2.SegmentID = seg.ID
	if got := titles(q2); len(got) != 1 || got[0] != "Mobile permits" {
		t.Fatalf("segment = %v", got)
	}
	q2.SegmentID, q2.ManagerID = "", f.mgr.ID
	rows, err := db.FindPlanItems(ctx, q2)
	ok(t, err)
	if len(rows) != 1 || rows[0].ManagerName != "Maja Manager" || rows[0].SegmentName != "Kommuner" || rows[0].OrganisationName != "Malmö stad" {
		t.Fatalf("manager = %+v", rows)
	}
	// A trashed account's plan leaves the analysis.
	ok(t, db.DeleteOrganisation(ctx, other.ID, other.Version))
	if got := titles(liaison.PlanItemFilter{From: "2027-04-01", To: "2027-06-30"}); len(got) != 2 {
		t.Fatalf("after trash = %v", got)
	}
}

func testPlanTemplates(t *testing.T, db *sqlstore.DB) {
	seg := &liaison.Segment{Name: "Stiftelser"}
	ok(t, db.CreateSegment(ctx, seg))
	_, err := db.FindPlanTemplate(ctx, "")
	wantCode(t, err, liaison.ENOTFOUND)
	def := &liaison.PlanTemplate{Sections: []liaison.PlanTemplateSection{{Section: liaison.PlanBasicInfo, Shown: true,
		Guidance: liaison.PlanText{Sv: "Vem beslutar, budget, nyckelpersoner"}}}}
	ok(t, db.SavePlanTemplate(ctx, def, 0))
	wantCode(t, db.SavePlanTemplate(ctx, def, 0), liaison.ESTALE)
	own := &liaison.PlanTemplate{SegmentID: &seg.ID, Sections: []liaison.PlanTemplateSection{{Section: liaison.PlanMarketingActions, Shown: false}}}
	ok(t, db.SavePlanTemplate(ctx, own, 0))
	if own.Version != 1 || own.SegmentName != "Stiftelser" || len(own.Sections) != 6 {
		t.Fatalf("own = %+v", own)
	}
	ts, err := db.FindPlanTemplates(ctx)
	ok(t, err)
	if len(ts) != 2 || ts[0].SegmentID != nil || ts[0].Section(liaison.PlanBasicInfo).Guidance.Sv != "Vem beslutar, budget, nyckelpersoner" ||
		ts[1].Section(liaison.PlanMarketingActions).Shown {
		t.Fatalf("templates = %+v", ts)
	}
	wantCode(t, db.SavePlanTemplate(ctx, &liaison.PlanTemplate{SegmentID: liaison.Ptr("nope")}, 0), liaison.EINVALID)
	wantCode(t, db.DeletePlanTemplate(ctx, ""), liaison.EINVALID)
	ok(t, db.DeletePlanTemplate(ctx, seg.ID))
	_, err = db.FindPlanTemplate(ctx, seg.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	// A segment's template goes with its segment.
	ok(t, db.SavePlanTemplate(ctx, &liaison.PlanTemplate{SegmentID: &seg.ID}, 0))
	ok(t, db.DeleteSegment(ctx, seg.ID, seg.Version))
	if ts, _ := db.FindPlanTemplates(ctx); len(ts) != 1 {
		t.Fatalf("after the segment's removal: %d templates", len(ts))
	}
}

func testCustomerToken(t *testing.T, db *sqlstore.DB) {
	f := mkPlanFixture(t, db)
	tok := &liaison.Token{UserID: f.mgr.ID, Name: "Kundportal", Scope: liaison.ScopeRead, Hash: []byte("customer-token"), CustomerID: &f.acct.ID}
	ok(t, db.CreateToken(ctx, tok))
	got, u, err := db.FindTokenUser(ctx, []byte("customer-token"))
	ok(t, err)
	if got.CustomerID == nil || *got.CustomerID != f.acct.ID || u.ID != f.mgr.ID {
		t.Fatalf("token = %+v", got)
	}
	wantCode(t, db.CreateToken(ctx, &liaison.Token{UserID: f.mgr.ID, Scope: liaison.ScopeWrite, Hash: []byte("w"), CustomerID: &f.acct.ID}), liaison.EINVALID)
	wantCode(t, db.CreateToken(ctx, &liaison.Token{UserID: f.mgr.ID, Scope: liaison.ScopeRead, Hash: []byte("u"), CustomerID: &f.unit.ID}), liaison.EINVALID)
	plain := &liaison.Token{UserID: f.mgr.ID, Scope: liaison.ScopeRead, Hash: []byte("plain")}
	ok(t, db.CreateToken(ctx, plain))
	if got, _, _ := db.FindTokenUser(ctx, []byte("plain")); got.CustomerID != nil {
		t.Fatal("a plain token is customer-scoped")
	}
}
