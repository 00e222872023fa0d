package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// supplierSpec is a third party behind demo services (SPEC C4). The
// names are invented; the kinds are what a Nordic region buys: a hosting
// provider, a Finnish network operator, a Chinese hardware vendor's Nordic
// subsidiary, a Swedish patient-record vendor, a school-platform company and
// a fax gateway whose contract has ended.
type supplierSpec struct {
	name, regID, desc                    string
	contact, email, phone, web, contract string
	endMonths                            int // contract end, months from today; 0: none
	status                               liaison.SupplierStatus
	links                                [][2]string // service key, what it delivers
}

// DemoHostingSupplier is the supplier the mail service's demo SLA results,
// one of them a breach, are attributed to.
const DemoHostingSupplier = "Nordlys Datacenter AB"

var supplierSpecs = []supplierSpec{
	{name: DemoHostingSupplier, regID: "559123-4567", contract: "RN-IT-2023-014", endMonths: 30, status: liaison.SupplierActive,
		desc:    "Colocation and private cloud in two data centres in Luleå and Boden, with 24/7 operations.",
		contact: "Ingrid Lindqvist", email: "ingrid.lindqvist@nordlys-dc.example", phone: "+46 920 55 01 00", web: "https://nordlys-dc.example",
		links: [][2]string{{"mail", "Mail cluster hosting and storage"}, {"erp", "Servers and backup for the ERP environments"}, {"ehr", "Data centre and failover site"}}},
	{name: "Kaamos Verkot Oy", regID: "FI28765432", contract: "KV-2024-RN-7", endMonths: 18, status: liaison.SupplierActive,
		desc:    "Finnish network operator: WAN links between the region's sites and managed wifi.",
		contact: "Mikko Heikkinen", email: "mikko.heikkinen@kaamos.example", phone: "+358 40 123 4567", web: "https://kaamos.example",
		links: [][2]string{{"network", "WAN links and managed wifi, 2nd-line support"}}},
	{name: "Hongqiao Devices Nordic AB", regID: "559876-5432", contract: "RN-UPH-2025-03", endMonths: 26, status: liaison.SupplierActive,
		desc:    "Nordic subsidiary of a Shenzhen hardware maker (红桥设备): laptops, thin clients and access switches, with a spare-parts depot in Stockholm.",
		contact: "Chen Jing (陈静)", email: "chen.jing@hongqiao-nordic.example", phone: "+46 8 410 220 00", web: "https://hongqiao-nordic.example",
		links: [][2]string{{"workplace", "Laptops and thin clients, next-business-day replacement"}, {"network", "Access switches and spare parts"}}},
	{name: "Cura Journalsystem AB", regID: "556712-3344", contract: "RN-EHR-2019-01", endMonths: 14, status: liaison.SupplierActive,
		desc:    "Swedish vendor of the patient record system: licences, upgrades and 3rd-line support.",
		contact: "Anders Holm", email: "support@curajournal.example", phone: "+46 31 700 80 00", web: "https://curajournal.example",
		links: [][2]string{{"ehr", "Application licences, upgrades and 3rd-line support"}}},
	{name: "Skolmolnet AB", regID: "559001-2233", contract: "UTB-2024-11", endMonths: 8, status: liaison.SupplierActive,
		desc:    "Learning platform delivered as a cloud service.",
		contact: "Sofia Berg", email: "sofia.berg@skolmolnet.example", web: "https://skolmolnet.example",
		links: [][2]string{{"school", "The learning platform (SaaS)"}}},
	{name: "Polarfax Oy", regID: "FI19283746", contract: "PF-2016-02", endMonths: -2, status: liaison.SupplierInactive,
		desc:  "Fax-to-mail gateway. Contract ended when the region moved to secure messaging.",
		links: [][2]string{{"fax", "Fax-to-mail gateway"}}},
}

// createSuppliers records the suppliers behind the demo services and
// attributes the mail service's SLA results to its hosting provider.
func (l *loader) createSuppliers(ctx context.Context) error {
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	byKey := map[string]*liaison.Service{}
	for _, spec := range services {
		for _, s := range svcs {
			if s.Name == spec.name {
				byKey[spec.key] = s
			}
		}
	}
	var hosting *liaison.Supplier
	for _, spec := range supplierSpecs {
		s := &liaison.Supplier{Name: spec.name, RegistrationID: spec.regID, Description: spec.desc, ContactName: spec.contact,
			ContactEmail: spec.email, ContactPhone: spec.phone, Website: spec.web, ContractReference: spec.contract, Status: spec.status}
		if spec.endMonths != 0 {
			s.ContractEndDate = liaison.Ptr(liaison.FormatDate(liaison.AddMonths(l.today, spec.endMonths)))
		}
		for _, link := range spec.links {
			svc := byKey[link[0]]
			if svc == nil {
				return fmt.Errorf("supplier %s: unknown service %s", spec.name, link[0])
			}
			s.Services = append(s.Services, liaison.SupplierService{ServiceID: svc.ID, Note: link[1]})
		}
		if err := l.a.CreateSupplier(ctx, s); err != nil {
			return fmt.Errorf("supplier %s: %w", spec.name, err)
		}
		l.res.Suppliers++
		if spec.name == DemoHostingSupplier {
			hosting = s
		}
	}
	results, _, err := l.a.SLAResults(ctx, liaison.SLAResultFilter{ServiceID: byKey["mail"].ID, Limit: 100})
	if err != nil {
		return err
	}
	for _, r := range results {
		r.SupplierID = &hosting.ID
		if err := l.a.UpdateSLAResult(ctx, r, r.Version); err != nil {
			return fmt.Errorf("attribute SLA result %s: %w", r.Period, err)
		}
	}
	return nil
}
