package liaison

import (
	"context"
	"strings"
	"time"
)

// Contact channels, logged customer contacts and announcements (SPEC C16,
// seed 004 §7). A customer reaches IT through agreed channels (the service
// desk, the relationship manager, the service managers of production, the
// named contact of a customer-specific service), but anything can arrive
// anywhere: the contact log takes it from any channel, routes it to the
// party responsible, and keeps its status until it is closed. The
// relationship manager, the process's one accountable face, is told of
// every contact on the account.

// ChannelKind is one of the ways a customer is told to reach IT.
type ChannelKind string

const (
	ChannelKindServiceDesk ChannelKind = "service_desk"
	ChannelKindManager     ChannelKind = "relationship_manager"
	ChannelKindService     ChannelKind = "service_manager" // a production service manager, or a customer-specific service's named contact
	ChannelKindProject     ChannelKind = "project"
	ChannelKindOther       ChannelKind = "other"
)

// ChannelKinds lists the kinds.
var ChannelKinds = []ChannelKind{ChannelKindServiceDesk, ChannelKindManager, ChannelKindService, ChannelKindProject, ChannelKindOther}

// Channel (API resource "channels") is a contact channel an account uses.
type Channel struct {
	ID             string      `json:"id"`
	OrganisationID string      `json:"organisation_id" doc:"The customer account. Required."`
	Kind           ChannelKind `json:"kind" enum:"service_desk,relationship_manager,service_manager,project,other"`
	Name           string      `json:"name" maxLength:"200" doc:"What the customer sees, e.g. Service desk (24/7). Required."`
	Address        string      `json:"address" maxLength:"200" doc:"How to reach it: an email address, a phone number, a link."`
	UserID         *string     `json:"user_id" doc:"The named IT person behind it; required for relationship_manager and service_manager."`
	ServiceID      *string     `json:"service_id" doc:"The service it is for; required for service_manager."`
	Note           string      `json:"note" maxLength:"2000" doc:"When to use it, opening hours."`

	OrganisationName string `json:"organisation_name" readOnly:"true"`
	UserName         string `json:"user_name" readOnly:"true"`
	ServiceName      string `json:"service_name" readOnly:"true"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input.
func (c *Channel) Normalize() {
	c.OrganisationID, c.Name, c.Address, c.Note = trim(c.OrganisationID), trim(c.Name), trim(c.Address), strings.TrimSpace(c.Note)
	c.UserID, c.ServiceID = emptyToNil(c.UserID), emptyToNil(c.ServiceID)
}

// Validate checks the channel's own fields; the account, person and
// service are checked against the store.
func (c *Channel) Validate() error {
	var v Validation
	if c.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "error.required", "is required")
	}
	if !oneOf(c.Kind, ChannelKinds) {
		v.Add("kind", CodeInvalid, "channel.error.kind", "must be one of service_desk, relationship_manager, service_manager, project, other")
	}
	v.RequireName("name", c.Name)
	v.MaxLen("address", c.Address, MaxNameLen)
	v.MaxLen("note", c.Note, 2000)
	if (c.Kind == ChannelKindManager || c.Kind == ChannelKindService) && c.UserID == nil {
		v.Add("user_id", CodeRequired, "channel.error.person_required", "is required: a relationship manager or service manager channel is a named person")
	}
	if c.Kind == ChannelKindService && c.ServiceID == nil {
		v.Add("service_id", CodeRequired, "channel.error.service_required", "is required: name the service this person answers for")
	}
	return v.Err()
}

// ChannelFilter selects channels.
type ChannelFilter struct {
	OrganisationID string
	ServiceID      string
	UserID         string
	Limit          int
	Cursor         string
}

// ContactKind is what a logged contact is about.
type ContactKind string

const (
	ContactQuestion    ContactKind = "question"
	ContactRequest     ContactKind = "request"
	ContactDevelopment ContactKind = "development_need" // may become a project
	ContactFeedback    ContactKind = "feedback"
	ContactOther       ContactKind = "other"
)

// ContactKinds lists the kinds.
var ContactKinds = []ContactKind{ContactQuestion, ContactRequest, ContactDevelopment, ContactFeedback, ContactOther}

// ContactStatus is where a logged contact is.
type ContactStatus string

const (
	ContactNew        ContactStatus = "new"         // logged, nobody owns it yet
	ContactRouted     ContactStatus = "routed"      // handed to the responsible party
	ContactInProgress ContactStatus = "in_progress" // the responsible party is on it
	ContactClosed     ContactStatus = "closed"      // answered, done, or became a project
)

// ContactStatuses lists the statuses in lifecycle order.
var ContactStatuses = []ContactStatus{ContactNew, ContactRouted, ContactInProgress, ContactClosed}

// contactTransitions are the allowed moves: routing may be repeated (to
// hand it on), work starts from new or routed, anything open closes, and
// a closed contact reopens as in progress.
var contactTransitions = map[ContactStatus][]ContactStatus{
	ContactNew:        {ContactRouted, ContactInProgress, ContactClosed},
	ContactRouted:     {ContactRouted, ContactInProgress, ContactClosed},
	ContactInProgress: {ContactRouted, ContactClosed},
	ContactClosed:     {ContactInProgress},
}

// ContactTransitions returns the statuses a contact in from may move to.
func ContactTransitions(from ContactStatus) []ContactStatus { return contactTransitions[from] }

// CheckContactTransition reports whether from → to is allowed, naming the
// allowed ones when not. Staying put is always allowed (an edit).
func CheckContactTransition(from, to ContactStatus) error {
	if from == to && to != ContactRouted {
		return nil
	}
	if oneOf(to, contactTransitions[from]) {
		return nil
	}
	allowed := make([]string, 0, 3)
	for _, s := range contactTransitions[from] {
		allowed = append(allowed, string(s))
	}
	var v Validation
	v.Add("status", CodeInvalid, "contact.error.transition", "cannot go from %s to %s; allowed: %s", from, to, strings.Join(allowed, ", "))
	return v.Err()
}

// Contact (API resource "contacts") is anything a customer brought to IT
// on any channel, logged on the account.
type Contact struct {
	ID             string           `json:"id"`
	OrganisationID string           `json:"organisation_id" doc:"The account or a unit below it. Required."`
	AccountID      string           `json:"account_id" readOnly:"true" doc:"The nearest budget holder at or above organisation_id."`
	Channel        ComplaintChannel `json:"channel" enum:"service_desk,email,meeting,phone,portal,it_unit,internal" doc:"Where it came in."`
	Kind           ContactKind      `json:"kind" enum:"question,request,development_need,feedback,other"`
	Subject        string           `json:"subject" maxLength:"200" doc:"Required."`
	Description    string           `json:"description" maxLength:"20000"`
	ReceivedOn     string           `json:"received_on" format:"date" doc:"Default today; not in the future."`
	PersonID       *string          `json:"person_id" doc:"The customer contact who got in touch, if known."`
	ServiceID      *string          `json:"service_id" doc:"The service it concerns, if any."`
	ResponsibleID  *string          `json:"responsible_id" doc:"The IT user it is routed to; required from routed on."`
	Status         ContactStatus    `json:"status" enum:"new,routed,in_progress,closed" doc:"new → routed | in_progress | closed; routed → routed | in_progress | closed; in_progress → routed | closed; closed → in_progress."`
	Resolution     string           `json:"resolution" maxLength:"20000" doc:"How it was answered; required to close."`
	ProjectID      *string          `json:"project_id" readOnly:"true" doc:"The project a development need became."`
	ActionID       *string          `json:"action_id" readOnly:"true" doc:"The task that routing to someone other than the relationship manager opened."`

	OrganisationName string     `json:"organisation_name" readOnly:"true"`
	AccountName      string     `json:"account_name" readOnly:"true"`
	PersonName       string     `json:"person_name" readOnly:"true"`
	ServiceName      string     `json:"service_name" readOnly:"true"`
	ResponsibleName  string     `json:"responsible_name" readOnly:"true"`
	ReceivedByID     *string    `json:"received_by_id" readOnly:"true" doc:"Who logged it."`
	ReceivedByName   string     `json:"received_by_name" readOnly:"true"`
	ManagerID        string     `json:"manager_id" readOnly:"true" doc:"The account's relationship manager, told of the contact."`
	ClosedAt         *time.Time `json:"closed_at" readOnly:"true"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and fills defaults.
func (c *Contact) Normalize() {
	c.OrganisationID, c.Subject, c.ReceivedOn = trim(c.OrganisationID), trim(c.Subject), trim(c.ReceivedOn)
	c.Description, c.Resolution = strings.TrimSpace(c.Description), strings.TrimSpace(c.Resolution)
	c.PersonID, c.ServiceID, c.ResponsibleID = emptyToNil(c.PersonID), emptyToNil(c.ServiceID), emptyToNil(c.ResponsibleID)
	if c.Status == "" {
		c.Status = ContactNew
		if c.ResponsibleID != nil {
			c.Status = ContactRouted
		}
	}
	if c.Kind == "" {
		c.Kind = ContactQuestion
	}
}

// Validate checks the contact's own fields on today.
func (c *Contact) Validate(today time.Time) error {
	var v Validation
	if c.OrganisationID == "" {
		v.Add("organisation_id", CodeRequired, "contact.error.account_required", "is required: name the account the contact came from")
	}
	if !oneOf(c.Channel, ComplaintChannels) {
		v.Add("channel", CodeInvalid, "contact.error.channel", "must be one of service_desk, email, meeting, phone, portal, it_unit, internal")
	}
	if !oneOf(c.Kind, ContactKinds) {
		v.Add("kind", CodeInvalid, "contact.error.kind", "must be one of question, request, development_need, feedback, other")
	}
	v.RequireName("subject", c.Subject)
	v.Text("description", c.Description)
	v.Text("resolution", c.Resolution)
	if c.ReceivedOn != "" {
		if t, ok := validDate(&v, "received_on", &c.ReceivedOn); ok && t.After(DateOf(today)) {
			v.Add("received_on", CodeInvalid, "contact.error.future", "cannot be in the future")
		}
	}
	if !oneOf(c.Status, ContactStatuses) {
		v.Add("status", CodeInvalid, "contact.error.status", "must be one of new, routed, in_progress, closed")
	}
	if (c.Status == ContactRouted || c.Status == ContactInProgress) && c.ResponsibleID == nil {
		v.Add("responsible_id", CodeRequired, "contact.error.responsible_required", "is required: route the contact to the party responsible for it")
	}
	if c.Status == ContactClosed && c.Resolution == "" {
		v.Add("resolution", CodeRequired, "contact.error.resolution_required", "is required to close: say how the contact was answered")
	}
	return v.Err()
}

// ContactFilter selects contacts. Zero fields do not filter.
type ContactFilter struct {
	Q              string
	OrganisationID string // this unit and the units below it
	Status         ContactStatus
	Open           bool // every status but closed
	Kind           ContactKind
	Channel        ComplaintChannel
	ResponsibleID  string
	Sort           string // -received_on (default), received_on, name (the subject), created_at, updated_at
	Limit          int
	Cursor         string
}

// AnnouncementKind is what an announcement tells.
type AnnouncementKind string

const (
	AnnouncementUpdate   AnnouncementKind = "update"          // a coming update
	AnnouncementChange   AnnouncementKind = "service_change"  // a change to a service
	AnnouncementCritical AnnouncementKind = "critical_window" // a critical update window
	AnnouncementOther    AnnouncementKind = "other"
)

// AnnouncementKinds lists the kinds.
var AnnouncementKinds = []AnnouncementKind{AnnouncementUpdate, AnnouncementChange, AnnouncementCritical, AnnouncementOther}

// AnnouncementStatus is draft until published; a published announcement
// is sent and stays as it was (the portal shows it).
type AnnouncementStatus string

const (
	AnnouncementDraft     AnnouncementStatus = "draft"
	AnnouncementPublished AnnouncementStatus = "published"
)

// Announcement (API resource "announcements") is a proactive notice to
// customers, targeted by service (every account subscribing to it) or by
// account.
type Announcement struct {
	ID              string             `json:"id"`
	Kind            AnnouncementKind   `json:"kind" enum:"update,service_change,critical_window,other"`
	Title           string             `json:"title" maxLength:"200" doc:"Required."`
	Body            string             `json:"body" maxLength:"20000" doc:"The notice. Required."`
	ServiceID       *string            `json:"service_id" doc:"Target every account that subscribes to this service."`
	OrganisationIDs []string           `json:"organisation_ids" maxItems:"500" doc:"Target these accounts. With service_id, both sets are targeted."`
	StartsOn        string             `json:"starts_on" doc:"When the change or window begins; required for critical_window."`
	EndsOn          string             `json:"ends_on" doc:"When it ends; not before starts_on."`
	Status          AnnouncementStatus `json:"status" readOnly:"true" enum:"draft,published" doc:"draft → published by POST announcements/{id}/publish."`

	ServiceName string     `json:"service_name" readOnly:"true"`
	PublishedAt *time.Time `json:"published_at" readOnly:"true"`
	Recipients  int        `json:"recipients" readOnly:"true" doc:"How many customer contacts it was mailed to."`
	AuthorID    *string    `json:"author_id" readOnly:"true"`
	AuthorName  string     `json:"author_name" readOnly:"true"`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and drops empty and repeated targets.
func (a *Announcement) Normalize() {
	a.Title, a.Body, a.StartsOn, a.EndsOn = trim(a.Title), strings.TrimSpace(a.Body), trim(a.StartsOn), trim(a.EndsOn)
	a.ServiceID = emptyToNil(a.ServiceID)
	seen := map[string]bool{}
	ids := make([]string, 0, len(a.OrganisationIDs))
	for _, id := range a.OrganisationIDs {
		if id = trim(id); id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	a.OrganisationIDs = ids
	if a.Status == "" {
		a.Status = AnnouncementDraft
	}
}

// Validate checks the announcement's own fields.
func (a *Announcement) Validate() error {
	var v Validation
	if !oneOf(a.Kind, AnnouncementKinds) {
		v.Add("kind", CodeInvalid, "announcement.error.kind", "must be one of update, service_change, critical_window, other")
	}
	v.RequireName("title", a.Title)
	if a.Body == "" {
		v.Add("body", CodeRequired, "error.required", "is required")
	}
	v.Text("body", a.Body)
	if a.ServiceID == nil && len(a.OrganisationIDs) == 0 {
		v.Add("organisation_ids", CodeRequired, "announcement.error.target_required", "is required: target a service or at least one account")
	}
	if len(a.OrganisationIDs) > 500 {
		v.Add("organisation_ids", CodeInvalid, "announcement.error.too_many", "may name at most 500 accounts")
	}
	var start, end time.Time
	var okStart, okEnd bool
	if a.StartsOn != "" {
		start, okStart = validDate(&v, "starts_on", &a.StartsOn)
	} else if a.Kind == AnnouncementCritical {
		v.Add("starts_on", CodeRequired, "announcement.error.window_required", "is required: a critical update window needs its start")
	}
	if a.EndsOn != "" {
		end, okEnd = validDate(&v, "ends_on", &a.EndsOn)
	}
	if okStart && okEnd && end.Before(start) {
		v.Add("ends_on", CodeInvalid, "announcement.error.ends_before", "cannot be before starts_on")
	}
	if !oneOf(a.Status, []AnnouncementStatus{AnnouncementDraft, AnnouncementPublished}) {
		v.Add("status", CodeInvalid, "announcement.error.status", "must be draft or published")
	}
	return v.Err()
}

// AnnouncementFilter selects announcements.
type AnnouncementFilter struct {
	Q              string
	Status         AnnouncementStatus
	Kind           AnnouncementKind
	ServiceID      string
	OrganisationID string // announcements that target this account (directly or by service)
	Limit          int
	Cursor         string
}

// AnnouncementRecipient is a customer contact an announcement goes to.
type AnnouncementRecipient struct {
	Person      *Person
	AccountName string
}

// ContactStore keeps channels, logged contacts and announcements.
type ContactStore interface {
	CreateChannel(ctx context.Context, c *Channel) error
	FindChannelByID(ctx context.Context, id string) (*Channel, error)
	FindChannels(ctx context.Context, f ChannelFilter) ([]*Channel, string, error)
	UpdateChannel(ctx context.Context, c *Channel, ifVersion int) error
	DeleteChannel(ctx context.Context, id string, ifVersion int) error

	// CreateContact logs c, received by the principal of ctx, on the
	// account of its unit (filled with the account's manager). When it
	// is routed to someone other than the manager, a task (an action
	// owned by the responsible user) opens in the same transaction.
	CreateContact(ctx context.Context, c *Contact) error
	FindContactByID(ctx context.Context, id string) (*Contact, error)
	FindContacts(ctx context.Context, f ContactFilter) ([]*Contact, string, error)
	// UpdateContact saves c (the status move checked by
	// CheckContactTransition); routing to a new responsible user other
	// than the manager opens a task for them.
	UpdateContact(ctx context.Context, c *Contact, ifVersion int) error
	DeleteContact(ctx context.Context, id string, ifVersion int) error
	// ContactToProject makes the development need id a proposed project
	// on its account and closes the contact, linked to it, in one
	// transaction.
	ContactToProject(ctx context.Context, id string, ifVersion int, p *Project) (*Contact, error)

	CreateAnnouncement(ctx context.Context, a *Announcement) error
	FindAnnouncementByID(ctx context.Context, id string) (*Announcement, error)
	FindAnnouncements(ctx context.Context, f AnnouncementFilter) ([]*Announcement, string, error)
	UpdateAnnouncement(ctx context.Context, a *Announcement, ifVersion int) error
	DeleteAnnouncement(ctx context.Context, id string, ifVersion int) error
	// AnnouncementRecipients lists the customer contacts (people with an
	// email and an active role on a targeted account or a unit below it).
	AnnouncementRecipients(ctx context.Context, a *Announcement) ([]AnnouncementRecipient, error)
	// PublishAnnouncement marks a draft published with its recipient count.
	PublishAnnouncement(ctx context.Context, id string, ifVersion int, recipients int) (*Announcement, error)
}
