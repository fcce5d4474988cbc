// Package reports is the reporting read model of oms: the order rollups
// (sales, shipping times, returns), the stock rollup and stockout spells,
// and the backorder counts, kept from the store's change feed, and the
// reports read from them.
//
// A *Reports reads the change feed of every write transaction of the
// store (store.FeedReader): it is given to the store as it opens, as
// store.Options.Feed, and then serves as the root package's oms.Reports
// (the store's Services include it). What a transaction changes reaches
// the rollups in the same transaction, as a journalled delta that a
// background fold adds to the rollup tables (see FoldReports); reports add
// the deltas not yet folded to what they read, so they are exact.
//
// The package reaches the database only through the store's seam:
// transactions (Update, View, Snapshot), the engines' SQL differences
// (Dialect), bulk row sources and the clock.
package reports

import (
	"context"
	"database/sql"
	"time"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/fx"
	"github.com/omshq/oms/internal/store"
)

// Reports is the reporting read model over one store.
type Reports struct {
	db     *store.DB
	engine engine
}

var (
	_ oms.Reports      = (*Reports)(nil)
	_ store.FeedReader = (*Reports)(nil)
)

// New returns the reporting read model, to give to the store as it opens
// (store.Options.Feed).
func New() *Reports { return &Reports{} }

// Of is the read model of a store opened with one (store.Options.Feed),
// or nil.
func Of(db *store.DB) *Reports {
	r, _ := db.Feed().(*Reports)
	return r
}

// Start is told of the store as it opens.
func (db *Reports) Start(s *store.DB) {
	d := s.Dialect()
	db.db, db.engine = s, engine{name: d.Name(), forUpdate: d.ForUpdate(), forShare: d.ForShare(), d: d}
}

// Rebuild recomputes every rollup: RebuildReports without progress.
func (db *Reports) Rebuild(ctx context.Context) error { return db.RebuildReports(ctx, nil) }

// OldestPendingFold returns, for the order rollups' journal and the stock
// rollup's, the id of the oldest delta not yet folded, 0 when none waits.
func (db *Reports) OldestPendingFold(ctx context.Context) ([2]int64, error) {
	var ids [2]int64
	err := db.db.QueryRow(ctx, "SELECT (SELECT COALESCE(MIN(id), 0) FROM rollup_pending), (SELECT COALESCE(MIN(id), 0) FROM stock_pending)").
		Scan(&ids[0], &ids[1])
	return ids, err
}

// txn is a store transaction as the read model uses it.
type txn struct {
	*store.Tx
	db  *Reports
	now time.Time
	// seen is the sum of the pending deltas a report's transaction sees,
	// stockSeen that of the pending stock deltas.
	seen      *rollupDelta
	stockSeen *stockRolls
}

func (db *Reports) wrap(tx *store.Tx) *txn { return &txn{Tx: tx, db: db, now: tx.Now()} }

// update runs fn in a read-write transaction of the store.
func (db *Reports) update(ctx context.Context, fn func(*txn) error) error {
	return db.db.Update(ctx, func(tx *store.Tx) error { return fn(db.wrap(tx)) })
}

// fold runs fn, a fold's transaction, in a read-write transaction that
// ends at its first failed statement (store.Tx.EndOnError): a fold that
// fails is run again whole.
func (db *Reports) fold(ctx context.Context, fn func(*txn) error) error {
	return db.update(ctx, func(tx *txn) error { tx.EndOnError(); return fn(tx) })
}

// view runs fn in a read-only transaction of the store.
func (db *Reports) view(ctx context.Context, fn func(*txn) error) error {
	return db.db.View(ctx, func(tx *store.Tx) error { return fn(db.wrap(tx)) })
}

// engine is the store's Dialect, with what the read model asks most.
type engine struct {
	name, forUpdate, forShare string
	d                         store.Dialect
}

func (e engine) inList(expr, pgType string, vals []any, args []any) (string, []any) {
	return e.d.InList(expr, pgType, vals, args)
}

func (e engine) rowSource(cols []column, rows [][]any, args []any) (string, []any) {
	return e.d.RowSource(storeColumns(cols), rows, args)
}

func (e engine) rowTable(cols []column, rows [][]any, args []any, alias string) (string, []any) {
	return e.d.RowTable(storeColumns(cols), rows, args, alias)
}

func (e engine) notNull(err error) bool { return e.d.NotNull(err) }

// column is a column of a bulk statement, with its PostgreSQL type.
type column struct{ name, pgType string }

func storeColumns(cols []column) []store.Column {
	out := make([]store.Column, len(cols))
	for i, c := range cols {
		out[i] = store.Column{Name: c.name, Type: c.pgType}
	}
	return out
}

// insertRows inserts rows into table.
func (tx *txn) insertRows(ctx context.Context, table string, cols []column, rows [][]any) error {
	return tx.insertRowsThen(ctx, table, cols, rows, "")
}

// insertRowsThen inserts rows into table, with suffix after each
// statement's rows.
func (tx *txn) insertRowsThen(ctx context.Context, table string, cols []column, rows [][]any, suffix string) error {
	return tx.InsertRows(ctx, table, storeColumns(cols), rows, suffix)
}

// row is a typed row of a bulk statement: its values in its columns' order.
type row interface{ values() []any }

// rowsOf lays typed rows out as a row source takes them.
func rowsOf[R row](rs []R) [][]any {
	out := make([][]any, len(rs))
	for i, r := range rs {
		out[i] = r.values()
	}
	return out
}

// filters resolves a report's channel, location and SKU to ids.
func (tx *txn) filters(ctx context.Context, p *oms.Problems, channel, location, sku string,
	refused func(field string) string) (stockFilter, error) {
	var f stockFilter
	var err error
	f.channel, f.location, f.item, err = tx.ResolveFilters(ctx, p, channel, location, sku, refused)
	return f, err
}

func (tx *txn) currencySettings(ctx context.Context) (oms.CurrencySettings, error) {
	return tx.CurrencySettings(ctx)
}

func (tx *txn) ratesOn(ctx context.Context, days []time.Time) (map[time.Time]*fx.RateSet, error) {
	return tx.RatesOn(ctx, days)
}

// lineCost is a line's unit cost as recorded.
type lineCost struct {
	unitCost int64
	currency string
}

// moveOf is the feed's movement as the stock rollup reads it.
func moveOf(m store.StockMove) stockMove {
	return stockMove{item: m.Item, location: m.Location, kind: m.Kind, delta: m.Delta, reservedDelta: m.ReservedDelta,
		onHandAfter: m.OnHandAfter, reservedAfter: m.ReservedAfter, at: m.At, cost: m.UnitCost}
}

// utcPtr is the time in UTC, or nil when NULL.
func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
