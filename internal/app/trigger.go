package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Triggers (SPEC C12, §4, §5): anyone in IT but viewers logs a trigger on
// any account (staff register triggers), through a write-scoped session
// or token; every internal user reads them. A trigger is account data:
// its title, description, kind, date and service are edited, and it is
// trashed, by the account's relationship manager and deputy, head and
// admin, and by the user who logged it. Restoring is head's and admin's.
// Its task is an action like any other (app/action.go says who changes it).

// TriggerRights says what the principal may do with a trigger.
type TriggerRights struct {
	Edit bool // change its fields, trash it
}

// CanLogTriggers reports whether the principal may log triggers.
func (a *App) CanLogTriggers(ctx context.Context) bool {
	return canRegisterComplaints(ctx) == nil
}

// TriggerRights returns what the principal of ctx may do with t.
func (a *App) TriggerRights(ctx context.Context, t *liaison.Trigger) TriggerRights {
	return TriggerRights{Edit: a.canEditTrigger(ctx, t) == nil}
}

func (a *App) canEditTrigger(ctx context.Context, t *liaison.Trigger) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	p := liaison.PrincipalFrom(ctx)
	if t.ReportedByID != nil && *t.ReportedByID == p.User.ID {
		return nil
	}
	if err := a.canWriteUnit(ctx, t.OrganisationID); err != nil {
		return forbidden("Only the account's relationship manager or deputy, the head of service management, an administrator or whoever logged it may change this trigger.")
	}
	return nil
}

// Trigger returns a trigger.
func (a *App) Trigger(ctx context.Context, id string) (*liaison.Trigger, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindTriggerByID(ctx, id)
}

// Triggers lists triggers; the trash needs curate rights.
func (a *App) Triggers(ctx context.Context, f liaison.TriggerFilter) ([]*liaison.Trigger, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindTriggers(ctx, f)
}

// CreateTrigger logs t and opens its task for the account's relationship
// manager. t.Source says how it came (the API sets api, the UI manual).
// created is false when t.ExternalRef named an earlier trigger, which t
// then holds.
func (a *App) CreateTrigger(ctx context.Context, t *liaison.Trigger) (created bool, err error) {
	if err := canRegisterComplaints(ctx); err != nil {
		return false, err
	}
	t.Normalize()
	if err := t.Validate(); err != nil {
		return false, err
	}
	return a.Store.CreateTrigger(ctx, t)
}

// UpdateTrigger saves t, the trigger's full new state.
func (a *App) UpdateTrigger(ctx context.Context, t *liaison.Trigger, ifVersion int) error {
	cur, err := a.Store.FindTriggerByID(ctx, t.ID)
	if err != nil {
		return err
	}
	if err := a.canEditTrigger(ctx, cur); err != nil {
		return err
	}
	t.Normalize()
	if err := t.Validate(); err != nil {
		return err
	}
	return a.Store.UpdateTrigger(ctx, t, ifVersion)
}

// DeleteTrigger moves a trigger and its task to the trash.
func (a *App) DeleteTrigger(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindTriggerByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canEditTrigger(ctx, cur); err != nil {
		return err
	}
	return a.Store.DeleteTrigger(ctx, id, ifVersion)
}

// RestoreTrigger brings a trigger and its task back from the trash.
func (a *App) RestoreTrigger(ctx context.Context, id string) (*liaison.Trigger, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreTrigger(ctx, id)
}
