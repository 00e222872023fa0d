package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// cycleSpec is an activity of the demo's annual cycle (SPEC C13, seeds
// 003/004 "vuosikello"): the agreement review in its month, the budget
// meeting in the autumn, the yearly satisfaction survey, the quarterly
// cost follow-up of continuous services (seed 004: "jatkuvien palvelujen
// kustannusseurannan vuosikello") and the healthcare accounts' critical
// update window (seed 003: "kriittisten palveluiden päivitysten
// ajankohdat").
type cycleSpec struct {
	title, desc string
	kind        liaison.CycleKind
	rec         liaison.CycleRecurrence
	month, day  int
	inMonths    int    // date activities: months from today
	segment     string // segment key; "" for all accounts
}

var cycleSpecs = []cycleSpec{
	{title: "Agreement review", kind: liaison.CycleAgreementReview, rec: liaison.RecurYearly, month: 3, day: 15,
		desc: "Go through the service agreement with the customer: scope, service levels, prices and the contact persons."},
	{title: "Budget meeting", kind: liaison.CycleBudgetMeeting, rec: liaison.RecurYearly, month: 9, day: 10,
		desc: "Meet the budget holder before next year's budget is set: planned changes, new needs and their costs."},
	{title: "Satisfaction survey", kind: liaison.CycleSatisfactionSurvey, rec: liaison.RecurYearly, month: 5, day: 2,
		desc: "Send the yearly customer satisfaction survey and book a follow-up of the results."},
	{title: "Cost follow-up of continuous services", kind: liaison.CycleCostFollowUp, rec: liaison.RecurQuarterly, month: 1, day: 20,
		desc: "Follow up the quarter's costs of the continuous services against the budget and the agreement."},
	{title: "Critical update window: patient record system", kind: liaison.CycleCriticalUpdateWindow, rec: liaison.RecurDate,
		inMonths: 4, segment: "healthcare",
		desc: "Major upgrade of the patient record system. Agree the downtime window and the fallback routines with the units."},
}

// createCycle defines the demo's annual cycle; creating an activity
// generates its tasks for every account in scope, owned by each
// account's relationship manager.
func (l *loader) createCycle(ctx context.Context) error {
	for _, s := range cycleSpecs {
		a := &liaison.CycleActivity{Title: s.title, Description: s.desc, Kind: s.kind, Recurrence: s.rec, Month: s.month, Day: s.day,
			Scope: liaison.ScopeAllAccounts}
		if s.rec == liaison.RecurDate {
			a.OnDate = liaison.Ptr(liaison.FormatDate(liaison.AddMonths(l.today, s.inMonths)))
		}
		if s.segment != "" {
			id, ok := l.segments[s.segment]
			if !ok {
				return fmt.Errorf("demo: cycle activity %s: no segment %s", s.title, s.segment)
			}
			a.Scope, a.SegmentID = liaison.ScopeSegment, &id
		}
		if _, err := l.a.CreateCycleActivity(ctx, a); err != nil {
			return fmt.Errorf("demo: cycle activity %s: %w", s.title, err)
		}
		l.res.CycleActivities++
	}
	return nil
}
