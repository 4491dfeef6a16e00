package sqldb

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.AuditStore = (*DB)(nil)

// The audit trail is a hash chain: entry n stores the hash of entry n-1 and
// its own hash over its content and that link (see AuditEntry.ComputeHash),
// so that changing, removing or reordering an entry breaks every check from
// there on. Entries are written in the transaction of the change they
// record, so a change and its entry commit together or not at all.
// docs/audit.md explains what the chain proves and what it does not.

// auditColumns are the columns of an audit_log row, in the order of
// auditValues and scanAuditEntry.
const auditColumns = `seq, at, actor, token, address, action, kind, subject, before_json, after_json, prev_hash, hash`

// auditTextLimit bounds the text fields of an entry in bytes. They hold ids
// and addresses, but a failed sign-in records whatever name was typed.
const auditTextLimit = 256

// auditChange is one event to record.
type auditChange struct {
	action, kind, subject string
	// before and after are marshalled to JSON; nil, a nil pointer or an
	// empty json.RawMessage is stored as NULL.
	before, after any
}

// appendAudit records one change in tx, the transaction that makes it. Call
// it last: on PostgreSQL it makes other writers wait until tx ends.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, action, kind, subject string, before, after any) error {
	_, err := db.appendAudits(ctx, tx, []auditChange{{action, kind, subject, before, after}})
	return err
}

// appendAudits records changes in tx, in order, and returns their entries.
// The chain is computed here and the entries inserted with multi-row
// INSERTs, so that a bulk change costs little more than its rows.
func (db *DB) appendAudits(ctx context.Context, tx *sql.Tx, changes []auditChange) ([]*lifeboat.AuditEntry, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	entries, err := newAuditEntries(ctx, changes)
	if err != nil {
		return nil, err
	}
	if changesModel(changes) {
		if _, err := tx.ExecContext(ctx, `UPDATE model_version SET version = version + 1 WHERE id = 1`); err != nil {
			return nil, err
		}
	}
	// The lock, then the chain's end: a writer that read the end before
	// another committed would fork the chain. The primary key on seq is
	// the backstop: a fork fails to commit rather than being stored.
	if db.dialect.lockAudit != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.lockAudit, db.auditLock); err != nil {
			return nil, err
		}
	}
	seq, prev, err := auditHead(ctx, tx)
	if err != nil {
		return nil, err
	}
	at := fromMillis(millis(db.now())) // what the database keeps
	rows := make([][]any, len(entries))
	for i, e := range entries {
		seq++
		e.Seq, e.Time, e.Prev = seq, at, prev
		e.Hash = e.ComputeHash()
		prev = e.Hash
		rows[i] = auditValues(e)
	}
	if err := db.insertRows(ctx, tx, "audit_log", auditColumns, rows); err != nil {
		return nil, err
	}
	return entries, nil
}

// modelKinds are the audit kinds of changes to the model.
var modelKinds = []string{lifeboat.ObjService, lifeboat.ObjTeam, lifeboat.ObjPerson, lifeboat.ObjImpactScale,
	lifeboat.ObjBIA, lifeboat.ObjRisk, "model"}

// changesModel reports whether any change is to the model, which every
// change to the model records in the same transaction: so the model's
// version moves with every change, in one place.
func changesModel(changes []auditChange) bool {
	for _, c := range changes {
		if slices.Contains(modelKinds, c.kind) {
			return true
		}
	}
	return false
}

// ModelVersion returns the model's version: it changes with every change
// to the model, by any instance.
func (db *DB) ModelVersion(ctx context.Context) (int64, error) {
	var v int64
	rows, err := db.query(ctx, `SELECT version FROM model_version WHERE id = 1`)
	if err != nil {
		return 0, db.mapError(err)
	}
	defer rows.Close()
	if rows.Next() {
		err = rows.Scan(&v)
	}
	if err == nil {
		err = rows.Err()
	}
	return v, db.mapError(err)
}

