-- +goose Up
-- Accounts, sessions, API tokens and sign-in throttling. Secrets are never
-- stored: sessions, tokens and setup links keep the hex SHA-256 of theirs,
-- users an argon2id hash of their password. Times are Unix milliseconds.
-- Flags are BOOLEAN here and 0 or 1 on SQLite; queries write them as TRUE
-- and FALSE, which both read.
CREATE TABLE users (
    id            TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT COLLATE "C" NOT NULL DEFAULT '',
    email         TEXT COLLATE "C" NOT NULL DEFAULT '',
    role          TEXT COLLATE "C" NOT NULL,
    person_id     TEXT COLLATE "C" REFERENCES people (id) ON DELETE SET NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    -- empty for users who sign in only through single sign-on
    password_hash TEXT COLLATE "C" NOT NULL DEFAULT '',
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX users_person ON users (person_id);

CREATE TABLE sessions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    address      TEXT COLLATE "C" NOT NULL DEFAULT '',
    user_agent   TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id           TEXT COLLATE "C" NOT NULL,
    role         TEXT COLLATE "C" NOT NULL,
    hash         TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, id)
);

-- One row per failed sign-in and key: "user:alice", "addr:192.0.2.1".
CREATE TABLE login_attempts (
    key       TEXT COLLATE "C" NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, failed_at);
CREATE INDEX login_attempts_time ON login_attempts (failed_at);

CREATE TABLE setup_tokens (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE
);

-- +goose Down
DROP TABLE setup_tokens;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
