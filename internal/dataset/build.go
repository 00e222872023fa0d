package dataset

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"golang.org/x/crypto/argon2"
)

// Times inside the generator are Unix microseconds: the store's precision.
const (
	second = int64(time.Second / time.Microsecond)
	minute = 60 * second
	hour   = 60 * minute
	day    = 24 * hour
)

// world is a dataset in memory: the records in their initial state, the
// relations between them, and the schedule of what happens to them.
type world struct {
	plan       Plan
	seed       uint64
	start, end int64

	rng   *rand.Rand // structure, names, times
	idRng *rand.Rand // the random bits of ids
	ids   map[idKey]bool

	users                  []*liaison.User
	admin                  *liaison.User
	heads, managers, staff []*liaison.User
	itUser                 []*liaison.User // who may be named a role's IT contact
	curators               []*liaison.User // heads and the administrator
	userByID               map[string]*liaison.User

	segments []*segment
	segByKey map[string]*segment

	trees  []*tree
	units  []*unit // parents before children
	people []*person
	roles  []*role

	emails   map[string]bool
	rootName map[string]bool
	phones   int

	events  []event
	audited int // audit entries written

	services, subscriptions int                                // written by loadServices
	usages                  map[string][]*liaison.Subscription // by account, set by loadServices
	catalogue               []*liaison.Service
	suppliers               int // written by loadSuppliers
	subList                 []*liaison.Subscription
	complaints              int // written by Generate
	meetings, actions       int // written by loadMeetings
	cycleTasks              int // written by loadCycle

	surveys, campaigns, recipients, surveyResponses int // written by loadSurveys
}

type idKey struct {
	ms  int64
	rnd uint32
}

type segment struct {
	s       *liaison.Segment
	created int64
}

type tree struct {
	lang    liaison.Language
	kind    string
	place   place
	domain  string // e-mail domain of its people
	country string // se, fi, cn or gb: the style of phone numbers
	prefix  string // of external ids
	unitSeq int
	perSeq  int
	size    int
	levels  int
}

type unit struct {
	o        *liaison.Organisation
	tree     *tree
	level    int
	parent   *unit
	children []*unit
	domain   string
	account  *unit // the nearest account at or above; nil when none
	created  int64
	late     bool    // created long after the first registration
	activity float64 // how busy its account is: scales its share of the history
	people   []*person
	names    map[string]bool // of its children, kept unique
	prior    bool            // an account whose customer was someone else before
}

type person struct {
	p       *liaison.Person
	unit    *unit
	created int64
	roles   []*role
	trash   int // trashNone, trashMistake (trashed and restored), trashFinal (in the trash)
	design  int // designCustomer, designPrior, designHead or designStaff
}

const (
	trashNone = iota
	trashMistake
	trashFinal
)

const (
	designStaff = iota
	designCustomer
	designPrior // the account's former customer
	designHead
)

type role struct {
	r       *liaison.ContactRole
	person  *person
	unit    *unit
	created int64
	removed int64 // when the role was deleted for good; 0 while it exists
	ended   int64 // when the role ended (a former customer's, or one the person left)
}

func (r *role) isRemoved() bool { return r.removed != 0 }

// build generates the world of plan: structure and schedule, no history yet.
func build(plan Plan, seed uint64, end time.Time) (*world, error) {
	w := &world{
		plan:  plan,
		seed:  seed,
		end:   end.UnixMicro(),
		start: end.AddDate(-3, 0, 0).UnixMicro(),
		rng:   rand.New(rand.NewPCG(seed, 0x11a150)),
		idRng: rand.New(rand.NewPCG(seed, 0x1d5)),
		ids:   map[idKey]bool{}, userByID: map[string]*liaison.User{}, segByKey: map[string]*segment{},
		emails: map[string]bool{}, rootName: map[string]bool{},
	}
	w.buildUsers(seed)
	w.buildSegments()
	w.buildForest()
	w.chooseAccounts()
	w.timeUnits()
	w.buildPeople()
	w.schedule()
	return w, nil
}

// newID returns a fresh id for a record made at the time at.
func (w *world) newID(at int64) string {
	ms := at / 1000
	for {
		r := w.idRng.Uint32()
		if k := (idKey{ms, r}); !w.ids[k] {
			w.ids[k] = true
			return sqlstore.IDAt(time.UnixMicro(at), r)
		}
	}
}

