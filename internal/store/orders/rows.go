package orders

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

// RowsOf lays out typed rows for the seam.
func RowsOf[R row](rs []R) [][]any {
	out := make([][]any, len(rs))
	for i, r := range rs {
		out[i] = r.values()
	}
	return out
}

// LineRow is a row of order_lines (LineCols).
type LineRow struct {
	Seq      int64
	Position int
	Item     any // int64, or nil for a line of no known item
	SKU      string
	Quantity, UnitPrice, Subtotal, Discount, Tax,
	Open, Allocated, Shipped, Cancelled, Returned int64
	Cost catalog.LineCost
}

func (r LineRow) values() []any {
	return []any{r.Seq, r.Position, r.Item, r.SKU, r.Quantity, r.UnitPrice, r.Subtotal, r.Discount, r.Tax,
		r.Open, r.Allocated, r.Shipped, r.Cancelled, r.Returned, r.Cost.UnitCost, r.Cost.Currency}
}

// LedgerRow is a row of the ledger (ledgerCols).
type LedgerRow struct {
	Item, Location             int64
	Kind                       string
	delta, ReservedDelta       int64
	OnHandAfter, ReservedAfter int64
	Reference, OrderID, Actor  string
	At                         time.Time
}

func (r LedgerRow) values() []any {
	return []any{r.Item, r.Location, r.Kind, r.delta, r.ReservedDelta, r.OnHandAfter, r.ReservedAfter,
		r.Reference, r.OrderID, r.Actor, r.At}
}

// move is the row's movement as the change feed carries it.
func (r LedgerRow) move() stockMove {
	return stockMove{item: r.Item, location: r.Location, kind: r.Kind, delta: r.delta, reservedDelta: r.ReservedDelta,
		onHandAfter: r.OnHandAfter, reservedAfter: r.ReservedAfter, at: r.At}
}

// AllocationRow is a row of allocations (AllocationCols).
type AllocationRow struct {
	Seq            int64
	Position       int
	Location, Item int64
	Quantity       int64
	At             time.Time
}

func (r AllocationRow) values() []any {
	return []any{r.Seq, r.Position, r.Location, r.Item, r.Quantity, r.At}
}

// FulfillmentRow is a row of fulfillments (FulfillmentCols).
type FulfillmentRow struct {
	Seq              int64
	N                int
	Location         int64
	Pickup           bool
	Status           string
	Created, Updated time.Time
	Shipped          any // time.Time, or nil
}

func (r FulfillmentRow) values() []any {
	return []any{r.Seq, r.N, r.Location, r.Pickup, r.Status, r.Created, r.Updated, r.Shipped}
}

// FulfillmentLineRow is a row of fulfillment_lines (FulfillmentLineCols).
type FulfillmentLineRow struct {
	Seq      int64
	N        int
	Position int
	Quantity int64
}

func (r FulfillmentLineRow) values() []any { return []any{r.Seq, r.N, r.Position, r.Quantity} }

// PayloadRow is a row of order_payloads (PayloadCols).
type PayloadRow struct {
	Seq, N   int64
	Received time.Time
	Updated  any // the channel's time, or nil
	Applied  bool
	Body     []byte
}

func (r PayloadRow) values() []any {
	return []any{r.Seq, r.N, r.Received, r.Updated, r.Applied, r.Body}
}

// HoldRow is a row of holds (HoldCols).
type HoldRow struct {
	Seq              int64
	N                int
	Type, Reason, By string
	At               time.Time
}

func (r HoldRow) values() []any { return []any{r.Seq, r.N, r.Type, r.Reason, r.By, r.At} }

// EventRow is a row of events (EventCols); data is the payload's JSON.
type EventRow struct {
	Type, Subject, OrderID, Actor, Data string
	At                                  time.Time
	RequestID                           string // the request that caused it (X-Request-Id), or ""
}

func (r EventRow) values() []any {
	var oid any
	if r.OrderID != "" {
		oid = r.OrderID
	}
	var rid any
	if r.RequestID != "" {
		rid = r.RequestID
	}
	return []any{r.Type, r.Subject, oid, r.Actor, r.Data, r.At, rid}
}
