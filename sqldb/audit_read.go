package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// auditChunk is how many entries a walk of the chain reads per query: few
// enough to hold in memory, many enough that round trips do not dominate.
const auditChunk = 1000

// FindAuditEntries returns entries newest first. Each filter field that is
// set narrows the result; f.Before pages back from the last entry seen.
func (db *DB) FindAuditEntries(ctx context.Context, f lifeboat.AuditFilter) ([]*lifeboat.AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = lifeboat.AuditDefaultLimit
	}
	f.Limit = min(f.Limit, lifeboat.AuditMaxLimit)
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" $"+itoa(len(args)))
	}
	for _, eq := range []struct{ column, value string }{
		{"actor", f.Actor}, {"kind", f.Kind}, {"subject", f.Subject}, {"action", f.Action},
	} {
		if eq.value != "" {
			add(eq.column+" =", eq.value)
		}
	}
	if !f.Since.IsZero() {
		add("at >=", millis(f.Since))
	}
	if !f.Until.IsZero() {
		add("at <", millis(f.Until))
	}
	if f.Before > 0 {
		add("seq <", f.Before)
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	args = append(args, f.Limit)
	q += ` ORDER BY seq DESC LIMIT $` + itoa(len(args))
	out, err := db.queryAudit(ctx, q, args...)
	return out, db.mapError(err)
}

// WalkAudit calls fn for every entry in chain order, from the first one at
// or after since. Entries after that one come too even when their time is
// earlier (clocks of several instances may differ a little), so that what
// it yields is a contiguous piece of the chain that can be checked link by
// link.
func (db *DB) WalkAudit(ctx context.Context, since time.Time, fn func(*lifeboat.AuditEntry) error) error {
	after := int64(math.MinInt64)
	if !since.IsZero() {
		rows, err := db.query(ctx, `SELECT min(seq) FROM audit_log WHERE at >= $1`, millis(since))
		if err != nil {
			return db.mapError(err)
		}
		var first sql.NullInt64
		for rows.Next() {
			err = rows.Scan(&first)
		}
		if err = errors.Join(err, rows.Err(), rows.Close()); err != nil {
			return db.mapError(err)
		}
		if !first.Valid {
			return nil
		}
		after = first.Int64 - 1
	}
	return db.walkAudit(ctx, after, fn)
}

// walkAudit calls fn for every entry with a sequence number above after, in
// order. Each chunk is read in full before fn sees it, so that a slow fn
// holds no query open.
func (db *DB) walkAudit(ctx context.Context, after int64, fn func(*lifeboat.AuditEntry) error) error {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT ` + itoa(auditChunk)
	for {
		chunk, err := db.queryAudit(ctx, q, after)
		if err != nil {
			return db.mapError(err)
		}
		for _, e := range chunk {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(chunk) < auditChunk {
			return nil
		}
		after = chunk[len(chunk)-1].Seq
	}
}

func (db *DB) queryAudit(ctx context.Context, q string, args ...any) ([]*lifeboat.AuditEntry, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lifeboat.AuditEntry
	for rows.Next() {
		e, err := scanAuditEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// errChainBroken stops the walk of VerifyAudit at the first broken entry.
var errChainBroken = errors.New("audit chain broken")

// VerifyAudit walks the chain from the first entry, recomputing each hash
// and checking that sequence numbers have no gaps and that each entry links
// to the one before it. It stops at the first broken entry.
func (db *DB) VerifyAudit(ctx context.Context) (*lifeboat.AuditCheck, error) {
	var v lifeboat.AuditVerifier
	// From the lowest number there is, so that an entry renumbered below 1
	// shows up too.
	err := db.walkAudit(ctx, math.MinInt64, func(e *lifeboat.AuditEntry) error {
		if !v.Check(e) {
			return errChainBroken
		}
		return nil
	})
	if err != nil && !errors.Is(err, errChainBroken) {
		return nil, err
	}
	c := v.Result()
	return &c, nil
}
