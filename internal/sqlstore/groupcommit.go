package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/liaisonhq/liaison"
)

// Group commit for SQLite. SQLite has one writer: every write transaction
// waits for the one before it, and each pays its own COMMIT (writing the
// WAL frames) and a hand-over of the write connection. Under concurrent
// writes that overhead, not the work, bounds throughput: complaint
// creates at dataset L managed ~800/s one transaction each.
//
// Writes therefore queue; the first writer to find no batch running
// leads: it takes up to maxBatch queued writes, runs them one after
// another in one transaction, each inside its own SAVEPOINT so that a
// refused write rolls back alone, commits once, and answers them all. Then
// it hands the lead to the next queued writer, if any. A write is answered
// only after the COMMIT that holds it: acknowledged still means durable.
// Run alone, a write is its own transaction without savepoints, as before.
// A write that has started runs to its end even if its caller gives up: its
// statements ignore the request's cancellation (writeTx.detached), since
// interrupting the one write connection can hit the next statement on it.
//
// PostgreSQL runs concurrent transactions itself and does not batch.

// maxBatch bounds a batch: the lock is held for the whole of it.
const maxBatch = 32

type groupCommit struct {
	mu    sync.Mutex
	queue []*writeReq
	busy  bool // a leader is running a batch
}

// writeReq is one queued write and, once done is closed, its outcome.
type writeReq struct {
	ctx   context.Context
	fn    func(tx *writeTx) error
	tx    *writeTx
	err   error
	panic any           // a panic of fn, raised again in the writer's goroutine
	lead  chan struct{} // the lead is handed to this writer
	done  chan struct{} // closed when the write is answered
}

// write runs fn in a transaction, batched with other concurrent writes.
func (g *groupCommit) write(db *DB, ctx context.Context, fn func(tx *writeTx) error) error {
	r := &writeReq{ctx: ctx, fn: fn, lead: make(chan struct{}, 1), done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, r)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead {
		select {
		case <-r.done:
			return r.result()
		case <-r.lead:
		}
	}
	// Leading: r is first in the queue (a new leader finds it empty; a
	// handed lead goes to the first queued), so the batch answers r too.
	g.mu.Lock()
	n := min(len(g.queue), maxBatch)
	batch := append([]*writeReq(nil), g.queue[:n]...)
	g.queue = g.queue[n:]
	g.mu.Unlock()

	db.runBatch(batch)
	if db.wstmts != nil { // the transaction has ended: the connection is free
		db.wstmts.prepare(context.Background())
	}

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].lead <- struct{}{}
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	<-r.done
	return r.result()
}

func (r *writeReq) result() error {
	if r.panic != nil {
		panic(r.panic)
	}
	if r.err == nil && r.tx != nil && r.tx.claimed != "" {
		liaison.IdempotencyClaimFrom(r.ctx).Location = r.tx.claimed
	}
	return r.err
}

// call runs the write's function, catching a panic so that the batch can
// roll it back and carry on.
func (r *writeReq) call(tx *writeTx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panic = p
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return r.fn(tx)
}

// runBatch runs the writes of batch in one transaction and answers each.
func (db *DB) runBatch(batch []*writeReq) {
	answer := func(rs []*writeReq, err error) {
		for _, r := range rs {
			if err != nil && r.err == nil {
				r.err = err
			}
			close(r.done)
		}
	}
	if len(batch) == 1 {
		r := batch[0]
		answer(batch, db.runAlone(r))
		return
	}
	// The batch's transaction outlives any one request: it starts with a
	// context of its own, and each write's statements use the write's.
	stx, err := db.wdb.BeginTx(context.Background(), nil)
	if err != nil {
		answer(batch, fmt.Errorf("begin: %w", err))
		return
	}
	bg := context.Background()
	var held []*writeReq // written, waiting for the COMMIT
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil { // given up while queued
			r.err = err
			close(r.done)
			continue
		}
		if _, err := stx.ExecContext(bg, "SAVEPOINT w"); err != nil {
			_ = stx.Rollback()
			answer(append(held, batch[i:]...), fmt.Errorf("savepoint: %w", err))
			return
		}
		tx := &writeTx{Tx: stx, db: db, now: db.now(), detached: true}
		if err := r.call(tx); err != nil {
			r.err = err
			_, rerr := stx.ExecContext(bg, "ROLLBACK TO w")
			if rerr == nil {
				_, rerr = stx.ExecContext(bg, "RELEASE w")
			}
			if rerr != nil { // the transaction is gone: so are the writes it held
				_ = stx.Rollback()
				answer(append(append(held, r), batch[i+1:]...), fmt.Errorf("roll back to savepoint: %w", rerr))
				return
			}
			close(r.done)
			continue
		}
		if _, err := stx.ExecContext(bg, "RELEASE w"); err != nil {
			_ = stx.Rollback()
			answer(append(held, batch[i:]...), fmt.Errorf("release savepoint: %w", err))
			return
		}
		r.tx = tx
		held = append(held, r)
	}
	if err := stx.Commit(); err != nil {
		answer(held, fmt.Errorf("commit: %w", err))
		return
	}
	answer(held, nil)
}

// runAlone runs one write in its own transaction.
func (db *DB) runAlone(r *writeReq) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	// Detached, like a batch: a cancellation must not interrupt the write
	// connection, whose next statement may be another request's.
	stx, err := db.wdb.BeginTx(context.WithoutCancel(r.ctx), nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &writeTx{Tx: stx, db: db, now: db.now(), detached: true}
	if err := r.call(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	r.tx = tx
	return nil
}
