package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Meeting/CreateFindUpdateTrash": testMeetingCRUD,
		"Meeting/Lifecycle":             testMeetingLifecycle,
		"Meeting/References":            testMeetingReferences,
		"Meeting/FiltersSearchPages":    testMeetingFilters,
		"Meeting/PublishAndDecisions":   testMeetingPublish,
		"Meeting/Templates":             testMeetingTemplates,
	} {
		contract[name] = fn
	}
}

type meetingFixture struct {
	acct, other, unit *liaison.Organisation
	customer          *liaison.Person
	org, it           *liaison.User
	ctx               context.Context
}

func mkMeetingFixture(t *testing.T, db *sqlstore.DB) meetingFixture {
	t.Helper()
	var f meetingFixture
	f.acct = mkUnit(t, db, "Lunds kommun", nil, account)
	f.other = mkUnit(t, db, "Malmö stad", nil, account)
	f.unit = mkUnit(t, db, "Skolförvaltningen", f.acct)
	f.customer = mkPerson(t, db, "Karin Berg", f.acct, func(p *liaison.Person) { p.Email, p.Language = "karin@lund.se", "sv" })
	f.org, f.it = mkUser(t, db, "Maria Manager"), mkUser(t, db, "Ivan IT")
	f.ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: f.org, Scope: liaison.ScopeWrite})
	return f
}

var meetingStart = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func (f meetingFixture) meeting(mods ...func(*liaison.Meeting)) *liaison.Meeting {
	m := &liaison.Meeting{OrganisationID: f.acct.ID, Type: liaison.MeetingServiceReview, Form: liaison.FormVideo,
		Title: "Tjänsteuppföljning Q1", StartsAt: meetingStart.In(time.FixedZone("CET", 3600)), EndsAt: meetingStart.Add(90 * time.Minute),
		Link: "https://meet.example.com/q1", Agenda: "1. Verksamhetens behov", Participants: []liaison.MeetingParticipant{
			{UserID: &f.it.ID}, {PersonID: &f.customer.ID}}}
	for _, mod := range mods {
		mod(m)
	}
	return m
}

func testMeetingCRUD(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	m := f.meeting()
	ok(t, db.CreateMeeting(f.ctx, m))
	// The creator organises it by default; times come back in UTC.
	if m.ID == "" || m.Version != 1 || m.Status != liaison.MeetingPlanned || m.OrganiserID == nil || *m.OrganiserID != f.org.ID ||
		m.OrganiserName != "Maria Manager" || m.OrganisationName != "Lunds kommun" || !m.StartsAt.Equal(meetingStart) ||
		m.StartsAt.Location() != time.UTC || len(m.Participants) != 2 || m.Participants[1].Name != "Karin Berg" ||
		m.Participants[1].Email != "karin@lund.se" || m.Participants[1].Language != "sv" {
		t.Fatalf("created = %+v", m)
	}
	got, err := db.FindMeetingByID(ctx, m.ID)
	ok(t, err)
	if gj, wj := mustJSON(t, got), mustJSON(t, m); gj != wj {
		t.Fatalf("found\n%s\nwant\n%s", gj, wj)
	}
	u := *got
	u.Title, u.OrganiserID, u.Location, u.Link = "Review Q1", &f.it.ID, "Stadshuset, rum 3", ""
	u.Participants = []liaison.MeetingParticipant{{PersonID: &f.customer.ID}}
	ok(t, db.UpdateMeeting(f.ctx, &u, 1))
	got, err = db.FindMeetingByID(ctx, m.ID)
	ok(t, err)
	if got.Version != 2 || got.OrganiserName != "Ivan IT" || len(got.Participants) != 1 || got.Participants[0].PersonID == nil ||
		got.Location != "Stadshuset, rum 3" {
		t.Fatalf("updated = %+v", got)
	}
	wantCode(t, db.UpdateMeeting(f.ctx, &u, 1), liaison.ESTALE)
	wantCode(t, db.DeleteMeeting(f.ctx, m.ID, 1), liaison.ESTALE)
	ok(t, db.DeleteMeeting(f.ctx, m.ID, 2))
	_, err = db.FindMeetingByID(ctx, m.ID)
	wantCode(t, err, liaison.ENOTFOUND)
	trash, _, err := db.FindMeetings(ctx, liaison.MeetingFilter{Trashed: true})
	ok(t, err)
	if len(trash) != 1 || trash[0].ID != m.ID || trash[0].DeletedAt == nil {
		t.Fatalf("trash = %+v", trash)
	}
	back, err := db.RestoreMeeting(f.ctx, m.ID)
	ok(t, err)
	if back.DeletedAt != nil || back.Version != 4 {
		t.Fatalf("restored = %+v", back)
	}
	entries := auditOf(t, db, "meeting", m.ID)
	if len(entries) != 4 || entries[0].Action != "restore" || entries[3].Action != "create" || entries[3].ActorID != f.org.ID ||
		entries[3].OrganisationID != f.acct.ID {
		t.Fatalf("audit = %+v", entries)
	}
}

