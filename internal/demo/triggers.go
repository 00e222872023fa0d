package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// triggerSpec is a demo trigger (SPEC C12, seed 000 "Trigger"): what
// happened on which unit, who logged it (or which tool posted it), and
// whether its task is done.
type triggerSpec struct {
	unit        string // unit key: the account or a unit below it
	kind        liaison.TriggerKind
	title, desc string
	daysAgo     int    // when it happened
	by          string // user key of who logged it
	service     string // service key, or ""
	ref         string // the posting tool's id: posted through the API
	done        bool   // its task is done
}

var triggerSpecs = []triggerSpec{
	{unit: "hospital", kind: liaison.TriggerStrategicInitiative, by: "johan", daysAgo: 9,
		title: "Regionfullmäktige beslutar om vård på distans",
		desc:  "Sjukhusledningen ska halvera antalet återbesök på plats till 2028. Digitala vårdmöten, egenmonitorering och nya arbetssätt kräver nya IT-tjänster och mer kapacitet i journalsystemet."},
	{unit: "er", kind: liaison.TriggerComplaint, by: "lena", service: "workplace", daysAgo: 2,
		title: "Nattpersonalen på Akutkliniken blir utelåst",
		desc:  "Tre sjuksköterskor på natten kunde inte logga in efter lösenordsbytet; servicedesken var stängd. Verksamhetschefen vill ha ett samtal med kundansvarig."},
	{unit: "hospital", kind: liaison.TriggerProcessActivity, by: "admin", service: "ehr", daysAgo: 1, ref: "CHG-2026-0412",
		title: "Ändring CHG-2026-0412: uppgradering av journalsystemet",
		desc:  "Planerad uppgradering med fyra timmars driftavbrott natten mot lördag. Verksamheten behöver informeras och reservrutiner bekräftas."},
	{unit: "edu", kind: liaison.TriggerSurveyDue, by: "mikael", daysAgo: 20, done: true,
		title: "Vårens nöjd-kund-undersökning för Utbildning",
		desc:  "Enligt årshjulet ska kundundersökningen skickas till rektorer och förvaltningsledning före sportlovet."},
	{unit: "polaris", kind: liaison.TriggerChangeProposal, by: "jukka", service: "school", daysAgo: 6,
		title: "Gymnasiet vill byta lärplattform till hösten",
		desc:  "Rektorn föreslår att Polaris går över till samma lärplattform som grundskolan. Beredning med beställaren; beslut hos förvaltningschefen."},
	{unit: "social", kind: liaison.TriggerAgreementDue, by: "anna", daysAgo: 14,
		title: "Överenskommelsen för Socialförvaltningen ska revideras",
		desc:  "Nuvarande överenskommelse löper ut vid årsskiftet; hemtjänstens mobila enheter behöver ingå i den nya."},
	{unit: "homecare", kind: liaison.TriggerServiceChange, by: "admin", service: "workplace", daysAgo: 3, ref: "REL-2026-118",
		title: "Release REL-2026-118: nya mobila arbetsplatser",
		desc:  "Servicehanteringsverktyget meddelar att den nya mobilplattformen för hemtjänsten rullas ut vecka 50."},
	{unit: "tech", kind: liaison.TriggerEfficiencyOpportunity, by: "johan", daysAgo: 30, done: true,
		title: "Gemensam ärendehantering för Vatten och avfall",
		desc:  "Vatten och avfall har två system för felanmälan; ett gemensamt flöde i regionens ärendehantering skulle spara handläggartid."},
	{unit: "energy", kind: liaison.TriggerCustomerMeeting, by: "mikael", daysAgo: 5,
		title: "Möte med Norrsken Energis vd om elnätets driftsystem",
		desc:  "Vd vill diskutera krav på tillgänglighet för driftcentralen inför vintern; förbered underlag om nuvarande servicenivåer."},
	{unit: "fi", kind: liaison.TriggerStrategicInitiative, by: "mikko", daysAgo: 12,
		title: "Norrsken Suomi avaa uuden toimipisteen Ouluun",
		desc:  "Uusi toimipiste aloittaa keväällä noin 40 työntekijällä; työasemat, verkko ja ERP-käyttöoikeudet on suunniteltava."},
	{unit: "cn", kind: liaison.TriggerCustomerMeeting, by: "chen", daysAgo: 4, done: true,
		title: "与苏州公司总经理的季度会议",
		desc:  "总经理希望讨论明年的 IT 预算以及邮件系统的本地化需求。会议纪要已发出。"},
	{unit: "museum", kind: liaison.TriggerEfficiencyOpportunity, by: "lena", daysAgo: 8,
		title: "Museet kan använda regionens bokningstjänst",
		desc:  "Stiftelsen bokar visningar i kalkylblad; regionens bokningstjänst för biblioteken skulle passa utan anpassning."},
	{unit: "primary", kind: liaison.TriggerComplaint, by: "jukka", service: "ehr", daysAgo: 40, done: true,
		title: "Vårdcentralerna: journalen långsam på måndagsmorgnar",
		desc:  "Upprepade synpunkter från Vårdcentral Forsbacka. Följt upp med förvaltningen; kapaciteten utökad."},
}

// createTriggers logs the demo's triggers as their reporters (the posted
// ones as the admin's service-management integration) and marks some of
// their tasks done by the task's owner.
func (l *loader) createTriggers(ctx context.Context) error {
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	byKey := map[string]string{}
	for _, spec := range services {
		for _, s := range svcs {
			if s.Name == spec.name {
				byKey[spec.key] = s.ID
			}
		}
	}
	for _, s := range triggerSpecs {
		unit := l.units[s.unit]
		if unit == nil {
			return fmt.Errorf("trigger %q: unknown unit %s", s.title, s.unit)
		}
		t := &liaison.Trigger{OrganisationID: unit.ID, Kind: s.kind, Title: s.title, Description: s.desc,
			OccurredOn: liaison.FormatDate(l.today.AddDate(0, 0, -s.daysAgo)), Source: liaison.TriggerManual}
		via := "demo"
		if s.ref != "" {
			t.Source, t.ExternalRef, via = liaison.TriggerAPI, liaison.Ptr(s.ref), "token"
		}
		if s.service != "" {
			id, ok := byKey[s.service]
			if !ok {
				return fmt.Errorf("trigger %q: unknown service %s", s.title, s.service)
			}
			t.ServiceID = &id
		}
		as := liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[s.by], Scope: liaison.ScopeWrite, Via: via})
		if _, err := l.a.CreateTrigger(as, t); err != nil {
			return fmt.Errorf("trigger %q: %w", s.title, err)
		}
		if s.done {
			owner := liaison.WithPrincipal(ctx, &liaison.Principal{User: l.userByID(t.OwnerID), Scope: liaison.ScopeWrite, Via: "demo"})
			if _, err := l.a.SetActionStatus(owner, t.ActionID, liaison.ActionDone, 1); err != nil {
				return fmt.Errorf("trigger %q task done: %w", s.title, err)
			}
		}
		l.res.Triggers++
	}
	return nil
}
