package demo

import (
	"context"
	"fmt"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// Agreements of Region Norrsken (SPEC C5): one in every status, one in
// negotiation signed by an orderer (it cannot become active until the
// customer signs), SLA results with a breach. Three accounts have an
// active agreement: hs, hospital and social (TestAgreementKPI counts them).

type agreementSpec struct {
	account, title string
	kind           liaison.AgreementType
	path           []liaison.AgreementStatus // statuses it went through after draft
	signer         string                    // "customer", or "orderer@<unit key>"
	startMonths    int                       // start, in months from today (negative: past)
	termMonths     int                       // 0: open-ended
	notice         int
	renewal        liaison.Renewal
	amount         float64
	currency       string
	costCentre     string
	value          string
	measures       []liaison.ValueMeasure
	covers         []string // demo service names, "name|level"
	sla            bool     // record SLA results for the last three months
}

// ActiveAgreementAccounts are the accounts (unit keys) the demo gives an
// active agreement.
var ActiveAgreementAccounts = []string{"hs", "hospital", "social"}

var negotiate, activate = liaison.StatusNegotiation, liaison.StatusActive

var agreementSpecs = []agreementSpec{
	{account: "hs", title: "Tjänsteöverenskommelse Hälso- och sjukvård 2026", kind: liaison.AgreementServiceLevel,
		path: []liaison.AgreementStatus{negotiate, activate}, signer: "customer", startMonths: -10, termMonths: 24, notice: 6,
		renewal: liaison.RenewalTacit, amount: 4850000, currency: "SEK", costCentre: "HS-1000",
		value:    "Clinicians reach patient records and mail around the clock; no planned downtime during day shifts.",
		measures: []liaison.ValueMeasure{{Name: "Unplanned downtime in clinics", Target: "< 4 h per quarter"}, {Name: "Satisfaction of clinic managers", Target: "≥ 4.0 of 5"}},
		covers:   []string{demoMail + "|Gold", demoWorkplace + "|Gold"}, sla: true},
	{account: "hs", title: "Rutiner för förändringsfönster", kind: liaison.AgreementRoutines, signer: "customer", startMonths: 1,
		value: "Changes to clinical systems happen in agreed windows only."},
	{account: "hospital", title: "Finansieringsöverenskommelse Norrskenssjukhuset", kind: liaison.AgreementFinancial,
		path: []liaison.AgreementStatus{negotiate, activate}, signer: "customer", startMonths: -4, termMonths: 12, notice: 3,
		renewal: liaison.RenewalExpress, amount: 2100000, currency: "SEK", costCentre: "NSJ-400",
		value: "The hospital's IT costs are known a year ahead.", covers: []string{demoWorkplace + "|Silver"}},
	{account: "social", title: "Tjänsteöverenskommelse Socialförvaltningen", kind: liaison.AgreementServiceLevel,
		path: []liaison.AgreementStatus{negotiate, activate}, signer: "customer", startMonths: -11, termMonths: 12, notice: 3,
		renewal: liaison.RenewalNone, amount: 960000, currency: "SEK", costCentre: "SOC-100",
		value: "Home care staff document visits on site.", covers: []string{demoMail + "|Silver"}},
	{account: "edu", title: "Tjänsteöverenskommelse Utbildning 2027", kind: liaison.AgreementServiceLevel,
		path: []liaison.AgreementStatus{negotiate}, signer: "orderer@comp", startMonths: 2, termMonths: 12, notice: 3,
		renewal: liaison.RenewalTacit, amount: 1750000, currency: "SEK", costCentre: "UTB-300",
		value:  "Every pupil has a working device and account on the first day of term.",
		covers: []string{demoWorkplace + "|Bronze", demoMail + "|Bronze"}},
	{account: "polaris", title: "Överenskommelse Gymnasieskolan Polaris", kind: liaison.AgreementServiceLevel, startMonths: 3, termMonths: 12,
		notice: 3, covers: []string{demoWorkplace + "|"}},
	{account: "tech", title: "Överenskommelse Tekniska förvaltningen 2024–2025", kind: liaison.AgreementServiceLevel,
		path: []liaison.AgreementStatus{negotiate, activate, liaison.StatusExpired}, signer: "customer", startMonths: -26, termMonths: 24,
		notice: 3, amount: 640000, currency: "SEK", covers: []string{demoMail + "|Silver"}},
	{account: "energy", title: "Avtal Norrsken Energi AB", kind: liaison.AgreementFinancial,
		path: []liaison.AgreementStatus{negotiate, activate, liaison.StatusTerminated}, signer: "customer", startMonths: -14, termMonths: 36,
		notice: 6, renewal: liaison.RenewalTacit, amount: 1200000, currency: "SEK"},
	{account: "admin", title: "Tjänsteöverenskommelse Regionkansliet", kind: liaison.AgreementServiceLevel,
		path: []liaison.AgreementStatus{negotiate}, signer: "customer", startMonths: 1, termMonths: 12, notice: 3,
		covers: []string{demoMail + "|Gold"}},
	{account: "museum", title: "Rutinöverenskommelse Norrskensmuseet", kind: liaison.AgreementRoutines,
		path: []liaison.AgreementStatus{liaison.StatusTerminated}, startMonths: 0},
	{account: "fi", title: "Palvelutasosopimus Norrsken Suomi Oy", kind: liaison.AgreementServiceLevel, startMonths: 2, termMonths: 12,
		notice: 3, amount: 85000, currency: "EUR", covers: []string{demoMail + "|Silver"}},
	{account: "cn", title: "服务级别协议 2026", kind: liaison.AgreementServiceLevel, path: []liaison.AgreementStatus{negotiate},
		signer: "customer", startMonths: 1, termMonths: 12, notice: 2, amount: 300000, currency: "CNY", covers: []string{demoWorkplace + "|Silver"}},
}

// The services the demo agreements cover, by the names the demo catalogue gives them.
const (
	demoMail      = "E-post och kalender"
	demoWorkplace = "Arbetsplats (Workplace)"
)

// agreementServices finds the demo services by name, creating them with
// the standard levels when the catalogue does not have them yet.
func (l *loader) agreementServices(ctx context.Context) (map[string]*liaison.Service, error) {
	out := map[string]*liaison.Service{}
	for _, name := range []string{demoMail, demoWorkplace} {
		found, _, err := l.a.Store.FindServices(ctx, liaison.ServiceFilter{Q: strings.Fields(name)[0], Limit: 50})
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			if s.Name == name {
				out[name] = s
			}
		}
		if out[name] != nil {
			continue
		}
		lv := func(n string, avail float64, resp, res int) liaison.ServiceLevel {
			return liaison.ServiceLevel{Name: n, AvailabilityPercent: &avail, ResponseMinutes: &resp, ResolutionMinutes: &res}
		}
		s := &liaison.Service{Name: name, Status: liaison.ServiceLive, PriceModel: liaison.PricePerUser, Currency: "SEK",
			Levels: []liaison.ServiceLevel{lv("Gold", 99.9, 15, 240), lv("Silver", 99.5, 60, 480), lv("Bronze", 99.0, 240, 2880)}}
		if err := l.a.Store.CreateService(ctx, s); err != nil {
			return nil, fmt.Errorf("demo service %s: %w", name, err)
		}
		out[name] = s
	}
	return out, nil
}

