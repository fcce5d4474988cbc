package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/store"
	"github.com/omshq/oms/internal/version"
)

// Server is the HTTP API.
type Server struct {
	db      *store.DB
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []route
	openapi func() ([]byte, error) // the OpenAPI document, rendered once
	// webhooksAllowPrivate lets webhook endpoints name private addresses.
	webhooksAllowPrivate bool
}

// route is one entry of the route table. The OpenAPI document is generated
// from the same entries, so it lists every route there is.
type route struct {
	method, path string
	perm         oms.Permission // empty: no authentication
	summary      string
	doc          string  // a longer description, for the OpenAPI document
	request      any     // the body's type, for the OpenAPI document
	response     any     // the success body's type
	status       []int   // success statuses
	query        []param // query parameters
	bodyLimit    int64   // the largest body taken; maxBody when 0
	ifMatch      guard   // whether the route takes If-Match
	csv          bool    // whether the route also answers CSV, to Accept: text/csv
	handle       func(w http.ResponseWriter, r *http.Request) error
}

// param is a query parameter.
type param struct{ name, typ, doc string }

// guard says whether a route that changes an order takes If-Match: the
// order's ETag, so that the change goes ahead only while the order is at
// that version.
type guard int

const (
	noGuard       guard = iota
	optionalGuard       // If-Match is honoured when sent
	requiredGuard       // If-Match is required: 428 without it
)

// New returns the API over the store.
func New(db *store.DB, log *slog.Logger) *Server {
	s := &Server{db: db, log: log, mux: http.NewServeMux()}
	s.routes = s.routeTable()
	s.openapi = marshalOpenAPI(s.routes)
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.path, s.wrap(rt))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, oms.Errorf(oms.ENOTFOUND, "no route for %s %s", r.Method, r.URL.Path))
	})
	return s
}

