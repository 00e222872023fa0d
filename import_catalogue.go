package liaison

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Imports of the service catalogue, agreements and SLA results (SPEC C15,
// issue 9). Each row is set onto a record field by field (a new one, or a
// copy of the stored record it matches, so that unmapped columns keep the
// stored values), normalised and checked by the record's own Validate and
// the rules between records the store's write path keeps.

var serviceImportFields = []ImportField{
	externalIDField,
	{Name: "name", Required: true, Aliases: []string{"service", "service name", "tjänst", "tjänstens namn", "namn", "palvelu", "palvelun nimi", "nimi", "服务", "服务名称", "名称"}},
	{Name: "description", Aliases: []string{"beskrivning", "kuvaus", "描述", "说明"}},
	{Name: "status", Aliases: []string{"state", "tillstånd", "tila", "状态"}},
	{Name: "price_model", Aliases: []string{"pricing", "price model", "prismodell", "hinnoittelu", "hinnoittelumalli", "计价方式", "定价模式"}},
	{Name: "currency", Aliases: []string{"valuta", "valuutta", "货币", "币种"}},
	{Name: "customer_specific", Aliases: []string{"customer specific", "kundspecifik", "asiakaskohtainen", "客户专属", "定制"}},
	{Name: "owner", Aliases: []string{"owner_id", "owner email", "service owner", "ägare", "tjänsteägare", "omistaja", "palvelun omistaja", "负责人", "服务负责人"}},
	{Name: "levels", Aliases: []string{"service levels", "nivåer", "servicenivåer", "palvelutasot", "tasot", "服务级别", "级别"}},
}

var agreementImportFields = fieldList([]ImportField{
	externalIDField,
	{Name: "title", Required: true, Aliases: []string{"agreement", "name", "avtal", "avtalsnamn", "titel", "namn", "sopimus", "otsikko", "nimi", "协议", "协议名称", "标题"}},
	{Name: "type", Required: true, Aliases: []string{"agreement type", "typ", "avtalstyp", "tyyppi", "sopimustyyppi", "类型"}},
	{Name: "status", Aliases: []string{"state", "tila", "状态"}},
}, unitRefFields("account", "customer", "account path", "kund", "konto", "asiakas", "asiakkuus", "客户", "账户"), []ImportField{
	{Name: "signed_by", Aliases: []string{"signed_by_person_id", "signer", "signed by", "undertecknare", "undertecknad av", "allekirjoittaja", "签署人"}},
	{Name: "signed_on", Aliases: []string{"signed", "undertecknat", "allekirjoitettu", "签署日期"}},
	{Name: "start_date", Aliases: []string{"start", "startdatum", "alkupäivä", "开始日期"}},
	{Name: "end_date", Aliases: []string{"end", "slutdatum", "päättymispäivä", "结束日期"}},
	{Name: "notice_months", Aliases: []string{"notice", "uppsägningstid", "irtisanomisaika", "通知期"}},
	{Name: "renewal", Aliases: []string{"förnyelse", "uusiminen", "续约"}},
	{Name: "renewal_months", Aliases: []string{"förnyelseperiod", "uusimisjakso", "续约期"}},
	{Name: "review_interval_months", Aliases: []string{"review interval", "granskningsintervall", "tarkistusväli", "审查间隔"}},
	{Name: "next_review_date", Aliases: []string{"next review", "nästa granskning", "seuraava tarkistus", "下次审查"}},
	{Name: "service_review_months", Aliases: []string{"service review", "tjänstegenomgång", "palvelukatselmus", "服务评审"}},
	{Name: "annual_amount", Aliases: []string{"amount", "belopp", "årsbelopp", "summa", "vuosisumma", "金额", "年度金额"}},
	{Name: "currency", Aliases: []string{"valuta", "valuutta", "货币", "币种"}},
	{Name: "cost_centre", Aliases: []string{"cost center", "kostnadsställe", "kustannuspaikka", "成本中心"}},
	{Name: "business_value", Aliases: []string{"affärsnytta", "affärsvärde", "liiketoiminta-arvo", "业务价值"}},
	{Name: "services", Aliases: []string{"tjänster", "palvelut", "服务"}},
	{Name: "notes", Aliases: []string{"note", "anteckningar", "muistiinpanot", "huomautukset", "备注"}},
})

var slaImportFields = []ImportField{
	{Name: "agreement_id"},
	{Name: "agreement_external_id", Aliases: []string{"avtalets externa id", "sopimuksen tunniste", "协议外部编号"}},
	{Name: "agreement", Aliases: []string{"agreement title", "avtal", "sopimus", "协议"}},
	{Name: "service_id"},
	{Name: "service_external_id", Aliases: []string{"tjänstens externa id", "palvelun tunniste", "服务外部编号"}},
	{Name: "service", Aliases: []string{"service name", "tjänst", "palvelu", "服务"}},
	{Name: "period", Required: true, Aliases: []string{"month", "månad", "kausi", "kuukausi", "期间", "月份"}},
	{Name: "metric", Required: true, Aliases: []string{"measure", "mått", "mätetal", "mittari", "指标"}},
	{Name: "target", Required: true, Aliases: []string{"mål", "målvärde", "tavoite", "目标"}},
	{Name: "actual", Required: true, Aliases: []string{"result", "utfall", "värde", "toteuma", "实际"}},
	{Name: "unit", Aliases: []string{"enhet", "yksikkö", "单位"}},
	{Name: "higher_is_better", Aliases: []string{"higher is better", "högre är bättre", "suurempi on parempi", "越高越好"}},
	{Name: "note", Aliases: []string{"notes", "anteckning", "kommentar", "huomautus", "备注"}},
	{Name: "source", Aliases: []string{"källa", "lähde", "来源"}},
}

// cellError is why a cell cannot be read.
type cellError struct {
	code, key, msg string
	args           []any
}

// rowSetter sets one field of a record from a (trimmed) cell.
type rowSetter[T any] func(x *T, s string) *cellError

// applyRow sets x's fields from the row's mapped cells, in the kind's
// field order. Each unreadable cell rejects the row naming its field;
// false when any did.
func applyRow[T any](p *ImportPlan, kind ImportKind, r ImportRow, x *T, set map[string]rowSetter[T]) bool {
	ok := true
	for _, f := range importFields[kind] {
		s, mapped := r.Values[f.Name]
		if fn := set[f.Name]; mapped && fn != nil {
			if e := fn(x, s); e != nil {
				p.reject(r.Line, f.Name, e.code, e.key, e.msg, e.args...)
				ok = false
			}
		}
	}
	return ok
}

func setText[T any](f func(*T) *string) rowSetter[T] {
	return func(x *T, s string) *cellError { *f(x) = s; return nil }
}

// setOptText sets an optional text (a date): a blank cell clears it.
func setOptText[T any](f func(*T) **string) rowSetter[T] {
	return func(x *T, s string) *cellError {
		if s == "" {
			*f(x) = nil
		} else {
			*f(x) = &s
		}
		return nil
	}
}

// setChoice sets one of a field's values ("Per user" and "per-user" are
// per_user); a blank cell keeps the stored value, or the default.
func setChoice[T any, E ~string](f func(*T) *E) rowSetter[T] {
	return func(x *T, s string) *cellError {
		if s != "" {
			*f(x) = E(strings.NewReplacer(" ", "_", "-", "_").Replace(lowerTrim(s)))
		}
		return nil
	}
}

func setBool[T any](f func(*T) *bool) rowSetter[T] {
	return func(x *T, s string) *cellError {
		b, ok := parseBool(s)
		if !ok {
			return &cellError{CodeInvalid, "import.error_bool", "%q is neither yes nor no", []any{s}}
		}
		*f(x) = b
		return nil
	}
}

// parseNumber reads a number as spreadsheets write it: a decimal comma,
// spaces between the thousands.
func parseNumber(s string) (float64, *cellError) {
	t := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", ""), ",", ".")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, &cellError{CodeInvalid, "import.error_number", "%q is not a number", []any{s}}
	}
	return f, nil
}

