package dataset

import (
	"fmt"
	"math/rand/v2"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// The complaints of a dataset: SPEC §6's 100,000 for L (50 a unit), drawn
// from their own random stream after everything else, so they leave the
// rest of the data as it was. Each comes from a person of a unit (the
// account derived), about a service the account uses two times in three,
// through any channel; one in ten is a suggestion and one in twenty a
// service request. The older a complaint, the further its handling got:
// complaints of the last month are mostly open, older ones mostly
// closed. The coordinator is a staff member; the responsible party is
// the service's owner or the account's relationship manager. Bulk data
// raises no recurrence escalations.

// Complaints is the number of complaints of the plan.
func (p Plan) Complaints() int { return p.Units * 50 }

var complaintTitles = []string{"%s is slow in the mornings", "%s unavailable for two hours", "Wrong invoice for %s",
	"No answer from the service desk about %s", "%s: login fails after the update", "Poor quality of %s on video calls",
	"%s stopped working after the move", "Late delivery of %s", "%s går inte att nå", "%s toimii hitaasti", "%s 经常中断"}

var complaintCategories = []string{"availability", "performance", "quality", "communication", "delivery", "billing", "security", "other"}

// buildComplaints draws the plan's complaints over services.
func (w *world) buildComplaints(services []*liaison.Service, subs []*liaison.Subscription) []*liaison.Complaint {
	n := w.plan.Complaints()
	if n == 0 || len(w.people) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(w.seed, 0xc0a1a17))
	between := func(lo, hi int64) int64 {
		if hi <= lo {
			return lo
		}
		return lo + rng.Int64N(hi-lo)
	}
	byID := map[string]*liaison.Service{}
	for _, s := range services {
		byID[s.ID] = s
	}
	uses := map[string][]*liaison.Service{} // by account
	for _, s := range subs {
		uses[s.OrganisationID] = append(uses[s.OrganisationID], byID[s.ServiceID])
	}
	var reporters []*person
	for _, p := range w.people {
		if p.trash == trashNone && p.unit.account != nil {
			reporters = append(reporters, p)
		}
	}
	if len(reporters) == 0 || len(w.staff) == 0 {
		return nil
	}
	const day = int64(24 * time.Hour / time.Microsecond)
	out := make([]*liaison.Complaint, 0, n)
	for i := range n {
		p := reporters[rng.IntN(len(reporters))]
		acct := p.unit.account
		at := between(max(p.created, w.end-365*day), w.end)
		c := &liaison.Complaint{OrganisationID: p.unit.o.ID, AccountID: acct.o.ID, ReporterPersonID: &p.p.ID,
			Channel:  liaison.ComplaintChannels[rng.IntN(len(liaison.ComplaintChannels))],
			Severity: liaison.Severities[min(rng.IntN(10)/3, 3)], Category: complaintCategories[rng.IntN(len(complaintCategories))],
			CoordinatorID: &w.staff[rng.IntN(len(w.staff))].ID, ReceivedAt: ts(at), Version: 1, CreatedAt: ts(at), UpdatedAt: ts(at)}
		c.ID = w.newID(at)
		what := acct.o.Name
		if us := uses[acct.o.ID]; len(us) > 0 && rng.IntN(3) > 0 {
			s := us[rng.IntN(len(us))]
			c.ServiceID, what = &s.ID, s.Name
			c.ResponsibleID = s.OwnerID
		}
		if c.ResponsibleID == nil {
			c.ResponsibleID = acct.o.RelationshipManagerID
		}
		c.Title = fmt.Sprintf(complaintTitles[rng.IntN(len(complaintTitles))], what)
		c.Description = "Reported by " + p.p.Name + "."
		switch r := rng.IntN(20); {
		case r < 2:
			c.Classification = liaison.ClassSuggestion
		case r == 2:
			c.Classification, c.ExternalTicket = liaison.ClassServiceRequest, fmt.Sprintf("SD-%06d", i+1)
		default:
			c.Classification = liaison.ClassComplaint
		}
		// How far its handling got grows with its age.
		age := (w.end - at) / day
		step := min(int(age/7), 5)
		if step > 0 {
			step = rng.IntN(step + 1)
		}
		if age > 60 {
			step = 5 - rng.IntN(2)
		}
		c.Status = liaison.ComplaintStatuses[step]
		updated := at
		if step >= 4 {
			resolved := between(at+day/4, min(at+40*day, w.end))
			c.ResolvedAt, updated = liaison.Ptr(ts(resolved)), resolved
			c.RootCause = "Found and fixed by the service's team."
		}
		if step == 5 {
			closed := between(updated, min(updated+7*day, w.end))
			c.ClosedAt, updated = liaison.Ptr(ts(closed)), closed
		}
		c.UpdatedAt = ts(updated)
		out = append(out, c)
	}
	return out
}
