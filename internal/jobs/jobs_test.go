package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/jobs"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

var ctx = context.Background()

var quiet = slog.New(slog.DiscardHandler)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)} }

// twoInstances opens one database twice, as two processes would.
func twoInstances(t *testing.T, engine string) (*sqlstore.DB, *sqlstore.DB) {
	t.Helper()
	dsn := sqlstoretest.DSN(t, engine)
	var dbs [2]*sqlstore.DB
	for i := range dbs {
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 32 * time.Minute},
		{8, time.Hour}, {50, time.Hour}, {0, 30 * time.Second},
	} {
		if got := jobs.Backoff(tc.attempt, 30*time.Second, time.Hour); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
}

func TestRegisterRejects(t *testing.T) {
	s := jobs.New(nil, "x", quiet)
	noop := func(context.Context) error { return nil }
	for name, j := range map[string]jobs.Job{
		"no name":  {Every: time.Minute, Run: noop},
		"no every": {Name: "a", Run: noop},
		"no run":   {Name: "a", Every: time.Minute},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("Register did not panic")
				}
			}()
			s.Register(j)
		})
	}
	s.Register(jobs.Job{Name: "a", Every: time.Minute, Run: noop})
	defer func() {
		if recover() == nil {
			t.Fatal("registering a name twice did not panic")
		}
	}()
	s.Register(jobs.Job{Name: "a", Every: time.Minute, Run: noop})
}

// TestTwoInstancesRunDueJobOnce: two schedulers on one database, asked
// together and again and again, run a due job once; when it is due again,
// once more.
func TestTwoInstancesRunDueJobOnce(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dbA, dbB := twoInstances(t, engine)
			clk := newClock()
			var runs atomic.Int64
			job := jobs.Job{Name: "count", Every: time.Hour, Run: func(context.Context) error {
				runs.Add(1)
				time.Sleep(5 * time.Millisecond) // long enough for the other instance to try meanwhile
				return nil
			}}
			var scheds []*jobs.Scheduler
			for i, db := range []*sqlstore.DB{dbA, dbB} {
				s := jobs.New(db, fmt.Sprintf("instance-%d", i), quiet)
				s.Now = clk.Now
				s.Register(job)
				scheds = append(scheds, s)
			}
			round := func() {
				var wg sync.WaitGroup
				for _, s := range scheds {
					for range 3 {
						wg.Go(func() {
							if _, err := s.RunDue(ctx); err != nil {
								t.Error(err)
							}
						})
					}
				}
				wg.Wait()
			}
			round()
			round()
			if got := runs.Load(); got != 1 {
				t.Fatalf("after two rounds at one time the job ran %d times, want 1", got)
			}
			clk.Advance(59 * time.Minute)
			round()
			if got := runs.Load(); got != 1 {
				t.Fatalf("before it was due again the job ran %d times, want 1", got)
			}
			clk.Advance(time.Minute)
			round()
			round()
			if got := runs.Load(); got != 2 {
				t.Fatalf("once due again the job ran %d times in all, want 2", got)
			}
			rs, err := dbA.FindJobRuns(ctx, liaison.JobRunFilter{Job: "count"})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 2 || rs[0].Status != liaison.JobOK || rs[1].Status != liaison.JobOK {
				t.Fatalf("runs = %+v, want 2 ok", rs)
			}
		})
	}
}

func TestRetryWithBackoff(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock()
		s := jobs.New(db, "one", quiet)
		s.Now = clk.Now
		var calls atomic.Int64
		s.Register(jobs.Job{Name: "flaky", Every: 24 * time.Hour, RetryMin: time.Minute, RetryMax: 3 * time.Minute,
			Run: func(context.Context) error {
				if calls.Add(1) <= 4 {
					return errors.New("smtp: connection refused")
				}
				return nil
			}})
		step := func(d time.Duration, wantRan int) {
			t.Helper()
			clk.Advance(d)
			n, err := s.RunDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != wantRan {
				t.Fatalf("after %v RunDue ran %d jobs, want %d", d, n, wantRan)
			}
		}
		step(0, 1)               // fails (1st): retry in 1m
		step(59*time.Second, 0)  //
		step(time.Second, 1)     // fails (2nd): retry in 2m
		step(119*time.Second, 0) //
		step(time.Second, 1)     // fails (3rd): 4m capped to 3m
		step(3*time.Minute, 1)   // fails (4th): 3m
		step(3*time.Minute, 1)   // succeeds: next in a day
		step(23*time.Hour, 0)    //
		step(time.Hour-time.Second, 0)
		step(time.Second, 1)
		js, err := db.FindJobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(js) != 1 || js[0].Failures != 0 || js[0].LastStatus != liaison.JobOK {
			t.Fatalf("job = %+v", js[0])
		}
		failed, err := db.FindJobRuns(ctx, liaison.JobRunFilter{FailedOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) != 4 || failed[0].Attempt != 4 || failed[3].Attempt != 1 || failed[0].Error != "smtp: connection refused" {
			t.Fatalf("failed runs = %+v", failed)
		}
	})
}

func TestTimeoutAndPanicFailTheRun(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	s := jobs.New(db, "one", quiet)
	s.Register(jobs.Job{Name: "slow", Every: time.Hour, Timeout: 20 * time.Millisecond, Run: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}})
	s.Register(jobs.Job{Name: "boom", Every: time.Hour, Run: func(context.Context) error { panic("boom") }})
	if n, err := s.RunDue(ctx); err != nil || n != 2 {
		t.Fatalf("RunDue = %d, %v", n, err)
	}
	runs, err := db.FindJobRuns(ctx, liaison.JobRunFilter{FailedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range runs {
		got[r.Job] = r.Error
	}
	if got["slow"] != context.DeadlineExceeded.Error() {
		t.Errorf("slow job error = %q", got["slow"])
	}
	if len(got["boom"]) < 11 || got["boom"][:11] != "panic: boom" {
		t.Errorf("panicking job error = %q", got["boom"])
	}
}

func TestStartRunsUntilCancelled(t *testing.T) {
	db := sqlstoretest.Open(t, sqlstoretest.SQLite)
	s := jobs.New(db, "one", quiet)
	s.Poll = 10 * time.Millisecond
	ran := make(chan struct{}, 10)
	s.Register(jobs.Job{Name: "often", Every: time.Millisecond, Run: func(context.Context) error {
		select {
		case ran <- struct{}{}:
		default:
		}
		return nil
	}})
	cctx, cancel := context.WithCancel(ctx)
	s.Start(cctx)
	for range 2 {
		select {
		case <-ran:
		case <-time.After(10 * time.Second):
			t.Fatal("the started scheduler did not run the job")
		}
	}
	cancel()
	s.Wait()
}
