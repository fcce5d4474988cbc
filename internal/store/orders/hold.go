package orders

import (
	"context"

	"github.com/omshq/oms"
)

// selectActiveHolds loads the holds in force on an order.
const selectActiveHolds = `
SELECT type, reason, placed_by, placed_at FROM holds
WHERE order_seq = $1 AND released_at IS NULL ORDER BY n`

var HoldCols = []column{{Name: "order_seq", Type: "bigint"}, {Name: "n", Type: "bigint"}, {Name: "type", Type: "text"}, {Name: "reason", Type: "text"},
	{Name: "placed_by", Type: "text"}, {Name: "placed_at", Type: "timestamptz"}}

// holdsOf loads the holds in force on the order.
func holdsOf(ctx context.Context, q querier, seq int64) ([]oms.Hold, error) {
	rows, err := q.QueryContext(ctx, selectActiveHolds, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []oms.Hold{}
	for rows.Next() {
		var h oms.Hold
		if err := rows.Scan(&h.Type, &h.Reason, &h.PlacedBy, &h.PlacedAt); err != nil {
			return nil, err
		}
		h.PlacedAt = h.PlacedAt.UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}
