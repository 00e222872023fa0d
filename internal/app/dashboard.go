package app

import (
	"context"
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
