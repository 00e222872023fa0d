// Package demo fills an empty database with a demo organisation: Region
// Norrsken, a Nordic regional group with its administrations, companies
// and foundations, a Finnish subsidiary and a joint-venture office in
// Suzhou, served by one IT service centre with six relationship managers.
//
// Everything goes through the service layer, signed by the demo
// administrator, so the rules of the domain and the audit trail apply as
// they do to any user's changes. The content is fixed (names are drawn
// with a seeded generator), only the review dates move with the clock:
// they are set relative to App.Now so that the planted stale review stays
// stale and the others stay fresh.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// The demo sign-ins.
const (
	AdminEmail    = "admin@liaison.demo"
	AdminPassword = "demo-admin-2026"
	// ManagerEmail is Anna Lindqvist, a relationship manager.
	ManagerEmail = "anna.lindqvist@liaison.demo"
	// Password is every demo user's password except the admin's.
	Password = "demo-2026"
)

// ErrNotEmpty is returned (wrapped) when the database already holds
// organisations, live or trashed, or one of the demo users. Its code is
// ECONFLICT.
var ErrNotEmpty = &liaison.Error{Code: liaison.ECONFLICT,
	Message: "The database is not empty: the demo organisation loads only into a database without organisations."}

// SignIn is one demo user and how to sign in as them.
type SignIn struct {
	Name     string
	Email    string
	Password string
	Role     liaison.UserRole
}

// Result tells what Load created and how to sign in.
type Result struct {
	// SignIns lists every demo user: the admin first, then Anna Lindqvist.
	SignIns []SignIn

	Organisations     int // live units
	Accounts          int // budget holders among them
	People            int // live people; one more who left the region is in the trash
	Roles             int // roles, the ended one included
	Segments          int // segments the demo uses
	Services          int // services of the catalogue
	Subscriptions     int // usages of services by accounts
	Agreements        int // agreements, one or more in every status
	SLAResults        int // SLA results, one of them a breach
	Decisions         int // customers' decisions on customer-specific services
	Suppliers         int // suppliers behind services, one inactive
	Complaints        int // complaints, suggestions and service requests
	Escalations       int // escalations: the recurrence cluster's and one to the steering group
	Improvements      int // improvement suggestions, one in every status
	BusinessPlanItems int // goals of the accounts' business plans, some with their review overdue
	WatchNotes        int // technology watch notes in every status, one turned into an improvement
	CycleActivities   int // annual-cycle activities; each generated its tasks
	Meetings          int // meetings: held and published reviews, planned, cancelled
	Actions           int // action items, some overdue, some done
	TicketRatings     int // rated service desk tickets over the last twelve months
	Surveys           int // survey templates
	Campaigns         int // survey campaigns: three closed (one anonymous), one open
	SurveyResponses   int // responses to the campaigns
	Triggers          int // triggers across the nine kinds, two posted by a tool, some with their task done
	Projects          int // projects with steering groups, health histories and lessons
}

// seed fixes the names the generator draws.
const seed = 2026

