package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// JobsOverview is what the admin sees of the background work.
type JobsOverview struct {
	Jobs     []*liaison.JobState
	Runs     []*liaison.JobRun // the latest runs of every job, newest first
	Failures []*liaison.JobRun // the latest failed or abandoned runs
	// Mail lists the messages that wait or failed for good, newest first.
	Mail       []*liaison.MailMessage
	MailCounts map[string]int
}

// JobsOverview returns the jobs, their recent runs and failures, and the
// outbox's waiting and failed mail; admin only.
func (a *App) JobsOverview(ctx context.Context) (*JobsOverview, error) {
	if _, err := require(ctx, liaison.AccessAdmin); err != nil {
		return nil, err
	}
	o := &JobsOverview{}
	var err error
	if o.Jobs, err = a.Store.FindJobs(ctx); err != nil {
		return nil, err
	}
	if o.Runs, err = a.Store.FindJobRuns(ctx, liaison.JobRunFilter{Limit: 30}); err != nil {
		return nil, err
	}
	if o.Failures, err = a.Store.FindJobRuns(ctx, liaison.JobRunFilter{FailedOnly: true, Limit: 10}); err != nil {
		return nil, err
	}
	for _, status := range []string{liaison.MailFailed, liaison.MailPending} {
		ms, err := a.Store.FindMail(ctx, liaison.MailFilter{Status: status, Limit: 20})
		if err != nil {
			return nil, err
		}
		o.Mail = append(o.Mail, ms...)
	}
	if o.MailCounts, err = a.Store.CountMail(ctx); err != nil {
		return nil, err
	}
	return o, nil
}
