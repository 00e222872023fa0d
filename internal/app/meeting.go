package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
)

// Meetings (SPEC C7) are read by every internal user. They are organised
// by the account's writers — its relationship manager and deputy, head and
// admin — and by staff (SPEC §5: staff organise meetings; project managers
// organise service reviews). Staff plan a meeting on any account and then
// change the meetings they organise; a manager changes the meetings of the
// accounts they manage or deputise, and any meeting they organise.

// canOrganise: any role but viewer, through a write-scoped session or token.
func canOrganise(ctx context.Context) (*liaison.Principal, error) {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return nil, err
	}
	if p.Scope != liaison.ScopeWrite {
		return nil, forbidden("This token may only read.")
	}
	if p.User.Role == liaison.RoleViewer {
		return nil, forbidden("Your role does not allow this.")
	}
	return p, nil
}

// CanPlanMeetings reports whether the principal may plan meetings at all.
func (a *App) CanPlanMeetings(ctx context.Context) bool {
	_, err := canOrganise(ctx)
	return err == nil
}

// canPlanMeetingOn checks that the principal may plan a meeting on the account.
func (a *App) canPlanMeetingOn(ctx context.Context, orgID string) error {
	p, err := canOrganise(ctx)
	if err != nil {
		return err
	}
	if p.User.Role == liaison.RoleStaff {
		return nil
	}
	if err := a.canWriteUnit(ctx, orgID); err != nil {
		if liaison.ErrorCode(err) == liaison.ENOTFOUND {
			return nil // the store names the unknown account as a field error
		}
		return forbidden("Only the account's relationship manager or deputy, staff, the head of service management or an administrator may plan its meetings.")
	}
	return nil
}

// canChangeMeeting checks that the principal may change the meeting.
func (a *App) canChangeMeeting(ctx context.Context, m *liaison.Meeting) error {
	p, err := canOrganise(ctx)
	if err != nil {
		return err
	}
	if m.OrganiserID != nil && *m.OrganiserID == p.User.ID {
		return nil
	}
	if p.User.Role != liaison.RoleStaff && a.canWriteUnit(ctx, m.OrganisationID) == nil {
		return nil
	}
	return forbidden("Only the meeting's organiser, the account's relationship manager or deputy, the head of service management or an administrator may change this meeting.")
}

// CanChangeMeeting reports whether the principal may change the meeting.
func (a *App) CanChangeMeeting(ctx context.Context, m *liaison.Meeting) bool {
	return a.canChangeMeeting(ctx, m) == nil
}

// Meeting returns a meeting with its participants.
func (a *App) Meeting(ctx context.Context, id string) (*liaison.Meeting, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindMeetingByID(ctx, id)
}

// Meetings lists meetings; the trash is for head and admin.
func (a *App) Meetings(ctx context.Context, f liaison.MeetingFilter) ([]*liaison.Meeting, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	if f.Trashed {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return nil, "", err
		}
	}
	return a.Store.FindMeetings(ctx, f)
}

// UpcomingMeetings lists an account's next planned meetings (the account
// overview), soonest first.
func (a *App) UpcomingMeetings(ctx context.Context, orgID string, limit int) ([]*liaison.Meeting, error) {
	now := a.Now()
	ms, _, err := a.Meetings(ctx, liaison.MeetingFilter{OrganisationID: orgID, Status: liaison.MeetingPlanned, From: &now, Limit: limit})
	return ms, err
}

// RecentMeetings lists an account's meetings that started before now, latest first.
func (a *App) RecentMeetings(ctx context.Context, orgID string, limit int) ([]*liaison.Meeting, error) {
	now := a.Now()
	ms, _, err := a.Meetings(ctx, liaison.MeetingFilter{OrganisationID: orgID, To: &now, Sort: "-starts_at", Limit: limit})
	return ms, err
}

