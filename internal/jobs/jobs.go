// Package jobs runs Liaison's background jobs on every instance while
// making sure that each due run happens once, not once per instance.
//
// The state lives in the database (liaison.JobStore): a job is due at
// next_run_at, and an instance runs it only after it took the job's lease
// with a conditional UPDATE that one instance alone can win. The lease
// outlives the job's timeout, so an instance that dies mid-run frees the
// job for another once the lease runs out. A failed run is retried with
// exponential backoff (capped); every run is recorded for the admin page.
//
//	s := jobs.New(store, jobs.InstanceID(), log)
//	s.Register(jobs.Job{Name: "mail.deliver", Every: 15 * time.Second, Run: deliver})
//	s.Start(ctx) // polls until ctx ends
//	defer s.Wait()
//
// Tests call RunDue and move the clock (Now) instead of starting the loop.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// Store is what the scheduler needs of the database.
type Store interface {
	EnsureJob(ctx context.Context, name string, next time.Time) error
	ClaimJob(ctx context.Context, name, instance string, now, leaseUntil time.Time) (*liaison.JobRun, error)
	FinishJob(ctx context.Context, run *liaison.JobRun, next time.Time) (bool, error)
}

// Defaults of a Job's optional fields.
const (
	DefaultTimeout  = 5 * time.Minute
	DefaultRetryMin = 30 * time.Second
	DefaultRetryMax = time.Hour
	// DefaultPoll is how often a started scheduler looks for due jobs.
	DefaultPoll = 5 * time.Second
	// leaseMargin is how long the lease outlives the run's timeout: time to
	// record the end of a run that used all of it.
	leaseMargin = 30 * time.Second
)

// Job is a registered job.
type Job struct {
	Name string
	// Every is the time from one successful run's start to the next.
	Every time.Duration
	// Timeout bounds a run (its context ends); DefaultTimeout when 0.
	Timeout time.Duration
	// RetryMin and RetryMax bound the backoff after failed runs: the n-th
	// failure in a row waits RetryMin·2ⁿ⁻¹, at most RetryMax.
	RetryMin, RetryMax time.Duration
	// Run does the work; an error (or a panic) makes the run failed.
	Run func(ctx context.Context) error
}

// Scheduler runs registered jobs.
type Scheduler struct {
	// Now is the clock; tests replace it. UTC time.Now by default.
	Now func() time.Time
	// Poll is how often Start looks for due jobs; DefaultPoll when 0.
	Poll time.Duration

	store    Store
	instance string
	log      *slog.Logger

	mu      sync.Mutex
	jobs    []Job
	ensured map[string]bool
	wg      sync.WaitGroup
}

// New returns a scheduler for the instance named instanceID (unique among
// the instances sharing the database; see InstanceID).
func New(store Store, instanceID string, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.Default()
	}
	return &Scheduler{Now: func() time.Time { return time.Now().UTC() }, store: store, instance: instanceID,
		log: log.With("instance", instanceID), ensured: map[string]bool{}}
}

// InstanceID returns a name for this process that no other instance
// shares: the host, the process id and a random part.
func InstanceID() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "liaison"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Instance returns the scheduler's instance id.
func (s *Scheduler) Instance() string { return s.instance }

// Register adds a job. It panics on a job without a name, a period or a
// function, or on a name registered twice: those are programming errors.
func (s *Scheduler) Register(j Job) {
	if j.Name == "" || j.Every <= 0 || j.Run == nil {
		panic(fmt.Sprintf("jobs: job %q needs a name, a positive Every and a Run function", j.Name))
	}
	if j.Timeout <= 0 {
		j.Timeout = DefaultTimeout
	}
	if j.RetryMin <= 0 {
		j.RetryMin = DefaultRetryMin
	}
	if j.RetryMax <= 0 {
		j.RetryMax = DefaultRetryMax
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.jobs {
		if k.Name == j.Name {
			panic(fmt.Sprintf("jobs: job %q registered twice", j.Name))
		}
	}
	s.jobs = append(s.jobs, j)
}

// Jobs returns the registered jobs.
func (s *Scheduler) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Job(nil), s.jobs...)
}

