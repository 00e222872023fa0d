package report

import (
	"errors"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

func day(s string) time.Time {
	t, err := liaison.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is a small account with a known count of everything.
func fixture() *liaison.ReportData {
	resolved := day("2026-03-10")
	return &liaison.ReportData{
		Account: &liaison.Organisation{ID: "acc", Name: "Kommunförbundet Åäö"},
		From:    day("2026-01-01"), To: day("2026-07-01"),
		Complaints: []liaison.ReportComplaint{
			{ID: "c1", Title: "E-post nere", Classification: liaison.ClassComplaint, Status: liaison.ComplaintReceived, Severity: liaison.SeveritySerious, ServiceID: "s1", ServiceName: "E-post", ReceivedAt: day("2026-01-05")},
			{ID: "c2", Title: "Långsam VPN", Classification: liaison.ClassComplaint, Status: liaison.ComplaintResolved, Severity: liaison.SeverityHigh, ServiceID: "s2", ServiceName: "VPN", ReceivedAt: day("2026-03-01"), ResolvedAt: &resolved},
			{ID: "c3", Title: "VPN again", Classification: liaison.ClassComplaint, Status: liaison.ComplaintInvestigating, Severity: liaison.SeverityMedium, ServiceID: "s2", ServiceName: "VPN", ReceivedAt: day("2026-03-20")},
			{ID: "c4", Title: "Idea", Classification: liaison.ClassSuggestion, Status: liaison.ComplaintReceived, Severity: liaison.SeveritySerious, ReceivedAt: day("2026-04-02")},
			{ID: "c5", Title: "No service", Classification: liaison.ClassComplaint, Status: liaison.ComplaintClosed, Severity: liaison.SeverityLow, ReceivedAt: day("2026-06-30")},
		},
		SLA: []liaison.ReportSLA{
			{ServiceID: "s1", ServiceName: "E-post", Period: "2026-01", Metric: liaison.MetricAvailability, Target: 99.5, Actual: 98.25, Unit: "%", Breached: true},
			{ServiceID: "s1", ServiceName: "E-post", Period: "2026-02", Metric: liaison.MetricAvailability, Target: 99.5, Actual: 99.9, Unit: "%"},
			{ServiceID: "s2", ServiceName: "VPN", Period: "2026-01", Metric: liaison.MetricResponse, Target: 30, Actual: 20, Unit: "min"},
		},
		Improvements: []liaison.ReportImprovement{
			{ID: "i1", Title: "Snabbare VPN", Status: liaison.ImprovementInProgress, UpdatedAt: day("2026-05-01")},
			{ID: "i2", Title: "Ny e-post", Status: liaison.ImprovementDone, UpdatedAt: day("2026-02-01")},
		},
		Actions: []liaison.ReportAction{
			{ID: "a1", Title: "Ring kunden", OwnerName: "Anna", DueDate: "2026-06-01"},
			{ID: "a2", Title: "Skicka rapport", OwnerName: "Anna", DueDate: "2026-08-01"},
			{ID: "a3", Title: "Undated", OwnerName: ""},
		},
		Meetings: []liaison.ReportMeeting{
			{ID: "m1", Title: "Servicemöte", Type: "service_review", StartsAt: day("2026-02-10")},
			{ID: "m2", Title: "Budget", Type: "budget", StartsAt: day("2026-05-10")},
			{ID: "m3", Title: "Servicemöte 2", Type: "service_review", StartsAt: day("2026-06-10")},
		},
	}
}

func count(items []liaison.CountBy, key string) int {
	for _, it := range items {
		if it.Key == key {
			return it.Count
		}
	}
	return 0
}

func TestBuildCountsMatchRecords(t *testing.T) {
	p := Build(fixture(), i18n.For(liaison.Swedish), day("2026-07-01"))
	if p.From != "2026-01-01" || p.To != "2026-06-30" || p.Language != "sv" {
		t.Fatalf("period %s–%s %s", p.From, p.To, p.Language)
	}
	var kinds []string
	for _, s := range p.Sections {
		kinds = append(kinds, s.Kind)
	}
	if got, want := len(kinds), 5; got != want {
		t.Fatalf("sections %v", kinds)
	}
	c := p.Sections[0].Complaints
	if c.Registered != 5 || c.Complaints != 4 || c.Open != 2 {
		t.Errorf("registered %d complaints %d open %d, want 5 4 2", c.Registered, c.Complaints, c.Open)
	}
	if count(c.ByClassification, "suggestion") != 1 || count(c.ByStatus, "received") != 1 || count(c.ByStatus, "closed") != 1 {
		t.Errorf("by classification %v by status %v", c.ByClassification, c.ByStatus)
	}
	if count(c.ByService, "s2") != 2 || count(c.ByService, "") != 1 || c.ByService[0].Key != "s2" {
		t.Errorf("by service %v", c.ByService)
	}
	if len(c.ByMonth) != 6 || count(c.ByMonth, "2026-03") != 2 || count(c.ByMonth, "2026-02") != 0 || count(c.ByMonth, "2026-04") != 0 {
		t.Errorf("by month %v", c.ByMonth)
	}
	// The serious suggestion is not a complaint: only c1 is listed.
	if len(c.Serious) != 1 || c.Serious[0].ID != "c1" || len(c.Unresolved) != 2 {
		t.Errorf("serious %v unresolved %v", c.Serious, c.Unresolved)
	}
	if got := c.Serious[0].SeverityLabel; got != "Allvarlig" {
		t.Errorf("severity label %q", got)
	}
	s := p.Sections[1].SLA
	if s.Results != 3 || s.Met != 2 || s.Breached != 1 || len(s.ByService) != 2 || s.ByService[0].Breached != 1 || s.ByService[0].Met != 1 {
		t.Errorf("sla %+v", s)
	}
	if b := s.Breaches[0]; b.ActualText != "98,25 %" || b.TargetText != "99,5 %" {
		t.Errorf("breach figures %q %q, want Swedish decimals", b.ActualText, b.TargetText)
	}
	im := p.Sections[2].Improvements
	if len(im.Items) != 2 || count(im.ByStatus, "in_progress") != 1 || count(im.ByStatus, "done") != 1 {
		t.Errorf("improvements %+v", im)
	}
	a := p.Sections[3].Actions
	if a.Open != 3 || a.Overdue != 1 || !a.Items[0].Overdue || a.Items[1].Overdue || a.Items[2].Overdue {
		t.Errorf("actions %+v", a)
	}
	m := p.Sections[4].Meetings
	if len(m.Items) != 3 || count(m.ByType, "service_review") != 2 || m.ByType[0].Key != "service_review" {
		t.Errorf("meetings %+v", m)
	}
}

func TestReportPeriod(t *testing.T) {
	today := day("2026-11-23")
	from, to, err := liaison.ReportPeriod("", "", liaison.English, today)
	if err != nil || liaison.FormatDate(from) != "2025-11-24" || liaison.FormatDate(to) != "2026-11-24" {
		t.Errorf("default period %v %v %v", from, to, err)
	}
	for _, c := range []struct {
		from, to string
		lang     liaison.Language
		field    string
	}{
		{"2026-02-01", "2026-01-01", "sv", "to"}, {"x", "", "en", "from"}, {"", "2026-13-01", "fi", "to"},
		{"2000-01-01", "2026-01-01", "zh", "from"}, {"", "", "de", "language"},
	} {
		_, _, err := liaison.ReportPeriod(c.from, c.to, c.lang, today)
		var le *liaison.Error
		if !errors.As(err, &le) || len(le.Fields) == 0 || le.Fields[0].Field != c.field {
			t.Errorf("%s–%s: %v, want an error on %s", c.from, c.to, err, c.field)
		}
	}
}