func ts(at int64) time.Time { return time.UnixMicro(at).UTC() }

// between draws a time in [lo, hi); lo when the span is empty.
func (w *world) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + w.rng.Int64N(hi-lo)
}

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// --- users and segments ---

// buildUsers makes the IT service centre: the administrator, heads,
// relationship managers, staff and viewers. They share one password,
// hashed once with a salt drawn from the seed.
func (w *world) buildUsers(seed uint64) {
	hash := passwordHash(Password, seed)
	add := func(name, email string, r liaison.UserRole, lang liaison.Language) *liaison.User {
		at := w.start + int64(len(w.users))*2*minute + w.rng.Int64N(minute)
		u := &liaison.User{Email: email, Name: name, Role: r, Language: lang, Active: true, PasswordHash: hash,
			Version: 1, CreatedAt: ts(at), UpdatedAt: ts(at)}
		u.ID = w.newID(at)
		w.users = append(w.users, u)
		w.userByID[u.ID] = u
		w.emails[email] = true
		return u
	}
	w.admin = add("Benchmark Administrator", AdminEmail, liaison.RoleAdmin, liaison.English)
	userLang := func() liaison.Language {
		switch x := w.rng.IntN(20); {
		case x < 12:
			return liaison.Swedish
		case x < 15:
			return liaison.Finnish
		case x < 17:
			return liaison.Chinese
		}
		return liaison.English
	}
	taken := map[string]bool{}
	mk := func(r liaison.UserRole) *liaison.User {
		lang := userLang()
		var name string
		for {
			name = w.personName(lang)
			if !taken[name] {
				break
			}
		}
		taken[name] = true
		return add(name, w.email(name, itDomain), r, lang)
	}
	for range w.plan.Heads {
		w.heads = append(w.heads, mk(liaison.RoleHead))
	}
	for range w.plan.Managers {
		w.managers = append(w.managers, mk(liaison.RoleManager))
	}
	for range w.plan.Staff {
		w.staff = append(w.staff, mk(liaison.RoleStaff))
	}
	for range w.plan.Viewers {
		mk(liaison.RoleViewer)
	}
	w.itUser = append(slices.Clone(w.staff), w.managers...)
	w.curators = append(slices.Clone(w.heads), w.admin)
}

// passwordHash is auth.HashPassword's argon2id PHC string with the same
// parameters, but a salt drawn from the seed: the data stays the same
// from run to run.
func passwordHash(password string, seed uint64) string {
	const t, m, p, keyLen = 2, 19 * 1024, 1, 32
	sum := sha256.Sum256([]byte("liaison dataset salt " + strconv.FormatUint(seed, 10)))
	salt := sum[:16]
	key := argon2.IDKey([]byte(password), salt, t, m, p, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func (w *world) buildSegments() {
	for i, spec := range segmentSpecs[:min(w.plan.Segments, len(segmentSpecs))] {
		at := w.start + hour + int64(i)*3*minute
		s := &liaison.Segment{Name: spec.name, Description: spec.desc, Version: 1, CreatedAt: ts(at), UpdatedAt: ts(at)}
		s.ID = w.newID(at)
		seg := &segment{s: s, created: at}
		w.segments = append(w.segments, seg)
		w.segByKey[spec.key] = seg
	}
}

// --- the forest ---

// treeSizes splits n units over k trees with a Zipf-like skew: a few big
// organisations, many small ones, every tree at least one unit.
func treeSizes(n, k int, s float64) []int {
	k = min(k, n)
	weights := make([]float64, k)
	var sum float64
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), s)
		sum += weights[i]
	}
	sizes := make([]int, k)
	left := n
	for i := range sizes {
		sizes[i] = max(1, int(float64(n)*weights[i]/sum))
		left -= sizes[i]
	}
	for i := 0; left != 0; i = (i + 1) % k {
		switch {
		case left > 0:
			sizes[i]++
			left--
		case sizes[i] > 1:
			sizes[i]--
			left++
		}
	}
	return sizes
}

// levelsFor is how deep a tree of size units goes: 1 for a lone unit, 7
// (depth 0 to 6) for the biggest.
func (w *world) levelsFor(size int) int {
	if size == 1 {
		return 1
	}
	l := 1 + int(math.Ceil(math.Log(float64(size))/math.Log(3)))
	if w.rng.IntN(3) == 0 {
		l++
	}
	return min(l, 7, size)
}

