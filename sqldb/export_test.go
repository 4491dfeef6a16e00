package sqldb

import (
	"database/sql"
	"time"
)

// Tests reach past the stores with these, as an attacker with access to
// the database would.

// WritePool returns the pool that writes.
func (db *DB) WritePool() *sql.DB { return db.write }

// SetNow replaces the clock.
func (db *DB) SetNow(now func() time.Time) { db.now = now }
