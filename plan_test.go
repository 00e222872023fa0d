package liaison_test

import (
	"reflect"
	"strings"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func item(id, title string, mods ...func(*liaison.PlanItem)) liaison.PlanItem {
	it := liaison.PlanItem{ID: id, Title: title}
	for _, m := range mods {
		m(&it)
	}
	return it
}

func on(d string) func(*liaison.PlanItem)   { return func(it *liaison.PlanItem) { it.Date = &d } }
func note(n string) func(*liaison.PlanItem) { return func(it *liaison.PlanItem) { it.Note = n } }
func svc(s string) func(*liaison.PlanItem)  { return func(it *liaison.PlanItem) { it.ServiceID = &s } }

func TestPlanSectionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    liaison.PlanSections
		want map[string]string
	}{
		{"empty plan", liaison.PlanSections{}, nil},
		{"complete", liaison.PlanSections{
			BasicInfo:              []liaison.PlanItem{item("", "Budget holder: Åsa Öberg")},
			DevelopmentInitiatives: []liaison.PlanItem{item("a", "E-services for building permits", on("2027-03-01"))},
			FinanceMeetings:        []liaison.PlanItem{item("b", "Budget 2028", on("2027-09-15"))},
		}, nil},
		{"no title", liaison.PlanSections{DevelopmentNeeds: []liaison.PlanItem{item("", " ")}},
			map[string]string{"sections.development_needs[0].title": "required"}},
		{"long note", liaison.PlanSections{BasicInfo: []liaison.PlanItem{item("", "T", note(strings.Repeat("x", 20001)))}},
			map[string]string{"sections.basic_info[0].note": "too_long"}},
		{"a date in an undated section", liaison.PlanSections{BasicInfo: []liaison.PlanItem{item("", "T", on("2027-01-01"))}},
			map[string]string{"sections.basic_info[0].date": "invalid"}},
		{"a malformed date", liaison.PlanSections{CriticalUpdateDates: []liaison.PlanItem{item("", "T", on("1.3.2027"))}},
			map[string]string{"sections.critical_update_dates[0].date": "invalid"}},
		{"an id twice", liaison.PlanSections{BasicInfo: []liaison.PlanItem{item("x", "A")}, DevelopmentNeeds: []liaison.PlanItem{item("x", "B")}},
			map[string]string{"sections.development_needs[0].id": "invalid"}},
		{"too many items", liaison.PlanSections{DevelopmentNeeds: make([]liaison.PlanItem, liaison.MaxPlanItems+1)},
			nil}, // filled below
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			if tc.name == "too many items" {
				for i := range p.DevelopmentNeeds {
					p.DevelopmentNeeds[i].Title = "Need"
				}
				tc.want = map[string]string{"sections.development_needs": "too_long"}
			}
			p.Normalize()
			if got := fieldCodes(p.Validate()); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlanSectionsNormalize(t *testing.T) {
	p := liaison.PlanSections{
		BasicInfo:        []liaison.PlanItem{{Title: " T ", Date: liaison.Ptr(""), ServiceID: liaison.Ptr(" "), OverrideReason: "why"}},
		MarketingActions: []liaison.PlanItem{{Title: "M", ServiceID: liaison.Ptr("s"), OverrideReason: " pilot "}, {Title: "N", OverrideReason: "x"}},
	}
	p.Normalize()
	b := p.BasicInfo[0]
	if b.Title != "T" || b.Date != nil || b.ServiceID != nil || b.OverrideReason != "" {
		t.Errorf("basic info item = %+v", b)
	}
	if p.MarketingActions[0].OverrideReason != "pilot" || p.MarketingActions[1].OverrideReason != "" {
		t.Errorf("override reasons = %q, %q; kept only on an action naming a service", p.MarketingActions[0].OverrideReason, p.MarketingActions[1].OverrideReason)
	}
	if p.DevelopmentNeeds == nil || p.FinanceMeetings == nil {
		t.Error("empty sections must be empty lists, not null")
	}
	n := 0
	p.AssignIDs(func() string { n++; return "id" + strings.Repeat("x", n) })
	if p.BasicInfo[0].ID == "" || p.MarketingActions[1].ID == "" || n != 3 {
		t.Errorf("ids not assigned: %+v (%d)", p, n)
	}
}

func TestDiffPlans(t *testing.T) {
	base := liaison.PlanSections{
		BasicInfo:              []liaison.PlanItem{item("b1", "Budget holder: Åsa")},
		DevelopmentInitiatives: []liaison.PlanItem{item("d1", "E-archive", on("2027-03-01")), item("d2", "Mobile permits", on("2027-05-01"))},
		DevelopmentNeeds:       []liaison.PlanItem{item("n1", "More printers")},
	}
	type c struct {
		kind    liaison.PlanChangeKind
		section liaison.PlanSection
		id      string
		fields  string // field:before>after, comma separated
	}
	for _, tc := range []struct {
		name string
		to   func(p *liaison.PlanSections)
		want []c
	}{
		{"identical", func(p *liaison.PlanSections) {}, nil},
		{"reorder is no change", func(p *liaison.PlanSections) {
			p.DevelopmentInitiatives = []liaison.PlanItem{p.DevelopmentInitiatives[1], p.DevelopmentInitiatives[0]}
		}, nil},
		{"added", func(p *liaison.PlanSections) {
			p.DevelopmentInitiatives = append(p.DevelopmentInitiatives, item("d3", "AI pilot", on("2027-06-01")))
		}, []c{{liaison.PlanItemAdded, liaison.PlanDevelopmentInitiatives, "d3", ""}}},
		{"removed", func(p *liaison.PlanSections) { p.DevelopmentNeeds = nil },
			[]c{{liaison.PlanItemRemoved, liaison.PlanDevelopmentNeeds, "n1", ""}}},
		{"date changed", func(p *liaison.PlanSections) { p.DevelopmentInitiatives[0].Date = liaison.Ptr("2027-04-15") },
			[]c{{liaison.PlanItemChanged, liaison.PlanDevelopmentInitiatives, "d1", "date:2027-03-01>2027-04-15"}}},
		{"edit and reorder together is one change", func(p *liaison.PlanSections) {
			d1 := p.DevelopmentInitiatives[0]
			d1.Title, d1.Note = "E-archive phase 2", "After the pilot"
			p.DevelopmentInitiatives = []liaison.PlanItem{p.DevelopmentInitiatives[1], d1}
		}, []c{{liaison.PlanItemChanged, liaison.PlanDevelopmentInitiatives, "d1", "title:E-archive>E-archive phase 2,note:>After the pilot"}}},
		{"moved to another section", func(p *liaison.PlanSections) {
			p.DevelopmentNeeds = append(p.DevelopmentNeeds, liaison.PlanItem{ID: "d2", Title: "Mobile permits"})
			p.DevelopmentInitiatives = p.DevelopmentInitiatives[:1]
		}, []c{{liaison.PlanItemChanged, liaison.PlanDevelopmentNeeds, "d2", "section:development_initiatives>development_needs,date:2027-05-01>"}}},
		{"service named and cleared", func(p *liaison.PlanSections) {
			p.BasicInfo[0].ServiceID = liaison.Ptr("s1")
			p.DevelopmentNeeds[0].Title = "More printers"
		}, []c{{liaison.PlanItemChanged, liaison.PlanBasicInfo, "b1", "service_id:>s1"}}},
		{"several, in section order", func(p *liaison.PlanSections) {
			p.MarketingActions = []liaison.PlanItem{item("m1", "Teams training")}
			p.BasicInfo = nil
			p.DevelopmentInitiatives[1].Title = "Mobile building permits"
		}, []c{
			{liaison.PlanItemRemoved, liaison.PlanBasicInfo, "b1", ""},
			{liaison.PlanItemChanged, liaison.PlanDevelopmentInitiatives, "d2", "title:Mobile permits>Mobile building permits"},
			{liaison.PlanItemAdded, liaison.PlanMarketingActions, "m1", ""},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := clonePlan(base)
			to := clonePlan(base)
			tc.to(&to)
			from.Normalize()
			to.Normalize()
			var got []c
			for _, ch := range liaison.DiffPlans(&from, &to) {
				var fs []string
				for _, f := range ch.Fields {
					fs = append(fs, f.Field+":"+f.Before+">"+f.After)
				}
				got = append(got, c{ch.Kind, ch.Section, ch.ItemID, strings.Join(fs, ",")})
				if (ch.Kind == liaison.PlanItemAdded) != (ch.Before == nil) || (ch.Kind == liaison.PlanItemRemoved) != (ch.After == nil) {
					t.Errorf("%s %s: before %v after %v", ch.Kind, ch.ItemID, ch.Before, ch.After)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("diff = %+v\nwant   %+v", got, tc.want)
			}
		})
	}
}

func clonePlan(p liaison.PlanSections) liaison.PlanSections {
	out := liaison.PlanSections{}
	for _, s := range liaison.PlanSectionList {
		*out.Items(s) = append([]liaison.PlanItem(nil), *p.Items(s)...)
	}
	return out
}

func TestCheckPlanMarketing(t *testing.T) {
	services := map[string]*liaison.Service{
		"live":    {ID: "live", Name: "Teams", Status: liaison.ServiceLive},
		"pipe":    {ID: "pipe", Name: "AI assistant", Status: liaison.ServicePipeline},
		"retired": {ID: "retired", Name: "Fax", Status: liaison.ServiceRetired},
	}
	reason := func(r string) func(*liaison.PlanItem) { return func(it *liaison.PlanItem) { it.OverrideReason = r } }
	prev := liaison.PlanSections{MarketingActions: []liaison.PlanItem{item("m0", "Fax campaign", svc("live"))}}
	for _, tc := range []struct {
		name  string
		items []liaison.PlanItem
		other []liaison.PlanItem // development needs
		want  map[string]string
		msg   string
	}{
		{"live service", []liaison.PlanItem{item("m1", "Teams training", svc("live"))}, nil, nil, ""},
		{"no service", []liaison.PlanItem{item("m1", "Newsletter")}, nil, nil, ""},
		{"pipeline service refused", []liaison.PlanItem{item("m1", "Try the assistant", svc("pipe"))}, nil,
			map[string]string{"sections.marketing_actions[0].service_id": "service_not_live"}, `"AI assistant", which is pipeline, not live`},
		{"retired service refused", []liaison.PlanItem{item("m1", "OK", svc("live")), item("", "Fax", svc("retired"))}, nil,
			map[string]string{"sections.marketing_actions[1].service_id": "service_not_live"}, `"Fax", which is retired`},
		{"pipeline with an override reason", []liaison.PlanItem{item("m1", "Pilot", svc("pipe"), reason("Customer asked to pilot"))}, nil, nil, ""},
		{"unknown service", []liaison.PlanItem{item("m1", "X", svc("nope"))}, nil,
			map[string]string{"sections.marketing_actions[0].service_id": "unknown"}, "does not exist"},
		{"unknown service in another section", nil, []liaison.PlanItem{item("n1", "X", svc("nope"))},
			map[string]string{"sections.development_needs[0].service_id": "unknown"}, "does not exist"},
		{"a pipeline service outside marketing is fine", nil, []liaison.PlanItem{item("n1", "X", svc("pipe"))}, nil, ""},
		{"an action switched to a retired service", []liaison.PlanItem{item("m0", "Fax campaign", svc("retired"))}, nil,
			map[string]string{"sections.marketing_actions[0].service_id": "service_not_live"}, "retired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := liaison.PlanSections{MarketingActions: tc.items, DevelopmentNeeds: tc.other}
			next.Normalize()
			err := liaison.CheckPlanMarketing(&prev, &next, services)
			if got := fieldCodes(err); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", err.Error(), tc.msg)
			}
		})
	}
	// An action saved while its service was live is not refused later.
	now := liaison.PlanSections{MarketingActions: []liaison.PlanItem{item("m0", "Fax campaign", svc("retired"))}}
	was := liaison.PlanSections{MarketingActions: []liaison.PlanItem{item("m0", "Fax campaign", svc("retired"))}}
	if err := liaison.CheckPlanMarketing(&was, &now, services); err != nil {
		t.Errorf("an unchanged action is refused: %v", err)
	}
}

