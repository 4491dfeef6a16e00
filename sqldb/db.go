// Package sqldb stores Lifeboat's data in SQLite or PostgreSQL through
// database/sql. One set of queries serves both; the differences live in
// dialect.go and in the migration folders.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/lifeboat-itscm/lifeboat"
)

//go:embed migrations
var migrations embed.FS

// DB is an open database. SQLite gets two pools: one connection for writes,
// because SQLite allows one writer at a time and queuing in Go is cheaper
// than retrying on SQLITE_BUSY, and several read-only connections that WAL
// lets run alongside the writer. PostgreSQL uses one pool for both.
type DB struct {
	dialect dialect
	write   *sql.DB
	read    *sql.DB
	now     func() time.Time
	// auditLock is the PostgreSQL advisory lock that makes writers take
	// turns at the end of the audit chain (see audit.go).
	auditLock int64
	// stmts caches prepared read statements by query text. Catalog queries
	// come in a few hundred shapes at most, and parsing them is a good part
	// of a read's cost.
	stmts sync.Map
}

// Open connects to the database a URL names: sqlite:///abs/path.db, a plain
// file path, or postgres://... It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	kind, target, err := ParseURL(dsn)
	if err != nil {
		return nil, err
	}
	db := &DB{now: func() time.Time { return time.Now().UTC() }}
	if kind == "postgres" {
		err = db.openPostgres(target)
	} else {
		err = db.openSQLite(target)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if kind == "postgres" {
		if db.auditLock, err = db.schemaLockID(ctx, "lifeboat-audit"); err != nil {
			db.Close()
			return nil, db.mapError(err)
		}
	}
	return db, nil
}

// ParseURL splits a database URL into its kind ("sqlite" or "postgres") and
// what the driver needs: a file path or a PostgreSQL connection string.
func ParseURL(dsn string) (kind, target string, err error) {
	switch {
	case dsn == "":
		return "", "", lifeboat.Errorf(lifeboat.EINVALID, "no database given: use sqlite:///path/to/file.db or postgres://...")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return "postgres", dsn, nil
	case strings.HasPrefix(dsn, "sqlite://"):
		u, err := url.Parse(dsn)
		if err != nil || u.Path == "" || (u.Host != "" && u.Host != "localhost") {
			return "", "", lifeboat.Errorf(lifeboat.EINVALID, "database URL %q: want sqlite:///absolute/path.db", dsn)
		}
		return "sqlite", u.Path, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		return "sqlite", strings.TrimPrefix(dsn, "sqlite:"), nil
	case strings.Contains(dsn, "://"):
		return "", "", lifeboat.Errorf(lifeboat.EINVALID, "database URL %q: only sqlite:// and postgres:// are supported", dsn)
	}
	return "sqlite", dsn, nil
}

func (db *DB) openSQLite(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
	}
	pragmas := []string{
		"busy_timeout(10000)", // wait for a lock instead of failing at once
		"journal_mode(WAL)",   // readers do not block the writer, nor it them
		"foreign_keys(1)",     // enforce references; SQLite leaves them off by default
		"synchronous(NORMAL)", // safe with WAL and much faster than FULL
		"temp_store(MEMORY)",  // sorts and temporary indexes stay off disk
		"cache_size(-32000)",  // 32 MB page cache per connection
	}
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	// BEGIN IMMEDIATE takes the write lock up front, so two writers queue
	// instead of one failing when it upgrades a read lock.
	q.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	q.Del("_txlock")
	q.Add("_pragma", "query_only(1)") // a read connection can never write by mistake
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.dialect, db.write, db.read = sqliteDialect, w, r
	return nil
}

func (db *DB) openPostgres(dsn string) error {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return lifeboat.Errorf(lifeboat.EINVALID, "database URL: %v", err)
	}
	p.SetMaxOpenConns(max(8, runtime.GOMAXPROCS(0)*4))
	p.SetMaxIdleConns(max(8, runtime.GOMAXPROCS(0)*4))
	p.SetConnMaxLifetime(time.Hour)
	db.dialect, db.write, db.read = postgresDialect, p, p
	return nil
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return &lifeboat.Error{Code: lifeboat.EUNAVAIL, Message: "database unavailable: " + err.Error()}
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		if rerr := db.read.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Migrate applies the embedded migrations that are missing. On PostgreSQL an
// advisory lock makes concurrent starts of several instances safe: one
// migrates, the others wait and then find nothing to do.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	return db.migrateTo(ctx, log, 0)
}

// migrateTo applies the migrations up to version, or all with 0.
func (db *DB) migrateTo(ctx context.Context, log *slog.Logger, version int64) error {
	p, err := db.migrations(ctx)
	if err != nil {
		return err
	}
	var results []*goose.MigrationResult
	if version > 0 {
		results, err = p.UpTo(ctx, version)
	} else {
		results, err = p.Up(ctx)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migrated", "version", r.Source.Version, "file", filepath.Base(r.Source.Path), "took", r.Duration)
	}
	return nil
}

// migrations returns the embedded migrations of the database's dialect.
func (db *DB) migrations(ctx context.Context) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.dialect.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	gd := goose.DialectSQLite3
	if db.dialect.name == "postgres" {
		gd = goose.DialectPostgres
		id, err := db.schemaLockID(ctx, "lifeboat-migrations")
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		// Poll every second for up to five minutes: a peer's migration is
		// short, and a dead peer's session lock dies with its connection.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db.write, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// schemaLockID derives a PostgreSQL advisory lock for one purpose from the
// schema Lifeboat works in, so that instances sharing a schema take turns
// while separate schemas on one server (such as test runs) do not wait for
// each other.
func (db *DB) schemaLockID(ctx context.Context, purpose string) (int64, error) {
	var schema string
	if err := db.write.QueryRowContext(ctx, `SELECT current_database() || '.' || coalesce(current_schema(), '')`).Scan(&schema); err != nil {
		return 0, err
	}
	h := fnv.New64a()
	h.Write([]byte(purpose + ":" + schema))
	return int64(h.Sum64()), nil
}

// readStmt returns the prepared statement for a read query.
func (db *DB) readStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// query runs a read query on the read pool with a cached statement.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := db.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// writeTx runs fn in a read-write transaction and commits when it returns nil.
func (db *DB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.inTx(ctx, db.write, fn)
}

// readTx runs fn in a transaction on the read pool so that all its queries
// see one snapshot.
func (db *DB) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.inTx(ctx, db.read, fn)
}

func (db *DB) inTx(ctx context.Context, pool *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return db.mapError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return db.mapError(err)
	}
	return db.mapError(tx.Commit())
}