// routeTable is every route of the API.
func (s *Server) routeTable() []route {
	page := []param{{"limit", "integer", "page size, 1–200 (default 50)"}, {"after", "string", "next_cursor of the previous page"}}
	skuPrefix := param{"sku_prefix", "string", "only SKUs that start with this"}
	return append([]route{
		{method: "GET", path: "/healthz", summary: "Liveness and database check", response: health{}, status: []int{200, 503}, handle: s.health},
		{method: "GET", path: "/openapi.json", summary: "This OpenAPI document", status: []int{200}, handle: s.openAPI},

		{method: "GET", path: "/v1/channels", perm: oms.PermCatalogRead, summary: "List channels", response: channelList{}, status: []int{200}, handle: s.listChannels},
		{method: "GET", path: "/v1/channels/{code}", perm: oms.PermCatalogRead, summary: "Get a channel", response: oms.Channel{}, status: []int{200}, handle: s.getChannel},
		{method: "PUT", path: "/v1/channels/{code}", perm: oms.PermCatalogWrite, summary: "Create or replace a channel", request: channelRequest{}, response: oms.Channel{}, status: []int{200, 201}, handle: s.putChannel},
		{method: "POST", path: "/v1/channels/{code}/orders", perm: oms.PermOrderCreate, bodyLimit: maxChannelBody,
			summary: "Take one order in the format of the channel's kind (Shopify, WooCommerce, eBay order JSON; Amazon {order, order_items}; CSV; oms's own for web, pos, api): 201 when new, 200 when known (OMS-Ingest-Outcome: duplicate, updated or stale)",
			request: channelPayload{}, response: oms.Order{}, status: []int{201, 200}, handle: s.ingestOrder, doc: ingestDoc},
		{method: "POST", path: "/v1/webhooks/{code}", bodyLimit: maxChannelBody,
			summary: "A channel's signed order webhook (Shopify X-Shopify-Hmac-Sha256, WooCommerce X-WC-Webhook-Signature: base64 HMAC-SHA256 of the body with the channel's webhook secret); 401 when the signature is bad or missing, and the same 401 for a channel code that does not exist or whose kind sends no webhooks",
			request: channelPayload{}, response: webhookAnswer{}, status: []int{201, 200}, handle: s.webhook, doc: webhookDoc},
		{method: "GET", path: "/v1/channels/{code}/availability", perm: oms.PermAvailabilityRead,
			summary:  "What the channel may sell per SKU: free stock at the locations serving it × share − buffer, never negative (CSV with Accept: text/csv)",
			response: store.AvailabilityPage{}, status: []int{200}, csv: true,
			query: []param{{"limit", "integer", "SKUs per page, 1–5000 (default 1000)"}, {"after", "string", "next_cursor of the previous page"}}, handle: s.availability},
		{method: "GET", path: "/v1/channels/{code}/sku-mappings", perm: oms.PermCatalogRead, summary: "The channel's listing SKUs mapped to oms SKUs", response: skuMappingList{}, status: []int{200}, handle: s.listSKUMappings},
		{method: "PUT", path: "/v1/channels/{code}/sku-mappings/{listing_sku}", perm: oms.PermCatalogWrite, summary: "Map a listing SKU to an oms SKU, or to a bundle of several", request: skuMappingRequest{}, response: store.SKUMapping{}, status: []int{200}, handle: s.putSKUMapping},
		{method: "DELETE", path: "/v1/channels/{code}/sku-mappings/{listing_sku}", perm: oms.PermCatalogWrite, summary: "Remove a listing SKU's mapping", status: []int{204}, handle: s.deleteSKUMapping},

		{method: "GET", path: "/v1/locations", perm: oms.PermCatalogRead, summary: "List locations", response: locationList{}, status: []int{200}, handle: s.listLocations},
		{method: "GET", path: "/v1/locations/{code}", perm: oms.PermCatalogRead, summary: "Get a location", response: oms.Location{}, status: []int{200}, handle: s.getLocation},
		{method: "PUT", path: "/v1/locations/{code}", perm: oms.PermCatalogWrite, summary: "Create or replace a location", request: locationRequest{}, response: oms.Location{}, status: []int{200, 201}, handle: s.putLocation},

		{method: "GET", path: "/v1/items", perm: oms.PermCatalogRead, summary: "List items in SKU order (by bytes, as Go and the C locale compare), with their unit costs (for admin and manager keys: costs:read)",
			response: itemPage{}, status: []int{200}, query: append([]param{skuPrefix}, page...), handle: s.listItems},
		{method: "GET", path: "/v1/items/{sku}", perm: oms.PermCatalogRead, summary: "Get an item", response: itemView{}, status: []int{200}, handle: s.getItem},
		{method: "PUT", path: "/v1/items/{sku}", perm: oms.PermCatalogWrite, summary: "Create or replace an item", request: itemRequest{}, response: itemView{}, status: []int{200, 201}, handle: s.putItem},

		{method: "GET", path: "/v1/inventory/{sku}/atp", perm: oms.PermInventoryRead, summary: "Available to promise: now, and at each date supply is due", response: store.ATP{}, status: []int{200}, handle: s.getATP},
		{method: "POST", path: "/v1/supply", perm: oms.PermInventoryWrite, summary: "Record expected supply (purchase order or transfer) with its ETA", request: supplyRequest{}, response: oms.Supply{}, status: []int{201}, handle: s.createSupply},
		{method: "GET", path: "/v1/supply", perm: oms.PermInventoryRead, summary: "Expected supply, by ETA", response: supplyList{}, status: []int{200},
			query: []param{{"sku", "string", "only this SKU"}, {"status", "string", "open, received or cancelled"}, {"limit", "integer", "1–200 (default 50)"}}, handle: s.listSupply},
		{method: "GET", path: "/v1/supply/{id}", perm: oms.PermInventoryRead, summary: "Get expected supply", response: oms.Supply{}, status: []int{200}, handle: s.getSupply},
		{method: "POST", path: "/v1/supply/{id}/receive", perm: oms.PermInventoryWrite, summary: "Receive supply into stock (all still due, or quantity); waiting orders get it, oldest first", request: receiveRequest{}, response: oms.Supply{}, status: []int{200}, handle: s.receiveSupply},
		{method: "POST", path: "/v1/transfers", perm: oms.PermInventoryWrite, summary: "Move stock between locations: out of the source now, in transit to the destination as supply", request: transferRequest{}, response: oms.Supply{}, status: []int{201}, handle: s.createTransfer},
		{method: "GET", path: "/v1/settings/fulfillment", perm: oms.PermSettingsRead, summary: "Fulfillment settings (pickup expiry)", response: store.FulfillmentSettings{}, status: []int{200}, handle: s.getFulfillmentSettings},
		{method: "PUT", path: "/v1/settings/fulfillment", perm: oms.PermCatalogWrite, summary: "Replace the fulfillment settings (every field required)", request: store.FulfillmentSettings{}, response: store.FulfillmentSettings{}, status: []int{200}, handle: s.putFulfillmentSettings},
		{method: "PUT", path: "/v1/geo/postal-centroids", perm: oms.PermCatalogWrite, summary: "Add or replace postal-code centroids, which place ship-to addresses without coordinates for sourcing", request: centroidsRequest{}, response: centroidsRequest{}, status: []int{200}, handle: s.putCentroids},
		{method: "POST", path: "/v1/inventory/adjustments", perm: oms.PermInventoryWrite, summary: "Record a stock movement (receive, adjust, count, damage)", request: adjustmentRequest{}, response: oms.LedgerEntry{}, status: []int{201}, handle: s.adjustInventory},
		{method: "GET", path: "/v1/inventory", perm: oms.PermInventoryRead, doc: inventoryListDoc,
			summary:  "Stock of every SKU in SKU order: on hand, reserved and available in all and by location (no costs)",
			response: inventoryPage{}, status: []int{200}, handle: s.listInventory,
			query: append([]param{skuPrefix, {"location", "string", "only balances at this location code, and only SKUs stocked there"},
				{"low_stock", "boolean", lowStockDoc}, {"below", "integer", "the low_stock threshold in units (default 0: nothing available)"}}, page...)},
		{method: "GET", path: "/v1/inventory/{sku}", perm: oms.PermInventoryRead, summary: "Stock of a SKU at every location", response: oms.Stock{}, status: []int{200}, handle: s.getStock},
		{method: "GET", path: "/v1/inventory/{sku}/ledger", perm: oms.PermInventoryRead, summary: "Stock movements of a SKU, newest first", response: ledgerPage{}, status: []int{200}, query: page, handle: s.getLedger},

		{method: "POST", path: "/v1/orders", perm: oms.PermOrderCreate, summary: "Place an order (idempotent on channel + external_id)", request: orderRequest{}, response: oms.Order{}, status: []int{201, 200}, handle: s.placeOrder},
		{method: "GET", path: "/v1/orders", perm: oms.PermOrderRead, summary: "List orders, newest first", response: orderPage{}, status: []int{200},
			query: append([]param{{"status", "string", "only orders in this status"}, {"channel", "string", "only orders from this channel code"},
				{"q", "string", "an order number, external id, email or phone; or words of the customer's name, email, phone or the tracking numbers, the last word as the start of one"},
				{"expand", "string", "lines: include each order's lines and allocations"}}, page...), handle: s.listOrders},
		{method: "GET", path: "/v1/orders/{id}", perm: oms.PermOrderRead, summary: "Get an order by id or number", response: oms.Order{}, status: []int{200}, handle: s.getOrder},
		{method: "GET", path: "/v1/orders/{id}/events", perm: oms.PermOrderRead, summary: "The order's timeline, oldest first", response: eventList{}, status: []int{200}, handle: s.orderEvents},
		{method: "GET", path: "/v1/orders/{id}/timeline", perm: oms.PermServiceRead, summary: "Everything that happened to the order, oldest first: events, notes, case messages", response: timeline{}, status: []int{200}, handle: s.orderTimeline},
		{method: "POST", path: "/v1/orders/{id}/notes", perm: oms.PermServiceWrite, summary: "Add an internal note to the order", request: noteRequest{}, response: oms.Note{}, status: []int{201}, handle: s.addOrderNote},
		{method: "GET", path: "/v1/orders/{id}/notes", perm: oms.PermServiceRead, summary: "The order's internal notes", response: noteList{}, status: []int{200}, handle: s.orderNotes},
		{method: "GET", path: "/v1/search", perm: oms.PermSearch,
			summary:  "One search box: exact order number, external id, tracking number, email, phone or channel customer id first, then orders holding every word, then the last word as a prefix; newest first within each; customers of the orders found for keys that may read customers",
			response: searchAnswer{}, status: []int{200},
			query: []param{{"q", "string", "what to search for, 1–200 bytes"}, {"limit", "integer", "orders, 1–100 (default 20)"}}, handle: s.search},
		{method: "GET", path: "/v1/customers", perm: oms.PermCustomerRead, summary: "Customers, newest first", response: customerPage{}, status: []int{200},
			query: append([]param{{"q", "string", "an email; or a channel's customer id, or words of a name, email or phone, the last as the start of one"}}, page...), handle: s.listCustomers},
		{method: "GET", path: "/v1/customers/{customer}", perm: oms.PermCustomerRead,
			summary:  "A customer (by id or email) with their identities, lifetime value, order count and dates, units returned, open cases, and their orders across every channel, newest first (limit and after page the orders)",
			response: oms.CustomerView{}, status: []int{200}, query: page, handle: s.getCustomer},
		{method: "POST", path: "/v1/customers/{customer}/notes", perm: oms.PermServiceWrite, summary: "Add an internal note to the customer (by id or email)", request: noteRequest{}, response: oms.Note{}, status: []int{201}, handle: s.addCustomerNote},
		{method: "GET", path: "/v1/customers/{customer}/notes", perm: oms.PermServiceRead, summary: "The customer's internal notes", response: noteList{}, status: []int{200}, handle: s.customerNotes},
		{method: "POST", path: "/v1/cases", perm: oms.PermServiceWrite, summary: "Open a case: a customer inquiry, for a customer and optionally an order", request: caseRequest{}, response: oms.Case{}, status: []int{201}, handle: s.openCase},
		{method: "GET", path: "/v1/cases", perm: oms.PermServiceRead, summary: "Cases, newest first",
			query: append([]param{{"status", "string", "open, pending or resolved"}, {"assignee", "string", "only this assignee's"},
				{"customer", "string", "only this customer's (id or email)"}, {"order", "string", "only this order's (id or number)"}}, page...),
			response: casePage{}, status: []int{200}, handle: s.listCases},
		{method: "GET", path: "/v1/cases/{id}", perm: oms.PermServiceRead, summary: "A case with its messages and service times", response: oms.Case{}, status: []int{200}, handle: s.getCase},
		{method: "POST", path: "/v1/cases/{id}/messages", perm: oms.PermServiceWrite, summary: "Add a message: a staff reply leaves the case pending on the customer (the first is the first response), a customer's opens it again", request: caseMessageRequest{}, response: oms.Case{}, status: []int{200}, handle: s.addCaseMessage},
		{method: "PATCH", path: "/v1/cases/{id}", perm: oms.PermServiceWrite, summary: "Change a case's status (open, pending, resolved) or assignee", request: caseUpdate{}, response: oms.Case{}, status: []int{200}, handle: s.updateCase},
		{method: "GET", path: "/v1/orders/{id}/payloads", perm: oms.PermCustomerRead, summary: "The payloads the channel sent for the order, as received", response: payloadList{}, status: []int{200}, handle: s.orderPayloads},
		{method: "GET", path: "/v1/events", perm: oms.PermOrderRead, summary: "The event stream, oldest first: every event after the cursor (next_cursor is the last event's id; keep it and ask again)",
			response: eventPage{}, status: []int{200}, query: []param{{"after", "string", "an event id: the events after it"},
				{"type", "string", "only events of this type, e.g. inventory.availability_changed"}, {"limit", "integer", "1–1000 (default 100)"}}, handle: s.events},
		{method: "GET", path: "/v1/orders/{id}/sourcing", perm: oms.PermOrderRead, summary: "Where the order's units were placed and why each location won or lost", response: oms.Sourcing{}, status: []int{200}, handle: s.orderSourcing},
		{method: "POST", path: "/v1/sourcing/simulate", perm: oms.PermOrderRead, summary: "Source a hypothetical order on current stock; nothing is written", request: orderRequest{}, response: oms.Sourcing{}, status: []int{200}, handle: s.simulateSourcing},
		{method: "GET", path: "/v1/orders/{id}/fulfillments", perm: oms.PermOrderRead, summary: "The order's fulfillments", response: fulfillmentList{}, status: []int{200}, handle: s.orderFulfillments},
		{method: "GET", path: "/v1/fulfillments/{id}", perm: oms.PermFulfillRead, summary: "Get a fulfillment", response: oms.Fulfillment{}, status: []int{200}, handle: s.getFulfillment},
		{method: "GET", path: "/v1/locations/{code}/fulfillments", perm: oms.PermFulfillRead, summary: "A location's fulfillments, oldest order first (open ones unless status is given)", response: fulfillmentList{}, status: []int{200},
			query: []param{{"status", "string", "comma-separated statuses; default pending,picking,packed,ready_for_pickup"}, {"limit", "integer", "1–200 (default 50)"}}, handle: s.locationFulfillments},
		{method: "GET", path: "/v1/locations/{code}/picklist", perm: oms.PermFulfillRead, summary: "What to pick at a location, by SKU, for its pending and picking fulfillments", response: pickList{}, status: []int{200},
			query: []param{{"limit", "integer", "fulfillments to cover, 1–200 (default 50)"}}, handle: s.pickList},
		{method: "POST", path: "/v1/fulfillments/moves", perm: oms.PermFulfillWrite, summary: "Move many fulfillments in one request (up to 500), as a wave closes or a carrier reports deliveries: each move is all or nothing, a refused one is answered in its result and the others go ahead",
			doc: moveBatchDoc, request: moveBatchRequest{}, response: moveBatchResponse{}, status: []int{200}, handle: s.moveFulfillments},
		{method: "POST", path: "/v1/fulfillments/{id}/pick", perm: oms.PermFulfillWrite, summary: "Start picking", response: oms.Fulfillment{}, status: []int{200}, handle: s.moveFulfillment(oms.FulfillmentPicking)},
		{method: "POST", path: "/v1/fulfillments/{id}/pack", perm: oms.PermFulfillWrite, summary: "Mark packed", response: oms.Fulfillment{}, status: []int{200}, handle: s.moveFulfillment(oms.FulfillmentPacked)},
		{method: "POST", path: "/v1/fulfillments/{id}/ship", perm: oms.PermFulfillWrite, summary: "Ship, with tracking; lines ship part of it and leave the rest pending", request: shipRequest{}, response: oms.Fulfillment{}, status: []int{200}, handle: s.shipFulfillment},
		{method: "POST", path: "/v1/fulfillments/{id}/deliver", perm: oms.PermFulfillWrite, summary: "Mark delivered", response: oms.Fulfillment{}, status: []int{200}, handle: s.moveFulfillment(oms.FulfillmentDelivered)},
		{method: "POST", path: "/v1/fulfillments/{id}/ready", perm: oms.PermFulfillWrite, summary: "Store pickup: ready at the counter", response: oms.Fulfillment{}, status: []int{200}, handle: s.moveFulfillment(oms.FulfillmentReadyForPickup)},
		{method: "POST", path: "/v1/fulfillments/{id}/pickup", perm: oms.PermFulfillWrite, summary: "Store pickup: collected by the customer", response: oms.Fulfillment{}, status: []int{200}, handle: s.moveFulfillment(oms.FulfillmentPickedUp)},
		{method: "POST", path: "/v1/fulfillments/{id}/cancel", perm: oms.PermFulfillWrite, summary: "Cancel: release its units and source them elsewhere", response: oms.Fulfillment{}, status: []int{200}, handle: s.moveFulfillment(oms.FulfillmentCancelled)},
		{method: "POST", path: "/v1/fulfillments/{id}/reject", perm: oms.PermFulfillWrite, summary: "The location cannot supply units: release them and source the order again elsewhere", request: rejectRequest{}, response: oms.Order{}, status: []int{200}, handle: s.rejectFulfillment},
		{method: "POST", path: "/v1/orders/{id}/holds", perm: oms.PermOrderHold, summary: "Put the order on hold (fraud, payment, address, manual); its stock stays reserved", request: holdRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard, handle: s.placeHold},
		{method: "POST", path: "/v1/orders/{id}/release", perm: oms.PermOrderHold, summary: "Release the order's holds (of one type, or all)", request: releaseRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard, handle: s.releaseHolds},
		{method: "GET", path: "/v1/settings/screening", perm: oms.PermSettingsRead, summary: "The rules that put suspicious orders on hold", response: oms.Screening{}, status: []int{200}, handle: s.getScreening},
		{method: "PUT", path: "/v1/settings/screening", perm: oms.PermCatalogWrite, summary: "Replace the screening rules: every field required, none null; 0, false or {} turns a rule off", request: oms.Screening{}, response: oms.Screening{}, status: []int{200}, handle: s.putScreening},
		{method: "POST", path: "/v1/orders/{id}/cancel", perm: oms.PermOrderCancel, summary: "Cancel lines or the whole order, releasing stock: no body, {} or only a reason cancels everything not yet shipped; lines, when given, must name at least one (an empty list is a 400, never all)", request: cancelRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard, handle: s.cancelOrder},
		{method: "POST", path: "/v1/orders/{id}/edits", perm: oms.PermOrderEdit, ifMatch: requiredGuard,
			summary: "Edit the order before fulfillment, all or nothing: set_quantity, add_line, remove_line, cancel_line, set_ship_to; stock is reserved or released, totals computed again; answers the old and new totals and the difference",
			request: editRequest{}, response: editResponse{}, status: []int{200}, handle: s.editOrder},
		{method: "GET", path: "/v1/orders/{id}/edits", perm: oms.PermOrderRead, summary: "The order's edits, oldest first: who, when, what changed, lines and totals before and after", response: editList{}, status: []int{200}, handle: s.orderEdits},

		{method: "POST", path: "/v1/orders/{id}/returns", perm: oms.PermReturnWrite, summary: "Start a return (RMA) of shipped units, with a reason per line; replacement lines make it an exchange", request: returnRequest{}, response: oms.Return{}, status: []int{201}, handle: s.createReturn},
		{method: "GET", path: "/v1/returns", perm: oms.PermReturnRead, summary: "Returns, newest first",
			query:    append([]param{{"status", "string", "requested, approved, received, closed or rejected"}, {"order", "string", "only this order's (id or number)"}}, page...),
			response: returnPage{}, status: []int{200}, handle: s.listReturns},
		{method: "GET", path: "/v1/returns/{id}", perm: oms.PermReturnRead, summary: "A return with its lines, received units, exchange and refund value", response: oms.Return{}, status: []int{200}, handle: fetch("id", s.db.Return)},
		{method: "POST", path: "/v1/returns/{id}/approve", perm: oms.PermReturnWrite, summary: "Approve a requested return; an exchange places its replacement order now (409 out_of_stock when it cannot be reserved, and nothing changes)", response: oms.Return{}, status: []int{200}, handle: s.moveReturn(s.db.ApproveReturn)},
		{method: "POST", path: "/v1/returns/{id}/reject", perm: oms.PermReturnWrite, summary: "Reject a requested return", response: oms.Return{}, status: []int{200}, handle: s.moveReturn(s.db.RejectReturn)},
		{method: "POST", path: "/v1/returns/{id}/receive", perm: oms.PermReturnReceive, summary: "Receive an approved return: each unit's condition, restocked at a location (ledger movement return) or scrapped; the refund value becomes exact", request: receiveReturnRequest{}, response: oms.Return{}, status: []int{200}, handle: s.receiveReturn},
		{method: "POST", path: "/v1/returns/{id}/close", perm: oms.PermRefundWrite, summary: "Close a received return and issue its refund (less an exchange's replacement total; agents up to their limit)", request: closeReturnRequest{}, response: oms.Return{}, status: []int{200}, handle: s.closeReturn},
		{method: "POST", path: "/v1/orders/{id}/refunds", perm: oms.PermRefundWrite, summary: "Record a manual refund or a goodwill credit (appeasement), at most what is left of the order's total", request: refundRequest{}, response: oms.Refund{}, status: []int{201}, handle: s.refundOrder},
		{method: "GET", path: "/v1/orders/{id}/refunds", perm: oms.PermReturnRead, summary: "The order's refunds, and what is left to refund", response: store.OrderRefunds{}, status: []int{200}, handle: fetch("id", s.db.Refunds)},
		{method: "GET", path: "/v1/settings/returns", perm: oms.PermReturnRead, summary: "Return settings: reasons, shipping refund rule, restocking fee, agents' refund limit", response: oms.ReturnSettings{}, status: []int{200}, handle: s.getReturnSettings},
		{method: "PUT", path: "/v1/settings/returns", perm: oms.PermCatalogWrite, summary: "Replace the return settings (every field required, none null)", request: oms.ReturnSettings{}, response: oms.ReturnSettings{}, status: []int{200}, handle: s.putReturnSettings},
		{method: "POST", path: "/v1/orders/{id}/return-link", perm: oms.PermReturnWrite, summary: "Make a signed return link for the customer: it opens this order's return portal only, until it expires", request: returnLinkRequest{}, response: store.ReturnLink{}, status: []int{201}, handle: s.createReturnLink},
		{method: "GET", path: "/v1/return-portal/{token}", summary: "A return link's order: its lines and what may still be returned (404 when the link is bad or expired)", response: store.Portal{}, status: []int{200}, handle: fetch("token", s.db.ReturnPortal)},
		{method: "POST", path: "/v1/return-portal/{token}/returns", summary: "Start a return of a return link's order", request: portalReturnRequest{}, response: store.PortalReturn{}, status: []int{201}, handle: s.portalReturn},

		{method: "POST", path: "/v1/fx-rates", perm: oms.PermCatalogWrite, summary: "Import ECB euro reference rates (the daily or a history XML file); fills the base totals of orders that waited for them", request: ecbDocument{}, response: store.FXImport{}, status: []int{200}, bodyLimit: maxRatesBody, handle: s.importRates},
		{method: "GET", path: "/v1/fx-rates", perm: oms.PermSettingsRead, summary: "The euro reference rates in force on a day: the latest ECB day on or before it, at most a week older", response: ratesResponse{}, status: []int{200},
			query: []param{{"date", "string", "YYYY-MM-DD, 1970-01-01 to 2200-12-31 (default today, UTC)"}}, handle: s.getRates},
		{method: "GET", path: "/v1/fx-rates/convert", perm: oms.PermSettingsRead, summary: "Convert minor units between currencies through the euro, half to even, at the rates in force on a day", response: store.Conversion{}, status: []int{200},
			query: []param{{"from", "string", "ISO 4217 code of the amount"}, {"to", "string", "ISO 4217 code to convert into"},
				{"amount", "integer", "minor units of from"}, {"date", "string", "YYYY-MM-DD, 1970-01-01 to 2200-12-31 (default today, UTC)"}}, handle: s.convertAmount},
		{method: "GET", path: "/v1/settings/currency", perm: oms.PermSettingsRead, summary: "The base currency orders also record their totals in", response: store.CurrencySettings{}, status: []int{200}, handle: s.getCurrencySettings},
		{method: "PUT", path: "/v1/settings/currency", perm: oms.PermCatalogWrite, summary: "Set the base currency (required; \"\": none); orders placed from then on record base totals", request: store.CurrencySettings{}, response: store.CurrencySettings{}, status: []int{200}, handle: s.putCurrencySettings},
		{method: "GET", path: "/v1/tax-rules", perm: oms.PermSettingsRead, summary: "List the tax rules, by country and region", response: taxRuleList{}, status: []int{200}, handle: s.listTaxRules},
		{method: "GET", path: "/v1/tax-rules/{key}", perm: oms.PermSettingsRead, summary: "Get the tax rule of a country (DE) or region (US-CA)", response: store.TaxRule{}, status: []int{200}, handle: s.getTaxRule},
		{method: "PUT", path: "/v1/tax-rules/{key}", perm: oms.PermCatalogWrite, summary: "Create or replace the tax rule of a country (DE) or region (US-CA, CA-QC)", request: taxRuleRequest{}, response: store.TaxRule{}, status: []int{200, 201}, handle: s.putTaxRule},
		{method: "DELETE", path: "/v1/tax-rules/{key}", perm: oms.PermCatalogWrite, summary: "Delete a tax rule", status: []int{204}, handle: s.deleteTaxRule},

		{method: "GET", path: "/v1/admin/check", perm: oms.PermAPIKeyManage, summary: "Verify every invariant (what oms check does), on a consistent snapshot", response: checkReport{}, status: []int{200}, handle: s.check},

		{method: "POST", path: "/v1/api-keys", perm: oms.PermAPIKeyManage, summary: "Create an API key (the secret is shown once)", request: apiKeyRequest{}, response: apiKeyCreated{}, status: []int{201}, handle: s.createAPIKey},
		{method: "GET", path: "/v1/api-keys", perm: oms.PermAPIKeyManage, summary: "List the live API keys, newest first, with their prefixes and last use (never their secrets)", response: apiKeyPage{}, status: []int{200}, query: page, handle: s.listAPIKeys},
		{method: "DELETE", path: "/v1/api-keys/{id}", perm: oms.PermAPIKeyManage, summary: "Revoke an API key: every server refuses it within a second; 204 again for a revoked key; 409 for the last live admin key", status: []int{204}, handle: s.revokeAPIKey},
		{method: "POST", path: "/v1/api-keys/{id}/rotate", perm: oms.PermAPIKeyManage, doc: rotateDoc,
			summary: "Give an API key a new secret, shown once; the old secret keeps working for expires_in_seconds (default 86400, at most 604800), then is refused",
			request: apiKeyRotateRequest{}, response: apiKeyCreated{}, status: []int{200}, handle: s.rotateAPIKey},
	}, append(append(append(s.exportRoutes(), s.stockReportRoutes()...), s.orderReportRoutes()...), s.webhookRoutes()...)...)
}

