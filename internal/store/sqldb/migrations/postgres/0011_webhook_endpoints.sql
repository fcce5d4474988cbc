-- +goose Up
-- Outgoing webhooks: the endpoints that subscribed to events, one delivery
-- per (endpoint, event) with its state and last attempt, and the outbox
-- cursors of the readers of the events table (the webhook fan-out and the
-- event stream), each one the seq up to which every event was handled.
CREATE TABLE webhook_endpoints (
    id                  TEXT PRIMARY KEY,
    url                 TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    event_types         TEXT NOT NULL, -- one pattern a line: order.created, order.*, *
    secret              TEXT NOT NULL,
    previous_secret     TEXT,
    previous_expires_at TIMESTAMPTZ,
    enabled             BOOLEAN NOT NULL,
    disabled_reason     TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_seq        BIGINT NOT NULL,
    order_key        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'succeeded', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    lease_until      TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    last_status_code INTEGER,
    last_latency_ms  BIGINT,
    last_error       TEXT NOT NULL DEFAULT '',
    last_response    TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (endpoint_id, event_seq)
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries (endpoint_id, order_key, event_seq) WHERE status IN ('pending', 'failed');

CREATE TABLE outbox_cursors (
    name        TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ
);
INSERT INTO outbox_cursors (name, seq) SELECT 'webhooks', COALESCE(MAX(seq), 0) FROM events;
INSERT INTO outbox_cursors (name, seq) SELECT 'nats', COALESCE(MAX(seq), 0) FROM events;
