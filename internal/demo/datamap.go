package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// The customer data map, contact channels, logged contacts and
// announcements (SPEC C15, C16): the systems seed 004 §6 found holding
// customer data (finance, the document portal, the application register,
// device management) and a few more, two of them overdue for their
// refresh; the channels of two accounts; contacts taken on several
// channels, routed and closed; and a published and a draft announcement.

type dataSourceSpec struct {
	name, desc, data, unit, maintainer string
	refresh, updatedDaysAgo            int // updatedDaysAgo < 0: never recorded
	needs                              []liaison.DataNeed
	flows                              []liaison.DataFlow
}

var dataSourceSpecs = []dataSourceSpec{
	{name: "SAP ekonomi", desc: "Regionens ekonomisystem: fakturering, kundreskontra och internprissättning.",
		data: "Kundnummer, fakturaadresser, kostnadsställen och referenser, fakturerade belopp per tjänst och månad.",
		unit: "Ekonomi", maintainer: "anna", refresh: 30, updatedDaysAgo: 12,
		needs: []liaison.DataNeed{
			{Unit: "Kundansvariga", Data: "Fakturerat per tjänst och kund", Purpose: "Följa upp kostnaderna med kunden på budgetmötet", Known: true},
			{Unit: "Servicedesk", Data: "Kostnadsställe för beställningar", Purpose: "Beställningar faktureras rätt från början", Known: true},
			{Unit: "Tjänsteägare", Data: "Intäkt per tjänst"}},
		flows: []liaison.DataFlow{
			{Direction: liaison.FlowIn, System: "Applikationsregistret (Saabe)", Data: "Licensantal per kund", Mode: liaison.FlowManual},
			{Direction: liaison.FlowOut, System: "Dokumentportalen", Data: "Fakturaunderlag", Mode: liaison.FlowAutomated}}},
	{name: "Dokumentportalen (SharePoint)", desc: "Samarbetsyta för avtal, mötesanteckningar och kundplaner.",
		data: "Överenskommelser, mötesprotokoll, kundmöten och kontaktpersoner per kund.",
		unit: "Kundrelationer", maintainer: "johan", refresh: 90, updatedDaysAgo: 20,
		needs: []liaison.DataNeed{
			{Unit: "Servicedesk", Data: "Gällande servicenivåer per kund", Purpose: "Prioritera ärenden enligt överenskommelsen"},
			{Unit: "Drift", Data: "Överenskomna servicefönster", Purpose: "Planera underhåll utan att bryta avtal", Known: true}}},
	{name: "Applikationsregistret (Saabe)", desc: "Register över kundspecifika applikationer och deras förvaltare.",
		data: "Applikationer per kund, versioner, licenser, kontaktperson hos kunden och förvaltare hos IT.",
		unit: "Applikationsförvaltning", refresh: 60, updatedDaysAgo: 143,
		needs: []liaison.DataNeed{
			{Unit: "Kundansvariga", Data: "Applikationer per kund", Purpose: "Underlag till kundplanen och utvecklingsbehoven", Known: true},
			{Unit: "Ekonomi", Data: "Licensantal per kund"},
			{Unit: "Informationssäkerhet", Data: "Applikationer med personuppgifter", Purpose: "Registerförteckning enligt GDPR"}},
		flows: []liaison.DataFlow{
			{Direction: liaison.FlowOut, System: "SAP ekonomi", Data: "Licensantal per kund", Mode: liaison.FlowManual}}},
	{name: "Enhetshantering (SCCM/Intune)", desc: "Hantering av datorer, surfplattor och mobiler.",
		data: "Enheter per kund och enhet, användare, operativsystemversion och senaste inloggning.",
		unit: "Arbetsplatstjänster", maintainer: "lena", refresh: 7, updatedDaysAgo: 2,
		needs: []liaison.DataNeed{
			{Unit: "Servicedesk", Data: "Användarens enheter", Purpose: "Felsöka och byta ut utrustning", Known: true},
			{Unit: "Ekonomi", Data: "Antal enheter per kostnadsställe", Purpose: "Debitera arbetsplatstjänsten per användare", Known: true}},
		flows: []liaison.DataFlow{
			{Direction: liaison.FlowIn, System: "HR-systemet", Data: "Anställda och avslutade anställningar", Mode: liaison.FlowAutomated},
			{Direction: liaison.FlowOut, System: "SAP ekonomi", Data: "Antal enheter per kostnadsställe", Mode: liaison.FlowManual}}},
	{name: "Ärendehanteringen", desc: "Servicedeskens verktyg för incidenter och beställningar.",
		data: "Ärenden per kund, beställare, nöjdhetsbetyg på stängda ärenden.",
		unit: "Servicedesk", maintainer: "jukka", refresh: 1, updatedDaysAgo: 0,
		needs: []liaison.DataNeed{{Unit: "Kundansvariga", Data: "Ärendestatistik per kund", Purpose: "Underlag till tjänstegenomgångar", Known: true}}},
	{name: "Kundregistret i kalkylblad", desc: "Ett delat kalkylblad med kontaktuppgifter som några enheter fortfarande använder.",
		data: "Beställare och kontaktpersoner per förvaltning.", refresh: 30, updatedDaysAgo: -1,
		needs: []liaison.DataNeed{{Unit: "Projektkontoret", Data: "Beställare per förvaltning"}}},
}

