package web

import (
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Contact channels, the contact log and announcements (SPEC C16): an
// account's "Contacts" tab (its channels, the named contact of each
// service it uses, and its contact log), the log across accounts, a
// contact's page with its routing and status, and announcements.

func init() {
	pages = append(pages, "contacts", "contact", "contact_form", "channel_form", "announcements", "announcement", "announcement_form")
}

func (h *Handler) contactRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	read, signedIn := liaison.AccessRead, liaison.AccessSignedIn
	return []route{
		r("GET", "/contacts", read, h.showContacts),
		r("GET", "/contacts/new", read, h.newContact),
		r("POST", "/contacts", signedIn, h.createContact),
		r("GET", "/contacts/{id}", read, h.showContact),
		r("GET", "/contacts/{id}/edit", read, h.editContact),
		r("POST", "/contacts/{id}", signedIn, h.updateContact),
		r("POST", "/contacts/{id}/status", signedIn, h.moveContact),
		r("POST", "/contacts/{id}/project", signedIn, h.contactToProject),
		r("POST", "/contacts/{id}/delete", signedIn, h.deleteContact),
		r("GET", "/organisations/{id}/contacts", read, h.showUnitContacts),
		r("GET", "/channels/new", read, h.newChannel),
		r("POST", "/channels", signedIn, h.createChannel),
		r("GET", "/channels/{id}/edit", read, h.editChannel),
		r("POST", "/channels/{id}", signedIn, h.updateChannel),
		r("POST", "/channels/{id}/delete", signedIn, h.deleteChannel),
		r("GET", "/announcements", read, h.showAnnouncements),
		r("GET", "/announcements/new", read, h.newAnnouncement),
		r("POST", "/announcements", signedIn, h.createAnnouncement),
		r("GET", "/announcements/{id}", read, h.showAnnouncement),
		r("GET", "/announcements/{id}/edit", read, h.editAnnouncement),
		r("POST", "/announcements/{id}", signedIn, h.updateAnnouncement),
		r("POST", "/announcements/{id}/publish", signedIn, h.publishAnnouncement),
		r("POST", "/announcements/{id}/delete", signedIn, h.deleteAnnouncement),
	}
}

// ---------- the log ----------

type contactsPage struct {
	Page
	Q        ListQuery
	Items    []*liaison.Contact
	Next     string
	Statuses []Option
	Kinds    []Option
	Channels []Option
	Accounts []Option
	CanLog   bool
}

