package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(*testing.T, *sqlstore.DB){
		"Jobs/ClaimOnceThenNotDue":     testJobClaimOnce,
		"Jobs/ConcurrentClaimsOneWins": testJobConcurrentClaims,
		"Jobs/FailuresAndLostLease":    testJobFailuresAndLostLease,
		"Jobs/RunsListAndPrune":        testJobRunsListAndPrune,
		"Mail/EnqueueDedupe":           testMailEnqueueDedupe,
		"Mail/ConcurrentDedupe":        testMailConcurrentDedupe,
		"Mail/ClaimSentFailed":         testMailClaimSentFailed,
		"Mail/Rejects":                 testMailRejects,
		"Settings/ReminderDays":        testSettingsReminderDays,
	} {
		contract[name] = fn
	}
}

// t0 is the jobs' clock: the scheduler passes its times in.
var t0 = time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)

func testJobClaimOnce(t *testing.T, db *sqlstore.DB) {
	ok(t, db.EnsureJob(ctx, "tick", t0))
	ok(t, db.EnsureJob(ctx, "tick", t0.Add(time.Hour))) // exists: unchanged
	if r, err := db.ClaimJob(ctx, "tick", "a", t0.Add(-time.Second), t0.Add(time.Minute)); err != nil || r != nil {
		t.Fatalf("claim before due = %v, %v; want nil, nil", r, err)
	}
	run, err := db.ClaimJob(ctx, "tick", "a", t0, t0.Add(time.Minute))
	ok(t, err)
	if run == nil || run.Attempt != 1 || run.Instance != "a" || run.Status != liaison.JobRunning || !run.StartedAt.Equal(t0) {
		t.Fatalf("claim = %+v, want a running first attempt of a at t0", run)
	}
	if r, err := db.ClaimJob(ctx, "tick", "b", t0.Add(time.Second), t0.Add(time.Minute)); err != nil || r != nil {
		t.Fatalf("claim while leased = %v, %v; want nil, nil", r, err)
	}
	if r, err := db.ClaimJob(ctx, "missing", "b", t0, t0.Add(time.Minute)); err != nil || r != nil {
		t.Fatalf("claim of an unknown job = %v, %v; want nil, nil", r, err)
	}
	run.Status = liaison.JobOK
	end := t0.Add(2 * time.Second)
	run.EndedAt = &end
	held, err := db.FinishJob(ctx, run, t0.Add(time.Hour))
	ok(t, err)
	if !held {
		t.Fatal("FinishJob: lease lost, want held")
	}
	if r, err := db.ClaimJob(ctx, "tick", "b", t0.Add(time.Minute), t0.Add(2*time.Minute)); err != nil || r != nil {
		t.Fatalf("claim before next due = %v, %v; want nil, nil", r, err)
	}
	jobs, err := db.FindJobs(ctx)
	ok(t, err)
	if len(jobs) != 1 {
		t.Fatalf("FindJobs = %d jobs, want 1", len(jobs))
	}
	j := jobs[0]
	if j.Name != "tick" || !j.NextRunAt.Equal(t0.Add(time.Hour)) || j.LeaseOwner != "" || j.LeaseUntil != nil ||
		j.LastStatus != liaison.JobOK || j.Failures != 0 || j.LastEndedAt == nil || !j.LastEndedAt.Equal(end) {
		t.Fatalf("job = %+v", j)
	}
	run2, err := db.ClaimJob(ctx, "tick", "b", t0.Add(time.Hour), t0.Add(time.Hour+time.Minute))
	ok(t, err)
	if run2 == nil || run2.Instance != "b" || run2.Attempt != 1 {
		t.Fatalf("claim when due again = %+v", run2)
	}
}

