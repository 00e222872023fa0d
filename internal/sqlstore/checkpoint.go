package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// checkpointer copies SQLite's write-ahead log back into the database file
// off the write path. By default the writer checkpoints itself every 1,000
// pages, inside the COMMIT of whichever write crosses the mark: that write
// then waits for the copy and its fsyncs, and so does every write queued
// behind it. The write connection has automatic checkpoints off; this
// connection runs a PASSIVE checkpoint (it never blocks the writer or the
// readers) every checkpointEvery. The log is still synced before each copy,
// and a committed write is in the log whether or not it has been copied:
// nothing about durability changes.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}
	once sync.Once // DB.Close may be called more than once
}

const checkpointEvery = 250 * time.Millisecond

func startCheckpointer(ctx context.Context, dsn string) (*checkpointer, error) {
	cdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open checkpointer: %w", err)
	}
	cdb.SetMaxOpenConns(1)
	cdb.SetMaxIdleConns(1)
	cdb.SetConnMaxLifetime(0)
	cdb.SetConnMaxIdleTime(0)
	if err := cdb.PingContext(ctx); err != nil {
		cdb.Close()
		return nil, fmt.Errorf("open checkpointer: %w", err)
	}
	c := &checkpointer{db: cdb, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		// An error (a busy lock, say) only means this round copied less;
		// the next one tries again.
		var busy, logged, copied int
		_ = c.db.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied)
	}
}

func (c *checkpointer) close() error {
	var err error
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		err = c.db.Close()
	})
	return err
}
