-- +goose Up

-- Stock reports. stock_rollup holds, per (item, location), one row per UTC
-- day and one per calendar month in which the ledger moved it, written in
-- the transaction of the movement (which holds the balance row's lock, so
-- the row adds no contention). day is the span's first day and next_day the
-- first day after it, as days since 1970-01-01 UTC. on_hand and reserved
-- are the span's closing state; net is the change to on hand; unit_days is
-- the sum over its movements of delta × (next_day − the movement's day),
-- which makes the unit-days held over any range a sum of rows; received
-- counts units in by receipt or return, shipped units out by shipment, cogs
-- those units at the item's unit cost when they shipped (item currency);
-- unit_cost is the item's cost at the span's last movement.
CREATE TABLE stock_rollup (
    item_id     INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    span        TEXT NOT NULL CHECK (span IN ('day', 'month')),
    day         INTEGER NOT NULL,
    next_day    INTEGER NOT NULL,
    on_hand     INTEGER NOT NULL,
    reserved    INTEGER NOT NULL,
    net         INTEGER NOT NULL,
    unit_days   INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    shipped     INTEGER NOT NULL,
    cogs        INTEGER NOT NULL,
    unit_cost   INTEGER NOT NULL,
    PRIMARY KEY (item_id, location_id, span, day)
);
-- Covers the sums over a range of days, which read no table row.
CREATE INDEX stock_rollup_day ON stock_rollup (span, day, item_id, location_id, net, unit_days, next_day, received, shipped, cogs);
-- A stockout spell: from the movement that left no unreserved unit of an
-- item at a location (on hand − reserved ≤ 0) to the one that brought one
-- back (ended_at NULL while it lasts).
CREATE TABLE stockout_spells (
    item_id     INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    started_at  DATETIME NOT NULL,
    ended_at    DATETIME,
    PRIMARY KEY (item_id, location_id, started_at)
);
-- Orders placed with units of an item left waiting (backordered), per UTC
-- day (days since 1970-01-01) and item; shard spreads concurrent placement
-- batches over rows and is summed when read.
CREATE TABLE backorder_days (
    item_id INTEGER NOT NULL,
    day     INTEGER NOT NULL,
    shard   INTEGER NOT NULL,
    orders  INTEGER NOT NULL,
    units   INTEGER NOT NULL,
    PRIMARY KEY (item_id, day, shard)
);
