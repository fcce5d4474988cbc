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
// The store is composed of packages below it: the engine seam
// (internal/store/sqldb: connections, the engines' differences,
// transactions and retry, units of work, bulk row sources, statement
// caches, migrations, the events append and settings), and the areas that
// live on the seam alone — users and sessions (users), API keys (keys),
// screening, currency and tax rules (settings), idempotency keys
// (idempotency), the outbound webhooks' endpoints, outbox and deliveries
// (webhooks) — and the areas the store lends what they need of the
// orders: customers, notes, cases and the timeline (customers, through
// customers.Orders), returns and refunds (returns, which run in the
// store's transactions through returns.Store), the hand-made stock
// movements and the supply (inventory, likewise through inventory.Store),
// and the floor's moves of fulfillments, their batches, a location's
// fulfillments and pick list and pickup expiry (fulfillment, likewise
// through fulfillment.Store).
// DB embeds the areas, so their methods are the store's. The rest —
// catalog, the stock ledger, orders and what follows them — is still here.
package store
