package app

import (
	"context"
	"fmt"
	"strings"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/report"
)

// Projects and steering groups (SPEC C10). Every internal user reads
// them. A project is written — its fields, status and health, its board,
// its lessons, the guide's review — by its project manager (staff are
// project managers, SPEC §5), by the writers of its account (the
// relationship manager and deputy, head, admin), and for an internal
// project (no account) by head and admin. Staff and managers may start a
// project they will manage themselves. Restoring from the trash is head's
// and admin's.

// ProjectRights says what the principal may do with a project.
type ProjectRights struct {
	Write   bool // fields, status, health, board, lessons, guide review
	Restore bool
}

// isProjectManager reports whether the principal manages the project (and may write).
func isProjectManager(p *liaison.Principal, pr *liaison.Project) bool {
	return pr.ProjectManagerID != nil && *pr.ProjectManagerID == p.User.ID && p.Scope == liaison.ScopeWrite && p.User.Role != liaison.RoleViewer
}

// canWriteProject checks that the principal may change the project.
func (a *App) canWriteProject(ctx context.Context, pr *liaison.Project) error {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return err
	}
	if isProjectManager(p, pr) {
		return nil
	}
	if p.Scope != liaison.ScopeWrite {
		return forbidden("This token may only read.")
	}
	if p.Allows(liaison.AccessCurate) {
		return nil
	}
	if pr.OrganisationID != nil && p.User.Role == liaison.RoleManager && a.canWriteUnit(ctx, *pr.OrganisationID) == nil {
		return nil
	}
	return forbidden("Only the project's manager, the account's relationship manager or deputy, the head of service management or an administrator may change this project.")
}

// ProjectRights returns what the principal of ctx may do with pr.
func (a *App) ProjectRights(ctx context.Context, pr *liaison.Project) ProjectRights {
	p := liaison.PrincipalFrom(ctx)
	return ProjectRights{Write: a.canWriteProject(ctx, pr) == nil, Restore: p != nil && p.Allows(liaison.AccessCurate)}
}

// CanStartProjects reports whether the principal may start projects at all
// (any role but viewer, through a write-scoped session or token).
func (a *App) CanStartProjects(ctx context.Context) bool {
	_, err := canOrganise(ctx)
	return err == nil
}

// canStartProject checks that the principal may create pr: head and
// admin any; the account's writers on their account; staff and managers
// a project they manage themselves.
func (a *App) canStartProject(ctx context.Context, pr *liaison.Project) error {
	p, err := canOrganise(ctx)
	if err != nil {
		return err
	}
	if p.Allows(liaison.AccessCurate) || isProjectManager(p, pr) {
		return nil
	}
	if pr.OrganisationID != nil && p.User.Role == liaison.RoleManager {
		err := a.canWriteUnit(ctx, *pr.OrganisationID)
		if err == nil || liaison.ErrorCode(err) == liaison.ENOTFOUND {
			return nil // the store names an unknown account as a field error
		}
	}
	return forbidden("Only the account's relationship manager or deputy, the head of service management or an administrator may start a project here, or name yourself its project manager.")
}

// Project returns a project.
func (a *App) Project(ctx context.Context, id string) (*liaison.Project, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindProjectByID(ctx, id)
}

// Projects lists projects; the trash needs curate rights.
func (a *App) Projects(ctx context.Context, f liaison.ProjectFilter) ([]*liaison.Project, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindProjects(ctx, f)
}

// CreateProject starts a project. When it starts agreed the guide goes
// to the account's customer, as on agreement.
func (a *App) CreateProject(ctx context.Context, pr *liaison.Project) (*liaison.GuideDelivery, error) {
	pr.Normalize()
	if err := a.canStartProject(ctx, pr); err != nil {
		return nil, err
	}
	if err := pr.Validate(); err != nil {
		return nil, err
	}
	if err := a.Store.CreateProject(ctx, pr); err != nil {
		return nil, err
	}
	if pr.Status == liaison.ProjectAgreed {
		return a.deliverToCustomer(ctx, pr)
	}
	return nil, nil
}

