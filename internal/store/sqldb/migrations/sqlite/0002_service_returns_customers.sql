-- +goose Up
-- Customers known only by a channel identity have no email; an order
-- line removed by an edit keeps its row at quantity 0. SQLite changes a
-- column's constraints by building the table again.
CREATE TABLE customers_new (
    id         INTEGER PRIMARY KEY,
    email      TEXT UNIQUE, -- normalised; NULL for a customer known only by a channel identity
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
INSERT INTO customers_new (id, email, name, phone, created_at, updated_at)
    SELECT id, email, name, phone, created_at, updated_at FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;

CREATE TABLE order_lines_new (
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
INSERT INTO order_lines_new SELECT * FROM order_lines;
DROP TABLE order_lines;
ALTER TABLE order_lines_new RENAME TO order_lines;
CREATE INDEX order_lines_waiting ON order_lines (item_id, order_seq) WHERE qty_open > 0;

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
-- Its words, for expanding a prefix into the words it starts.
CREATE VIRTUAL TABLE order_search_vocab USING fts5vocab(order_search, 'row');
