package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/liaisonhq/liaison"
)

// Bulk loading writes many records in one transaction, for generated
// datasets and imports, where a transaction per record (the write path of
// every Store method) would take minutes.
//
// A BulkTx writes what the caller hands it: ids, versions and times
// included, so that a seeded generator produces the same rows every time.
// It fills the columns the write path derives (a unit's path and depth, the
// search text, version 1 and the times when left zero) exactly as the
// write path does, so the data cannot be told from data written through
// the API. It does not check the rules the write path checks before it
// writes (references, one active customer per account, unique emails):
// callers validate their records (Normalize and Validate of each) and keep
// the rules; the database's own constraints (foreign keys, unique indexes)
// still hold and fail the load when broken. Nor does it audit: the caller
// writes the audit entries it wants with AuditEntries.

// Bulk runs fn in one write transaction and commits when fn returns nil;
// on an error nothing is written. Other writers wait meanwhile.
//
// On SQLite the load runs on the single writer connection with a larger
// page cache (restored afterwards) and ends with a WAL checkpoint, so the
// data lands in the database file rather than in a WAL as large as the
// load. Durability settings are not touched. On PostgreSQL the rows go in
// with COPY and the loaded tables are analysed after the commit, so the
// planner knows their size at once.
func (db *DB) Bulk(ctx context.Context, fn func(*BulkTx) error) error {
	conn, err := db.wdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk: %w", err)
	}
	defer conn.Close()
	b := &BulkTx{db: db, paths: map[string]string{}, loaded: map[string]bool{}}
	if db.dialect.name == "postgres" {
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("bulk: unexpected driver connection %T", dc)
			}
			return b.runPostgres(ctx, c.Conn(), fn)
		})
	} else {
		err = b.runSQLite(ctx, conn, fn)
	}
	return err
}

// bulkCacheKiB is SQLite's page cache during a load (the default is 2 MiB).
// With the big table's indexes deferred, rows are appended in key order
// and a larger cache buys nothing: measured on a million audit rows, 32
// MiB and 512 MiB took the same CPU time, the latter for 0.9 GB more RSS.
const bulkCacheKiB = 64 * 1024

func (b *BulkTx) runSQLite(ctx context.Context, conn *sql.Conn, fn func(*BulkTx) error) error {
	// The page cache holds the growing indexes; temp_store keeps the
	// statement journal of each multi-row INSERT in memory.
	var cache, temp int
	if err := conn.QueryRowContext(ctx, `SELECT cache_size, temp_store FROM pragma_cache_size, pragma_temp_store`).Scan(&cache, &temp); err != nil {
		return fmt.Errorf("bulk: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bulkCacheKiB)+`; PRAGMA temp_store = MEMORY`); err != nil {
		return fmt.Errorf("bulk: %w", err)
	}
	// The connection is pooled: give it back as it was, even when ctx is done.
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+strconv.Itoa(cache)+`; PRAGMA temp_store = `+strconv.Itoa(temp))
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulk: begin: %w", err)
	}
	b.sqlTx = tx
	b.stmts = map[string]*sql.Stmt{}
	err = fn(b)
	if err == nil {
		err = b.rebuildSearch(ctx)
	}
	for _, st := range b.stmts {
		st.Close()
	}
	if err == nil {
		err = b.rebuildIndexes(ctx)
	}
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulk: commit: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("bulk: checkpoint: %w", err)
	}
	return nil
}

func (b *BulkTx) runPostgres(ctx context.Context, c *pgx.Conn, fn func(*BulkTx) error) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return fmt.Errorf("bulk: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) // a no-op after Commit
	b.pgTx = tx
	if _, err := tx.Exec(ctx, b.db.dialect.lockTree); err != nil {
		return fmt.Errorf("bulk: lock organisation tree: %w", err)
	}
	if err := fn(b); err != nil {
		return err
	}
	if err := b.rebuildSearch(ctx); err != nil {
		return err
	}
	if err := b.rebuildIndexes(ctx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("bulk: commit: %w", err)
	}
	for _, table := range bulkTables {
		if b.loaded[table] {
			if _, err := c.Exec(ctx, `ANALYZE `+table); err != nil {
				return fmt.Errorf("bulk: analyze %s: %w", table, err)
			}
		}
	}
	return nil
}