func TestPlanTemplateNormalize(t *testing.T) {
	tpl := liaison.PlanTemplate{SegmentID: liaison.Ptr(""), Sections: []liaison.PlanTemplateSection{
		{Section: liaison.PlanMarketingActions, Shown: false, Heading: liaison.PlanText{Sv: " Marknadsföring "}},
		{Section: liaison.PlanMarketingActions, Shown: true},
	}}
	tpl.Normalize()
	if tpl.SegmentID != nil || len(tpl.Sections) != 6 || tpl.Sections[0].Section != liaison.PlanBasicInfo || !tpl.Sections[0].Shown {
		t.Fatalf("normalized = %+v", tpl)
	}
	m := tpl.Section(liaison.PlanMarketingActions)
	if m.Shown || m.Heading.In(liaison.Swedish) != "Marknadsföring" || m.Heading.In(liaison.English) != "" {
		t.Errorf("marketing = %+v", m)
	}
	if err := tpl.Validate(); err != nil {
		t.Error(err)
	}
	bad := liaison.PlanTemplate{Sections: []liaison.PlanTemplateSection{{Section: "gossip"},
		{Section: liaison.PlanBasicInfo, Guidance: liaison.PlanText{Zh: strings.Repeat("说", 2001)}}}}
	bad.Normalize()
	if got := fieldCodes(bad.Validate()); !reflect.DeepEqual(got, map[string]string{"sections[0].guidance.zh": "too_long", "sections[6].section": "invalid"}) {
		t.Errorf("fields = %v", got)
	}
}

