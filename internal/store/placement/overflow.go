package placement

import (
	"math"

	"github.com/omshq/oms/money"
)

// Sums and products of amounts and quantities are checked: one that does
// not fit in 64 bits is refused (oms.TooLarge), never wrapped around. The
// databases check their own arithmetic too: PostgreSQL raises
// numeric_value_out_of_range (22003), SQLite raises "integer overflow" from
// SUM but turns + and * into floating point, so the rollups' running sums
// are written through engine.checkedInt, which makes SQLite refuse such a
// result as NULL (see DB.run for how both reach the client).

// mulOrMax returns a × b, or the largest int64 when it does not fit, for a
// check further on to refuse.
func mulOrMax(a, b int64) int64 {
	if v, ok := money.Mul(a, b); ok {
		return v
	}
	return math.MaxInt64
}
