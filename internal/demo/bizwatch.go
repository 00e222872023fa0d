package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// Customer business plans (SPEC C2) and technology watch (SPEC C11) of the
// demo: goals from the accounts' own plans, some with their review
// overdue, and watch notes in every status, one already turned into an
// improvement suggestion.

type businessPlanSpec struct {
	account, title, effect, source string
	horizon                        liaison.BusinessPlanHorizon
	target                         string // YYYY-MM-DD or ""
	services                       []string
	reviewIn                       int // days from today to the review date; negative: overdue
	status                         liaison.BusinessPlanStatus
	reviewed                       bool // marked reviewed once (the next review then a year ahead)
}

var businessPlanSpecs = []businessPlanSpec{
	{account: "hospital", title: "Digital vårdplanering på alla vårdavdelningar 2027", horizon: liaison.HorizonShort, target: "2027-09-30",
		effect:   "Surfplattor på varje avdelning, wifi med full täckning på vårdsalarna och integration mellan journalsystemet och vårdplaneringen.",
		services: []string{"ehr", "network", "workplace"}, source: "https://www.norrsken.example/sjukhuset/verksamhetsplan-2027.pdf", reviewIn: -21},
	{account: "hospital", title: "Ny akutmottagning i drift hösten 2028", horizon: liaison.HorizonMedium, target: "2028-10-01",
		effect:   "Nätverk, arbetsplatser och larmintegration för en ny byggnad; flytt av akutens system utan avbrott.",
		services: []string{"network", "workplace", "ehr"}, source: "https://www.norrsken.example/sjukhuset/lokalforsorjningsplan.pdf", reviewIn: 120},
	{account: "primary", title: "Digitala vårdbesök i hela primärvården", horizon: liaison.HorizonShort, target: "2027-06-30",
		effect:   "Videomöten i journalsystemet, headset och kameror till alla mottagningsrum, e-legitimation för patienter.",
		services: []string{"ehr", "workplace"}, reviewIn: -45},
	{account: "edu", title: "En dator per elev från årskurs 4", horizon: liaison.HorizonMedium, target: "2028-08-15",
		effect:   "Ca 4 000 fler elevdatorer med livscykelhantering, kapacitet i skolplattformen och ett större wifi-nät i skolorna.",
		services: []string{"school", "workplace", "network"}, source: "https://www.norrsken.example/utbildning/digitaliseringsstrategi.pdf", reviewIn: 60, reviewed: true},
	{account: "polaris", title: "Distansundervisning som permanent komplement", horizon: liaison.HorizonShort,
		effect:   "Lektionsinspelning och videomöten i skolplattformen; support på kvällstid vid prov.",
		services: []string{"school"}, reviewIn: -5},
	{account: "tech", title: "Fossilfri fordonsflotta 2030", horizon: liaison.HorizonLong, target: "2030-12-31",
		effect:   "Laddinfrastruktur med uppkopplade laddboxar och ett bokningssystem för poolbilar; inga nya IT-tjänster före 2027.",
		services: []string{"network"}, source: "https://www.norrsken.example/teknik/klimatplan-2030", reviewIn: 200},
	{account: "social", title: "Mobila arbetssätt i hemtjänsten", horizon: liaison.HorizonShort, target: "2027-03-31",
		effect:   "Mobiltelefoner med säker inloggning för 600 medarbetare och verksamhetssystemet i mobilen.",
		services: []string{"workplace", "mail"}, reviewIn: 30, reviewed: true},
	{account: "fi", title: "Yhteinen ERP koko konsernille 2028", horizon: liaison.HorizonMedium, target: "2028-01-01",
		effect:   "ERP-ympäristön kapasiteetin kasvatus ja integraatiot palkanlaskentaan; koulutus käyttäjille.",
		services: []string{"erp"}, source: "https://www.norrsken.example/fi/strategia-2028.pdf", reviewIn: 90},
	{account: "cn", title: "苏州工厂数字化升级", horizon: liaison.HorizonMedium, target: "2028-06-30",
		effect:   "生产网络与办公网络隔离、新增 200 个工位、与集团 ERP 集成。",
		services: []string{"network", "erp"}, reviewIn: -10},
	{account: "museum", title: "Faxa inga beställningar efter 2026", horizon: liaison.HorizonShort, target: "2026-12-31",
		effect: "Faxtjänsten sägs upp; beställningar via säker filöverföring.", services: []string{"fax", "files"},
		reviewIn: 150, status: liaison.PlanItemAchieved},
}

