package ebay

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/channel/internal/payload"
	"github.com/omshq/oms/money"
)

// sums are the lines' figures added up.
type sums struct {
	tax, shipping, duties, intermediation int64
	// marketplace is the first line's listingMarketplaceId.
	marketplace string
}

// readLines turns the line items into draft lines and returns their sums.
func readLines(in *oms.Ingested, a *amounts, items []lineItem) sums {
	var s sums
	for i := range items {
		it := &items[i]
		at := payload.Elem("lineItems", i)
		if i == 0 {
			s.marketplace = it.ListingMarketplaceID
		}
		least := int64(1)
		if in.Cancelled {
			least = 0 // the quantity of a line eBay cancelled may be 0
		}
		qty, ok := payload.QuantityFrom(a.p, at+".quantity", it.Quantity, least)
		line := readLine(in, a, at, it)
		s.tax += line.Tax
		if dc := it.DeliveryCost; dc != nil {
			s.shipping += a.get(at+".deliveryCost.shippingCost", dc.ShippingCost) +
				a.get(at+".deliveryCost.handlingCost", dc.HandlingCost)
			s.duties += a.get(at+".deliveryCost.importCharges", dc.ImportCharges)
			s.intermediation += a.get(at+".deliveryCost.shippingIntermediationFee", dc.ShippingIntermediationFee)
		}
		if ok && qty == 0 {
			in.Draft.Lines = append(in.Draft.Lines, oms.LineDraft{SKU: line.SKU, Title: line.Title, ListingID: line.ListingID})
			payload.Note(in, "%s has quantity 0 on the cancelled order: its amounts are left out", at)
			continue
		}
		if qty < 1 {
			continue
		}
		line.Quantity, line.UnitPrice = qty, line.Subtotal/qty
		in.Draft.Lines = append(in.Draft.Lines, line)
		if line.SKU == "" {
			payload.Note(in, "%s has no sku: map its listing %s", at, line.ListingID)
		}
	}
	if s.intermediation > 0 {
		payload.Note(in, "eBay's Global Shipping Program intermediation fee of %s is not part of the draft",
			money.Format(s.intermediation, a.code))
	}
	return s
}

// readLine reads one line item's amounts into a line without its quantity.
func readLine(in *oms.Ingested, a *amounts, at string, it *lineItem) oms.LineDraft {
	before := len(*a.p)
	if it.LineItemCost == nil {
		a.p.Add(at+".lineItemCost", "is required")
	}
	sub := a.get(at+".lineItemCost", it.LineItemCost)
	var disc int64
	for j, pr := range it.AppliedPromotions {
		path := payload.Elem(at+".appliedPromotions", j) + ".discountAmount"
		a.add(path, &disc, a.discount(path, pr.DiscountAmount))
	}
	if disc > sub {
		if len(*a.p) == before {
			a.p.Add(at+".appliedPromotions", "the discounts must not exceed lineItemCost")
		}
		disc = 0
	}
	// Both arrays carry the tax eBay collects when both are sent; taxes[]
	// alone is the older form.
	remit := taxSum(a, at+".ebayCollectAndRemitTaxes", it.EbayCollectAndRemitTaxes)
	other := taxSum(a, at+".taxes", it.Taxes)
	tax := remit
	if len(it.EbayCollectAndRemitTaxes) == 0 {
		tax = other
	} else if len(it.Taxes) > 0 && other != remit {
		payload.Note(in, "%s: taxes[] (%s) differ from ebayCollectAndRemitTaxes[] (%s); the latter is used",
			at, money.Format(other, a.code), money.Format(remit, a.code))
	}
	listing := it.LegacyItemID
	if it.LegacyVariationID != "" {
		listing += ":" + it.LegacyVariationID
	}
	if listing == "" {
		listing = it.LineItemID
	}
	return oms.LineDraft{SKU: it.SKU, Subtotal: sub, Discount: disc, Tax: tax,
		Title: payload.Text(it.Title, 500), ListingID: payload.Text(listing, 100)}
}

// taxSum adds up the tax amounts under path.
func taxSum(a *amounts, path string, taxes []tax) int64 {
	var sum int64
	for j, t := range taxes {
		at := payload.Elem(path, j) + ".amount"
		if t.Amount == nil {
			a.p.Add(at, "is required")
			continue
		}
		a.add(at, &sum, a.get(at, t.Amount))
	}
	return sum
}

// readCharges sets the draft's shipping, duties and tax inclusion, and the
// totals eBay states.
func readCharges(in *oms.Ingested, a *amounts, ps *pricingSummary, s sums) {
	d := &in.Draft
	before := len(*a.p)
	shipDiscount := a.discount("pricingSummary.deliveryDiscount", ps.DeliveryDiscount)
	if shipDiscount > s.shipping {
		if len(*a.p) == before {
			a.p.Add("pricingSummary.deliveryDiscount.value", "must not exceed the lines' shipping costs")
		}
		shipDiscount = 0
	}
	d.ShippingPrice = s.shipping - shipDiscount
	d.Duties = s.duties
	if s.duties > 0 {
		d.Incoterm = "DDP" // the buyer paid the import charges at checkout
	}
	statedTax := a.get("pricingSummary.tax", ps.Tax)
	ebayTax := s.tax > 0 || statedTax > 0
	d.TaxesIncluded = !ebayTax && !taxOnTop(s.marketplace, d.Currency)
	if d.TaxesIncluded {
		payload.Note(in, "prices include the seller's VAT, which eBay does not break out: the tax is 0")
	}
	for _, x := range []struct {
		name string
		m    *amount
	}{{"adjustment", ps.Adjustment}, {"fee", ps.Fee}} {
		if v := a.signed("pricingSummary."+x.name, x.m); v != 0 {
			payload.Note(in, "pricingSummary.%s of %s is in eBay's total but has no place in the draft",
				x.name, money.Format(v, a.code))
		}
	}
	if ps.Total == nil {
		payload.Note(in, "eBay stated no pricingSummary.total: the stated totals are left zero and cannot be reconciled")
		return
	}
	in.Stated = oms.Totals{
		Subtotal:      a.get("pricingSummary.priceSubtotal", ps.PriceSubtotal),
		DiscountTotal: a.discount("pricingSummary.priceDiscountSubtotal", ps.PriceDiscountSubtotal),
		ShippingTotal: a.get("pricingSummary.deliveryCost", ps.DeliveryCost) - shipDiscount,
		TaxTotal:      statedTax,
		DutiesTotal:   s.duties,
		Total:         a.get("pricingSummary.total", ps.Total),
	}
	// eBay does not say whether deliveryCost includes the import charges;
	// when it evidently does, they are duties, not shipping.
	if s.duties > 0 && in.Stated.ShippingTotal == d.ShippingPrice+s.duties {
		in.Stated.ShippingTotal -= s.duties
	}
}

// taxOnTop reports whether a marketplace's sellers price without tax: eBay's
// North American sites; a missing marketplace is judged by the currency.
func taxOnTop(marketplace, currency string) bool {
	switch marketplace {
	case "EBAY_US", "EBAY_MOTORS_US", "EBAY_CA":
		return true
	case "":
		return currency == "USD" || currency == "CAD"
	}
	return false
}
