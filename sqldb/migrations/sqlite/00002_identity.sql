-- +goose Up
-- Accounts, sessions, API tokens and sign-in throttling. Secrets are never
-- stored: sessions, tokens and setup links keep the hex SHA-256 of theirs,
-- users an argon2id hash of their password. Times are Unix milliseconds.
-- Flags are 0 or 1 here and BOOLEAN on PostgreSQL; queries write them as
-- TRUE and FALSE, which both read.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    person_id     TEXT REFERENCES people (id) ON DELETE SET NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- empty for users who sign in only through single sign-on
    password_hash TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX users_person ON users (person_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    role         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked      INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    PRIMARY KEY (user_id, id)
);

-- One row per failed sign-in and key: "user:alice", "addr:192.0.2.1".
CREATE TABLE login_attempts (
    key       TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, failed_at);
CREATE INDEX login_attempts_time ON login_attempts (failed_at);

CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);

-- +goose Down
DROP TABLE setup_tokens;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
