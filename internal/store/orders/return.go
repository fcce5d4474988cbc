package orders

import (
	"context"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store/returns"
)

// orderLinks reads the orders an exchange ties to the order
// (returns.Links).
func orderLinks(ctx context.Context, q querier, seq int64) ([]oms.OrderLink, error) {
	return returns.Links(ctx, q, seq)
}

// returnRef parses a return id (returns.Number).
func returnRef(ref string) (int64, error) { return returns.Number(ref) }
