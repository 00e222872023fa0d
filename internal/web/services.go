package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The service catalogue's pages: the catalogue, a service with its levels
// and the accounts using it, the service form with its levels, the usage
// form with the named IT contact, the coverage view and an account's
// services tab.

func init() {
	pages = append(pages, "services", "service", "service_form", "subscription_form", "coverage")
	funcs["sub"] = func(a, b int) int { return a - b }
	funcs["deref0"] = func(n *int) int {
		if n == nil {
			return 0
		}
		return *n
	}
}

// serviceRoutes are the catalogue's routes; table adds them.
func (h *Handler) serviceRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	read, write, curate := liaison.AccessRead, liaison.AccessWrite, liaison.AccessCurate
	owner := liaison.AccessSignedIn // the service's owner, whatever their role: the service layer decides
	return []route{
		r("GET", "/services", read, h.showServices),
		r("GET", "/services/coverage", read, h.showCoverage),
		r("GET", "/services/new", curate, h.newService),
		r("POST", "/services", curate, h.createService),
		r("GET", "/services/{id}", read, h.showService),
		r("GET", "/services/{id}/history", read, h.showService),
		r("GET", "/services/{id}/edit", owner, h.editService),
		r("POST", "/services/{id}", owner, h.updateService),
		r("POST", "/services/{id}/delete", curate, h.deleteService),
		r("GET", "/organisations/{id}/services", read, h.showUnitServices),
		r("GET", "/subscriptions/new", write, h.newSubscription),
		r("POST", "/subscriptions", write, h.createSubscription),
		r("GET", "/subscriptions/{id}/edit", write, h.editSubscription),
		r("POST", "/subscriptions/{id}", write, h.updateSubscription),
		r("POST", "/subscriptions/{id}/delete", write, h.deleteSubscription),
	}
}

// ---------- formatting ----------

// decimal formats a number the locale's way: a decimal comma in Swedish
// and Finnish.
func decimal(l *i18n.Localizer, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.Atoi(whole)
	if err != nil {
		return s
	}
	// The whole part grouped the locale's way (1,200 · 1 200), the fraction after its separator.
	out := l.Number(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-" + out
	}
	if frac == "" {
		return out
	}
	if l.Lang() == liaison.Swedish || l.Lang() == liaison.Finnish {
		return out + "," + frac
	}
	return out + "." + frac
}

