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

// The customer data map (SPEC C15): every internal user reads it; anyone
// in IT but viewers records systems and needs (seed 004 §6.2: the map is
// filled in by every IT unit, and whenever a new need is noticed); the
// head and admin remove systems from it.
//
// Contact channels and the contact log (SPEC C16): an account's channels
// are account data (its relationship manager and deputy, head, admin).
// Anyone in IT but viewers logs a contact on any account (any unit may
// take a customer's contact, seed 004 §7); the account's writers, whoever
// logged it and whoever it is routed to change it; a development need
// becomes a project by the account's writers. The relationship manager is
// mailed of every contact logged on the account.
//
// Announcements: managers, head and admin write and publish them.

// CanEditDataMap reports whether the principal may add and change systems.
func (a *App) CanEditDataMap(ctx context.Context) bool { return canRegisterComplaints(ctx) == nil }

// DataSource returns a data source.
func (a *App) DataSource(ctx context.Context, id string) (*liaison.DataSource, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindDataSourceByID(ctx, id)
}

// DataSources lists data sources.
func (a *App) DataSources(ctx context.Context, f liaison.DataSourceFilter) ([]*liaison.DataSource, string, error) {
	access := liaison.AccessRead
	if f.Trashed {
		access = liaison.AccessCurate
	}
	if _, err := require(ctx, access); err != nil {
		return nil, "", err
	}
	return a.Store.FindDataSources(ctx, f)
}

// DataMap answers the five questions of seed 004 §6.2 on today.
func (a *App) DataMap(ctx context.Context, today time.Time) (*liaison.DataMapView, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	all, err := a.Store.AllDataSources(ctx)
	if err != nil {
		return nil, err
	}
	return liaison.BuildDataMap(all, today), nil
}

// CreateDataSource records a system.
func (a *App) CreateDataSource(ctx context.Context, d *liaison.DataSource) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	return a.Store.CreateDataSource(ctx, d)
}

// UpdateDataSource saves d, the system's full new state.
func (a *App) UpdateDataSource(ctx context.Context, d *liaison.DataSource, ifVersion int) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	return a.Store.UpdateDataSource(ctx, d, ifVersion)
}

// DeleteDataSource moves a system to the trash: head and admin.
func (a *App) DeleteDataSource(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return err
	}
	return a.Store.DeleteDataSource(ctx, id, ifVersion)
}

// ---------- channels ----------

// Channel returns a channel.
func (a *App) Channel(ctx context.Context, id string) (*liaison.Channel, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindChannelByID(ctx, id)
}

// Channels lists channels.
func (a *App) Channels(ctx context.Context, f liaison.ChannelFilter) ([]*liaison.Channel, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindChannels(ctx, f)
}

func (a *App) canWriteChannels(ctx context.Context, accountID string) error {
	if err := a.canWriteUnit(ctx, accountID); err != nil {
		if liaison.ErrorCode(err) == liaison.ENOTFOUND {
			return nil // the store names the unknown account as a field error
		}
		return err
	}
	return nil
}

// CanWriteChannels reports whether the principal may change an account's channels.
func (a *App) CanWriteChannels(ctx context.Context, accountID string) bool {
	return a.canWriteUnit(ctx, accountID) == nil
}

// CreateChannel adds a channel to an account.
func (a *App) CreateChannel(ctx context.Context, c *liaison.Channel) error {
	c.Normalize()
	if err := a.canWriteChannels(ctx, c.OrganisationID); err != nil {
		return err
	}
	return a.Store.CreateChannel(ctx, c)
}

// UpdateChannel saves c.
func (a *App) UpdateChannel(ctx context.Context, c *liaison.Channel, ifVersion int) error {
	cur, err := a.Store.FindChannelByID(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.UpdateChannel(ctx, c, ifVersion)
}

// DeleteChannel moves a channel to the trash.
func (a *App) DeleteChannel(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindChannelByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.OrganisationID); err != nil {
		return err
	}
	return a.Store.DeleteChannel(ctx, id, ifVersion)
}

// ---------- contacts ----------

// ContactRights says what the principal may do with a contact.
type ContactRights struct {
	Edit      bool // change, route, close
	Delete    bool
	ToProject bool // make the development need a project
}

// CanLogContacts reports whether the principal may log contacts.
func (a *App) CanLogContacts(ctx context.Context) bool { return canRegisterComplaints(ctx) == nil }

// ContactRights returns what the principal may do with c.
func (a *App) ContactRights(ctx context.Context, c *liaison.Contact) ContactRights {
	writer := a.canWriteUnit(ctx, c.AccountID) == nil
	return ContactRights{Edit: a.canEditContact(ctx, c) == nil, Delete: writer,
		ToProject: writer && c.Kind == liaison.ContactDevelopment && c.ProjectID == nil}
}

