// Package sqlstore is the one implementation of liaison.Store, written once
// against database/sql for both SQLite (modernc.org/sqlite, pure Go) and
// PostgreSQL (pgx through its database/sql driver).
//
// The SQL is shared and uses $N placeholders; dialect.go keeps the few real
// differences. Each exported method owns its transaction; unexported helpers
// take the transaction (or, for single-statement reads, any queryer). Every
// change writes its audit row in the same transaction.
//
// Open does not migrate: call Migrate (serve does on start). Ping reports a
// schema that is behind.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/liaisonhq/liaison"
	_ "modernc.org/sqlite" // registers "sqlite"
)

var _ liaison.Store = (*DB)(nil)

// DB is a Liaison database on either engine.
type DB struct {
	// Now is the clock of every timestamp the store writes (created_at,
	// updated_at, audit, session expiry checks). Tests replace it to move
	// time. Times are kept to the microsecond, PostgreSQL's precision.
	Now func() time.Time

	dialect dialect
	// wdb takes every write. On SQLite it is one connection that begins
	// transactions IMMEDIATE, so writers queue in Go rather than failing
	// with SQLITE_BUSY halfway through a transaction.
	wdb *sql.DB
	// rdb serves single-statement reads. On SQLite it is a pool of
	// read-only connections that WAL lets run beside the writer; on
	// PostgreSQL it is wdb.
	rdb *sql.DB
	// ro runs reads on rdb; on SQLite through cached prepared statements.
	ro queryer
	// searchBounds, when set, replace searchRanked and searchBroad (tests).
	searchBounds [2]int
	// group commits SQLite's writes in batches (groupcommit.go).
	group groupCommit
	// wstmts keeps SQLite's write statements prepared (writestmt.go).
	wstmts *writeStmts
	// ckpt checkpoints a SQLite file's log off the write path (checkpoint.go).
	ckpt *checkpointer
	// dash lets one request of this process compute the dashboard's facts
	// while the others wait for its result in dashboard_cache (dashboard.go).
	dash sync.Mutex
	// dashFacts is the last dashboard_cache row this process decoded; it
	// is used only while the database's generation and day still match it.
	dashFacts atomic.Pointer[liaison.DashboardFacts]
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL
// selects PostgreSQL; anything else is a SQLite file path (":memory:" gives
// a private in-memory database). It checks the database answers but does
// not migrate it.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

// sqlitePragmas go in the DSN so that every pooled connection gets them:
// busy_timeout and foreign_keys are per connection, and a PRAGMA executed
// on a pool reaches only the connection that ran it. synchronous=NORMAL in
// WAL mode loses no committed transaction when the process is killed.
// temp_store=MEMORY keeps statement and savepoint journals (group commit
// runs each write in a savepoint, groupcommit.go) and sort b-trees in
// memory: as temporary files they cost a write system call per page.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty database path")
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	db := &DB{Now: defaultNow, dialect: sqliteDialect}
	memory := path == ":memory:" || strings.Contains(path, "mode=memory")
	writer := path + sep + sqlitePragmas + "&_txlock=immediate"
	if !memory { // the checkpointer copies the log back (checkpoint.go)
		writer += "&_pragma=wal_autocheckpoint(0)"
	}
	var err error
	if db.wdb, err = sql.Open("sqlite", writer); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.wdb.SetMaxOpenConns(1)
	db.wdb.SetMaxIdleConns(1)
	db.wdb.SetConnMaxLifetime(0)
	db.wdb.SetConnMaxIdleTime(0)
	// The first connection creates the file and switches it to WAL before
	// any reader opens it.
	if err := db.wdb.PingContext(ctx); err != nil {
		db.wdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}

	if memory {
		// Each connection to :memory: is its own database, so reads must
		// share the writer's single connection.
		db.rdb = db.wdb
		db.ro = newStmtCache(db.rdb)
		return db, nil
	}
	// query_only makes a write that strays onto the read pool fail loudly
	// instead of bypassing the single writer.
	if db.rdb, err = sql.Open("sqlite", path+sep+sqlitePragmas+"&_pragma=query_only(1)"); err != nil {
		db.wdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := 2*runtime.GOMAXPROCS(0) + 2
	db.rdb.SetMaxOpenConns(n)
	db.rdb.SetMaxIdleConns(n) // the default of 2 would close and reopen connections under load
	db.rdb.SetConnMaxLifetime(0)
	db.rdb.SetConnMaxIdleTime(0)
	if err := db.rdb.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.ro = newStmtCache(db.rdb)
	db.wstmts = newWriteStmts(db.wdb)
	if db.ckpt, err = startCheckpointer(ctx, path+sep+sqlitePragmas); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	n := max(16, 4*runtime.GOMAXPROCS(0))
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// pgx prepares and caches statements per connection by itself.
	return &DB{Now: defaultNow, dialect: postgresDialect, wdb: pool, rdb: pool, ro: pool}, nil
}

func defaultNow() time.Time { return time.Now().UTC() }

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name }

