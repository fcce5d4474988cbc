-- +goose Up
-- PostgreSQL's version 6 indexes items by SKU in byte order for SKU pages
-- and prefixes. SQLite's unique index on sku already is in byte order (the
-- BINARY collation), so this version only keeps the engines' numbers
-- together.
SELECT 1;