func (h *Handler) showContacts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "contacts")
	p.Title = p.L.T("contact.list.title")
	q := ListQuery{Base: "/contacts", Values: r.URL.Query()}
	f := liaison.ContactFilter{Q: q.Get("q"), OrganisationID: q.Get("organisation_id"), Status: liaison.ContactStatus(q.Get("status")),
		Kind: liaison.ContactKind(q.Get("kind")), Channel: liaison.ComplaintChannel(q.Get("channel")), Open: q.Get("open") == "1",
		ResponsibleID: q.Get("responsible_id"), Cursor: q.Get("cursor"), Limit: 50}
	if !oneOfImp(f.Status, liaison.ContactStatuses) {
		f.Status = ""
	}
	if !oneOfImp(f.Kind, liaison.ContactKinds) {
		f.Kind = ""
	}
	if !oneOfImp(f.Channel, liaison.ComplaintChannels) {
		f.Channel = ""
	}
	if exportFormat(r) != "" {
		h.exportContacts(w, r, "contacts", "contact.list.title", f)
		return
	}
	list, next, err := h.app.Contacts(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Contacts(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &contactsPage{Page: p, Q: q, Items: list, Statuses: enumOptions(p.L, "contact.status.", liaison.ContactStatuses),
		Kinds: enumOptions(p.L, "contact.kind.", liaison.ContactKinds), Channels: enumOptions(p.L, "complaint.channel.", liaison.ComplaintChannels),
		CanLog: h.app.CanLogContacts(ctx)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "contacts", data)
}

// exportContacts answers the file of the contacts f selects.
func (h *Handler) exportContacts(w http.ResponseWriter, r *http.Request, name, titleKey string, f liaison.ContactFilter) {
	exportList(h, w, r, name, titleKey, contactColumns(h.localizer(r)), func(cursor string, limit int) ([]*liaison.Contact, string, error) {
		f.Cursor, f.Limit = cursor, limit
		return h.app.Contacts(r.Context(), f)
	})
}

// contactColumns are the columns of an exported contact log.
func contactColumns(l *i18n.Localizer) []exportColumn[*liaison.Contact] {
	return []exportColumn[*liaison.Contact]{
		{"contact.field.subject", func(c *liaison.Contact) any { return c.Subject }},
		{"contact.field.account", func(c *liaison.Contact) any { return c.AccountName }},
		{"export.unit", func(c *liaison.Contact) any { return c.OrganisationName }},
		{"contact.field.kind", func(c *liaison.Contact) any { return enumLabel(l, "contact.kind.", c.Kind) }},
		{"contact.field.channel", func(c *liaison.Contact) any { return enumLabel(l, "complaint.channel.", c.Channel) }},
		{"contact.field.received_on", func(c *liaison.Contact) any { return dayString(&c.ReceivedOn) }},
		{"contact.field.person", func(c *liaison.Contact) any { return c.PersonName }},
		{"contact.field.service", func(c *liaison.Contact) any { return c.ServiceName }},
		{"contact.field.responsible", func(c *liaison.Contact) any { return c.ResponsibleName }},
		{"contact.field.status", func(c *liaison.Contact) any { return enumLabel(l, "contact.status.", c.Status) }},
		{"contact.field.received_by", func(c *liaison.Contact) any { return c.ReceivedByName }},
		{"export.closed_at", func(c *liaison.Contact) any { return c.ClosedAt }},
		{"contact.field.description", func(c *liaison.Contact) any { return c.Description }},
		{"contact.field.resolution", func(c *liaison.Contact) any { return c.Resolution }},
	}
}

// ---------- a contact ----------

type contactPage struct {
	Page
	C       *liaison.Contact
	Rights  app.ContactRights
	Next    []Option // the statuses it may move to
	Users   []Option
	Form    *Form
	Task    *actionRow
	History []historyEntry
}

func (h *Handler) showContact(w http.ResponseWriter, r *http.Request) {
	h.renderContact(w, r, http.StatusOK, nil)
}

func (h *Handler) renderContact(w http.ResponseWriter, r *http.Request, code int, f *Form) {
	ctx := r.Context()
	c, err := h.app.Contact(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, c.Subject, "contacts")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.contacts"), Href: "/contacts"}, {Label: c.Subject}}
	data := &contactPage{Page: p, C: c, Rights: h.app.ContactRights(ctx, c), Form: f}
	if data.Form == nil {
		data.Form = newForm()
		data.Form.Set("responsible_id", deref(c.ResponsibleID))
		data.Form.Set("resolution", c.Resolution)
	}
	for _, s := range liaison.ContactTransitions(c.Status) {
		data.Next = append(data.Next, Option{Value: string(s), Label: p.L.T("contact.move." + string(s))})
	}
	if data.Users, err = h.userOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if c.ActionID != nil {
		if task, err := h.app.Action(ctx, *c.ActionID); err == nil {
			rows := h.actionRows(ctx, p.L, []*liaison.Action{task}, "/contacts/"+c.ID, false)
			data.Task = &rows[0]
		}
	}
	entries, _, err := h.app.Audit(ctx, "contact", c.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, e := range entries {
		data.History = append(data.History, historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)})
	}
	h.render(w, r, code, "contact", data)
}

