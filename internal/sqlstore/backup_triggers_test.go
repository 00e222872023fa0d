package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// fillTriggers gives the triggers table rows for the backup round trip: a
// trigger posted by another system with its external ref and a service,
// one logged by hand whose task is done, and one in the trash with its
// task; each trigger's task is an action that references it.
func fillTriggers(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation) {
	t.Helper()
	svcs, _, err := db.FindServices(actx, liaison.ServiceFilter{Limit: 1})
	ok(t, err)
	if len(svcs) == 0 {
		t.Fatal("fill has no service")
	}
	posted := &liaison.Trigger{OrganisationID: acct.ID, Kind: liaison.TriggerProcessActivity, Title: "Ändring CHG-ä1 «变更»",
		Description: "line1\nline2\t\x01", Source: liaison.TriggerAPI, ExternalRef: liaison.Ptr("CHG-ä1"), ServiceID: &svcs[0].ID,
		OccurredOn: "2026-02-28"}
	_, err = db.CreateTrigger(actx, posted)
	ok(t, err)
	done := &liaison.Trigger{OrganisationID: acct.ID, Kind: liaison.TriggerCustomerMeeting, Title: "Kundmöte"}
	_, err = db.CreateTrigger(actx, done)
	ok(t, err)
	task, err := db.FindActionByID(actx, done.ActionID)
	ok(t, err)
	task.Status = liaison.ActionDone
	ok(t, db.UpdateAction(actx, task, task.Version))
	gone := &liaison.Trigger{OrganisationID: acct.ID, Kind: liaison.TriggerSurveyDue, Title: "Gone"}
	_, err = db.CreateTrigger(actx, gone)
	ok(t, err)
	ok(t, db.DeleteTrigger(actx, gone.ID, gone.Version))
}
