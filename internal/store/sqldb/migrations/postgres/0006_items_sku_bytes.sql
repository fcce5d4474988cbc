-- +goose Up
-- GET /v1/items and GET /v1/inventory page through items by SKU and filter
-- by SKU prefix: ranges in byte order (COLLATE "C"), whatever collation the
-- database was created with. The unique index on sku follows the
-- database's collation, so this one serves those ranges.
CREATE INDEX items_sku_bytes ON items (sku COLLATE "C");