var treeLanguages = []liaison.Language{liaison.Swedish, liaison.Finnish, liaison.Chinese, liaison.English}

func (w *world) buildForest() {
	sizes := treeSizes(w.plan.Units, w.plan.Trees, 1.2)
	placeUse := map[liaison.Language]int{}
	prefixes := map[string]bool{}
	for i, size := range sizes {
		lang := treeLanguages[i%len(treeLanguages)]
		if i >= len(treeLanguages) {
			switch x := w.rng.IntN(20); {
			case x < 9:
				lang = liaison.Swedish
			case x < 13:
				lang = liaison.Finnish
			case x < 16:
				lang = liaison.Chinese
			default:
				lang = liaison.English
			}
		}
		var kind string
		switch {
		case i == 0 || size > 150:
			kind = kindRegion
		case size > 30:
			kind = kindMunicipal
		case size > 6:
			kind = pick(w.rng, []string{kindMunicipal, kindCompany, kindCompany})
		default:
			kind = pick(w.rng, []string{kindCompany, kindCompany, kindFoundation})
		}
		ps := places[lang]
		pl := ps[(placeUse[lang]*7+3)%len(ps)]
		placeUse[lang]++
		t := &tree{lang: lang, kind: kind, place: pl, size: size, levels: w.levelsFor(size)}
		t.country = map[liaison.Language]string{liaison.Swedish: "se", liaison.Finnish: "fi", liaison.Chinese: "cn", liaison.English: "gb"}[lang]
		t.domain = pl.ascii + "-" + map[string]string{kindRegion: "region", kindMunicipal: "city", kindCompany: "group", kindFoundation: "foundation"}[kind] + ".example"
		for n := 2; w.domainTaken(t.domain); n++ {
			t.domain = fmt.Sprintf("%s-%s%d.example", pl.ascii, kind, n)
		}
		t.prefix = strings.ToUpper(pl.ascii[:min(3, len(pl.ascii))])
		for n := 2; prefixes[t.prefix]; n++ {
			t.prefix = strings.ToUpper(pl.ascii[:min(3, len(pl.ascii))]) + strconv.Itoa(n)
		}
		prefixes[t.prefix] = true
		w.trees = append(w.trees, t)

		root := w.newUnit(t, nil, w.rootNameOf(t), rootDomain(kind))
		w.grow(root, size)
	}
	// Parents before children: breadth first, tree by tree.
	var order []*unit
	for _, u := range w.units {
		if u.parent == nil {
			queue := []*unit{u}
			for len(queue) > 0 {
				x := queue[0]
				queue = queue[1:]
				order = append(order, x)
				queue = append(queue, x.children...)
			}
		}
	}
	w.units = order
}

func (w *world) domainTaken(d string) bool {
	for _, t := range w.trees {
		if t.domain == d {
			return true
		}
	}
	return false
}

func rootDomain(kind string) string {
	switch kind {
	case kindCompany:
		return domBusiness
	case kindFoundation:
		return domSupport
	}
	return domAdmin
}

func (w *world) rootNameOf(t *tree) string {
	for range 20 {
		name := w.fill(pick(w.rng, rootNames[t.lang][t.kind]), t, t.place)
		if !w.rootName[name] {
			w.rootName[name] = true
			return name
		}
		t.place = pick(w.rng, places[t.lang])
	}
	name := w.fill(rootNames[t.lang][t.kind][0], t, t.place) + " " + strconv.Itoa(len(w.trees))
	w.rootName[name] = true
	return name
}

// fill replaces the placeholders of a name template.
func (w *world) fill(tmpl string, t *tree, pl place) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	r := strings.NewReplacer(
		"{P}", pl.name, "{G}", pl.gen, "{X}", pick(w.rng, brands[t.lang]),
		"{N}", strconv.Itoa(1+w.rng.IntN(20)), "{A}", string(rune('A'+w.rng.IntN(8))),
		"{C}", pick(w.rng, chineseNumerals))
	return r.Replace(tmpl)
}

