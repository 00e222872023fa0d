package dataset

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"unicode/utf8"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// The history is a list of events, each an audit entry to be. Their times
// are drawn first; then they are played in time order against the records,
// which move from their initial state to their final one, version by
// version, as the write path would have moved them.

type event struct {
	at   int64
	idx  int32 // into the world's slice of the subject's kind
	subj uint8
	kind uint8
}

// Subjects, in the order same-time events play.
const (
	subjUser uint8 = iota
	subjSegment
	subjUnit
	subjPerson
	subjRole
)

const (
	evCreate  uint8 = iota
	evUpdate        // a field or two changed
	evReview        // an account's structure reviewed: last_reviewed_on set
	evEnd           // a role ended: active cleared
	evDelete        // a person moved to the trash
	evRestore       // a person back from the trash
	evRemove        // a role deleted for good
)

func cmpEvent(a, b event) int {
	switch {
	case a.at != b.at:
		return cmpInt(a.at, b.at)
	case a.subj != b.subj:
		return cmpInt(a.subj, b.subj)
	case a.idx != b.idx:
		return cmpInt(a.idx, b.idx)
	}
	return cmpInt(a.kind, b.kind)
}

func cmpInt[T int64 | int32 | uint8](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (w *world) add(at int64, subj uint8, idx int, kind uint8) {
	w.events = append(w.events, event{at: at, idx: int32(idx), subj: subj, kind: kind})
}

// Shares of the random changes: a unit changes four times as often as a
// person; the roles of customers and orderers about as often as a person
// (their IT contact changes), plain users' roles seldom; busy accounts more.
const (
	unitWeight   = 4
	personWeight = 1
)

var roleWeight = map[liaison.RoleKind]float64{liaison.RoleCustomer: 1.2, liaison.RoleOrderer: 1.2, liaison.RoleOther: 1, liaison.RoleUser: 0.3}

// schedule dates every event so that there are plan.Events in all: the
// creations, the reviews, ended and removed roles, trashed people, and
// random changes for the rest, spread over the records by weight.
func (w *world) schedule() {
	w.events = make([]event, 0, w.plan.Events+w.plan.Events/50)
	for i, u := range w.users {
		w.add(u.CreatedAt.UnixMicro(), subjUser, i, evCreate)
	}
	for i, s := range w.segments {
		w.add(s.created, subjSegment, i, evCreate)
		for range 2 {
			w.add(w.between(s.created+30*day, w.end), subjSegment, i, evUpdate)
		}
	}
	for i, u := range w.units {
		w.add(u.created, subjUnit, i, evCreate)
		if u.o.BudgetHolder {
			w.scheduleReviews(i, u)
		}
	}
	for i, p := range w.people {
		w.add(p.created, subjPerson, i, evCreate)
	}
	for i, r := range w.roles {
		w.add(r.created, subjRole, i, evCreate)
		if r.ended != 0 {
			w.add(r.ended, subjRole, i, evEnd)
		}
		if r.isRemoved() {
			w.add(r.removed, subjRole, i, evRemove)
		}
	}
	trash := 0
	for _, p := range w.people {
		switch p.trash {
		case trashMistake:
			trash += 2
		case trashFinal:
			trash++
		}
	}

	// The random changes, drawn by weight.
	type target struct {
		subj    uint8
		idx     int
		created int64
	}
	var targets []target
	var cum []float64
	var sum float64
	push := func(subj uint8, idx int, created int64, weight float64) {
		targets = append(targets, target{subj, idx, created})
		sum += weight
		cum = append(cum, sum)
	}
	for i, u := range w.units {
		push(subjUnit, i, u.created, unitWeight*u.activity)
	}
	for i, p := range w.people {
		push(subjPerson, i, p.created, personWeight*p.unit.activity)
	}
	for i, r := range w.roles {
		if !r.isRemoved() {
			push(subjRole, i, r.created, roleWeight[r.r.Role]*r.unit.activity)
		}
	}
	counts := make([]int32, len(targets))
	for range max(0, w.plan.Events-len(w.events)-trash) {
		i, _ := slices.BinarySearch(cum, w.rng.Float64()*sum)
		counts[min(i, len(counts)-1)]++
	}
	var times []int64
	for i, t := range targets {
		times = times[:0]
		for range counts[i] {
			times = append(times, w.between(t.created+minute, w.end))
		}
		for _, at := range times {
			w.add(at, t.subj, t.idx, evUpdate)
		}
		if t.subj == subjPerson && w.people[t.idx].trash != trashNone {
			slices.Sort(times)
			w.scheduleTrash(t.idx, times)
		}
	}
}

// scheduleReviews dates an account's structure reviews: most accounts
// were reviewed within the year, some longer ago (their review is
// stale), a few never; reviews before the last came roughly yearly.
func (w *world) scheduleReviews(i int, u *unit) {
	var last int64
	switch x := w.rng.IntN(100); {
	case x < 5:
		return
	case x < 20:
		last = w.end - w.between(400*day, 900*day)
	default:
		last = w.end - w.between(day, 330*day)
	}
	for at := last; at > u.created+30*day; at -= w.between(300*day, 420*day) {
		w.add(at, subjUnit, i, evReview)
	}
}

// scheduleTrash dates a person's trip to the trash: trashed by mistake
// and restored within days, between two of their other changes (a
// trashed person cannot be changed), or trashed for good after the last.
func (w *world) scheduleTrash(i int, times []int64) {
	p := w.people[i]
	if p.trash == trashFinal {
		last := p.created
		if len(times) > 0 {
			last = times[len(times)-1]
		}
		w.add(w.between(last+minute, w.end), subjPerson, i, evDelete)
		return
	}
	g := w.rng.IntN(len(times) + 1)
	lo, hi := p.created, w.end
	if g > 0 {
		lo = times[g-1]
	}
	if g < len(times) {
		hi = times[g]
	}
	del := lo + (hi-lo)/10 + w.rng.Int64N(max((hi-lo)/3, 1))
	restore := del + min(w.between(hour, 14*day), (hi-del)/2)
	if restore <= del || restore >= hi || del <= lo {
		// No room: trashed for good instead, after everything else.
		p.trash = trashFinal
		w.scheduleTrash(i, times)
		return
	}
	w.add(del, subjPerson, i, evDelete)
	w.add(restore, subjPerson, i, evRestore)
}

// auditBatch is how many audit entries go to the database at a time.
const auditBatch = 8192

// player plays the events into audit entries.
type player struct {
	w      *world
	rng    *rand.Rand // what changes, and who changes it
	idRng  *rand.Rand // the random bits of the entries' ids
	lastMs int64
	msIDs  map[uint32]bool
	arena  []byte // the JSON of the batch's entries
	batch  []liaison.AuditEntry
	// accounts maps a unit's id to its account's, as the write path
	// assigns audit entries to accounts (the tree does not change).
	accounts map[string]string
}

// play plays the events in time order and hands the audit entries to
// write in batches. It leaves every record in its final state.
func (w *world) play(ctx context.Context, write func(context.Context, []*liaison.AuditEntry) error) error {
	slices.SortFunc(w.events, cmpEvent)
	pl := &player{w: w, rng: rand.New(rand.NewPCG(w.seed, 0x91a7)), idRng: rand.New(rand.NewPCG(w.seed, 0xa0d17)),
		lastMs: -1, msIDs: map[uint32]bool{}, batch: make([]liaison.AuditEntry, 0, auditBatch), accounts: map[string]string{}}
	for _, u := range w.units {
		if u.account != nil {
			pl.accounts[u.o.ID] = u.account.o.ID
		}
	}
	ptrs := make([]*liaison.AuditEntry, auditBatch)
	flush := func() error {
		for i := range pl.batch {
			ptrs[i] = &pl.batch[i]
		}
		if err := write(ctx, ptrs[:len(pl.batch)]); err != nil {
			return err
		}
		w.audited += len(pl.batch)
		pl.batch, pl.arena = pl.batch[:0], pl.arena[:0]
		return ctx.Err()
	}
	for _, e := range w.events {
		if err := pl.play(e); err != nil {
			return err
		}
		if len(pl.batch) == auditBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(pl.batch) > 0 {
		return flush()
	}
	return nil
}

// entry starts the audit entry of an event at at.
func (pl *player) entry(at int64, actor *liaison.User, action, subjectType, subjectID, unitID, summary string) *liaison.AuditEntry {
	ms := at / 1000
	if ms != pl.lastMs {
		pl.lastMs = ms
		clear(pl.msIDs)
	}
	r := pl.idRng.Uint32()
	for pl.msIDs[r] {
		r = pl.idRng.Uint32()
	}
	pl.msIDs[r] = true
	pl.batch = append(pl.batch, liaison.AuditEntry{ID: sqlstore.IDAt(ts(at), r), At: ts(at), Action: action,
		SubjectType: subjectType, SubjectID: subjectID, OrganisationID: unitID, AccountID: pl.accounts[unitID], Summary: summary})
	e := &pl.batch[len(pl.batch)-1]
	if actor != nil {
		e.ActorID, e.ActorName = actor.ID, actor.Name
	}
	return e
}

// actor is who makes a change in u: mostly the manager of its account,
// else the deputy, a head or the administrator.
func (pl *player) actor(u *unit) *liaison.User {
	w := pl.w
	if u != nil && u.account != nil {
		o := u.account.o
		switch x := pl.rng.IntN(100); {
		case x < 70:
			return w.userByID[*o.RelationshipManagerID]
		case x < 85 && o.DeputyID != nil:
			return w.userByID[*o.DeputyID]
		}
	}
	if len(w.heads) > 0 && pl.rng.IntN(4) != 0 {
		return pick(pl.rng, w.heads)
	}
	return w.admin
}

// full is the JSON of a whole record, as the write path records it.
func (pl *player) full(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("dataset: marshal %T: %v", v, err)) // our own types: cannot fail
	}
	return b
}

