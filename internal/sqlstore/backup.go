package sqlstore

// Backup and restore in one portable format for both engines, so that a
// backup of a SQLite database restores into PostgreSQL and back.
//
// The file is a gzip stream of JSON lines (format version 1):
//
//	{"format":"liaison-backup","format_version":1,"schema_version":1,"engine":"sqlite",
//	 "created_at":"…Z","tables":[{"name":"audit_entries","columns":["id",…],"types":["text",…],"rows":365},…]}
//	{"table":"audit_entries"}
//	…
//	{"table":"segments"}
//	["06h0kw26b8v3k2qz","Public sector","",1,"2026-03-14T08:26:53.590793Z","2026-03-14T08:26:53.590793Z"]
//	…
//	{"end":{"rows":1234,"sha256":"9f86d0…"}}
//
// The header lists every table of the schema (schema_migrations aside: the
// restore re-creates it by migrating to schema_version; and the search
// index, which the restore builds from the records) with its columns, in
// the table's column order, and its row count. Tables come in foreign-key
// order (a table after those it references) and their rows in primary-key
// order. A row is a compact JSON array in the header's column order;
// values are null, strings, numbers, booleans; times are RFC 3339 UTC text with six
// fractional digits (what SQLite stores; PostgreSQL timestamptz values are
// formatted so); bytes (BLOB, bytea) are base64 (standard, padded); JSON
// columns (jsonb) are strings holding the JSON text. The types in the header
// say how the source engine declares each column ("text", "integer",
// "boolean", "real", "bytes", "timestamp", "date", "json"); SQLite declares
// times and JSON as text. The trailer holds the total row count and the hex
// SHA-256 of every uncompressed byte before it; gzip adds its own CRC-32.
//
// Backup reads everything in one read-only transaction, which sees one
// snapshot (SQLite: a WAL read transaction on one connection; PostgreSQL:
// REPEATABLE READ), while writers carry on. Restore loads a file into an
// empty database in one transaction, migrations to the backup's schema
// version included, and commits only once every row is in and the counts
// and checksum match. docs/backup.md has the guarantees and the figures.

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BackupFormat and BackupFormatVersion identify the portable backup format.
const (
	BackupFormat        = "liaison-backup"
	BackupFormatVersion = 1
)

// Errors a restore reports; they wrap details, so test them with errors.Is.
var (
	// ErrBackupDamaged: the file is not a complete, intact Liaison backup
	// (not gzip, truncated, a flipped byte, a checksum or count mismatch).
	ErrBackupDamaged = errors.New("the backup file is damaged or not a Liaison backup")
	// ErrBackupNewer: the backup's schema is newer than this program knows.
	ErrBackupNewer = errors.New("the backup is of a newer schema than this program knows")
	// ErrTargetNewer: the target database's schema is newer than the backup's.
	ErrTargetNewer = errors.New("the database's schema is newer than the backup's")
	// ErrNotEmpty: the target database holds rows and no Force was given.
	ErrNotEmpty = errors.New("the database is not empty")
)

// BackupInfo is what a backup's header and trailer say.
type BackupInfo struct {
	Format        string        `json:"format"`
	FormatVersion int           `json:"format_version"`
	SchemaVersion int           `json:"schema_version"`
	Engine        string        `json:"engine"`
	CreatedAt     time.Time     `json:"created_at"`
	Tables        []BackupTable `json:"tables"`
	// SHA256 is the hex SHA-256 of the uncompressed stream before the
	// trailer, from the trailer.
	SHA256 string `json:"-"`
}

// BackupTable is one table of a backup.
type BackupTable struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Types   []string `json:"types"`
	Rows    int64    `json:"rows"`
}

// Rows is the number of rows in the backup.
func (b *BackupInfo) Rows() int64 {
	var n int64
	for _, t := range b.Tables {
		n += t.Rows
	}
	return n
}

// Column kinds, as the header's types name them.
const (
	kindText      = "text"
	kindInteger   = "integer"
	kindBoolean   = "boolean"
	kindReal      = "real"
	kindBytes     = "bytes"
	kindTimestamp = "timestamp"
	kindDate      = "date"
	kindJSON      = "json"
)

// schemaTable is a table as the database's catalogue describes it.
type schemaTable struct {
	name  string
	cols  []string
	kinds []string
	pk    []string
	fks   []foreignKey
}

type foreignKey struct {
	cols     []string
	refTable string
	refCols  []string
}

// quoteIdent quotes a table or column name for either engine.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// --- reading the schema ---

// schemaTables lists the tables of the database (schema_migrations and
// SQLite's own aside) from its catalogue, each after the tables it
// references. q is the transaction the backup or restore runs in.
func (db *DB) schemaTables(ctx context.Context, q queryer) ([]*schemaTable, error) {
	var tables map[string]*schemaTable
	var err error
	switch db.dialect.name {
	case "sqlite":
		tables, err = sqliteTables(ctx, q)
	default:
		tables, err = postgresTables(ctx, q)
	}
	if err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	delete(tables, "schema_migrations")
	// The dashboard's cache and its change count are derived state
	// (migration 0024): a restore's inserts bump the count, which makes
	// the facts be computed afresh from the restored records.
	delete(tables, "dashboard_generation")
	delete(tables, "dashboard_cache")
	for name := range tables {
		if searchIndexTable(name) { // derived from the records: a restore builds it again
			delete(tables, name)
		}
	}
	for _, t := range tables {
		if len(t.cols) == 0 {
			return nil, fmt.Errorf("read schema: table %s has no columns", t.name)
		}
		for i, fk := range t.fks {
			ref, ok := tables[fk.refTable]
			if !ok {
				return nil, fmt.Errorf("read schema: %s references unknown table %s", t.name, fk.refTable)
			}
			if len(fk.refCols) == 0 { // SQLite: REFERENCES t without columns means its primary key
				t.fks[i].refCols = ref.pk
			}
		}
	}
	return fkOrder(tables)
}

