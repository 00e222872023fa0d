package liaison

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Imports (SPEC C15): organisation units, people, contact roles,
// services, agreements and SLA results read from a CSV or XLSX file whose
// columns are mapped to fields. A file is
// checked row by row into a plan (what to create, what to update, what to
// reject and why); the store writes a plan without rejections in one
// transaction. Re-importing a file matches each row to a stored record by
// its external id, else by email (people), name within the parent (units),
// person, unit and role (roles), name (services), title within the
// account (agreements) or agreement, service, period and metric (SLA
// results): it updates, never duplicates.

// ImportKind is what a file holds.
type ImportKind string

const (
	ImportUnits  ImportKind = "units"
	ImportPeople ImportKind = "people"
	ImportRoles  ImportKind = "roles"

	ImportServices   ImportKind = "services"
	ImportAgreements ImportKind = "agreements"
	ImportSLAResults ImportKind = "sla-results"
)

// ImportKinds lists the kinds the import engine reads, in wizard order.
var ImportKinds = []ImportKind{ImportUnits, ImportPeople, ImportRoles, ImportServices, ImportAgreements, ImportSLAResults}

// importKindNames are the other names a kind goes by: the API's resource
// names and singulars.
var importKindNames = map[string]ImportKind{
	"organisations": ImportUnits, "organisation": ImportUnits, "unit": ImportUnits,
	"service": ImportServices, "agreement": ImportAgreements,
	"sla_results": ImportSLAResults, "sla-result": ImportSLAResults, "sla_result": ImportSLAResults, "sla": ImportSLAResults,
}

// ParseImportKind reads a kind; "organisations" (the API's resource name)
// is units, "sla_results" (the API's) sla-results.
func ParseImportKind(s string) (ImportKind, bool) {
	s = lowerTrim(s)
	if k, ok := importKindNames[s]; ok {
		s = string(k)
	}
	for _, k := range ImportKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// MaxImportRows caps the rows of one import.
const MaxImportRows = 100000

// ImportField is a field a column may be mapped to.
type ImportField struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	// Aliases are header names (besides Name) that suggest the field, in
	// English, Swedish, Finnish and Chinese.
	Aliases []string `json:"-"`
}

// externalIDField is every kind's external id.
var externalIDField = ImportField{Name: "external_id", Aliases: []string{"id", "external id", "externt id", "extern id", "ulkoinen tunniste", "tunniste", "外部编号", "外部id"}}

// unitRefFields name a unit by id, external id or path; extra are more
// aliases of the path.
func unitRefFields(extra ...string) []ImportField {
	return []ImportField{
		{Name: "organisation_id", Aliases: []string{"unit id", "organization_id"}},
		{Name: "organisation_external_id", Aliases: []string{"unit external id", "organization_external_id", "enhetens externa id", "yksikön tunniste", "单位外部编号"}},
		{Name: "organisation", Aliases: append([]string{"unit", "organization", "enhet", "organisation path", "yksikkö", "organisaatio", "单位", "组织"}, extra...)},
	}
}

