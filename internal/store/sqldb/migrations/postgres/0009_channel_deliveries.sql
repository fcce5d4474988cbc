-- +goose Up
-- The webhook deliveries each channel identified (Shopify's
-- X-Shopify-Webhook-Id, WooCommerce's X-WC-Webhook-Delivery-ID) and the
-- order each one brought, so that a repeat is answered without being read
-- or stored again. Rows older than 30 days are forgotten (see delivery.go).
CREATE TABLE channel_deliveries (
    channel_id  BIGINT NOT NULL,
    delivery_id TEXT NOT NULL,
    order_seq   BIGINT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (channel_id, delivery_id)
);
CREATE INDEX channel_deliveries_received ON channel_deliveries (received_at);

-- An order a channel sent already cancelled and without its amounts (Amazon
-- drops them from a cancelled order): its money is unknown, stored as 0 and
-- shown as null. Reports count such orders by their placing time.
ALTER TABLE orders ADD COLUMN amounts_unknown BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX orders_amounts_unknown ON orders (placed_at) WHERE amounts_unknown;
