// Package oms holds the vocabulary and rules of the order management system:
// items, locations, channels, stock balances and the ledger, customers, orders
// and their lines, allocations and events, and the pure functions that decide
// what happens to them (validation, allocation, status, totals).
//
// Nothing here performs I/O. The shells (internal/store, internal/httpapi,
// internal/cli) load state, call these rules and save the results.
package oms