func testMeetingLifecycle(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	m := f.meeting()
	ok(t, db.CreateMeeting(f.ctx, m))
	held := *m
	held.Status = liaison.MeetingHeld
	ok(t, db.UpdateMeeting(f.ctx, &held, 1))
	// Held is final: going back names no allowed state.
	back := held
	back.Status = liaison.MeetingPlanned
	e := wantCode(t, db.UpdateMeeting(f.ctx, &back, 2), liaison.EINVALID)
	if len(e.Fields) != 1 || e.Fields[0].Field != "status" || e.Fields[0].Message != "a meeting cannot go from held to planned: held is final" {
		t.Fatalf("refusal = %+v", e.Fields)
	}
	// A cancelled meeting may be planned again, not held.
	c := f.meeting()
	ok(t, db.CreateMeeting(f.ctx, c))
	c.Status = liaison.MeetingCancelled
	ok(t, db.UpdateMeeting(f.ctx, c, 1))
	c.Status = liaison.MeetingHeld
	e = wantCode(t, db.UpdateMeeting(f.ctx, c, 2), liaison.EINVALID)
	if e.Fields[0].Message != "a meeting cannot go from cancelled to held; allowed: planned" {
		t.Fatalf("refusal = %+v", e.Fields)
	}
	c.Status = liaison.MeetingPlanned
	ok(t, db.UpdateMeeting(f.ctx, c, 2))
	// Validation: the end after the start, a web link, known enumerations.
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.EndsAt = m.StartsAt })), "ends_at", "invalid")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.Link = "javascript:alert(1)" })), "link", "invalid")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.Type = "party" })), "type", "invalid")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.Form = "telepathy" })), "form", "invalid")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.Title = "" })), "title", "required")
}

func testMeetingReferences(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.OrganisationID = f.unit.ID })), "organisation_id", "invalid")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.OrganisationID = "nope" })), "organisation_id", "unknown")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) { m.OrganiserID = liaison.Ptr("nope") })), "organiser_id", "unknown")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) {
		m.Participants = append(m.Participants, liaison.MeetingParticipant{PersonID: liaison.Ptr("ghost")})
	})), "participants[2].person_id", "unknown")
	// Exactly one of user_id and person_id, and nobody twice.
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) {
		m.Participants = []liaison.MeetingParticipant{{UserID: &f.it.ID, PersonID: &f.customer.ID}}
	})), "participants[0]", "invalid")
	wantField(t, db.CreateMeeting(f.ctx, f.meeting(func(m *liaison.Meeting) {
		m.Participants = []liaison.MeetingParticipant{{UserID: &f.it.ID}, {UserID: &f.it.ID}}
	})), "participants[1]", "invalid")
	// A meeting whose account is trashed cannot come back before it.
	m := f.meeting(func(m *liaison.Meeting) { m.OrganisationID = f.other.ID })
	ok(t, db.CreateMeeting(f.ctx, m))
	ok(t, db.DeleteMeeting(f.ctx, m.ID, 1))
	o, err := db.FindOrganisationByID(ctx, f.other.ID)
	ok(t, err)
	ok(t, db.DeleteOrganisation(f.ctx, o.ID, o.Version))
	_, err = db.RestoreMeeting(f.ctx, m.ID)
	wantCode(t, err, liaison.ECONFLICT)
}