func (a *App) canEditContact(ctx context.Context, c *liaison.Contact) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	p := liaison.PrincipalFrom(ctx)
	if (c.ReceivedByID != nil && *c.ReceivedByID == p.User.ID) || (c.ResponsibleID != nil && *c.ResponsibleID == p.User.ID) {
		return nil
	}
	if err := a.canWriteUnit(ctx, c.AccountID); err != nil {
		return forbidden("Only the account's relationship manager or deputy, the head of service management, an administrator, whoever logged the contact or whoever it is routed to may change it.")
	}
	return nil
}

// Contact returns a logged contact.
func (a *App) Contact(ctx context.Context, id string) (*liaison.Contact, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindContactByID(ctx, id)
}

// Contacts lists logged contacts.
func (a *App) Contacts(ctx context.Context, f liaison.ContactFilter) ([]*liaison.Contact, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindContacts(ctx, f)
}

// CreateContact logs c and tells the account's relationship manager.
func (a *App) CreateContact(ctx context.Context, c *liaison.Contact) error {
	if err := canRegisterComplaints(ctx); err != nil {
		return err
	}
	if err := a.Store.CreateContact(ctx, c); err != nil {
		return err
	}
	a.tellManager(ctx, c, "logged")
	return nil
}

// UpdateContact saves c, the contact's full new state; a routing to
// another party is told to the manager too.
func (a *App) UpdateContact(ctx context.Context, c *liaison.Contact, ifVersion int) error {
	cur, err := a.Store.FindContactByID(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := a.canEditContact(ctx, cur); err != nil {
		return err
	}
	if err := a.Store.UpdateContact(ctx, c, ifVersion); err != nil {
		return err
	}
	if c.ResponsibleID != nil && (cur.ResponsibleID == nil || *cur.ResponsibleID != *c.ResponsibleID) {
		a.tellManager(ctx, c, fmt.Sprintf("routed:%d", c.Version))
	}
	return nil
}

// DeleteContact moves a contact to the trash.
func (a *App) DeleteContact(ctx context.Context, id string, ifVersion int) error {
	cur, err := a.Store.FindContactByID(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canWriteUnit(ctx, cur.AccountID); err != nil {
		return err
	}
	return a.Store.DeleteContact(ctx, id, ifVersion)
}

// ContactToProject makes a development need a proposed project on its
// account, named after it unless name is given, and closes the contact.
func (a *App) ContactToProject(ctx context.Context, id string, ifVersion int, name string) (*liaison.Contact, *liaison.Project, error) {
	cur, err := a.Store.FindContactByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := canOrganise(ctx); err != nil {
		return nil, nil, err
	}
	if err := a.canWriteUnit(ctx, cur.AccountID); err != nil {
		return nil, nil, forbidden("Only the account's relationship manager or deputy, the head of service management or an administrator may start a project on the account.")
	}
	if name = strings.TrimSpace(name); name == "" {
		name = cur.Subject
	}
	desc := cur.Description
	if desc == "" {
		desc = cur.Subject
	}
	p := &liaison.Project{Name: name, Description: desc, Status: liaison.ProjectProposed}
	c, err := a.Store.ContactToProject(ctx, id, ifVersion, p)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// tellManager mails the account's relationship manager of a contact, in
// their language; a manager who logged it themselves is not told. A mail
// that cannot be queued is logged, never undoes the contact.
func (a *App) tellManager(ctx context.Context, c *liaison.Contact, event string) {
	if c.ManagerID == "" {
		return
	}
	if p := liaison.PrincipalFrom(ctx); p != nil && p.User != nil && p.User.ID == c.ManagerID && event == "logged" {
		return
	}
	m, err := a.Store.FindUserByID(ctx, c.ManagerID)
	if err != nil || !m.Active || m.Email == "" {
		return
	}
	ob := &mail.Outbox{Store: a.Store}
	if _, err := ob.EnqueueFor(ctx, m, "contact:"+c.ID+":"+event, func(l *i18n.Localizer) mail.Content { return ContactMail(l, c) }); err != nil {
		a.Log.Error("queue contact mail", "contact", c.ID, "err", err)
	}
}

// ContactMail tells a relationship manager of a contact on their account.
func ContactMail(l *i18n.Localizer, c *liaison.Contact) mail.Content {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", l.T("contact.mail.intro", c.AccountName))
	fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.subject"), c.Subject)
	fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.channel"), l.T("complaint.channel."+string(c.Channel)))
	fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.kind"), l.T("contact.kind."+string(c.Kind)))
	if c.PersonName != "" {
		fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.person"), c.PersonName)
	}
	if c.ReceivedByName != "" {
		fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.received_by"), c.ReceivedByName)
	}
	resp := c.ResponsibleName
	if resp == "" {
		resp = l.T("contact.unrouted")
	}
	fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.responsible"), resp)
	fmt.Fprintf(&b, "%s: %s\n", l.T("contact.field.status"), l.T("contact.status."+string(c.Status)))
	if c.Description != "" {
		fmt.Fprintf(&b, "\n%s\n", c.Description)
	}
	fmt.Fprintf(&b, "\n/contacts/%s\n", c.ID)
	return mail.Content{Subject: l.T("contact.mail.subject", c.AccountName, c.Subject), Text: b.String()}
}

// ---------- announcements ----------

// CanWriteAnnouncements reports whether the principal may write and publish announcements.
func (a *App) CanWriteAnnouncements(ctx context.Context) bool {
	_, err := require(ctx, liaison.AccessWrite)
	return err == nil
}

// Announcement returns an announcement.
func (a *App) Announcement(ctx context.Context, id string) (*liaison.Announcement, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.FindAnnouncementByID(ctx, id)
}

// Announcements lists announcements.
func (a *App) Announcements(ctx context.Context, f liaison.AnnouncementFilter) ([]*liaison.Announcement, string, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, "", err
	}
	return a.Store.FindAnnouncements(ctx, f)
}

// CreateAnnouncement stores a draft.
func (a *App) CreateAnnouncement(ctx context.Context, an *liaison.Announcement) error {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return err
	}
	return a.Store.CreateAnnouncement(ctx, an)
}

// UpdateAnnouncement saves a draft.
func (a *App) UpdateAnnouncement(ctx context.Context, an *liaison.Announcement, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return err
	}
	return a.Store.UpdateAnnouncement(ctx, an, ifVersion)
}

