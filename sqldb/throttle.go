package sqldb

import (
	"context"
	"database/sql"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/lifeboat-itscm/lifeboat"
)

var _ lifeboat.LoginThrottle = (*DB)(nil)

// maxThrottleKey bounds a key: "addr:" and an IPv6 address with a zone fit
// easily.
const maxThrottleKey = 300

// RecordFailedLogin counts one failed sign-in against each key, each key
// once.
func (db *DB) RecordFailedLogin(ctx context.Context, keys []string, at time.Time) error {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	for _, k := range keys {
		if err := checkThrottleKey(k); err != nil {
			return err
		}
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (key, failed_at) VALUES ($1, $2)`, k, millis(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// CountFailedLogins counts a key's failed sign-ins at or after since. It
// runs before every sign-in, so it reads with a cached statement.
func (db *DB) CountFailedLogins(ctx context.Context, key string, since time.Time) (int, error) {
	st, err := db.readStmt(ctx, `SELECT count(*) FROM login_attempts WHERE key = $1 AND failed_at >= $2`)
	if err != nil {
		return 0, db.mapError(err)
	}
	var n int
	if err := st.QueryRowContext(ctx, key, millis(since)).Scan(&n); err != nil {
		return 0, db.mapError(err)
	}
	return n, nil
}

// ClearFailedLogins forgets a key's failed sign-ins.
func (db *DB) ClearFailedLogins(ctx context.Context, key string) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = $1`, key)
		return err
	})
}

// PruneFailedLogins forgets every failed sign-in before a time.
func (db *DB) PruneFailedLogins(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE failed_at < $1`, millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

func checkThrottleKey(k string) error {
	var p lifeboat.Problems
	switch {
	case k == "":
		p.Add("key", "missing")
	case len(k) > maxThrottleKey:
		p.Add("key", "must be at most %d bytes", maxThrottleKey)
	case !utf8.ValidString(k) || slices.Contains([]byte(k), 0):
		p.Add("key", "must be valid UTF-8 text without NUL characters")
	}
	return p.Err("throttling key")
}