func (pl *player) play(e event) error {
	w := pl.w
	at := e.at
	switch e.subj {
	case subjUser:
		u := w.users[e.idx]
		var actor *liaison.User
		if u != w.admin {
			actor = w.admin // the first user is made by the system, the rest by the administrator
		}
		pl.entry(at, actor, liaison.ActionCreate, "user", u.ID, "", u.Name).After = pl.full(u)
	case subjSegment:
		s := w.segments[e.idx].s
		if e.kind == evCreate {
			pl.entry(at, w.admin, liaison.ActionCreate, "segment", s.ID, "", s.Name).After = pl.full(s)
			return nil
		}
		desc := s.Description
		for desc == s.Description {
			desc = pick(pl.rng, segmentDescriptionEdits) + " " + segmentSpecs[e.idx].desc
		}
		en := pl.entry(at, pick(pl.rng, w.curators), liaison.ActionUpdate, "segment", s.ID, "", s.Name)
		en.Before, en.After = pl.change(s.ID, s.Version, func(o *obj) { o.str("description", s.Description) },
			func(o *obj) { o.str("description", desc) })
		s.Description, s.Version, s.UpdatedAt = desc, s.Version+1, ts(at)
	case subjUnit:
		return pl.playUnit(w.units[e.idx], e)
	case subjPerson:
		return pl.playPerson(w.people[e.idx], e)
	case subjRole:
		return pl.playRole(w.roles[e.idx], e)
	}
	return nil
}

