package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Suppliers are catalogue data like services (SPEC C4): read by every
// internal user, written by whoever curates the catalogue (head and admin),
// the same rights as creating and removing services. Their trash is
// curated too.

// Supplier returns a supplier not in the trash.
func (a *App) Supplier(ctx context.Context, id string) (*liaison.Supplier, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindSupplierByID(ctx, id)
}

// Suppliers lists suppliers; the trash needs curate rights.
func (a *App) Suppliers(ctx context.Context, f liaison.SupplierFilter) ([]*liaison.Supplier, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindSuppliers(ctx, f)
}

// CreateSupplier adds a supplier with its service links.
func (a *App) CreateSupplier(ctx context.Context, s *liaison.Supplier) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return a.Store.CreateSupplier(ctx, s)
}

// UpdateSupplier saves s, the supplier's full new state, its links included.
func (a *App) UpdateSupplier(ctx context.Context, s *liaison.Supplier, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return a.Store.UpdateSupplier(ctx, s, ifVersion)
}

// DeleteSupplier moves a supplier to the trash.
func (a *App) DeleteSupplier(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeleteSupplier(ctx, id, ifVersion)
}

// RestoreSupplier brings a supplier back from the trash.
func (a *App) RestoreSupplier(ctx context.Context, id string) (*liaison.Supplier, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreSupplier(ctx, id)
}