func testMeetingFilters(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	for i := range 7 {
		m := f.meeting(func(m *liaison.Meeting) {
			m.StartsAt = meetingStart.AddDate(0, i, 0)
			m.EndsAt = m.StartsAt.Add(time.Hour)
			if i%2 == 1 {
				m.OrganisationID, m.Type, m.Title = f.other.ID, liaison.MeetingBudget, "Budgetmöte Malmö"
				m.OrganiserID, m.Participants = &f.it.ID, nil
			}
		})
		ok(t, db.CreateMeeting(f.ctx, m))
	}
	count := func(fl liaison.MeetingFilter) int {
		t.Helper()
		ms, _, err := db.FindMeetings(ctx, fl)
		ok(t, err)
		for i := 1; i < len(ms); i++ {
			if ms[i].StartsAt.Before(ms[i-1].StartsAt) && fl.Sort == "" {
				t.Fatalf("not by start: %v before %v", ms[i-1].StartsAt, ms[i].StartsAt)
			}
		}
		return len(ms)
	}
	from, to := meetingStart.AddDate(0, 2, 0), meetingStart.AddDate(0, 5, 0)
	for name, c := range map[string]struct {
		f    liaison.MeetingFilter
		want int
	}{
		"all":         {liaison.MeetingFilter{}, 7},
		"account":     {liaison.MeetingFilter{OrganisationID: f.other.ID}, 3},
		"type":        {liaison.MeetingFilter{Type: liaison.MeetingServiceReview}, 4},
		"organiser":   {liaison.MeetingFilter{OrganiserID: f.it.ID}, 3},
		"participant": {liaison.MeetingFilter{ParticipantUserID: f.it.ID}, 7}, // organiser of 3, participant of 4
		"from-to":     {liaison.MeetingFilter{From: &from, To: &to}, 3},
		"search":      {liaison.MeetingFilter{Q: "malmo budget"}, 3},
		"account q":   {liaison.MeetingFilter{Q: "lunds"}, 4},
		"status":      {liaison.MeetingFilter{Status: liaison.MeetingHeld}, 0},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d meetings, want %d", name, got, c.want)
		}
	}
	all, pages := pageAll(t, 3, func(cur string, limit int) ([]*liaison.Meeting, string, error) {
		return db.FindMeetings(ctx, liaison.MeetingFilter{Sort: "-starts_at", Cursor: cur, Limit: limit})
	})
	if len(all) != 7 || pages != 3 || !all[0].StartsAt.Equal(meetingStart.AddDate(0, 6, 0)) {
		t.Fatalf("paged %d in %d pages, first %v", len(all), pages, all[0].StartsAt)
	}
	_, _, err := db.FindMeetings(ctx, liaison.MeetingFilter{Sort: "name"})
	wantCode(t, err, liaison.EBADREQUEST)
}

func testMeetingPublish(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	m := f.meeting()
	ok(t, db.CreateMeeting(f.ctx, m))
	// Not held, no minutes: both named.
	_, err := db.PublishMeeting(f.ctx, m.ID, 1, true)
	wantField(t, err, "status", "invalid")
	wantField(t, err, "minutes", "required")
	m.Status = liaison.MeetingHeld
	ok(t, db.UpdateMeeting(f.ctx, m, 1))
	d := &liaison.MeetingDecision{MeetingID: m.ID, Text: "  Avtalet förlängs ett år.  "}
	ok(t, db.AddMeetingDecision(f.ctx, d))
	if d.ID == "" || d.Text != "Avtalet förlängs ett år." || d.CreatedByName != "Maria Manager" {
		t.Fatalf("decision = %+v", d)
	}
	wantField(t, db.AddMeetingDecision(f.ctx, &liaison.MeetingDecision{MeetingID: m.ID}), "text", "required")
	_, err = db.PublishMeeting(f.ctx, m.ID, 2, true)
	wantField(t, err, "minutes", "required")
	m.Minutes = "Vi gick igenom SLA."
	ok(t, db.UpdateMeeting(f.ctx, m, 2))
	_, err = db.PublishMeeting(f.ctx, m.ID, 2, true)
	wantCode(t, err, liaison.ESTALE)
	pub, err := db.PublishMeeting(f.ctx, m.ID, 3, true)
	ok(t, err)
	if pub.PublishedAt == nil || pub.Version != 4 || pub.Status != liaison.MeetingHeld {
		t.Fatalf("published = %+v", pub)
	}
	// Published: the minutes and decisions stay as they were sent.
	edit := *pub
	edit.Minutes = "Changed afterwards"
	wantField(t, db.UpdateMeeting(f.ctx, &edit, 4), "minutes", "invalid")
	wantField(t, db.AddMeetingDecision(f.ctx, &liaison.MeetingDecision{MeetingID: m.ID, Text: "Late"}), "published_at", "invalid")
	wantField(t, db.DeleteMeetingDecision(f.ctx, m.ID, d.ID), "published_at", "invalid")
	// Other fields may still change (say, the location), and publishing is kept.
	edit.Minutes, edit.Location = pub.Minutes, "Rum 4"
	ok(t, db.UpdateMeeting(f.ctx, &edit, 4))
	if edit.PublishedAt == nil {
		t.Fatal("an update lost published_at")
	}
	un, err := db.PublishMeeting(f.ctx, m.ID, 5, false)
	ok(t, err)
	if un.PublishedAt != nil {
		t.Fatalf("unpublished = %+v", un)
	}
	ok(t, db.DeleteMeetingDecision(f.ctx, m.ID, d.ID))
	wantCode(t, db.DeleteMeetingDecision(f.ctx, m.ID, d.ID), liaison.ENOTFOUND)
	ds, err := db.FindMeetingDecisions(ctx, m.ID)
	ok(t, err)
	if len(ds) != 0 {
		t.Fatalf("decisions = %+v", ds)
	}
	if n := len(auditOf(t, db, "meeting_decision", d.ID)); n != 2 {
		t.Fatalf("decision audit entries = %d", n)
	}
}