func (pl *player) playUnit(u *unit, e event) error {
	w, o, at := pl.w, u.o, e.at
	if e.kind == evCreate {
		pl.entry(at, pl.actor(u.parent), liaison.ActionCreate, "organisation", o.ID, o.ID, o.Name).After = pl.full(o)
		return nil
	}
	en := pl.entry(at, pl.actor(u), liaison.ActionUpdate, "organisation", o.ID, o.ID, o.Name)
	var before, after func(*obj)
	switch x := pl.rng.IntN(100); {
	case e.kind == evReview:
		d := ts(at).Format(liaison.DateLayout)
		before, after = func(b *obj) { b.strPtr("last_reviewed_on", o.LastReviewedOn) }, func(a *obj) { a.str("last_reviewed_on", d) }
		defer func() { o.LastReviewedOn = &d }()
	case o.BudgetHolder && x < 6 && len(w.managers) > 2:
		// A handover: a new relationship manager, neither the old one nor the deputy.
		m := o.RelationshipManagerID
		for *m == *o.RelationshipManagerID || (o.DeputyID != nil && *m == *o.DeputyID) {
			m = &pick(pl.rng, w.managers).ID
		}
		before, after = func(b *obj) { b.strPtr("relationship_manager_id", o.RelationshipManagerID) }, func(a *obj) { a.strPtr("relationship_manager_id", m) }
		defer func() { o.RelationshipManagerID = m }()
	case o.BudgetHolder && x < 12 && len(w.managers) > 2:
		// A new deputy, or none for a while.
		var d *string
		if o.DeputyID == nil || pl.rng.IntN(5) != 0 {
			d = o.RelationshipManagerID
			for *d == *o.RelationshipManagerID || (o.DeputyID != nil && *d == *o.DeputyID) {
				d = &pick(pl.rng, w.managers).ID
			}
		}
		before, after = func(b *obj) { b.strPtr("deputy_id", o.DeputyID) }, func(a *obj) { a.strPtr("deputy_id", d) }
		defer func() { o.DeputyID = d }()
	default:
		desc := o.Description
		for desc == o.Description {
			desc = ""
			if pl.rng.IntN(8) != 0 {
				desc = pick(pl.rng, unitDescriptions[u.tree.lang])
			}
		}
		before, after = func(b *obj) { b.str("description", o.Description) }, func(a *obj) { a.str("description", desc) }
		defer func() { o.Description = desc }()
	}
	en.Before, en.After = pl.change(o.ID, o.Version, before, after)
	o.Version, o.UpdatedAt = o.Version+1, ts(at)
	return nil
}