// setInt sets a whole number; a blank cell is 0 (the default).
func setInt[T any](f func(*T) *int) rowSetter[T] {
	return func(x *T, s string) *cellError {
		if s == "" {
			*f(x) = 0
			return nil
		}
		n, e := parseNumber(s)
		if e == nil && (n != float64(int(n)) || n < -1e9 || n > 1e9) {
			e = &cellError{CodeInvalid, "import.error_number", "%q is not a number", []any{s}}
		}
		if e != nil {
			return e
		}
		*f(x) = int(n)
		return nil
	}
}

// setNumber sets a required number.
func setNumber[T any](f func(*T) *float64) rowSetter[T] {
	return func(x *T, s string) *cellError {
		if s == "" {
			return &cellError{CodeRequired, "error.required", "is required", nil}
		}
		n, e := parseNumber(s)
		*f(x) = n
		return e
	}
}

// setOptNumber sets an optional number: a blank cell clears it.
func setOptNumber[T any](f func(*T) **float64) rowSetter[T] {
	return func(x *T, s string) *cellError {
		if s == "" {
			*f(x) = nil
			return nil
		}
		n, e := parseNumber(s)
		*f(x) = &n
		return e
	}
}

// setRef sets an optional reference to the record a cell names by its id,
// external id or name; a blank cell clears it.
func setRef[T, R any](ix *recordIndex[R], f func(*T) **string, id func(R) string) rowSetter[T] {
	return func(x *T, s string) *cellError {
		if s == "" {
			*f(x) = nil
			return nil
		}
		r, e := ix.lookup(s)
		if e == nil {
			v := id(r)
			*f(x) = &v
		}
		return e
	}
}

