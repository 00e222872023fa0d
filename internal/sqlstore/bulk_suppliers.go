package sqlstore

import (
	"context"
	"fmt"

	"github.com/liaisonhq/liaison"
)

// Suppliers writes suppliers and their service links; the services must be
// written before them.
func (b *BulkTx) Suppliers(ctx context.Context, ss []*liaison.Supplier) error {
	type link struct {
		supplier string
		pos      int
		l        liaison.SupplierService
	}
	var links []link
	for i, s := range ss {
		if err := requireID("supplier", i, s.ID); err != nil {
			return err
		}
		s.Normalize()
		if err := s.Validate(); err != nil {
			return fmt.Errorf("bulk: supplier %s: %w", s.ID, err)
		}
		b.stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
		for j, l := range s.Services {
			links = append(links, link{s.ID, j, l})
		}
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "suppliers", []string{"id", "name", "name_key", "registration_id", "description", "contact_name",
		"contact_email", "contact_phone", "website", "contract_reference", "contract_end_date", "status", "notes", "search_text",
		"version", "created_at", "updated_at"}, len(ss), func(i int, row []any) {
		s := ss[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = s.ID, s.Name, supplierNameKey(s.Name), s.RegistrationID, s.Description, s.ContactName
		row[6], row[7], row[8], row[9], row[10], row[11] = s.ContactEmail, s.ContactPhone, s.Website, s.ContractReference, nullPtr(s.ContractEndDate), string(s.Status)
		row[12], row[13], row[14], row[15], row[16] = s.Notes, supplierSearchText(s), s.Version, t(s.CreatedAt), t(s.UpdatedAt)
	})
	if err != nil {
		return err
	}
	return b.insert(ctx, "supplier_services", []string{"supplier_id", "service_id", "note", "position"}, len(links), func(i int, row []any) {
		x := links[i]
		row[0], row[1], row[2], row[3] = x.supplier, x.l.ServiceID, x.l.Note, x.pos
	})
}
