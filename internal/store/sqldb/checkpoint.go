package sqldb

import (
	"database/sql"
	"time"
)

// SQLite in WAL mode appends every commit to the log and copies the log
// back into the database file at checkpoints. Left to itself, SQLite runs
// a checkpoint inside the commit that grows the log past a threshold, so
// that one commit in a few dozen pays for copying them all (moving that
// off the writer made oms demo a fifth faster). Instead a goroutine of its own
// checkpoints on a connection of its own every checkpointEvery (passive: it
// copies what no reader still needs and never waits for the writer), on
// the second core while the writer goes on. The writer still checkpoints
// itself when the log passes walBackstop pages — when readers keep the
// checkpointer from catching up — so the log stays bounded.
const (
	checkpointEvery = 200 * time.Millisecond
	walBackstop     = 10000 // pages: 40 MB of log at SQLite's 4 KiB pages
)

// startCheckpointer opens a connection of its own and checkpoints on it
// every checkpointEvery until the returned ticker stops. A checkpoint that
// cannot finish now (SQLITE_BUSY, a reader in the way) finishes at a
// later tick.
func startCheckpointer(dsn string) (*Ticker, error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxIdleTime(0)
	t := StartTicker(checkpointEvery, func() { conn.Exec("PRAGMA wal_checkpoint(PASSIVE)") })
	t.closer = conn.Close
	return t, nil
}

// Ticker runs a function every interval on a goroutine of its own.
type Ticker struct {
	stop, done chan struct{}
	closer     func() error // run after the last call, when set
}

func StartTicker(every time.Duration, fn func()) *Ticker {
	t := &Ticker{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tick.C:
				fn()
			}
		}
	}()
	return t
}

// Close stops the ticker, waiting for a call under way; nil stops nothing.
func (t *Ticker) Close() error {
	if t == nil {
		return nil
	}
	close(t.stop)
	<-t.done
	if t.closer != nil {
		return t.closer()
	}
	return nil
}
