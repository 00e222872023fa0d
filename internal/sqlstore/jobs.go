package sqlstore

import (
	"context"
	"fmt"

	"time"

	"github.com/liaisonhq/liaison"
)

// EnsureJob creates the job's row, due at next, unless it exists.
func (db *DB) EnsureJob(ctx context.Context, name string, next time.Time) error {
	return db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (name, next_run_at, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO NOTHING`, name, tx.t(next), tx.t(tx.now)); err != nil {
			return fmt.Errorf("ensure job %s: %w", name, err)
		}
		return nil
	})
}

// ClaimJob takes the job's lease with one conditional UPDATE: the row
// changes only while the job is due and unleased (or its lease expired).
// On PostgreSQL a second concurrent UPDATE waits for the first to commit,
// then re-checks the condition against the new row and changes nothing;
// on SQLite write transactions run one at a time. Only the winner sees one
// row affected.
func (db *DB) ClaimJob(ctx context.Context, name, instance string, now, leaseUntil time.Time) (*liaison.JobRun, error) {
	now, leaseUntil = now.UTC().Truncate(time.Microsecond), leaseUntil.UTC().Truncate(time.Microsecond)
	var run *liaison.JobRun
	err := db.write(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET lease_owner = $1, lease_until = $2, last_started_at = $3,
			last_status = $4, updated_at = $5
			WHERE name = $6 AND next_run_at <= $3 AND (lease_until IS NULL OR lease_until < $3)`,
			instance, tx.t(leaseUntil), tx.t(now), liaison.JobRunning, tx.t(tx.now), name)
		if err != nil {
			return fmt.Errorf("claim job %s: %w", name, err)
		}
		if n, err := rowsAffected(res); err != nil || n == 0 {
			return err
		}
		// We hold the lease: a run still marked running lost its lease.
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET status = $1, ended_at = $2,
			error = 'the instance stopped or lost its lease before the run ended'
			WHERE job = $3 AND status = $4`, liaison.JobAbandoned, tx.t(now), name, liaison.JobRunning); err != nil {
			return fmt.Errorf("claim job %s: %w", name, err)
		}
		var failures int
		if err := tx.QueryRowContext(ctx, `SELECT failures FROM jobs WHERE name = $1`, name).Scan(&failures); err != nil {
			return fmt.Errorf("claim job %s: %w", name, err)
		}
		run = &liaison.JobRun{ID: newID(), Job: name, Instance: instance, Attempt: failures + 1, StartedAt: now, Status: liaison.JobRunning}
		if _, err := tx.ExecContext(ctx, `INSERT INTO job_runs (id, job, instance, attempt, started_at, status)
			VALUES ($1, $2, $3, $4, $5, $6)`, run.ID, run.Job, run.Instance, run.Attempt, tx.t(now), run.Status); err != nil {
			return fmt.Errorf("claim job %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}

// FinishJob records the end of a run and, while its instance holds the
// lease, releases it and sets when the job is due next.
func (db *DB) FinishJob(ctx context.Context, run *liaison.JobRun, next time.Time) (bool, error) {
	ended := db.now()
	if run.EndedAt != nil {
		ended = run.EndedAt.UTC().Truncate(time.Microsecond)
	}
	held := false
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET status = $1, error = $2, ended_at = $3 WHERE id = $4`,
			run.Status, run.Error, tx.t(ended), run.ID); err != nil {
			return fmt.Errorf("finish job %s: %w", run.Job, err)
		}
		failures := "0"
		if run.Status != liaison.JobOK {
			failures = "failures + 1"
		}
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET lease_owner = '', lease_until = NULL, next_run_at = $1,
			failures = `+failures+`, last_ended_at = $2, last_status = $3, last_error = $4, updated_at = $5
			WHERE name = $6 AND lease_owner = $7`,
			tx.t(next.UTC().Truncate(time.Microsecond)), tx.t(ended), run.Status, run.Error, tx.t(tx.now), run.Job, run.Instance)
		if err != nil {
			return fmt.Errorf("finish job %s: %w", run.Job, err)
		}
		n, err := rowsAffected(res)
		held = n == 1
		return err
	})
	return held, err
}

const jobColumns = `name, next_run_at, lease_owner, lease_until, failures, last_started_at, last_ended_at, last_status, last_error, updated_at`

func scanJob(sc scanner) (*liaison.JobState, error) {
	var j liaison.JobState
	err := sc.Scan(&j.Name, timeCol{&j.NextRunAt}, &j.LeaseOwner, nullTimeCol{&j.LeaseUntil}, &j.Failures,
		nullTimeCol{&j.LastStartedAt}, nullTimeCol{&j.LastEndedAt}, &j.LastStatus, &j.LastError, timeCol{&j.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// FindJobs returns every job, by name.
func (db *DB) FindJobs(ctx context.Context) ([]*liaison.JobState, error) {
	rows, err := db.ro.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("find jobs: %w", err)
	}
	jobs, err := collectRows(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("find jobs: %w", err)
	}
	return jobs, nil
}

const jobRunColumns = `id, job, instance, attempt, started_at, ended_at, status, error`

func scanJobRun(sc scanner) (*liaison.JobRun, error) {
	var r liaison.JobRun
	if err := sc.Scan(&r.ID, &r.Job, &r.Instance, &r.Attempt, timeCol{&r.StartedAt}, nullTimeCol{&r.EndedAt}, &r.Status, &r.Error); err != nil {
		return nil, err
	}
	return &r, nil
}

// FindJobRuns returns runs, newest first.
func (db *DB) FindJobRuns(ctx context.Context, f liaison.JobRunFilter) ([]*liaison.JobRun, error) {
	q := query{d: db.dialect}
	if f.Job != "" {
		q.and("job = " + q.arg(f.Job))
	}
	if f.FailedOnly {
		q.and("status IN (" + q.arg(liaison.JobFailed) + ", " + q.arg(liaison.JobAbandoned) + ")")
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT `+jobRunColumns+` FROM job_runs`+q.whereClause()+
		` ORDER BY started_at DESC, id DESC LIMIT `+fmt.Sprint(pageLimit(f.Limit)), q.args...)
	if err != nil {
		return nil, fmt.Errorf("find job runs: %w", err)
	}
	runs, err := collectRows(rows, scanJobRun)
	if err != nil {
		return nil, fmt.Errorf("find job runs: %w", err)
	}
	return runs, nil
}

// PruneJobRuns deletes the ended runs that started before before.
func (db *DB) PruneJobRuns(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM job_runs WHERE started_at < $1 AND status <> $2`,
			tx.t(before.UTC().Truncate(time.Microsecond)), liaison.JobRunning)
		if err != nil {
			return fmt.Errorf("prune job runs: %w", err)
		}
		n, err = rowsAffected(res)
		return err
	})
	return int(n), err
}