// fkOrder sorts tables so that each comes after the tables it references
// (references to itself aside), by name among those that are free to go.
func fkOrder(tables map[string]*schemaTable) ([]*schemaTable, error) {
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	slices.Sort(names)
	done := map[string]bool{}
	var out []*schemaTable
	for len(out) < len(names) {
		progress := false
		for _, name := range names {
			if done[name] {
				continue
			}
			t := tables[name]
			ready := true
			for _, fk := range t.fks {
				if fk.refTable != name && !done[fk.refTable] {
					ready = false
					break
				}
			}
			if ready {
				done[name] = true
				out = append(out, t)
				progress = true
				break // restart so that ties go by name
			}
		}
		if !progress {
			var left []string
			for _, name := range names {
				if !done[name] {
					left = append(left, name)
				}
			}
			return nil, fmt.Errorf("read schema: foreign keys form a cycle among %s", strings.Join(left, ", "))
		}
	}
	return out, nil
}

func sqliteTables(ctx context.Context, q queryer) (map[string]*schemaTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return nil, err
	}
	tables := map[string]*schemaTable{}
	ddl := map[string]string{}
	for rows.Next() {
		var name string
		var s sql.NullString
		if err := rows.Scan(&name, &s); err != nil {
			rows.Close()
			return nil, err
		}
		if searchIndexTable(name) { // derived: rebuilt on restore
			continue
		}
		tables[name] = &schemaTable{name: name}
		ddl[name] = s.String
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for name, t := range tables {
		// pragma_table_info leaves out generated columns, which take no values.
		rows, err := q.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid`, name)
		if err != nil {
			return nil, err
		}
		pk := map[int]string{} // position in the primary key → column
		for rows.Next() {
			var col, typ string
			var pos int
			if err := rows.Scan(&col, &typ, &pos); err != nil {
				rows.Close()
				return nil, err
			}
			kind, err := sqliteKind(typ, col, ddl[name])
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("table %s: %w", name, err)
			}
			t.cols = append(t.cols, col)
			t.kinds = append(t.kinds, kind)
			if pos > 0 {
				pk[pos] = col
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
		for pos := 1; pos <= len(pk); pos++ {
			t.pk = append(t.pk, pk[pos])
		}

		rows, err = q.QueryContext(ctx, `SELECT id, "table", "from", "to" FROM pragma_foreign_key_list($1) ORDER BY id, seq`, name)
		if err != nil {
			return nil, err
		}
		last := -1
		for rows.Next() {
			var id int
			var ref, from string
			var to sql.NullString
			if err := rows.Scan(&id, &ref, &from, &to); err != nil {
				rows.Close()
				return nil, err
			}
			if id != last {
				t.fks = append(t.fks, foreignKey{refTable: ref})
				last = id
			}
			fk := &t.fks[len(t.fks)-1]
			fk.cols = append(fk.cols, from)
			if to.Valid {
				fk.refCols = append(fk.refCols, to.String)
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	return tables, nil
}

// sqliteKind maps a SQLite declared type to a column kind. SQLite has no
// boolean: a 0/1 integer is one when its table declares
// CHECK (col IN (0, 1)), as our migrations do.
func sqliteKind(typ, col, ddl string) (string, error) {
	switch strings.ToUpper(typ) {
	case "TEXT":
		return kindText, nil
	case "INTEGER", "INT", "BIGINT":
		check := `(?is)CHECK\s*\(\s*"?` + regexp.QuoteMeta(col) + `"?\s+IN\s*\(\s*0\s*,\s*1\s*\)\s*\)`
		if regexp.MustCompile(check).MatchString(ddl) {
			return kindBoolean, nil
		}
		return kindInteger, nil
	case "BLOB":
		return kindBytes, nil
	case "REAL", "DOUBLE", "FLOAT":
		return kindReal, nil
	}
	return "", fmt.Errorf("column %s has type %q, which backup does not know", col, typ)
}

func postgresTables(ctx context.Context, q queryer) (map[string]*schemaTable, error) {
	tables := map[string]*schemaTable{}
	rows, err := q.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		tables[name] = &schemaTable{name: name}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_generated = 'NEVER'
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, col, typ string
		if err := rows.Scan(&table, &col, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		t, ok := tables[table]
		if !ok {
			continue // a view's columns
		}
		kind, err := postgresKind(typ)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("table %s: column %s: %w", table, col, err)
		}
		t.cols = append(t.cols, col)
		t.kinds = append(t.kinds, kind)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `SELECT c.relname, a.attname
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
		WHERE i.indisprimary AND n.nspname = current_schema()
		ORDER BY c.relname, k.ord`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			rows.Close()
			return nil, err
		}
		if t, ok := tables[table]; ok {
			t.pk = append(t.pk, col)
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `SELECT c.conname, cl.relname, fcl.relname, a.attname, fa.attname
		FROM pg_constraint c
		JOIN pg_class cl ON cl.oid = c.conrelid
		JOIN pg_namespace n ON n.oid = cl.relnamespace
		JOIN pg_class fcl ON fcl.oid = c.confrelid
		CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, fcol, ord)
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
		JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fcol
		WHERE c.contype = 'f' AND n.nspname = current_schema()
		ORDER BY cl.relname, c.conname, k.ord`)
	if err != nil {
		return nil, err
	}
	lastTable, lastName := "", ""
	for rows.Next() {
		var name, table, ref, col, refCol string
		if err := rows.Scan(&name, &table, &ref, &col, &refCol); err != nil {
			rows.Close()
			return nil, err
		}
		t, ok := tables[table]
		if !ok {
			continue
		}
		if table != lastTable || name != lastName {
			t.fks = append(t.fks, foreignKey{refTable: ref})
			lastTable, lastName = table, name
		}
		fk := &t.fks[len(t.fks)-1]
		fk.cols = append(fk.cols, col)
		fk.refCols = append(fk.refCols, refCol)
	}
	return tables, closeRows(rows)
}

// postgresKind maps an information_schema data_type to a column kind.
func postgresKind(typ string) (string, error) {
	switch typ {
	case "text", "character varying", "character":
		return kindText, nil
	case "integer", "bigint", "smallint":
		return kindInteger, nil
	case "boolean":
		return kindBoolean, nil
	case "real", "double precision":
		return kindReal, nil
	case "bytea":
		return kindBytes, nil
	case "timestamp with time zone", "timestamp without time zone":
		return kindTimestamp, nil
	case "date":
		return kindDate, nil
	case "json", "jsonb":
		return kindJSON, nil
	}
	return "", fmt.Errorf("type %q, which backup does not know", typ)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	return errors.Join(err, rows.Close())
}

// schemaVersion is the highest migration applied; ok is false when the
// database has no schema_migrations table.
func (db *DB) schemaVersion(ctx context.Context, q queryer) (version int, ok bool, err error) {
	var exists bool
	switch db.dialect.name {
	case "sqlite":
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists)
	default:
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`).Scan(&exists)
	}
	if err != nil || !exists {
		return 0, false, err
	}
	err = q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version)
	return version, true, err
}

