-- +goose Up
-- Times are Unix milliseconds and durations whole seconds, so that the same
-- queries read and write them on SQLite and PostgreSQL.
CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id   TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id);

CREATE TABLE services (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    owner              TEXT REFERENCES teams (id),
    tier               INTEGER,
    lifecycle          TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    rto                INTEGER,
    rpo                INTEGER,
    mtpd               INTEGER,
    recovery_time      INTEGER,
    recovery_data_loss INTEGER,
    contract_rto       INTEGER,
    contract_rpo       INTEGER,
    contract_reference TEXT NOT NULL DEFAULT '',
    -- The service's tags and depends_on as written, in the compact form of
    -- encoding.go: the tables below hold the same for integrity and reverse
    -- lookups, these columns serve reading a service in one row.
    tags_text          TEXT NOT NULL DEFAULT '',
    depends_on_text    TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
-- Keyset paging: one index per sort order, and per filter and sort order.
CREATE INDEX services_name ON services (lower(name), id);
CREATE INDEX services_tier ON services (coalesce(tier, 100), id);
CREATE INDEX services_kind ON services (kind, id);
CREATE INDEX services_kind_name ON services (kind, lower(name), id);
CREATE INDEX services_owner_name ON services (owner, lower(name), id);
CREATE INDEX services_tier_name ON services (tier, lower(name), id);

CREATE TABLE service_tags (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (service_id, tag)
);
CREATE INDEX service_tags_tag ON service_tags (tag, service_id);

-- A dependency points at one service (target_id) or, as a redundancy group,
-- at the members listed in dependency_members (target_id NULL, min_up set).
CREATE TABLE dependencies (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    target_id  TEXT REFERENCES services (id),
    min_up     INTEGER,
    impact     TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT '',
    workaround INTEGER,
    PRIMARY KEY (service_id, position),
    CHECK (target_id <> service_id),
    CHECK ((target_id IS NULL) <> (min_up IS NULL))
);
CREATE INDEX dependencies_target ON dependencies (target_id);

CREATE TABLE dependency_members (
    service_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    member_id  TEXT NOT NULL REFERENCES services (id),
    member_pos INTEGER NOT NULL,
    PRIMARY KEY (service_id, position, member_pos),
    FOREIGN KEY (service_id, position) REFERENCES dependencies (service_id, position) ON DELETE CASCADE,
    CHECK (member_id <> service_id)
);
CREATE INDEX dependency_members_member ON dependency_members (member_id);

-- +goose Down
DROP TABLE dependency_members;
DROP TABLE dependencies;
DROP TABLE service_tags;
DROP TABLE services;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE people;
