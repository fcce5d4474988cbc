// Package metrics holds the server's Prometheus instruments, in a registry
// of their own (never the global one), and the handler that serves them at
// GET /metrics. It uses the official client, client_golang.
//
// The server builds one *Metrics with New and hands it to the parts that
// record: the HTTP router (Middleware), order placement (OrderPlaced,
// OrderRefused), stock (StockReserved, StockShort), the order writer
// (WriterBatch), webhook delivery (WebhookDelivery) and the event stream
// relay (StreamPublished). Figures that live in the database are read at
// each scrape from functions the server registers: connection pools
// (RegisterDB, one per pool), durable job queues (RegisterJobQueues) and the
// report rollups' fold lag (RegisterFoldLag). A nil *Metrics records
// nothing, so a part built without metrics, as in its tests, may hold nil.
//
// What it exports, all prefixed oms_ but for the Go runtime's (go_*), the
// process's (process_*), the pools' (go_sql_*, labelled db_name) and the
// handler's own (promhttp_*):
//
//	oms_http_requests_total{route,method,code}        counter
//	oms_http_request_duration_seconds{route,method}   histogram
//	oms_orders_placed_total{channel}                  counter
//	oms_orders_refused_total{reason}                  counter
//	oms_stock_reservations_total{outcome}             counter: reserved, short
//	oms_stock_reserved_units_total                    counter
//	oms_writer_batch_orders                           histogram
//	oms_writer_wait_seconds                           histogram
//	oms_writer_batch_seconds                          histogram
//	oms_writer_stock_held_seconds                     histogram
//	oms_webhook_deliveries_total{outcome}             counter
//	oms_webhook_delivery_duration_seconds{outcome}    histogram
//	oms_stream_events_published_total                 counter
//	oms_stream_publish_failures_total                 counter
//	oms_job_queue_depth{queue}                        gauge
//	oms_job_queue_oldest_age_seconds{queue}           gauge
//	oms_rollup_fold_lag_seconds                       gauge
//
// Routes are labelled by their pattern ("GET /v1/orders/{id}"), never their
// path, so the number of series stays bounded; requests no route matched
// are route="unmatched".
package metrics
