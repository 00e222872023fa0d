package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/httpx"
)

// The dashboard (SPEC C14): the KPIs with their trends and breakdowns,
// for the head of service management (every account) and a relationship
// manager (their own accounts by default), and the accounts by
// relationship health; an account's health tab shows how its score is made.
// Every figure links to the list of the records behind it.

func init() {
	pages = append(pages, "dashboard")
}

func (h *Handler) dashboardRoutes() []route {
	r := func(method, pattern string, a liaison.Access, f http.HandlerFunc) route {
		return route{httpx.Route{Method: method, Pattern: pattern, Access: a}, f}
	}
	return []route{
		r("GET", "/dashboard", liaison.AccessRead, h.showDashboard),
		r("GET", "/organisations/{id}/health", liaison.AccessRead, h.showUnitHealth),
	}
}

type kpiCard struct {
	Key       string
	Text      string // the current value, formatted
	Detail    string // numerator / denominator where the value is a share or mean
	Href      string
	Chart     template.HTML
	ByManager []kpiRow
	BySegment []kpiRow
}

type kpiRow struct {
	Name, Text, Href string
	Share            int // 0–100: the bar's length among the rows
}

type dashboardPage struct {
	Page
	Scope    liaison.DashboardScope
	Managers []Option
	Segments []Option
	Accounts int
	Months   []string
	Cards    []kpiCard
	Health   []app.HealthEntry
	Sort     string
	Computed string
}

// kpiText formats a value in its unit.
func kpiText(p Page, k liaison.KPI, v liaison.KPIValue) string {
	if v.Suppressed {
		return p.L.T("dashboard.suppressed")
	}
	if v.Value == nil {
		return "–"
	}
	switch k.Unit() {
	case liaison.UnitPercent:
		return p.L.Decimal(*v.Value, 0) + " %"
	case liaison.UnitNPS:
		if *v.Value > 0 {
			return "+" + p.L.Decimal(*v.Value, 0)
		}
		return p.L.Decimal(*v.Value, 0)
	case liaison.UnitRating:
		return p.L.Decimal(*v.Value, 1)
	case liaison.UnitDays:
		return p.L.T("dashboard.days", p.L.Decimal(*v.Value, 0))
	}
	return p.L.Number(int(*v.Value))
}

// kpiHref is the list of the records behind a figure for a manager and a
// segment ("" for any).
func kpiHref(k liaison.KPI, managerID, segmentID string) string {
	return kpiMonthHref(k, managerID, segmentID, "", "")
}