func fieldList(parts ...[]ImportField) []ImportField {
	var out []ImportField
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var importFields = map[ImportKind][]ImportField{
	ImportUnits: {
		externalIDField,
		{Name: "name", Required: true, Aliases: []string{"unit", "unit name", "enhet", "namn", "nimi", "yksikkö", "名称", "单位"}},
		{Name: "parent_id", Aliases: []string{"parent id"}},
		{Name: "parent_external_id", Aliases: []string{"organisation_external_id", "parent external id", "överordnad externt id", "ylemmän tunniste", "上级外部编号"}},
		{Name: "parent", Aliases: []string{"organisation", "parent unit", "parent path", "överordnad", "överordnad enhet", "ylempi yksikkö", "ylempi", "上级", "上级单位"}},
		{Name: "budget_holder", Aliases: []string{"account", "budget", "budgetansvar", "budgetinnehavare", "konto", "budjettivastuu", "asiakkuus", "预算", "预算持有"}},
		{Name: "description", Aliases: []string{"beskrivning", "kuvaus", "描述", "说明"}},
	},
	ImportPeople: fieldList([]ImportField{
		externalIDField,
		{Name: "name", Required: true, Aliases: []string{"full name", "person", "namn", "nimi", "henkilö", "姓名", "名字"}},
		{Name: "email", Aliases: []string{"e-mail", "mail", "e-post", "epost", "sähköposti", "sahkoposti", "邮箱", "电子邮件"}},
		{Name: "phone", Aliases: []string{"telephone", "mobile", "telefon", "mobil", "puhelin", "matkapuhelin", "电话", "手机"}},
		{Name: "title", Aliases: []string{"job title", "titel", "befattning", "nimike", "titteli", "职位", "职务"}},
	}, unitRefFields(), []ImportField{
		{Name: "language", Aliases: []string{"lang", "språk", "kieli", "语言"}},
		{Name: "notes", Aliases: []string{"note", "anteckningar", "muistiinpanot", "huomautukset", "备注"}},
	}),
	ImportRoles: fieldList([]ImportField{
		{Name: "person_id"},
		{Name: "person_external_id", Aliases: []string{"personens externa id", "henkilön tunniste", "人员外部编号"}},
		{Name: "person_email", Aliases: []string{"email", "e-mail", "e-post", "sähköposti", "邮箱"}},
	}, unitRefFields(), []ImportField{
		{Name: "role", Required: true, Aliases: []string{"roll", "rooli", "角色"}},
		{Name: "label", Aliases: []string{"etikett", "benämning", "nimitys", "标签"}},
		{Name: "active", Aliases: []string{"aktiv", "aktiivinen", "有效"}},
	}),
	ImportServices:   serviceImportFields,
	ImportAgreements: agreementImportFields,
	ImportSLAResults: slaImportFields,
}

// ImportFields returns the fields of kind.
func ImportFields(kind ImportKind) []ImportField { return importFields[kind] }

func headerKey(s string) string { return strings.Join(SearchTerms(s), "") }

// SuggestMapping maps each header column to the field its name suggests
// ("" for none): the field's own name or one of its aliases in any of the
// four languages, ignoring case, diacritics, spaces and punctuation. No
// field is suggested twice; the first column wins.
func SuggestMapping(kind ImportKind, header []string) []string {
	byKey := map[string]string{}
	for _, f := range importFields[kind] {
		byKey[headerKey(f.Name)] = f.Name
	}
	for _, f := range importFields[kind] { // own names win over aliases
		for _, a := range f.Aliases {
			if _, ok := byKey[headerKey(a)]; !ok {
				byKey[headerKey(a)] = f.Name
			}
		}
	}
	out := make([]string, len(header))
	used := map[string]bool{}
	for i, h := range header {
		if f := byKey[headerKey(h)]; f != "" && !used[f] {
			out[i], used[f] = f, true
		}
	}
	return out
}

// CheckMapping refuses a mapping that names an unknown field, maps one
// field twice or leaves a required field (or every way of naming a
// needed reference) unmapped. mapping[i] is column i's field, "" for
// none.
func CheckMapping(kind ImportKind, mapping []string) error {
	var v Validation
	known := map[string]bool{}
	for _, f := range importFields[kind] {
		known[f.Name] = true
	}
	seen := map[string]bool{}
	for _, m := range mapping {
		switch {
		case m == "":
		case !known[m]:
			v.Add("mapping", CodeInvalid, "import.error_unknown_field", "names the unknown field %s", m)
		case seen[m]:
			v.Add("mapping", CodeInvalid, "import.error_field_twice", "maps the field %s to two columns", m)
		}
		seen[m] = true
	}
	for _, f := range importFields[kind] {
		if f.Required && !seen[f.Name] {
			v.Add("mapping", CodeRequired, "import.error_field_unmapped", "maps no column to the required field %s", f.Name)
		}
	}
	anyOf := func(names ...string) {
		for _, n := range names {
			if seen[n] {
				return
			}
		}
		v.Add("mapping", CodeRequired, "import.error_reference_unmapped", "maps no column to any of %s", strings.Join(names, ", "))
	}
	switch kind {
	case ImportPeople:
		anyOf("organisation_id", "organisation_external_id", "organisation")
	case ImportRoles:
		anyOf("person_id", "person_external_id", "person_email")
		anyOf("organisation_id", "organisation_external_id", "organisation")
	case ImportAgreements:
		anyOf("organisation_id", "organisation_external_id", "organisation")
	case ImportSLAResults:
		anyOf("agreement_id", "agreement_external_id", "agreement")
		anyOf("service_id", "service_external_id", "service")
	}
	return v.Err()
}

// ImportRow is one data row of a file, its values by field.
type ImportRow struct {
	Line   int
	Values map[string]string
}

// MapRow turns a row's cells into values by field (trimmed).
func MapRow(line int, cells, mapping []string) ImportRow {
	r := ImportRow{Line: line, Values: make(map[string]string, len(mapping))}
	for i, f := range mapping {
		if f != "" && i < len(cells) {
			r.Values[f] = strings.TrimSpace(cells[i])
		}
	}
	return r
}

// ImportRowError is a rejected row: its line in the file, the field and
// why (Key and Args translate Message).
type ImportRowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Key     string `json:"key,omitempty" doc:"The reason's translation key."`
	Args    []any  `json:"args,omitempty" doc:"The values the reason names."`
	Message string `json:"reason"`
}

