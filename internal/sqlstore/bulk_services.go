package sqlstore

import (
	"context"

	"github.com/liaisonhq/liaison"
)

// Services writes services and their levels.
func (b *BulkTx) Services(ctx context.Context, services []*liaison.Service) error {
	var levels []struct {
		id  string
		pos int
		l   *liaison.ServiceLevel
	}
	for i, s := range services {
		if err := requireID("service", i, s.ID); err != nil {
			return err
		}
		b.stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
		for j := range s.Levels {
			levels = append(levels, struct {
				id  string
				pos int
				l   *liaison.ServiceLevel
			}{s.ID, j, &s.Levels[j]})
		}
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "services", []string{"id", "name", "description", "status", "owner_id", "customer_specific",
		"price_model", "currency", "external_id", "search_text", "version", "created_at", "updated_at"}, len(services),
		func(i int, row []any) {
			s := services[i]
			row[0], row[1], row[2], row[3], row[4], row[5] = s.ID, s.Name, s.Description, string(s.Status), nullPtr(s.OwnerID), s.CustomerSpecific
			row[6], row[7], row[8], row[9], row[10] = string(s.PriceModel), s.Currency, s.ExternalID, serviceSearchText(s), s.Version
			row[11], row[12] = t(s.CreatedAt), t(s.UpdatedAt)
		})
	if err != nil {
		return err
	}
	return b.insert(ctx, "service_levels", []string{"service_id", "name", "position", "description", "availability_percent",
		"response_minutes", "resolution_minutes", "support_hours", "price"}, len(levels), func(i int, row []any) {
		x := levels[i]
		row[0], row[1], row[2], row[3] = x.id, x.l.Name, x.pos, x.l.Description
		row[4], row[5], row[6], row[7], row[8] = floatArg(x.l.AvailabilityPercent), intArg(x.l.ResponseMinutes), intArg(x.l.ResolutionMinutes),
			x.l.SupportHours, floatArg(x.l.Price)
	})
}

func floatArg(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// Subscriptions writes usages of services; their services and accounts
// must be written before them.
func (b *BulkTx) Subscriptions(ctx context.Context, subs []*liaison.Subscription) error {
	for i, s := range subs {
		if err := requireID("subscription", i, s.ID); err != nil {
			return err
		}
		b.stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "subscriptions", []string{"id", "organisation_id", "service_id", "level", "users", "workload",
		"contact_user_id", "started_on", "notes", "version", "created_at", "updated_at"}, len(subs), func(i int, row []any) {
		s := subs[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = s.ID, s.OrganisationID, s.ServiceID, s.Level, intArg(s.Users), s.Workload
		row[6], row[7], row[8], row[9], row[10], row[11] = nullPtr(s.ContactUserID), nullPtr(s.StartedOn), s.Notes, s.Version, t(s.CreatedAt), t(s.UpdatedAt)
	})
}
