package app

import (
	"cmp"
	"context"
	"slices"

	liaison "github.com/liaisonhq/liaison"
)

// Action items (SPEC C7, §4, §5): every internal user reads them. An
// action on an account is account data, written by the account's
// relationship manager and deputy, head and admin; staff organise actions
// (they create any) and update the ones assigned to them; the owner may
// always move their own action's status (done, reopen, cancel). An action
// without an account is its creator's and its owner's. Viewers and
// read-only tokens only read.

// ActionRights says what the principal may do with an action, for showing
// or hiding controls.
type ActionRights struct {
	Edit   bool // change its fields, trash it
	Status bool // mark it done, reopen, cancel
}

func canOrganiseActions(p *liaison.Principal) bool {
	return p != nil && p.User != nil && p.Allows(liaison.AccessRead) && p.Scope == liaison.ScopeWrite && p.User.Role != liaison.RoleViewer
}

// actionRights needs the action's account (nil when it has none).
func actionRights(p *liaison.Principal, act *liaison.Action, account *liaison.Organisation) ActionRights {
	if !canOrganiseActions(p) {
		return ActionRights{}
	}
	me := p.User.ID
	owner := act.OwnerID == me
	var edit bool
	switch {
	case p.User.Role == liaison.RoleAdmin || p.User.Role == liaison.RoleHead:
		edit = true
	case p.User.Role == liaison.RoleStaff && owner:
		edit = true // staff update the items assigned to them
	case act.OrganisationID != nil:
		edit = p.CanWriteAccount(account)
	default:
		edit = owner || (act.CreatedByID != nil && *act.CreatedByID == me)
	}
	return ActionRights{Edit: edit, Status: edit || owner}
}

// actionAccount returns the action's account, or nil without one.
func (a *App) actionAccount(ctx context.Context, act *liaison.Action) (*liaison.Organisation, error) {
	if act.OrganisationID == nil {
		return nil, nil
	}
	o, err := a.Store.FindOrganisationByID(ctx, *act.OrganisationID)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil, nil
	}
	return o, err
}

// ActionRights returns what the principal of ctx may do with act.
func (a *App) ActionRights(ctx context.Context, act *liaison.Action) ActionRights {
	acct, err := a.actionAccount(ctx, act)
	if err != nil {
		return ActionRights{}
	}
	return actionRights(liaison.PrincipalFrom(ctx), act, acct)
}

// CanCreateActions reports whether the principal may create actions at all
// (on some account or none): anyone but viewers and read-only tokens.
func (a *App) CanCreateActions(ctx context.Context) bool {
	return canOrganiseActions(liaison.PrincipalFrom(ctx))
}

// canCreateAction: staff, head and admin create any action; a manager
// creates actions without an account or on the accounts they write.
func (a *App) canCreateAction(ctx context.Context, act *liaison.Action) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	if !canOrganiseActions(p) {
		return readOnlyOr(p, "Viewers may not create actions.")
	}
	if p.User.Role != liaison.RoleManager || act.OrganisationID == nil {
		return nil
	}
	acct, err := a.actionAccount(ctx, act)
	if err != nil {
		return err
	}
	if acct != nil && !p.CanWriteAccount(acct) {
		return forbidden("Only the account's relationship manager or deputy, staff, the head of service management or an administrator may create actions on this account.")
	}
	return nil
}

// fromMeeting gives an action with a meeting the meeting's account, so
// that rights are checked on the account the store will record.
func (a *App) fromMeeting(ctx context.Context, act *liaison.Action) error {
	if act.MeetingID == nil {
		return nil
	}
	m, err := a.Store.ActionMeeting(ctx, *act.MeetingID)
	if err != nil {
		return err
	}
	act.OrganisationID = &m.OrganisationID
	return nil
}

// ActionMeeting returns the title and account of a live meeting, for the
// form that adds an action to it.
func (a *App) ActionMeeting(ctx context.Context, meetingID string) (*liaison.MeetingRef, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.ActionMeeting(ctx, meetingID)
}

func (a *App) today() string { return liaison.FormatDate(liaison.DateOf(a.Now())) }

// Action returns an action.
func (a *App) Action(ctx context.Context, id string) (*liaison.Action, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindActionByID(ctx, id)
}

// Actions lists actions; the trash needs curate rights. Overdue compares
// with today on the App's clock.
func (a *App) Actions(ctx context.Context, f liaison.ActionFilter) ([]*liaison.Action, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	if f.Today == "" {
		f.Today = a.today()
	}
	return a.Store.FindActions(ctx, f)
}

// MyActionCounts counts the signed-in user's open and overdue actions.
func (a *App) MyActionCounts(ctx context.Context) (liaison.ActionCounts, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return liaison.ActionCounts{}, err
	}
	return a.Store.CountActions(ctx, p.User.ID, a.today())
}

