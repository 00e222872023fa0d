package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/mail"
)

// Complaints (SPEC C6) are read by every internal user and registered by
// anyone in IT but viewers: the service desk and any IT staff take them in
// (SPEC §5). They are handled — moved through their lifecycle, reclassified,
// reassigned, answered — by the complaint coordinator, the responsible
// party, the account's relationship manager and deputy, head and admin.

// canRegisterComplaints: admin, head, manager and staff, through a
// write-scoped session or token.
func canRegisterComplaints(ctx context.Context) error {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return err
	}
	if p.Scope != liaison.ScopeWrite {
		return forbidden("This token may only read.")
	}
	if p.User.Role == liaison.RoleViewer {
		return forbidden("Your role does not allow this.")
	}
	return nil
}

// CanRegisterComplaints reports whether the principal may register complaints.
func (a *App) CanRegisterComplaints(ctx context.Context) bool {
	return canRegisterComplaints(ctx) == nil
}

// canHandleComplaint checks that the principal may handle the complaint.
func (a *App) canHandleComplaint(ctx context.Context, c *liaison.Complaint) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	p := liaison.PrincipalFrom(ctx)
	if (c.CoordinatorID != nil && *c.CoordinatorID == p.User.ID) || (c.ResponsibleID != nil && *c.ResponsibleID == p.User.ID) {
		return nil
	}
	if err := a.canWriteUnit(ctx, c.OrganisationID); err != nil {
		return forbidden("Only the complaint's coordinator or responsible party, the account's relationship manager or deputy, the head of service management or an administrator may handle this complaint.")
	}
	return nil
}

// CanHandleComplaint reports whether the principal may handle the complaint.
func (a *App) CanHandleComplaint(ctx context.Context, c *liaison.Complaint) bool {
	return a.canHandleComplaint(ctx, c) == nil
}

// Complaint returns a complaint.
func (a *App) Complaint(ctx context.Context, id string) (*liaison.Complaint, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindComplaintByID(ctx, id)
}

// Complaints lists complaints.
func (a *App) Complaints(ctx context.Context, f liaison.ComplaintFilter) ([]*liaison.Complaint, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	if f.Trashed {
		if _, err := require(ctx, liaison.AccessCurate); err != nil {
			return nil, "", err
		}
	}
	return a.Store.FindComplaints(ctx, f)
}

// CreateComplaint registers a complaint. Without a coordinator it gets the
// configured one; the recurrence rule of the settings applies.
func (a *App) CreateComplaint(ctx context.Context, c *liaison.Complaint) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	s, err := a.Store.Settings(ctx)
	if err != nil {
		return err
	}
	if c.CoordinatorID == nil && s.ComplaintCoordinatorID != "" {
		c.CoordinatorID = liaison.Ptr(s.ComplaintCoordinatorID)
	}
	return a.Store.CreateComplaint(ctx, c, s.Recurrence())
}

