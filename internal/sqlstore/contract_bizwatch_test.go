package sqlstore_test

import (
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"BusinessPlan/CreateFindUpdateTrash": testBizPlanCRUD,
		"BusinessPlan/References":            testBizPlanReferences,
		"BusinessPlan/OverdueAndFilters":     testBizPlanOverdue,
		"BusinessPlan/MarkReviewed":          testBizPlanReviewed,
		"Watch/CreateFindUpdateTrash":        testWatchCRUD,
		"Watch/Lifecycle":                    testWatchLifecycle,
		"Watch/FiltersSearch":                testWatchFilters,
		"Watch/ProposeOnce":                  testWatchPropose,
	} {
		contract[name] = fn
	}
}

type bizFixture struct {
	improvementFixture
	manager *liaison.User
}

func mkBizFixture(t *testing.T, db *sqlstore.DB) bizFixture {
	t.Helper()
	f := bizFixture{improvementFixture: mkImprovementFixture(t, db)}
	f.manager = mkUser(t, db, "Maja Manager")
	f.other.RelationshipManagerID = &f.manager.ID
	ok(t, db.UpdateOrganisation(f.headCtx, f.other, f.other.Version))
	return f
}

func (f bizFixture) item(mods ...func(*liaison.BusinessPlanItem)) *liaison.BusinessPlanItem {
	b := &liaison.BusinessPlanItem{OrganisationID: f.acct.ID, Title: "Digital skolplattform 2028", Horizon: liaison.HorizonMedium,
		TargetDate: liaison.Ptr("2028-08-15"), ITEffect: "Every pupil gets a device and a learning platform account.",
		ServiceIDs: []string{f.mail.ID, f.erp.ID}, SourceURL: "https://lund.example.se/plan.pdf", ReviewDate: "2027-03-01",
		OwnerPersonID: &f.customer.ID}
	for _, m := range mods {
		m(b)
	}
	return b
}

func testBizPlanCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	b := f.item()
	ok(t, db.CreateBusinessPlanItem(f.ctx, b))
	if b.ID == "" || b.Version != 1 || b.Status != liaison.PlanItemActive || b.OrganisationName != "Lunds kommun" || b.OwnerPersonName != "Karin Berg" {
		t.Fatalf("created = %+v", b)
	}
	got, err := db.FindBusinessPlanItemByID(ctx, b.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, b); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Title, u.ServiceIDs, u.Status, u.OwnerPersonID, u.TargetDate = "Skolplattform", []string{f.print.ID}, liaison.PlanItemAchieved, nil, nil
	ok(t, db.UpdateBusinessPlanItem(f.ctx, &u, 1))
	got, err = db.FindBusinessPlanItemByID(ctx, b.ID)
	ok(t, err)
	sameStrings(t, "services", got.ServiceIDs, []string{f.print.ID})
	if got.Version != 2 || got.Status != liaison.PlanItemAchieved || got.OwnerPersonID != nil || got.OwnerPersonName != "" || got.TargetDate != nil {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateBusinessPlanItem(f.ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteBusinessPlanItem(f.ctx, b.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteBusinessPlanItem(f.ctx, b.ID, 2))
	_, err = db.FindBusinessPlanItemByID(ctx, b.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindBusinessPlanItems(ctx, liaison.BusinessPlanFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 || trash[0].ID != b.ID {
		t.Fatalf("trash = %+v", trash)
	}
	r, err := db.RestoreBusinessPlanItem(f.ctx, b.ID)
	ok(t, err)
	if r.Version != 4 || r.DeletedAt != nil {
		t.Fatalf("restored = %+v", r)
	}
	es := auditOf(t, db, "business_plan", b.ID)
	if len(es) != 4 {
		t.Fatalf("audit entries = %d, want 4", len(es))
	}
	for _, e := range es {
		if e.OrganisationID != f.acct.ID {
			t.Fatalf("audit entry %s on unit %q, want the account", e.Action, e.OrganisationID)
		}
	}
	tl, _, err := db.FindAuditEntries(ctx, liaison.AuditFilter{OrganisationID: f.acct.ID, Subtree: true})
	ok(t, err)
	found := false
	for _, e := range tl {
		found = found || e.SubjectID == b.ID
	}
	if !found {
		t.Fatal("the plan item is not on the account's timeline")
	}
}

func testBizPlanReferences(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	wantField(t, db.CreateBusinessPlanItem(f.ctx, f.item(func(b *liaison.BusinessPlanItem) { b.OrganisationID = "nope" })), "organisation_id", "unknown")
	wantField(t, db.CreateBusinessPlanItem(f.ctx, f.item(func(b *liaison.BusinessPlanItem) { b.OrganisationID = f.unit.ID })), "organisation_id", "invalid")
	wantField(t, db.CreateBusinessPlanItem(f.ctx, f.item(func(b *liaison.BusinessPlanItem) { b.ServiceIDs = []string{f.mail.ID, "nope"} })), "service_ids[1]", "unknown")
	wantField(t, db.CreateBusinessPlanItem(f.ctx, f.item(func(b *liaison.BusinessPlanItem) { b.OwnerPersonID = liaison.Ptr("nope") })), "owner_person_id", "unknown")
	wantField(t, db.CreateBusinessPlanItem(f.ctx, f.item(func(b *liaison.BusinessPlanItem) { b.SourceURL = "www.lund.se" })), "source_url", "invalid")
	n, _, err := db.FindBusinessPlanItems(ctx, liaison.BusinessPlanFilter{})
	ok(t, err)
	if len(n) != 0 {
		t.Fatalf("refused items were stored: %d", len(n))
	}
	// An item of a trashed account is not restored before its account.
	b := f.item(func(b *liaison.BusinessPlanItem) { b.OrganisationID = f.other.ID })
	ok(t, db.CreateBusinessPlanItem(f.ctx, b))
	ok(t, db.DeleteBusinessPlanItem(f.ctx, b.ID, 1))
	other, err := db.FindOrganisationByID(ctx, f.other.ID)
	ok(t, err)
	ok(t, db.DeleteOrganisation(f.headCtx, other.ID, other.Version))
	_, err = db.RestoreBusinessPlanItem(f.ctx, b.ID)
	wantCode(t, err, liaison.ECONFLICT)
}

func testBizPlanOverdue(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	mk := func(title, org, review string, status liaison.BusinessPlanStatus, svc string) *liaison.BusinessPlanItem {
		b := f.item(func(b *liaison.BusinessPlanItem) {
			b.Title, b.OrganisationID, b.ReviewDate, b.Status, b.ServiceIDs = title, org, review, status, []string{svc}
		})
		ok(t, db.CreateBusinessPlanItem(f.ctx, b))
		return b
	}
	late := mk("Ny vårdplattform", f.acct.ID, "2026-11-30", liaison.PlanItemActive, f.mail.ID)
	later := mk("Hållbar fordonsflotta", f.other.ID, "2026-06-01", liaison.PlanItemActive, f.erp.ID)
	mk("Gammalt mål", f.acct.ID, "2025-01-01", liaison.PlanItemDropped, f.erp.ID)   // not active: never overdue
	mk("Framtida mål", f.other.ID, "2026-12-03", liaison.PlanItemActive, f.mail.ID) // due today: not overdue
	list := func(fl liaison.BusinessPlanFilter) []string {
		t.Helper()
		bs, _, err := db.FindBusinessPlanItems(ctx, fl)
		ok(t, err)
		var titles []string
		for _, b := range bs {
			titles = append(titles, b.Title)
		}
		return titles
	}
	sameStrings(t, "overdue by review date", list(liaison.BusinessPlanFilter{ReviewOverdue: true, Today: "2026-12-03", Sort: "review_date"}),
		[]string{later.Title, late.Title})
	sameStrings(t, "overdue of a manager", list(liaison.BusinessPlanFilter{ReviewOverdue: true, Today: "2026-12-03", ManagerID: f.manager.ID}),
		[]string{later.Title})
	sameStrings(t, "of an account", list(liaison.BusinessPlanFilter{OrganisationID: f.other.ID}), []string{"Framtida mål", later.Title})
	sameStrings(t, "of a service", list(liaison.BusinessPlanFilter{ServiceID: f.erp.ID}), []string{"Gammalt mål", later.Title})
	sameStrings(t, "dropped", list(liaison.BusinessPlanFilter{Status: liaison.PlanItemDropped}), []string{"Gammalt mål"})
	sameStrings(t, "search with diacritics folded", list(liaison.BusinessPlanFilter{Q: "vardplatt"}), []string{late.Title})
	sameStrings(t, "search by account", list(liaison.BusinessPlanFilter{Q: "lunds"}), []string{"Gammalt mål", late.Title})
	// pages by review date, latest first
	p1, next, err := db.FindBusinessPlanItems(ctx, liaison.BusinessPlanFilter{Sort: "-review_date", Limit: 3})
	ok(t, err)
	p2, end, err := db.FindBusinessPlanItems(ctx, liaison.BusinessPlanFilter{Sort: "-review_date", Limit: 3, Cursor: next})
	ok(t, err)
	if len(p1) != 3 || len(p2) != 1 || end != "" || p1[0].Title != "Framtida mål" || p2[0].Title != "Gammalt mål" {
		t.Fatalf("pages = %d, %d (%q)", len(p1), len(p2), end)
	}
}

func testBizPlanReviewed(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	b := f.item(func(b *liaison.BusinessPlanItem) { b.ReviewDate = "2026-10-01" })
	ok(t, db.CreateBusinessPlanItem(f.ctx, b))
	_, err := db.MarkBusinessPlanReviewed(f.ctx, b.ID, 1, "2026-12-03", "2026-12-01")
	wantField(t, err, "next_review_date", "invalid")
	_, err = db.MarkBusinessPlanReviewed(f.ctx, b.ID, 7, "2026-12-03", "2027-12-03")
	wantCode(t, err, liaison.ESTALE)
	r, err := db.MarkBusinessPlanReviewed(f.ctx, b.ID, 1, "2026-12-03", "2027-12-03")
	ok(t, err)
	got, err := db.FindBusinessPlanItemByID(ctx, b.ID)
	ok(t, err)
	if got.ReviewDate != "2027-12-03" || got.LastReviewedOn == nil || *got.LastReviewedOn != "2026-12-03" || got.LastReviewedBy != "Otto Owner" ||
		got.Version != 2 || r.Version != 2 || len(got.ServiceIDs) != 2 {
		t.Fatalf("reviewed = %+v", got)
	}
	es := auditOf(t, db, "business_plan", b.ID)
	if len(es) != 2 || es[0].Summary != "Digital skolplattform 2028: reviewed, next review 2027-12-03" || es[0].OrganisationID != f.acct.ID {
		t.Fatalf("audit = %+v", es[0])
	}
	bs, _, err := db.FindBusinessPlanItems(ctx, liaison.BusinessPlanFilter{ReviewOverdue: true, Today: "2026-12-03"})
	ok(t, err)
	if len(bs) != 0 {
		t.Fatal("a reviewed item is still overdue")
	}
}

func (f bizFixture) note(mods ...func(*liaison.WatchNote)) *liaison.WatchNote {
	w := &liaison.WatchNote{Title: "Passwordless sign-in with passkeys", Summary: "FIDO2 passkeys replace passwords on managed devices.",
		Relevance: liaison.RelevanceHigh, RelevanceNote: "Fewer password resets for every account.", SourceURL: "https://fidoalliance.org/passkeys/",
		OrganisationIDs: []string{f.other.ID, f.acct.ID}, ServiceIDs: []string{f.mail.ID}, OwnerID: &f.owner.ID}
	for _, m := range mods {
		m(w)
	}
	return w
}

func testWatchCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	w := f.note()
	ok(t, db.CreateWatchNote(f.ctx, w))
	if w.ID == "" || w.Version != 1 || w.Status != liaison.WatchNoted || w.OwnerName != "Otto Owner" || w.CreatedByName != "Otto Owner" || w.ImprovementID != nil {
		t.Fatalf("created = %+v", w)
	}
	got, err := db.FindWatchNoteByID(ctx, w.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, w); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Title, u.OrganisationIDs, u.ServiceIDs, u.OwnerID, u.Status = "Passkeys", []string{f.acct.ID}, []string{f.erp.ID, f.print.ID}, nil, liaison.WatchEvaluating
	ok(t, db.UpdateWatchNote(f.headCtx, &u, 1))
	got, err = db.FindWatchNoteByID(ctx, w.ID)
	ok(t, err)
	sameStrings(t, "accounts", got.OrganisationIDs, []string{f.acct.ID})
	sameStrings(t, "services", got.ServiceIDs, []string{f.erp.ID, f.print.ID})
	if got.Version != 2 || got.OwnerID != nil || got.Status != liaison.WatchEvaluating || got.CreatedByName != "Otto Owner" {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateWatchNote(f.ctx, &u, 1), liaison.ESTALE)
	ok(t, db.DeleteWatchNote(f.ctx, w.ID, 2))
	_, err = db.FindWatchNoteByID(ctx, w.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	r, err := db.RestoreWatchNote(f.headCtx, w.ID)
	ok(t, err)
	if r.Version != 4 || r.DeletedAt != nil {
		t.Fatalf("restored = %+v", r)
	}
	es := auditOf(t, db, "watch", w.ID)
	if len(es) != 4 || es[3].OrganisationID != f.other.ID || es[0].OrganisationID != f.acct.ID {
		t.Fatalf("audit: %d entries; the create on %q (want the first account), the restore on %q", len(es), es[3].OrganisationID, es[0].OrganisationID)
	}
	lone := f.note(func(w *liaison.WatchNote) { w.OrganisationIDs = nil })
	ok(t, db.CreateWatchNote(f.ctx, lone))
	if es := auditOf(t, db, "watch", lone.ID); len(es) != 1 || es[0].OrganisationID != "" {
		t.Fatalf("a note without accounts is audited outside the tree: %+v", es)
	}
	wantField(t, db.CreateWatchNote(f.ctx, f.note(func(w *liaison.WatchNote) { w.OrganisationIDs = []string{f.unit.ID} })), "organisation_ids[0]", "invalid")
	wantField(t, db.CreateWatchNote(f.ctx, f.note(func(w *liaison.WatchNote) { w.ServiceIDs = []string{"nope"} })), "service_ids[0]", "unknown")
	wantField(t, db.CreateWatchNote(f.ctx, f.note(func(w *liaison.WatchNote) { w.OwnerID = liaison.Ptr("nope") })), "owner_id", "unknown")
}

func testWatchLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	w := f.note()
	ok(t, db.CreateWatchNote(f.ctx, w))
	step := func(to liaison.WatchStatus) error {
		cur, err := db.FindWatchNoteByID(ctx, w.ID)
		ok(t, err)
		cur.Status = to
		return db.UpdateWatchNote(f.ctx, cur, cur.Version)
	}
	wantField(t, step(liaison.WatchAdopted), "status", "transition")
	ok(t, step(liaison.WatchEvaluating))
	ok(t, step(liaison.WatchProposed))
	ok(t, step(liaison.WatchAdopted))
	wantField(t, step(liaison.WatchRejected), "status", "transition")
	wantField(t, step(liaison.WatchNoted), "status", "transition")
	got, err := db.FindWatchNoteByID(ctx, w.ID)
	ok(t, err)
	if got.Status != liaison.WatchAdopted || got.Version != 4 {
		t.Fatalf("after refusals = %s v%d", got.Status, got.Version)
	}
	if es := auditOf(t, db, "watch", w.ID); es[0].Summary != "Passwordless sign-in with passkeys: proposed → adopted" {
		t.Fatalf("summary = %q", es[0].Summary)
	}
}

func testWatchFilters(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	a := f.note(func(w *liaison.WatchNote) { w.Title = "Passkeys"; w.OrganisationIDs = []string{f.acct.ID} })
	b := f.note(func(w *liaison.WatchNote) {
		w.Title, w.Summary, w.OrganisationIDs, w.ServiceIDs, w.OwnerID = "Lokal AI-assistent för handläggare", "Språkmodell i egen drift, 本地部署",
			[]string{f.other.ID}, []string{f.erp.ID}, nil
	})
	ok(t, db.CreateWatchNote(f.ctx, a))
	ok(t, db.CreateWatchNote(f.ctx, b))
	b.Status = liaison.WatchRejected
	ok(t, db.UpdateWatchNote(f.ctx, b, 1))
	list := func(fl liaison.WatchFilter) []string {
		t.Helper()
		ws, _, err := db.FindWatchNotes(ctx, fl)
		ok(t, err)
		var titles []string
		for _, w := range ws {
			titles = append(titles, w.Title)
		}
		return titles
	}
	sameStrings(t, "all", list(liaison.WatchFilter{}), []string{b.Title, a.Title})
	sameStrings(t, "rejected", list(liaison.WatchFilter{Status: liaison.WatchRejected}), []string{b.Title})
	sameStrings(t, "of an account", list(liaison.WatchFilter{OrganisationID: f.acct.ID}), []string{a.Title})
	sameStrings(t, "of a service", list(liaison.WatchFilter{ServiceID: f.erp.ID}), []string{b.Title})
	sameStrings(t, "of an owner", list(liaison.WatchFilter{OwnerID: f.owner.ID}), []string{a.Title})
	sameStrings(t, "search folded", list(liaison.WatchFilter{Q: "handlaggare"}), []string{b.Title})
	sameStrings(t, "search Chinese", list(liaison.WatchFilter{Q: "本地"}), []string{b.Title})
	p1, next, err := db.FindWatchNotes(ctx, liaison.WatchFilter{Sort: "-created_at", Limit: 1})
	ok(t, err)
	p2, end, err := db.FindWatchNotes(ctx, liaison.WatchFilter{Sort: "-created_at", Limit: 1, Cursor: next})
	ok(t, err)
	if len(p1) != 1 || len(p2) != 1 || end != "" || p1[0].ID != b.ID || p2[0].ID != a.ID {
		t.Fatal("pages by creation, newest first, are wrong")
	}
}

func testWatchPropose(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	w := f.note()
	ok(t, db.CreateWatchNote(f.ctx, w))
	i := liaison.ImprovementFromWatch(w)
	got, err := db.ProposeWatchNote(f.headCtx, w.ID, i)
	ok(t, err)
	if got.Status != liaison.WatchProposed || got.ImprovementID == nil || *got.ImprovementID != i.ID || got.Version != 2 {
		t.Fatalf("proposed note = %+v", got)
	}
	imp, err := db.FindImprovementByID(ctx, i.ID)
	ok(t, err)
	if imp.Origin != liaison.OriginWatch || imp.Title != w.Title || imp.Description != w.Summary || imp.ProposedByName != "Helena Head" ||
		imp.OwnerID == nil || *imp.OwnerID != f.owner.ID {
		t.Fatalf("improvement = %+v", imp)
	}
	sameStrings(t, "improvement accounts", imp.OrganisationIDs, w.OrganisationIDs)
	sameStrings(t, "improvement services", imp.ServiceIDs, w.ServiceIDs)
	// twice: refused, no second improvement
	_, err = db.ProposeWatchNote(f.headCtx, w.ID, liaison.ImprovementFromWatch(w))
	wantCode(t, err, liaison.ECONFLICT)
	is, _, err := db.FindImprovements(ctx, liaison.ImprovementFilter{Origin: liaison.OriginWatch})
	ok(t, err)
	if len(is) != 1 {
		t.Fatalf("improvements of origin watch = %d, want 1", len(is))
	}
	// an edit keeps the link
	got.Title = "Passkeys everywhere"
	ok(t, db.UpdateWatchNote(f.ctx, got, 2))
	again, err := db.FindWatchNoteByID(ctx, w.ID)
	ok(t, err)
	if again.ImprovementID == nil || *again.ImprovementID != i.ID {
		t.Fatal("an edit dropped the improvement link")
	}
	// a rejected note is not proposed; nothing is written
	r := f.note(func(w *liaison.WatchNote) { w.Title = "Blockchain for minutes"; w.Status = liaison.WatchNoted })
	ok(t, db.CreateWatchNote(f.ctx, r))
	r.Status = liaison.WatchRejected
	ok(t, db.UpdateWatchNote(f.ctx, r, 1))
	_, err = db.ProposeWatchNote(f.ctx, r.ID, liaison.ImprovementFromWatch(r))
	wantField(t, err, "status", "transition")
	// a note whose account went away: the improvement is refused and the note unchanged
	bad := f.note(func(w *liaison.WatchNote) { w.Title = "Edge"; w.OrganisationIDs = nil })
	ok(t, db.CreateWatchNote(f.ctx, bad))
	bi := liaison.ImprovementFromWatch(bad)
	bi.ServiceIDs = []string{"gone"}
	_, err = db.ProposeWatchNote(f.ctx, bad.ID, bi)
	wantField(t, err, "service_ids[0]", "unknown")
	still, err := db.FindWatchNoteByID(ctx, bad.ID)
	ok(t, err)
	if still.Status != liaison.WatchNoted || still.ImprovementID != nil || still.Version != 1 {
		t.Fatalf("a refused proposal changed the note: %+v", still)
	}
	is, _, err = db.FindImprovements(ctx, liaison.ImprovementFilter{Origin: liaison.OriginWatch})
	ok(t, err)
	if len(is) != 1 {
		t.Fatalf("improvements of origin watch = %d after refusals, want 1", len(is))
	}
}
