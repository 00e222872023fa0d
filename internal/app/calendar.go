package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/auth"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/ical"
	"github.com/liaisonhq/liaison/internal/mail"
)

// Calendar feeds (SPEC C7, §4): each user may have one private feed. Its
// secret is made here, handed back once, and stored only as its SHA-256
// (internal/auth, as API tokens are): the owner sees the URL right after
// making it, and renewing makes a new URL and revokes the old one. The
// feed itself needs no session: the secret is the credential, so an
// unknown or revoked secret answers not found, never "sign in".

// calendarSecretPrefix marks feed secrets, so a leaked one is recognisable.
const calendarSecretPrefix = "lcal_"

// CalendarPath is the feed's path for a secret.
func CalendarPath(secret string) string { return "/calendar/" + secret + ".ics" }

// CalendarFeed returns the signed-in user's live feed; ENOTFOUND when they have none.
func (a *App) CalendarFeed(ctx context.Context) (*liaison.CalendarFeed, error) {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return nil, err
	}
	return a.Store.FindCalendarFeed(ctx, p.User.ID)
}

// CreateCalendarFeed makes the signed-in user a new feed, revoking any
// earlier one, and returns its secret: the only time it is known.
func (a *App) CreateCalendarFeed(ctx context.Context) (string, *liaison.CalendarFeed, error) {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return "", nil, err
	}
	if p.Scope != liaison.ScopeWrite {
		return "", nil, forbidden("This token may only read.")
	}
	secret, hash, err := auth.NewSecret(calendarSecretPrefix)
	if err != nil {
		return "", nil, err
	}
	f, err := a.Store.CreateCalendarFeed(ctx, p.User.ID, hash)
	if err != nil {
		return "", nil, err
	}
	return secret, f, nil
}

// RevokeCalendarFeed stops the signed-in user's feed.
func (a *App) RevokeCalendarFeed(ctx context.Context) error {
	p, err := require(ctx, liaison.AccessSignedIn)
	if err != nil {
		return err
	}
	if p.Scope != liaison.ScopeWrite {
		return forbidden("This token may only read.")
	}
	return a.Store.RevokeCalendarFeed(ctx, p.User.ID)
}

// calendarLabels are a calendar's words in l's language.
func calendarLabels(l *i18n.Localizer, u *liaison.User) ical.Labels {
	return ical.Labels{CalendarName: l.T("calendar.feed_name", u.Name), Agenda: l.T("calendar.agenda"),
		Open: l.T("calendar.open"), Account: l.T("calendar.account")}
}

// feedLookback is how far back a feed reaches: last month's meetings stay
// visible, older ones drop out so the feed stays small.
const feedLookbackDays = 31

// CalendarICS renders the feed of a secret, with links to baseURL. It
// needs no principal; an unknown, malformed or revoked secret, or one of
// a deactivated user, answers ENOTFOUND.
func (a *App) CalendarICS(ctx context.Context, secret, baseURL string) ([]byte, error) {
	if !strings.HasPrefix(secret, calendarSecretPrefix) || len(secret) > 200 {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "calendar feed not found or revoked", Key: "calendar.error.not_found"}
	}
	f, err := a.Store.FindCalendarFeedByHash(ctx, auth.HashSecret(secret))
	if err != nil {
		return nil, err
	}
	u, err := a.Store.FindUserByID(ctx, f.UserID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, &liaison.Error{Code: liaison.ENOTFOUND, Message: "calendar feed not found or revoked", Key: "calendar.error.not_found"}
	}
	from := a.Now().AddDate(0, 0, -feedLookbackDays)
	meetings, err := a.Store.CalendarMeetings(ctx, u.ID, from)
	if err != nil {
		return nil, err
	}
	tasks, err := a.Store.CalendarTasks(ctx, u.ID, from)
	if err != nil {
		return nil, err
	}
	return ical.Feed(calendarLabels(i18n.For(u.Language), u), baseURL, meetings, tasks), nil
}

