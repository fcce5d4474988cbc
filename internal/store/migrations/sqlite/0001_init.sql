-- +goose Up
CREATE TABLE channels (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    currency         TEXT NOT NULL,
    backorder_policy TEXT NOT NULL CHECK (backorder_policy IN ('reject', 'backorder')),
    no_split_below   INTEGER NOT NULL DEFAULT 0 CHECK (no_split_below >= 0),
    share_percent    INTEGER NOT NULL DEFAULT 100 CHECK (share_percent BETWEEN 0 AND 100),
    buffer           INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
    webhook_secret   TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);

CREATE TABLE locations (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    can_ship   BOOLEAN NOT NULL,
    can_pickup BOOLEAN NOT NULL,
    priority   INTEGER NOT NULL,
    address    TEXT NOT NULL,
    latitude   REAL,
    longitude  REAL,
    active     BOOLEAN NOT NULL DEFAULT 1,
    channels   TEXT NOT NULL DEFAULT '', -- codes of the channels it serves, comma-separated; empty: all
    country    TEXT NOT NULL DEFAULT '', -- of its address, for sourcing distances
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE items (
    id         INTEGER PRIMARY KEY,
    sku        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    unit_cost  INTEGER NOT NULL CHECK (unit_cost >= 0),
    currency   TEXT NOT NULL,
    barcode    TEXT NOT NULL,
    preorder     BOOLEAN NOT NULL DEFAULT 0, -- sold before stock exists: orders wait for supply
    release_date DATETIME,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    hs_code           TEXT NOT NULL DEFAULT '', -- Harmonized System code, 6 to 10 digits
    country_of_origin TEXT NOT NULL DEFAULT ''  -- ISO 3166-1 alpha-2
);

-- Reservations are conditional updates on this table; the CHECKs are the
-- backstop that makes an oversell impossible even if a query were wrong.
CREATE TABLE balances (
    item_id      INTEGER NOT NULL REFERENCES items (id),
    location_id  INTEGER NOT NULL REFERENCES locations (id),
    on_hand      INTEGER NOT NULL CHECK (on_hand >= 0),
    reserved     INTEGER NOT NULL CHECK (reserved >= 0),
    safety_stock INTEGER NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    updated_at   DATETIME NOT NULL,
    PRIMARY KEY (item_id, location_id),
    CHECK (reserved <= on_hand)
) WITHOUT ROWID;

-- The high-volume tables written with every order (ledger, orders,
-- order_lines, allocations) carry no foreign keys: on PostgreSQL each would
-- lock the referenced row (a handful of hot location and channel rows) for
-- every row written. The store writes them consistently in one
-- transaction, and oms check verifies that every reference resolves.
CREATE TABLE ledger (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL,
    location_id    INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    delta          INTEGER NOT NULL,
    reserved_delta INTEGER NOT NULL,
    on_hand_after  INTEGER NOT NULL,
    reserved_after INTEGER NOT NULL,
    reference      TEXT NOT NULL,
    order_id       TEXT,
    actor          TEXT NOT NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX ledger_item ON ledger (item_id, id);

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    email      TEXT UNIQUE, -- normalised; NULL for a customer known only by a channel identity
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE orders (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    channel_id     INTEGER NOT NULL,
    external_id    TEXT NOT NULL,
    status         TEXT NOT NULL,
    currency       TEXT NOT NULL,
    customer_id    INTEGER,
    customer_email TEXT NOT NULL,
    customer_name  TEXT NOT NULL,
    customer_phone TEXT NOT NULL,
    ship_to        TEXT,
    pickup_location TEXT,
    billing        TEXT,
    incoterm       TEXT NOT NULL DEFAULT '',
    channel_updated_at DATETIME, -- the channel's last-modified time of the version applied
    channel_total  INTEGER,       -- the total the channel stated
    mismatches     TEXT NOT NULL DEFAULT '', -- where oms's totals differ from the channel's, one per line
    fulfilled_by_channel BOOLEAN NOT NULL DEFAULT 0,
    ship_key       TEXT NOT NULL DEFAULT '', -- the ship-to address reduced to a door, for screening
    taxes_included BOOLEAN NOT NULL,
    subtotal       INTEGER NOT NULL,
    discount_total INTEGER NOT NULL,
    shipping_total INTEGER NOT NULL,
    tax_total      INTEGER NOT NULL,
    duties_total   INTEGER NOT NULL DEFAULT 0,
    total          INTEGER NOT NULL,
    -- Totals in the base currency at the rate of the order's date. base_currency
    -- is the base currency set when the order was placed (NULL: none was);
    -- base_rate is NULL until a rate for the order's date is known, and then
    -- every base_ column is set. The rate is exact text: "1/1.1612".
    base_currency       TEXT,
    base_rate           TEXT,
    base_rate_date      TEXT, -- YYYY-MM-DD, the ECB reference day
    base_subtotal       INTEGER,
    base_discount_total INTEGER,
    base_shipping_total INTEGER,
    base_tax_total      INTEGER,
    base_duties_total   INTEGER,
    base_total          INTEGER,
    computed_tax        TEXT, -- JSON: how oms computed the tax of an order that came without; NULL: the channel gave it
    placed_at      DATETIME NOT NULL,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    version        INTEGER NOT NULL,
    UNIQUE (channel_id, external_id)
);
CREATE INDEX orders_status ON orders (status, seq);
CREATE INDEX orders_channel ON orders (channel_id, seq);
CREATE INDEX orders_email ON orders (customer_email, seq);
CREATE INDEX orders_phone ON orders (customer_phone) WHERE customer_phone <> '';
CREATE INDEX orders_ship_key ON orders (ship_key, created_at) WHERE ship_key <> '';
-- Orders still waiting for the exchange rate of their date.
CREATE INDEX orders_base_missing ON orders (placed_at) WHERE base_currency IS NOT NULL AND base_rate IS NULL;
-- Order numbers start at 1001.
INSERT INTO sqlite_sequence (name, seq) VALUES ('orders', 1000);

-- A line is known by its order and position; its public id is
-- "<order number>-<position + 1>".
CREATE TABLE order_lines (
    order_seq     INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    item_id       INTEGER, -- NULL while the channel's SKU is unknown (the order is held)
    sku           TEXT NOT NULL,
    quantity      INTEGER NOT NULL CHECK (quantity >= 0), -- 0: removed by an edit
    unit_price    INTEGER NOT NULL CHECK (unit_price >= 0),
    subtotal      INTEGER NOT NULL CHECK (subtotal >= 0),
    discount      INTEGER NOT NULL CHECK (discount >= 0),
    tax           INTEGER NOT NULL CHECK (tax >= 0),
    qty_open      INTEGER NOT NULL CHECK (qty_open >= 0),
    qty_allocated INTEGER NOT NULL CHECK (qty_allocated >= 0),
    qty_shipped   INTEGER NOT NULL CHECK (qty_shipped >= 0),
    qty_cancelled INTEGER NOT NULL CHECK (qty_cancelled >= 0),
    qty_returned  INTEGER NOT NULL CHECK (qty_returned >= 0),
    PRIMARY KEY (order_seq, position),
    CHECK (quantity = qty_open + qty_allocated + qty_shipped + qty_cancelled),
    CHECK (qty_returned <= qty_shipped)
) WITHOUT ROWID;
-- Backorders waiting for an item, oldest first, for when stock arrives.
CREATE INDEX order_lines_waiting ON order_lines (item_id, order_seq) WHERE qty_open > 0;

CREATE TABLE allocations (
    order_seq   INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    item_id     INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (order_seq, position, location_id)
) WITHOUT ROWID;

-- A fulfillment is one location's part of an order, known by the order and
-- its number within it; its public id is "<order number>-F<n>".
CREATE TABLE fulfillments (
    order_seq       INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    location_id     INTEGER NOT NULL,
    pickup          BOOLEAN NOT NULL,
    status          TEXT NOT NULL,
    carrier         TEXT NOT NULL DEFAULT '',
    service         TEXT NOT NULL DEFAULT '',
    tracking_number TEXT NOT NULL DEFAULT '',
    tracking_url    TEXT NOT NULL DEFAULT '',
    reject_reason   TEXT NOT NULL DEFAULT '', -- set when its location could not supply units: it is not sourced from again for this order
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    shipped_at      DATETIME,
    delivered_at    DATETIME,
    PRIMARY KEY (order_seq, n)
) WITHOUT ROWID;
CREATE INDEX fulfillments_location ON fulfillments (location_id, status, order_seq);

CREATE TABLE fulfillment_lines (
    order_seq INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_seq, n, position)
) WITHOUT ROWID;

-- Holds stop an order before fulfillment until released; released ones stay
-- for the record.
CREATE TABLE holds (
    order_seq   INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    type        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    placed_by   TEXT NOT NULL,
    placed_at   DATETIME NOT NULL,
    released_by TEXT,
    released_at DATETIME,
    PRIMARY KEY (order_seq, n)
) WITHOUT ROWID;

-- Settings are JSON documents by key, such as the screening rules.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

-- Expected supply: purchase orders and transfers on their way, with an ETA.
CREATE TABLE supply (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items (id),
    location_id INTEGER NOT NULL REFERENCES locations (id),
    kind        TEXT NOT NULL,
    reference   TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
    eta         DATETIME NOT NULL,
    status      TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    CHECK (received <= quantity)
);
CREATE INDEX supply_open ON supply (item_id, eta) WHERE status = 'open';

-- Postal-code centroids a merchant loads, to place ship-to addresses that
-- come without coordinates.
CREATE TABLE postal_centroids (
    country     TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    latitude    REAL NOT NULL,
    longitude   REAL NOT NULL,
    PRIMARY KEY (country, postal_code)
);

-- A channel's listing SKU mapped to oms items: one item, or several for a
-- bundle, each with the quantity one listing unit holds.
CREATE TABLE sku_mappings (
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    listing_sku TEXT NOT NULL,
    item_id     INTEGER NOT NULL REFERENCES items (id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (channel_id, listing_sku, item_id)
);

-- The availability last published per channel and SKU (an oms SKU, or a
-- listing SKU the channel maps): a change of it is an
-- inventory.availability_changed event.
CREATE TABLE channel_availability (
    channel_id INTEGER NOT NULL REFERENCES channels (id),
    sku        TEXT NOT NULL,
    available  INTEGER NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (channel_id, sku)
);

-- Every payload a channel sent for an order, as received.
CREATE TABLE order_payloads (
    order_seq   INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    received_at DATETIME NOT NULL,
    updated_at  DATETIME,
    applied     BOOLEAN NOT NULL,
    body        BLOB NOT NULL,
    PRIMARY KEY (order_seq, n)
) WITHOUT ROWID;

CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    order_id   TEXT,
    actor      TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX events_order ON events (order_id, seq) WHERE order_id IS NOT NULL;

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    revoked_at DATETIME
);

CREATE TABLE idempotency_keys (
    api_key_id    TEXT NOT NULL,
    key           TEXT NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    request_hash  BLOB NOT NULL,
    status_code   INTEGER,
    content_type  TEXT,
    response_body BLOB,
    created_at    DATETIME NOT NULL,
    PRIMARY KEY (api_key_id, key)
);

-- Euro foreign-exchange reference rates as the ECB publishes them: on day
-- (YYYY-MM-DD), 1 EUR is worth rate units of currency. The rate is kept as
-- the exact decimal text the ECB wrote.
CREATE TABLE fx_rates (
    day         TEXT NOT NULL CHECK (length(day) = 10),
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    rate        TEXT NOT NULL,
    imported_at DATETIME NOT NULL,
    PRIMARY KEY (day, currency)
);

-- Tax rules by country, and by region (ISO 3166-2 subdivision without the
-- country; '' for the whole country). The rate is a decimal from 0 to 1
-- with at most six decimals, as text: "0.09975".
CREATE TABLE tax_rules (
    country          TEXT NOT NULL,
    region           TEXT NOT NULL DEFAULT '',
    rate             TEXT NOT NULL,
    inclusive        BOOLEAN NOT NULL DEFAULT 0,
    replaces_country BOOLEAN NOT NULL DEFAULT 0,
    name             TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    PRIMARY KEY (country, region)
);

-- Customer service: internal notes on orders and customers, and cases
-- (customer inquiries) with their messages.
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_seq   INTEGER,
    customer_id INTEGER,
    body        TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    CHECK (order_seq IS NOT NULL OR customer_id IS NOT NULL)
);
CREATE INDEX notes_order ON notes (order_seq, id) WHERE order_seq IS NOT NULL;
CREATE INDEX notes_customer ON notes (customer_id, id) WHERE customer_id IS NOT NULL;

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id       INTEGER,
    order_seq         INTEGER,
    subject           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'pending', 'resolved')),
    assignee          TEXT NOT NULL DEFAULT '',
    opened_by         TEXT NOT NULL,
    first_response_at DATETIME,
    resolved_at       DATETIME,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_order ON cases (order_seq) WHERE order_seq IS NOT NULL;
