package amazon

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// sums are Amazon's item figures added up over every item, placed or not.
type sums struct {
	subtotal, discount, tax, shipping, shippingTax int64
	cod, giftWrap                                  int64
}

// readItems turns the items into draft lines and returns their sums. Items
// with QuantityOrdered 0 are left out with a note — unless Amazon cancelled
// the whole order, which zeroes every item: then each is a line of quantity
// 0 without amounts, as Amazon no longer says what was ordered. If no item
// is left, and no quantity was malformed, "order_items" is the problem.
func readItems(in *oms.Ingested, a *amounts, items []orderItem) sums {
	var s sums
	badQuantity := false
	var zeroed []oms.LineDraft
	for i := range items {
		it := &items[i]
		at := payload.Elem("order_items", i)
		// QuantityOrdered 0 is an item cancelled before shipping.
		qty, ok := payload.QuantityFrom(a.p, at+".QuantityOrdered", it.QuantityOrdered, 0)
		line := readLine(a, at, it, &s)
		switch {
		case !ok:
			badQuantity = true
		case qty == 0:
			zeroed = append(zeroed, oms.LineDraft{SKU: line.SKU, Title: line.Title, ListingID: line.ListingID})
			if !in.Cancelled {
				payload.Note(in, "%s (%s) has QuantityOrdered 0 and is not placed", at, describe(it))
			}
		default:
			line.Quantity, line.UnitPrice = qty, line.Subtotal/qty
			in.Draft.Lines = append(in.Draft.Lines, line)
			if line.SKU == "" {
				payload.Note(in, "%s has no SellerSKU: map its listing %s", at, line.ListingID)
			}
		}
		if it.ItemPrice == nil && !in.Cancelled {
			payload.Note(in, "%s has no ItemPrice (Amazon sends none while an order is Pending): its price is 0", at)
		}
		if it.BuyerRequestedCancel != nil && bool(it.BuyerRequestedCancel.IsBuyerRequestedCancel) {
			payload.Note(in, "the buyer asked to cancel %s (%s): %q", at, describe(it),
				payload.Clip(it.BuyerRequestedCancel.BuyerCancelReason, 200))
		}
	}
	switch {
	case len(in.Draft.Lines) == 0 && in.Cancelled && len(zeroed) > 0 && !badQuantity:
		in.Draft.Lines = zeroed
		payload.Note(in, "Amazon zeroed every item when it cancelled the order: the lines are kept with quantity 0")
	case len(in.Draft.Lines) == 0 && !badQuantity:
		a.p.Add("order_items", "at least one item with a quantity is required: an order's items come from getOrderItems")
	case in.Cancelled && len(zeroed) > 0:
		payload.Note(in, "%d items have QuantityOrdered 0 and are not placed", len(zeroed))
	}
	if s.cod > 0 {
		payload.Note(in, "a cash-on-delivery fee of %s is in OrderTotal but has no place in the draft", money.Format(s.cod, a.code))
	}
	if s.giftWrap > 0 {
		payload.Note(in, "gift wrap of %s is in OrderTotal but has no place in the draft", money.Format(s.giftWrap, a.code))
	}
	return s
}

// readLine reads one item's amounts into a line (without its quantity) and
// adds them to s.
func readLine(a *amounts, at string, it *orderItem, s *sums) oms.LineDraft {
	before := len(*a.p)
	sub := a.get(at+".ItemPrice", it.ItemPrice)
	disc := a.discount(at+".PromotionDiscount", it.PromotionDiscount)
	if disc > sub {
		if len(*a.p) == before {
			a.p.Add(at+".PromotionDiscount.Amount", "must not exceed ItemPrice")
		}
		disc = 0
	}
	// ItemTax is the tax on the undiscounted price; the promotion's share of
	// it is PromotionDiscountTax, which the buyer does not pay.
	tax := a.net(at+".ItemTax", it.ItemTax, at+".PromotionDiscountTax", it.PromotionDiscountTax)
	s.subtotal += sub
	s.discount += disc
	s.tax += tax
	s.shipping += a.net(at+".ShippingPrice", it.ShippingPrice, at+".ShippingDiscount", it.ShippingDiscount)
	s.shippingTax += a.net(at+".ShippingTax", it.ShippingTax, at+".ShippingDiscountTax", it.ShippingDiscountTax)
	s.cod += a.net(at+".CODFee", it.CODFee, at+".CODFeeDiscount", it.CODFeeDiscount)
	if b := it.BuyerInfo; b != nil {
		s.giftWrap += a.get(at+".BuyerInfo.GiftWrapPrice", b.GiftWrapPrice)
	}
	line := oms.LineDraft{SKU: it.SellerSKU, Subtotal: sub, Discount: disc, Tax: tax,
		Title: payload.Text(it.Title, 500), ListingID: payload.Text(it.ASIN, 100)}
	if line.ListingID == "" {
		line.ListingID = payload.Text(it.OrderItemID, 100)
	}
	return line
}

// describe names an item for a note: its SKU, else its ASIN.
func describe(it *orderItem) string {
	if it.SellerSKU != "" {
		return "SKU " + payload.Clip(it.SellerSKU, 100)
	}
	return "ASIN " + payload.Clip(it.ASIN, 20)
}
