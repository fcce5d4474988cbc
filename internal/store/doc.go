// Package store persists oms in SQLite (the embedded default, through a
// pure-Go driver) or PostgreSQL (through pgx), with the same behaviour on
// both. Each public method is one transaction — unless its context carries
// a unit of work (see Unit), whose one transaction it then joins; the SQL is
// the common subset of the two engines, and the few places where they
// differ go through the dialect.
//
// Stock is reserved by conditional updates inside the same transaction as
// the order, taking balance rows in a fixed (item, location) order, and
// CHECK constraints in the schema back the rules up. Transactions that fail
// on SQLITE_BUSY, serialization failure (40001) or deadlock (40P01) are
// retried whole.
//
// The store is the composition of the packages below it: the engine seam
// (internal/store/sqldb: connections, the engines' differences,
// transactions and retry, units of work, bulk row sources, statement
// caches, migrations, the events append and settings); the orders, in
// three layers — the orders' tables and transaction with the loader,
// events, the stock ledger, reservation and the change feed (orders), the
// changes to placed orders (lifecycle) and order placement (placement),
// each on the one below; the areas that live on the seam alone — users
// and sessions (users), API keys (keys), screening, currency and tax rules
// (settings), idempotency keys (idempotency), the catalog (catalog), the
// order search (search), the outbound webhooks (webhooks); and the areas
// this package lends what they need of the orders through adapters
// (check.go, customer.go, floor.go, return.go, stock.go, channel.go):
// customers, notes, cases and the timeline (customers), returns and
// refunds (returns), the hand-made stock movements and the supply
// (inventory), the floor's moves of fulfillments (fulfillment), the
// invariant check (check) and the channels' ingest (channels).
// DB embeds them all, so their methods are the store's.
package store
