package web

import (
	"context"
	"net/http"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/httpx"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Customers' decisions on customer-specific services (SPEC C4, seed 000):
// listed on the service page and the account's services tab, recorded with
// a form whose refusal of anyone but the account's customer names who the
// customer is.

func init() {
	pages = append(pages, "decision_form")
}

func (h *Handler) decisionRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	write := liaison.AccessWrite
	return []route{
		r("GET", "/decisions/new", write, h.newDecision),
		r("POST", "/decisions", write, h.createDecision),
		r("GET", "/decisions/{id}/edit", write, h.editDecision),
		r("POST", "/decisions/{id}", write, h.updateDecision),
		r("POST", "/decisions/{id}/delete", write, h.deleteDecision),
	}
}

type decisionFormPage struct {
	Page
	Form      *Form
	D         *liaison.ServiceDecision // nil when creating
	Accounts  []Option
	Services  []Option
	Kinds     []Option
	People    []Option
	Usages    []Option // the account's usages of services
	Customer  *liaison.Person
	NoAccount bool
	Back      string
}

var decisionFields = []string{"organisation_id", "service_id", "subscription_id", "kind", "summary", "prepared_with_person_id",
	"decided_by_person_id", "decided_on", "notes"}

// decisionBack is where the form returns: the account's services tab, else
// the service.
func decisionBack(account, service string) string {
	if account != "" {
		return "/organisations/" + account + "/services"
	}
	if service != "" {
		return "/services/" + service
	}
	return "/services"
}

func (h *Handler) customerSpecificOptions(ctx context.Context, keep string) ([]Option, error) {
	yes := true
	var out []Option
	sf := liaison.ServiceFilter{CustomerSpecific: &yes, Limit: 500}
	for {
		page, next, err := h.app.Services(ctx, sf)
		if err != nil {
			return nil, err
		}
		for _, s := range page {
			out = append(out, Option{Value: s.ID, Label: s.Name})
		}
		if next == "" {
			break
		}
		sf.Cursor = next
	}
	if keep != "" {
		found := false
		for _, o := range out {
			found = found || o.Value == keep
		}
		if !found {
			if s, err := h.app.Service(ctx, keep); err == nil {
				out = append(out, Option{Value: s.ID, Label: s.Name})
			}
		}
	}
	return out, nil
}

