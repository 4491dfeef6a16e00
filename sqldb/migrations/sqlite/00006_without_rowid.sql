-- +goose Up
-- The link tables are keyed by their primary key alone (WITHOUT ROWID): a
-- row lives in one B-tree instead of a table and a primary key index, which
-- halves the writes of bulk imports (millions of dependencies) and makes
-- reading a service's dependencies one range scan.
CREATE TABLE dependencies_new (
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
) WITHOUT ROWID;
INSERT INTO dependencies_new SELECT service_id, position, target_id, min_up, impact, type, workaround FROM dependencies;

CREATE TABLE dependency_members_new (
    service_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    member_id  TEXT NOT NULL REFERENCES services (id),
    member_pos INTEGER NOT NULL,
    PRIMARY KEY (service_id, position, member_pos),
    FOREIGN KEY (service_id, position) REFERENCES dependencies_new (service_id, position) ON DELETE CASCADE,
    CHECK (member_id <> service_id)
) WITHOUT ROWID;
INSERT INTO dependency_members_new SELECT service_id, position, member_id, member_pos FROM dependency_members;

CREATE TABLE service_tags_new (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (service_id, tag)
) WITHOUT ROWID;
INSERT INTO service_tags_new SELECT service_id, tag FROM service_tags;

CREATE TABLE team_members_new (
    team_id   TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (team_id, person_id)
) WITHOUT ROWID;
INSERT INTO team_members_new SELECT team_id, person_id, position FROM team_members;

DROP TABLE dependency_members;
DROP TABLE dependencies;
DROP TABLE service_tags;
DROP TABLE team_members;
ALTER TABLE dependencies_new RENAME TO dependencies;
ALTER TABLE dependency_members_new RENAME TO dependency_members;
ALTER TABLE service_tags_new RENAME TO service_tags;
ALTER TABLE team_members_new RENAME TO team_members;
CREATE INDEX dependencies_target ON dependencies (target_id);
CREATE INDEX dependency_members_member ON dependency_members (member_id);
CREATE INDEX service_tags_tag ON service_tags (tag, service_id);
CREATE INDEX team_members_person ON team_members (person_id);

-- +goose Down
-- The same tables with a rowid again.
CREATE TABLE dependencies_old (
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
INSERT INTO dependencies_old SELECT * FROM dependencies;
CREATE TABLE dependency_members_old (
    service_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    member_id  TEXT NOT NULL REFERENCES services (id),
    member_pos INTEGER NOT NULL,
    PRIMARY KEY (service_id, position, member_pos),
    FOREIGN KEY (service_id, position) REFERENCES dependencies_old (service_id, position) ON DELETE CASCADE,
    CHECK (member_id <> service_id)
);
INSERT INTO dependency_members_old SELECT * FROM dependency_members;
CREATE TABLE service_tags_old (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    PRIMARY KEY (service_id, tag)
);
INSERT INTO service_tags_old SELECT * FROM service_tags;
CREATE TABLE team_members_old (
    team_id   TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
INSERT INTO team_members_old SELECT * FROM team_members;
DROP TABLE dependency_members;
DROP TABLE dependencies;
DROP TABLE service_tags;
DROP TABLE team_members;
ALTER TABLE dependencies_old RENAME TO dependencies;
ALTER TABLE dependency_members_old RENAME TO dependency_members;
ALTER TABLE service_tags_old RENAME TO service_tags;
ALTER TABLE team_members_old RENAME TO team_members;
CREATE INDEX dependencies_target ON dependencies (target_id);
CREATE INDEX dependency_members_member ON dependency_members (member_id);
CREATE INDEX service_tags_tag ON service_tags (tag, service_id);
CREATE INDEX team_members_person ON team_members (person_id);
