package liaison

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The account plan (SPEC C3, seed 003 §6.1): one living, INTERNAL plan per
// customer account, in six sections of structured items. Every save is a
// new version; versions are compared item by item (DiffPlans), items keyed
// by a stable id so that an edit or a reorder is never reported as a
// removal and an addition.

// PlanSection names a section of the account plan (SPEC §4, fixed).
type PlanSection string

const (
	PlanBasicInfo              PlanSection = "basic_info"
	PlanDevelopmentInitiatives PlanSection = "development_initiatives"
	PlanCriticalUpdateDates    PlanSection = "critical_update_dates"
	PlanFinanceMeetings        PlanSection = "finance_meetings"
	PlanDevelopmentNeeds       PlanSection = "development_needs"
	PlanMarketingActions       PlanSection = "marketing_actions"
)

// PlanSectionList lists the sections in the plan's order.
var PlanSectionList = []PlanSection{PlanBasicInfo, PlanDevelopmentInitiatives, PlanCriticalUpdateDates,
	PlanFinanceMeetings, PlanDevelopmentNeeds, PlanMarketingActions}

// Valid reports whether s is a known section.
func (s PlanSection) Valid() bool { return oneOf(s, PlanSectionList) }

// Dated reports whether the section's items take dates: development
// initiatives, critical update dates and finance (budget) meetings.
func (s PlanSection) Dated() bool {
	return s == PlanDevelopmentInitiatives || s == PlanCriticalUpdateDates || s == PlanFinanceMeetings
}

// Limits of the account plan.
const (
	MaxPlanItems       = 200  // per section
	MaxPlanReasonLen   = 2000 // an override reason
	PlanSectionEnumDoc = "basic_info,development_initiatives,critical_update_dates,finance_meetings,development_needs,marketing_actions"
)

// PlanItem is one entry of a section.
type PlanItem struct {
	ID        string  `json:"id" maxLength:"64" doc:"Stable id of the item within the plan; leave empty for a new item and one is assigned on save."`
	Title     string  `json:"title" maxLength:"200"`
	Date      *string `json:"date" format:"date" doc:"Only in the dated sections: development_initiatives, critical_update_dates, finance_meetings."`
	Note      string  `json:"note" maxLength:"20000"`
	ServiceID *string `json:"service_id" doc:"The service the item is about, if any."`
	// OverrideReason records why a marketing action names a service that
	// is not live (seed 004 §7.1: no marketing before a service is
	// finished and productised).
	OverrideReason string `json:"override_reason" maxLength:"2000" doc:"marketing_actions only: why the action may name a service that is not live. Without it such an action is refused."`
}

// PlanSections holds the items of every section.
type PlanSections struct {
	BasicInfo              []PlanItem `json:"basic_info" maxItems:"200"`
	DevelopmentInitiatives []PlanItem `json:"development_initiatives" maxItems:"200"`
	CriticalUpdateDates    []PlanItem `json:"critical_update_dates" maxItems:"200"`
	FinanceMeetings        []PlanItem `json:"finance_meetings" maxItems:"200"`
	DevelopmentNeeds       []PlanItem `json:"development_needs" maxItems:"200"`
	MarketingActions       []PlanItem `json:"marketing_actions" maxItems:"200"`
}

// Items returns the items of section s (nil for an unknown section).
func (p *PlanSections) Items(s PlanSection) *[]PlanItem {
	switch s {
	case PlanBasicInfo:
		return &p.BasicInfo
	case PlanDevelopmentInitiatives:
		return &p.DevelopmentInitiatives
	case PlanCriticalUpdateDates:
		return &p.CriticalUpdateDates
	case PlanFinanceMeetings:
		return &p.FinanceMeetings
	case PlanDevelopmentNeeds:
		return &p.DevelopmentNeeds
	case PlanMarketingActions:
		return &p.MarketingActions
	}
	return nil
}

// Count is the number of items in all sections.
func (p *PlanSections) Count() int {
	n := 0
	for _, s := range PlanSectionList {
		n += len(*p.Items(s))
	}
	return n
}

