package openapi

// The longer descriptions of the operations, and the query parameters
// several share.

const metricsDoc = "The server's metrics in the Prometheus text exposition format (the official client's): " +
	"requests by route pattern, method and status with latency histograms, orders placed and refused, stock reservations, " +
	"the order writer's batch sizes and waits, the database pools, the durable job queues' depth and age and the report rollups' fold lag. " +
	"Protected: a key that may read reports (admin, manager); or, with oms serve --metrics-addr, on a listener of its own without a key, and not here."

// ingestDoc describes, in the OpenAPI document, what becomes of an order a
// channel sends.
const ingestDoc = "A repeat writes nothing: the same version, a payload byte for byte like one kept " +
	"(`duplicate`), or an older version (`stale`) stores no payload and no event. An order the channel sends " +
	"already cancelled is recorded cancelled, nothing reserved; when the channel states no amounts for it " +
	"(Amazon drops them), `amounts_unknown` is true and every amount is null. One it reports already shipped " +
	"by the merchant is recorded shipped from the channel's `<code>-outside` location, reserving and moving no stock."

// webhookDoc describes the webhook route in the OpenAPI document.
const webhookDoc = "A delivery is identified by X-Shopify-Webhook-Id or X-WC-Webhook-Delivery-ID: a repeat of one that " +
	"created or updated its order in the last 30 days is answered 200 with outcome `duplicate`, and nothing is read or written. Every answer names " +
	"its outcome in the OMS-Ingest-Outcome header. Otherwise the order is taken as by POST /v1/channels/{code}/orders.\n\n" +
	ingestDoc

// exportParams are the filters of the exports.
var exportParams = []Param{
	{"from", "string", "first day (YYYY-MM-DD, UTC) or RFC 3339 time, inclusive: when the order was placed, or the movement made; 1970-01-01 to 2200-12-31"},
	{"to", "string", "last day (YYYY-MM-DD, UTC, inclusive) or RFC 3339 time (exclusive); 1970-01-01 to 2200-12-31"},
	{"channel", "string", "channel code (orders, order lines)"},
	{"status", "string", "order status (orders, order lines)"},
	{"sku", "string", "SKU: its lines, the orders containing it, its stock or its movements"},
	{"location", "string", "location code (inventory, ledger)"},
}

// exportDoc says how an export streams, and how a client tells a whole file.
const exportDoc = "The file streams as it is read (chunked), however large. A failure before the first rows go out " +
	"is a problem document; after that the connection is broken off before the body's end, so that the client sees " +
	"an incomplete answer (curl exits 18, an HTTP library reports an unexpected end of the body) and never a short " +
	"file that looks whole. A whole file ends with the HTTP trailer `OMS-Row-Count`: the number of rows after the header."

// The inventory list's definitions, for the OpenAPI document.
const (
	inventoryListDoc = "One entry per SKU, in SKU order, as GET /v1/inventory/{sku} answers for one: `on_hand`, " +
		"`reserved` and `available` summed over its balances, and `locations`, its balance at each location that has " +
		"held it (`available` = on_hand − reserved − safety_stock, at least 0). A SKU never stocked has zero sums and " +
		"no balances. With `location`, each SKU shows only its balance there (the sums are that balance's), and SKUs " +
		"never stocked there are left out. `low_stock=true` keeps the SKUs whose available units, so summed, are at " +
		"most `below` (default 0: nothing left to sell); oms keeps no reorder point per item, so the threshold is the " +
		"caller's. With `location` or `low_stock`, a page looks at no more than 10,000 SKUs, so on a large catalog " +
		"where few match a page may hold fewer than `limit` entries, or none, and still have a `next_cursor`: " +
		"follow it until it is null. Costs and stock value are not shown: they are in GET /v1/reports/inventory."
	lowStockDoc = "true: only SKUs whose available units (at `location`, or summed over every location) are at most `below`"
)

const moveBatchDoc = "Each move names a fulfillment (`fulfillment_id`, e.g. 1001-F1) and the status it goes to: " +
	"picking, packed, shipped, delivered, ready_for_pickup, picked_up or cancelled, as the single-move endpoints allow. " +
	"A shipment takes `carrier`, `service`, `tracking_number`, `tracking_url` and optional `lines` (line ids and quantities) " +
	"to ship part of it, leaving the rest pending. The moves run in one transaction, each in a savepoint: a move that the " +
	"fulfillment's state refuses (not found, conflict, invalid lines) is answered in its result with `moved: false` and a " +
	"problem document, and leaves nothing behind; the others go ahead. Results are in the order of the moves; moves of one " +
	"order are made in the order given. A request malformed anywhere (unknown status, missing id, bad tracking, over 500 " +
	"moves) is refused whole with 400, naming each field by its place (`moves[2].status`)."

const rotateDoc = "The key keeps its id, name and role; the answer is the key with its new `secret`, " +
	"which is not stored and cannot be shown again. Until the overlap ends both secrets work " +
	"(`previous_secret_expires_at` says when it does), so that an integration can switch without " +
	"downtime; rotating again ends the previous overlap at once. The body is optional. " +
	"404 for an unknown or revoked key."

const webhookEndpointDoc = "oms POSTs each event whose type matches `event_types` to `url` as " +
	"`{\"type\", \"timestamp\", \"data\"}`, signed by the Standard Webhooks specification " +
	"(`webhook-id` is the event id, `webhook-signature` is `v1,` and the base64 HMAC-SHA256 of " +
	"`id.timestamp.body` under the secret). The answer holds the `secret` (`whsec_…`) once. " +
	"Delivery is retried with backoff for more than 3 days; a 410 answer disables the endpoint; " +
	"events of one order arrive in order. The URL may not name a loopback or private address " +
	"unless the server runs with --webhooks-allow-private."
