package liaison

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The customer data map (SPEC C15, seed 004 §6): the systems that hold
// customer data, what each holds, which IT unit maintains it, which units
// need what from it and why, how the data moves in and out (by hand or
// automatically) and how fresh it is. The seed found that nobody knew
// where customer data was kept, who kept it current or who needed it; the
// register answers its five questions (DataMapView).

// FlowMode says how data moves between two systems.
type FlowMode string

const (
	FlowManual    FlowMode = "manual"    // somebody copies it by hand
	FlowAutomated FlowMode = "automated" // an integration moves it
)

// FlowModes lists the modes.
var FlowModes = []FlowMode{FlowManual, FlowAutomated}

// FlowDirection says whether data comes into the system or goes out of it.
type FlowDirection string

const (
	FlowIn  FlowDirection = "in"
	FlowOut FlowDirection = "out"
)

// FlowDirections lists the directions.
var FlowDirections = []FlowDirection{FlowIn, FlowOut}

// MaxDataMapItems bounds a data source's needs and flows.
const MaxDataMapItems = 50

// MaxRefreshDays is the longest expected refresh interval: ten years.
const MaxRefreshDays = 3650

// DataNeed is an IT unit's need for data a system holds.
type DataNeed struct {
	Unit    string `json:"unit" maxLength:"200" doc:"The IT unit (or role) that needs the data, e.g. Service desk. Required."`
	Data    string `json:"data" maxLength:"200" doc:"What it needs from the system. Required."`
	Purpose string `json:"purpose,omitempty" maxLength:"2000" doc:"Why it needs it; empty when nobody has said (the data map flags it)."`
	Known   bool   `json:"known,omitempty" doc:"The maintaining unit knows of this need (seed 004 §6.2: do units know what the others need?)."`
}

// DataFlow is data moving into or out of a system.
type DataFlow struct {
	Direction FlowDirection `json:"direction" enum:"in,out" doc:"in: the system receives the data; out: it sends it."`
	System    string        `json:"system" maxLength:"200" doc:"The other system (or a spreadsheet, a mailbox). Required."`
	Data      string        `json:"data" maxLength:"200" doc:"What moves. Required."`
	Mode      FlowMode      `json:"mode,omitempty" enum:"manual,automated" doc:"Default manual."`
}