func (w *world) newUnit(t *tree, parent *unit, name, domain string) *unit {
	u := &unit{tree: t, parent: parent, domain: domain, names: map[string]bool{}, activity: 1}
	u.o = &liaison.Organisation{Name: name}
	if parent != nil {
		u.level = parent.level + 1
		parent.children = append(parent.children, u)
	}
	if w.rng.IntN(100) < 85 {
		t.unitSeq++
		u.o.ExternalID = fmt.Sprintf("%s-%04d", t.prefix, 1000+10*t.unitSeq)
	}
	w.units = append(w.units, u)
	return u
}

// grow hangs budget-1 units below u: a few children, each taking a skewed
// share of what is left, the first the biggest so that some branches go
// deep; at the last level but one, the rest become leaves.
func (w *world) grow(u *unit, budget int) {
	rem := budget - 1
	if rem == 0 {
		return
	}
	t := u.tree
	var k int
	switch {
	case u.level >= t.levels-2:
		k = rem
	case u.level == 0:
		k = min(rem, 2+w.rng.IntN(6))
	default:
		k = min(rem, 1+w.rng.IntN(5))
	}
	shares := make([]int, k)
	weights := make([]float64, k)
	var sum float64
	for i := range weights {
		weights[i] = w.rng.ExpFloat64() + 0.2
		if i == 0 {
			weights[i] *= 2
		}
		sum += weights[i]
	}
	left := rem
	for i := range shares {
		shares[i] = 1 + int(float64(rem-k)*weights[i]/sum)
		left -= shares[i]
	}
	shares[0] += left
	var doms []string
	if u.level == 0 {
		doms = w.divisionDomains(t.kind)
	}
	for i, share := range shares {
		dom := u.domain
		if u.level == 0 {
			dom = doms[i%len(doms)]
		}
		c := w.newUnit(t, u, w.childName(u, dom), dom)
		w.grow(c, share)
	}
}

// divisionDomains lists the domains of a top unit's divisions, shuffled.
func (w *world) divisionDomains(kind string) []string {
	var d []string
	switch kind {
	case kindRegion, kindMunicipal:
		d = []string{domHealth, domEducation, domInfra, domCulture, domSocial, domAdmin}
	case kindCompany:
		d = []string{domBusiness, domAdmin, domSupport, domBusiness}
	default:
		d = []string{domSupport, domAdmin}
	}
	w.rng.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
	return d
}

// childName names a new child of u, unique among its siblings.
func (w *world) childName(u *unit, dom string) string {
	t := u.tree
	var pool []string
	switch u.level + 1 {
	case 1:
		pool = divisions[t.lang][dom]
	case 2:
		pool = departments[t.lang][dom]
	default:
		pool = teams[t.lang]
	}
	var name string
	for range 8 {
		pl := t.place
		if w.rng.IntN(2) == 0 {
			pl = pick(w.rng, places[t.lang])
		}
		name = w.fill(pick(w.rng, pool), t, pl)
		if !u.names[name] {
			break
		}
	}
	base := name
	for n := 2; u.names[name]; n++ {
		name = base + " " + strconv.Itoa(n)
	}
	u.names[name] = true
	return name
}

