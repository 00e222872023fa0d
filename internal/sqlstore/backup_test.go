package sqlstore_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// testDB is a test database with the DSN it was opened with, so that the
// comparison helper can read it over a connection of its own.
type testDB struct {
	*sqlstore.DB
	engine, dsn string
}

// newTestDB opens a fresh database on engine, migrated or not.
func newTestDB(t *testing.T, engine string, migrated bool) testDB {
	t.Helper()
	dsn := sqlstoretest.DSN(t, engine)
	db, err := sqlstore.Open(ctx, dsn)
	ok(t, err)
	t.Cleanup(func() { db.Close() })
	if migrated {
		ok(t, db.Migrate(ctx))
	}
	return testDB{db, engine, dsn}
}

// rawOpen opens a plain database/sql handle on d, closed when t ends.
func rawOpen(t *testing.T, d testDB) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	if d.engine == sqlstoretest.SQLite {
		raw, err = sql.Open("sqlite", d.dsn+"?_pragma=busy_timeout(10000)")
	} else {
		raw, err = sql.Open("pgx", d.dsn)
	}
	ok(t, err)
	t.Cleanup(func() { raw.Close() })
	return raw
}

// dbDump is every table of a database in a canonical form: per table, its
// rows as "column=value | …" lines (columns by name), sorted; and
// "schema_migrations" as the applied versions. Values are canonical across
// engines: integers and booleans as numbers (true is 1), times as RFC 3339
// UTC strings with microseconds, bytes as hex, text quoted, and JSON
// columns re-encoded (PostgreSQL's jsonb keeps neither spacing nor key
// order). It reads the catalogue and the tables itself, sharing no code
// with backup.go.
type dbDump map[string][]string

func dumpDB(t *testing.T, d testDB, jsonCols map[string]bool) dbDump {
	t.Helper()
	raw := rawOpen(t, d)
	var q string
	if d.engine == sqlstoretest.SQLite {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	} else {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	var tables []string
	rows, err := raw.QueryContext(ctx, q)
	ok(t, err)
	for rows.Next() {
		var name string
		ok(t, rows.Scan(&name))
		// The search index is derived, and fixtures written in raw SQL
		// are not in the source's: contract_search_test.go checks it.
		if name == "search_entries" || strings.HasPrefix(name, "search_fts") {
			continue
		}
		tables = append(tables, name)
	}
	ok(t, rows.Err())
	rows.Close()

	out := dbDump{}
	for _, table := range tables {
		if table == "dashboard_generation" || table == "dashboard_cache" {
			continue // derived state that backups leave out (migration 0024)
		}
		if table == "schema_migrations" {
			rows, err := raw.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
			ok(t, err)
			for rows.Next() {
				var v int
				var name string
				ok(t, rows.Scan(&v, &name))
				out[table] = append(out[table], fmt.Sprintf("%d_%s", v, name))
			}
			ok(t, rows.Err())
			rows.Close()
			continue
		}
		rows, err := raw.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		ok(t, err)
		cols, err := rows.Columns()
		ok(t, err)
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		out[table] = []string{}
		for rows.Next() {
			ok(t, rows.Scan(ptrs...))
			parts := make([]string, len(cols))
			for i, c := range cols {
				parts[i] = c + "=" + canonical(t, vals[i], jsonCols[table+"."+c])
			}
			sort.Strings(parts)
			out[table] = append(out[table], strings.Join(parts, " | "))
		}
		ok(t, rows.Err())
		rows.Close()
		sort.Strings(out[table])
	}
	return out
}

func canonical(t *testing.T, v any, isJSON bool) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Time:
		return strconv.Quote(x.UTC().Format("2006-01-02T15:04:05.000000Z"))
	case []byte:
		if isJSON {
			return canonicalJSON(t, string(x))
		}
		return "0x" + hex.EncodeToString(x)
	case string:
		if isJSON {
			return canonicalJSON(t, x)
		}
		return strconv.Quote(x)
	}
	t.Fatalf("canonical: unexpected %T", v)
	return ""
}

func canonicalJSON(t *testing.T, s string) string {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("canonical JSON of %q: %v", s, err)
	}
	b, err := json.Marshal(v) // maps come out with sorted keys
	ok(t, err)
	return "json:" + string(b)
}

