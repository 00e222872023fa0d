package dataset

import (
	"context"
	"fmt"
	"math/rand/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// The suppliers of a dataset: 40 for L (2 per 15 services), each behind one
// to six services of the catalogue with what it delivers, a tenth of them
// inactive. They are drawn from their own random stream after everything
// else, so they leave the rest of the data as it was, and have no history.

// Suppliers is the number of suppliers of the plan.
func (p Plan) Suppliers() int { return (p.Services()*2 + 14) / 15 }

var supplierStems = []string{"Nordlys", "Kaamos", "Fjäll", "Revontuli", "Hongqiao", "Cura", "Skolmoln", "Polar", "Tundra",
	"Aurora", "Midnattssol", "Saimaa", "Botnia", "Lapin", "Vänern", "Jinhua", "Östersjö", "Kvarken", "Haparanda", "Torne"}

var supplierKinds = []struct{ suffix, country, delivers string }{
	{"Datacenter AB", "SE", "Hosting and storage"}, {"Verkot Oy", "FI", "WAN links and wifi"},
	{"Devices Nordic AB", "SE", "Hardware and spare parts"}, {"Journalsystem AB", "SE", "Application licences and 3rd-line support"},
	{"Cloud Oy", "FI", "SaaS platform"}, {"Consulting AB", "SE", "Operations and 2nd-line support"},
	{"Software Oy", "FI", "Licences and upgrades"}, {"Security AB", "SE", "Security monitoring"},
}

// buildSuppliers draws the suppliers behind services.
func (w *world) buildSuppliers(services []*liaison.Service) []*liaison.Supplier {
	if len(services) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(w.seed, 0x5a9911e5))
	var out []*liaison.Supplier
	for i := range w.plan.Suppliers() {
		k := supplierKinds[i%len(supplierKinds)]
		name := supplierStems[(i/len(supplierKinds)+i)%len(supplierStems)] + " " + k.suffix
		if n := i / (len(supplierKinds) * len(supplierStems)); n > 0 {
			name += fmt.Sprintf(" %d", n+1)
		}
		at := w.end - rng.Int64N(max(1, w.end-w.start))
		s := &liaison.Supplier{Name: name, Status: liaison.SupplierActive, Description: k.delivers + " for the IT service centre.",
			ContractReference: fmt.Sprintf("SUP-%04d", i+1), Version: 1, CreatedAt: ts(at), UpdatedAt: ts(at)}
		if k.country == "SE" {
			s.RegistrationID = fmt.Sprintf("55%04d-%04d", rng.IntN(10000), rng.IntN(10000))
		} else {
			s.RegistrationID = fmt.Sprintf("FI%08d", rng.IntN(100000000))
		}
		if rng.IntN(10) == 0 {
			s.Status = liaison.SupplierInactive
		}
		if rng.IntN(4) > 0 {
			s.ContractEndDate = liaison.Ptr(ts(w.end).AddDate(0, rng.IntN(48)-6, 0).Format(liaison.DateLayout))
		}
		taken := map[string]bool{}
		for range 1 + rng.IntN(6) {
			svc := services[rng.IntN(len(services))]
			if taken[svc.ID] {
				continue
			}
			taken[svc.ID] = true
			s.Services = append(s.Services, liaison.SupplierService{ServiceID: svc.ID, Note: k.delivers})
		}
		s.ID = w.newID(at)
		out = append(out, s)
	}
	return out
}

// loadSuppliers writes the suppliers behind the catalogue's services.
func (w *world) loadSuppliers(ctx context.Context, b *sqlstore.BulkTx) error {
	ss := w.buildSuppliers(w.catalogue)
	w.suppliers = len(ss)
	return b.Suppliers(ctx, ss)
}
