package orders

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/omshq/oms"
)

// The store's side of the orders channels send in their own formats, which
// internal/store/channels takes: a new one placed through order placement
// (its listing SKUs mapped, what the channel said beyond the draft
// recorded), a later version applied to the order, and its unknown SKUs
// resolved when it is released.

// IngestExtra is what an order a channel sent in its own format carries
// beyond its draft.
type IngestExtra struct {
	Ingested *oms.Ingested
	Raw      []byte // the payload as received
	// Marketplace is the location an order shipped from outside oms's stock
	// is recorded at: the marketplace's own, for an order the marketplace
	// fulfils, or the channel's "outside oms" one, for an order the merchant
	// shipped before oms saw it; 0 for any other order.
	Marketplace int64
}

// ShippedElsewhere reports whether the order left stock oms does not keep:
// it is recorded shipped, and reserves and moves nothing.
func (x *IngestExtra) ShippedElsewhere() bool { return x != nil && x.Marketplace != 0 }

// UnknownSKUReason begins the reason of the hold on an order with a SKU oms
// does not know.
const UnknownSKUReason = "unknown_sku"

// SameAddress compares addresses as a person would: their text, not the
// coordinates oms may have added.
func SameAddress(a, b oms.Address) bool {
	a.Latitude, a.Longitude, b.Latitude, b.Longitude = nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}

const resolveLine = `
UPDATE order_lines SET item_id = $3, sku = $4, quantity = $5, qty_open = $6, unit_cost = $7, cost_currency = $8,
    unit_price = $9
WHERE order_seq = $1 AND position = $2`

// ResolveUnknown gives the order's lines whose SKU oms did not know the item
// they are now known as: an item with that SKU, or the single item the
// channel's listing SKU maps to (its quantity multiplied, its unit price
// divided, its subtotal kept). A line still
// unknown, or mapped to a bundle, is a conflict: the order stays held. It
// reports whether any line was resolved.
func (tx *Tx) ResolveUnknown(ctx context.Context, o *oms.Order, ids OrderIDs) (bool, error) {
	var unknown []int
	for i, l := range o.Lines {
		if ids.Items[l.ID] == 0 {
			unknown = append(unknown, i)
		}
	}
	if len(unknown) == 0 {
		return false, nil
	}
	var code string
	if err := tx.QueryRowContext(ctx, SelectOrderChannel, ids.Seq).Scan(&code); err != nil {
		return false, err
	}
	_, chID, err := tx.Channel(ctx, code)
	if err != nil {
		return false, err
	}
	listings := make([]string, len(unknown))
	for i, n := range unknown {
		listings[i] = o.Lines[n].SKU
	}
	ms, err := tx.SKUMappings(ctx, chID, listings)
	if err != nil {
		return false, err
	}
	var still []string
	for _, n := range unknown {
		l := &o.Lines[n]
		sku, mult := l.SKU, int64(1)
		if comps, ok := ms[l.SKU]; ok {
			if len(comps) > 1 {
				return false, oms.Errorf(oms.ECONFLICT, "line %s: listing SKU %q maps to a bundle of %d items; cancel the line and add its items to a new order",
					l.ID, l.SKU, len(comps))
			}
			sku, mult = comps[0].SKU, comps[0].Quantity
		}
		it, itemID, err := tx.Item(ctx, sku)
		if oms.ErrorCode(err) == oms.ENOTFOUND {
			still = append(still, l.SKU)
			continue
		} else if err != nil {
			return false, err
		}
		if l.Allocated+l.Shipped+l.Returned > 0 {
			return false, fmt.Errorf("line %s has stock against an unknown SKU", l.ID)
		}
		l.SKU, l.Quantity, l.Open, l.Cancelled = sku, l.Quantity*mult, l.Open*mult, l.Cancelled*mult
		l.UnitPrice = oms.UnitPrice(l.Subtotal, l.Quantity, l.UnitPrice)
		var price any = l.UnitPrice
		if o.AmountsUnknown {
			price = nil
		}
		if _, err := tx.ExecContext(ctx, resolveLine, ids.Seq, n, itemID, l.SKU, l.Quantity, l.Open, it.UnitCost, it.Currency,
			price); err != nil {
			return false, err
		}
		ids.Items[l.ID] = itemID
	}
	if len(still) > 0 {
		return false, oms.Errorf(oms.ECONFLICT, "order %s still has SKUs oms does not know (%s): create the items or map the listing SKUs, then release it",
			o.Number, strings.Join(still, ", "))
	}
	return true, nil
}
