package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// dropAuditTriggers removes what keeps the audit log append-only, as
// someone with full access to the database could.
func dropAuditTriggers(t *testing.T, db *sqldb.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if db.Dialect() == "postgres" {
		stmts = []string{`DROP TRIGGER audit_log_append_only ON audit_log`}
	}
	for _, q := range stmts {
		if _, err := db.WritePool().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// sixPeople writes a trail of six entries, one per person created.
func sixPeople(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := lifeboat.WithActor(context.Background(), alice)
	for _, id := range []string{"p1", "p2", "p3", "p4", "p5", "p6"} {
		if err := db.CreatePerson(ctx, &lifeboat.Person{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditTamper changes the trail behind Lifeboat's back in the ways an
// attacker might and checks that verification names the first entry that
// no longer checks out.
func TestAuditTamper(t *testing.T) {
	tests := []struct {
		name   string
		tamper []string
		// rewrite, when set, changes entry 3 and stores a hash recomputed
		// for the change, as someone who knows the encoding would.
		rewrite bool
		broken  int64
		reason  string
	}{
		{name: "altered after_json", tamper: []string{`UPDATE audit_log SET after_json = '{"id":"p3","name":"Mallory"}' WHERE seq = 3`},
			broken: 3, reason: "hash mismatch: entry was altered"},
		{name: "altered actor", tamper: []string{`UPDATE audit_log SET actor = 'bob' WHERE seq = 4`},
			broken: 4, reason: "hash mismatch: entry was altered"},
		{name: "altered time", tamper: []string{`UPDATE audit_log SET at = at - 86400000 WHERE seq = 6`},
			broken: 6, reason: "hash mismatch: entry was altered"},
		{name: "altered hash", tamper: []string{`UPDATE audit_log SET hash = '` + strings.Repeat("a", 64) + `' WHERE seq = 5`},
			broken: 5, reason: "hash mismatch: entry was altered"},
		{name: "deleted middle entry", tamper: []string{`DELETE FROM audit_log WHERE seq = 3`},
			broken: 3, reason: "entry 3 is missing"},
		{name: "deleted first entry", tamper: []string{`DELETE FROM audit_log WHERE seq = 1`},
			broken: 1, reason: "entry 1 is missing"},
		{name: "deleted two entries", tamper: []string{`DELETE FROM audit_log WHERE seq IN (2, 3)`},
			broken: 2, reason: "entries 2 to 3 are missing"},
		{name: "renumbered after a deletion", tamper: []string{`DELETE FROM audit_log WHERE seq = 3`,
			`UPDATE audit_log SET seq = 3 WHERE seq = 4`, `UPDATE audit_log SET seq = 4 WHERE seq = 5`, `UPDATE audit_log SET seq = 5 WHERE seq = 6`},
			broken: 3, reason: "hash mismatch: entry was altered"},
		{name: "reordered", tamper: []string{`UPDATE audit_log SET seq = -2 WHERE seq = 2`,
			`UPDATE audit_log SET seq = 2 WHERE seq = 4`, `UPDATE audit_log SET seq = 4 WHERE seq = -2`},
			broken: 2, reason: "hash mismatch: entry was altered"},
		{name: "entry numbered zero", tamper: []string{`UPDATE audit_log SET seq = 0 WHERE seq = 1`},
			broken: 1, reason: "an entry numbered 0 stands where entry 1 belongs"},
		{name: "rewritten with a recomputed hash", rewrite: true,
			broken: 4, reason: "prev link broken: it does not link to entry 3"},
		{name: "first entry relinked", tamper: []string{`UPDATE audit_log SET prev_hash = '` + strings.Repeat("b", 64) + `' WHERE seq = 1`},
			broken: 1, reason: "hash mismatch: entry was altered"},
	}
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					db := dbtest.Open(t, name)
					sixPeople(t, db)
					mustVerify(t, db, 6)
					dropAuditTriggers(t, db)
					for _, q := range tt.tamper {
						if _, err := db.WritePool().Exec(q); err != nil {
							t.Fatalf("%s: %v", q, err)
						}
					}
					if tt.rewrite {
						rewriteEntry(t, db, 3)
					}
					c, err := db.VerifyAudit(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if c.Intact() || c.Broken != tt.broken || !strings.Contains(c.Reason, tt.reason) {
						t.Errorf("verify: broken %d (%q), want %d (%q)", c.Broken, c.Reason, tt.broken, tt.reason)
					}
					if c.Entries != tt.broken-1 {
						t.Errorf("verify checked %d good entries, want %d", c.Entries, tt.broken-1)
					}
				})
			}
		})
	}
}

// rewriteEntry changes what entry seq says and stores the hash that fits
// the new content, so that only the link from the next entry gives it away.
func rewriteEntry(t *testing.T, db *sqldb.DB, seq int64) {
	t.Helper()
	entries, err := db.FindAuditEntries(context.Background(), lifeboat.AuditFilter{Before: seq + 1, Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Seq != seq {
		t.Fatalf("entry %d: %v %v", seq, entries, err)
	}
	e := entries[0]
	e.After = json.RawMessage(`{"id":"p3","name":"Mallory"}`)
	e.Hash = e.ComputeHash()
	if _, err := db.WritePool().Exec(`UPDATE audit_log SET after_json = $1, hash = $2 WHERE seq = $3`, string(e.After), e.Hash, seq); err != nil {
		t.Fatal(err)
	}
}

// TestAuditAppendOnly checks that the database itself refuses to change or
// remove entries while its triggers are in place.
func TestAuditAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		sixPeople(t, db)
		refused := []string{
			`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`,
			`UPDATE audit_log SET after_json = NULL`,
			`DELETE FROM audit_log WHERE seq = 6`,
			`DELETE FROM audit_log`,
		}
		if db.Dialect() == "postgres" {
			refused = append(refused, `TRUNCATE audit_log`)
		}
		for _, q := range refused {
			_, err := db.WritePool().Exec(q)
			if err == nil || !strings.Contains(err.Error(), "the audit log is append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		mustVerify(t, db, 6)
	})
}

// TestAuditVerifyLimits shows what verification alone cannot see: entries
// cut from the end leave a shorter chain that checks out. The last hash of
// an earlier check, kept elsewhere, gives it away.
func TestAuditVerifyLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		sixPeople(t, db)
		anchor := mustVerify(t, db, 6)
		dropAuditTriggers(t, db)
		if _, err := db.WritePool().Exec(`DELETE FROM audit_log WHERE seq >= 5`); err != nil {
			t.Fatal(err)
		}
		now := mustVerify(t, db, 4)
		if now.LastSeq >= anchor.LastSeq || now.LastHash == anchor.LastHash {
			t.Errorf("a cut chain should end before the anchor: now %+v, anchor %+v", now, anchor)
		}
	})
}

// TestAuditEmpty verifies a database without entries.
func TestAuditEmpty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustVerify(t, db, 0)
		if c.LastHash != "" {
			t.Errorf("last hash of an empty trail: %q", c.LastHash)
		}
	})
}
