-- +goose Up
-- The rest of a continuity model (format v1): the impact scale, business
-- impact analyses and risks. Lists that are only ever read and written
-- whole are JSON text.
CREATE TABLE impact_scale (
    id         INTEGER PRIMARY KEY CHECK (id = 1), -- there is at most one
    categories TEXT COLLATE "C" NOT NULL, -- JSON array of category ids
    ratings    TEXT COLLATE "C" NOT NULL, -- JSON array of {level, name, intolerable}
    tiers      TEXT COLLATE "C" NOT NULL, -- JSON array of {id, name, max_rto}
    currency   TEXT COLLATE "C" NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE bias (
    service_id         TEXT COLLATE "C" PRIMARY KEY REFERENCES services (id),
    impacts            TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of {after, ratings, loss}
    work_recovery_time BIGINT,
    rpo                BIGINT,
    mbco               TEXT COLLATE "C" NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE risks (
    id              TEXT COLLATE "C" PRIMARY KEY,
    title           TEXT COLLATE "C" NOT NULL,
    threat          TEXT COLLATE "C" NOT NULL DEFAULT '',
    description     TEXT COLLATE "C" NOT NULL DEFAULT '',
    owner           TEXT COLLATE "C" REFERENCES people (id),
    likelihood      INTEGER NOT NULL DEFAULT 0,
    impact          INTEGER NOT NULL DEFAULT 0,
    treatment       TEXT COLLATE "C" NOT NULL DEFAULT '',
    quant_frequency DOUBLE PRECISION,
    quant_loss_low  DOUBLE PRECISION,
    quant_loss_high DOUBLE PRECISION,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX risks_owner ON risks (owner);

CREATE TABLE risk_services (
    risk_id    TEXT COLLATE "C" NOT NULL REFERENCES risks (id) ON DELETE CASCADE,
    service_id TEXT COLLATE "C" NOT NULL REFERENCES services (id),
    PRIMARY KEY (risk_id, service_id)
);
CREATE INDEX risk_services_service ON risk_services (service_id);

-- +goose Down
DROP TABLE risk_services;
DROP TABLE risks;
DROP TABLE bias;
DROP TABLE impact_scale;
