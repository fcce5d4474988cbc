-- +goose Up
-- Idempotency keys expire a day after their first request; a background
-- sweep on every server deletes the expired ones, oldest first, a few
-- hundred at a time.
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