// --- backup ---

// Backup writes a consistent copy of the whole database to w in the
// portable format, while other connections keep reading and writing: one
// read-only transaction sees a single snapshot. It does not close w.
func (db *DB) Backup(ctx context.Context, w io.Writer) (*BackupInfo, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	// On SQLite the read pool's connections are query_only and BEGIN
	// DEFERRED: the snapshot starts at the first SELECT below.
	tx, err := db.rdb.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("backup: begin: %w", err)
	}
	defer tx.Rollback()

	version, migrated, err := db.schemaVersion(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if !migrated || version == 0 {
		return nil, errors.New("backup: the database is not a migrated Liaison database (no schema_migrations)")
	}
	tables, err := db.schemaTables(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	info := &BackupInfo{
		Format:        BackupFormat,
		FormatVersion: BackupFormatVersion,
		SchemaVersion: version,
		Engine:        db.dialect.name,
		CreatedAt:     db.now(),
	}
	for _, t := range tables {
		bt := BackupTable{Name: t.name, Columns: t.cols, Types: t.kinds}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.name)).Scan(&bt.Rows); err != nil {
			return nil, fmt.Errorf("backup: count %s: %w", t.name, err)
		}
		info.Tables = append(info.Tables, bt)
	}

	gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	out := bufio.NewWriterSize(io.MultiWriter(gz, sum), backupBuffer)
	line, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	out.Write(append(line, '\n'))

	var total int64
	for i, t := range tables {
		n, err := db.backupTable(ctx, tx, t, out)
		if err != nil {
			return nil, fmt.Errorf("backup: table %s: %w", t.name, err)
		}
		if n != info.Tables[i].Rows {
			return nil, fmt.Errorf("backup: table %s: read %d rows, counted %d", t.name, n, info.Tables[i].Rows)
		}
		total += n
	}
	if err := out.Flush(); err != nil {
		return nil, fmt.Errorf("backup: write: %w", err)
	}
	info.SHA256 = hex.EncodeToString(sum.Sum(nil))
	trailer, err := json.Marshal(backupControl{End: &backupEnd{Rows: total, SHA256: info.SHA256}})
	if err != nil {
		return nil, err
	}
	if _, err := gz.Write(append(trailer, '\n')); err != nil {
		return nil, fmt.Errorf("backup: write: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("backup: write: %w", err)
	}
	if err := tx.Commit(); err != nil { // ends the read snapshot; nothing to commit
		return nil, fmt.Errorf("backup: end read transaction: %w", err)
	}
	return info, nil
}

// backupBuffer is how much uncompressed output Backup gathers before it
// compresses and writes it.
const backupBuffer = 64 << 10

// backupControl is a line of the stream that is not a row: a table's
// section start or the trailer.
type backupControl struct {
	Table *string    `json:"table,omitempty"`
	End   *backupEnd `json:"end,omitempty"`
}