// moveContact routes, starts, closes or reopens a contact from its page.
func (h *Handler) moveContact(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Contact(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := *cur
	f := newForm()
	for _, k := range []string{"status", "responsible_id", "resolution", "version"} {
		f.Set(k, r.PostFormValue(k))
	}
	c.Status, c.ResponsibleID = liaison.ContactStatus(f.Get("status")), optional(f.Get("responsible_id"))
	if c.ResponsibleID == nil {
		c.ResponsibleID = cur.ResponsibleID
	}
	if res := f.Get("resolution"); res != "" {
		c.Resolution = res
	}
	if err := h.app.UpdateContact(ctx, &c, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, "status", "responsible_id", "resolution"); code != 0 {
			h.renderContact(w, r, code, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "contact.flash.moved."+string(c.Status), c.ResponsibleName)
	redirect(w, r, "/contacts/"+c.ID)
}

func (h *Handler) contactToProject(w http.ResponseWriter, r *http.Request) {
	_, pr, err := h.app.ContactToProject(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version")), r.PostFormValue("name"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "contact.flash.project", pr.Name)
	redirect(w, r, "/projects/"+pr.ID)
}

func (h *Handler) deleteContact(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.app.Contact(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteContact(ctx, c.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "contact.flash.deleted", c.Subject)
	redirect(w, r, "/organisations/"+c.AccountID+"/contacts")
}

// ---------- contact form ----------

type contactFormPage struct {
	Page
	Form     *Form
	C        *liaison.Contact
	Accounts []Option
	People   []Option
	Services []Option
	Users    []Option
	Channels []Option
	Kinds    []Option
	Back     string
}

var contactFields = []string{"organisation_id", "channel", "kind", "subject", "description", "received_on", "person_id", "service_id", "responsible_id"}

func contactForm(c *liaison.Contact) *Form {
	f := newForm()
	f.Set("organisation_id", c.OrganisationID)
	f.Set("channel", string(c.Channel))
	f.Set("kind", string(c.Kind))
	f.Set("subject", c.Subject)
	f.Set("description", c.Description)
	f.Set("received_on", c.ReceivedOn)
	f.Set("person_id", deref(c.PersonID))
	f.Set("service_id", deref(c.ServiceID))
	f.Set("responsible_id", deref(c.ResponsibleID))
	f.Set("version", itoa(c.Version))
	return f
}

func readContactForm(r *http.Request, c *liaison.Contact) *Form {
	f := newForm()
	for _, k := range append(contactFields, "version", "return") {
		f.Set(k, r.PostFormValue(k))
	}
	if c.ID == "" {
		c.OrganisationID = f.Get("organisation_id")
		c.ResponsibleID = optional(f.Get("responsible_id"))
	}
	c.Channel, c.Kind = liaison.ComplaintChannel(f.Get("channel")), liaison.ContactKind(f.Get("kind"))
	c.Subject, c.Description, c.ReceivedOn = f.Get("subject"), f.Get("description"), f.Get("received_on")
	c.PersonID, c.ServiceID = optional(f.Get("person_id")), optional(f.Get("service_id"))
	return f
}

func (h *Handler) renderContactForm(w http.ResponseWriter, r *http.Request, code int, f *Form, c *liaison.Contact) {
	ctx := r.Context()
	p := h.page(w, r, "", "contacts")
	data := &contactFormPage{Page: p, Form: f, C: c, Channels: enumOptions(p.L, "complaint.channel.", liaison.ComplaintChannels),
		Kinds: enumOptions(p.L, "contact.kind.", liaison.ContactKinds)}
	if c != nil {
		p.Title = p.L.T("contact.edit.title", c.Subject)
		data.Back = "/contacts/" + c.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.contacts"), Href: "/contacts"}, {Label: c.Subject, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("contact.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.contacts"), Href: "/contacts"}, {Label: p.Title}}
		data.Back = safeReturn(f.Get("return"), "/contacts")
	}
	data.Page = p
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Users, err = h.userOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if acct := f.Get("organisation_id"); acct != "" {
		people, _, err := h.app.People(ctx, liaison.PersonFilter{OrganisationID: acct, Limit: 200})
		if err == nil {
			for _, pe := range people {
				data.People = append(data.People, Option{Value: pe.ID, Label: pe.Name})
			}
		}
	}
	h.render(w, r, code, "contact_form", data)
}

func (h *Handler) newContact(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanLogContacts(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	q := r.URL.Query()
	f := contactForm(&liaison.Contact{OrganisationID: q.Get("organisation_id"), Channel: liaison.ComplaintChannel(q.Get("channel")),
		Kind: liaison.ContactQuestion})
	f.Set("version", "")
	f.Set("received_on", liaison.FormatDate(liaison.DateOf(h.now())))
	back := "/contacts"
	if id := q.Get("organisation_id"); id != "" {
		back = "/organisations/" + id + "/contacts"
	}
	f.Set("return", safeReturn(q.Get("return"), back))
	h.renderContactForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createContact(w http.ResponseWriter, r *http.Request) {
	c := &liaison.Contact{}
	f := readContactForm(r, c)
	if err := h.app.CreateContact(r.Context(), c); err != nil {
		if code := applyFormError(h.localizer(r), f, err, contactFields...); code != 0 {
			h.renderContactForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "contact.flash.created", c.Subject, c.AccountName)
	redirect(w, r, "/contacts/"+c.ID)
}

func (h *Handler) editContact(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.app.Contact(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.ContactRights(ctx, c).Edit {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderContactForm(w, r, http.StatusOK, contactForm(c), c)
}

func (h *Handler) updateContact(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Contact(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := *cur
	f := readContactForm(r, &c)
	f.Set("organisation_id", cur.OrganisationID)
	if err := h.app.UpdateContact(ctx, &c, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, contactFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderContactForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/contacts/"+c.ID)
}

// ---------- the account tab ----------

type unitContactsPage struct {
	*unitPage
	Channels      []*liaison.Channel
	Subscriptions []*liaison.Subscription
	Contacts      []*liaison.Contact
	Announcements []*liaison.Announcement
	CanLog        bool
	CanChannels   bool
}

func (h *Handler) showUnitContacts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	if exportFormat(r) != "" { // the tab's contact log
		h.exportContacts(w, r, "contacts", "contact.log.title", liaison.ContactFilter{OrganisationID: id})
		return
	}
	data := &unitContactsPage{unitPage: &unitPage{Page: p, V: v, Tab: "contacts", CanDelete: v.CanWrite && len(v.Children) == 0},
		CanLog: h.app.CanLogContacts(ctx), CanChannels: h.app.CanWriteChannels(ctx, id)}
	var err error
	if data.Channels, _, err = h.app.Channels(ctx, liaison.ChannelFilter{OrganisationID: id, Limit: 200}); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Subscriptions, _, err = h.app.Subscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: id, Limit: 200}); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Contacts, _, err = h.app.Contacts(ctx, liaison.ContactFilter{OrganisationID: id, Limit: 100}); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Announcements, _, err = h.app.Announcements(ctx, liaison.AnnouncementFilter{OrganisationID: id, Limit: 10}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- channel form ----------

type channelFormPage struct {
	Page
	Form     *Form
	Ch       *liaison.Channel
	Account  string
	Kinds    []Option
	Users    []Option
	Services []Option
	Back     string
}

var channelFields = []string{"kind", "name", "address", "user_id", "service_id", "note"}

func (h *Handler) renderChannelForm(w http.ResponseWriter, r *http.Request, code int, f *Form, ch *liaison.Channel) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	acct := f.Get("organisation_id")
	data := &channelFormPage{Page: p, Form: f, Ch: ch, Kinds: enumOptions(p.L, "channel.kind.", liaison.ChannelKinds),
		Back: "/organisations/" + acct + "/contacts"}
	if o, err := h.app.Organisation(ctx, acct); err == nil {
		data.Account = o.Name
	} else {
		h.fail(w, r, err)
		return
	}
	if ch != nil {
		p.Title = p.L.T("channel.edit.title", ch.Name)
	} else {
		p.Title = p.L.T("channel.new.title")
	}
	p.Crumbs = []Crumb{{Label: data.Account, Href: data.Back}, {Label: p.Title}}
	data.Page = p
	var err error
	if data.Users, err = h.userOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "channel_form", data)
}

func readChannelForm(r *http.Request, ch *liaison.Channel) *Form {
	f := newForm()
	for _, k := range append(channelFields, "organisation_id", "version") {
		f.Set(k, r.PostFormValue(k))
	}
	if ch.ID == "" {
		ch.OrganisationID = f.Get("organisation_id")
	} else {
		f.Set("organisation_id", ch.OrganisationID)
	}
	ch.Kind, ch.Name, ch.Address, ch.Note = liaison.ChannelKind(f.Get("kind")), f.Get("name"), f.Get("address"), f.Get("note")
	ch.UserID, ch.ServiceID = optional(f.Get("user_id")), optional(f.Get("service_id"))
	return f
}

func (h *Handler) newChannel(w http.ResponseWriter, r *http.Request) {
	acct := r.URL.Query().Get("organisation_id")
	if !h.app.CanWriteChannels(r.Context(), acct) {
		h.fail(w, r, forbiddenPage())
		return
	}
	f := newForm()
	f.Set("organisation_id", acct)
	f.Set("kind", r.URL.Query().Get("kind"))
	h.renderChannelForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createChannel(w http.ResponseWriter, r *http.Request) {
	ch := &liaison.Channel{}
	f := readChannelForm(r, ch)
	if err := h.app.CreateChannel(r.Context(), ch); err != nil {
		if code := applyFormError(h.localizer(r), f, err, channelFields...); code != 0 && f.Get("organisation_id") != "" {
			h.renderChannelForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "channel.flash.created", ch.Name)
	redirect(w, r, "/organisations/"+ch.OrganisationID+"/contacts")
}

func (h *Handler) editChannel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ch, err := h.app.Channel(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanWriteChannels(ctx, ch.OrganisationID) {
		h.fail(w, r, forbiddenPage())
		return
	}
	f := newForm()
	f.Set("organisation_id", ch.OrganisationID)
	f.Set("kind", string(ch.Kind))
	f.Set("name", ch.Name)
	f.Set("address", ch.Address)
	f.Set("user_id", deref(ch.UserID))
	f.Set("service_id", deref(ch.ServiceID))
	f.Set("note", ch.Note)
	f.Set("version", itoa(ch.Version))
	h.renderChannelForm(w, r, http.StatusOK, f, ch)
}

func (h *Handler) updateChannel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Channel(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ch := *cur
	f := readChannelForm(r, &ch)
	if err := h.app.UpdateChannel(ctx, &ch, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, channelFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderChannelForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/organisations/"+ch.OrganisationID+"/contacts")
}

func (h *Handler) deleteChannel(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ch, err := h.app.Channel(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteChannel(ctx, ch.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "channel.flash.deleted", ch.Name)
	redirect(w, r, "/organisations/"+ch.OrganisationID+"/contacts")
}

// ---------- announcements ----------

type announcementsPage struct {
	Page
	Items    []*liaison.Announcement
	Next     string
	CanWrite bool
}

func (h *Handler) showAnnouncements(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "announcements")
	p.Title = p.L.T("announcement.list.title")
	q := ListQuery{Base: "/announcements", Values: r.URL.Query()}
	if exportFormat(r) != "" {
		exportList(h, w, r, "announcements", "announcement.list.title", announcementColumns(p.L), func(cursor string, limit int) ([]*liaison.Announcement, string, error) {
			return h.app.Announcements(ctx, liaison.AnnouncementFilter{Cursor: cursor, Limit: limit})
		})
		return
	}
	list, next, err := h.app.Announcements(ctx, liaison.AnnouncementFilter{Cursor: q.Get("cursor"), Limit: 50})
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		list, next, err = h.app.Announcements(ctx, liaison.AnnouncementFilter{Limit: 50})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &announcementsPage{Page: p, Items: list, CanWrite: h.app.CanWriteAnnouncements(ctx)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "announcements", data)
}

// announcementColumns are the columns of the exported announcements.
func announcementColumns(l *i18n.Localizer) []exportColumn[*liaison.Announcement] {
	return []exportColumn[*liaison.Announcement]{
		{"announcement.field.title", func(a *liaison.Announcement) any { return a.Title }},
		{"announcement.field.kind", func(a *liaison.Announcement) any { return enumLabel(l, "announcement.kind.", a.Kind) }},
		{"announcement.field.starts_on", func(a *liaison.Announcement) any { return dayString(&a.StartsOn) }},
		{"announcement.field.ends_on", func(a *liaison.Announcement) any { return dayString(&a.EndsOn) }},
		{"announcement.field.service", func(a *liaison.Announcement) any { return a.ServiceName }},
		{"announcement.field.accounts", func(a *liaison.Announcement) any { return len(a.OrganisationIDs) }},
		{"announcement.field.status", func(a *liaison.Announcement) any { return enumLabel(l, "announcement.status.", a.Status) }},
		{"announcement.field.published_at", func(a *liaison.Announcement) any { return a.PublishedAt }},
		{"export.recipients", func(a *liaison.Announcement) any { return a.Recipients }},
		{"announcement.field.author", func(a *liaison.Announcement) any { return a.AuthorName }},
		{"announcement.field.body", func(a *liaison.Announcement) any { return a.Body }},
	}
}

type announcementPage struct {
	Page
	A          *liaison.Announcement
	Accounts   []string
	Recipients []liaison.AnnouncementRecipient
	CanWrite   bool
}

func (h *Handler) showAnnouncement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Announcement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, a.Title, "announcements")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.announcements"), Href: "/announcements"}, {Label: a.Title}}
	data := &announcementPage{Page: p, A: a, CanWrite: h.app.CanWriteAnnouncements(ctx)}
	for _, id := range a.OrganisationIDs {
		if o, err := h.app.Organisation(ctx, id); err == nil {
			data.Accounts = append(data.Accounts, o.Name)
		}
	}
	if a.Status == liaison.AnnouncementDraft {
		if data.Recipients, err = h.app.AnnouncementRecipients(ctx, a); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "announcement", data)
}

type announcementFormPage struct {
	Page
	Form     *Form
	A        *liaison.Announcement
	Kinds    []Option
	Accounts []Option
	Services []Option
	Chosen   map[string]bool
	Back     string
}

var announcementFields = []string{"kind", "title", "body", "service_id", "organisation_ids", "starts_on", "ends_on"}

func (h *Handler) renderAnnouncementForm(w http.ResponseWriter, r *http.Request, code int, f *Form, a *liaison.Announcement) {
	ctx := r.Context()
	p := h.page(w, r, "", "announcements")
	data := &announcementFormPage{Page: p, Form: f, A: a, Kinds: enumOptions(p.L, "announcement.kind.", liaison.AnnouncementKinds),
		Back: "/announcements", Chosen: map[string]bool{}}
	for _, id := range f.Values["organisation_ids"] {
		data.Chosen[id] = true
	}
	if a != nil {
		p.Title = p.L.T("announcement.edit.title", a.Title)
		data.Back = "/announcements/" + a.ID
	} else {
		p.Title = p.L.T("announcement.new.title")
	}
	p.Crumbs = []Crumb{{Label: p.L.T("nav.announcements"), Href: "/announcements"}, {Label: p.Title}}
	data.Page = p
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "announcement_form", data)
}

func readAnnouncementForm(r *http.Request, a *liaison.Announcement) *Form {
	f := newForm()
	for _, k := range append(announcementFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	f.Values["organisation_ids"] = r.PostForm["organisation_ids"]
	a.Kind, a.Title, a.Body = liaison.AnnouncementKind(f.Get("kind")), f.Get("title"), f.Get("body")
	a.ServiceID, a.StartsOn, a.EndsOn = optional(f.Get("service_id")), f.Get("starts_on"), f.Get("ends_on")
	a.OrganisationIDs = append([]string(nil), r.PostForm["organisation_ids"]...)
	return f
}

func (h *Handler) newAnnouncement(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanWriteAnnouncements(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	f := newForm()
	f.Set("kind", string(liaison.AnnouncementUpdate))
	f.Set("service_id", r.URL.Query().Get("service_id"))
	if id := r.URL.Query().Get("organisation_id"); id != "" {
		f.Values["organisation_ids"] = []string{id}
	}
	h.renderAnnouncementForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createAnnouncement(w http.ResponseWriter, r *http.Request) {
	a := &liaison.Announcement{}
	r.ParseForm()
	f := readAnnouncementForm(r, a)
	if err := h.app.CreateAnnouncement(r.Context(), a); err != nil {
		if code := applyFormError(h.localizer(r), f, err, announcementFields...); code != 0 {
			h.renderAnnouncementForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "announcement.flash.created", a.Title)
	redirect(w, r, "/announcements/"+a.ID)
}

func (h *Handler) editAnnouncement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Announcement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanWriteAnnouncements(ctx) || a.Status != liaison.AnnouncementDraft {
		h.fail(w, r, forbiddenPage())
		return
	}
	f := newForm()
	f.Set("kind", string(a.Kind))
	f.Set("title", a.Title)
	f.Set("body", a.Body)
	f.Set("service_id", deref(a.ServiceID))
	f.Set("starts_on", a.StartsOn)
	f.Set("ends_on", a.EndsOn)
	f.Set("version", itoa(a.Version))
	f.Values["organisation_ids"] = a.OrganisationIDs
	h.renderAnnouncementForm(w, r, http.StatusOK, f, a)
}

func (h *Handler) updateAnnouncement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Announcement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := *cur
	r.ParseForm()
	f := readAnnouncementForm(r, &a)
	if err := h.app.UpdateAnnouncement(ctx, &a, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, err, announcementFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderAnnouncementForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/announcements/"+a.ID)
}

func (h *Handler) publishAnnouncement(w http.ResponseWriter, r *http.Request) {
	a, err := h.app.PublishAnnouncement(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "announcement.flash.published", itoa(a.Recipients))
	redirect(w, r, "/announcements/"+a.ID)
}

func (h *Handler) deleteAnnouncement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := h.app.Announcement(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteAnnouncement(ctx, a.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "announcement.flash.deleted", a.Title)
	redirect(w, r, "/announcements")
}
