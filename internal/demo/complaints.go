package demo

import (
	"context"
	"fmt"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// complaintSpec is a demo complaint: who complained about what, through
// which channel, how long ago, and how far its handling got. The first
// three about the mail service complete a recurrence cluster (3 within 90
// days) and raise the demo's escalation to the head of service management.
type complaintSpec struct {
	unit, service string // unit key; service key or ""
	supplier      string // the supplier's name, or ""
	by            string // registering user key
	channel       liaison.ComplaintChannel
	class         liaison.Classification
	ticket        string
	severity      liaison.Severity
	title, desc   string
	category      string
	daysAgo       int
	steps         []liaison.ComplaintStatus // transitions by the coordinator, each notifying the reporter
	skip          string                    // reason to skip the confirmation
	rootCause     string
	calls         []string // logged calls from the customer
	beyond        string   // cannot be solved within the current service level
}

var complaintSpecs = []complaintSpec{
	{unit: "hospital", service: "mail", by: "jukka", channel: liaison.ChannelPhone, severity: liaison.SeverityHigh,
		title: "E-post till externa mottagare studsar", category: "Tillgänglighet", daysAgo: 70, supplier: DemoHostingSupplier,
		desc:      "Avdelningschefen ringde: remisser som mejlas till privata vårdgivare kommer i retur sedan i måndags.",
		steps:     []liaison.ComplaintStatus{liaison.ComplaintConfirmed, liaison.ComplaintInvestigating, liaison.ComplaintAction, liaison.ComplaintResolved, liaison.ComplaintClosed},
		rootCause: "Ett utgått certifikat i e-postgatewayen; förnyat och bevakat.",
		calls:     []string{"Kunden bekräftade att remisserna går fram igen."}},
	{unit: "vc1", service: "mail", by: "lena", channel: liaison.ChannelEmail, severity: liaison.SeverityMedium,
		title: "Kalendern visar fel tider efter sommartid", category: "Kvalitet", daysAgo: 40,
		desc:  "Bokade patientmöten i kalendern förskjuts en timme i mobilen.",
		steps: []liaison.ComplaintStatus{liaison.ComplaintConfirmed, liaison.ComplaintInvestigating, liaison.ComplaintResolved}},
	{unit: "fi-fin", service: "mail", by: "jukka", channel: liaison.ChannelServiceDesk, severity: liaison.SeverityHigh,
		title: "Sähköposti katkeilee etätöissä", category: "Saatavuus", daysAgo: 12,
		desc:  "Palkkasihteerit eivät saa sähköpostia VPN:n kautta aamuisin; palkka-ajo viivästyi.",
		steps: []liaison.ComplaintStatus{liaison.ComplaintInvestigating}, skip: "Palvelupisteen tiketissä kaikki tiedot, asiakas vahvisti puhelimessa."},
	{unit: "ward12", service: "ehr", by: "anna", channel: liaison.ChannelMeeting, severity: liaison.SeveritySerious,
		title: "Journalsystemet låser sig under ronden", category: "Prestanda", daysAgo: 5, supplier: "Cura Journalsystem AB",
		desc:  "Tas upp på verksamhetsmötet: journalen hänger i upp till en minut när flera läkare öppnar samma patient.",
		steps: []liaison.ComplaintStatus{liaison.ComplaintConfirmed, liaison.ComplaintInvestigating, liaison.ComplaintAction},
		calls: []string{"Vårdenhetschefen ringde igen: två incidenter i natt.", "Avstämning med leverantören bokad till torsdag."}},
	{unit: "cn-rd", service: "workplace", by: "chen", channel: liaison.ChannelEmail, severity: liaison.SeverityHigh,
		title: "VPN 连接经常断开，影响与瑞典总部的视频会议", category: "网络", daysAgo: 20,
		desc:   "研发中心反映：每天下午（瑞典上午）VPN 断线三到四次，视频会议被迫中断。",
		steps:  []liaison.ComplaintStatus{liaison.ComplaintConfirmed, liaison.ComplaintInvestigating},
		beyond: "现行服务级别只在瑞典工作时间提供支持；苏州的工作时间需要延长支持窗口和亚洲接入点，这超出了当前的服务级别。"},
	{unit: "natur", service: "school", by: "lena", channel: liaison.ChannelPortal, class: liaison.ClassSuggestion, severity: liaison.SeverityLow,
		title: "Önskar mörkt läge i skolplattformen", category: "Kvalitet", daysAgo: 9,
		desc: "Eleverna läser kvällstid och vill ha ett mörkt tema."},
	{unit: "water", service: "network", by: "jukka", channel: liaison.ChannelServiceDesk, class: liaison.ClassServiceRequest,
		ticket: "SD-20431", severity: liaison.SeverityLow, title: "Wifi behövs i nya slamdepån", daysAgo: 6,
		desc: "Inte ett klagomål: en beställning, lämnad till servicedesk."},
	{unit: "grid", service: "erp", by: "mikael", channel: liaison.ChannelMeeting, severity: liaison.SeveritySerious,
		title: "Trading reports time out at month end", category: "Performance", daysAgo: 15,
		desc:  "Raised at the quarterly review: the month-end close took three days longer because the ERP reports time out.",
		steps: []liaison.ComplaintStatus{liaison.ComplaintConfirmed}},
	{unit: "culture", service: "workplace", by: "lena", channel: liaison.ChannelEmail, severity: liaison.SeverityLow,
		title: "Fakturan för arbetsplatser stämmer inte med antalet användare", category: "Fakturering", daysAgo: 3,
		desc: "Fakturan avser 212 arbetsplatser; förvaltningen har 190 användare."},
	{unit: "social", by: "jukka", channel: liaison.ChannelITUnit, severity: liaison.SeverityMedium,
		title: "Ingen återkoppling på ärenden om behörigheter", category: "Kommunikation", daysAgo: 25,
		desc:  "IT-enheten vidarebefordrar: förvaltningen får inte besked när behörigheter är klara.",
		steps: []liaison.ComplaintStatus{liaison.ComplaintConfirmed, liaison.ComplaintInvestigating, liaison.ComplaintResolved, liaison.ComplaintClosed}},
}

// as returns ctx acting as the demo user with the key.
func (l *loader) as(ctx context.Context, key string) context.Context {
	return liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[key], Scope: liaison.ScopeWrite, Via: "demo"})
}