type watchSpec struct {
	title, summary, relevance, source string
	level                             liaison.WatchRelevance
	owner, creator                    string
	accounts, services                []string
	path                              []liaison.WatchStatus
	improve                           bool // turned into an improvement suggestion (after path)
}

var watchSpecs = []watchSpec{
	{title: "Lösenordsfri inloggning med passkeys", level: liaison.RelevanceHigh, owner: "jukka", creator: "jukka",
		summary:   "FIDO2-passkeys ersätter lösenord på hanterade datorer och mobiler; stöd finns nu i alla stora plattformar.",
		relevance: "Vårdens nattpersonal blir inte längre utelåst av utgångna lösenord; färre samtal till servicedesken.",
		source:    "https://fidoalliance.org/passkeys/", accounts: []string{"hospital", "primary", "social"}, services: []string{"workplace"},
		path: []liaison.WatchStatus{liaison.WatchEvaluating}, improve: true},
	{title: "Privat 5G för sjukhusområdet", level: liaison.RelevanceMedium, owner: "lena", creator: "lena",
		summary:   "Operatörerna erbjuder privata 5G-nät som komplement till wifi för medicinteknik och larm.",
		relevance: "Kan lösa täckningsproblemen på vårdavdelningarna där wifi inte räcker.",
		source:    "https://www.3gpp.org/technologies/5g-system-overview", accounts: []string{"hospital"}, services: []string{"network"},
		path: []liaison.WatchStatus{liaison.WatchEvaluating}},
	{title: "Lokal AI-assistent för handläggare", level: liaison.RelevanceHigh, owner: "anna", creator: "anna",
		summary:   "En språkmodell i egen drift som sammanfattar ärenden och föreslår svar, utan att data lämnar regionen.",
		relevance: "Socialförvaltningen och regionkansliet lägger mycket tid på att sammanfatta ärenden.",
		accounts:  []string{"social", "admin"}},
	{title: "Chromebooks med centralt hanterad skolmiljö", level: liaison.RelevanceHigh, owner: "mikael", creator: "mikael",
		summary:   "Billigare elevdatorer med molnhantering; utvärderad tillsammans med Gymnasieskolan Polaris.",
		relevance: "Gör en dator per elev möjlig inom budget.",
		accounts:  []string{"edu", "polaris"}, services: []string{"school", "workplace"},
		path: []liaison.WatchStatus{liaison.WatchEvaluating, liaison.WatchProposed, liaison.WatchAdopted}},
	{title: "Blockkedja för protokoll", level: liaison.RelevanceLow, owner: "lena", creator: "lena",
		summary:   "En leverantör föreslår att nämndernas protokoll signeras i en blockkedja.",
		relevance: "E-underskrift i dokumentportalen löser samma behov enklare.",
		path:      []liaison.WatchStatus{liaison.WatchEvaluating, liaison.WatchRejected}},
	{title: "Sähköinen allekirjoitus kaikkiin sopimuksiin", level: liaison.RelevanceMedium, owner: "mikko", creator: "mikko",
		summary:   "Kansallinen sähköisen allekirjoituksen palvelu integroituna ERP:hen ja dokumenttienhallintaan.",
		relevance: "Revontuli-säätiön ja Norrsken Suomen sopimukset allekirjoitetaan yhä paperilla.",
		source:    "https://www.dvv.fi/", accounts: []string{"fi", "revontuli"}, services: []string{"erp"}},
	{title: "工业物联网平台用于设备监控", level: liaison.RelevanceMedium, owner: "chen", creator: "chen",
		summary:   "云端物联网平台可实时监控工厂设备状态并预测维护需求。",
		relevance: "苏州工厂数字化升级的一部分，可减少停机时间。",
		accounts:  []string{"cn"}, services: []string{"network"}, path: []liaison.WatchStatus{liaison.WatchEvaluating}},
}

