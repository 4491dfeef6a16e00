package sqldb

import (
	"crypto/sha256"
	"database/sql"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

// Tests reach past the stores with these, as an attacker with access to
// the database would.

// WritePool returns the pool that writes.
func (db *DB) WritePool() *sql.DB { return db.write }

// SetNow replaces the clock.
func (db *DB) SetNow(now func() time.Time) { db.now = now }

// AuditHash recomputes an entry's hash.
func AuditHash(e *lifeboat.AuditEntry) string { return auditHash(sha256.New(), e) }