// DeleteAnnouncement moves an announcement to the trash.
func (a *App) DeleteAnnouncement(ctx context.Context, id string, ifVersion int) error {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return err
	}
	return a.Store.DeleteAnnouncement(ctx, id, ifVersion)
}

// AnnouncementRecipients lists whom the announcement would reach.
func (a *App) AnnouncementRecipients(ctx context.Context, an *liaison.Announcement) ([]liaison.AnnouncementRecipient, error) {
	if _, err := require(ctx, liaison.AccessRead); err != nil {
		return nil, err
	}
	return a.Store.AnnouncementRecipients(ctx, an)
}

// PublishAnnouncement mails a draft to the targeted accounts' contacts,
// each in their language, and marks it published. The mails are queued
// first, each with its own dedupe key, so a publish retried after a
// failure sends nobody a second copy.
func (a *App) PublishAnnouncement(ctx context.Context, id string, ifVersion int) (*liaison.Announcement, error) {
	if _, err := require(ctx, liaison.AccessWrite); err != nil {
		return nil, err
	}
	an, err := a.Store.FindAnnouncementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if an.Version != ifVersion {
		return nil, &liaison.Error{Code: liaison.ESTALE, Key: "error.stale", Args: []any{an.Version},
			Message: fmt.Sprintf("the record has changed since you read it (now version %d)", an.Version)}
	}
	if an.Status == liaison.AnnouncementPublished {
		return nil, &liaison.Error{Code: liaison.ECONFLICT, Key: "announcement.error.published", Message: "the announcement is published already"}
	}
	recipients, err := a.Store.AnnouncementRecipients(ctx, an)
	if err != nil {
		return nil, err
	}
	ob := &mail.Outbox{Store: a.Store}
	for _, r := range recipients {
		key := "announcement:" + an.ID + ":" + r.Person.ID
		if _, err := ob.EnqueueForPerson(ctx, r.Person, key, func(l *i18n.Localizer) mail.Content { return AnnouncementMail(l, an) }); err != nil {
			return nil, err
		}
	}
	return a.Store.PublishAnnouncement(ctx, id, ifVersion, len(recipients))
}

// AnnouncementMail composes an announcement in l's language.
func AnnouncementMail(l *i18n.Localizer, an *liaison.Announcement) mail.Content {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", an.Title, l.T("announcement.kind."+string(an.Kind)))
	if an.ServiceName != "" {
		fmt.Fprintf(&b, "%s: %s\n", l.T("announcement.field.service"), an.ServiceName)
	}
	if an.StartsOn != "" {
		when := l.DateString(an.StartsOn)
		if an.EndsOn != "" && an.EndsOn != an.StartsOn {
			when += " – " + l.DateString(an.EndsOn)
		}
		fmt.Fprintf(&b, "%s: %s\n", l.T("announcement.field.when"), when)
	}
	fmt.Fprintf(&b, "\n%s\n", an.Body)
	return mail.Content{Subject: l.T("announcement.mail.subject", an.Title), Text: b.String()}
}