// splitList splits a cell listing names: by semicolons, vertical bars or
// line breaks when it has any, else by commas.
func splitList(s string) []string {
	sep := func(r rune) bool { return r == ';' || r == '|' || r == '\n' }
	if !strings.ContainsAny(s, ";|\n") {
		sep = func(r rune) bool { return r == ',' }
	}
	var out []string
	for _, p := range strings.FieldsFunc(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// repeats rejects a row whose key an earlier row of the file has; seen
// maps keys to their lines. A blank key repeats nothing.
func (p *ImportPlan) repeats(seen map[string]int, key string, line int, field string) bool {
	if key == "" {
		return false
	}
	if j, ok := seen[key]; ok {
		p.reject(line, field, CodeInvalid, "import.error_repeats", "repeats line %d", j)
		return true
	}
	seen[key] = line
	return false
}

// recordIndex finds stored records by id, external id and a folded name
// (several may share a name).
type recordIndex[T any] struct {
	what   string // for the reasons: service, agreement
	byID   map[string]T
	byExt  map[string]T
	byName map[string][]T
	extOf  func(T) string // nil: the records have no external id
}

func newRecordIndex[T any](what string, xs []T, id, ext, name func(T) string) *recordIndex[T] {
	ix := &recordIndex[T]{what: what, byID: map[string]T{}, byExt: map[string]T{}, byName: map[string][]T{}, extOf: ext}
	for _, x := range xs {
		ix.byID[id(x)] = x
		if ext != nil && ext(x) != "" {
			ix.byExt[ext(x)] = x
		}
		ix.byName[name(x)] = append(ix.byName[name(x)], x)
	}
	return ix
}

// named finds the one record with the folded name; a name several share
// is an error that asks for the external id.
func (ix *recordIndex[T]) named(s string) (T, *cellError) {
	var zero T
	switch xs := ix.byName[foldName(s)]; len(xs) {
	case 0:
		return zero, ix.unknown(s)
	case 1:
		return xs[0], nil
	default:
		return zero, &cellError{CodeInvalid, "import.error_ambiguous", "%q names %d records: give the external id", []any{s, len(xs)}}
	}
}

// unknown is the reason a cell naming no record gets.
func (ix *recordIndex[T]) unknown(s string) *cellError {
	return &cellError{CodeUnknown, "import.error_no_" + ix.what, "%q names no " + ix.what, []any{s}}
}

// lookup resolves one cell naming a record by its id, external id or name.
func (ix *recordIndex[T]) lookup(s string) (T, *cellError) {
	if x, ok := ix.byID[s]; ok {
		return x, nil
	}
	if x, ok := ix.byExt[s]; ok {
		return x, nil
	}
	if x, ok := ix.byExt[strings.ToLower(s)]; ok {
		return x, nil
	}
	return ix.named(s)
}

// ref resolves a reference: by id, else external id, else name (one
// record's), each looked up only when its column has a value.
func (ix *recordIndex[T]) ref(id, ext, name string) (T, *cellError) {
	var zero T
	switch {
	case id != "":
		if x, ok := ix.byID[id]; ok {
			return x, nil
		}
		return zero, ix.unknown(id)
	case ext != "":
		if x, ok := ix.byExt[ext]; ok {
			return x, nil
		}
		return zero, ix.unknown(ext)
	}
	return ix.named(name)
}

// rowRef resolves the row's reference in the fields prefix_id,
// prefix_external_id and prefix; false, with the row rejected, when it
// names none.
func rowRef[T any](p *ImportPlan, ix *recordIndex[T], r ImportRow, prefix string) (T, bool) {
	v := r.Values
	x, e := ix.ref(v[prefix+"_id"], v[prefix+"_external_id"], v[prefix])
	if e == nil {
		return x, true
	}
	field := prefix
	switch {
	case v[prefix+"_id"] != "":
		field = prefix + "_id"
	case v[prefix+"_external_id"] != "":
		field = prefix + "_external_id"
	case v[prefix] == "":
		e = &cellError{CodeRequired, "import.error_" + prefix + "_required", "names no " + ix.what + ": give " + prefix + "_id, " + prefix + "_external_id or " + prefix, nil}
	}
	p.reject(r.Line, field, e.code, e.key, e.msg, e.args...)
	return x, false
}

// matchStored finds the stored record a row is: by its external id, else
// by its natural key (the folded name, within whatever the index is of).
// found is false for a new record; ok is false, with the row rejected,
// when the key names several records or one with another external id.
func matchStored[T any](p *ImportPlan, ix *recordIndex[T], line int, ext, key, keyField, shown string) (old T, found, ok bool) {
	if x, hit := ix.byExt[ext]; hit && ext != "" {
		return x, true, true
	}
	xs := ix.byName[key]
	switch {
	case len(xs) == 0:
		return old, false, true
	case len(xs) > 1 && ix.extOf == nil:
		p.reject(line, keyField, CodeInvalid, "import.error_stored_twice", "%q matches %d stored records: remove the extra ones in Liaison first", shown, len(xs))
		return old, false, false
	case len(xs) > 1:
		p.reject(line, keyField, CodeInvalid, "import.error_ambiguous", "%q names %d records: give the external id", shown, len(xs))
		return old, false, false
	case ix.extOf != nil && ix.extOf(xs[0]) != "" && ext != "" && ix.extOf(xs[0]) != ext:
		p.reject(line, keyField, CodeInvalid, "import.error_other_external_id", "matches a stored record that has another external id (%s)", ix.extOf(xs[0]))
		return old, false, false
	}
	return xs[0], true, true
}

// planned files a checked record: a new one (id given) among the
// creates; a matched one among the updates, or unchanged when it equals
// the stored record.
func planned[T any](p *ImportPlan, x, old *T, found bool, setID func(*T), creates, updates *[]*T) {
	switch {
	case !found:
		setID(x)
		*creates = append(*creates, x)
	case reflect.DeepEqual(x, old):
		p.Unchanged++
	default:
		*updates = append(*updates, x)
	}
}

func planServices(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string) {
	ix := newRecordIndex("service", snap.Services, func(s *Service) string { return s.ID },
		func(s *Service) string { return s.ExternalID }, func(s *Service) string { return foldName(s.Name) })
	users := newRecordIndex("user", snap.Users, func(u *User) string { return u.ID },
		func(u *User) string { return u.Email }, func(u *User) string { return foldName(u.Name) })
	set := map[string]rowSetter[Service]{
		"external_id":       setText(func(s *Service) *string { return &s.ExternalID }),
		"name":              setText(func(s *Service) *string { return &s.Name }),
		"description":       setText(func(s *Service) *string { return &s.Description }),
		"status":            setChoice(func(s *Service) *ServiceStatus { return &s.Status }),
		"price_model":       setChoice(func(s *Service) *PriceModel { return &s.PriceModel }),
		"currency":          setText(func(s *Service) *string { return &s.Currency }),
		"customer_specific": setBool(func(s *Service) *bool { return &s.CustomerSpecific }),
		// The owner, a user: by id, email or name.
		"owner": setRef(users, func(s *Service) **string { return &s.OwnerID }, func(u *User) string { return u.ID }),
		// Levels named are added when not offered yet; none is removed
		// (usages and agreements name them).
		"levels": func(s *Service, v string) *cellError {
			for _, n := range splitList(v) {
				if s.Level(n) == nil {
					s.Levels = append(s.Levels, ServiceLevel{Name: n})
				}
			}
			return nil
		},
	}
	seenExt, seenName := map[string]int{}, map[string]int{}
	for _, r := range rows {
		old, found, ok := matchStored(p, ix, r.Line, r.Values["external_id"], foldName(r.Values["name"]), "name", r.Values["name"])
		if !ok {
			continue
		}
		x := &Service{}
		if found {
			n := *old
			n.Levels = slices.Clone(old.Levels)
			x = &n
		}
		if !applyRow(p, ImportServices, r, x, set) {
			continue
		}
		x.Normalize()
		if err := x.Validate(); err != nil {
			p.rejectInvalid(r.Line, err)
			continue
		}
		if p.repeats(seenExt, x.ExternalID, r.Line, "external_id") || p.repeats(seenName, foldName(x.Name), r.Line, "name") {
			continue
		}
		planned(p, x, old, found, func(s *Service) { s.ID = newID() }, &p.Services, &p.ServicesUpd)
	}
}

// coverSetter reads an agreement's covered services: a list of service
// names (or external ids), each optionally with the level after a colon
// ("E-mail: Gold; Hosting").
func coverSetter(services *recordIndex[*Service]) rowSetter[Agreement] {
	return func(a *Agreement, v string) *cellError {
		covers := []ServiceCover{}
		for _, item := range splitList(v) {
			s, e := services.lookup(item)
			level := ""
			if e != nil {
				if i := strings.LastIndex(item, ":"); i > 0 {
					var e2 *cellError
					if s, e2 = services.lookup(strings.TrimSpace(item[:i])); e2 == nil {
						e, level = nil, strings.TrimSpace(item[i+1:])
					}
				}
			}
			if e != nil {
				return e
			}
			if level != "" {
				l := s.Level(level)
				if l == nil {
					return &cellError{CodeInvalid, "error.level_not_offered", "%s does not offer the level %s; choose one of %s",
						[]any{s.Name, level, strings.Join(s.LevelNames(), ", ")}}
				}
				level = l.Name
			}
			covers = append(covers, ServiceCover{ServiceID: s.ID, Level: level})
		}
		a.Services = covers
		return nil
	}
}

func planAgreements(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string) {
	units := newUnitIndex(snap.Units)
	// The natural key: the title within the account.
	key := func(account, title string) string { return account + "\x00" + foldName(title) }
	ix := newRecordIndex("agreement", snap.Agreements, func(a *Agreement) string { return a.ID },
		func(a *Agreement) string { return a.ExternalID }, func(a *Agreement) string { return key(a.OrganisationID, a.Title) })
	services := newRecordIndex("service", snap.Services, func(s *Service) string { return s.ID },
		func(s *Service) string { return s.ExternalID }, func(s *Service) string { return foldName(s.Name) })
	people := newRecordIndex("signer", snap.People, func(x *Person) string { return x.ID },
		func(x *Person) string { return x.ExternalID }, func(x *Person) string { return foldName(x.Email) })
	byPerson := map[string]*Person{}
	for _, x := range snap.People {
		byPerson[x.ID] = x
	}
	customer := map[string]*Person{} // account → its active customer
	for _, r := range snap.Roles {
		if r.Role == RoleCustomer && r.Active && byPerson[r.PersonID] != nil {
			customer[r.OrganisationID] = byPerson[r.PersonID]
		}
	}
	set := map[string]rowSetter[Agreement]{
		"external_id": setText(func(a *Agreement) *string { return &a.ExternalID }),
		"title":       setText(func(a *Agreement) *string { return &a.Title }),
		"type":        setChoice(func(a *Agreement) *AgreementType { return &a.Type }),
		"status":      setChoice(func(a *Agreement) *AgreementStatus { return &a.Status }),
		// The signing party: a person by id, external id or email.
		"signed_by":              setRef(people, func(a *Agreement) **string { return &a.SignedByPersonID }, func(x *Person) string { return x.ID }),
		"signed_on":              setOptText(func(a *Agreement) **string { return &a.SignedOn }),
		"start_date":             setOptText(func(a *Agreement) **string { return &a.StartDate }),
		"end_date":               setOptText(func(a *Agreement) **string { return &a.EndDate }),
		"next_review_date":       setOptText(func(a *Agreement) **string { return &a.NextReviewDate }),
		"notice_months":          setInt(func(a *Agreement) *int { return &a.NoticeMonths }),
		"renewal":                setChoice(func(a *Agreement) *Renewal { return &a.Renewal }),
		"renewal_months":         setInt(func(a *Agreement) *int { return &a.RenewalMonths }),
		"review_interval_months": setInt(func(a *Agreement) *int { return &a.ReviewIntervalMonths }),
		"service_review_months":  setInt(func(a *Agreement) *int { return &a.ServiceReviewMonths }),
		"annual_amount":          setOptNumber(func(a *Agreement) **float64 { return &a.AnnualAmount }),
		"currency":               setText(func(a *Agreement) *string { return &a.Currency }),
		"cost_centre":            setText(func(a *Agreement) *string { return &a.CostCentre }),
		"business_value":         setText(func(a *Agreement) *string { return &a.BusinessValue }),
		"services":               coverSetter(services),
		"notes":                  setText(func(a *Agreement) *string { return &a.Notes }),
	}
	seenExt, seenKey := map[string]int{}, map[string]int{}
	for _, r := range rows {
		u := p.rowUnit(units, r)
		if u == nil {
			continue
		}
		if !u.BudgetHolder {
			p.reject(r.Line, "organisation", CodeInvalid, "error.agreement_needs_account", "is not a customer account (a budget-holding unit)")
			continue
		}
		old, found, ok := matchStored(p, ix, r.Line, r.Values["external_id"], key(u.ID, r.Values["title"]), "title", r.Values["title"])
		if !ok {
			continue
		}
		x := &Agreement{}
		if found {
			n := *old
			n.Services, n.ValueMeasures = slices.Clone(old.Services), slices.Clone(old.ValueMeasures)
			x = &n
		}
		x.OrganisationID = u.ID
		if !applyRow(p, ImportAgreements, r, x, set) {
			continue
		}
		x.Normalize()
		err := x.Validate()
		if err == nil && found {
			err = CheckTransition(old.Status, x.Status)
		}
		if err == nil {
			err = CheckSigner(x, customer[x.OrganisationID])
		}
		if err != nil {
			p.rejectInvalid(r.Line, err)
			continue
		}
		if p.repeats(seenExt, x.ExternalID, r.Line, "external_id") || p.repeats(seenKey, key(x.OrganisationID, x.Title), r.Line, "title") {
			continue
		}
		planned(p, x, old, found, func(a *Agreement) { a.ID = newID() }, &p.Agreements, &p.AgreementsUpd)
	}
}

// slaPeriod reads a month; a date (a spreadsheet's first of the month)
// names its month.
func slaPeriod(s string) string {
	if len(s) == len("2006-01-02") && periodRE.MatchString(s[:7]) && s[7] == '-' {
		return s[:7]
	}
	return s
}

func planSLAResults(p *ImportPlan, snap *ImportSnapshot, rows []ImportRow, newID func() string) {
	agreements := newRecordIndex("agreement", snap.Agreements, func(a *Agreement) string { return a.ID },
		func(a *Agreement) string { return a.ExternalID }, func(a *Agreement) string { return foldName(a.Title) })
	services := newRecordIndex("service", snap.Services, func(s *Service) string { return s.ID },
		func(s *Service) string { return s.ExternalID }, func(s *Service) string { return foldName(s.Name) })
	// The natural key: agreement, service, period and metric.
	key := func(r *SLAResult) string {
		return strings.Join([]string{r.AgreementID, r.ServiceID, r.Period, string(r.Metric)}, "\x00")
	}
	ix := newRecordIndex("sla_result", snap.SLAResults, func(r *SLAResult) string { return r.ID }, nil, key)
	set := map[string]rowSetter[SLAResult]{
		"period":           func(r *SLAResult, s string) *cellError { r.Period = slaPeriod(s); return nil },
		"metric":           setChoice(func(r *SLAResult) *SLAMetric { return &r.Metric }),
		"target":           setNumber(func(r *SLAResult) *float64 { return &r.Target }),
		"actual":           setNumber(func(r *SLAResult) *float64 { return &r.Actual }),
		"unit":             setText(func(r *SLAResult) *string { return &r.Unit }),
		"higher_is_better": setBool(func(r *SLAResult) *bool { return &r.HigherIsBetter }),
		"note":             setText(func(r *SLAResult) *string { return &r.Note }),
		"source":           setText(func(r *SLAResult) *string { return &r.Source }),
	}
	seen := map[string]int{}
	for _, r := range rows {
		ag, okA := rowRef(p, agreements, r, "agreement")
		svc, okS := rowRef(p, services, r, "service")
		if !okA || !okS {
			continue
		}
		if !slices.ContainsFunc(ag.Services, func(c ServiceCover) bool { return c.ServiceID == svc.ID }) {
			p.reject(r.Line, "service", CodeInvalid, "error.sla_service_not_covered", "is not a service the agreement covers")
			continue
		}
		x := &SLAResult{AgreementID: ag.ID, ServiceID: svc.ID}
		if !applyRow(p, ImportSLAResults, r, x, set) {
			continue
		}
		x.Normalize()
		if err := x.Validate(); err != nil {
			p.rejectInvalid(r.Line, err)
			continue
		}
		old, found, ok := matchStored(p, ix, r.Line, "", key(x), "period", x.Period)
		if !ok || p.repeats(seen, key(x), r.Line, "period") {
			continue
		}
		if found { // the stored result with the file's values
			n := *old
			applyRow(p, ImportSLAResults, r, &n, set)
			n.Normalize()
			x = &n
		}
		planned(p, x, old, found, func(r *SLAResult) { r.ID = newID() }, &p.SLAResults, &p.SLAResultsUpd)
	}
}