// jsonColumns lists "table.column" of PostgreSQL's JSON columns.
func jsonColumns(t *testing.T, d testDB) map[string]bool {
	t.Helper()
	cols := map[string]bool{}
	if d.engine != sqlstoretest.Postgres {
		return cols
	}
	rows, err := rawOpen(t, d).QueryContext(ctx, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('json', 'jsonb')`)
	ok(t, err)
	defer rows.Close()
	for rows.Next() {
		var c string
		ok(t, rows.Scan(&c))
		cols[c] = true
	}
	ok(t, rows.Err())
	if len(cols) == 0 {
		t.Fatal("no JSON columns on PostgreSQL")
	}
	return cols
}

// sameDump fails t unless two dumps hold the same tables and rows.
func sameDump(t *testing.T, what string, got, want dbDump) {
	t.Helper()
	var names []string
	for name := range want {
		names = append(names, name)
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		g, gok := got[name]
		w, wok := want[name]
		if !gok || !wok {
			t.Errorf("%s: table %s only on one side (got %v, want %v)", what, name, gok, wok)
			continue
		}
		if slices.Equal(g, w) {
			continue
		}
		t.Errorf("%s: table %s differs: %d rows, want %d", what, name, len(g), len(w))
		shown := 0
		for _, r := range w {
			if _, found := slices.BinarySearch(g, r); !found && shown < 3 {
				t.Errorf("  missing: %s", r)
				shown++
			}
		}
		for _, r := range g {
			if _, found := slices.BinarySearch(w, r); !found && shown < 6 {
				t.Errorf("  extra:   %s", r)
				shown++
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// sameSchema fails t unless two databases have the same columns and indexes.
func sameSchema(t *testing.T, got, want testDB) {
	t.Helper()
	gotCols, gotIdx, err := sqlstore.Schema(ctx, got.DB)
	ok(t, err)
	wantCols, wantIdx, err := sqlstore.Schema(ctx, want.DB)
	ok(t, err)
	if !slices.Equal(gotCols, wantCols) || !slices.Equal(gotIdx, wantIdx) {
		t.Fatalf("schema differs:\ncolumns %q\nwant    %q\nindexes %q\nwant    %q", gotCols, wantCols, gotIdx, wantIdx)
	}
}

// fill puts rows in every table, with the values that are awkward to carry
// across: unicode and control characters, NULLs, dates, booleans both
// ways, bytes that are not text, JSON, trashed rows, and a unit whose
// parent was created after it (so primary-key order is not parent order).
func fill(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	eva := &liaison.User{Name: "Eva Åström", Email: "eva@example.se", Role: liaison.RoleAdmin, Language: liaison.Language("sv"),
		Active: true, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"}
	ok(t, db.CreateUser(ctx, eva))
	actx := liaison.WithPrincipal(ctx, &liaison.Principal{User: eva, Scope: liaison.ScopeWrite})
	ada, bo := mkUser(t, db, "Ada Lovelace"), mkUser(t, db, "Bo Ek")
	off := &liaison.User{Name: "Otto Off", Email: "otto@example.com", Role: liaison.RoleViewer, Active: false}
	ok(t, db.CreateUser(ctx, off))
	fillJobsMail(t, db)

	seg := &liaison.Segment{Name: "Public sector", Description: "Kommuner & regioner <b>"}
	ok(t, db.CreateSegment(actx, seg))

	root := mkUnit(t, db, "Koncern", nil)
	early := mkUnit(t, db, "Early", root)
	later := mkUnit(t, db, "Later", root)
	early.ParentID = &later.ID
	ok(t, db.UpdateOrganisation(actx, early, early.Version)) // early now sorts before its parent
	acct := &liaison.Organisation{Name: "Ekonomi 经济 🚀", ParentID: &early.ID, BudgetHolder: true,
		RelationshipManagerID: &ada.ID, DeputyID: &bo.ID, Segment: seg.ID, LastReviewedOn: ptr("2025-11-30"),
		Description: "line1\nline2\t\"quoted\" \\ back\x01 <&> \u2028 end", ExternalID: "ORG-1"}
	ok(t, db.CreateOrganisation(actx, acct))
	gone := mkUnit(t, db, "Gone", root)
	ok(t, db.DeleteOrganisation(actx, gone.ID, gone.Version))

	asa := mkPerson(t, db, "Åsa Öberg", acct, func(p *liaison.Person) {
		p.Email, p.Phone, p.Title, p.Language, p.ExternalID = "asa@example.se", "+46 70 123 45 67", "CFO", "sv", "P-1"
		p.Notes = "Prefers mail.\r\nNo calls on Fridays. ✉"
	})
	lei := mkPerson(t, db, "李雷", acct, func(p *liaison.Person) { p.Language = "zh" })
	former := mkPerson(t, db, "Former", acct)
	ok(t, db.DeletePerson(actx, former.ID, former.Version))

	mkRole(t, db, asa, acct, liaison.RoleCustomer)
	ok(t, db.CreateRole(actx, &liaison.ContactRole{PersonID: lei.ID, OrganisationID: acct.ID, Role: liaison.RoleOrderer,
		Active: true, ITContactUserID: &bo.ID}))
	ok(t, db.CreateRole(actx, &liaison.ContactRole{PersonID: lei.ID, OrganisationID: acct.ID, Role: liaison.RoleOther,
		Label: "Ex-sponsor", Active: false}))

	ok(t, db.CreateSession(ctx, &liaison.Session{Hash: []byte{0, 1, 2, 0xfe, 0xff}, UserID: eva.ID, ExpiresAt: time.Now().Add(time.Hour)}))
	ok(t, db.CreateToken(ctx, &liaison.Token{UserID: eva.ID, Name: "CI", Scope: liaison.ScopeRead, Hash: []byte("\x00token\xff")}))
	_, err := db.FindTokenByHash(ctx, []byte("\x00token\xff")) // sets last_used_at
	ok(t, err)
	old := &liaison.Token{UserID: ada.ID, Name: "old", Scope: liaison.ScopeWrite, Hash: []byte("old")}
	ok(t, db.CreateToken(ctx, old))
	ok(t, db.RevokeToken(ctx, ada.ID, old.ID))
	_, err = db.RecordLoginFailure(ctx, "eva@example.se|192.0.2.1", time.Now().Add(-time.Hour))
	ok(t, err)
	ok(t, db.SaveIdempotent(ctx, &liaison.IdempotentResponse{Key: "k-1", UserID: eva.ID, RequestHash: []byte{9, 8, 7, 0},
		Status: 201, Location: "/api/v1/organisations/x", Body: []byte("{\"id\":\"x\"}\x00\xff")}))
	ok(t, db.SaveSettings(actx, liaison.Settings{StaleReviewMonths: 18}))
	fillServices(t, db, actx, acct, bo)
	fillAgreements(t, db, actx)
	fillDecisions(t, db, actx, acct, bo)
	fillSuppliers(t, db, actx)
	fillComplaints(t, db, actx, acct)
	fillImprovements(t, db, actx, acct, bo)
	fillMeetings(t, db, actx, acct, bo)
	fillCycle(t, db, actx, acct, bo)
	fillReportCopies(t, db, actx, acct)
	fillTickets(t, db, actx, acct)
	fillSurveys(t, db, actx, acct)
	fillTriggers(t, db, actx, acct)
	fillBizWatch(t, db, actx, acct)
	fillProjects(t, db, actx, acct, bo)
	fillPlans(t, db, actx, acct, bo)
	fillFollows(t, db, acct, bo)
	fillDataMapAndChannels(t, db, actx, acct, eva)
}

// backupTo backs db up into memory.
func backupTo(t *testing.T, db *sqlstore.DB) ([]byte, *sqlstore.BackupInfo) {
	t.Helper()
	var buf bytes.Buffer
	info, err := db.Backup(ctx, &buf)
	ok(t, err)
	return buf.Bytes(), info
}

// TestBackupRoundTrip: a backup restored into a new database gives back
// every row of every table, on each engine.
func TestBackupRoundTrip(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := newTestDB(t, engine, true)
			fill(t, src.DB)
			want := dumpDB(t, src, nil)
			for table, rows := range want {
				if len(rows) == 0 {
					t.Errorf("fill leaves table %s empty: give it rows so that the round trip covers it", table)
				}
			}

			file, info := backupTo(t, src.DB)
			if info.Engine != engine || info.SchemaVersion < 1 || info.Format != sqlstore.BackupFormat || len(info.SHA256) != 64 {
				t.Fatalf("info = %+v", info)
			}
			if n := len(info.Tables); n != len(want)-1 {
				t.Fatalf("backup holds %d tables, the database %d (schema_migrations aside)", n, len(want)-1)
			}
			for _, bt := range info.Tables {
				if int(bt.Rows) != len(want[bt.Name]) {
					t.Errorf("header counts %d rows in %s, want %d", bt.Rows, bt.Name, len(want[bt.Name]))
				}
			}
			verified, err := sqlstore.VerifyBackup(bytes.NewReader(file))
			ok(t, err)
			if verified.SHA256 != info.SHA256 || verified.Rows() != info.Rows() {
				t.Fatalf("verify = %+v, backup = %+v", verified, info)
			}

			dst := newTestDB(t, engine, false) // Restore migrates
			got, err := dst.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{})
			ok(t, err)
			if got.Rows() != info.Rows() {
				t.Fatalf("restored %d rows, backed up %d", got.Rows(), info.Rows())
			}
			sameDump(t, "restored", dumpDB(t, dst, nil), want)
			sameSchema(t, dst, src)
			ok(t, dst.Ping(ctx))

			// The restored database works, and a backup of it is the same data.
			again, _ := backupTo(t, dst.DB)
			dst2 := newTestDB(t, engine, true) // an empty, migrated database is fine too
			_, err = dst2.Restore(ctx, bytes.NewReader(again), sqlstore.RestoreOptions{})
			ok(t, err)
			sameDump(t, "restored twice", dumpDB(t, dst2, nil), want)
			mkUnit(t, dst.DB, "After restore", nil)
		})
	}
}

// TestBackupFileIsStable: the file is gzip'd JSON lines as documented, and
// two backups of unchanged data differ only in their time.
func TestBackupFileIsStable(t *testing.T) {
	sqlstoretest.Run(t, func(t *testing.T, db *sqlstore.DB) {
		fill(t, db)
		a, _ := backupTo(t, db)
		b, _ := backupTo(t, db)
		la, lb := lines(t, a), lines(t, b)
		if len(la) != len(lb) {
			t.Fatalf("%d lines, then %d", len(la), len(lb))
		}
		for i := 1; i < len(la)-1; i++ { // header (time) and trailer (checksum) aside
			if la[i] != lb[i] {
				t.Fatalf("line %d differs:\n%s\n%s", i+1, la[i], lb[i])
			}
		}
		var header struct {
			Format        string `json:"format"`
			FormatVersion int    `json:"format_version"`
			Tables        []struct {
				Name  string   `json:"name"`
				Types []string `json:"types"`
			} `json:"tables"`
		}
		ok(t, json.Unmarshal([]byte(la[0]), &header))
		if header.Format != "liaison-backup" || header.FormatVersion != 1 || len(header.Tables) < 10 {
			t.Fatalf("header = %s", la[0])
		}
		if !strings.HasPrefix(la[len(la)-1], `{"end":{"rows":`) || !strings.HasPrefix(la[1], `{"table":`) {
			t.Fatalf("first section %s, trailer %s", la[1], la[len(la)-1])
		}
		// Tables come in foreign-key order.
		order := map[string]int{}
		for i, tb := range header.Tables {
			order[tb.Name] = i
		}
		for _, pair := range [][2]string{{"users", "organisations"}, {"segments", "organisations"}, {"organisations", "people"}, {"people", "contact_roles"}, {"users", "sessions"}} {
			if order[pair[0]] > order[pair[1]] {
				t.Errorf("%s comes after %s", pair[0], pair[1])
			}
		}
		// Times are RFC 3339 UTC with microseconds and bytes base64, on both engines.
		text := strings.Join(la, "\n")
		for _, want := range []string{`"2025-11-30"`, base64Of([]byte{0, 1, 2, 0xfe, 0xff})} {
			if !strings.Contains(text, want) {
				t.Errorf("the file lacks %s", want)
			}
		}
		if n := len(regexpTimes.FindAllString(text, -1)); n < 20 {
			t.Errorf("%d times like 2026-01-02T15:04:05.000000Z in the file", n)
		}
	})
}

func lines(t *testing.T, file []byte) []string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	ok(t, err)
	b, err := io.ReadAll(zr)
	ok(t, err)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestBackupAcrossEngines: SQLite → PostgreSQL → SQLite and PostgreSQL →
// SQLite → PostgreSQL keep every row.
func TestBackupAcrossEngines(t *testing.T) {
	sqlstoretest.Require(t, sqlstoretest.Postgres)
	for _, path := range [][]string{
		{sqlstoretest.SQLite, sqlstoretest.Postgres, sqlstoretest.SQLite},
		{sqlstoretest.Postgres, sqlstoretest.SQLite, sqlstoretest.Postgres},
	} {
		t.Run(strings.Join(path, "→"), func(t *testing.T) {
			src := newTestDB(t, path[0], true)
			fill(t, src.DB)
			pg := newTestDB(t, sqlstoretest.Postgres, true)
			jsonCols := jsonColumns(t, pg)
			want := dumpDB(t, src, jsonCols)

			cur := src
			for i, engine := range path[1:] {
				file, _ := backupTo(t, cur.DB)
				next := newTestDB(t, engine, false)
				info, err := next.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{})
				ok(t, err)
				if info.Engine != cur.engine {
					t.Fatalf("backup says engine %s, was %s", info.Engine, cur.engine)
				}
				sameDump(t, fmt.Sprintf("hop %d (%s)", i+1, engine), dumpDB(t, next, jsonCols), want)
				ok(t, next.Ping(ctx))
				cur = next
			}
			// What the store reads back is the same too.
			for _, db := range []testDB{src, cur} {
				units, _, err := db.FindOrganisations(ctx, liaison.OrganisationFilter{Limit: 100})
				ok(t, err)
				if len(units) != 4 {
					t.Fatalf("%s: %d live units", db.engine, len(units))
				}
			}
		})
	}
}

var regexpTimes = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"`)

func base64Of(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// TestRestoreRefusesNonEmpty: a database with rows is left alone unless
// Force is given, and then replaced as one transaction.
func TestRestoreRefusesNonEmpty(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := newTestDB(t, engine, true)
			fill(t, src.DB)
			file, _ := backupTo(t, src.DB)

			dst := newTestDB(t, engine, true)
			mkUser(t, dst.DB, "Already Here")
			before := dumpDB(t, dst, nil)
			_, err := dst.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{})
			if !errors.Is(err, sqlstore.ErrNotEmpty) || !strings.Contains(err.Error(), "users") || !strings.Contains(err.Error(), "--force") {
				t.Fatalf("restore into a database with a user: %v; want ErrNotEmpty naming users and --force", err)
			}
			sameDump(t, "after the refusal", dumpDB(t, dst, nil), before)

			// Force with a damaged file: the old contents stay.
			_, err = dst.Restore(ctx, bytes.NewReader(file[:len(file)-9]), sqlstore.RestoreOptions{Force: true})
			if !errors.Is(err, sqlstore.ErrBackupDamaged) {
				t.Fatalf("forced restore of a truncated file: %v", err)
			}
			sameDump(t, "after the failed forced restore", dumpDB(t, dst, nil), before)
			sameSchema(t, dst, src) // the indexes it dropped to load faster are back

			_, err = dst.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{Force: true})
			ok(t, err)
			sameDump(t, "after the forced restore", dumpDB(t, dst, nil), dumpDB(t, src, nil))
		})
	}
}