type backupEnd struct {
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

func (db *DB) backupTable(ctx context.Context, tx *sql.Tx, t *schemaTable, out *bufio.Writer) (int64, error) {
	name := t.name
	section, err := json.Marshal(backupControl{Table: &name})
	if err != nil {
		return 0, err
	}
	if _, err := out.Write(append(section, '\n')); err != nil {
		return 0, err
	}
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = quoteIdent(c)
	}
	order := t.pk
	if len(order) == 0 {
		order = t.cols
	}
	keys := make([]string, len(order))
	for i, c := range order {
		keys[i] = quoteIdent(c)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+quoteIdent(t.name)+` ORDER BY `+strings.Join(keys, ", "))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		buf = append(buf[:0], '[')
		for i, v := range vals {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendValue(buf, t.kinds[i], v); err != nil {
				return n, fmt.Errorf("row %d, column %s: %w", n+1, t.cols[i], err)
			}
		}
		buf = append(buf, ']', '\n')
		if _, err := out.Write(buf); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// appendValue appends v, a value of a column of kind as the driver gave
// it, in the file's representation.
func appendValue(b []byte, kind string, v any) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	switch kind {
	case kindText, kindJSON:
		switch x := v.(type) {
		case string:
			return appendString(b, x)
		case []byte: // a SQLite BLOB in a text column; pgx gives json as bytes
			return appendString(b, string(x))
		case time.Time:
			return appendString(b, sqliteTime(x))
		}
	case kindTimestamp:
		switch x := v.(type) {
		case time.Time:
			return appendString(b, sqliteTime(x))
		case string:
			return appendString(b, x)
		}
	case kindDate:
		switch x := v.(type) {
		case time.Time:
			return appendString(b, x.Format(time.DateOnly))
		case string:
			return appendString(b, x)
		}
	case kindInteger:
		if x, ok := v.(int64); ok {
			return strconv.AppendInt(b, x, 10), nil
		}
	case kindBoolean:
		switch x := v.(type) {
		case bool:
			return strconv.AppendBool(b, x), nil
		case int64:
			if x == 0 || x == 1 {
				return strconv.AppendBool(b, x == 1), nil
			}
		}
	case kindReal:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return b, fmt.Errorf("%v has no JSON form", x)
			}
			return strconv.AppendFloat(b, x, 'g', -1, 64), nil
		case int64:
			return strconv.AppendInt(b, x, 10), nil
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			b = append(b, '"')
			return append(base64.StdEncoding.AppendEncode(b, x), '"'), nil
		case string:
			b = append(b, '"')
			return append(base64.StdEncoding.AppendEncode(b, []byte(x)), '"'), nil
		}
	}
	return b, fmt.Errorf("unexpected %T value %v in a %s column", v, v, kind)
}

// appendString appends s as a JSON string. Invalid UTF-8 is refused rather
// than replaced, so that a restore gives back what was stored.
func appendString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, errors.New("text is not valid UTF-8")
	}
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"'), nil
}

