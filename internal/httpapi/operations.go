package httpapi

import (
	"github.com/omshq/oms"
	"github.com/omshq/oms/internal/httpapi/authz"
	"github.com/omshq/oms/internal/httpapi/orderbody"
	"github.com/omshq/oms/internal/httpapi/returns"
	"github.com/omshq/oms/internal/httpapi/service"
	"github.com/omshq/oms/internal/httpapi/webhooks"
)

// operation is what the route takes and answers — the request and answer
// types, the success statuses — and what bounds its request: the body limit,
// whether it takes If-Match. What the OpenAPI document says of it in words
// is its prose, under the same operation id (see openapi.ProseOf).
type operation struct {
	request   any   // the body's type
	response  any   // the success body's type
	status    []int // success statuses
	bodyLimit int64 // the largest body taken; decode.MaxBody when 0
	ifMatch   guard // whether the route takes If-Match
	csv       bool  // whether the route also answers CSV, to Accept: text/csv
}

// operations are the operations of the route table, by operation id.
var operations = map[string]operation{
	"get_healthz":      {response: health{}, status: []int{200, 503}},
	"get_readyz":       {response: readiness{}, status: []int{200, 503}},
	"get_metrics":      {response: metricsText{}, status: []int{200}},
	"get_openapi_json": {status: []int{200}},

	"get_v1_channels":                                  {response: channelList{}, status: []int{200}},
	"get_v1_channels_code":                             {response: oms.Channel{}, status: []int{200}},
	"put_v1_channels_code":                             {request: channelRequest{}, response: oms.Channel{}, status: []int{200, 201}},
	"post_v1_channels_code_orders":                     {bodyLimit: maxChannelBody, request: channelPayload{}, response: oms.Order{}, status: []int{201, 200}},
	"post_v1_webhooks_code":                            {bodyLimit: maxChannelBody, request: channelPayload{}, response: webhookAnswer{}, status: []int{201, 200}},
	"get_v1_channels_code_availability":                {response: oms.AvailabilityPage{}, status: []int{200}, csv: true},
	"get_v1_channels_code_sku_mappings":                {response: skuMappingList{}, status: []int{200}},
	"put_v1_channels_code_sku_mappings_listing_sku":    {request: skuMappingRequest{}, response: oms.SKUMapping{}, status: []int{200}},
	"delete_v1_channels_code_sku_mappings_listing_sku": {status: []int{204}},

	"get_v1_locations":      {response: locationList{}, status: []int{200}},
	"get_v1_locations_code": {response: oms.Location{}, status: []int{200}},
	"put_v1_locations_code": {request: locationRequest{}, response: oms.Location{}, status: []int{200, 201}},

	"get_v1_items":     {response: itemPage{}, status: []int{200}},
	"get_v1_items_sku": {response: authz.ItemView{}, status: []int{200}},
	"put_v1_items_sku": {request: itemRequest{}, response: authz.ItemView{}, status: []int{200, 201}},

	"get_v1_inventory_sku_atp":          {response: oms.ATP{}, status: []int{200}},
	"post_v1_supply":                    {request: supplyRequest{}, response: oms.Supply{}, status: []int{201}},
	"get_v1_supply":                     {response: supplyList{}, status: []int{200}},
	"get_v1_supply_id":                  {response: oms.Supply{}, status: []int{200}},
	"post_v1_supply_id_receive":         {request: receiveRequest{}, response: oms.Supply{}, status: []int{200}},
	"post_v1_transfers":                 {request: transferRequest{}, response: oms.Supply{}, status: []int{201}},
	"get_v1_settings_fulfillment":       {response: oms.FulfillmentSettings{}, status: []int{200}},
	"put_v1_settings_fulfillment":       {request: oms.FulfillmentSettings{}, response: oms.FulfillmentSettings{}, status: []int{200}},
	"put_v1_geo_postal_centroids":       {request: centroidsRequest{}, response: centroidsRequest{}, status: []int{200}},
	"post_v1_inventory_adjustments":     {request: adjustmentRequest{}, response: oms.LedgerEntry{}, status: []int{201}},
	"put_v1_inventory_sku_safety_stock": {request: safetyStockRequest{}, response: oms.Stock{}, status: []int{200}},
	"get_v1_inventory":                  {response: inventoryPage{}, status: []int{200}},
	"get_v1_inventory_sku":              {response: oms.Stock{}, status: []int{200}},
	"get_v1_inventory_sku_ledger":       {response: ledgerPage{}, status: []int{200}},

	"post_v1_orders":                     {request: orderbody.OrderRequest{}, response: oms.Order{}, status: []int{201, 200}},
	"get_v1_orders":                      {response: orderPage{}, status: []int{200}},
	"get_v1_orders_id":                   {response: oms.Order{}, status: []int{200}},
	"get_v1_orders_id_events":            {response: eventList{}, status: []int{200}},
	"get_v1_orders_id_timeline":          {response: service.Timeline{}, status: []int{200}},
	"post_v1_orders_id_notes":            {request: service.NoteRequest{}, response: oms.Note{}, status: []int{201}},
	"get_v1_orders_id_notes":             {response: service.NoteList{}, status: []int{200}},
	"get_v1_search":                      {response: searchAnswer{}, status: []int{200}},
	"get_v1_customers":                   {response: customerPage{}, status: []int{200}},
	"get_v1_customers_customer":          {response: oms.CustomerView{}, status: []int{200}},
	"post_v1_customers_customer_notes":   {request: service.NoteRequest{}, response: oms.Note{}, status: []int{201}},
	"get_v1_customers_customer_notes":    {response: service.NoteList{}, status: []int{200}},
	"post_v1_cases":                      {request: service.CaseRequest{}, response: oms.Case{}, status: []int{201}},
	"get_v1_cases":                       {response: service.CasePage{}, status: []int{200}},
	"get_v1_cases_id":                    {response: oms.Case{}, status: []int{200}},
	"post_v1_cases_id_messages":          {request: service.CaseMessageRequest{}, response: oms.Case{}, status: []int{200}},
	"patch_v1_cases_id":                  {request: service.CaseUpdate{}, response: oms.Case{}, status: []int{200}},
	"get_v1_orders_id_payloads":          {response: payloadList{}, status: []int{200}},
	"get_v1_events":                      {response: eventPage{}, status: []int{200}},
	"get_v1_orders_id_sourcing":          {response: oms.Sourcing{}, status: []int{200}},
	"post_v1_sourcing_simulate":          {request: orderbody.OrderRequest{}, response: oms.Sourcing{}, status: []int{200}},
	"get_v1_orders_id_fulfillments":      {response: fulfillmentList{}, status: []int{200}},
	"get_v1_fulfillments_id":             {response: oms.Fulfillment{}, status: []int{200}},
	"get_v1_locations_code_fulfillments": {response: fulfillmentList{}, status: []int{200}},
	"get_v1_locations_code_picklist":     {response: pickList{}, status: []int{200}},
	"post_v1_fulfillments_moves":         {request: moveBatchRequest{}, response: moveBatchResponse{}, status: []int{200}},
	"post_v1_fulfillments_id_pick":       {response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_pack":       {response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_ship":       {request: shipRequest{}, response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_deliver":    {response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_ready":      {response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_pickup":     {response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_cancel":     {request: cancelFulfillmentRequest{}, response: oms.Fulfillment{}, status: []int{200}},
	"post_v1_fulfillments_id_reject":     {request: rejectRequest{}, response: oms.Order{}, status: []int{200}},
	"post_v1_orders_id_holds":            {request: holdRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard},
	"post_v1_orders_id_release":          {request: releaseRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard},
	"get_v1_settings_screening":          {response: oms.Screening{}, status: []int{200}},
	"put_v1_settings_screening":          {request: oms.Screening{}, response: oms.Screening{}, status: []int{200}},
	"get_v1_settings_store":              {response: oms.StoreSettings{}, status: []int{200}},
	"put_v1_settings_store":              {request: oms.StoreSettings{}, response: oms.StoreSettings{}, status: []int{200}},
	"post_v1_orders_id_cancel":           {request: cancelRequest{}, response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard},
	"post_v1_orders_id_edits":            {ifMatch: requiredGuard, request: editRequest{}, response: editResponse{}, status: []int{200}},
	"post_v1_orders_id_source":           {response: oms.Order{}, status: []int{200}, ifMatch: optionalGuard},
	"get_v1_orders_id_edits":             {response: editList{}, status: []int{200}},

	"post_v1_orders_id_returns":           {request: returns.ReturnRequest{}, response: oms.Return{}, status: []int{201}},
	"get_v1_returns":                      {response: returns.ReturnPage{}, status: []int{200}},
	"get_v1_returns_id":                   {response: oms.Return{}, status: []int{200}},
	"post_v1_returns_id_approve":          {response: oms.Return{}, status: []int{200}},
	"post_v1_returns_id_reject":           {response: oms.Return{}, status: []int{200}},
	"post_v1_returns_id_receive":          {request: returns.ReceiveReturnRequest{}, response: oms.Return{}, status: []int{200}},
	"post_v1_returns_id_close":            {request: returns.CloseReturnRequest{}, response: oms.Return{}, status: []int{200}},
	"post_v1_orders_id_refunds":           {request: returns.RefundRequest{}, response: oms.Refund{}, status: []int{201}},
	"get_v1_orders_id_refunds":            {response: oms.OrderRefunds{}, status: []int{200}},
	"get_v1_settings_returns":             {response: oms.ReturnSettings{}, status: []int{200}},
	"put_v1_settings_returns":             {request: oms.ReturnSettings{}, response: oms.ReturnSettings{}, status: []int{200}},
	"post_v1_orders_id_return_link":       {request: returns.ReturnLinkRequest{}, response: oms.ReturnLink{}, status: []int{201}},
	"get_v1_return_portal_token":          {response: oms.Portal{}, status: []int{200}},
	"post_v1_return_portal_token_returns": {request: returns.PortalReturnRequest{}, response: oms.PortalReturn{}, status: []int{201}},

	"post_v1_fx_rates":         {request: ecbDocument{}, response: oms.FXImport{}, status: []int{200}, bodyLimit: maxRatesBody},
	"get_v1_fx_rates":          {response: ratesResponse{}, status: []int{200}},
	"get_v1_fx_rates_convert":  {response: oms.Conversion{}, status: []int{200}},
	"get_v1_settings_currency": {response: oms.CurrencySettings{}, status: []int{200}},
	"put_v1_settings_currency": {request: oms.CurrencySettings{}, response: oms.CurrencySettings{}, status: []int{200}},
	"get_v1_tax_rules":         {response: taxRuleList{}, status: []int{200}},
	"get_v1_tax_rules_key":     {response: oms.TaxRule{}, status: []int{200}},
	"put_v1_tax_rules_key":     {request: taxRuleRequest{}, response: oms.TaxRule{}, status: []int{200, 201}},
	"delete_v1_tax_rules_key":  {status: []int{204}},

	"get_v1_admin_check": {response: checkReport{}, status: []int{200}},

	"post_v1_api_keys":           {request: apiKeyRequest{}, response: apiKeyCreated{}, status: []int{201}},
	"get_v1_api_keys":            {response: apiKeyPage{}, status: []int{200}},
	"delete_v1_api_keys_id":      {status: []int{204}},
	"post_v1_api_keys_id_rotate": {request: apiKeyRotateRequest{}, response: apiKeyCreated{}, status: []int{200}},

	"get_v1_exports_orders":                                     {response: csvFile{}, status: []int{200}},
	"get_v1_exports_order_lines":                                {response: csvFile{}, status: []int{200}},
	"get_v1_exports_inventory":                                  {response: csvFile{}, status: []int{200}},
	"get_v1_exports_ledger":                                     {response: csvFile{}, status: []int{200}},
	"post_v1_webhook_endpoints":                                 {request: webhooks.WebhookEndpointRequest{}, response: webhooks.WebhookEndpointCreated{}, status: []int{201}},
	"get_v1_webhook_endpoints":                                  {response: webhooks.WebhookEndpointPage{}, status: []int{200}},
	"get_v1_webhook_endpoints_id":                               {response: oms.WebhookEndpoint{}, status: []int{200}},
	"patch_v1_webhook_endpoints_id":                             {request: webhooks.WebhookEndpointRequest{}, response: oms.WebhookEndpoint{}, status: []int{200}},
	"delete_v1_webhook_endpoints_id":                            {status: []int{204}},
	"post_v1_webhook_endpoints_id_rotate_secret":                {request: webhooks.WebhookRotateRequest{}, response: webhooks.WebhookEndpointCreated{}, status: []int{200}},
	"get_v1_webhook_endpoints_id_deliveries":                    {response: webhooks.WebhookDeliveryPage{}, status: []int{200}},
	"post_v1_webhook_endpoints_id_deliveries_delivery_id_retry": {response: oms.WebhookDelivery{}, status: []int{200}},
	"post_v1_webhook_endpoints_id_replay":                       {request: webhooks.WebhookReplayRequest{}, response: webhooks.WebhookReplayAnswer{}, status: []int{202}},
}
