package demo

import (
	"context"
	"fmt"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// meetingSpec is a demo meeting (SPEC C7): with which account, when
// (days from today, at an hour UTC), who organises it, and for the past
// ones what was written and decided. A service review without an agenda
// gets the built-in service-review agenda in the organiser's language.
type meetingSpec struct {
	account, organiser string // unit and user keys
	typ                liaison.MeetingType
	form               liaison.MeetingForm
	title              string
	days, hour, mins   int
	location, link     string
	agenda             string
	it                 []string // more IT participants (user keys)
	contacts           int      // how many of the account's contacts take part
	status             liaison.MeetingStatus
	minutes            string
	decisions          []string
	publish            bool
}

var meetingSpecs = []meetingSpec{
	// Socialförvaltningen's last review was 14 months ago: overdue.
	{account: "social", organiser: "elin", typ: liaison.MeetingServiceReview, form: liaison.FormInPerson, title: "Tjänsteuppföljning Socialförvaltningen",
		days: -425, hour: 9, mins: 60, location: "Socialförvaltningen, mötesrum Vega", contacts: 1, status: liaison.MeetingHeld,
		minutes: "Handläggarna behöver mobil åtkomst till verksamhetssystemet vid hembesök.\nServicedeskens svarstider inom avtalet."},
	{account: "hs", organiser: "anna", typ: liaison.MeetingServiceReview, form: liaison.FormInPerson, title: "Tjänsteuppföljning Hälso- och sjukvård, våren",
		days: -350 /* the next review falls due within 30 days */, hour: 8, mins: 120, location: "Regionhuset, sal Polstjärnan", it: []string{"johan", "lena"}, contacts: 2, status: liaison.MeetingHeld,
		minutes: "Verksamheten planerar två nya mottagningar i höst; behovet av arbetsplatser ökar med cirka 40.\n" +
			"Tillgängligheten för journalsystemet låg på 99,6 % mot målet 99,8 %: två planerade avbrott drog över.\n" +
			"Avtalet följs; fakturering av arbetsplatstjänsten diskuterades.",
		decisions: []string{"Servicefönstren för journalsystemet flyttas till söndagar 05–07.",
			"IT tar fram en plan för 40 nya arbetsplatser till budgetmötet."}, publish: true},
	{account: "hs", organiser: "anna", typ: liaison.MeetingServiceReview, form: liaison.FormVideo, title: "Tjänsteuppföljning Hälso- och sjukvård, hösten",
		days: 20, hour: 8, mins: 90, link: "https://meet.liaison.demo/hs-host", it: []string{"johan"}, contacts: 2, status: liaison.MeetingPlanned},
	{account: "hospital", organiser: "johan", typ: liaison.MeetingServiceReview, form: liaison.FormInPerson, title: "Tjänsteuppföljning Norrskenssjukhuset",
		days: -120, hour: 12, mins: 90, location: "Norrskenssjukhuset, konferensrum 3", it: []string{"lena"}, contacts: 2, status: liaison.MeetingHeld,
		minutes:   "Akutkliniken rapporterade tappad uppkoppling på vårdavdelningarna; kopplat till förbättringsförslaget om wifi.\nSLA för servicedesken uppfyllt.",
		decisions: []string{"Wifi-mätning på Medicinkliniken genomförs inom sex veckor."}, publish: true},
	{account: "hospital", organiser: "johan", typ: liaison.MeetingBudget, form: liaison.FormInPerson, title: "Budgetmöte 2027 Norrskenssjukhuset",
		days: 9, hour: 9, mins: 60, location: "Norrskenssjukhuset, styrelserummet", contacts: 1, status: liaison.MeetingPlanned,
		agenda: "1. Utfall 2026\n2. Prognos för arbetsplatstjänsten\n3. Nya tjänster 2027\n4. Beslut om ramar"},
	{account: "edu", organiser: "mikael", typ: liaison.MeetingServiceReview, form: liaison.FormPhone, title: "Tjänsteuppföljning Utbildning",
		days: -40, hour: 13, mins: 60, contacts: 1, status: liaison.MeetingHeld,
		minutes: "Terminsstarten gick bättre med kvällsöppen servicedesk. Skolplattformen behöver en mobilapp enligt lärarna."},
	{account: "edu", organiser: "mikael", typ: liaison.MeetingPlanning, form: liaison.FormInPerson, title: "Planeringsmöte inför läsåret",
		days: 14, hour: 10, mins: 90, location: "Utbildningsförvaltningen", contacts: 2, status: liaison.MeetingPlanned,
		agenda: "1. Elevantal och nya skolor\n2. Datorer till årskurs 7\n3. Tidplan för skolplattformens uppgradering"},
	{account: "polaris", organiser: "anna", typ: liaison.MeetingSteeringGroup, form: liaison.FormVideo, title: "Styrgrupp: ny skolplattform",
		days: -10, hour: 14, mins: 60, link: "https://meet.liaison.demo/polaris-sg", it: []string{"mikael"}, contacts: 2, status: liaison.MeetingHeld,
		agenda:    "1. Projektets läge\n2. Risker\n3. Beslut om nästa etapp",
		minutes:   "Etapp 1 klar enligt plan. Risk: leverantörens mobilapp försenad till vårterminen.",
		decisions: []string{"Etapp 2 startar i januari.", "Mobilappen tas med i pilotskolornas plan först i vår."}, publish: true},
	{account: "fi", organiser: "mikko", typ: liaison.MeetingServiceReview, form: liaison.FormVideo, title: "Palvelukatselmus Norrsken Suomi",
		days: -30, hour: 7, mins: 90, link: "https://meet.liaison.demo/nso", it: []string{"jukka"}, contacts: 2, status: liaison.MeetingHeld,
		minutes: "Liiketoiminnan tarpeet: uusi toimipiste Ouluun keväällä.\nPalvelutaso: ERP:n saatavuus 99,9 %, tavoite saavutettu.\n" +
			"Sopimus toteutunut; toive ERP-raporteista suomeksi kirjattiin parannusehdotukseksi.",
		decisions: []string{"Oulun toimipisteen verkkoyhteys tilataan maaliskuussa."}, publish: true},
	{account: "fi", organiser: "mikko", typ: liaison.MeetingServiceReview, form: liaison.FormThirdParty, title: "Asiakaspalautteen keruu (kolmas osapuoli)",
		days: 60, hour: 8, mins: 60, contacts: 1, status: liaison.MeetingPlanned},
	{account: "cn", organiser: "chen", typ: liaison.MeetingServiceReview, form: liaison.FormInPerson, title: "苏州公司服务回顾",
		days: -50, hour: 2, mins: 120, location: "苏州工业园区办公室", contacts: 2, status: liaison.MeetingHeld,
		minutes:   "客户业务：明年新增一条生产线，需扩充网络。\n服务级别：邮件系统可用性达标。\n合同执行情况良好。",
		decisions: []string{"IT 在下季度前提交网络扩容方案。"}, publish: true},
	{account: "cn", organiser: "chen", typ: liaison.MeetingBudget, form: liaison.FormVideo, title: "2027 年 IT 预算会议",
		days: 25, hour: 3, mins: 60, link: "https://meet.liaison.demo/cn-budget", contacts: 1, status: liaison.MeetingPlanned,
		agenda: "1. 2026 年预算执行\n2. 2027 年需求\n3. 网络扩容费用"},
	{account: "energy", organiser: "mikael", typ: liaison.MeetingPlanning, form: liaison.FormInPerson, title: "Planeringsmöte elnätets systembyte",
		days: -5, hour: 9, mins: 60, location: "Norrsken Energi, Luleå", contacts: 1, status: liaison.MeetingCancelled},
}

// createMeetings plans the demo's meetings as their organisers, then moves
// the past ones on: held with minutes, decisions and a published report,
// or cancelled.
func (l *loader) createMeetings(ctx context.Context) error {
	as := func(key string) context.Context {
		return liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[key], Scope: liaison.ScopeWrite, Via: "demo"})
	}
	for _, s := range meetingSpecs {
		unit := l.units[s.account]
		if unit == nil {
			return fmt.Errorf("meeting %q: unknown account %s", s.title, s.account)
		}
		start := l.today.AddDate(0, 0, s.days).Add(time.Duration(s.hour) * time.Hour)
		m := &liaison.Meeting{OrganisationID: unit.ID, Type: s.typ, Form: s.form, Title: s.title, StartsAt: start,
			EndsAt: start.Add(time.Duration(s.mins) * time.Minute), Location: s.location, Link: s.link, Agenda: s.agenda,
			Participants: []liaison.MeetingParticipant{{UserID: &l.users[s.organiser].ID}}}
		for _, k := range s.it {
			m.Participants = append(m.Participants, liaison.MeetingParticipant{UserID: &l.users[k].ID})
		}
		people, _, err := l.a.Store.FindPeople(ctx, liaison.PersonFilter{OrganisationID: unit.ID, Limit: s.contacts})
		if err != nil {
			return err
		}
		for _, p := range people {
			m.Participants = append(m.Participants, liaison.MeetingParticipant{PersonID: &p.ID})
		}
		octx := as(s.organiser)
		if err := l.a.CreateMeeting(octx, m, ""); err != nil {
			return fmt.Errorf("meeting %q: %w", s.title, err)
		}
		if s.status != liaison.MeetingPlanned {
			m.Status, m.Minutes = s.status, s.minutes
			if err := l.a.UpdateMeeting(octx, m, m.Version); err != nil {
				return fmt.Errorf("meeting %q to %s: %w", s.title, s.status, err)
			}
		}
		for _, d := range s.decisions {
			if err := l.a.AddMeetingDecision(octx, &liaison.MeetingDecision{MeetingID: m.ID, Text: d}); err != nil {
				return fmt.Errorf("meeting %q decision: %w", s.title, err)
			}
		}
		if s.publish {
			if _, err := l.a.PublishMeeting(octx, m.ID, m.Version, true); err != nil {
				return fmt.Errorf("meeting %q publish: %w", s.title, err)
			}
		}
		l.res.Meetings++
	}
	return nil
}
