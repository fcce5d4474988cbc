// Package orders keeps the orders and the stock they draw on: the store's
// transaction (Tx) and the part of the database the orders need (DB); the
// order loader and the order's rows (order_read.go, order.go, rows.go);
// events with the order's status moves (event.go); the stock ledger every
// movement goes through, with the balance rules (ledger.go); reading and
// reserving a batch's stock and sourcing it (place.go); an order's
// fulfillments (fulfillment.go), holds in force, promised dates and who may
// see an order (scope.go); and the change feed every write of an order or
// of stock goes through (feed.go), read by the report read model.
//
// The packages above it change placed orders (internal/store/lifecycle)
// and place new ones (internal/store/placement); each wraps DB and Tx with
// its own methods. The store (internal/store) composes them.
package orders