// ServeHTTP serves the API, writing a line per request to the access log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serveLogged(w, r, s.mux)
}

// wrap adds to a handler what every route shares: the body limit,
// authentication and role check, Idempotency-Key replay for POST, and the
// answer to a returned error.
func (s *Server) wrap(rt route) http.Handler {
	secrets := secretFields(rt.response)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := rt.bodyLimit
		if limit == 0 {
			limit = maxBody
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if rt.perm != "" {
			key, err := s.authenticate(r, rt.perm)
			if e := entryOf(r); e != nil {
				e.key = key.ID // a key refused for its role is logged too
			}
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, key))
			if err := s.authorizePath(r, rt); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		if r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
			s.idempotent(w, r, rt, secrets)
			return
		}
		if err := rt.handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

type principalKey struct{}

// authenticate checks the bearer key and that its role holds perm.
func (s *Server) authenticate(r *http.Request, perm oms.Permission) (oms.APIKey, error) {
	secret, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return oms.APIKey{}, oms.Errorf(oms.EUNAUTHORIZED, "send an API key as 'Authorization: Bearer <key>'")
	}
	key, err := s.db.Authenticate(r.Context(), secret)
	if err != nil {
		return key, err
	}
	if !key.Role.Allows(perm) {
		return key, oms.Errorf(oms.EFORBIDDEN, "the %s role may not %s", key.Role, perm)
	}
	return key, nil
}

