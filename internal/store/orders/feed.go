package orders

import (
	"context"
	"time"

	"github.com/omshq/oms"
)

// The change feed. A write that changes an order or a stock balance puts
// the change on its transaction's feed, by name, in the same transaction:
//
//   - tx.OrderChanging, before the transaction first changes an order.
//     Locking an order to change it (LockOrder, Order and OrderHead with
//     lock) is the ordinary way to change one and says so itself, so a new
//     write path that locks the order it changes is on the feed without a
//     line of report code;
//   - tx.OrdersPlaced, for the orders a placement batch creates, whose
//     figures are known in memory;
//   - tx.OrdersRebased, for orders whose base-currency totals were
//     recorded;
//   - tx.stockMoved, for ledger movements: Apply, the ordinary way to move
//     stock, says so itself.
//
// The feed has one reader, set when the store opens (Options.Feed): the
// report read model (internal/store/reports), which keeps its rollups from
// it. As the transaction ends, before it commits (and at the end of each
// call in a unit of work), the seam publishes the ledger movements the
// feed collected to the reader, which writes in the same transaction. The
// write code knows the feed, not the reports; the store calls report code
// only through FeedReader.

// A FeedReader reads the change feed inside the writing transactions. What
// it keeps for a transaction until the transaction publishes it lives in
// the transaction (Tx.FeedState).
type FeedReader interface {
	// OrderChanging is told of an order, by seq, before the transaction
	// changes it, maybe more than once.
	OrderChanging(ctx context.Context, tx *Tx, seq int64) error
	// OrdersPlaced is told of the orders a batch places, as they will read
	// back once it commits.
	OrdersPlaced(tx *Tx, orders []PlacedOrder)
	// OrdersRebased is told of orders whose base totals were just recorded:
	// before, their figures were the same but for the rate.
	OrdersRebased(ctx context.Context, tx *Tx, seqs []int64) error
	// Publish is given the transaction's ledger movements, in groups (a
	// movement of apply is a group of its own, a placement batch's
	// reservations one group), as the transaction ends, before it commits,
	// whenever there are movements or a feed state; it writes in the
	// transaction.
	Publish(ctx context.Context, tx *Tx, moves [][]StockMove) error
	// Fold is the reader's background work, which the store runs every
	// Options.FoldEvery.
	Fold(ctx context.Context) error
	// Rebuild recomputes everything the reader keeps from the source rows:
	// a migration that changes what it derives from asks for it.
	Rebuild(ctx context.Context) error
	// Check adds to r what is wrong with what the reader keeps, read in
	// tx: the snapshot of the store's Check.
	Check(ctx context.Context, tx *Tx, r *oms.CheckReport) error
}

// StockMove is a ledger movement as the feed carries it.
type StockMove struct {
	Item, Location             int64
	Kind                       string // the ledger's kind: receive, ship, reserve …
	Delta, ReservedDelta       int64
	OnHandAfter, ReservedAfter int64
	At                         time.Time
	// UnitCost is the item's unit cost as the movement's statement read
	// it, when CostKnown (a reservation's); else the reader looks it up.
	UnitCost  int64
	CostKnown bool
}

// PlacedOrder is an order a placement batch creates, as the feed carries
// it: what the order will read back as once the batch commits.
type PlacedOrder struct {
	Seq     int64
	Order   *oms.Order
	Channel int64  // the channel's id
	Base    string // the base currency the order is placed under; "" for none
	// LineItems is each line's item id, 0 for an unknown SKU; LineCosts
	// each line's unit cost as recorded.
	LineItems []int64
	LineCosts []LineCost
	// Placements are the planned units, by line and location id.
	Placements []Placement
	// Marketplace is the location of an order shipped outside oms's stock
	// (recorded shipped as it is placed), else 0.
	Marketplace int64
}

// LineCost is a line's unit cost and its currency, as recorded.
type LineCost struct {
	UnitCost int64
	Currency string
}

// Placement is units of a line planned at a location.
type Placement struct {
	Line     int
	Location int64
	Quantity int64
}

// NopFeed is the reader of a store opened without one: it keeps nothing.
type NopFeed struct{}

func (NopFeed) OrderChanging(context.Context, *Tx, int64) error    { return nil }
func (NopFeed) OrdersPlaced(*Tx, []PlacedOrder)                    {}
func (NopFeed) OrdersRebased(context.Context, *Tx, []int64) error  { return nil }
func (NopFeed) Publish(context.Context, *Tx, [][]StockMove) error  { return nil }
func (NopFeed) Fold(context.Context) error                         { return nil }
func (NopFeed) Rebuild(context.Context) error                      { return nil }
func (NopFeed) Check(context.Context, *Tx, *oms.CheckReport) error { return nil }