func (h *Handler) renderDecisionForm(w http.ResponseWriter, r *http.Request, code int, f *Form, d *liaison.ServiceDecision) {
	ctx := r.Context()
	p := h.page(w, r, "", "accounts")
	if d != nil {
		p.Title = p.L.T("decision.edit.title", d.ServiceName, d.OrganisationName)
	} else {
		p.Title = p.L.T("decision.new.title")
	}
	data := &decisionFormPage{Page: p, Form: f, D: d, Back: decisionBack(f.Get("organisation_id"), f.Get("service_id"))}
	if id := f.Get("organisation_id"); id != "" {
		if o, err := h.app.Organisation(ctx, id); err == nil {
			p.Crumbs = []Crumb{{Label: p.L.T("nav.accounts"), Href: "/accounts"}, {Label: o.Name, Href: data.Back}, {Label: p.Title}}
		}
		data.People, data.Customer = h.signerOptions(ctx, id)
		usages, _, err := h.app.Subscriptions(ctx, liaison.SubscriptionFilter{OrganisationID: id, Limit: 500})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, u := range usages {
			data.Usages = append(data.Usages, Option{Value: u.ID, Label: u.ServiceName + " · " + u.Level})
		}
	} else {
		data.NoAccount = true
	}
	data.Page = p
	var err error
	if data.Accounts, err = h.accountOptions(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if data.Services, err = h.customerSpecificOptions(ctx, f.Get("service_id")); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, k := range liaison.DecisionKinds {
		data.Kinds = append(data.Kinds, Option{Value: string(k), Label: p.L.T("decision.kind." + string(k))})
	}
	h.render(w, r, code, "decision_form", data)
}

func decisionForm(d *liaison.ServiceDecision) *Form {
	f := newForm()
	f.Set("organisation_id", d.OrganisationID)
	f.Set("service_id", d.ServiceID)
	f.Set("subscription_id", deref(d.SubscriptionID))
	f.Set("kind", string(d.Kind))
	f.Set("summary", d.Summary)
	f.Set("prepared_with_person_id", deref(d.PreparedWithID))
	f.Set("decided_by_person_id", d.DecidedByPersonID)
	f.Set("decided_on", d.DecidedOn)
	f.Set("notes", d.Notes)
	f.Set("version", itoa(d.Version))
	return f
}

func readDecisionForm(r *http.Request, d *liaison.ServiceDecision) *Form {
	f := newForm()
	for _, k := range append(decisionFields, "version") {
		f.Set(k, r.PostFormValue(k))
	}
	d.OrganisationID, d.ServiceID, d.Kind = f.Get("organisation_id"), f.Get("service_id"), liaison.DecisionKind(f.Get("kind"))
	d.Summary, d.DecidedByPersonID, d.DecidedOn, d.Notes = f.Get("summary"), f.Get("decided_by_person_id"), f.Get("decided_on"), f.Get("notes")
	d.PreparedWithID = optional(f.Get("prepared_with_person_id"))
	d.SubscriptionID = optional(f.Get("subscription_id"))
	return f
}

func (h *Handler) newDecision(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &liaison.ServiceDecision{OrganisationID: q.Get("organisation_id"), ServiceID: q.Get("service_id"),
		Kind: liaison.DecisionNewService, DecidedOn: liaison.FormatDate(liaison.DateOf(h.now()))}
	if d.OrganisationID != "" {
		if err := h.mayWrite(r.Context(), d.OrganisationID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	f := decisionForm(d)
	f.Set("version", "")
	h.renderDecisionForm(w, r, http.StatusOK, f, nil)
}

func (h *Handler) saveDecisionFailed(w http.ResponseWriter, r *http.Request, l *i18n.Localizer, f *Form, err error, cur *liaison.ServiceDecision) {
	if code := applyFormError(l, f, err, decisionFields...); code != 0 {
		if f.Stale && cur != nil {
			f.Set("version", itoa(cur.Version))
		}
		h.renderDecisionForm(w, r, code, f, cur)
		return
	}
	h.fail(w, r, err)
}

func (h *Handler) createDecision(w http.ResponseWriter, r *http.Request) {
	l := h.localizer(r)
	d := &liaison.ServiceDecision{}
	f := readDecisionForm(r, d)
	// Choosing the account re-renders the form with its people.
	if r.PostFormValue("pick_account") != "" {
		h.renderDecisionForm(w, r, http.StatusOK, f, nil)
		return
	}
	if err := h.app.CreateDecision(r.Context(), d); err != nil {
		h.saveDecisionFailed(w, r, l, f, err, nil)
		return
	}
	h.flashT(w, r, "flash.decision_created", d.ServiceName, d.DecidedByName)
	redirect(w, r, decisionBack(d.OrganisationID, ""))
}

func (h *Handler) editDecision(w http.ResponseWriter, r *http.Request) {
	d, err := h.app.Decision(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.mayWrite(r.Context(), d.OrganisationID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderDecisionForm(w, r, http.StatusOK, decisionForm(d), d)
}

func (h *Handler) updateDecision(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, err := h.app.Decision(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l := h.localizer(r)
	d := *cur
	f := readDecisionForm(r, &d)
	if r.PostFormValue("pick_account") != "" {
		h.renderDecisionForm(w, r, http.StatusOK, f, cur)
		return
	}
	if err := h.app.UpdateDecision(ctx, &d, atoi(f.Get("version"))); err != nil {
		h.saveDecisionFailed(w, r, l, f, err, cur)
		return
	}
	h.flashT(w, r, "flash.saved")
	redirect(w, r, decisionBack(d.OrganisationID, ""))
}

func (h *Handler) deleteDecision(w http.ResponseWriter, r *http.Request) {
	d, err := h.app.Decision(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.app.DeleteDecision(r.Context(), d.ID, atoi(r.PostFormValue("version"))); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flashT(w, r, "flash.decision_deleted", d.ServiceName)
	redirect(w, r, decisionBack(d.OrganisationID, ""))
}