// chooseAccounts makes plan.Accounts units budget holders: small
// organisations at the top, divisions below big ones, then departments
// and now and then a team, as budgets are held in the demo organisation.
func (w *world) chooseAccounts() {
	type cand struct {
		u    *unit
		prio float64
	}
	// A small company or foundation holds its budget at the top, and
	// then its divisions seldom hold their own.
	topHolder := func(u *unit) bool {
		return u.level == 0 && (u.tree.kind == kindCompany || u.tree.kind == kindFoundation) && u.tree.size <= 30
	}
	cands := make([]cand, len(w.units))
	for i, u := range w.units {
		r := w.rng.Float64()
		var p float64
		switch {
		case topHolder(u):
			p = 95 + r
		case u.level == 0:
			p = r // a region or a city is seldom one account
		case u.level == 1 && topHolder(u.parent):
			p = 30 + 40*r
		case u.level == 1:
			p = 80 + 10*r
		case u.level == 2:
			p = 40 + 40*r
		case u.level == 3:
			p = 15 + 40*r
		default:
			p = 20 * r
		}
		cands[i] = cand{u, p}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.prio > b.prio:
			return -1
		case a.prio < b.prio:
			return 1
		}
		return 0
	})
	// Managers carry portfolios of skewed size.
	mw := make([]float64, len(w.managers))
	for i := range mw {
		mw[i] = 1 / math.Pow(float64(i+1), 0.7)
	}
	for _, c := range cands[:min(w.plan.Accounts, len(cands))] {
		o := c.u.o
		o.BudgetHolder = true
		o.Segment = w.segmentFor(c.u).s.ID
		m := w.managers[weighted(w.rng, mw)]
		o.RelationshipManagerID = &m.ID
		if len(w.managers) > 1 && w.rng.IntN(10) != 0 {
			d := m
			for d == m {
				d = pick(w.rng, w.managers)
			}
			o.DeputyID = &d.ID
		}
	}
	for _, u := range w.units {
		switch {
		case u.o.BudgetHolder:
			u.account = u
			u.activity = math.Exp(w.rng.NormFloat64())
		case u.parent != nil:
			u.account = u.parent.account
		}
		if u.account != nil {
			u.activity = u.account.activity
		} else {
			u.activity = 0.5
		}
		descPct := 20
		if u.o.BudgetHolder {
			descPct = 60
		}
		if w.rng.IntN(100) < descPct {
			u.o.Description = pick(w.rng, unitDescriptions[u.tree.lang])
		}
	}
}

// weighted draws an index with probability proportional to its weight.
func weighted(rng *rand.Rand, weights []float64) int {
	var sum float64
	for _, x := range weights {
		sum += x
	}
	r := rng.Float64() * sum
	for i, x := range weights {
		if r < x {
			return i
		}
		r -= x
	}
	return len(weights) - 1
}

func (w *world) segmentFor(u *unit) *segment {
	key := segmentOf[u.domain]
	switch {
	case u.tree.kind == kindCompany:
		key = "company"
	case u.tree.kind == kindFoundation:
		key = "foundation"
	case key == "":
		key = "municipal"
	}
	if s, ok := w.segByKey[key]; ok {
		return s
	}
	if u.tree.kind == kindCompany {
		return w.segByKey["company"]
	}
	return w.segByKey["municipal"]
}

// timeUnits dates the units: the structure was registered in the first
// two months, parents before children; a few leaves came later.
func (w *world) timeUnits() {
	n := int64(len(w.units))
	step := 60 * day / n
	for k, u := range w.units {
		at := w.start + 2*hour + int64(k)*step + w.rng.Int64N(max(step/2, 1))
		if u.parent != nil {
			at = max(at, u.parent.created+minute)
			if len(u.children) == 0 && !u.o.BudgetHolder && w.rng.IntN(100) < 8 {
				u.late = true
				at = w.between(u.parent.created+30*day, w.end-90*day)
			}
		}
		u.created = at
		u.o.ID = w.newID(at)
		u.o.Version, u.o.CreatedAt, u.o.UpdatedAt = 1, ts(at), ts(at)
		if u.parent != nil {
			u.o.ParentID = &u.parent.o.ID
		}
		u.o.Depth = u.level
		u.o.CustomerKind = liaison.KindAdHoc
	}
}

// --- people and roles ---

func (w *world) buildPeople() {
	var accounts []*unit
	for _, u := range w.units {
		if u.o.BudgetHolder {
			accounts = append(accounts, u)
		}
	}
	// Every account has its customer; a fifth of them had another before.
	budget := w.plan.People
	for _, a := range accounts {
		a.prior = w.rng.IntN(5) == 0 && budget > len(accounts)*2
		w.addPerson(a, designCustomer)
		budget--
		if a.prior {
			w.addPerson(a, designPrior)
			budget--
		}
	}
	// The rest spread with a Zipf-like skew over the units in a random order.
	order := slices.Clone(w.units)
	w.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	weights := make([]float64, len(order))
	cum := make([]float64, len(order))
	var sum float64
	for i := range order {
		weights[i] = 1 / math.Pow(float64(i+1), 0.8)
		sum += weights[i]
		cum[i] = sum
	}
	counts := make([]int, len(order))
	for range max(budget, 0) {
		i, _ := slices.BinarySearch(cum, w.rng.Float64()*sum)
		counts[min(i, len(order)-1)]++
	}
	for i, u := range order {
		for j := range counts[i] {
			d := designStaff
			if j == 0 && !u.o.BudgetHolder {
				d = designHead
			}
			w.addPerson(u, d)
		}
	}
	// People in unit order, so that the rows come out grouped as a
	// registration would have made them; ids stay time-ordered anyway.
	var people []*person
	for _, u := range w.units {
		people = append(people, u.people...)
	}
	w.people = people
	w.buildRoles()
}

