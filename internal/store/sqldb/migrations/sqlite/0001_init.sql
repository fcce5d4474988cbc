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
    email      TEXT NOT NULL UNIQUE,
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
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
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
