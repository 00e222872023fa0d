package crash

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// kind is a kind of record the writers make.
type kind uint8

const (
	unitKind kind = iota
	personKind
	roleKind
	segmentKind
	nKinds
)

var kinds = [nKinds]struct {
	path    string // API collection
	subject string // audit subject_type
	name    string
	// fields are the members the run sets and checks, as the API names them.
	fields []string
	// soft kinds go to the trash on DELETE (version bumped, row kept); the
	// others are removed, their audit entry keeping what they were.
	soft bool
}{
	unitKind:    {"organisations", "organisation", "unit", []string{"name", "description", "parent_id", "external_id"}, true},
	personKind:  {"people", "person", "person", []string{"name", "title", "phone", "notes", "language", "organisation_id", "external_id"}, true},
	roleKind:    {"roles", "role", "role", []string{"person_id", "organisation_id", "role", "label", "active"}, false},
	segmentKind: {"segments", "segment", "segment", []string{"name", "description"}, false},
}

// state is a record as stored: what the run knows it must be.
type state struct {
	Present bool // the row exists (a trashed unit or person is present)
	Trashed bool
	Version int
	Fields  map[string]string // kinds[k].fields, canonical text
}

func (s state) equal(o state) bool {
	if s.Present != o.Present {
		return false
	}
	if !s.Present {
		return true
	}
	if s.Trashed != o.Trashed || s.Version != o.Version || len(s.Fields) != len(o.Fields) {
		return false
	}
	for k, v := range s.Fields {
		if w, ok := o.Fields[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func (s state) String() string {
	if !s.Present {
		return "absent"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "v%d", s.Version)
	if s.Trashed {
		b.WriteString(" trashed")
	}
	keys := make([]string, 0, len(s.Fields))
	for k := range s.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := s.Fields[k]
		if len(v) > 40 {
			v = fmt.Sprintf("%s…(%d bytes, hash %08x)", v[:32], len(v), fnv32(v))
		}
		fmt.Fprintf(&b, " %s=%q", k, v)
	}
	return b.String()
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// auditKey identifies the audit entry of one write: its action and the
// version it wrote (for a removal, the version removed).
type auditKey struct {
	action  string
	version int
}

// record is one record a writer made.
type record struct {
	kind  kind
	id    string
	tag   string // unique per run: external_id of units and people, label of roles, name of segments at creation
	key   string // the create's Idempotency-Key
	acked state  // the last acknowledged state
	// audit lists the entry every applied write must have left, in order.
	audit []auditKey
	// createAcked is false for a record whose create was unanswered at a
	// kill and found applied.
	createAcked bool
	lastAck     string // the last acknowledged write, for messages
}

// op is one write.
type op struct {
	name    string // create-unit, update-person, move-unit, delete-role…
	kind    kind
	rec     *record // nil for a create
	tag     string
	key     string
	method  string
	path    string
	body    []byte
	ifMatch int
	want    state // the record once the write is applied
	audit   auditKey
}

// writer is one API client. It owns the records it creates and changes
// only those, so it knows the exact state of each of them.
type writer struct {
	n       int
	runID   string
	rng     *mrand.Rand
	seq     int
	recs    []*record
	byKind  [nKinds][]*record // present and not trashed
	byID    map[string]*record
	pending *op            // the write unanswered at the last kill
	acked   map[string]int // acknowledged writes by op name since the last collection
	// problems are unexpected answers since the last collection.
	problems []string
}

func newWriter(n int, runID string, rng *mrand.Rand) *writer {
	return &writer{n: n, runID: runID, rng: rng, acked: map[string]int{}, byID: map[string]*record{}}
}

// run writes until stop is set or a write goes unanswered (the server is
// gone: the write stays pending until the database is checked).
// run writes until stop is set or a write goes unanswered. acked is
// called after every acknowledged write.
func (w *writer) run(ctx context.Context, api *apiClient, stop *atomic.Bool, acked func()) {
	for !stop.Load() && ctx.Err() == nil {
		o := w.next()
		status, body, err := api.do(ctx, o.method, o.path, o.body, o.ifMatch, o.key)
		switch {
		case err != nil || status >= 500:
			// Unanswered, or answered with a server error: the write may
			// or may not have been committed. The check after the kill
			// finds out.
			if err == nil && !stop.Load() {
				w.problems = append(w.problems, fmt.Sprintf("writer %d: %s %s answered %d while the server was up: %s", w.n, o.method, o.path, status, snippet(body)))
			}
			w.pending = o
			return
		case status == wantStatus(o):
			if msg := w.ack(o, body); msg != "" {
				w.problems = append(w.problems, fmt.Sprintf("writer %d: %s %s: %s", w.n, o.method, o.path, msg))
				return
			}
			acked()
		default:
			// A refusal: nothing was written, but the writer's picture of
			// its records is wrong or the server refused a valid write.
			w.problems = append(w.problems, fmt.Sprintf("writer %d: %s %s (If-Match %d) answered %d: %s", w.n, o.method, o.path, o.ifMatch, status, snippet(body)))
			return
		}
	}
}

func wantStatus(o *op) int {
	switch o.method {
	case http.MethodPost:
		return http.StatusCreated
	case http.MethodDelete:
		return http.StatusNoContent
	}
	return http.StatusOK
}

// ack records an acknowledged write; it returns a complaint when the
// answer contradicts the write.
func (w *writer) ack(o *op, body []byte) string {
	if o.method != http.MethodDelete {
		var got struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
		}
		if err := json.Unmarshal(body, &got); err != nil || got.ID == "" {
			return fmt.Sprintf("answer without an id: %s", snippet(body))
		}
		if got.Version != o.want.Version {
			return fmt.Sprintf("answered version %d, want %d: %s", got.Version, o.want.Version, snippet(body))
		}
		if o.rec == nil {
			o.rec = &record{kind: o.kind, id: got.ID, tag: o.tag, key: o.key, createAcked: true}
		}
	}
	w.apply(o)
	o.rec.lastAck = fmt.Sprintf("%s acknowledged to writer %d", o.name, w.n)
	w.acked[o.name]++
	return ""
}

// apply makes an applied write part of the writer's picture.
func (w *writer) apply(o *op) {
	r := o.rec
	if o.kind != r.kind {
		panic("crash: op kind mismatch")
	}
	if o.audit.action == "create" {
		w.recs = append(w.recs, r)
		w.byID[r.id] = r
	}
	wasLive := r.acked.Present && !r.acked.Trashed
	r.acked = o.want
	r.audit = append(r.audit, o.audit)
	isLive := r.acked.Present && !r.acked.Trashed
	switch {
	case isLive && !wasLive:
		w.byKind[r.kind] = append(w.byKind[r.kind], r)
	case wasLive && !isLive:
		live := w.byKind[r.kind]
		for i, x := range live {
			if x == r {
				live[i] = live[len(live)-1]
				w.byKind[r.kind] = live[:len(live)-1]
				break
			}
		}
	}
}

// next picks the next write: mostly creates and updates, some moves and
// deletes, each of a record the writer owns.
func (w *writer) next() *op {
	w.seq++
	units, people, roles, segments := w.byKind[unitKind], w.byKind[personKind], w.byKind[roleKind], w.byKind[segmentKind]
	for {
		switch x := w.rng.IntN(100); {
		case x < 10:
			return w.createUnit()
		case x < 26 && len(units) > 0:
			return w.createPerson()
		case x < 36 && len(units) > 0 && len(people) > 0:
			return w.createRole()
		case x < 40:
			return w.createSegment()
		case x < 50 && len(units) > 0:
			return w.updateUnit()
		case x < 54 && len(units) > 1:
			return w.moveUnit()
		case x < 70 && len(people) > 0 && len(units) > 0:
			return w.updatePerson()
		case x < 78 && len(roles) > 0 && len(units) > 0 && len(people) > 0:
			return w.updateRole()
		case x < 82 && len(segments) > 0:
			return w.updateSegment()
		case x < 86 && len(units) > 3:
			if o := w.deleteUnit(); o != nil {
				return o
			}
		case x < 91 && len(people) > 2:
			return w.delete(people[w.rng.IntN(len(people))], "delete-person")
		case x < 96 && len(roles) > 0:
			return w.delete(roles[w.rng.IntN(len(roles))], "delete-role")
		case x < 100 && len(segments) > 1:
			return w.delete(segments[w.rng.IntN(len(segments))], "delete-segment")
		}
	}
}

// tag names the record a create makes, unique in the run.
func (w *writer) tag() string { return fmt.Sprintf("crash-%s-w%d-c%d", w.runID, w.n, w.seq) }

// stamp marks the values an update writes, unique in the run.
func (w *writer) stamp() string { return fmt.Sprintf("%s-w%d-u%d", w.runID, w.n, w.seq) }

var words = []string{"Malmö", "Åbo", "Jyväskylä", "北京", "上海", "naïve", "Ærø", "service", "review", "budget", "Göteborg",
	"Helsingfors", "Zürich", "ordning", "förvaltning", "kunta", "palvelu", "客户", "协议", "IT", "\"quoted\"", "a\\b", "<tag>", "line\nbreak"}

// text is a random text of about n bytes.
func (w *writer) text(n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[w.rng.IntN(len(words))])
	}
	return b.String()
}

