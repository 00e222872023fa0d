package liaison_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

var dmToday = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func TestDataSourceValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.DataSource)) liaison.DataSource {
		d := liaison.DataSource{Name: " SAP finance ", Data: "Invoices, cost centres", MaintainerUnit: "Finance", RefreshDays: 30,
			LastUpdatedOn: "2026-11-30",
			Needs:         []liaison.DataNeed{{Unit: "Service desk", Data: "Cost centre", Purpose: "Bill orders"}, {}},
			Flows:         []liaison.DataFlow{{Direction: liaison.FlowOut, System: "Document portal", Data: "Invoices"}}}
		for _, m := range mods {
			m(&d)
		}
		return d
	}
	for _, tc := range []struct {
		name string
		d    liaison.DataSource
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"no interval, no date", ok(func(d *liaison.DataSource) { d.RefreshDays, d.LastUpdatedOn = 0, "" }), nil},
		{"no name", ok(func(d *liaison.DataSource) { d.Name = "" }), map[string]string{"name": "required"}},
		{"no data", ok(func(d *liaison.DataSource) { d.Data = " " }), map[string]string{"data": "required"}},
		{"long name", ok(func(d *liaison.DataSource) { d.Name = strings.Repeat("x", 201) }), map[string]string{"name": "too_long"}},
		{"person without unit", ok(func(d *liaison.DataSource) { d.MaintainerUnit, d.MaintainerUserID = "", liaison.Ptr("u1") }),
			map[string]string{"maintainer_unit": "required"}},
		{"negative interval", ok(func(d *liaison.DataSource) { d.RefreshDays = -1 }), map[string]string{"refresh_days": "invalid"}},
		{"interval over ten years", ok(func(d *liaison.DataSource) { d.RefreshDays = 3651 }), map[string]string{"refresh_days": "invalid"}},
		{"bad date", ok(func(d *liaison.DataSource) { d.LastUpdatedOn = "30.11.2026" }), map[string]string{"last_updated_on": "invalid"}},
		{"future date", ok(func(d *liaison.DataSource) { d.LastUpdatedOn = "2026-12-04" }), map[string]string{"last_updated_on": "invalid"}},
		{"need without unit", ok(func(d *liaison.DataSource) { d.Needs[0].Unit = "" }), map[string]string{"needs[0].unit": "required"}},
		{"need without data", ok(func(d *liaison.DataSource) { d.Needs[0].Data = "" }), map[string]string{"needs[0].data": "required"}},
		{"flow to itself", ok(func(d *liaison.DataSource) { d.Flows[0].System = "sap FINANCE" }), map[string]string{"flows[0].system": "invalid"}},
		{"flow without data", ok(func(d *liaison.DataSource) { d.Flows[0].Data = "" }), map[string]string{"flows[0].data": "required"}},
		{"flow without direction", ok(func(d *liaison.DataSource) { d.Flows[0].Direction = "" }), map[string]string{"flows[0].direction": "invalid"}},
		{"unknown mode", ok(func(d *liaison.DataSource) { d.Flows[0].Mode = "fax" }), map[string]string{"flows[0].mode": "invalid"}},
		{"too many needs", ok(func(d *liaison.DataSource) {
			for range 51 {
				d.Needs = append(d.Needs, liaison.DataNeed{Unit: "U", Data: "D"})
			}
		}), map[string]string{"needs": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d
			d.Normalize()
			if got := fieldCodes(d.Validate(dmToday)); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDataSourceNormalizeDropsEmptyRowsAndDefaultsManual(t *testing.T) {
	d := liaison.DataSource{Name: "X", Needs: []liaison.DataNeed{{}, {Unit: " SD "}},
		Flows: []liaison.DataFlow{{Direction: liaison.FlowIn}, {Direction: liaison.FlowIn, System: "Y", Data: "Z"}}}
	d.Normalize()
	if len(d.Needs) != 1 || d.Needs[0].Unit != "SD" || len(d.Flows) != 1 || d.Flows[0].Mode != liaison.FlowManual {
		t.Fatalf("normalized = %+v", d)
	}
}

func TestDataSourceStale(t *testing.T) {
	for _, tc := range []struct {
		days int
		last string
		want bool
		due  string
	}{
		{30, "2026-11-03", false, "2026-12-03"}, // due today: not yet stale
		{30, "2026-11-02", true, "2026-12-02"},
		{30, "", true, ""}, // never recorded
		{0, "2020-01-01", false, ""},
		{0, "", false, ""},
		{365, "2026-01-01", false, "2027-01-01"},
	} {
		d := liaison.DataSource{RefreshDays: tc.days, LastUpdatedOn: tc.last}
		if got := d.IsStale(dmToday); got != tc.want {
			t.Errorf("%d days since %q: stale = %v, want %v", tc.days, tc.last, got, tc.want)
		}
		if got := d.DueOn(); got != tc.due {
			t.Errorf("%d days since %q: due = %q, want %q", tc.days, tc.last, got, tc.due)
		}
	}
}

func TestBuildDataMapAnswersTheFiveQuestions(t *testing.T) {
	sap := &liaison.DataSource{Name: "SAP", Data: "Invoices", MaintainerUnit: "Finance", RefreshDays: 30, LastUpdatedOn: "2026-01-01",
		Needs: []liaison.DataNeed{
			{Unit: "Service desk", Data: "Cost centre", Purpose: "Billing", Known: true},
			{Unit: "Relationship management", Data: "Invoiced totals"}, // unknown to Finance, no purpose
			{Unit: "finance", Data: "Own data"},                        // the maintainer's own need: known by definition
		},
		Flows: []liaison.DataFlow{{Direction: liaison.FlowOut, System: "Portal", Data: "Invoices", Mode: liaison.FlowManual},
			{Direction: liaison.FlowIn, System: "HR", Data: "Cost centres", Mode: liaison.FlowAutomated}}}
	portal := &liaison.DataSource{Name: "Portal", Data: "Documents", MaintainerUnit: "Kundrelationer",
		Flows: []liaison.DataFlow{{Direction: liaison.FlowIn, System: "sap", Data: "invoices", Mode: liaison.FlowManual}}} // SAP's out, seen from the portal
	sccm := &liaison.DataSource{Name: "SCCM", Data: "Devices", Needs: []liaison.DataNeed{{Unit: "Service desk", Data: "Device list", Purpose: "Support", Known: true}}}
	v := liaison.BuildDataMap([]*liaison.DataSource{portal, sap, sccm}, dmToday)
	if len(v.Sources) != 3 || !sap.Stale || sccm.Stale {
		t.Fatalf("Q1/stale: %+v", v)
	}
	if len(v.Unmaintained) != 1 || v.Unmaintained[0] != sccm || len(v.StaleSources) != 1 {
		t.Fatalf("Q2: unmaintained %v stale %v", v.Unmaintained, v.StaleSources)
	}
	var units []string
	for _, u := range v.NeedsByUnit {
		units = append(units, u.Unit+":"+string(rune('0'+len(u.Needs))))
	}
	if want := []string{"finance:1", "Relationship management:1", "Service desk:2"}; !reflect.DeepEqual(units, want) {
		t.Fatalf("Q3 = %v, want %v", units, want)
	}
	if len(v.UnknownNeeds) != 1 || v.UnknownNeeds[0].Need.Unit != "Relationship management" {
		t.Fatalf("Q4 = %+v", v.UnknownNeeds)
	}
	if len(v.Unexplained) != 2 {
		t.Fatalf("Q5 = %+v", v.Unexplained)
	}
	if len(v.ManualFlows) != 1 || v.Automated != 1 || v.TotalNeeds != 4 {
		t.Fatalf("flows: manual %d automated %d needs %d", len(v.ManualFlows), v.Automated, v.TotalNeeds)
	}
}

func TestContactValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Contact)) liaison.Contact {
		c := liaison.Contact{OrganisationID: "o1", Channel: liaison.ChannelServiceDesk, Subject: "Licences", ReceivedOn: "2026-12-03"}
		for _, m := range mods {
			m(&c)
		}
		return c
	}
	for _, tc := range []struct {
		name string
		c    liaison.Contact
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"routed", ok(func(c *liaison.Contact) { c.ResponsibleID = liaison.Ptr("u1") }), nil},
		{"no account", ok(func(c *liaison.Contact) { c.OrganisationID = "" }), map[string]string{"organisation_id": "required"}},
		{"no channel", ok(func(c *liaison.Contact) { c.Channel = "" }), map[string]string{"channel": "invalid"}},
		{"unknown channel", ok(func(c *liaison.Contact) { c.Channel = "pigeon" }), map[string]string{"channel": "invalid"}},
		{"unknown kind", ok(func(c *liaison.Contact) { c.Kind = "gossip" }), map[string]string{"kind": "invalid"}},
		{"no subject", ok(func(c *liaison.Contact) { c.Subject = "" }), map[string]string{"subject": "required"}},
		{"future", ok(func(c *liaison.Contact) { c.ReceivedOn = "2026-12-04" }), map[string]string{"received_on": "invalid"}},
		{"routed to nobody", ok(func(c *liaison.Contact) { c.Status = liaison.ContactRouted }), map[string]string{"responsible_id": "required"}},
		{"in progress by nobody", ok(func(c *liaison.Contact) { c.Status = liaison.ContactInProgress }), map[string]string{"responsible_id": "required"}},
		{"closed unanswered", ok(func(c *liaison.Contact) { c.Status = liaison.ContactClosed }), map[string]string{"resolution": "required"}},
		{"unknown status", ok(func(c *liaison.Contact) { c.Status = "lost" }), map[string]string{"status": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			c.Normalize()
			if got := fieldCodes(c.Validate(dmToday)); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestContactTransitions(t *testing.T) {
	const (
		n = liaison.ContactNew
		r = liaison.ContactRouted
		p = liaison.ContactInProgress
		c = liaison.ContactClosed
	)
	allowed := map[[2]liaison.ContactStatus]bool{
		{n, n}: true, {n, r}: true, {n, p}: true, {n, c}: true,
		{r, r}: true, {r, p}: true, {r, c}: true,
		{p, p}: true, {p, r}: true, {p, c}: true,
		{c, c}: true, {c, p}: true,
	}
	for _, from := range liaison.ContactStatuses {
		for _, to := range liaison.ContactStatuses {
			err := liaison.CheckContactTransition(from, to)
			if want := allowed[[2]liaison.ContactStatus{from, to}]; (err == nil) != want {
				t.Errorf("%s → %s: err = %v, want allowed %v", from, to, err, want)
			}
			if err != nil && !strings.Contains(liaison.ErrorMessage(err)+fieldMessages(err), "allowed") {
				t.Errorf("%s → %s: the refusal does not name the allowed moves: %v", from, to, err)
			}
		}
	}
}

func fieldMessages(err error) string {
	var b strings.Builder
	if e, ok := err.(*liaison.Error); ok {
		for _, f := range e.Fields {
			b.WriteString(f.Message)
		}
	}
	return b.String()
}

func TestChannelValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    liaison.Channel
		want map[string]string
	}{
		{"service desk", liaison.Channel{OrganisationID: "o", Kind: liaison.ChannelKindServiceDesk, Name: "Service desk"}, nil},
		{"service manager", liaison.Channel{OrganisationID: "o", Kind: liaison.ChannelKindService, Name: "Mail", UserID: liaison.Ptr("u"), ServiceID: liaison.Ptr("s")}, nil},
		{"manager without person", liaison.Channel{OrganisationID: "o", Kind: liaison.ChannelKindManager, Name: "RM"}, map[string]string{"user_id": "required"}},
		{"service manager without service", liaison.Channel{OrganisationID: "o", Kind: liaison.ChannelKindService, Name: "Mail", UserID: liaison.Ptr("u")},
			map[string]string{"service_id": "required"}},
		{"unknown kind", liaison.Channel{OrganisationID: "o", Kind: "fax", Name: "Fax"}, map[string]string{"kind": "invalid"}},
		{"no account, no name", liaison.Channel{Kind: liaison.ChannelKindOther}, map[string]string{"organisation_id": "required", "name": "required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			c.Normalize()
			if got := fieldCodes(c.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAnnouncementValidate(t *testing.T) {
	ok := func(mods ...func(*liaison.Announcement)) liaison.Announcement {
		a := liaison.Announcement{Kind: liaison.AnnouncementUpdate, Title: "Windows 11", Body: "Coming in May.", OrganisationIDs: []string{"o1", " o1 ", ""}}
		for _, m := range mods {
			m(&a)
		}
		return a
	}
	for _, tc := range []struct {
		name string
		a    liaison.Announcement
		want map[string]string
	}{
		{"complete", ok(), nil},
		{"by service", ok(func(a *liaison.Announcement) { a.OrganisationIDs, a.ServiceID = nil, liaison.Ptr("s") }), nil},
		{"no target", ok(func(a *liaison.Announcement) { a.OrganisationIDs = []string{" "} }), map[string]string{"organisation_ids": "required"}},
		{"no body", ok(func(a *liaison.Announcement) { a.Body = "" }), map[string]string{"body": "required"}},
		{"critical without window", ok(func(a *liaison.Announcement) { a.Kind = liaison.AnnouncementCritical }), map[string]string{"starts_on": "required"}},
		{"ends before it starts", ok(func(a *liaison.Announcement) { a.StartsOn, a.EndsOn = "2026-05-02", "2026-05-01" }), map[string]string{"ends_on": "invalid"}},
		{"unknown kind", ok(func(a *liaison.Announcement) { a.Kind = "spam" }), map[string]string{"kind": "invalid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Normalize()
			if got := fieldCodes(a.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
			if tc.want == nil && a.ServiceID == nil && !reflect.DeepEqual(a.OrganisationIDs, []string{"o1"}) {
				t.Fatalf("targets = %q, want the one account once", a.OrganisationIDs)
			}
		})
	}
}
