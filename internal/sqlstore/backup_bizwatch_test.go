package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillBizWatch gives the business plan and technology watch tables rows
// for the backup round trip: a reviewed plan item with services and an
// owner, one in the trash, a watch note turned into an improvement (with
// its accounts and services) and one without links.
func fillBizWatch(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation) {
	t.Helper()
	svc := &liaison.Service{Name: "Vårdplattform «平台»", Status: liaison.ServicePipeline}
	ok(t, db.CreateService(actx, svc))
	owner := mkPerson(t, db, "Kerstin Plan", acct)
	b := &liaison.BusinessPlanItem{OrganisationID: acct.ID, Title: "Digital vård 2028 – 数字医疗", Horizon: liaison.HorizonLong,
		TargetDate: liaison.Ptr("2028-12-31"), ITEffect: "line1\nline2\t\x01 <&>", ServiceIDs: []string{svc.ID},
		SourceURL: "https://example.se/plan?a=1&b=2", ReviewDate: "2026-01-15", OwnerPersonID: &owner.ID}
	ok(t, db.CreateBusinessPlanItem(actx, b))
	_, err := db.MarkBusinessPlanReviewed(actx, b.ID, b.Version, "2026-02-01", "2027-02-01")
	ok(t, err)
	gone := &liaison.BusinessPlanItem{OrganisationID: acct.ID, Title: "Gone", Horizon: liaison.HorizonShort, ReviewDate: "2026-06-01"}
	ok(t, db.CreateBusinessPlanItem(actx, gone))
	ok(t, db.DeleteBusinessPlanItem(actx, gone.ID, gone.Version))
	w := &liaison.WatchNote{Title: "Passkeys 通行密钥", Summary: "FIDO2\r\n✓", Relevance: liaison.RelevanceHigh,
		SourceURL: "https://fidoalliance.org/", OrganisationIDs: []string{acct.ID}, ServiceIDs: []string{svc.ID}}
	ok(t, db.CreateWatchNote(actx, w))
	_, err = db.ProposeWatchNote(actx, w.ID, liaison.ImprovementFromWatch(w))
	ok(t, err)
	ok(t, db.CreateWatchNote(actx, &liaison.WatchNote{Title: "Lone note", Status: liaison.WatchRejected}))
}