// UpdateProject saves pr, the project's full new state. Moving to agreed
// mails the steering-group guide to the account's customer and records
// the delivery (returned; nil when the account names no customer with an
// email, or the project has no account). Moving a project to another
// account needs the right to start it there.
func (a *App) UpdateProject(ctx context.Context, pr *liaison.Project, ifVersion int) (*liaison.GuideDelivery, error) {
	cur, err := a.Store.FindProjectByID(ctx, pr.ID)
	if err != nil {
		return nil, err
	}
	if err := a.canWriteProject(ctx, cur); err != nil {
		return nil, err
	}
	pr.Normalize()
	if deref(pr.OrganisationID) != deref(cur.OrganisationID) {
		if err := a.canStartProject(ctx, pr); err != nil {
			return nil, err
		}
	}
	// The lifecycle before the fields: a skipped step is the news, not a missing field.
	if err := liaison.CheckProjectTransition(cur.Status, pr.Status); err != nil {
		return nil, err
	}
	if err := pr.Validate(); err != nil {
		return nil, err
	}
	if err := a.Store.UpdateProject(ctx, pr, ifVersion); err != nil {
		return nil, err
	}
	if pr.Status == liaison.ProjectAgreed && cur.Status != liaison.ProjectAgreed {
		return a.deliverToCustomer(ctx, pr)
	}
	return nil, nil
}

// DeleteProject moves a project to the trash.
func (a *App) DeleteProject(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindProjectByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteProject(ctx, cur); err != nil {
		return err
	}
	return a.Store.DeleteProject(ctx, id, ifVersion)
}

// RestoreProject brings a project back from the trash: head and admin.
func (a *App) RestoreProject(ctx context.Context, id string) (*liaison.Project, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreProject(ctx, id)
}

// HealthHistory lists the project's health changes, oldest first.
func (a *App) HealthHistory(ctx context.Context, id string) ([]*liaison.HealthChange, error) {
	if _, err := a.Project(ctx, id); err != nil {
		return nil, err
	}
	return a.Store.FindHealthChanges(ctx, id)
}

