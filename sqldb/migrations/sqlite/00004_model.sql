-- +goose Up
-- The rest of a continuity model (format v1): the impact scale, business
-- impact analyses and risks. Lists that are only ever read and written
-- whole are JSON text.
CREATE TABLE impact_scale (
    id         INTEGER PRIMARY KEY CHECK (id = 1), -- there is at most one
    categories TEXT NOT NULL, -- JSON array of category ids
    ratings    TEXT NOT NULL, -- JSON array of {level, name, intolerable}
    tiers      TEXT NOT NULL, -- JSON array of {id, name, max_rto}
    currency   TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE bias (
    service_id         TEXT PRIMARY KEY REFERENCES services (id),
    impacts            TEXT NOT NULL DEFAULT '[]', -- JSON array of {after, ratings, loss}
    work_recovery_time INTEGER,
    rpo                INTEGER,
    mbco               TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE risks (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    threat          TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    owner           TEXT REFERENCES people (id),
    likelihood      INTEGER NOT NULL DEFAULT 0,
    impact          INTEGER NOT NULL DEFAULT 0,
    treatment       TEXT NOT NULL DEFAULT '',
    quant_frequency REAL,
    quant_loss_low  REAL,
    quant_loss_high REAL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX risks_owner ON risks (owner);

CREATE TABLE risk_services (
    risk_id    TEXT NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES services (id),
    PRIMARY KEY (risk_id, service_id)
) WITHOUT ROWID;
CREATE INDEX risk_services_service ON risk_services (service_id);

-- +goose Down
DROP TABLE risk_services;
DROP TABLE risks;
DROP TABLE bias;
DROP TABLE impact_scale;
