package httpapi

import "github.com/omshq/oms"

// operation is what the OpenAPI document says of a route — its summary and
// description, query parameters, request and answer types, statuses — and
// what bounds its request: the body limit, whether it takes If-Match.
type operation struct {
	summary   string
	doc       string  // a longer description
	request   any     // the body's type
	response  any     // the success body's type
	status    []int   // success statuses
	query     []param // query parameters
	bodyLimit int64   // the largest body taken; decode.MaxBody when 0
	ifMatch   guard   // whether the route takes If-Match
	csv       bool    // whether the route also answers CSV, to Accept: text/csv
}

// pageQuery are the query parameters of a paged list.
var pageQuery = []param{{"limit", "integer", "page size, 1–200 (default 50)"}, {"after", "string", "next_cursor of the previous page"}}

// skuPrefixParam narrows a list to the SKUs that start with it.
var skuPrefixParam = param{"sku_prefix", "string", "only SKUs that start with this"}

// operations are the operations of the route table, by operation id.
var operations = map[string]operation{
	"get_healthz": {
		summary:  "Liveness and database check",
		response: health{}, status: []int{200, 503},
	},
	"get_readyz": {
		summary:  "Readiness: the database answers and its schema is current (503 while not)",
		response: readiness{}, status: []int{200, 503},
	},
	"get_metrics": {
		summary: "Prometheus metrics, in its text format (404 when oms serve --metrics-addr serves them elsewhere)",
		doc:     metricsDoc, response: metricsText{}, status: []int{200},
	},
	"get_openapi_json": {
		summary: "This OpenAPI document",
		status:  []int{200},
	},

	"get_v1_channels": {
		summary:  "List channels",
		response: channelList{}, status: []int{200},
	},
	"get_v1_channels_code": {
		summary:  "Get a channel",
		response: oms.Channel{}, status: []int{200},
	},
	"put_v1_channels_code": {
		summary: "Create or replace a channel",
		request: channelRequest{}, response: oms.Channel{}, status: []int{200, 201},
	},
	"post_v1_channels_code_orders": {
		summary:   "Take one order in the format of the channel's kind (Shopify, WooCommerce, eBay order JSON; Amazon {order, order_items}; CSV; oms's own for web, pos, api): 201 when new, 200 when known (OMS-Ingest-Outcome: duplicate, updated or stale)",
		bodyLimit: maxChannelBody, request: channelPayload{}, response: oms.Order{}, status: []int{201, 200},
		doc: ingestDoc,
	},
	"post_v1_webhooks_code": {
		summary:   "A channel's signed order webhook (Shopify X-Shopify-Hmac-Sha256, WooCommerce X-WC-Webhook-Signature: base64 HMAC-SHA256 of the body with the channel's webhook secret); 401 when the signature is bad or missing, and the same 401 for a channel code that does not exist or whose kind sends no webhooks",
		bodyLimit: maxChannelBody, request: channelPayload{}, response: webhookAnswer{}, status: []int{201, 200},
		doc: webhookDoc,
	},
	"get_v1_channels_code_availability": {
		summary:  "What the channel may sell per SKU: free stock at the locations serving it × share − buffer, never negative (CSV with Accept: text/csv)",
		response: oms.AvailabilityPage{}, status: []int{200}, csv: true, query: []param{{"limit", "integer", "SKUs per page, 1–5000 (default 1000)"}, {"after", "string", "next_cursor of the previous page"}},
	},
	"get_v1_channels_code_sku_mappings": {
		summary:  "The channel's listing SKUs mapped to oms SKUs",
		response: skuMappingList{}, status: []int{200},
	},
	"put_v1_channels_code_sku_mappings_listing_sku": {
		summary: "Map a listing SKU to an oms SKU, or to a bundle of several",
		request: skuMappingRequest{}, response: oms.SKUMapping{}, status: []int{200},
	},
	"delete_v1_channels_code_sku_mappings_listing_sku": {
		summary: "Remove a listing SKU's mapping",
		status:  []int{204},
	},

	"get_v1_locations": {
		summary:  "List locations",
		response: locationList{}, status: []int{200},
	},
	"get_v1_locations_code": {
		summary:  "Get a location",
		response: oms.Location{}, status: []int{200},
	},
	"put_v1_locations_code": {
		summary: "Create or replace a location",
		request: locationRequest{}, response: oms.Location{}, status: []int{200, 201},
	},

	"get_v1_items": {
		summary:  "List items in SKU order (by bytes, as Go and the C locale compare), with their unit costs (for admin and manager keys: costs:read)",
		response: itemPage{}, status: []int{200}, query: append([]param{skuPrefixParam}, pageQuery...),
	},
	"get_v1_items_sku": {
		summary:  "Get an item",
		response: itemView{}, status: []int{200},
	},
	"put_v1_items_sku": {
		summary: "Create or replace an item",
		request: itemRequest{}, response: itemView{}, status: []int{200, 201},
	},

	"get_v1_inventory_sku_atp": {
		summary:  "Available to promise: now, and at each date supply is due",
		response: oms.ATP{}, status: []int{200},
	},
	"post_v1_supply": {
		summary: "Record expected supply (purchase order or transfer) with its ETA",
		request: supplyRequest{}, response: oms.Supply{}, status: []int{201},
	},
	"get_v1_supply": {
		summary:  "Expected supply, by ETA",
		response: supplyList{}, status: []int{200}, query: []param{{"sku", "string", "only this SKU"}, {"status", "string", "open, received or cancelled"}, {"limit", "integer", "1–200 (default 50)"}},
	},
	"get_v1_supply_id": {
		summary:  "Get expected supply",
		response: oms.Supply{}, status: []int{200},
	},
	"post_v1_supply_id_receive": {
		summary: "Receive supply into stock (all still due, or quantity); waiting orders get it, oldest first",
		request: receiveRequest{}, response: oms.Supply{}, status: []int{200},
	},
	"post_v1_transfers": {
		summary: "Move stock between locations: out of the source now, in transit to the destination as supply",
		request: transferRequest{}, response: oms.Supply{}, status: []int{201},
	},
	"get_v1_settings_fulfillment": {
		summary:  "Fulfillment settings (pickup expiry)",
		response: oms.FulfillmentSettings{}, status: []int{200},
	},
	"put_v1_settings_fulfillment": {
		summary: "Replace the fulfillment settings (every field required)",
		request: oms.FulfillmentSettings{}, response: oms.FulfillmentSettings{}, status: []int{200},
	},
	"put_v1_geo_postal_centroids": {
		summary: "Add or replace postal-code centroids, which place ship-to addresses without coordinates for sourcing",
		request: centroidsRequest{}, response: centroidsRequest{}, status: []int{200},
	},
	"post_v1_inventory_adjustments": {
		summary: "Record a stock movement (receive, adjust, count, damage)",
		request: adjustmentRequest{}, response: oms.LedgerEntry{}, status: []int{201},
	},
	"get_v1_inventory": {
		summary:  "Stock of every SKU in SKU order: on hand, reserved and available in all and by location (no costs)",
		response: inventoryPage{}, status: []int{200}, query: append([]param{skuPrefixParam, {"location", "string", "only balances at this location code, and only SKUs stocked there"},
			{"low_stock", "boolean", lowStockDoc}, {"below", "integer", "the low_stock threshold in units (default 0: nothing available)"}}, pageQuery...),
		doc: inventoryListDoc,
	},
	"get_v1_inventory_sku": {
		summary:  "Stock of a SKU at every location",
		response: oms.Stock{}, status: []int{200},
	},
	"get_v1_inventory_sku_ledger": {
		summary:  "Stock movements of a SKU, newest first",
		response: ledgerPage{}, status: []int{200}, query: pageQuery,
	},

	"post_v1_orders": {
		summary: "Place an order (idempotent on channel + external_id)",
		request: orderRequest{}, response: oms.Order{}, status: []int{201, 200},
	},
	"get_v1_orders": {
		summary:  "List orders, newest first",
		response: orderPage{}, status: []int{200}, query: append([]param{{"status", "string", "only orders in this status"}, {"channel", "string", "only orders from this channel code"},
			{"q", "string", "an order number, external id, email or phone; or words of the customer's name, email, phone or the tracking numbers, the last word as the start of one"},
			{"expand", "string", "lines: include each order's lines and allocations"}}, pageQuery...),
	},
	"get_v1_orders_id": {
		summary:  "Get an order by id or number",
		response: oms.Order{}, status: []int{200},
	},
	"get_v1_orders_id_events": {
		summary:  "The order's timeline, oldest first",
		response: eventList{}, status: []int{200},
	},
	"get_v1_orders_id_timeline": {
		summary:  "Everything that happened to the order, oldest first: events, notes, case messages",
		response: timeline{}, status: []int{200},
	},
	"post_v1_orders_id_notes": {
		summary: "Add an internal note to the order",
		request: noteRequest{}, response: oms.Note{}, status: []int{201},
	},
	"get_v1_orders_id_notes": {
		summary:  "The order's internal notes",
		response: noteList{}, status: []int{200},
	},
	"get_v1_search": {
		summary:  "One search box: exact order number, external id, tracking number, email, phone or channel customer id first, then orders holding every word, then the last word as a prefix; newest first within each; customers of the orders found for keys that may read customers",
		response: searchAnswer{}, status: []int{200}, query: []param{{"q", "string", "what to search for, 1–200 bytes"}, {"limit", "integer", "orders, 1–100 (default 20)"}},
	},
	"get_v1_customers": {
		summary:  "Customers, newest first",
		response: customerPage{}, status: []int{200}, query: append([]param{{"q", "string", "an email; or a channel's customer id, or words of a name, email or phone, the last as the start of one"}}, pageQuery...),
	},
	"get_v1_customers_customer": {
		summary:  "A customer (by id or email) with their identities, lifetime value, order count and dates, units returned, open cases, and their orders across every channel, newest first (limit and after page the orders)",
		response: oms.CustomerView{}, status: []int{200}, query: pageQuery,
	},
	"post_v1_customers_customer_notes": {
		summary: "Add an internal note to the customer (by id or email)",
		request: noteRequest{}, response: oms.Note{}, status: []int{201},
	},
	"get_v1_customers_customer_notes": {
		summary:  "The customer's internal notes",
		response: noteList{}, status: []int{200},
	},
	"post_v1_cases": {
		summary: "Open a case: a customer inquiry, for a customer and optionally an order",
		request: caseRequest{}, response: oms.Case{}, status: []int{201},
	},
	"get_v1_cases": {
		summary: "Cases, newest first",
		query: append([]param{{"status", "string", "open, pending or resolved"}, {"assignee", "string", "only this assignee's"},
			{"customer", "string", "only this customer's (id or email)"}, {"order", "string", "only this order's (id or number)"}}, pageQuery...), response: casePage{}, status: []int{200},
	},
	"get_v1_cases_id": {
		summary:  "A case with its messages and service times",
		response: oms.Case{}, status: []int{200},
	},
	"post_v1_cases_id_messages": {
		summary: "Add a message: a staff reply leaves the case pending on the customer (the first is the first response), a customer's opens it again",
		request: caseMessageRequest{}, response: oms.Case{}, status: []int{200},
	},
	"patch_v1_cases_id": {
		summary: "Change a case's status (open, pending, resolved) or assignee",
		request: caseUpdate{}, response: oms.Case{}, status: []int{200},
	},
	"get_v1_orders_id_payloads": {
		summary:  "The payloads the channel sent for the order, as received",
		response: payloadList{}, status: []int{200},
	},
	"get_v1_events": {
		summary:  "The event stream, oldest first: every event after the cursor (next_cursor is the last event's id; keep it and ask again)",
		response: eventPage{}, status: []int{200}, query: []param{{"after", "string", "an event id: the events after it"},
			{"type", "string", "only events of this type, e.g. inventory.availability_changed"}, {"limit", "integer", "1–1000 (default 100)"}},
	},
	"get_v1_orders_id_sourcing": {
		summary:  "Where the order's units were placed and why each location won or lost",
		response: oms.Sourcing{}, status: []int{200},
	},
	"post_v1_sourcing_simulate": {
		summary: "Source a hypothetical order on current stock; nothing is written",
		request: orderRequest{}, response: oms.Sourcing{}, status: []int{200},
	},
	"get_v1_orders_id_fulfillments": {
		summary:  "The order's fulfillments",
		response: fulfillmentList{}, status: []int{200},
	},
	"get_v1_fulfillments_id": {
		summary:  "Get a fulfillment",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"get_v1_locations_code_fulfillments": {
		summary:  "A location's fulfillments, oldest order first (open ones unless status is given)",
		response: fulfillmentList{}, status: []int{200}, query: []param{{"status", "string", "comma-separated statuses; default pending,picking,packed,ready_for_pickup"}, {"limit", "integer", "1–200 (default 50)"}},
	},
	"get_v1_locations_code_picklist": {
		summary:  "What to pick at a location, by SKU, for its pending and picking fulfillments",
		response: pickList{}, status: []int{200}, query: []param{{"limit", "integer", "fulfillments to cover, 1–200 (default 50)"}},
	},
	"post_v1_fulfillments_moves": {
		summary: "Move many fulfillments in one request (up to 500), as a wave closes or a carrier reports deliveries: each move is all or nothing, a refused one is answered in its result and the others go ahead",
		request: moveBatchRequest{}, response: moveBatchResponse{}, status: []int{200},
		doc: moveBatchDoc,
	},
	"post_v1_fulfillments_id_pick": {
		summary:  "Start picking",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_pack": {
		summary:  "Mark packed",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_ship": {
		summary: "Ship, with tracking; lines ship part of it and leave the rest pending",
		request: shipRequest{}, response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_deliver": {
		summary:  "Mark delivered",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_ready": {
		summary:  "Store pickup: ready at the counter",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_pickup": {
		summary:  "Store pickup: collected by the customer",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_cancel": {
		summary:  "Cancel: release its units and source them elsewhere",
		response: oms.Fulfillment{}, status: []int{200},
	},
	"post_v1_fulfillments_id_reject": {
		summary: "The location cannot supply units: release them and source the order again elsewhere",
		request: rejectRequest{}, response: oms.Order{}, status: []int{200},
	},
	"post_v1_orders_id_holds": {
		summary: "Put the order on hold (fraud, payment, address, manual); its stock stays reserved",
		request: holdRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard,
	},
	"post_v1_orders_id_release": {
		summary: "Release the order's holds (of one type, or all)",
		request: releaseRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard,
	},
	"get_v1_settings_screening": {
		summary:  "The rules that put suspicious orders on hold",
		response: oms.Screening{}, status: []int{200},
	},
	"put_v1_settings_screening": {
		summary: "Replace the screening rules: every field required, none null; 0, false or {} turns a rule off",
		request: oms.Screening{}, response: oms.Screening{}, status: []int{200},
	},
	"get_v1_settings_store": {
		summary:  "How the store presents itself to its customers: the name on the customers' return page",
		response: oms.StoreSettings{}, status: []int{200},
	},
	"put_v1_settings_store": {
		summary: "Replace the store settings; an empty name shows each order's channel name instead",
		request: oms.StoreSettings{}, response: oms.StoreSettings{}, status: []int{200},
	},
	"post_v1_orders_id_cancel": {
		summary: "Cancel lines or the whole order, releasing stock: no body, {} or only a reason cancels everything not yet shipped; lines, when given, must name at least one (an empty list is a 400, never all)",
		request: cancelRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard,
	},
	"post_v1_orders_id_edits": {
		summary: "Edit the order before fulfillment, all or nothing: set_quantity, add_line, remove_line, cancel_line, set_ship_to; stock is reserved or released, totals computed again; answers the old and new totals and the difference",
		ifMatch: requiredGuard, request: editRequest{}, response: editResponse{}, status: []int{200},
	},
	"post_v1_orders_id_source": {
		summary: "Send the order to sourcing again: its units waiting for stock (backordered or not yet allocated) are placed where stock is now, " +
			"from every location but those that rejected units of it; allocated units stay where they are. Records an order.sourced event " +
			"(reason \"sent to sourcing again\"), even when nothing could be placed. 409 when the order is shipped, delivered or cancelled, " +
			"has no unit waiting, or waits on an unknown SKU (release that hold instead)",
		response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard,
	},
	"get_v1_orders_id_edits": {
		summary:  "The order's edits, oldest first: who, when, what changed, lines and totals before and after",
		response: editList{}, status: []int{200},
	},

	"post_v1_orders_id_returns": {
		summary: "Start a return (RMA) of shipped units, with a reason per line; replacement lines make it an exchange",
		request: returnRequest{}, response: oms.Return{}, status: []int{201},
	},
	"get_v1_returns": {
		summary: "Returns, newest first",
		query:   append([]param{{"status", "string", "requested, approved, received, closed or rejected"}, {"order", "string", "only this order's (id or number)"}}, pageQuery...), response: returnPage{}, status: []int{200},
	},
	"get_v1_returns_id": {
		summary:  "A return with its lines, received units, exchange and refund value",
		response: oms.Return{}, status: []int{200},
	},
	"post_v1_returns_id_approve": {
		summary:  "Approve a requested return; an exchange places its replacement order now (409 out_of_stock when it cannot be reserved, and nothing changes)",
		response: oms.Return{}, status: []int{200},
	},
	"post_v1_returns_id_reject": {
		summary:  "Reject a requested return",
		response: oms.Return{}, status: []int{200},
	},
	"post_v1_returns_id_receive": {
		summary: "Receive an approved return: each unit's condition, restocked at a location (ledger movement return) or scrapped; the refund value becomes exact",
		request: receiveReturnRequest{}, response: oms.Return{}, status: []int{200},
	},
	"post_v1_returns_id_close": {
		summary: "Close a received return and issue its refund (less an exchange's replacement total; agents up to their limit)",
		request: closeReturnRequest{}, response: oms.Return{}, status: []int{200},
	},
	"post_v1_orders_id_refunds": {
		summary: "Record a manual refund or a goodwill credit (appeasement), at most what is left of the order's total",
		request: refundRequest{}, response: oms.Refund{}, status: []int{201},
	},
	"get_v1_orders_id_refunds": {
		summary:  "The order's refunds, and what is left to refund",
		response: oms.OrderRefunds{}, status: []int{200},
	},
	"get_v1_settings_returns": {
		summary:  "Return settings: reasons, shipping refund rule, restocking fee, agents' refund limit",
		response: oms.ReturnSettings{}, status: []int{200},
	},
	"put_v1_settings_returns": {
		summary: "Replace the return settings (every field required, none null)",
		request: oms.ReturnSettings{}, response: oms.ReturnSettings{}, status: []int{200},
	},
	"post_v1_orders_id_return_link": {
		summary: "Make a signed return link for the customer: it opens this order's return portal only, until it expires",
		request: returnLinkRequest{}, response: oms.ReturnLink{}, status: []int{201},
	},
	"get_v1_return_portal_token": {
		summary:  "A return link's order: its lines and what may still be returned (404 when the link is bad or expired)",
		response: oms.Portal{}, status: []int{200},
	},
	"post_v1_return_portal_token_returns": {
		summary: "Start a return of a return link's order",
		request: portalReturnRequest{}, response: oms.PortalReturn{}, status: []int{201},
	},

	"post_v1_fx_rates": {
		summary: "Import ECB euro reference rates (the daily or a history XML file); fills the base totals of orders that waited for them",
		request: ecbDocument{}, response: oms.FXImport{}, status: []int{200}, bodyLimit: maxRatesBody,
	},
	"get_v1_fx_rates": {
		summary:  "The euro reference rates in force on a day: the latest ECB day on or before it, at most a week older",
		response: ratesResponse{}, status: []int{200}, query: []param{{"date", "string", "YYYY-MM-DD, 1970-01-01 to 2200-12-31 (default today, UTC)"}},
	},
	"get_v1_fx_rates_convert": {
		summary:  "Convert minor units between currencies through the euro, half to even, at the rates in force on a day",
		response: oms.Conversion{}, status: []int{200}, query: []param{{"from", "string", "ISO 4217 code of the amount"}, {"to", "string", "ISO 4217 code to convert into"},
			{"amount", "integer", "minor units of from"}, {"date", "string", "YYYY-MM-DD, 1970-01-01 to 2200-12-31 (default today, UTC)"}},
	},
	"get_v1_settings_currency": {
		summary:  "The base currency orders also record their totals in",
		response: oms.CurrencySettings{}, status: []int{200},
	},
	"put_v1_settings_currency": {
		summary: "Set the base currency (required; \"\": none); orders placed from then on record base totals",
		request: oms.CurrencySettings{}, response: oms.CurrencySettings{}, status: []int{200},
	},
	"get_v1_tax_rules": {
		summary:  "List the tax rules, by country and region",
		response: taxRuleList{}, status: []int{200},
	},
	"get_v1_tax_rules_key": {
		summary:  "Get the tax rule of a country (DE) or region (US-CA)",
		response: oms.TaxRule{}, status: []int{200},
	},
	"put_v1_tax_rules_key": {
		summary: "Create or replace the tax rule of a country (DE) or region (US-CA, CA-QC)",
		request: taxRuleRequest{}, response: oms.TaxRule{}, status: []int{200, 201},
	},
	"delete_v1_tax_rules_key": {
		summary: "Delete a tax rule",
		status:  []int{204},
	},

	"get_v1_admin_check": {
		summary:  "Verify every invariant (what oms check does), on a consistent snapshot",
		response: checkReport{}, status: []int{200},
	},

	"post_v1_api_keys": {
		summary: "Create an API key (the secret is shown once)",
		request: apiKeyRequest{}, response: apiKeyCreated{}, status: []int{201},
	},
	"get_v1_api_keys": {
		summary:  "List the live API keys, newest first, with their prefixes and last use (never their secrets)",
		response: apiKeyPage{}, status: []int{200}, query: pageQuery,
	},
	"delete_v1_api_keys_id": {
		summary: "Revoke an API key: every server refuses it within a second; 204 again for a revoked key; 409 for the last live admin key",
		status:  []int{204},
	},
	"post_v1_api_keys_id_rotate": {
		summary: "Give an API key a new secret, shown once; the old secret keeps working for expires_in_seconds (default 86400, at most 604800), then is refused",
		request: apiKeyRotateRequest{}, response: apiKeyCreated{}, status: []int{200},
		doc: rotateDoc,
	},

	"get_v1_exports_orders": {
		summary:  "Orders as CSV, oldest first: one row per order with its totals (decimal amounts in the order's currency) and base-currency total",
		response: csvFile{}, status: []int{200}, query: exportParams,
		doc: exportDoc,
	},
	"get_v1_exports_order_lines": {
		summary:  "Order lines as CSV, oldest order first: SKU, prices, discount, tax and units open, allocated, shipped, cancelled and returned",
		response: csvFile{}, status: []int{200}, query: exportParams,
		doc: exportDoc,
	},
	"get_v1_exports_inventory": {
		summary:  "Stock as CSV: on hand, reserved, safety stock, available and value at unit cost per SKU and location",
		response: csvFile{}, status: []int{200}, query: exportParams,
		doc: exportDoc,
	},
	"get_v1_exports_ledger": {
		summary:  "Stock movements as CSV, oldest first",
		response: csvFile{}, status: []int{200}, query: exportParams,
		doc: exportDoc,
	},
	"post_v1_webhook_endpoints": {
		doc: webhookEndpointDoc, summary: "Subscribe a URL to events (the signing secret is shown once)", request: webhookEndpointRequest{}, response: webhookEndpointCreated{}, status: []int{201},
	},
	"get_v1_webhook_endpoints": {
		summary: "List the webhook endpoints, newest first", response: webhookEndpointPage{}, status: []int{200}, query: pageQuery,
	},
	"get_v1_webhook_endpoints_id": {
		summary: "Get a webhook endpoint (never its secret)", response: oms.WebhookEndpoint{}, status: []int{200},
	},
	"patch_v1_webhook_endpoints_id": {
		summary: "Change a webhook endpoint's URL, event types, description, or enable or disable it", request: webhookEndpointRequest{}, response: oms.WebhookEndpoint{}, status: []int{200},
	},
	"delete_v1_webhook_endpoints_id": {
		summary: "Delete a webhook endpoint and its delivery log", status: []int{204},
	},
	"post_v1_webhook_endpoints_id_rotate_secret": {
		summary: "Give a webhook endpoint a new secret, shown once; both sign every message until expires_in_seconds (default 86400, at most 604800) has passed", request: webhookRotateRequest{}, response: webhookEndpointCreated{}, status: []int{200},
	},
	"get_v1_webhook_endpoints_id_deliveries": {
		summary: "The endpoint's delivery log, newest event first: status, attempts, last response code, latency and error", response: webhookDeliveryPage{}, status: []int{200}, query: append([]param{{"status", "string", "pending, failed, succeeded or dead"}}, pageQuery...),
	},
	"post_v1_webhook_endpoints_id_deliveries_delivery_id_retry": {
		summary: "Queue a delivery again (a dead one too): it goes out at once, in its order's place, with the whole retry schedule ahead", response: oms.WebhookDelivery{}, status: []int{200},
	},
	"post_v1_webhook_endpoints_id_replay": {
		summary: "Queue again every event from `from` to before `to` that the endpoint subscribes to, delivered before or not (at most 10000 events in the range)", request: webhookReplayRequest{}, response: webhookReplayAnswer{}, status: []int{202},
	},
}
