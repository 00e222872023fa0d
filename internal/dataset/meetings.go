package dataset

import (
	"context"
	"fmt"
	"math/rand/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// The meetings and actions of a dataset: SPEC §6's 30,000 meetings and
// 150,000 action items for L (15 and 75 a unit), drawn from their own
// random stream after everything else, so they leave the rest of the data
// as it was. Meetings are with accounts, organised by the account's
// relationship manager (or a staff member), over the two years before the
// end and the half year after it: past ones mostly held (most with
// published minutes), a few cancelled or not yet marked; future ones
// planned. Each has its organiser and one to three of the account's
// contacts as participants; service reviews carry the built-in agenda in
// the account's language. About half the actions come from a meeting (its
// account, due after it); the rest belong to an account directly. Due
// dates spread over the last year and the next quarter; past ones are
// mostly done, some still open (overdue) or cancelled.

// Meetings is the number of meetings of the plan.
func (p Plan) Meetings() int { return p.Units * 15 }

// Actions is the number of action items of the plan.
func (p Plan) Actions() int { return p.Units * 75 }

var meetingTitles = map[liaison.MeetingType]string{
	liaison.MeetingServiceReview: "Service review %s",
	liaison.MeetingPlanning:      "Planning meeting %s",
	liaison.MeetingBudget:        "Budget meeting %s",
	liaison.MeetingSteeringGroup: "Steering group %s",
	liaison.MeetingOther:         "Meeting with %s",
}

var actionTitles = []string{"Send the minutes to %s", "Prepare the SLA report for %s", "Follow up the workload figures of %s",
	"Check the invoice of %s", "Propose a service change to %s", "Book the next review with %s", "Answer the open question of %s",
	"Update the contact list of %s", "Skicka offert till %s", "Toimita raportti: %s", "跟进 %s 的需求"}

// meetingAccount is an account with the people meetings may invite.
type meetingAccount struct {
	u      *unit
	people []*person
}

// loadMeetings draws and writes the plan's meetings and actions.
func (w *world) loadMeetings(ctx context.Context, b *sqlstore.BulkTx) error {
	n := w.plan.Meetings()
	if n == 0 || len(w.managers)+len(w.staff) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(w.seed, 0x3ee71c))
	var accounts []*meetingAccount
	byAccount := map[*unit]*meetingAccount{}
	for _, u := range w.units {
		if u.o.BudgetHolder {
			a := &meetingAccount{u: u}
			accounts, byAccount[u] = append(accounts, a), a
		}
	}
	for _, p := range w.people {
		if p.trash == trashNone && p.unit.account != nil {
			if a := byAccount[p.unit.account]; a != nil {
				a.people = append(a.people, p)
			}
		}
	}
	if len(accounts) == 0 {
		return nil
	}
	agendas := map[liaison.Language]string{} // the built-in review agenda by language
	agenda := func(l liaison.Language) string {
		if _, ok := agendas[l]; !ok {
			agendas[l] = i18n.For(l).T("meeting.template.service_review.agenda")
		}
		return agendas[l]
	}
	organisers := append(append([]*liaison.User{}, w.managers...), w.staff...)
	meetings := make([]*liaison.Meeting, 0, n)
	for range n {
		a := accounts[rng.IntN(len(accounts))]
		at := w.between(w.end-730*day, w.end+182*day)
		at -= at % (15 * minute)
		m := &liaison.Meeting{OrganisationID: a.u.o.ID, Type: pickType(rng), Form: liaison.MeetingForms[rng.IntN(len(liaison.MeetingForms))],
			StartsAt: ts(at), EndsAt: ts(at + int64(1+rng.IntN(4))*30*minute), Version: 1}
		m.ID = w.newID(min(at, w.end))
		m.Title = fmt.Sprintf(meetingTitles[m.Type], a.u.o.Name)
		org := a.u.o.RelationshipManagerID
		if org == nil || rng.IntN(5) == 0 {
			org = &organisers[rng.IntN(len(organisers))].ID
		}
		m.OrganiserID = org
		m.Participants = []liaison.MeetingParticipant{{UserID: org}}
		for k := range min(1+rng.IntN(3), len(a.people)) {
			p := a.people[(rng.IntN(len(a.people))+k)%len(a.people)]
			dup := false
			for _, x := range m.Participants {
				dup = dup || (x.PersonID != nil && *x.PersonID == p.p.ID)
			}
			if !dup {
				m.Participants = append(m.Participants, liaison.MeetingParticipant{PersonID: &p.p.ID})
			}
		}
		if m.Type == liaison.MeetingServiceReview {
			m.Agenda = agenda(a.u.tree.lang)
		}
		created := min(at-int64(7+rng.IntN(30))*day, w.end)
		m.CreatedAt, m.UpdatedAt, m.Status = ts(created), ts(created), liaison.MeetingPlanned
		if at < w.end {
			switch r := rng.IntN(20); {
			case r < 1:
				m.Status = liaison.MeetingCancelled
			case r < 3: // not yet marked held
			default:
				m.Status, m.Minutes = liaison.MeetingHeld, "Went through the agenda with "+a.u.o.Name+". Follow-up actions agreed."
				done := min(at+int64(1+rng.IntN(5))*day, w.end)
				m.UpdatedAt = ts(done)
				if rng.IntN(3) > 0 {
					m.PublishedAt = liaison.Ptr(ts(done))
				}
			}
		} else if rng.IntN(25) == 0 {
			m.Status = liaison.MeetingCancelled
		}
		meetings = append(meetings, m)
	}
	w.meetings = len(meetings)
	if err := b.Meetings(ctx, meetings); err != nil {
		return err
	}
	actions := w.buildActions(rng, accounts, meetings, organisers)
	w.actions = len(actions)
	return b.ActionRows(ctx, actions)
}

