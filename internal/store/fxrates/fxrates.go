// Package fxrates keeps the exchange rates: the euro reference rates by
// day (imported from the ECB's files, a correction replacing a rate), the
// rates in force on a day and conversions at them, this process's cache of
// the rates in force that order placement reads with every batch
// (RatesIn), and the orders' totals in the base currency that an import
// fills in for the orders that waited for its rates, with their check. It
// implements those parts of oms.Admin on the engine seam (sqldb).
package fxrates

import (
	"context"
	"sync"
	"time"

	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store/sqldb"
)

// Rates are the exchange rates of a database, with this process's cache of
// the rates in force by day.
type Rates struct {
	db     *sqldb.DB
	update Writer
	cache  rateCache
}

// A Writer runs fn in a read-write transaction of the store, retried as
// sqldb.DB.Update retries, whose changes reach the store's change feed;
// rebased puts on that feed the orders whose base totals fn recorded.
type Writer func(ctx context.Context, fn func(tx *sqldb.Tx, rebased Rebased) error) error

// Rebased puts on the store's change feed the orders, by seq, whose base
// totals the transaction just recorded.
type Rebased func(ctx context.Context, seqs []int64) error

// New returns the exchange rates of db; an import writes through update.
func New(db *sqldb.DB, update Writer) *Rates { return &Rates{db: db, update: update} }

// rateCache keeps the rates in force on each day asked for, for
// sqldb.SettingsTTL: order placement converts every order's totals. An
// import clears it; another server's import is seen within the TTL.
type rateCache struct {
	mu   sync.Mutex
	days map[time.Time]cachedRates
}

type cachedRates struct {
	set    *fx.RateSet // nil: no rates in force that day
	loaded time.Time
}

// maxCachedDays bounds the days the cache holds before it drops the stale.
const maxCachedDays = 1000

func (c *rateCache) clear() {
	c.mu.Lock()
	c.days = nil
	c.mu.Unlock()
}