// kpiMonthHref is kpiHref of one month of the trend (YYYY-MM) measured on
// day: the flows (complaints, survey responses) of the month, the
// complaints open on the day. The other lists show their records as they
// are now (a state's history is not kept), so a month's column links where
// the figure does. month "" is the figure's own link.
func kpiMonthHref(k liaison.KPI, managerID, segmentID, month, day string) string {
	v := url.Values{}
	path := "/accounts"
	set := func(key, val string) {
		if val != "" {
			v.Set(key, val)
		}
	}
	switch k {
	case liaison.KPIITContact, liaison.KPISatisfaction:
		set("manager", managerID)
		set("segment", segmentID)
	case liaison.KPIAgreements:
		path = "/agreements"
		v.Set("status", "active")
		set("manager_id", managerID)
	case liaison.KPISurveyCSAT, liaison.KPISurveyNPS:
		path = "/campaigns"
		set("month", month)
	case liaison.KPIComplaints:
		path = "/complaints"
		v.Set("classification", "complaint")
		set("manager_id", managerID)
		set("month", month)
	case liaison.KPIOpenComplaintAge:
		path = "/complaints"
		v.Set("classification", "complaint")
		if day == "" {
			v.Set("open", "1")
		}
		set("manager_id", managerID)
		set("open_on", day)
	case liaison.KPIOverdueReviews:
		path = "/reviews-due"
		v.Set("state", "overdue")
		set("manager_id", managerID)
	case liaison.KPIOverdueActions:
		path = "/actions"
		v.Set("view", "overdue")
	case liaison.KPIEndingSoon:
		path = "/agreements"
		v.Set("status", "active")
		set("manager_id", managerID)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func (h *Handler) showDashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := h.page(w, r, "", "dashboard")
	p.Title = p.L.T("dashboard.title")
	q := r.URL.Query()
	s := liaison.DashboardScope{ManagerID: q.Get("manager"), SegmentID: q.Get("segment")}
	// A relationship manager sees their own accounts unless they choose otherwise.
	if _, chosen := q["manager"]; !chosen && p.User != nil && p.User.Role == liaison.RoleManager {
		s.ManagerID = p.User.ID
	}
	d, facts, err := h.app.Dashboard(ctx, s)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &dashboardPage{Page: p, Scope: s, Accounts: d.Accounts, Months: d.Months, Sort: q.Get("sort"),
		Computed: p.L.DateTime(d.ComputedAt, nil)}
	for _, m := range facts.Managers {
		data.Managers = append(data.Managers, Option{Value: m.ID, Label: m.Name})
	}
	for _, sg := range facts.Segments {
		data.Segments = append(data.Segments, Option{Value: sg.ID, Label: sg.Name})
	}
	for _, fig := range d.KPIs {
		k := fig.Key
		c := kpiCard{Key: string(k), Text: kpiText(p, k, fig.Current), Href: kpiHref(k, s.ManagerID, s.SegmentID)}
		if k == liaison.KPISurveyCSAT || k == liaison.KPISurveyNPS {
			c.Href = kpiMonthHref(k, s.ManagerID, s.SegmentID, d.Months[len(d.Months)-1], d.Today)
		}
		if fig.Current.Suppressed {
			c.Detail = p.L.T("dashboard.suppressed_hint", liaison.AnonymityThreshold)
		} else if k.Unit() != liaison.UnitCount {
			c.Detail = p.L.T("dashboard.of", p.L.Decimal(fig.Current.Numerator, 0), p.L.Decimal(fig.Current.Denominator, 0))
			switch k.Unit() {
			case liaison.UnitRating:
				c.Detail = p.L.N("dashboard.ratings", int(fig.Current.Denominator))
			case liaison.UnitDays:
				c.Detail = p.L.N("dashboard.open_complaints", int(fig.Current.Denominator))
			case liaison.UnitNPS:
				c.Detail = p.L.N("dashboard.nps_answers", int(fig.Current.Denominator))
			}
			if k == liaison.KPISurveyCSAT {
				c.Detail = p.L.N("dashboard.survey_ratings", int(fig.Current.Denominator))
			}
		}
		cols := make([]column, len(fig.Trend))
		for i, v := range fig.Trend {
			cols[i] = column{Key: d.Months[i], Title: d.Months[i], Href: kpiMonthHref(k, s.ManagerID, s.SegmentID, d.Months[i], monthEnd(d.Months[i], d.Today))}
			if v.Value != nil {
				cols[i].Value, cols[i].Text = *v.Value, kpiText(p, k, v)
				if k.Unit() == liaison.UnitDays {
					cols[i].Text = p.L.Decimal(*v.Value, 0)
				}
				if k.Unit() == liaison.UnitNPS {
					cols[i].Value = max(*v.Value, 0) // a bar for a positive NPS; the figure says the rest
				}
			}
		}
		c.Chart = columns(p.L, "chart-"+string(k), p.L.T("dashboard.kpi."+string(k)), cols)
		rows := func(bs []liaison.KPIBreakdown, byManager bool) []kpiRow {
			top := 0.0
			for _, b := range bs {
				if b.Value != nil {
					top = max(top, *b.Value)
				}
			}
			var out []kpiRow
			for _, b := range bs {
				row := kpiRow{Name: b.Name, Text: kpiText(p, k, b.KPIValue)}
				if b.ID == "" {
					row.Name = p.L.T("dashboard.none")
				}
				if byManager {
					row.Href = kpiHref(k, b.ID, s.SegmentID)
				} else {
					row.Href = kpiHref(k, s.ManagerID, b.ID)
				}
				if b.Value != nil && top > 0 {
					row.Share = int(*b.Value / top * 100)
				}
				out = append(out, row)
			}
			return out
		}
		c.ByManager, c.BySegment = rows(fig.ByManager, true), rows(fig.BySegment, false)
		data.Cards = append(data.Cards, c)
	}
	data.Health, err = h.app.HealthList(ctx, s, data.Sort)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "dashboard", data)
}

type unitHealthPage struct {
	*unitPage
	Health                  *liaison.AccountHealth
	RatingNow, RatingBefore string // the mean ratings, formatted; "" for none
}

func (h *Handler) showUnitHealth(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, p, ok := h.accountPage(w, r, id)
	if !ok {
		return
	}
	hl, err := h.app.AccountHealth(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	data := &unitHealthPage{unitPage: &unitPage{Page: p, V: v, Tab: "health", CanDelete: v.CanWrite && len(v.Children) == 0}, Health: hl}
	if x := hl.Inputs.RatingRecent; x != nil {
		data.RatingNow = p.L.Decimal(*x, 2)
	}
	if x := hl.Inputs.RatingPrevious; x != nil {
		data.RatingBefore = p.L.Decimal(*x, 2)
	}
	h.render(w, r, http.StatusOK, "unit", data)
}

// monthEnd is the day a month of the trend is measured on: its last day,
// today for this month.
func monthEnd(month, today string) string {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return today
	}
	return min(liaison.FormatDate(m.AddDate(0, 1, -1)), today)
}
