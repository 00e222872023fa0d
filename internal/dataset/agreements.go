package dataset

import (
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// agreements draws the plan's agreements, spread evenly over the accounts:
// about two accounts in three have an active agreement signed by their
// customer; the others are drafts, negotiations, expired or terminated.
// A service-level agreement covers the services its account uses, at the
// levels used (loadServices runs first); each has its first revision only.
func (w *world) agreements() []*liaison.Agreement {
	var accounts []*unit
	for _, u := range w.units {
		if u.o.BudgetHolder {
			accounts = append(accounts, u)
		}
	}
	if len(accounts) == 0 || w.plan.Agreements == 0 {
		return nil
	}
	customer := map[string]string{}
	for _, r := range w.roles {
		if !r.isRemoved() && r.r.Role == liaison.RoleCustomer && r.r.Active {
			customer[r.r.OrganisationID] = r.r.PersonID
		}
	}
	types := liaison.AgreementTypes
	renewals := liaison.Renewals
	out := make([]*liaison.Agreement, 0, w.plan.Agreements)
	for i := 0; i < w.plan.Agreements; i++ {
		u := accounts[i%len(accounts)]
		nth := i / len(accounts) // the account's nth agreement
		created := w.between(u.created, w.end)
		start := liaison.DateOf(ts(created)).AddDate(0, 0, w.rng.IntN(60)-30)
		start = start.AddDate(0, 0, 1-start.Day())
		a := &liaison.Agreement{ID: w.newID(created), OrganisationID: u.o.ID, Type: types[w.rng.IntN(len(types))],
			NoticeMonths: []int{1, 3, 3, 6}[w.rng.IntN(4)], Renewal: renewals[w.rng.IntN(len(renewals))],
			Currency: "SEK", CostCentre: fmt.Sprintf("KS-%04d", w.rng.IntN(10000)),
			ExternalID: fmt.Sprintf("AGR-L%05d", i+1), CreatedAt: ts(created), UpdatedAt: ts(created)}
		a.Title = fmt.Sprintf("%s %s %d", agreementWord[a.Type], u.o.Name, start.Year())
		a.StartDate = liaison.Ptr(liaison.FormatDate(start))
		a.EndDate = liaison.Ptr(liaison.FormatDate(liaison.TermEnd(start, []int{12, 24, 36}[w.rng.IntN(3)])))
		a.AnnualAmount = liaison.Ptr(float64(50+w.rng.IntN(5000)) * 1000)
		a.BusinessValue = "Keeps " + u.o.Name + " running on IT it can rely on."
		if a.Type == liaison.AgreementServiceLevel {
			for _, use := range w.usages[u.o.ID] {
				a.Services = append(a.Services, liaison.ServiceCover{ServiceID: use.ServiceID, Level: use.Level})
			}
		}
		cust, hasCustomer := customer[u.o.ID]
		switch {
		case nth == 0 && hasCustomer && i%3 != 2:
			a.Status, a.SignedByPersonID = liaison.StatusActive, &cust
			a.SignedOn = a.StartDate
			a.NextReviewDate = liaison.Ptr(liaison.FormatDate(liaison.NextReview(start, 12)))
		default:
			a.Status = []liaison.AgreementStatus{liaison.StatusDraft, liaison.StatusNegotiation, liaison.StatusExpired, liaison.StatusTerminated}[w.rng.IntN(4)]
			if a.Status == liaison.StatusExpired && hasCustomer {
				a.SignedByPersonID = &cust
			}
		}
		out = append(out, a)
	}
	return out
}

var agreementWord = map[liaison.AgreementType]string{
	liaison.AgreementServiceLevel: "Tjänsteöverenskommelse",
	liaison.AgreementFinancial:    "Finansieringsöverenskommelse",
	liaison.AgreementRoutines:     "Rutinöverenskommelse",
}