// TestRestoreRefusesDamagedFile: a flipped byte, a truncation or an edited
// row is refused with ErrBackupDamaged and writes nothing, not even the
// schema.
func TestRestoreRefusesDamagedFile(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := newTestDB(t, engine, true)
			fill(t, src.DB)
			file, _ := backupTo(t, src.DB)

			damaged := map[string][]byte{
				"empty":     {},
				"not gzip":  []byte("hello, world\n"),
				"truncated": file[:len(file)/2],
				"no end":    file[:len(file)-8],
			}
			for _, at := range []int{10, len(file) / 4, len(file) / 2, len(file) - 12, len(file) - 6, len(file) - 1} {
				b := bytes.Clone(file)
				b[at] ^= 0xff
				damaged[fmt.Sprintf("byte %d of %d flipped", at, len(file))] = b
			}
			// A row edited and the file re-compressed: gzip's CRC is right,
			// the checksum catches it.
			ls := lines(t, file)
			for i, l := range ls {
				if strings.Contains(l, "Koncern") {
					ls[i] = strings.Replace(l, "Koncern", "Koncorn", 1)
				}
			}
			damaged["row edited"] = gz(t, strings.Join(ls, "\n")+"\n")
			// A row dropped.
			ls = lines(t, file)
			damaged["row dropped"] = gz(t, strings.Join(append(ls[:2:2], ls[3:]...), "\n")+"\n")
			// Malformed rows under a checksum that matches them: the
			// parser refuses what the checksum cannot.
			row := slices.IndexFunc(ls, func(l string) bool { return strings.HasPrefix(l, "[") })
			for name, edit := range map[string]func(string) string{
				"trailing comma":     func(l string) string { return strings.TrimSuffix(l, "]") + ",]" },
				"space":              func(l string) string { return strings.Replace(l, ",", ", ", 1) },
				"unterminated":       func(l string) string { return strings.TrimSuffix(l, `"]`) + "]" },
				"raw control":        func(l string) string { return strings.Replace(l, `"`, "\"\x01", 1) },
				"missing column":     func(l string) string { return l[:strings.LastIndex(l, ",")] + "]" },
				"number for text":    func(l string) string { return strings.Replace(l, l[1:strings.Index(l, ",")], "42", 1) },
				"not an array":       func(l string) string { return "{" + l[1:len(l)-1] + "}" },
				"bad escape":         func(l string) string { return strings.Replace(l, `"`, `"\q`, 1) },
				"object for a value": func(l string) string { return strings.Replace(l, ",", `,{"a":1},`, 1) },
			} {
				damaged["malformed row: "+name] = rewriteLine(t, file, row, edit)
			}

			names := make([]string, 0, len(damaged))
			for name := range damaged {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				dst := newTestDB(t, engine, false)
				_, err := dst.Restore(ctx, bytes.NewReader(damaged[name]), sqlstore.RestoreOptions{})
				if !errors.Is(err, sqlstore.ErrBackupDamaged) {
					t.Errorf("%s: restore = %v, want ErrBackupDamaged", name, err)
					continue
				}
				if _, err := sqlstore.VerifyBackup(bytes.NewReader(damaged[name])); !errors.Is(err, sqlstore.ErrBackupDamaged) {
					t.Errorf("%s: verify = %v, want ErrBackupDamaged", name, err)
				}
				if err := dst.Ping(ctx); err == nil || !strings.Contains(err.Error(), "not migrated") {
					t.Errorf("%s: after the refusal, Ping = %v; want a database without even the schema", name, err)
				}
			}
		})
	}
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := io.WriteString(w, s)
	ok(t, err)
	ok(t, w.Close())
	return buf.Bytes()
}