// actor names who made a request, for events and the ledger.
func actor(r *http.Request) string {
	if k, ok := r.Context().Value(principalKey{}).(oms.APIKey); ok {
		return "api_key:" + k.ID + ":" + k.Name
	}
	return "anonymous"
}

func principal(r *http.Request) oms.APIKey {
	k, _ := r.Context().Value(principalKey{}).(oms.APIKey)
	return k
}

type checkReport struct {
	OK         bool     `json:"ok"`
	Orders     int      `json:"orders"`
	Lines      int      `json:"lines"`
	Balances   int      `json:"balances"`
	Violations []string `json:"violations"`
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.db.Check(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, checkReport{OK: len(rep.Violations) == 0, Orders: rep.Orders,
		Lines: rep.Lines, Balances: rep.Balances, Violations: nonNil(rep.Violations)})
}

type health struct {
	Status  string `json:"status"`
	DB      string `json:"database"`
	Version string `json:"version"` // of the running oms, as oms version prints it
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "health check failed", slog.Any("error", err))
		return writeJSON(w, http.StatusServiceUnavailable, health{Status: "unavailable", DB: s.db.Engine(), Version: version.Get().Version})
	}
	return writeJSON(w, http.StatusOK, health{Status: "ok", DB: s.db.Engine(), Version: version.Get().Version})
}