// Load fills the empty database of a with the demo organisation and
// returns the sign-ins. It refuses (ErrNotEmpty) a database that already
// has organisations or demo users. A failure halfway leaves what was
// created so far; load the demo into a new database then.
func Load(ctx context.Context, a *app.App) (*Result, error) {
	if err := checkEmpty(ctx, a); err != nil {
		return nil, err
	}
	settings, err := a.Store.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: settings: %w", err)
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	l := &loader{
		a:     a,
		rng:   rand.New(rand.NewPCG(seed, seed)),
		today: dateOf(now()),
		stale: max(settings.StaleReviewMonths, 1),
		users: map[string]*liaison.User{}, segments: map[string]string{}, units: map[string]*liaison.Organisation{},
		names: map[string]bool{}, emails: map[string]bool{}, extSeq: map[string]int{},
		res: &Result{},
	}
	if err := l.load(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return l.res, nil
}

func checkEmpty(ctx context.Context, a *app.App) error {
	for _, trashed := range []bool{false, true} {
		orgs, _, err := a.Store.FindOrganisations(ctx, liaison.OrganisationFilter{Trashed: trashed, Limit: 1})
		if err != nil {
			return fmt.Errorf("demo: check the database is empty: %w", err)
		}
		if len(orgs) > 0 {
			return fmt.Errorf("demo: %w", ErrNotEmpty)
		}
	}
	for _, u := range users {
		switch _, err := a.Store.FindUserByEmail(ctx, u.email); {
		case err == nil:
			return fmt.Errorf("demo: user %s exists: %w", u.email, ErrNotEmpty)
		case liaison.ErrorCode(err) != liaison.ENOTFOUND:
			return fmt.Errorf("demo: check the database is empty: %w", err)
		}
	}
	return nil
}

type loader struct {
	a     *app.App
	rng   *rand.Rand
	today time.Time
	stale int // months after which a review is stale

	users    map[string]*liaison.User         // by key
	segments map[string]string                // segment id by key
	units    map[string]*liaison.Organisation // by key

	names  map[string]bool // people's names taken
	emails map[string]bool
	phones int            // people given a phone number so far
	extSeq map[string]int // last external id per prefix

	ended  []*liaison.ContactRole // roles to end once created
	leaver *created
	res    *Result
	clock  func() time.Time // the store's own clock while the demo sets it back (projects.go)
}

type created struct {
	person *liaison.Person
	roles  []*liaison.ContactRole
}

func (l *loader) load(ctx context.Context) error {
	ctx, err := l.createUsers(ctx)
	if err != nil {
		return err
	}
	if err := l.createSegments(ctx); err != nil {
		return err
	}
	if err := l.createUnits(ctx); err != nil {
		return err
	}
	for _, u := range units {
		if err := l.createPeople(ctx, u); err != nil {
			return err
		}
	}
	if err := l.createServices(ctx); err != nil {
		return err
	}
	if err := l.createAgreements(ctx); err != nil { // after the service catalogue: it covers its services
		return err
	}
	if err := l.createDecisions(ctx); err != nil {
		return err
	}
	if err := l.createSuppliers(ctx); err != nil { // after the SLA results: it attributes some
		return err
	}
	if err := l.createComplaints(ctx); err != nil {
		return err
	}
	if err := l.createImprovements(ctx); err != nil {
		return err
	}
	if err := l.createBusinessPlansAndWatch(ctx); err != nil { // after the catalogue and improvements
		return err
	}
	if err := l.createMeetings(ctx); err != nil {
		return err
	}
	if err := l.createActions(ctx); err != nil {
		return err
	}
	if err := l.createCycle(ctx); err != nil {
		return err
	}
	if err := l.createTickets(ctx); err != nil {
		return err
	}
	if err := l.createSurveys(ctx); err != nil {
		return err
	}
	if err := l.createFollows(ctx); err != nil { // before the triggers: some are the followers' notifications
		return err
	}
	if err := l.createTriggers(ctx); err != nil {
		return err
	}
	if err := l.createProjects(ctx); err != nil { // after the meetings: a steering-group meeting reviewed a guide
		return err
	}
	if err := l.createPlans(ctx); err != nil {
		return err
	}
	if err := l.createDataMap(ctx); err != nil {
		return err
	}
	return l.history(ctx)
}

// createUsers creates the admin as the system, then everyone else as the
// admin, and returns ctx carrying the admin's principal.
func (l *loader) createUsers(ctx context.Context) (context.Context, error) {
	for i, s := range users {
		u := &liaison.User{Email: s.email, Name: s.name, Role: s.role, Language: s.lang}
		pw := Password
		var err error
		if i == 0 {
			pw = AdminPassword
			err = l.a.CreateUserAsSystem(ctx, u, pw)
		} else {
			err = l.a.CreateUser(ctx, u, pw)
		}
		if err != nil {
			return nil, fmt.Errorf("create user %s: %w", s.email, err)
		}
		if i == 0 {
			ctx = liaison.WithPrincipal(ctx, &liaison.Principal{User: u, Scope: liaison.ScopeWrite, Via: "demo"})
		}
		l.users[s.key] = u
		l.res.SignIns = append(l.res.SignIns, SignIn{Name: u.Name, Email: u.Email, Password: pw, Role: u.Role})
	}
	return ctx, nil
}

// createSegments creates the demo's segments, reusing any of the same name.
func (l *loader) createSegments(ctx context.Context) error {
	existing, err := l.a.Segments(ctx)
	if err != nil {
		return fmt.Errorf("list segments: %w", err)
	}
	byName := map[string]string{}
	for _, s := range existing {
		byName[strings.ToLower(s.Name)] = s.ID
	}
	for _, spec := range segments {
		if id, ok := byName[strings.ToLower(spec.name)]; ok {
			l.segments[spec.key] = id
			continue
		}
		s := &liaison.Segment{Name: spec.name, Description: spec.desc}
		if err := l.a.CreateSegment(ctx, s); err != nil {
			return fmt.Errorf("create segment %s: %w", spec.name, err)
		}
		l.segments[spec.key] = s.ID
	}
	l.res.Segments = len(segments)
	return nil
}

// createUnits creates the tree, parents first. The moved unit is created
// last, below the unit it sat under before the reorganisation, then moved
// to its place and made an account, so its history shows both.
func (l *loader) createUnits(ctx context.Context) error {
	for i := range units {
		u := &units[i]
		if u.key == movedUnit {
			continue
		}
		o, err := l.unit(u, u.parent)
		if err != nil {
			return err
		}
		if err := l.a.CreateOrganisation(ctx, o); err != nil {
			return fmt.Errorf("create unit %s: %w", u.name, err)
		}
		l.units[u.key] = o
	}
	if spec := specOf(movedUnit); spec != nil {
		if err := l.createMoved(ctx, spec); err != nil {
			return err
		}
	}
	l.res.Organisations = len(l.units)
	for _, o := range l.units {
		if o.BudgetHolder {
			l.res.Accounts++
		}
	}
	return nil
}

func (l *loader) createMoved(ctx context.Context, spec *unitSpec) error {
	from, ok := l.units[movedFrom]
	if !ok {
		return fmt.Errorf("unit %s: unknown unit %s", spec.key, movedFrom)
	}
	o := &liaison.Organisation{Name: spec.name, ExternalID: spec.ext, ParentID: &from.ID}
	if err := l.a.CreateOrganisation(ctx, o); err != nil {
		return fmt.Errorf("create unit %s: %w", spec.name, err)
	}
	want, err := l.unit(spec, spec.parent)
	if err != nil {
		return err
	}
	// Move it, then make it an account: two steps, as the reorganisation happened.
	cur, err := l.a.Organisation(ctx, o.ID)
	if err != nil {
		return err
	}
	cur.ParentID = want.ParentID
	if err := l.a.UpdateOrganisation(ctx, cur, cur.Version); err != nil {
		return fmt.Errorf("move unit %s: %w", spec.name, err)
	}
	if cur, err = l.a.Organisation(ctx, o.ID); err != nil {
		return err
	}
	cur.BudgetHolder, cur.Segment, cur.RelationshipManagerID, cur.DeputyID = want.BudgetHolder, want.Segment, want.RelationshipManagerID, want.DeputyID
	cur.LastReviewedOn, cur.Description = want.LastReviewedOn, want.Description
	if err := l.a.UpdateOrganisation(ctx, cur, cur.Version); err != nil {
		return fmt.Errorf("make %s an account: %w", spec.name, err)
	}
	if l.units[spec.key], err = l.a.Organisation(ctx, o.ID); err != nil {
		return err
	}
	return nil
}

// unit builds the organisation of spec below parent (a unit key).
func (l *loader) unit(spec *unitSpec, parent string) (*liaison.Organisation, error) {
	o := &liaison.Organisation{Name: spec.name, Description: spec.desc, ExternalID: spec.ext}
	if parent != "" {
		p, ok := l.units[parent]
		if !ok {
			return nil, fmt.Errorf("unit %s: parent %s not created yet", spec.key, parent)
		}
		o.ParentID = &p.ID
	}
	if acc := spec.acc; acc != nil {
		o.BudgetHolder = true
		seg, ok := l.segments[acc.segment]
		if !ok {
			return nil, fmt.Errorf("unit %s: unknown segment %s", spec.key, acc.segment)
		}
		o.Segment = seg
		var err error
		if o.RelationshipManagerID, err = l.userID(acc.manager); err != nil {
			return nil, err
		}
		if o.DeputyID, err = l.userID(acc.deputy); err != nil {
			return nil, err
		}
		o.LastReviewedOn = l.reviewedOn(acc)
	}
	return o, nil
}

func (l *loader) userID(key string) (*string, error) {
	if key == "" {
		return nil, nil
	}
	u, ok := l.users[key]
	if !ok {
		return nil, fmt.Errorf("unknown demo user %q", key)
	}
	return &u.ID, nil
}

// reviewedOn dates an account's last structure review, relative to today
// and the stale setting: the stale account half a year past the limit,
// the others within it.
func (l *loader) reviewedOn(acc *account) *string {
	if acc.never {
		return nil
	}
	// Drawn whatever the branch, so that the names drawn later do not
	// depend on the stale setting.
	days := l.rng.IntN(10)
	var d time.Time
	switch {
	case acc.stale:
		d = liaison.AddMonths(l.today, -(l.stale + 7))
	case acc.reviewed >= l.stale-1:
		d = liaison.AddMonths(l.today, -(l.stale - 1))
	default:
		// A few days earlier than the whole months, so the dates look lived in;
		// at least a month stays before the review turns stale.
		d = liaison.AddMonths(l.today, -acc.reviewed).AddDate(0, 0, -days)
	}
	s := d.Format(liaison.DateLayout)
	return &s
}

// createPeople creates the unit's named contacts and staff and their roles.
func (l *loader) createPeople(ctx context.Context, u unitSpec) error {
	unit := l.units[u.key]
	env := l.env(u)
	for _, c := range u.contacts {
		if _, err := l.person(ctx, unit, env, c); err != nil {
			return err
		}
	}
	for i, title := range u.staff {
		c := contact{title: title}
		// Most staff use IT services at the unit; some are plain contacts.
		if i%4 != 3 {
			c.roles = []roleSpec{user()}
		}
		p, err := l.person(ctx, unit, env, c)
		if err != nil {
			return err
		}
		if u.key == leaverUnit && i == len(u.staff)-1 {
			l.leaver = p
		}
	}
	return nil
}

// unitEnv is what a unit's people inherit: language, e-mail domain, phone
// style and external id prefix.
type unitEnv struct {
	lang    liaison.Language
	domain  string
	country string
	prefix  string
}

// env resolves the inherited settings of u by walking up the specs.
func (l *loader) env(u unitSpec) unitEnv {
	var e unitEnv
	for s := &u; s != nil; s = specOf(s.parent) {
		if e.lang == "" {
			e.lang = s.lang
		}
		if e.domain == "" {
			e.domain = s.domain
		}
		if e.country == "" {
			e.country = s.country
		}
	}
	e.prefix, _, _ = strings.Cut(u.ext, "-")
	return e
}

func specOf(key string) *unitSpec {
	for i := range units {
		if units[i].key == key && key != "" {
			return &units[i]
		}
	}
	return nil
}

func (l *loader) person(ctx context.Context, unit *liaison.Organisation, env unitEnv, c contact) (*created, error) {
	lang := c.lang
	if lang == "" {
		lang = env.lang
	}
	name := c.name
	if name == "" {
		name = l.newName(lang)
	}
	l.names[name] = true
	l.extSeq[env.prefix]++
	p := &liaison.Person{
		Name: name, Title: c.title, OrganisationID: unit.ID, Language: lang, Notes: c.notes,
		Email:      l.email(name, env.domain),
		Phone:      l.phone(env.country),
		ExternalID: fmt.Sprintf("%s-P%04d", env.prefix, l.extSeq[env.prefix]),
	}
	if err := l.a.CreatePerson(ctx, p); err != nil {
		return nil, fmt.Errorf("create person %s: %w", name, err)
	}
	l.res.People++
	lv := &created{person: p}
	for _, rs := range c.roles {
		r := &liaison.ContactRole{PersonID: p.ID, OrganisationID: unit.ID, Role: rs.kind, Label: rs.label, Active: true}
		if rs.at != "" {
			at, ok := l.units[rs.at]
			if !ok {
				return nil, fmt.Errorf("role of %s: unknown unit %s", name, rs.at)
			}
			r.OrganisationID = at.ID
		}
		var err error
		if r.ITContactUserID, err = l.userID(rs.it); err != nil {
			return nil, err
		}
		if err := l.a.CreateRole(ctx, r); err != nil {
			return nil, fmt.Errorf("create role %s of %s: %w", rs.kind, name, err)
		}
		l.res.Roles++
		lv.roles = append(lv.roles, r)
		if rs.ended {
			l.ended = append(l.ended, r)
		}
	}
	return lv, nil
}

// history plays the changes that happened after the structure was
// registered: a customer retired, a payroll administrator left.
func (l *loader) history(ctx context.Context) error {
	for _, r := range l.ended {
		cur, err := l.a.Role(ctx, r.ID)
		if err != nil {
			return err
		}
		cur.Active = false
		if err := l.a.UpdateRole(ctx, cur, cur.Version); err != nil {
			return fmt.Errorf("end role: %w", err)
		}
	}
	if lv := l.leaver; lv != nil {
		for _, r := range lv.roles {
			if err := l.a.DeleteRole(ctx, r.ID, r.Version); err != nil {
				return fmt.Errorf("remove role of %s: %w", lv.person.Name, err)
			}
			l.res.Roles--
		}
		p, err := l.a.Person(ctx, lv.person.ID)
		if err != nil {
			return err
		}
		if err := l.a.DeletePerson(ctx, p.ID, p.Version); err != nil {
			return fmt.Errorf("trash %s: %w", p.Name, err)
		}
		l.res.People--
	}
	return nil
}

// newName draws a name in lang that nobody in the demo has yet.
func (l *loader) newName(lang liaison.Language) string {
	for {
		var name string
		switch lang {
		case liaison.Finnish:
			name = pick(l.rng, finnishGiven) + " " + pick(l.rng, finnishFamily)
		case liaison.Chinese:
			name = pick(l.rng, chineseFamily) + pick(l.rng, chineseGiven)
		default:
			name = pick(l.rng, swedishGiven) + " " + pick(l.rng, swedishFamily)
		}
		if !l.names[name] && !l.isUserName(name) {
			return name
		}
	}
}

func (l *loader) isUserName(name string) bool {
	for _, u := range users {
		if u.name == name {
			return true
		}
	}
	return false
}

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }

