-- +goose Up
-- The availability feed pages through a channel's listing SKUs in byte
-- order (COLLATE "C"), merged with its items' SKUs, whatever collation the
-- database was created with. The primary key on (channel_id, listing_sku)
-- follows the database's collation, so this index serves those pages.
CREATE INDEX sku_mappings_listing_bytes ON sku_mappings (channel_id, listing_sku COLLATE "C");