func pickType(rng *rand.Rand) liaison.MeetingType {
	switch r := rng.IntN(20); {
	case r < 8:
		return liaison.MeetingServiceReview
	case r < 12:
		return liaison.MeetingPlanning
	case r < 15:
		return liaison.MeetingBudget
	case r < 17:
		return liaison.MeetingSteeringGroup
	}
	return liaison.MeetingOther
}

// buildActions draws the plan's action items.
func (w *world) buildActions(rng *rand.Rand, accounts []*meetingAccount, meetings []*liaison.Meeting, owners []*liaison.User) []*sqlstore.ActionRow {
	n := w.plan.Actions()
	names := map[string]string{}
	for _, a := range accounts {
		names[a.u.o.ID] = a.u.o.Name
	}
	out := make([]*sqlstore.ActionRow, 0, n)
	for range n {
		a := &sqlstore.ActionRow{Status: "open"}
		var created, due int64
		if rng.IntN(2) == 0 && len(meetings) > 0 {
			m := meetings[rng.IntN(len(meetings))]
			a.MeetingID, a.OrganisationID = &m.ID, &m.OrganisationID
			created = m.StartsAt.UnixMicro()
			due = created + int64(7+rng.IntN(60))*day
		} else {
			acct := accounts[rng.IntN(len(accounts))].u.o
			a.OrganisationID = &acct.ID
			due = w.between(w.end-365*day, w.end+90*day)
			created = due - int64(7+rng.IntN(60))*day
		}
		created = min(created, w.end)
		owner := owners[rng.IntN(len(owners))]
		a.OwnerID, a.CreatedByID = &owner.ID, &owner.ID
		a.Title = fmt.Sprintf(actionTitles[rng.IntN(len(actionTitles))], names[*a.OrganisationID])
		a.DueDate = liaison.Ptr(ts(due).Format(liaison.DateLayout))
		a.ID = w.newID(created)
		a.CreatedAt, a.UpdatedAt = ts(created), ts(created)
		r := rng.IntN(20)
		if due < w.end {
			switch {
			case r < 12:
				a.Status = "done"
			case r < 14:
				a.Status = "cancelled"
			}
		} else if r < 2 {
			a.Status = "done"
		}
		if a.Status == "done" {
			doneAt := min(max(created, due-int64(rng.IntN(10))*day), w.end)
			a.DoneAt, a.UpdatedAt = liaison.Ptr(ts(doneAt)), ts(doneAt)
		}
		out = append(out, a)
	}
	return out
}