func testMeetingTemplates(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	tp := &liaison.MeetingTemplate{Name: "Budgetmöte", Type: liaison.MeetingBudget, Agenda: "1. Utfall\n2. Prognos"}
	ok(t, db.CreateMeetingTemplate(f.ctx, tp))
	wantField(t, db.CreateMeetingTemplate(f.ctx, &liaison.MeetingTemplate{Name: "x"}), "agenda", "required")
	wantField(t, db.CreateMeetingTemplate(f.ctx, &liaison.MeetingTemplate{Name: "x", Agenda: "y", Type: "party"}), "type", "invalid")
	tp.Agenda = "1. Utfall\n2. Prognos\n3. Övrigt"
	ok(t, db.UpdateMeetingTemplate(f.ctx, tp, 1))
	wantCode(t, db.UpdateMeetingTemplate(f.ctx, tp, 1), liaison.ESTALE)
	ok(t, db.DeleteMeetingTemplate(f.ctx, tp.ID, 2))
	live, err := db.FindMeetingTemplates(ctx, false)
	ok(t, err)
	trashed, err := db.FindMeetingTemplates(ctx, true)
	ok(t, err)
	if len(live) != 0 || len(trashed) != 1 {
		t.Fatalf("live %d, trashed %d", len(live), len(trashed))
	}
	back, err := db.RestoreMeetingTemplate(f.ctx, tp.ID)
	ok(t, err)
	if back.Agenda != "1. Utfall\n2. Prognos\n3. Övrigt" || back.Version != 4 {
		t.Fatalf("restored = %+v", back)
	}
	if n := len(auditOf(t, db, "meeting_template", tp.ID)); n != 4 {
		t.Fatalf("template audit entries = %d", n)
	}
}

// fillMeetings gives the meeting tables and actions rows for the backup
// round trip: a published meeting with both kinds of participant, a
// decision, a trashed meeting, a template, and actions written directly
// (the actions capability writes its own through its store).
func fillMeetings(t *testing.T, db *sqlstore.DB, actx context.Context, acct *liaison.Organisation, user *liaison.User) {
	t.Helper()
	people, _, err := db.FindPeople(actx, liaison.PersonFilter{OrganisationID: acct.ID, Limit: 1})
	ok(t, err)
	m := &liaison.Meeting{OrganisationID: acct.ID, Type: liaison.MeetingServiceReview, Form: liaison.FormThirdParty,
		Title: "Uppföljning «ett» 服务回顾", StartsAt: time.Date(2024, 2, 29, 23, 30, 0, 0, time.FixedZone("", 5*3600+1800)),
		EndsAt: time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC), Link: "https://example.com/m?a=1&b=2", Agenda: "rad 1\nrad 2\t\"citat\"",
		Participants: []liaison.MeetingParticipant{{UserID: &user.ID}, {PersonID: &people[0].ID}}}
	ok(t, db.CreateMeeting(actx, m))
	m.Status, m.Minutes = liaison.MeetingHeld, "Protokoll ✓\r\nslut"
	ok(t, db.UpdateMeeting(actx, m, m.Version))
	ok(t, db.AddMeetingDecision(actx, &liaison.MeetingDecision{MeetingID: m.ID, Text: "Beslut: 续签"}))
	_, err = db.PublishMeeting(actx, m.ID, m.Version, true)
	ok(t, err)
	gone := &liaison.Meeting{OrganisationID: acct.ID, Type: liaison.MeetingOther, Title: "Gone", StartsAt: m.StartsAt, EndsAt: m.EndsAt}
	ok(t, db.CreateMeeting(actx, gone))
	ok(t, db.DeleteMeeting(actx, gone.ID, 1))
	ok(t, db.CreateMeetingTemplate(actx, &liaison.MeetingTemplate{Name: "Styrgrupp", Type: liaison.MeetingSteeringGroup, Agenda: "1. Läge\n2. Risker"}))
	done := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	ok(t, db.Bulk(actx, func(b *sqlstore.BulkTx) error {
		return b.ActionRows(actx, []*sqlstore.ActionRow{
			{ID: "act-1", Title: "Skicka protokollet 📨", OrganisationID: &acct.ID, MeetingID: &m.ID, OwnerID: &user.ID,
				CreatedByID: &user.ID, DueDate: liaison.Ptr("2024-03-08"), Status: "done", DoneAt: &done},
			{ID: "act-2", Title: "Open, no due date", Description: "line\nbreak", Status: "open"},
			{ID: "act-3", Title: "Cancelled", OrganisationID: &acct.ID, DueDate: liaison.Ptr("2024-12-31"), Status: "cancelled"},
		})
	}))
}