// UpdateComplaint saves c, the complaint's full new state; a status
// change is checked against the lifecycle and recorded with c.Note.
func (a *App) UpdateComplaint(ctx context.Context, c *liaison.Complaint, ifVersion int) error {
	cur, err := a.Store.FindComplaintByID(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := a.canHandleComplaint(ctx, cur); err != nil {
		return err
	}
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if err := liaison.CheckComplaintTransition(cur.Status, c.Status, c.SkipReason); err != nil {
		return err
	}
	if c.OrganisationID != cur.OrganisationID {
		if err := a.canWriteUnit(ctx, c.OrganisationID); err != nil {
			return err
		}
	}
	return a.Store.UpdateComplaint(ctx, c, ifVersion)
}

// Transition asks for a complaint's next status.
type Transition struct {
	Status     liaison.ComplaintStatus
	Note       string
	SkipReason string
	// Notify emails the reporter about the change, in their language;
	// Message is added to the email.
	Notify  bool
	Message string
}

// TransitionComplaint moves a complaint to t.Status, recording who, when
// and the note, and with t.Notify tells the complainant by email (logged
// as a communication). It returns the complaint as saved.
func (a *App) TransitionComplaint(ctx context.Context, id string, ifVersion int, t Transition) (*liaison.Complaint, error) {
	cur, err := a.Store.FindComplaintByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.canHandleComplaint(ctx, cur); err != nil {
		return nil, err
	}
	if !oneOfStatus(t.Status) {
		var v liaison.Validation
		v.Add("status", liaison.CodeInvalid, "complaint.error_status_invalid", "must be one of received, confirmed, investigating, action, resolved, closed")
		return nil, v.Err()
	}
	if err := liaison.CheckComplaintTransition(cur.Status, t.Status, t.SkipReason); err != nil {
		return nil, err
	}
	n := *cur
	n.Status, n.Note, n.SkipReason = t.Status, t.Note, t.SkipReason
	if err := a.Store.UpdateComplaint(ctx, &n, ifVersion); err != nil {
		return nil, err
	}
	if t.Notify && cur.Status != t.Status {
		if err := a.notifyComplainant(ctx, &n, t.Message); err != nil {
			return nil, err
		}
	}
	return a.Store.FindComplaintByID(ctx, id)
}

func oneOfStatus(s liaison.ComplaintStatus) bool {
	for _, x := range liaison.ComplaintStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// notifyComplainant emails the reporter of c its new status through the
// outbox, in the reporter's language, and logs it on the complaint. A
// reporter without an email address is refused with a clear message.
func (a *App) notifyComplainant(ctx context.Context, c *liaison.Complaint, message string) error {
	compose := func(l *i18n.Localizer) mail.Content {
		status := l.T("complaint.status." + string(c.Status))
		text := l.T("complaint.mail_text", c.Title, status)
		if strings.TrimSpace(message) != "" {
			text += "\n\n" + strings.TrimSpace(message)
		}
		return mail.Content{Subject: l.T("complaint.mail_subject", c.Title, status), Text: text}
	}
	key := fmt.Sprintf("complaint:%s:v%d", c.ID, c.Version)
	ob := &mail.Outbox{Store: a.Store}
	var msg *liaison.MailMessage
	var personID *string
	noEmail := func() error {
		var v liaison.Validation
		v.Add("notify", liaison.CodeInvalid, "complaint.error_no_email", "the reporter has no email address: log the call or letter instead")
		return v.Err()
	}
	switch {
	case c.ReporterPersonID != nil:
		p, err := a.Store.FindPersonByID(ctx, *c.ReporterPersonID)
		if err != nil {
			return err
		}
		if p.Email == "" {
			return noEmail()
		}
		if msg, err = ob.EnqueueForPerson(ctx, p, key, compose); err != nil {
			return err
		}
		personID = &p.ID
	case c.ReporterUserID != nil:
		u, err := a.Store.FindUserByID(ctx, *c.ReporterUserID)
		if err != nil {
			return err
		}
		l := i18n.For(u.Language)
		cont := compose(l)
		m := &liaison.MailMessage{DedupeKey: key, To: u.Email, ToName: u.Name, UserID: u.ID, Language: l.Lang(),
			Subject: cont.Subject, Text: cont.Text + "\n\n-- \n" + l.T("mail.footer") + "\n"}
		ok, err := a.Store.EnqueueMail(ctx, m)
		if err != nil {
			return err
		}
		if ok {
			msg = m
		}
	default:
		var v liaison.Validation
		v.Add("notify", liaison.CodeInvalid, "complaint.error_no_reporter", "the complaint names no reporter to notify")
		return v.Err()
	}
	if msg == nil {
		return nil // queued before
	}
	return a.Store.LogCommunication(ctx, &liaison.Communication{ComplaintID: c.ID, Kind: liaison.CommNotification,
		Direction: "out", PersonID: personID, MailID: &msg.ID, Summary: strings.TrimSpace(msg.Subject + "\n" + strings.TrimSpace(message))})
}

// ComplaintBeyondLevel records that a complaint cannot be solved within the
// current service level, with the required explanation. This is where the
// improvement suggestion made from it is created and linked
// (improvement_id) once improvements exist.
func (a *App) ComplaintBeyondLevel(ctx context.Context, id string, ifVersion int, explanation string) (*liaison.Complaint, error) {
	cur, err := a.Store.FindComplaintByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.canHandleComplaint(ctx, cur); err != nil {
		return nil, err
	}
	if err := liaison.CheckBeyondLevel(explanation); err != nil {
		return nil, err
	}
	// The improvement suggestion made from it (SPEC C6): what the complaint
	// is about, the explanation as its description, for the head of
	// service management to decide.
	imp := &liaison.Improvement{Title: cur.Title, Description: explanation, Origin: liaison.OriginComplaint}
	if cur.ServiceID != nil {
		imp.ServiceIDs = []string{*cur.ServiceID}
	}
	if cur.AccountID != "" {
		imp.OrganisationIDs = []string{cur.AccountID}
	}
	return a.Store.SetComplaintBeyondLevel(ctx, id, explanation, ifVersion, imp)
}

// DeleteComplaint moves a complaint to the trash: account data.
func (a *App) DeleteComplaint(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindComplaintByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteComplaint(ctx, id, ifVersion)
}

// RestoreComplaint brings a complaint back from the trash.
func (a *App) RestoreComplaint(ctx context.Context, id string) (*liaison.Complaint, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	return a.Store.RestoreComplaint(ctx, id)
}

// ComplaintEvents returns a complaint's history.
func (a *App) ComplaintEvents(ctx context.Context, id string) ([]*liaison.ComplaintEvent, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindComplaintEvents(ctx, id)
}

// Communications returns what was said with the complainant.
func (a *App) Communications(ctx context.Context, id string) ([]*liaison.Communication, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindCommunications(ctx, id)
}

// LogCommunication logs a call, email, meeting or note with the complainant.
// Notifications are logged by the system when sent.
func (a *App) LogCommunication(ctx context.Context, m *liaison.Communication) error {
	cur, err := a.Store.FindComplaintByID(ctx, m.ComplaintID)
	if err != nil {
		return err
	}
	if err := a.canHandleComplaint(ctx, cur); err != nil {
		return err
	}
	if m.Kind == liaison.CommNotification {
		var v liaison.Validation
		v.Add("kind", liaison.CodeInvalid, "complaint.error_notification_by_system", "notifications are logged when sent: use email, call, meeting, letter or note")
		return v.Err()
	}
	m.MailID = nil
	return a.Store.LogCommunication(ctx, m)
}

// ComplaintStats is the analysis of complaints received in [from, to).
func (a *App) ComplaintStats(ctx context.Context, from, to time.Time) (*liaison.ComplaintStats, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.ComplaintStats(ctx, from, to)
}

// Escalations (SPEC C12): read by every internal user; raised by admin,
// head and managers (recurrence raises its own); decided and closed by the
// head of service management and admin.

// Escalation returns an escalation.
func (a *App) Escalation(ctx context.Context, id string) (*liaison.Escalation, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindEscalationByID(ctx, id)
}

// Escalations lists escalations.
func (a *App) Escalations(ctx context.Context, f liaison.EscalationFilter) ([]*liaison.Escalation, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindEscalations(ctx, f)
}

// CanRaiseEscalation reports whether the principal may raise escalations.
func (a *App) CanRaiseEscalation(ctx context.Context) bool {
	_, err := require(ctx, liaison.AccessWrite)
	return err == nil
}

// CanDecideEscalation reports whether the principal may decide and close escalations.
func (a *App) CanDecideEscalation(ctx context.Context) bool {
	_, err := require(ctx, liaison.AccessCurate)
	return err == nil
}

// CreateEscalation raises an escalation by hand, e.g. a complaint or an
// account taken to the IT steering group.
func (a *App) CreateEscalation(ctx context.Context, e *liaison.Escalation) error {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return err
	}
	e.Normalize()
	return a.Store.CreateEscalation(ctx, e)
}

// UpdateEscalation saves a decision or a closing: head and admin.
func (a *App) UpdateEscalation(ctx context.Context, e *liaison.Escalation, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.UpdateEscalation(ctx, e, ifVersion)
}
