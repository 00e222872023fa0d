package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// ---------- background jobs (admin) ----------

type jobRow struct {
	Name      string // translated when known
	Key       string // the job's own name
	NextDue   string
	LastRun   string
	Status    string
	Badge     string
	Failures  int
	LastError string
	RunningOn string
}

type runRow struct {
	Job, Started, Took, Instance, Status, Badge, Error string
	Attempt                                            int
}

type mailRow struct {
	To, Subject, Status, Badge, NextAttempt, Error string
	Attempts                                       int
}

type jobsPage struct {
	Page
	Jobs     []jobRow
	Runs     []runRow
	Failures []runRow
	Mail     []mailRow
	Counts   []string
}

func (h *Handler) showJobs(w http.ResponseWriter, r *http.Request) {
	p := h.page(w, r, "", "jobs")
	p.Title = p.L.T("admin.jobs.title")
	o, err := h.app.JobsOverview(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		exportRows(h, w, r, "jobs", "admin.jobs.title", jobColumns(p.L), o.Jobs)
		return
	}
	data := &jobsPage{Page: p}
	jobName := func(name string) string { return jobLabel(p.L, name) }
	when := func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return p.DateTime(*t)
	}
	for _, j := range o.Jobs {
		row := jobRow{Name: jobName(j.Name), Key: j.Name, NextDue: p.DateTime(j.NextRunAt), LastRun: when(j.LastStartedAt),
			Failures: j.Failures, LastError: j.LastError}
		status := j.LastStatus
		if status == "" {
			status = "new"
		}
		row.Status, row.Badge = p.L.T("job.status."+status), jobBadge(status)
		if j.LeaseOwner != "" && j.LeaseUntil != nil && j.LeaseUntil.After(p.Now) {
			row.RunningOn = p.L.T("admin.jobs.running_on", j.LeaseOwner)
		}
		data.Jobs = append(data.Jobs, row)
	}
	run := func(x *liaison.JobRun) runRow {
		rr := runRow{Job: jobName(x.Job), Started: p.DateTime(x.StartedAt), Instance: x.Instance, Attempt: x.Attempt,
			Status: p.L.T("job.status." + x.Status), Badge: jobBadge(x.Status), Error: x.Error, Took: "—"}
		if x.EndedAt != nil {
			secs := x.EndedAt.Sub(x.StartedAt).Seconds()
			rr.Took = p.L.T("admin.jobs.seconds", strconv.FormatFloat(secs, 'f', 1, 64))
		}
		return rr
	}
	for _, x := range o.Runs {
		data.Runs = append(data.Runs, run(x))
	}
	for _, x := range o.Failures {
		data.Failures = append(data.Failures, run(x))
	}
	for _, m := range o.Mail {
		row := mailRow{To: m.To, Subject: m.Subject, Status: p.L.T("mail.status." + m.Status), Attempts: m.Attempts,
			Error: m.LastError, NextAttempt: "—", Badge: "badge-warn"}
		if m.Status == liaison.MailFailed {
			row.Badge = "badge-danger"
		} else {
			row.NextAttempt = p.DateTime(m.NextAttemptAt)
		}
		data.Mail = append(data.Mail, row)
	}
	for _, s := range []string{liaison.MailPending, liaison.MailSent, liaison.MailFailed} {
		data.Counts = append(data.Counts, p.L.T("mail.count."+s, p.L.Number(o.MailCounts[s])))
	}
	h.render(w, r, http.StatusOK, "jobs", data)
}

// jobLabel is a job's name in the reader's language, its key when it has
// none.
func jobLabel(l *i18n.Localizer, name string) string {
	if k := "job.name." + name; l.Has(k) {
		return l.T(k)
	}
	return name
}

// jobColumns are the columns of the exported job list.
func jobColumns(l *i18n.Localizer) []exportColumn[*liaison.JobState] {
	return []exportColumn[*liaison.JobState]{
		{"admin.jobs.name", func(j *liaison.JobState) any { return jobLabel(l, j.Name) }},
		{"admin.jobs.status", func(j *liaison.JobState) any {
			if j.LastStatus == "" {
				return l.T("job.status.new")
			}
			return l.T("job.status." + j.LastStatus)
		}},
		{"admin.jobs.last_run", func(j *liaison.JobState) any { return j.LastStartedAt }},
		{"admin.jobs.next_due", func(j *liaison.JobState) any { return j.NextRunAt }},
		{"admin.jobs.failures", func(j *liaison.JobState) any { return j.Failures }},
		{"admin.jobs.error", func(j *liaison.JobState) any { return j.LastError }},
	}
}

func jobBadge(status string) string {
	switch status {
	case liaison.JobOK:
		return "badge-ok"
	case liaison.JobFailed, liaison.JobAbandoned:
		return "badge-danger"
	case liaison.JobRunning:
		return "badge-accent"
	}
	return ""
}