// Backoff is the wait after the attempt-th failure in a row: first·2^(attempt-1), at most max.
func Backoff(attempt int, first, max time.Duration) time.Duration {
	d := first
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// RunDue runs, concurrently, every registered job that is due and whose
// lease this instance wins, and waits for them. It returns how many ran.
// A job that is new to the database is due at once.
func (s *Scheduler) RunDue(ctx context.Context) (int, error) {
	var wg sync.WaitGroup
	ran := 0
	var firstErr error
	for _, j := range s.Jobs() {
		run, err := s.claim(ctx, j)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			s.log.Warn("job claim failed", "job", j.Name, "err", err)
			continue
		}
		if run == nil {
			continue
		}
		ran++
		wg.Go(func() { s.execute(ctx, j, run) })
	}
	wg.Wait()
	return ran, firstErr
}

func (s *Scheduler) claim(ctx context.Context, j Job) (*liaison.JobRun, error) {
	now := s.Now()
	s.mu.Lock()
	ensured := s.ensured[j.Name]
	s.mu.Unlock()
	if !ensured {
		if err := s.store.EnsureJob(ctx, j.Name, now); err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.ensured[j.Name] = true
		s.mu.Unlock()
	}
	return s.store.ClaimJob(ctx, j.Name, s.instance, now, now.Add(j.Timeout+leaseMargin))
}

// execute runs a claimed job and records its end, even when ctx has ended
// meanwhile.
func (s *Scheduler) execute(ctx context.Context, j Job, run *liaison.JobRun) {
	rctx, cancel := context.WithTimeout(ctx, j.Timeout)
	err := safeRun(rctx, j.Run)
	cancel()
	end := s.Now()
	run.EndedAt = &end
	next := run.StartedAt.Add(j.Every)
	if err != nil {
		run.Status, run.Error = liaison.JobFailed, truncate(err.Error(), 2000)
		wait := Backoff(run.Attempt, j.RetryMin, j.RetryMax)
		next = end.Add(wait)
		s.log.Warn("job failed", "job", j.Name, "attempt", run.Attempt, "retry_in", wait, "err", err)
	} else {
		run.Status = liaison.JobOK
		if next.Before(end) {
			next = end // a run longer than its period: due again at once, not in the past
		}
		s.log.Debug("job done", "job", j.Name, "took", end.Sub(run.StartedAt))
	}
	held, ferr := s.store.FinishJob(context.WithoutCancel(ctx), run, next)
	switch {
	case ferr != nil:
		s.log.Error("job end not recorded", "job", j.Name, "err", ferr)
	case !held:
		s.log.Warn("job ran past its lease; another instance may have run it too", "job", j.Name)
	}
}

func safeRun(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(ctx)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Start runs due jobs now and then every Poll until ctx ends. Wait waits
// for the loop and any running job to stop.
func (s *Scheduler) Start(ctx context.Context) {
	poll := s.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	s.wg.Go(func() {
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			if _, err := s.RunDue(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("jobs: looking for due jobs failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	s.log.Info("job scheduler started", "jobs", len(s.Jobs()), "poll", poll)
}

// Wait blocks until a started scheduler has stopped.
func (s *Scheduler) Wait() { s.wg.Wait() }

// PruneJob returns a daily job that deletes the job runs older than keep.
func PruneJob(store interface {
	PruneJobRuns(ctx context.Context, before time.Time) (int, error)
}, now func() time.Time, keep time.Duration) Job {
	return Job{Name: "jobs.prune_runs", Every: 24 * time.Hour, Run: func(ctx context.Context) error {
		_, err := store.PruneJobRuns(ctx, now().Add(-keep))
		return err
	}}
}