func testJobConcurrentClaims(t *testing.T, db *sqlstore.DB) {
	ok(t, db.EnsureJob(ctx, "race", t0))
	const n = 8
	var wg sync.WaitGroup
	won := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			r, err := db.ClaimJob(ctx, "race", fmt.Sprintf("i%d", i), t0, t0.Add(time.Minute))
			won[i], errs[i] = r != nil, err
		})
	}
	wg.Wait()
	wins := 0
	for i := range n {
		ok(t, errs[i])
		if won[i] {
			wins++
		}
	}
	if wins != 1 {
		t.Fatalf("%d of %d concurrent claims won, want exactly 1", wins, n)
	}
	runs, err := db.FindJobRuns(ctx, liaison.JobRunFilter{Job: "race"})
	ok(t, err)
	if len(runs) != 1 {
		t.Fatalf("%d runs recorded, want 1", len(runs))
	}
}

func testJobFailuresAndLostLease(t *testing.T, db *sqlstore.DB) {
	ok(t, db.EnsureJob(ctx, "flaky", t0))
	run, err := db.ClaimJob(ctx, "flaky", "a", t0, t0.Add(time.Minute))
	ok(t, err)
	run.Status, run.Error = liaison.JobFailed, "smtp: connection refused"
	if held, err := db.FinishJob(ctx, run, t0.Add(30*time.Second)); err != nil || !held {
		t.Fatalf("FinishJob = %v, %v", held, err)
	}
	run, err = db.ClaimJob(ctx, "flaky", "a", t0.Add(30*time.Second), t0.Add(90*time.Second))
	ok(t, err)
	if run == nil || run.Attempt != 2 {
		t.Fatalf("retry = %+v, want attempt 2", run)
	}
	// a stops answering; once its lease has run out, b takes over.
	if r, _ := db.ClaimJob(ctx, "flaky", "b", t0.Add(60*time.Second), t0.Add(5*time.Minute)); r != nil {
		t.Fatal("b claimed while a's lease was live")
	}
	taken, err := db.ClaimJob(ctx, "flaky", "b", t0.Add(91*time.Second), t0.Add(5*time.Minute))
	ok(t, err)
	if taken == nil || taken.Attempt != 2 {
		t.Fatalf("claim after the lease expired = %+v, want attempt 2", taken)
	}
	run.Status = liaison.JobOK
	if held, err := db.FinishJob(ctx, run, t0.Add(time.Hour)); err != nil || held {
		t.Fatalf("FinishJob by the instance that lost its lease = %v, %v; want false, nil", held, err)
	}
	runs, err := db.FindJobRuns(ctx, liaison.JobRunFilter{Job: "flaky", FailedOnly: true})
	ok(t, err)
	if len(runs) != 1 || runs[0].Status != liaison.JobFailed || runs[0].Error != "smtp: connection refused" {
		t.Fatalf("failed runs = %+v", runs)
	}
	jobs, err := db.FindJobs(ctx)
	ok(t, err)
	if jobs[0].LeaseOwner != "b" || jobs[0].Failures != 1 {
		t.Fatalf("job = %+v, want leased by b with 1 failure", jobs[0])
	}
	taken.Status = liaison.JobOK
	if held, err := db.FinishJob(ctx, taken, t0.Add(time.Hour)); err != nil || !held {
		t.Fatalf("FinishJob by b = %v, %v", held, err)
	}
	jobs, _ = db.FindJobs(ctx)
	if jobs[0].Failures != 0 || jobs[0].LastStatus != liaison.JobOK {
		t.Fatalf("after a success job = %+v, want 0 failures", jobs[0])
	}
}

