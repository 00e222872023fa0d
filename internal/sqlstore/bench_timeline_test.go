package sqlstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
)

// BenchmarkAccountTimeline compares the first page of an account's
// timeline by its account_id (one range of audit_entries_account_idx) with
// the subtree query it replaced (the units' path range, then their
// entries), on 200,000 entries over 40 accounts of 1 to 40 units: "small"
// is an account of one unit, "large" one of 40.
func BenchmarkAccountTimeline(b *testing.B) {
	ctx := context.Background()
	db := openBenchDB(b)
	var units []*liaison.Organisation
	var accounts []string
	account := map[string]string{}
	for a := range 40 {
		acc := &liaison.Organisation{ID: fmt.Sprintf("acc%02d", a), Name: fmt.Sprint("Account ", a), BudgetHolder: true}
		units = append(units, acc)
		accounts = append(accounts, acc.ID)
		account[acc.ID] = acc.ID
		for u := range a {
			o := &liaison.Organisation{ID: fmt.Sprintf("u%02d-%02d", a, u), Name: fmt.Sprint("Unit ", a, "-", u), ParentID: &acc.ID}
			units = append(units, o)
			account[o.ID] = acc.ID
		}
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 200_000
	err := db.Bulk(ctx, func(bt *BulkTx) error {
		if err := bt.Organisations(ctx, units); err != nil {
			return err
		}
		batch := make([]*liaison.AuditEntry, 0, 5000)
		for i := range n {
			u := units[(i*7919)%len(units)]
			at := t0.Add(time.Duration(i) * time.Minute)
			batch = append(batch, &liaison.AuditEntry{ID: IDAt(at, uint32(i)), At: at, Action: liaison.ActionUpdate,
				SubjectType: "person", SubjectID: fmt.Sprint("p", i), OrganisationID: u.ID, AccountID: account[u.ID], Summary: "Someone"})
			if len(batch) == cap(batch) {
				if err := bt.AuditEntries(ctx, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		return bt.AuditEntries(ctx, batch)
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    liaison.AuditFilter
	}{
		{"account/small", liaison.AuditFilter{AccountID: accounts[0], Limit: 50}},
		{"account/large", liaison.AuditFilter{AccountID: accounts[39], Limit: 50}},
		{"account/large/people", liaison.AuditFilter{AccountID: accounts[39], SubjectTypes: []string{"person", "role"}, Limit: 50}},
		{"subtree/small", liaison.AuditFilter{OrganisationID: accounts[0], Subtree: true, Limit: 50}},
		{"subtree/large", liaison.AuditFilter{OrganisationID: accounts[39], Subtree: true, Limit: 50}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if es, _, err := db.FindAuditEntries(ctx, c.f); err != nil || len(es) != 50 {
					b.Fatalf("%d entries, %v", len(es), err)
				}
			}
		})
	}
}
