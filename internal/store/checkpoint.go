package store

import (
	"database/sql"
	"time"
)

// SQLite in WAL mode appends every commit to the log and copies the log
// back into the database file at checkpoints. Left to itself, SQLite runs
// a checkpoint inside the commit that grows the log past a threshold, so
// that one commit in a few dozen pays for copying them all: a fifth of the
// order writer's time in oms demo. Instead a goroutine of its own
// checkpoints on a connection of its own every checkpointEvery (passive: it
// copies what no reader still needs and never waits for the writer), on
// the second core while the writer goes on. The writer still checkpoints
// itself when the log passes walBackstop pages — when readers keep the
// checkpointer from catching up — so the log stays bounded.
const (
	checkpointEvery = 200 * time.Millisecond
	walBackstop     = 10000 // pages: 40 MB of log at SQLite's 4 KiB pages
)

// checkpointer checkpoints SQLite's log until Close.
type checkpointer struct {
	conn *sql.DB
	stop chan struct{}
	done chan struct{}
}

func startCheckpointer(dsn string) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxIdleTime(0)
	c := &checkpointer{conn: conn, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				// A checkpoint that cannot finish now (SQLITE_BUSY, a
				// reader in the way) finishes at a later tick.
				c.conn.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return c, nil
}

func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	close(c.stop)
	<-c.done
	return c.conn.Close()
}
