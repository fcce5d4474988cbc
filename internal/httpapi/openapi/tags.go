package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// apiTags are the areas of the API, in the order the document lists them;
// each operation is under one.
var apiTags = openapi3.Tags{
	{Name: "orders", Description: "Place, find, read, edit, hold and cancel orders; their events, payloads and sourcing; screening rules."},
	{Name: "fulfillment", Description: "Shipments and store pickups from each location: pick lists, pick, pack, ship, deliver, hand over, reject; pickup settings."},
	{Name: "inventory", Description: "Stock per SKU and location, the stock ledger, adjustments, expected supply, transfers and available to promise."},
	{Name: "catalog", Description: "Items (SKUs) and locations (warehouses, stores, marketplaces)."},
	{Name: "channels", Description: "Sales channels: their settings, orders in each channel's own format, signed webhooks, listing SKU mappings and the stock each may sell."},
	{Name: "customers", Description: "Customers and customer service: the search box, customers across channels, cases, internal notes and an order's whole timeline."},
	{Name: "returns", Description: "Returns (RMAs), exchanges and refunds; return links and the customer's return portal; return settings."},
	{Name: "reports", Description: "Sales, margins, stock, turnover, stockouts, fulfillment and returns reports, as JSON or CSV; report settings."},
	{Name: "exports", Description: "CSV exports of orders, lines, stock and more, streamed."},
	{Name: "international", Description: "Currencies and exchange rates, conversion, the base currency, and tax rules by country and region."},
	{Name: "events", Description: "The event stream: every fact oms recorded, in order, after a cursor."},
	{Name: "admin", Description: "API keys and the invariant check."},
	{Name: "system", Description: "Health and this document."},
}

// tagRules map paths to their area: the first rule whose path is the
// route's path, or a prefix of it ending at a '/', wins.
var tagRules = []struct{ path, tag string }{
	{"/healthz", "system"},
	{"/readyz", "system"},
	{"/metrics", "system"},
	{"/openapi.json", "system"},
	{"/v1/orders/{id}/fulfillments", "fulfillment"},
	{"/v1/orders/{id}/returns", "returns"},
	{"/v1/orders/{id}/refunds", "returns"},
	{"/v1/orders/{id}/return-link", "returns"},
	{"/v1/orders/{id}/notes", "customers"},
	{"/v1/orders/{id}/timeline", "customers"},
	{"/v1/orders", "orders"},
	{"/v1/sourcing", "orders"},
	{"/v1/geo", "orders"},
	{"/v1/settings/screening", "orders"},
	{"/v1/fulfillments", "fulfillment"},
	{"/v1/locations/{code}/fulfillments", "fulfillment"},
	{"/v1/locations/{code}/picklist", "fulfillment"},
	{"/v1/settings/fulfillment", "fulfillment"},
	{"/v1/inventory", "inventory"},
	{"/v1/supply", "inventory"},
	{"/v1/transfers", "inventory"},
	{"/v1/items", "catalog"},
	{"/v1/locations", "catalog"},
	{"/v1/channels", "channels"},
	{"/v1/webhooks", "channels"},
	{"/v1/search", "customers"},
	{"/v1/customers", "customers"},
	{"/v1/cases", "customers"},
	{"/v1/returns", "returns"},
	{"/v1/return-portal", "returns"},
	{"/v1/settings/returns", "returns"},
	{"/v1/settings/store", "returns"}, // the name on the customers' return page
	{"/v1/reports", "reports"},
	{"/v1/settings/reports", "reports"},
	{"/v1/exports", "exports"},
	{"/v1/fx-rates", "international"},
	{"/v1/tax-rules", "international"},
	{"/v1/settings/currency", "international"},
	{"/v1/events", "events"},
	{"/v1/admin", "admin"},
	{"/v1/api-keys", "admin"},
	{"/v1/webhook-endpoints", "events"},
}

// Tag returns the area of the API a path belongs to. A path no rule
// covers is under its first segment after /v1/, a tag the document does not
// list: the document's tests fail until the route gets its area.
func Tag(path string) string {
	for _, r := range tagRules {
		if path == r.path || strings.HasPrefix(path, r.path+"/") {
			return r.tag
		}
	}
	rest := strings.TrimPrefix(path, "/v1/")
	first, _, _ := strings.Cut(rest, "/")
	return first
}