// CreateMeeting plans a meeting. Without an organiser the creator organises
// it. An empty agenda is filled from templateID, or for a service review
// from the built-in service-review template, in the organiser's language.
func (a *App) CreateMeeting(ctx context.Context, m *liaison.Meeting, templateID string) error {
	if err := a.canPlanMeetingOn(ctx, strings.TrimSpace(m.OrganisationID)); err != nil {
		return err
	}
	p := liaison.PrincipalFrom(ctx)
	if strings.TrimSpace(m.Agenda) == "" {
		templateID = strings.TrimSpace(templateID)
		if templateID == "" && m.Type == liaison.MeetingServiceReview {
			templateID = liaison.BuiltinServiceReviewTemplate
		}
		if templateID != "" {
			lang := p.User.Language
			if m.OrganiserID != nil && *m.OrganiserID != "" && *m.OrganiserID != p.User.ID {
				if u, err := a.Store.FindUserByID(ctx, *m.OrganiserID); err == nil {
					lang = u.Language
				}
			}
			t, err := a.meetingTemplate(ctx, templateID, lang)
			if liaison.ErrorCode(err) == liaison.ENOTFOUND {
				var v liaison.Validation
				v.Add("template_id", liaison.CodeUnknown, "meeting.error.template_unknown", "names no agenda template")
				return v.Err()
			} else if err != nil {
				return err
			}
			m.Agenda = t.Agenda
		}
	}
	return a.Store.CreateMeeting(ctx, m)
}

// UpdateMeeting saves m, the meeting's full new state.
func (a *App) UpdateMeeting(ctx context.Context, m *liaison.Meeting, ifVersion int) error {
	cur, err := a.Store.FindMeetingByID(ctx, m.ID)
	if err != nil {
		return err
	}
	if err := a.canChangeMeeting(ctx, cur); err != nil {
		return err
	}
	if strings.TrimSpace(m.OrganisationID) != cur.OrganisationID {
		if err := a.canPlanMeetingOn(ctx, strings.TrimSpace(m.OrganisationID)); err != nil {
			return err
		}
	}
	return a.Store.UpdateMeeting(ctx, m, ifVersion)
}

// SetMeetingStatus moves a meeting to its next status.
func (a *App) SetMeetingStatus(ctx context.Context, id string, to liaison.MeetingStatus, ifVersion int) (*liaison.Meeting, error) {
	cur, err := a.Store.FindMeetingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.canChangeMeeting(ctx, cur); err != nil {
		return nil, err
	}
	n := *cur
	n.Status = to
	if err := a.Store.UpdateMeeting(ctx, &n, ifVersion); err != nil {
		return nil, err
	}
	return &n, nil
}

// PublishMeeting publishes (or with publish false, unpublishes) the
// minutes as the meeting report. Unpublishing exists to correct a report:
// while published, the minutes and decisions cannot change.
func (a *App) PublishMeeting(ctx context.Context, id string, ifVersion int, publish bool) (*liaison.Meeting, error) {
	cur, err := a.Store.FindMeetingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.canChangeMeeting(ctx, cur); err != nil {
		return nil, err
	}
	if ifVersion == 0 {
		ifVersion = cur.Version
	}
	return a.Store.PublishMeeting(ctx, id, ifVersion, publish)
}

// DeleteMeeting moves a meeting to the trash.
func (a *App) DeleteMeeting(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindMeetingByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canChangeMeeting(ctx, cur); err != nil {
		return err
	}
	return a.Store.DeleteMeeting(ctx, id, ifVersion)
}

// RestoreMeeting brings a meeting back from the trash: head and admin.
func (a *App) RestoreMeeting(ctx context.Context, id string) (*liaison.Meeting, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreMeeting(ctx, id)
}

// MeetingDecisions lists a meeting's decisions.
func (a *App) MeetingDecisions(ctx context.Context, id string) ([]*liaison.MeetingDecision, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindMeetingDecisions(ctx, id)
}

// AddMeetingDecision records a decision taken at the meeting.
func (a *App) AddMeetingDecision(ctx context.Context, d *liaison.MeetingDecision) error {
	cur, err := a.Store.FindMeetingByID(ctx, d.MeetingID)
	if err != nil {
		return err
	}
	if err := a.canChangeMeeting(ctx, cur); err != nil {
		return err
	}
	return a.Store.AddMeetingDecision(ctx, d)
}