// Normalize trims every item, drops empty dates and service ids, clears
// the override reason outside marketing actions or without a service, and
// makes every section a non-nil list.
func (p *PlanSections) Normalize() {
	for _, s := range PlanSectionList {
		items := p.Items(s)
		if *items == nil {
			*items = []PlanItem{}
		}
		for i := range *items {
			it := &(*items)[i]
			it.ID, it.Title, it.Note = trim(it.ID), trim(it.Title), strings.TrimSpace(it.Note)
			it.OverrideReason = strings.TrimSpace(it.OverrideReason)
			it.Date, it.ServiceID = emptyToNil(it.Date), emptyToNil(it.ServiceID)
			if it.Date != nil {
				d := trim(*it.Date)
				it.Date = &d
			}
			if s != PlanMarketingActions || it.ServiceID == nil {
				it.OverrideReason = ""
			}
		}
	}
}

// PlanItemField is the field path of an item's field in errors:
// sections.<section>[<index>].<field>.
func PlanItemField(s PlanSection, i int, field string) string {
	return fmt.Sprintf("sections.%s[%d].%s", s, i, field)
}

// Validate checks every item: a title, lengths, dates only in dated
// sections and as YYYY-MM-DD, unique ids, at most MaxPlanItems a section.
func (p *PlanSections) Validate() error {
	var v Validation
	seen := map[string]string{}
	for _, s := range PlanSectionList {
		items := *p.Items(s)
		if len(items) > MaxPlanItems {
			v.Add("sections."+string(s), CodeTooLong, "plan.error.too_many_items", "has more than %d items", MaxPlanItems)
		}
		for i, it := range items {
			v.RequireName(PlanItemField(s, i, "title"), it.Title)
			v.Text(PlanItemField(s, i, "note"), it.Note)
			v.MaxLen(PlanItemField(s, i, "override_reason"), it.OverrideReason, MaxPlanReasonLen)
			v.MaxLen(PlanItemField(s, i, "id"), it.ID, 64)
			if it.Date != nil {
				if !s.Dated() {
					v.Add(PlanItemField(s, i, "date"), CodeInvalid, "plan.error.date_not_dated",
						"takes no date: only development initiatives, critical update dates and finance meetings are dated")
				} else if _, err := ParseDate(*it.Date); err != nil {
					v.Add(PlanItemField(s, i, "date"), CodeInvalid, "error.date_invalid", "must be a date (YYYY-MM-DD)")
				}
			}
			if it.ID != "" {
				if prev, dup := seen[it.ID]; dup {
					v.Add(PlanItemField(s, i, "id"), CodeInvalid, "plan.error.duplicate_id", "repeats the id of an item in %s", prev)
				}
				seen[it.ID] = string(s)
			}
		}
	}
	return v.Err()
}

// AssignIDs gives every item without an id a new one from next.
func (p *PlanSections) AssignIDs(next func() string) {
	for _, s := range PlanSectionList {
		items := *p.Items(s)
		for i := range items {
			if items[i].ID == "" {
				items[i].ID = next()
			}
		}
	}
}

// CodeServiceNotLive is the field code of a marketing action that names a
// service that is not live without an override reason.
const CodeServiceNotLive = "service_not_live"

// CheckPlanMarketing refuses a marketing action that names a service that
// is not live, unless it gives an override reason (SPEC C3, seed 004
// §7.1). Only actions that are new, or whose service changed since prev,
// are checked: an action saved when its service was live is not refused
// later because the service retired (the same holds for the unknown-service
// check of every section). services maps the named services' ids to them;
// a missing one is an unknown service.
func CheckPlanMarketing(prev, next *PlanSections, services map[string]*Service) error {
	before := map[string]string{}
	if prev != nil {
		for _, s := range PlanSectionList {
			for _, it := range *prev.Items(s) {
				before[it.ID] = string(s) + "/" + deref(it.ServiceID)
			}
		}
	}
	var v Validation
	for _, s := range PlanSectionList {
		for i, it := range *next.Items(s) {
			if it.ServiceID == nil || (it.ID != "" && before[it.ID] == string(s)+"/"+*it.ServiceID) {
				continue // unchanged since prev: not checked again
			}
			svc := services[*it.ServiceID]
			switch {
			case svc == nil:
				v.Add(PlanItemField(s, i, "service_id"), CodeUnknown, "plan.error.service_unknown", "names a service that does not exist")
			case s == PlanMarketingActions && svc.Status != ServiceLive && it.OverrideReason == "":
				v.Add(PlanItemField(s, i, "service_id"), CodeServiceNotLive, "plan.error.service_not_live",
					"names the service %q, which is %s, not live: a service is marketed only when it is finished and productised; give an override reason to record why this action is needed anyway",
					svc.Name, string(svc.Status))
			}
		}
	}
	return v.Err()
}

