package httpapi

import (
	"reflect"

	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/orderbody"
	"github.com/omshq/oms/internal/httpapi/returns"
	"github.com/omshq/oms/internal/httpapi/service"
	"github.com/omshq/oms/internal/httpapi/webhooks"
)

// orderExample is a web store's order in oms's own format.
const orderExample = `{
  "channel": "web",
  "external_id": "WEB-48213",
  "currency": "USD",
  "customer": {"email": "ann.lee@example.com", "name": "Ann Lee", "phone": "+1 617 555 0100"},
  "ship_to": {"name": "Ann Lee", "line1": "2 Elm St", "city": "Boston", "region": "MA", "postal_code": "02108", "country": "US"},
  "lines": [
    {"sku": "TSHIRT-BLK-M", "quantity": 2, "unit_price": 1999, "discount": 400, "tax": 230},
    {"sku": "MUG-WHT", "quantity": 1, "unit_price": 1250, "tax": 78}
  ],
  "shipping_price": 500,
  "placed_at": "2026-03-02T14:05:00Z"
}`

// requestExamples is a realistic request body for each request type, as
// JSON (or, for a raw body, the text itself).
var requestExamples = map[reflect.Type]string{
	reflect.TypeFor[channelRequest](): `{"name": "Web store", "kind": "web", "currency": "USD", "backorder_policy": "backorder",
  "no_split_below": 5000, "share_percent": 100, "buffer": 2}`,
	reflect.TypeFor[channelPayload]():    orderExample,
	reflect.TypeFor[skuMappingRequest](): `{"components": [{"sku": "TSHIRT-BLK-M", "quantity": 2}, {"sku": "MUG-WHT", "quantity": 1}]}`,
	reflect.TypeFor[locationRequest](): `{"name": "East warehouse", "kind": "warehouse", "can_ship": true, "can_pickup": false, "priority": 1,
  "address": {"line1": "1 Dock Rd", "city": "Newark", "region": "NJ", "postal_code": "07102", "country": "US"},
  "latitude": 40.7357, "longitude": -74.1724}`,
	reflect.TypeFor[itemRequest](): `{"name": "T-shirt, black, M", "unit_cost": 650, "currency": "USD", "barcode": "0012345678905",
  "hs_code": "6109.10.00", "country_of_origin": "PT"}`,
	reflect.TypeFor[supplyRequest](): `{"sku": "TSHIRT-BLK-M", "location": "wh-east", "kind": "purchase_order", "reference": "PO-2026-0042",
  "quantity": 500, "eta": "2026-03-20T09:00:00Z"}`,
	reflect.TypeFor[receiveRequest](): `{"quantity": 480}`,
	reflect.TypeFor[transferRequest](): `{"sku": "MUG-WHT", "from": "wh-east", "to": "store-soho", "quantity": 24,
  "eta": "2026-03-04T12:00:00Z", "reference": "TR-0117"}`,
	reflect.TypeFor[oms.FulfillmentSettings](): `{"pickup_expiry_days": 7, "pickup_transfers": true}`,
	reflect.TypeFor[centroidsRequest](): `{"centroids": [{"country": "US", "postal_code": "02108", "latitude": 42.3576, "longitude": -71.0636},
  {"country": "US", "postal_code": "10012", "latitude": 40.7256, "longitude": -73.9982}]}`,
	reflect.TypeFor[adjustmentRequest]():      `{"sku": "TSHIRT-BLK-M", "location": "wh-east", "delta": 120, "reason": "receive", "reference": "PO-2026-0042"}`,
	reflect.TypeFor[orderbody.OrderRequest](): orderExample,
	reflect.TypeFor[service.NoteRequest]():    `{"body": "Customer called: leave the parcel with the concierge."}`,
	reflect.TypeFor[service.CaseRequest](): `{"customer": "ann.lee@example.com", "order": "1001", "subject": "Where is my order?",
  "message": "Hi, my order has not arrived yet. Can you check?", "from_customer": true, "assignee": "sam"}`,
	reflect.TypeFor[service.CaseMessageRequest](): `{"body": "It shipped yesterday with UPS: 1Z999AA10123456784. It should arrive on Thursday."}`,
	reflect.TypeFor[service.CaseUpdate]():         `{"status": "resolved", "assignee": "sam"}`,
	reflect.TypeFor[moveBatchRequest](): `{"moves": [
  {"fulfillment_id": "1001-F1", "status": "shipped", "carrier": "UPS", "service": "Ground", "tracking_number": "1Z999AA10123456784"},
  {"fulfillment_id": "1002-F1", "status": "packed"},
  {"fulfillment_id": "0998-F2", "status": "delivered"}]}`,
	reflect.TypeFor[shipRequest](): `{"carrier": "UPS", "service": "Ground", "tracking_number": "1Z999AA10123456784",
  "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784", "lines": [{"line_id": "1001-1", "quantity": 1}]}`,
	reflect.TypeFor[cancelFulfillmentRequest](): `{"reason": "the customer asked to cancel before picking"}`,
	reflect.TypeFor[safetyStockRequest]():       `{"location": "main", "safety_stock": 3}`,
	reflect.TypeFor[rejectRequest]():            `{"lines": [{"line_id": "1001-2", "quantity": 1}], "reason": "the last unit on the shelf is damaged"}`,
	reflect.TypeFor[holdRequest]():              `{"type": "fraud", "reason": "billing and shipping countries differ; calling the customer"}`,
	reflect.TypeFor[releaseRequest]():           `{"type": "fraud"}`,
	reflect.TypeFor[oms.Screening](): `{"max_total": {"USD": 500000, "EUR": 450000}, "billing_must_match": true, "max_orders_per_email": 5,
  "max_orders_per_address": 10, "window_minutes": 60, "check_address": true}`,
	reflect.TypeFor[oms.StoreSettings](): `{"name": "Northwind Outfitters"}`,
	reflect.TypeFor[cancelRequest]():     `{"lines": [{"line_id": "1001-2", "quantity": 1}], "reason": "customer changed their mind"}`,
	reflect.TypeFor[editRequest](): `{"operations": [
  {"op": "set_quantity", "line_id": "1001-1", "quantity": 3},
  {"op": "add_line", "sku": "MUG-WHT", "quantity": 1, "unit_price": 1250, "tax": 78},
  {"op": "set_ship_to", "ship_to": {"name": "Ann Lee", "line1": "9 Oak Ave", "city": "Cambridge", "region": "MA", "postal_code": "02139", "country": "US"}}]}`,
	reflect.TypeFor[returns.ReturnRequest](): `{"lines": [{"line_id": "1001-1", "quantity": 1, "reason": "size_fit", "condition": "new"}],
  "comment": "Too small; I would like a size L instead.",
  "exchange": [{"sku": "TSHIRT-BLK-L", "quantity": 1, "unit_price": 1999}]}`,
	reflect.TypeFor[returns.ReceiveReturnRequest](): `{"units": [{"line_id": "1001-1", "quantity": 1, "condition": "new", "disposition": "restock", "location": "wh-east"}]}`,
	reflect.TypeFor[returns.CloseReturnRequest]():   `{"payment_reference": "re_3OqZ2b2eZvKYlo2C0kq1", "reason": "returned in good condition"}`,
	reflect.TypeFor[returns.RefundRequest]():        `{"kind": "appeasement", "amount": 500, "reason": "late delivery", "payment_reference": "re_3OqZ2b2eZvKYlo2C1x9"}`,
	reflect.TypeFor[oms.ReturnSettings](): `{"reasons": ["damaged", "defective", "wrong_item", "not_as_described", "no_longer_needed", "size_fit", "other"],
  "shipping_refund": "proportional", "restocking_fee": {"kind": "percent", "amount": 1000},
  "fee_exempt_reasons": ["damaged", "defective", "wrong_item", "not_as_described"],
  "agent_refund_limit": {"USD": 10000, "EUR": 10000}, "link_days": 30}`,
	reflect.TypeFor[returns.ReturnLinkRequest]():   `{"expires_in_days": 14}`,
	reflect.TypeFor[returns.PortalReturnRequest](): `{"lines": [{"line_id": "1001-2", "quantity": 1, "reason": "damaged", "condition": "damaged"}], "comment": "The mug arrived chipped."}`,
	reflect.TypeFor[ecbDocument](): `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
  <Cube>
    <Cube time="2026-03-02">
      <Cube currency="USD" rate="1.0824"/>
      <Cube currency="JPY" rate="162.45"/>
      <Cube currency="GBP" rate="0.8571"/>
    </Cube>
  </Cube>
</gesmes:Envelope>`,
	reflect.TypeFor[oms.CurrencySettings]():            `{"base_currency": "EUR"}`,
	reflect.TypeFor[taxRuleRequest]():                  `{"rate": "0.0725", "name": "Sales tax"}`,
	reflect.TypeFor[apiKeyRequest]():                   `{"name": "Shopify integration", "role": "channel", "channels": ["web"]}`,
	reflect.TypeFor[apiKeyRotateRequest]():             `{"expires_in_seconds": 3600}`,
	reflect.TypeFor[webhooks.WebhookEndpointRequest](): `{"url": "https://example.com/hooks/oms", "event_types": ["order.*", "fulfillment.shipped"], "description": "ERP"}`,
	reflect.TypeFor[webhooks.WebhookRotateRequest]():   `{"expires_in_seconds": 86400}`,
	reflect.TypeFor[webhooks.WebhookReplayRequest]():   `{"from": "2026-11-01T00:00:00Z", "to": "2026-11-02T00:00:00Z"}`,
	reflect.TypeFor[oms.ReportSettings]():              `{"ship_promise_hours": 48}`,
}