// email makes given.family@domain, spelling Chinese names in pinyin and
// dropping Nordic diacritics, numbered when taken.
func (l *loader) email(name, domain string) string {
	var local string
	if r := []rune(name); len(r) > 1 && pinyin[r[0]] != "" {
		var given strings.Builder
		for _, c := range r[1:] {
			given.WriteString(pinyin[c])
		}
		local = given.String() + "." + pinyin[r[0]]
	} else {
		parts := strings.Fields(name)
		local = ASCII(parts[0]) + "." + ASCII(parts[len(parts)-1])
	}
	email := local + "@" + domain
	for n := 2; l.emails[email]; n++ {
		email = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	l.emails[email] = true
	return email
}

// ASCII folds a name into the letters an email address uses: Åsa → asa.
// The benchmark dataset makes its emails the same way.
func ASCII(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'å', 'ä', 'á', 'à':
			b.WriteRune('a')
		case 'ö', 'ø', 'ó':
			b.WriteRune('o')
		case 'é', 'è', 'ë':
			b.WriteRune('e')
		case 'ü':
			b.WriteRune('u')
		default:
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// phone gives a number in the style of the country, or none for every
// seventh person. Swedish numbers come from the ranges the Swedish Post
// and Telecom Authority keeps for fiction (0980-319 2xx, 070-174 06 xx).
func (l *loader) phone(country string) string {
	l.phones++
	n := l.phones
	if n%7 == 0 {
		return ""
	}
	switch country {
	case "fi":
		return fmt.Sprintf("+358 %s %03d %04d", pick(l.rng, []string{"40", "44", "50"}), l.rng.IntN(1000), l.rng.IntN(10000))
	case "cn":
		if n%2 == 0 {
			return fmt.Sprintf("+86 512 6%03d %04d", l.rng.IntN(1000), l.rng.IntN(10000))
		}
		return fmt.Sprintf("+86 %s %04d %04d", pick(l.rng, []string{"138", "139", "151", "186"}), l.rng.IntN(10000), l.rng.IntN(10000))
	default:
		if n%2 == 0 {
			return fmt.Sprintf("+46 980 319 2%02d", (n/2)%100)
		}
		return fmt.Sprintf("+46 70 174 06 %02d", 5+(n/2)%95)
	}
}

// dateOf returns the UTC date of t at midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