// parseDecimal reads a number typed with a decimal point or comma.
func parseDecimal(s string) (*float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

func parseInt(s string) (*int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// duration says a time target in the largest whole unit: 30 min, 4 h, 2 d.
func duration(l *i18n.Localizer, m *int) string {
	if m == nil {
		return ""
	}
	switch n := *m; {
	case n > 0 && n%1440 == 0:
		return l.T("service.duration.days", n/1440)
	case n > 0 && n%60 == 0:
		return l.T("service.duration.hours", n/60)
	default:
		return l.T("service.duration.minutes", n)
	}
}

// levelView is a level as pages show it.
type levelView struct {
	liaison.ServiceLevel
	Availability string
	Response     string
	Resolution   string
	Price        string
}

func levelViews(l *i18n.Localizer, s *liaison.Service) []levelView {
	out := make([]levelView, len(s.Levels))
	for i, lv := range s.Levels {
		v := levelView{ServiceLevel: lv, Response: duration(l, lv.ResponseMinutes), Resolution: duration(l, lv.ResolutionMinutes)}
		if lv.AvailabilityPercent != nil {
			v.Availability = decimal(l, *lv.AvailabilityPercent) + " %"
		}
		if lv.Price != nil {
			v.Price = l.T("service.price_per."+string(s.PriceModel), decimal(l, *lv.Price), s.Currency)
		}
		out[i] = v
	}
	return out
}

// ---------- catalogue ----------

type servicesPage struct {
	Page
	Q        ListQuery
	Rows     []serviceRow
	Next     string
	Owners   []Option
	Statuses []Option
	Coverage liaison.Coverage
	Percent  string
}

type serviceRow struct {
	S      *liaison.Service
	Owner  *liaison.User
	Levels []levelView
}

func (h *Handler) serviceStatusOptions(l *i18n.Localizer) []Option {
	o := make([]Option, len(liaison.ServiceStatuses))
	for i, s := range liaison.ServiceStatuses {
		o[i] = Option{Value: string(s), Label: l.T("service.status." + string(s))}
	}
	return o
}

func (h *Handler) showServices(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "services")
	p.Title = p.L.T("service.catalogue.title")
	q := ListQuery{Base: "/services", Values: r.URL.Query()}
	sort := q.Get("sort")
	if sort == "updated" {
		sort = "-updated_at"
	} else if sort == "-updated" {
		sort = "updated_at"
	}
	f := liaison.ServiceFilter{Q: q.Get("q"), Status: liaison.ServiceStatus(q.Get("status")),
		OwnerID: q.Get("owner"), Sort: sort, Cursor: q.Get("cursor"), Limit: 50}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if exportFormat(r) != "" {
		exportList(h, w, r, "services", "service.catalogue.title", serviceColumns(p.L, lk), func(cursor string, limit int) ([]*liaison.Service, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Services(ctx, f)
		})
		return
	}
	list, next, err := h.app.Services(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cov, err := h.app.SubscriptionCoverage(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &servicesPage{Page: p, Q: q, Owners: lk.userOptions(), Statuses: h.serviceStatusOptions(p.L), Coverage: cov,
		Percent: strconv.Itoa(int(cov.Percent()))}
	for _, s := range list {
		data.Rows = append(data.Rows, serviceRow{S: s, Owner: lk.user(s.OwnerID), Levels: levelViews(p.L, s)})
	}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "services", data)
}

// ---------- one service ----------

type servicePage struct {
	Page
	S       *liaison.Service
	Owner   *liaison.User
	Levels  []levelView
	Subs    []*liaison.Subscription
	More    bool // more usages than shown
	Tab     string
	History []historyEntry
	Next    string
	CanEdit bool
	// Decisions on a customer-specific service (decisions.go).
	Decisions []*liaison.ServiceDecision
}

func (h *Handler) showService(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, err := h.app.Service(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := h.page(w, r, s.Name, "services")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.services"), Href: "/services"}, {Label: s.Name}}
	data := &servicePage{Page: p, S: s, Levels: levelViews(p.L, s), Tab: "overview", CanEdit: app.CanEditService(p.Principal, s)}
	if s.OwnerID != nil {
		data.Owner, _ = h.app.User(ctx, *s.OwnerID)
	}
	if strings.HasSuffix(r.URL.Path, "/history") {
		data.Tab = "history"
		entries, next, err := h.app.Audit(ctx, "service", s.ID, r.URL.Query().Get("cursor"))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.History = h.history(ctx, p, entries)
		if next != "" {
			data.Next = "/services/" + s.ID + "/history?cursor=" + url.QueryEscape(next)
		}
	} else {
		subs, next, err := h.app.Subscriptions(ctx, liaison.SubscriptionFilter{ServiceID: s.ID, Limit: 200})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		data.Subs, data.More = subs, next != ""
		// Sorted by service name, which is the same here: by account instead.
		sortSubs(data.Subs, func(x *liaison.Subscription) string { return x.OrganisationName + "\x00" + x.Level })
		if data.Decisions, _, err = h.app.Decisions(ctx, liaison.DecisionFilter{ServiceID: s.ID, Sort: "-name", Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "service", data)
}

func sortSubs(subs []*liaison.Subscription, key func(*liaison.Subscription) string) {
	for i := 1; i < len(subs); i++ {
		for j := i; j > 0 && key(subs[j]) < key(subs[j-1]); j-- {
			subs[j], subs[j-1] = subs[j-1], subs[j]
		}
	}
}

// ---------- service form ----------

type serviceFormPage struct {
	Page
	Form        *Form
	S           *liaison.Service // nil when creating
	Levels      []levelRow
	Owners      []Option
	Statuses    []Option
	PriceModels []Option
	CanCurate   bool
}

// levelRow is one row of the level editor, as typed.
type levelRow struct {
	I                                                                          int
	Name, Description, Availability, Response, Resolution, SupportHours, Price string
}

func (h *Handler) renderServiceForm(w http.ResponseWriter, r *http.Request, code int, f *Form, s *liaison.Service, rows []levelRow) {
	ctx := r.Context()
	p := h.page(w, r, "", "services")
	if s != nil {
		p.Title = p.L.T("service.edit.title", s.Name)
		p.Crumbs = []Crumb{{Label: p.L.T("nav.services"), Href: "/services"}, {Label: s.Name, Href: "/services/" + s.ID}, {Label: p.L.T("common.edit")}}
	} else {
		p.Title = p.L.T("service.new.title")
		p.Crumbs = []Crumb{{Label: p.L.T("nav.services"), Href: "/services"}, {Label: p.Title}}
	}
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	models := make([]Option, len(liaison.PriceModels))
	for i, m := range liaison.PriceModels {
		models[i] = Option{Value: string(m), Label: p.L.T("service.price_model." + string(m))}
	}
	// Always offer an empty row to add a level.
	rows = append(rows, levelRow{})
	for i := range rows {
		rows[i].I = i
	}
	h.render(w, r, code, "service_form", &serviceFormPage{Page: p, Form: f, S: s, Levels: rows, Owners: lk.userOptions(),
		Statuses: h.serviceStatusOptions(p.L), PriceModels: models, CanCurate: p.Can("curate")})
}

func fmtOptFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func fmtOptInt(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func serviceForm(s *liaison.Service) (*Form, []levelRow) {
	f := newForm()
	f.Set("name", s.Name)
	f.Set("description", s.Description)
	f.Set("status", string(s.Status))
	f.Set("owner_id", deref(s.OwnerID))
	if s.CustomerSpecific {
		f.Set("customer_specific", "1")
	}
	f.Set("price_model", string(s.PriceModel))
	f.Set("currency", s.Currency)
	f.Set("external_id", s.ExternalID)
	f.Set("version", itoa(s.Version))
	rows := make([]levelRow, len(s.Levels))
	for i, l := range s.Levels {
		rows[i] = levelRow{Name: l.Name, Description: l.Description, Availability: fmtOptFloat(l.AvailabilityPercent),
			Response: fmtOptInt(l.ResponseMinutes), Resolution: fmtOptInt(l.ResolutionMinutes), SupportHours: l.SupportHours,
			Price: fmtOptFloat(l.Price)}
	}
	return f, rows
}

var serviceFields = []string{"name", "description", "status", "owner_id", "customer_specific", "price_model", "currency", "external_id", "levels"}

// readServiceForm copies the posted fields onto s. Rows left blank are
// dropped; numbers that do not parse are reported per field.
func readServiceForm(l *i18n.Localizer, r *http.Request, s *liaison.Service, curate bool) (*Form, []levelRow) {
	f := newForm()
	for _, k := range serviceFields {
		f.Set(k, r.PostFormValue(k))
	}
	f.Set("version", r.PostFormValue("version"))
	s.Name, s.Description, s.ExternalID = f.Get("name"), f.Get("description"), f.Get("external_id")
	s.CustomerSpecific = f.Has("customer_specific")
	s.PriceModel, s.Currency = liaison.PriceModel(f.Get("price_model")), f.Get("currency")
	if curate {
		s.Status, s.OwnerID = liaison.ServiceStatus(f.Get("status")), optional(f.Get("owner_id"))
	} else {
		f.Set("status", string(s.Status))
		f.Set("owner_id", deref(s.OwnerID))
	}
	pf := r.PostForm
	col := func(name string, i int) string {
		if vs := pf[name]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	var rows []levelRow
	s.Levels = []liaison.ServiceLevel{}
	for i := range len(pf["level_name"]) {
		row := levelRow{Name: col("level_name", i), Description: col("level_description", i), Availability: col("level_availability", i),
			Response: col("level_response", i), Resolution: col("level_resolution", i), SupportHours: col("level_support_hours", i),
			Price: col("level_price", i)}
		if row == (levelRow{}) {
			continue
		}
		n := len(rows)
		rows = append(rows, row)
		lv := liaison.ServiceLevel{Name: row.Name, Description: row.Description, SupportHours: row.SupportHours}
		bad := func(field string) { f.Errors["levels["+strconv.Itoa(n)+"]."+field] = l.T("service.form.not_a_number") }
		var ok bool
		if lv.AvailabilityPercent, ok = parseDecimal(row.Availability); !ok {
			bad("availability_percent")
		}
		if lv.Price, ok = parseDecimal(row.Price); !ok {
			bad("price")
		}
		if lv.ResponseMinutes, ok = parseInt(row.Response); !ok {
			bad("response_minutes")
		}
		if lv.ResolutionMinutes, ok = parseInt(row.Resolution); !ok {
			bad("resolution_minutes")
		}
		s.Levels = append(s.Levels, lv)
	}
	return f, rows
}

// levelFields are the form's names of the level editor's fields, for errors.
func levelFields(n int) []string {
	out := append([]string(nil), serviceFields...)
	for i := range n {
		for _, k := range []string{"name", "description", "availability_percent", "response_minutes", "resolution_minutes", "support_hours", "price"} {
			out = append(out, "levels["+strconv.Itoa(i)+"]."+k)
		}
	}
	return out
}

func (h *Handler) newService(w http.ResponseWriter, r *http.Request) {
	f, rows := serviceForm(&liaison.Service{Status: liaison.ServicePipeline, PriceModel: liaison.PricePerUser, Currency: liaison.DefaultCurrency})
	h.renderServiceForm(w, r, http.StatusOK, f, nil, rows)
}

func (h *Handler) createService(w http.ResponseWriter, r *http.Request) {
	l := h.localizer(r)
	s := &liaison.Service{}
	f, rows := readServiceForm(l, r, s, true)
	if r.PostFormValue("add_level") != "" || f.Invalid() {
		code := http.StatusOK
		if f.Invalid() {
			code = http.StatusUnprocessableEntity
		}
		h.renderServiceForm(w, r, code, f, nil, rows)
		return
	}
	if err := h.app.CreateService(r.Context(), s); err != nil {
		if code := applyFormError(l, f, err, levelFields(len(rows))...); code != 0 {
			h.renderServiceForm(w, r, code, f, nil, rows)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.service_created", s.Name)
	redirect(w, r, "/services/"+s.ID)
}

func (h *Handler) editService(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !app.CanEditService(liaison.PrincipalFrom(r.Context()), s) {
		h.renderError(w, r, http.StatusForbidden)
		return
	}
	f, rows := serviceForm(s)
	h.renderServiceForm(w, r, http.StatusOK, f, s, rows)
}

func (h *Handler) updateService(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Service(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pr := liaison.PrincipalFrom(ctx)
	if !app.CanEditService(pr, cur) {
		h.renderError(w, r, http.StatusForbidden)
		return
	}
	l := h.localizer(r)
	s := *cur
	f, rows := readServiceForm(l, r, &s, pr.Allows(liaison.AccessCurate))
	if r.PostFormValue("add_level") != "" || f.Invalid() {
		code := http.StatusOK
		if f.Invalid() {
			code = http.StatusUnprocessableEntity
		}
		h.renderServiceForm(w, r, code, f, cur, rows)
		return
	}
	if err := h.app.UpdateService(ctx, &s, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(l, f, err, levelFields(len(rows))...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderServiceForm(w, r, code, f, cur, rows)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/services/"+s.ID)
}

func (h *Handler) deleteService(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteService(r.Context(), s.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.service_deleted", s.Name)
	redirect(w, r, "/services")
}

// ---------- coverage ----------

type coveragePage struct {
	Page
	Coverage liaison.Coverage
	Percent  string
	Subs     []*liaison.Subscription
	Next     string
	Q        ListQuery
}

func (h *Handler) showCoverage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "services")
	p.Title = p.L.T("coverage.title")
	p.Crumbs = []Crumb{{Label: p.L.T("nav.services"), Href: "/services"}, {Label: p.Title}}
	q := ListQuery{Base: "/services/coverage", Values: r.URL.Query()}
	cov, err := h.app.SubscriptionCoverage(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	subs, next, err := h.app.Subscriptions(ctx, liaison.SubscriptionFilter{NoContact: true, Q: q.Get("q"), Cursor: q.Get("cursor"), Limit: 100})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &coveragePage{Page: p, Coverage: cov, Percent: strconv.Itoa(int(cov.Percent())), Subs: subs, Q: q}
	if next != "" {
		data.Next = q.With("cursor", next)
	}
	h.render(w, r, http.StatusOK, "coverage", data)
}

// ---------- an account's services ----------

// unitServicesPage is the unit page with its services tab.
type unitServicesPage struct {
	*unitPage
	Subs      []*liaison.Subscription
	Decisions []*liaison.ServiceDecision
}

func (h *Handler) showUnitServices(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	f := liaison.SubscriptionFilter{OrganisationID: id, Limit: 500}
	if exportFormat(r) != "" {
		exportList(h, w, r, "services", "service.tab", subscriptionColumns(p.L), func(cursor string, limit int) ([]*liaison.Subscription, string, error) {
			f.Cursor, f.Limit = cursor, limit
			return h.app.Subscriptions(ctx, f)
		})
		return
	}
	subs, _, err := h.app.Subscriptions(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &unitServicesPage{unitPage: &unitPage{Page: p, V: v, Tab: "services", CanDelete: v.CanWrite && len(v.Children) == 0}, Subs: subs}
	if v.Unit.BudgetHolder {
		if data.Decisions, _, err = h.app.Decisions(ctx, liaison.DecisionFilter{OrganisationID: id, Sort: "-name", Limit: 200}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// ---------- usage form ----------

type subscriptionFormPage struct {
	Page
	Form     *Form
	Sub      *liaison.Subscription // nil when creating
	Accounts []Option
	Services []Option
	Levels   []Option // of the chosen service
	Service  *liaison.Service
	Contacts []Option
	Back     string
}

var subscriptionFields = []string{"organisation_id", "service_id", "level", "users", "workload", "contact_user_id", "started_on", "notes"}

func (h *Handler) renderSubscriptionForm(w http.ResponseWriter, r *http.Request, code int, f *Form, sub *liaison.Subscription) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	if sub != nil {
		p.Title = p.L.T("subscription.edit.title", sub.ServiceName, sub.OrganisationName)
	} else {
		p.Title = p.L.T("subscription.new.title")
	}
	data := &subscriptionFormPage{Page: p, Form: f, Sub: sub, Back: "/services"}
	if id := f.Get("organisation_id"); id != "" {
		data.Back = "/organisations/" + id + "/services"
		if o, err := h.app.Organisation(ctx, id); err == nil {
			p.Crumbs = []Crumb{{Label: p.L.T("nav.accounts"), Href: "/accounts"}, {Label: o.Name, Href: data.Back}, {Label: p.Title}}
		}
	}
	data.Page = p
	lk, err := h.lookups(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data.Contacts = lk.managerOptions()
	yes := true
	af := liaison.OrganisationFilter{BudgetHolder: &yes, Limit: 500}
	for {
		page, next, err := h.app.Organisations(ctx, af)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, o := range page {
			data.Accounts = append(data.Accounts, Option{Value: o.ID, Label: o.Name})
		}
		if next == "" {
			break
		}
		af.Cursor = next
	}
	sf := liaison.ServiceFilter{Limit: 500}
	for {
		page, next, err := h.app.Services(ctx, sf)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, s := range page {
			if s.Status == liaison.ServiceRetired && s.ID != f.Get("service_id") {
				continue // takes no new usage
			}
			label := s.Name
			if s.Status != liaison.ServiceLive {
				label += " (" + p.L.T("service.status."+string(s.Status)) + ")"
			}
			data.Services = append(data.Services, Option{Value: s.ID, Label: label})
			if s.ID == f.Get("service_id") {
				data.Service = s
			}
		}
		if next == "" {
			break
		}
		sf.Cursor = next
	}
	if data.Service != nil {
		for _, lv := range levelViews(p.L, data.Service) {
			label := lv.Name
			var parts []string
			for _, x := range []string{lv.Availability, lv.Response} {
				if x != "" {
					parts = append(parts, x)
				}
			}
			if len(parts) > 0 {
				label += " — " + strings.Join(parts, " · ")
			}
			data.Levels = append(data.Levels, Option{Value: lv.Name, Label: label})
		}
	}
	h.render(w, r, code, "subscription_form", data)
}

func subscriptionForm(s *liaison.Subscription) *Form {
	f := newForm()
	f.Set("organisation_id", s.OrganisationID)
	f.Set("service_id", s.ServiceID)
	f.Set("level", s.Level)
	f.Set("users", fmtOptInt(s.Users))
	f.Set("workload", s.Workload)
	f.Set("contact_user_id", deref(s.ContactUserID))
	f.Set("started_on", deref(s.StartedOn))
	f.Set("notes", s.Notes)
	f.Set("version", itoa(s.Version))
	return f
}

func readSubscriptionForm(l *i18n.Localizer, r *http.Request, s *liaison.Subscription) *Form {
	f := newForm()
	for _, k := range append(subscriptionFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	s.OrganisationID, s.ServiceID, s.Level = f.Get("organisation_id"), f.Get("service_id"), f.Get("level")
	s.Workload, s.Notes = f.Get("workload"), f.Get("notes")
	s.ContactUserID, s.StartedOn = optional(f.Get("contact_user_id")), optional(f.Get("started_on"))
	var ok bool
	if s.Users, ok = parseInt(f.Get("users")); !ok {
		f.Errors["users"] = l.T("service.form.not_a_number")
	}
	return f
}

func (h *Handler) newSubscription(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s := &liaison.Subscription{OrganisationID: q.Get("organisation"), ServiceID: q.Get("service")}
	if s.OrganisationID != "" {
		if err := h.mayWrite(r.Context(), s.OrganisationID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	f := subscriptionForm(s)
	f.Set("version", "")
	h.renderSubscriptionForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) createSubscription(w http.ResponseWriter, r *http.Request) {
	l := h.localizer(r)
	s := &liaison.Subscription{}
	f := readSubscriptionForm(l, r, s)
	// Choosing a service re-renders the form with its levels (without JavaScript: the "show levels" button).
	if r.PostFormValue("pick_service") != "" || f.Invalid() {
		code := http.StatusOK
		if f.Invalid() {
			code = http.StatusUnprocessableEntity
		}
		h.renderSubscriptionForm(w, r, code, f, nil)
		return
	}
	if err := h.app.CreateSubscription(r.Context(), s); err != nil {
		if code := applyFormError(l, f, err, subscriptionFields...); code != 0 {
			h.renderSubscriptionForm(w, r, code, f, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.subscription_created", s.ServiceName, s.OrganisationName)
	redirect(w, r, "/organisations/"+s.OrganisationID+"/services")
}

func (h *Handler) editSubscription(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Subscription(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.mayWrite(r.Context(), s.OrganisationID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSubscriptionForm(w, r, http.StatusOK, subscriptionForm(s), s)
}

func (h *Handler) updateSubscription(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Subscription(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.localizer(r)
	s := *cur
	f := readSubscriptionForm(l, r, &s)
	if r.PostFormValue("pick_service") != "" || f.Invalid() {
		code := http.StatusOK
		if f.Invalid() {
			code = http.StatusUnprocessableEntity
		}
		h.renderSubscriptionForm(w, r, code, f, cur)
		return
	}
	if err := h.app.UpdateSubscription(ctx, &s, atoi(f.Get("version"))); err != nil {
		if code := applyFormError(l, f, err, subscriptionFields...); code != 0 {
			if f.Stale {
				f.Set("version", itoa(cur.Version))
			}
			h.renderSubscriptionForm(w, r, code, f, cur)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, "/organisations/"+s.OrganisationID+"/services")
}

func (h *Handler) deleteSubscription(w http.ResponseWriter, r *http.Request) {
	s, err := h.app.Subscription(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteSubscription(r.Context(), s.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.subscription_deleted", s.ServiceName, s.OrganisationName)
	redirect(w, r, "/organisations/"+s.OrganisationID+"/services")
}

// subscriptionColumns are the columns of an account's exported services
// (its subscriptions).
func subscriptionColumns(l *i18n.Localizer) []exportColumn[*liaison.Subscription] {
	return []exportColumn[*liaison.Subscription]{
		{"field.service_id", func(s *liaison.Subscription) any { return s.ServiceName }},
		{"field.status", func(s *liaison.Subscription) any { return enumLabel(l, "service.status.", s.ServiceStatus) }},
		{"field.level", func(s *liaison.Subscription) any { return s.Level }},
		{"field.users", func(s *liaison.Subscription) any {
			if s.Users == nil {
				return nil
			}
			return *s.Users
		}},
		{"field.workload", func(s *liaison.Subscription) any { return s.Workload }},
		{"field.contact_user_id", func(s *liaison.Subscription) any { return s.ContactName }},
		{"field.started_on", func(s *liaison.Subscription) any { return dayString(s.StartedOn) }},
		{"field.notes", func(s *liaison.Subscription) any { return s.Notes }},
	}
}

// serviceColumns are the columns of the exported service catalogue.
func serviceColumns(l *i18n.Localizer, lk *lookups) []exportColumn[*liaison.Service] {
	return []exportColumn[*liaison.Service]{
		{"field.name", func(s *liaison.Service) any { return s.Name }},
		{"field.status", func(s *liaison.Service) any { return enumLabel(l, "service.status.", s.Status) }},
		{"field.owner_id", func(s *liaison.Service) any {
			if u := lk.user(s.OwnerID); u != nil {
				return u.Name
			}
			return nil
		}},
		{"field.customer_specific", func(s *liaison.Service) any { return yesNo(l, s.CustomerSpecific) }},
		{"field.price_model", func(s *liaison.Service) any { return enumLabel(l, "service.price_model.", s.PriceModel) }},
		{"field.currency", func(s *liaison.Service) any { return s.Currency }},
		{"field.levels", func(s *liaison.Service) any { return len(s.Levels) }},
		{"service.usages", func(s *liaison.Service) any { return s.Usages }},
		{"field.external_id", func(s *liaison.Service) any { return s.ExternalID }},
		{"field.updated_at", func(s *liaison.Service) any { return s.UpdatedAt }},
	}
}