// rewriteHeader edits a backup's header and fixes its checksum, making a
// well-formed backup with other metadata.
func rewriteHeader(t *testing.T, file []byte, edit func(h map[string]any)) []byte {
	t.Helper()
	return rewriteLine(t, file, 0, func(line string) string {
		var h map[string]any
		ok(t, json.Unmarshal([]byte(line), &h))
		edit(h)
		b, err := json.Marshal(h)
		ok(t, err)
		return string(b)
	})
}

// rewriteLine edits line i of a backup and fixes the checksum.
func rewriteLine(t *testing.T, file []byte, i int, edit func(string) string) []byte {
	t.Helper()
	ls := lines(t, file)
	ls[i] = edit(ls[i])
	sum := sha256.New()
	for _, l := range ls[:len(ls)-1] {
		sum.Write([]byte(l + "\n"))
	}
	var end struct {
		End struct {
			Rows   int64  `json:"rows"`
			SHA256 string `json:"sha256"`
		} `json:"end"`
	}
	ok(t, json.Unmarshal([]byte(ls[len(ls)-1]), &end))
	end.End.SHA256 = hex.EncodeToString(sum.Sum(nil))
	b, err := json.Marshal(end)
	ok(t, err)
	ls[len(ls)-1] = string(b)
	return gz(t, strings.Join(ls, "\n")+"\n")
}