// BulkTx is a bulk-load transaction (see DB.Bulk). Its methods are not
// safe for concurrent use.
type BulkTx struct {
	db     *DB
	sqlTx  *sql.Tx              // SQLite
	stmts  map[string]*sql.Stmt // SQLite: prepared multi-row INSERTs by table and row count
	pgTx   pgx.Tx               // PostgreSQL
	paths  map[string]string    // materialized paths of the units this transaction wrote
	loaded map[string]bool      // tables this transaction wrote
	args   []any
	// deferred are the CREATE INDEX statements of the indexes
	// DeferIndexes dropped, to run before the commit.
	deferred []string
	// actorID and actorName sign the agreement revisions written (an
	// import's user; none for generated data).
	actorID, actorName string
}

// DeferIndexes drops the secondary indexes of table (every index but the
// primary key's) and builds them again, from their stored definitions,
// when the function given to Bulk returns: one sort per index instead of a
// B-tree insert per row, which makes loading a million rows twice as fast.
// The drop is part of the transaction, so a failed load leaves the indexes
// as they were. On PostgreSQL the table is locked against readers until
// the commit. Call it before writing rows into table.
func (b *BulkTx) DeferIndexes(ctx context.Context, table string) error {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name`
	if b.pgTx != nil {
		q = `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid
			WHERE x.indrelid = $1::regclass AND NOT x.indisprimary ORDER BY i.relname`
	}
	var names, defs []string
	if err := b.query(ctx, func(s scanner) error {
		var name, def string
		if err := s.Scan(&name, &def); err != nil {
			return err
		}
		names, defs = append(names, name), append(defs, def)
		return nil
	}, q, table); err != nil {
		return fmt.Errorf("bulk: indexes of %s: %w", table, err)
	}
	for _, name := range names {
		if err := b.exec(ctx, `DROP INDEX `+name); err != nil {
			return fmt.Errorf("bulk: defer index %s: %w", name, err)
		}
	}
	b.deferred = append(b.deferred, defs...)
	return nil
}

func (b *BulkTx) rebuildIndexes(ctx context.Context) error {
	for _, def := range b.deferred {
		if err := b.exec(ctx, def); err != nil {
			return fmt.Errorf("bulk: rebuild index: %s: %w", def, err)
		}
	}
	b.deferred = nil
	return nil
}

func (b *BulkTx) exec(ctx context.Context, query string, args ...any) error {
	if b.pgTx != nil {
		_, err := b.pgTx.Exec(ctx, query, args...)
		return err
	}
	_, err := b.sqlTx.ExecContext(ctx, query, args...)
	return err
}

// query runs a query and calls row for each row it returns.
func (b *BulkTx) query(ctx context.Context, row func(scanner) error, query string, args ...any) error {
	if b.pgTx != nil {
		rows, err := b.pgTx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := row(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	rows, err := b.sqlTx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// bulkTables are the tables a BulkTx writes, in the order of their references.
var bulkTables = []string{"users", "segments", "organisations", "people", "contact_roles", "services", "service_levels", "subscriptions", "audit_entries", "timeline_entries", "meetings", "meeting_participants", "actions", "search_entries"}

// Empty reports whether the database holds no data a load could clash
// with or be mistaken for: no users, segments, units (trashed ones
// included), people, roles or audit entries.
func (b *BulkTx) Empty(ctx context.Context) (bool, error) {
	for _, table := range bulkTables {
		var exists bool
		if err := b.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+`)`).Scan(&exists); err != nil {
			return false, fmt.Errorf("bulk: check %s is empty: %w", table, err)
		}
		if exists {
			return false, nil
		}
	}
	return true, nil
}

func (b *BulkTx) queryRow(ctx context.Context, query string, args ...any) scanner {
	if b.pgTx != nil {
		return b.pgTx.QueryRow(ctx, query, args...)
	}
	return b.sqlTx.QueryRowContext(ctx, query, args...)
}

// stamp fills the version and times the write path would: version 1 and
// created = updated = now when left zero, in UTC to the microsecond.
func (b *BulkTx) stamp(version *int, created, updated *time.Time) {
	if *version == 0 {
		*version = 1
	}
	if created.IsZero() {
		*created = b.db.now()
	}
	*created = created.UTC().Truncate(time.Microsecond)
	if updated.IsZero() {
		*updated = *created
	}
	*updated = updated.UTC().Truncate(time.Microsecond)
}

// nullTime binds a nil *time.Time as NULL.
func (b *BulkTx) nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return b.db.dialect.timeArg(*t)
}

func requireID(what string, i int, id string) error {
	if id == "" {
		return fmt.Errorf("bulk: %s %d has no id", what, i)
	}
	return nil
}

// Users writes users. Email is stored as given: pass it normalised.
func (b *BulkTx) Users(ctx context.Context, users []*liaison.User) error {
	for i, u := range users {
		if err := requireID("user", i, u.ID); err != nil {
			return err
		}
		b.stamp(&u.Version, &u.CreatedAt, &u.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "users", []string{"id", "email", "name", "role", "language", "active", "password_hash",
		"search_text", "version", "created_at", "updated_at"}, len(users), func(i int, row []any) {
		u := users[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = u.ID, u.Email, u.Name, string(u.Role), string(u.Language), u.Active, u.PasswordHash
		row[7], row[8], row[9], row[10] = userSearchText(u), u.Version, t(u.CreatedAt), t(u.UpdatedAt)
	})
}

// Segments writes segments.
func (b *BulkTx) Segments(ctx context.Context, segments []*liaison.Segment) error {
	for i, s := range segments {
		if err := requireID("segment", i, s.ID); err != nil {
			return err
		}
		b.stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "segments", []string{"id", "name", "description", "version", "created_at", "updated_at"},
		len(segments), func(i int, row []any) {
			s := segments[i]
			row[0], row[1], row[2], row[3], row[4], row[5] = s.ID, s.Name, s.Description, s.Version, t(s.CreatedAt), t(s.UpdatedAt)
		})
}

// Organisations writes units, parents before their children: a parent
// is a unit written earlier in this transaction or already stored. It sets
// each unit's Depth and CustomerKind as the write path does.
func (b *BulkTx) Organisations(ctx context.Context, units []*liaison.Organisation) error {
	paths := make([]string, len(units))
	for i, o := range units {
		if err := requireID("organisation", i, o.ID); err != nil {
			return err
		}
		path := "/" + o.ID + "/"
		if o.ParentID != nil {
			pp, ok := b.paths[*o.ParentID]
			if !ok {
				if err := b.queryRow(ctx, `SELECT path FROM organisations WHERE id = $1`, *o.ParentID).Scan(&pp); errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
					return fmt.Errorf("bulk: organisation %s: parent %s is neither stored nor written before it", o.ID, *o.ParentID)
				} else if err != nil {
					return fmt.Errorf("bulk: organisation %s: parent path: %w", o.ID, err)
				}
			}
			path = pp + o.ID + "/"
		}
		b.paths[o.ID] = path
		paths[i] = path
		o.Depth = depthOf(path)
		o.CustomerKind = customerKind(o, false) // agreements come after the units
		b.stamp(&o.Version, &o.CreatedAt, &o.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "organisations", []string{"id", "name", "parent_id", "path", "depth", "budget_holder",
		"segment_id", "relationship_manager_id", "deputy_id", "description", "external_id", "last_reviewed_on",
		"search_text", "version", "created_at", "updated_at", "deleted_at"}, len(units), func(i int, row []any) {
		o := units[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = o.ID, o.Name, nullPtr(o.ParentID), paths[i], o.Depth, o.BudgetHolder
		row[6], row[7], row[8], row[9] = nullString(o.Segment), nullPtr(o.RelationshipManagerID), nullPtr(o.DeputyID), o.Description
		row[10], row[11], row[12], row[13] = o.ExternalID, nullPtr(o.LastReviewedOn), organisationSearchText(o), o.Version
		row[14], row[15], row[16] = t(o.CreatedAt), t(o.UpdatedAt), b.nullTime(o.DeletedAt)
	})
}

// People writes people. Email is stored as given: pass it normalised.
func (b *BulkTx) People(ctx context.Context, people []*liaison.Person) error {
	for i, p := range people {
		if err := requireID("person", i, p.ID); err != nil {
			return err
		}
		b.stamp(&p.Version, &p.CreatedAt, &p.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "people", []string{"id", "organisation_id", "name", "email", "phone", "title", "language",
		"external_id", "notes", "search_text", "version", "created_at", "updated_at", "deleted_at"}, len(people),
		func(i int, row []any) {
			p := people[i]
			row[0], row[1], row[2], row[3], row[4], row[5], row[6] = p.ID, p.OrganisationID, p.Name, p.Email, p.Phone, p.Title, string(p.Language)
			row[7], row[8], row[9], row[10] = p.ExternalID, p.Notes, personSearchText(p), p.Version
			row[11], row[12], row[13] = t(p.CreatedAt), t(p.UpdatedAt), b.nullTime(p.DeletedAt)
		})
}

// Roles writes contact roles.
func (b *BulkTx) Roles(ctx context.Context, roles []*liaison.ContactRole) error {
	for i, r := range roles {
		if err := requireID("role", i, r.ID); err != nil {
			return err
		}
		b.stamp(&r.Version, &r.CreatedAt, &r.UpdatedAt)
	}
	t := b.db.dialect.timeArg
	return b.insert(ctx, "contact_roles", []string{"id", "person_id", "organisation_id", "role", "label", "active",
		"it_contact_user_id", "version", "created_at", "updated_at"}, len(roles), func(i int, row []any) {
		r := roles[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = r.ID, r.PersonID, r.OrganisationID, string(r.Role), r.Label, r.Active
		row[6], row[7], row[8], row[9] = nullPtr(r.ITContactUserID), r.Version, t(r.CreatedAt), t(r.UpdatedAt)
	})
}

// AuditEntries writes audit entries. Before and After are stored as given
// (nil for none); they must be JSON objects, as the write path's are.
// AccountID too is stored as given: the caller names the account each
// entry happened in, as the write path does (the nearest budget holder at
// or above OrganisationID when it was written).
func (b *BulkTx) AuditEntries(ctx context.Context, entries []*liaison.AuditEntry) error {
	for i, e := range entries {
		if err := requireID("audit entry", i, e.ID); err != nil {
			return err
		}
		if e.At.IsZero() {
			e.At = b.db.now()
		}
		e.At = e.At.UTC().Truncate(time.Microsecond)
	}
	t := b.db.dialect.timeArg
	err := b.insert(ctx, "audit_entries", []string{"id", "at", "actor_id", "actor_name", "action", "subject_type",
		"subject_id", "organisation_id", "summary", "before_json", "after_json", "account_id"}, len(entries), func(i int, row []any) {
		e := entries[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = e.ID, t(e.At), e.ActorID, e.ActorName, e.Action, e.SubjectType
		row[6], row[7], row[8], row[9], row[10] = e.SubjectID, e.OrganisationID, e.Summary, rawJSON(e.Before), rawJSON(e.After)
		row[11] = e.AccountID
	})
	if err != nil {
		return err
	}
	// The entries that happened in an account go on its timeline too, as
	// the write path puts them (see audit.go).
	var onTimeline []*liaison.AuditEntry
	for _, e := range entries {
		if e.AccountID != "" {
			onTimeline = append(onTimeline, e)
		}
	}
	// In the table's key order: a batch's rows for one account then land
	// on the same few pages rather than scattered over every account's.
	slices.SortFunc(onTimeline, func(x, y *liaison.AuditEntry) int {
		return cmp.Or(strings.Compare(x.AccountID, y.AccountID), x.At.Compare(y.At), strings.Compare(x.ID, y.ID))
	})
	return b.insert(ctx, "timeline_entries", []string{"account_id", "at", "id", "actor_id", "actor_name", "action",
		"subject_type", "subject_id", "organisation_id", "summary", "link_id", "category"}, len(onTimeline), func(i int, row []any) {
		e := onTimeline[i]
		row[0], row[1], row[2], row[3], row[4], row[5] = e.AccountID, t(e.At), e.ID, e.ActorID, e.ActorName, e.Action
		row[6], row[7], row[8], row[9] = e.SubjectType, e.SubjectID, e.OrganisationID, e.Summary
		row[10], row[11] = liaison.LinkID(e.SubjectType, e.SubjectID, e.Before, e.After), liaison.TimelineCategory(e.SubjectType)
	})
}

func rawJSON(m []byte) any {
	if m == nil {
		return nil
	}
	return string(m)
}

// sqliteMaxParams is SQLite's bound on a statement's parameters
// (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
const sqliteMaxParams = 32766

// sqliteBatchRows is how many rows one INSERT writes on SQLite. Measured
// on a million audit rows: 64 rows a statement is as fast as 256 and
// faster than 1,000, whose statement journals grow large.
const sqliteBatchRows = 64

// insert writes n rows of cols into table; fill sets row i's values.
func (b *BulkTx) insert(ctx context.Context, table string, cols []string, n int, fill func(i int, row []any)) error {
	if n == 0 {
		return nil
	}
	b.loaded[table] = true
	if b.pgTx != nil {
		row := make([]any, len(cols))
		src := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
			fill(i, row)
			return row, nil
		})
		if _, err := b.pgTx.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
			return fmt.Errorf("bulk: copy into %s: %w", table, err)
		}
		return nil
	}
	per := min(sqliteBatchRows, sqliteMaxParams/len(cols))
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		st, err := b.stmt(ctx, table, cols, k)
		if err != nil {
			return err
		}
		if cap(b.args) < k*len(cols) {
			b.args = make([]any, k*len(cols))
		}
		args := b.args[:k*len(cols)]
		for j := range k {
			fill(start+j, args[j*len(cols):(j+1)*len(cols)])
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("bulk: insert into %s: %w", table, err)
		}
	}
	clear(b.args)
	return nil
}

// stmt returns the prepared INSERT of rows rows into table (SQLite). Its
// placeholders are ?, not the $N of the shared SQL: modernc looks the name
// of every numbered parameter up in a list, which costs time quadratic in
// the parameters of a statement.
func (b *BulkTx) stmt(ctx context.Context, table string, cols []string, rows int) (*sql.Stmt, error) {
	// The columns are part of the key: one table may be written with
	// different column sets (actions: the cycle's tasks and the rest).
	key := table + "(" + strings.Join(cols, ",") + ")/" + strconv.Itoa(rows)
	if st, ok := b.stmts[key]; ok {
		return st, nil
	}
	var q strings.Builder
	q.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for r := range rows {
		if r > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := range cols {
			if c > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('?')
		}
		q.WriteByte(')')
	}
	st, err := b.sqlTx.PrepareContext(ctx, q.String())
	if err != nil {
		return nil, fmt.Errorf("bulk: prepare insert into %s: %w", table, err)
	}
	b.stmts[key] = st
	return st, nil
}

// IDAt returns an id in the store's format (see newID) made of the time
// t, to the millisecond, and 32 bits the caller chooses: a loader that
// draws them from a seeded generator writes the same ids on every run, and
// its ids sort in time order like the write path's. Keeping them unique
// is the caller's task.
func IDAt(t time.Time, random uint32) string {
	ms := uint64(t.UnixMilli()) & (1<<48 - 1)
	hi := ms >> 8                        // the first 40 bits: 40 of the 48 time bits
	lo := (ms&0xff)<<32 | uint64(random) // the last 8 time bits and the 32 random ones
	var out [16]byte
	for i := 7; i >= 0; i-- {
		out[i] = idAlphabet[hi&31]
		out[i+8] = idAlphabet[lo&31]
		hi >>= 5
		lo >>= 5
	}
	return string(out[:])
}
