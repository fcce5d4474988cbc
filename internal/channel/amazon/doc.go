// Package amazon reads an Amazon Selling Partner API Orders v0 order — one
// Order of getOrders (payload.Orders[]) with the OrderItems of its
// getOrderItems (payload.OrderItems[]) — into an oms.Ingested: the order
// draft to place and the totals Amazon states.
//
// Amazon sends an order and its items in two responses, so Parse takes an
// envelope of our own, {"order": <Order>, "order_items": [<OrderItem>…]};
// Orders, Items and Envelope cut a getOrders page and a getOrderItems
// response into that envelope for a bulk import. Field paths in errors are
// paths in the envelope, such as "order_items[1].QuantityOrdered".
//
// Money. Every Amount is a decimal string read with money.Parse in the
// order's currency (OrderTotal's, else the first item amount's, else the
// marketplace's), so "3980" and "3980.00" are both 3980 JPY and a value with
// more decimals than the currency has is rejected, never rounded. An amount
// in another currency is rejected; one without a CurrencyCode is taken to be
// in the order's. Discounts (PromotionDiscount, ShippingDiscount and their
// taxes) are read as magnitudes: Amazon documents them positive, some
// payloads send them negative, and a discount is never a surcharge.
//
// Lines. ItemPrice is the price of all units (unit × QuantityOrdered): it is
// the line's Subtotal, and UnitPrice is Subtotal / quantity rounded down.
// Discount is PromotionDiscount. Tax is ItemTax − PromotionDiscountTax:
// ItemTax is the tax on the undiscounted ItemPrice and PromotionDiscountTax
// the tax part of the promotion, so the difference is the tax the buyer
// pays (on amazon.de, 89.99 € at 19 % carries 14.37 € VAT, the 9.00 €
// promotion 1.44 €, and the 80.99 € paid 12.93 €). An item with
// QuantityOrdered 0 (a cancelled item) is left out with a note; an order
// with no item left is EINVALID naming "order_items": an order without
// lines cannot be placed, and a getOrderItems response always has items, so
// an empty list means the caller has not fetched them yet. A Canceled order
// is the exception: Amazon zeroes every item of it and drops its prices,
// OrderTotal and address, so each item is a line of quantity 0 (the draft
// is Cancelled, which allows it), and when no amount is left at all
// AmountsUnknown says the money is unknown rather than 0.
//
// Charges. ShippingPrice is Σ ShippingPrice − Σ ShippingDiscount and
// ShippingTax Σ ShippingTax − Σ ShippingDiscountTax over the items. COD fees
// and gift wrap have no place in a draft: they are noted, and since
// OrderTotal includes them Reconcile reports the difference.
//
// Tax inclusion is decided by MarketplaceId: the North American marketplaces
// amazon.com (ATVPDKIKX0DER), amazon.ca (A2EUQ1WTGCTBG2) and amazon.com.mx
// (A1AM78C64UM0Y8) add tax on top of prices; every other marketplace (the
// EU, UK, JP, AU …) prices VAT/GST-inclusive, ItemTax being the tax inside
// ItemPrice, so TaxesIncluded is true. For a missing or unknown
// MarketplaceId the currency decides (USD, CAD, MXN: on top), with a note.
//
// Stated totals are Amazon's item figures summed as above, with Total =
// OrderTotal. Pending orders come without OrderTotal (and without
// ShippingAddress and BuyerInfo): then Stated is left entirely zero and a
// note says Amazon stated no total, so a caller checks Stated.Total before
// calling Reconcile. FulfillmentChannel AFN (Fulfilled by Amazon) sets
// FulfilledByChannel; OrderStatus Canceled sets Cancelled; OrderStatus
// Shipped of a merchant-fulfilled (MFN) order sets Shipped: the merchant
// shipped it before oms saw it.
//
// Parse is pure: it reads the bytes it is given and nothing else.
package amazon