// BackupSQLiteFile writes a consistent copy of a SQLite database to path
// as a SQLite database file (VACUUM INTO, which reads one snapshot), while
// writers carry on. It refuses to overwrite a file, and PostgreSQL.
func (db *DB) BackupSQLiteFile(ctx context.Context, path string) error {
	if db.dialect.name != "sqlite" {
		return errors.New("backup: a SQLite file copy needs a SQLite database; use the portable format")
	}
	// A read connection, so that writers do not wait; VACUUM INTO writes
	// only the new file, but query_only refuses it, so lift that for the
	// statement and drop the connection should restoring it fail.
	conn, err := db.rdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = conn.ExecContext(ctx, `VACUUM INTO $1`, path)
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`); rerr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // never back to the pool writable
	}
	if err != nil {
		return fmt.Errorf("backup: vacuum into %s: %w", path, err)
	}
	return nil
}

// --- reading a backup ---

// backupReader reads a backup stream: the header on open, then rows.
type backupReader struct {
	gz   *gzip.Reader
	in   *bufio.Reader
	sum  hash.Hash
	info BackupInfo
	line []byte
	n    int // line number, for messages
}

const maxBackupLine = 256 << 20

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBackupDamaged, fmt.Sprintf(format, args...))
}

func openBackup(r io.Reader) (*backupReader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, damaged("not a gzip stream: %v", err)
	}
	gz.Multistream(false)
	br := &backupReader{gz: gz, in: bufio.NewReaderSize(gz, 256<<10), sum: sha256.New()}
	line, err := br.next()
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(line, &br.info); err != nil || br.info.Format != BackupFormat {
		return nil, damaged("line 1 is not a Liaison backup header")
	}
	info := &br.info
	if info.FormatVersion != BackupFormatVersion {
		return nil, fmt.Errorf("the backup is in format version %d; this program reads version %d", info.FormatVersion, BackupFormatVersion)
	}
	if info.SchemaVersion <= 0 {
		return nil, damaged("header: schema version %d", info.SchemaVersion)
	}
	seen := map[string]bool{}
	for _, t := range info.Tables {
		if t.Name == "" || seen[t.Name] || len(t.Columns) == 0 || len(t.Types) != len(t.Columns) || t.Rows < 0 {
			return nil, damaged("header: table %q is malformed", t.Name)
		}
		seen[t.Name] = true
	}
	br.sum.Write(line)
	return br, nil
}

// next reads the next line, its newline included.
// corrupt reads the rest of the compressed stream and reports whether it
// fails its own checks (deflate's structure, gzip's CRC and length).
func (br *backupReader) corrupt() bool {
	_, err := io.Copy(io.Discard, br.in)
	return err != nil
}

func (br *backupReader) next() ([]byte, error) {
	br.line = br.line[:0]
	for {
		chunk, err := br.in.ReadSlice('\n')
		br.line = append(br.line, chunk...)
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(br.line) > maxBackupLine {
				return nil, damaged("line %d is longer than %d bytes", br.n+1, maxBackupLine)
			}
			continue
		}
		if errors.Is(err, io.EOF) {
			return nil, damaged("the file ends early, after line %d", br.n)
		}
		return nil, damaged("line %d: %v", br.n+1, err)
	}
	br.n++
	// A backup is JSON, always valid UTF-8; anything else is damage (a
	// flipped byte can inflate to garbage well before gzip's checksum at
	// the end), and must not reach the database as text.
	if !utf8.Valid(br.line) {
		return nil, damaged("line %d is not valid UTF-8", br.n)
	}
	return br.line, nil
}

// rows reads the sections and the trailer, calling section at the start of
// each table (i indexes info.Tables) and row for each row, and checks the
// counts, the checksum and that the stream ends there.
func (br *backupReader) rows(section func(i int) error, row func(i int, vals [][]byte) error) error {
	tables := br.info.Tables
	cur := -1
	var got int64
	var total int64
	endSection := func() error {
		if cur >= 0 && got != tables[cur].Rows {
			return damaged("table %s holds %d rows; the header says %d", tables[cur].Name, got, tables[cur].Rows)
		}
		total += got
		got = 0
		return nil
	}
	var vals [][]byte
	for {
		line, err := br.next()
		if err != nil {
			return err
		}
		switch {
		case len(line) > 1 && line[0] == '[':
			if cur < 0 {
				return damaged("line %d: a row before any table", br.n)
			}
			if vals, err = splitRow(line, vals); err != nil {
				return damaged("line %d: %v", br.n, err)
			}
			if len(vals) != len(tables[cur].Columns) {
				return damaged("line %d: %d values for the %d columns of %s", br.n, len(vals), len(tables[cur].Columns), tables[cur].Name)
			}
			br.sum.Write(line)
			got++
			if err := row(cur, vals); err != nil {
				return err
			}
		case len(line) > 1 && line[0] == '{':
			var c backupControl
			if err := json.Unmarshal(line, &c); err != nil {
				return damaged("line %d: %v", br.n, err)
			}
			switch {
			case c.Table != nil:
				if err := endSection(); err != nil {
					return err
				}
				cur++
				if cur >= len(tables) || tables[cur].Name != *c.Table {
					return damaged("line %d: table %q out of the header's order", br.n, *c.Table)
				}
				br.sum.Write(line)
				if err := section(cur); err != nil {
					return err
				}
			case c.End != nil:
				if err := endSection(); err != nil {
					return err
				}
				if cur != len(tables)-1 {
					return damaged("the trailer comes after %d of %d tables", cur+1, len(tables))
				}
				if c.End.Rows != total {
					return damaged("the trailer counts %d rows; the file holds %d", c.End.Rows, total)
				}
				sum := hex.EncodeToString(br.sum.Sum(nil))
				if c.End.SHA256 != sum {
					return damaged("checksum mismatch: the trailer says %s, the content hashes to %s", c.End.SHA256, sum)
				}
				br.info.SHA256 = sum
				// Read to the end, so that gzip checks its CRC and length.
				if n, err := io.Copy(io.Discard, br.in); err != nil || n > 0 {
					if err == nil {
						return damaged("%d bytes after the trailer", n)
					}
					return damaged("after the trailer: %v", err)
				}
				return nil
			default:
				return damaged("line %d: unknown line", br.n)
			}
		default:
			return damaged("line %d: not a row, table or trailer", br.n)
		}
	}
}

// splitRow splits a row line, a compact JSON array of strings, numbers,
// booleans and nulls as Backup writes it, into its values: slices of line,
// valid until the next line is read. It is stricter than JSON (no spaces)
// and several times faster than encoding/json; what it lets through,
// decodeValue checks, and the checksum covers every byte.
func splitRow(line []byte, vals [][]byte) ([][]byte, error) {
	vals = vals[:0]
	end := len(line)
	if end > 0 && line[end-1] == '\n' {
		end--
	}
	if end < 2 || line[0] != '[' || line[end-1] != ']' {
		return nil, errors.New("a row is not a JSON array")
	}
	end-- // the closing bracket
	i := 1
	if i == end {
		return vals, nil
	}
	for {
		start := i
		if i < end && line[i] == '"' {
			for i++; i < end && line[i] != '"'; i++ {
				switch {
				case line[i] == '\\':
					i++ // the escaped byte; \uXXXX continues with hex digits
				case line[i] < 0x20:
					return nil, errors.New("a control character in a string")
				}
			}
			if i >= end {
				return nil, errors.New("an unterminated string")
			}
			i++
		} else {
			for i < end && line[i] != ',' {
				c := line[i]
				if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E') {
					return nil, fmt.Errorf("unexpected %q in a row", c)
				}
				i++
			}
			if i == start {
				return nil, errors.New("an empty value in a row")
			}
		}
		vals = append(vals, line[start:i])
		if i == end {
			return vals, nil
		}
		if line[i] != ',' {
			return nil, fmt.Errorf("unexpected %q after a value", line[i])
		}
		i++
	}
}

// VerifyBackup reads a whole backup and checks it as a restore would
// (structure, every value against its column's type, row counts,
// checksum) without touching any database.
func VerifyBackup(r io.Reader) (*BackupInfo, error) {
	br, err := openBackup(r)
	if err != nil {
		return nil, err
	}
	tables := br.info.Tables
	var line int64
	err = br.rows(
		func(int) error { line = 0; return nil },
		func(i int, vals [][]byte) error {
			line++
			for j, v := range vals {
				if _, err := decodeValue(v, tables[i].Types[j]); err != nil {
					return damaged("table %s, row %d, column %s: %v", tables[i].Name, line, tables[i].Columns[j], err)
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return &br.info, nil
}

// --- restore ---

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Force replaces the contents of a database that is not empty. The
	// wipe is part of the restore's one transaction: should the restore
	// fail, the old contents stay.
	Force bool
}

// Restore loads a backup written by Backup (on either engine) into db. The
// database must be empty (or Force given) and its schema no newer than the
// backup's. In one transaction it migrates the database to the backup's
// schema version, inserts every row in foreign-key order, checks the row
// counts and the checksum, and commits; on any error nothing is written.
// Then it applies the migrations that are newer than the backup, as
// Migrate does.
func (db *DB) Restore(ctx context.Context, r io.Reader, opts RestoreOptions) (*BackupInfo, error) {
	br, err := openBackup(r)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	info := &br.info
	ms, err := migrations(db.dialect.name)
	if err != nil {
		return nil, err
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
	if info.SchemaVersion > known {
		return nil, fmt.Errorf("restore: %w: the backup is at schema version %d, this program knows up to %d; restore with a newer liaison",
			ErrBackupNewer, info.SchemaVersion, known)
	}

	if err := db.restoreOnConn(ctx, br, ms, opts); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	// With the restore's connection back in the pool (SQLite's writer has
	// only one), bring a backup of an older schema up to date.
	if info.SchemaVersion < known {
		if err := db.Migrate(ctx); err != nil {
			return info, fmt.Errorf("restore: the backup is restored at schema version %d, but migrating it further failed (run liaison migrate): %w",
				info.SchemaVersion, err)
		}
	}
	return info, nil
}

// restoreOnConn runs the restore's transaction on one connection, so that
// PostgreSQL rows can go in by COPY on the transaction's own connection.
func (db *DB) restoreOnConn(ctx context.Context, br *backupReader, ms []migration, opts RestoreOptions) error {
	info := &br.info
	conn, err := db.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.dialect.name == "sqlite" {
		// A page cache for the growing tables (64 MiB loads as fast as
		// 256 MiB); the writer connection is pooled, so it gets its own
		// back.
		var cache int
		if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -65536`); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = `+strconv.Itoa(cache))
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if db.dialect.name == "postgres" {
		// The lock Migrate takes, so that an instance starting meanwhile waits.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('liaison.migrate.' || current_schema()))`); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if err := db.migrateInTx(ctx, tx, ms, info.SchemaVersion); err != nil {
		return err
	}
	tables, err := db.schemaTables(ctx, tx)
	if err != nil {
		return err
	}
	plan, err := planRestore(info, tables)
	if err != nil {
		// A damaged header can read as another schema: report the damage,
		// which reading the rest of the file reveals, before the mismatch.
		if derr := br.rows(func(int) error { return nil }, func(int, [][]byte) error { return nil }); errors.Is(derr, ErrBackupDamaged) {
			return derr
		}
		return err
	}
	if err := db.emptyTarget(ctx, tx, tables, opts.Force); err != nil {
		return err
	}

	var ins *inserter
	err = br.rows(
		func(i int) error {
			if ins != nil {
				if err := ins.finish(ctx); err != nil {
					return err
				}
			}
			ins = db.newInserter(conn, tx, plan[i])
			return ins.deferIndexes(ctx)
		},
		func(i int, raw [][]byte) error { return ins.add(ctx, raw) },
	)
	if err == nil && ins != nil {
		err = ins.finish(ctx)
	}
	if err != nil {
		// A flipped byte can inflate to rows the database refuses (bad
		// JSON, say) before gzip's checksum at the end sees the damage:
		// report the damage, which the rest of the stream reveals.
		if !errors.Is(err, ErrBackupDamaged) && br.corrupt() {
			return damaged("the stream is corrupt (the load failed first: %v)", err)
		}
		return err
	}
	for _, t := range info.Tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t.Name)).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t.Name, err)
		}
		if n != t.Rows {
			return fmt.Errorf("table %s holds %d rows after the load; the backup has %d", t.Name, n, t.Rows)
		}
	}
	if err := db.resetSequences(ctx, tx); err != nil {
		return err
	}
	if info.SchemaVersion >= searchMigration { // else Migrate builds it on the way up
		wt := &writeTx{Tx: tx, db: db, now: db.now()}
		if err := wt.rebuildSearch(ctx); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if db.dialect.name == "sqlite" {
		// The load went through the WAL: copy it into the database file
		// now rather than leave a WAL as large as the data.
		if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	return nil
}

// migrateInTx brings the schema to version inside tx: both engines run DDL
// in transactions, so a failed restore leaves no tables behind either.
func (db *DB) migrateInTx(ctx context.Context, tx *sql.Tx, ms []migration, version int) error {
	if _, err := tx.ExecContext(ctx, db.schemaMigrationsDDL()); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	current := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
		current = max(current, v)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	if current > version {
		return fmt.Errorf("%w: the database is at schema version %d, the backup at %d; restore into a new, empty database",
			ErrTargetNewer, current, version)
	}
	found := false
	for _, m := range ms {
		if m.version > version {
			break
		}
		found = found || m.version == version
		if applied[m.version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate %d_%s: %w", m.version, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, db.dialect.timeArg(db.now())); err != nil {
			return fmt.Errorf("migrate %d_%s: record: %w", m.version, m.name, err)
		}
	}
	if !found {
		return fmt.Errorf("this program has no migration %d for %s", version, db.dialect.name)
	}
	return nil
}

// tablePlan is how one table of the file goes into the target.
type tablePlan struct {
	name   string
	cols   []string // in the file's order
	kinds  []string // the target's kinds, in the file's order
	selfFK [][2][]int
}

// planRestore matches the backup's tables and columns with the target's,
// which must be the same sets, and checks that the file's table order
// loads each table after those it references.
func planRestore(info *BackupInfo, tables []*schemaTable) ([]*tablePlan, error) {
	byName := map[string]*schemaTable{}
	for _, t := range tables {
		byName[t.name] = t
	}
	inFile := map[string]int{}
	for i, bt := range info.Tables {
		inFile[bt.Name] = i
	}
	for _, t := range tables {
		if _, ok := inFile[t.name]; !ok {
			return nil, fmt.Errorf("the backup lacks table %s of schema version %d", t.name, info.SchemaVersion)
		}
	}
	plan := make([]*tablePlan, len(info.Tables))
	for i, bt := range info.Tables {
		t, ok := byName[bt.Name]
		if !ok {
			return nil, fmt.Errorf("the backup has table %s, which schema version %d lacks", bt.Name, info.SchemaVersion)
		}
		p := &tablePlan{name: t.name, cols: bt.Columns}
		pos := map[string]int{}
		for j, c := range bt.Columns {
			k := slices.Index(t.cols, c)
			if k < 0 {
				return nil, fmt.Errorf("the backup has column %s.%s, which this database lacks", t.name, c)
			}
			if _, dup := pos[c]; dup {
				return nil, fmt.Errorf("the backup lists column %s.%s twice", t.name, c)
			}
			pos[c] = j
			p.kinds = append(p.kinds, t.kinds[k])
		}
		for _, c := range t.cols {
			if _, ok := pos[c]; !ok {
				return nil, fmt.Errorf("the backup lacks column %s.%s", t.name, c)
			}
		}
		for _, fk := range t.fks {
			if fk.refTable == t.name {
				var from, to []int
				for k := range fk.cols {
					from, to = append(from, pos[fk.cols[k]]), append(to, pos[fk.refCols[k]])
				}
				p.selfFK = append(p.selfFK, [2][]int{from, to})
				continue
			}
			if inFile[fk.refTable] > i {
				return nil, fmt.Errorf("the backup lists table %s before %s, which it references", t.name, fk.refTable)
			}
		}
		plan[i] = p
	}
	return plan, nil
}

// emptyTarget refuses a database with rows, or with force deletes them.
func (db *DB) emptyTarget(ctx context.Context, tx *sql.Tx, tables []*schemaTable, force bool) error {
	var full []string
	for _, t := range tables {
		var rows bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+quoteIdent(t.name)+`)`).Scan(&rows); err != nil {
			return fmt.Errorf("check %s is empty: %w", t.name, err)
		}
		if rows {
			full = append(full, t.name)
		}
	}
	if len(full) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("%w: table %s holds rows; restore into an empty database, or give --force to replace its contents",
			ErrNotEmpty, strings.Join(full, ", "))
	}
	if db.dialect.name == "postgres" {
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = quoteIdent(t.name)
		}
		if _, err := tx.ExecContext(ctx, `TRUNCATE `+strings.Join(names, ", ")); err != nil {
			return fmt.Errorf("empty the database: %w", err)
		}
		return nil
	}
	for i := len(tables) - 1; i >= 0; i-- { // referencing tables first
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(tables[i].name)); err != nil {
			return fmt.Errorf("empty table %s: %w", tables[i].name, err)
		}
	}
	return nil
}