// Close closes the database.
func (db *DB) Close() error {
	var err error
	if db.ckpt != nil {
		err = db.ckpt.close()
	}
	if c, ok := db.ro.(*stmtCache); ok {
		err = errors.Join(err, c.close())
	}
	if db.wstmts != nil {
		db.wstmts.close()
	}
	err = errors.Join(err, db.wdb.Close())
	if db.rdb != db.wdb {
		err = errors.Join(err, db.rdb.Close())
	}
	return err
}

// now reads the clock, in UTC and to the microsecond, so that what we
// return equals what either engine stores.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// queryer is what single-statement helpers need: a *sql.DB or a *writeTx.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// stmtCache runs reads through prepared statements. modernc parses the
// SQL of every unprepared query, which costs more than the primary-key
// lookup itself; a *sql.Stmt is prepared once per pooled connection. The
// SQL of our reads is a small set (values are always bound), but the
// number of search terms can vary it, so the cache stops growing at
// maxCachedStmts and runs further texts unprepared.
type stmtCache struct {
	pool  *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

const maxCachedStmts = 256

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}}
}

func (c *stmtCache) stmt(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.stmts[query]
	n := len(c.stmts)
	c.mu.RUnlock()
	if ok || n >= maxCachedStmts {
		return st
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared query reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		st.Close()
		return prev
	}
	c.stmts[query] = st
	return st
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.pool.QueryRowContext(ctx, query, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.pool.QueryContext(ctx, query, args...)
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.pool.ExecContext(ctx, query, args...)
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.stmts {
		err = errors.Join(err, st.Close())
	}
	c.stmts = map[string]*sql.Stmt{}
	return err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// writeTx is a write transaction with the time every row it writes is stamped with.
type writeTx struct {
	*sql.Tx
	db  *DB
	now time.Time

	// claimed is the Location of the Idempotency-Key claim written in this
	// transaction; it reaches the claim only when the transaction commits.
	claimed string
	// detached statements ignore the cancellation of the request's
	// context: on SQLite's one write connection a cancelled statement is
	// interrupted with sqlite3_interrupt, which can land on the next
	// statement run there, another request's (groupcommit.go).
	detached bool
}

// t converts a time for binding on this engine.
func (tx *writeTx) t(t time.Time) any { return tx.db.dialect.timeArg(t) }

// write runs fn in a write transaction and commits when it returns nil.
func (db *DB) write(ctx context.Context, fn func(tx *writeTx) error) error {
	if db.dialect.name == "sqlite" {
		return db.group.write(db, ctx, fn)
	}
	stx, err := db.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &writeTx{Tx: stx, db: db, now: db.now()}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tx.claimed != "" {
		liaison.IdempotencyClaimFrom(ctx).Location = tx.claimed
	}
	return nil
}

// lockTree serialises changes to the tree's shape on PostgreSQL (see dialect).
func (tx *writeTx) lockTree(ctx context.Context) error {
	if tx.db.dialect.lockTree == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, tx.db.dialect.lockTree); err != nil {
		return fmt.Errorf("lock organisation tree: %w", err)
	}
	return nil
}

// nullString binds "" as NULL, for optional references.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullPtr binds a nil *string as NULL.
func nullPtr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// strPtr turns a scanned nullable string into the domain's *string.
func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// rowsAffected returns how many rows a statement changed.
func rowsAffected(res sql.Result) (int64, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rows affected: %w", err)
	}
	return n, nil
}