func (pl *player) playPerson(pe *person, e event) error {
	p, at := pe.p, e.at
	switch e.kind {
	case evCreate:
		pl.entry(at, pl.actor(pe.unit), liaison.ActionCreate, "person", p.ID, p.OrganisationID, p.Name).After = pl.full(p)
		return nil
	case evDelete, evRestore:
		action := liaison.ActionDelete
		after := *p
		after.Version, after.UpdatedAt = p.Version+1, ts(at)
		if e.kind == evDelete {
			t := ts(at)
			after.DeletedAt = &t
		} else {
			action, after.DeletedAt = liaison.ActionRestore, nil
		}
		en := pl.entry(at, pl.actor(pe.unit), action, "person", p.ID, p.OrganisationID, p.Name)
		en.Before, en.After = pl.full(p), pl.full(&after)
		*p = after
		return nil
	}
	en := pl.entry(at, pl.actor(pe.unit), liaison.ActionUpdate, "person", p.ID, p.OrganisationID, p.Name)
	lang := p.Language
	var field, value string
	switch x := pl.rng.IntN(100); {
	case x < 35:
		pool := staffTitles[lang]
		switch pe.design {
		case designCustomer, designPrior:
			pool = customerTitles[lang]
		case designHead:
			pool = headTitles[lang]
		}
		field, value = "title", p.Title
		for value == p.Title {
			value = pick(pl.rng, pool)
		}
	case x < 70:
		field, value = "phone", p.Phone
		for value == p.Phone {
			value = pl.phone(pe.unit.tree.country)
		}
	default:
		field, value = "notes", p.Notes
		for value == p.Notes {
			value = ""
			if pl.rng.IntN(3) != 0 {
				value = pick(pl.rng, personNotes[lang])
			}
		}
	}
	old := map[string]string{"title": p.Title, "phone": p.Phone, "notes": p.Notes}[field]
	en.Before, en.After = pl.change(p.ID, p.Version, func(b *obj) { b.str(field, old) }, func(a *obj) { a.str(field, value) })
	switch field {
	case "title":
		p.Title = value
	case "phone":
		p.Phone = value
	default:
		p.Notes = value
	}
	p.Version, p.UpdatedAt = p.Version+1, ts(at)
	return nil
}

