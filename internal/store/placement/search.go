package placement

import (
	"github.com/omshq/oms/internal/store/orders"
	"github.com/omshq/oms/internal/store/search"
)

// searchRow is the index row of a newly placed order (search.Row).
func searchRow(p *orders.Pending) []any { return search.Row(p.IDs.Seq, p.Order) }