// Feed returns the store's feed reader (Options.Feed).
func (db *DB) Feed() FeedReader { return db.feed }

// changes is what a transaction has put on the feed and not yet published.
type changes struct {
	// moves are the ledger movements, in groups published each as one.
	moves [][]stockMove
	// state is the reader's, for the transaction (FeedState).
	state any
}

// empty reports whether nothing waits to be published.
func (c *changes) empty() bool {
	return len(c.moves) == 0 && c.state == nil
}

// FeedState is what the feed reader keeps for the transaction until it
// publishes: nil until the reader sets it.
func (tx *Tx) FeedState() any { return tx.changes.state }

// SetFeedState sets what the feed reader keeps for the transaction; the
// transaction publishes when it ends and forgets it.
func (tx *Tx) SetFeedState(s any) { tx.changes.state = s }

// stockMove is a ledger movement on the feed.
type stockMove struct {
	item, location             int64
	kind                       string
	delta, reservedDelta       int64
	onHandAfter, reservedAfter int64
	at                         time.Time
	cost                       int64 // the item's unit cost, when costKnown
	costKnown                  bool
}

// OrderChanging puts the order on the feed: the transaction is about to
// change it. Calls after the first for an order in a transaction repeat it.
func (tx *Tx) OrderChanging(ctx context.Context, seq int64) error {
	return tx.DB.feed.OrderChanging(ctx, tx, seq)
}

// OrdersPlaced puts the orders a batch places on the feed.
func (tx *Tx) OrdersPlaced(ps []*Pending) {
	if _, ok := tx.DB.feed.(NopFeed); ok {
		return
	}
	out := make([]PlacedOrder, len(ps))
	for i, p := range ps {
		out[i] = p.placed()
	}
	tx.DB.feed.OrdersPlaced(tx, out)
}

// placed is the order as the feed carries it.
func (p *Pending) placed() PlacedOrder {
	o := PlacedOrder{Seq: p.IDs.Seq, Order: p.Order, Channel: p.Channel.ID, Base: p.Base, LineItems: p.LineItems,
		LineCosts: make([]LineCost, len(p.Costs)), Placements: make([]Placement, len(p.Plan.Placements))}
	for i, c := range p.Costs {
		o.LineCosts[i] = LineCost{c.UnitCost, c.Currency}
	}
	for i, pl := range p.Plan.Placements {
		o.Placements[i] = Placement{Line: pl.Line, Location: p.IDs.Location[pl.Location], Quantity: pl.Quantity}
	}
	if p.Ingest.ShippedElsewhere() {
		o.Marketplace = p.Ingest.Marketplace
	}
	return o
}

// Backordered reports whether the order is placed with units of a known
// item waiting for stock.
func (p *Pending) Backordered() bool {
	for i, l := range p.Order.Lines {
		if l.Open > 0 && p.LineItems[i] != 0 {
			return true
		}
	}
	return false
}

// OrdersRebased puts on the feed the orders whose base totals were just
// recorded.
func (tx *Tx) OrdersRebased(ctx context.Context, seqs []int64) error {
	return tx.DB.feed.OrdersRebased(ctx, tx, seqs)
}

// stockMoved puts ledger movements on the feed, as one group.
func (tx *Tx) stockMoved(ms ...stockMove) {
	if len(ms) > 0 {
		tx.changes.moves = append(tx.changes.moves, ms)
	}
}

// PublishSoFar hands what the feed has collected so far to its reader
// before the transaction ends (which publishes the rest). A write about to
// lock rows that other transactions wait for publishes first, so that the
// reader's writes for what came before are not made while it holds them.
func (tx *Tx) PublishSoFar(ctx context.Context) error { return tx.publish(ctx) }

// publish hands what the feed collected to its reader and empties it.
func (tx *Tx) publish(ctx context.Context) error {
	if tx.changes.empty() {
		return nil
	}
	c := tx.changes
	tx.changes = changes{state: c.state} // the reader reads its state as it publishes
	defer func() { tx.changes = changes{} }()
	moves := make([][]StockMove, len(c.moves))
	for i, ms := range c.moves {
		moves[i] = make([]StockMove, len(ms))
		for j, m := range ms {
			moves[i][j] = StockMove{Item: m.item, Location: m.location, Kind: m.kind, Delta: m.delta,
				ReservedDelta: m.reservedDelta, OnHandAfter: m.onHandAfter, ReservedAfter: m.reservedAfter, At: m.at,
				UnitCost: m.cost, CostKnown: m.costKnown}
		}
	}
	return tx.DB.feed.Publish(ctx, tx, moves)
}
