-- +goose Up
-- The audit trail: one row per change, sign-in or other event, chained by
-- hash (see sqldb/audit.go and docs/audit.md). seq is assigned by Lifeboat,
-- last + 1 inside the writing transaction under an advisory lock, so the
-- chain's order is explicit and a gap shows a removed entry.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL, -- Unix milliseconds
    actor       TEXT COLLATE "C" NOT NULL DEFAULT '',
    token       TEXT COLLATE "C" NOT NULL DEFAULT '',
    address     TEXT COLLATE "C" NOT NULL DEFAULT '',
    action      TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    subject     TEXT COLLATE "C" NOT NULL DEFAULT '',
    -- TEXT, not JSONB: the hash covers these bytes exactly as written.
    before_json TEXT COLLATE "C",
    after_json  TEXT COLLATE "C",
    prev_hash   TEXT COLLATE "C" NOT NULL,
    hash        TEXT COLLATE "C" NOT NULL
);
-- Filters of the audit views, each newest first.
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_subject ON audit_log (kind, subject, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: Lifeboat never changes or removes an entry. A role that owns
-- the table can drop the trigger; the hash chain is what shows that it then
-- changed something.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