// CreateAction records an action; the owner defaults to the creator.
func (a *App) CreateAction(ctx context.Context, act *liaison.Action) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	if !canOrganiseActions(p) {
		return readOnlyOr(p, "Viewers may not create actions.")
	}
	act.Normalize()
	if act.OwnerID == "" {
		act.OwnerID = p.User.ID
	}
	if err := act.Validate(); err != nil {
		return err
	}
	if err := a.fromMeeting(ctx, act); err != nil {
		return err
	}
	if err := a.canCreateAction(ctx, act); err != nil {
		return err
	}
	return a.Store.CreateAction(ctx, act)
}

// UpdateAction saves act, the action's full new state, its status
// included. The owner who may not edit it may still change its status.
func (a *App) UpdateAction(ctx context.Context, act *liaison.Action, ifVersion int) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindActionByID(ctx, act.ID)
	if err != nil {
		return err
	}
	act.Normalize()
	r := a.ActionRights(ctx, cur)
	if !r.Status {
		return readOnlyOr(p, "Only the action's owner, the account's relationship manager or deputy, the head of service management or an administrator may change this action.")
	}
	if actionFieldsChanged(cur, act) {
		if !r.Edit {
			return forbidden("As the action's owner you may change its status; its other fields are the account's relationship manager's or deputy's, the head of service management's or an administrator's.")
		}
		if err := a.fromMeeting(ctx, act); err != nil {
			return err
		}
		if !same(cur.OrganisationID, act.OrganisationID) && act.OrganisationID != nil {
			// Moving an action onto an account needs the right to create it there.
			if err := a.canCreateAction(ctx, act); err != nil {
				return err
			}
		}
	}
	if err := liaison.CheckActionTransition(cur.Status, act.Status); err != nil {
		return err
	}
	if err := act.Validate(); err != nil {
		return err
	}
	return a.Store.UpdateAction(ctx, act, ifVersion)
}

// actionFieldsChanged reports whether anything but the status differs.
func actionFieldsChanged(cur, n *liaison.Action) bool {
	return cur.Title != n.Title || cur.Description != n.Description || !same(cur.OrganisationID, n.OrganisationID) ||
		!same(cur.MeetingID, n.MeetingID) || cur.OwnerID != n.OwnerID || !same(cur.DueDate, n.DueDate)
}

// SetActionStatus moves an action to status to: done, reopen, cancel.
func (a *App) SetActionStatus(ctx context.Context, id string, to liaison.ActionStatus, ifVersion int) (*liaison.Action, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	cur, err := a.Store.FindActionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	n := *cur
	n.Status = to
	if err := a.UpdateAction(ctx, &n, ifVersion); err != nil {
		return nil, err
	}
	return &n, nil
}

// DeleteAction moves an action to the trash: whoever may edit it.
func (a *App) DeleteAction(ctx context.Context, id string, ifVersion int) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindActionByID(ctx, id)
	if err != nil {
		return err
	}
	if !a.ActionRights(ctx, cur).Edit {
		return readOnlyOr(p, "Only the account's relationship manager or deputy, the head of service management or an administrator may delete this action.")
	}
	return a.Store.DeleteAction(ctx, id, ifVersion)
}

// RestoreAction brings an action back from the trash: head and admin.
func (a *App) RestoreAction(ctx context.Context, id string) (*liaison.Action, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreAction(ctx, id)
}

// MeetingActions lists the live actions of a meeting, soonest due first:
// the meeting page's action list.
func (a *App) MeetingActions(ctx context.Context, meetingID string) ([]*liaison.Action, error) {
	as, _, err := a.Actions(ctx, liaison.ActionFilter{MeetingID: meetingID, Limit: 500})
	return as, err
}

// ReviewsDue lists the agreement customers whose service review is
// overdue or due within liaison.ReviewSoonDays (state "overdue" or "due"
// keeps one of them): overdue first, the longest overdue (never reviewed)
// first, then by due date.
func (a *App) ReviewsDue(ctx context.Context, f liaison.ReviewFilter, state liaison.ReviewState) ([]*liaison.ReviewDue, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	if state != "" && state != liaison.ReviewOverdue && state != liaison.ReviewDueSoon {
		var v liaison.Validation
		v.Add("state", liaison.CodeInvalid, "review.error.state_invalid", "must be overdue or due")
		return nil, v.Err()
	}
	rs, err := a.Store.ReviewCadence(ctx, f)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	out := []*liaison.ReviewDue{}
	for _, r := range rs {
		r.Apply(now)
		if r.State == liaison.ReviewOK || (state != "" && r.State != state) {
			continue
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(x, y *liaison.ReviewDue) int {
		if c := cmp.Compare(rank(x), rank(y)); c != 0 {
			return c
		}
		return cmp.Compare(deref(x.DueDate), deref(y.DueDate))
	})
	return out, nil
}

// rank orders the cadence list: never reviewed, overdue, due soon.
func rank(r *liaison.ReviewDue) int {
	switch {
	case r.DueDate == nil:
		return 0
	case r.State == liaison.ReviewOverdue:
		return 1
	}
	return 2
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
