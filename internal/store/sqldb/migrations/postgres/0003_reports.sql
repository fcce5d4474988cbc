-- +goose Up
-- The rollup tables are updated in place many times a day (a row per day,
-- channel, SKU …): half of each page is left free so that PostgreSQL can
-- update a row within its page without touching the indexes (HOT).

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
    item_id     BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    span        TEXT NOT NULL CHECK (span IN ('day', 'month')),
    day         BIGINT NOT NULL,
    next_day    BIGINT NOT NULL,
    on_hand     BIGINT NOT NULL,
    reserved    BIGINT NOT NULL,
    net         BIGINT NOT NULL,
    unit_days   BIGINT NOT NULL,
    received    BIGINT NOT NULL,
    shipped     BIGINT NOT NULL,
    cogs        BIGINT NOT NULL,
    unit_cost   BIGINT NOT NULL,
    PRIMARY KEY (item_id, location_id, span, day)
) WITH (fillfactor = 50);
-- Covers the sums over a range of days, which read no table row.
CREATE INDEX stock_rollup_day ON stock_rollup (span, day) INCLUDE (item_id, location_id, net, unit_days, next_day, received, shipped, cogs);
-- A stockout spell: from the movement that left no unreserved unit of an
-- item at a location (on hand − reserved ≤ 0) to the one that brought one
-- back (ended_at NULL while it lasts).
CREATE TABLE stockout_spells (
    item_id     BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    PRIMARY KEY (item_id, location_id, started_at)
);
-- Orders placed with units of an item left waiting (backordered), per UTC
-- day (days since 1970-01-01) and item; shard spreads concurrent placement
-- batches over rows and is summed when read.
CREATE TABLE backorder_days (
    item_id BIGINT NOT NULL,
    day     BIGINT NOT NULL,
    shard   BIGINT NOT NULL,
    orders  BIGINT NOT NULL,
    units   BIGINT NOT NULL,
    PRIMARY KEY (item_id, day, shard)
) WITH (fillfactor = 50);

-- Reports. Each order line records its item's unit cost at the time of sale
-- (in the item's cost currency); an order records whether any of its units
-- ever waited for stock (a backorder).
ALTER TABLE order_lines ADD COLUMN unit_cost BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN cost_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN backordered BOOLEAN NOT NULL DEFAULT FALSE;
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
    grain       BIGINT NOT NULL,
    day         BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    item_id     BIGINT NOT NULL, -- 0: the order's own figures (location 0), or its orders by location
    location_id BIGINT NOT NULL, -- 0: units not at a location (open, cancelled)
    currency    TEXT NOT NULL,
    shard       BIGINT NOT NULL,
    orders BIGINT NOT NULL, units BIGINT NOT NULL, units_cancelled BIGINT NOT NULL,
    units_shipped BIGINT NOT NULL, units_returned BIGINT NOT NULL, units_restocked BIGINT NOT NULL,
    gross BIGINT NOT NULL, discounts BIGINT NOT NULL, cancellations BIGINT NOT NULL, returns BIGINT NOT NULL,
    tax BIGINT NOT NULL, shipping BIGINT NOT NULL, refund_return BIGINT NOT NULL, refund_manual BIGINT NOT NULL,
    refund_appeasement BIGINT NOT NULL, cost BIGINT NOT NULL, cost_missing BIGINT NOT NULL,
    backordered BIGINT NOT NULL, split BIGINT NOT NULL, unconverted BIGINT NOT NULL,
    base_gross BIGINT NOT NULL, base_discounts BIGINT NOT NULL, base_cancellations BIGINT NOT NULL,
    base_returns BIGINT NOT NULL, base_tax BIGINT NOT NULL, base_shipping BIGINT NOT NULL,
    base_refund_return BIGINT NOT NULL, base_refund_manual BIGINT NOT NULL, base_refund_appeasement BIGINT NOT NULL,
    PRIMARY KEY (grain, day, channel_id, item_id, location_id, currency, shard)
) WITH (fillfactor = 50);