// ServiceIDs lists the distinct services the plan's items name.
func (p *PlanSections) ServiceIDs() []string {
	var ids []string
	for _, s := range PlanSectionList {
		for _, it := range *p.Items(s) {
			if it.ServiceID != nil {
				ids = append(ids, *it.ServiceID)
			}
		}
	}
	return uniqueIDs(ids)
}

// AccountPlan is the current version of an account's plan (API resource
// "plan" under an organisation). Version 0 is a plan never saved.
type AccountPlan struct {
	OrganisationID   string       `json:"organisation_id" readOnly:"true"`
	OrganisationName string       `json:"organisation_name" readOnly:"true"`
	Sections         PlanSections `json:"sections"`
	Version          int          `json:"version" readOnly:"true" doc:"The number of the latest version; 0 when the plan was never saved."`
	UpdatedAt        *time.Time   `json:"updated_at" readOnly:"true"`
	UpdatedByID      *string      `json:"updated_by_id" readOnly:"true"`
	UpdatedByName    string       `json:"updated_by_name" readOnly:"true"`
}

// PlanVersion is one saved version of an account plan.
type PlanVersion struct {
	OrganisationID string       `json:"organisation_id"`
	Number         int          `json:"number"`
	Sections       PlanSections `json:"sections"`
	AuthorID       *string      `json:"author_id"`
	AuthorName     string       `json:"author_name"`
	CreatedAt      time.Time    `json:"created_at"`
	// Added, Removed and Changed count the items this version changed
	// against the one before it.
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
}

// PlanChangeKind is what happened to an item between two versions.
type PlanChangeKind string

const (
	PlanItemAdded   PlanChangeKind = "added"
	PlanItemRemoved PlanChangeKind = "removed"
	PlanItemChanged PlanChangeKind = "changed"
)

