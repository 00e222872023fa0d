package app

import (
	"context"

	liaison "github.com/liaisonhq/liaison"
)

// Customer business plans (SPEC C2) are account data: every internal user
// reads them; the account's relationship manager and deputy, head and
// admin write them and mark them reviewed (Principal.CanWriteAccount).
// Staff read them (SPEC §5 gives staff no account data to write here).
// Restoring from the trash is the curators' (head, admin), as elsewhere.
//
// Technology watch notes (SPEC C11) are IT-wide knowledge, not account
// data: every internal user reads them; staff and above (not viewers, not
// read-only tokens) write notes, move them along and turn them into
// improvement suggestions; a note is trashed by its creator, its owner,
// head or admin.

// --- business plans ---

// businessPlanUnit returns the unit of a business plan item, or nil when it does not
// exist (the store then names the missing account).
func (a *App) businessPlanUnit(ctx context.Context, id string) (*liaison.Organisation, error) {
	if id == "" {
		return nil, nil
	}
	o, err := a.Store.FindOrganisationByID(ctx, id)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil, nil
	}
	return o, err
}

// CheckBusinessPlanWrite answers EFORBIDDEN unless the principal may
// change the plan item id: the API checks it before the version, so that a
// refusal is not masked by a missing If-Match.
func (a *App) CheckBusinessPlanWrite(ctx context.Context, id string) error {
	cur, err := a.BusinessPlanItem(ctx, id)
	if err != nil {
		return err
	}
	return a.checkPlanWrite(ctx, cur.OrganisationID)
}

// CanWriteBusinessPlans reports whether the principal writes the business
// plan of the account.
func (a *App) CanWriteBusinessPlans(ctx context.Context, organisationID string) bool {
	p := liaison.PrincipalFrom(ctx)
	if p == nil || p.User == nil {
		return false
	}
	acct, err := a.businessPlanUnit(ctx, organisationID)
	if err != nil || acct == nil {
		return false
	}
	return p.CanWriteAccount(acct)
}

func (a *App) checkPlanWrite(ctx context.Context, organisationIDs ...string) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	for _, id := range organisationIDs {
		acct, err := a.businessPlanUnit(ctx, id)
		if err != nil {
			return err
		}
		if acct == nil && p.Scope == liaison.ScopeWrite && (p.User.Role == liaison.RoleManager || p.Allows(liaison.AccessCurate)) {
			continue // the store names the missing account
		}
		if !p.CanWriteAccount(acct) {
			return readOnlyOr(p, "Only the account's relationship manager or deputy, the head of service management or an administrator may change its business plan.")
		}
	}
	return nil
}

func (a *App) markOverdue(bs ...*liaison.BusinessPlanItem) {
	today := a.today()
	for _, b := range bs {
		b.ReviewOverdue = b.IsReviewOverdue(today)
	}
}

// BusinessPlanItem returns a plan item.
func (a *App) BusinessPlanItem(ctx context.Context, id string) (*liaison.BusinessPlanItem, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	b, err := a.Store.FindBusinessPlanItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	a.markOverdue(b)
	return b, nil
}

// BusinessPlanItems lists plan items; ReviewOverdue compares with today.
// The trash needs curate rights.
func (a *App) BusinessPlanItems(ctx context.Context, f liaison.BusinessPlanFilter) ([]*liaison.BusinessPlanItem, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	f.Today = a.today()
	bs, next, err := a.Store.FindBusinessPlanItems(ctx, f)
	if err != nil {
		return nil, "", err
	}
	a.markOverdue(bs...)
	return bs, next, nil
}

// CreateBusinessPlanItem records a plan item; without a review date the
// first review is DefaultPlanReviewMonths ahead.
func (a *App) CreateBusinessPlanItem(ctx context.Context, b *liaison.BusinessPlanItem) error {
	b.Normalize()
	if err := a.checkPlanWrite(ctx, b.OrganisationID); err != nil {
		return err
	}
	if b.ReviewDate == "" {
		b.ReviewDate = liaison.NextPlanReview(a.Now())
	}
	if err := a.Store.CreateBusinessPlanItem(ctx, b); err != nil {
		return err
	}
	a.markOverdue(b)
	return nil
}

// UpdateBusinessPlanItem saves b; moving it to another account needs the
// right to write both.
func (a *App) UpdateBusinessPlanItem(ctx context.Context, b *liaison.BusinessPlanItem, ifVersion int) error {
	cur, err := a.BusinessPlanItem(ctx, b.ID)
	if err != nil {
		return err
	}
	b.Normalize()
	ids := []string{cur.OrganisationID}
	if b.OrganisationID != cur.OrganisationID {
		ids = append(ids, b.OrganisationID)
	}
	if err := a.checkPlanWrite(ctx, ids...); err != nil {
		return err
	}
	if err := a.Store.UpdateBusinessPlanItem(ctx, b, ifVersion); err != nil {
		return err
	}
	a.markOverdue(b)
	return nil
}

