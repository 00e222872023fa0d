package dataset

import (
	"context"
	"fmt"
	"math/rand/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// The service catalogue of a dataset: SPEC §6's 300 services for L (3 per
// 20 units), mostly live, with Gold/Silver/Bronze-like levels and targets,
// a fifth of them customer-specific; every account uses a handful of them,
// and about one usage in eight lacks a named IT contact (never one of a
// customer-specific service). The catalogue is drawn from its own random
// stream after everything else, so it leaves the rest of the data as it
// was. It has no history in the timeline.

// Services is the number of services of the plan.
func (p Plan) Services() int { return p.Units * 3 / 20 }

var serviceAreas = []string{"Workplace", "E-mail", "Calendar", "ERP hosting", "Network", "Wifi", "Backup", "File storage",
	"Printing", "Telephony", "Video meetings", "Intranet", "Identity and access", "Patient records", "Learning platform",
	"Case management", "Payroll", "Finance system", "GIS", "Document archive", "Service desk", "Server hosting",
	"Database hosting", "Integration platform", "Web hosting", "Mobile devices", "Security monitoring", "Data warehouse",
	"E-signing", "Booking system"}

var serviceQualifiers = []string{"", "Plus", "Nordic", "Lab", "24/7", "Basic", "Pro", "Regional", "Cloud", "Legacy",
	"Secure", "Premium", "Express"}

var serviceLocal = map[string]string{"Workplace": "Arbetsplats", "E-mail": "Sähköposti", "Network": "网络", "Backup": "Säkerhetskopiering",
	"Printing": "Tulostus", "Telephony": "电话", "File storage": "Fillagring"}

func ptrF(v float64) *float64 { return &v }
func ptrI(v int) *int         { return &v }

// buildServices draws the catalogue and its usage.
func (w *world) buildServices() ([]*liaison.Service, []*liaison.Subscription) {
	rng := rand.New(rand.NewPCG(w.seed, 0x5e7c1ce))
	owners := w.itUser
	var services []*liaison.Service
	for i := range w.plan.Services() {
		area := serviceAreas[i%len(serviceAreas)]
		q := serviceQualifiers[(i/len(serviceAreas))%len(serviceQualifiers)]
		name := area
		if local, ok := serviceLocal[area]; ok && i/len(serviceAreas)%2 == 1 {
			name = local + " (" + area + ")"
		}
		if q != "" {
			name += " " + q
		}
		if n := i / (len(serviceAreas) * len(serviceQualifiers)); n > 0 {
			name += fmt.Sprintf(" %d", n+1)
		}
		at := w.between(w.start, w.end-30*24*3600*1e6)
		s := &liaison.Service{Name: name, Description: "The " + area + " service of the IT service centre.",
			Status: liaison.ServiceLive, PriceModel: liaison.PriceModels[rng.IntN(len(liaison.PriceModels))], Currency: "EUR",
			ExternalID: fmt.Sprintf("SVC-%05d", i+1), Version: 1, CreatedAt: ts(at), UpdatedAt: ts(at)}
		s.ID = w.newID(at)
		switch r := rng.IntN(100); {
		case r < 12:
			s.Status = liaison.ServicePipeline
		case r < 20:
			s.Status = liaison.ServiceRetired
		}
		s.CustomerSpecific = rng.IntN(5) == 0
		if rng.IntN(10) > 0 {
			s.OwnerID = &owners[rng.IntN(len(owners))].ID
		}
		scale := float64(5 + rng.IntN(200))
		s.Levels = []liaison.ServiceLevel{
			{Name: "Gold", AvailabilityPercent: ptrF(99.9), ResponseMinutes: ptrI(15), ResolutionMinutes: ptrI(240), SupportHours: "24/7", Price: ptrF(scale * 1.6)},
			{Name: "Silver", AvailabilityPercent: ptrF(99.5), ResponseMinutes: ptrI(60), ResolutionMinutes: ptrI(480), SupportHours: "Mon–Fri 07–19", Price: ptrF(scale * 1.2)},
			{Name: "Bronze", AvailabilityPercent: ptrF(99.0), ResponseMinutes: ptrI(240), ResolutionMinutes: ptrI(2880), SupportHours: "Mon–Fri 08–17", Price: ptrF(scale)},
		}
		if k := rng.IntN(6); k == 0 {
			s.Levels = s.Levels[:1]
		} else if k == 1 {
			s.Levels = append([]liaison.ServiceLevel{{Name: "Platinum", AvailabilityPercent: ptrF(99.99), ResponseMinutes: ptrI(5),
				ResolutionMinutes: ptrI(60), SupportHours: "24/7", Price: ptrF(scale * 2.5)}}, s.Levels...)
		}
		services = append(services, s)
	}
	var usable []*liaison.Service
	for _, s := range services {
		if s.Status != liaison.ServicePipeline {
			usable = append(usable, s)
		}
	}
	var subs []*liaison.Subscription
	for _, u := range w.units {
		if !u.o.BudgetHolder || len(usable) == 0 {
			continue
		}
		taken := map[string]bool{}
		for range 2 + rng.IntN(7) {
			s := usable[rng.IntN(len(usable))]
			if taken[s.ID] {
				continue
			}
			taken[s.ID] = true
			lo := max(u.created, s.CreatedAt.UnixMicro())
			at := w.between(lo, max(lo+1, w.end))
			sub := &liaison.Subscription{OrganisationID: u.o.ID, ServiceID: s.ID, Level: s.Levels[rng.IntN(len(s.Levels))].Name,
				Version: 1, CreatedAt: ts(at), UpdatedAt: ts(at), StartedOn: liaison.Ptr(ts(at).Format(liaison.DateLayout))}
			sub.ID = w.newID(at)
			if rng.IntN(3) > 0 {
				sub.Users = ptrI(10 + rng.IntN(3000))
			} else {
				sub.Workload = fmt.Sprintf("%d servers", 1+rng.IntN(60))
			}
			if s.CustomerSpecific || rng.IntN(8) > 0 {
				if u.o.RelationshipManagerID != nil && rng.IntN(2) == 0 {
					sub.ContactUserID = u.o.RelationshipManagerID
				} else {
					sub.ContactUserID = &owners[rng.IntN(len(owners))].ID
				}
			}
			subs = append(subs, sub)
		}
	}
	return services, subs
}

// loadServices writes the catalogue and its usage.
func (w *world) loadServices(ctx context.Context, b *sqlstore.BulkTx) error {
	services, subs := w.buildServices()
	w.services, w.subscriptions, w.catalogue = len(services), len(subs), services
	w.usages = map[string][]*liaison.Subscription{}
	for _, sub := range subs {
		w.usages[sub.OrganisationID] = append(w.usages[sub.OrganisationID], sub)
	}
	w.subList = subs
	if err := b.Services(ctx, services); err != nil {
		return err
	}
	return b.Subscriptions(ctx, subs)
}