type channelSpec struct {
	account, name, address, user, service, note string
	kind                                        liaison.ChannelKind
}

var channelSpecs = []channelSpec{
	{account: "hospital", kind: liaison.ChannelKindServiceDesk, name: "Servicedesk (dygnet runt)", address: "servicedesk@norrsken.demo · 010-100 10 00",
		note: "Fel, beställningar och frågor om befintliga tjänster."},
	{account: "hospital", kind: liaison.ChannelKindManager, name: "Kundansvarig", user: "johan", address: "johan.bergstrom@liaison.demo",
		note: "Utvecklingsbehov, avtal och allt som rör samarbetet."},
	{account: "hospital", kind: liaison.ChannelKindService, name: "Tjänsteansvarig journalsystemet", user: "lena", service: "ehr",
		note: "Driftfrågor och planerade avbrott i journalsystemet."},
	{account: "edu", kind: liaison.ChannelKindServiceDesk, name: "Servicedesk", address: "servicedesk@norrsken.demo",
		note: "Vardagar 7–18."},
	{account: "edu", kind: liaison.ChannelKindService, name: "Tjänsteansvarig skolplattformen", user: "jukka", service: "school"},
}

type contactSpec struct {
	unit, subject, desc, by, responsible, resolution string
	channel                                          liaison.ComplaintChannel
	kind                                             liaison.ContactKind
	daysAgo                                          int
	status                                           liaison.ContactStatus
}

var contactSpecs = []contactSpec{
	{unit: "er", channel: liaison.ChannelServiceDesk, kind: liaison.ContactRequest, by: "lena", daysAgo: 1, status: liaison.ContactNew,
		subject: "Fler surfplattor till akutens triage", desc: "Avdelningschefen ringde servicedesken: triagen behöver fyra surfplattor till före jul."},
	{unit: "hospital", channel: liaison.ChannelMeeting, kind: liaison.ContactDevelopment, by: "johan", daysAgo: 6, status: liaison.ContactNew,
		subject: "Digitala vårdmöten i primärvården", desc: "Vid verksamhetsmötet efterfrågades en plattform för videobesök, integrerad med journalen."},
	{unit: "hospital", channel: liaison.ChannelPhone, kind: liaison.ContactQuestion, by: "lena", responsible: "lena", daysAgo: 3,
		status: liaison.ContactInProgress, subject: "När uppgraderas journalsystemet?", desc: "Medicinkliniken vill planera bemanningen kring driftavbrottet."},
	{unit: "comp", channel: liaison.ChannelEmail, kind: liaison.ContactFeedback, by: "jukka", responsible: "mikael", daysAgo: 10,
		status: liaison.ContactClosed, subject: "Tack för snabb hjälp med skolplattformen", resolution: "Tackat och delat med driftteamet.",
		desc: "Rektorn på Forsbacka skola mejlade tjänsteansvarig direkt."},
	{unit: "social", channel: liaison.ChannelITUnit, kind: liaison.ContactRequest, by: "lena", responsible: "jukka", daysAgo: 4,
		status: liaison.ContactRouted, subject: "Hemtjänstens mobiler behöver ny app", desc: "Nätverksgruppen fick frågan i korridoren; den hör till arbetsplatstjänsten."},
}

