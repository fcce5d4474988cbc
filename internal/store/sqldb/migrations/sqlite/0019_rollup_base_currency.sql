-- +goose Up
-- Report rollups keep orders placed under different base currencies apart:
-- rollup_sales rows are keyed by the base currency their base_ amounts and
-- cost are in (the order's orders.base_currency; its own currency when none
-- was set), so that a report in one base currency adds only its own. Rows
-- summed before cannot be split by base currency: the order rollups and
-- their pending deltas are emptied here and rebuilt from the orders as the
-- migration ends (store.migrateTo; `oms reports rebuild` does the same).
DELETE FROM rollup_pending;
DELETE FROM rollup_cycles;
DELETE FROM rollup_returns;
DROP TABLE rollup_sales;
CREATE TABLE rollup_sales (
    grain       INTEGER NOT NULL,
    day         INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    item_id     INTEGER NOT NULL, -- 0: the order's own figures (location 0), or its orders by location
    location_id INTEGER NOT NULL, -- 0: units not at a location (open, cancelled)
    currency    TEXT NOT NULL, -- the orders' own
    base_currency TEXT NOT NULL, -- the one their base_ amounts and cost are in
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
    PRIMARY KEY (grain, day, channel_id, item_id, location_id, currency, base_currency, shard)
) WITHOUT ROWID;

-- +goose Down
DELETE FROM rollup_pending;
DELETE FROM rollup_cycles;
DELETE FROM rollup_returns;
DROP TABLE rollup_sales;
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
