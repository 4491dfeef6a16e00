package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
	"github.com/lifeboat-itscm/lifeboat/sqldb/dbtest"
)

// auditedDatabase returns the URL of a migrated database with a few
// audited changes, the database and its entries, oldest first.
func auditedDatabase(t *testing.T, name string) (string, *sqldb.DB, []*lifeboat.AuditEntry) {
	t.Helper()
	dsn := dbtest.URL(t, name)
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	ctx := lifeboat.WithActor(context.Background(), lifeboat.Actor{UserID: "alice", Address: "10.0.0.1"})
	steps := []func() error{
		func() error { return db.CreatePerson(ctx, &lifeboat.Person{ID: "ann", Name: "Ann, \"the\" <admin>"}) },
		func() error { return db.CreateTeam(ctx, &lifeboat.Team{ID: "ops", Members: []string{"ann"}}) },
		func() error {
			return db.CreateService(ctx, &lifeboat.Service{ID: "shop", Owner: "ops", Description: "Line one\nline two"})
		},
		func() error { return db.UpdateService(ctx, &lifeboat.Service{ID: "shop", Name: "Shop"}, 1) },
		func() error {
			return db.AppendAudit(ctx, &lifeboat.AuditEntry{Action: lifeboat.AuditSignIn, Kind: "session", Subject: "alice",
				After: json.RawMessage(`{"agent":"<Firefox> & co"}`)})
		},
		func() error { return db.DeleteService(ctx, "shop", 0) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	var entries []*lifeboat.AuditEntry
	if err := db.WalkAudit(ctx, time.Time{}, func(e *lifeboat.AuditEntry) error {
		entries = append(entries, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(steps) {
		t.Fatalf("%d entries, want %d", len(entries), len(steps))
	}
	return dsn, db, entries
}

// tamper runs statements on the database directly, after dropping the
// triggers that keep the audit log append-only.
func tamper(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	kind, target, err := sqldb.ParseURL(dsn)
	if err != nil {
		t.Fatal(err)
	}
	driver, drop := "pgx", []string{`DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log`}
	if kind == "sqlite" {
		driver, drop = "sqlite", []string{`DROP TRIGGER IF EXISTS audit_log_no_update`, `DROP TRIGGER IF EXISTS audit_log_no_delete`}
	}
	raw, err := sql.Open(driver, target)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range append(drop, stmts...) {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditVerify(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn, db, entries := auditedDatabase(t, name)
			last := entries[len(entries)-1]
			r := runLifeboat(t, nil, "audit", "verify", "--database", dsn)
			wantOut := "audit trail intact: 6 entries\nanchor: 6:" + last.Hash + "\n"
			if r.err != nil || r.stdout != wantOut {
				t.Fatalf("verify: err %v\nstdout %q, want %q\nstderr %s", r.err, r.stdout, wantOut, r.stderr)
			}
			anchor := "6:" + last.Hash
			// More entries since the anchor: still fine.
			if err := db.CreatePerson(context.Background(), &lifeboat.Person{ID: "bob"}); err != nil {
				t.Fatal(err)
			}
			r = runLifeboat(t, map[string]string{"LIFEBOAT_DATABASE": dsn}, "audit", "verify", "--anchor", anchor)
			if r.err != nil || !strings.HasPrefix(r.stdout, "audit trail intact: 7 entries\n") {
				t.Fatalf("verify with anchor: %v\n%s%s", r.err, r.stdout, r.stderr)
			}

			tamper(t, dsn, `UPDATE audit_log SET after_json = '{"id":"shop","name":"Free shop"}' WHERE seq = 3`)
			r = runLifeboat(t, nil, "audit", "verify", "--database", dsn)
			if exitCode(r.err) != exitFailure || !strings.Contains(r.stderr, "audit trail broken at entry 3: hash mismatch: entry was altered") {
				t.Errorf("tampered: exit %d, stderr %q", exitCode(r.err), r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("tampered: stdout %q", r.stdout)
			}
		})
	}
}

// TestAuditVerifyAnchor cuts entries from the end, which leaves a chain
// that checks out by itself: only the anchor shows it.
func TestAuditVerifyAnchor(t *testing.T) {
	dsn, _, entries := auditedDatabase(t, "sqlite")
	anchor := "6:" + entries[5].Hash
	tamper(t, dsn, `DELETE FROM audit_log WHERE seq >= 5`)
	if r := runLifeboat(t, nil, "audit", "verify", "--database", dsn); r.err != nil {
		t.Fatalf("a cut chain checks out by itself: %v", r.err)
	}
	r := runLifeboat(t, nil, "audit", "verify", "--database", dsn, "--anchor", anchor)
	if exitCode(r.err) != exitFailure || !strings.Contains(r.stderr, "audit trail broken at entry 5: the trail ends at entry 4, but entry 6 was anchored") {
		t.Errorf("cut chain with anchor: exit %d, stderr %q", exitCode(r.err), r.stderr)
	}
	r = runLifeboat(t, nil, "audit", "verify", "--database", dsn, "--anchor", "3:"+strings.Repeat("e", 64))
	if exitCode(r.err) != exitFailure || !strings.Contains(r.stderr, "audit trail broken at entry 3: its hash is not the anchored one") {
		t.Errorf("wrong anchor: exit %d, stderr %q", exitCode(r.err), r.stderr)
	}
}

func TestAuditExport(t *testing.T) {
	for _, name := range dbtest.Names() {
		t.Run(name, func(t *testing.T) {
			dsn, _, entries := auditedDatabase(t, name)
			r := runLifeboat(t, nil, "audit", "export", "--database", dsn)
			if r.err != nil {
				t.Fatalf("export: %v\n%s", r.err, r.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if len(lines) != len(entries) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(entries), r.stdout)
			}
			for i, line := range lines {
				var got lifeboat.AuditEntry
				if err := json.Unmarshal([]byte(line), &got); err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				sameEntry(t, &got, entries[i])
			}

			r = runLifeboat(t, nil, "audit", "export", "--database", dsn, "--format", "csv")
			if r.err != nil {
				t.Fatalf("export csv: %v\n%s", r.err, r.stderr)
			}
			rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
			if err != nil || len(rows) != len(entries)+1 {
				t.Fatalf("csv: %d rows, %v:\n%s", len(rows), err, r.stdout)
			}
			if strings.Join(rows[0], ",") != "seq,time,actor,token,address,action,kind,subject,before,after,prev,hash" {
				t.Errorf("csv header %v", rows[0])
			}
			for i, row := range rows[1:] {
				if want := auditCSVRow(entries[i]); strings.Join(row, "\x1f") != strings.Join(want, "\x1f") {
					t.Errorf("csv row %d:\n%q\nwant\n%q", i+1, row, want)
				}
			}
		})
	}
}

func sameEntry(t *testing.T, got, want *lifeboat.AuditEntry) {
	t.Helper()
	if got.Seq != want.Seq || !got.Time.Equal(want.Time) || got.Actor != want.Actor || got.Token != want.Token ||
		got.Address != want.Address || got.Action != want.Action || got.Kind != want.Kind || got.Subject != want.Subject ||
		string(got.Before) != string(want.Before) || string(got.After) != string(want.After) || got.Prev != want.Prev || got.Hash != want.Hash {
		t.Errorf("exported entry %d:\n%+v\nwant\n%+v", want.Seq, got, want)
	}
	// Before and after come out byte for byte, so the hash can be checked
	// from the export.
	if got.ComputeHash() != want.Hash {
		t.Errorf("entry %d: the exported entry does not hash to its hash", want.Seq)
	}
}

func TestAuditExportSince(t *testing.T) {
	dsn, _, entries := auditedDatabase(t, "sqlite")
	for since, want := range map[string]int{
		"2000-01-01":           len(entries),
		"2000-01-01T00:00:00Z": len(entries),
		"8760h":                len(entries),
		"2999-12-31":           0,
	} {
		r := runLifeboat(t, nil, "audit", "export", "--database", dsn, "--format", "csv", "--since", since)
		rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if r.err != nil || err != nil || len(rows) != want+1 {
			t.Errorf("--since %s: %d rows, %v %v, want %d", since, len(rows)-1, r.err, err, want)
		}
	}
}

func TestAuditUsageErrors(t *testing.T) {
	dir := t.TempDir()
	dsn, _, _ := auditedDatabase(t, "sqlite")
	empty := filepath.Join(dir, "old.db")
	tamper(t, "sqlite://"+empty, `CREATE TABLE people (id TEXT)`) // a database without the audit trail
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", []string{"audit"}, exitUsage, "audit needs a command: verify or export"},
		{"unknown command", []string{"audit", "verfy"}, exitUsage, `did you mean verify?`},
		{"bad format", []string{"audit", "export", "--database", dsn, "--format", "xml"}, exitUsage, `"xml" is not one of jsonl, csv`},
		{"bad since", []string{"audit", "export", "--database", dsn, "--since", "last tuesday"}, exitUsage, `"last tuesday" is not a time`},
		{"bad anchor", []string{"audit", "verify", "--database", dsn, "--anchor", "12"}, exitUsage, `"12" is not SEQ:HASH`},
		{"argument", []string{"audit", "verify", "now"}, exitUsage, "verify takes no arguments"},
		{"bad database", []string{"audit", "verify", "--database", "mysql://db/x"}, exitUsage, "only sqlite:// and postgres:// are supported"},
		{"no such file", []string{"audit", "verify", "--database", filepath.Join(dir, "typo.db")}, exitFailure, "typo.db: no such file"},
		{"not migrated", []string{"audit", "export", "--database", empty}, exitFailure, "has no audit trail that can be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLifeboat(t, nil, tt.args...)
			if code := exitCode(r.err); code != tt.code || !strings.Contains(r.stderr, tt.msg) {
				t.Errorf("exit %d, want %d; stderr does not say %q:\n%s", code, tt.code, tt.msg, r.stderr)
			}
		})
	}
	// A read-only command must not create the database it was asked about.
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("audit verify created typo.db: %v", err)
	}
}