// createAgreements records the demo agreements and walks each through its
// lifecycle, so that every one has a revision history.
func (l *loader) createAgreements(ctx context.Context) error {
	services, err := l.agreementServices(ctx)
	if err != nil {
		return err
	}
	for i, s := range agreementSpecs {
		acct := l.units[s.account]
		if acct == nil {
			return fmt.Errorf("agreement %s: unknown account %s", s.title, s.account)
		}
		a := &liaison.Agreement{OrganisationID: acct.ID, Title: s.title, Type: s.kind, NoticeMonths: s.notice, Renewal: s.renewal,
			Currency: s.currency, CostCentre: s.costCentre, BusinessValue: s.value, ValueMeasures: s.measures,
			ExternalID: fmt.Sprintf("AGR-%03d", i+1)}
		start := liaison.AddMonths(l.today, s.startMonths)
		start = start.AddDate(0, 0, 1-start.Day()) // terms start on the 1st
		a.StartDate = liaison.Ptr(liaison.FormatDate(start))
		if s.termMonths > 0 {
			a.EndDate = liaison.Ptr(liaison.FormatDate(liaison.TermEnd(start, s.termMonths)))
		}
		if s.amount > 0 {
			a.AnnualAmount = liaison.Ptr(s.amount)
		}
		for _, c := range s.covers {
			name, level, _ := strings.Cut(c, "|")
			a.Services = append(a.Services, liaison.ServiceCover{ServiceID: services[name].ID, Level: level})
		}
		if s.signer != "" {
			id, err := l.signer(ctx, acct, s.signer)
			if err != nil {
				return fmt.Errorf("agreement %s: %w", s.title, err)
			}
			a.SignedByPersonID = &id
		}
		if err := l.a.CreateAgreement(ctx, a); err != nil {
			return fmt.Errorf("create agreement %s: %w", s.title, err)
		}
		for _, st := range s.path {
			if a, err = l.a.SetAgreementStatus(ctx, a.ID, st, a.Version); err != nil {
				return fmt.Errorf("agreement %s → %s: %w", s.title, st, err)
			}
		}
		if s.sla {
			if err := l.slaResults(ctx, a, services); err != nil {
				return err
			}
		}
		l.res.Agreements++
	}
	return nil
}

