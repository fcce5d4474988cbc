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

-- Reports. Each order line records its item's unit cost at the time of sale
-- (in the item's cost currency); an order records whether any of its units
-- ever waited for stock (a backorder).
ALTER TABLE order_lines ADD COLUMN unit_cost INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN cost_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN backordered BOOLEAN NOT NULL DEFAULT 0;
-- Lines placed before costs were recorded take their item's cost now: the
-- best estimate there is of what they cost.
UPDATE order_lines SET unit_cost = (SELECT i.unit_cost FROM items i WHERE i.id = order_lines.item_id),
    cost_currency = (SELECT i.currency FROM items i WHERE i.id = order_lines.item_id)
WHERE item_id IS NOT NULL;

-- Report rollups: sums of every order's contribution (oms.Contribute), by
-- the UTC day the order was placed, kept at three grains (1: day, 7: ISO
-- week keyed by its Monday, 30: month keyed by its first day; day is the
-- number of days since 1970-01-01), changed in the same transaction as the
-- order. shard spreads concurrent writers over rows (summed when read).
-- Money is in minor units of currency (the order's), base_ columns in the
-- order's base currency; cost is in the base currency.
CREATE TABLE rollup_sales (
    grain       INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    item_id     INTEGER NOT NULL, -- 0: the order's own figures (location 0), or its orders by location
    location_id INTEGER NOT NULL, -- 0: units not at a location (open, cancelled)
    currency    TEXT NOT NULL,
    shard       INTEGER NOT NULL,
    orders INTEGER NOT NULL, units INTEGER NOT NULL, units_cancelled INTEGER NOT NULL,
    units_shipped INTEGER NOT NULL, units_returned INTEGER NOT NULL, units_restocked INTEGER NOT NULL,
    gross INTEGER NOT NULL, discounts INTEGER NOT NULL, cancellations INTEGER NOT NULL, returns INTEGER NOT NULL,
    tax INTEGER NOT NULL, shipping INTEGER NOT NULL, refund_return INTEGER NOT NULL, refund_manual INTEGER NOT NULL,
    refund_appeasement INTEGER NOT NULL, cost INTEGER NOT NULL, cost_missing INTEGER NOT NULL,
    backordered INTEGER NOT NULL, split INTEGER NOT NULL, unconverted INTEGER NOT NULL,
    base_gross INTEGER NOT NULL, base_discounts INTEGER NOT NULL, base_cancellations INTEGER NOT NULL,
    base_returns INTEGER NOT NULL, base_tax INTEGER NOT NULL, base_shipping INTEGER NOT NULL,
    base_refund_return INTEGER NOT NULL, base_refund_manual INTEGER NOT NULL, base_refund_appeasement INTEGER NOT NULL,
    PRIMARY KEY (grain, day, channel_id, item_id, location_id, currency, shard)
) WITHOUT ROWID;

-- Shipping times: per order day, channel, location and kind (s: placed to
-- shipped; d: placed to delivered or picked up), how many shipments took
-- each span, in the buckets of oms.HourBuckets: column hN counts the spans
-- from N hours up to the next bucket's.
CREATE TABLE rollup_cycles (
    grain       INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    shard       INTEGER NOT NULL,
    h0 INTEGER NOT NULL DEFAULT 0, h1 INTEGER NOT NULL DEFAULT 0, h2 INTEGER NOT NULL DEFAULT 0,
    h3 INTEGER NOT NULL DEFAULT 0, h4 INTEGER NOT NULL DEFAULT 0, h5 INTEGER NOT NULL DEFAULT 0,
    h6 INTEGER NOT NULL DEFAULT 0, h7 INTEGER NOT NULL DEFAULT 0, h8 INTEGER NOT NULL DEFAULT 0,
    h9 INTEGER NOT NULL DEFAULT 0, h10 INTEGER NOT NULL DEFAULT 0, h11 INTEGER NOT NULL DEFAULT 0,
    h12 INTEGER NOT NULL DEFAULT 0, h13 INTEGER NOT NULL DEFAULT 0, h14 INTEGER NOT NULL DEFAULT 0,
    h15 INTEGER NOT NULL DEFAULT 0, h16 INTEGER NOT NULL DEFAULT 0, h17 INTEGER NOT NULL DEFAULT 0,
    h18 INTEGER NOT NULL DEFAULT 0, h19 INTEGER NOT NULL DEFAULT 0, h20 INTEGER NOT NULL DEFAULT 0,
    h21 INTEGER NOT NULL DEFAULT 0, h22 INTEGER NOT NULL DEFAULT 0, h23 INTEGER NOT NULL DEFAULT 0,
    h24 INTEGER NOT NULL DEFAULT 0, h25 INTEGER NOT NULL DEFAULT 0, h26 INTEGER NOT NULL DEFAULT 0,
    h27 INTEGER NOT NULL DEFAULT 0, h28 INTEGER NOT NULL DEFAULT 0, h29 INTEGER NOT NULL DEFAULT 0,
    h30 INTEGER NOT NULL DEFAULT 0, h31 INTEGER NOT NULL DEFAULT 0, h32 INTEGER NOT NULL DEFAULT 0,
    h33 INTEGER NOT NULL DEFAULT 0, h34 INTEGER NOT NULL DEFAULT 0, h35 INTEGER NOT NULL DEFAULT 0,
    h36 INTEGER NOT NULL DEFAULT 0, h37 INTEGER NOT NULL DEFAULT 0, h38 INTEGER NOT NULL DEFAULT 0,
    h39 INTEGER NOT NULL DEFAULT 0, h40 INTEGER NOT NULL DEFAULT 0, h41 INTEGER NOT NULL DEFAULT 0,
    h42 INTEGER NOT NULL DEFAULT 0, h43 INTEGER NOT NULL DEFAULT 0, h44 INTEGER NOT NULL DEFAULT 0,
    h45 INTEGER NOT NULL DEFAULT 0, h46 INTEGER NOT NULL DEFAULT 0, h47 INTEGER NOT NULL DEFAULT 0,
    h48 INTEGER NOT NULL DEFAULT 0, h54 INTEGER NOT NULL DEFAULT 0, h60 INTEGER NOT NULL DEFAULT 0,
    h66 INTEGER NOT NULL DEFAULT 0, h72 INTEGER NOT NULL DEFAULT 0, h84 INTEGER NOT NULL DEFAULT 0,
    h96 INTEGER NOT NULL DEFAULT 0, h108 INTEGER NOT NULL DEFAULT 0, h120 INTEGER NOT NULL DEFAULT 0,
    h132 INTEGER NOT NULL DEFAULT 0, h144 INTEGER NOT NULL DEFAULT 0, h156 INTEGER NOT NULL DEFAULT 0,
    h168 INTEGER NOT NULL DEFAULT 0, h192 INTEGER NOT NULL DEFAULT 0, h216 INTEGER NOT NULL DEFAULT 0,
    h240 INTEGER NOT NULL DEFAULT 0, h264 INTEGER NOT NULL DEFAULT 0, h288 INTEGER NOT NULL DEFAULT 0,
    h312 INTEGER NOT NULL DEFAULT 0, h336 INTEGER NOT NULL DEFAULT 0, h384 INTEGER NOT NULL DEFAULT 0,
    h432 INTEGER NOT NULL DEFAULT 0, h480 INTEGER NOT NULL DEFAULT 0, h528 INTEGER NOT NULL DEFAULT 0,
    h576 INTEGER NOT NULL DEFAULT 0, h624 INTEGER NOT NULL DEFAULT 0, h672 INTEGER NOT NULL DEFAULT 0,
    h720 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, day, channel_id, location_id, kind, shard)
) WITHOUT ROWID;

-- Units received back, by SKU and reason.
CREATE TABLE rollup_returns (
    grain      INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    item_id    INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    shard      INTEGER NOT NULL,
    units      INTEGER NOT NULL,
    PRIMARY KEY (grain, day, channel_id, item_id, reason, shard)
) WITHOUT ROWID;
