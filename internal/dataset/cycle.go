package dataset

import (
	"context"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// The annual cycle of a dataset: the handful of activities every IT
// service centre keeps (agreement review, budget meeting, satisfaction
// survey, quarterly cost follow-up, and an update window for the first
// segment's accounts), with their tasks generated for every account in
// scope for the twelve months after the history's end, owned by each
// account's relationship manager. They are made last and draw nothing
// from the random streams, so the rest of the data stays as it was.

var cycleActivities = []liaison.CycleActivity{
	{Title: "Agreement review", Kind: liaison.CycleAgreementReview, Recurrence: liaison.RecurYearly, Month: 3, Day: 15},
	{Title: "Budget meeting", Kind: liaison.CycleBudgetMeeting, Recurrence: liaison.RecurYearly, Month: 9, Day: 10},
	{Title: "Satisfaction survey", Kind: liaison.CycleSatisfactionSurvey, Recurrence: liaison.RecurYearly, Month: 5, Day: 2},
	{Title: "Cost follow-up of continuous services", Kind: liaison.CycleCostFollowUp, Recurrence: liaison.RecurQuarterly, Month: 1, Day: 20},
	{Title: "Critical update window", Kind: liaison.CycleCriticalUpdateWindow, Recurrence: liaison.RecurDate, Scope: liaison.ScopeSegment},
}

// buildCycle makes the activities and their tasks.
func (w *world) buildCycle() ([]*liaison.CycleActivity, []*liaison.CycleTask) {
	from, to := liaison.CycleHorizon(ts(w.end))
	created := w.end - 30*24*int64(time.Hour/time.Microsecond)
	var as []*liaison.CycleActivity
	var tasks []*liaison.CycleTask
	for i, spec := range cycleActivities {
		a := spec
		a.ID = w.newID(created + int64(i))
		a.CreatedAt, a.UpdatedAt, a.Version = ts(created), ts(created), 1
		if a.Recurrence == liaison.RecurDate {
			a.OnDate = liaison.Ptr(liaison.FormatDate(liaison.AddMonths(from, 4)))
		}
		if a.Scope == liaison.ScopeSegment {
			if len(w.segments) == 0 {
				continue
			}
			a.SegmentID = &w.segments[0].s.ID
		}
		as = append(as, &a)
		dates := a.Dates(from, to)
		for _, u := range w.units {
			o := u.o
			if !o.BudgetHolder || o.DeletedAt != nil || (a.SegmentID != nil && o.Segment != *a.SegmentID) {
				continue
			}
			for _, d := range dates {
				tasks = append(tasks, &liaison.CycleTask{ID: w.newID(created + int64(len(tasks))), ActivityID: a.ID, Title: a.Title,
					OrganisationID: o.ID, OrganisationName: o.Name, OwnerID: o.RelationshipManagerID, DueDate: liaison.FormatDate(d), Status: "open"})
			}
		}
	}
	return as, tasks
}

// loadCycle writes the annual cycle.
func (w *world) loadCycle(ctx context.Context, b *sqlstore.BulkTx) error {
	as, tasks := w.buildCycle()
	w.cycleTasks = len(tasks)
	return b.CycleActivities(ctx, as, tasks)
}