// MarkBusinessPlanReviewed records that the item was reviewed today and
// sets its next review: next, or DefaultPlanReviewMonths ahead when "".
func (a *App) MarkBusinessPlanReviewed(ctx context.Context, id string, ifVersion int, next string) (*liaison.BusinessPlanItem, error) {
	cur, err := a.BusinessPlanItem(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.checkPlanWrite(ctx, cur.OrganisationID); err != nil {
		return nil, err
	}
	if next == "" {
		next = liaison.NextPlanReview(a.Now())
	}
	b, err := a.Store.MarkBusinessPlanReviewed(ctx, id, ifVersion, a.today(), next)
	if err != nil {
		return nil, err
	}
	a.markOverdue(b)
	return b, nil
}

// DeleteBusinessPlanItem moves a plan item to the trash.
func (a *App) DeleteBusinessPlanItem(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.BusinessPlanItem(ctx, id)
	if err != nil {
		return err
	}
	if err := a.checkPlanWrite(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteBusinessPlanItem(ctx, id, ifVersion)
}

// RestoreBusinessPlanItem brings a plan item back from the trash.
func (a *App) RestoreBusinessPlanItem(ctx context.Context, id string) (*liaison.BusinessPlanItem, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	b, err := a.Store.RestoreBusinessPlanItem(ctx, id)
	if err != nil {
		return nil, err
	}
	a.markOverdue(b)
	return b, nil
}

// --- technology watch ---

// WatchRights says what the principal may do with a watch note.
type WatchRights struct {
	Edit    bool // change its fields and status
	Delete  bool
	Propose bool // turn it into an improvement suggestion
}

func watchRights(p *liaison.Principal, w *liaison.WatchNote) WatchRights {
	if p == nil || p.User == nil || !canPropose(p) {
		return WatchRights{}
	}
	mine := (w.CreatedByID != nil && *w.CreatedByID == p.User.ID) || (w.OwnerID != nil && *w.OwnerID == p.User.ID)
	return WatchRights{Edit: true, Delete: mine || p.Allows(liaison.AccessCurate),
		Propose: w.ImprovementID == nil && liaison.CanProposeWatch(w.Status)}
}

// WatchRights returns what the principal of ctx may do with w.
func (a *App) WatchRights(ctx context.Context, w *liaison.WatchNote) WatchRights {
	return watchRights(liaison.PrincipalFrom(ctx), w)
}

// CanWriteWatch reports whether the principal may write watch notes.
func (a *App) CanWriteWatch(ctx context.Context) bool {
	p := liaison.PrincipalFrom(ctx)
	return p != nil && p.User != nil && canPropose(p)
}

func requireWatchWrite(ctx context.Context) (*liaison.Principal, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return nil, err
	}
	if !canPropose(p) {
		return nil, readOnlyOr(p, "Viewers may not write technology watch notes.")
	}
	return p, nil
}

// WatchNote returns a watch note.
func (a *App) WatchNote(ctx context.Context, id string) (*liaison.WatchNote, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindWatchNoteByID(ctx, id)
}

// WatchNotes lists watch notes; the trash needs curate rights.
func (a *App) WatchNotes(ctx context.Context, f liaison.WatchFilter) ([]*liaison.WatchNote, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindWatchNotes(ctx, f)
}

// CreateWatchNote records a note: staff and above.
func (a *App) CreateWatchNote(ctx context.Context, w *liaison.WatchNote) error {
	if _, err := requireWatchWrite(ctx); err != nil {
		return err
	}
	return a.Store.CreateWatchNote(ctx, w)
}

// UpdateWatchNote saves a note, its status included.
func (a *App) UpdateWatchNote(ctx context.Context, w *liaison.WatchNote, ifVersion int) error {
	if _, err := requireWatchWrite(ctx); err != nil {
		return err
	}
	return a.Store.UpdateWatchNote(ctx, w, ifVersion)
}

// DeleteWatchNote moves a note to the trash: its creator, its owner, head and admin.
func (a *App) DeleteWatchNote(ctx context.Context, id string, ifVersion int) error {
	p, err := requireWatchWrite(ctx)
	if err != nil {
		return err
	}
	cur, err := a.Store.FindWatchNoteByID(ctx, id)
	if err != nil {
		return err
	}
	if !watchRights(p, cur).Delete {
		return forbidden("Only the note's creator, its owner, the head of service management or an administrator may delete it.")
	}
	return a.Store.DeleteWatchNote(ctx, id, ifVersion)
}

// RestoreWatchNote brings a note back from the trash.
func (a *App) RestoreWatchNote(ctx context.Context, id string) (*liaison.WatchNote, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreWatchNote(ctx, id)
}

// ProposeWatchNote turns a note into an improvement suggestion in one
// step, under the rules of proposing any improvement (checkProposal): the
// improvement (origin watch) copies the note's title, summary, relevance,
// services, accounts and owner; the note links it and becomes proposed.
// A note that already has one answers ECONFLICT naming it.
func (a *App) ProposeWatchNote(ctx context.Context, id string) (*liaison.WatchNote, *liaison.Improvement, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, nil, err
	}
	w, err := a.Store.FindWatchNoteByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	i := liaison.ImprovementFromWatch(w)
	if err := checkProposal(ctx, i); err != nil {
		return nil, nil, err
	}
	n, err := a.Store.ProposeWatchNote(ctx, id, i)
	if err != nil {
		return nil, nil, err
	}
	a.flag(ctx, i)
	return n, i, nil
}
