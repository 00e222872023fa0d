package demo_test

import (
	"context"
	"testing"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestTimelineAccounts: every audit entry of the demo that belongs to a
// unit names that unit's account (the nearest budget holder at or above
// it when the entry was written: units the demo changed, moved among them,
// are left out), so each demo account's timeline holds what its units saw;
// the named survey responses are events of their own.
func TestTimelineAccounts(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	a := newApp(db)
	if _, err := demo.Load(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	ctx := asAdmin(t, a)
	var all []*liaison.AuditEntry
	f := liaison.AuditFilter{Limit: 500}
	for {
		es, next, err := db.FindAuditEntries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, es...)
		if next == "" {
			break
		}
		f.Cursor = next
	}
	changed := map[string]bool{}
	for _, e := range all {
		if e.SubjectType == "organisation" && e.Action != liaison.ActionCreate {
			changed[e.SubjectID] = true
		}
	}
	accountOf := map[string]string{}
	responses, checked := 0, 0
	for _, e := range all {
		if e.SubjectType == "campaign" && e.OrganisationID != "" {
			t.Errorf("a campaign entry on an account: %+v", e)
		}
		if e.SubjectType == "survey_response" {
			responses++
		}
		if e.OrganisationID == "" {
			if e.AccountID != "" {
				t.Errorf("entry %s outside the tree has account %s", e.ID, e.AccountID)
			}
			continue
		}
		if changed[e.OrganisationID] {
			continue
		}
		checked++
		want, ok := accountOf[e.OrganisationID]
		if !ok {
			chain, err := db.OrganisationChain(ctx, e.OrganisationID)
			if err == nil {
				if acct := liaison.NearestAccount(chain); acct != nil {
					want = acct.ID
				}
			}
			accountOf[e.OrganisationID] = want
		}
		if e.AccountID != want {
			t.Errorf("%s %s of unit %s: account %q, want %q", e.SubjectType, e.Action, e.OrganisationID, e.AccountID, want)
		}
	}
	if checked < 100 {
		t.Errorf("only %d entries checked", checked)
	}
	if responses == 0 {
		t.Error("the demo has no named survey responses on its timelines")
	}
}