-- Shipping times: per order day, channel, location and kind (s: placed to
-- shipped; d: placed to delivered or picked up), how many shipments took
-- each span, in the buckets of oms.HourBuckets: column hN counts the spans
-- from N hours up to the next bucket's.
CREATE TABLE rollup_cycles (
    grain       BIGINT NOT NULL,
    day         BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    shard       BIGINT NOT NULL,
    h0 BIGINT NOT NULL DEFAULT 0, h1 BIGINT NOT NULL DEFAULT 0, h2 BIGINT NOT NULL DEFAULT 0,
    h3 BIGINT NOT NULL DEFAULT 0, h4 BIGINT NOT NULL DEFAULT 0, h5 BIGINT NOT NULL DEFAULT 0,
    h6 BIGINT NOT NULL DEFAULT 0, h7 BIGINT NOT NULL DEFAULT 0, h8 BIGINT NOT NULL DEFAULT 0,
    h9 BIGINT NOT NULL DEFAULT 0, h10 BIGINT NOT NULL DEFAULT 0, h11 BIGINT NOT NULL DEFAULT 0,
    h12 BIGINT NOT NULL DEFAULT 0, h13 BIGINT NOT NULL DEFAULT 0, h14 BIGINT NOT NULL DEFAULT 0,
    h15 BIGINT NOT NULL DEFAULT 0, h16 BIGINT NOT NULL DEFAULT 0, h17 BIGINT NOT NULL DEFAULT 0,
    h18 BIGINT NOT NULL DEFAULT 0, h19 BIGINT NOT NULL DEFAULT 0, h20 BIGINT NOT NULL DEFAULT 0,
    h21 BIGINT NOT NULL DEFAULT 0, h22 BIGINT NOT NULL DEFAULT 0, h23 BIGINT NOT NULL DEFAULT 0,
    h24 BIGINT NOT NULL DEFAULT 0, h25 BIGINT NOT NULL DEFAULT 0, h26 BIGINT NOT NULL DEFAULT 0,
    h27 BIGINT NOT NULL DEFAULT 0, h28 BIGINT NOT NULL DEFAULT 0, h29 BIGINT NOT NULL DEFAULT 0,
    h30 BIGINT NOT NULL DEFAULT 0, h31 BIGINT NOT NULL DEFAULT 0, h32 BIGINT NOT NULL DEFAULT 0,
    h33 BIGINT NOT NULL DEFAULT 0, h34 BIGINT NOT NULL DEFAULT 0, h35 BIGINT NOT NULL DEFAULT 0,
    h36 BIGINT NOT NULL DEFAULT 0, h37 BIGINT NOT NULL DEFAULT 0, h38 BIGINT NOT NULL DEFAULT 0,
    h39 BIGINT NOT NULL DEFAULT 0, h40 BIGINT NOT NULL DEFAULT 0, h41 BIGINT NOT NULL DEFAULT 0,
    h42 BIGINT NOT NULL DEFAULT 0, h43 BIGINT NOT NULL DEFAULT 0, h44 BIGINT NOT NULL DEFAULT 0,
    h45 BIGINT NOT NULL DEFAULT 0, h46 BIGINT NOT NULL DEFAULT 0, h47 BIGINT NOT NULL DEFAULT 0,
    h48 BIGINT NOT NULL DEFAULT 0, h54 BIGINT NOT NULL DEFAULT 0, h60 BIGINT NOT NULL DEFAULT 0,
    h66 BIGINT NOT NULL DEFAULT 0, h72 BIGINT NOT NULL DEFAULT 0, h84 BIGINT NOT NULL DEFAULT 0,
    h96 BIGINT NOT NULL DEFAULT 0, h108 BIGINT NOT NULL DEFAULT 0, h120 BIGINT NOT NULL DEFAULT 0,
    h132 BIGINT NOT NULL DEFAULT 0, h144 BIGINT NOT NULL DEFAULT 0, h156 BIGINT NOT NULL DEFAULT 0,
    h168 BIGINT NOT NULL DEFAULT 0, h192 BIGINT NOT NULL DEFAULT 0, h216 BIGINT NOT NULL DEFAULT 0,
    h240 BIGINT NOT NULL DEFAULT 0, h264 BIGINT NOT NULL DEFAULT 0, h288 BIGINT NOT NULL DEFAULT 0,
    h312 BIGINT NOT NULL DEFAULT 0, h336 BIGINT NOT NULL DEFAULT 0, h384 BIGINT NOT NULL DEFAULT 0,
    h432 BIGINT NOT NULL DEFAULT 0, h480 BIGINT NOT NULL DEFAULT 0, h528 BIGINT NOT NULL DEFAULT 0,
    h576 BIGINT NOT NULL DEFAULT 0, h624 BIGINT NOT NULL DEFAULT 0, h672 BIGINT NOT NULL DEFAULT 0,
    h720 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, day, channel_id, location_id, kind, shard)
) WITH (fillfactor = 50);

-- Units received back, by SKU and reason.
CREATE TABLE rollup_returns (
    grain      BIGINT NOT NULL,
    day        BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    item_id    BIGINT NOT NULL,
    reason     TEXT NOT NULL,
    shard      BIGINT NOT NULL,
    units      BIGINT NOT NULL,
    PRIMARY KEY (grain, day, channel_id, item_id, reason, shard)
) WITH (fillfactor = 50);