// phone draws a new number in the style of the country.
func (pl *player) phone(country string) string {
	switch country {
	case "fi":
		return fmt.Sprintf("+358 %s %03d %04d", pick(pl.rng, []string{"40", "44", "50"}), pl.rng.IntN(1000), pl.rng.IntN(10000))
	case "cn":
		return fmt.Sprintf("+86 %s %04d %04d", pick(pl.rng, []string{"138", "139", "151", "186"}), pl.rng.IntN(10000), pl.rng.IntN(10000))
	case "gb":
		return fmt.Sprintf("+44 20 7946 0%03d", pl.rng.IntN(1000))
	}
	return fmt.Sprintf("+46 70 174 06 %02d", 5+pl.rng.IntN(95))
}

// roleSummary names a role in the audit trail as the store does: "Anna Berg – customer".
func roleSummary(personName string, r *liaison.ContactRole) string {
	what := string(r.Role)
	if r.Role == liaison.RoleOther && r.Label != "" {
		what = r.Label
	}
	return personName + " – " + what
}

func (pl *player) playRole(ro *role, e event) error {
	w, r, at := pl.w, ro.r, e.at
	summary := roleSummary(ro.person.p.Name, r)
	switch e.kind {
	case evCreate:
		pl.entry(at, pl.actor(ro.unit), liaison.ActionCreate, "role", r.ID, r.OrganisationID, summary).After = pl.full(r)
		return nil
	case evRemove:
		pl.entry(at, pl.actor(ro.unit), liaison.ActionDelete, "role", r.ID, r.OrganisationID, summary).Before = pl.full(r)
		return nil
	}
	en := pl.entry(at, pl.actor(ro.unit), liaison.ActionUpdate, "role", r.ID, r.OrganisationID, summary)
	var before, after func(*obj)
	x := pl.rng.IntN(100)
	switch {
	case e.kind == evEnd:
		before, after = func(b *obj) { b.boolean("active", true) }, func(a *obj) { a.boolean("active", false) }
		defer func() { r.Active = false }()
	case r.Role == liaison.RoleOther && x < 30:
		label := r.Label
		for label == r.Label {
			label = pick(pl.rng, otherLabels[ro.person.p.Language])
		}
		before, after = func(b *obj) { b.str("label", r.Label) }, func(a *obj) { a.str("label", label) }
		defer func() { r.Label = label }()
		// The summary names the label the role has after the change.
		en.Summary = roleSummary(ro.person.p.Name, &liaison.ContactRole{Role: r.Role, Label: label})
	default:
		// A new designated IT contact, or none: the account's manager again.
		var it *string
		if r.ITContactUserID == nil || pl.rng.IntN(2) == 0 {
			it = r.ITContactUserID
			for it == r.ITContactUserID || (it != nil && r.ITContactUserID != nil && *it == *r.ITContactUserID) {
				it = &pick(pl.rng, w.itUser).ID
			}
		}
		before, after = func(b *obj) { b.strPtr("it_contact_user_id", r.ITContactUserID) }, func(a *obj) { a.strPtr("it_contact_user_id", it) }
		defer func() { r.ITContactUserID = it }()
	}
	en.Before, en.After = pl.change(r.ID, r.Version, before, after)
	r.Version, r.UpdatedAt = r.Version+1, ts(at)
	return nil
}

