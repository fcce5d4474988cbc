// Package oms holds the vocabulary, rules and services of the order
// management system.
//
// The vocabulary: items, locations, channels, stock balances and the
// ledger, expected supply and transfers, customers and their cases, orders
// and their lines, allocations, holds, edits, fulfillments, returns and
// refunds, and the events that record every change. The rules are the pure
// functions that decide what happens to them: validation, sourcing and
// allocation, status, totals, taxes and money. Nothing here performs I/O.
//
// The services say what the business does, one interface per area:
//
//   - [Orders]: place, read, search, cancel and edit orders; their notes and timeline.
//   - [Holds]: hold and release orders; the screening rules that hold them.
//   - [Inventory]: items, locations, stock adjustments, transfers, expected
//     supply, availability to promise and to sell, stock lists and the ledger.
//   - [Fulfillments]: fulfillment moves, batches, pick lists and pickups.
//   - [Returns]: returns, refunds and the customers' return portal.
//   - [Customers]: customers, their notes and cases.
//   - [Channels]: channels, their SKU mappings, and ingesting their orders
//     and webhook deliveries.
//   - [Keys]: API keys.
//   - [Admin]: currency and tax settings, postal centroids, the consistency
//     check and exports.
//   - [EventLog] and [Idempotency]: the event stream, and the stored answers
//     of idempotent requests.
//
// [Services] gathers them. Who acts is a [Principal]: an API key's id, name
// and role, and the channels or locations it is bound to.
//
// The shells implement and use them: internal/store implements every
// service on SQLite or PostgreSQL, internal/httpapi serves them over HTTP,
// and internal/cli runs them from the command line.
package oms
