package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Services are curated by admin and head. The service's owner may also
// edit it — its description, levels, targets and price — but not its
// status or owner: launching, retiring and handing a service over are the
// catalogue's curation. Usages are account data (SPEC §4): the account's
// relationship manager and deputy, head and admin write them.

// Service returns a service of the catalogue.
func (a *App) Service(ctx context.Context, id string) (*liaison.Service, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindServiceByID(ctx, id)
}

// Services lists the catalogue.
func (a *App) Services(ctx context.Context, f liaison.ServiceFilter) ([]*liaison.Service, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindServices(ctx, f)
}

// CanEditService reports whether the principal may edit the service: admin
// and head, or its owner through a writing session or token.
func CanEditService(p *liaison.Principal, s *liaison.Service) bool {
	if p.Allows(liaison.AccessCurate) {
		return true
	}
	return p != nil && p.User != nil && p.User.Active && p.Scope == liaison.ScopeWrite &&
		s.OwnerID != nil && *s.OwnerID == p.User.ID
}

// CreateService adds a service to the catalogue.
func (a *App) CreateService(ctx context.Context, s *liaison.Service) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return a.Store.CreateService(ctx, s)
}

// UpdateService saves s, the service's full new state.
func (a *App) UpdateService(ctx context.Context, s *liaison.Service, ifVersion int) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindServiceByID(ctx, s.ID)
	if err != nil {
		return err
	}
	if !CanEditService(p, cur) {
		if p.Scope != liaison.ScopeWrite {
			return forbidden("This token may only read.")
		}
		return forbidden("Only the service's owner, the head of service management or an administrator may change this service.")
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	if (s.Status != cur.Status || !same(s.OwnerID, cur.OwnerID)) && !p.Allows(liaison.AccessCurate) {
		return forbidden("Only the head of service management or an administrator may change a service's status or owner.")
	}
	return a.Store.UpdateService(ctx, s, ifVersion)
}

// DeleteService removes a service nothing uses; otherwise retire it.
func (a *App) DeleteService(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeleteService(ctx, id, ifVersion)
}

// Subscription returns a usage.
func (a *App) Subscription(ctx context.Context, id string) (*liaison.Subscription, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSubscriptionByID(ctx, id)
}

// Subscriptions lists usages.
func (a *App) Subscriptions(ctx context.Context, f liaison.SubscriptionFilter) ([]*liaison.Subscription, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindSubscriptions(ctx, f)
}

// SubscriptionCoverage counts the usages with a named IT contact.
func (a *App) SubscriptionCoverage(ctx context.Context) (liaison.Coverage, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return liaison.Coverage{}, err
	}
	return a.Store.SubscriptionCoverage(ctx)
}

// CreateSubscription records that an account uses a service.
func (a *App) CreateSubscription(ctx context.Context, s *liaison.Subscription) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, s.OrganisationID); err != nil {
		return err
	}
	return a.Store.CreateSubscription(ctx, s)
}

// UpdateSubscription saves s, the usage's full new state. Moving a usage to
// another account needs the right to write both.
func (a *App) UpdateSubscription(ctx context.Context, s *liaison.Subscription, ifVersion int) error {
	cur, err := a.Store.FindSubscriptionByID(ctx, s.ID)
	if err != nil {
		return err
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	if s.OrganisationID != cur.OrganisationID {
		if err := a.canWriteUnit(ctx, s.OrganisationID); err != nil {
			return err
		}
	}
	return a.Store.UpdateSubscription(ctx, s, ifVersion)
}

// DeleteSubscription removes a usage.
func (a *App) DeleteSubscription(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindSubscriptionByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteSubscription(ctx, id, ifVersion)
}