// TestRestoreRefusesNewerSchema: a backup from a schema this program does
// not know, or into a database already past the backup's schema, is
// refused before anything is written.
func TestRestoreRefusesNewerSchema(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := newTestDB(t, engine, true)
			fill(t, src.DB)
			file, info := backupTo(t, src.DB)

			future := rewriteHeader(t, file, func(h map[string]any) { h["schema_version"] = info.SchemaVersion + 1 })
			_, err := sqlstore.VerifyBackup(bytes.NewReader(future))
			ok(t, err) // well formed
			dst := newTestDB(t, engine, false)
			_, err = dst.Restore(ctx, bytes.NewReader(future), sqlstore.RestoreOptions{})
			if !errors.Is(err, sqlstore.ErrBackupNewer) || !strings.Contains(err.Error(), "newer liaison") {
				t.Fatalf("restore of a backup from the future = %v", err)
			}
			if err := dst.Ping(ctx); err == nil || !strings.Contains(err.Error(), "not migrated") {
				t.Fatalf("after the refusal, Ping = %v", err)
			}

			newerFormat := rewriteHeader(t, file, func(h map[string]any) { h["format_version"] = 2 })
			if _, err := dst.Restore(ctx, bytes.NewReader(newerFormat), sqlstore.RestoreOptions{}); err == nil || !strings.Contains(err.Error(), "format version 2") {
				t.Fatalf("restore of format version 2 = %v", err)
			}

			// A database whose schema is past the backup's.
			ahead := newTestDB(t, engine, true)
			_, err = rawOpen(t, ahead).ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', $2)`,
				info.SchemaVersion+1, time.Now().UTC().Format(time.RFC3339))
			ok(t, err)
			_, err = ahead.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{Force: true})
			if !errors.Is(err, sqlstore.ErrTargetNewer) {
				t.Fatalf("restore into a newer schema = %v", err)
			}
		})
	}
}

