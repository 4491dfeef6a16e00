-- +goose Up
-- What a BIA records beside its impacts (extensions of format v1): peak
-- periods and resources, read and written whole, as JSON text; notes; and
-- the sign-off. review_status is NULL when the BIA names none (a draft).
-- approved_snapshot is what the approval covered (lifeboat.BIASnapshot, as
-- JSON): the BIA needs review when the model no longer matches it.
ALTER TABLE bias
    ADD COLUMN peak_periods TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON array of {name, when, months, factor}
    ADD COLUMN resources TEXT COLLATE "C", -- JSON object {people, systems, facilities, suppliers, vital_records}
    ADD COLUMN notes TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN review_status TEXT COLLATE "C" CHECK (review_status IN ('draft', 'in-review', 'approved')),
    ADD COLUMN approved_by TEXT COLLATE "C" REFERENCES people (id),
    ADD COLUMN approved_at BIGINT, -- Unix milliseconds
    ADD COLUMN review_interval_months INTEGER,
    ADD COLUMN approved_snapshot TEXT COLLATE "C";
CREATE INDEX bias_approved_by ON bias (approved_by);

-- +goose Down
DROP INDEX bias_approved_by;
ALTER TABLE bias
    DROP COLUMN approved_snapshot,
    DROP COLUMN review_interval_months,
    DROP COLUMN approved_at,
    DROP COLUMN approved_by,
    DROP COLUMN review_status,
    DROP COLUMN notes,
    DROP COLUMN resources,
    DROP COLUMN peak_periods;
