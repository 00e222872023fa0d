package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillFollows gives the follow and notification tables rows for the
// backup round trip: bo follows the account, sets a daily digest and
// reads one of its events.
func fillFollows(t *testing.T, db *sqlstore.DB, acct *liaison.Organisation, bo *liaison.User) {
	t.Helper()
	bctx := liaison.WithPrincipal(ctx, &liaison.Principal{User: bo, Scope: liaison.ScopeWrite})
	_, _, err := db.Follow(bctx, bo.ID, acct.ID)
	ok(t, err)
	_, err = db.SaveDigest(bctx, bo.ID, liaison.DigestDaily)
	ok(t, err)
	tl, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{AccountID: acct.ID, Limit: 1})
	ok(t, err)
	if len(tl) == 0 {
		t.Fatal("fill: the account has no timeline")
	}
	ok(t, db.MarkNotificationsRead(bctx, bo.ID, []string{tl[0].ID}, false))
}

// fillDataMapAndChannels gives the data map, channel, contact,
// announcement and import tables rows for the backup round trip.
func fillDataMapAndChannels(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, owner *liaison.User) {
	t.Helper()
	src := &liaison.DataSource{Name: "Ekonomisystem «财务»", Data: "Kostnadsställen, fakturor\nper konto",
		MaintainerUnit: "Ekonomi", RefreshDays: 30, LastUpdatedOn: "2026-01-02", MaintainerUserID: &owner.ID,
		Needs: []liaison.DataNeed{{Unit: "Servicedesk", Data: "Kostnadsställe", Purpose: "Rätt fakturering"}},
		Flows: []liaison.DataFlow{{Direction: liaison.FlowOut, System: "Dokumentportal", Data: "Fakturor", Mode: liaison.FlowManual}}}
	ok(t, db.CreateDataSource(actx, src))
	ok(t, db.CreateChannel(actx, &liaison.Channel{OrganisationID: acct.ID, Kind: liaison.ChannelKindServiceDesk, Name: "Servicedesk 08-123",
		Note: "Vardagar 8–16"}))
	ok(t, db.CreateContact(actx, &liaison.Contact{OrganisationID: acct.ID, Channel: liaison.ChannelServiceDesk, Kind: liaison.ContactRequest,
		Subject: "Fler licenser till skolkontoret", Description: "line1\nline2"}))
	ok(t, db.CreateAnnouncement(actx, &liaison.Announcement{Kind: liaison.AnnouncementCritical, Title: "Patchfönster",
		Body: "Lördag natt.", OrganisationIDs: []string{acct.ID}, StartsOn: "2026-03-14"}))
	ok(t, db.CreateImportJob(actx, &liaison.ImportJob{Kind: liaison.ImportPeople, FileName: "personer.csv", Data: []byte("namn;e-post\nÅsa;asa@x.se\n"),
		Mapping: []string{"name", "email"}, Status: liaison.ImportUploaded, Total: 1, CreatedBy: owner.ID}))
}
