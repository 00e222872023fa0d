package liaison_test

import (
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// TestPlanCatalogue: services, agreements and SLA results match stored
// records (external id, else their natural key), keep what the file does
// not map, and reject a bad row naming its line and field.
func TestPlanCatalogue(t *testing.T) {
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	type counts struct{ created, updated, unchanged int }
	for _, tc := range []struct {
		name  string
		kind  liaison.ImportKind
		rows  []liaison.ImportRow
		want  counts
		line  int // of the first rejection; 0 for none
		field string
	}{
		{"service by external id, renamed", liaison.ImportServices, rowsOf("external_id;name", "S1;E-mail"), counts{0, 1, 0}, 0, ""},
		{"service by name, unchanged", liaison.ImportServices, rowsOf("name;status;levels", "Mail;live;gold"), counts{0, 0, 1}, 0, ""},
		{"service with a new level", liaison.ImportServices, rowsOf("name;levels", "Mail;Gold, Silver"), counts{0, 1, 0}, 0, ""},
		{"new service", liaison.ImportServices, rowsOf("name;owner;price_model", "Fax;Owner;Per user"), counts{1, 0, 0}, 0, ""},
		{"service name of two", liaison.ImportServices, rowsOf("name", "Twin"), counts{}, 2, "name"},
		{"service named with another external id", liaison.ImportServices, rowsOf("external_id;name", "S2;Mail"), counts{}, 2, "name"},
		{"service twice in the file", liaison.ImportServices, rowsOf("name", "Fax", "fax"), counts{}, 3, "name"},
		{"unknown owner", liaison.ImportServices, rowsOf("name;owner", "Fax;nobody@x.se"), counts{}, 2, "owner"},
		{"bad yes/no", liaison.ImportServices, rowsOf("name;customer_specific", "Fax;perhaps"), counts{}, 2, "customer_specific"},
		{"agreement by title in its account, unchanged", liaison.ImportAgreements, rowsOf("title;type;organisation;services", "Avtal;service_level;Region;mail: gold"), counts{0, 0, 1}, 0, ""},
		{"agreement signed by the customer", liaison.ImportAgreements, rowsOf("external_id;title;type;status;organisation;signed_by;start_date", "A1;Avtal;service level;negotiation;Region;a@x.se;2026-01-01"), counts{0, 1, 0}, 0, ""},
		{"new agreement", liaison.ImportAgreements, rowsOf("title;type;organisation;annual_amount;currency", "Ram;financial;Region;1 000,50;sek"), counts{1, 0, 0}, 0, ""},
		{"agreement transition not allowed", liaison.ImportAgreements, rowsOf("external_id;title;type;status;organisation;start_date", "A1;Avtal;service_level;expired;Region;2026-01-01"), counts{}, 2, "status"},
		{"agreement level not offered", liaison.ImportAgreements, rowsOf("title;type;organisation;services", "Ram;financial;Region;Mail: Platinum"), counts{}, 2, "services"},
		{"agreement bad amount", liaison.ImportAgreements, rowsOf("title;type;organisation;annual_amount;currency", "Ram;financial;Region;lots;SEK"), counts{}, 2, "annual_amount"},
		{"agreement bad type", liaison.ImportAgreements, rowsOf("title;type;organisation", "Ram;friendly;Region"), counts{}, 2, "type"},
		{"agreement unknown signer", liaison.ImportAgreements, rowsOf("title;type;organisation;signed_by", "Ram;financial;Region;b@x.se"), counts{}, 2, "signed_by"},
		{"SLA result by its key, new figures", liaison.ImportSLAResults, rowsOf("agreement;service;period;metric;target;actual", "Avtal;Mail;2026-03-01;availability;99,5;99.9"), counts{0, 1, 0}, 0, ""},
		{"SLA result of another month", liaison.ImportSLAResults, rowsOf("agreement_id;service_external_id;period;metric;target;actual", "a;S1;2026-04;availability;99,5;99.9"), counts{1, 0, 0}, 0, ""},
		{"SLA result without an agreement", liaison.ImportSLAResults, rowsOf("agreement;service;period;metric;target;actual", ";Mail;2026-04;availability;99;99"), counts{}, 2, "agreement"},
		{"SLA result bad period", liaison.ImportSLAResults, rowsOf("agreement;service;period;metric;target;actual", "Avtal;Mail;April;availability;99;99"), counts{}, 2, "period"},
		{"SLA result without a target", liaison.ImportSLAResults, rowsOf("agreement;service;period;metric;target;actual", "Avtal;Mail;2026-04;availability;;99"), counts{}, 2, "target"},
		{"SLA result stored twice", liaison.ImportSLAResults, rowsOf("agreement;service;period;metric;target;actual", "Avtal;Mail;2026-02;availability;99;99"), counts{}, 2, "period"},
		{"SLA result twice in the file", liaison.ImportSLAResults, rowsOf("agreement;service;period;metric;target;actual", "Avtal;Mail;2026-04;availability;99;99", "avtal;Mail;2026-04;availability;99;98"), counts{}, 3, "period"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := fuzzSnapshot()
			snap.Services[0].Levels[0].Name = "Gold"
			snap.Services = append(snap.Services, &liaison.Service{ID: "t1", Name: "Twin"}, &liaison.Service{ID: "t2", Name: "twin"})
			for _, id := range []string{"y1", "y2"} { // as the agreement's own SLA import may store them
				snap.SLAResults = append(snap.SLAResults, &liaison.SLAResult{ID: id, AgreementID: "a", ServiceID: "s", Period: "2026-02", Metric: liaison.MetricAvailability})
			}
			p := liaison.PlanImport(tc.kind, snap, tc.rows, seqIDs(), now)
			if tc.line != 0 {
				if len(p.Rejected) == 0 || p.Rejected[0].Line != tc.line || p.Rejected[0].Field != tc.field {
					t.Fatalf("rejected %+v, want line %d field %s", p.Rejected, tc.line, tc.field)
				}
				for _, lang := range liaison.Languages {
					if r := p.Rejected[0]; !i18n.For(lang).Has(r.Key) {
						t.Errorf("the reason %s has no %s translation", r.Key, lang)
					}
				}
				return
			}
			if got := (counts{p.Created(), p.Updated(), p.Unchanged}); len(p.Rejected) > 0 || got != tc.want {
				t.Fatalf("plan %+v, want %+v; rejected %+v", got, tc.want, p.Rejected)
			}
		})
	}
}
