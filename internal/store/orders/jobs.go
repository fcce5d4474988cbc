package orders

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/metrics"
)

// jobHooks connect the store to the server's durable job queue (River,
// see internal/jobs), which lives in the same database, and to its
// metrics. The webhook deliveries' jobs are internal/store/webhooks'
// (SetWebhookQueue).
type jobHooks struct {
	// sqliteDSN opens more connections to the SQLite file, as the writer's.
	sqliteDSN string
	// AllocateLater enqueues, in the caller's transaction, a job that
	// gives an item's stock to the orders still waiting for it; nil: none.
	AllocateLater func(ctx context.Context, tx *sql.Tx, itemID int64) error
	// Metrics records orders placed and refused, stock reserved and the
	// order writer's batches; nil records nothing.
	Metrics *metrics.Metrics
}

// CountPlaced records what became of an order handed to place: placed
// (reserving stock, or finding too little to reserve all of it), a repeat
// of one placed before (not counted), or refused for the error's code.
func (h *jobHooks) CountPlaced(channel string, o *oms.Order, created bool, err error) {
	m := h.Metrics
	if m == nil {
		return
	}
	if err != nil {
		code := oms.ErrorCode(err)
		if code == "" {
			code = "error"
		}
		m.OrderRefused(code)
		if code == oms.EOUTOFSTOCK {
			m.StockShort()
		}
		return
	}
	if !created || o == nil {
		return
	}
	m.OrderPlaced(channel)
	var reserved, open int64
	for _, l := range o.Lines {
		reserved += l.Allocated
		open += l.Open
	}
	if reserved > 0 {
		m.StockReserved(int(reserved))
	}
	if open > 0 {
		m.StockShort()
	}
}

// AllocateLater enqueues the job that serves the item's waiting orders
// beyond those this transaction served.
func (tx *Tx) AllocateLater(ctx context.Context, itemID int64) error {
	if tx.DB.Jobs.AllocateLater == nil {
		return nil
	}
	if err := tx.DB.Jobs.AllocateLater(ctx, tx.SQL(), itemID); err != nil {
		return fmt.Errorf("enqueue allocating backorders: %w", err)
	}
	return nil
}
