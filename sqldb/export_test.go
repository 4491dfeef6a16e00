package sqldb

import (
	"context"
	"database/sql"
	"log/slog"
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

// SecondaryForTest lists what a bulk import drops and builds again, as
// the statements that build them.
func SecondaryForTest(ctx context.Context, db *DB) ([]string, error) {
	var out []string
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		objects, err := db.dialect.secondary(ctx, tx, bulkTables)
		for _, o := range objects {
			out = append(out, o.create)
		}
		return err
	})
	return out, err
}

// BulkThreshold is the import size from which indexes are built at the end.
const BulkThreshold = bulkThreshold

// MigrateToForTest applies the migrations up to version.
func MigrateToForTest(ctx context.Context, db *DB, version int64) error {
	return db.migrateTo(ctx, slog.New(slog.DiscardHandler), version)
}

// MigrateDownToForTest undoes the migrations above version.
func MigrateDownToForTest(ctx context.Context, db *DB, version int64) error {
	p, err := db.migrations(ctx)
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
