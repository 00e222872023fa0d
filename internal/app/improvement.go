package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Improvement suggestions (SPEC C9, §5): every internal user reads them;
// staff and above propose; the head of service management (and admin)
// decides — approves, rejects or reconsiders; the owner, head and admin
// carry one out (edit it, record progress, move it to in progress and
// done). The proposer may edit a suggestion while it is proposed. The
// accounts that raised a demand are account data: recorded by the
// account's relationship manager or deputy, head and admin.

// ImprovementRights says what the principal may do with an improvement,
// for showing or hiding actions.
type ImprovementRights struct {
	Edit     bool // change its fields
	Decide   bool // approve, reject, reconsider
	Progress bool // start, finish, reopen; add progress updates
	Delete   bool
}

func canPropose(p *liaison.Principal) bool {
	return p.Allows(liaison.AccessRead) && p.Scope == liaison.ScopeWrite && p.User.Role != liaison.RoleViewer
}

func isOwner(p *liaison.Principal, i *liaison.Improvement) bool {
	return i.OwnerID != nil && *i.OwnerID == p.User.ID
}

func isProposer(p *liaison.Principal, i *liaison.Improvement) bool {
	return i.ProposedByID != nil && *i.ProposedByID == p.User.ID
}

func improvementRights(p *liaison.Principal, i *liaison.Improvement) ImprovementRights {
	if p == nil || p.User == nil || !canPropose(p) {
		return ImprovementRights{}
	}
	head := p.Allows(liaison.AccessCurate)
	proposing := i.Status == liaison.ImprovementProposed && isProposer(p, i)
	return ImprovementRights{
		Edit:     head || isOwner(p, i) || proposing,
		Decide:   head,
		Progress: head || isOwner(p, i),
		Delete:   head || proposing,
	}
}

// ImprovementRights returns what the principal of ctx may do with i.
func (a *App) ImprovementRights(ctx context.Context, i *liaison.Improvement) ImprovementRights {
	return improvementRights(liaison.PrincipalFrom(ctx), i)
}

// CanProposeImprovement reports whether the principal may propose improvements.
func (a *App) CanProposeImprovement(ctx context.Context) bool {
	p := liaison.PrincipalFrom(ctx)
	return p != nil && p.User != nil && canPropose(p)
}

func readOnlyOr(p *liaison.Principal, msg string) error {
	if p.Scope != liaison.ScopeWrite {
		return forbidden("This token may only read.")
	}
	return forbidden(msg)
}

// demandAccounts is the setting: how many raising accounts flag a demand.
func (a *App) demandAccounts(ctx context.Context) int {
	s, err := a.Store.Settings(ctx)
	if err != nil || s.DemandAccounts < 2 {
		return liaison.DefaultDemandAccounts
	}
	return s.DemandAccounts
}

func (a *App) flag(ctx context.Context, is ...*liaison.Improvement) {
	n := a.demandAccounts(ctx)
	for _, i := range is {
		i.Flagged = i.RaisedByCount >= n
	}
}

// Improvement returns an improvement.
func (a *App) Improvement(ctx context.Context, id string) (*liaison.Improvement, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	i, err := a.Store.FindImprovementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	a.flag(ctx, i)
	return i, nil
}

// Improvements lists improvements; flagged keeps those raised by at least
// the demand_accounts setting's number of accounts. The trash needs
// curate rights.
func (a *App) Improvements(ctx context.Context, f liaison.ImprovementFilter, flagged bool) ([]*liaison.Improvement, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	if flagged {
		f.MinRaisedBy = max(f.MinRaisedBy, a.demandAccounts(ctx))
	}
	is, next, err := a.Store.FindImprovements(ctx, f)
	if err != nil {
		return nil, "", err
	}
	a.flag(ctx, is...)
	return is, next, nil
}

// DemandAccounts returns the demand_accounts setting.
func (a *App) DemandAccounts(ctx context.Context) (int, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return 0, err
	}
	return a.demandAccounts(ctx), nil
}

// CreateImprovement records a proposed improvement: any internal user but
// a viewer may propose. The complaint process creates one with origin
// complaint and the complaint's id.
func (a *App) CreateImprovement(ctx context.Context, i *liaison.Improvement) error {
	if err := checkProposal(ctx, i); err != nil {
		return err
	}
	if err := a.Store.CreateImprovement(ctx, i); err != nil {
		return err
	}
	a.flag(ctx, i)
	return nil
}

// checkProposal applies the rules of proposing an improvement, whatever
// it is made from: any internal user but a viewer proposes, and i must be
// valid.
func checkProposal(ctx context.Context, i *liaison.Improvement) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	if !canPropose(p) {
		return readOnlyOr(p, "Viewers may not propose improvements.")
	}
	i.Normalize()
	return i.Validate()
}