func (w *world) addPerson(u *unit, design int) *person {
	t := u.tree
	lang := t.lang
	if design == designStaff && w.rng.IntN(100) < 12 {
		lang = pick(w.rng, liaison.Languages)
	}
	var created int64
	switch {
	case design == designCustomer || design == designPrior || u.late || w.rng.IntN(10) < 7:
		created = w.between(u.created+hour, min(max(u.created, w.start+120*day)+30*day, w.end-day))
	default:
		created = w.between(u.created+hour, w.end-day)
	}
	name := w.personName(lang)
	var title string
	switch design {
	case designCustomer, designPrior:
		title = pick(w.rng, customerTitles[lang])
	case designHead:
		title = pick(w.rng, headTitles[lang])
	default:
		title = pick(w.rng, staffTitles[lang])
	}
	p := &liaison.Person{Name: name, Email: w.email(name, t.domain), Phone: w.phone(t.country), Title: title,
		OrganisationID: u.o.ID, Language: lang}
	if w.rng.IntN(10) != 0 {
		t.perSeq++
		p.ExternalID = fmt.Sprintf("%s-P%05d", t.prefix, t.perSeq)
	}
	if w.rng.IntN(10) == 0 {
		p.Notes = pick(w.rng, personNotes[lang])
	}
	pe := &person{p: p, unit: u, created: created, design: design}
	u.people = append(u.people, pe)
	return pe
}

func (w *world) personName(lang liaison.Language) string {
	n := personNames[lang]
	if lang == liaison.Chinese {
		return pick(w.rng, n.family) + pick(w.rng, n.given)
	}
	return pick(w.rng, n.given) + " " + pick(w.rng, n.family)
}

// email makes given.family@domain, spelling Chinese names in pinyin and
// dropping diacritics, numbered when taken (as the demo does).
func (w *world) email(name, domain string) string {
	var local string
	if r := []rune(name); len(r) > 1 && pinyin[r[0]] != "" {
		var given strings.Builder
		for _, c := range r[1:] {
			given.WriteString(pinyin[c])
		}
		local = given.String() + "." + pinyin[r[0]]
	} else {
		parts := strings.Fields(name)
		local = demo.ASCII(parts[0]) + "." + demo.ASCII(parts[len(parts)-1])
	}
	email := local + "@" + domain
	for n := 2; w.emails[email]; n++ {
		email = local + strconv.Itoa(n) + "@" + domain
	}
	w.emails[email] = true
	return email
}

// phone gives a number in the style of the country, or none for every
// seventh person. Swedish and British numbers come from the ranges kept
// for fiction (PTS: 070-174 06 xx and 0980-319 2xx; Ofcom: 020 7946 0xxx).
func (w *world) phone(country string) string {
	w.phones++
	n := w.phones
	if n%7 == 0 {
		return ""
	}
	switch country {
	case "fi":
		return fmt.Sprintf("+358 %s %03d %04d", pick(w.rng, []string{"40", "44", "50"}), w.rng.IntN(1000), w.rng.IntN(10000))
	case "cn":
		if n%2 == 0 {
			return fmt.Sprintf("+86 512 6%03d %04d", w.rng.IntN(1000), w.rng.IntN(10000))
		}
		return fmt.Sprintf("+86 %s %04d %04d", pick(w.rng, []string{"138", "139", "151", "186"}), w.rng.IntN(10000), w.rng.IntN(10000))
	case "gb":
		return fmt.Sprintf("+44 20 7946 0%03d", w.rng.IntN(1000))
	}
	if n%2 == 0 {
		return fmt.Sprintf("+46 980 319 2%02d", w.rng.IntN(100))
	}
	return fmt.Sprintf("+46 70 174 06 %02d", 5+w.rng.IntN(95))
}