func testJobRunsListAndPrune(t *testing.T, db *sqlstore.DB) {
	ok(t, db.EnsureJob(ctx, "a", t0))
	ok(t, db.EnsureJob(ctx, "b", t0))
	for i := range 3 {
		at := t0.Add(time.Duration(i) * time.Hour)
		for _, name := range []string{"a", "b"} {
			run, err := db.ClaimJob(ctx, name, "x", at, at.Add(time.Minute))
			ok(t, err)
			if run == nil {
				t.Fatalf("claim %s at %d: nil", name, i)
			}
			run.Status = liaison.JobOK
			end := at.Add(time.Second)
			run.EndedAt = &end
			if _, err := db.FinishJob(ctx, run, at.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	runs, err := db.FindJobRuns(ctx, liaison.JobRunFilter{Job: "a"})
	ok(t, err)
	if len(runs) != 3 || !runs[0].StartedAt.Equal(t0.Add(2*time.Hour)) || runs[0].EndedAt == nil {
		t.Fatalf("runs of a = %+v, want 3, newest first", runs)
	}
	all, err := db.FindJobRuns(ctx, liaison.JobRunFilter{Limit: 4})
	ok(t, err)
	if len(all) != 4 {
		t.Fatalf("limit 4 gave %d", len(all))
	}
	n, err := db.PruneJobRuns(ctx, t0.Add(90*time.Minute))
	ok(t, err)
	if n != 4 {
		t.Fatalf("pruned %d, want 4", n)
	}
	all, _ = db.FindJobRuns(ctx, liaison.JobRunFilter{})
	if len(all) != 2 {
		t.Fatalf("%d runs left, want 2", len(all))
	}
}

func testMailEnqueueDedupe(t *testing.T, db *sqlstore.DB) {
	m := &liaison.MailMessage{DedupeKey: "reminder:1", To: "ann@example.com", ToName: "Ann", Language: liaison.Language("sv"),
		Subject: "Påminnelse", Text: "Hej", HTML: "<p>Hej</p>"}
	added, err := db.EnqueueMail(ctx, m)
	ok(t, err)
	if !added || m.ID == "" || m.Status != liaison.MailPending || m.CreatedAt.IsZero() {
		t.Fatalf("enqueue = %v, %+v", added, m)
	}
	again := &liaison.MailMessage{DedupeKey: "reminder:1", To: "ann@example.com", Subject: "Other", Text: "x"}
	added, err = db.EnqueueMail(ctx, again)
	ok(t, err)
	if added || again.ID != "" {
		t.Fatalf("second enqueue with the key = %v, %+v; want not added", added, again)
	}
	// Messages without a key never collide.
	for range 2 {
		added, err := db.EnqueueMail(ctx, &liaison.MailMessage{To: "bo@example.com", Subject: "s", Text: "t"})
		ok(t, err)
		if !added {
			t.Fatal("a message without a dedupe key was not added")
		}
	}
	ms, err := db.FindMail(ctx, liaison.MailFilter{To: "ann@example.com"})
	ok(t, err)
	if len(ms) != 1 || ms[0].Subject != "Påminnelse" || ms[0].HTML != "<p>Hej</p>" || ms[0].Language != "sv" ||
		ms[0].DedupeKey != "reminder:1" || ms[0].ToName != "Ann" {
		t.Fatalf("FindMail = %+v", ms)
	}
	counts, err := db.CountMail(ctx)
	ok(t, err)
	if counts[liaison.MailPending] != 3 || counts[liaison.MailSent] != 0 {
		t.Fatalf("counts = %v", counts)
	}
}

func testMailConcurrentDedupe(t *testing.T, db *sqlstore.DB) {
	const n = 8
	var wg sync.WaitGroup
	added := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			added[i], errs[i] = db.EnqueueMail(ctx, &liaison.MailMessage{DedupeKey: "once", To: "ann@example.com",
				Subject: fmt.Sprint("try ", i), Text: "t"})
		})
	}
	wg.Wait()
	got := 0
	for i := range n {
		ok(t, errs[i])
		if added[i] {
			got++
		}
	}
	ms, err := db.FindMail(ctx, liaison.MailFilter{})
	ok(t, err)
	if got != 1 || len(ms) != 1 {
		t.Fatalf("%d enqueues reported added, %d rows; want 1 and 1", got, len(ms))
	}
}

