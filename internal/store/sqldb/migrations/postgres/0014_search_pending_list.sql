-- +goose Up
-- The search index takes new documents into GIN's pending list (fastupdate)
-- instead of inserting every word of every order into its posting trees at
-- placement: measured with oms bench, the index wrote 3,600 WAL bytes per
-- order that way, the largest share of an order's WAL, and about 1,400 when
-- a background cleaner (store.DB.CleanSearchPending, every few seconds)
-- merges the pending list in bulk. Searches stay exact: GIN reads the
-- pending list too, and the cleaner keeps it short.
ALTER INDEX order_search_doc SET (fastupdate = on);
