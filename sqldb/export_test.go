package sqldb

import (
	"context"
	"database/sql"
	"time"
)

// Tests reach past the stores with these, as an attacker with access to
// the database would, or to set up what the stores offer no way to do.

// ExecForTest runs a statement on the write pool.
func ExecForTest(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, q, args...)
	return err
}

// WritePool returns the pool that writes.
func (db *DB) WritePool() *sql.DB { return db.write }

// SetNow replaces the clock.
func (db *DB) SetNow(now func() time.Time) { db.now = now }