func testMailClaimSentFailed(t *testing.T, db *sqlstore.DB) {
	clk := useClock(db, t0)
	var ids []string
	for i := range 3 {
		m := &liaison.MailMessage{To: fmt.Sprintf("u%d@example.com", i), Subject: "s", Text: "t"}
		_, err := db.EnqueueMail(ctx, m)
		ok(t, err)
		ids = append(ids, m.ID)
	}
	now := t0.Add(time.Minute)
	clk.Set(now)
	got, err := db.ClaimMail(ctx, now, now.Add(5*time.Minute), 2)
	ok(t, err)
	if len(got) != 2 || got[0].ID != ids[0] || got[1].ID != ids[1] {
		t.Fatalf("first claim = %d messages, want the two oldest", len(got))
	}
	rest, err := db.ClaimMail(ctx, now, now.Add(5*time.Minute), 10)
	ok(t, err)
	if len(rest) != 1 || rest[0].ID != ids[2] {
		t.Fatalf("second claim = %d messages, want the third only", len(rest))
	}
	ok(t, db.MarkMailSent(ctx, ids[0], now))
	ok(t, db.MarkMailFailed(ctx, ids[1], "421 try later", now.Add(time.Minute), false))
	ok(t, db.MarkMailFailed(ctx, ids[2], "550 no such user", now, true))
	wantCode(t, db.MarkMailFailed(ctx, ids[2], "again", now, false), liaison.ENOTFOUND)
	if again, _ := db.ClaimMail(ctx, now.Add(30*time.Second), now.Add(time.Hour), 10); len(again) != 0 {
		t.Fatalf("claim before the retry is due = %d messages", len(again))
	}
	retry, err := db.ClaimMail(ctx, now.Add(time.Minute), now.Add(time.Hour), 10)
	ok(t, err)
	if len(retry) != 1 || retry[0].ID != ids[1] || retry[0].Attempts != 1 || retry[0].LastError != "421 try later" {
		t.Fatalf("retry claim = %+v", retry)
	}
	sent, err := db.FindMail(ctx, liaison.MailFilter{Status: liaison.MailSent})
	ok(t, err)
	if len(sent) != 1 || sent[0].SentAt == nil || !sent[0].SentAt.Equal(now) || sent[0].Attempts != 1 {
		t.Fatalf("sent = %+v", sent)
	}
	counts, err := db.CountMail(ctx)
	ok(t, err)
	if counts[liaison.MailSent] != 1 || counts[liaison.MailPending] != 1 || counts[liaison.MailFailed] != 1 {
		t.Fatalf("counts = %v", counts)
	}
}

func testMailRejects(t *testing.T, db *sqlstore.DB) {
	_, err := db.EnqueueMail(ctx, &liaison.MailMessage{To: "not an address", Subject: "s", Text: "t"})
	wantField(t, err, "to", liaison.CodeInvalid)
	_, err = db.EnqueueMail(ctx, &liaison.MailMessage{To: "a@example.com", Text: "t"})
	wantField(t, err, "subject", liaison.CodeRequired)
	wantCode(t, db.MarkMailSent(ctx, "nope", t0), liaison.ENOTFOUND)
}

func testSettingsReminderDays(t *testing.T, db *sqlstore.DB) {
	s, err := db.Settings(ctx)
	ok(t, err)
	if fmt.Sprint(s.ReminderDays) != "[90 30 7]" {
		t.Fatalf("default reminder days = %v", s.ReminderDays)
	}
	s.ReminderDays = []int{60, 14}
	ok(t, db.SaveSettings(ctx, s))
	s, _ = db.Settings(ctx)
	if fmt.Sprint(s.ReminderDays) != "[60 14]" {
		t.Fatalf("saved reminder days = %v", s.ReminderDays)
	}
	s.ReminderDays = []int{}
	ok(t, db.SaveSettings(ctx, s))
	s, _ = db.Settings(ctx)
	if s.ReminderDays == nil || len(s.ReminderDays) != 0 {
		t.Fatalf("reminders off read back as %#v", s.ReminderDays)
	}
	// A save that leaves the field out keeps the default.
	ok(t, db.SaveSettings(ctx, liaison.Settings{StaleReviewMonths: 12}))
	s, _ = db.Settings(ctx)
	if fmt.Sprint(s.ReminderDays) != "[90 30 7]" {
		t.Fatalf("reminder days after a save without them = %v", s.ReminderDays)
	}
	for _, bad := range [][]int{{0}, {400}, {7, 7}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}} {
		wantField(t, db.SaveSettings(ctx, liaison.Settings{StaleReviewMonths: 12, ReminderDays: bad}), "reminder_days", liaison.CodeInvalid)
	}
}
