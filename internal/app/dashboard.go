package app

import (
	"context"
	"slices"
	"sort"

	liaison "github.com/liaisonhq/liaison"
)

// Dashboard returns the dashboard figures of the accounts in scope (SPEC
// C14). Every internal reader may see them: they are counts, and the
// records behind each count are shown by the lists, which apply their own
// rights.
func (a *App) Dashboard(ctx context.Context, s liaison.DashboardScope) (*liaison.Dashboard, *liaison.DashboardFacts, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, nil, err
	}
	f, err := a.Store.DashboardFacts(ctx, a.Now())
	if err != nil {
		return nil, nil, err
	}
	return liaison.BuildDashboard(f, s), f, nil
}

// AccountHealth returns an account's relationship health with its inputs,
// weights and each part's contribution; ENOTFOUND for a unit that is not a
// live account.
func (a *App) AccountHealth(ctx context.Context, id string) (*liaison.AccountHealth, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	f, err := a.Store.DashboardFacts(ctx, a.Now())
	if err != nil {
		return nil, err
	}
	h := f.Health(id)
	if h == nil {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "No live account has this id.", Key: "error.not_found"}
	}
	return h, nil
}

// HealthEntry is an account with its health, for the portfolio's health list.
type HealthEntry struct {
	ID        string                `json:"id"`
	Name      string                `json:"name"`
	ManagerID string                `json:"manager_id"`
	SegmentID string                `json:"segment_id"`
	Health    liaison.AccountHealth `json:"health"`
}

// HealthList returns the accounts in scope with their health, sorted by
// sort: "health" (weakest first, the default), "-health" (strongest
// first) or "name".
func (a *App) HealthList(ctx context.Context, s liaison.DashboardScope, by string) ([]HealthEntry, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	f, err := a.Store.DashboardFacts(ctx, a.Now())
	if err != nil {
		return nil, err
	}
	out := []HealthEntry{}
	for _, acc := range f.Accounts {
		if !s.In(acc) {
			continue
		}
		h := liaison.ComputeHealth(acc.Health)
		h.AccountID = acc.ID
		out = append(out, HealthEntry{ID: acc.ID, Name: acc.Name, ManagerID: acc.ManagerID, SegmentID: acc.SegmentID, Health: h})
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		switch by {
		case "name":
			return x.Name < y.Name
		case "-health":
			if x.Health.Score != y.Health.Score {
				return x.Health.Score > y.Health.Score
			}
		default:
			if x.Health.Score != y.Health.Score {
				return x.Health.Score < y.Health.Score
			}
		}
		return x.Name < y.Name
	})
	return out, nil
}

// KPIPeriod is the scope and period of GET kpis: dates as YYYY-MM-DD;
// From "" for no beginning, To "" for today.
type KPIPeriod struct {
	From, To string
	liaison.DashboardScope
}

// PeriodKPIs returns the figures ks of one period for the accounts in
// scope (GET kpis), computed with the dashboard's definitions: a flow over
// the period, a state on its last day. A date that is not one, a period
// that ends before it begins and a manager or segment that names no user
// or segment answer EINVALID naming the field.
func (a *App) PeriodKPIs(ctx context.Context, p KPIPeriod, ks ...liaison.KPI) (*liaison.Dashboard, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	today := liaison.FormatDate(liaison.DateOf(a.Now()))
	var v liaison.Validation
	for _, d := range []struct{ field, value string }{{"from", p.From}, {"to", p.To}} {
		if _, err := liaison.ParseDate(d.value); d.value != "" && err != nil {
			v.Add(d.field, liaison.CodeInvalid, "error.date_invalid", "must be a date as YYYY-MM-DD")
		}
	}
	if p.To == "" {
		p.To = today
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if p.From != "" && p.From > p.To {
		v.Add("to", liaison.CodeInvalid, "error.end_before_start", "must not be before from")
		return nil, v.Err()
	}
	f, err := a.Store.DashboardPeriodFacts(ctx, a.Now(), p.From, p.To)
	if err != nil {
		return nil, err
	}
	known := func(refs []liaison.Ref, id string) bool {
		return id == "" || slices.ContainsFunc(refs, func(r liaison.Ref) bool { return r.ID == id })
	}
	if !known(f.Managers, p.ManagerID) {
		v.Add("manager_id", liaison.CodeUnknown, "error.unknown_ref", "names no existing %s", "user")
	}
	if !known(f.Segments, p.SegmentID) {
		v.Add("segment", liaison.CodeUnknown, "error.unknown_ref", "names no existing %s", "segment")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return liaison.BuildDashboard(f, p.DashboardScope, ks...), nil
}
