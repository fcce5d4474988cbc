-- +goose Up
-- Console users are people: each signs in with an email (stored lower-cased,
-- so unique whatever its case) and a password (an argon2id hash in PHC
-- form), holds one of the API's roles, and may be bound to locations
-- (codes, one a line). Sessions live here too, so that any server of many
-- accepts them: a session's token is stored as its SHA-256 only, and each
-- has an idle and an absolute expiry and its own CSRF secret. Failed
-- sign-ins are counted per email and per client address to throttle
-- guessing (see internal/store/user_session.go).
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    locations     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    disabled_at   DATETIME
);
CREATE TABLE user_sessions (
    token_hash      BLOB PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    csrf_secret     BLOB NOT NULL,
    created_at      DATETIME NOT NULL,
    last_seen_at    DATETIME NOT NULL,
    idle_expires_at DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);
CREATE TABLE login_attempts (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    address      TEXT NOT NULL,
    attempted_at DATETIME NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_address ON login_attempts (address, attempted_at);