CREATE INDEX cases_customer ON cases (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE case_messages (
    case_id       INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    author        TEXT NOT NULL,
    from_customer BOOLEAN NOT NULL,
    internal      BOOLEAN NOT NULL,
    body          TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    PRIMARY KEY (case_id, n)
);

-- Order edits before fulfillment: who changed what, with the order's lines,
-- ship-to and totals before and after (JSON), and the versions around it.
CREATE TABLE order_edits (
    order_seq      INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    actor          TEXT NOT NULL,
    version_before INTEGER NOT NULL,
    version_after  INTEGER NOT NULL,
    changes        TEXT NOT NULL, -- JSON array of strings
    state_before   TEXT NOT NULL, -- JSON: ship-to, lines and totals
    state_after    TEXT NOT NULL, -- JSON: ship-to, lines and totals
    total_before   INTEGER NOT NULL,
    total_after    INTEGER NOT NULL,
    difference     INTEGER NOT NULL,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (order_seq, n),
    CHECK (version_after > version_before)
);

-- Returns (RMA): the lines and units asked back with their reasons, the
-- units received with their condition and disposition (restocked through
-- the ledger, or scrapped), the replacement lines of an exchange, and the
-- refunds given on orders. A return's public id is "ret_<id>", a refund's
-- "ref_<id>".
CREATE TABLE returns (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    order_seq          INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'received', 'closed', 'rejected')),
    source             TEXT NOT NULL,
    comment            TEXT NOT NULL DEFAULT '',
    quote              TEXT NOT NULL, -- JSON: the refund value (estimate until received, then exact)
    exchange_total     INTEGER NOT NULL DEFAULT 0,
    exchange_order_seq INTEGER,       -- the order an exchange's replacement lines became
    refund_id          INTEGER,       -- the refund issued when it closed
    requested_by       TEXT NOT NULL,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    version            INTEGER NOT NULL
);
CREATE INDEX returns_order ON returns (order_seq, id);
CREATE INDEX returns_status ON returns (status, id);

