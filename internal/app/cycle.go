package app

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// The annual cycle (SPEC C13): activity definitions are portfolio-wide,
// so the head of service management and administrators write them; every
// internal user reads them and the year views. Saving an activity lays
// its tasks for the horizon at once (the cycle.generate job keeps the
// horizon filled day by day); an edit first drops the future tasks nobody
// has touched, so the new definition replaces them, and never a done one.

// CycleActivity returns a live activity.
func (a *App) CycleActivity(ctx context.Context, id string) (*liaison.CycleActivity, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindCycleActivityByID(ctx, id)
}

// CycleActivities lists activities; the trash needs curate rights.
func (a *App) CycleActivities(ctx context.Context, f liaison.CycleActivityFilter) ([]*liaison.CycleActivity, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindCycleActivities(ctx, f)
}

// AllCycleActivities lists every live activity, by title.
func (a *App) AllCycleActivities(ctx context.Context) ([]*liaison.CycleActivity, error) {
	var all []*liaison.CycleActivity
	f := liaison.CycleActivityFilter{Limit: 500}
	for {
		list, next, err := a.CycleActivities(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if next == "" {
			return all, nil
		}
		f.Cursor = next
	}
}

// CreateCycleActivity stores an activity and generates its tasks for the horizon.
func (a *App) CreateCycleActivity(ctx context.Context, c *liaison.CycleActivity) (int, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return 0, err
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return 0, err
	}
	if err := a.Store.CreateCycleActivity(ctx, c); err != nil {
		return 0, err
	}
	// The request's Idempotency-Key was claimed with the activity; the
	// tasks are no create of the request's, and claiming it again for the
	// first of them failed the generation.
	return a.generate(liaison.WithIdempotencyClaim(ctx, nil), c.ID)
}

// UpdateCycleActivity saves c, the activity's full new state, and lays
// its tasks anew where the definition changed them.
func (a *App) UpdateCycleActivity(ctx context.Context, c *liaison.CycleActivity, ifVersion int) (int, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return 0, err
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return 0, err
	}
	if err := a.Store.UpdateCycleActivity(ctx, c, ifVersion, a.Now()); err != nil {
		return 0, err
	}
	return a.generate(ctx, c.ID)
}

// DeleteCycleActivity moves an activity to the trash with its untouched future tasks.
func (a *App) DeleteCycleActivity(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeleteCycleActivity(ctx, id, ifVersion, a.Now())
}

// RestoreCycleActivity brings an activity back and lays its tasks again.
func (a *App) RestoreCycleActivity(ctx context.Context, id string) (*liaison.CycleActivity, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	c, err := a.Store.RestoreCycleActivity(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := a.generate(ctx, c.ID); err != nil {
		return nil, err
	}
	return c, nil
}

// GenerateCycleTasks lays the missing tasks of one activity (all when id
// is "") for the horizon; it returns how many it created.
func (a *App) GenerateCycleTasks(ctx context.Context, id string) (int, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return 0, err
	}
	if id != "" {
		if _, err := a.Store.FindCycleActivityByID(ctx, id); err != nil {
			return 0, err
		}
	}
	return a.generate(ctx, id)
}

func (a *App) generate(ctx context.Context, id string) (int, error) {
	from, to := liaison.CycleHorizon(a.Now())
	n, err := a.Store.GenerateCycleTasks(ctx, id, from, to)
	if err != nil {
		return n, fmt.Errorf("generate cycle tasks: %w", err)
	}
	return n, nil
}

// CycleTasks lists generated tasks for a year view.
func (a *App) CycleTasks(ctx context.Context, f liaison.CycleTaskFilter) ([]*liaison.CycleTask, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindCycleTasks(ctx, f)
}

// CycleJob is the cycle.generate job's work: it fills the horizon of
// every live activity, as the system.
func (a *App) CycleJob(ctx context.Context) (int, error) {
	return a.generate(ctx, "")
}
