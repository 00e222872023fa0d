package liaison_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestServiceValidate(t *testing.T) {
	lvl := func(mods ...func(*liaison.ServiceLevel)) liaison.ServiceLevel {
		l := liaison.ServiceLevel{Name: "Gold", AvailabilityPercent: liaison.Ptr(99.9), ResponseMinutes: liaison.Ptr(15),
			ResolutionMinutes: liaison.Ptr(240), Price: liaison.Ptr(10.0)}
		for _, m := range mods {
			m(&l)
		}
		return l
	}
	many := make([]liaison.ServiceLevel, liaison.MaxServiceLevels+1)
	for i := range many {
		many[i] = liaison.ServiceLevel{Name: strings.Repeat("x", i+1)}
	}
	for _, tc := range []struct {
		name string
		svc  liaison.Service
		want map[string]string
	}{
		{"defaults", liaison.Service{Name: "E-mail"}, nil},
		{"live with a level", liaison.Service{Name: "E-mail", Status: liaison.ServiceLive, Levels: []liaison.ServiceLevel{lvl()}}, nil},
		{"no name", liaison.Service{Name: " "}, map[string]string{"name": "required"}},
		{"bad status", liaison.Service{Name: "x", Status: "beta"}, map[string]string{"status": "invalid"}},
		{"bad price model", liaison.Service{Name: "x", PriceModel: "free"}, map[string]string{"price_model": "invalid"}},
		{"bad currency", liaison.Service{Name: "x", Currency: "euro"}, map[string]string{"currency": "invalid"}},
		{"live without levels", liaison.Service{Name: "x", Status: liaison.ServiceLive}, map[string]string{"levels": "required"}},
		{"too many levels", liaison.Service{Name: "x", Levels: many}, map[string]string{"levels": "too_long"}},
		{"unnamed level", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(func(l *liaison.ServiceLevel) { l.Name = "" })}},
			map[string]string{"levels[0].name": "required"}},
		{"duplicate level", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(), lvl(func(l *liaison.ServiceLevel) { l.Name = " gold" })}},
			map[string]string{"levels[1].name": "invalid"}},
		{"availability over 100", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(func(l *liaison.ServiceLevel) { l.AvailabilityPercent = liaison.Ptr(100.1) })}},
			map[string]string{"levels[0].availability_percent": "invalid"}},
		{"availability NaN", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(func(l *liaison.ServiceLevel) { l.AvailabilityPercent = liaison.Ptr(math.NaN()) })}},
			map[string]string{"levels[0].availability_percent": "invalid"}},
		{"negative response", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(func(l *liaison.ServiceLevel) { l.ResponseMinutes = liaison.Ptr(-1) })}},
			map[string]string{"levels[0].response_minutes": "invalid"}},
		{"resolution before response", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(func(l *liaison.ServiceLevel) { l.ResolutionMinutes = liaison.Ptr(5) })}},
			map[string]string{"levels[0].resolution_minutes": "invalid"}},
		{"negative price", liaison.Service{Name: "x", Levels: []liaison.ServiceLevel{lvl(func(l *liaison.ServiceLevel) { l.Price = liaison.Ptr(-1.0) })}},
			map[string]string{"levels[0].price": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.svc
			s.Normalize()
			if got := fieldCodes(s.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestServiceNormalizeDefaults(t *testing.T) {
	s := liaison.Service{Name: " Mail ", Currency: " sek "}
	s.Normalize()
	if s.Name != "Mail" || s.Currency != "SEK" || s.Status != liaison.ServicePipeline || s.PriceModel != liaison.PriceIncluded || s.Levels == nil {
		t.Fatalf("normalized = %+v", s)
	}
	s = liaison.Service{}
	s.Normalize()
	if s.Currency != liaison.DefaultCurrency {
		t.Fatalf("currency = %q", s.Currency)
	}
}

func TestCheckSubscription(t *testing.T) {
	svc := func(mods ...func(*liaison.Service)) *liaison.Service {
		s := &liaison.Service{ID: "s1", Name: "E-mail", Status: liaison.ServiceLive,
			Levels: []liaison.ServiceLevel{{Name: "Gold"}, {Name: "Silver"}, {Name: "Bronze"}}}
		for _, m := range mods {
			m(s)
		}
		return s
	}
	retired := func(s *liaison.Service) { s.Status = liaison.ServiceRetired }
	special := func(s *liaison.Service) { s.CustomerSpecific = true }
	sub := func(level string, contact *string) *liaison.Subscription {
		return &liaison.Subscription{OrganisationID: "o1", ServiceID: "s1", Level: level, ContactUserID: contact}
	}
	for _, tc := range []struct {
		name    string
		sub     *liaison.Subscription
		svc     *liaison.Service
		before  *liaison.Subscription
		want    map[string]string
		message string
	}{
		{"offered level", sub("Gold", nil), svc(), nil, nil, ""},
		{"level in other case", sub("silver", nil), svc(), nil, nil, ""},
		{"level not offered", sub("Platinum", nil), svc(), nil, map[string]string{"level": "invalid"}, "choose one of Gold, Silver, Bronze"},
		{"service without levels", sub("Gold", nil), svc(func(s *liaison.Service) { s.Levels = nil }), nil,
			map[string]string{"level": "invalid"}, "offers no service levels"},
		{"retired service", sub("Gold", nil), svc(retired), nil, map[string]string{"service_id": "invalid"}, "E-mail is retired"},
		{"retired meanwhile, same service", sub("Gold", nil), svc(retired), sub("Gold", nil), nil, ""},
		{"moved to a retired service", sub("Gold", nil), svc(retired), &liaison.Subscription{ServiceID: "s0"},
			map[string]string{"service_id": "invalid"}, "retired"},
		{"customer-specific without contact", sub("Gold", nil), svc(special), nil,
			map[string]string{"contact_user_id": "required"}, "name the IT contact"},
		{"customer-specific with contact", sub("Gold", liaison.Ptr("u1")), svc(special), nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := liaison.CheckSubscription(tc.sub, tc.svc, tc.before)
			if got := fieldCodes(err); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v (%v)", got, tc.want, err)
			}
			if tc.message != "" && !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q lacks %q", err, tc.message)
			}
		})
	}
	s := sub("bronze", nil)
	if err := liaison.CheckSubscription(s, svc(), nil); err != nil || s.Level != "Bronze" {
		t.Fatalf("level = %q, err = %v: want the service's spelling", s.Level, err)
	}
}

func TestSubscriptionValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		sub  liaison.Subscription
		want map[string]string
	}{
		{"ok", liaison.Subscription{OrganisationID: "o", ServiceID: "s", Level: "Gold", Users: liaison.Ptr(10)}, nil},
		{"missing refs", liaison.Subscription{}, map[string]string{"organisation_id": "required", "service_id": "required", "level": "required"}},
		{"negative users", liaison.Subscription{OrganisationID: "o", ServiceID: "s", Level: "Gold", Users: liaison.Ptr(-1)}, map[string]string{"users": "invalid"}},
		{"bad date", liaison.Subscription{OrganisationID: "o", ServiceID: "s", Level: "Gold", StartedOn: liaison.Ptr("2026-13-01")}, map[string]string{"started_on": "invalid"}},
		{"long workload", liaison.Subscription{OrganisationID: "o", ServiceID: "s", Level: "Gold", Workload: strings.Repeat("w", 201)}, map[string]string{"workload": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.sub
			s.Normalize()
			if got := fieldCodes(s.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCoveragePercent(t *testing.T) {
	for _, tc := range []struct {
		c    liaison.Coverage
		want float64
	}{
		{liaison.Coverage{}, 100},
		{liaison.Coverage{Usages: 4, WithContact: 3}, 75},
		{liaison.Coverage{Usages: 3, WithContact: 0}, 0},
	} {
		if got := tc.c.Percent(); got != tc.want {
			t.Errorf("%+v.Percent() = %v, want %v", tc.c, got, tc.want)
		}
	}
}
