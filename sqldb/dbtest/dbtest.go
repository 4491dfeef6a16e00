// Package dbtest opens real, isolated databases for tests: a fresh SQLite
// file always, and a fresh PostgreSQL schema when LIFEBOAT_TEST_POSTGRES
// holds a server URL.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-itscm/lifeboat/sqldb"
)

// PostgresEnv names the environment variable with the PostgreSQL server URL.
const PostgresEnv = "LIFEBOAT_TEST_POSTGRES"

// Each runs fn as a subtest once per available database, each freshly
// migrated and closed afterwards.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			fn(t, Open(t, name))
		})
	}
}

// Names lists the databases tests run against: sqlite, and postgres when
// configured.
func Names() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Open returns a migrated, empty database of the named kind, removed when
// the test ends.
func Open(t testing.TB, name string) *sqldb.DB {
	t.Helper()
	dsn := URL(t, name)
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrate %s: %v", name, err)
	}
	return db
}

// URL returns the URL of a new, empty database of the named kind: a file in
// the test's temporary folder, or a PostgreSQL schema of its own that is
// dropped when the test ends.
func URL(t testing.TB, name string) string {
	t.Helper()
	if name == "sqlite" {
		return "sqlite://" + filepath.Join(t.TempDir(), "lifeboat.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " is not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "lbtest_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
