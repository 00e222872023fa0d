package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillCycle gives the annual cycle's and the calendar's tables rows for
// the backup round trip: an activity over a listed account with its
// generated tasks (actions), one in the trash, a live and a revoked feed,
// and a queued message with a binary attachment.
func fillCycle(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, owner *liaison.User) {
	t.Helper()
	a := &liaison.CycleActivity{Title: "Budgetmöte «预算»", Description: "line1\nline2\t\x01", Kind: liaison.CycleBudgetMeeting,
		Recurrence: liaison.RecurYearly, Month: 2, Day: 29, Scope: liaison.ScopeAccounts, OrganisationIDs: []string{acct.ID}, OwnerID: &owner.ID}
	ok(t, db.CreateCycleActivity(actx, a))
	_, err := db.GenerateCycleTasks(actx, a.ID, cycleFrom, cycleTo)
	ok(t, err)
	gone := &liaison.CycleActivity{Title: "Gone", Recurrence: liaison.RecurDate, OnDate: liaison.Ptr("2027-01-01")}
	ok(t, db.CreateCycleActivity(actx, gone))
	ok(t, db.DeleteCycleActivity(actx, gone.ID, gone.Version, cycleFrom))
	_, err = db.CreateCalendarFeed(actx, owner.ID, []byte{0, 1, 0xfe, 0xff})
	ok(t, err)
	_, err = db.CreateCalendarFeed(actx, owner.ID, []byte("second")) // revokes the first
	ok(t, err)
	_, err = db.EnqueueMail(actx, &liaison.MailMessage{To: "asa@example.se", Subject: "Inbjudan", Text: "Hej",
		Attachments: []liaison.MailAttachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST", Data: []byte("BEGIN:VCALENDAR\r\n\x00\xff")}}})
	ok(t, err)
}