// ReviewGuide records that the guide was reviewed at the project's first
// steering-group meeting (seed 003 §6.2.4: the project manager goes
// through the roles at its start): the meeting must be of type
// steering_group, of the project's account, and already begun.
func (a *App) ReviewGuide(ctx context.Context, projectID, meetingID string) (*liaison.Project, error) {
	pr, err := a.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if err := a.canWriteProject(ctx, pr); err != nil {
		return nil, err
	}
	var v liaison.Validation
	m, err := a.Store.FindReportMeeting(ctx, strings.TrimSpace(meetingID))
	switch {
	case liaison.ErrorCode(err) == liaison.ENOTFOUND:
		v.Add("meeting_id", liaison.CodeInvalid, "error.unknown_ref", "names no meeting")
	case err != nil:
		return nil, err
	case m.Type != "steering_group":
		v.Add("meeting_id", liaison.CodeInvalid, "project.error.review_meeting_type", "must be a steering-group meeting")
	case pr.OrganisationID != nil && m.OrganisationID != *pr.OrganisationID:
		v.Add("meeting_id", liaison.CodeInvalid, "project.error.review_meeting_account", "must be a meeting of the project's account")
	case m.StartsAt.After(a.Now()):
		v.Add("meeting_id", liaison.CodeInvalid, "project.error.review_meeting_future", "has not taken place yet")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return a.Store.RecordGuideReview(ctx, projectID, m.ID, liaison.FormatDate(liaison.DateOf(m.StartsAt)))
}

// ---------- board ----------

// Board lists the project's steering group.
func (a *App) Board(ctx context.Context, projectID string) ([]*liaison.BoardMember, error) {
	if _, err := a.Project(ctx, projectID); err != nil {
		return nil, err
	}
	return a.Store.FindBoard(ctx, projectID)
}

// BoardMember returns one seat.
func (a *App) BoardMember(ctx context.Context, projectID, id string) (*liaison.BoardMember, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindBoardMember(ctx, projectID, id)
}

// AddBoardMember names a member to the steering group and, when they have
// an email address, mails them the guide in their language with their seat
// marked, recording the delivery (returned, nil without an address).
func (a *App) AddBoardMember(ctx context.Context, m *liaison.BoardMember) (*liaison.GuideDelivery, error) {
	pr, err := a.Project(ctx, m.ProjectID)
	if err != nil {
		return nil, err
	}
	if err := a.canWriteProject(ctx, pr); err != nil {
		return nil, err
	}
	m.Normalize()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := a.Store.AddBoardMember(ctx, m); err != nil {
		return nil, err
	}
	if m.Email == "" {
		return nil, nil
	}
	return a.deliverToMember(ctx, pr, m, liaison.GuideOnNamed, "")
}

// RemoveBoardMember takes a member off the board.
func (a *App) RemoveBoardMember(ctx context.Context, projectID, id string) error {
	pr, err := a.Project(ctx, projectID)
	if err != nil {
		return err
	}
	if err := a.canWriteProject(ctx, pr); err != nil {
		return err
	}
	return a.Store.RemoveBoardMember(ctx, projectID, id)
}

// ResendGuide mails the guide to a member again and records it.
func (a *App) ResendGuide(ctx context.Context, projectID, memberID string) (*liaison.GuideDelivery, error) {
	pr, err := a.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if err := a.canWriteProject(ctx, pr); err != nil {
		return nil, err
	}
	m, err := a.Store.FindBoardMember(ctx, projectID, memberID)
	if err != nil {
		return nil, err
	}
	if m.Email == "" {
		var v liaison.Validation
		v.Add("member_id", liaison.CodeInvalid, "project.error.no_email", "%s has no email address", m.Name)
		return nil, v.Err()
	}
	return a.deliverToMember(ctx, pr, m, liaison.GuideResent, a.Now().Format("20060102T150405.000000000"))
}

// GuideDeliveries lists the project's guide deliveries, newest first.
func (a *App) GuideDeliveries(ctx context.Context, projectID string) ([]*liaison.GuideDelivery, error) {
	if _, err := a.Project(ctx, projectID); err != nil {
		return nil, err
	}
	return a.Store.FindGuideDeliveries(ctx, projectID)
}

// Guide writes the steering-group guide of a project: for a member (in
// their language, their seat marked) when memberID is set, else the
// customer's copy. lang overrides the language ("" keeps the member's,
// or the caller's for the customer's copy).
func (a *App) Guide(ctx context.Context, projectID, memberID string, lang liaison.Language) (*report.Guide, error) {
	pr, err := a.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	f := report.GuideFor{Project: pr}
	if memberID != "" {
		m, err := a.Store.FindBoardMember(ctx, projectID, memberID)
		if err != nil {
			return nil, err
		}
		f.Reader, f.Role, f.Represents = m.Name, m.Role, m.Represents
		if lang == "" {
			lang = m.Language
		}
	}
	if lang == "" {
		if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil {
			lang = p.User.Language
		}
	}
	if !lang.Valid() {
		var v liaison.Validation
		v.Add("lang", liaison.CodeInvalid, "error.report_language", "must be one of en, sv, fi, zh")
		return nil, v.Err()
	}
	return report.BuildGuide(i18n.For(lang), f, a.Now()), nil
}

// GuidePDF is Guide as a one-page PDF.
func (a *App) GuidePDF(ctx context.Context, projectID, memberID string, lang liaison.Language) ([]byte, *report.Guide, error) {
	g, err := a.Guide(ctx, projectID, memberID, lang)
	if err != nil {
		return nil, nil, err
	}
	pdf, err := report.GuidePDF(g, i18n.For(liaison.Language(g.Language)))
	if err != nil {
		return nil, nil, err
	}
	return pdf, g, nil
}

// GuideFileName names a guide's PDF.
func GuideFileName(g *report.Guide) string {
	return fmt.Sprintf("%s - %s (%s).pdf", g.Title, g.Project, g.Language)
}

// deliverToCustomer mails the guide to the customer of the project's
// account (seed 003 §6.2.4: delivered when the project is agreed, so the
// customer can choose the right people for the board) and records it.
func (a *App) deliverToCustomer(ctx context.Context, pr *liaison.Project) (*liaison.GuideDelivery, error) {
	if pr.OrganisationID == nil {
		return nil, nil
	}
	d, err := a.Store.WhoDecides(ctx, *pr.OrganisationID)
	if err != nil || d == nil || d.Customer == nil || d.Customer.Email == "" {
		return nil, err
	}
	c := d.Customer
	key := fmt.Sprintf("project-guide:agreed:%s:%s:%d", pr.ID, c.ID, a.Now().UnixNano())
	g := report.BuildGuide(i18n.For(c.Language), report.GuideFor{Project: pr, Reader: c.Name}, a.Now())
	if err := a.mailGuide(ctx, key, g, func(ob *mail.Outbox, compose func(*i18n.Localizer) mail.Content) error {
		_, err := ob.EnqueueForPerson(ctx, c, key, compose)
		return err
	}); err != nil {
		return nil, err
	}
	del := &liaison.GuideDelivery{ProjectID: pr.ID, Occasion: liaison.GuideOnAgreed, PersonID: &c.ID, RecipientName: c.Name,
		RecipientEmail: c.Email, Language: liaison.Language(g.Language)}
	if err := a.Store.RecordGuideDelivery(ctx, del); err != nil {
		return nil, err
	}
	return del, nil
}

// deliverToMember mails a member the guide with their seat marked and records it.
func (a *App) deliverToMember(ctx context.Context, pr *liaison.Project, m *liaison.BoardMember, occasion liaison.GuideOccasion, salt string) (*liaison.GuideDelivery, error) {
	key := fmt.Sprintf("project-guide:%s:%s:%s", occasion, m.ID, salt)
	g := report.BuildGuide(i18n.For(m.Language), report.GuideFor{Project: pr, Reader: m.Name, Role: m.Role, Represents: m.Represents}, a.Now())
	err := a.mailGuide(ctx, key, g, func(ob *mail.Outbox, compose func(*i18n.Localizer) mail.Content) error {
		if m.PersonID != nil {
			person, err := a.Store.FindPersonByID(ctx, *m.PersonID)
			if err != nil {
				return err
			}
			_, err = ob.EnqueueForPerson(ctx, person, key, compose)
			return err
		}
		u, err := a.Store.FindUserByID(ctx, *m.UserID)
		if err != nil {
			return err
		}
		_, err = ob.EnqueueFor(ctx, u, key, compose)
		return err
	})
	if err != nil {
		return nil, err
	}
	del := &liaison.GuideDelivery{ProjectID: pr.ID, Occasion: occasion, MemberID: &m.ID, PersonID: m.PersonID, UserID: m.UserID,
		RecipientName: m.Name, RecipientEmail: m.Email, Language: liaison.Language(g.Language), Role: m.Role}
	if err := a.Store.RecordGuideDelivery(ctx, del); err != nil {
		return nil, err
	}
	return del, nil
}

// mailGuide composes the guide's message with the PDF attached and hands
// it to enqueue.
func (a *App) mailGuide(ctx context.Context, key string, g *report.Guide, enqueue func(*mail.Outbox, func(*i18n.Localizer) mail.Content) error) error {
	l := i18n.For(liaison.Language(g.Language))
	pdf, err := report.GuidePDF(g, l)
	if err != nil {
		return err
	}
	compose := func(l *i18n.Localizer) mail.Content {
		var b strings.Builder
		if g.Reader != "" {
			fmt.Fprintf(&b, "%s\n\n", l.T("guide.mail.greeting", g.Reader))
		}
		fmt.Fprintf(&b, "%s\n\n%s\n\n%s", g.Note, l.T("guide.mail.attached", g.Project), g.Intro)
		return mail.Content{Subject: l.T("guide.mail.subject", g.Project), Text: b.String(),
			Attachments: []mail.Attachment{{Name: GuideFileName(g), ContentType: "application/pdf", Data: pdf}}}
	}
	return enqueue(&mail.Outbox{Store: a.Store}, compose)
}

// ---------- lessons ----------

// Lessons lists the project's lessons log, newest first.
func (a *App) Lessons(ctx context.Context, projectID string) ([]*liaison.Lesson, error) {
	if _, err := a.Project(ctx, projectID); err != nil {
		return nil, err
	}
	return a.Store.FindLessons(ctx, projectID)
}

// Lesson returns one lesson.
func (a *App) Lesson(ctx context.Context, projectID, id string) (*liaison.Lesson, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindLesson(ctx, projectID, id)
}

// AddLesson records a lesson: the project's writers.
func (a *App) AddLesson(ctx context.Context, l *liaison.Lesson) error {
	pr, err := a.Project(ctx, l.ProjectID)
	if err != nil {
		return err
	}
	if err := a.canWriteProject(ctx, pr); err != nil {
		return err
	}
	l.Normalize()
	if l.On == "" {
		l.On = liaison.FormatDate(liaison.DateOf(a.Now()))
	}
	return a.Store.CreateLesson(ctx, l)
}

// DeleteLesson removes a lesson: the project's writers.
func (a *App) DeleteLesson(ctx context.Context, projectID, id string) error {
	pr, err := a.Project(ctx, projectID)
	if err != nil {
		return err
	}
	if err := a.canWriteProject(ctx, pr); err != nil {
		return err
	}
	return a.Store.DeleteLesson(ctx, projectID, id)
}

// ---------- report pack ----------

// addProjects appends the projects section to the customer report pack:
// the account's projects live in the period, with status, phase, health,
// dates and manager, and the lessons not marked internal. Never internal
// notes, health notes or internal lessons: the pack is shown to the customer.
func (a *App) addProjects(ctx context.Context, p *report.Pack, l *i18n.Localizer) error {
	var ps []*liaison.Project
	f := liaison.ProjectFilter{OrganisationID: p.AccountID, Sort: "name", Limit: 500}
	for {
		list, next, err := a.Store.FindProjects(ctx, f)
		if err != nil {
			return err
		}
		ps = append(ps, list...)
		if next == "" || len(ps) >= 500 {
			break
		}
		f.Cursor = next
	}
	lessons := map[string][]*liaison.Lesson{}
	for _, pr := range ps {
		ls, err := a.Store.FindLessons(ctx, pr.ID)
		if err != nil {
			return err
		}
		lessons[pr.ID] = ls
	}
	report.AddProjects(p, l, ps, lessons)
	return nil
}
