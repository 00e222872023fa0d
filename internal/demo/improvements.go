package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// improvementSpec is a demo improvement suggestion (SPEC C9): who proposed
// it, what it affects, how far it got, its progress and the accounts that
// raised the demand.
type improvementSpec struct {
	title, description, benefit string
	origin                      liaison.ImprovementOrigin
	proposer, owner             string   // user keys; "" for no owner
	services, accounts          []string // service and unit keys
	path                        []liaison.ImprovementStatus
	note, effect                string // decision note, realised effect
	updates                     []updateSpec
	raisedBy                    []raiseSpec
}

type updateSpec struct {
	daysAgo int
	note    string
	visible bool
}

type raiseSpec struct {
	account string
	daysAgo int
	note    string
}

var (
	approve  = []liaison.ImprovementStatus{liaison.ImprovementApproved}
	started  = []liaison.ImprovementStatus{liaison.ImprovementApproved, liaison.ImprovementInProgress}
	finished = []liaison.ImprovementStatus{liaison.ImprovementApproved, liaison.ImprovementInProgress, liaison.ImprovementDone}
	rejected = []liaison.ImprovementStatus{liaison.ImprovementRejected}
)

var improvementSpecs = []improvementSpec{
	{title: "Skolplattformen som mobilapp", origin: liaison.OriginSurvey, proposer: "anna",
		description: "I vårens nöjd-kund-undersökning ber lärare och elever om en mobilapp för närvaro och schema; i dag fungerar skolplattformen bara i webbläsaren.",
		benefit:     "Närvaron registreras i klassrummet i stället för i efterhand; färre frågor till servicedesken om inloggning.",
		services:    []string{"school"}, accounts: []string{"polaris", "edu"},
		raisedBy: []raiseSpec{{"polaris", 60, "Rektorn vid tjänsteuppföljningen"}, {"edu", 35, "Förvaltningschefen, budgetmötet"},
			{"adult", 12, "Enkätsvar från vuxenutbildningens lärare"}}},
	{title: "Självservice för lösenordsåterställning", origin: liaison.OriginComplaint, proposer: "lena", owner: "jukka",
		description: "Klagomål från vården: nattpersonal blir utelåst när lösenordet gått ut och servicedesken har stängt. Kan inte lösas inom nuvarande servicenivå (servicedesken är öppen 7–17).",
		benefit:     "Personalen återställer själv dygnet runt; färre samtal till servicedesken.",
		services:    []string{"workplace"}, accounts: []string{"hospital", "primary"}, path: started,
		note: "Godkänt: ryms i arbetsplatstjänstens förvaltningsbudget.",
		updates: []updateSpec{{40, "Leverantörens självservicemodul utvärderad; BankID-inloggning valt.", false},
			{14, "Pilot på Akutkliniken och Vårdcentral Forsbacka startar i nästa vecka.", true}},
		raisedBy: []raiseSpec{{"hospital", 90, "Klagomål från Akutkliniken"}, {"primary", 70, ""}}},
	{title: "Kvällsöppen servicedesk vid terminsstart", origin: liaison.OriginReview, proposer: "mikael", owner: "jukka",
		description: "Vid tjänsteuppföljningen med Utbildning: de första två veckorna av varje termin köar lärarna till servicedesken.",
		benefit:     "Kortare kötid vid terminsstart.", services: []string{"workplace", "school"}, accounts: []string{"edu"}, path: finished,
		note:   "Godkänt för höstterminen som försök.",
		effect: "Medianväntetiden vid terminsstart sjönk från 22 till 6 minuter; 31 % av ärendena kom in efter kl. 17.",
		updates: []updateSpec{{120, "Bemanning för två kvällar i veckan är klar.", true},
			{75, "Försöket avslutat; uppföljning av väntetider pågår.", true}}},
	{title: "Ersätt faxtjänsten med säker digital post", origin: liaison.OriginWatch, proposer: "anna", owner: "lena",
		description: "Omvärldsbevakning: leverantören slutar stödja faxservern 2027. Säker filöverföring kan ersätta faxen för remisser.",
		benefit:     "Inga remisser på papper; tjänsten kan avvecklas.", services: []string{"fax", "files"}, accounts: []string{"hospital"},
		path: approve, note: "Godkänt; samordnas med journalsystemets integrationer."},
	{title: "ERP-raportit suomeksi", origin: liaison.OriginCustomer, proposer: "mikko",
		description: "Norrsken Suomi Oy:n talouspalvelut toivovat ERP-järjestelmän vakioraportteja suomeksi; nyt ne ovat vain ruotsiksi.",
		benefit:     "Vähemmän käännöstyötä kuukausiraportoinnissa.", services: []string{"erp"}, accounts: []string{"fi"},
		raisedBy: []raiseSpec{{"fi", 20, "Talousjohtaja"}}},
	{title: "邮件系统支持中文日历提醒", origin: liaison.OriginManager, proposer: "chen",
		description: "苏州公司希望日历提醒使用中文，并支持农历节假日。", benefit: "减少因节假日造成的会议冲突。",
		services: []string{"mail"}, accounts: []string{"cn"}, path: rejected,
		note: "Avslaget tills vidare: e-posttjänsten byts 2027 och den nya stöder kinesiska helgdagar."},
	{title: "Wifi-täckning på vårdavdelningarna", origin: liaison.OriginComplaint, proposer: "lena", owner: "jukka",
		description: "Återkommande klagomål om tappad uppkoppling för mobila journalenheter på Medicinkliniken.",
		benefit:     "Journalföring vid sängen utan avbrott.", services: []string{"network"}, accounts: []string{"hospital"}, path: finished,
		note:   "Godkänt; akut patientsäkerhetsfråga.",
		effect: "12 nya accesspunkter; inga klagomål om tappad uppkoppling sedan installationen (mot 9 i kvartalet före).",
		updates: []updateSpec{{50, "Mätning av täckningen klar; 12 accesspunkter behövs.", false},
			{21, "Installationen klar på avdelning 12 och 14.", true}}},
}

