package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify and export the audit trail",
		Long: `The audit trail records every change to the catalog, every sign-in and every
role or token change: who, when, from where, what, with the values before and
after. Each entry is chained to the one before it by a SHA-256 hash, so that
changing, removing or reordering entries shows. See docs/audit.md.

These commands only read the database; they do not migrate it.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.stderr.Write([]byte(cmd.UsageString()))
			return usageErrorf("audit needs a command: verify or export")
		},
	}
	cmd.SuggestionsMinimumDistance = 2
	cmd.AddCommand(a.auditVerifyCommand(), a.auditExportCommand())
	return cmd
}

func (a *app) auditVerifyCommand() *cobra.Command {
	var database, dataDir string
	var anc anchor
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check every entry of the audit trail and the links between them",
		Long: `Walk the audit trail from the first entry, recompute each entry's hash and check
that each links to the one before it with no entry missing. Exit 0 and print
the number of entries and the newest entry's hash when the trail is intact;
exit 1 and name the first broken entry otherwise.

Keep the printed "anchor" somewhere the database's administrators cannot
change, and pass it back with --anchor later: verify then also fails when the
trail was cut short or rewritten as a whole since.`,
		Example: `  lifeboat audit verify --database postgres://auditor@db.example.com/lifeboat
  lifeboat audit verify --anchor 1204:5be0c3...`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openAuditDatabase(cmd.Context(), database, dataDir)
			if err != nil {
				return err
			}
			defer db.Close()
			return a.verifyAudit(cmd.Context(), db, anc)
		},
	}
	addDatabaseFlags(cmd.Flags(), &database, &dataDir)
	cmd.Flags().Var(&anc, "anchor", "SEQ:HASH printed by an earlier verify; fail unless that entry is still in the trail unchanged")
	return cmd
}

// verifyAudit checks the chain, and the anchor when one is given.
func (a *app) verifyAudit(ctx context.Context, db *sqldb.DB, anc anchor) error {
	c, err := db.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if !c.Intact() {
		return fmt.Errorf("audit trail broken at entry %d: %s", c.Broken, c.Reason)
	}
	if anc.seq > 0 {
		if c.LastSeq < anc.seq {
			return fmt.Errorf("audit trail broken at entry %d: the trail ends at entry %d, but entry %d was anchored: entries were removed from the end", c.LastSeq+1, c.LastSeq, anc.seq)
		}
		entries, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Before: anc.seq + 1, Limit: 1})
		if err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		if len(entries) != 1 || entries[0].Seq != anc.seq || entries[0].Hash != anc.hash {
			return fmt.Errorf("audit trail broken at entry %d: its hash is not the anchored one: the trail was rewritten", anc.seq)
		}
	}
	fmt.Fprintf(a.stdout, "audit trail intact: %d entries\n", c.Entries)
	if c.Entries > 0 {
		fmt.Fprintf(a.stdout, "anchor: %d:%s\n", c.LastSeq, c.LastHash)
	}
	return nil
}

func (a *app) auditExportCommand() *cobra.Command {
	var database, dataDir string
	format := newChoice("jsonl", "jsonl", "csv")
	var since sinceValue
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the audit trail to stdout as JSON lines or CSV",
		Long: `Write the audit trail to stdout, oldest entry first, as it is stored: with
--format jsonl one JSON object per line; with --format csv a header line and
one row per entry, before and after as JSON text. The prev and hash columns
let anyone recheck the chain from the export (see docs/audit.md).

--since starts at the first entry at or after a time and includes every
entry after it, so that the export is one unbroken piece of the chain. It
takes an RFC 3339 time (2026-11-01T09:00:00Z), a date (2026-11-01, midnight
UTC) or a duration back from now (24h, 720h).`,
		Example: `  lifeboat audit export --format csv --since 2026-11-01 > audit-november.csv
  lifeboat audit export --since 24h | jq 'select(.action == "sign-in-failed")'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := a.openAuditDatabase(cmd.Context(), database, dataDir)
			if err != nil {
				return err
			}
			defer db.Close()
			return a.exportAudit(cmd.Context(), db, format.value, since.at(time.Now()))
		},
	}
	f := cmd.Flags()
	f.Var(format, "format", "output format")
	f.Var(&since, "since", "start at this time: RFC 3339, YYYY-MM-DD or a duration back from now (default: the first entry)")
	addDatabaseFlags(f, &database, &dataDir)
	return cmd
}