// createDataMap records the data map, the channels, the contacts and the
// announcements.
func (l *loader) createDataMap(ctx context.Context) error {
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	svc := map[string]string{}
	for _, spec := range services {
		for _, s := range svcs {
			if s.Name == spec.name {
				svc[spec.key] = s.ID
			}
		}
	}
	for _, s := range dataSourceSpecs {
		d := &liaison.DataSource{Name: s.name, Description: s.desc, Data: s.data, MaintainerUnit: s.unit, RefreshDays: s.refresh,
			Needs: s.needs, Flows: s.flows}
		if s.updatedDaysAgo >= 0 {
			d.LastUpdatedOn = liaison.FormatDate(l.today.AddDate(0, 0, -s.updatedDaysAgo))
		}
		if s.maintainer != "" {
			d.MaintainerUserID = &l.users[s.maintainer].ID
		}
		if err := l.a.CreateDataSource(ctx, d); err != nil {
			return fmt.Errorf("data source %q: %w", s.name, err)
		}
	}
	for _, s := range channelSpecs {
		ch := &liaison.Channel{OrganisationID: l.units[s.account].ID, Kind: s.kind, Name: s.name, Address: s.address, Note: s.note}
		if s.user != "" {
			ch.UserID = &l.users[s.user].ID
		}
		if s.service != "" {
			id := svc[s.service]
			ch.ServiceID = &id
		}
		if err := l.a.CreateChannel(ctx, ch); err != nil {
			return fmt.Errorf("channel %q: %w", s.name, err)
		}
	}
	for _, s := range contactSpecs {
		unit := l.units[s.unit]
		if unit == nil {
			return fmt.Errorf("contact %q: unknown unit %s", s.subject, s.unit)
		}
		as := liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[s.by], Scope: liaison.ScopeWrite, Via: "demo"})
		c := &liaison.Contact{OrganisationID: unit.ID, Channel: s.channel, Kind: s.kind, Subject: s.subject, Description: s.desc,
			ReceivedOn: liaison.FormatDate(l.today.AddDate(0, 0, -s.daysAgo))}
		if err := l.a.CreateContact(as, c); err != nil {
			return fmt.Errorf("contact %q: %w", s.subject, err)
		}
		if s.responsible != "" {
			c.ResponsibleID, c.Status = &l.users[s.responsible].ID, liaison.ContactRouted
			if err := l.a.UpdateContact(as, c, c.Version); err != nil {
				return fmt.Errorf("route contact %q: %w", s.subject, err)
			}
		}
		if s.status == liaison.ContactInProgress || s.status == liaison.ContactClosed {
			c.Status, c.Resolution = s.status, s.resolution
			if err := l.a.UpdateContact(as, c, c.Version); err != nil {
				return fmt.Errorf("move contact %q: %w", s.subject, err)
			}
		}
	}
	return l.createAnnouncements(ctx, svc)
}

func (l *loader) createAnnouncements(ctx context.Context, svc map[string]string) error {
	as := liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users["johan"], Scope: liaison.ScopeWrite, Via: "demo"})
	ehr := svc["ehr"]
	pub := &liaison.Announcement{Kind: liaison.AnnouncementCritical, Title: "Uppgradering av journalsystemet natten mot lördag",
		Body: "Journalsystemet uppgraderas natten mot lördag kl. 22–02. Under tiden gäller reservrutinerna. " +
			"Frågor: kontakta tjänsteansvarig eller servicedesken.",
		ServiceID: &ehr, StartsOn: liaison.FormatDate(l.today.AddDate(0, 0, 9)), EndsOn: liaison.FormatDate(l.today.AddDate(0, 0, 10))}
	if err := l.a.CreateAnnouncement(as, pub); err != nil {
		return fmt.Errorf("announcement: %w", err)
	}
	if _, err := l.a.PublishAnnouncement(as, pub.ID, pub.Version); err != nil {
		return fmt.Errorf("publish announcement: %w", err)
	}
	school := svc["school"]
	draft := &liaison.Announcement{Kind: liaison.AnnouncementUpdate, Title: "Ny version av skolplattformen till höstterminen",
		Body:      "Skolplattformen får ny inloggning och ny mobilapp inför höstterminen. Vi bjuder in till visning i maj.",
		ServiceID: &school, OrganisationIDs: []string{l.units["edu"].ID}, StartsOn: liaison.FormatDate(l.today.AddDate(0, 4, 0))}
	if err := l.a.CreateAnnouncement(as, draft); err != nil {
		return fmt.Errorf("announcement: %w", err)
	}
	return nil
}