// auditHead returns the sequence number and hash of the newest entry, or 0
// and lifeboat.AuditGenesis when there is none.
func auditHead(ctx context.Context, tx *sql.Tx) (int64, string, error) {
	var seq int64
	var hash string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if err == sql.ErrNoRows {
		return 0, lifeboat.AuditGenesis, nil
	}
	return seq, hash, err
}

// newAuditEntries fills in who acted and what changed. Large batches are
// marshalled on several cores, before the chain is locked.
func newAuditEntries(ctx context.Context, changes []auditChange) ([]*lifeboat.AuditEntry, error) {
	a := lifeboat.ActorFrom(ctx)
	actor, token, address := auditText(a.UserID), auditText(a.TokenID), auditText(a.Address)
	entries := make([]*lifeboat.AuditEntry, len(changes))
	fill := func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			c := changes[i]
			e := &lifeboat.AuditEntry{Actor: actor, Token: token, Address: address,
				Action: auditText(c.action), Kind: auditText(c.kind), Subject: auditText(c.subject)}
			var err error
			if e.Before, err = auditJSON(c.before); err != nil {
				return err
			}
			if e.After, err = auditJSON(c.after); err != nil {
				return err
			}
			entries[i] = e
		}
		return nil
	}
	const perWorker = 2000
	workers := min(runtime.GOMAXPROCS(0), (len(changes)+perWorker-1)/perWorker)
	if workers <= 1 {
		return entries, fill(0, len(changes))
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(changes)/workers, (w+1)*len(changes)/workers
		wg.Go(func() { errs[w] = fill(lo, hi) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// auditJSON returns the JSON of v as stored: compact, valid UTF-8, nil for
// nothing. Domain objects are marshalled by encoding/json, which writes
// struct fields in declaration order and map keys sorted.
func auditJSON(v any) (json.RawMessage, error) {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		var buf bytes.Buffer
		if len(x) > 0 {
			if err := json.Compact(&buf, x); err != nil {
				return nil, lifeboat.Errorf(lifeboat.EINVALID, "audit entry: before and after must be JSON: %v", err)
			}
		}
		b = buf.Bytes()
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD")), nil
}

// auditText makes s fit for every database: valid UTF-8, no NUL (which
// PostgreSQL refuses) and at most auditTextLimit bytes.
func auditText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	if len(s) <= auditTextLimit {
		return s
	}
	cut := auditTextLimit
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// auditValues returns the values of an entry's row, in auditColumns order.
func auditValues(e *lifeboat.AuditEntry) []any {
	return []any{e.Seq, millis(e.Time), e.Actor, e.Token, e.Address, e.Action, e.Kind, e.Subject,
		nullJSON(e.Before), nullJSON(e.After), e.Prev, e.Hash}
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// scanAuditEntry reads a row of auditColumns.
func scanAuditEntry(row scanner) (*lifeboat.AuditEntry, error) {
	var e lifeboat.AuditEntry
	var at int64
	var before, after sql.NullString
	if err := row.Scan(&e.Seq, &at, &e.Actor, &e.Token, &e.Address, &e.Action, &e.Kind, &e.Subject,
		&before, &after, &e.Prev, &e.Hash); err != nil {
		return nil, err
	}
	e.Time = fromMillis(at)
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return &e, nil
}

// AppendAudit records an event that is not a data change, such as a sign-in,
// in a transaction of its own. Who acted comes from ctx.
func (db *DB) AppendAudit(ctx context.Context, e *lifeboat.AuditEntry) error {
	var p lifeboat.Problems
	if e.Action == "" {
		p.Add("action", "must not be empty")
	}
	if e.Kind == "" {
		p.Add("kind", "must not be empty")
	}
	if err := p.Err("audit entry"); err != nil {
		return err
	}
	var entries []*lifeboat.AuditEntry
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		entries, err = db.appendAudits(ctx, tx, []auditChange{{e.Action, e.Kind, e.Subject, e.Before, e.After}})
		return err
	})
	if err != nil {
		return err
	}
	*e = *entries[0]
	return nil
}
