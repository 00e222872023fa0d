package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Survey campaigns (SPEC C8), the staff side: the list, the campaign
// wizard (one page of steps), the campaign's page with its actions and
// history, and its results as charts with the trend across campaigns.
// The survey templates live under /surveys; the respondent's page is
// respond.go.

func init() {
	pages = append(pages, "campaigns", "campaign", "campaign_form", "campaign_results")
}

func (h *Handler) campaignRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	// Running a campaign is for head and admin, and for a relationship
	// manager within the accounts they manage: the service layer checks
	// the scope, the guard only that the user writes at all. Who sees the
	// results is the survey_results setting, also checked below.
	read, write := liaison.AccessRead, liaison.AccessWrite
	return []route{
		r("GET", "/campaigns", read, h.showCampaigns),
		r("GET", "/campaigns/new", write, h.newCampaign),
		r("POST", "/campaigns", write, h.createCampaign),
		r("GET", "/campaigns/{id}", read, h.showCampaign),
		r("GET", "/campaigns/{id}/history", read, h.showCampaign),
		r("GET", "/campaigns/{id}/results", read, h.showCampaignResults),
		r("GET", "/campaigns/{id}/edit", write, h.editCampaign),
		r("POST", "/campaigns/{id}", write, h.updateCampaign),
		r("POST", "/campaigns/{id}/delete", write, h.deleteCampaign),
		r("POST", "/campaigns/{id}/open", write, h.openCampaign),
		r("POST", "/campaigns/{id}/remind", write, h.remindCampaign),
		r("POST", "/campaigns/{id}/close", write, h.closeCampaign),
	}
}

// Scopes of the wizard's recipients step.
const (
	scopeAll      = "all"
	scopeAccounts = "accounts"
	scopeSegment  = "segment"
	scopeService  = "service"
)

func campaignScope(c *liaison.Campaign) string {
	switch {
	case len(c.OrganisationIDs) > 0:
		return scopeAccounts
	case c.Segment != "":
		return scopeSegment
	case c.ServiceID != nil:
		return scopeService
	}
	return scopeAll
}

func campaignStatusOptions(p Page) []Option {
	var o []Option
	for _, s := range liaison.CampaignStatuses {
		o = append(o, Option{Value: string(s), Label: p.L.T("campaign.status." + string(s))})
	}
	return o
}

func surveyRoleOptions(p Page) []Option {
	var o []Option
	for _, r := range liaison.SurveyRoles {
		o = append(o, Option{Value: string(r), Label: p.L.T("role_kind." + string(r))})
	}
	return o
}

