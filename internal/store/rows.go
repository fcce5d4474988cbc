package store

import (
	"time"

	"github.com/omshq/oms/internal/store/catalog"
)

// A row is one row of a set-based statement (InsertRows, RowSource,
// rowTable): a struct of its table's fields whose values method lays them
// out in the order of the table's column list, declared beside it. The
// seam checks that every row has a value per column (rowSource), so a
// column added to a list without its value, or the reverse, fails the
// first test that writes the table instead of shifting values into the
// wrong columns.
type row interface{ values() []any }

// rowsOf lays out typed rows for the seam.
func rowsOf[R row](rs []R) [][]any {
	out := make([][]any, len(rs))
	for i, r := range rs {
		out[i] = r.values()
	}
	return out
}

// lineRow is a row of order_lines (lineCols).
type lineRow struct {
	seq      int64
	position int
	item     any // int64, or nil for a line of no known item
	sku      string
	quantity, unitPrice, subtotal, discount, tax,
	open, allocated, shipped, cancelled, returned int64
	cost catalog.LineCost
}

func (r lineRow) values() []any {
	return []any{r.seq, r.position, r.item, r.sku, r.quantity, r.unitPrice, r.subtotal, r.discount, r.tax,
		r.open, r.allocated, r.shipped, r.cancelled, r.returned, r.cost.UnitCost, r.cost.Currency}
}

// ledgerRow is a row of the ledger (ledgerCols).
type ledgerRow struct {
	item, location             int64
	kind                       string
	delta, reservedDelta       int64
	onHandAfter, reservedAfter int64
	reference, orderID, actor  string
	at                         time.Time
}

func (r ledgerRow) values() []any {
	return []any{r.item, r.location, r.kind, r.delta, r.reservedDelta, r.onHandAfter, r.reservedAfter,
		r.reference, r.orderID, r.actor, r.at}
}

// move is the row's movement as the change feed carries it.
func (r ledgerRow) move() stockMove {
	return stockMove{item: r.item, location: r.location, kind: r.kind, delta: r.delta, reservedDelta: r.reservedDelta,
		onHandAfter: r.onHandAfter, reservedAfter: r.reservedAfter, at: r.at}
}

// allocationRow is a row of allocations (allocationCols).
type allocationRow struct {
	seq            int64
	position       int
	location, item int64
	quantity       int64
	at             time.Time
}

func (r allocationRow) values() []any {
	return []any{r.seq, r.position, r.location, r.item, r.quantity, r.at}
}

// fulfillmentRow is a row of fulfillments (fulfillmentCols).
type fulfillmentRow struct {
	seq              int64
	n                int
	location         int64
	pickup           bool
	status           string
	created, updated time.Time
	shipped          any // time.Time, or nil
}

func (r fulfillmentRow) values() []any {
	return []any{r.seq, r.n, r.location, r.pickup, r.status, r.created, r.updated, r.shipped}
}

// fulfillmentLineRow is a row of fulfillment_lines (fulfillmentLineCols).
type fulfillmentLineRow struct {
	seq      int64
	n        int
	position int
	quantity int64
}

func (r fulfillmentLineRow) values() []any { return []any{r.seq, r.n, r.position, r.quantity} }

// payloadRow is a row of order_payloads (payloadCols).
type payloadRow struct {
	seq, n   int64
	received time.Time
	updated  any // the channel's time, or nil
	applied  bool
	body     []byte
}

func (r payloadRow) values() []any {
	return []any{r.seq, r.n, r.received, r.updated, r.applied, r.body}
}

// holdRow is a row of holds (holdCols).
type holdRow struct {
	seq             int64
	n               int
	typ, reason, by string
	at              time.Time
}

func (r holdRow) values() []any { return []any{r.seq, r.n, r.typ, r.reason, r.by, r.at} }

// eventRow is a row of events (eventCols); data is the payload's JSON.
type eventRow struct {
	typ, subject, orderID, actor, data string
	at                                 time.Time
	requestID                          string // the request that caused it (X-Request-Id), or ""
}

func (r eventRow) values() []any {
	var oid any
	if r.orderID != "" {
		oid = r.orderID
	}
	var rid any
	if r.requestID != "" {
		rid = r.requestID
	}
	return []any{r.typ, r.subject, oid, r.actor, r.data, r.at, rid}
}
