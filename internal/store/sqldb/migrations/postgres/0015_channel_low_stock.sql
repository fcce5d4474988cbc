-- +goose Up
-- A channel's low-stock threshold: when what the channel may sell of a SKU
-- falls to it or below, inventory.low_stock is written (0: never).
ALTER TABLE channels ADD COLUMN low_stock BIGINT NOT NULL DEFAULT 5 CHECK (low_stock >= 0);
