// Package ebay reads an eBay Sell Fulfillment API v1 order — the body of
// getOrder (GET /sell/fulfillment/v1/order/{orderId}), or one element of
// getOrders' orders[] — into an oms.Ingested: the order draft to place and
// the totals eBay states.
//
// Money. eBay's Amount is {value, currency} with value a decimal string,
// read with money.Parse: more decimals than the currency has is EINVALID,
// never rounded. When eBay converted an amount it adds convertedFromValue
// and convertedFromCurrency: value is then in the seller's currency and the
// buyer paid convertedFromValue in convertedFromCurrency. The draft is in
// the buyer's currency (that of pricingSummary.total's convertedFromCurrency
// when present), so converted amounts are read from convertedFromValue and
// the draft is marked ForeignCurrency; a note gives eBay's converted total.
// An amount in neither currency is EINVALID unless it is zero.
//
// Lines. lineItemCost is the price of all units before discount: it is the
// line's Subtotal and UnitPrice is Subtotal / quantity rounded down.
// Discount is the sum of appliedPromotions[].discountAmount, as a positive
// amount whatever its sign. Tax is the line's ebayCollectAndRemitTaxes[]
// sum, or its taxes[] sum when it has no collect-and-remit taxes (the two
// arrays describe the same tax when both are sent).
//
// Charges. ShippingPrice is Σ deliveryCost.shippingCost + handlingCost over
// the lines, less pricingSummary.deliveryDiscount (sent negative; its
// magnitude is used). deliveryCost.importCharges (eBay International
// Shipping / Global Shipping Program) are the draft's Duties, and Incoterm
// is DDP then, since the buyer paid them at checkout. ShippingTax is 0: eBay
// reports tax per line only.
//
// Tax inclusion. Tax that eBay collects and remits (US sales tax, AU/NZ
// GST, UK/EU import VAT) is added on top of the price: pricingSummary.total =
// priceSubtotal + priceDiscountSubtotal + deliveryCost + deliveryDiscount +
// tax. When an order has such tax, TaxesIncluded is false. Otherwise the
// tax is the seller's own: on eBay's North American marketplaces (EBAY_US,
// EBAY_MOTORS_US, EBAY_CA) prices exclude it, and everywhere else (EBAY_DE,
// EBAY_GB, EBAY_AU …) prices are VAT-inclusive and eBay sends no breakdown,
// so TaxesIncluded is true with a tax of 0 and a note. The marketplace is
// the first line's listingMarketplaceId.
//
// Stated totals are pricingSummary's: priceSubtotal, the magnitude of
// priceDiscountSubtotal, deliveryCost less deliveryDiscount, tax, the
// lines' import charges as duties, and total. pricingSummary.adjustment and
// .fee are in total but have no place in a draft: they are noted, and
// Reconcile then reports the difference. Without pricingSummary.total the
// stated totals are left zero, with a note.
//
// cancelStatus.cancelState CANCELED sets Cancelled (and lets a line's
// quantity be 0: such a line is kept without amounts); orderFulfillmentStatus
// FULFILLED sets Shipped, the seller having shipped the order before oms saw
// it; Status is orderFulfillmentStatus, with a note when orderPaymentStatus
// is not PAID.
// The customer and ship-to come from fulfillmentStartInstructions[0]
// .shippingStep.shipTo; its email is kept only when it is an email address
// (eBay masks it 14 days after the sale).
//
// Parse is pure: it reads the bytes it is given and nothing else.
package ebay