// DataSource (API resource "data-sources") is a system that holds customer
// data.
type DataSource struct {
	ID               string     `json:"id"`
	Name             string     `json:"name" maxLength:"200" doc:"The system, e.g. SAP finance. Unique. Required."`
	Description      string     `json:"description" maxLength:"20000" doc:"What the system is for."`
	Data             string     `json:"data" maxLength:"20000" doc:"What customer data it holds. Required."`
	MaintainerUnit   string     `json:"maintainer_unit" maxLength:"200" doc:"The IT unit responsible for keeping the data current; empty when nobody is (flagged)."`
	MaintainerUserID *string    `json:"maintainer_user_id" doc:"The named person in that unit."`
	MaintainerName   string     `json:"maintainer_name" readOnly:"true"`
	RefreshDays      int        `json:"refresh_days" minimum:"0" maximum:"3650" doc:"How often the data should be brought up to date, in days; 0 for no expectation."`
	LastUpdatedOn    string     `json:"last_updated_on" doc:"When the customer data was last brought up to date, YYYY-MM-DD; empty when unknown. Not in the future."`
	Needs            []DataNeed `json:"needs" maxItems:"50" doc:"Who needs what from it, and why."`
	Flows            []DataFlow `json:"flows" maxItems:"50" doc:"How data moves in and out."`
	Stale            bool       `json:"stale" readOnly:"true" doc:"True when refresh_days has passed since last_updated_on (or the date is unknown)."`

	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Normalize trims input and drops empty needs and flows.
func (d *DataSource) Normalize() {
	d.Name, d.MaintainerUnit, d.LastUpdatedOn = trim(d.Name), trim(d.MaintainerUnit), trim(d.LastUpdatedOn)
	d.Description, d.Data = strings.TrimSpace(d.Description), strings.TrimSpace(d.Data)
	d.MaintainerUserID = emptyToNil(d.MaintainerUserID)
	needs := d.Needs[:0:0]
	for _, n := range d.Needs {
		n.Unit, n.Data, n.Purpose = trim(n.Unit), trim(n.Data), strings.TrimSpace(n.Purpose)
		if n.Unit != "" || n.Data != "" || n.Purpose != "" {
			needs = append(needs, n)
		}
	}
	d.Needs = needs
	flows := d.Flows[:0:0]
	for _, f := range d.Flows {
		f.System, f.Data = trim(f.System), trim(f.Data)
		if f.System != "" || f.Data != "" {
			if f.Mode == "" {
				f.Mode = FlowManual
			}
			flows = append(flows, f)
		}
	}
	d.Flows = flows
}

// Validate checks the data source's fields against today (the last update
// may not be in the future).
func (d *DataSource) Validate(today time.Time) error {
	var v Validation
	v.RequireName("name", d.Name)
	v.Text("description", d.Description)
	if d.Data == "" {
		v.Add("data", CodeRequired, "datamap.error.data_required", "is required: say what customer data the system holds")
	}
	v.Text("data", d.Data)
	v.MaxLen("maintainer_unit", d.MaintainerUnit, MaxNameLen)
	if d.MaintainerUserID != nil && d.MaintainerUnit == "" {
		v.Add("maintainer_unit", CodeRequired, "datamap.error.unit_for_person", "is required when a person is named: name the unit they maintain it for")
	}
	if d.RefreshDays < 0 || d.RefreshDays > MaxRefreshDays {
		v.Add("refresh_days", CodeInvalid, "datamap.error.refresh_range", "must be between 0 and %d days", MaxRefreshDays)
	}
	if d.LastUpdatedOn != "" {
		if t, ok := validDate(&v, "last_updated_on", &d.LastUpdatedOn); ok && t.After(DateOf(today)) {
			v.Add("last_updated_on", CodeInvalid, "datamap.error.future", "cannot be in the future")
		}
	}
	if len(d.Needs) > MaxDataMapItems {
		v.Add("needs", CodeInvalid, "datamap.error.too_many", "may hold at most %d items", MaxDataMapItems)
	}
	for i, n := range d.Needs {
		f := func(s string) string { return "needs[" + strconv.Itoa(i) + "]." + s }
		v.RequireName(f("unit"), n.Unit)
		v.RequireName(f("data"), n.Data)
		v.MaxLen(f("purpose"), n.Purpose, 2000)
	}
	if len(d.Flows) > MaxDataMapItems {
		v.Add("flows", CodeInvalid, "datamap.error.too_many", "may hold at most %d items", MaxDataMapItems)
	}
	for i, fl := range d.Flows {
		f := func(s string) string { return "flows[" + strconv.Itoa(i) + "]." + s }
		v.RequireName(f("system"), fl.System)
		v.RequireName(f("data"), fl.Data)
		if !oneOf(fl.Direction, FlowDirections) {
			v.Add(f("direction"), CodeInvalid, "datamap.error.direction", "must be in or out")
		}
		if !oneOf(fl.Mode, FlowModes) {
			v.Add(f("mode"), CodeInvalid, "datamap.error.mode", "must be manual or automated")
		}
		if fl.System != "" && strings.EqualFold(fl.System, d.Name) {
			v.Add(f("system"), CodeInvalid, "datamap.error.self_flow", "must be another system: data does not flow from a system to itself")
		}
	}
	return v.Err()
}

// IsStale reports whether the data is overdue for its refresh on today:
// more than RefreshDays since LastUpdatedOn, or never recorded. A source
// with no expected interval is never stale.
func (d *DataSource) IsStale(today time.Time) bool {
	if d.RefreshDays <= 0 {
		return false
	}
	last, err := ParseDate(d.LastUpdatedOn)
	if err != nil {
		return true
	}
	return DateOf(today).After(last.AddDate(0, 0, d.RefreshDays))
}

// DueOn is the date by which the data should next be refreshed; "" when
// there is no interval or no last update.
func (d *DataSource) DueOn() string {
	last, err := ParseDate(d.LastUpdatedOn)
	if d.RefreshDays <= 0 || err != nil {
		return ""
	}
	return FormatDate(last.AddDate(0, 0, d.RefreshDays))
}

// DataSourceFilter selects data sources. Zero fields do not filter.
type DataSourceFilter struct {
	Q              string
	MaintainerUnit string
	Trashed        bool
	Sort           string // name (default), created_at, updated_at, each with - for descending
	Limit          int
	Cursor         string
}

// DataSourceStore keeps the data map.
type DataSourceStore interface {
	// CreateDataSource stores d; ECONFLICT when the name is taken,
	// EINVALID for an unknown maintainer.
	CreateDataSource(ctx context.Context, d *DataSource) error
	FindDataSourceByID(ctx context.Context, id string) (*DataSource, error)
	FindDataSources(ctx context.Context, f DataSourceFilter) ([]*DataSource, string, error)
	// AllDataSources returns every live data source, by name (the map view).
	AllDataSources(ctx context.Context) ([]*DataSource, error)
	UpdateDataSource(ctx context.Context, d *DataSource, ifVersion int) error
	DeleteDataSource(ctx context.Context, id string, ifVersion int) error
}

// DataMapView answers seed 004 §6.2's five questions from the register.
type DataMapView struct {
	Sources []*DataSource // Q1: where, and what data, is there about customers?
	// Q2: who is responsible for keeping it current, and is it?
	Unmaintained []*DataSource // no maintaining unit named
	StaleSources []*DataSource
	// Q3: who needs what data?
	NeedsByUnit []UnitNeeds
	// Q4: do the units know what the others need? The needs the
	// maintaining unit has not acknowledged.
	UnknownNeeds []SourceNeed
	// Q5: do they understand why? The needs with no purpose given.
	Unexplained []SourceNeed
	// The manual flows: candidates for automation (seed 004 §6.2).
	ManualFlows []SourceFlow
	Automated   int
	TotalNeeds  int
}

// SourceNeed is a need with its system.
type SourceNeed struct {
	Source *DataSource
	Need   DataNeed
}

// SourceFlow is a flow with its system.
type SourceFlow struct {
	Source *DataSource
	Flow   DataFlow
}

// UnitNeeds is what one unit needs, from which systems.
type UnitNeeds struct {
	Unit  string
	Needs []SourceNeed
}

// BuildDataMap computes the view of sources (sorted by name) on today,
// setting each source's Stale.
func BuildDataMap(sources []*DataSource, today time.Time) *DataMapView {
	v := &DataMapView{Sources: sources}
	byUnit := map[string]*UnitNeeds{}
	seen := map[string]bool{}
	for _, s := range sources {
		s.Stale = s.IsStale(today)
		if s.MaintainerUnit == "" {
			v.Unmaintained = append(v.Unmaintained, s)
		}
		if s.Stale {
			v.StaleSources = append(v.StaleSources, s)
		}
		for _, n := range s.Needs {
			v.TotalNeeds++
			key := strings.ToLower(n.Unit)
			u := byUnit[key]
			if u == nil {
				u = &UnitNeeds{Unit: n.Unit}
				byUnit[key] = u
			}
			sn := SourceNeed{Source: s, Need: n}
			u.Needs = append(u.Needs, sn)
			if !n.Known && !strings.EqualFold(n.Unit, s.MaintainerUnit) {
				v.UnknownNeeds = append(v.UnknownNeeds, sn)
			}
			if n.Purpose == "" {
				v.Unexplained = append(v.Unexplained, sn)
			}
		}
		for _, f := range s.Flows {
			// A transfer recorded on both systems (out of one, into the
			// other) is one transfer.
			from, to := s.Name, f.System
			if f.Direction == FlowIn {
				from, to = f.System, s.Name
			}
			key := strings.ToLower(from + "\x00" + to + "\x00" + f.Data)
			if seen[key] {
				continue
			}
			seen[key] = true
			if f.Mode == FlowManual {
				v.ManualFlows = append(v.ManualFlows, SourceFlow{Source: s, Flow: f})
			} else {
				v.Automated++
			}
		}
	}
	for _, u := range byUnit {
		v.NeedsByUnit = append(v.NeedsByUnit, *u)
	}
	sort.Slice(v.NeedsByUnit, func(i, j int) bool {
		return strings.ToLower(v.NeedsByUnit[i].Unit) < strings.ToLower(v.NeedsByUnit[j].Unit)
	})
	return v
}
