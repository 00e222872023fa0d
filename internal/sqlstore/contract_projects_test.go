package sqlstore_test

import (
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Project/CreateFindUpdateTrash": testProjectCRUD,
		"Project/LifecycleAndHealth":    testProjectLifecycle,
		"Project/References":            testProjectReferences,
		"Project/FiltersSearchPages":    testProjectFilters,
		"Project/Board":                 testProjectBoard,
		"Project/GuideDeliveryReview":   testProjectGuide,
		"Project/Lessons":               testProjectLessons,
	} {
		contract[name] = fn
	}
}

func (f meetingFixture) project(mods ...func(*liaison.Project)) *liaison.Project {
	p := &liaison.Project{OrganisationID: &f.acct.ID, Name: "Nytt elevregister", Description: "Byte av elevregister i skolorna",
		ProjectManagerID: &f.it.ID, Phase: "Initiering", StartDate: "2026-02-01", EndDate: "2026-12-31",
		ToolURL: "https://projekt.lund.se/p/17", InternalNote: "Budget tight", HealthNote: "Start"}
	for _, m := range mods {
		m(p)
	}
	return p
}

func testProjectCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	p := f.project()
	ok(t, db.CreateProject(f.ctx, p))
	if p.ID == "" || p.Version != 1 || p.Status != liaison.ProjectProposed || p.Health != liaison.HealthGreen ||
		p.OrganisationName != "Lunds kommun" || p.ProjectManagerName != "Ivan IT" || p.AgreedAt != nil || p.HealthChangedAt == nil {
		t.Fatalf("created = %+v", p)
	}
	got, err := db.FindProjectByID(ctx, p.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, p); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Name, u.Phase, u.ProjectManagerID = "Elevregister 2027", "Leveransskede 1", nil
	ok(t, db.UpdateProject(f.ctx, &u, 1))
	got, err = db.FindProjectByID(ctx, p.ID)
	ok(t, err)
	if got.Version != 2 || got.Name != "Elevregister 2027" || got.ProjectManagerID != nil || got.ProjectManagerName != "" {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateProject(f.ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteProject(f.ctx, p.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteProject(f.ctx, p.ID, 2))
	_, err = db.FindProjectByID(ctx, p.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindProjects(ctx, liaison.ProjectFilter{Trashed: true})
	ok(t, err)
	sameStrings(t, "trash", ids(trash, func(p *liaison.Project) string { return p.ID }), []string{p.ID})
	restored, err := db.RestoreProject(f.ctx, p.ID)
	ok(t, err)
	if restored.DeletedAt != nil || restored.Version != 4 {
		t.Fatalf("restored = %+v", restored)
	}
	// Every change is audited on the account's timeline.
	entries := auditOf(t, db, "project", p.ID)
	if len(entries) != 4 {
		t.Fatalf("audit entries = %d, want 4", len(entries))
	}
	for _, e := range entries {
		if e.OrganisationID != f.acct.ID || e.ActorName != "Maria Manager" {
			t.Fatalf("audit entry %+v does not belong to the account", e)
		}
	}
	// An internal project belongs to no account.
	in := f.project(func(p *liaison.Project) { p.OrganisationID, p.Name = nil, "Ny brandvägg" })
	ok(t, db.CreateProject(f.ctx, in))
	if in.OrganisationID != nil || in.OrganisationName != "" {
		t.Fatalf("internal = %+v", in)
	}
}

func testProjectLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	c := useClock(db, meetingStart)
	p := f.project()
	ok(t, db.CreateProject(f.ctx, p))
	skip := *p
	skip.Status = liaison.ProjectInProgress
	wantField(t, db.UpdateProject(f.ctx, &skip, p.Version), "status", "transition")
	c.Advance(24 * time.Hour)
	agreed := *p
	agreed.Status = liaison.ProjectAgreed
	ok(t, db.UpdateProject(f.ctx, &agreed, p.Version))
	if agreed.AgreedAt == nil || agreed.AgreedAt.Truncate(time.Second) != meetingStart.Add(24*time.Hour) {
		t.Fatalf("agreed at %v", agreed.AgreedAt)
	}
	// A health change needs a reason and lands in the history.
	amber := agreed
	amber.Health = liaison.HealthAmber
	wantField(t, db.UpdateProject(f.ctx, &amber, agreed.Version), "health_note", "required")
	c.Advance(24 * time.Hour)
	amber.HealthNote = "Leverantören två veckor sen"
	ok(t, db.UpdateProject(f.ctx, &amber, agreed.Version))
	red := amber
	red.Health, red.HealthNote = liaison.HealthRed, "Budgeten överskriden"
	c.Advance(24 * time.Hour)
	ok(t, db.UpdateProject(f.ctx, &red, amber.Version))
	phase := red
	phase.Phase = "Leveransskede 2"
	ok(t, db.UpdateProject(f.ctx, &phase, red.Version))
	hs, err := db.FindHealthChanges(ctx, p.ID)
	ok(t, err)
	var got []string
	for _, h := range hs {
		got = append(got, string(h.Health)+":"+h.Note+":"+h.ChangedBy)
	}
	sameStrings(t, "health history", got, []string{"green:Start:Maria Manager", "amber:Leverantören två veckor sen:Maria Manager",
		"red:Budgeten överskriden:Maria Manager"})
	if hs[2].ChangedAt.Truncate(time.Second) != meetingStart.Add(3*24*time.Hour) {
		t.Fatalf("red since %v", hs[2].ChangedAt)
	}
	closed := phase
	closed.Status = liaison.ProjectInProgress
	ok(t, db.UpdateProject(f.ctx, &closed, phase.Version))
	v := closed.Version
	closed.Status = liaison.ProjectClosed
	ok(t, db.UpdateProject(f.ctx, &closed, v))
	reopen := closed
	reopen.Status = liaison.ProjectInProgress
	wantField(t, db.UpdateProject(f.ctx, &reopen, closed.Version), "status", "transition")
}

func testProjectReferences(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	wantField(t, db.CreateProject(f.ctx, f.project(func(p *liaison.Project) { p.OrganisationID = &f.unit.ID })), "organisation_id", "invalid")
	wantField(t, db.CreateProject(f.ctx, f.project(func(p *liaison.Project) { p.OrganisationID = liaison.Ptr("nope") })), "organisation_id", liaison.CodeUnknown)
	wantField(t, db.CreateProject(f.ctx, f.project(func(p *liaison.Project) { p.ProjectManagerID = liaison.Ptr("nope") })), "project_manager_id", liaison.CodeUnknown)
	wantField(t, db.CreateProject(f.ctx, f.project(func(p *liaison.Project) { p.ToolURL = "ftp://x" })), "tool_url", "invalid")
	all, _, err := db.FindProjects(ctx, liaison.ProjectFilter{})
	ok(t, err)
	if len(all) != 0 {
		t.Fatalf("a refused project was stored: %d", len(all))
	}
}

func testProjectFilters(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	mk := func(name string, mods ...func(*liaison.Project)) *liaison.Project {
		p := f.project(func(p *liaison.Project) { p.Name = name })
		for _, m := range mods {
			m(p)
		}
		ok(t, db.CreateProject(f.ctx, p))
		return p
	}
	a := mk("Elevregister Malmö", func(p *liaison.Project) { p.OrganisationID = &f.other.ID })
	b := mk("Journalsystem", func(p *liaison.Project) { p.Health = liaison.HealthRed })
	c := mk("Säker e-post", func(p *liaison.Project) { p.ProjectManagerID = &f.org.ID; p.Status = liaison.ProjectAgreed })
	d := mk("学生系统迁移", func(p *liaison.Project) { p.OrganisationID = nil; p.Status = liaison.ProjectCancelled })
	name := func(ps []*liaison.Project) []string {
		return ids(ps, func(p *liaison.Project) string { return p.Name })
	}
	for _, tc := range []struct {
		f    liaison.ProjectFilter
		want []string
	}{
		{liaison.ProjectFilter{}, []string{a.Name, b.Name, c.Name, d.Name}},
		{liaison.ProjectFilter{OrganisationID: f.acct.ID}, []string{b.Name, c.Name}},
		{liaison.ProjectFilter{Health: liaison.HealthRed}, []string{b.Name}},
		{liaison.ProjectFilter{Status: liaison.ProjectAgreed}, []string{c.Name}},
		{liaison.ProjectFilter{ProjectManagerID: f.org.ID}, []string{c.Name}},
		{liaison.ProjectFilter{Live: true}, []string{a.Name, b.Name, c.Name}},
		{liaison.ProjectFilter{Q: "malmo"}, []string{a.Name}},
		{liaison.ProjectFilter{Q: "sak"}, []string{c.Name}},
		{liaison.ProjectFilter{Q: "学生"}, []string{d.Name}},
		{liaison.ProjectFilter{Q: "lunds"}, []string{b.Name, c.Name}}, // the account's name
		{liaison.ProjectFilter{Sort: "-name", Limit: 2}, []string{d.Name, c.Name}},
	} {
		got, _, err := db.FindProjects(ctx, tc.f)
		ok(t, err)
		sameStrings(t, "filter", name(got), tc.want)
	}
	first, next, err := db.FindProjects(ctx, liaison.ProjectFilter{Limit: 3})
	ok(t, err)
	rest, last, err := db.FindProjects(ctx, liaison.ProjectFilter{Limit: 3, Cursor: next})
	ok(t, err)
	if len(first) != 3 || next == "" || len(rest) != 1 || last != "" || rest[0].Name != d.Name {
		t.Fatalf("pages %v / %v", name(first), name(rest))
	}
}

func testProjectBoard(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	p := f.project()
	ok(t, db.CreateProject(f.ctx, p))
	exec := &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleExecutive, PersonID: &f.customer.ID}
	ok(t, db.AddBoardMember(f.ctx, exec))
	if exec.ID == "" || exec.Name != "Karin Berg" || exec.Email != "karin@lund.se" || exec.Language != "sv" || exec.Represents != liaison.SideCustomer {
		t.Fatalf("executive = %+v", exec)
	}
	second := mkPerson(t, db, "Per Ek", f.acct)
	err := db.AddBoardMember(f.ctx, &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleExecutive, PersonID: &second.ID})
	if e := wantCode(t, err, liaison.ECONFLICT); e.Args[0] != "Karin Berg" {
		t.Fatalf("conflict names %v", e.Args)
	}
	ok(t, db.AddBoardMember(f.ctx, &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleSeniorUser, PersonID: &second.ID}))
	sup := &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleSeniorSupplier, UserID: &f.it.ID}
	ok(t, db.AddBoardMember(f.ctx, sup))
	rm := &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleRelationshipManager, UserID: &f.org.ID, Represents: liaison.SideCustomer}
	ok(t, db.AddBoardMember(f.ctx, rm))
	wantField(t, db.AddBoardMember(f.ctx, &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleSeniorUser, PersonID: &f.customer.ID, UserID: &f.it.ID}),
		"person_id", "invalid")
	wantField(t, db.AddBoardMember(f.ctx, &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleSeniorUser, PersonID: liaison.Ptr("nope")}),
		"person_id", liaison.CodeUnknown)
	wantCode(t, db.AddBoardMember(f.ctx, &liaison.BoardMember{ProjectID: "nope", Role: liaison.RoleSeniorUser, PersonID: &second.ID}), liaison.ENOTFOUND)
	board, err := db.FindBoard(ctx, p.ID)
	ok(t, err)
	var roles []string
	for _, m := range board {
		roles = append(roles, string(m.Role)+":"+m.Name+":"+string(m.Represents))
	}
	sameStrings(t, "board", roles, []string{"executive:Karin Berg:customer", "senior_user:Per Ek:customer",
		"senior_supplier:Ivan IT:supplier", "relationship_manager:Maria Manager:customer"})
	got, err := db.FindBoardMember(ctx, p.ID, rm.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, rm); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	ok(t, db.RemoveBoardMember(f.ctx, p.ID, exec.ID))
	wantCode(t, db.RemoveBoardMember(f.ctx, p.ID, exec.ID), liaison.ENOTFOUND)
	// With the executive gone, another may be named.
	ok(t, db.AddBoardMember(f.ctx, &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleExecutive, PersonID: &second.ID}))
	entries := auditOf(t, db, "board_member", exec.ID)
	if len(entries) != 2 || entries[0].OrganisationID != f.acct.ID {
		t.Fatalf("board audit = %+v", entries)
	}
}