// resetSequences moves every PostgreSQL sequence owned by a column (serial
// or identity) past the column's largest value. Liaison's ids are text made
// from the clock, so today there are none; SQLite needs nothing.
func (db *DB) resetSequences(ctx context.Context, tx *sql.Tx) error {
	if db.dialect.name != "postgres" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name, seq FROM (
		SELECT table_name, column_name,
			pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name) AS seq
		FROM information_schema.columns WHERE table_schema = current_schema()) c
		WHERE seq IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("list sequences: %w", err)
	}
	type seq struct{ table, col, name string }
	var seqs []seq
	for rows.Next() {
		var s seq
		if err := rows.Scan(&s.table, &s.col, &s.name); err != nil {
			rows.Close()
			return err
		}
		seqs = append(seqs, s)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, s := range seqs {
		if _, err := tx.ExecContext(ctx, `SELECT setval($1, COALESCE((SELECT MAX(`+quoteIdent(s.col)+`) FROM `+quoteIdent(s.table)+`), 0) + 1, false)`, s.name); err != nil {
			return fmt.Errorf("reset sequence %s: %w", s.name, err)
		}
	}
	return nil
}

// inserter loads one table's rows: on SQLite in multi-row INSERTs, on
// PostgreSQL by COPY. Rows that reference a row of the same table not yet
// loaded (a unit whose parent was created after it and then became its
// parent) wait for it.
type inserter struct {
	db    *DB
	conn  *sql.Conn
	tx    *sql.Tx
	plan  *tablePlan
	batch int // rows per statement
	args  []any
	rows  [][]any // PostgreSQL: rows for COPY
	n     int     // rows in args or rows
	full  *sql.Stmt

	indexes []string // DDL of the indexes to build once the rows are in

	loaded  map[string]bool    // keys of loaded rows, for self references
	waiting map[string][][]any // rows waiting for the key
	line    int64
}