// createBusinessPlansAndWatch records the plan items and watch notes.
func (l *loader) createBusinessPlansAndWatch(ctx context.Context) error {
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
	serviceIDs := func(what string, keys []string) ([]string, error) {
		var ids []string
		for _, k := range keys {
			id, ok := byKey[k]
			if !ok {
				return nil, fmt.Errorf("%s: unknown service %s", what, k)
			}
			ids = append(ids, id)
		}
		return ids, nil
	}
	as := func(key string) context.Context {
		return liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[key], Scope: liaison.ScopeWrite, Via: "demo"})
	}
	for _, spec := range businessPlanSpecs {
		u := l.units[spec.account]
		if u == nil {
			return fmt.Errorf("plan item %q: unknown account %s", spec.title, spec.account)
		}
		b := &liaison.BusinessPlanItem{OrganisationID: u.ID, Title: spec.title, Horizon: spec.horizon, ITEffect: spec.effect,
			SourceURL: spec.source, Status: spec.status, ReviewDate: liaison.FormatDate(l.today.AddDate(0, 0, spec.reviewIn))}
		if spec.target != "" {
			b.TargetDate = liaison.Ptr(spec.target)
		}
		if b.ServiceIDs, err = serviceIDs("plan item "+spec.title, spec.services); err != nil {
			return err
		}
		// The customer owns the goal on the customer's side.
		people, _, err := l.a.People(ctx, liaison.PersonFilter{OrganisationID: u.ID, Limit: 1})
		if err != nil {
			return err
		}
		if len(people) > 0 {
			b.OwnerPersonID = &people[0].ID
		}
		// Written by the account's relationship manager.
		mctx := ctx
		for key, usr := range l.users {
			if u.RelationshipManagerID != nil && usr.ID == *u.RelationshipManagerID {
				mctx = as(key)
			}
		}
		if err := l.a.CreateBusinessPlanItem(mctx, b); err != nil {
			return fmt.Errorf("plan item %q: %w", spec.title, err)
		}
		if spec.reviewed {
			if _, err := l.a.MarkBusinessPlanReviewed(mctx, b.ID, b.Version, b.ReviewDate); err != nil {
				return fmt.Errorf("plan item %q reviewed: %w", spec.title, err)
			}
		}
		l.res.BusinessPlanItems++
	}
	for _, spec := range watchSpecs {
		n := &liaison.WatchNote{Title: spec.title, Summary: spec.summary, Relevance: spec.level, RelevanceNote: spec.relevance, SourceURL: spec.source,
			OwnerID: &l.users[spec.owner].ID}
		for _, k := range spec.accounts {
			u := l.units[k]
			if u == nil {
				return fmt.Errorf("watch note %q: unknown account %s", spec.title, k)
			}
			n.OrganisationIDs = append(n.OrganisationIDs, u.ID)
		}
		if n.ServiceIDs, err = serviceIDs("watch note "+spec.title, spec.services); err != nil {
			return err
		}
		if err := l.a.CreateWatchNote(as(spec.creator), n); err != nil {
			return fmt.Errorf("watch note %q: %w", spec.title, err)
		}
		for _, to := range spec.path {
			n.Status = to
			if err := l.a.UpdateWatchNote(as(spec.owner), n, n.Version); err != nil {
				return fmt.Errorf("watch note %q to %s: %w", spec.title, to, err)
			}
		}
		if spec.improve {
			if _, _, err := l.a.ProposeWatchNote(as(spec.owner), n.ID); err != nil {
				return fmt.Errorf("watch note %q as improvement: %w", spec.title, err)
			}
			l.res.Improvements++
		}
		l.res.WatchNotes++
	}
	return nil
}