// ImportSnapshot is what a plan matches against: the live records the
// store holds, read in the transaction that writes the plan.
type ImportSnapshot struct {
	Units      []*Organisation
	People     []*Person
	Roles      []*ContactRole
	Users      []*User
	Services   []*Service   // with their levels
	Agreements []*Agreement // live ones, with their covered services
	SLAResults []*SLAResult
}

// ImportPlan is what an import writes: records to create (parents before
// children) and to update (with the version read), and the rows rejected.
type ImportPlan struct {
	Kind      ImportKind
	Rows      int
	Units     []*Organisation // creates
	UnitsUpd  []*Organisation // updates; Version is the version read
	People    []*Person
	PeopleUpd []*Person
	Roles     []*ContactRole
	RolesUpd  []*ContactRole
	// Services updated keep their stored levels and may add new ones.
	Services      []*Service
	ServicesUpd   []*Service
	Agreements    []*Agreement
	AgreementsUpd []*Agreement
	SLAResults    []*SLAResult
	SLAResultsUpd []*SLAResult
	Unchanged     int
	Rejected      []ImportRowError
}

// Created and Updated count the plan's records.
func (p *ImportPlan) Created() int {
	return len(p.Units) + len(p.People) + len(p.Roles) + len(p.Services) + len(p.Agreements) + len(p.SLAResults)
}
func (p *ImportPlan) Updated() int {
	return len(p.UnitsUpd) + len(p.PeopleUpd) + len(p.RolesUpd) + len(p.ServicesUpd) + len(p.AgreementsUpd) + len(p.SLAResultsUpd)
}

func (p *ImportPlan) reject(line int, field, code, key, msg string, args ...any) {
	p.Rejected = append(p.Rejected, ImportRowError{Line: line, Field: field, Code: code, Key: key, Args: args, Message: fmt.Sprintf(msg, args...)})
}

// rejectInvalid adds a validation error's fields as rejections of line.
func (p *ImportPlan) rejectInvalid(line int, err error) {
	e, ok := err.(*Error)
	if !ok {
		p.reject(line, "", CodeInvalid, "error.validation", "%s", err.Error())
		return
	}
	for _, f := range e.Fields {
		p.Rejected = append(p.Rejected, ImportRowError{Line: line, Field: f.Field, Code: f.Code, Key: f.Key, Args: f.Args, Message: f.Field + " " + f.Message})
	}
}

