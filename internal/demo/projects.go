package demo

import (
	"context"
	"fmt"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// projectSpec is a demo project (SPEC C10): its account, manager and
// course, the health it went through (days ago, health, why), its
// steering group and its lessons.
type projectSpec struct {
	account, name, description, phase, manager string // account "" for an internal project; manager a user key
	start, end                                 int    // days from today
	path                                       []liaison.ProjectStatus
	health                                     []healthSpec
	board                                      []seatSpec
	reviewedAt                                 string // title of the steering-group meeting where the guide was reviewed
	lessons                                    []lessonSpec
	tool                                       string
}

type healthSpec struct {
	daysAgo int
	health  liaison.Health
	note    string
}

// seatSpec names a board seat: contact n of the account (0 = its customer)
// or a user key.
type seatSpec struct {
	role    liaison.BoardRole
	contact int
	user    string
	side    liaison.Side
}

type lessonSpec struct {
	daysAgo                    int
	title, happened, recommend string
	category                   liaison.LessonCategory
	internal                   bool
}

var (
	agreedPath   = []liaison.ProjectStatus{liaison.ProjectAgreed}
	progressPath = []liaison.ProjectStatus{liaison.ProjectAgreed, liaison.ProjectInProgress}
	closedPath   = []liaison.ProjectStatus{liaison.ProjectAgreed, liaison.ProjectInProgress, liaison.ProjectClosed}
)

var projectSpecs = []projectSpec{
	{account: "polaris", name: "Ny skolplattform", manager: "lena", phase: "Leveransskede 2", start: -150, end: 120, path: progressPath,
		description: "Byte av skolplattform för gymnasiet: schema, närvaro och betyg i en tjänst, med mobilapp för elever och lärare.",
		tool:        "https://projekt.liaison.demo/p/skolplattform",
		health: []healthSpec{{150, liaison.HealthGreen, "Projektet startat enligt plan."},
			{45, liaison.HealthAmber, "Leverantörens mobilapp försenad till vårterminen."}},
		board: []seatSpec{{role: liaison.RoleExecutive, contact: 0}, {role: liaison.RoleSeniorUser, contact: 1},
			{role: liaison.RoleSeniorSupplier, user: "jukka"}, {role: liaison.RoleRelationshipManager, user: "anna", side: liaison.SideCustomer}},
		reviewedAt: "Styrgrupp: ny skolplattform",
		lessons: []lessonSpec{{60, "Utse projektägaren innan projektet avtalas", "Rektorn och förvaltningen var oeniga om vem som beslutade; etapp 1 väntade tre veckor på ett beslut.",
			"Be kunden utse projektägaren redan när projektet avtalas, med styrgruppsguiden som underlag.", "governance", false},
			{20, "Leverantörens tidplan för mobilappen", "Leverantören lovade appen till höstterminen utan egen testkapacitet.",
				"Kräv leverantörens testplan innan datum för pilotskolor bestäms.", "supplier", true}}},
	{account: "hospital", name: "Journalsystemet, etapp 2: läkemedelsmodulen", manager: "lena", phase: "Leveransskede 3", start: -240, end: 60,
		path:        progressPath,
		description: "Införande av den nya läkemedelsmodulen i journalsystemet på alla kliniker, med integration mot apotekets system.",
		tool:        "https://projekt.liaison.demo/p/journal-etapp2",
		health: []healthSpec{{240, liaison.HealthGreen, "Etapp 2 startad."},
			{130, liaison.HealthAmber, "Integrationen mot apoteket kräver en ny version av meddelandeformatet."},
			{95, liaison.HealthRed, "Pilotkliniken stoppade införandet: dubbla ordinationer i testerna. Styrgruppen måste besluta om ny tidplan."},
			{60, liaison.HealthAmber, "Felet rättat och verifierat; ny tidplan beslutad av styrgruppen."},
			{18, liaison.HealthGreen, "Tre av fem kliniker i drift utan avvikelser."}},
		board: []seatSpec{{role: liaison.RoleExecutive, contact: 0}, {role: liaison.RoleSeniorUser, contact: 1},
			{role: liaison.RoleSeniorSupplier, user: "jukka"}, {role: liaison.RoleRelationshipManager, user: "johan", side: liaison.SideSupplier}},
		lessons: []lessonSpec{{90, "Testa med verkliga ordinationer", "Testdata saknade dosering i flera steg, så felet syntes först i piloten.",
			"Låt kliniken ta fram testfall från verkliga (avidentifierade) ordinationer.", "requirements", false},
			{85, "Rött betyder styrgruppsmöte", "Det dröjde tio dagar från rött läge till beslut.", "Kalla styrgruppen inom tre arbetsdagar när läget blir rött.", "governance", false}}},
	{account: "fi", name: "ERP-raportoinnin uudistus", manager: "jukka", phase: "Aloitus", start: 20, end: 200, path: agreedPath,
		description: "Talouspalveluiden kuukausiraportit suomeksi ja uuteen raportointityökaluun.",
		health:      []healthSpec{{30, liaison.HealthGreen, "Projektista sovittu."}},
		board: []seatSpec{{role: liaison.RoleExecutive, contact: 0}, {role: liaison.RoleSeniorSupplier, user: "jukka"},
			{role: liaison.RoleRelationshipManager, user: "mikko", side: liaison.SideCustomer}}},
	{account: "cn", name: "苏州办公室网络升级", manager: "jukka", phase: "前期研究", start: 45, end: 160,
		description: "苏州办公室的网络和无线升级，统一接入集团网络。",
		health:      []healthSpec{{10, liaison.HealthGreen, "项目提议。"}},
		board:       []seatSpec{{role: liaison.RoleExecutive, contact: 0}}},
	{account: "edu", name: "Datorer till årskurs 7", manager: "lena", phase: "Avslut", start: -300, end: -40, path: closedPath,
		description: "En dator per elev i årskurs 7 på alla grundskolor, med utlämning före höstterminen.",
		health:      []healthSpec{{300, liaison.HealthGreen, "Start."}, {120, liaison.HealthAmber, "Leveransen av datorer försenad två veckor."}, {80, liaison.HealthGreen, "Alla datorer utlämnade före terminsstart."}},
		board: []seatSpec{{role: liaison.RoleExecutive, contact: 0}, {role: liaison.RoleSeniorSupplier, user: "jukka"},
			{role: liaison.RoleRelationshipManager, user: "mikael", side: liaison.SideSupplier}},
		lessons: []lessonSpec{{45, "Utlämning skola för skola", "Utlämningen gick snabbast där skolan själv bokade tider.", "Låt skolorna boka sina utlämningstider.", "planning", false}}},
	{name: "Byte av e-postplattform", manager: "lena", phase: "Initiering", start: -30, end: 240, path: progressPath,
		description: "IT:s eget projekt: den nuvarande e-posttjänsten byts ut före supportens slut 2027.",
		health:      []healthSpec{{30, liaison.HealthGreen, "Initiering startad."}},
		board:       []seatSpec{{role: liaison.RoleExecutive, user: "head"}, {role: liaison.RoleSeniorSupplier, user: "jukka"}}},
}

// createProjects records the demo's projects with their courses, health
// histories (dated in the past: the store's clock is set back while each
// is recorded), steering groups, guide deliveries and lessons. It runs
// after the meetings, whose steering-group meeting reviewed a guide.
func (l *loader) createProjects(ctx context.Context) error {
	as := func(key string, at time.Time) context.Context {
		l.setClock(at)
		return liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[key], Scope: liaison.ScopeWrite, Via: "demo"})
	}
	defer l.setClock(time.Time{})
	now := l.a.Now()
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	for _, s := range projectSpecs {
		first := s.health[0].daysAgo + 1
		pr := &liaison.Project{Name: s.name, Description: s.description, Phase: s.phase, ProjectManagerID: &l.users[s.manager].ID,
			StartDate: liaison.FormatDate(l.today.AddDate(0, 0, s.start)), EndDate: liaison.FormatDate(l.today.AddDate(0, 0, s.end)),
			ToolURL: s.tool, Health: s.health[0].health, HealthNote: s.health[0].note}
		var people []*liaison.Person
		if s.account != "" {
			u := l.units[s.account]
			if u == nil {
				return fmt.Errorf("project %q: unknown account %s", s.name, s.account)
			}
			pr.OrganisationID = &u.ID
			d, err := l.a.Store.WhoDecides(ctx, u.ID)
			if err != nil {
				return err
			}
			if d.Customer != nil {
				people = append(people, d.Customer)
			}
			others, _, err := l.a.Store.FindPeople(ctx, liaison.PersonFilter{OrganisationID: u.ID, Limit: 10})
			if err != nil {
				return err
			}
			for _, p := range others {
				if d.Customer == nil || p.ID != d.Customer.ID {
					people = append(people, p)
				}
			}
		}
		actor := s.manager
		if _, err := l.a.CreateProject(as(actor, ago(first)), pr); err != nil {
			return fmt.Errorf("project %q: %w", s.name, err)
		}
		for i, to := range s.path {
			// The agreement comes before the board is named; the work starts a week later.
			pr.Status = to
			if _, err := l.a.UpdateProject(as(actor, ago(first-1-7*i)), pr, pr.Version); err != nil {
				return fmt.Errorf("project %q to %s: %w", s.name, to, err)
			}
		}
		for i, seat := range s.board {
			m := &liaison.BoardMember{ProjectID: pr.ID, Role: seat.role, Represents: seat.side}
			if seat.user != "" {
				m.UserID = &l.users[seat.user].ID
			} else {
				if seat.contact >= len(people) {
					return fmt.Errorf("project %q: account %s has no contact %d", s.name, s.account, seat.contact)
				}
				m.PersonID = &people[seat.contact].ID
			}
			if _, err := l.a.AddBoardMember(as(actor, ago(first-2).Add(time.Duration(i)*time.Minute)), m); err != nil {
				return fmt.Errorf("project %q seat %s: %w", s.name, seat.role, err)
			}
		}
		for _, h := range s.health[1:] {
			cur, err := l.a.Project(ctx, pr.ID)
			if err != nil {
				return err
			}
			cur.Health, cur.HealthNote = h.health, h.note
			if _, err := l.a.UpdateProject(as(actor, ago(h.daysAgo)), cur, cur.Version); err != nil {
				return fmt.Errorf("project %q health %s: %w", s.name, h.health, err)
			}
		}
		if s.reviewedAt != "" {
			ms, _, err := l.a.Meetings(ctx, liaison.MeetingFilter{OrganisationID: *pr.OrganisationID, Type: liaison.MeetingSteeringGroup})
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.Title == s.reviewedAt {
					if _, err := l.a.ReviewGuide(as(actor, m.EndsAt), pr.ID, m.ID); err != nil {
						return fmt.Errorf("project %q review: %w", s.name, err)
					}
				}
			}
		}
		for _, ls := range s.lessons {
			if err := l.a.AddLesson(as(actor, ago(ls.daysAgo)), &liaison.Lesson{ProjectID: pr.ID, Title: ls.title, WhatHappened: ls.happened,
				Recommendation: ls.recommend, Category: ls.category, On: liaison.FormatDate(l.today.AddDate(0, 0, -ls.daysAgo)),
				Internal: ls.internal}); err != nil {
				return fmt.Errorf("project %q lesson: %w", s.name, err)
			}
		}
		l.res.Projects++
	}
	return nil
}

// setClock sets the store's clock to at (the zero time restores the real
// one), so that the demo's histories are dated in the past. Only the SQL
// store has a clock to set; other stores record the present.
func (l *loader) setClock(at time.Time) {
	db, ok := l.a.Store.(*sqlstore.DB)
	if !ok {
		return
	}
	if l.clock == nil {
		l.clock = db.Now
	}
	if at.IsZero() {
		db.Now = l.clock
		return
	}
	db.Now = func() time.Time { return at }
}
