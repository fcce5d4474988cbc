package openapi

// Prose is what the document says of an operation in words: its summary, a
// longer description, and its query parameters.
type Prose struct {
	Summary string
	Doc     string  // a longer description
	Query   []Param // query parameters
}

// ProseOf returns the prose of the operation with the id (see OperationID),
// and whether there is any.
func ProseOf(id string) (Prose, bool) {
	p, ok := prose[id]
	return p, ok
}

// ProseIDs returns the ids of the operations that have prose.
func ProseIDs() []string {
	ids := make([]string, 0, len(prose))
	for id := range prose {
		ids = append(ids, id)
	}
	return ids
}

// pageQuery are the query parameters of a paged list.
var pageQuery = []Param{{"limit", "integer", "page size, 1–200 (default 50)"}, {"after", "string", "next_cursor of the previous page"}}

// skuPrefixParam narrows a list to the SKUs that start with it.
var skuPrefixParam = Param{"sku_prefix", "string", "only SKUs that start with this"}

// prose is the prose of the operations of the route table, by operation id.
var prose = map[string]Prose{
	"get_healthz": {Summary: "Liveness and database check"},
	"get_readyz":  {Summary: "Readiness: the database answers and its schema is current (503 while not)"},
	"get_metrics": {
		Summary: "Prometheus metrics, in its text format (404 when oms serve --metrics-addr serves them elsewhere)",
		Doc:     metricsDoc,
	},
	"get_openapi_json": {Summary: "This OpenAPI document"},

	"get_v1_channels":      {Summary: "List channels"},
	"get_v1_channels_code": {Summary: "Get a channel"},
	"put_v1_channels_code": {Summary: "Create or replace a channel"},
	"post_v1_channels_code_orders": {
		Summary: "Take one order in the format of the channel's kind (Shopify, WooCommerce, eBay order JSON; Amazon {order, order_items}; CSV; oms's own for web, pos, api): 201 when new, 200 when known (OMS-Ingest-Outcome: duplicate, updated or stale)",
		Doc:     ingestDoc,
	},
	"post_v1_webhooks_code": {
		Summary: "A channel's signed order webhook (Shopify X-Shopify-Hmac-Sha256, WooCommerce X-WC-Webhook-Signature: base64 HMAC-SHA256 of the body with the channel's webhook secret); 401 when the signature is bad or missing, and the same 401 for a channel code that does not exist or whose kind sends no webhooks",
		Doc:     webhookDoc,
	},
	"get_v1_channels_code_availability": {
		Summary: "What the channel may sell per SKU, in SKU order: each listing SKU as its components allow, and each item's SKU the channel does not list under that name; an item offers its free stock at the locations serving the channel × share − buffer, never negative (CSV with Accept: text/csv)",
		Query:   []Param{{"limit", "integer", "SKUs per page, 1–5000 (default 1000)"}, {"after", "string", "next_cursor of the previous page"}},
	},
	"get_v1_channels_code_sku_mappings":                {Summary: "The channel's listing SKUs mapped to oms SKUs"},
	"put_v1_channels_code_sku_mappings_listing_sku":    {Summary: "Map a listing SKU to an oms SKU, or to a bundle of several"},
	"delete_v1_channels_code_sku_mappings_listing_sku": {Summary: "Remove a listing SKU's mapping"},

	"get_v1_locations":      {Summary: "List locations"},
	"get_v1_locations_code": {Summary: "Get a location"},
	"put_v1_locations_code": {Summary: "Create or replace a location"},

	"get_v1_items": {
		Summary: "List items in SKU order (by bytes, as Go and the C locale compare), with their unit costs (for admin and manager keys: costs:read)",
		Query:   append([]Param{skuPrefixParam}, pageQuery...),
	},
	"get_v1_items_sku": {Summary: "Get an item"},
	"put_v1_items_sku": {Summary: "Create or replace an item"},

	"get_v1_inventory_sku_atp": {Summary: "Available to promise: now, and at each date supply is due"},
	"post_v1_supply":           {Summary: "Record expected supply (purchase order or transfer) with its ETA"},
	"get_v1_supply": {
		Summary: "Expected supply, by ETA",
		Query: []Param{{"sku", "string", "only this SKU"}, {"location", "string", "only that due at this location"},
			{"status", "string", "open, received or cancelled"}, {"limit", "integer", "1–200 (default 50)"},
			{"after", "string", "the next_cursor of the previous page"}},
	},
	"get_v1_supply_id":                  {Summary: "Get expected supply"},
	"post_v1_supply_id_receive":         {Summary: "Receive supply into stock (all still due, or quantity); waiting orders get it, oldest first"},
	"post_v1_transfers":                 {Summary: "Move stock between locations: out of the source now, in transit to the destination as supply"},
	"get_v1_settings_fulfillment":       {Summary: "Fulfillment settings (pickup expiry)"},
	"put_v1_settings_fulfillment":       {Summary: "Replace the fulfillment settings (every field required)"},
	"put_v1_geo_postal_centroids":       {Summary: "Add or replace postal-code centroids, which place ship-to addresses without coordinates for sourcing"},
	"post_v1_inventory_adjustments":     {Summary: "Record a stock movement (receive, adjust, count, damage)"},
	"put_v1_inventory_sku_safety_stock": {Summary: "Set the units of the SKU kept back from sale at a location (safety stock); lowering it gives waiting orders the units freed"},
	"get_v1_inventory": {
		Summary: "Stock of every SKU in SKU order: on hand, reserved and available in all and by location (no costs)",
		Doc:     inventoryListDoc,
		Query: append([]Param{skuPrefixParam, {"location", "string", "only balances at this location code, and only SKUs stocked there"},
			{"low_stock", "boolean", lowStockDoc}, {"below", "integer", "the low_stock threshold in units (default 0: nothing available)"}}, pageQuery...),
	},
	"get_v1_inventory_sku": {Summary: "Stock of a SKU at every location"},
	"get_v1_inventory_sku_ledger": {
		Summary: "Stock movements of a SKU, newest first",
		Query:   pageQuery,
	},

	"post_v1_orders": {Summary: "Place an order (idempotent on channel + external_id)"},
	"get_v1_orders": {
		Summary: "List orders, newest first",
		Query: append([]Param{{"status", "string", "only orders in this status"}, {"channel", "string", "only orders from this channel code"},
			{"q", "string", "an order number, external id, email or phone; or words of the customer's name, email, phone or the tracking numbers, the last word as the start of one"},
			{"expand", "string", "lines: include each order's lines and allocations"}}, pageQuery...),
	},
	"get_v1_orders_id":          {Summary: "Get an order by id or number"},
	"get_v1_orders_id_events":   {Summary: "The order's timeline, oldest first"},
	"get_v1_orders_id_timeline": {Summary: "Everything that happened to the order, oldest first: events, notes, case messages"},
	"post_v1_orders_id_notes":   {Summary: "Add an internal note to the order"},
	"get_v1_orders_id_notes":    {Summary: "The order's internal notes"},
	"get_v1_search": {
		Summary: "One search box: exact order number, external id, tracking number, email, phone or channel customer id first, then orders holding every word, then the last word as a prefix; newest first within each; customers of the orders found for keys that may read customers",
		Query:   []Param{{"q", "string", "what to search for, 1–200 bytes"}, {"limit", "integer", "orders, 1–100 (default 20)"}},
	},
	"get_v1_customers": {
		Summary: "Customers, newest first",
		Query:   append([]Param{{"q", "string", "an email; or a channel's customer id, or words of a name, email or phone, the last as the start of one"}}, pageQuery...),
	},
	"get_v1_customers_customer": {
		Summary: "A customer (by id or email) with their identities, lifetime value, order count and dates, units returned, open cases, and their orders across every channel, newest first (limit and after page the orders)",
		Query:   pageQuery,
	},
	"post_v1_customers_customer_notes": {Summary: "Add an internal note to the customer (by id or email)"},
	"get_v1_customers_customer_notes":  {Summary: "The customer's internal notes"},
	"post_v1_cases":                    {Summary: "Open a case: a customer inquiry, for a customer and optionally an order"},
	"get_v1_cases": {
		Summary: "Cases, newest first",
		Query: append([]Param{{"status", "string", "open, pending or resolved"}, {"assignee", "string", "only this assignee's"},
			{"customer", "string", "only this customer's (id or email)"}, {"order", "string", "only this order's (id or number)"}}, pageQuery...),
	},
	"get_v1_cases_id":           {Summary: "A case with its messages and service times"},
	"post_v1_cases_id_messages": {Summary: "Add a message: a staff reply leaves the case pending on the customer (the first is the first response), a customer's opens it again"},
	"patch_v1_cases_id":         {Summary: "Change a case's status (open, pending, resolved) or assignee"},
	"get_v1_orders_id_payloads": {Summary: "The payloads the channel sent for the order, as received"},
	"get_v1_events": {
		Summary: "The event stream, oldest first: every event after the cursor (next_cursor is the last event's id; keep it and ask again)",
		Query: []Param{{"after", "string", "an event id: the events after it"},
			{"type", "string", "only events of this type, e.g. inventory.availability_changed"}, {"limit", "integer", "1–1000 (default 100)"}},
	},
	"get_v1_orders_id_sourcing":     {Summary: "Where the order's units were placed and why each location won or lost"},
	"post_v1_sourcing_simulate":     {Summary: "Source a hypothetical order on current stock; nothing is written"},
	"get_v1_orders_id_fulfillments": {Summary: "The order's fulfillments"},
	"get_v1_fulfillments_id":        {Summary: "Get a fulfillment"},
	"get_v1_locations_code_fulfillments": {
		Summary: "A location's fulfillments, oldest order first (open ones unless status is given)",
		Query:   []Param{{"status", "string", "comma-separated statuses; default pending,picking,packed,ready_for_pickup"}, {"limit", "integer", "1–200 (default 50)"}},
	},
	"get_v1_locations_code_picklist": {
		Summary: "What to pick at a location, by SKU, for its pending and picking fulfillments",
		Query:   []Param{{"limit", "integer", "fulfillments to cover, 1–200 (default 50)"}},
	},
	"post_v1_fulfillments_moves": {
		Summary: "Move many fulfillments in one request (up to 500), as a wave closes or a carrier reports deliveries: each move is all or nothing, a refused one is answered in its result and the others go ahead",
		Doc:     moveBatchDoc,
	},
	"post_v1_fulfillments_id_pick":    {Summary: "Start picking"},
	"post_v1_fulfillments_id_pack":    {Summary: "Mark packed"},
	"post_v1_fulfillments_id_ship":    {Summary: "Ship, with tracking; lines ship part of it and leave the rest pending"},
	"post_v1_fulfillments_id_deliver": {Summary: "Mark delivered"},
	"post_v1_fulfillments_id_ready":   {Summary: "Store pickup: ready at the counter"},
	"post_v1_fulfillments_id_pickup":  {Summary: "Store pickup: collected by the customer"},
	"post_v1_fulfillments_id_cancel":  {Summary: "Cancel: release its units and source them elsewhere"},
	"post_v1_fulfillments_id_reject":  {Summary: "The location cannot supply units: release them and source the order again elsewhere"},
	"post_v1_orders_id_holds":         {Summary: "Put the order on hold (fraud, payment, address, manual); its stock stays reserved"},
	"post_v1_orders_id_release":       {Summary: "Release the order's holds (of one type, or all)"},
	"get_v1_settings_screening":       {Summary: "The rules that put suspicious orders on hold"},
	"put_v1_settings_screening":       {Summary: "Replace the screening rules: every field required, none null; 0, false or {} turns a rule off"},
	"get_v1_settings_store":           {Summary: "How the store presents itself to its customers: the name on the customers' return page"},
	"put_v1_settings_store":           {Summary: "Replace the store settings; an empty name shows each order's channel name instead"},
	"post_v1_orders_id_cancel":        {Summary: "Cancel lines or the whole order, releasing stock: no body, {} or only a reason cancels everything not yet shipped; lines, when given, must name at least one (an empty list is a 400, never all)"},
	"post_v1_orders_id_edits":         {Summary: "Edit the order before fulfillment, all or nothing: set_quantity, add_line, remove_line, cancel_line, set_ship_to; stock is reserved or released, totals computed again; answers the old and new totals and the difference"},
	"post_v1_orders_id_source": {Summary: "Send the order to sourcing again: its units waiting for stock (backordered or not yet allocated) are placed where stock is now, " +
		"from every location but those that rejected units of it; allocated units stay where they are. Records an order.sourced event " +
		"(reason \"sent to sourcing again\"), even when nothing could be placed. 409 when the order is shipped, delivered or cancelled, " +
		"has no unit waiting, or waits on an unknown SKU (release that hold instead)"},
	"get_v1_orders_id_edits": {Summary: "The order's edits, oldest first: who, when, what changed, lines and totals before and after"},

	"post_v1_orders_id_returns": {Summary: "Start a return (RMA) of shipped units, with a reason per line; replacement lines make it an exchange"},
	"get_v1_returns": {
		Summary: "Returns, newest first",
		Query:   append([]Param{{"status", "string", "requested, approved, received, closed or rejected"}, {"order", "string", "only this order's (id or number)"}}, pageQuery...),
	},
	"get_v1_returns_id":                   {Summary: "A return with its lines, received units, exchange and refund value"},
	"post_v1_returns_id_approve":          {Summary: "Approve a requested return; an exchange places its replacement order now (409 out_of_stock when it cannot be reserved, and nothing changes)"},
	"post_v1_returns_id_reject":           {Summary: "Reject a requested return"},
	"post_v1_returns_id_receive":          {Summary: "Receive an approved return: each unit's condition, restocked at a location (ledger movement return) or scrapped; the refund value becomes exact"},
	"post_v1_returns_id_close":            {Summary: "Close a received return and issue its refund (less an exchange's replacement total; agents up to their limit)"},
	"post_v1_orders_id_refunds":           {Summary: "Record a manual refund or a goodwill credit (appeasement), at most what is left of the order's total"},
	"get_v1_orders_id_refunds":            {Summary: "The order's refunds, and what is left to refund"},
	"get_v1_settings_returns":             {Summary: "Return settings: reasons, shipping refund rule, restocking fee, agents' refund limit"},
	"put_v1_settings_returns":             {Summary: "Replace the return settings (every field required, none null)"},
	"post_v1_orders_id_return_link":       {Summary: "Make a signed return link for the customer: it opens this order's return portal only, until it expires"},
	"get_v1_return_portal_token":          {Summary: "A return link's order: its lines and what may still be returned (404 when the link is bad or expired)"},
	"post_v1_return_portal_token_returns": {Summary: "Start a return of a return link's order"},

	"post_v1_fx_rates": {Summary: "Import ECB euro reference rates (the daily or a history XML file); fills the base totals of orders that waited for them"},
	"get_v1_fx_rates": {
		Summary: "The euro reference rates in force on a day: the latest ECB day on or before it, at most a week older",
		Query:   []Param{{"date", "string", "YYYY-MM-DD, 1970-01-01 to 2200-12-31 (default today, UTC)"}},
	},
	"get_v1_fx_rates_convert": {
		Summary: "Convert minor units between currencies through the euro, half to even, at the rates in force on a day",
		Query: []Param{{"from", "string", "ISO 4217 code of the amount"}, {"to", "string", "ISO 4217 code to convert into"},
			{"amount", "integer", "minor units of from"}, {"date", "string", "YYYY-MM-DD, 1970-01-01 to 2200-12-31 (default today, UTC)"}},
	},
	"get_v1_settings_currency": {Summary: "The base currency orders also record their totals in"},
	"put_v1_settings_currency": {Summary: "Set the base currency (required; \"\": none); orders placed from then on record base totals"},
	"get_v1_tax_rules":         {Summary: "List the tax rules, by country and region"},
	"get_v1_tax_rules_key":     {Summary: "Get the tax rule of a country (DE) or region (US-CA)"},
	"put_v1_tax_rules_key":     {Summary: "Create or replace the tax rule of a country (DE) or region (US-CA, CA-QC)"},
	"delete_v1_tax_rules_key":  {Summary: "Delete a tax rule"},

	"get_v1_admin_check": {Summary: "Verify every invariant (what oms check does), on a consistent snapshot"},

	"post_v1_api_keys": {Summary: "Create an API key (the secret is shown once)"},
	"get_v1_api_keys": {
		Summary: "List the live API keys, newest first, with their prefixes and last use (never their secrets)",
		Query:   pageQuery,
	},
	"delete_v1_api_keys_id": {Summary: "Revoke an API key: every server refuses it within a second; 204 again for a revoked key; 409 for the last live admin key"},
	"post_v1_api_keys_id_rotate": {
		Summary: "Give an API key a new secret, shown once; the old secret keeps working for expires_in_seconds (default 86400, at most 604800), then is refused",
		Doc:     rotateDoc,
	},

	"get_v1_exports_orders": {
		Summary: "Orders as CSV, oldest first: one row per order with its totals (decimal amounts in the order's currency) and base-currency total",
		Doc:     exportDoc,
		Query:   exportParams,
	},
	"get_v1_exports_order_lines": {
		Summary: "Order lines as CSV, oldest order first: SKU, prices, discount, tax and units open, allocated, shipped, cancelled and returned",
		Doc:     exportDoc,
		Query:   exportParams,
	},
	"get_v1_exports_inventory": {
		Summary: "Stock as CSV: on hand, reserved, safety stock, available and value at unit cost per SKU and location",
		Doc:     exportDoc,
		Query:   exportParams,
	},
	"get_v1_exports_ledger": {
		Summary: "Stock movements as CSV, oldest first",
		Doc:     exportDoc,
		Query:   exportParams,
	},
	"post_v1_webhook_endpoints": {
		Summary: "Subscribe a URL to events (the signing secret is shown once)",
		Doc:     webhookEndpointDoc,
	},
	"get_v1_webhook_endpoints": {
		Summary: "List the webhook endpoints, newest first",
		Query:   pageQuery,
	},
	"get_v1_webhook_endpoints_id":                {Summary: "Get a webhook endpoint (never its secret)"},
	"patch_v1_webhook_endpoints_id":              {Summary: "Change a webhook endpoint's URL, event types, description, or enable or disable it"},
	"delete_v1_webhook_endpoints_id":             {Summary: "Delete a webhook endpoint and its delivery log"},
	"post_v1_webhook_endpoints_id_rotate_secret": {Summary: "Give a webhook endpoint a new secret, shown once; both sign every message until expires_in_seconds (default 86400, at most 604800) has passed"},
	"get_v1_webhook_endpoints_id_deliveries": {
		Summary: "The endpoint's delivery log, newest event first: status, attempts, last response code, latency and error",
		Query:   append([]Param{{"status", "string", "pending, failed, succeeded or dead"}}, pageQuery...),
	},
	"post_v1_webhook_endpoints_id_deliveries_delivery_id_retry": {Summary: "Queue a delivery again (a dead one too): it goes out at once, in its order's place, with the whole retry schedule ahead"},
	"post_v1_webhook_endpoints_id_replay":                       {Summary: "Queue again every event from `from` to before `to` that the endpoint subscribes to, delivered before or not (at most 10000 events in the range)"},
}
