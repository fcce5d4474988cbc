-- +goose Up
-- PostgreSQL's version 20 indexes a channel's listing SKUs in byte order
-- for the availability feed's pages. SQLite's primary key already is in
-- byte order (the BINARY collation), so this version only keeps the
-- engines' numbers together.
SELECT 1;