// DeleteMeetingDecision removes a decision.
func (a *App) DeleteMeetingDecision(ctx context.Context, meetingID, id string) error {
	cur, err := a.Store.FindMeetingByID(ctx, meetingID)
	if err != nil {
		return err
	}
	if err := a.canChangeMeeting(ctx, cur); err != nil {
		return err
	}
	return a.Store.DeleteMeetingDecision(ctx, meetingID, id)
}

// ReportSent says who a meeting report went to.
type ReportSent struct {
	Sent    []string `json:"sent" doc:"The people the report was queued for."`
	Skipped []string `json:"skipped" doc:"The people this published report had already been sent to."`
}

// SendMeetingReport emails the published meeting report (minutes,
// decisions, participants) through the outbox to the chosen customer-contact
// participants (all of them when none are chosen), each in their language.
// A report goes to a person once per publication.
func (a *App) SendMeetingReport(ctx context.Context, id string, personIDs []string) (*ReportSent, error) {
	m, err := a.Store.FindMeetingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.canChangeMeeting(ctx, m); err != nil {
		return nil, err
	}
	var v liaison.Validation
	if m.PublishedAt == nil {
		v.Add("published_at", liaison.CodeInvalid, "meeting.error.send_unpublished", "the minutes are not published: publish the meeting report before sending it")
		return nil, v.Err()
	}
	contacts := map[string]liaison.MeetingParticipant{}
	var all []string
	for _, p := range m.Participants {
		if p.PersonID != nil {
			contacts[*p.PersonID] = p
			all = append(all, *p.PersonID)
		}
	}
	if len(personIDs) == 0 {
		personIDs = all
	}
	if len(personIDs) == 0 {
		v.Add("person_ids", liaison.CodeRequired, "meeting.error.send_no_contacts", "the meeting has no customer contacts among its participants")
		return nil, v.Err()
	}
	for i, pid := range personIDs {
		f := fmt.Sprintf("person_ids[%d]", i)
		p, ok := contacts[pid]
		switch {
		case !ok:
			v.Add(f, liaison.CodeInvalid, "meeting.error.send_not_participant", "is not a customer-contact participant of the meeting")
		case p.Email == "":
			v.Add(f, liaison.CodeInvalid, "meeting.error.send_no_email", "%s has no email address", p.Name)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	decisions, err := a.Store.FindMeetingDecisions(ctx, id)
	if err != nil {
		return nil, err
	}
	ob := &mail.Outbox{Store: a.Store}
	out := &ReportSent{Sent: []string{}, Skipped: []string{}}
	for _, pid := range slices.Compact(slices.Clone(personIDs)) {
		person, err := a.Store.FindPersonByID(ctx, pid)
		if err != nil {
			return nil, err
		}
		key := fmt.Sprintf("meeting-report:%s:%d:%s", m.ID, m.PublishedAt.UnixMicro(), pid)
		msg, err := ob.EnqueueForPerson(ctx, person, key, func(l *i18n.Localizer) mail.Content { return MeetingReportMail(l, m, decisions) })
		if err != nil {
			return nil, err
		}
		if msg == nil {
			out.Skipped = append(out.Skipped, person.Name)
		} else {
			out.Sent = append(out.Sent, person.Name)
		}
	}
	return out, nil
}

// MeetingReportMail composes the meeting report in l's language: when and
// where, who took part, the minutes and the decisions. Times are in UTC,
// said so, since the recipient's zone is unknown.
func MeetingReportMail(l *i18n.Localizer, m *liaison.Meeting, decisions []*liaison.MeetingDecision) mail.Content {
	var b strings.Builder
	when := l.DateTime(m.StartsAt, time.UTC) + " – " + l.DateTime(m.EndsAt, time.UTC) + " UTC"
	fmt.Fprintf(&b, "%s\n%s: %s\n%s: %s\n", m.Title, l.T("meeting.field.organisation"), m.OrganisationName, l.T("meeting.field.when"), when)
	if m.Location != "" {
		fmt.Fprintf(&b, "%s: %s\n", l.T("meeting.field.location"), m.Location)
	}
	if m.OrganiserName != "" {
		fmt.Fprintf(&b, "%s: %s\n", l.T("meeting.field.organiser"), m.OrganiserName)
	}
	fmt.Fprintf(&b, "\n%s\n", l.T("meeting.report.participants"))
	for _, p := range m.Participants {
		fmt.Fprintf(&b, "- %s\n", p.Name)
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", l.T("meeting.field.minutes"), m.Minutes)
	if len(decisions) > 0 {
		fmt.Fprintf(&b, "\n%s\n", l.T("meeting.report.decisions"))
		for i, d := range decisions {
			fmt.Fprintf(&b, "%d. %s\n", i+1, d.Text)
		}
	}
	return mail.Content{Subject: l.T("meeting.mail.subject", m.Title, l.Date(m.StartsAt)), Text: strings.TrimRight(b.String(), "\n")}
}

// ---------- agenda templates ----------

// builtinTemplate is the default service-review template in lang: the
// review contents of seed 002 §3.2.3, translated in the locale files.
func builtinTemplate(lang liaison.Language) *liaison.MeetingTemplate {
	l := i18n.For(lang)
	return &liaison.MeetingTemplate{ID: liaison.BuiltinServiceReviewTemplate, Name: l.T("meeting.template.service_review.name"),
		Type: liaison.MeetingServiceReview, Agenda: l.T("meeting.template.service_review.agenda"), BuiltIn: true, Version: 1}
}

func (a *App) meetingTemplate(ctx context.Context, id string, lang liaison.Language) (*liaison.MeetingTemplate, error) {
	if id == liaison.BuiltinServiceReviewTemplate {
		return builtinTemplate(lang), nil
	}
	return a.Store.FindMeetingTemplateByID(ctx, id)
}

// MeetingTemplate returns an agenda template; the built-in one in lang.
func (a *App) MeetingTemplate(ctx context.Context, id string, lang liaison.Language) (*liaison.MeetingTemplate, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.meetingTemplate(ctx, id, lang)
}

// MeetingTemplates lists the built-in template (in lang) first, then the
// stored ones by name; with trashed, the trashed stored ones (head, admin).
func (a *App) MeetingTemplates(ctx context.Context, lang liaison.Language, trashed bool) ([]*liaison.MeetingTemplate, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	if trashed {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return nil, err
		}
		return a.Store.FindMeetingTemplates(ctx, true)
	}
	ts, err := a.Store.FindMeetingTemplates(ctx, false)
	if err != nil {
		return nil, err
	}
	return append([]*liaison.MeetingTemplate{builtinTemplate(lang)}, ts...), nil
}

func builtinReadOnly(id string) error {
	if id == liaison.BuiltinServiceReviewTemplate {
		return &liaison.Error{Code: liaison.ECONFLICT, Key: "meeting.error.builtin_readonly",
			Message: "The built-in service-review template cannot be changed; create a template of your own."}
	}
	return nil
}

// CreateMeetingTemplate stores an agenda template: head and admin curate them.
func (a *App) CreateMeetingTemplate(ctx context.Context, t *liaison.MeetingTemplate) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.CreateMeetingTemplate(ctx, t)
}

// UpdateMeetingTemplate saves a stored template.
func (a *App) UpdateMeetingTemplate(ctx context.Context, t *liaison.MeetingTemplate, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	if err := builtinReadOnly(t.ID); err != nil {
		return err
	}
	return a.Store.UpdateMeetingTemplate(ctx, t, ifVersion)
}

// DeleteMeetingTemplate moves a stored template to the trash.
func (a *App) DeleteMeetingTemplate(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	if err := builtinReadOnly(id); err != nil {
		return err
	}
	return a.Store.DeleteMeetingTemplate(ctx, id, ifVersion)
}

// RestoreMeetingTemplate brings a template back from the trash.
func (a *App) RestoreMeetingTemplate(ctx context.Context, id string) (*liaison.MeetingTemplate, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreMeetingTemplate(ctx, id)
}