func TestExternalPrincipal(t *testing.T) {
	admin := &liaison.User{ID: "u1", Role: liaison.RoleAdmin, Active: true}
	internal := &liaison.Principal{User: admin, Scope: liaison.ScopeWrite}
	external := &liaison.Principal{User: admin, Scope: liaison.ScopeRead, Via: "token", CustomerID: "acc-1"}
	for _, a := range []liaison.Access{liaison.AccessSignedIn, liaison.AccessRead, liaison.AccessWrite, liaison.AccessCurate, liaison.AccessAdmin} {
		if external.Allows(a) {
			t.Errorf("an external principal passes %s", a)
		}
		if !internal.Allows(a) {
			t.Errorf("the admin is refused %s", a)
		}
	}
	if !external.Allows(liaison.AccessCustomer) || !external.Allows(liaison.AccessPublic) || !internal.Allows(liaison.AccessCustomer) {
		t.Error("customer-facing and public routes must admit both")
	}
	if !external.External() || external.Internal() || internal.External() || !internal.Internal() {
		t.Error("External/Internal")
	}
	if !external.MaySeeAccount("acc-1") || external.MaySeeAccount("acc-2") || external.MaySeeAccount("") || !internal.MaySeeAccount("acc-2") {
		t.Error("MaySeeAccount")
	}
	if external.CanWriteAccount(&liaison.Organisation{ID: "acc-1"}) {
		t.Error("an external principal may write its account")
	}
	var anon *liaison.Principal
	if anon.Allows(liaison.AccessCustomer) || anon.MaySeeAccount("acc-1") || anon.Internal() {
		t.Error("anonymous passes a customer route")
	}
}