// surveyOptions lists the survey templates, by name.
func (h *Handler) surveyOptions(ctx context.Context) ([]Option, map[string]*liaison.Survey, error) {
	var out []Option
	byID := map[string]*liaison.Survey{}
	f := liaison.SurveyFilter{Limit: 500}
	for {
		list, next, err := h.app.Surveys(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range list {
			out = append(out, Option{Value: s.ID, Label: s.Name})
			byID[s.ID] = s
		}
		if next == "" || len(out) >= 2000 {
			return out, byID, nil
		}
		f.Cursor = next
	}
}

// segmentNames lists the segments as options and their names by id.
func (h *Handler) segmentNames(ctx context.Context) ([]Option, map[string]string, error) {
	segs, err := h.app.Segments(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Option, len(segs))
	names := make(map[string]string, len(segs))
	for i, s := range segs {
		out[i] = Option{Value: s.ID, Label: s.Name}
		names[s.ID] = s.Name
	}
	return out, names, nil
}

func optionNames(opts []Option) map[string]string {
	m := make(map[string]string, len(opts))
	for _, o := range opts {
		m[o.Value] = o.Label
	}
	return m
}

// percentText formats a percentage without decimals, "—" when unknown.
func percentText(p Page, v *float64) string {
	if v == nil {
		return "—"
	}
	return p.L.Decimal(*v, 0) + " %"
}

// npsText formats an NPS (a signed whole number), "—" when unknown.
func npsText(p Page, v *float64) string {
	if v == nil {
		return "—"
	}
	s := p.L.Decimal(*v, 0)
	if *v >= 0.5 {
		s = "+" + s
	}
	return s
}

// ---------- list ----------

type campaignsPage struct {
	Page
	Q        ListQuery
	Month    periodFilter // ?month: campaigns with a response submitted in it
	Items    []*liaison.Campaign
	Next     string
	Statuses []Option
	Surveys  []Option
	CanRun   bool
}

// Rate is a campaign's response rate as text.
func (p *campaignsPage) Rate(c *liaison.Campaign) string {
	if c.Recipients == 0 {
		return "—"
	}
	v := float64(c.Responses) * 100 / float64(c.Recipients)
	return percentText(p.Page, &v)
}

func (h *Handler) showCampaigns(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "surveys")
	p.Title = p.L.T("campaign.list.title")
	q := ListQuery{Base: "/campaigns", Values: r.URL.Query()}
	sortKey := q.Get("sort")
	switch sortKey {
	case "", "name", "-name", "closes_on", "-closes_on", "created_at", "-created_at", "updated_at", "-updated_at":
	default:
		sortKey = ""
	}
	f := liaison.CampaignFilter{Q: q.Get("q"), SurveyID: q.Get("survey_id"), Status: liaison.CampaignStatus(q.Get("status")),
		Sort: sortKey, Cursor: q.Get("cursor"), Limit: 50}
	if f.Sort == "" {
		f.Sort = "-created_at"
	}
	month := monthFilter(p, q, "month", "campaign.list.responded_in")
	f.RespondedFrom, f.RespondedBefore = month.From, month.Before
	if !slices.Contains(liaison.CampaignStatuses, f.Status) {
		f.Status = ""
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "campaigns", "campaign.list.title", campaignColumns(p.L), func(cursor string, limit int) ([]*liaison.Campaign, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Campaigns(ctx, f)
		})
		return
	}
	list, next, err := h.app.Campaigns(ctx, f)
	if liaison.ErrorCode(err) == liaison.EBADREQUEST {
		f.Cursor = ""
		list, next, err = h.app.Campaigns(ctx, f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &campaignsPage{Page: p, Q: q, Items: list, Statuses: campaignStatusOptions(p), CanRun: p.Can("write"), Month: month}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	if data.Surveys, _, err = h.surveyOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "campaigns", data)
}

// ---------- the campaign ----------

type campaignPage struct {
	Page
	C         *liaison.Campaign
	Tab       string
	CanRun    bool
	Scope     string
	Accounts  []Option
	Segment   string
	Service   string
	Audience  *int // a draft's recipients if opened now
	Rate      string
	History   []historyEntry
	NextPage  string
	Remind    bool // reminders may go now
	ResultsOK bool // the viewer sees (some) results
}

func (h *Handler) loadCampaign(w http.ResponseWriter, r *http.Request) (*liaison.Campaign, Page, bool) {
	c, err := h.app.Campaign(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return nil, Page{}, false
	}
	p := h.page(w, r, c.Title, "surveys")
	p.Crumbs = []Crumb{{Label: p.L.T("campaign.list.title"), Href: "/campaigns"}, {Label: c.Title}}
	return c, p, true
}

