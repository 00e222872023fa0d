package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillPlans gives the account plan's tables rows for the backup round
// trip: two versions of a plan (one marketing action with an override),
// a default and a segment template, and a customer-scoped token.
func fillPlans(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, owner *liaison.User) {
	t.Helper()
	p := &liaison.AccountPlan{OrganisationID: acct.ID, Sections: liaison.PlanSections{
		BasicInfo:              []liaison.PlanItem{{Title: "Budgetansvarig «预算»", Note: "line1\nline2\t\x01"}},
		DevelopmentInitiatives: []liaison.PlanItem{{Title: "E-arkiv", Date: liaison.Ptr("2028-02-29")}},
		MarketingActions:       []liaison.PlanItem{{Title: "Pilot", ServiceID: nil, Note: "ingen tjänst"}},
	}}
	ok(t, db.SaveAccountPlan(actx, p, 0))
	p.Sections.FinanceMeetings = []liaison.PlanItem{{Title: "Budgetmöte", Date: liaison.Ptr("2027-09-15")}}
	ok(t, db.SaveAccountPlan(actx, p, 1))
	ok(t, db.SavePlanTemplate(actx, &liaison.PlanTemplate{Sections: []liaison.PlanTemplateSection{{Section: liaison.PlanBasicInfo,
		Shown: true, Heading: liaison.PlanText{Zh: "基本信息", Fi: "Perustiedot"}}}}, 0))
	if acct.Segment != "" {
		ok(t, db.SavePlanTemplate(actx, &liaison.PlanTemplate{SegmentID: &acct.Segment}, 0))
	}
	ok(t, db.CreateToken(actx, &liaison.Token{UserID: owner.ID, Name: "Kund", Scope: liaison.ScopeRead, Hash: []byte("\x00cust\xff"), CustomerID: &acct.ID}))
}