// canInvite reports whether the principal may send a meeting's
// invitations: its organiser, staff (who organise meetings, §5), and
// whoever writes the meeting's account.
func (a *App) canInvite(ctx context.Context, p *liaison.Principal, m *liaison.CalendarMeeting) bool {
	if p.Scope != liaison.ScopeWrite || p.User.Role == liaison.RoleViewer {
		return false
	}
	if p.User.Role == liaison.RoleStaff || (m.Organiser != nil && m.Organiser.UserID == p.User.ID) {
		return true
	}
	return a.canWriteUnit(ctx, m.OrganisationID) == nil
}

// InvitationResult says how a meeting's invitations went.
type InvitationResult struct {
	Queued  int      `json:"queued" doc:"Invitations written to the outbox now."`
	Already int      `json:"already" doc:"Participants already invited to this version of the meeting."`
	NoEmail []string `json:"no_email" doc:"Participants without an email address, who were not invited."`
}

// SendInvitations emails every participant of a meeting with an email
// address an invitation in their language with invite.ics (METHOD:REQUEST)
// attached. One invitation per participant and meeting version: sending
// again after no change queues nothing; after an edit, the new SEQUENCE
// updates the recipients' calendars. A cancelled meeting is refused.
func (a *App) SendInvitations(ctx context.Context, meetingID, baseURL string) (*InvitationResult, error) {
	p, err := require(ctx, liaison.AccessRead)
	if err != nil {
		return nil, err
	}
	m, err := a.Store.MeetingForInvitation(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	if !a.canInvite(ctx, p, m) {
		return nil, readOnlyOr(p, "Only the meeting's organiser, staff, the account's relationship manager or deputy, the head of service management or an administrator may send its invitations.")
	}
	if m.Status == string(liaison.MeetingCancelled) {
		var v liaison.Validation
		v.Add("status", liaison.CodeInvalid, "calendar.error.cancelled", "the meeting is cancelled: there is nothing to invite to")
		return nil, v.Err()
	}
	if len(m.Attendees) == 0 {
		var v liaison.Validation
		v.Add("participants", liaison.CodeRequired, "calendar.error.no_participants", "the meeting has no participants to invite")
		return nil, v.Err()
	}
	res := &InvitationResult{NoEmail: []string{}}
	ob := &mail.Outbox{Store: a.Store}
	for _, at := range m.Attendees {
		if at.Email == "" {
			res.NoEmail = append(res.NoEmail, at.Name)
			continue
		}
		l := i18n.For(at.Language)
		data := ical.Invitation(calendarLabels(l, p.User), baseURL, m, a.Now())
		c := invitationContent(l, m, baseURL, data)
		key := fmt.Sprintf("invite:%s:v%d:%s", m.ID, m.Version, strings.ToLower(at.Email))
		var queued bool
		if at.UserID != "" {
			u := &liaison.User{ID: at.UserID, Name: at.Name, Email: at.Email, Language: at.Language}
			queued, err = ob.EnqueueFor(ctx, u, key, func(*i18n.Localizer) mail.Content { return c })
		} else {
			person := &liaison.Person{ID: at.PersonID, Name: at.Name, Email: at.Email, Language: at.Language}
			var msg *liaison.MailMessage
			msg, err = ob.EnqueueForPerson(ctx, person, key, func(*i18n.Localizer) mail.Content { return c })
			queued = msg != nil
		}
		if err != nil {
			return nil, err
		}
		if queued {
			res.Queued++
		} else {
			res.Already++
		}
	}
	return res, nil
}

// invitationContent is an invitation email in l's language.
func invitationContent(l *i18n.Localizer, m *liaison.CalendarMeeting, baseURL string, ics []byte) mail.Content {
	when := l.DateTime(m.StartsAt, time.UTC) + " UTC"
	text := l.T("calendar.invite_text", m.Title, when, m.OrganisationName)
	if place := strings.TrimSpace(m.Location + " " + m.Link); place != "" {
		text += "\n" + l.T("calendar.invite_place", place)
	}
	if ag := strings.TrimSpace(m.Agenda); ag != "" {
		text += "\n\n" + l.T("calendar.agenda") + ":\n" + ag
	}
	text += "\n\n" + l.T("calendar.open") + ": " + baseURL + "/meetings/" + m.ID
	return mail.Content{Subject: l.T("calendar.invite_subject", m.Title, when), Text: text, HTML: mail.TextToHTML(text),
		Attachments: []mail.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=utf-8", Data: ics}}}
}
