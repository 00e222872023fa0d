package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Meetings (SPEC C7): the list (upcoming first, filters in the URL), the
// meeting page (details, participants, agenda, minutes, decisions,
// publishing and sending the report, status), the form that plans one
// (template picker, participant pickers), the printable meeting report,
// the agenda templates, and the account overview's Meetings section.

func init() {
	pages = append(pages, "meetings", "meeting", "meeting_form", "meeting_report", "meeting_templates")
}

func (h *Handler) meetingRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Staff organise meetings too: the service layer checks who may
	// change which meeting, so the writes need only a signed-in guard.
	read, signedIn, curate := liaison.AccessRead, liaison.AccessSignedIn, liaison.AccessCurate
	return []route{
		r("GET", "/meetings", read, h.showMeetings),
		r("GET", "/meetings/new", read, h.newMeeting),
		r("POST", "/meetings", signedIn, h.createMeeting),
		r("GET", "/meetings/agenda", read, h.templateAgenda),
		r("GET", "/meetings/contacts", read, h.contactPicker),
		r("GET", "/meetings/templates", read, h.showMeetingTemplates),
		r("POST", "/meetings/templates", curate, h.createMeetingTemplate),
		r("POST", "/meetings/templates/{id}/delete", curate, h.deleteMeetingTemplate),
		r("GET", "/meetings/{id}", read, h.showMeeting),
		r("GET", "/meetings/{id}/report", read, h.showMeetingReport),
		r("GET", "/meetings/{id}/edit", read, h.editMeeting),
		r("POST", "/meetings/{id}", signedIn, h.updateMeeting),
		r("POST", "/meetings/{id}/status", signedIn, h.setMeetingStatus),
		r("POST", "/meetings/{id}/minutes", signedIn, h.saveMinutes),
		r("POST", "/meetings/{id}/decisions", signedIn, h.addMeetingDecision),
		r("POST", "/meetings/{id}/decisions/{decision_id}/delete", signedIn, h.deleteMeetingDecision),
		r("POST", "/meetings/{id}/publish", signedIn, h.publishMeeting),
		r("POST", "/meetings/{id}/unpublish", signedIn, h.unpublishMeeting),
		r("POST", "/meetings/{id}/send-report", signedIn, h.sendMeetingReport),
		r("POST", "/meetings/{id}/delete", signedIn, h.deleteMeeting),
	}
}

func meetingOptions[T ~string](p Page, prefix string, all []T) []Option {
	o := make([]Option, 0, len(all))
	for _, s := range all {
		o = append(o, Option{Value: string(s), Label: p.L.T(prefix + string(s))})
	}
	return o
}

// ---------- list ----------

type meetingsPage struct {
	Page
	Q         ListQuery
	When      string // upcoming, past or all
	Items     []*liaison.Meeting
	Next      string
	Types     []Option
	Statuses  []Option
	Accounts  []Option
	Organiser []Option
	CanPlan   bool
}

// MeetingTime is when a meeting is, in the viewer's zone.
func (p *Page) MeetingTime(m *liaison.Meeting) string {
	return p.L.DateTime(m.StartsAt, p.TZ) + "–" + m.EndsAt.In(p.TZ).Format("15:04")
}