func (h *Handler) showCampaign(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, p, ok := h.loadCampaign(w, r)
	if !ok {
		return
	}
	data := &campaignPage{Page: p, C: c, Tab: "overview", CanRun: p.Can("write") && h.app.CanRunCampaign(ctx, c), Scope: campaignScope(c)}
	if c.Recipients > 0 {
		v := float64(c.Responses) * 100 / float64(c.Recipients)
		data.Rate = percentText(p, &v)
	}
	_, names, err := h.accounts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, id := range c.OrganisationIDs {
		n, ok := names[id]
		if !ok {
			n = id
		}
		data.Accounts = append(data.Accounts, Option{Value: id, Label: n})
	}
	resolve := h.nameResolver(ctx)
	if c.Segment != "" {
		data.Segment = resolve("segment", c.Segment)
	}
	if c.ServiceID != nil {
		data.Service = resolve("service_id", *c.ServiceID)
	}
	if c.Status == liaison.CampaignDraft && data.CanRun {
		if n, err := h.app.CampaignAudienceSize(ctx, c); err == nil {
			data.Audience = &n
		}
	}
	data.Remind = c.Status == liaison.CampaignOpen && !c.Expired(h.now())
	if c.Status != liaison.CampaignDraft {
		_, err := h.app.CampaignResults(ctx, c.ID, liaison.ByTotal, liaison.ResultFilter{})
		data.ResultsOK = err == nil
	}
	if strings.HasSuffix(r.URL.Path, "/history") {
		data.Tab = "history"
		entries, next, err := h.app.Audit(ctx, "campaign", c.ID, r.URL.Query().Get("cursor"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.History = campaignHistory(p, entries, resolve, names)
		if next != "" {
			data.NextPage = "/campaigns/" + c.ID + "/history?cursor=" + url.QueryEscape(next)
		}
	}
	h.render(w, r, http.StatusOK, "campaign", data)
}

func (h *Handler) openCampaign(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.OpenCampaign(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "campaign.flash.opened", h.localizer(r).Number(c.Recipients))
	redirect(w, r, "/campaigns/"+c.ID)
}

func (h *Handler) remindCampaign(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := h.app.RemindCampaign(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "campaign.flash.reminded", h.localizer(r).Number(n))
	redirect(w, r, "/campaigns/"+id)
}

func (h *Handler) closeCampaign(w http.ResponseWriter, r *http.Request) {
	c, err := h.app.CloseCampaign(r.Context(), r.PathValue("id"), atoi(r.PostFormValue("version")))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "campaign.flash.closed", c.Title)
	redirect(w, r, "/campaigns/"+c.ID)
}

func (h *Handler) deleteCampaign(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.app.Campaign(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteCampaign(ctx, c.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "campaign.flash.deleted", c.Title)
	redirect(w, r, "/campaigns")
}

// campaignHistoryFields are the fields a campaign's history shows, in order.
var campaignHistoryFields = []struct{ json, label string }{
	{"status", "field.status"}, {"title", "campaign.field.title"}, {"survey_id", "campaign.field.survey"},
	{"survey_version", "campaign.field.survey_version"}, {"roles", "campaign.field.roles"},
	{"organisation_ids", "campaign.scope.accounts"}, {"segment", "campaign.scope.segment"}, {"service_id", "campaign.scope.service"},
	{"closes_on", "campaign.field.closes_on"}, {"anonymous", "campaign.field.anonymous"}, {"reminded_at", "campaign.field.reminded_at"},
}

// campaignHistory turns a campaign's audit entries into readable changes.
func campaignHistory(p Page, entries []*liaison.AuditEntry, resolve func(field, id string) string, accounts map[string]string) []historyEntry {
	surveys := map[string]string{}
	// The campaign's own fields; nil, yes/no, numbers and the segment and
	// service ids read as every history shows them (show).
	value := func(field string, raw any) string {
		switch v := raw.(type) {
		case string:
			switch field {
			case "status":
				return p.L.T("campaign.status." + v)
			case "closes_on":
				return p.L.DateString(v)
			case "survey_id":
				if n, ok := surveys[v]; ok {
					return n
				}
				return v
			case "reminded_at":
				if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
					return p.DateTime(t)
				}
				return v
			}
		case []any:
			var parts []string
			for _, x := range v {
				s, _ := x.(string)
				switch field {
				case "roles":
					parts = append(parts, p.L.T("role_kind."+s))
				case "organisation_ids":
					if n, ok := accounts[s]; ok {
						s = n
					}
					parts = append(parts, s)
				default:
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, ", ")
		}
		return show(p, resolve, field, raw)
	}
	out := make([]historyEntry, 0, len(entries))
	for _, e := range entries {
		he := historyEntry{E: e, Action: p.L.T("audit.action." + e.Action)}
		before, after := map[string]any{}, map[string]any{}
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		for _, m := range []map[string]any{before, after} {
			if id, _ := m["survey_id"].(string); id != "" {
				if n, _ := m["survey_name"].(string); n != "" {
					surveys[id] = n
				}
			}
		}
		for _, f := range campaignHistoryFields {
			b, a := value(f.json, before[f.json]), value(f.json, after[f.json])
			if b != a {
				he.Changes = append(he.Changes, fieldChange{Field: p.L.T(f.label), Before: b, After: a})
			}
		}
		out = append(out, he)
	}
	return out
}

// ---------- the wizard ----------

type campaignFormPage struct {
	Page
	Form     *Form
	C        *liaison.Campaign // nil when creating
	Draft    bool              // every step may change
	Surveys  []Option
	Roles    []Option
	Accounts []Option
	Segments []Option
	Services []Option
	Scopes   []Option
	Curate   bool // may send beyond their own accounts
	Today    string
	Back     string
}

// Selected reports whether a multi-valued field holds v.
func (p *campaignFormPage) Selected(name, v string) bool {
	return slices.Contains(p.Form.Values[name], v)
}

var campaignFields = []string{"title", "survey_id", "roles", "scope", "organisation_ids", "segment", "service_id", "closes_on", "anonymous"}

func campaignForm(c *liaison.Campaign) *Form {
	f := newForm()
	f.Set("title", c.Title)
	f.Set("survey_id", c.SurveyID)
	for _, r := range c.Roles {
		f.Values.Add("roles", string(r))
	}
	f.Set("scope", campaignScope(c))
	f.Values["organisation_ids"] = append([]string{}, c.OrganisationIDs...)
	f.Set("segment", c.Segment)
	f.Set("service_id", deref(c.ServiceID))
	f.Set("closes_on", c.ClosesOn)
	if c.Anonymous {
		f.Set("anonymous", "1")
	}
	f.Set("version", itoa(c.Version))
	return f
}

// readCampaignForm reads the wizard into c: every step for a draft, the
// title and closing date of an opened campaign. It returns the errors the
// service layer does not find: a chosen scope without its choice, a
// closing date in the past.
func (h *Handler) readCampaignForm(r *http.Request, c *liaison.Campaign, l interface{ T(string, ...any) string }) *Form {
	f := newForm()
	for _, k := range []string{"title", "survey_id", "scope", "segment", "service_id", "closes_on", "anonymous", "version"} {
		f.Set(k, r.PostFormValue(k))
	}
	f.Values["roles"] = r.PostForm["roles"]
	f.Values["organisation_ids"] = r.PostForm["organisation_ids"]
	c.Title, c.ClosesOn = f.Get("title"), strings.TrimSpace(f.Get("closes_on"))
	today := liaison.FormatDate(liaison.DateOf(h.now()))
	if c.ClosesOn != "" && c.ClosesOn < today {
		if _, err := liaison.ParseDate(c.ClosesOn); err == nil {
			f.Errors["closes_on"] = l.T("campaign.error.closes_on_past")
		}
	}
	if c.ID != "" && c.Status != liaison.CampaignDraft {
		return f
	}
	c.SurveyID, c.SurveyVersion, c.Anonymous = f.Get("survey_id"), 0, f.Has("anonymous")
	c.Roles = nil
	for _, v := range f.Values["roles"] {
		c.Roles = append(c.Roles, liaison.RoleKind(v))
	}
	c.OrganisationIDs, c.Segment, c.ServiceID = nil, "", nil
	switch f.Get("scope") {
	case scopeAccounts:
		c.OrganisationIDs = f.Values["organisation_ids"]
		if len(c.OrganisationIDs) == 0 {
			f.Errors["organisation_ids"] = l.T("campaign.error.accounts_required")
		}
	case scopeSegment:
		c.Segment = f.Get("segment")
		if c.Segment == "" {
			f.Errors["segment"] = l.T("campaign.error.segment_required")
		}
	case scopeService:
		c.ServiceID = optional(f.Get("service_id"))
		if c.ServiceID == nil {
			f.Errors["service_id"] = l.T("campaign.error.service_required")
		}
	case scopeAll, "":
		f.Set("scope", scopeAll)
	default:
		f.Errors["scope"] = l.T("campaign.error.scope_choice")
	}
	return f
}

func (h *Handler) renderCampaignForm(w http.ResponseWriter, r *http.Request, code int, f *Form, c *liaison.Campaign) {
	ctx := r.Context()
	p := h.page(w, r, "", "surveys")
	data := &campaignFormPage{Page: p, Form: f, C: c, Draft: c == nil || c.Status == liaison.CampaignDraft, Roles: surveyRoleOptions(p),
		Curate: p.Can("curate"), Today: liaison.FormatDate(liaison.DateOf(h.now())), Back: "/campaigns"}
	if c != nil {
		p.Title = p.L.T("campaign.edit.title", c.Title)
		data.Back = "/campaigns/" + c.ID
		p.Crumbs = []Crumb{{Label: p.L.T("campaign.list.title"), Href: "/campaigns"}, {Label: c.Title, Href: data.Back}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("campaign.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("campaign.list.title"), Href: "/campaigns"}, {Label: p.Title}}
	}
	data.Page = p
	if !data.Curate && f.Get("scope") == scopeAll {
		f.Set("scope", scopeAccounts) // a manager sends to their own accounts
	}
	for _, s := range []string{scopeAll, scopeAccounts, scopeSegment, scopeService} {
		data.Scopes = append(data.Scopes, Option{Value: s, Label: p.L.T("campaign.scope." + s)})
	}
	var err error
	if data.Surveys, _, err = h.surveyOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if c == nil && len(data.Surveys) == 1 && f.Get("survey_id") == "" && !f.Invalid() {
		f.Set("survey_id", data.Surveys[0].Value) // the only template
	}
	if data.Curate {
		data.Accounts, err = h.accountOptions(ctx)
	} else {
		var mine []*liaison.Organisation
		mine, err = h.app.MyAccounts(ctx)
		for _, o := range mine {
			data.Accounts = append(data.Accounts, Option{Value: o.ID, Label: o.Name})
		}
		sort.SliceStable(data.Accounts, func(i, j int) bool { return data.Accounts[i].Label < data.Accounts[j].Label })
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Segments, _, err = h.segmentNames(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, code, "campaign_form", data)
}

func (h *Handler) newCampaign(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c := &liaison.Campaign{SurveyID: q.Get("survey_id"), Roles: liaison.SurveyRoles,
		ClosesOn: liaison.FormatDate(liaison.DateOf(h.now()).AddDate(0, 0, 21))}
	if id := q.Get("organisation_id"); id != "" {
		c.OrganisationIDs = []string{id}
	}
	f := campaignForm(c)
	f.Set("version", "")
	h.renderCampaignForm(w, r, http.StatusOK, f, nil)
}

// failCampaignForm shows the wizard again with what was wrong, or the
// error page when the error is not the form's.
func (h *Handler) failCampaignForm(w http.ResponseWriter, r *http.Request, f *Form, err error, cur *liaison.Campaign) {
	l := h.localizer(r)
	code := http.StatusUnprocessableEntity
	if err != nil {
		if code = applyFormError(l, f, foldIndexed(err), campaignFields...); code == 0 {
			h.fail(w, r, err)
			return
		}
	}
	if f.Stale && cur != nil {
		f.Set("version", itoa(cur.Version))
	}
	h.renderCampaignForm(w, r, code, f, cur)
}

func (h *Handler) createCampaign(w http.ResponseWriter, r *http.Request) {
	c := &liaison.Campaign{}
	l := h.localizer(r)
	f := h.readCampaignForm(r, c, l)
	if f.Invalid() {
		// Check the rest too, so that every mistake shows at once.
		c.Normalize()
		if err := c.Validate(); err != nil {
			applyFormError(l, f, foldIndexed(err), campaignFields...)
		}
		h.failCampaignForm(w, r, f, nil, nil)
		return
	}
	if err := h.app.CreateCampaign(r.Context(), c); err != nil {
		h.failCampaignForm(w, r, f, err, nil)
		return
	}
	h.flashT(w, r, "campaign.flash.created", c.Title)
	redirect(w, r, "/campaigns/"+c.ID)
}

func (h *Handler) editCampaign(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.app.Campaign(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !h.app.CanRunCampaign(ctx, c) {
		h.fail(w, r, forbiddenPage())
		return
	}
	h.renderCampaignForm(w, r, http.StatusOK, campaignForm(c), c)
}

func (h *Handler) updateCampaign(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Campaign(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := *cur
	l := h.localizer(r)
	f := h.readCampaignForm(r, &c, l)
	if cur.Status != liaison.CampaignDraft {
		// The steps an opened campaign keeps are shown as they are.
		keep := campaignForm(cur)
		for _, k := range []string{"survey_id", "roles", "scope", "organisation_ids", "segment", "service_id", "anonymous"} {
			f.Values[k] = keep.Values[k]
		}
		if f.Err("closes_on") != "" && c.ClosesOn == cur.ClosesOn {
			delete(f.Errors, "closes_on") // a closed campaign keeps its past closing date
		}
	}
	if f.Invalid() {
		if !h.app.CanRunCampaign(ctx, cur) {
			h.fail(w, r, forbiddenPage())
			return
		}
		h.failCampaignForm(w, r, f, nil, cur)
		return
	}
	if err := h.app.UpdateCampaign(ctx, &c, atoi(f.Get("version"))); err != nil {
		h.failCampaignForm(w, r, f, err, cur)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/campaigns/"+c.ID)
}

// ---------- results ----------

type campaignResultsPage struct {
	Page
	C         *liaison.Campaign
	Tab       string
	Forbidden bool
	R         *liaison.Results
	By        string
	Filter    liaison.ResultFilter
	Dims      []Option
	Accounts  []Option
	Services  []Option
	Segments  []Option
	Roles     []Option
	Filtered  bool
	Groups    []resultGroupView
	Questions []questionView
	CSATChart template.HTML
	NPSChart  template.HTML
	Trend     template.HTML
	TrendRows []trendRow
	Threshold int
	CanRun    bool
}

type resultGroupView struct {
	Name string
	G    liaison.ResultGroup
}

type questionView struct {
	N     int
	Text  string
	Type  string
	Chart template.HTML
	Mean  string
	Count int
	Texts []string
}

type trendRow struct {
	ID, Title, ClosesOn string
	Suppressed          bool
	Responses           int
	CSAT, NPS           string
	Current             bool
}

// Rate, CSAT and NPS format a group's figures.
func (p *campaignResultsPage) Rate(g liaison.ResultGroup) string {
	return percentText(p.Page, g.ResponseRate)
}
func (p *campaignResultsPage) CSAT(g liaison.ResultGroup) string { return percentText(p.Page, g.CSAT) }
func (p *campaignResultsPage) NPS(g liaison.ResultGroup) string  { return npsText(p.Page, g.NPS) }

// Link returns the results URL with k set to v and the rest kept.
func (p *campaignResultsPage) Link(kv ...string) string {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("by", p.By)
	set("organisation_id", p.Filter.OrganisationID)
	set("service_id", p.Filter.ServiceID)
	set("segment", p.Filter.Segment)
	set("role", string(p.Filter.Role))
	for i := 0; i+1 < len(kv); i += 2 {
		v.Del(kv[i])
		set(kv[i], kv[i+1])
	}
	base := "/campaigns/" + p.C.ID + "/results"
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

func (h *Handler) showCampaignResults(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, p, ok := h.loadCampaign(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	by := liaison.ResultDimension(q.Get("by"))
	if !slices.Contains(liaison.ResultDimensions, by) {
		by = liaison.ByTotal
	}
	f := liaison.ResultFilter{OrganisationID: q.Get("organisation_id"), ServiceID: q.Get("service_id"), Segment: q.Get("segment"),
		Role: liaison.RoleKind(q.Get("role"))}
	if !slices.Contains(liaison.SurveyRoles, f.Role) {
		f.Role = ""
	}
	data := &campaignResultsPage{Page: p, C: c, Tab: "results", By: string(by), Filter: f, Roles: surveyRoleOptions(p),
		Threshold: liaison.AnonymityThreshold, CanRun: p.Can("write") && h.app.CanRunCampaign(ctx, c),
		Filtered: f != liaison.ResultFilter{}}
	for _, d := range liaison.ResultDimensions {
		key := string(d)
		if key == "" {
			key = "total"
		}
		data.Dims = append(data.Dims, Option{Value: string(d), Label: p.L.T("campaign.results.by." + key)})
	}
	res, err := h.app.CampaignResults(ctx, c.ID, by, f)
	if liaison.ErrorCode(err) == liaison.EFORBIDDEN {
		data.Forbidden = true
		h.render(w, r, http.StatusForbidden, "campaign_results", data)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.R = res
	var names map[string]string
	if data.Accounts, names, err = h.accounts(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.serviceOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	var segNames map[string]string
	if data.Segments, segNames, err = h.segmentNames(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	serviceNames := optionNames(data.Services)
	groupName := func(key string) string {
		var n string
		switch by {
		case liaison.ByAccount:
			n = names[key]
		case liaison.ByService:
			n = serviceNames[key]
		case liaison.BySegment:
			if key == "" {
				return p.L.T("campaign.results.no_segment")
			}
			n = segNames[key]
		case liaison.ByRole:
			return p.L.T("role_kind." + key)
		}
		if n == "" {
			n = p.L.T("campaign.results.unknown_group")
		}
		return n
	}
	for _, g := range res.Groups {
		data.Groups = append(data.Groups, resultGroupView{Name: groupName(g.Key), G: g})
	}
	sort.SliceStable(data.Groups, func(i, j int) bool {
		return strings.ToLower(data.Groups[i].Name) < strings.ToLower(data.Groups[j].Name)
	})
	if by != liaison.ByTotal && len(data.Groups) > 0 {
		var csat, nps []scoreBar
		for _, g := range data.Groups {
			csat = append(csat, scoreBar{Label: g.Name, Value: g.G.CSAT, Suppressed: g.G.Suppressed, Text: percentText(p, g.G.CSAT)})
			nps = append(nps, scoreBar{Label: g.Name, Value: g.G.NPS, Suppressed: g.G.Suppressed, Text: npsText(p, g.G.NPS)})
		}
		data.CSATChart = scoreChart(p.L, "chart-csat", p.L.T("campaign.results.csat_by", p.L.T("campaign.results.by."+data.By)), csat, 0, 100)
		data.NPSChart = scoreChart(p.L, "chart-nps", p.L.T("campaign.results.nps_by", p.L.T("campaign.results.by."+data.By)), nps, -100, 100)
	}
	if !res.Total.Suppressed {
		v, err := h.app.SurveyVersion(ctx, c.SurveyID, c.SurveyVersion)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Questions = questionViews(p, v.Questions, res.Total.Questions)
	}
	trend, err := h.app.CampaignTrend(ctx, c.SurveyID, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var points []trendPoint
	for _, t := range trend {
		data.TrendRows = append(data.TrendRows, trendRow{ID: t.CampaignID, Title: t.Title, ClosesOn: t.ClosesOn, Suppressed: t.Total.Suppressed,
			Responses: t.Total.Responses, CSAT: percentText(p, t.Total.CSAT), NPS: npsText(p, t.Total.NPS), Current: t.CampaignID == c.ID})
		pt := trendPoint{Label: p.L.DateString(t.ClosesOn), Title: t.Title, Current: t.CampaignID == c.ID}
		if !t.Total.Suppressed {
			pt.CSAT, pt.NPS = t.Total.CSAT, t.Total.NPS
		}
		points = append(points, pt)
	}
	if len(points) > 1 {
		data.Trend = trendChart(p.L, "chart-trend", p.L.T("campaign.results.trend"), points)
	}
	h.render(w, r, http.StatusOK, "campaign_results", data)
}

// questionViews pairs the questions with their results, in the survey's
// order, each scored or choice question with its distribution chart.
func questionViews(p Page, qs []liaison.Question, results []liaison.QuestionResult) []questionView {
	lang := p.L.Lang()
	var out []questionView
	for i, q := range qs {
		j := slices.IndexFunc(results, func(r liaison.QuestionResult) bool { return r.QuestionID == q.ID })
		if j < 0 {
			continue
		}
		res := results[j]
		v := questionView{N: i + 1, Text: q.Text.In(lang), Type: string(q.Type), Count: res.Answers}
		if res.Mean != nil {
			v.Mean = p.L.Decimal(*res.Mean, 1)
		}
		id := "chart-q-" + q.ID
		switch {
		case q.Type == liaison.QuestionRating:
			v.Chart = distributionChart(p.L, id, v.Text, res.Distribution, liaison.RatingMin, liaison.RatingMax, q.Type)
		case q.Type == liaison.QuestionNPS:
			v.Chart = distributionChart(p.L, id, v.Text, res.Distribution, liaison.NPSMin, liaison.NPSMax, q.Type)
		case q.Type.Choice():
			var items []liaison.CountBy
			for _, ch := range q.Choices {
				items = append(items, liaison.CountBy{Key: ch.ID, Label: ch.Label.In(lang), Count: res.Distribution[ch.ID]})
			}
			v.Chart = choiceChart(p.L, id, v.Text, items)
		case q.Type == liaison.QuestionText:
			v.Texts = res.Texts
		}
		out = append(out, v)
	}
	return out
}

// AudienceN is the draft's preview count.
func (p *campaignPage) AudienceN() int {
	if p.Audience == nil {
		return 0
	}
	return *p.Audience
}

// Statuses are the lifecycle's steps.
func (p *campaignPage) Statuses() []string {
	return []string{string(liaison.CampaignDraft), string(liaison.CampaignOpen), string(liaison.CampaignClosed)}
}

// Threshold is the fewest responses an anonymous group shows.
func (p *campaignPage) Threshold() int { return liaison.AnonymityThreshold }

// At formats an optional time in the viewer's time zone.
func (p *campaignPage) At(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.DateTime(*t)
}

// Threshold is the fewest responses an anonymous group shows.
func (p *campaignFormPage) Threshold() int { return liaison.AnonymityThreshold }

// campaignColumns are the columns of the exported campaign list.
func campaignColumns(l *i18n.Localizer) []exportColumn[*liaison.Campaign] {
	return []exportColumn[*liaison.Campaign]{
		{"campaign.field.title", func(c *liaison.Campaign) any { return c.Title }},
		{"field.status", func(c *liaison.Campaign) any { return l.T("campaign.status." + string(c.Status)) }},
		{"campaign.field.survey", func(c *liaison.Campaign) any { return c.SurveyName }},
		{"campaign.field.closes_on", func(c *liaison.Campaign) any { return dayString(&c.ClosesOn) }},
		{"export.recipients", func(c *liaison.Campaign) any { return c.Recipients }},
		{"campaign.responses", func(c *liaison.Campaign) any { return c.Responses }},
		{"campaign.field.anonymous", func(c *liaison.Campaign) any { return yesNo(l, c.Anonymous) }},
		{"export.opened_at", func(c *liaison.Campaign) any { return c.OpenedAt }},
		{"export.closed_at", func(c *liaison.Campaign) any { return c.ClosedAt }},
	}
}
