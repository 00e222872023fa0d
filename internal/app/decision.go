package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Decisions on customer-specific services are account data (SPEC §4): read
// by every internal user, written by the account's relationship manager and
// deputy, head and admin. Who may be recorded as the decider is the domain's
// rule (only the account's customer), checked by the store.

// Decision returns a decision.
func (a *App) Decision(ctx context.Context, id string) (*liaison.ServiceDecision, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindDecisionByID(ctx, id)
}

// Decisions lists decisions.
func (a *App) Decisions(ctx context.Context, f liaison.DecisionFilter) ([]*liaison.ServiceDecision, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindDecisions(ctx, f)
}

// CanWriteDecisions reports whether the principal may record decisions for
// the account: for showing or hiding actions.
func (a *App) CanWriteDecisions(ctx context.Context, accountID string) bool {
	return a.canWriteUnit(ctx, accountID) == nil
}

// CreateDecision records a customer's decision.
func (a *App) CreateDecision(ctx context.Context, d *liaison.ServiceDecision) error {
	d.Normalize()
	if err := d.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, d.OrganisationID); err != nil {
		return err
	}
	return a.Store.CreateDecision(ctx, d)
}

// UpdateDecision saves d, the decision's full new state. Moving it to
// another account needs the right to write both.
func (a *App) UpdateDecision(ctx context.Context, d *liaison.ServiceDecision, ifVersion int) error {
	cur, err := a.Store.FindDecisionByID(ctx, d.ID)
	if err != nil {
		return err
	}
	d.Normalize()
	if err := d.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	if d.OrganisationID != cur.OrganisationID {
		if err := a.canWriteUnit(ctx, d.OrganisationID); err != nil {
			return err
		}
	}
	return a.Store.UpdateDecision(ctx, d, ifVersion)
}

// DeleteDecision removes a decision; the audit trail keeps it.
func (a *App) DeleteDecision(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindDecisionByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteDecision(ctx, id, ifVersion)
}
