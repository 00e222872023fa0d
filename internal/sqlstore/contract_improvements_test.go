package sqlstore_test

import (
	"context"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Improvement/CreateFindUpdateTrash":  testImprovementCRUD,
		"Improvement/Lifecycle":              testImprovementLifecycle,
		"Improvement/References":             testImprovementReferences,
		"Improvement/FiltersSearchPages":     testImprovementFilters,
		"Improvement/ProgressUpdates":        testImprovementUpdates,
		"Improvement/RaisedBySeveralAccount": testImprovementRaisers,
	} {
		contract[name] = fn
	}
}

// improvementFixture is two accounts, services and two users acting.
type improvementFixture struct {
	agreementFixture
	other        *liaison.Organisation
	head, owner  *liaison.User
	headCtx, ctx context.Context
}

func mkImprovementFixture(t *testing.T, db *sqlstore.DB) improvementFixture {
	t.Helper()
	f := improvementFixture{agreementFixture: mkAgreementFixture(t, db)}
	f.other = mkUnit(t, db, "Malmö stad", nil, account)
	f.head, f.owner = mkUser(t, db, "Helena Head"), mkUser(t, db, "Otto Owner")
	f.headCtx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.head, Scope: liaison.ScopeWrite})
	f.ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.owner, Scope: liaison.ScopeWrite})
	return f
}

func (f improvementFixture) improvement(mods ...func(*liaison.Improvement)) *liaison.Improvement {
	i := &liaison.Improvement{Title: "Self-service password reset", Description: "Users wait for the desk to reset passwords.",
		Origin: liaison.OriginCustomer, ExpectedBenefit: "Fewer calls", ServiceIDs: []string{f.mail.ID, f.print.ID},
		OrganisationIDs: []string{f.acct.ID}, OwnerID: &f.owner.ID}
	for _, m := range mods {
		m(i)
	}
	return i
}

func testImprovementCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkImprovementFixture(t, db)
	i := f.improvement()
	ok(t, db.CreateImprovement(f.ctx, i))
	if i.ID == "" || i.Version != 1 || i.Status != liaison.ImprovementProposed || i.ProposedByID == nil || *i.ProposedByID != f.owner.ID ||
		i.ProposedByName != "Otto Owner" || i.OwnerName != "Otto Owner" || i.DecidedAt != nil {
		t.Fatalf("created = %+v", i)
	}
	got, err := db.FindImprovementByID(ctx, i.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, i); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Title, u.ServiceIDs, u.OrganisationIDs, u.OwnerID = "Password reset portal", []string{f.erp.ID}, []string{f.other.ID, f.acct.ID}, nil
	ok(t, db.UpdateImprovement(f.ctx, &u, 1))
	got, err = db.FindImprovementByID(ctx, i.ID)
	ok(t, err)
	sameStrings(t, "services", got.ServiceIDs, []string{f.erp.ID})
	sameStrings(t, "accounts", got.OrganisationIDs, []string{f.other.ID, f.acct.ID})
	if got.Version != 2 || got.OwnerID != nil || got.OwnerName != "" || got.Title != "Password reset portal" {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateImprovement(f.ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteImprovement(f.ctx, i.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteImprovement(f.ctx, i.ID, 2))
	_, err = db.FindImprovementByID(ctx, i.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindImprovements(ctx, liaison.ImprovementFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 || trash[0].ID != i.ID || trash[0].DeletedAt == nil {
		t.Fatalf("trash = %+v", trash)
	}
	back, err := db.RestoreImprovement(f.headCtx, i.ID)
	ok(t, err)
	if back.DeletedAt != nil || back.Version != 4 {
		t.Fatalf("restored = %+v", back)
	}
	entries := auditOf(t, db, "improvement", i.ID)
	if len(entries) != 4 || entries[0].Action != "restore" || entries[3].Action != "create" || entries[3].ActorID != f.owner.ID ||
		entries[3].OrganisationID != f.acct.ID || entries[2].OrganisationID != f.other.ID {
		t.Fatalf("audit = %+v", entries)
	}
}

func testImprovementLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkImprovementFixture(t, db)
	i := f.improvement()
	ok(t, db.CreateImprovement(f.ctx, i))
	// A new improvement starts proposed.
	wantField(t, db.CreateImprovement(f.ctx, f.improvement(func(i *liaison.Improvement) { i.Status = liaison.ImprovementApproved })),
		"status", "invalid")
	// Skipping the decision names the allowed next states.
	skip := *i
	skip.Status, skip.RealisedEffect = liaison.ImprovementDone, "x"
	e := wantCode(t, db.UpdateImprovement(f.ctx, &skip, 1), liaison.EINVALID)
	if len(e.Fields) != 1 || e.Fields[0].Field != "status" || e.Fields[0].Message != "an improvement cannot go from proposed to done; allowed: approved, rejected" {
		t.Fatalf("refusal = %+v", e.Fields)
	}
	// Rejecting needs a note; the decision records who and when.
	rej := *i
	rej.Status = liaison.ImprovementRejected
	wantField(t, db.UpdateImprovement(f.headCtx, &rej, 1), "decision_note", "required")
	rej.DecisionNote = "Not this year"
	ok(t, db.UpdateImprovement(f.headCtx, &rej, 1))
	if rej.DecidedByID == nil || *rej.DecidedByID != f.head.ID || rej.DecidedByName != "Helena Head" || rej.DecidedAt == nil {
		t.Fatalf("rejected = %+v", rej)
	}
	// Reconsidering clears the decision; approving records it again.
	re := rej
	re.Status = liaison.ImprovementProposed
	ok(t, db.UpdateImprovement(f.headCtx, &re, 2))
	if re.DecidedByID != nil || re.DecidedAt != nil {
		t.Fatalf("reconsidered = %+v", re)
	}
	ap := re
	ap.Status = liaison.ImprovementApproved
	ok(t, db.UpdateImprovement(f.headCtx, &ap, 3))
	// The work needs an owner, done needs the realised effect.
	start := ap
	start.Status, start.OwnerID = liaison.ImprovementInProgress, nil
	wantField(t, db.UpdateImprovement(f.ctx, &start, 4), "owner_id", "required")
	start.OwnerID = &f.owner.ID
	ok(t, db.UpdateImprovement(f.ctx, &start, 4))
	done := start
	done.Status = liaison.ImprovementDone
	wantField(t, db.UpdateImprovement(f.ctx, &done, 5), "realised_effect", "required")
	done.RealisedEffect = "Password calls fell from 120 to 45 a month"
	ok(t, db.UpdateImprovement(f.ctx, &done, 5))
	got, err := db.FindImprovementByID(ctx, i.ID)
	ok(t, err)
	if got.Status != liaison.ImprovementDone || got.DoneAt == nil || got.DecidedByID == nil || *got.DecidedByID != f.head.ID ||
		got.RealisedEffect != done.RealisedEffect {
		t.Fatalf("done = %+v", got)
	}
	// Reopening clears the completion, keeps the decision.
	reopen := *got
	reopen.Status = liaison.ImprovementInProgress
	ok(t, db.UpdateImprovement(f.ctx, &reopen, 6))
	if reopen.DoneAt != nil || reopen.DecidedByID == nil {
		t.Fatalf("reopened = %+v", reopen)
	}
	entries := auditOf(t, db, "improvement", i.ID)
	if entries[0].Summary != "Self-service password reset: done → in_progress" {
		t.Fatalf("audit summary = %q", entries[0].Summary)
	}
}

func testImprovementReferences(t *testing.T, db *sqlstore.DB) {
	f := mkImprovementFixture(t, db)
	wantField(t, db.CreateImprovement(f.ctx, f.improvement(func(i *liaison.Improvement) { i.ServiceIDs = []string{"nope"} })),
		"service_ids[0]", "unknown")
	wantField(t, db.CreateImprovement(f.ctx, f.improvement(func(i *liaison.Improvement) {
		i.OrganisationIDs = []string{f.acct.ID, f.unit.ID}
	})), "organisation_ids[1]", "invalid")
	wantField(t, db.CreateImprovement(f.ctx, f.improvement(func(i *liaison.Improvement) { i.OwnerID = liaison.Ptr("nobody") })),
		"owner_id", "unknown")
	// The complaint id is kept as given: complaints live elsewhere.
	i := f.improvement(func(i *liaison.Improvement) {
		i.Origin, i.ComplaintID = liaison.OriginComplaint, liaison.Ptr("complaint-42")
	})
	ok(t, db.CreateImprovement(f.ctx, i))
	list, _, err := db.FindImprovements(ctx, liaison.ImprovementFilter{ComplaintID: "complaint-42"})
	ok(t, err)
	if len(list) != 1 || *list[0].ComplaintID != "complaint-42" {
		t.Fatalf("by complaint = %+v", list)
	}
}

func testImprovementFilters(t *testing.T, db *sqlstore.DB) {
	f := mkImprovementFixture(t, db)
	mk := func(title string, origin liaison.ImprovementOrigin, services, accounts []string) *liaison.Improvement {
		i := f.improvement(func(i *liaison.Improvement) {
			i.Title, i.Origin, i.ServiceIDs, i.OrganisationIDs, i.Description = title, origin, services, accounts, ""
		})
		ok(t, db.CreateImprovement(f.ctx, i))
		return i
	}
	a := mk("Utskrift från mobilen", liaison.OriginReview, []string{f.print.ID}, []string{f.acct.ID})
	b := mk("服务台 自助服务", liaison.OriginSurvey, []string{f.mail.ID}, []string{f.other.ID})
	c := mk("Faster ERP month-end", liaison.OriginWatch, []string{f.erp.ID}, nil)
	titles := func(fl liaison.ImprovementFilter) []string {
		t.Helper()
		is, _, err := db.FindImprovements(ctx, fl)
		ok(t, err)
		return ids(is, func(i *liaison.Improvement) string { return i.Title })
	}
	sameStrings(t, "all by title", titles(liaison.ImprovementFilter{}), []string{c.Title, a.Title, b.Title})
	sameStrings(t, "origin", titles(liaison.ImprovementFilter{Origin: liaison.OriginSurvey}), []string{b.Title})
	sameStrings(t, "service", titles(liaison.ImprovementFilter{ServiceID: f.print.ID}), []string{a.Title})
	sameStrings(t, "account", titles(liaison.ImprovementFilter{OrganisationID: f.other.ID}), []string{b.Title})
	sameStrings(t, "q folds diacritics", titles(liaison.ImprovementFilter{Q: "utskrift fran"}), []string{a.Title})
	sameStrings(t, "q in Chinese", titles(liaison.ImprovementFilter{Q: "服务台"}), []string{b.Title})
	sameStrings(t, "status", titles(liaison.ImprovementFilter{Status: liaison.ImprovementApproved}), nil)
	sameStrings(t, "owner", titles(liaison.ImprovementFilter{OwnerID: f.owner.ID, Sort: "-name"}), []string{b.Title, a.Title, c.Title})
	// Pages of one follow each other without gaps.
	var seen []string
	cur := ""
	for {
		is, next, err := db.FindImprovements(ctx, liaison.ImprovementFilter{Limit: 1, Cursor: cur, Sort: "-created_at"})
		ok(t, err)
		seen = append(seen, ids(is, func(i *liaison.Improvement) string { return i.ID })...)
		if next == "" {
			break
		}
		cur = next
	}
	if len(seen) != 3 {
		t.Fatalf("pages = %v", seen)
	}
	// An account raising a demand lists it under the account too.
	ok(t, db.AddImprovementRaiser(f.ctx, &liaison.ImprovementRaiser{ImprovementID: c.ID, OrganisationID: f.other.ID, RaisedOn: "2026-03-01"}))
	sameStrings(t, "affected or raised", titles(liaison.ImprovementFilter{OrganisationID: f.other.ID}), []string{c.Title, b.Title})
}

func testImprovementUpdates(t *testing.T, db *sqlstore.DB) {
	f := mkImprovementFixture(t, db)
	i := f.improvement()
	ok(t, db.CreateImprovement(f.ctx, i))
	other := f.improvement(func(i *liaison.Improvement) { i.Title, i.OrganisationIDs = "Other", []string{f.other.ID} })
	ok(t, db.CreateImprovement(f.ctx, other))
	add := func(imp *liaison.Improvement, on, note string, visible bool) *liaison.ImprovementUpdate {
		u := &liaison.ImprovementUpdate{ImprovementID: imp.ID, On: on, Note: note, CustomerVisible: visible}
		ok(t, db.CreateImprovementUpdate(f.ctx, u))
		return u
	}
	first := add(i, "2026-02-01", "Analysis started", false)
	second := add(i, "2026-03-01", "Pilot with the school administration", true)
	add(other, "2026-03-02", "Elsewhere", true)
	if second.AuthorID == nil || *second.AuthorID != f.owner.ID || second.AuthorName != "Otto Owner" {
		t.Fatalf("update = %+v", second)
	}
	wantField(t, db.CreateImprovementUpdate(f.ctx, &liaison.ImprovementUpdate{ImprovementID: i.ID, On: "2026-03-01"}), "note", "required")
	wantCode(t, db.CreateImprovementUpdate(f.ctx, &liaison.ImprovementUpdate{ImprovementID: "nope", On: "2026-03-01", Note: "x"}), liaison.ENOTFOUND)
	us, err := db.FindImprovementUpdates(ctx, liaison.ImprovementUpdateFilter{ImprovementID: i.ID})
	ok(t, err)
	sameStrings(t, "newest first", ids(us, func(u *liaison.ImprovementUpdate) string { return u.ID }), []string{second.ID, first.ID})
	// The customer's view: visible notes of the account's improvements only.
	yes := true
	us, err = db.FindImprovementUpdates(ctx, liaison.ImprovementUpdateFilter{OrganisationID: f.acct.ID, CustomerVisible: &yes})
	ok(t, err)
	sameStrings(t, "customer view", ids(us, func(u *liaison.ImprovementUpdate) string { return u.Note }), []string{second.Note})
	ok(t, db.DeleteImprovementUpdate(f.ctx, i.ID, first.ID))
	_, err = db.FindImprovementUpdate(ctx, i.ID, first.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	wantCode(t, db.DeleteImprovementUpdate(f.ctx, other.ID, second.ID), liaison.ENOTFOUND) // not the other's note
	if entries := auditOf(t, db, "improvement_update", first.ID); len(entries) != 2 || entries[0].Action != "delete" {
		t.Fatalf("audit = %+v", entries)
	}
	// A trashed improvement's notes leave the customer's view.
	ok(t, db.DeleteImprovement(f.ctx, i.ID, 1))
	us, err = db.FindImprovementUpdates(ctx, liaison.ImprovementUpdateFilter{OrganisationID: f.acct.ID, CustomerVisible: &yes})
	ok(t, err)
	if len(us) != 0 {
		t.Fatalf("trashed notes shown: %+v", us)
	}
}

func testImprovementRaisers(t *testing.T, db *sqlstore.DB) {
	f := mkImprovementFixture(t, db)
	i := f.improvement()
	ok(t, db.CreateImprovement(f.ctx, i))
	third := mkUnit(t, db, "Helsingin kaupunki", nil, account)
	raise := func(o *liaison.Organisation, on string) error {
		return db.AddImprovementRaiser(f.ctx, &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: o.ID, RaisedOn: on, Note: "At the review"})
	}
	ok(t, raise(f.acct, "2026-02-01"))
	ok(t, raise(f.other, "2026-01-15"))
	wantCode(t, raise(f.acct, "2026-03-01"), liaison.ECONFLICT)
	wantField(t, raise(f.unit, "2026-03-01"), "organisation_id", "invalid")
	ok(t, raise(third, "2026-03-01"))
	rs, err := db.FindImprovementRaisers(ctx, i.ID)
	ok(t, err)
	sameStrings(t, "earliest first", ids(rs, func(r *liaison.ImprovementRaiser) string { return r.OrganisationName }),
		[]string{"Malmö stad", "Lunds kommun", "Helsingin kaupunki"})
	if rs[0].RecordedByID == nil || *rs[0].RecordedByID != f.owner.ID || rs[0].RecordedByName != "Otto Owner" || rs[0].Note != "At the review" {
		t.Fatalf("raiser = %+v", rs[0])
	}
	got, err := db.FindImprovementByID(ctx, i.ID)
	ok(t, err)
	if got.RaisedByCount != 3 || got.Version != 1 {
		t.Fatalf("count = %d, version %d", got.RaisedByCount, got.Version)
	}
	flagged, _, err := db.FindImprovements(ctx, liaison.ImprovementFilter{MinRaisedBy: 3})
	ok(t, err)
	if len(flagged) != 1 || flagged[0].ID != i.ID {
		t.Fatalf("flagged = %+v", flagged)
	}
	ok(t, db.RemoveImprovementRaiser(f.ctx, i.ID, third.ID))
	wantCode(t, db.RemoveImprovementRaiser(f.ctx, i.ID, third.ID), liaison.ENOTFOUND)
	flagged, _, err = db.FindImprovements(ctx, liaison.ImprovementFilter{MinRaisedBy: 3})
	ok(t, err)
	if len(flagged) != 0 {
		t.Fatalf("still flagged: %+v", flagged)
	}
	entries := auditOf(t, db, "improvement_raiser", i.ID)
	if len(entries) != 4 || entries[0].Action != "delete" || entries[0].OrganisationID != third.ID {
		t.Fatalf("audit = %+v", entries)
	}
}

// fillImprovements gives the improvement tables rows for the backup round trip.
func fillImprovements(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, owner *liaison.User) {
	t.Helper()
	svcs, _, err := db.FindServices(actx, liaison.ServiceFilter{Limit: 1})
	ok(t, err)
	i := &liaison.Improvement{Title: "Förbättring «ett» 改进", Description: "rad 1\nrad 2\t\"citat\"", Origin: liaison.OriginComplaint,
		ComplaintID: liaison.Ptr("c-0001"), ServiceIDs: []string{svcs[0].ID}, OrganisationIDs: []string{acct.ID}, OwnerID: &owner.ID}
	ok(t, db.CreateImprovement(actx, i))
	i.Status = liaison.ImprovementApproved
	ok(t, db.UpdateImprovement(actx, i, i.Version))
	ok(t, db.CreateImprovementUpdate(actx, &liaison.ImprovementUpdate{ImprovementID: i.ID, On: "2024-02-29", Note: "Synlig ✓", CustomerVisible: true}))
	ok(t, db.CreateImprovementUpdate(actx, &liaison.ImprovementUpdate{ImprovementID: i.ID, On: "2024-03-01", Note: "Intern"}))
	ok(t, db.AddImprovementRaiser(actx, &liaison.ImprovementRaiser{ImprovementID: i.ID, OrganisationID: acct.ID, RaisedOn: "2024-01-31"}))
}
