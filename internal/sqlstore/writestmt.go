package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// writeStmts keeps SQLite's write statements prepared. modernc parses the
// SQL of every unprepared statement, and a complaint create runs a dozen:
// parsing cost as much as the writing. The write pool is one connection,
// and a transaction holds it, so a statement cannot be prepared on the
// pool while a write runs: a text first met inside a transaction runs
// unprepared and is noted, and the writer prepares the noted texts on the
// pool once its transaction has ended. Later transactions use them through
// Tx.StmtContext, which reuses the connection's prepared statement.
type writeStmts struct {
	pool    *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
}

func newWriteStmts(pool *sql.DB) *writeStmts {
	return &writeStmts{pool: pool, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// get returns the prepared statement of query, or nil after noting it.
func (w *writeStmts) get(query string) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, ok := w.stmts[query]
	if !ok && len(w.stmts)+len(w.pending) < maxCachedStmts {
		w.pending[query] = true
	}
	return st
}

// prepare prepares the noted texts; call it with no transaction open.
func (w *writeStmts) prepare(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for q := range w.pending {
		delete(w.pending, q)
		if st, err := w.pool.PrepareContext(ctx, q); err == nil {
			w.stmts[q] = st
		}
	}
}

func (w *writeStmts) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, st := range w.stmts {
		st.Close()
	}
}

// stmt is the transaction's use of query's prepared statement, or nil.
func (tx *writeTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if tx.db.wstmts == nil {
		return nil
	}
	if st := tx.db.wstmts.get(query); st != nil {
		return tx.Tx.StmtContext(ctx, st)
	}
	return nil
}

func (tx *writeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = tx.stmtContext(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *writeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = tx.stmtContext(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

func (tx *writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx = tx.stmtContext(ctx)
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// stmtContext is the context a statement of the transaction runs with.
func (tx *writeTx) stmtContext(ctx context.Context) context.Context {
	if tx.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}