// sqliteBatchParams bounds the values of one SQLite INSERT. Its
// placeholders are "?", not "$N": modernc looks up each named parameter in
// a list, so a statement with many "$N" costs the square of their count.
// copyBatch is the rows per PostgreSQL COPY.
const (
	sqliteBatchParams = 1024
	copyBatch         = 5000
)

func (db *DB) newInserter(conn *sql.Conn, tx *sql.Tx, p *tablePlan) *inserter {
	ins := &inserter{db: db, conn: conn, tx: tx, plan: p, batch: copyBatch}
	if db.dialect.name == "sqlite" {
		ins.batch = max(1, sqliteBatchParams/len(p.cols))
	}
	if len(p.selfFK) > 0 {
		ins.loaded, ins.waiting = map[string]bool{}, map[string][][]any{}
	}
	return ins
}

func (ins *inserter) insertSQL(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(quoteIdent(ins.plan.name))
	b.WriteString(" (")
	for i, c := range ins.plan.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c))
	}
	b.WriteString(") VALUES ")
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for i := range ins.plan.cols {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("?")
		}
		b.WriteString(")")
	}
	return b.String()
}

func (ins *inserter) add(ctx context.Context, raw [][]byte) error {
	ins.line++
	row := make([]any, len(raw))
	for i, r := range raw {
		v, err := decodeValue(r, ins.plan.kinds[i])
		if err != nil {
			return damaged("table %s, row %d, column %s: %v", ins.plan.name, ins.line, ins.plan.cols[i], err)
		}
		row[i] = v
	}
	if ins.loaded == nil {
		return ins.push(ctx, row)
	}
	if key, ok := ins.missing(row); ok {
		ins.waiting[key] = append(ins.waiting[key], row)
		return nil
	}
	// Load the row, then the rows that waited for it, and theirs.
	queue := [][]any{row}
	for len(queue) > 0 {
		r := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if key, ok := ins.missing(r); ok {
			ins.waiting[key] = append(ins.waiting[key], r)
			continue
		}
		if err := ins.push(ctx, r); err != nil {
			return err
		}
		for _, fk := range ins.plan.selfFK {
			key := rowKey(r, fk[1])
			ins.loaded[key] = true
			if w := ins.waiting[key]; len(w) > 0 {
				delete(ins.waiting, key)
				queue = append(queue, w...)
			}
		}
	}
	return nil
}