func (h *Handler) showMeetings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "meetings")
	p.Title = p.L.T("meeting.list.title")
	q := ListQuery{Base: "/meetings", Values: r.URL.Query()}
	f := liaison.MeetingFilter{Q: q.Get("q"), OrganisationID: q.Get("organisation_id"), Type: liaison.MeetingType(q.Get("type")),
		Status: liaison.MeetingStatus(q.Get("status")), OrganiserID: q.Get("organiser_id"), Cursor: q.Get("cursor"), Limit: 50}
	if !oneOfImp(f.Type, liaison.MeetingTypes) {
		f.Type = ""
	}
	if !oneOfImp(f.Status, liaison.MeetingStatuses) {
		f.Status = ""
	}
	if q.Get("mine") != "" && p.User != nil {
		f.ParticipantUserID = p.User.ID
	}
	// Upcoming first: meetings not yet over, soonest first; the past ones
	// latest first; "all" by date, latest first.
	now := h.now()
	when := q.Get("when")
	switch when {
	case "past":
		f.To, f.Sort = &now, "-starts_at"
	case "all":
		f.Sort = "-starts_at"
	default:
		when = "upcoming"
		dayStart := now.Truncate(24 * time.Hour)
		f.From = &dayStart
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "meetings", "meeting.list.title", meetingColumns(p.L), func(cursor string, limit int) ([]*liaison.Meeting, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Meetings(ctx, f)
		})
		return
	}
	list, next, err := h.app.Meetings(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Meetings(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &meetingsPage{Page: p, Q: q, When: when, Items: list, Types: meetingOptions(p, "meeting.type.", liaison.MeetingTypes),
		Statuses: meetingOptions(p, "meeting.status.", liaison.MeetingStatuses), CanPlan: h.app.CanPlanMeetings(ctx)}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Organiser = lk.userOptions()
	h.render(w, r, http.StatusOK, "meetings", data)
}

// ---------- detail ----------

type meetingPage struct {
	Page
	M              *liaison.Meeting
	CanChange      bool
	Next           []liaison.MeetingStatus
	Decisions      []*liaison.MeetingDecision
	Contacts       []liaison.MeetingParticipant // customer-contact participants: the report's recipients
	MinutesF       *Form
	DecisionF      *Form
	SendF          *Form
	Refusal        string
	History        []historyEntry
	Upcoming       bool
	Actions        MeetingActions        // the meeting's action items (partials/actions.html)
	CanStoreReport bool                  // may store a report pack with the meeting
	ReportCopies   []*liaison.ReportCopy // the report packs presented at the meeting
	ReportSent     *app.ReportSent
}

// Published reports whether the minutes are published.
func (p *meetingPage) Published() bool { return p.M.PublishedAt != nil }

// PublishedAtText is when the minutes were published, in the viewer's zone.
func (p *meetingPage) PublishedAtText() string {
	if p.M.PublishedAt == nil {
		return ""
	}
	return p.DateTime(*p.M.PublishedAt)
}

func (h *Handler) loadMeetingPage(w http.ResponseWriter, r *http.Request) (*meetingPage, bool) {
	ctx := r.Context()
	m, err := h.app.Meeting(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	p := h.page(w, r, m.Title, "meetings")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.meetings"), Href: "/meetings"}, {Label: m.OrganisationName, Href: "/organisations/" + m.OrganisationID},
		{Label: m.Title}}
	data := &meetingPage{Page: p, M: m, CanChange: h.app.CanChangeMeeting(ctx, m), Next: liaison.NextMeetingStatuses(m.Status),
		MinutesF: newForm(), DecisionF: newForm(), SendF: newForm(), Upcoming: m.Upcoming(h.now())}
	data.MinutesF.Set("minutes", m.Minutes)
	for _, pt := range m.Participants {
		if pt.PersonID != nil {
			data.Contacts = append(data.Contacts, pt)
		}
	}
	if data.Decisions, err = h.app.MeetingDecisions(ctx, m.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	entries, _, err := h.app.Audit(ctx, "meeting", m.ID, "")
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.History = meetingHistory(data.Page, entries)
	if data.Actions, err = h.meetingActions(ctx, data.L, m.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if data.ReportCopies, err = h.app.ReportCopies(ctx, m.ID); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	data.CanStoreReport = h.app.CanStoreReportCopy(ctx, m.OrganisationID)
	return data, true
}

func (h *Handler) showMeeting(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadMeetingPage(w, r); ok {
		h.render(w, r, http.StatusOK, "meeting", data)
	}
}

func (h *Handler) showMeetingReport(w http.ResponseWriter, r *http.Request) {
	if data, ok := h.loadMeetingPage(w, r); ok {
		data.Title = data.L.T("meeting.report.title", data.M.Title)
		h.render(w, r, http.StatusOK, "meeting_report", data)
	}
}

// refuse re-renders the meeting page with err explained, or fails.
func (h *Handler) refuseOnMeeting(w http.ResponseWriter, r *http.Request, err error, fill func(*meetingPage)) {
	code := httpx.Status(err)
	if code != http.StatusUnprocessableEntity && code != http.StatusPreconditionFailed {
		h.fail(w, r, err)
		return
	}
	data, ok := h.loadMeetingPage(w, r)
	if !ok {
		return
	}
	l := data.L
	if code == http.StatusPreconditionFailed {
		data.Refusal = l.T("form.stale.text")
	} else {
		var parts []string
		for _, m := range l.FieldErrors(err) {
			parts = append(parts, m)
		}
		sort.Strings(parts)
		if len(parts) == 0 {
			parts = append(parts, l.Error(err))
		}
		data.Refusal = strings.Join(parts, " ")
	}
	if fill != nil {
		fill(data)
	}
	h.render(w, r, code, "meeting", data)
}

func (h *Handler) setMeetingStatus(w http.ResponseWriter, r *http.Request) {
	to := liaison.MeetingStatus(r.PostFormValue("status"))
	m, err := h.app.SetMeetingStatus(r.Context(), r.PathValue("id"), to, atoi(r.PostFormValue("version")))
	if err != nil {
		h.refuseOnMeeting(w, r, err, nil)
		return
	}
	h.flashT(w, r, "meeting.flash.status", h.localizer(r).T("meeting.status."+string(m.Status)))
	redirect(w, r, "/meetings/"+m.ID)
}

func (h *Handler) saveMinutes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Meeting(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := *cur
	m.Minutes, m.Agenda = r.PostFormValue("minutes"), cur.Agenda
	if r.PostForm.Has("agenda") {
		m.Agenda = r.PostFormValue("agenda")
	}
	if err := h.app.UpdateMeeting(ctx, &m, atoi(r.PostFormValue("version"))); err != nil {
		h.refuseOnMeeting(w, r, err, func(d *meetingPage) {
			d.MinutesF.Set("minutes", r.PostFormValue("minutes"))
			applyFormError(d.L, d.MinutesF, err, "minutes")
		})
		return
	}
	h.flashT(w, r, "meeting.flash.minutes_saved")
	redirect(w, r, "/meetings/"+m.ID+"#minutes")
}

func (h *Handler) addMeetingDecision(w http.ResponseWriter, r *http.Request) {
	d := &liaison.MeetingDecision{MeetingID: r.PathValue("id"), Text: r.PostFormValue("text")}
	if err := h.app.AddMeetingDecision(r.Context(), d); err != nil {
		h.refuseOnMeeting(w, r, err, func(p *meetingPage) {
			p.DecisionF.Set("text", r.PostFormValue("text"))
			applyFormError(p.L, p.DecisionF, err, "text")
		})
		return
	}
	h.flashT(w, r, "meeting.flash.decision_added")
	redirect(w, r, "/meetings/"+d.MeetingID+"#decisions")
}

func (h *Handler) deleteMeetingDecision(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.app.DeleteMeetingDecision(r.Context(), id, r.PathValue("decision_id")); err != nil {
		h.refuseOnMeeting(w, r, err, nil)
		return
	}
	h.flashT(w, r, "meeting.flash.decision_deleted")
	redirect(w, r, "/meetings/"+id+"#decisions")
}

func (h *Handler) publishMeeting(w http.ResponseWriter, r *http.Request) { h.setPublished(w, r, true) }
func (h *Handler) unpublishMeeting(w http.ResponseWriter, r *http.Request) {
	h.setPublished(w, r, false)
}

func (h *Handler) setPublished(w http.ResponseWriter, r *http.Request, on bool) {
	m, err := h.app.PublishMeeting(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version")), on)
	if err != nil {
		h.refuseOnMeeting(w, r, err, nil)
		return
	}
	if on {
		h.flashT(w, r, "meeting.flash.published")
	} else {
		h.flashT(w, r, "meeting.flash.unpublished")
	}
	redirect(w, r, "/meetings/"+m.ID+"#report")
}

func (h *Handler) sendMeetingReport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sent, err := h.app.SendMeetingReport(r.Context(), id, r.PostForm["person_ids"])
	if err != nil {
		h.refuseOnMeeting(w, r, err, nil)
		return
	}
	switch {
	case len(sent.Sent) > 0:
		h.flashT(w, r, "meeting.flash.report_sent", strings.Join(sent.Sent, ", "))
	default:
		h.flashT(w, r, "meeting.flash.report_already_sent", strings.Join(sent.Skipped, ", "))
	}
	redirect(w, r, "/meetings/"+id+"#report")
}

func (h *Handler) deleteMeeting(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := h.app.Meeting(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteMeeting(ctx, m.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.refuseOnMeeting(w, r, err, nil)
		return
	}
	h.flashT(w, r, "meeting.flash.deleted", m.Title)
	redirect(w, r, "/meetings")
}

// ---------- form ----------

type meetingFormPage struct {
	Page
	Form      *Form
	M         *liaison.Meeting // nil when planning
	Types     []Option
	Forms     []Option
	Accounts  []Option
	Users     []Option
	Contacts  []Option
	Templates []Option
	Back      string
}

var meetingFields = []string{"title", "organisation_id", "type", "form", "organiser_id", "starts_at", "ends_at", "location", "link",
	"agenda", "template_id", "user_ids", "person_ids"}

// Selected reports whether a multi-valued field holds v.
func (p *meetingFormPage) Selected(name, v string) bool {
	for _, x := range p.Form.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

const localTime = "2006-01-02T15:04"

func meetingForm(m *liaison.Meeting, tz *time.Location) *Form {
	f := newForm()
	f.Set("title", m.Title)
	f.Set("organisation_id", m.OrganisationID)
	f.Set("type", string(m.Type))
	f.Set("form", string(m.Form))
	f.Set("organiser_id", deref(m.OrganiserID))
	if !m.StartsAt.IsZero() {
		f.Set("starts_at", m.StartsAt.In(tz).Format(localTime))
		f.Set("ends_at", m.EndsAt.In(tz).Format(localTime))
	}
	f.Set("location", m.Location)
	f.Set("link", m.Link)
	f.Set("agenda", m.Agenda)
	for _, p := range m.Participants {
		if p.UserID != nil {
			f.Values.Add("user_ids", *p.UserID)
		} else if p.PersonID != nil {
			f.Values.Add("person_ids", *p.PersonID)
		}
	}
	f.Set("version", itoa(m.Version))
	return f
}

// readMeetingForm reads the form into m; times are in the viewer's zone.
// A time that does not parse is left zero, and the domain names it.
func readMeetingForm(r *http.Request, m *liaison.Meeting, tz *time.Location) *Form {
	f := newForm()
	for _, k := range []string{"title", "organisation_id", "type", "form", "organiser_id", "starts_at", "ends_at", "location", "link",
		"agenda", "template_id", "version"} {
		f.Set(k, r.PostFormValue(k))
	}
	f.Values["user_ids"] = r.PostForm["user_ids"]
	f.Values["person_ids"] = r.PostForm["person_ids"]
	m.Title, m.OrganisationID, m.Type, m.Form = f.Get("title"), f.Get("organisation_id"), liaison.MeetingType(f.Get("type")), liaison.MeetingForm(f.Get("form"))
	m.OrganiserID, m.Location, m.Link, m.Agenda = optional(f.Get("organiser_id")), f.Get("location"), f.Get("link"), f.Get("agenda")
	m.StartsAt, _ = time.ParseInLocation(localTime, f.Get("starts_at"), tz)
	m.EndsAt, _ = time.ParseInLocation(localTime, f.Get("ends_at"), tz)
	m.Participants = nil
	for _, id := range f.Values["user_ids"] {
		m.Participants = append(m.Participants, liaison.MeetingParticipant{UserID: liaison.Ptr(id)})
	}
	for _, id := range f.Values["person_ids"] {
		m.Participants = append(m.Participants, liaison.MeetingParticipant{PersonID: liaison.Ptr(id)})
	}
	return f
}

// accountContacts lists the people of an account: those of the account's
// unit and those holding a role there, by name.
func (h *Handler) accountContacts(ctx context.Context, orgID string) ([]Option, error) {
	if orgID == "" {
		return nil, nil
	}
	v, err := h.app.AccountView(ctx, orgID)
	if liaison.ErrorCode(err) == liaison.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Option
	add := func(p *liaison.Person) {
		if p != nil && !seen[p.ID] {
			seen[p.ID] = true
			label := p.Name
			if p.Title != "" {
				label += " (" + p.Title + ")"
			}
			out = append(out, Option{Value: p.ID, Label: label})
		}
	}
	for _, p := range v.People {
		add(p)
	}
	for _, rv := range v.Roles {
		add(rv.Person)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
	return out, nil
}

func (h *Handler) templateOptions(ctx context.Context, p Page) ([]Option, error) {
	ts, err := h.app.MeetingTemplates(ctx, p.L.Lang(), false)
	if err != nil {
		return nil, err
	}
	out := make([]Option, len(ts))
	for i, t := range ts {
		out[i] = Option{Value: t.ID, Label: t.Name}
	}
	return out, nil
}

func (h *Handler) renderMeetingForm(w http.ResponseWriter, r *http.Request, code int, f *Form, m *liaison.Meeting) {
	ctx := r.Context()
	p := h.page(w, r, "", "meetings")
	data := &meetingFormPage{Page: p, Form: f, M: m, Types: meetingOptions(p, "meeting.type.", liaison.MeetingTypes),
		Forms: meetingOptions(p, "meeting.form.", liaison.MeetingForms), Back: "/meetings"}
	if m != nil {
		p.Title = p.L.T("meeting.edit.title", m.Title)
		data.Back = "/meetings/" + m.ID
		p.Crumbs = []Crumb{{Label: p.L.T("nav.meetings"), Href: "/meetings"}, {Label: m.Title, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("meeting.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.meetings"), Href: "/meetings"}, {Label: p.Title}}
		if id := f.Get("organisation_id"); id != "" {
			data.Back = "/organisations/" + id
		}
	}
	data.Page = p
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Users = lk.userOptions()
	if data.Contacts, err = h.accountContacts(ctx, f.Get("organisation_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Templates, err = h.templateOptions(ctx, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "meeting_form", data)
}

func (h *Handler) newMeeting(w http.ResponseWriter, r *http.Request) {
	if !h.app.CanPlanMeetings(r.Context()) {
		h.fail(w, r, forbiddenPage())
		return
	}
	q := r.URL.Query()
	tz := h.page(w, r, "", "").TZ
	// The next full hour tomorrow, for an hour: a sensible default to edit.
	start := h.now().In(tz).Truncate(time.Hour).Add(25 * time.Hour)
	m := &liaison.Meeting{OrganisationID: q.Get("organisation_id"), Type: liaison.MeetingType(q.Get("type")), Form: liaison.FormInPerson,
		StartsAt: start, EndsAt: start.Add(time.Hour)}
	if !oneOfImp(m.Type, liaison.MeetingTypes) {
		m.Type = liaison.MeetingServiceReview
	}
	f := meetingForm(m, tz)
	f.Set("version", "")
	if p := liaison.PrincipalFrom(r.Context()); p != nil && p.User != nil {
		f.Set("organiser_id", p.User.ID)
	}
	if m.Type == liaison.MeetingServiceReview {
		f.Set("template_id", liaison.BuiltinServiceReviewTemplate)
	}
	h.renderMeetingForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createMeeting(w http.ResponseWriter, r *http.Request) {
	m := &liaison.Meeting{}
	tz := h.page(w, r, "", "").TZ
	f := readMeetingForm(r, m, tz)
	if err := h.app.CreateMeeting(r.Context(), m, f.Get("template_id")); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), meetingFields...); code != 0 {
			h.renderMeetingForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "meeting.flash.created", m.Title)
	redirect(w, r, "/meetings/"+m.ID)
}

func (h *Handler) editMeeting(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := h.app.Meeting(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanChangeMeeting(ctx, m) {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderMeetingForm(w, r, http.StatusOK, meetingForm(m, h.page(w, r, "", "").TZ), m)
}

func (h *Handler) updateMeeting(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Meeting(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := *cur
	f := readMeetingForm(r, &m, h.page(w, r, "", "").TZ)
	if err := h.app.UpdateMeeting(ctx, &m, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(h.localizer(r), f, foldIndexed(err), meetingFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderMeetingForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/meetings/"+m.ID)
}

// templateAgenda and contactPicker re-render the plan form from the
// values typed so far (the query): the first with the agenda filled from
// the chosen template in the viewer's language, the second with the chosen
// account's contacts to pick from. htmx swaps in just that field; without
// JavaScript the form still works (an empty agenda is filled on save).
func (h *Handler) templateAgenda(w http.ResponseWriter, r *http.Request) { h.formPreview(w, r, true) }
func (h *Handler) contactPicker(w http.ResponseWriter, r *http.Request)  { h.formPreview(w, r, false) }

func (h *Handler) formPreview(w http.ResponseWriter, r *http.Request, agenda bool) {
	q := r.URL.Query()
	f := newForm()
	for k, vs := range q {
		f.Values[k] = vs
	}
	if id := q.Get("template_id"); agenda && id != "" {
		t, err := h.app.MeetingTemplate(r.Context(), id, h.localizer(r).Lang())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		f.Set("agenda", t.Agenda)
	}
	h.renderMeetingForm(w, r, http.StatusOK, f, nil)
}

// ---------- templates ----------

type meetingTemplatesPage struct {
	Page
	Items []*liaison.MeetingTemplate
	Form  *Form
	Types []Option
}

func (h *Handler) renderMeetingTemplates(w http.ResponseWriter, r *http.Request, code int, f *Form) {
	ctx := r.Context()
	p := h.page(w, r, "", "meetings")
	p.Title = p.L.T("meeting.templates.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.meetings"), Href: "/meetings"}, {Label: p.Title}}
	ts, err := h.app.MeetingTemplates(ctx, p.L.Lang(), false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "meeting_templates", &meetingTemplatesPage{Page: p, Items: ts, Form: f,
		Types: meetingOptions(p, "meeting.type.", liaison.MeetingTypes)})
}

func (h *Handler) showMeetingTemplates(w http.ResponseWriter, r *http.Request) {
	h.renderMeetingTemplates(w, r, http.StatusOK, newForm())
}

func (h *Handler) createMeetingTemplate(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	for _, k := range []string{"name", "type", "agenda"} {
		f.Set(k, r.PostFormValue(k))
	}
	t := &liaison.MeetingTemplate{Name: f.Get("name"), Type: liaison.MeetingType(f.Get("type")), Agenda: f.Get("agenda")}
	if err := h.app.CreateMeetingTemplate(r.Context(), t); err != nil {
		if code := applyFormError(h.localizer(r), f, err, "name", "type", "agenda"); code != 0 {
			h.renderMeetingTemplates(w, r, code, f)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "meeting.flash.template_created", t.Name)
	redirect(w, r, "/meetings/templates")
}

func (h *Handler) deleteMeetingTemplate(w http.ResponseWriter, r *http.Request) {
	if err := h.app.DeleteMeetingTemplate(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "meeting.flash.template_deleted")
	redirect(w, r, "/meetings/templates")
}

// ---------- history ----------

var meetingHistoryFields = []struct{ json, label string }{
	{"status", "field.status"}, {"title", "meeting.field.title"}, {"type", "meeting.field.type"}, {"form", "meeting.field.form"},
	{"organiser_name", "meeting.field.organiser"}, {"starts_at", "meeting.field.starts_at"}, {"ends_at", "meeting.field.ends_at"},
	{"location", "meeting.field.location"}, {"link", "meeting.field.link"}, {"published_at", "meeting.field.published_at"},
	{"agenda", "meeting.field.agenda"}, {"minutes", "meeting.field.minutes"}, {"participants", "meeting.field.participants"},
}

// meetingHistory turns a meeting's audit entries into readable changes.
func meetingHistory(p Page, entries []*liaison.AuditEntry) []historyEntry {
	value := func(field string, raw any) string {
		switch v := raw.(type) {
		case nil:
			return ""
		case string:
			switch field {
			case "status", "type", "form":
				return p.L.T("meeting." + field + "." + v)
			case "starts_at", "ends_at", "published_at":
				if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
					return p.DateTime(t)
				}
			}
			return v
		case []any:
			var names []string
			for _, x := range v {
				if m, ok := x.(map[string]any); ok {
					n, _ := m["name"].(string)
					names = append(names, n)
				}
			}
			return strings.Join(names, ", ")
		}
		return ""
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, f := range meetingHistoryFields {
			b, a := value(f.json, before[f.json]), value(f.json, after[f.json])
			if b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f.label), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

// meetingColumns are the columns of the exported meeting list.
func meetingColumns(l *i18n.Localizer) []exportColumn[*liaison.Meeting] {
	return []exportColumn[*liaison.Meeting]{
		{"meeting.field.title", func(m *liaison.Meeting) any { return m.Title }},
		{"meeting.field.organisation", func(m *liaison.Meeting) any { return m.OrganisationName }},
		{"meeting.field.type", func(m *liaison.Meeting) any { return l.T("meeting.type." + string(m.Type)) }},
		{"meeting.field.form", func(m *liaison.Meeting) any { return l.T("meeting.form." + string(m.Form)) }},
		{"meeting.field.starts_at", func(m *liaison.Meeting) any { return m.StartsAt }},
		{"meeting.field.ends_at", func(m *liaison.Meeting) any { return m.EndsAt }},
		{"meeting.field.location", func(m *liaison.Meeting) any { return m.Location }},
		{"field.status", func(m *liaison.Meeting) any { return l.T("meeting.status." + string(m.Status)) }},
		{"meeting.field.organiser", func(m *liaison.Meeting) any { return m.OrganiserName }},
		{"meeting.field.published_at", func(m *liaison.Meeting) any { return m.PublishedAt }},
	}
}