// createImprovements records the demo's improvement suggestions, decided
// by the head of service management and carried out by their owners.
func (l *loader) createImprovements(ctx context.Context) error {
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
	as := func(key string) context.Context {
		return liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[key], Scope: liaison.ScopeWrite, Via: "demo"})
	}
	for _, spec := range improvementSpecs {
		i := &liaison.Improvement{Title: spec.title, Description: spec.description, ExpectedBenefit: spec.benefit, Origin: spec.origin}
		for _, k := range spec.services {
			id, ok := byKey[k]
			if !ok {
				return fmt.Errorf("improvement %q: unknown service %s", spec.title, k)
			}
			i.ServiceIDs = append(i.ServiceIDs, id)
		}
		for _, k := range spec.accounts {
			u := l.units[k]
			if u == nil {
				return fmt.Errorf("improvement %q: unknown account %s", spec.title, k)
			}
			i.OrganisationIDs = append(i.OrganisationIDs, u.ID)
		}
		if spec.owner != "" {
			i.OwnerID = &l.users[spec.owner].ID
		}
		if err := l.a.CreateImprovement(as(spec.proposer), i); err != nil {
			return fmt.Errorf("improvement %q: %w", spec.title, err)
		}
		for _, r := range spec.raisedBy {
			// Recorded by the head: the accounts have different managers.
			if _, err := l.a.RaiseImprovement(as("head"), &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: l.units[r.account].ID,
				RaisedOn: liaison.FormatDate(l.today.AddDate(0, 0, -r.daysAgo)), Note: r.note}); err != nil {
				return fmt.Errorf("improvement %q raised by %s: %w", spec.title, r.account, err)
			}
		}
		for n, to := range spec.path {
			actor := "head"
			if n > 0 {
				actor = spec.owner
			}
			if to == liaison.ImprovementInProgress {
				for _, u := range spec.updates {
					if err := l.a.AddImprovementUpdate(as(spec.owner), &liaison.ImprovementUpdate{ImprovementID: i.ID,
						On: liaison.FormatDate(l.today.AddDate(0, 0, -u.daysAgo)), Note: u.note, CustomerVisible: u.visible}); err != nil {
						return fmt.Errorf("improvement %q update: %w", spec.title, err)
					}
				}
			}
			cur, err := l.a.SetImprovementStatus(as(actor), i.ID, to, spec.note, spec.effect, i.Version)
			if err != nil {
				return fmt.Errorf("improvement %q to %s: %w", spec.title, to, err)
			}
			i = cur
		}
		l.res.Improvements++
	}
	return nil
}
