package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// UnitView is everything the unit and account page shows about one unit.
type UnitView struct {
	Unit     *liaison.Organisation
	Chain    []*liaison.Organisation // the root first, the unit last: breadcrumbs
	Account  *liaison.Organisation   // the nearest account at or above the unit; nil when none
	Children []*liaison.Organisation
	Decision *liaison.Decision
	Warnings []liaison.Warning
	Stale    bool
	Manager  *liaison.User
	Deputy   *liaison.User
	Segment  *liaison.Segment
	People   []*liaison.Person // people belonging to the unit
	Roles    []RoleView        // roles held at the unit
	Timeline []liaison.TimelineItem
	// Meetings of an account: the next planned ones, soonest first, and
	// the latest that started, latest first (the overview's Meetings).
	UpcomingMeetings []*liaison.Meeting
	RecentMeetings   []*liaison.Meeting
	// CanWrite: the viewer may change the unit's data; CanCurate: its
	// portfolio fields (budget holder, manager, deputy, segment) too.
	CanWrite  bool
	CanCurate bool
	// Followers of an account (SPEC C12), oldest first; Following: the
	// viewer is one; CanFollow: the viewer may follow or unfollow it.
	Followers []*liaison.Follow
	Following bool
	CanFollow bool
}

// maxFollowersShown is how many of an account's followers its page names.
const maxFollowersShown = 500

// RoleView is a role with the person holding it and their designated IT contact.
type RoleView struct {
	Role      *liaison.ContactRole
	Person    *liaison.Person
	ITContact *liaison.User // explicit, else the account's relationship manager
	Inherited bool          // the IT contact comes from the account, not the role
}

// AccountView gathers a unit's page: the unit, where it sits, who decides,
// the account's warnings, its people and roles, and its latest events.
func (a *App) AccountView(ctx context.Context, id string) (*UnitView, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return nil, err
	}
	chain, err := a.Store.OrganisationChain(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &UnitView{Unit: chain[0], Account: liaison.NearestAccount(chain)}
	for i := len(chain) - 1; i >= 0; i-- {
		v.Chain = append(v.Chain, chain[i])
	}
	parent := id
	if v.Children, _, err = a.Store.FindOrganisations(ctx, liaison.OrganisationFilter{ParentID: &parent, Limit: 500}); err != nil {
		return nil, err
	}
	if v.Decision, err = a.Store.WhoDecides(ctx, id); err != nil {
		return nil, err
	}
	settings, err := a.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	u := v.Unit
	v.Warnings = liaison.AccountWarnings(u, v.Decision.Customer != nil && v.Decision.Account != nil && v.Decision.Account.ID == u.ID, a.Now(), settings.StaleReviewMonths)
	for _, w := range v.Warnings {
		if w.Code == "review_stale" || w.Code == "never_reviewed" {
			v.Stale = true
		}
	}
	users := map[string]*liaison.User{}
	user := func(id *string) *liaison.User {
		if id == nil {
			return nil
		}
		if u, ok := users[*id]; ok {
			return u
		}
		u, err := a.Store.FindUserByID(ctx, *id)
		if err != nil {
			u = nil
		}
		users[*id] = u
		return u
	}
	v.Manager, v.Deputy = user(u.RelationshipManagerID), user(u.DeputyID)
	if u.Segment != "" {
		if s, err := a.Store.FindSegmentByID(ctx, u.Segment); err == nil {
			v.Segment = s
		}
	}
	if v.People, _, err = a.Store.FindPeople(ctx, liaison.PersonFilter{OrganisationID: id, Limit: 500}); err != nil {
		return nil, err
	}
	roles, _, err := a.Store.FindRoles(ctx, liaison.RoleFilter{OrganisationID: id, Limit: 500})
	if err != nil {
		return nil, err
	}
	people := map[string]*liaison.Person{}
	for _, pp := range v.People {
		people[pp.ID] = pp
	}
	for _, r := range roles {
		person, ok := people[r.PersonID]
		if !ok {
			if person, err = a.Store.FindPersonByID(ctx, r.PersonID); err != nil {
				continue // the person is in the trash
			}
		}
		rv := RoleView{Role: r, Person: person, Inherited: r.ITContactUserID == nil}
		if r.Role == liaison.RoleCustomer || r.Role == liaison.RoleOrderer {
			rv.ITContact = user(liaison.ITContact(r, v.Account))
		} else {
			rv.ITContact = user(r.ITContactUserID)
		}
		v.Roles = append(v.Roles, rv)
	}
	entries, _, err := a.Store.FindAuditEntries(ctx, timelineOf(u, 20))
	if err != nil {
		return nil, err
	}
	v.Timeline = liaison.Timeline(entries)
	if u.BudgetHolder {
		if v.UpcomingMeetings, err = a.UpcomingMeetings(ctx, id, 5); err != nil {
			return nil, err
		}
		if v.RecentMeetings, err = a.RecentMeetings(ctx, id, 5); err != nil {
			return nil, err
		}
	}
	v.CanWrite = a.canWriteUnit(ctx, id) == nil
	if v.Unit.BudgetHolder {
		if v.Followers, _, err = a.Store.FindFollows(ctx, liaison.FollowFilter{AccountID: id, Limit: maxFollowersShown}); err != nil {
			return nil, err
		}
		for _, f := range v.Followers {
			v.Following = v.Following || f.UserID == p.User.ID
		}
		v.CanFollow = liaison.CheckFollower(p) == nil
	}
	v.CanCurate = p.Allows(liaison.AccessCurate)
	return v, nil
}
