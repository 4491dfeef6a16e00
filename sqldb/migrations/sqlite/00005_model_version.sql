-- +goose Up
-- The model's version: one more with every transaction that changes a
-- service, team, person, BIA, risk or the impact scale. Instances keep
-- their in-memory dependency graph current by comparing it with the
-- version they built from.
CREATE TABLE model_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO model_version (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE model_version;
