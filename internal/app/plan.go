package app

import (
	"context"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// The account plan (SPEC C3): INTERNAL ONLY. Every internal user reads it
// (as other account data); the account's relationship manager and deputy,
// the head of service management and admin write it; admin and head edit
// its templates. The route guard refuses external principals already
// (liaison.Principal.Allows); every use case here refuses them again, so
// that no future route can leak a plan by declaring the wrong level.

// planReader checks that the principal is an internal reader.
func planReader(ctx context.Context) (*liaison.Principal, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return nil, err
	}
	if !p.Internal() {
		return nil, forbidden("The account plan is internal.")
	}
	return p, nil
}

// planAccount returns the account whose plan is asked for; a unit that is
// not an account answers EINVALID.
func (a *App) planAccount(ctx context.Context, id string) (*liaison.Organisation, error) {
	o, err := a.Store.FindOrganisationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !o.IsAccount() {
		return nil, &liaison.Error{Code: liaison.EINVALID, Message: "The unit is not a customer account: only accounts have a plan.",
			Key: "plan.error.not_account"}
	}
	return o, nil
}

// AccountPlan returns the account's current plan (version 0: never saved).
func (a *App) AccountPlan(ctx context.Context, id string) (*liaison.AccountPlan, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	if _, err := a.planAccount(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.FindAccountPlan(ctx, id)
}

// CanEditPlan reports whether the principal may write the account's plan.
func (a *App) CanEditPlan(ctx context.Context, account *liaison.Organisation) bool {
	p := liaison.PrincipalFrom(ctx)
	return p.Internal() && p.CanWriteAccount(account)
}

// SaveAccountPlan stores sections as the plan's next version when
// ifVersion is the current one.
func (a *App) SaveAccountPlan(ctx context.Context, id string, sections liaison.PlanSections, ifVersion int) (*liaison.AccountPlan, error) {
	if err := a.CheckPlanWrite(ctx, id); err != nil {
		return nil, err
	}
	plan := &liaison.AccountPlan{OrganisationID: id, Sections: sections}
	if err := a.Store.SaveAccountPlan(ctx, plan, ifVersion); err != nil {
		return nil, err
	}
	return plan, nil
}

// CheckPlanWrite answers nil when the principal may write the account's
// plan, else EFORBIDDEN (EINVALID for a unit that is no account).
func (a *App) CheckPlanWrite(ctx context.Context, id string) error {
	p, err := planReader(ctx)
	if err != nil {
		return err
	}
	o, err := a.planAccount(ctx, id)
	if err != nil {
		return err
	}
	if !p.CanWriteAccount(o) {
		return readOnlyOr(p, "Only the account's relationship manager or deputy, the head of service management or an administrator may change its plan.")
	}
	return nil
}

// PlanVersions lists the plan's versions, newest first.
func (a *App) PlanVersions(ctx context.Context, f liaison.PlanVersionFilter) ([]*liaison.PlanVersion, string, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, "", err
	}
	return a.Store.FindPlanVersions(ctx, f)
}

// PlanVersion returns version n of the plan.
func (a *App) PlanVersion(ctx context.Context, id string, n int) (*liaison.PlanVersion, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	return a.Store.FindPlanVersion(ctx, id, n)
}

// PlanDiff is what changed between two versions of a plan.
type PlanDiff struct {
	OrganisationID string                   `json:"organisation_id"`
	From           *liaison.PlanVersion     `json:"from" doc:"The earlier version; null for version 0 (the empty plan)."`
	To             *liaison.PlanVersion     `json:"to"`
	Changes        []liaison.PlanItemChange `json:"changes"`
}

// DiffPlanVersions compares versions from and to (from 0 is the empty
// plan before the first save). from may be later than to: the diff then
// reads backwards.
func (a *App) DiffPlanVersions(ctx context.Context, id string, from, to int) (*PlanDiff, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	d := &PlanDiff{OrganisationID: id}
	empty := liaison.PlanSections{}
	empty.Normalize()
	var err error
	fromSections, toSections := &empty, &empty
	if from > 0 {
		if d.From, err = a.Store.FindPlanVersion(ctx, id, from); err != nil {
			return nil, err
		}
		fromSections = &d.From.Sections
	}
	if to > 0 {
		if d.To, err = a.Store.FindPlanVersion(ctx, id, to); err != nil {
			return nil, err
		}
		toSections = &d.To.Sections
	} else {
		if _, err := a.planAccount(ctx, id); err != nil {
			return nil, err
		}
	}
	d.Changes = liaison.DiffPlans(fromSections, toSections)
	return d, nil
}