CREATE TABLE return_lines (
    return_id      INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    position       INTEGER NOT NULL, -- the order line's
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    received       INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= quantity),
    reason         TEXT NOT NULL,
    item_condition TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (return_id, n)
);

CREATE TABLE return_units (
    return_id      INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    item_condition TEXT NOT NULL,
    disposition    TEXT NOT NULL CHECK (disposition IN ('restock', 'scrap')),
    location_id    INTEGER,  -- where restocked units went
    ledger_id      INTEGER,  -- the ledger movement that restocked them
    PRIMARY KEY (return_id, n)
);

CREATE TABLE exchange_lines (
    return_id  INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    sku        TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
    tax        INTEGER NOT NULL CHECK (tax >= 0),
    PRIMARY KEY (return_id, n)
);

-- An exchange links two orders, both ways: the original's row names its
-- exchange order (kind exchange), the exchange's names the original
-- (kind exchange_of).
CREATE TABLE order_links (
    order_seq  INTEGER NOT NULL,
    linked_seq INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('exchange', 'exchange_of')),
    return_id  INTEGER NOT NULL,
    PRIMARY KEY (order_seq, linked_seq)
);

CREATE TABLE refunds (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    order_seq         INTEGER NOT NULL,
    return_id         INTEGER,
    kind              TEXT NOT NULL CHECK (kind IN ('return', 'manual', 'appeasement')),
    amount            INTEGER NOT NULL CHECK (amount > 0),
    currency          TEXT NOT NULL,
    reason            TEXT NOT NULL,
    payment_reference TEXT NOT NULL DEFAULT '',
    actor             TEXT NOT NULL,
    created_at        DATETIME NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_seq, id);
CREATE UNIQUE INDEX refunds_return ON refunds (return_id) WHERE return_id IS NOT NULL;

-- Customers and search. A channel's own customer id is one customer
-- (customer_identities); orders are found by customer, and by any word of
-- their number, external id, customer and tracking numbers (order_search).
CREATE TABLE customer_identities (
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    external_id TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (channel_id, external_id)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);
CREATE INDEX orders_customer ON orders (customer_id, seq) WHERE customer_id IS NOT NULL;
CREATE INDEX fulfillments_tracking ON fulfillments (tracking_number) WHERE tracking_number <> '';
-- One row per order, its rowid the order's seq: the words of
-- oms.SearchDocument. detail=none keeps it small: queries need no phrases.
CREATE VIRTUAL TABLE order_search USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0', detail = none);

-- Reports. Each order line records its item's unit cost at the time of sale
-- (in the item's cost currency); an order records whether any of its units
-- ever waited for stock (a backorder).
ALTER TABLE order_lines ADD COLUMN unit_cost INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN cost_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN backordered BOOLEAN NOT NULL DEFAULT 0;

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
