package crash

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Names of the checks, as the report lists them.
const (
	checkAcked       = "acknowledged writes present, exact version and content"
	checkInFlight    = "unanswered writes applied whole or not at all"
	checkAudit       = "one audit entry per applied write, by the run's user"
	checkIdempotency = "Idempotency-Key kept for every acknowledged create"
	checkConsistency = "consistency: no orphans, paths match the tree, audit subjects exist"
	checkSQLite      = "sqlite PRAGMA integrity_check"
	checkSQLiteFK    = "sqlite PRAGMA foreign_key_check"
	checkBTree       = "postgres amcheck bt_index_check(heapallindexed) on every B-tree index"
	checkHeap        = "postgres amcheck verify_heapam on every table"
)

// openCheck opens the database with a fresh connection of its own, as
// nothing else has it open (the server is dead).
func openCheck(engine, dsn string) (*sql.DB, error) {
	if engine == "postgres" {
		return sql.Open("pgx", dsn)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := sql.Open("sqlite", dsn+sep+"_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one connection: the checks see one view
	return db, nil
}

// serverDSN is the DSN the server gets: on PostgreSQL with an
// application_name, so that the harness can wait until every session of a
// killed server is gone. A COMMIT the server sent just before it died
// still completes on PostgreSQL; checking before that would be checking
// too early.
func serverDSN(engine, dsn, runID string) string {
	if engine != "postgres" {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set("application_name", appName(runID))
	u.RawQuery = q.Encode()
	return u.String()
}

func appName(runID string) string { return "liaison-crash-" + runID }

// waitSessionsGone waits until PostgreSQL has ended every session of the
// killed server.
func (h *harness) waitSessionsGone(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(time.Minute)
	for {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1`, appName(h.runID)).Scan(&n); err != nil {
			return fmt.Errorf("count the killed server's sessions: %w", err)
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d sessions of the killed server still open after a minute", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// snapshot is the database as the checks read it.
type snapshot struct {
	rows   [nKinds]map[string]state
	byTag  [nKinds]map[string][]string
	units  map[string]unitRow
	audit  map[string][]auditRow // by subject id
	nAudit int
	users  map[string]bool
	idem   map[string]string // the run user's Idempotency-Keys → Location
}

type unitRow struct {
	parent, path, segment string
	depth                 int
}

type auditRow struct {
	subject, action, actor string
	version                int // after_json's version; before_json's when there is no after
	bad                    string
}

// verify checks the database after a kill (resolve: settle the writes
// the kill left unanswered first). It returns how many of those were
// applied.
func (h *harness) verify(ctx context.Context, resolve bool) (int, error) {
	db, err := openCheck(h.engine, h.cfg.DB)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if h.engine == "postgres" {
		if err := h.waitSessionsGone(ctx, db); err != nil {
			return 0, err
		}
		if err := h.pgIntegrity(ctx, db); err != nil {
			return 0, err
		}
	} else if err := h.sqliteIntegrity(ctx, db); err != nil {
		return 0, err
	}
	snap, err := h.read(ctx, db)
	if err != nil {
		return 0, err
	}
	db.Close()

	rep := h.rep
	before := rep.ProblemCount
	h.consistency(snap)
	rep.passIf(checkConsistency, before)

	applied := 0
	if resolve {
		before = rep.ProblemCount
		applied = h.resolve(snap)
		rep.InFlightApplied += applied
		rep.passIf(checkInFlight, before)
	}

	beforeLost, beforeAudit, beforeIdem := rep.ProblemCount, 0, 0
	clear(rep.Records)
	for _, w := range h.ws {
		for _, r := range w.recs {
			got := snap.rows[r.kind][r.id]
			if !got.equal(r.acked) {
				rep.Lost++
				rep.problem("LOST: %s %s: acknowledged as %s (%s) but the database holds %s", kinds[r.kind].name, r.id, r.acked, r.lastAck, got)
			}
			switch {
			case !got.Present:
				rep.Records[kinds[r.kind].name+" removed"]++
			case got.Trashed:
				rep.Records[kinds[r.kind].name+" trashed"]++
			default:
				rep.Records[kinds[r.kind].name+" live"]++
			}
		}
	}
	rep.passIf(checkAcked, beforeLost)

	beforeAudit = rep.ProblemCount
	for _, w := range h.ws {
		for _, r := range w.recs {
			h.checkAudit(r, snap.audit[r.id])
		}
	}
	rep.passIf(checkAudit, beforeAudit)

	beforeIdem = rep.ProblemCount
	for _, w := range h.ws {
		for _, r := range w.recs {
			if !r.createAcked {
				continue
			}
			loc, ok := snap.idem[r.key]
			if !ok {
				rep.problem("the Idempotency-Key %s of the acknowledged create of %s %s is gone: a retry would create it again", r.key, kinds[r.kind].name, r.id)
			} else if !strings.HasSuffix(loc, "/"+r.id) {
				rep.problem("the Idempotency-Key %s of %s %s answers %s", r.key, kinds[r.kind].name, r.id, loc)
			}
		}
	}
	rep.passIf(checkIdempotency, beforeIdem)

	clear(rep.Rows)
	for k := range nKinds {
		rep.Rows[kinds[k].path] = len(snap.rows[k])
	}
	rep.Rows["audit_entries"] = snap.nAudit
	return applied, nil
}

func (r *Report) passIf(check string, problemsBefore int) {
	if r.ProblemCount == problemsBefore {
		r.pass(check)
	}
}

// resolve settles each write the kill left unanswered: the database must
// show it applied whole or not at all. Applied ones become part of the
// writers' picture.
func (h *harness) resolve(snap *snapshot) int {
	applied := 0
	for _, w := range h.ws {
		o := w.pending
		if o == nil {
			continue
		}
		w.pending = nil
		if o.rec == nil { // a create: find it by its tag
			ids := snap.byTag[o.kind][o.tag]
			_, keyKept := snap.idem[o.key]
			switch len(ids) {
			case 0:
				if keyKept {
					h.rep.problem("the unanswered %s %s is not in the database, yet its Idempotency-Key %s is", o.name, o.tag, o.key)
				}
				continue
			case 1:
			default:
				h.rep.problem("the unanswered %s %s is in the database %d times: %v", o.name, o.tag, len(ids), ids)
				continue
			}
			got := snap.rows[o.kind][ids[0]]
			if !got.equal(o.want) {
				h.rep.problem("the unanswered %s %s was applied in part: want %s, the database holds %s", o.name, ids[0], o.want, got)
				continue
			}
			if !keyKept {
				msg := fmt.Sprintf("%s %s (tag %s) is stored with its create audit entry, but no row holds its Idempotency-Key %s",
					kinds[o.kind].name, ids[0], o.tag, o.key)
				h.rep.IdempotencyGaps++
				h.rep.problem("IDEMPOTENCY GAP: %s: a retry with the key would create it again", msg)
			}
			o.rec = &record{kind: o.kind, id: ids[0], tag: o.tag, key: o.key, lastAck: "create unanswered at a kill, found applied"}
			w.apply(o)
			applied++
			continue
		}
		got := snap.rows[o.kind][o.rec.id]
		switch {
		case got.equal(o.rec.acked):
			// not applied
		case got.equal(o.want):
			w.apply(o)
			o.rec.lastAck = o.name + " unanswered at a kill, found applied"
			applied++
		default:
			h.rep.Lost++
			h.rep.problem("LOST or TORN: %s %s: acknowledged as %s (%s); the unanswered %s would make it %s; the database holds %s",
				kinds[o.kind].name, o.rec.id, o.rec.acked, o.rec.lastAck, o.name, o.want, got)
			// Take what is there, so one fault is reported once.
			o.rec.acked = got
		}
	}
	return applied
}

// checkAudit compares a record's audit entries with its applied writes:
// exactly one entry each, made by the run's user.
func (h *harness) checkAudit(r *record, rows []auditRow) {
	want := map[auditKey]int{}
	for _, k := range r.audit {
		want[k]++
	}
	got := map[auditKey]int{}
	for _, a := range rows {
		if a.subject != kinds[r.kind].subject {
			continue
		}
		got[auditKey{a.action, a.version}]++
		if a.actor != h.userID {
			h.rep.problem("audit entry %s v%d of %s %s names actor %q, want the run's user %s", a.action, a.version, kinds[r.kind].name, r.id, a.actor, h.userID)
		}
	}
	for k, n := range want {
		if got[k] < n {
			h.rep.AuditMissing += n - got[k]
			h.rep.problem("AUDIT MISSING: %s %s has no audit entry for its %s of version %d (%s)", kinds[r.kind].name, r.id, k.action, k.version, r.lastAck)
		}
	}
	for k, n := range got {
		if n > want[k] {
			h.rep.problem("%s %s has %d audit entries for %s of version %d, want %d", kinds[r.kind].name, r.id, n, k.action, k.version, want[k])
		}
	}
}

// consistency checks what the schema's constraints promise and a few
// things they cannot: every reference resolves, every unit's path and
// depth follow from its parent's, and every audit entry's subject exists
// or has a delete entry.
func (h *harness) consistency(s *snapshot) {
	p := h.rep.problem
	for id, u := range s.units {
		want := "/" + id + "/"
		if u.parent != "" {
			pu, ok := s.units[u.parent]
			if !ok {
				p("ORPHAN: unit %s has parent %s, which does not exist", id, u.parent)
				continue
			}
			want = pu.path + id + "/"
		}
		if u.path != want {
			p("unit %s has path %s, want %s from its parent", id, u.path, want)
		}
		if d := strings.Count(u.path, "/") - 2; u.depth != d {
			p("unit %s has depth %d, want %d from its path %s", id, u.depth, d, u.path)
		}
		if u.segment != "" && !s.rows[segmentKind][u.segment].Present {
			p("ORPHAN: unit %s has segment %s, which does not exist", id, u.segment)
		}
	}
	for id, st := range s.rows[personKind] {
		if _, ok := s.units[st.Fields["organisation_id"]]; !ok {
			p("ORPHAN: person %s belongs to unit %s, which does not exist", id, st.Fields["organisation_id"])
		}
	}
	for id, st := range s.rows[roleKind] {
		if !s.rows[personKind][st.Fields["person_id"]].Present {
			p("ORPHAN: role %s names person %s, who does not exist", id, st.Fields["person_id"])
		}
		if _, ok := s.units[st.Fields["organisation_id"]]; !ok {
			p("ORPHAN: role %s names unit %s, which does not exist", id, st.Fields["organisation_id"])
		}
	}
	subjects := map[string]kind{"organisation": unitKind, "person": personKind, "role": roleKind, "segment": segmentKind}
	for id, rows := range s.audit {
		deleted := map[string]bool{}
		for _, a := range rows {
			if a.action == "delete" {
				deleted[a.subject] = true
			}
		}
		for _, a := range rows {
			if a.bad != "" {
				p("audit entry of %s %s: %s", a.subject, id, a.bad)
			}
			if a.subject == "user" {
				if !s.users[id] {
					p("ORPHAN: audit entry %s of user %s, who does not exist", a.action, id)
				}
				continue
			}
			k, ok := subjects[a.subject]
			if !ok {
				continue
			}
			if !s.rows[k][id].Present && !(deleted[a.subject] && !kinds[k].soft) {
				p("ORPHAN: audit entry %s v%d of %s %s, which does not exist and has no delete entry", a.action, a.version, a.subject, id)
			}
		}
	}
}

// read loads the tables the checks need.
func (h *harness) read(ctx context.Context, db *sql.DB) (*snapshot, error) {
	s := &snapshot{units: map[string]unitRow{}, audit: map[string][]auditRow{}, users: map[string]bool{}, idem: map[string]string{}}
	for k := range nKinds {
		s.rows[k] = map[string]state{}
		s.byTag[k] = map[string][]string{}
	}
	add := func(k kind, id, tag string, version int, trashed bool, fields map[string]string) {
		s.rows[k][id] = state{Present: true, Trashed: trashed, Version: version, Fields: fields}
		if tag != "" {
			s.byTag[k][tag] = append(s.byTag[k][tag], id)
		}
	}
	err := query(ctx, db, `SELECT id, name, description, parent_id, external_id, path, depth, segment_id, version, deleted_at IS NOT NULL
		FROM organisations`, func(rows *sql.Rows) error {
		var id, name, desc, ext, path string
		var parent, segment sql.NullString
		var depth, version int
		var trashed bool
		if err := rows.Scan(&id, &name, &desc, &parent, &ext, &path, &depth, &segment, &version, &trashed); err != nil {
			return err
		}
		add(unitKind, id, ext, version, trashed, map[string]string{"name": name, "description": desc, "parent_id": parent.String, "external_id": ext})
		s.units[id] = unitRow{parent: parent.String, path: path, depth: depth, segment: segment.String}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, `SELECT id, organisation_id, name, title, phone, notes, language, external_id, version, deleted_at IS NOT NULL
		FROM people`, func(rows *sql.Rows) error {
		var id, unit, name, title, phone, notes, lang, ext string
		var version int
		var trashed bool
		if err := rows.Scan(&id, &unit, &name, &title, &phone, &notes, &lang, &ext, &version, &trashed); err != nil {
			return err
		}
		add(personKind, id, ext, version, trashed, map[string]string{"name": name, "title": title, "phone": phone, "notes": notes,
			"language": lang, "organisation_id": unit, "external_id": ext})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, `SELECT id, person_id, organisation_id, role, label, active, version FROM contact_roles`, func(rows *sql.Rows) error {
		var id, person, unit, role, label string
		var active bool
		var version int
		if err := rows.Scan(&id, &person, &unit, &role, &label, &active, &version); err != nil {
			return err
		}
		add(roleKind, id, label, version, false, map[string]string{"person_id": person, "organisation_id": unit, "role": role,
			"label": label, "active": fmt.Sprint(active)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, `SELECT id, name, description, version FROM segments`, func(rows *sql.Rows) error {
		var id, name, desc string
		var version int
		if err := rows.Scan(&id, &name, &desc, &version); err != nil {
			return err
		}
		add(segmentKind, id, name, version, false, map[string]string{"name": name, "description": desc})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, `SELECT id FROM users`, func(rows *sql.Rows) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		s.users[id] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, `SELECT subject_type, subject_id, action, actor_id, before_json, after_json FROM audit_entries`, func(rows *sql.Rows) error {
		var a auditRow
		var id string
		var before, after []byte
		if err := rows.Scan(&a.subject, &id, &a.action, &a.actor, &before, &after); err != nil {
			return err
		}
		a.version, a.bad = auditVersion(before, after)
		s.audit[id] = append(s.audit[id], a)
		s.nAudit++
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, `SELECT key, location FROM idempotency_keys WHERE user_id = $1`, func(rows *sql.Rows) error {
		var key, loc string
		if err := rows.Scan(&key, &loc); err != nil {
			return err
		}
		s.idem[key] = loc
		return nil
	}, h.userID)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// auditVersion reads the version an audit entry records: the after
// image's, or the before image's for a removal.
func auditVersion(before, after []byte) (int, string) {
	var v struct {
		Version int `json:"version"`
	}
	img := after
	if img == nil {
		img = before
	}
	if img == nil {
		return 0, "neither a before nor an after image"
	}
	if before != nil && !json.Valid(before) {
		return 0, "before_json is not valid JSON"
	}
	if err := json.Unmarshal(img, &v); err != nil {
		return 0, "image is not valid JSON: " + err.Error()
	}
	return v.Version, ""
}

func query(ctx context.Context, db *sql.DB, q string, each func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read the database: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return fmt.Errorf("read the database: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the database: %w", err)
	}
	return nil
}

// sqliteIntegrity runs SQLite's own checks on the file.
func (h *harness) sqliteIntegrity(ctx context.Context, db *sql.DB) error {
	var lines []string
	if err := query(ctx, db, `PRAGMA integrity_check`, func(rows *sql.Rows) error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		lines = append(lines, s)
		return nil
	}); err != nil {
		return err
	}
	if len(lines) == 1 && lines[0] == "ok" {
		h.rep.pass(checkSQLite)
	} else {
		more := ""
		if len(lines) > 10 {
			lines, more = lines[:10], fmt.Sprintf("; … (%d lines in all)", len(lines))
		}
		h.rep.problem("CORRUPT: PRAGMA integrity_check: %s%s", strings.Join(lines, "; "), more)
	}
	var fk []string
	if err := query(ctx, db, `PRAGMA foreign_key_check`, func(rows *sql.Rows) error {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		fk = append(fk, fmt.Sprintf("%s row %d → %s (constraint %d)", table, rowid.Int64, parent, fkid))
		return nil
	}); err != nil {
		return err
	}
	if len(fk) == 0 {
		h.rep.pass(checkSQLiteFK)
	} else {
		h.rep.problem("PRAGMA foreign_key_check: %d violations: %s", len(fk), strings.Join(fk[:min(len(fk), 10)], "; "))
	}
	return nil
}

// amcheck is how to call PostgreSQL's amcheck extension.
type amcheck struct {
	schema string // where its functions live, quoted
	heap   bool   // verify_heapam exists (amcheck 1.3, PostgreSQL 14)
}

// pgIntegrity runs amcheck on every index and table of the current
// schema, when the extension is there or can be installed.
func (h *harness) pgIntegrity(ctx context.Context, db *sql.DB) error {
	if h.amc == nil {
		if skipped := h.findAmcheck(ctx, db); skipped != "" {
			h.rep.Skipped = append(h.rep.Skipped, "postgres amcheck: "+skipped)
			h.amc = &amcheck{}
		}
	}
	if h.amc.schema == "" {
		return nil
	}
	var indexes, tables []string
	if err := query(ctx, db, `SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
		WHERE n.nspname = current_schema() AND a.amname = 'btree' ORDER BY 1`, func(rows *sql.Rows) error {
		var s string
		indexes = append(indexes, s)
		return rows.Scan(&indexes[len(indexes)-1])
	}); err != nil {
		return err
	}
	if err := query(ctx, db, `SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1`, func(rows *sql.Rows) error {
		var s string
		tables = append(tables, s)
		return rows.Scan(&tables[len(tables)-1])
	}); err != nil {
		return err
	}
	if len(indexes) == 0 || len(tables) == 0 {
		return fmt.Errorf("amcheck: found %d indexes and %d tables in the current schema", len(indexes), len(tables))
	}
	before := h.rep.ProblemCount
	for _, ix := range indexes {
		if _, err := db.ExecContext(ctx, `SELECT `+h.amc.schema+`.bt_index_check($1::regclass, true)`, ix); err != nil {
			h.rep.problem("CORRUPT: amcheck bt_index_check(%s, heapallindexed): %v", ix, err)
		}
	}
	h.rep.passIf(checkBTree, before)
	if !h.amc.heap {
		return nil
	}
	before = h.rep.ProblemCount
	for _, t := range tables {
		var n int
		var first sql.NullString
		err := db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(blkno || ':' || COALESCE(offnum::text, '') || ' ' || msg) FROM `+
			h.amc.schema+`.verify_heapam($1::regclass)`, t).Scan(&n, &first)
		if err != nil {
			h.rep.problem("CORRUPT: amcheck verify_heapam(%s): %v", t, err)
		} else if n > 0 {
			h.rep.problem("CORRUPT: amcheck verify_heapam(%s): %d findings, first: %s", t, n, first.String)
		}
	}
	h.rep.passIf(checkHeap, before)
	return nil
}

// findAmcheck finds amcheck, installing it when the server offers it;
// it returns why not when it cannot be used.
func (h *harness) findAmcheck(ctx context.Context, db *sql.DB) string {
	find := func() (string, error) {
		var schema string
		err := db.QueryRowContext(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
			WHERE e.extname = 'amcheck'`).Scan(&schema)
		if err == sql.ErrNoRows {
			return "", nil
		}
		return schema, err
	}
	schema, err := find()
	if err != nil {
		return err.Error()
	}
	if schema == "" {
		var available int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'amcheck'`).Scan(&available); err != nil {
			return err.Error()
		}
		if available == 0 {
			return "the extension is not available on this server (it ships with PostgreSQL's contrib modules)"
		}
		// Into the current schema: a test schema takes it along when dropped.
		_, cerr := db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS amcheck`)
		if schema, err = find(); err != nil {
			return err.Error()
		}
		if schema == "" {
			return fmt.Sprintf("CREATE EXTENSION amcheck failed: %v", cerr)
		}
	}
	h.amc = &amcheck{schema: `"` + strings.ReplaceAll(schema, `"`, `""`) + `"`}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE p.proname = 'verify_heapam' AND n.nspname = $1`, schema).Scan(&n); err == nil && n > 0 {
		h.amc.heap = true
	} else {
		h.rep.Skipped = append(h.rep.Skipped, "postgres amcheck verify_heapam: not in this amcheck version (needs PostgreSQL 14)")
	}
	return ""
}