// contactIn returns a person with an email in the unit (its orderer first),
// nil when none.
func (l *loader) contactIn(ctx context.Context, unit *liaison.Organisation) *liaison.Person {
	roles, _, _ := l.a.Roles(ctx, liaison.RoleFilter{OrganisationID: unit.ID, Limit: 20})
	for _, r := range roles {
		if p, err := l.a.Person(ctx, r.PersonID); err == nil && p.Email != "" {
			return p
		}
	}
	people, _, _ := l.a.People(ctx, liaison.PersonFilter{OrganisationID: unit.ID, Limit: 20})
	for _, p := range people {
		if p.Email != "" {
			return p
		}
	}
	return nil
}

// createComplaints registers the demo's complaints as the users who took
// them in, moves them along as the coordinator, and raises and decides a
// steering-group escalation.
func (l *loader) createComplaints(ctx context.Context) error {
	s, err := l.a.Store.Settings(ctx)
	if err != nil {
		return err
	}
	s.ComplaintCoordinatorID = l.users["lena"].ID // the coordinating function (seed 002: project management)
	if err := l.a.SaveSettings(ctx, s); err != nil {
		return err
	}
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	byKey := map[string]*liaison.Service{}
	for _, spec := range services {
		for _, sv := range svcs {
			if sv.Name == spec.name {
				byKey[spec.key] = sv
			}
		}
	}
	sups, _, err := l.a.Suppliers(ctx, liaison.SupplierFilter{Limit: 100})
	if err != nil {
		return err
	}
	supplierByName := map[string]string{}
	for _, sp := range sups {
		supplierByName[sp.Name] = sp.ID
	}
	now := time.Now().UTC()
	if l.a.Now != nil {
		now = l.a.Now().UTC()
	}
	coord := l.as(ctx, "lena")
	var erp *liaison.Complaint
	for i, spec := range complaintSpecs {
		unit := l.units[spec.unit]
		if unit == nil {
			return fmt.Errorf("complaint %q: unknown unit %s", spec.title, spec.unit)
		}
		c := &liaison.Complaint{OrganisationID: unit.ID, Channel: spec.channel, Classification: spec.class, ExternalTicket: spec.ticket,
			Severity: spec.severity, Title: spec.title, Description: spec.desc, Category: spec.category,
			ReceivedAt: now.AddDate(0, 0, -spec.daysAgo).Add(-time.Duration(i*37) * time.Minute)}
		if spec.supplier != "" {
			id, ok := supplierByName[spec.supplier]
			if !ok {
				return fmt.Errorf("complaint %q: unknown supplier %s", spec.title, spec.supplier)
			}
			c.SupplierID = &id
		}
		if spec.service != "" {
			sv := byKey[spec.service]
			if sv == nil {
				return fmt.Errorf("complaint %q: unknown service %s", spec.title, spec.service)
			}
			c.ServiceID = &sv.ID
		}
		if p := l.contactIn(ctx, unit); p != nil {
			c.ReporterPersonID = &p.ID
		}
		if err := l.a.CreateComplaint(l.as(ctx, spec.by), c); err != nil {
			return fmt.Errorf("complaint %q: %w", spec.title, err)
		}
		l.res.Complaints++
		for _, to := range spec.steps {
			skip := ""
			if c.Status == liaison.ComplaintReceived && to == liaison.ComplaintInvestigating {
				skip = spec.skip
			}
			note := ""
			if to == liaison.ComplaintResolved && spec.rootCause != "" {
				note = spec.rootCause
			}
			if c, err = l.a.TransitionComplaint(coord, c.ID, c.Version, app.Transition{Status: to, SkipReason: skip, Note: note,
				Notify: c.ReporterPersonID != nil}); err != nil {
				return fmt.Errorf("complaint %q → %s: %w", spec.title, to, err)
			}
		}
		if spec.rootCause != "" {
			u := *c
			u.RootCause = spec.rootCause
			if err := l.a.UpdateComplaint(coord, &u, c.Version); err != nil {
				return fmt.Errorf("complaint %q: %w", spec.title, err)
			}
			c = &u
		}
		for _, call := range spec.calls {
			if err := l.a.LogCommunication(coord, &liaison.Communication{ComplaintID: c.ID, Kind: liaison.CommCall, Direction: "in",
				PersonID: c.ReporterPersonID, Summary: call}); err != nil {
				return fmt.Errorf("complaint %q: %w", spec.title, err)
			}
		}
		if spec.beyond != "" {
			if c, err = l.a.ComplaintBeyondLevel(l.as(ctx, "chen"), c.ID, c.Version, spec.beyond); err != nil {
				return fmt.Errorf("complaint %q: %w", spec.title, err)
			}
			l.res.Improvements++ // the suggestion made from it
		}
		if spec.service == "erp" {
			erp = c
		}
	}
	// The ERP complaint goes to the IT steering group, which decided.
	if erp != nil {
		e := &liaison.Escalation{Target: liaison.TargetSteeringGroup, OrganisationID: &erp.AccountID, ServiceID: erp.ServiceID,
			ComplaintIDs: []string{erp.ID},
			Reason:       "Norrsken Energi's month-end close is at risk: the ERP reports need more capacity than the Gold level buys."}
		if err := l.a.CreateEscalation(l.as(ctx, "mikael"), e); err != nil {
			return fmt.Errorf("escalation: %w", err)
		}
		e.Status, e.Decision = liaison.EscalationDecided, "Styrgruppen beviljar extra rapportkapacitet till och med årsskiftet; IT tar fram ett förslag på ny servicenivå till budgetmötet."
		if err := l.a.UpdateEscalation(l.as(ctx, "head"), e, e.Version); err != nil {
			return fmt.Errorf("escalation: %w", err)
		}
		l.res.Escalations++
	}
	es, _, err := l.a.Escalations(ctx, liaison.EscalationFilter{Target: liaison.TargetHead})
	if err != nil {
		return err
	}
	l.res.Escalations += len(es)
	return nil
}