// change returns the small before and after JSON of an update: the id,
// the version and the fields that changed. (The write path records whole
// records; the timeline's million entries keep to what the history view
// shows, the fields that differ.)
func (pl *player) change(id string, version int, before, after func(*obj)) (json.RawMessage, json.RawMessage) {
	b := pl.object(id, version, before)
	a := pl.object(id, version+1, after)
	return b, a
}

func (pl *player) object(id string, version int, fields func(*obj)) json.RawMessage {
	start := len(pl.arena)
	o := &obj{b: pl.arena}
	o.b = append(o.b, `{"id":`...)
	o.b = appendJSONString(o.b, id)
	o.b = append(o.b, `,"version":`...)
	o.b = strconv.AppendInt(o.b, int64(version), 10)
	fields(o)
	o.b = append(o.b, '}')
	pl.arena = o.b
	return json.RawMessage(pl.arena[start:len(pl.arena):len(pl.arena)])
}

// obj writes the fields of a small JSON object.
type obj struct{ b []byte }

func (o *obj) key(k string) {
	o.b = append(o.b, ',')
	o.b = appendJSONString(o.b, k)
	o.b = append(o.b, ':')
}

func (o *obj) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

func (o *obj) strPtr(k string, v *string) {
	if v == nil {
		o.key(k)
		o.b = append(o.b, "null"...)
		return
	}
	o.str(k, *v)
}

func (o *obj) boolean(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML-sensitive characters and line separators included).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// check validates every record in its final state with its domain rules
// and the rules the store enforces across records: what Generate writes
// could have been written through the API.
func (w *world) check() error {
	fail := func(what, id string, err error) error {
		return fmt.Errorf("dataset: generated %s %s breaks a rule: %w", what, id, err)
	}
	for _, u := range w.users {
		n := *u
		n.Normalize()
		if n != *u {
			return fail("user", u.ID, fmt.Errorf("not normalised"))
		}
		if err := u.Validate(); err != nil {
			return fail("user", u.ID, err)
		}
	}
	for _, s := range w.segments {
		if err := s.s.Validate(); err != nil {
			return fail("segment", s.s.ID, err)
		}
	}
	customers := map[string]int{}
	for _, r := range w.roles {
		if !r.isRemoved() && r.r.Role == liaison.RoleCustomer && r.r.Active {
			customers[r.r.OrganisationID]++
		}
	}
	for _, u := range w.units {
		o := *u.o
		o.Normalize()
		if err := o.Validate(); err != nil {
			return fail("unit", u.o.ID, err)
		}
		if !o.BudgetHolder {
			if customers[o.ID] > 0 {
				return fail("unit", o.ID, fmt.Errorf("a customer on a unit that holds no budget"))
			}
			continue
		}
		switch {
		case o.RelationshipManagerID == nil || o.Segment == "":
			return fail("account", o.ID, fmt.Errorf("no manager or segment"))
		case o.DeputyID != nil && *o.DeputyID == *o.RelationshipManagerID:
			return fail("account", o.ID, fmt.Errorf("the deputy is the manager"))
		case customers[o.ID] != 1:
			return fail("account", o.ID, fmt.Errorf("%d active customers, want 1", customers[o.ID]))
		}
	}
	for _, pe := range w.people {
		p := *pe.p
		p.Normalize()
		if p != *pe.p {
			return fail("person", p.ID, fmt.Errorf("not normalised"))
		}
		if err := p.Validate(); err != nil {
			return fail("person", p.ID, err)
		}
		if p.DeletedAt != nil {
			for _, r := range pe.roles {
				if !r.isRemoved() {
					return fail("person", p.ID, fmt.Errorf("in the trash with a role"))
				}
			}
		}
	}
	for _, ro := range w.roles {
		r := *ro.r
		r.Normalize()
		if err := r.Validate(); err != nil {
			return fail("role", r.ID, err)
		}
	}
	if w.audited != len(w.events) {
		return fmt.Errorf("dataset: wrote %d audit entries of %d events", w.audited, len(w.events))
	}
	return nil
}
