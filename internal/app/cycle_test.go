package app_test

import (
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

func TestCycleActivitiesRightsAndGeneration(t *testing.T) {
	f := setup(t)
	f.a.Now = func() time.Time { return time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC) }
	c := func() *liaison.CycleActivity {
		return &liaison.CycleActivity{Title: "Cost follow-up", Kind: liaison.CycleCostFollowUp, Recurrence: liaison.RecurQuarterly, Month: 1, Day: 20}
	}
	for _, u := range []*liaison.User{f.mgr, f.staff} {
		_, err := f.a.CreateCycleActivity(as(u, liaison.ScopeWrite), c())
		wantCode(t, u.Name+" defines an activity", err, liaison.EFORBIDDEN)
	}
	_, err := f.a.CreateCycleActivity(as(f.head, liaison.ScopeRead), c())
	wantCode(t, "a read token", err, liaison.EFORBIDDEN)
	bad := c()
	bad.Month = 4
	_, err = f.a.CreateCycleActivity(as(f.head, liaison.ScopeWrite), bad)
	wantCode(t, "a quarterly activity in month 4", err, liaison.EINVALID)

	head := as(f.head, liaison.ScopeWrite)
	a := c()
	n, err := f.a.CreateCycleActivity(head, a)
	must(t, err)
	if n != 4 { // 2027-01-20, 04-20, 07-20, 10-20 for the one account
		t.Fatalf("creating generated %d, want 4", n)
	}
	n, err = f.a.GenerateCycleTasks(head, a.ID)
	must(t, err)
	if n != 0 {
		t.Fatalf("generating again created %d", n)
	}
	n, err = f.a.CycleJob(head)
	must(t, err)
	if n != 0 {
		t.Fatalf("the job created %d after generation", n)
	}
	tasks, err := f.a.CycleTasks(as(f.staff, liaison.ScopeRead), liaison.CycleTaskFilter{OrganisationID: f.account.ID})
	must(t, err)
	if len(tasks) != 4 || tasks[0].OwnerID == nil || *tasks[0].OwnerID != f.mgr.ID {
		t.Fatalf("tasks = %+v: four, owned by the relationship manager", tasks)
	}
	_, err = f.a.GenerateCycleTasks(as(f.mgr, liaison.ScopeWrite), a.ID)
	wantCode(t, "a manager generates", err, liaison.EFORBIDDEN)
	a.Day = 5
	n, err = f.a.UpdateCycleActivity(head, a, a.Version)
	must(t, err)
	tasks, err = f.a.CycleTasks(head, liaison.CycleTaskFilter{OrganisationID: f.account.ID})
	must(t, err)
	if n != 4 || len(tasks) != 4 || tasks[0].DueDate != "2027-01-05" {
		t.Fatalf("after moving the day: generated %d, tasks %+v", n, tasks)
	}
}