// PlanFieldChange is one field of an item that differs, as text.
type PlanFieldChange struct {
	Field  string `json:"field" enum:"section,title,date,note,service_id,override_reason"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// PlanItemChange is one item that differs between two versions.
type PlanItemChange struct {
	Kind    PlanChangeKind    `json:"kind" enum:"added,removed,changed"`
	Section PlanSection       `json:"section" enum:"basic_info,development_initiatives,critical_update_dates,finance_meetings,development_needs,marketing_actions"`
	ItemID  string            `json:"item_id"`
	Title   string            `json:"title" doc:"The item's title in the later version (the earlier one for a removed item)."`
	Before  *PlanItem         `json:"before"`
	After   *PlanItem         `json:"after"`
	Fields  []PlanFieldChange `json:"fields" doc:"changed: the fields that differ, before → after."`
}

type placedItem struct {
	section PlanSection
	pos     int
	item    PlanItem
}

func placeItems(p *PlanSections) map[string]placedItem {
	m := map[string]placedItem{}
	for _, s := range PlanSectionList {
		for i, it := range *p.Items(s) {
			m[it.ID] = placedItem{s, i, it}
		}
	}
	return m
}

// DiffPlans lists the items that differ between from and to, keyed by item
// id: added, removed, or changed with each differing field before → after
// (a move to another section is a change of the field "section"). A change
// of order alone is no change. The list follows the sections' order and,
// within a section, the items' order in to (removed items by their place
// in from, after the section's other changes).
func DiffPlans(from, to *PlanSections) []PlanItemChange {
	before, after := placeItems(from), placeItems(to)
	changes := []PlanItemChange{}
	for _, s := range PlanSectionList {
		for _, it := range *to.Items(s) {
			old, ok := before[it.ID]
			if !ok {
				a := it
				changes = append(changes, PlanItemChange{Kind: PlanItemAdded, Section: s, ItemID: it.ID, Title: it.Title, After: &a})
				continue
			}
			fields := itemFieldChanges(old.section, s, old.item, it)
			if len(fields) > 0 {
				b, a := old.item, it
				changes = append(changes, PlanItemChange{Kind: PlanItemChanged, Section: s, ItemID: it.ID, Title: it.Title,
					Before: &b, After: &a, Fields: fields})
			}
		}
		for _, it := range *from.Items(s) {
			if _, ok := after[it.ID]; !ok {
				b := it
				changes = append(changes, PlanItemChange{Kind: PlanItemRemoved, Section: s, ItemID: it.ID, Title: it.Title, Before: &b})
			}
		}
	}
	return changes
}

func itemFieldChanges(fromSection, toSection PlanSection, b, a PlanItem) []PlanFieldChange {
	var f []PlanFieldChange
	add := func(name, x, y string) {
		if x != y {
			f = append(f, PlanFieldChange{Field: name, Before: x, After: y})
		}
	}
	add("section", string(fromSection), string(toSection))
	add("title", b.Title, a.Title)
	add("date", deref(b.Date), deref(a.Date))
	add("note", b.Note, a.Note)
	add("service_id", deref(b.ServiceID), deref(a.ServiceID))
	add("override_reason", b.OverrideReason, a.OverrideReason)
	return f
}

// CountPlanChanges counts a diff's added, removed and changed items.
func CountPlanChanges(changes []PlanItemChange) (added, removed, changed int) {
	for _, c := range changes {
		switch c.Kind {
		case PlanItemAdded:
			added++
		case PlanItemRemoved:
			removed++
		default:
			changed++
		}
	}
	return
}

// PlanText is a text in each of Liaison's languages.
type PlanText struct {
	En string `json:"en,omitempty" maxLength:"2000"`
	Sv string `json:"sv,omitempty" maxLength:"2000"`
	Fi string `json:"fi,omitempty" maxLength:"2000"`
	Zh string `json:"zh,omitempty" maxLength:"2000"`
}

// In returns the text in language l ("" when it has none).
func (t PlanText) In(l Language) string {
	switch l {
	case Swedish:
		return t.Sv
	case Finnish:
		return t.Fi
	case Chinese:
		return t.Zh
	}
	return t.En
}

func (t *PlanText) normalize() {
	t.En, t.Sv, t.Fi, t.Zh = strings.TrimSpace(t.En), strings.TrimSpace(t.Sv), strings.TrimSpace(t.Fi), strings.TrimSpace(t.Zh)
}

func (t PlanText) validate(v *Validation, field string, n int) {
	v.MaxLen(field+".en", t.En, n)
	v.MaxLen(field+".sv", t.Sv, n)
	v.MaxLen(field+".fi", t.Fi, n)
	v.MaxLen(field+".zh", t.Zh, n)
}

// PlanTemplateSection is how the template presents one section: whether
// it is shown, its heading (empty: the section's standard name) and the
// guidance written under it, in each language.
type PlanTemplateSection struct {
	Section  PlanSection `json:"section" enum:"basic_info,development_initiatives,critical_update_dates,finance_meetings,development_needs,marketing_actions"`
	Shown    bool        `json:"shown"`
	Heading  PlanText    `json:"heading"`
	Guidance PlanText    `json:"guidance"`
}

// PlanTemplate shapes the plans of every account (SegmentID nil, the
// default) or of one segment's accounts, overriding the default.
type PlanTemplate struct {
	SegmentID   *string               `json:"segment_id" readOnly:"true" doc:"null: the default template."`
	SegmentName string                `json:"segment_name" readOnly:"true"`
	Sections    []PlanTemplateSection `json:"sections" maxItems:"6"`
	Version     int                   `json:"version" readOnly:"true" doc:"0: never saved (the built-in default)."`
	UpdatedAt   *time.Time            `json:"updated_at" readOnly:"true"`
}

// DefaultPlanTemplate is the built-in template: every section shown, with
// its standard heading and guidance.
func DefaultPlanTemplate() *PlanTemplate {
	t := &PlanTemplate{}
	t.Normalize()
	return t
}

// Normalize puts the sections in the plan's order, one entry each: a
// section the input does not name is shown with standard texts.
func (t *PlanTemplate) Normalize() {
	given := map[PlanSection]PlanTemplateSection{}
	var unknown []PlanTemplateSection
	for _, s := range t.Sections {
		if !s.Section.Valid() {
			unknown = append(unknown, s)
			continue
		}
		if _, dup := given[s.Section]; !dup {
			given[s.Section] = s
		}
	}
	out := make([]PlanTemplateSection, 0, len(PlanSectionList)+len(unknown))
	for _, s := range PlanSectionList {
		ts, ok := given[s]
		if !ok {
			ts = PlanTemplateSection{Section: s, Shown: true}
		}
		ts.Heading.normalize()
		ts.Guidance.normalize()
		out = append(out, ts)
	}
	t.Sections = append(out, unknown...)
	t.SegmentID = emptyToNil(t.SegmentID)
}

// Validate checks the sections are known and the texts' lengths.
func (t *PlanTemplate) Validate() error {
	var v Validation
	for i, s := range t.Sections {
		f := fmt.Sprintf("sections[%d]", i)
		if !s.Section.Valid() {
			v.Add(f+".section", CodeInvalid, "plan.error.section_invalid", "must be one of %s", PlanSectionEnumDoc)
			continue
		}
		s.Heading.validate(&v, f+".heading", MaxNameLen)
		s.Guidance.validate(&v, f+".guidance", 2000)
	}
	return v.Err()
}

// Section returns the template's entry for s.
func (t *PlanTemplate) Section(s PlanSection) PlanTemplateSection {
	for _, ts := range t.Sections {
		if ts.Section == s {
			return ts
		}
	}
	return PlanTemplateSection{Section: s, Shown: true}
}

// PlanItemFilter selects plan items across accounts for the analysis
// (SPEC C3 "every development initiative due next quarter").
type PlanItemFilter struct {
	Section   PlanSection // "" for every section
	From, To  string      // dates, both included (YYYY-MM-DD)
	ManagerID string      // the accounts' relationship manager
	SegmentID string
	Limit     int // default and cap 5,000
}

// MaxPlanAnalysis caps the analysis's rows.
const MaxPlanAnalysis = 5000

// PlanItemRow is a dated item of an account's current plan.
type PlanItemRow struct {
	OrganisationID   string      `json:"organisation_id"`
	OrganisationName string      `json:"organisation_name"`
	ManagerID        *string     `json:"manager_id"`
	ManagerName      string      `json:"manager_name"`
	SegmentID        *string     `json:"segment_id"`
	SegmentName      string      `json:"segment_name"`
	Section          PlanSection `json:"section"`
	Item             PlanItem    `json:"item"`
}

// PlanVersionFilter pages through a plan's versions, newest first.
type PlanVersionFilter struct {
	OrganisationID string
	Limit          int
	Cursor         string
}

// PlanStore keeps account plans, their versions and the plan templates.
type PlanStore interface {
	// FindAccountPlan returns the account's current plan: version 0 with
	// empty sections when it was never saved. ENOTFOUND when the unit does
	// not exist; EINVALID when it is not a customer account.
	FindAccountPlan(ctx context.Context, organisationID string) (*AccountPlan, error)
	// SaveAccountPlan stores p.Sections as the plan's next version, when
	// ifVersion is the current one (0 for the first save; else ESTALE).
	// Items without an id get one; p is filled with the saved plan.
	// EINVALID: a marketing action names a service that is not live
	// without an override reason, or an item names an unknown service.
	SaveAccountPlan(ctx context.Context, p *AccountPlan, ifVersion int) error
	// FindPlanVersions lists the versions, newest first, with the counts of
	// what each changed (sections included).
	FindPlanVersions(ctx context.Context, f PlanVersionFilter) ([]*PlanVersion, string, error)
	// FindPlanVersion returns version n; ENOTFOUND when there is none.
	FindPlanVersion(ctx context.Context, organisationID string, n int) (*PlanVersion, error)
	// FindPlanItems lists the dated items of the live accounts' current
	// plans whose date lies in the filter's period, by date.
	FindPlanItems(ctx context.Context, f PlanItemFilter) ([]*PlanItemRow, error)

	// FindPlanTemplate returns the template of a segment ("" the default);
	// ENOTFOUND when none is stored.
	FindPlanTemplate(ctx context.Context, segmentID string) (*PlanTemplate, error)
	// FindPlanTemplates lists the stored templates, the default first.
	FindPlanTemplates(ctx context.Context) ([]*PlanTemplate, error)
	// SavePlanTemplate stores t when ifVersion is its current version (0
	// when none is stored). EINVALID names a segment that does not exist.
	SavePlanTemplate(ctx context.Context, t *PlanTemplate, ifVersion int) error
	// DeletePlanTemplate removes a segment's template (its accounts then use
	// the default); ENOTFOUND when there is none.
	DeletePlanTemplate(ctx context.Context, segmentID string) error
}