// auditCSVHeader names the CSV columns, in the order of auditCSVRow.
var auditCSVHeader = []string{"seq", "time", "actor", "token", "address", "action", "kind", "subject", "before", "after", "prev", "hash"}

func auditCSVRow(e *lifeboat.AuditEntry) []string {
	return []string{strconv.FormatInt(e.Seq, 10), e.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		e.Actor, e.Token, e.Address, e.Action, e.Kind, e.Subject, string(e.Before), string(e.After), e.Prev, e.Hash}
}

// exportAudit streams the trail to stdout.
func (a *app) exportAudit(ctx context.Context, db *sqldb.DB, format string, since time.Time) error {
	w := bufio.NewWriterSize(a.stdout, 64<<10)
	var write func(*lifeboat.AuditEntry) error
	var flush func() error
	if format == "csv" {
		cw := csv.NewWriter(w)
		if err := cw.Write(auditCSVHeader); err != nil {
			return err
		}
		write = func(e *lifeboat.AuditEntry) error { return cw.Write(auditCSVRow(e)) }
		flush = func() error { cw.Flush(); return cw.Error() }
	} else {
		enc := json.NewEncoder(w)
		// Before and after go out byte for byte as stored and hashed.
		enc.SetEscapeHTML(false)
		write = func(e *lifeboat.AuditEntry) error { return enc.Encode(e) }
		flush = func() error { return nil }
	}
	if err := db.WalkAudit(ctx, since, write); err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	return w.Flush()
}

// openAuditDatabase opens an existing database without migrating it: these
// commands only read, and a mistyped SQLite path must not yield a new,
// empty and so "intact" trail.
func (a *app) openAuditDatabase(ctx context.Context, database, dataDir string) (*sqldb.DB, error) {
	dsn, err := a.databaseURL(database, dataDir)
	if err != nil {
		return nil, err
	}
	if kind, path, _ := sqldb.ParseURL(dsn); kind == "sqlite" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s: no such file", redactURL(dsn))
		}
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, a.databaseError(dsn, err)
	}
	if _, err := db.FindAuditEntries(ctx, lifeboat.AuditFilter{Limit: 1}); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s has no audit trail that can be read (%v); if it was made by an older Lifeboat, run lifeboat migrate", redactURL(dsn), err)
	}
	return db, nil
}

// anchor is the SEQ:HASH of an entry checked earlier.
type anchor struct {
	seq  int64
	hash string
}

func (v *anchor) String() string {
	if v.seq == 0 {
		return ""
	}
	return strconv.FormatInt(v.seq, 10) + ":" + v.hash
}

func (v *anchor) Type() string { return "SEQ:HASH" }

func (v *anchor) Set(s string) error {
	seq, hash, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if !ok || err != nil || n < 1 || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return fmt.Errorf("%q is not SEQ:HASH, such as 1204:5be0c3... with 64 hex digits", s)
	}
	v.seq, v.hash = n, hash
	return nil
}

// sinceValue is a point in time: absolute, or a duration back from when
// the command runs.
type sinceValue struct {
	t   time.Time
	ago time.Duration
	set string
}

func (v *sinceValue) String() string { return v.set }
func (v *sinceValue) Type() string   { return "TIME" }

func (v *sinceValue) Set(s string) error {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		v.t, v.ago, v.set = t, 0, s
		return nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		v.t, v.ago, v.set = t, 0, s
		return nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		v.t, v.ago, v.set = time.Time{}, d, s
		return nil
	}
	return fmt.Errorf("%q is not a time: use RFC 3339 (2026-11-01T09:00:00Z), a date (2026-11-01) or a duration back from now (24h)", s)
}

// at returns the time meant, relative to now for a duration; the zero time
// when none was given.
func (v *sinceValue) at(now time.Time) time.Time {
	if v.ago > 0 {
		return now.Add(-v.ago)
	}
	return v.t
}