func (w *world) addRole(p *person, u *unit, kind liaison.RoleKind, created int64) *role {
	r := &role{person: p, unit: u, created: created}
	r.r = &liaison.ContactRole{PersonID: p.p.ID, OrganisationID: u.o.ID, Role: kind, Active: true,
		Version: 1, CreatedAt: ts(created), UpdatedAt: ts(created)}
	if kind == liaison.RoleOther {
		r.r.Label = pick(w.rng, otherLabels[p.p.Language])
	}
	if (kind == liaison.RoleCustomer || kind == liaison.RoleOrderer) && w.rng.IntN(10) == 0 {
		it := pick(w.rng, w.itUser)
		r.r.ITContactUserID = &it.ID
	}
	r.r.ID = w.newID(created)
	p.roles = append(p.roles, r)
	w.roles = append(w.roles, r)
	return r
}

// buildRoles gives people ids and roles, and dates both.
func (w *world) buildRoles() {
	// Former customers first: their role ends before the current
	// customer's begins, which dates the current customer's role.
	ended := map[*unit]int64{}
	for _, p := range w.people {
		if p.design != designPrior {
			continue
		}
		p.p.ID = w.newID(p.created)
		r := w.addRole(p, p.unit, liaison.RoleCustomer, p.created+second+w.rng.Int64N(10*minute))
		r.r.ITContactUserID = nil
		r.ended = w.between(r.created+90*day, w.end-60*day)
		ended[p.unit] = r.ended
	}
	for _, p := range w.people {
		if p.design == designPrior {
			continue
		}
		u := p.unit
		roleAt := p.created + second + w.rng.Int64N(10*minute)
		if t, ok := ended[u]; ok && p.design == designCustomer {
			roleAt = w.between(t+hour, t+20*day)
			p.created = min(p.created, roleAt-hour-w.rng.Int64N(5*day))
			p.created = max(p.created, u.created+hour)
		}
		p.p.ID = w.newID(p.created)
		switch p.design {
		case designCustomer:
			w.addRole(p, u, liaison.RoleCustomer, roleAt)
		case designHead:
			w.addRole(p, u, liaison.RoleOrderer, roleAt)
		default:
			switch x := w.rng.IntN(100); {
			case x < 10: // a plain contact
				switch y := w.rng.IntN(1000); {
				case y < 200:
					p.trash = trashMistake
				case y < 250:
					p.trash = trashFinal
				}
				continue
			case x < 22:
				w.addRole(p, u, liaison.RoleOrderer, roleAt)
			case x < 30:
				w.addRole(p, u, liaison.RoleOther, roleAt)
			default:
				w.addRole(p, u, liaison.RoleUser, roleAt)
			}
		}
		// Some hold a role at a neighbouring unit too.
		if w.rng.IntN(100) < 5 {
			if v := w.neighbour(u); v != nil {
				kind := liaison.RoleOther
				if w.rng.IntN(5) < 2 {
					kind = liaison.RoleOrderer
				}
				w.addRole(p, v, kind, w.between(max(p.created, v.created)+day, w.end-day))
			}
		}
		// Some held a role that was removed again.
		if w.rng.IntN(100) < 3 {
			kind := liaison.RoleUser
			if w.rng.IntN(2) == 0 {
				kind = liaison.RoleOther
			}
			r := w.addRole(p, u, kind, w.between(p.created+day, w.end-10*day))
			r.removed = w.between(r.created+day, w.end-day)
		}
	}
	// A few roles other than customers' ended: the person moved on.
	for _, r := range w.roles {
		if r.r.Role != liaison.RoleCustomer && !r.isRemoved() && w.rng.IntN(100) < 8 && r.created+31*day < w.end-day {
			r.ended = w.between(r.created+30*day, w.end-day)
		}
	}
	for _, p := range w.people {
		p.p.Version, p.p.CreatedAt, p.p.UpdatedAt = 1, ts(p.created), ts(p.created)
		for _, r := range p.roles {
			r.r.PersonID = p.p.ID
		}
	}
}

// neighbour returns the parent, a child or a sibling of u; nil when it has none.
func (w *world) neighbour(u *unit) *unit {
	var cands []*unit
	if u.parent != nil {
		cands = append(cands, u.parent)
		for _, s := range u.parent.children {
			if s != u {
				cands = append(cands, s)
			}
		}
	}
	cands = append(cands, u.children...)
	if len(cands) == 0 {
		return nil
	}
	return pick(w.rng, cands)
}
