package orders

import (
	"context"
	"fmt"

	"github.com/omshq/oms"
)

// Optimistic concurrency: every change to an order adds 1 to its version,
// and the API sends the version as the order's ETag. A client that sends it
// back (If-Match) has its change go ahead only while the order is still at
// that version, checked under the order's row lock. The changes that take
// an optional guard (CancelOrder, PlaceHold, ReleaseHolds) take the version
// as an argument, 0 for any; EditOrder always needs one.

// LockOrder loads the order, locking its row, and returns ESTALE when want
// is not 0 and the order is at another version.
func (tx *Tx) LockOrder(ctx context.Context, ref string, want int64) (*oms.Order, OrderIDs, error) {
	o, ids, err := tx.Order(ctx, ref, true)
	if err != nil || want == 0 || o.Version == want {
		return o, ids, err
	}
	msg := fmt.Sprintf("order %s is at version %d, not %d: it changed since it was read; read it again and retry", o.Number, o.Version, want)
	if want < 0 {
		// If-Match named no version of an order (a weak or malformed ETag):
		// it matches none.
		msg = fmt.Sprintf("order %s is at version %d: If-Match names no version of an order; send its ETag, such as \"%d\"", o.Number, o.Version, o.Version)
	}
	return nil, ids, &oms.Error{Code: oms.ESTALE, Message: msg,
		Fields: []oms.FieldError{{Field: "If-Match", Message: fmt.Sprintf(`the order's current version is %d (ETag "%d")`, o.Version, o.Version)}}}
}
