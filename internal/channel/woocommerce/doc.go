// Package woocommerce reads a WooCommerce order — the REST API v3 order
// object, as GET /wp-json/wc/v3/orders/{id} returns it and the order.created
// and order.updated webhooks deliver it — into an oms.Ingested: the order
// draft to place and the totals WooCommerce states.
//
// WooCommerce keeps line and shipping amounts net of tax even when the shop
// enters prices with tax (prices_include_tax); for such a shop the adapter
// adds each amount's tax back, so that the draft's prices include their tax
// as oms expects when TaxesIncluded is set. Line taxes[] hold unrounded
// intermediate figures ("5.76555") and are never read as money: a line's
// tax is its rounded total_tax, reconciled with the order's cart_tax.
// Every other amount goes through money.Parse and is rejected, never
// rounded, when it has more decimals than the currency allows.
//
// Status cancelled sets Cancelled (a line of quantity 0 on it is kept with
// no amounts); status completed sets Shipped: the shop shipped the order
// before oms saw it.
//
// Parse is pure: it reads the bytes it is given and nothing else.
package woocommerce
