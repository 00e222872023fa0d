package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// The account timeline tab (SPEC C12): filter chips by category, the
// actor and a date range, the events grouped by day, survey responses to
// one campaign collapsed, and "load more" (htmx appends the next page; a
// plain link without JavaScript).

// timelinePageSize is how many events one page of the tab shows.
const timelinePageSize = 50

// timelineView is the timeline tab's data.
type timelineView struct {
	Q          url.Values
	Categories []timelineChip
	Actors     []Option
	Days       []timelineDay
	More       string // the next page's URL, "" at the end
	Filtered   bool
	Error      string // a rejected filter, translated
}

// timelineChip is one category filter: a link that keeps the other filters.
type timelineChip struct {
	Name, Label, Icon, Href string
	Current                 bool
}

// timelineDay is the events of one calendar day in the viewer's zone.
type timelineDay struct {
	Day       string // YYYY-MM-DD
	Label     string
	Continued bool // the day went on from the page before: no heading
	Rows      []timelineRow
}

// timelineRow is one event, or several survey responses in a row.
type timelineRow struct {
	Item  liaison.TimelineItem
	What  string // the kind in words
	Icon  string
	Count int // > 1: responses collapsed into this row
}

// categoryIcons gives each category its icon.
var categoryIcons = map[string]string{
	liaison.CategoryStructure: "tree", liaison.CategoryPeople: "users", liaison.CategoryServices: "grid",
	liaison.CategoryAgreements: "file", liaison.CategoryComplaints: "message", liaison.CategoryContacts: "mail", liaison.CategoryMeetings: "calendar",
	liaison.CategoryImprovements: "bulb", liaison.CategoryActions: "check", liaison.CategorySurveys: "survey",
	liaison.CategoryPlans: "folder", liaison.CategoryOther: "info",
}

// timelineFilters are the query parameters the tab keeps between pages.
var timelineFilters = []string{"category", "actor_id", "from", "to"}

// timelineTab fills the timeline tab of unit id from the request's query.
func (h *Handler) timelineTab(r *http.Request, p *Page, id string) (*timelineView, error) {
	ctx := r.Context()
	in := r.URL.Query()
	v := &timelineView{Q: url.Values{}}
	for _, k := range timelineFilters {
		if s := strings.TrimSpace(in.Get(k)); s != "" {
			v.Q.Set(k, s)
			v.Filtered = true
		}
	}
	q := app.TimelineQuery{Category: v.Q.Get("category"), ActorID: v.Q.Get("actor_id"), Cursor: in.Get("cursor"), Limit: timelinePageSize}
	// The dates are whole days in the viewer's zone; "to" includes its day.
	var bad bool
	if s := v.Q.Get("from"); s != "" {
		d, err := time.ParseInLocation(time.DateOnly, s, p.TZ)
		bad = bad || err != nil
		q.From = d
	}
	if s := v.Q.Get("to"); s != "" {
		d, err := time.ParseInLocation(time.DateOnly, s, p.TZ)
		bad = bad || err != nil
		q.To = d.AddDate(0, 0, 1)
	}
	base := "/organisations/" + id + "/timeline"
	for _, c := range liaison.TimelineCategories {
		cq := cloneValues(v.Q)
		cq.Set("category", c.Name)
		v.Categories = append(v.Categories, timelineChip{Name: c.Name, Label: p.L.T("timeline.category." + c.Name),
			Icon: categoryIcons[c.Name], Href: base + "?" + cq.Encode(), Current: c.Name == q.Category})
	}
	uf := liaison.UserFilter{Limit: 500}
	for {
		users, next, err := h.app.Users(ctx, uf)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			v.Actors = append(v.Actors, Option{Value: u.ID, Label: u.Name})
		}
		if next == "" {
			break
		}
		uf.Cursor = next
	}
	slices.SortStableFunc(v.Actors, func(a, b Option) int { return strings.Compare(a.Label, b.Label) })
	if bad {
		v.Error = p.L.T("timeline.bad_date")
		return v, nil
	}
	items, next, err := h.app.Timeline(ctx, id, q)
	if err != nil {
		if liaison.ErrorCode(err) == liaison.EINVALID {
			v.Error = p.L.Error(err)
			for _, msg := range p.L.FieldErrors(err) {
				v.Error = msg
			}
			return v, nil
		}
		return nil, err
	}
	v.Days = timelineDays(p, items)
	// htmx appends the next page after this one: a day that goes on from
	// it keeps the heading already shown.
	if day := in.Get("day"); day != "" && r.Header.Get("HX-Request") == "true" && len(v.Days) > 0 && v.Days[0].Day == day {
		v.Days[0].Continued = true
	}
	if next != "" {
		nq := cloneValues(v.Q)
		nq.Set("cursor", next)
		if len(v.Days) > 0 {
			nq.Set("day", v.Days[len(v.Days)-1].Day)
		}
		v.More = base + "?" + nq.Encode()
	}
	return v, nil
}

// timelineDays groups items (newest first) by day in the viewer's zone,
// with consecutive responses to one campaign in one row.
func timelineDays(p *Page, items []liaison.TimelineItem) []timelineDay {
	var days []timelineDay
	today := p.Now.In(p.TZ).Format(time.DateOnly)
	yesterday := p.Now.In(p.TZ).AddDate(0, 0, -1).Format(time.DateOnly)
	for _, it := range items {
		at := it.At.In(p.TZ)
		day := at.Format(time.DateOnly)
		if len(days) == 0 || days[len(days)-1].Day != day {
			label := p.L.Date(at)
			switch day {
			case today:
				label = p.L.T("timeline.today")
			case yesterday:
				label = p.L.T("timeline.yesterday")
			}
			days = append(days, timelineDay{Day: day, Label: label})
		}
		d := &days[len(days)-1]
		if n := len(d.Rows); n > 0 && it.Kind == "survey_response.create" {
			last := &d.Rows[n-1]
			if last.Item.Kind == it.Kind && last.Item.Summary == it.Summary {
				last.Count++
				continue
			}
		}
		d.Rows = append(d.Rows, timelineRow{Item: it, What: p.Event(it.Kind), Icon: categoryIcons[it.Category], Count: 1})
	}
	return days
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// Clock formats the time of day of t in the viewer's zone.
func (p *Page) Clock(t time.Time) string { return p.L.Clock(t, p.TZ) }
