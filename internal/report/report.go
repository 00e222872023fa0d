// Package report assembles the customer report pack of an account and a
// period (SPEC C7) from the rows the store reads, and writes it as PDF.
// The HTML page and the JSON API render the same Pack, so the three agree.
// No HTTP and no SQL here.
package report

import (
	"sort"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Section kinds, in the order the pack shows them.
const (
	KindComplaints   = "complaints"
	KindSLA          = "sla"
	KindImprovements = "improvements"
	KindActions      = "actions"
	KindMeetings     = "meetings"
	KindSatisfaction = "satisfaction"
	KindProjects     = "projects"
)

// maxListed bounds each list of the pack: it is read by people at a meeting.
const maxListed = 50

// Pack is the report pack: a title block and its sections.
type Pack struct {
	AccountID   string    `json:"account_id"`
	AccountName string    `json:"account_name"`
	From        string    `json:"from" doc:"First day of the period, YYYY-MM-DD."`
	To          string    `json:"to" doc:"Last day of the period, YYYY-MM-DD."`
	Language    string    `json:"language" enum:"en,sv,fi,zh"`
	Title       string    `json:"title"`
	Period      string    `json:"period" doc:"The period as the language writes it."`
	GeneratedAt time.Time `json:"generated_at"`
	Sections    []Section `json:"sections"`
}

// Section is one part of the pack; exactly one of the kind's fields is set.
//
// Satisfaction (C8: published survey results and ticket satisfaction,
// satisfaction.go) and projects (C10: projects.go) are added by the app
// after Build. Such a section is added only when the account has such
// data at all, so no empty placeholder is shown.
type Section struct {
	Kind         string        `json:"kind" enum:"complaints,sla,improvements,actions,meetings,satisfaction,projects"`
	Title        string        `json:"title"`
	Complaints   *Complaints   `json:"complaints,omitempty"`
	SLA          *SLA          `json:"sla,omitempty"`
	Improvements *Improvements `json:"improvements,omitempty"`
	Actions      *Actions      `json:"actions,omitempty"`
	Meetings     *Meetings     `json:"meetings,omitempty"`
	Satisfaction *Satisfaction `json:"satisfaction,omitempty"`
	Projects     *Projects     `json:"projects,omitempty"`
}

// Complaints counts everything registered in the period; only complaints
// (not suggestions or service requests) count in the status, service and
// month breakdowns, as on the analysis page.
type Complaints struct {
	Registered       int               `json:"registered" doc:"Everything registered: complaints, suggestions and service requests."`
	Complaints       int               `json:"complaints"`
	Open             int               `json:"open"`
	ByClassification []liaison.CountBy `json:"by_classification"`
	ByStatus         []liaison.CountBy `json:"by_status"`
	ByService        []liaison.CountBy `json:"by_service"`
	ByMonth          []liaison.CountBy `json:"by_month" doc:"Every month of the period, months without complaints included."`
	Serious          []ComplaintItem   `json:"serious"`
	Unresolved       []ComplaintItem   `json:"unresolved"`
}

// ComplaintItem is a listed complaint with its labels in the pack's language.
type ComplaintItem struct {
	liaison.ReportComplaint
	StatusLabel   string `json:"status_label"`
	SeverityLabel string `json:"severity_label"`
	Received      string `json:"received" doc:"The date received as the language writes it."`
}

// SLA is the performance against the account's agreements.
type SLA struct {
	Results   int          `json:"results"`
	Met       int          `json:"met"`
	Breached  int          `json:"breached"`
	ByService []SLAService `json:"by_service"`
	Breaches  []SLABreach  `json:"breaches"`
}

// SLAService is one service's results in the period.
type SLAService struct {
	ServiceID   string `json:"service_id"`
	ServiceName string `json:"service_name"`
	Met         int    `json:"met"`
	Breached    int    `json:"breached"`
}

// SLABreach is a breached result with its figures written for the language.
type SLABreach struct {
	liaison.ReportSLA
	MetricLabel string `json:"metric_label"`
	TargetText  string `json:"target_text"`
	ActualText  string `json:"actual_text"`
}

// Improvements concerning the account.
type Improvements struct {
	ByStatus []liaison.CountBy `json:"by_status"`
	Items    []ImprovementItem `json:"items"`
}

// ImprovementItem is a listed improvement.
type ImprovementItem struct {
	liaison.ReportImprovement
	StatusLabel string `json:"status_label"`
}

// Actions are the account's open actions.
type Actions struct {
	Open    int          `json:"open"`
	Overdue int          `json:"overdue"`
	Items   []ActionItem `json:"items"`
}

// ActionItem is a listed action.
type ActionItem struct {
	liaison.ReportAction
	Overdue bool   `json:"overdue" doc:"Open and due before today."`
	Due     string `json:"due" doc:"The due date as the language writes it."`
}

// Meetings held in the period.
type Meetings struct {
	ByType []liaison.CountBy `json:"by_type"`
	Items  []MeetingItem     `json:"items"`
}

// MeetingItem is a listed meeting.
type MeetingItem struct {
	liaison.ReportMeeting
	TypeLabel string `json:"type_label"`
	Date      string `json:"date"`
}

// Build assembles the pack from the store's rows in l's language; now
// dates the pack and decides which actions are overdue.
func Build(d *liaison.ReportData, l *i18n.Localizer, now time.Time) *Pack {
	last := d.To.AddDate(0, 0, -1)
	p := &Pack{
		AccountID: d.Account.ID, AccountName: d.Account.Name,
		From: liaison.FormatDate(d.From), To: liaison.FormatDate(last), Language: string(l.Lang()),
		Title: l.T("report.title", d.Account.Name), Period: l.Date(d.From) + " – " + l.Date(last),
		GeneratedAt: now.UTC(),
	}
	p.Sections = []Section{
		{Kind: KindComplaints, Title: l.T("report.complaints.title"), Complaints: buildComplaints(d, l)},
		{Kind: KindSLA, Title: l.T("report.sla.title"), SLA: buildSLA(d, l)},
		{Kind: KindImprovements, Title: l.T("report.improvements.title"), Improvements: buildImprovements(d, l)},
		{Kind: KindActions, Title: l.T("report.actions.title"), Actions: buildActions(d, l, now)},
		{Kind: KindMeetings, Title: l.T("report.meetings.title"), Meetings: buildMeetings(d, l)},
	}
	return p
}

// counter counts by key in first-seen order and lists the counts.
type counter struct {
	keys   []string
	labels map[string]string
	n      map[string]int
}

func newCounter() *counter { return &counter{labels: map[string]string{}, n: map[string]int{}} }

func (c *counter) add(key, label string) {
	if _, ok := c.n[key]; !ok {
		c.keys = append(c.keys, key)
		c.labels[key] = label
	}
	c.n[key]++
}

// list returns the counts in order (the keys' order when given, largest
// first otherwise), each with its label.
func (c *counter) list(order []string) []liaison.CountBy {
	out := make([]liaison.CountBy, 0, len(c.keys))
	if order != nil {
		for _, k := range order {
			if c.n[k] > 0 {
				out = append(out, liaison.CountBy{Key: k, Label: c.labels[k], Count: c.n[k]})
			}
		}
		return out
	}
	for _, k := range c.keys {
		out = append(out, liaison.CountBy{Key: k, Label: c.labels[k], Count: c.n[k]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Label < out[j].Label
	})
	return out
}

func keys[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, x := range all {
		out[i] = string(x)
	}
	return out
}

func buildComplaints(d *liaison.ReportData, l *i18n.Localizer) *Complaints {
	c := &Complaints{Serious: []ComplaintItem{}, Unresolved: []ComplaintItem{}}
	class, status, service, month := newCounter(), newCounter(), newCounter(), newCounter()
	for _, x := range d.Complaints {
		c.Registered++
		class.add(string(x.Classification), l.T("complaint.class."+string(x.Classification)))
		if x.Classification != liaison.ClassComplaint {
			continue
		}
		c.Complaints++
		status.add(string(x.Status), l.T("complaint.status."+string(x.Status)))
		name := x.ServiceName
		if x.ServiceID == "" {
			name = l.T("report.complaints.no_service")
		}
		service.add(x.ServiceID, name)
		month.add(x.ReceivedAt.UTC().Format("2006-01"), "")
		item := ComplaintItem{ReportComplaint: x, StatusLabel: l.T("complaint.status." + string(x.Status)),
			SeverityLabel: l.T("complaint.severity." + string(x.Severity)), Received: l.Date(x.ReceivedAt)}
		if x.Status.Open() {
			c.Open++
			if len(c.Unresolved) < maxListed {
				c.Unresolved = append(c.Unresolved, item)
			}
		}
		if x.Severity == liaison.SeveritySerious && len(c.Serious) < maxListed {
			c.Serious = append(c.Serious, item)
		}
	}
	c.ByClassification = class.list(keys(liaison.Classifications))
	c.ByStatus = status.list(keys(liaison.ComplaintStatuses))
	c.ByService = service.list(nil)
	c.ByMonth = Months(month.list(nil), d.From, d.To.AddDate(0, 0, -1))
	return c
}

// Months lists every month from first to last (at most 60) with the
// counts of byMonth (keys YYYY-MM), months without any included, so a
// column chart shows the gaps.
func Months(byMonth []liaison.CountBy, first, last time.Time) []liaison.CountBy {
	counts := make(map[string]int, len(byMonth))
	for _, it := range byMonth {
		counts[it.Key] += it.Count
	}
	end := last.Format("2006-01")
	var out []liaison.CountBy
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC); m.Format("2006-01") <= end && len(out) < 60; m = m.AddDate(0, 1, 0) {
		k := m.Format("2006-01")
		out = append(out, liaison.CountBy{Key: k, Label: k, Count: counts[k]})
	}
	return out
}

func buildSLA(d *liaison.ReportData, l *i18n.Localizer) *SLA {
	s := &SLA{ByService: []SLAService{}, Breaches: []SLABreach{}}
	index := map[string]int{}
	for _, r := range d.SLA {
		s.Results++
		i, ok := index[r.ServiceID]
		if !ok {
			i = len(s.ByService)
			index[r.ServiceID] = i
			s.ByService = append(s.ByService, SLAService{ServiceID: r.ServiceID, ServiceName: r.ServiceName})
		}
		if !r.Breached {
			s.Met++
			s.ByService[i].Met++
			continue
		}
		s.Breached++
		s.ByService[i].Breached++
		if len(s.Breaches) < maxListed {
			s.Breaches = append(s.Breaches, SLABreach{ReportSLA: r, MetricLabel: l.T("sla.metric." + string(r.Metric)),
				TargetText: figure(l, r.Target, r.Unit), ActualText: figure(l, r.Actual, r.Unit)})
		}
	}
	return s
}

// figure writes an SLA figure with at most two decimals and its unit.
func figure(l *i18n.Localizer, x float64, unit string) string {
	prec := 2
	switch {
	case x == float64(int64(x)):
		prec = 0
	case x*10 == float64(int64(x*10)):
		prec = 1
	}
	s := l.Decimal(x, prec)
	if unit == "%" {
		return s + " %"
	}
	if unit != "" {
		return s + " " + unit
	}
	return s
}

func buildImprovements(d *liaison.ReportData, l *i18n.Localizer) *Improvements {
	im := &Improvements{Items: []ImprovementItem{}}
	status := newCounter()
	for _, x := range d.Improvements {
		label := l.T("improvement.status." + string(x.Status))
		status.add(string(x.Status), label)
		if len(im.Items) < maxListed {
			im.Items = append(im.Items, ImprovementItem{ReportImprovement: x, StatusLabel: label})
		}
	}
	im.ByStatus = status.list(keys(liaison.ImprovementStatuses))
	return im
}

func buildActions(d *liaison.ReportData, l *i18n.Localizer, now time.Time) *Actions {
	a := &Actions{Items: []ActionItem{}}
	today := liaison.FormatDate(liaison.DateOf(now))
	for _, x := range d.Actions {
		a.Open++
		overdue := x.DueDate != "" && x.DueDate < today
		if overdue {
			a.Overdue++
		}
		if len(a.Items) < maxListed {
			a.Items = append(a.Items, ActionItem{ReportAction: x, Overdue: overdue, Due: l.DateString(x.DueDate)})
		}
	}
	return a
}

// MeetingTypes are the meeting types of SPEC §4, in display order.
var MeetingTypes = []string{"service_review", "planning", "budget", "steering_group", "other"}

func buildMeetings(d *liaison.ReportData, l *i18n.Localizer) *Meetings {
	m := &Meetings{Items: []MeetingItem{}}
	types := newCounter()
	for _, x := range d.Meetings {
		label := l.T("meeting.type." + x.Type)
		types.add(x.Type, label)
		if len(m.Items) < maxListed {
			m.Items = append(m.Items, MeetingItem{ReportMeeting: x, TypeLabel: label, Date: l.Date(x.StartsAt)})
		}
	}
	m.ByType = types.list(MeetingTypes)
	return m
}