// unitIndex finds units by id, external id and path of names.
type unitIndex struct {
	byID   map[string]*Organisation
	byExt  map[string]*Organisation
	byName map[[2]string]*Organisation // (parent id, folded name)
}

func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func newUnitIndex(units []*Organisation) *unitIndex {
	ix := &unitIndex{byID: map[string]*Organisation{}, byExt: map[string]*Organisation{}, byName: map[[2]string]*Organisation{}}
	for _, u := range units {
		ix.byID[u.ID] = u
		if u.ExternalID != "" {
			ix.byExt[u.ExternalID] = u
		}
		ix.byName[[2]string{deref(u.ParentID), foldName(u.Name)}] = u
	}
	return ix
}

// splitPath splits a unit path ("Region/Division/Unit"; "/" or ">"
// between names) into its names.
func splitPath(p string) []string {
	sep := "/"
	if !strings.Contains(p, "/") && strings.Contains(p, ">") {
		sep = ">"
	}
	var out []string
	for _, n := range strings.Split(p, sep) {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// path resolves a path of names among the stored units.
func (ix *unitIndex) path(p string) *Organisation {
	var cur *Organisation
	for _, n := range splitPath(p) {
		u := ix.byName[[2]string{idOf(cur), foldName(n)}]
		if u == nil {
			return nil
		}
		cur = u
	}
	return cur
}

func idOf(o *Organisation) string {
	if o == nil {
		return ""
	}
	return o.ID
}

// unit resolves a reference to a stored unit by the first of the id,
// external id and path given; field and a reason when it names none.
func (ix *unitIndex) unit(v map[string]string, idF, extF, pathF string) (*Organisation, string, string) {
	switch {
	case v[idF] != "":
		if u := ix.byID[v[idF]]; u != nil {
			return u, "", ""
		}
		return nil, idF, v[idF]
	case v[extF] != "":
		if u := ix.byExt[v[extF]]; u != nil {
			return u, "", ""
		}
		return nil, extF, v[extF]
	case v[pathF] != "":
		if u := ix.path(v[pathF]); u != nil {
			return u, "", ""
		}
		return nil, pathF, v[pathF]
	}
	return nil, pathF, ""
}

// rowUnit resolves the row's unit (organisation_id, organisation_external_id
// or organisation, its path) among the stored units; nil, and the row
// rejected, when it names none.
func (p *ImportPlan) rowUnit(ix *unitIndex, r ImportRow) *Organisation {
	u, field, val := ix.unit(r.Values, "organisation_id", "organisation_external_id", "organisation")
	switch {
	case u != nil:
	case val == "":
		p.reject(r.Line, "organisation", CodeRequired, "import.error_unit_required", "names no unit: give organisation_id, organisation_external_id or organisation")
	default:
		p.reject(r.Line, field, CodeUnknown, "import.error_no_unit", "%q names no unit", val)
	}
	return u
}

// parseBool reads yes/no as spreadsheets and people in four languages write it.
func parseBool(s string) (bool, bool) {
	switch headerKey(s) {
	case "1", "true", "yes", "y", "x", "ja", "j", "kylla", "k", "on", "是", "真":
		return true, true
	case "", "0", "false", "no", "n", "nej", "ei", "e", "off", "否", "假":
		return false, true
	}
	return false, false
}

// importPlanners plan the rows of each kind.
var importPlanners = map[ImportKind]func(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string){
	ImportUnits: planUnits, ImportPeople: planPeople, ImportRoles: planRoles,
	ImportServices: planServices, ImportAgreements: planAgreements, ImportSLAResults: planSLAResults,
}

// PlanImport checks rows against the snapshot and returns the plan. newID
// names the records it creates. It never fails: whatever is wrong with a
// row is a rejection naming its line.
func PlanImport(kind ImportKind, snap *ImportSnapshot, rows []ImportRow, newID func() string, now time.Time) *ImportPlan {
	p := &ImportPlan{Kind: kind, Rows: len(rows)}
	if len(rows) > MaxImportRows {
		p.reject(0, "file", CodeInvalid, "import.error_too_many_rows", "has more than %d rows", MaxImportRows)
		return p
	}
	if plan, ok := importPlanners[kind]; ok {
		plan(p, snap, rows, newID)
	} else {
		p.reject(0, "kind", CodeInvalid, "import.error_kind", "names no kind of import: %s", kind)
	}
	sort.SliceStable(p.Rejected, func(i, j int) bool { return p.Rejected[i].Line < p.Rejected[j].Line })
	return p
}

func planUnits(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string) {
	ix := newUnitIndex(snap.Units)
	// Rows by external id and by folded name, for references within the file.
	fileExt := map[string]int{}
	fileName := map[string][]int{}
	for i, r := range rows {
		if e := r.Values["external_id"]; e != "" {
			if j, ok := fileExt[e]; ok {
				p.reject(r.Line, "external_id", CodeInvalid, "import.error_repeats", "repeats line %d", rows[j].Line)
				continue
			}
			fileExt[e] = i
		}
		n := foldName(r.Values["name"])
		fileName[n] = append(fileName[n], i)
	}
	const (
		todo = iota
		visiting
		done
		failed
	)
	state := make([]int, len(rows))
	ids := make([]string, len(rows))     // each resolved row's unit id
	parents := make([]string, len(rows)) // and its parent's ("" at the top)
	seenName := map[[2]string]int{}
	var resolve func(i int) bool
	// findChild finds the unit named n below parent, in the file or the store.
	findChild := func(parent, n string) (string, bool) {
		for _, j := range fileName[foldName(n)] {
			// A row being resolved is not its own parent: skip it.
			if state[j] == visiting || !resolve(j) {
				continue
			}
			if parents[j] == parent {
				return ids[j], true
			}
		}
		if u := ix.byName[[2]string{parent, foldName(n)}]; u != nil {
			return u.ID, true
		}
		return "", false
	}
	resolve = func(i int) bool {
		switch state[i] {
		case done:
			return true
		case failed:
			return false
		case visiting:
			p.reject(rows[i].Line, "parent", CodeInvalid, "import.error_cycle", "lies below itself: the units' parents form a cycle")
			state[i] = failed
			return false
		}
		state[i] = visiting
		r := rows[i]
		v := r.Values
		fail := func(field, code, key, msg string, args ...any) bool {
			p.reject(r.Line, field, code, key, msg, args...)
			state[i] = failed
			return false
		}
		budget, ok := parseBool(v["budget_holder"])
		if !ok {
			return fail("budget_holder", CodeInvalid, "import.error_bool", "%q is neither yes nor no", v["budget_holder"])
		}
		// The parent: a stored id, an external id (file first), or a path.
		parent := ""
		switch {
		case v["parent_id"] != "":
			u := ix.byID[v["parent_id"]]
			if u == nil {
				return fail("parent_id", CodeUnknown, "import.error_no_unit", "%q names no unit", v["parent_id"])
			}
			parent = u.ID
		case v["parent_external_id"] != "":
			e := v["parent_external_id"]
			if j, ok := fileExt[e]; ok {
				if !resolve(j) {
					return fail("parent_external_id", CodeInvalid, "import.error_parent_rejected", "the parent's line %d is rejected", rows[j].Line)
				}
				parent = ids[j]
			} else if u := ix.byExt[e]; u != nil {
				parent = u.ID
			} else {
				return fail("parent_external_id", CodeUnknown, "import.error_no_unit", "%q names no unit", e)
			}
		case v["parent"] != "":
			for _, n := range splitPath(v["parent"]) {
				id, ok := findChild(parent, n)
				if !ok {
					return fail("parent", CodeUnknown, "import.error_no_unit", "%q names no unit", v["parent"])
				}
				parent = id
			}
		}
		parents[i] = parent
		o := &Organisation{Name: v["name"], ExternalID: v["external_id"], BudgetHolder: budget, Description: v["description"]}
		if parent != "" {
			o.ParentID = &parent
		}
		o.Normalize()
		if err := o.Validate(); err != nil {
			p.rejectInvalid(r.Line, err)
			state[i] = failed
			return false
		}
		key := [2]string{parent, foldName(o.Name)}
		if j, ok := seenName[key]; ok {
			return fail("name", CodeInvalid, "import.error_repeats", "repeats line %d", j)
		}
		seenName[key] = r.Line
		// Match a stored unit: external id, else name within the parent.
		var old *Organisation
		if o.ExternalID != "" {
			old = ix.byExt[o.ExternalID]
		}
		if old == nil {
			old = ix.byName[key]
			if old != nil && old.ExternalID != "" && o.ExternalID != "" && old.ExternalID != o.ExternalID {
				return fail("name", CodeInvalid, "import.error_name_taken", "a unit of that name with another external id (%s) lies under the same parent", old.ExternalID)
			}
		}
		if old == nil {
			o.ID = newID()
			ids[i] = o.ID
			p.Units = append(p.Units, o) // after its parent: resolved first
			state[i] = done
			return true
		}
		ids[i] = old.ID
		state[i] = done
		if deref(old.ParentID) != parent {
			return fail("parent", CodeInvalid, "import.error_moved", "the unit %s lies under another parent in Liaison: move it there, not by import", old.Name)
		}
		if !budget && old.BudgetHolder && (old.RelationshipManagerID != nil || old.DeputyID != nil) {
			return fail("budget_holder", CodeInvalid, "error.manager_needs_account", "only a budget-holding unit (an account) has a relationship manager and deputy")
		}
		n := *old
		n.Name, n.BudgetHolder = o.Name, budget
		if _, ok := v["description"]; ok {
			n.Description = o.Description
		}
		if o.ExternalID != "" {
			n.ExternalID = o.ExternalID
		}
		if n.Name == old.Name && n.BudgetHolder == old.BudgetHolder && n.Description == old.Description && n.ExternalID == old.ExternalID {
			p.Unchanged++
		} else {
			p.UnitsUpd = append(p.UnitsUpd, &n)
		}
		return true
	}
	for i := range rows {
		if state[i] == todo {
			resolve(i)
		}
	}
}

func planPeople(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string) {
	ix := newUnitIndex(snap.Units)
	byExt, byEmail := map[string]*Person{}, map[string]*Person{}
	for _, x := range snap.People {
		if x.ExternalID != "" {
			byExt[x.ExternalID] = x
		}
		if x.Email != "" {
			byEmail[x.Email] = x
		}
	}
	seenExt, seenEmail := map[string]int{}, map[string]int{}
	for _, r := range rows {
		v := r.Values
		u := p.rowUnit(ix, r)
		if u == nil {
			continue
		}
		x := &Person{Name: v["name"], Email: v["email"], Phone: v["phone"], Title: v["title"], OrganisationID: u.ID,
			Language: Language(lowerTrim(v["language"])), ExternalID: v["external_id"], Notes: v["notes"]}
		x.Normalize()
		if err := x.Validate(); err != nil {
			p.rejectInvalid(r.Line, err)
			continue
		}
		if p.repeats(seenExt, x.ExternalID, r.Line, "external_id") || p.repeats(seenEmail, x.Email, r.Line, "email") {
			continue
		}
		var old *Person
		if x.ExternalID != "" {
			old = byExt[x.ExternalID]
		}
		if old == nil && x.Email != "" {
			old = byEmail[x.Email]
			if old != nil && old.ExternalID != "" && x.ExternalID != "" {
				p.reject(r.Line, "email", CodeInvalid, "import.error_email_taken", "belongs to a person with another external id (%s)", old.ExternalID)
				continue
			}
		}
		if old == nil {
			x.ID = newID()
			p.People = append(p.People, x)
			continue
		}
		if x.Email != "" && x.Email != old.Email {
			if other := byEmail[x.Email]; other != nil && other.ID != old.ID {
				p.reject(r.Line, "email", CodeInvalid, "import.error_email_taken", "belongs to a person with another external id (%s)", other.ExternalID)
				continue
			}
		}
		n := *old
		n.Name, n.OrganisationID = x.Name, x.OrganisationID
		set := func(field string, dst *string, val string) {
			if _, ok := v[field]; ok {
				*dst = val
			}
		}
		set("email", &n.Email, x.Email)
		set("phone", &n.Phone, x.Phone)
		set("title", &n.Title, x.Title)
		set("notes", &n.Notes, x.Notes)
		if _, ok := v["language"]; ok {
			n.Language = x.Language
		}
		if x.ExternalID != "" {
			n.ExternalID = x.ExternalID
		}
		if n.Name == old.Name && n.OrganisationID == old.OrganisationID && n.Email == old.Email && n.Phone == old.Phone &&
			n.Title == old.Title && n.Notes == old.Notes && n.Language == old.Language && n.ExternalID == old.ExternalID {
			p.Unchanged++
		} else {
			p.PeopleUpd = append(p.PeopleUpd, &n)
		}
	}
}

func planRoles(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string) {
	ix := newUnitIndex(snap.Units)
	pByID, pByExt, pByEmail := map[string]*Person{}, map[string]*Person{}, map[string]*Person{}
	for _, x := range snap.People {
		pByID[x.ID] = x
		if x.ExternalID != "" {
			pByExt[x.ExternalID] = x
		}
		if x.Email != "" {
			pByEmail[x.Email] = x
		}
	}
	type key struct {
		person, unit string
		role         RoleKind
		label        string
	}
	existing := map[key]*ContactRole{}
	customer := map[string]string{} // unit → person id of the active customer
	for _, r := range snap.Roles {
		existing[key{r.PersonID, r.OrganisationID, r.Role, strings.ToLower(r.Label)}] = r
		if r.Role == RoleCustomer && r.Active {
			customer[r.OrganisationID] = r.PersonID
		}
	}
	seen := map[key]int{}
	for _, r := range rows {
		v := r.Values
		var person *Person
		switch {
		case v["person_id"] != "":
			person = pByID[v["person_id"]]
		case v["person_external_id"] != "":
			person = pByExt[v["person_external_id"]]
		case v["person_email"] != "":
			person = pByEmail[lowerTrim(v["person_email"])]
		default:
			p.reject(r.Line, "person_email", CodeRequired, "import.error_person_required", "names no person: give person_id, person_external_id or person_email")
			continue
		}
		if person == nil {
			p.reject(r.Line, "person", CodeUnknown, "import.error_no_person", "names no person in Liaison")
			continue
		}
		u := p.rowUnit(ix, r)
		if u == nil {
			continue
		}
		active, ok := true, true
		if s, given := v["active"]; given && s != "" {
			active, ok = parseBool(s)
		}
		if !ok {
			p.reject(r.Line, "active", CodeInvalid, "import.error_bool", "%q is neither yes nor no", v["active"])
			continue
		}
		x := &ContactRole{PersonID: person.ID, OrganisationID: u.ID, Role: RoleKind(lowerTrim(v["role"])), Label: v["label"], Active: active}
		x.Normalize()
		if err := x.Validate(); err != nil {
			p.rejectInvalid(r.Line, err)
			continue
		}
		if x.Role == RoleCustomer {
			if !u.BudgetHolder {
				p.reject(r.Line, "role", CodeInvalid, "import.error_customer_not_account", "customer: %s is not an account (a budget holder)", u.Name)
				continue
			}
			if cur, ok := customer[u.ID]; ok && x.Active && cur != person.ID {
				p.reject(r.Line, "role", CodeInvalid, "import.error_second_customer", "customer: %s already has an active customer", u.Name)
				continue
			}
			if x.Active {
				customer[u.ID] = person.ID
			}
		}
		k := key{x.PersonID, x.OrganisationID, x.Role, strings.ToLower(x.Label)}
		if j, ok := seen[k]; ok {
			p.reject(r.Line, "role", CodeInvalid, "import.error_repeats", "repeats line %d", j)
			continue
		}
		seen[k] = r.Line
		if old := existing[k]; old != nil {
			if old.Active == x.Active && old.Label == x.Label {
				p.Unchanged++
				continue
			}
			n := *old
			n.Active, n.Label = x.Active, x.Label
			p.RolesUpd = append(p.RolesUpd, &n)
			continue
		}
		x.ID = newID()
		p.Roles = append(p.Roles, x)
	}
}

// ImportStatus is where an import job stands.
type ImportStatus string

const (
	ImportUploaded ImportStatus = "uploaded" // file read, mapping suggested
	ImportChecked  ImportStatus = "checked"  // dry run done (see the report)
	ImportRunning  ImportStatus = "running"  // commit under way
	ImportDone     ImportStatus = "done"     // committed
	ImportFailed   ImportStatus = "failed"   // commit refused or failed: nothing written
)

// ImportJob is an import under way: the uploaded file, its mapping and
// progress, kept in the database between the steps of the wizard (any
// instance may serve the next step or a progress poll).
type ImportJob struct {
	ID        string         `json:"id"`
	Kind      ImportKind     `json:"kind" enum:"units,people,roles,services,agreements,sla-results"`
	FileName  string         `json:"file_name"`
	Data      []byte         `json:"-"`
	Header    []string       `json:"header" readOnly:"true" doc:"The file's column names."`
	Sample    []string       `json:"sample" readOnly:"true" doc:"The first data row's values, by column."`
	Mapping   []string       `json:"mapping" doc:"The field each column maps to, by position; \"\" ignores the column."`
	Status    ImportStatus   `json:"status" readOnly:"true" enum:"uploaded,checked,running,done,failed"`
	Total     int            `json:"total" readOnly:"true" doc:"Data rows in the file."`
	Done      int            `json:"done" readOnly:"true" doc:"Rows processed so far by the running step."`
	Report    *ImportSummary `json:"report,omitempty" readOnly:"true"`
	CreatedBy string         `json:"created_by" readOnly:"true"`
	Version   int            `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// Percent is the job's progress, 0–100: while it runs, the rows read and
// mapped make the first half (Done of Total); the transaction that checks
// and writes them, which reports only when it ends, the second.
func (j *ImportJob) Percent() int {
	switch {
	case j.Status == ImportDone || j.Status != ImportRunning && j.Report != nil:
		return 100
	case j.Total <= 0:
		return 0
	}
	return min(50, j.Done*50/j.Total)
}

// ImportSummary says what an import did or, in a dry run, would do.
type ImportSummary struct {
	Rows      int              `json:"rows"`
	Created   int              `json:"created"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	DryRun    bool             `json:"dry_run"`
	Committed bool             `json:"committed"`
	Rejected  []ImportRowError `json:"rejected"`
}

// Report summarises the plan.
func (p *ImportPlan) Report(dryRun bool) *ImportSummary {
	r := &ImportSummary{Rows: p.Rows, DryRun: dryRun, Rejected: p.Rejected}
	if r.Rejected == nil {
		r.Rejected = []ImportRowError{}
	}
	r.Created, r.Updated, r.Unchanged = p.Created(), p.Updated(), p.Unchanged
	return r
}

// ImportStore keeps import jobs and writes imports.
type ImportStore interface {
	CreateImportJob(ctx context.Context, j *ImportJob) error
	// FindImportJob returns the job with its file.
	FindImportJob(ctx context.Context, id string) (*ImportJob, error)
	// SaveImportJob writes the job's mapping, status, progress and report.
	SaveImportJob(ctx context.Context, j *ImportJob) error
	// ApplyImport plans rows against the records stored (PlanImport) and,
	// unless dryRun or a row is rejected, writes the plan and its audit
	// entries in one transaction: all or nothing. It returns the plan.
	ApplyImport(ctx context.Context, kind ImportKind, rows []ImportRow, dryRun bool) (*ImportPlan, error)
}
