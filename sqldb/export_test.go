package sqldb

import "context"

// ExecForTest runs a statement on the write pool, for tests that need to
// set up what the stores offer no way to do.
func ExecForTest(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, q, args...)
	return err
}