func testProjectGuide(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	c := useClock(db, meetingStart)
	p := f.project()
	ok(t, db.CreateProject(f.ctx, p))
	d1 := &liaison.GuideDelivery{ProjectID: p.ID, Occasion: liaison.GuideOnAgreed, PersonID: &f.customer.ID, RecipientName: "Karin Berg",
		RecipientEmail: "karin@lund.se", Language: "sv"}
	ok(t, db.RecordGuideDelivery(f.ctx, d1))
	c.Advance(time.Hour)
	d2 := &liaison.GuideDelivery{ProjectID: p.ID, Occasion: liaison.GuideOnNamed, UserID: &f.it.ID, RecipientName: "Ivan IT",
		RecipientEmail: "ivan.it@example.com", Language: "fi", Role: liaison.RoleSeniorSupplier, MemberID: liaison.Ptr("m1")}
	ok(t, db.RecordGuideDelivery(f.ctx, d2))
	ds, err := db.FindGuideDeliveries(ctx, p.ID)
	ok(t, err)
	if len(ds) != 2 || ds[0].ID != d2.ID || ds[1].SentByName != "Maria Manager" || ds[1].DeliveredAt.Truncate(time.Second) != meetingStart ||
		ds[0].Role != liaison.RoleSeniorSupplier || ds[0].Language != "fi" || *ds[0].MemberID != "m1" {
		t.Fatalf("deliveries = %s", mustJSON(t, ds))
	}
	if gj, wj := mustJSON(t, ds[1]), mustJSON(t, d1); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	m := f.meeting(func(m *liaison.Meeting) { m.Type = liaison.MeetingSteeringGroup })
	ok(t, db.CreateMeeting(f.ctx, m))
	reviewed, err := db.RecordGuideReview(f.ctx, p.ID, m.ID, "2026-03-10")
	ok(t, err)
	got, err := db.FindProjectByID(ctx, p.ID)
	ok(t, err)
	if got.GuideReviewedOn != "2026-03-10" || got.GuideMeetingID == nil || *got.GuideMeetingID != m.ID || got.Version != 2 || reviewed.Version != 2 {
		t.Fatalf("reviewed = %+v", got)
	}
}

