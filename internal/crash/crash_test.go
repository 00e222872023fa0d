package crash_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison/internal/crash"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestCrash is the short version of the kill -9 test (SPEC §7): 20 kills
// per engine with short intervals. cmd/liaison-crash runs the long one;
// docs/reliability.md explains both.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the liaison command and kills it 40 times; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bin := crash.LiaisonBinary(t)
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqlstoretest.DSN(t, engine) // skips PostgreSQL when unreachable, fails with CI=true
			var progress strings.Builder
			rep, err := crash.Run(ctx, crash.Config{
				Binary:   bin,
				DB:       dsn,
				Kills:    20,
				Writers:  8,
				MinUp:    20 * time.Millisecond,
				MaxUp:    150 * time.Millisecond,
				Progress: &progress,
			})
			if rep != nil {
				t.Logf("\n%s\n%s", progress.String(), rep)
			}
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() {
				t.Errorf("%d problems; the first: %s", rep.ProblemCount, rep.Problems[0])
			}
			if rep.Kills != 20 {
				t.Errorf("killed the server %d times, want 20", rep.Kills)
			}
			if rep.Lost != 0 || rep.AuditMissing != 0 {
				t.Errorf("lost %d acknowledged writes, %d audit entries missing", rep.Lost, rep.AuditMissing)
			}
			// A run that acknowledged next to nothing proves nothing. The
			// floor is low on purpose: PostgreSQL on a machine busy with
			// the other packages' tests acknowledged only 46 writes in
			// these 20 short server lives once, against a few hundred
			// when idle.
			if n := rep.AckedTotal(); n < 20 {
				t.Errorf("only %d acknowledged writes in 20 server lives", n)
			}
			if rep.InFlight == 0 {
				t.Errorf("no write was in flight at any of the 20 kills")
			}
			if rep.IdempotencyGaps > 0 {
				t.Errorf("%d creates unanswered at a kill are stored without their Idempotency-Key", rep.IdempotencyGaps)
			}
			for check, n := range rep.Checks {
				if n != rep.Kills {
					t.Errorf("check %q passed %d times in %d kills", check, n, rep.Kills)
				}
			}
		})
	}
}
