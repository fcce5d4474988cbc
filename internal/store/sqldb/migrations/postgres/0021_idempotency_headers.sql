-- +goose Up
-- The headers of a stored answer that a replay gives again (Location,
-- ETag, Cache-Control, OMS-Ingest-Outcome), as a JSON object; NULL for the
-- answers stored before, which replay without them.
ALTER TABLE idempotency_keys ADD COLUMN response_headers TEXT;