func testProjectLessons(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	p := f.project()
	ok(t, db.CreateProject(f.ctx, p))
	l1 := &liaison.Lesson{ProjectID: p.ID, Title: "Utse projektägaren tidigt", WhatHappened: "Ingen kunde fatta beslut i maj",
		Recommendation: "Be kunden utse projektägaren innan projektet avtalas", Category: "governance", On: "2026-05-04"}
	ok(t, db.CreateLesson(f.ctx, l1))
	l2 := &liaison.Lesson{ProjectID: p.ID, Title: "Leverantörens kapacitet", Recommendation: "Boka testmiljön i god tid", On: "2026-06-01", Internal: true}
	ok(t, db.CreateLesson(f.ctx, l2))
	wantField(t, db.CreateLesson(f.ctx, &liaison.Lesson{ProjectID: p.ID, Title: "Tom", On: "2026-06-01"}), "recommendation", "required")
	if l1.AuthorName != "Maria Manager" || l2.Category != "other" || l1.ID == "" {
		t.Fatalf("lessons = %+v %+v", l1, l2)
	}
	ls, err := db.FindLessons(ctx, p.ID)
	ok(t, err)
	if len(ls) != 2 || ls[0].ID != l2.ID || !ls[0].Internal || ls[1].Internal {
		t.Fatalf("lessons = %s", mustJSON(t, ls))
	}
	got, err := db.FindLesson(ctx, p.ID, l1.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, l1); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	ok(t, db.DeleteLesson(f.ctx, p.ID, l1.ID))
	_, err = db.FindLesson(ctx, p.ID, l1.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	if entries := auditOf(t, db, "lesson", l1.ID); len(entries) != 2 {
		t.Fatalf("lesson audit = %d entries", len(entries))
	}
}
