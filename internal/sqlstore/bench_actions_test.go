package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
)

// BenchmarkReviewCadenceAndMyActions measures the cadence list (one query
// over every agreement customer) and a manager's first page of open
// actions at dataset L's sizes: 600 accounts, 3,000 agreements, 30,000
// meetings and 150,000 actions owned by 60 users.
func BenchmarkReviewCadenceAndMyActions(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	now := time.Now().UTC()
	var users, accounts []string
	err = db.write(ctx, func(tx *writeTx) error {
		exec := func(q string, args ...any) {
			if err == nil {
				_, err = tx.ExecContext(ctx, q, args...)
			}
		}
		t := tx.t(now)
		for i := range 60 {
			id := newID()
			users = append(users, id)
			exec(`INSERT INTO users (id, email, name, role, language, active, version, created_at, updated_at)
				VALUES ($1, $2, $3, 'manager', 'en', 1, 1, $4, $4)`, id, fmt.Sprintf("u%d@bench", i), fmt.Sprint("User ", i), t)
		}
		for i := range 600 {
			id := newID()
			accounts = append(accounts, id)
			exec(`INSERT INTO organisations (id, name, path, depth, budget_holder, relationship_manager_id, version, created_at, updated_at)
				VALUES ($1, $2, $3, 0, 1, $4, 1, $5, $5)`, id, fmt.Sprint("Account ", i), "/"+id+"/", users[i%60], t)
		}
		statuses := []string{"active", "active", "expired", "draft", "terminated"}
		for i := range 3000 {
			exec(`INSERT INTO agreements (id, organisation_id, title, type, status, renewal, review_interval_months, version, created_at, updated_at, service_review_months)
				VALUES ($1, $2, $3, 'service_level', $4, 'none', 12, 1, $5, $5, $6)`, newID(), accounts[rng.IntN(600)], fmt.Sprint("Agreement ", i),
				statuses[i%5], t, []int{6, 12, 12, 24}[i%4])
		}
		types := []string{"service_review", "planning", "budget", "other"}
		for i := range 30000 {
			at := tx.t(now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour))
			exec(`INSERT INTO meetings (id, organisation_id, type, form, title, starts_at, ends_at, status, version, created_at, updated_at)
				VALUES ($1, $2, $3, 'video', $4, $5, $5, $6, 1, $7, $7)`, newID(), accounts[rng.IntN(600)], types[i%4], fmt.Sprint("Meeting ", i),
				at, []string{"held", "held", "planned", "cancelled"}[rng.IntN(4)], t)
		}
		for i := range 150000 {
			due := liaison.FormatDate(now.AddDate(0, 0, rng.IntN(400)-200))
			exec(`INSERT INTO actions (id, title, organisation_id, owner_id, due_date, status, search_text, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`, newID(), fmt.Sprint("Action ", i), accounts[rng.IntN(600)],
				users[rng.IntN(60)], due, []string{"open", "done", "done", "cancelled"}[rng.IntN(4)], fmt.Sprint(" action ", i), t)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.wdb.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Run("ReviewCadence", func(b *testing.B) {
		for b.Loop() {
			rs, err := db.ReviewCadence(ctx, liaison.ReviewFilter{})
			if err != nil || len(rs) < 400 {
				b.Fatal(len(rs), err)
			}
		}
	})
	b.Run("ReviewCadence/manager", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := db.ReviewCadence(ctx, liaison.ReviewFilter{ManagerID: users[i%60]}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("MyActions", func(b *testing.B) {
		i := 0
		for b.Loop() {
			as, _, err := db.FindActions(ctx, liaison.ActionFilter{OwnerID: users[i%60], Status: liaison.ActionOpen})
			if err != nil || len(as) != 50 {
				b.Fatal(len(as), err)
			}
			i++
		}
	})
}