// PlanTemplateFor returns the template an account's plan follows: its
// segment's when there is one, else the stored default, else the
// built-in one.
func (a *App) PlanTemplateFor(ctx context.Context, account *liaison.Organisation) (*liaison.PlanTemplate, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	if account != nil && account.Segment != "" {
		t, err := a.Store.FindPlanTemplate(ctx, account.Segment)
		if err == nil {
			return t, nil
		} else if liaison.ErrorCode(err) != liaison.ENOTFOUND {
			return nil, err
		}
	}
	return a.PlanTemplate(ctx, "")
}

// PlanTemplate returns the template of a segment ("" the default); the
// default falls back to the built-in one. A segment without its own
// template answers ENOTFOUND.
func (a *App) PlanTemplate(ctx context.Context, segmentID string) (*liaison.PlanTemplate, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	t, err := a.Store.FindPlanTemplate(ctx, segmentID)
	if segmentID == "" && liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return liaison.DefaultPlanTemplate(), nil
	}
	return t, err
}

// PlanTemplates lists the stored templates, the default first (the
// built-in default when none is stored).
func (a *App) PlanTemplates(ctx context.Context) ([]*liaison.PlanTemplate, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	ts, err := a.Store.FindPlanTemplates(ctx)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 || ts[0].SegmentID != nil {
		ts = append([]*liaison.PlanTemplate{liaison.DefaultPlanTemplate()}, ts...)
	}
	return ts, nil
}

// SavePlanTemplate stores a template: admin and head.
func (a *App) SavePlanTemplate(ctx context.Context, t *liaison.PlanTemplate, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.SavePlanTemplate(ctx, t, ifVersion)
}

// DeletePlanTemplate removes a segment's template: admin and head.
func (a *App) DeletePlanTemplate(ctx context.Context, segmentID string) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeletePlanTemplate(ctx, segmentID)
}

// PlanLive is the live data shown beside the plan's dated sections: the
// critical update windows of the annual cycle for the account, the budget
// meetings planned with it, and the services it uses.
type PlanLive struct {
	From            string                  `json:"from" format:"date"`
	To              string                  `json:"to" format:"date"`
	UpdateWindows   []*liaison.CycleTask    `json:"update_windows"`
	BudgetMeetings  []*liaison.Meeting      `json:"budget_meetings"`
	Services        []*liaison.Subscription `json:"services"`
	ServiceStatuses map[string]string       `json:"-"`
}

// PlanLiveData reads the live data of the account's plan for the coming
// twelve months.
func (a *App) PlanLiveData(ctx context.Context, id string) (*PlanLive, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	now := a.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	until := liaison.AddMonths(today, 12)
	l := &PlanLive{From: today.Format(liaison.DateLayout), To: until.Format(liaison.DateLayout)}
	tasks, err := a.Store.FindCycleTasks(ctx, liaison.CycleTaskFilter{OrganisationID: id, From: l.From, To: l.To, Limit: 500})
	if err != nil {
		return nil, err
	}
	l.UpdateWindows = []*liaison.CycleTask{}
	for _, t := range tasks {
		if t.Kind == liaison.CycleCriticalUpdateWindow && t.Status == "open" {
			l.UpdateWindows = append(l.UpdateWindows, t)
		}
	}
	if l.BudgetMeetings, _, err = a.Store.FindMeetings(ctx, liaison.MeetingFilter{OrganisationID: id, Type: liaison.MeetingBudget,
		Status: liaison.MeetingPlanned, From: &today, To: &until, Sort: "starts_at", Limit: 50}); err != nil {
		return nil, err
	}
	if l.Services, _, err = a.Store.FindSubscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: id, Sort: "name", Limit: 200}); err != nil {
		return nil, err
	}
	return l, nil
}

// PlanAnalysis lists the dated plan items of every account due in the
// filter's period (SPEC C3: "every development initiative due next
// quarter"); every internal user reads every account's plan.
func (a *App) PlanAnalysis(ctx context.Context, f liaison.PlanItemFilter) ([]*liaison.PlanItemRow, error) {
	if _, err := planReader(ctx); err != nil {
		return nil, err
	}
	if f.Section != "" && !f.Section.Valid() {
		return nil, &liaison.Error{Code: liaison.EBADREQUEST, Message: "unknown section: use one of " + liaison.PlanSectionEnumDoc,
			Key: "plan.error.section_invalid"}
	}
	for _, d := range []string{f.From, f.To} {
		if d == "" {
			continue
		}
		if _, err := liaison.ParseDate(d); err != nil {
			return nil, &liaison.Error{Code: liaison.EBADREQUEST, Message: "from and to are dates (YYYY-MM-DD)", Key: "error.date_invalid"}
		}
	}
	return a.Store.FindPlanItems(ctx, f)
}

// NextQuarter is the calendar quarter after the one holding now, as dates.
func NextQuarter(now time.Time) (from, to string) {
	q := (int(now.Month()) - 1) / 3
	start := time.Date(now.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 3, 0)
	return start.Format(liaison.DateLayout), start.AddDate(0, 3, -1).Format(liaison.DateLayout)
}
