-- +goose Up
-- The audit trail: one row per change, sign-in or other event, chained by
-- hash (see sqldb/audit.go and docs/audit.md). seq is assigned by Lifeboat,
-- last + 1 inside the writing transaction, so the chain's order is explicit
-- and a gap shows a removed entry.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL, -- Unix milliseconds
    actor       TEXT NOT NULL DEFAULT '',
    token       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
-- Filters of the audit views, each newest first.
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_subject ON audit_log (kind, subject, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: Lifeboat never changes or removes an entry. Someone with
-- write access to the file can drop these triggers; the hash chain is what
-- shows that they then changed something.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
