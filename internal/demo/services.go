package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// The IT service centre's catalogue: what it offers Region Norrsken, at
// the usual Gold, Silver and Bronze levels, and which accounts use what.
// A few usages lack a named IT contact, so that the coverage view has
// something to show; the customer-specific ones all have one.

type serviceSpec struct {
	key, name, desc, owner string
	status                 liaison.ServiceStatus
	specific               bool
	price                  liaison.PriceModel
	levels                 []liaison.ServiceLevel
}

func level(name string, avail float64, response, resolution int, hours string, price float64) liaison.ServiceLevel {
	return liaison.ServiceLevel{Name: name, AvailabilityPercent: &avail, ResponseMinutes: &response, ResolutionMinutes: &resolution,
		SupportHours: hours, Price: &price}
}

// tiers are the standard levels at a price scale.
func tiers(gold, silver, bronze float64) []liaison.ServiceLevel {
	return []liaison.ServiceLevel{
		level("Gold", 99.9, 15, 240, "24/7", gold),
		level("Silver", 99.5, 60, 480, "Mon–Fri 07–19", silver),
		level("Bronze", 99.0, 240, 2880, "Mon–Fri 08–17", bronze),
	}
}

var services = []serviceSpec{
	{key: "workplace", name: "Arbetsplats (Workplace)", owner: "lena", status: liaison.ServiceLive, price: liaison.PricePerUser,
		desc: "Laptop or desktop, standard software, printing and the service desk for every employee.", levels: tiers(620, 480, 390)},
	{key: "mail", name: "E-post och kalender", owner: "jukka", status: liaison.ServiceLive, price: liaison.PricePerUser,
		desc: "Mailboxes, shared calendars and distribution lists, with spam and malware filtering.", levels: tiers(95, 70, 55)},
	{key: "erp", name: "ERP-drift (ERP hosting)", owner: "lena", status: liaison.ServiceLive, price: liaison.PricePerUnit, specific: true,
		desc:   "Hosting and application management of the account's own ERP system: environments, patching, backups and upgrades.",
		levels: []liaison.ServiceLevel{level("Gold", 99.95, 15, 120, "24/7", 42000), level("Silver", 99.7, 30, 480, "Mon–Fri 07–19", 31000)}},
	{key: "network", name: "Nätverk och wifi", owner: "jukka", status: liaison.ServiceLive, price: liaison.PriceFixed,
		desc: "Wired network, wifi and guest wifi in the account's premises, monitored around the clock.", levels: tiers(18000, 12500, 9000)},
	{key: "ehr", name: "Journalsystem – drift", owner: "lena", status: liaison.ServiceLive, price: liaison.PricePerUser, specific: true,
		desc:   "Operation of the patient record system and its integrations for healthcare units.",
		levels: []liaison.ServiceLevel{level("Gold", 99.95, 10, 120, "24/7", 210)}},
	{key: "school", name: "Skolplattform", owner: "jukka", status: liaison.ServiceLive, price: liaison.PricePerUser,
		desc: "Learning platform, pupil accounts and devices for schools.", levels: tiers(45, 35, 28)},
	{key: "files", name: "Säker filöverföring", owner: "lena", status: liaison.ServicePipeline, price: liaison.PriceConsumption,
		desc:   "Encrypted exchange of large files with external partners. Being prepared; not offered to customers yet.",
		levels: []liaison.ServiceLevel{level("Silver", 99.5, 60, 480, "Mon–Fri 07–19", 2.5)}},
	{key: "fax", name: "Faxtjänst", owner: "jukka", status: liaison.ServiceLive, price: liaison.PriceFixed,
		desc: "Central fax numbers delivered to e-mail. Retired: moved to secure messaging.", levels: tiers(900, 700, 500)},
}

type usageSpec struct {
	account, service, level string
	users                   int
	workload                string
	contact                 string // user key; "" for none
}

var usages = []usageSpec{
	{"hs", "workplace", "Gold", 2400, "", "anna"},
	{"hs", "mail", "Silver", 2600, "", "anna"},
	{"hs", "ehr", "Gold", 2100, "", "johan"},
	{"hospital", "workplace", "Gold", 3100, "", "johan"},
	{"hospital", "network", "Gold", 0, "14 buildings", "johan"},
	{"hospital", "ehr", "Gold", 2900, "", "anna"},
	{"hospital", "fax", "Bronze", 0, "6 fax numbers", ""},
	{"primary", "workplace", "Silver", 850, "", "elin"},
	{"primary", "mail", "Silver", 900, "", ""},
	{"edu", "mail", "Bronze", 1200, "", "mikael"},
	{"polaris", "school", "Silver", 1450, "", ""},
	{"polaris", "workplace", "Bronze", 160, "", "anna"},
	{"adult", "school", "Bronze", 600, "", ""},
	{"tech", "workplace", "Silver", 420, "", "johan"},
	{"tech", "network", "Silver", 0, "5 depots", ""},
	{"energy", "erp", "Gold", 0, "3 environments, 1.2 TB", "mikael"},
	{"energy", "mail", "Silver", 310, "", "mikael"},
	{"culture", "workplace", "Bronze", 190, "", "elin"},
	{"museum", "network", "Bronze", 0, "2 sites", ""},
	{"social", "workplace", "Silver", 1300, "", "elin"},
	{"admin", "erp", "Silver", 0, "Finance and HR modules", "johan"},
	{"fi", "mail", "Silver", 240, "", "mikko"},
	{"revontuli", "workplace", "Bronze", 45, "", ""},
	{"cn", "mail", "Bronze", 80, "", "chen"},
}

// createServices fills the catalogue and records the accounts' usage.
func (l *loader) createServices(ctx context.Context) error {
	ids := map[string]*liaison.Service{}
	for i, spec := range services {
		s := &liaison.Service{Name: spec.name, Description: spec.desc, Status: spec.status, CustomerSpecific: spec.specific,
			PriceModel: spec.price, Currency: "SEK", Levels: spec.levels, ExternalID: fmt.Sprintf("SVC-%03d", i+1)}
		if spec.owner != "" {
			s.OwnerID = &l.users[spec.owner].ID
		}
		if err := l.a.CreateService(ctx, s); err != nil {
			return fmt.Errorf("service %s: %w", spec.name, err)
		}
		ids[spec.key] = s
	}
	for _, u := range usages {
		unit, svc := l.units[u.account], ids[u.service]
		if unit == nil || svc == nil {
			return fmt.Errorf("usage %s/%s: unknown account or service", u.account, u.service)
		}
		s := &liaison.Subscription{OrganisationID: unit.ID, ServiceID: svc.ID, Level: u.level, Workload: u.workload}
		if u.users > 0 {
			s.Users = liaison.Ptr(u.users)
		}
		if u.contact != "" {
			s.ContactUserID = &l.users[u.contact].ID
		}
		if err := l.a.CreateSubscription(ctx, s); err != nil {
			return fmt.Errorf("usage of %s by %s: %w", svc.Name, unit.Name, err)
		}
		l.res.Subscriptions++
	}
	// The fax service was retired after the hospital's usage was recorded.
	fax := ids["fax"]
	fax.Status = liaison.ServiceRetired
	if err := l.a.UpdateService(ctx, fax, fax.Version); err != nil {
		return fmt.Errorf("retire %s: %w", fax.Name, err)
	}
	l.res.Services = len(services)
	return nil
}