// UpdateImprovement saves i, the improvement's full new state, its status
// included. A decision (approve, reject, reconsider) is the head of
// service management's or an admin's; other status changes and edits are
// also the owner's, and edits the proposer's while it is proposed.
func (a *App) UpdateImprovement(ctx context.Context, i *liaison.Improvement, ifVersion int) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindImprovementByID(ctx, i.ID)
	if err != nil {
		return err
	}
	i.Normalize()
	r := improvementRights(p, cur)
	if !r.Edit && !r.Decide && !r.Progress {
		return readOnlyOr(p, "Only the improvement's owner, its proposer while it is proposed, the head of service management or an administrator may change it.")
	}
	if i.DecisionNote != cur.DecisionNote && !r.Decide {
		return readOnlyOr(p, "Only the head of service management or an administrator may write the decision note.")
	}
	if i.RealisedEffect != cur.RealisedEffect && !r.Progress {
		return readOnlyOr(p, "Only the improvement's owner, the head of service management or an administrator may record its realised effect.")
	}
	if i.Status != cur.Status {
		if liaison.IsDecision(cur.Status, i.Status) && !r.Decide {
			return readOnlyOr(p, "Only the head of service management or an administrator may approve, reject or reconsider an improvement.")
		}
		if !liaison.IsDecision(cur.Status, i.Status) && !r.Progress {
			return readOnlyOr(p, "Only the improvement's owner, the head of service management or an administrator may move its work along.")
		}
	}
	if fieldsChanged(cur, i) && !r.Edit {
		return readOnlyOr(p, "Only the improvement's owner, its proposer while it is proposed, the head of service management or an administrator may change it.")
	}
	// The lifecycle before the fields: a skipped decision is the news, not a missing field.
	if err := liaison.CheckImprovementTransition(cur.Status, i.Status); err != nil {
		return err
	}
	if err := i.Validate(); err != nil {
		return err
	}
	if err := a.Store.UpdateImprovement(ctx, i, ifVersion); err != nil {
		return err
	}
	a.flag(ctx, i)
	return nil
}

// fieldsChanged reports whether the improvement's own fields (anything but
// its status and the notes a status change records) differ.
func fieldsChanged(cur, n *liaison.Improvement) bool {
	same := func(x, y []string) bool {
		if len(x) != len(y) {
			return false
		}
		for k := range x {
			if x[k] != y[k] {
				return false
			}
		}
		return true
	}
	eq := func(x, y *string) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return cur.Title != n.Title || cur.Description != n.Description || cur.Origin != n.Origin ||
		cur.ExpectedBenefit != n.ExpectedBenefit || !same(cur.ServiceIDs, n.ServiceIDs) ||
		!same(cur.OrganisationIDs, n.OrganisationIDs) || !eq(cur.OwnerID, n.OwnerID) || !eq(cur.ComplaintID, n.ComplaintID)
}

// SetImprovementStatus moves an improvement through its lifecycle with the
// note a decision gives (required to reject) or the effect it realised
// (required for done). Empty note or effect keeps the one recorded.
func (a *App) SetImprovementStatus(ctx context.Context, id string, to liaison.ImprovementStatus, note, effect string, ifVersion int) (*liaison.Improvement, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	cur, err := a.Store.FindImprovementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	n := *cur
	n.Status = to
	if note != "" {
		n.DecisionNote = note
	}
	if effect != "" {
		n.RealisedEffect = effect
	}
	if err := a.UpdateImprovement(ctx, &n, ifVersion); err != nil {
		return nil, err
	}
	return &n, nil
}

// DeleteImprovement moves an improvement to the trash: head and admin, or
// its proposer while it is still proposed.
func (a *App) DeleteImprovement(ctx context.Context, id string, ifVersion int) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindImprovementByID(ctx, id)
	if err != nil {
		return err
	}
	if !improvementRights(p, cur).Delete {
		return readOnlyOr(p, "Only the head of service management, an administrator, or its proposer while it is proposed may delete an improvement.")
	}
	return a.Store.DeleteImprovement(ctx, id, ifVersion)
}

// RestoreImprovement brings an improvement back from the trash.
func (a *App) RestoreImprovement(ctx context.Context, id string) (*liaison.Improvement, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	i, err := a.Store.RestoreImprovement(ctx, id)
	if err != nil {
		return nil, err
	}
	a.flag(ctx, i)
	return i, nil
}

// ImprovementUpdates lists an improvement's progress notes, newest first;
// customerVisible filters them.
func (a *App) ImprovementUpdates(ctx context.Context, improvementID string, customerVisible *bool) ([]*liaison.ImprovementUpdate, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	if _, err := a.Store.FindImprovementByID(ctx, improvementID); err != nil {
		return nil, err
	}
	return a.Store.FindImprovementUpdates(ctx, liaison.ImprovementUpdateFilter{ImprovementID: improvementID, CustomerVisible: customerVisible, Limit: 500})
}

// ImprovementUpdate returns one progress note.
func (a *App) ImprovementUpdate(ctx context.Context, improvementID, id string) (*liaison.ImprovementUpdate, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindImprovementUpdate(ctx, improvementID, id)
}