// missing returns the key of a row of the same table that row references
// and that is not loaded yet.
func (ins *inserter) missing(row []any) (string, bool) {
	for _, fk := range ins.plan.selfFK {
		if slices.ContainsFunc(fk[0], func(i int) bool { return row[i] == nil }) {
			continue // a NULL reference references nothing
		}
		key := rowKey(row, fk[0])
		if !ins.loaded[key] && key != rowKey(row, fk[1]) {
			return key, true
		}
	}
	return "", false
}

func rowKey(row []any, idx []int) string {
	var b strings.Builder
	for _, i := range idx {
		fmt.Fprintf(&b, "%T:%v\x00", row[i], row[i])
	}
	return b.String()
}

func (ins *inserter) push(ctx context.Context, row []any) error {
	if ins.db.dialect.name == "postgres" {
		ins.rows = append(ins.rows, row)
	} else {
		ins.args = append(ins.args, row...)
	}
	ins.n++
	if ins.n == ins.batch {
		return ins.flush(ctx)
	}
	return nil
}

func (ins *inserter) flush(ctx context.Context) error {
	if ins.n == 0 {
		return nil
	}
	var err error
	if ins.db.dialect.name == "postgres" {
		err = ins.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("unexpected driver connection %T", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{ins.plan.name}, ins.plan.cols, pgx.CopyFromRows(ins.rows))
			return err
		})
		if err != nil {
			return fmt.Errorf("table %s: copy: %w", ins.plan.name, err)
		}
		clear(ins.rows)
		ins.rows, ins.n = ins.rows[:0], 0
		return nil
	}
	if ins.n == ins.batch {
		if ins.full == nil {
			if ins.full, err = ins.tx.PrepareContext(ctx, ins.insertSQL(ins.batch)); err != nil {
				return fmt.Errorf("table %s: prepare insert: %w", ins.plan.name, err)
			}
		}
		_, err = ins.full.ExecContext(ctx, ins.args...)
	} else {
		_, err = ins.tx.ExecContext(ctx, ins.insertSQL(ins.n), ins.args...)
	}
	if err != nil {
		return fmt.Errorf("table %s: insert: %w", ins.plan.name, err)
	}
	clear(ins.args)
	ins.args, ins.n = ins.args[:0], 0
	return nil
}

func (ins *inserter) finish(ctx context.Context) error {
	if err := ins.flush(ctx); err != nil {
		return err
	}
	if ins.full != nil {
		ins.full.Close()
	}
	if n := len(ins.waiting); n > 0 {
		return damaged("table %s: rows reference %d rows of the same table that the backup lacks", ins.plan.name, n)
	}
	for _, ddl := range ins.indexes {
		if _, err := ins.tx.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("table %s: build index: %w", ins.plan.name, err)
		}
	}
	return nil
}

// deferIndexes drops the table's secondary indexes, to build them again
// once its rows are in (finish): one sorted build costs less than an
// insert into each index per row, about a third less time for a million
// audit rows. Indexes behind a primary key or constraint stay, and a
// unique index checks its rows when it is built. It all happens inside the
// restore's transaction, so a failed restore keeps every index.
func (ins *inserter) deferIndexes(ctx context.Context) error {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL`
	if ins.db.dialect.name == "postgres" {
		q = `SELECT i.relname, pg_get_indexdef(i.oid)
			FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_class t ON t.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = t.relnamespace
			WHERE n.nspname = current_schema() AND t.relname = $1
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`
	}
	rows, err := ins.tx.QueryContext(ctx, q, ins.plan.name)
	if err != nil {
		return fmt.Errorf("table %s: list indexes: %w", ins.plan.name, err)
	}
	var names []string
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			rows.Close()
			return err
		}
		names = append(names, name)
		ins.indexes = append(ins.indexes, ddl)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := ins.tx.ExecContext(ctx, `DROP INDEX `+quoteIdent(name)); err != nil {
			return fmt.Errorf("table %s: drop index %s: %w", ins.plan.name, name, err)
		}
	}
	return nil
}

// decodeValue turns a value of the file into what a column of kind takes
// on this engine's driver. Only PostgreSQL has JSON columns, and jsonb
// checks what it is given.
func decodeValue(raw []byte, kind string) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	switch kind {
	case kindText, kindJSON:
		return unquote(raw)
	case kindInteger:
		switch string(raw) {
		case "true":
			return int64(1), nil
		case "false":
			return int64(0), nil
		}
		return strconv.ParseInt(string(raw), 10, 64)
	case kindBoolean:
		switch string(raw) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%.40s is not a boolean", raw)
	case kindReal:
		return strconv.ParseFloat(string(raw), 64)
	case kindBytes:
		str, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.DecodeString(str)
	case kindTimestamp:
		str, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		var t time.Time
		if err := (timeCol{&t}).parse(str); err != nil {
			return nil, err
		}
		return t, nil
	case kindDate:
		str, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		return time.Parse(time.DateOnly, str)
	}
	return nil, fmt.Errorf("unknown column kind %s", kind)
}

// unquote decodes a JSON string, quickly when it has no escapes.
func unquote(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", fmt.Errorf("%.40s is not a string", raw)
	}
	inner := raw[1 : len(raw)-1]
	if !slices.Contains(inner, '\\') {
		return string(inner), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}