// longText is a text of random length: usually short, sometimes pages long.
func (w *writer) longText() string {
	switch x := w.rng.IntN(20); {
	case x == 0:
		return ""
	case x < 16:
		return w.text(w.rng.IntN(300))
	default:
		return w.text(2000 + w.rng.IntN(8000))
	}
}

func (w *writer) name(what string) string {
	return fmt.Sprintf("%s %s %s", what, words[w.rng.IntN(len(words)-5)], w.stamp())
}

func jsonBody(v map[string]any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func (w *writer) create(k kind, name string, fields map[string]any) *op {
	tag := w.tag()
	want := state{Present: true, Version: 1, Fields: map[string]string{}}
	for _, f := range kinds[k].fields {
		want.Fields[f] = str(fields[f])
	}
	return &op{name: name, kind: k, tag: tag, key: "key-" + tag, method: http.MethodPost, path: kinds[k].path,
		body: jsonBody(fields), want: want, audit: auditKey{"create", 1}}
}

func (w *writer) createUnit() *op {
	tag := w.tag()
	f := map[string]any{"name": w.name("Unit"), "description": w.longText(), "external_id": tag}
	units := w.byKind[unitKind]
	if len(units) > 0 && w.rng.IntN(3) > 0 {
		f["parent_id"] = units[w.rng.IntN(len(units))].id
	}
	return w.create(unitKind, "create-unit", f)
}

var languages = []string{"en", "sv", "fi", "zh"}

func (w *writer) phone() string {
	return fmt.Sprintf("+46 70 %03d %02d %02d", w.rng.IntN(1000), w.rng.IntN(100), w.rng.IntN(100))
}

func (w *writer) createPerson() *op {
	units := w.byKind[unitKind]
	f := map[string]any{"name": w.name("Person"), "title": w.text(20), "phone": w.phone(), "notes": w.longText(),
		"language": languages[w.rng.IntN(len(languages))], "organisation_id": units[w.rng.IntN(len(units))].id, "external_id": w.tag()}
	return w.create(personKind, "create-person", f)
}

var roleKinds = []string{"orderer", "user", "other"}

func (w *writer) createRole() *op {
	units, people := w.byKind[unitKind], w.byKind[personKind]
	f := map[string]any{"person_id": people[w.rng.IntN(len(people))].id, "organisation_id": units[w.rng.IntN(len(units))].id,
		"role": roleKinds[w.rng.IntN(len(roleKinds))], "label": w.tag()}
	o := w.create(roleKind, "create-role", f)
	o.want.Fields["active"] = "true"
	return o
}

func (w *writer) createSegment() *op {
	return w.create(segmentKind, "create-segment", map[string]any{"name": w.tag(), "description": w.longText()})
}

// update PATCHes r with the merge patch p.
func (w *writer) update(r *record, name string, p map[string]any) *op {
	want := state{Present: true, Version: r.acked.Version + 1, Fields: map[string]string{}}
	for k, v := range r.acked.Fields {
		want.Fields[k] = v
	}
	for k, v := range p {
		want.Fields[k] = str(v)
	}
	return &op{name: name, kind: r.kind, rec: r, method: http.MethodPatch, path: kinds[r.kind].path + "/" + r.id,
		body: jsonBody(p), ifMatch: r.acked.Version, want: want, audit: auditKey{"update", want.Version}}
}

func (w *writer) updateUnit() *op {
	units := w.byKind[unitKind]
	r := units[w.rng.IntN(len(units))]
	p := map[string]any{"name": w.name("Unit")}
	if w.rng.IntN(2) == 0 {
		p["description"] = w.longText()
	}
	return w.update(r, "update-unit", p)
}

// moveUnit gives a unit another parent (or none), which rewrites the path
// of its whole subtree in the same transaction.
func (w *writer) moveUnit() *op {
	units := w.byKind[unitKind]
	r := units[w.rng.IntN(len(units))]
	var candidates []*record
	for _, u := range units {
		if u != r && !w.below(u, r) && u.id != r.acked.Fields["parent_id"] {
			candidates = append(candidates, u)
		}
	}
	var parent any // null: a top unit
	if len(candidates) > 0 && (r.acked.Fields["parent_id"] == "" || w.rng.IntN(4) > 0) {
		parent = candidates[w.rng.IntN(len(candidates))].id
	}
	return w.update(r, "move-unit", map[string]any{"parent_id": parent, "name": w.name("Unit")})
}

// below reports whether unit u lies below unit r.
func (w *writer) below(u, r *record) bool {
	for p := u.acked.Fields["parent_id"]; p != ""; {
		if p == r.id {
			return true
		}
		x := w.byID[p]
		if x == nil {
			return false
		}
		p = x.acked.Fields["parent_id"]
	}
	return false
}

// live reports whether the record with id is present and not trashed.
func (w *writer) live(id string) bool {
	r := w.byID[id]
	return r != nil && r.acked.Present && !r.acked.Trashed
}

func (w *writer) updatePerson() *op {
	people := w.byKind[personKind]
	r := people[w.rng.IntN(len(people))]
	p := map[string]any{"title": w.text(10) + " " + w.stamp()}
	switch w.rng.IntN(4) {
	case 0:
		p["notes"] = w.longText()
	case 1:
		p["phone"] = w.phone()
		p["language"] = languages[w.rng.IntN(len(languages))]
	case 2:
		units := w.byKind[unitKind]
		p["organisation_id"] = units[w.rng.IntN(len(units))].id
	case 3:
		p["name"] = w.name("Person")
	}
	if _, moved := p["organisation_id"]; !moved && !w.live(r.acked.Fields["organisation_id"]) {
		// The person's unit is in the trash; an update must name a live one.
		units := w.byKind[unitKind]
		p["organisation_id"] = units[w.rng.IntN(len(units))].id
	}
	return w.update(r, "update-person", p)
}

func (w *writer) updateRole() *op {
	roles := w.byKind[roleKind]
	r := roles[w.rng.IntN(len(roles))]
	p := map[string]any{"label": "label " + w.stamp()}
	// An update checks the role's person and unit again: both must be live.
	if !w.live(r.acked.Fields["person_id"]) {
		people := w.byKind[personKind]
		p["person_id"] = people[w.rng.IntN(len(people))].id
	}
	if !w.live(r.acked.Fields["organisation_id"]) {
		units := w.byKind[unitKind]
		p["organisation_id"] = units[w.rng.IntN(len(units))].id
	}
	if w.rng.IntN(2) == 0 {
		p["active"] = r.acked.Fields["active"] != "true"
	}
	if w.rng.IntN(4) == 0 {
		p["role"] = roleKinds[w.rng.IntN(len(roleKinds))]
	}
	return w.update(r, "update-role", p)
}

func (w *writer) updateSegment() *op {
	segments := w.byKind[segmentKind]
	r := segments[w.rng.IntN(len(segments))]
	p := map[string]any{"description": w.longText() + " " + w.stamp()}
	if w.rng.IntN(3) == 0 {
		p["name"] = "segment " + w.stamp()
	}
	return w.update(r, "update-segment", p)
}

// deleteUnit trashes a unit without live units below it; nil when the
// one picked has some.
func (w *writer) deleteUnit() *op {
	units := w.byKind[unitKind]
	r := units[w.rng.IntN(len(units))]
	for _, u := range units {
		if u.acked.Fields["parent_id"] == r.id {
			return nil
		}
	}
	return w.delete(r, "delete-unit")
}

// delete trashes (units, people) or removes (roles, segments) r.
func (w *writer) delete(r *record, name string) *op {
	o := &op{name: name, kind: r.kind, rec: r, method: http.MethodDelete, path: kinds[r.kind].path + "/" + r.id, ifMatch: r.acked.Version}
	if kinds[r.kind].soft {
		o.want = r.acked
		o.want.Trashed = true
		o.want.Version++
		o.audit = auditKey{"delete", o.want.Version}
	} else {
		o.want = state{}
		o.audit = auditKey{"delete", r.acked.Version}
	}
	return o
}

// apiClient calls the API with the run's token.
type apiClient struct {
	http  *http.Client
	base  string
	token string
}

// do sends one write; err is set when no complete answer arrived.
func (c *apiClient) do(ctx context.Context, method, path string, body []byte, ifMatch int, key string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/api/v1/"+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	switch method {
	case http.MethodPost:
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
	case http.MethodPatch:
		req.Header.Set("Content-Type", "application/merge-patch+json")
		req.Header.Set("If-Match", `"`+strconv.Itoa(ifMatch)+`"`)
	case http.MethodDelete:
		req.Header.Set("If-Match", `"`+strconv.Itoa(ifMatch)+`"`)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err // a truncated answer is no acknowledgement
	}
	return resp.StatusCode, b, nil
}

// get reads a record through the API as a state of kind k's fields.
func (c *apiClient) get(ctx context.Context, path string) (state, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/v1/"+path, nil)
	if err != nil {
		return state{}, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return state{}, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return state{}, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return state{}, resp.StatusCode, nil
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return state{}, 0, fmt.Errorf("GET %s: %w", path, err)
	}
	k := kindOfPath(path)
	s := state{Present: true, Fields: map[string]string{}}
	if v, err := strconv.Atoi(str(m["version"])); err == nil {
		s.Version = v
	}
	if etag := resp.Header.Get("ETag"); etag != `"`+strconv.Itoa(s.Version)+`"` {
		return state{}, 0, fmt.Errorf("GET %s: ETag %s for version %d", path, etag, s.Version)
	}
	s.Trashed = m["deleted_at"] != nil
	for _, f := range kinds[k].fields {
		s.Fields[f] = str(m[f])
	}
	return s, resp.StatusCode, nil
}

func kindOfPath(path string) kind {
	for k := range nKinds {
		if strings.HasPrefix(path, kinds[k].path+"/") {
			return k
		}
	}
	panic("crash: no kind for " + path)
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