// TestBackupUnderLoad takes a backup while writers create units, people
// and roles and move and edit units, each change in one transaction with
// its audit row, and checks that the restored database is the source as it
// was at one instant: writes that finished before the backup began are in
// it, writes that began after its snapshot are not, every write in it is
// preceded by all writes that finished before it began, every record has
// its audit rows and no audit row lacks its record, paths agree across
// units moved together, and every row is the source's row.
func TestBackupUnderLoad(t *testing.T) {
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src := newTestDB(t, engine, true)
			fill(t, src.DB)
			admin := mkUser(t, src.DB, "Load Admin")
			actx := liaison.WithPrincipal(ctx, &liaison.Principal{User: admin, Scope: liaison.ScopeWrite})

			type op struct {
				kind       string // unit, person, role, update
				id         string
				version    int // update: the version it made
				start, end time.Time
			}
			var (
				mu        sync.Mutex
				ops       []op
				committed atomic.Int64
				stop      atomic.Bool
				wg        sync.WaitGroup
			)
			record := func(o op) {
				mu.Lock()
				ops = append(ops, o)
				mu.Unlock()
				committed.Add(1)
			}
			const writers = 4
			for w := range writers {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(w), 7))
					var units []*liaison.Organisation
					top := &liaison.Organisation{Name: fmt.Sprintf("Writer %d", w)}
					if err := src.CreateOrganisation(actx, top); err != nil {
						t.Error(err)
						return
					}
					units = append(units, top)
					for i := 0; !stop.Load(); i++ {
						s := time.Now()
						u := &liaison.Organisation{Name: fmt.Sprintf("W%d unit %d", w, i), ParentID: &units[rng.IntN(len(units))].ID}
						if err := src.CreateOrganisation(actx, u); err != nil {
							t.Errorf("create unit: %v", err)
							return
						}
						record(op{kind: "unit", id: u.ID, start: s, end: time.Now()})
						units = append(units, u)

						s = time.Now()
						p := &liaison.Person{Name: fmt.Sprintf("W%d person %d", w, i), OrganisationID: u.ID}
						if err := src.CreatePerson(actx, p); err != nil {
							t.Errorf("create person: %v", err)
							return
						}
						record(op{kind: "person", id: p.ID, start: s, end: time.Now()})

						s = time.Now()
						r := &liaison.ContactRole{PersonID: p.ID, OrganisationID: u.ID, Role: liaison.RoleUser, Active: true}
						if err := src.CreateRole(actx, r); err != nil {
							t.Errorf("create role: %v", err)
							return
						}
						record(op{kind: "role", id: r.ID, start: s, end: time.Now()})

						// Edit a unit, or move it (with its subtree) below another.
						s = time.Now()
						m := units[1+rng.IntN(len(units)-1)]
						if rng.IntN(2) == 0 {
							m.Description = fmt.Sprintf("edit %d", i)
						} else {
							m.ParentID = &units[rng.IntN(len(units))].ID
						}
						err := src.UpdateOrganisation(actx, m, m.Version)
						if liaison.ErrorCode(err) == liaison.EINVALID { // a move below itself
							fresh, ferr := src.FindOrganisationByID(ctx, m.ID)
							if ferr != nil {
								t.Error(ferr)
								return
							}
							*m = *fresh
							continue
						}
						if err != nil {
							t.Errorf("update unit: %v", err)
							return
						}
						record(op{kind: "update", id: m.ID, version: m.Version, start: s, end: time.Now()})
					}
				})
			}
			t.Cleanup(func() { stop.Store(true); wg.Wait() })

			waitFor := func(n int64) {
				deadline := time.Now().Add(30 * time.Second)
				for committed.Load() < n && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				if committed.Load() < n {
					t.Fatalf("the writers committed %d changes, want %d", committed.Load(), n)
				}
			}
			waitFor(1500)
			// The backup's first write waits until 100 more changes have
			// committed. The backup reads audit_entries first and buffers
			// only 64 KiB before it writes, so it is still reading: the
			// tables read after the wait must not see those changes.
			began := time.Now()
			var firstWrite time.Time
			var duringBackup int64
			gate := &gateWriter{wait: func() {
				firstWrite = time.Now()
				duringBackup = committed.Load()
				waitFor(duringBackup + 100)
			}}
			info, err := src.Backup(ctx, gate)
			ok(t, err)
			returned := time.Now()
			waitFor(committed.Load() + 50)
			stop.Store(true)
			wg.Wait()
			if t.Failed() {
				return
			}

			file := gate.buf.Bytes()
			if ls := lines(t, file); ls[1] != `{"table":"audit_entries"}` || len(strings.Join(ls[:slices.Index(ls, `{"table":"organisations"}`)], "\n")) < 512<<10 {
				t.Fatalf("the backup does not start with 512 KiB of audit_entries before organisations; the gate may not fall inside its reads")
			}
			dst := newTestDB(t, engine, false)
			_, err = dst.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{})
			ok(t, err)
			raw := rawOpen(t, dst)

			// The restored units, their versions and paths.
			type unit struct {
				parent  sql.NullString
				path    string
				version int
			}
			units := map[string]unit{}
			rows, err := raw.QueryContext(ctx, `SELECT id, parent_id, path, version FROM organisations`)
			ok(t, err)
			for rows.Next() {
				var id string
				var u unit
				ok(t, rows.Scan(&id, &u.parent, &u.path, &u.version))
				units[id] = u
			}
			ok(t, rows.Err())
			rows.Close()
			for id, u := range units {
				want := "/" + id + "/"
				if u.parent.Valid {
					want = units[u.parent.String].path + id + "/"
				}
				if u.path != want {
					t.Errorf("unit %s: path %s, its parent's path says %s", id, u.path, want)
				}
			}
			exists := func(table, id string) bool {
				var n int
				ok(t, raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = $1`, id).Scan(&n))
				return n == 1
			}

			// Which writes the backup holds, and whether they could all
			// have been seen at one instant.
			present := func(o op) bool {
				switch o.kind {
				case "unit":
					_, ok := units[o.id]
					return ok
				case "person":
					return exists("people", o.id)
				case "role":
					return exists("contact_roles", o.id)
				}
				return units[o.id].version >= o.version
			}
			var in, out int
			var lastStartIn time.Time
			isIn := make([]bool, len(ops))
			for i, o := range ops {
				if isIn[i] = present(o); isIn[i] {
					in++
					if o.start.After(lastStartIn) {
						lastStartIn = o.start
					}
				} else {
					out++
				}
			}
			for i, o := range ops {
				switch {
				case !isIn[i] && o.end.Before(began):
					t.Errorf("%s %s finished before the backup began but is not in it", o.kind, o.id)
				case isIn[i] && o.start.After(firstWrite):
					t.Errorf("%s %s began after the backup's snapshot but is in it", o.kind, o.id)
				case !isIn[i] && o.end.Before(lastStartIn):
					t.Errorf("%s %s is not in the backup, yet finished before another write in it began", o.kind, o.id)
				}
			}
			t.Logf("%d writes in the backup, %d after it; %d committed while it ran (%s), rows %d",
				in, out, committed.Load()-duringBackup, returned.Sub(began).Round(time.Millisecond), info.Rows())
			if in < 1500 || out < 100 {
				t.Fatalf("%d writes in the backup, %d not: the test did not overlap the backup with writes", in, out)
			}

			// Records and audit rows: never one without the other, and a
			// unit's version counts its audit rows.
			audits := map[string][]string{}
			rows, err = raw.QueryContext(ctx, `SELECT subject_type, subject_id, action FROM audit_entries`)
			ok(t, err)
			for rows.Next() {
				var typ, id, action string
				ok(t, rows.Scan(&typ, &id, &action))
				audits[typ+" "+id] = append(audits[typ+" "+id], action)
			}
			ok(t, rows.Err())
			rows.Close()
			for _, o := range ops {
				if o.kind == "update" {
					continue
				}
				typ := map[string]string{"unit": "organisation", "person": "person", "role": "role"}[o.kind]
				if a := audits[typ+" "+o.id]; present(o) != slices.Contains(a, liaison.ActionCreate) {
					t.Errorf("%s %s: in the backup %v, its create audit row %v", o.kind, o.id, present(o), a)
				}
				if o.kind == "unit" && present(o) {
					if n := len(audits["organisation "+o.id]); n != units[o.id].version {
						t.Errorf("unit %s: version %d, %d audit rows", o.id, units[o.id].version, n)
					}
				}
			}

			// Every restored row is the source's row: audit rows, people
			// and roles do not change once written; units do, so compare
			// those whose version has not moved since, their path and depth
			// aside (a move of an ancestor rewrites them, checked above).
			srcDump, dstDump := dumpDB(t, src, nil), dumpDB(t, dst, nil)
			for table, rows := range dstDump {
				if table == "organisations" || table == "schema_migrations" {
					continue
				}
				for _, r := range rows {
					if _, found := slices.BinarySearch(srcDump[table], r); !found {
						t.Errorf("table %s: restored row not in the source: %s", table, r)
					}
				}
			}
			srcUnits := map[string]string{}
			for _, s := range srcDump["organisations"] {
				srcUnits[fieldOf(s, "id")] = s
			}
			var same int
			for _, r := range dstDump["organisations"] {
				s := srcUnits[fieldOf(r, "id")]
				if fieldOf(s, "version") != fieldOf(r, "version") {
					continue
				}
				same++
				if withoutFields(s, "path", "depth") != withoutFields(r, "path", "depth") {
					t.Errorf("unit at the source's version differs from it:\n%s\n%s", r, s)
				}
			}
			if same == 0 {
				t.Error("no restored unit at the source's version")
			}
		})
	}
}

// withoutFields drops columns from a dumped row.
func withoutFields(row string, cols ...string) string {
	parts := strings.Split(row, " | ")
	parts = slices.DeleteFunc(parts, func(p string) bool {
		name, _, _ := strings.Cut(p, "=")
		return slices.Contains(cols, name)
	})
	return strings.Join(parts, " | ")
}

// fieldOf reads a column's value from a dumped row.
func fieldOf(row, col string) string {
	for _, part := range strings.Split(row, " | ") {
		if v, ok := strings.CutPrefix(part, col+"="); ok {
			return v
		}
	}
	return ""
}

// gateWriter collects a backup, calling wait before its first write.
type gateWriter struct {
	once sync.Once
	wait func()
	buf  bytes.Buffer
}

func (g *gateWriter) Write(p []byte) (int, error) {
	g.once.Do(g.wait)
	return g.buf.Write(p)
}

// TestBackupSQLiteFile: the SQLite file copy is a consistent database.
func TestBackupSQLiteFile(t *testing.T) {
	src := newTestDB(t, sqlstoretest.SQLite, true)
	fill(t, src.DB)
	path := filepath.Join(t.TempDir(), "copy.db")
	ok(t, src.BackupSQLiteFile(ctx, path))
	if err := src.BackupSQLiteFile(ctx, path); err == nil {
		t.Fatal("a second copy over the first succeeded")
	}
	cp := testDB{engine: sqlstoretest.SQLite, dsn: path}
	sameDump(t, "file copy", dumpDB(t, cp, nil), dumpDB(t, src, nil))
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}

	sqlstoretest.Require(t, sqlstoretest.Postgres)
	pg := newTestDB(t, sqlstoretest.Postgres, true)
	if err := pg.BackupSQLiteFile(ctx, filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Fatal("a SQLite file copy of PostgreSQL succeeded")
	}
}

// TestBackupTakesTablesFromTheSchema: a table the migrations do not know
// (as a later migration would add) is backed up and restored because the
// backup reads the catalogue, and the ids that a serial, identity or
// AUTOINCREMENT column hands out next do not collide with restored ones.
func TestBackupTakesTablesFromTheSchema(t *testing.T) {
	ddl := map[string][]string{
		sqlstoretest.SQLite: {
			`CREATE TABLE extra (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL, at TEXT)`,
			`CREATE TABLE extra_child (id INTEGER PRIMARY KEY, extra_id INTEGER NOT NULL REFERENCES extra (id), score REAL)`,
		},
		sqlstoretest.Postgres: {
			`CREATE TABLE extra (id BIGSERIAL PRIMARY KEY, note TEXT NOT NULL, at TIMESTAMPTZ)`,
			`CREATE TABLE extra_child (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, extra_id BIGINT NOT NULL REFERENCES extra (id), score DOUBLE PRECISION)`,
		},
	}
	for _, engine := range sqlstoretest.Engines() {
		t.Run(engine, func(t *testing.T) {
			src, dst := newTestDB(t, engine, true), newTestDB(t, engine, true)
			for _, d := range []testDB{src, dst} {
				for _, q := range ddl[engine] {
					_, err := rawOpen(t, d).ExecContext(ctx, q)
					ok(t, err)
				}
			}
			raw := rawOpen(t, src)
			for i := range 3 {
				_, err := raw.ExecContext(ctx, `INSERT INTO extra (note, at) VALUES ($1, $2)`, fmt.Sprintf("note %d", i), "2026-01-02T03:04:05.000006Z")
				ok(t, err)
				_, err = raw.ExecContext(ctx, `INSERT INTO extra_child (extra_id, score) VALUES ($1, $2)`, i+1, 0.25*float64(i))
				ok(t, err)
			}
			_, err := raw.ExecContext(ctx, `DELETE FROM extra_child WHERE extra_id = 3`) // ids are not dense
			ok(t, err)
			file, info := backupTo(t, src.DB)
			if !slices.ContainsFunc(info.Tables, func(bt sqlstore.BackupTable) bool { return bt.Name == "extra" && bt.Rows == 3 }) {
				t.Fatalf("tables = %+v", info.Tables)
			}
			_, err = dst.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{})
			ok(t, err)
			sameDump(t, "restored", dumpDB(t, dst, nil), dumpDB(t, src, nil))

			var id int64
			ok(t, rawOpen(t, dst).QueryRowContext(ctx, `INSERT INTO extra (note) VALUES ('after') RETURNING id`).Scan(&id))
			if id != 4 {
				t.Errorf("the next extra id is %d, want 4", id)
			}
			ok(t, rawOpen(t, dst).QueryRowContext(ctx, `INSERT INTO extra_child (extra_id) VALUES (4) RETURNING id`).Scan(&id))
			if id != 3 {
				t.Errorf("the next extra_child id is %d, want 3", id)
			}

			// A database without the table refuses the backup, naming it.
			plain := newTestDB(t, engine, false)
			if _, err := plain.Restore(ctx, bytes.NewReader(file), sqlstore.RestoreOptions{}); err == nil || !strings.Contains(err.Error(), "extra") {
				t.Fatalf("restore into a schema without extra = %v", err)
			}
		})
	}
}
