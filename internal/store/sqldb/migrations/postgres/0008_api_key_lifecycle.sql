-- +goose Up
-- API keys are listed with when each was last used (written at most once a
-- minute per key and server), and rotated: the new secret's hash replaces
-- hash, and the one it replaced keeps working, as previous_hash, until
-- previous_expires_at. Every revocation and rotation adds one to
-- api_key_revision, which each server reads a few times a second to drop
-- the keys it has cached (see internal/store/apikey_lifecycle.go).
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMPTZ;
ALTER TABLE api_keys ADD COLUMN rotated_at TIMESTAMPTZ;
ALTER TABLE api_keys ADD COLUMN previous_hash BYTEA;
ALTER TABLE api_keys ADD COLUMN previous_expires_at TIMESTAMPTZ;
CREATE UNIQUE INDEX api_keys_previous_hash ON api_keys (previous_hash);
CREATE TABLE api_key_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO api_key_revision (id, revision) VALUES (1, 0);
