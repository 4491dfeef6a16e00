-- +goose Up
-- What a BIA records beside its impacts (extensions of format v1): peak
-- periods and resources, read and written whole, as JSON text; notes; and
-- the sign-off. review_status is NULL when the BIA names none (a draft).
-- approved_snapshot is what the approval covered (lifeboat.BIASnapshot, as
-- JSON): the BIA needs review when the model no longer matches it.
ALTER TABLE bias ADD COLUMN peak_periods TEXT NOT NULL DEFAULT '[]'; -- JSON array of {name, when, months, factor}
ALTER TABLE bias ADD COLUMN resources TEXT; -- JSON object {people, systems, facilities, suppliers, vital_records}
ALTER TABLE bias ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE bias ADD COLUMN review_status TEXT CHECK (review_status IN ('draft', 'in-review', 'approved'));
ALTER TABLE bias ADD COLUMN approved_by TEXT REFERENCES people (id);
ALTER TABLE bias ADD COLUMN approved_at INTEGER; -- Unix milliseconds
ALTER TABLE bias ADD COLUMN review_interval_months INTEGER;
ALTER TABLE bias ADD COLUMN approved_snapshot TEXT;
CREATE INDEX bias_approved_by ON bias (approved_by);

-- +goose Down
-- SQLite drops no column that a foreign key uses: the table is made again.
CREATE TABLE bias_old (
    service_id         TEXT PRIMARY KEY REFERENCES services (id),
    impacts            TEXT NOT NULL DEFAULT '[]',
    work_recovery_time INTEGER,
    rpo                INTEGER,
    mbco               TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
INSERT INTO bias_old SELECT service_id, impacts, work_recovery_time, rpo, mbco, version, created_at, updated_at FROM bias;
DROP TABLE bias;
ALTER TABLE bias_old RENAME TO bias;
