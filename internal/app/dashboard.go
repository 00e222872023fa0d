package app

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

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

// healthCursor prefixes the cursor of a list sorted by health: an offset,
// as the order is computed in memory from the dashboard's facts.
const healthCursor = "h"

// organisationsByHealth lists the units of f ordered by relationship
// health: "health" weakest first (as the dashboard's health list), "-health"
// strongest first; ties by name, units that are not live accounts (no
// score) last. It reads every unit f keeps and the cached facts, which is
// cheap for the few hundred accounts of a portfolio.
func (a *App) organisationsByHealth(ctx context.Context, f liaison.OrganisationFilter) ([]*liaison.Organisation, string, error) {
	offset := 0
	if f.Cursor != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(f.Cursor, healthCursor))
		if !strings.HasPrefix(f.Cursor, healthCursor) || err != nil || n < 0 {
			return nil, "", &liaison.Error{Code: liaison.EBADREQUEST, Message: "invalid cursor: pass next_cursor from the previous page unchanged", Key: "error.cursor_invalid"}
		}
		offset = n
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	desc := f.Sort == "-health"
	all := []*liaison.Organisation{}
	page := f
	page.Sort, page.Cursor, page.Limit = "name", "", 500
	for {
		list, next, err := a.Store.FindOrganisations(ctx, page)
		if err != nil {
			return nil, "", err
		}
		all = append(all, list...)
		if next == "" {
			break
		}
		page.Cursor = next
	}
	facts, err := a.Store.DashboardFacts(ctx, a.Now())
	if err != nil {
		return nil, "", err
	}
	score := map[string]int{}
	for _, acc := range facts.Accounts {
		score[acc.ID] = liaison.ComputeHealth(acc.Health).Score
	}
	sort.SliceStable(all, func(i, j int) bool {
		x, okx := score[all[i].ID]
		y, oky := score[all[j].ID]
		switch {
		case okx != oky:
			return okx
		case x != y && desc:
			return x > y
		case x != y:
			return x < y
		}
		return false // by name, as read
	})
	if offset >= len(all) {
		return []*liaison.Organisation{}, "", nil
	}
	end := min(offset+limit, len(all))
	next := ""
	if end < len(all) {
		next = healthCursor + strconv.Itoa(end)
	}
	return all[offset:end], next, nil
}
