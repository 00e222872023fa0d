package demo

import (
	"context"
	"fmt"

	liaison "github.com/liaisonhq/liaison"
)

// Action items and service reviews of Region Norrsken (SPEC C7): the
// managers' actions on their accounts, from last spring's reviews and
// their own follow-up, some overdue and some done; one agreement customer
// (Hälso- och sjukvård) reviewed eleven months ago, so its review falls
// due within 30 days, one (Socialförvaltningen) last reviewed well over a
// year ago, so it is overdue, and one (Norrskenssjukhuset) on time.

// ReviewDueSoonAccount and ReviewOverdueAccount are the demo's agreement
// customers whose service review is due within 30 days and overdue (their
// held reviews are in meetings.go).
const (
	ReviewDueSoonAccount = "hs"
	ReviewOverdueAccount = "social"
)

// actionSpec is a demo action: created by the account's manager (or the
// owner for one without an account), due days from today (negative: past).
type actionSpec struct {
	title, description string
	account            string // unit key; "" for none
	owner              string // user key
	due                int
	noDue              bool
	status             liaison.ActionStatus
}

var actionSpecs = []actionSpec{
	{title: "Skicka SLA-rapporten för kvartalet till förvaltningschefen", account: "hs", owner: "anna", due: -6,
		description: "Tillgänglighet och incidenter per tjänst, med kommentar om driftstoppet i mars."},
	{title: "Boka tjänsteuppföljning med Hälso- och sjukvård", account: "hs", owner: "anna", due: 12,
		description: "Förslag på datum till Karin Berg; dagordning enligt mallen för tjänsteuppföljning."},
	{title: "Ta fram förslag på utökat servicefönster nattetid", account: "hospital", owner: "johan", due: -15,
		description: "Akutkliniken vill ha kortare inloggningstid på nattskiftet."},
	{title: "Stäm av licensbehovet för journalsystemet", account: "hospital", owner: "johan", due: 21},
	{title: "Återkoppla om utbildningsplattformen till rektorerna", account: "polaris", owner: "anna", due: -2},
	{title: "Uppdatera kontaktlistan för skolorna", account: "edu", owner: "mikael", due: 30, status: liaison.ActionDone},
	{title: "Sammanställ frågor inför budgetmötet", account: "social", owner: "anna", due: -30, status: liaison.ActionDone,
		description: "Kostnad per användare för hemtjänstens mobila enheter."},
	{title: "Planera tjänsteuppföljning med Socialförvaltningen", account: "social", owner: "elin", due: -3,
		description: "Senaste uppföljningen hölls för över ett år sedan."},
	{title: "Beställ nya läsplattor till hemtjänsten", account: "social", owner: "lena", due: 5},
	{title: "Kontrollera avtalsvillkoren för kulturhusets biljettsystem", account: "culture", owner: "elin", due: 45},
	{title: "Ställ in mötet om museets webbplats", account: "museum", owner: "elin", due: -40, status: liaison.ActionCancelled},
	{title: "Selvitä sopimusasiakkaan raportointitarpeet", account: "fi", owner: "mikko", due: 14},
	{title: "确认苏州办公室的网络升级时间", account: "cn", owner: "chen", due: 7},
	{title: "Läs in dig på den nya IT-strategin", owner: "anna", noDue: true},
}

// createActions records the service reviews held and the action items.
func (l *loader) createActions(ctx context.Context) error {
	for _, s := range actionSpecs {
		a := &liaison.Action{Title: s.title, Description: s.description, OwnerID: l.users[s.owner].ID}
		creator := l.users[s.owner]
		if s.account != "" {
			acct := l.units[s.account]
			a.OrganisationID = &acct.ID
			// The account's manager writes it, but staff note their own actions.
			if creator.Role != liaison.RoleStaff {
				creator = l.userByID(*acct.RelationshipManagerID)
			}
		}
		if !s.noDue {
			a.DueDate = liaison.Ptr(liaison.FormatDate(l.today.AddDate(0, 0, s.due)))
		}
		as := liaison.WithPrincipal(ctx, &liaison.Principal{User: creator, Scope: liaison.ScopeWrite, Via: "demo"})
		if err := l.a.CreateAction(as, a); err != nil {
			return fmt.Errorf("action %q: %w", s.title, err)
		}
		if s.status != "" && s.status != liaison.ActionOpen {
			if _, err := l.a.SetActionStatus(as, a.ID, s.status, a.Version); err != nil {
				return fmt.Errorf("action %q: %w", s.title, err)
			}
		}
		l.res.Actions++
	}
	return nil
}

// userByID returns the demo user with the id.
func (l *loader) userByID(id string) *liaison.User {
	for _, u := range l.users {
		if u.ID == id {
			return u
		}
	}
	return l.users["head"]
}
