package liaison_test

import (
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestSupplierValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Supplier)) liaison.Supplier {
		s := liaison.Supplier{Name: " Nordlys Hosting AB ", ContactEmail: " Drift@Nordlys.example ",
			Website: "https://nordlys.example/sla", ContractEndDate: liaison.Ptr("2027-06-30"),
			Services: []liaison.SupplierService{{ServiceID: "mail", Note: " Hosting "}, {ServiceID: "erp"}}}
		for _, m := range mods {
			m(&s)
		}
		return s
	}
	links := func(n int) []liaison.SupplierService {
		out := make([]liaison.SupplierService, n)
		for i := range out {
			out[i].ServiceID = strings.Repeat("s", i+1)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		s    liaison.Supplier
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"only a name", liaison.Supplier{Name: "Atea"}, nil},
		{"http website", ok(func(s *liaison.Supplier) { s.Website = "http://atea.example" }), nil},
		{"inactive", ok(func(s *liaison.Supplier) { s.Status = liaison.SupplierInactive }), nil},
		{"no name", ok(func(s *liaison.Supplier) { s.Name = "  " }), map[string]string{"name": "required"}},
		{"long name", ok(func(s *liaison.Supplier) { s.Name = strings.Repeat("x", 201) }), map[string]string{"name": "too_long"}},
		{"bad email", ok(func(s *liaison.Supplier) { s.ContactEmail = "drift at nordlys" }), map[string]string{"contact_email": "invalid"}},
		{"website without scheme", ok(func(s *liaison.Supplier) { s.Website = "nordlys.example" }), map[string]string{"website": "invalid"}},
		{"website other scheme", ok(func(s *liaison.Supplier) { s.Website = "javascript:alert(1)" }), map[string]string{"website": "invalid"}},
		{"website with space", ok(func(s *liaison.Supplier) { s.Website = "https://nord lys.example" }), map[string]string{"website": "invalid"}},
		{"long website", ok(func(s *liaison.Supplier) { s.Website = "https://x.example/" + strings.Repeat("a", 500) }), map[string]string{"website": "too_long"}},
		{"bad contract end", ok(func(s *liaison.Supplier) { s.ContractEndDate = liaison.Ptr("2027-02-30") }), map[string]string{"contract_end_date": "invalid"}},
		{"unknown status", ok(func(s *liaison.Supplier) { s.Status = "paused" }), map[string]string{"status": "invalid"}},
		{"long registration id", ok(func(s *liaison.Supplier) { s.RegistrationID = strings.Repeat("1", 201) }), map[string]string{"registration_id": "too_long"}},
		{"service twice", ok(func(s *liaison.Supplier) { s.Services[1].ServiceID = " mail" }), map[string]string{"services[1].service_id": "invalid"}},
		{"link without service", ok(func(s *liaison.Supplier) { s.Services[0].ServiceID = "" }), map[string]string{"services[0].service_id": "required"}},
		{"long note", ok(func(s *liaison.Supplier) { s.Services[0].Note = strings.Repeat("x", 501) }), map[string]string{"services[0].note": "too_long"}},
		{"too many services", ok(func(s *liaison.Supplier) { s.Services = links(201) }), map[string]string{"services": "too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			s.Normalize()
			if got := fieldCodes(s.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSupplierNormalize(t *testing.T) {
	s := liaison.Supplier{Name: " Atea ", ContactEmail: " Sales@Atea.Example ", ContractEndDate: liaison.Ptr(" "),
		Services: []liaison.SupplierService{{ServiceID: " mail ", Note: " Hardware "}}}
	s.Normalize()
	if s.Name != "Atea" || s.ContactEmail != "sales@atea.example" || s.ContractEndDate != nil || s.Status != liaison.SupplierActive ||
		s.Services[0].ServiceID != "mail" || s.Services[0].Note != "Hardware" {
		t.Fatalf("normalized = %+v", s)
	}
	if got := s.ServiceIDs(); !reflect.DeepEqual(got, []string{"mail"}) {
		t.Fatalf("ids = %v", got)
	}
	var empty liaison.Supplier
	empty.Normalize()
	if empty.Services == nil {
		t.Fatal("services should be [] not null")
	}
}

func TestSLAResultSupplierNormalize(t *testing.T) {
	r := liaison.SLAResult{SupplierID: liaison.Ptr("  ")}
	r.Normalize()
	if r.SupplierID != nil {
		t.Fatalf("blank supplier kept: %q", *r.SupplierID)
	}
}