// signer returns the id of the account's customer, or of the first
// orderer of the unit named by "orderer@<key>".
func (l *loader) signer(ctx context.Context, acct *liaison.Organisation, who string) (string, error) {
	if who == "customer" {
		c, err := l.a.AgreementCustomer(ctx, acct.ID)
		if err != nil || c == nil {
			return "", fmt.Errorf("no customer at %s: %v", acct.Name, err)
		}
		return c.ID, nil
	}
	key := strings.TrimPrefix(who, "orderer@")
	unit := l.units[key]
	if unit == nil {
		return "", fmt.Errorf("unknown unit %s", key)
	}
	roles, _, err := l.a.Roles(ctx, liaison.RoleFilter{OrganisationID: unit.ID, Role: liaison.RoleOrderer, Limit: 1})
	if err != nil || len(roles) == 0 {
		return "", fmt.Errorf("no orderer at %s: %v", unit.Name, err)
	}
	return roles[0].PersonID, nil
}

// slaResults records three months of results; the mail service missed its
// availability target last month.
func (l *loader) slaResults(ctx context.Context, a *liaison.Agreement, services map[string]*liaison.Service) error {
	mail, workplace := services[demoMail].ID, services[demoWorkplace].ID
	for m := 3; m >= 1; m-- {
		period := liaison.AddMonths(l.today, -m).Format("2006-01")
		avail := []float64{99.96, 99.93, 99.41}[3-m]
		rows := []*liaison.SLAResult{
			{AgreementID: a.ID, ServiceID: mail, Period: period, Metric: liaison.MetricAvailability, Target: 99.9, Actual: avail, Source: "ITSM"},
			{AgreementID: a.ID, ServiceID: workplace, Period: period, Metric: liaison.MetricResponse, Target: 15, Actual: []float64{11, 14, 9}[3-m], Source: "ITSM"},
		}
		if m == 1 {
			rows[0].Note = "Mail cluster failover took 4 h 12 min on the 14th."
		}
		for _, r := range rows {
			if err := l.a.CreateSLAResult(ctx, r); err != nil {
				return fmt.Errorf("SLA result %s: %w", period, err)
			}
			l.res.SLAResults++
		}
	}
	return nil
}
