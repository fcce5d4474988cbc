-- +goose Up
-- The id of the HTTP request that caused an event (X-Request-Id), when a
-- request did; NULL for events of background work and of older rows.
ALTER TABLE events ADD COLUMN request_id TEXT;
