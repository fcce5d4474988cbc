-- +goose Up
-- What a key is bound to: the channel codes a channel key acts for, the
-- location codes a warehouse key works at (none: every location), each
-- list newline-separated. A channel key is always bound: the channel keys
-- made before this version keep acting for every channel that exists now,
-- and no channel made later.
ALTER TABLE api_keys ADD COLUMN channels TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN locations TEXT NOT NULL DEFAULT '';
UPDATE api_keys SET channels = COALESCE((SELECT group_concat(code, char(10)) FROM (SELECT code FROM channels ORDER BY code)), '')
WHERE role = 'channel';
