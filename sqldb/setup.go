package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.SetupStore = (*DB)(nil)

// CreateSetupToken stores the hash of a new first-admin setup link.
func (db *DB) CreateSetupToken(ctx context.Context, hash string, expires time.Time) error {
	var p lifeboat.Problems
	if hash == "" {
		p.Add("hash", "missing")
	}
	now := db.now()
	if !expires.After(now) {
		p.Add("expires_at", "must be in the future")
	}
	if err := p.Err("setup token"); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO setup_tokens (hash, created_at, expires_at, used) VALUES ($1, $2, $3, FALSE)`,
			hash, millis(now), millis(expires))
		return err
	})
}

// UseSetupToken spends a setup link. The check and the spending are one
// UPDATE: of two concurrent uses, PostgreSQL lets the second wait for the
// first and then finds the row used, and SQLite runs them one after the
// other.
func (db *DB) UseSetupToken(ctx context.Context, hash string, now time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		return execOne(ctx, tx, lifeboat.Errorf(lifeboat.ENOTFOUND, "setup link not found, already used or expired"),
			`UPDATE setup_tokens SET used = TRUE WHERE hash = $1 AND used = FALSE AND expires_at > $2`, hash, millis(now))
	})
}