// AddImprovementUpdate records progress: the owner, head and admin.
func (a *App) AddImprovementUpdate(ctx context.Context, u *liaison.ImprovementUpdate) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindImprovementByID(ctx, u.ImprovementID)
	if err != nil {
		return err
	}
	if !improvementRights(p, cur).Progress {
		return readOnlyOr(p, "Only the improvement's owner, the head of service management or an administrator may record its progress.")
	}
	if u.On == "" {
		u.On = liaison.FormatDate(liaison.DateOf(a.Now()))
	}
	return a.Store.CreateImprovementUpdate(ctx, u)
}

// DeleteImprovementUpdate removes a progress note: its author, the owner, head and admin.
func (a *App) DeleteImprovementUpdate(ctx context.Context, improvementID, id string) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindImprovementByID(ctx, improvementID)
	if err != nil {
		return err
	}
	u, err := a.Store.FindImprovementUpdate(ctx, improvementID, id)
	if err != nil {
		return err
	}
	author := u.AuthorID != nil && *u.AuthorID == p.User.ID && canPropose(p)
	if !author && !improvementRights(p, cur).Progress {
		return readOnlyOr(p, "Only the note's author, the improvement's owner, the head of service management or an administrator may remove it.")
	}
	return a.Store.DeleteImprovementUpdate(ctx, improvementID, id)
}

// ImprovementRaisers lists the accounts that raised the demand.
func (a *App) ImprovementRaisers(ctx context.Context, improvementID string) ([]*liaison.ImprovementRaiser, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	if _, err := a.Store.FindImprovementByID(ctx, improvementID); err != nil {
		return nil, err
	}
	return a.Store.FindImprovementRaisers(ctx, improvementID)
}

// CanRaiseFor reports whether the principal may record that the account raised a demand.
func (a *App) CanRaiseFor(ctx context.Context, accountID string) bool {
	return a.canWriteUnit(ctx, accountID) == nil
}

// RaiseImprovement records that an account raised the demand the
// improvement answers: the account's relationship manager or deputy, head
// and admin. It returns the improvement as it now stands; Flagged turns
// true when the raising accounts reach the demand_accounts setting, which
// surfaces it to the head of service management.
func (a *App) RaiseImprovement(ctx context.Context, r *liaison.ImprovementRaiser) (*liaison.Improvement, error) {
	r.Normalize()
	if r.RaisedOn == "" {
		r.RaisedOn = liaison.FormatDate(liaison.DateOf(a.Now()))
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if _, err := a.Store.FindImprovementByID(ctx, r.ImprovementID); err != nil {
		return nil, err
	}
	if err := a.canWriteUnit(ctx, r.OrganisationID); err != nil {
		return nil, err
	}
	if err := a.Store.AddImprovementRaiser(ctx, r); err != nil {
		return nil, err
	}
	return a.Improvement(ctx, r.ImprovementID)
}

// RemoveImprovementRaiser takes back the record that an account raised the demand.
func (a *App) RemoveImprovementRaiser(ctx context.Context, improvementID, accountID string) error {
	if _, err := a.Store.FindImprovementByID(ctx, improvementID); err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, accountID); err != nil {
		return err
	}
	return a.Store.RemoveImprovementRaiser(ctx, improvementID, accountID)
}

// CustomerImprovement is an improvement as a customer of an account may
// see it: what it is, where it stands, the progress updates marked
// visible to the customer and, once done, the effect it had. Never the
// internal notes, the decision note or the other accounts.
type CustomerImprovement struct {
	ID              string                       `json:"id"`
	Title           string                       `json:"title"`
	Description     string                       `json:"description"`
	ExpectedBenefit string                       `json:"expected_benefit"`
	Status          liaison.ImprovementStatus    `json:"status"`
	RealisedEffect  string                       `json:"realised_effect"`
	Updates         []*liaison.ImprovementUpdate `json:"updates"`
}

// CustomerImprovementProgress is the customer portal's read model: the
// improvements that affect the account or that it raised, except rejected
// ones, each with only its customer-visible progress updates, newest
// first. Internal users read it to see what the customer sees.
func (a *App) CustomerImprovementProgress(ctx context.Context, accountID string) ([]*CustomerImprovement, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	var out []*CustomerImprovement
	byID := map[string]*CustomerImprovement{}
	f := liaison.ImprovementFilter{OrganisationID: accountID, Sort: "-updated_at", Limit: 500}
	for {
		is, next, err := a.Store.FindImprovements(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, i := range is {
			if i.Status == liaison.ImprovementRejected {
				continue
			}
			c := &CustomerImprovement{ID: i.ID, Title: i.Title, Description: i.Description, ExpectedBenefit: i.ExpectedBenefit,
				Status: i.Status, Updates: []*liaison.ImprovementUpdate{}}
			if i.Status == liaison.ImprovementDone {
				c.RealisedEffect = i.RealisedEffect
			}
			out = append(out, c)
			byID[i.ID] = c
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	yes := true
	us, err := a.Store.FindImprovementUpdates(ctx, liaison.ImprovementUpdateFilter{OrganisationID: accountID, CustomerVisible: &yes, Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		if c, ok := byID[u.ImprovementID]; ok {
			c.Updates = append(c.Updates, u)
		}
	}
	return out, nil
}
