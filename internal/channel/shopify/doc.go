// Package shopify reads a Shopify order — the REST Admin Order JSON that is
// the body of the orders/create and orders/updated webhooks — into an
// oms.Ingested: the order draft to place and the totals Shopify states.
//
// Amounts are taken in the presentment currency, the one the customer paid
// in (each field's *_set.presentment_money); the unsuffixed shop-currency
// amount is used only when a field has no *_set and the shop and presentment
// currencies agree, or when the payload carries no presentment amounts at
// all (then the order is in the shop currency). Every amount goes through
// money.Parse: a value with more decimals than its currency allows is
// rejected, never rounded. Ids are read as integer literals, never through a
// float, because Shopify ids exceed 2^53.
//
// cancelled_at sets Cancelled (a line Shopify zeroed on the cancelled order
// is kept with quantity 0 and no amounts); fulfillment_status "fulfilled"
// sets Shipped: the merchant shipped the order before oms saw it.
//
// Parse is pure: it reads the bytes it is given and nothing else.
package shopify
