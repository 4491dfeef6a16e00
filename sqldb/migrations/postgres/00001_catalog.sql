-- +goose Up
-- Every text column uses the "C" collation so that sorting, and so keyset
-- paging, agrees with SQLite byte for byte.
-- Times are Unix milliseconds and durations whole seconds, so that the same
-- queries read and write them on SQLite and PostgreSQL.
CREATE TABLE people (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    email      TEXT COLLATE "C" NOT NULL DEFAULT '',
    phone      TEXT COLLATE "C" NOT NULL DEFAULT '',
    version    BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE teams (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id   TEXT COLLATE "C" NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id);

CREATE TABLE services (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    name               TEXT COLLATE "C" NOT NULL,
    kind               TEXT COLLATE "C" NOT NULL,
    owner              TEXT COLLATE "C" REFERENCES teams (id),
    tier               BIGINT,
    lifecycle          TEXT COLLATE "C" NOT NULL,
    description        TEXT COLLATE "C" NOT NULL DEFAULT '',
    rto                BIGINT,
    rpo                BIGINT,
    mtpd               BIGINT,
    recovery_time      BIGINT,
    recovery_data_loss BIGINT,
    contract_rto       BIGINT,
    contract_rpo       BIGINT,
    contract_reference TEXT COLLATE "C" NOT NULL DEFAULT '',
    -- The service's tags and depends_on as written, in the compact form of
    -- encoding.go: the tables below hold the same for integrity and reverse
    -- lookups, these columns serve reading a service in one row.
    tags_text          TEXT COLLATE "C" NOT NULL DEFAULT '',
    depends_on_text    TEXT COLLATE "C" NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
-- Keyset paging: one index per sort order, and per filter and sort order.
CREATE INDEX services_name ON services (lower(name), id);
CREATE INDEX services_tier ON services (coalesce(tier, 100), id);
CREATE INDEX services_kind ON services (kind, id);
CREATE INDEX services_kind_name ON services (kind, lower(name), id);
CREATE INDEX services_owner_name ON services (owner, lower(name), id);
CREATE INDEX services_tier_name ON services (tier, lower(name), id);

CREATE TABLE service_tags (
    service_id TEXT COLLATE "C" NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    tag        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (service_id, tag)
);
CREATE INDEX service_tags_tag ON service_tags (tag, service_id);

-- A dependency points at one service (target_id) or, as a redundancy group,
-- at the members listed in dependency_members (target_id NULL, min_up set).
CREATE TABLE dependencies (
    service_id TEXT COLLATE "C" NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    target_id  TEXT COLLATE "C" REFERENCES services (id),
    min_up     BIGINT,
    impact     TEXT COLLATE "C" NOT NULL,
    type       TEXT COLLATE "C" NOT NULL DEFAULT '',
    workaround BIGINT,
    PRIMARY KEY (service_id, position),
    CHECK (target_id <> service_id),
    CHECK ((target_id IS NULL) <> (min_up IS NULL))
);
CREATE INDEX dependencies_target ON dependencies (target_id);

CREATE TABLE dependency_members (
    service_id TEXT COLLATE "C" NOT NULL,
    position   BIGINT NOT NULL,
    member_id  TEXT COLLATE "C" NOT NULL REFERENCES services (id),
    member_pos BIGINT NOT NULL,
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
