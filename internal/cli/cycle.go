package cli

import (
	"context"
	"log/slog"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/jobs"
)

// CycleEvery is how often the annual cycle's horizon is refilled: daily,
// so that the day entering the twelve-month horizon gets its tasks.
const CycleEvery = 24 * time.Hour

// cycleJob is the cycle.generate job: it lays the missing tasks of every
// live annual-cycle activity from today to twelve months ahead.
// Generation is idempotent, so a run repeated after a failure, or by two
// instances, creates nothing twice.
func cycleJob(store liaison.CycleStore, now func() time.Time, log *slog.Logger) jobs.Job {
	return jobs.Job{Name: "cycle.generate", Every: CycleEvery, Timeout: 10 * time.Minute,
		RetryMin: time.Minute, RetryMax: time.Hour, Run: func(ctx context.Context) error {
			from, to := liaison.CycleHorizon(now())
			n, err := store.GenerateCycleTasks(ctx, "", from, to)
			if n > 0 {
				log.Info("annual cycle tasks generated", "count", n, "to", liaison.FormatDate(to))
			}
			return err
		}}
}
