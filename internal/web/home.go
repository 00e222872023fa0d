package web

import (
	"context"
	"strconv"

	"github.com/liaisonhq/liaison"
)

// The home page's agreement dates coming up and its coverage figure.

// maxUpcoming is how many dates the home page lists; a link leads to the rest.
const maxUpcoming = 8

// upcomingRow is an agreement date as the home page lists it.
type upcomingRow struct {
	Kind     string // end, notice, review
	Date     string // YYYY-MM-DD
	DaysLeft int
	A        *liaison.Agreement
	Account  *liaison.Organisation
}

// upcoming is the home page's "Coming up" panel.
type upcoming struct {
	Rows   []upcomingRow
	Total  int
	Window int    // the largest reminder window, in days
	All    bool   // every account's dates, not only the user's
	More   string // the agreements list, when there are more dates than rows
}

// homeUpcoming fills the panel: the dates of the accounts the user manages
// or deputises; of every account for a head, an admin, or anyone who holds
// no account (staff and viewers see what the home page's account list
// shows them: all of them). known resolves account names without a query
// where it can.
func (h *Handler) homeUpcoming(ctx context.Context, p *Page, known []*liaison.Organisation, days []int, holdsAccounts bool) (upcoming, error) {
	u := upcoming{All: p.User.Role == liaison.RoleHead || p.User.Role == liaison.RoleAdmin || !holdsAccounts}
	manager := p.User.ID
	if u.All {
		manager = ""
	}
	if len(days) == 0 {
		days = liaison.DefaultReminderDays
	}
	for _, d := range days {
		u.Window = max(u.Window, d)
	}
	dates, total, err := h.app.Upcoming(ctx, manager, maxUpcoming)
	if err != nil {
		return u, err
	}
	u.Total = total
	units := map[string]*liaison.Organisation{}
	for _, o := range known {
		units[o.ID] = o
	}
	for _, d := range dates {
		acct, ok := units[d.Agreement.OrganisationID]
		if !ok {
			acct, _ = h.app.Organisation(ctx, d.Agreement.OrganisationID)
			units[d.Agreement.OrganisationID] = acct
		}
		u.Rows = append(u.Rows, upcomingRow{Kind: string(d.Kind), Date: liaison.FormatDate(d.Date), DaysLeft: d.DaysLeft, A: d.Agreement, Account: acct})
	}
	if total > len(u.Rows) {
		u.More = "/agreements?status=active"
		if !u.All {
			u.More += "&mine=1"
		}
	}
	return u, nil
}

// homeCoverage is the home page's service coverage figure.
type homeCoverage struct {
	liaison.Coverage
	Percent string
}

func (h *Handler) homeCoverage(ctx context.Context) (homeCoverage, error) {
	c, err := h.app.SubscriptionCoverage(ctx)
	if err != nil {
		return homeCoverage{}, err
	}
	return homeCoverage{Coverage: c, Percent: strconv.Itoa(int(c.Percent()))}, nil
}
